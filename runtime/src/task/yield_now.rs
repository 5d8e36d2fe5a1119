use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

/// Yields to the scheduler: the task steps aside so that the other ready
/// tasks of its thread run before it continues. Tasks that yield together
/// take turns after all of them. On the multi-thread runtime a task that
/// is the only one yielding on its worker waits at most until the worker
/// next polls the I/O and timer drivers (every
/// [`event_interval`](crate::runtime::Builder::event_interval) tasks): a
/// task that yields between rounds of work it hands to others does not
/// wait for a long queue to drain.
///
/// ```
/// #[weft::main(flavor = "current_thread")]
/// async fn main() {
///     let other = weft::spawn(async { "ran while main yielded" });
///     weft::task::yield_now().await;
///     assert!(other.is_finished());
/// }
/// ```
pub async fn yield_now() {
    YieldNow { yielded: false }.await
}

struct YieldNow {
    yielded: bool,
}

impl Future for YieldNow {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.yielded {
            return Poll::Ready(());
        }
        self.yielded = true;
        cx.waker().wake_by_ref();
        Poll::Pending
    }
}
