//! The blocking pool: threads for code that blocks.
//!
//! Threads are started on demand, up to `max_blocking_threads`, and exit
//! after `thread_keep_alive` without work. Jobs wait in one FIFO queue
//! under one mutex: blocking jobs are long, so the queue is never the
//! bottleneck, and a plain lock keeps the protocol easy to model.
//!
//! Worker threads of the multi-thread scheduler also run here, as
//! *mandatory* jobs: they are not counted against the cap and they still
//! run when queued during shutdown (so `block_in_place` can always hand
//! its worker over). Ordinary jobs still queued at shutdown are cancelled.
//!
//! Bookkeeping under the lock: `idle` threads wait on the condvar;
//! `notified` counts wake-ups handed to idle threads that have not yet
//! taken them, so two spawns never rely on the same idle thread.

use crate::config::{run_callback, Config};
use crate::loom::sync::{Arc, Condvar, Mutex};
use crate::loom::thread;
use crate::task::{self, Id, JoinHandle, Notified, Schedule, Task};
use std::collections::VecDeque;
use std::fmt;
use std::future::Future;
use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

/// The pool, owned by the runtime.
pub struct BlockingPool {
    spawner: Spawner,
    /// Set by [`BlockingPool::detach`]: dropping the pool no longer waits.
    detached: bool,
}

/// Submits work to the pool; cheap to clone.
#[derive(Clone)]
pub struct Spawner {
    inner: Arc<Inner>,
}

struct Inner {
    shared: Mutex<Shared>,
    work: Condvar,
    exited: Condvar,
    config: Config,
}

struct Shared {
    queue: VecDeque<Job>,
    threads: usize,
    idle: usize,
    notified: usize,
    shutdown: bool,
    handles: Vec<thread::JoinHandle<()>>,
}

enum Job {
    Task { task: Notified<NoSchedule>, mandatory: bool },
    Thread(Box<dyn FnOnce() + Send>),
}

impl Job {
    fn run(self) {
        match self {
            Job::Task { task, .. } => task.run(),
            Job::Thread(f) => f(),
        }
    }

    fn cancel_or_run_if_mandatory(self) {
        match self {
            Job::Task { task, mandatory: false } => task.shutdown(),
            job => job.run(),
        }
    }
}

/// Blocking tasks are polled exactly once and never woken, so this
/// scheduler is never asked to schedule anything.
#[derive(Debug, Clone, Copy)]
pub struct NoSchedule;

impl Schedule for NoSchedule {
    fn schedule(&self, task: Notified<Self>) {
        // Unreachable by construction; dropping the reference is the safe
        // answer if it ever happens.
        drop(task);
    }

    fn release(&self, _task: &Task<Self>) -> Option<Task<Self>> {
        None
    }
}

/// Runs a closure as a future, once, outside the coop budget.
struct BlockingTask<F>(Option<F>);

impl<F> Unpin for BlockingTask<F> {}

impl<F: FnOnce() -> R, R> Future for BlockingTask<F> {
    type Output = R;
    fn poll(mut self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<R> {
        let f = self.0.take().expect("a blocking task was polled twice");
        Poll::Ready(crate::coop::with_unconstrained(f))
    }
}

impl BlockingPool {
    /// A pool with the given settings; no thread is started yet.
    pub fn new(config: Config) -> BlockingPool {
        let inner = Inner {
            shared: Mutex::new(Shared {
                queue: VecDeque::new(),
                threads: 0,
                idle: 0,
                notified: 0,
                shutdown: false,
                handles: Vec::new(),
            }),
            work: Condvar::new(),
            exited: Condvar::new(),
            config,
        };
        BlockingPool { spawner: Spawner { inner: Arc::new(inner) }, detached: false }
    }

    /// The spawner for this pool.
    pub fn spawner(&self) -> &Spawner {
        &self.spawner
    }

    /// Stops accepting work, cancels queued jobs that have not started and
    /// waits up to `timeout` (`None`: forever) for running jobs. Returns
    /// true if every thread exited in time.
    pub fn shutdown(&self, timeout: Option<Duration>) -> bool {
        let inner = &self.spawner.inner;
        let mut shared = inner.shared.lock();
        if !shared.shutdown {
            shared.shutdown = true;
            inner.work.notify_all();
        }
        let deadline = timeout.and_then(|t| Instant::now().checked_add(t));
        while shared.threads > 0 {
            match deadline {
                None => inner.exited.wait(&mut shared),
                Some(deadline) => {
                    let now = Instant::now();
                    if now >= deadline {
                        return false;
                    }
                    inner.exited.wait_for(&mut shared, deadline - now);
                }
            }
        }
        let handles = std::mem::take(&mut shared.handles);
        drop(shared);
        for handle in handles {
            let _ = handle.join();
        }
        true
    }

