//! Cooperative budgeting.
//!
//! A task that always finds its resources ready (a channel with messages
//! waiting, a socket with bytes buffered) would never return `Pending` and
//! would starve every other task on its worker. To prevent that, each task
//! poll starts with a budget of [`INITIAL_BUDGET`] units. Every resource
//! operation calls [`poll_proceed`], which spends one unit; once the budget
//! is spent, resources answer `Pending` (after waking the task), so the task
//! yields to the scheduler and is polled again later with a fresh budget.
//!
//! The scheduler wraps each task poll in [`budget`]. Code outside a task poll
//! (a `block_on` of a plain future, a thread that is not a worker) is
//! unconstrained unless it opts in.
//!
//! # Example
//!
//! A resource's `poll` method charges the budget like this:
//!
//! ```
//! use std::task::{Context, Poll};
//! use weft_scheduler::coop;
//!
//! fn poll_take(ready: bool, cx: &mut Context<'_>) -> Poll<u32> {
//!     let restore = std::task::ready!(coop::poll_proceed(cx));
//!     if ready {
//!         restore.made_progress();
//!         Poll::Ready(7)
//!     } else {
//!         // `restore` is dropped without progress: the unit is given back.
//!         Poll::Pending
//!     }
//! }
//! # let waker = std::task::Waker::noop();
//! # let mut cx = Context::from_waker(&waker);
//! # assert_eq!(coop::budget(|| poll_take(true, &mut cx)), Poll::Ready(7));
//! ```

use std::cell::Cell;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

/// Units of work a task may do in one poll before resources push it back.
pub const INITIAL_BUDGET: u8 = 128;

/// `None` means unconstrained.
#[derive(Clone, Copy, Debug)]
struct Budget(Option<u8>);

crate::loom::thread_local! {
    static CURRENT: Cell<Budget> = const { Cell::new(Budget(None)) };
}

#[inline]
fn get() -> Budget {
    CURRENT.try_with(Cell::get).unwrap_or(Budget(None))
}

#[inline]
fn set(budget: Budget) {
    let _ = CURRENT.try_with(|cell| cell.set(budget));
}

/// Restores the previous budget when a scoped section ends, also on unwind.
struct ResetGuard(Budget);

impl Drop for ResetGuard {
    #[inline]
    fn drop(&mut self) {
        set(self.0);
    }
}

fn with_budget<R>(budget: Budget, f: impl FnOnce() -> R) -> R {
    let prev = get();
    set(budget);
    let _reset = ResetGuard(prev);
    f()
}

/// Runs `f` with a fresh budget of [`INITIAL_BUDGET`] units. The scheduler
/// calls this around every task poll.
pub fn budget<R>(f: impl FnOnce() -> R) -> R {
    with_budget(Budget(Some(INITIAL_BUDGET)), f)
}

/// As [`budget`], and also tells whether `f` spent the whole budget (so
/// a resource most likely pushed it back). The scheduler polls tasks this
/// way, to tell a task that ran out of budget on ready resources from one
/// that yielded on its own.
///
/// ```
/// use std::sync::Arc;
/// use std::task::{Context, Poll, Wake, Waker};
/// use weft_scheduler::coop;
///
/// struct Noop;
/// impl Wake for Noop {
///     fn wake(self: Arc<Self>) {}
/// }
/// let waker = Waker::from(Arc::new(Noop));
/// let mut cx = Context::from_waker(&waker);
/// // A poll that keeps finding its resource ready spends the budget.
/// let ((), ran_out) = coop::budget_and_ran_out(|| {
///     while let Poll::Ready(progress) = coop::poll_proceed(&mut cx) {
///         progress.made_progress();
///     }
/// });
/// assert!(ran_out);
/// // A poll that spends a little does not.
/// let ((), ran_out) = coop::budget_and_ran_out(|| {
///     if let Poll::Ready(progress) = coop::poll_proceed(&mut cx) {
///         progress.made_progress();
///     }
/// });
/// assert!(!ran_out);
/// ```
pub fn budget_and_ran_out<R>(f: impl FnOnce() -> R) -> (R, bool) {
    with_budget(Budget(Some(INITIAL_BUDGET)), || {
        let result = f();
        (result, get().0 == Some(0))
    })
}

/// Runs `f` with no budget: resources never push it back.
pub fn with_unconstrained<R>(f: impl FnOnce() -> R) -> R {
    with_budget(Budget(None), f)
}

/// True when the current task may still do work before it must yield.
#[inline]
pub fn has_budget_remaining() -> bool {
    get().0 != Some(0)
}

/// Spends one unit of the current budget.
///
/// Returns `Pending` (after waking the task through `cx`) when the budget is
/// spent. On `Ready`, the returned guard gives the unit back when dropped
/// unless [`RestoreOnPending::made_progress`] is called, so an operation
/// that ends up `Pending` costs nothing.
#[inline]
pub fn poll_proceed(cx: &mut Context<'_>) -> Poll<RestoreOnPending> {
    let current = get();
    match current.0 {
        None => Poll::Ready(RestoreOnPending(Cell::new(current))),
        Some(0) => {
            cx.waker().wake_by_ref();
            Poll::Pending
        }
        Some(n) => {
            set(Budget(Some(n - 1)));
            Poll::Ready(RestoreOnPending(Cell::new(current)))
        }
    }
}

/// Gives a budget unit back unless the operation made progress.
#[derive(Debug)]
#[must_use = "dropping the guard at once gives the unit straight back"]
pub struct RestoreOnPending(Cell<Budget>);

impl RestoreOnPending {
    /// Keeps the unit spent: the operation did its work.
    #[inline]
    pub fn made_progress(&self) {
        self.0.set(Budget(None));
    }
}

impl Drop for RestoreOnPending {
    #[inline]
    fn drop(&mut self) {
        let previous = self.0.get();
        if previous.0.is_some() {
            set(previous);
        }
    }
}

/// Spends one unit of budget, yielding to the scheduler first if the budget
/// is already spent. Loops that do work without touching any weft resource
/// can call this to stay fair to other tasks.
pub async fn consume_budget() {
    ConsumeBudget { done: false }.await
}

struct ConsumeBudget {
    done: bool,
}

impl Future for ConsumeBudget {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.done {
            return Poll::Ready(());
        }
        let restore = std::task::ready!(poll_proceed(cx));
        restore.made_progress();
        self.done = true;
        Poll::Ready(())
    }
}

#[cfg(test)]
mod tests;
