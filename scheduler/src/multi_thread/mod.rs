//! The work-stealing multi-thread scheduler.
//!
//! Each worker thread owns a `Core` (`worker.rs`): a LIFO slot, a local FIFO
//! queue that other workers can steal from, and its parker. Tasks spawned
//! or woken from outside go to the global injector. See `worker.rs` for
//! the run loop and `idle.rs` for the searching/parking protocol.

mod idle;
mod park;
mod queue;
mod worker;

#[cfg(loom)]
#[doc(hidden)]
pub mod loom_internals;

use crate::blocking;
use crate::config::Config;
use crate::metrics::WorkerMetrics;
use crate::loom::sync::atomic::{fence, AtomicBool, Ordering::SeqCst};
use crate::loom::sync::Mutex;
// The scheduler handle is an API type shared with the `weft` crate (and a
// method receiver), so it is a plain std `Arc` in every build, as in
// `park/mod.rs`.
use std::sync::Arc;
use crate::park::Park;
use crate::task::{Id, JoinHandle, Notified, OwnedTasks, Schedule, Task};
use std::fmt;
use std::future::Future;
use std::io;

use idle::Idle;
use worker::Wake;
use crossbeam_utils::CachePadded;
use park::{SharedDriver, Unparker};
use queue::{Inject, Stealer};
pub use worker::{block_in_place, is_worker_thread, worker_index};

/// A handle to a multi-thread scheduler: spawns tasks, shuts it down.
pub struct Handle {
    shared: Shared,
}

struct Shared {
    remotes: Box<[Remote]>,
    inject: Inject<Notified<Arc<Handle>>>,
    /// On its own cache lines: every remote spawn reads it, and workers
    /// write it whenever they start or stop searching.
    idle: CachePadded<Idle>,
    owned: OwnedTasks<Arc<Handle>>,
    /// Each worker's statistics, written only by that worker; padded so
    /// that neither readers nor neighbouring workers share its lines.
    metrics: Box<[CachePadded<WorkerMetrics>]>,
    is_shutdown: AtomicBool,
    #[allow(clippy::vec_box)] // cores move in and out of boxes as they are handed around
    finished_cores: Mutex<Vec<Box<worker::Core>>>,
    driver: crate::loom::sync::Arc<SharedDriver>,
    blocking: blocking::Spawner,
    config: Config,
}

struct Remote {
    steal: Stealer<Notified<Arc<Handle>>>,
    unpark: Unparker,
}

/// The workers, built but not yet started.
pub struct Launch {
    workers: Vec<Arc<worker::Worker>>,
}

/// Creates a scheduler with `config.worker_threads` workers sharing
/// `driver`. Call [`Launch::launch`] to start the threads.
pub fn create(config: Config, driver: Box<dyn Park>, blocking: blocking::Spawner) -> (Arc<Handle>, Launch) {
    let n = config.worker_threads.max(1);
    let driver = SharedDriver::new(driver);
    let mut cores = Vec::with_capacity(n);
    let mut remotes = Vec::with_capacity(n);
    for index in 0..n {
        let parker = park::Parker::new(driver.clone());
        let run_queue = queue::Local::new();
        remotes.push(Remote { steal: run_queue.stealer(), unpark: parker.unparker() });
        cores.push(worker::Core::new(index, run_queue, parker));
    }
    let handle = Arc::new(Handle {
        shared: Shared {
            remotes: remotes.into_boxed_slice(),
            inject: Inject::new(),
            idle: CachePadded::new(Idle::new(n)),
            owned: OwnedTasks::new(4 * n),
            metrics: (0..n).map(|_| CachePadded::new(WorkerMetrics::default())).collect(),
            is_shutdown: AtomicBool::new(false),
            finished_cores: Mutex::new(Vec::with_capacity(n)),
            driver,
            blocking,
            config,
        },
    });
    let workers = cores.into_iter().map(|core| worker::Worker::new(handle.clone(), core)).collect();
    (handle, Launch { workers })
}

impl Launch {
    /// Starts one thread per worker on the blocking pool.
    pub fn launch(self) -> io::Result<()> {
        for worker in self.workers {
            let spawner = worker.handle.shared.blocking.clone();
            spawner.spawn_thread(move || worker::run(worker))?;
        }
        Ok(())
    }
}

