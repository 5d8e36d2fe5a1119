use super::*;
use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};

fn pool(max: usize) -> BlockingPool {
    BlockingPool::new(Config { max_blocking_threads: max, ..Config::default() })
}

#[test]
fn runs_jobs_and_returns_results() {
    let pool = pool(4);
    let handles: Vec<_> = (0..32).map(|i| pool.spawner().spawn_blocking(move || i * 2)).collect();
    let sum: usize = handles.into_iter().map(|h| crate::park::block_on(h).unwrap()).sum();
    assert_eq!(sum, (0..32).map(|i| i * 2).sum());
    assert!(pool.shutdown(None));
}

#[test]
fn panics_reach_the_join_handle() {
    let pool = pool(2);
    let h = pool.spawner().spawn_blocking(|| panic!("blocking boom"));
    let err = crate::park::block_on(h).unwrap_err();
    assert!(err.is_panic());
    // The pool keeps working.
    assert_eq!(crate::park::block_on(pool.spawner().spawn_blocking(|| 3)).unwrap(), 3);
}

#[test]
fn never_more_threads_than_the_cap() {
    let pool = pool(2);
    let running = std::sync::Arc::new(AtomicUsize::new(0));
    let peak = std::sync::Arc::new(AtomicUsize::new(0));
    let handles: Vec<_> = (0..8)
        .map(|_| {
            let (running, peak) = (running.clone(), peak.clone());
            pool.spawner().spawn_blocking(move || {
                let now = running.fetch_add(1, SeqCst) + 1;
                peak.fetch_max(now, SeqCst);
                std::thread::sleep(Duration::from_millis(5));
                running.fetch_sub(1, SeqCst);
            })
        })
        .collect();
    for h in handles {
        crate::park::block_on(h).unwrap();
    }
    assert!(peak.load(SeqCst) <= 2, "peak {}", peak.load(SeqCst));
}

#[test]
fn queued_jobs_are_cancelled_at_shutdown() {
    let pool = pool(1);
    let (first, tx) = running_job(&pool);
    let second = pool.spawner().spawn_blocking(|| 5);
    // The one thread is blocked in `first`; shut down with a short timeout.
    assert!(!pool.shutdown(Some(Duration::from_millis(10))));
    tx.send(()).unwrap();
    assert!(pool.shutdown(None));
    assert_eq!(crate::park::block_on(first).unwrap(), Some(()));
    assert!(crate::park::block_on(second).unwrap_err().is_cancelled());
    // Spawning after shutdown gives a cancelled handle.
    let late = pool.spawner().spawn_blocking(|| 1);
    assert!(crate::park::block_on(late).unwrap_err().is_cancelled());
}

#[test]
fn a_detached_pool_is_freed_when_its_last_thread_ends() {
    let pool = pool(2);
    let (job, release_tx) = running_job(&pool);
    assert!(!pool.shutdown(Some(Duration::from_millis(10))));
    let shared = Arc::downgrade(&pool.spawner.inner);
    pool.detach();
    assert!(shared.upgrade().is_some(), "the running thread still uses the pool");

    release_tx.send(()).unwrap();
    assert_eq!(crate::park::block_on(job).unwrap(), Some(()));
    // The thread lets go of the pool as it exits, just after the job.
    wait_until_freed(&shared, "the pool outlived its last thread");
}

#[test]
fn detach_stops_idle_threads_and_refuses_new_work() {
    let pool = pool(2);
    assert_eq!(crate::park::block_on(pool.spawner().spawn_blocking(|| 1)).unwrap(), 1);
    let spawner = pool.spawner().clone();
    let shared = Arc::downgrade(&spawner.inner);
    pool.detach();
    let late = spawner.spawn_blocking(|| 2);
    assert!(crate::park::block_on(late).unwrap_err().is_cancelled());
    drop(spawner);
    // The idle thread was told to stop; its exit frees the pool.
    wait_until_freed(&shared, "the idle thread kept the pool alive");
}

/// Starts a job that blocks until the returned sender sends (or is
/// dropped), and waits until a pool thread runs it.
fn running_job(pool: &BlockingPool) -> (JoinHandle<Option<()>>, std::sync::mpsc::Sender<()>) {
    let (release_tx, release_rx) = std::sync::mpsc::channel::<()>();
    let (started_tx, started_rx) = std::sync::mpsc::channel::<()>();
    let job = pool.spawner().spawn_blocking(move || {
        started_tx.send(()).unwrap();
        release_rx.recv().ok()
    });
    started_rx.recv().unwrap();
    (job, release_tx)
}

/// Waits (a minute at most, then fails with `leaked`) until nothing holds
/// the pool's shared state any more.
fn wait_until_freed(shared: &std::sync::Weak<Inner>, leaked: &str) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while shared.upgrade().is_some() {
        assert!(Instant::now() < deadline, "{leaked}");
        std::thread::yield_now();
    }
}
