//! `Timeout`: a future with a time limit.

use super::error::Elapsed;
use super::{Instant, Sleep};
use std::fmt;
use std::future::{Future, IntoFuture};
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;
use weft_scheduler::coop;

/// Runs `future` with a time limit of `duration`: its output in `Ok`, or
/// `Err(Elapsed)` if it has not finished when the time is up (it is then
/// dropped, which cancels it).
///
/// The limit is counted from this call. A duration too large to add to now
/// (such as `Duration::MAX`) means no practical limit. The future is polled
/// before the timer each time, so a future that is ready on its first poll
/// succeeds even with a zero duration, and never registers a timer.
///
/// # Panics
///
/// Panics outside a weft runtime, or in one built without the timer.
///
/// # Examples
///
/// ```
/// use std::time::Duration;
/// use weft::sync::oneshot;
/// use weft::time::timeout;
///
/// #[weft::main]
/// async fn main() {
///     let (_tx, rx) = oneshot::channel::<u32>();
///     // Nobody sends: the receive gives up after 10 ms.
///     let result = timeout(Duration::from_millis(10), rx).await;
///     assert!(result.is_err());
///
///     let quick = timeout(Duration::from_millis(10), async { 7 }).await;
///     assert_eq!(quick, Ok(7));
/// }
/// ```
#[track_caller]
pub fn timeout<F: IntoFuture>(duration: Duration, future: F) -> Timeout<F::IntoFuture> {
    Timeout::new(future.into_future(), Sleep::after(duration))
}

/// Runs `future` until `deadline`: its output in `Ok`, or `Err(Elapsed)`
/// if it has not finished by then (it is then dropped).
///
/// # Panics
///
/// Panics outside a weft runtime, or in one built without the timer.
///
/// # Examples
///
/// ```
/// use std::time::Duration;
/// use weft::time::{sleep, timeout_at, Instant};
///
/// #[weft::main]
/// async fn main() {
///     let deadline = Instant::now() + Duration::from_millis(10);
///     assert!(timeout_at(deadline, sleep(Duration::from_secs(60))).await.is_err());
///     assert!(Instant::now() >= deadline);
/// }
/// ```
#[track_caller]
pub fn timeout_at<F: IntoFuture>(deadline: Instant, future: F) -> Timeout<F::IntoFuture> {
    Timeout::new(future.into_future(), Sleep::at(deadline))
}

/// The future returned by [`timeout`] and [`timeout_at`].
///
/// Each poll polls the wrapped future first, then the timer.
#[must_use = "futures do nothing unless you `.await` or poll them"]
pub struct Timeout<T> {
    value: T,
    delay: Sleep,
}

impl<T> Timeout<T> {
    fn new(value: T, delay: Sleep) -> Timeout<T> {
        Timeout { value, delay }
    }

    /// The wrapped future.
    pub fn get_ref(&self) -> &T {
        &self.value
    }

    /// The wrapped future, mutably.
    pub fn get_mut(&mut self) -> &mut T {
        &mut self.value
    }

    /// Takes the wrapped future out, dropping the timer.
    ///
    /// ```
    /// use std::time::Duration;
    ///
    /// #[weft::main]
    /// async fn main() {
    ///     let limited = weft::time::timeout(Duration::from_secs(1), async { 5 });
    ///     assert_eq!(limited.into_inner().await, 5);
    /// }
    /// ```
    pub fn into_inner(self) -> T {
        self.value
    }

    fn project(self: Pin<&mut Self>) -> (Pin<&mut T>, Pin<&mut Sleep>) {
        // SAFETY: both fields are structurally pinned: they are only ever
        // reached through pinned references made here, `Timeout` has no
        // `Drop` impl that could move them, and it is `Unpin` only if both
        // of them are. The exclusive borrow is split into two disjoint
        // field borrows and is not used to move anything.
        unsafe {
            let this = self.get_unchecked_mut();
            (Pin::new_unchecked(&mut this.value), Pin::new_unchecked(&mut this.delay))
        }
    }
}

impl<T: Future> Future for Timeout<T> {
    type Output = Result<T::Output, Elapsed>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let (value, delay) = self.project();
        let had_budget = coop::has_budget_remaining();
        if let Poll::Ready(output) = value.poll(cx) {
            return Poll::Ready(Ok(output));
        }
        let poll_delay = || delay.poll(cx).map(|()| Err(Elapsed::new()));
        if had_budget && !coop::has_budget_remaining() {
            // The wrapped future spent the last of the budget. Were the
            // timer charged too, a future that always spends the budget
            // would never let the timeout be noticed.
            coop::with_unconstrained(poll_delay)
        } else {
            poll_delay()
        }
    }
}

impl<T: fmt::Debug> fmt::Debug for Timeout<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Timeout").field("value", &self.value).field("delay", &self.delay).finish()
    }
}
