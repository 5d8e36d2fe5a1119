//! The runtime: the scheduler, the I/O and timer drivers and the blocking
//! pool, built by a [`Builder`] and driven by [`Runtime::block_on`].
//!
//! Most programs never touch this module: `#[weft::main]` builds a
//! multi-thread runtime with everything enabled and runs `main` on it.
//!
//! ```
//! use weft::runtime::Runtime;
//!
//! let rt = Runtime::new().unwrap();
//! let answer = rt.block_on(async {
//!     let task = weft::spawn(async { 21 * 2 });
//!     task.await.unwrap()
//! });
//! assert_eq!(answer, 42);
//! ```

mod builder;
pub(crate) mod context;
pub(crate) mod driver;
mod handle;

pub use builder::Builder;
pub use handle::{EnterGuard, Handle};

use std::fmt;
use std::future::Future;
use std::io;
use std::time::Duration;
use weft_scheduler::blocking::BlockingPool;

/// A weft runtime. Dropping it cancels every task (dropping each future
/// once), waits for the workers and for running blocking tasks, and frees
/// its resources.
pub struct Runtime {
    handle: Handle,
    pool: Option<BlockingPool>,
    kind: Kind,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    CurrentThread,
    MultiThread,
}

/// The flavor of a runtime.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum RuntimeFlavor {
    /// All tasks run on the thread in `block_on`.
    CurrentThread,
    /// Tasks run on a pool of work-stealing worker threads.
    MultiThread,
}

/// A runtime's id, unique in the process.
#[derive(Clone, Copy, Debug, Hash, PartialEq, Eq)]
pub struct Id(u64);

impl Id {
    fn next() -> Id {
        Id(weft_scheduler::task::Id::next().as_u64())
    }
}

impl fmt::Display for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// Returned by [`Handle::try_current`] outside a runtime.
#[derive(Debug)]
pub struct TryCurrentError {
    destroyed: bool,
}

impl TryCurrentError {
    /// True when no runtime was entered on this thread.
    pub fn is_missing_context(&self) -> bool {
        !self.destroyed
    }

    /// True when the thread-local context was already destroyed (the
    /// thread is exiting).
    pub fn is_thread_local_destroyed(&self) -> bool {
        self.destroyed
    }
}

impl From<context::NoContext> for TryCurrentError {
    fn from(e: context::NoContext) -> Self {
        TryCurrentError { destroyed: e == context::NoContext::ThreadLocalDestroyed }
    }
}

impl fmt::Display for TryCurrentError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.destroyed {
            f.write_str("the weft runtime context of this thread was already destroyed (the thread is exiting)")
        } else {
            f.write_str(context::NO_RUNTIME)
        }
    }
}

impl std::error::Error for TryCurrentError {}

/// Statistics of a runtime.
#[derive(Debug, Clone)]
pub struct RuntimeMetrics {
    handle: Handle,
}

impl RuntimeMetrics {
    /// Number of worker threads (1 for a current-thread runtime).
    pub fn num_workers(&self) -> usize {
        match &self.handle.inner.scheduler {
            handle::Scheduler::CurrentThread(_) => 1,
            handle::Scheduler::MultiThread(h) => h.num_workers(),
        }
    }

    /// Number of tasks spawned and not yet finished.
    pub fn num_alive_tasks(&self) -> usize {
        match &self.handle.inner.scheduler {
            handle::Scheduler::CurrentThread(h) => h.num_alive_tasks(),
            handle::Scheduler::MultiThread(h) => h.num_alive_tasks(),
        }
    }
}

impl Runtime {
    /// A multi-thread runtime with I/O and timers enabled and one worker
    /// per CPU.
    pub fn new() -> io::Result<Runtime> {
        Builder::new_multi_thread().enable_all().build()
    }

    /// Runs `future` to completion on this thread, inside the runtime.
    ///
    /// On a current-thread runtime, this thread also runs every spawned
    /// task while it waits. On a multi-thread runtime the workers run the
    /// tasks and this thread only waits for `future`.
    ///
    /// # Panics
    ///
    /// Panics if called from a thread that is already driving async tasks
    /// (inside a task or another `block_on`); use `.await` there instead.
    ///
    /// ```should_panic
    /// let rt = weft::runtime::Runtime::new().unwrap();
    /// rt.block_on(async {
    ///     // Blocking a runtime thread on another future would stall it.
    ///     weft::runtime::Handle::current().block_on(async {});
    /// });
    /// ```
    #[track_caller]
    pub fn block_on<F: Future>(&self, future: F) -> F::Output {
        self.handle.block_on(future)
    }

    /// Spawns a task onto the runtime.
    #[track_caller]
    pub fn spawn<F>(&self, future: F) -> crate::task::JoinHandle<F::Output>
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static,
    {
        self.handle.spawn(future)
    }

    /// Runs a blocking closure on the runtime's blocking pool.
    #[track_caller]
    pub fn spawn_blocking<F, R>(&self, f: F) -> crate::task::JoinHandle<R>
    where
        F: FnOnce() -> R + Send + 'static,
        R: Send + 'static,
    {
        self.handle.spawn_blocking(f)
    }

    /// The runtime's handle.
    pub fn handle(&self) -> &Handle {
        &self.handle
    }

    /// Enters the runtime's context on this thread.
    pub fn enter(&self) -> EnterGuard<'_> {
        self.handle.enter()
    }

    /// Runtime statistics.
    pub fn metrics(&self) -> RuntimeMetrics {
        self.handle.metrics()
    }

    /// Shuts down, waiting at most `timeout` for blocking tasks that are
    /// still running (they cannot be cancelled; their threads are left to
    /// finish on their own after the timeout).
    pub fn shutdown_timeout(mut self, timeout: Duration) {
        self.shutdown(Some(timeout));
    }

    /// Shuts down without waiting for blocking tasks. Safe to call from
    /// async code.
    pub fn shutdown_background(mut self) {
        self.shutdown(Some(Duration::ZERO));
    }

    fn shutdown(&mut self, timeout: Option<Duration>) {
        let Some(pool) = self.pool.take() else { return };
        if self.kind == Kind::CurrentThread {
            let _enter = self.handle.enter();
            self.handle.shutdown_scheduler();
        } else {
            self.handle.shutdown_scheduler();
        }
        if !pool.shutdown(timeout) {
            // Threads still finishing blocking work exit on their own; the
            // pool must not wait for them when dropped.
            pool.detach();
        }
    }
}

impl Drop for Runtime {
    fn drop(&mut self) {
        if self.pool.is_some() && context::is_driving_tasks() {
            if std::thread::panicking() {
                // A second panic while unwinding would abort the process:
                // shut down without waiting instead.
                return self.shutdown(Some(Duration::ZERO));
            }
            panic!(
                "a weft runtime was dropped on a thread that drives async tasks: dropping waits for the \
                 runtime's threads, which would stall this one. Drop it from synchronous code, or call \
                 `shutdown_background()`"
            );
        }
        self.shutdown(None);
    }
}

impl fmt::Debug for Runtime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Runtime").field("handle", &self.handle).finish()
    }
}