    /// Shuts down without waiting: threads still running a job (after a
    /// [`shutdown`](BlockingPool::shutdown) that timed out, say) finish it
    /// on their own.
    ///
    /// They are detached rather than joined, so each one's stack is freed
    /// when it exits, and the pool's shared state goes with the last of
    /// them. Forgetting the pool instead would keep both for the life of
    /// the process.
    pub fn detach(mut self) {
        // Mutant for the loom check: the pool is forgotten, as a timed-out
        // runtime shutdown once did, and its shared state is never freed.
        if cfg!(weft_loom_mutant = "blocking_detach_forgets") {
            self.spawner.inner.shared.lock().shutdown = true;
            self.spawner.inner.work.notify_all();
            std::mem::forget(self);
            return;
        }
        let inner = &self.spawner.inner;
        let mut shared = inner.shared.lock();
        if !shared.shutdown {
            shared.shutdown = true;
            inner.work.notify_all();
        }
        // Dropping a handle detaches its thread.
        let handles = std::mem::take(&mut shared.handles);
        drop(shared);
        drop(handles);
        self.detached = true;
    }
}

impl Drop for BlockingPool {
    fn drop(&mut self) {
        if !self.detached {
            self.shutdown(None);
        }
    }
}

impl Spawner {
    /// Runs `f` on a pool thread; the handle gives its result.
    ///
    /// # Panics
    ///
    /// Panics if no pool thread exists and the OS refuses to start one.
    pub fn spawn_blocking<F, R>(&self, f: F) -> JoinHandle<R>
    where
        F: FnOnce() -> R + Send + 'static,
        R: Send + 'static,
    {
        let (task, join) = task::unowned(BlockingTask(Some(f)), NoSchedule, Id::next());
        if let Err(e) = self.spawn_job(Job::Task { task, mandatory: false }) {
            panic!("weft could not start a blocking-pool thread and none is running: {e}");
        }
        join
    }

    /// Runs `f` on a pool thread that is not counted against the cap and
    /// that runs even if the pool is shutting down. Used for workers.
    pub fn spawn_thread(&self, f: impl FnOnce() + Send + 'static) -> io::Result<()> {
        self.spawn_job(Job::Thread(Box::new(f)))
    }

    fn spawn_job(&self, job: Job) -> io::Result<()> {
        let inner = &self.inner;
        let mut shared = inner.shared.lock();
        let mandatory = matches!(job, Job::Thread(_) | Job::Task { mandatory: true, .. });
        if shared.shutdown && !mandatory {
            drop(shared);
            job.cancel_or_run_if_mandatory();
            return Ok(());
        }
        shared.queue.push_back(job);
        // Mutant `blocking_ignores_notified` (loom builds only): an idle
        // thread that another spawn already claimed counts as free again,
        // so two jobs can end up relying on one thread.
        let free_idle = if cfg!(weft_loom_mutant = "blocking_ignores_notified") {
            shared.idle > 0
        } else {
            shared.idle > shared.notified
        };
        if free_idle {
            shared.notified += 1;
            inner.work.notify_one();
            return Ok(());
        }
        if !mandatory && shared.threads >= inner.config.max_blocking_threads {
            // At the cap: the job waits for a thread to free up.
            return Ok(());
        }
        match self.start_thread() {
            Ok(handle) => {
                shared.threads += 1;
                shared.handles.push(handle);
                Ok(())
            }
            Err(e) if shared.threads > 0 => {
                // A running thread will get to the job later.
                let _ = e;
                Ok(())
            }
            Err(e) => {
                // Take the job back so it is not stranded.
                if let Some(job) = shared.queue.pop_back() {
                    drop(shared);
                    if let Job::Task { task, .. } = job {
                        task.shutdown();
                    }
                }
                Err(e)
            }
        }
    }

    fn start_thread(&self) -> io::Result<thread::JoinHandle<()>> {
        let config = &self.inner.config;
        let mut builder = thread::Builder::new().name((config.thread_name)());
        if let Some(size) = config.thread_stack_size {
            builder = builder.stack_size(size);
        }
        let inner = self.inner.clone();
        builder.spawn(move || inner.run())
    }
}

impl Inner {
    fn run(&self) {
        let _context = self.config.enter.as_ref().map(|enter| enter());
        run_callback(&self.config.on_thread_start);
        let mut shared = self.shared.lock();
        'work: loop {
            while !shared.shutdown {
                let Some(job) = shared.queue.pop_front() else { break };
                drop(shared);
                job.run();
                shared = self.shared.lock();
            }
            if shared.shutdown {
                break;
            }
            shared.idle += 1;
            let deadline = Instant::now().checked_add(self.config.thread_keep_alive);
            loop {
                match deadline {
                    Some(deadline) => self.work.wait_for(&mut shared, deadline.saturating_duration_since(Instant::now())),
                    None => self.work.wait(&mut shared),
                }
                if shared.notified > 0 {
                    shared.notified -= 1;
                    shared.idle -= 1;
                    continue 'work;
                }
                if shared.shutdown {
                    shared.idle -= 1;
                    break 'work;
                }
                if deadline.is_some_and(|d| Instant::now() >= d) {
                    shared.idle -= 1;
                    if shared.queue.is_empty() {
                        shared.threads -= 1;
                        // The handle stays in `handles`; joining an exited
                        // thread at shutdown is instant.
                        drop(shared);
                        run_callback(&self.config.on_thread_stop);
                        return;
                    }
                    continue 'work;
                }
            }
        }
        // Shutdown: what is still queued is cancelled (or run, if
        // mandatory) by the threads that are left.
        while let Some(job) = shared.queue.pop_front() {
            drop(shared);
            job.cancel_or_run_if_mandatory();
            shared = self.shared.lock();
        }
        shared.threads -= 1;
        self.exited.notify_all();
        drop(shared);
        run_callback(&self.config.on_thread_stop);
    }
}

impl fmt::Debug for BlockingPool {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BlockingPool").finish_non_exhaustive()
    }
}

impl fmt::Debug for Spawner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let shared = self.inner.shared.lock();
        f.debug_struct("Spawner")
            .field("threads", &shared.threads)
            .field("idle", &shared.idle)
            .field("queued", &shared.queue.len())
            .finish()
    }
}

#[cfg(test)]
mod tests;
