//! What the models of the real schedulers share: building the
//! multi-thread one, counting the tasks that ran, and a signal that a
//! task waits for and another thread sets.

use loom::sync::{Condvar, Mutex};
use std::future::{poll_fn, Future};
use std::sync::Arc;
use std::task::{Poll, Waker};
use std::time::Duration;
use weft_scheduler::blocking::BlockingPool;
use weft_scheduler::multi_thread::{self, Handle, Launch};
use weft_scheduler::park::ParkThread;
use weft_scheduler::Config;

/// The real multi-thread scheduler with `workers` workers, its blocking
/// pool (which runs the worker threads) and a condvar-only driver.
/// Idle pool threads wait until shutdown (loom has no time).
pub(crate) fn multi_thread(workers: usize) -> (BlockingPool, Arc<Handle>, Launch) {
    let config = Config {
        worker_threads: workers,
        thread_keep_alive: Duration::from_secs(3600),
        ..Config::default()
    };
    let pool = BlockingPool::new(config.clone());
    let (handle, launch) = multi_thread::create(config, Box::new(ParkThread::new()), pool.spawner().clone());
    (pool, handle, launch)
}

/// Starts the workers, waits on this thread for `blocker` (the model's
/// driving task), shuts the scheduler down, and checks the end state:
/// every thread stopped, the `tasks` counted by `ran` ran once each, and
/// no task is left alive.
pub(crate) fn run_to_the_end<T>(
    launch: Launch,
    blocker: weft_scheduler::task::JoinHandle<T>,
    pool: BlockingPool,
    handle: &Handle,
    ran: &Ran,
    tasks: usize,
) {
    launch.launch().unwrap();
    loom::future::block_on(blocker).unwrap();
    handle.shutdown();
    assert!(pool.shutdown(None), "a worker thread did not stop");
    assert_eq!(ran.count(), tasks, "a task ran twice");
    assert_eq!(handle.num_alive_tasks(), 0);
}

/// Counts the tasks that ran; a thread can wait for a count.
#[derive(Default)]
pub(crate) struct Ran {
    count: Mutex<usize>,
    cvar: Condvar,
}

impl Ran {
    /// One more task ran.
    pub(crate) fn add(&self) {
        *self.count.lock().unwrap() += 1;
        self.cvar.notify_all();
    }

    /// How many tasks ran so far.
    pub(crate) fn count(&self) -> usize {
        *self.count.lock().unwrap()
    }

    /// Blocks until `n` tasks ran.
    pub(crate) fn wait_for(&self, n: usize) {
        let mut count = self.count.lock().unwrap();
        while *count < n {
            count = self.cvar.wait(count).unwrap();
        }
    }
}

/// A one-shot signal: a task waits for it, any thread sets it and wakes
/// the task. Made of a loom mutex and a plain waker, so that a model of a
/// scheduler exercises the scheduler's wake path and nothing else.
#[derive(Default)]
pub(crate) struct Signal {
    /// Whether it was set, and the waker of the task waiting for it.
    state: Mutex<(bool, Option<Waker>)>,
}

impl Signal {
    /// Sets the signal and wakes the waiting task, if any.
    pub(crate) fn set(&self) {
        let waker = {
            let mut state = self.state.lock().unwrap();
            state.0 = true;
            state.1.take()
        };
        if let Some(waker) = waker {
            waker.wake();
        }
    }

    /// Completes once the signal is set.
    pub(crate) fn wait(&self) -> impl Future<Output = ()> + '_ {
        poll_fn(|cx| {
            let mut state = self.state.lock().unwrap();
            if state.0 {
                Poll::Ready(())
            } else {
                state.1 = Some(cx.waker().clone());
                Poll::Pending
            }
        })
    }
}
