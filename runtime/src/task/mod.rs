//! Tasks: spawning, joining, yielding, and running blocking code.
//!
//! A task is a future handed to the runtime with [`spawn`]; it runs
//! concurrently with the code that spawned it, on any worker of a
//! multi-thread runtime. Awaiting its [`JoinHandle`] gives its output.
//!
//! ```
//! #[weft::main]
//! async fn main() {
//!     let tasks: Vec<_> = (0..4).map(|i| weft::spawn(async move { i * i })).collect();
//!     let mut sum = 0;
//!     for task in tasks {
//!         sum += task.await.unwrap();
//!     }
//!     assert_eq!(sum, 14);
//! }
//! ```
//!
//! Blocking code (a synchronous library, a long computation) must not run
//! directly in a task: it would hold the worker thread and stall every
//! other task queued there. Hand it to [`spawn_blocking`] instead.

pub mod coop;
mod join_set;
mod local;
mod task_local;
mod yield_now;

pub use coop::{consume_budget, unconstrained, Unconstrained};
pub use weft_scheduler::task::{AbortHandle, Id, JoinError, JoinHandle};
pub use join_set::JoinSet;
pub use local::{spawn_local, LocalEnterGuard, LocalSet};
pub use task_local::{AccessError, LocalKey};
pub use yield_now::yield_now;
#[cfg(loom)]
pub(crate) use join_set::loom_internals as join_set_loom;

/// Futures returned by the functions of this module.
pub mod futures {
    pub use super::task_local::TaskLocalFuture;
}

use crate::runtime::context;
use std::future::Future;

/// Spawns a future as a new task on the current runtime.
///
/// The task starts running right away, concurrently with the caller; it
/// keeps running if the returned [`JoinHandle`] is dropped.
///
/// # Panics
///
/// Panics outside a weft runtime, with a message that says so.
///
/// ```
/// #[weft::main(flavor = "current_thread")]
/// async fn main() {
///     let handle = weft::spawn(async { "hello from a task" });
///     assert_eq!(handle.await.unwrap(), "hello from a task");
/// }
/// ```
#[track_caller]
pub fn spawn<F>(future: F) -> JoinHandle<F::Output>
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    match context::with_current(|h| h.spawn(future)) {
        Ok(join) => join,
        Err(_) => panic!("`weft::spawn` was called outside a weft runtime: {}", context::NO_RUNTIME),
    }
}

/// Runs a blocking closure on the runtime's blocking pool and returns a
/// handle to its result.
///
/// This is weft's `asyncio.to_thread`: use it for synchronous I/O, a
/// blocking library call, or a long computation, so that the async tasks
/// keep running meanwhile. A started closure cannot be cancelled; aborting
/// its handle only prevents a closure that has not started from running.
///
/// # Panics
///
/// Panics outside a weft runtime.
///
/// ```
/// #[weft::main]
/// async fn main() {
///     let digest = weft::task::spawn_blocking(|| {
///         (1..=1000u64).map(|x| x * x).sum::<u64>()
///     })
///     .await
///     .unwrap();
///     assert_eq!(digest, 333_833_500);
/// }
/// ```
#[track_caller]
pub fn spawn_blocking<F, R>(f: F) -> JoinHandle<R>
where
    F: FnOnce() -> R + Send + 'static,
    R: Send + 'static,
{
    match context::with_current(|h| h.spawn_blocking(f)) {
        Ok(join) => join,
        Err(_) => panic!("`weft::task::spawn_blocking` was called outside a weft runtime: {}", context::NO_RUNTIME),
    }
}

/// Runs blocking code on the current worker thread after handing the
/// worker's queued tasks to a new thread, so they keep running.
///
/// Cheaper than [`spawn_blocking`] when the closure borrows from the
/// task, since nothing has to be `'static` or `Send`. Outside a runtime it
/// just runs `f`.
///
/// # Panics
///
/// Panics on a current-thread runtime, whose single thread has no one to
/// hand its tasks to; use [`spawn_blocking`] there.
///
/// ```
/// #[weft::main(flavor = "multi_thread", worker_threads = 2)]
/// async fn main() {
///     let data = vec![1, 2, 3];
///     let total: i32 = weft::task::block_in_place(|| data.iter().sum());
///     assert_eq!(total, 6);
/// }
/// ```
#[track_caller]
pub fn block_in_place<F: FnOnce() -> R, R>(f: F) -> R {
    if weft_scheduler::current_thread::is_driving() {
        panic!(
            "`block_in_place` cannot be used on a current_thread runtime: its one thread runs every task \
             and there is no other thread to hand them to. Use `weft::task::spawn_blocking`, or a \
             multi-thread runtime"
        );
    }
    weft_scheduler::multi_thread::block_in_place(f)
}

/// The id of the task that calls it.
///
/// # Panics
///
/// Panics outside a task; see [`try_id`].
#[track_caller]
pub fn id() -> Id {
    try_id().expect("`weft::task::id()` was called outside a task; use `try_id()` to get an Option")
}

/// The id of the task that calls it, or `None` outside a task.
pub fn try_id() -> Option<Id> {
    weft_scheduler::task::try_id()
}

