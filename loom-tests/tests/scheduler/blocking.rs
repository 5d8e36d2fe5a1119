//! The blocking pool (`scheduler/src/blocking/`): one queue and the
//! idle/notified accounting under one mutex, threads started on demand.
//!
//! Under loom a timed condvar wait is an untimed one, so the keep-alive
//! never expires in these models; threads leave at shutdown.

use loom::future::block_on;
use loom::sync::{Arc, Condvar, Mutex};
use loom::thread;
use std::time::Duration;
use weft_scheduler::blocking::BlockingPool;
use weft_scheduler::Config;

fn pool() -> BlockingPool {
    BlockingPool::new(Config {
        thread_keep_alive: Duration::from_secs(3600),
        ..Config::default()
    })
}

/// A spawn races the pool's shutdown: the job either runs or is
/// cancelled, its handle always resolves, and shutdown waits for the
/// thread it may have started.
#[test]
fn spawn_racing_shutdown() {
    loom::model(|| {
        let pool = pool();
        let spawner = pool.spawner().clone();
        let t = thread::spawn(move || {
            let join = spawner.spawn_blocking(|| 7);
            match block_on(join) {
                Ok(v) => assert_eq!(v, 7),
                Err(e) => assert!(e.is_cancelled()),
            }
        });
        assert!(pool.shutdown(None));
        t.join().unwrap();
    });
}

/// The pool is given up on while a job may still be running (what a
/// runtime's `shutdown_timeout` does once the timeout passes): the job
/// runs or is cancelled, its handle resolves, and the pool thread, left
/// to finish on its own, frees the pool as it exits. loom fails the model
/// if the pool's shared state is never freed.
#[test]
fn detach_while_a_job_runs() {
    loom::model(|| {
        let pool = pool();
        let join = pool.spawner().spawn_blocking(|| 7);
        pool.detach();
        match block_on(join) {
            Ok(v) => assert_eq!(v, 7),
            Err(e) => assert!(e.is_cancelled()),
        }
    });
}

/// Two jobs where the first blocks until the second ran, spawned while
/// the pool has one idle thread: the first spawn claims the idle thread,
/// so the second must start a thread of its own rather than queue behind
/// the first (which would never finish).
///
/// This model runs without preemptions whatever `LOOM_MAX_PREEMPTIONS`
/// says: the accounting it checks is all under one mutex, so the
/// interleavings that matter are the ones where threads switch only when
/// they block (the pool thread finishes the warm-up job and goes idle
/// before the spawns), and a bound of 1 already takes minutes here.
#[test]
fn dependent_jobs_never_share_one_idle_thread() {
    let mut model = loom::model::Builder::new();
    model.preemption_bound = Some(0);
    model.check(|| {
        let pool = pool();
        let spawner = pool.spawner();
        block_on(spawner.spawn_blocking(|| ())).unwrap();
        let flag = Arc::new((Mutex::new(false), Condvar::new()));
        let first = spawner.spawn_blocking({
            let flag = flag.clone();
            move || {
                let (lock, cvar) = &*flag;
                let mut set = lock.lock().unwrap();
                while !*set {
                    set = cvar.wait(set).unwrap();
                }
            }
        });
        let second = spawner.spawn_blocking(move || {
            let (lock, cvar) = &*flag;
            *lock.lock().unwrap() = true;
            cvar.notify_one();
        });
        block_on(second).unwrap();
        block_on(first).unwrap();
        assert!(pool.shutdown(None));
    });
}