impl Handle {
    /// Spawns `future` with the given id.
    pub fn spawn<F>(self: &Arc<Self>, future: F, id: Id) -> JoinHandle<F::Output>
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static,
    {
        let (join, notified) = self.shared.owned.bind(future, self.clone(), id);
        if let Some(notified) = notified {
            self.schedule_task(notified, Wake::Woken);
        }
        join
    }

    /// The blocking pool of this runtime.
    pub fn blocking_spawner(&self) -> &blocking::Spawner {
        &self.shared.blocking
    }

    /// Number of worker threads.
    pub fn num_workers(&self) -> usize {
        self.shared.remotes.len()
    }

    /// Number of live tasks.
    pub fn num_alive_tasks(&self) -> usize {
        self.shared.owned.len()
    }

    /// Tasks waiting in the global queue (spawned or woken from outside
    /// the workers), at the moment of the call.
    pub fn global_queue_depth(&self) -> usize {
        self.shared.inject.len()
    }

    /// The statistics of worker `worker`.
    ///
    /// # Panics
    ///
    /// Panics if `worker >= num_workers()`.
    #[track_caller]
    pub fn worker_metrics(&self, worker: usize) -> &WorkerMetrics {
        let n = self.shared.metrics.len();
        assert!(worker < n, "worker index {worker} is out of range: this scheduler has {n} workers");
        &self.shared.metrics[worker]
    }

    /// The index of the worker running on this thread, if this thread is a
    /// worker of this scheduler.
    pub fn current_worker_index(self: &Arc<Self>) -> Option<usize> {
        worker::current_index(self)
    }

    /// Tells every worker to stop. Workers finish the poll they are in,
    /// then the last one cancels every task and shuts the driver down.
    /// Waiting for that is the blocking pool's shutdown.
    pub fn shutdown(&self) {
        if self.shared.is_shutdown.swap(true, SeqCst) {
            return;
        }
        for remote in self.shared.remotes.iter() {
            remote.unpark.unpark();
        }
    }

    /// True once [`shutdown`](Self::shutdown) was called.
    pub fn is_shutdown(&self) -> bool {
        self.shared.is_shutdown.load(SeqCst)
    }

    fn schedule_task(self: &Arc<Self>, task: Notified<Arc<Handle>>, wake: Wake) {
        if let Err(task) = worker::schedule_local(self, task, wake) {
            self.push_remote(task);
            self.notify_parked();
        }
    }

    fn push_remote(&self, task: Notified<Arc<Handle>>) {
        self.shared.inject.push(task);
        fence(SeqCst);
        // (Mutant for the loom check: no second drain.)
        let drain = !cfg!(weft_loom_mutant = "sched_push_after_shutdown_skips_drain");
        if drain && self.is_shutdown() && self.shared.owned.is_closed() {
            // The final drain may have run already: drain again so no task
            // stays queued (and keeps this handle alive) forever.
            while let Some(task) = self.shared.inject.pop() {
                drop(task);
            }
        }
    }

    fn notify_parked(&self) {
        fence(SeqCst);
        if let Some(index) = self.shared.idle.worker_to_notify() {
            self.shared.remotes[index].unpark.unpark();
        }
    }

    fn notify_if_work_pending(&self) {
        fence(SeqCst);
        let pending = self.shared.remotes.iter().any(|r| !r.steal.is_empty()) || !self.shared.inject.is_empty();
        if pending {
            self.notify_parked();
        }
    }
}

impl Schedule for Arc<Handle> {
    fn schedule(&self, task: Notified<Self>) {
        self.schedule_task(task, Wake::Woken);
    }

    fn yield_now(&self, task: Notified<Self>) {
        self.schedule_task(task, Wake::Yield);
    }

    fn yield_after_budget(&self, task: Notified<Self>) {
        self.schedule_task(task, Wake::RanOutOfBudget);
    }

    fn release(&self, task: &Task<Self>) -> Option<Task<Self>> {
        self.shared.owned.remove(task)
    }
}

impl fmt::Debug for Handle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (unparked, searching) = self.shared.idle.counts();
        f.debug_struct("multi_thread::Handle")
            .field("workers", &self.shared.remotes.len())
            .field("unparked", &unparked)
            .field("searching", &searching)
            .field("tasks", &self.shared.owned.len())
            .finish()
    }
}

impl fmt::Debug for Launch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Launch").field("workers", &self.workers.len()).finish()
    }
}

#[cfg(test)]
mod tests;
