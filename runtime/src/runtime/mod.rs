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

/// `true` if `err` is the error weft's I/O resources (sockets, pipes,
/// [`AsyncFd`](crate::io::unix::AsyncFd), ...) return once the runtime they
/// were created in has shut down or been dropped; `false` for any other
/// error, including every error from the operating system.
///
/// A resource stays tied to the runtime it was created in. Once that
/// runtime is gone, no readiness reaches the resource again, and every
/// operation that would wait for it fails with this error, even when it is
/// awaited on another runtime.
///
/// # Examples
///
/// ```
/// use weft::net::TcpListener;
/// use weft::runtime::Runtime;
///
/// let first = Runtime::new().unwrap();
/// let second = Runtime::new().unwrap();
/// let listener = first.block_on(TcpListener::bind("127.0.0.1:0")).unwrap();
/// drop(first);
///
/// second.block_on(async {
///     let err = listener.accept().await.unwrap_err();
///     assert!(weft::runtime::is_rt_shutdown_err(&err));
/// });
/// ```
pub fn is_rt_shutdown_err(err: &io::Error) -> bool {
    weft_reactor::is_shutdown_error(err)
}

/// The index of the runtime worker this code runs on, or `None` if it does
/// not run on one.
///
/// On a multi-thread runtime the indices go from `0` to the number of
/// workers (exclusive) and are the worker indices of [`RuntimeMetrics`], so
/// a task can find its worker's statistics. The thread in
/// [`Runtime::block_on`] is not a worker there, nor are the threads of the
/// blocking pool ([`spawn_blocking`](crate::task::spawn_blocking)), nor a
/// thread inside [`block_in_place`](crate::task::block_in_place) once it has
/// handed its worker to another thread: all of them get `None`.
///
/// On a current-thread runtime, the one worker is the thread that is
/// running the runtime's tasks inside `block_on`, which gets `Some(0)`.
/// Another thread waiting in `block_on` of the same runtime meanwhile gets
/// `None`.
///
/// Outside any runtime the answer is `None`. A task may move to another
/// worker whenever it waits, so the index can differ after an `.await`.
///
/// Reading it costs a thread-local lookup or two.
///
/// # Examples
///
/// ```
/// #[weft::main(worker_threads = 2)]
/// async fn main() {
///     let index = weft::spawn(async { weft::runtime::worker_index() }).await.unwrap();
///     assert!(matches!(index, Some(0 | 1)));
///     // The thread of `main`'s body is not one of the workers.
///     assert_eq!(weft::runtime::worker_index(), None);
/// }
/// ```
pub fn worker_index() -> Option<usize> {
    if weft_scheduler::current_thread::is_driving() {
        return Some(0);
    }
    weft_scheduler::multi_thread::worker_index()
}

/// Statistics of a runtime, read while it runs.
///
/// Obtained from [`Runtime::metrics`] or [`Handle::metrics`]; cheap to
/// clone, and it keeps only a handle to the runtime. Each reading is a
/// snapshot: the runtime's threads keep counting while you look.
///
/// The per-worker methods take a worker index from `0` to
/// [`num_workers()`](Self::num_workers) (exclusive); an index names the
/// same worker for the runtime's whole life. A current-thread runtime has
/// one worker, index `0`: the thread in `block_on` that runs the tasks.
///
/// # Examples
///
/// ```
/// use weft::runtime::Builder;
///
/// let rt = Builder::new_multi_thread().worker_threads(2).build().unwrap();
/// let metrics = rt.metrics();
/// rt.block_on(async {
///     weft::spawn(async {}).await.unwrap();
/// });
/// for worker in 0..metrics.num_workers() {
///     println!(
///         "worker {worker}: parked {} times, busy for {:?}",
///         metrics.worker_park_count(worker),
///         metrics.worker_total_busy_duration(worker),
///     );
/// }
/// ```
#[derive(Debug, Clone)]
pub struct RuntimeMetrics {
    handle: Handle,
}

impl RuntimeMetrics {
    /// Number of worker threads (1 for a current-thread runtime).
    ///
    /// ```
    /// let rt = weft::runtime::Builder::new_multi_thread().worker_threads(3).build().unwrap();
    /// assert_eq!(rt.metrics().num_workers(), 3);
    /// ```
    pub fn num_workers(&self) -> usize {
        match &self.handle.inner.scheduler {
            handle::Scheduler::CurrentThread(_) => 1,
            handle::Scheduler::MultiThread(h) => h.num_workers(),
        }
    }

    /// Number of tasks spawned and not yet finished.
    ///
    /// On a multi-thread runtime a task is counted until its worker has
    /// released it, which may be a moment after its `JoinHandle` resolved.
    ///
    /// ```
    /// let rt = weft::runtime::Builder::new_current_thread().build().unwrap();
    /// let task = rt.spawn(async {});
    /// assert_eq!(rt.metrics().num_alive_tasks(), 1);
    /// rt.block_on(task).unwrap();
    /// assert_eq!(rt.metrics().num_alive_tasks(), 0);
    /// ```
    pub fn num_alive_tasks(&self) -> usize {
        match &self.handle.inner.scheduler {
            handle::Scheduler::CurrentThread(h) => h.num_alive_tasks(),
            handle::Scheduler::MultiThread(h) => h.num_alive_tasks(),
        }
    }

