use super::*;
use crate::blocking::BlockingPool;
use crate::park::{block_on, ParkThread};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

struct Rt {
    handle: Arc<Handle>,
    pool: BlockingPool,
}

impl Rt {
    fn new(workers: usize) -> Rt {
        let config = Config { worker_threads: workers, ..Config::default() };
        let pool = BlockingPool::new(config.clone());
        let (handle, launch) = create(config, Box::new(ParkThread::new()), pool.spawner().clone());
        launch.launch().unwrap();
        Rt { handle, pool }
    }
}

impl Drop for Rt {
    fn drop(&mut self) {
        self.handle.shutdown();
        assert!(self.pool.shutdown(Some(Duration::from_secs(10))), "workers did not stop");
    }
}

#[test]
fn spawn_and_join_from_outside() {
    let rt = Rt::new(2);
    let handles: Vec<_> = (0..1000).map(|i| rt.handle.spawn(async move { i }, Id::next())).collect();
    let sum: usize = handles.into_iter().map(|h| block_on(h).unwrap()).sum();
    assert_eq!(sum, (0..1000).sum());
}

#[test]
fn tasks_spawned_inside_tasks_all_run() {
    let rt = Rt::new(3);
    let count = std::sync::Arc::new(AtomicUsize::new(0));
    let h = rt.handle.clone();
    let c = count.clone();
    let outer = rt.handle.spawn(
        async move {
            let mut inner = Vec::new();
            for _ in 0..10_000 {
                let c = c.clone();
                inner.push(h.spawn(async move { c.fetch_add(1, Ordering::SeqCst) }, Id::next()));
            }
            for j in inner {
                j.await.unwrap();
            }
        },
        Id::next(),
    );
    block_on(outer).unwrap();
    assert_eq!(count.load(Ordering::SeqCst), 10_000);
}

#[test]
fn work_spreads_over_workers() {
    let rt = Rt::new(2);
    let seen = std::sync::Arc::new(std::sync::Mutex::new(std::collections::HashSet::new()));
    let handles: Vec<_> = (0..200)
        .map(|_| {
            let seen = seen.clone();
            let h = rt.handle.clone();
            rt.handle.spawn(
                async move {
                    std::thread::sleep(Duration::from_millis(1));
                    seen.lock().unwrap().insert(h.current_worker_index().unwrap());
                },
                Id::next(),
            )
        })
        .collect();
    for h in handles {
        block_on(h).unwrap();
    }
    assert_eq!(seen.lock().unwrap().len(), 2);
}

#[test]
fn shutdown_cancels_pending_tasks() {
    let rt = Rt::new(2);
    let handles: Vec<_> = (0..50).map(|_| rt.handle.spawn(std::future::pending::<()>(), Id::next())).collect();
    drop(rt);
    for h in handles {
        assert!(block_on(h).unwrap_err().is_cancelled());
    }
}

/// Tasks that yield forever must not keep remote work waiting: a yielded
/// task waits until the worker has looked at the injector.
#[test]
fn remote_spawns_run_while_every_worker_has_yielding_tasks() {
    use std::sync::atomic::AtomicBool;
    let rt = Rt::new(2);
    let stop = std::sync::Arc::new(AtomicBool::new(false));
    let busy: Vec<_> = (0..4)
        .map(|_| {
            let stop = stop.clone();
            rt.handle.spawn(
                std::future::poll_fn(move |cx| {
                    if stop.load(Ordering::SeqCst) {
                        return std::task::Poll::Ready(());
                    }
                    cx.waker().wake_by_ref();
                    std::task::Poll::Pending
                }),
                Id::next(),
            )
        })
        .collect();
    let remote: Vec<_> = (0..1000).map(|i| rt.handle.spawn(async move { i }, Id::next())).collect();
    let sum: usize = remote.into_iter().map(|h| block_on(h).unwrap()).sum();
    assert_eq!(sum, (0..1000).sum());
    stop.store(true, Ordering::SeqCst);
    for h in busy {
        block_on(h).unwrap();
    }
}

#[test]
fn worker_index_names_the_worker_until_block_in_place_hands_it_on() {
    // One worker: whichever thread runs it runs every task.
    let rt = Rt::new(1);
    assert_eq!(worker_index(), None, "the test thread is no worker");
    let h = rt.handle.clone();
    let (before, inside, taken_over) = block_on(rt.handle.spawn(
        async move {
            let before = worker_index();
            assert_eq!(before, h.current_worker_index());
            let inside = block_in_place(worker_index);
            // Another thread now runs the worker and reports its index.
            let task = h.spawn(async { (worker_index(), std::thread::current().id()) }, Id::next());
            let (taken_over, thread) = block_on(task).unwrap();
            assert_ne!(thread, std::thread::current().id());
            (before, inside, taken_over)
        },
        Id::next(),
    ))
    .unwrap();
    assert_eq!(before, Some(0));
    assert_eq!(inside, None, "block_in_place handed the worker on");
    assert_eq!(taken_over, Some(0));
}
