//! `sleep`, `sleep_until` and `Sleep`.

#[path = "support/time_util.rs"]
mod time_util;

use std::pin::pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::task::Poll;
use std::time::Duration;
use time_util::{guard, ms, poll_once};
use weft::time::{self, sleep, sleep_until, Instant, Sleep};

#[weft::test(start_paused = true)]
async fn two_hour_sleep_completes_at_once_and_exactly() {
    let _wd = guard();
    let real = std::time::Instant::now();
    let start = Instant::now();
    sleep(Duration::from_secs(2 * 60 * 60)).await;
    assert_eq!(start.elapsed(), Duration::from_secs(2 * 60 * 60));
    assert!(
        real.elapsed() < Duration::from_secs(10),
        "paused time must not wait for real"
    );
}

#[weft::test(start_paused = true)]
async fn sleep_until_completes_at_its_deadline() {
    let _wd = guard();
    let deadline = Instant::now() + ms(1500);
    let sleep = sleep_until(deadline);
    assert_eq!(sleep.deadline(), deadline);
    sleep.await;
    assert_eq!(Instant::now(), deadline);
}

#[weft::test(start_paused = true)]
async fn sleeps_complete_in_deadline_order() {
    let _wd = guard();
    let start = Instant::now();
    let order = Arc::new(std::sync::Mutex::new(Vec::new()));
    let tasks: Vec<_> = [30u64, 10, 20, 10, 0]
        .into_iter()
        .enumerate()
        .map(|(i, delay)| {
            let order = order.clone();
            weft::spawn(async move {
                sleep(ms(delay)).await;
                order.lock().unwrap().push((i, Instant::now() - start));
            })
        })
        .collect();
    for task in tasks {
        task.await.unwrap();
    }
    let order = order.lock().unwrap().clone();
    let times: Vec<_> = order.iter().map(|&(_, t)| t).collect();
    assert_eq!(times, [ms(0), ms(10), ms(10), ms(20), ms(30)]);
    assert_eq!(order[0].0, 4);
    assert_eq!(order[3].0, 2);
    assert_eq!(order[4].0, 0);
}

#[weft::test(start_paused = true)]
async fn zero_duration_completes_on_first_poll() {
    let _wd = guard();
    let start = Instant::now();
    let mut sleep = pin!(sleep(Duration::ZERO));
    assert!(poll_once(sleep.as_mut()).await.is_ready());
    assert!(sleep.is_elapsed());
    assert_eq!(Instant::now(), start);

    // A deadline in the past, too.
    let mut past = pin!(sleep_until(start - ms(5)));
    assert!(poll_once(past.as_mut()).await.is_ready());
}

#[weft::test(start_paused = true)]
async fn far_future_sleeps_never_overflow() {
    let _wd = guard();
    let start = Instant::now();
    let mut forever = pin!(sleep(Duration::MAX));
    assert!(forever.deadline() > start + Duration::from_secs(86_400 * 365 * 20));
    assert!(poll_once(forever.as_mut()).await.is_pending());

    let mut far = pin!(sleep_until(start + Duration::from_secs(86_400 * 365 * 100)));
    assert!(poll_once(far.as_mut()).await.is_pending());

    // Shorter timers still fire on time around them.
    weft::select! {
        _ = &mut forever => panic!("a sleep of Duration::MAX completed"),
        _ = &mut far => panic!("a 100-year sleep completed"),
        _ = sleep(ms(10)) => {}
    }
    assert_eq!(start.elapsed(), ms(10));
    assert!(!forever.is_elapsed());
}

#[weft::test(start_paused = true)]
async fn reset_to_a_later_deadline() {
    let _wd = guard();
    let start = Instant::now();
    let mut sleep = pin!(sleep(ms(10)));
    assert!(poll_once(sleep.as_mut()).await.is_pending());
    sleep.as_mut().reset(start + ms(40));
    assert_eq!(sleep.deadline(), start + ms(40));
    sleep.as_mut().await;
    assert_eq!(Instant::now(), start + ms(40));
}

#[weft::test(start_paused = true)]
async fn reset_to_an_earlier_deadline() {
    let _wd = guard();
    let start = Instant::now();
    let mut sleep = pin!(sleep(Duration::from_secs(3600)));
    assert!(poll_once(sleep.as_mut()).await.is_pending());
    sleep.as_mut().reset(start + ms(5));
    sleep.as_mut().await;
    assert_eq!(Instant::now(), start + ms(5));
}

#[weft::test(start_paused = true)]
async fn reset_after_completion_rearms() {
    let _wd = guard();
    let start = Instant::now();
    let mut sleep = pin!(sleep(ms(10)));
    sleep.as_mut().await;
    assert!(sleep.is_elapsed());
    sleep.as_mut().reset(start + ms(25));
    assert!(!sleep.is_elapsed());
    assert!(poll_once(sleep.as_mut()).await.is_pending());
    sleep.as_mut().await;
    assert_eq!(Instant::now(), start + ms(25));
    // Reset into the past: ready at once.
    sleep.as_mut().reset(start);
    assert!(poll_once(sleep.as_mut()).await.is_ready());
}