    /// Number of tasks waiting in the runtime's global queue right now.
    ///
    /// Tasks spawned or woken from a thread that is not one of the
    /// runtime's workers (another thread, a `block_on` on a multi-thread
    /// runtime) queue there until a worker takes them; tasks a worker
    /// spawns or wakes go to its own queue and are not counted. The value
    /// rises and falls as work arrives and is taken.
    ///
    /// ```
    /// let rt = weft::runtime::Builder::new_current_thread().build().unwrap();
    /// // No thread runs this runtime's tasks until `block_on`.
    /// let tasks: Vec<_> = (0..3).map(|_| rt.spawn(async {})).collect();
    /// assert_eq!(rt.metrics().global_queue_depth(), 3);
    /// rt.block_on(async {
    ///     for task in tasks {
    ///         task.await.unwrap();
    ///     }
    /// });
    /// assert_eq!(rt.metrics().global_queue_depth(), 0);
    /// ```
    pub fn global_queue_depth(&self) -> usize {
        match &self.handle.inner.scheduler {
            handle::Scheduler::CurrentThread(h) => h.global_queue_depth(),
            handle::Scheduler::MultiThread(h) => h.global_queue_depth(),
        }
    }

    /// Total time worker `worker` has spent running since the runtime
    /// started: polling tasks, looking for work, polling I/O and timers;
    /// everything but sleeping for lack of work. A worker that is busy
    /// most of the time is loaded and gets to I/O and timers less often.
    ///
    /// It only grows. A worker adds to it each time it parks and, while
    /// it keeps running, about every
    /// [`event_interval`](Builder::event_interval) polls (when it also
    /// checks I/O and timers), so a worker that never runs out of work
    /// reports its time too; a single poll that runs long counts once it
    /// returns. A current-thread runtime's worker
    /// is busy only while a thread runs its tasks in `block_on`.
    ///
    /// # Panics
    ///
    /// Panics if `worker` is not below [`num_workers()`](Self::num_workers).
    ///
    /// # Examples
    ///
    /// ```
    /// let rt = weft::runtime::Builder::new_current_thread().enable_time().build().unwrap();
    /// rt.block_on(async {
    ///     let start = std::time::Instant::now();
    ///     while start.elapsed() < std::time::Duration::from_millis(2) {}
    ///     // Parking publishes the busy time.
    ///     weft::time::sleep(std::time::Duration::from_millis(1)).await;
    /// });
    /// assert!(rt.metrics().worker_total_busy_duration(0) >= std::time::Duration::from_millis(2));
    /// ```
    #[track_caller]
    pub fn worker_total_busy_duration(&self, worker: usize) -> Duration {
        self.worker(worker).busy_duration()
    }

    /// How many times worker `worker` has parked: gone to sleep because it
    /// found no work, until a task, an I/O event or a timer woke it. It
    /// only grows; a fast-rising count means a worker often runs dry.
    ///
    /// # Panics
    ///
    /// Panics if `worker` is not below [`num_workers()`](Self::num_workers).
    ///
    /// # Examples
    ///
    /// ```
    /// let rt = weft::runtime::Builder::new_current_thread().enable_time().build().unwrap();
    /// rt.block_on(async { weft::time::sleep(std::time::Duration::from_millis(1)).await });
    /// // Nothing else to do while it waited for the timer: it parked.
    /// assert!(rt.metrics().worker_park_count(0) >= 1);
    /// ```
    #[track_caller]
    pub fn worker_park_count(&self, worker: usize) -> u64 {
        self.worker(worker).park_count()
    }

    /// Parks and wake-ups of worker `worker` together: one added when it
    /// parks, one more when it wakes. An odd value means the worker is
    /// asleep at the moment of the reading, an even one that it is
    /// running. It only grows.
    ///
    /// # Panics
    ///
    /// Panics if `worker` is not below [`num_workers()`](Self::num_workers).
    ///
    /// # Examples
    ///
    /// ```
    /// let rt = weft::runtime::Builder::new_multi_thread().worker_threads(1).build().unwrap();
    /// let metrics = rt.metrics();
    /// let count = metrics.worker_park_unpark_count(0);
    /// if count % 2 == 1 {
    ///     println!("worker 0 is parked");
    /// } else {
    ///     println!("worker 0 is running");
    /// }
    /// assert!(metrics.worker_park_count(0) >= count / 2);
    /// ```
    #[track_caller]
    pub fn worker_park_unpark_count(&self, worker: usize) -> u64 {
        self.worker(worker).park_unpark_count()
    }

    #[track_caller]
    fn worker(&self, worker: usize) -> &weft_scheduler::metrics::WorkerMetrics {
        let n = self.num_workers();
        assert!(
            worker < n,
            "worker index {worker} is out of range: this runtime has {n} worker{} (indices 0..{n})",
            if n == 1 { "" } else { "s" }
        );
        match &self.handle.inner.scheduler {
            handle::Scheduler::CurrentThread(h) => h.worker_metrics(),
            handle::Scheduler::MultiThread(h) => h.worker_metrics(worker),
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
