use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

/// Yields to the scheduler: the task goes to the back of its worker's
/// queue, so every other ready task there runs before it continues.
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