#[weft::test(start_paused = true)]
async fn a_registered_sleep_moves_to_another_task() {
    let _wd = guard();
    let start = Instant::now();
    let mut sleep = Box::pin(sleep(ms(30)));
    assert!(poll_once(sleep.as_mut()).await.is_pending());
    // The task that registered it stops caring; another one waits for it.
    let waiter = weft::spawn(async move {
        sleep.as_mut().await;
        Instant::now()
    });
    assert_eq!(waiter.await.unwrap(), start + ms(30));
}

#[test]
fn a_sleep_made_on_one_thread_fires_on_the_workers() {
    let _wd = guard();
    let rt = weft::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let start = Instant::now();
    // Made outside any task, through an entered context, then polled by a
    // worker and moved between tasks. Long enough to be still pending at
    // the first poll on a loaded machine (or under valgrind).
    let sleep: Sleep = {
        let _enter = rt.enter();
        sleep(ms(500))
    };
    let sleep = Box::pin(sleep);
    // Returned in a tuple: the first task hands the registered sleep on.
    let first = rt.spawn(async move {
        let mut sleep = sleep;
        let first_poll = poll_once(sleep.as_mut()).await;
        (first_poll.is_pending(), sleep)
    });
    let (was_pending, sleep) = rt.block_on(first).unwrap();
    assert!(was_pending);
    let woke = rt.block_on(rt.spawn(async move {
        sleep.await;
        Instant::now()
    }));
    assert!(woke.unwrap() >= start + ms(500));
}

#[weft::test(start_paused = true)]
async fn sleep_charges_the_coop_budget() {
    let _wd = guard();
    let ran = Arc::new(AtomicBool::new(false));
    let flag = ran.clone();
    weft::spawn(async move { flag.store(true, Ordering::SeqCst) });
    // Zero sleeps are always ready; only the budget makes this loop yield
    // to the spawned task.
    let mut saw = false;
    for _ in 0..10_000 {
        sleep(Duration::ZERO).await;
        if ran.load(Ordering::SeqCst) {
            saw = true;
            break;
        }
    }
    assert!(saw, "a loop of ready sleeps never yielded to the scheduler");
}

#[weft::test(start_paused = true)]
async fn is_elapsed_follows_the_timer() {
    let _wd = guard();
    let mut sleep = pin!(sleep(ms(10)));
    assert!(!sleep.is_elapsed());
    assert!(poll_once(sleep.as_mut()).await.is_pending());
    assert!(!sleep.is_elapsed());
    time::advance(ms(9)).await;
    assert!(!sleep.is_elapsed());
    time::advance(ms(1)).await;
    assert!(sleep.is_elapsed());
    assert_eq!(poll_once(sleep.as_mut()).await, Poll::Ready(()));
    assert!(format!("{sleep:?}").contains("Sleep"));
}

#[test]
fn sleep_is_not_unpin_but_is_send_and_sync() {
    // Compiles only if `Sleep: !Unpin`: were it `Unpin`, both impls would
    // apply and the type parameter could not be inferred.
    trait AmbiguousIfUnpin<A> {
        fn check() {}
    }
    impl<T: ?Sized> AmbiguousIfUnpin<()> for T {}
    impl<T: ?Sized + Unpin> AmbiguousIfUnpin<u8> for T {}
    <Sleep as AmbiguousIfUnpin<_>>::check();

    fn send_sync<T: Send + Sync>() {}
    send_sync::<Sleep>();
    send_sync::<weft::time::Interval>();
    send_sync::<weft::time::Timeout<Sleep>>();
}

#[test]
fn a_sleep_outlives_its_runtime() {
    let _wd = guard();
    let rt = weft::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    // Handed out of `block_on` in a tuple (a bare future there reads like a
    // forgotten `.await`).
    let (mut registered,) = rt.block_on(async {
        let mut sleep = Box::pin(sleep(Duration::from_secs(60)));
        assert!(poll_once(sleep.as_mut()).await.is_pending());
        (sleep,)
    });
    let unpolled = {
        let _enter = rt.enter();
        Box::pin(sleep(Duration::from_secs(60)))
    };
    drop(rt);
    // Dropping either after the runtime is gone is fine; polling one panics
    // with a message that names the cause.
    drop(unpolled);
    let waker = std::task::Waker::noop();
    let mut cx = std::task::Context::from_waker(waker);
    let polled = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let _ = std::future::Future::poll(registered.as_mut(), &mut cx);
    }));
    let msg = time_util::panic_message(polled.expect_err("polling after shutdown must panic"));
    assert!(msg.contains("shut down"), "{msg}");
    drop(registered);
}
