//! `interval`, `interval_at`, `Interval` and `MissedTickBehavior`, with
//! exact tick instants under paused time.

#[path = "support/time_util.rs"]
mod time_util;

use std::future::poll_fn;
use std::task::Poll;
use std::time::Duration;
use time_util::{guard, ms};
use weft::time::{advance, interval, interval_at, sleep, Instant, Interval, MissedTickBehavior};

/// Polls for a tick once, with the current task's waker.
async fn poll_tick(interval: &mut Interval) -> Poll<Instant> {
    poll_fn(|cx| Poll::Ready(interval.poll_tick(cx))).await
}

/// Asserts the next poll gives the tick scheduled `at` ms after `start`,
/// or `Pending` for `None`.
async fn expect(interval: &mut Interval, start: Instant, at: Option<u64>) {
    let expected = match at {
        Some(at) => Poll::Ready(start + ms(at)),
        None => Poll::Pending,
    };
    assert_eq!(
        poll_tick(interval).await,
        expected,
        "at {:?} after the start",
        Instant::now() - start
    );
}

#[weft::test(start_paused = true)]
async fn burst_catches_up_with_every_missed_tick() {
    let _wd = guard();
    let start = Instant::now();
    let mut i = interval_at(start, ms(300));
    assert_eq!(i.missed_tick_behavior(), MissedTickBehavior::Burst);
    expect(&mut i, start, Some(0)).await;
    advance(ms(100)).await;
    expect(&mut i, start, None).await;
    advance(ms(200)).await;
    expect(&mut i, start, Some(300)).await;
    // 950 ms: the tick due at 600 is late; 900 follows at once.
    advance(ms(650)).await;
    expect(&mut i, start, Some(600)).await;
    expect(&mut i, start, Some(900)).await;
    expect(&mut i, start, None).await;
    advance(ms(200)).await;
    expect(&mut i, start, None).await;
    advance(ms(100)).await;
    expect(&mut i, start, Some(1200)).await;
    advance(ms(250)).await;
    expect(&mut i, start, Some(1500)).await;
    advance(ms(300)).await;
    expect(&mut i, start, Some(1800)).await;
}

#[weft::test(start_paused = true)]
async fn delay_restarts_the_schedule_from_the_late_tick() {
    let _wd = guard();
    let start = Instant::now();
    let mut i = interval_at(start, ms(300));
    i.set_missed_tick_behavior(MissedTickBehavior::Delay);
    assert_eq!(i.missed_tick_behavior(), MissedTickBehavior::Delay);
    expect(&mut i, start, Some(0)).await;
    advance(ms(300)).await;
    expect(&mut i, start, Some(300)).await;
    // 950 ms: the tick due at 600 is late; the next one comes 300 ms later.
    advance(ms(650)).await;
    expect(&mut i, start, Some(600)).await;
    expect(&mut i, start, None).await;
    advance(ms(299)).await;
    expect(&mut i, start, None).await;
    advance(ms(1)).await;
    expect(&mut i, start, Some(1250)).await;
    advance(ms(300)).await;
    expect(&mut i, start, Some(1550)).await;
}

#[weft::test(start_paused = true)]
async fn skip_drops_missed_ticks_and_keeps_the_alignment() {
    let _wd = guard();
    let start = Instant::now();
    let mut i = interval_at(start, ms(300));
    i.set_missed_tick_behavior(MissedTickBehavior::Skip);
    expect(&mut i, start, Some(0)).await;
    advance(ms(300)).await;
    expect(&mut i, start, Some(300)).await;
    // 950 ms: the tick due at 600 is late; 900 is skipped, 1200 is next.
    advance(ms(650)).await;
    expect(&mut i, start, Some(600)).await;
    expect(&mut i, start, None).await;
    advance(ms(249)).await;
    expect(&mut i, start, None).await;
    advance(ms(1)).await;
    expect(&mut i, start, Some(1200)).await;
    advance(ms(300)).await;
    expect(&mut i, start, Some(1500)).await;
}

#[weft::test(start_paused = true)]
async fn a_tick_a_few_ms_late_is_not_missed() {
    let _wd = guard();
    for behavior in [
        MissedTickBehavior::Burst,
        MissedTickBehavior::Delay,
        MissedTickBehavior::Skip,
    ] {
        let start = Instant::now();
        let mut i = interval_at(start, ms(100));
        i.set_missed_tick_behavior(behavior);
        expect(&mut i, start, Some(0)).await;
        advance(ms(105)).await;
        expect(&mut i, start, Some(100)).await;
        advance(ms(95)).await;
        expect(&mut i, start, Some(200)).await;
    }
}

