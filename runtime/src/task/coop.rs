//! Cooperative scheduling: the budget that keeps one busy task from
//! starving the others on its worker.
//!
//! Each time the scheduler polls a task, the task gets a budget of
//! operations. Every weft resource (a socket read, a channel receive, a
//! lock, a timer) spends one unit when it is ready, and once the budget is
//! spent it answers `Pending` (after waking the task) even if it could
//! proceed, so the task goes back to the queue and its neighbours run.
//! A loop that always finds its resource ready therefore still yields.
//!
//! Code that does not go through weft's resources can take part too:
//! [`consume_budget`] spends a unit from an `async` loop, [`cooperative`]
//! charges an arbitrary future, and [`poll_proceed`] is the building block
//! for hand-written futures. [`unconstrained`] runs a future with no
//! budget at all.
//!
//! ```
//! use weft::task::coop;
//!
//! # weft::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
//! let mut sum = 0u64;
//! for i in 0..10_000 {
//!     sum += i;
//!     // A CPU-bound loop gives the scheduler its turn now and then.
//!     coop::consume_budget().await;
//! }
//! assert_eq!(sum, 49_995_000);
//! # });
//! ```

use std::future::Future;
use std::pin::Pin;
use std::task::{ready, Context, Poll};

pub use weft_scheduler::coop::{consume_budget, has_budget_remaining, poll_proceed, RestoreOnPending};

/// Wraps `future` so that each poll spends a unit of the task's budget, as
/// weft's own resources do: once the budget is spent, the wrapper returns
/// `Pending` (and wakes the task) without polling `future`.
///
/// A poll that leaves `future` pending gives the unit back, so waiting
/// costs nothing; only completing does.
///
/// # Examples
///
/// ```
/// use weft::task::coop;
///
/// # weft::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
/// // A future that is always ready would never yield on its own.
/// let mut total = 0;
/// for _ in 0..1_000 {
///     total += coop::cooperative(std::future::ready(1)).await;
/// }
/// assert_eq!(total, 1_000);
/// # });
/// ```
pub fn cooperative<F: Future>(future: F) -> Coop<F> {
    Coop { future }
}

/// The future returned by [`cooperative`].
#[derive(Debug)]
#[must_use = "futures do nothing unless awaited or polled"]
pub struct Coop<F> {
    future: F,
}

impl<F: Future> Future for Coop<F> {
    type Output = F::Output;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let restore = ready!(poll_proceed(cx));
        // SAFETY: `future` is pinned with `Coop`: it is never moved out of
        // or replaced, and `Coop` has no `Drop` of its own.
        let future = unsafe { self.map_unchecked_mut(|coop| &mut coop.future) };
        let output = ready!(future.poll(cx));
        restore.made_progress();
        Poll::Ready(output)
    }
}

/// Runs `future` with no cooperative budget: weft's resources inside it
/// never force it to yield. Use sparingly: a task that is always ready can
/// then hold its worker and starve the tasks queued behind it.
///
/// # Examples
///
/// ```
/// use weft::sync::mpsc;
/// use weft::task::coop;
///
/// # weft::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
/// let (tx, mut rx) = mpsc::unbounded_channel();
/// for i in 0..1_000 {
///     tx.send(i).unwrap();
/// }
/// drop(tx);
/// // Drains the channel in one go, never pushed back by the budget.
/// let count = coop::unconstrained(async {
///     let mut count = 0;
///     while rx.recv().await.is_some() {
///         count += 1;
///     }
///     count
/// })
/// .await;
/// assert_eq!(count, 1_000);
/// # });
/// ```
pub fn unconstrained<F: Future>(future: F) -> Unconstrained<F> {
    Unconstrained { future }
}

/// The future returned by [`unconstrained`].
#[derive(Debug)]
#[must_use = "futures do nothing unless awaited or polled"]
pub struct Unconstrained<F> {
    future: F,
}

impl<F: Future> Future for Unconstrained<F> {
    type Output = F::Output;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        // SAFETY: as for `Coop`: `future` is structurally pinned and
        // `Unconstrained` has no `Drop` of its own.
        let future = unsafe { self.map_unchecked_mut(|this| &mut this.future) };
        weft_scheduler::coop::with_unconstrained(|| future.poll(cx))
    }
}
