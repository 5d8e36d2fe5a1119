//! Charging the scheduler's coop budget around composite futures.

use std::future::{poll_fn, Future};
use std::pin::pin;
use std::task::{ready, Poll};

use weft_scheduler::coop;

/// Runs `fut`, spending one unit of the task's budget when it completes
/// and yielding first when the budget is spent.
///
/// For operations built from other futures (a watch `changed`, a barrier
/// `wait`) that can complete without ever waiting: without this, a task
/// looping on one that is always ready would never yield.
pub(crate) async fn cooperative<F: Future>(fut: F) -> F::Output {
    let mut fut = pin!(fut);
    poll_fn(|cx| {
        let restore = ready!(coop::poll_proceed(cx));
        let output = ready!(fut.as_mut().poll(cx));
        restore.made_progress();
        Poll::Ready(output)
    })
    .await
}