#[weft::test(start_paused = true)]
async fn tick_awaits_each_period_exactly() {
    let _wd = guard();
    let start = Instant::now();
    let mut i = interval(ms(10));
    assert_eq!(i.period(), ms(10));
    for n in 0..5 {
        assert_eq!(i.tick().await, start + ms(10 * n));
        assert_eq!(Instant::now(), start + ms(10 * n));
    }
}

#[weft::test(start_paused = true)]
async fn interval_at_starts_later() {
    let _wd = guard();
    let start = Instant::now() + ms(35);
    let mut i = interval_at(start, ms(20));
    assert_eq!(i.tick().await, start);
    assert_eq!(Instant::now(), start);
    assert_eq!(i.tick().await, start + ms(20));
}

#[weft::test(start_paused = true)]
async fn busy_task_under_each_behavior() {
    let _wd = guard();
    // A task that works 25 ms (sleeping stands in for work) after each
    // tick of a 10 ms interval. A tick returns the instant it was
    // scheduled for; the behavior decides the schedule after a late one.
    let cases = [
        (MissedTickBehavior::Burst, [0, 10, 20, 30]),
        (MissedTickBehavior::Delay, [0, 10, 35, 60]),
        (MissedTickBehavior::Skip, [0, 10, 30, 60]),
    ];
    for (behavior, expected) in cases {
        let start = Instant::now();
        let mut i = interval(ms(10));
        i.set_missed_tick_behavior(behavior);
        let mut got = Vec::new();
        for _ in 0..4 {
            got.push(i.tick().await - start);
            sleep(ms(25)).await;
        }
        let expected: Vec<Duration> = expected.iter().map(|&t| ms(t)).collect();
        assert_eq!(got, expected, "{behavior:?}");
    }
}

#[weft::test(start_paused = true)]
async fn resets() {
    let _wd = guard();
    let start = Instant::now();
    let mut i = interval(ms(100));
    assert_eq!(i.tick().await, start);

    advance(ms(30)).await;
    i.reset();
    assert_eq!(i.tick().await, start + ms(130));

    i.reset_immediately();
    assert_eq!(i.tick().await, start + ms(130));
    assert_eq!(Instant::now(), start + ms(130));

    i.reset_after(ms(7));
    assert_eq!(i.tick().await, start + ms(137));
    assert_eq!(i.tick().await, start + ms(237));

    i.reset_at(start + ms(1000));
    assert_eq!(i.tick().await, start + ms(1000));
    assert_eq!(i.tick().await, start + ms(1100));

    // A reset while the task waits moves the wait.
    let mut i = interval_at(Instant::now() + ms(500), ms(100));
    assert!(poll_tick(&mut i).await.is_pending());
    let earlier = Instant::now() + ms(50);
    i.reset_at(earlier);
    assert_eq!(i.tick().await, earlier);
}

#[weft::test(start_paused = true)]
async fn a_dropped_tick_is_not_lost() {
    let _wd = guard();
    let start = Instant::now();
    let mut i = interval(ms(100));
    i.tick().await;
    weft::select! {
        _ = i.tick() => panic!("the tick came before the shorter sleep"),
        _ = sleep(ms(40)) => {}
    }
    assert_eq!(i.tick().await, start + ms(100));
}

#[weft::test(start_paused = true)]
async fn far_periods_saturate() {
    let _wd = guard();
    let start = Instant::now();
    let mut i = interval(Duration::MAX);
    assert_eq!(i.tick().await, start);
    assert!(poll_tick(&mut i).await.is_pending());
    i.reset_after(Duration::MAX);
    assert!(poll_tick(&mut i).await.is_pending());
    assert!(format!("{i:?}").contains("Interval"));
}

#[weft::test]
#[should_panic(expected = "period must be greater than zero")]
async fn interval_of_zero_panics() {
    let _ = interval(Duration::ZERO);
}

#[weft::test]
#[should_panic(expected = "period must be greater than zero")]
async fn interval_at_of_zero_panics() {
    let _ = interval_at(Instant::now(), Duration::ZERO);
}
