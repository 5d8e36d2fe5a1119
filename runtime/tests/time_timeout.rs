//! `timeout`, `timeout_at`, `Timeout` and `error::Elapsed`.

#[path = "support/time_util.rs"]
mod time_util;

use std::future::{pending, Future};
use std::pin::{pin, Pin};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;
use time_util::{guard, ms, poll_once};
use weft::time::error::Elapsed;
use weft::time::{sleep, timeout, timeout_at, Instant};

/// Pending on its first poll (waking itself at once), ready on the second.
struct PendingOnce {
    polled: bool,
}

impl Future for PendingOnce {
    type Output = &'static str;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<&'static str> {
        if self.polled {
            return Poll::Ready("done");
        }
        self.polled = true;
        cx.waker().wake_by_ref();
        Poll::Pending
    }
}

#[weft::test(start_paused = true)]
async fn fires_at_the_deadline() {
    let _wd = guard();
    let start = Instant::now();
    let result: Result<(), Elapsed> = timeout(ms(100), pending::<()>()).await;
    assert!(result.is_err());
    assert_eq!(Instant::now(), start + ms(100));
}

#[weft::test(start_paused = true)]
async fn does_not_fire_when_the_future_wins() {
    let _wd = guard();
    let start = Instant::now();
    let result = timeout(ms(100), async {
        sleep(ms(40)).await;
        5
    })
    .await;
    assert_eq!(result, Ok(5));
    assert_eq!(Instant::now(), start + ms(40));
    // Neither does it later: nothing else is waiting, so the clock only
    // moves for this sleep.
    sleep(ms(200)).await;
    assert_eq!(Instant::now(), start + ms(240));
}

#[weft::test(start_paused = true)]
async fn a_future_pending_once_completes_through_a_registered_timer() {
    let _wd = guard();
    let start = Instant::now();
    for _ in 0..1000 {
        assert_eq!(
            timeout(ms(10), PendingOnce { polled: false }).await,
            Ok("done")
        );
    }
    assert_eq!(Instant::now(), start);
}

#[weft::test(start_paused = true)]
async fn the_future_is_polled_before_the_timer() {
    let _wd = guard();
    // Even with no time at all, a ready future wins.
    assert_eq!(timeout(Duration::ZERO, async { 1 }).await, Ok(1));
    let past = Instant::now() - ms(10);
    assert_eq!(timeout_at(past, async { 2 }).await, Ok(2));
    // And a pending one loses on the first poll.
    let mut t = pin!(timeout(Duration::ZERO, pending::<()>()));
    assert!(matches!(poll_once(t.as_mut()).await, Poll::Ready(Err(_))));
}

#[weft::test(start_paused = true)]
async fn far_future_timeouts_never_overflow() {
    let _wd = guard();
    assert_eq!(timeout(Duration::MAX, async { 3 }).await, Ok(3));
    let far = Instant::now() + Duration::from_secs(86_400 * 365 * 100);
    assert_eq!(timeout_at(far, async { 4 }).await, Ok(4));
    // Registered, then cancelled by the inner future finishing first.
    assert_eq!(
        timeout(Duration::MAX, PendingOnce { polled: false }).await,
        Ok("done")
    );
    let start = Instant::now();
    assert_eq!(timeout(Duration::MAX, sleep(ms(20))).await, Ok(()));
    assert_eq!(start.elapsed(), ms(20));
}

#[weft::test(start_paused = true)]
async fn timeout_at_uses_the_given_deadline() {
    let _wd = guard();
    let deadline = Instant::now() + ms(75);
    assert!(timeout_at(deadline, sleep(ms(76))).await.is_err());
    assert_eq!(Instant::now(), deadline);
    let deadline = Instant::now() + ms(75);
    assert!(timeout_at(deadline, sleep(ms(75))).await.is_ok());
}

#[weft::test(start_paused = true)]
async fn accessors_reach_the_inner_future() {
    let _wd = guard();
    let mut limited = timeout(ms(10), PendingOnce { polled: false });
    assert!(!limited.get_ref().polled);
    limited.get_mut().polled = true;
    assert!(limited.get_ref().polled);
    let mut limited = pin!(limited);
    assert_eq!(poll_once(limited.as_mut()).await, Poll::Ready(Ok("done")));

    let limited = timeout(ms(10), async { 9 });
    assert_eq!(limited.into_inner().await, 9);
    assert!(format!("{:?}", timeout(ms(1), std::future::ready(1))).contains("Timeout"));
}

#[weft::test(start_paused = true)]
async fn elapsed_displays_and_converts_to_io_error() {
    let _wd = guard();
    let err = timeout(ms(1), pending::<()>()).await.unwrap_err();
    assert_eq!(err.to_string(), "deadline has elapsed");
    let io: std::io::Error = err.into();
    assert_eq!(io.kind(), std::io::ErrorKind::TimedOut);
    assert_eq!(io.to_string(), "deadline has elapsed");
    fn error<E: std::error::Error + Send + Sync + 'static>(_: &E) {}
    error(&err);
    assert!(format!("{err:?}").contains("Elapsed"));
}

#[weft::test(start_paused = true)]
async fn timeout_accepts_into_future() {
    let _wd = guard();
    struct Later;
    impl std::future::IntoFuture for Later {
        type Output = u8;
        type IntoFuture = std::future::Ready<u8>;
        fn into_future(self) -> Self::IntoFuture {
            std::future::ready(8)
        }
    }
    assert_eq!(timeout(ms(1), Later).await, Ok(8));
}

/// A future that spends the whole coop budget on every poll must still time
/// out: the timer is polled outside the budget when the inner future spent
/// it. Real time, since paused time never auto-advances while a task is
/// runnable.
#[test]
fn a_budget_hungry_future_still_times_out() {
    let _wd = guard();
    for rt in [
        weft::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap(),
        weft::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap(),
    ] {
        let polls = Arc::new(AtomicUsize::new(0));
        let counted = polls.clone();
        let hungry = async move {
            loop {
                counted.fetch_add(1, Ordering::Relaxed);
                weft::task::consume_budget().await;
            }
        };
        let result = rt.block_on(rt.spawn(async move {
            let start = Instant::now();
            let result = timeout(ms(20), hungry).await;
            (result, start.elapsed())
        }));
        let (result, took) = result.unwrap();
        assert!(result.is_err());
        assert!(took >= ms(20), "timed out early, after {took:?}");
        assert!(polls.load(Ordering::Relaxed) > 0);
    }
}

#[test]
fn timeouts_work_on_the_multi_thread_runtime() {
    let _wd = guard();
    let rt = weft::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let start = Instant::now();
        assert!(timeout(ms(15), pending::<()>()).await.is_err());
        assert!(start.elapsed() >= ms(15));
        let tasks: Vec<_> = (0..50)
            .map(|i| weft::spawn(async move { timeout(ms(500), async move { i }).await }))
            .collect();
        for (i, task) in tasks.into_iter().enumerate() {
            assert_eq!(task.await.unwrap(), Ok(i));
        }
    });
}
