use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering as StdOrdering};
use std::sync::Arc as StdArc;
use std::task::{Context, Poll, Wake, Waker};
use std::time::{Duration, Instant};

use super::*;

/// A waker that counts how often it was woken.
#[derive(Default)]
struct CountingWaker(AtomicUsize);

impl Wake for CountingWaker {
    fn wake(self: StdArc<Self>) {
        self.0.fetch_add(1, StdOrdering::SeqCst);
    }
}

struct Task {
    count: StdArc<CountingWaker>,
    waker: Waker,
}

impl Task {
    fn new() -> Task {
        let count = StdArc::new(CountingWaker::default());
        let waker = Waker::from(count.clone());
        Task { count, waker }
    }

    fn wakes(&self) -> usize {
        self.count.0.load(StdOrdering::SeqCst)
    }

    fn poll(&self, timer: &mut Pin<Box<TimerEntry>>, hint: usize) -> Poll<Result<(), Error>> {
        timer
            .as_mut()
            .poll_elapsed(&mut Context::from_waker(&self.waker), hint)
    }
}

fn paused(shards: usize) -> (Clock, Driver, Instant) {
    let clock = Clock::new(true);
    let driver = Driver::new(clock.clone(), shards);
    let start = clock.now();
    (clock, driver, start)
}

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

fn timer(driver: &Driver, deadline: Instant) -> Pin<Box<TimerEntry>> {
    Box::pin(TimerEntry::new(&driver.handle(), deadline))
}

#[test]
fn timers_on_several_shards_fire_when_due() {
    let (clock, driver, start) = paused(4);
    let tasks: Vec<Task> = (0..8).map(|_| Task::new()).collect();
    // Deadlines 10, 20, ..., 80 ms, spread over the shards by hint.
    let mut timers: Vec<_> = (0..8)
        .map(|i| timer(&driver, start + ms(10 * (i + 1))))
        .collect();
    for (i, (t, task)) in timers.iter_mut().zip(&tasks).enumerate() {
        assert!(task.poll(t, i * 3).is_pending());
    }
    assert_eq!(driver.next_deadline(), Some(start + ms(10)));

    clock.advance(ms(35));
    assert_eq!(driver.process(), 3);
    let woken: Vec<usize> = tasks.iter().map(Task::wakes).collect();
    assert_eq!(woken, [1, 1, 1, 0, 0, 0, 0, 0]);
    for (i, (t, task)) in timers.iter_mut().zip(&tasks).enumerate() {
        let expected = if i < 3 {
            Poll::Ready(Ok(()))
        } else {
            Poll::Pending
        };
        assert_eq!(task.poll(t, 0), expected, "timer {i}");
    }
    assert_eq!(driver.next_deadline(), Some(start + ms(40)));

    clock.advance(ms(100));
    assert_eq!(driver.process(), 5);
    assert!(tasks.iter().all(|t| t.wakes() == 1));
    assert!(timers.iter().all(|t| t.is_elapsed()));
    assert_eq!(driver.next_deadline(), None);
}

#[test]
fn nothing_fires_before_its_deadline() {
    let (clock, driver, start) = paused(1);
    let task = Task::new();
    // Not on a millisecond boundary: rounds up to tick 11.
    let mut t = timer(&driver, start + Duration::from_micros(10_500));
    assert!(task.poll(&mut t, 0).is_pending());
    clock.advance(Duration::from_micros(10_999));
    assert_eq!(driver.process(), 0);
    assert!(!t.is_elapsed());
    clock.advance(Duration::from_micros(1));
    assert_eq!(driver.process(), 1);
    assert_eq!(task.wakes(), 1);
}

#[test]
fn reached_deadline_completes_without_registering() {
    let (clock, driver, start) = paused(1);
    let task = Task::new();
    let mut t = timer(&driver, start);
    assert_eq!(task.poll(&mut t, 0), Poll::Ready(Ok(())));
    assert!(t.is_elapsed());
    assert!(
        t.shared.is_none(),
        "no allocation for a timer that never waited"
    );
    assert_eq!(driver.next_deadline(), None);

    let mut later = timer(&driver, start + ms(5));
    clock.advance(ms(5));
    assert_eq!(task.poll(&mut later, 0), Poll::Ready(Ok(())));
    assert!(later.shared.is_none());
}

#[test]
fn cancel_then_process_does_not_wake() {
    let (clock, driver, start) = paused(2);
    let task = Task::new();
    let mut t = timer(&driver, start + ms(10));
    assert!(task.poll(&mut t, 1).is_pending());
    let shared = t.shared.clone().unwrap();
    drop(t);
    assert_eq!(
        driver.next_deadline(),
        None,
        "dropping removed it from the wheel"
    );
    clock.advance(ms(20));
    assert_eq!(driver.process(), 0);
    assert_eq!(task.wakes(), 0);
    // Only the handle's clone is left: the wheel let go of its reference.
    assert_eq!(Arc::strong_count(&shared), 1);
}

#[test]
fn dropping_a_fired_or_unpolled_timer_is_harmless() {
    let (clock, driver, start) = paused(1);
    let task = Task::new();
    drop(timer(&driver, start + ms(1)));
    let mut fired = timer(&driver, start + ms(1));
    let mut other = timer(&driver, start + ms(2));
    assert!(task.poll(&mut fired, 0).is_pending());
    clock.advance(ms(1));
    assert_eq!(driver.process(), 1);
    // The fired timer's wheel cell is reused by the next registration; the
    // fired timer's stale key must not cancel it.
    assert!(task.poll(&mut other, 0).is_pending());
    drop(fired);
    clock.advance(ms(1));
    assert_eq!(driver.process(), 1);
    assert!(other.is_elapsed());
}

#[test]
fn reset_earlier_and_later() {
    let (clock, driver, start) = paused(1);
    let task = Task::new();
    let mut t = timer(&driver, start + ms(100));
    assert!(task.poll(&mut t, 0).is_pending());

    t.as_mut().reset(start + ms(10));
    assert_eq!(t.deadline(), start + ms(10));
    assert_eq!(driver.next_deadline(), Some(start + ms(10)));
    clock.advance(ms(10));
    assert_eq!(driver.process(), 1);
    assert_eq!(
        task.wakes(),
        1,
        "woken without polling again after the reset"
    );
    assert_eq!(task.poll(&mut t, 0), Poll::Ready(Ok(())));

    // Reset after firing: pending again until the new deadline.
    t.as_mut().reset(start + ms(50));
    assert!(!t.is_elapsed());
    assert!(task.poll(&mut t, 0).is_pending());
    t.as_mut().reset(start + ms(80));
    clock.advance(ms(40));
    assert_eq!(driver.process(), 0);
    assert!(task.poll(&mut t, 0).is_pending());
    clock.advance(ms(30));
    assert_eq!(driver.process(), 1);
    assert_eq!(task.wakes(), 2);
    assert_eq!(task.poll(&mut t, 0), Poll::Ready(Ok(())));
}

#[test]
fn reset_after_fire_without_poll() {
    let (clock, driver, start) = paused(1);
    let task = Task::new();
    let mut t = timer(&driver, start + ms(5));
    assert!(task.poll(&mut t, 0).is_pending());
    clock.advance(ms(5));
    assert_eq!(driver.process(), 1);
    // The owner has not seen the fire yet when it resets.
    t.as_mut().reset(start + ms(20));
    assert!(!t.is_elapsed());
    assert!(task.poll(&mut t, 0).is_pending());
    clock.advance(ms(15));
    assert_eq!(driver.process(), 1);
    assert_eq!(task.poll(&mut t, 0), Poll::Ready(Ok(())));
}

#[test]
fn reset_into_the_past_wakes_at_next_process() {
    let (_clock, driver, start) = paused(1);
    let task = Task::new();
    let mut t = timer(&driver, start + ms(500));
    assert!(task.poll(&mut t, 0).is_pending());
    t.as_mut().reset(start);
    assert_eq!(driver.process(), 1);
    assert_eq!(task.wakes(), 1);
    assert_eq!(task.poll(&mut t, 0), Poll::Ready(Ok(())));
}

#[test]
fn reset_of_an_unregistered_timer_only_moves_the_deadline() {
    let (_clock, driver, start) = paused(1);
    let task = Task::new();
    let mut t = timer(&driver, start);
    t.as_mut().reset(start + ms(3));
    assert!(task.poll(&mut t, 0).is_pending());
    assert_eq!(driver.next_deadline(), Some(start + ms(3)));
}

#[test]
fn only_the_latest_waker_is_woken() {
    let (clock, driver, start) = paused(1);
    let first = Task::new();
    let second = Task::new();
    let mut t = timer(&driver, start + ms(1));
    assert!(first.poll(&mut t, 0).is_pending());
    assert!(second.poll(&mut t, 0).is_pending());
    clock.advance(ms(1));
    driver.process();
    assert_eq!((first.wakes(), second.wakes()), (0, 1));
}

#[test]
fn shutdown_wakes_with_error() {
    let (_clock, driver, start) = paused(3);
    let tasks: Vec<Task> = (0..3).map(|_| Task::new()).collect();
    let mut timers: Vec<_> = (0..3)
        .map(|i| timer(&driver, start + ms(1_000 * (i + 1))))
        .collect();
    for (i, (t, task)) in timers.iter_mut().zip(&tasks).enumerate() {
        assert!(task.poll(t, i).is_pending());
    }
    assert!(!driver.handle().is_shutdown());
    driver.shutdown();
    assert!(driver.handle().is_shutdown());
    for (t, task) in timers.iter_mut().zip(&tasks) {
        assert_eq!(task.wakes(), 1);
        match task.poll(t, 0) {
            Poll::Ready(Err(e)) => {
                assert!(e.is_shutdown());
                assert!(e.to_string().contains("shut down"));
            }
            other => panic!("expected a shutdown error, got {other:?}"),
        }
        assert!(!t.is_elapsed());
    }
    assert_eq!(driver.next_deadline(), None);
    driver.shutdown();
}

#[test]
fn polls_after_shutdown_fail_unless_the_deadline_passed() {
    let (_clock, driver, start) = paused(1);
    driver.shutdown();
    let task = Task::new();
    let mut pending = timer(&driver, start + ms(10));
    assert!(matches!(task.poll(&mut pending, 0), Poll::Ready(Err(e)) if e.is_shutdown()));
    let mut due = timer(&driver, start);
    assert_eq!(task.poll(&mut due, 0), Poll::Ready(Ok(())));
}

#[test]
fn more_timers_than_a_wake_batch() {
    let (clock, driver, start) = paused(2);
    let task = Task::new();
    let n = WAKE_BATCH * 3 + 5;
    let mut timers: Vec<_> = (0..n).map(|_| timer(&driver, start + ms(7))).collect();
    for (i, t) in timers.iter_mut().enumerate() {
        assert!(task.poll(t, i).is_pending());
    }
    clock.advance(ms(7));
    assert_eq!(driver.process(), n);
    assert_eq!(task.wakes(), n);
}

#[test]
fn far_future_deadline_never_fires_and_never_panics() {
    let (clock, driver, start) = paused(2);
    let task = Task::new();
    let far = start
        .checked_add(Duration::from_secs(u64::MAX / 4))
        .expect("representable on this platform");
    let mut timers = vec![
        timer(&driver, far),
        timer(&driver, start + Duration::from_secs(3 * 365 * 86_400)),
    ];
    for t in &mut timers {
        assert!(task.poll(t, 0).is_pending());
    }
    // The far one is reported no later than its deadline (here: at most a
    // wheel turn away, to be re-filed), and never panics.
    let next = driver.next_deadline().expect("a timer is registered");
    assert!(next <= start + Duration::from_secs(3 * 365 * 86_400));
    for _ in 0..4 {
        clock.advance(Duration::from_secs(365 * 86_400));
        driver.process();
        let _ = driver.next_deadline();
        timers[0].as_mut().reset(far);
    }
    assert!(timers[1].is_elapsed(), "the three-year timer fired");
    assert!(!timers[0].is_elapsed());
    assert_eq!(task.wakes(), 1);
    // A huge jump neither fires it nor overflows.
    clock.advance(Duration::from_secs(u64::MAX / 8));
    assert_eq!(driver.process(), 0);
    assert!(task.poll(&mut timers[0], 0).is_pending());
    drop(timers);
    assert_eq!(driver.next_deadline(), None);
}

#[test]
fn tick_conversions_saturate() {
    let (_clock, driver, start) = paused(1);
    let inner = &*driver.handle.inner;
    assert_eq!(inner.deadline_to_tick(start), 0);
    assert_eq!(inner.deadline_to_tick(start + Duration::from_nanos(1)), 1);
    assert_eq!(inner.deadline_to_tick(start + ms(3)), 3);
    if let Some(before) = start.checked_sub(ms(5)) {
        assert_eq!(inner.deadline_to_tick(before), 0);
        assert_eq!(inner.now_tick(before), 0);
    }
    let far = start
        .checked_add(Duration::from_secs(u64::MAX / 4))
        .unwrap();
    assert_eq!(inner.deadline_to_tick(far), u64::MAX);
    assert_eq!(
        inner.now_tick(far),
        u64::MAX - 1,
        "now never reaches a saturated deadline"
    );
    assert_eq!(inner.now_tick(start + Duration::from_micros(2_999)), 2);
}

#[test]
fn unpark_hook_fires_only_for_earlier_deadlines() {
    let clock = Clock::new(true);
    let unparks = StdArc::new(AtomicUsize::new(0));
    let counter = unparks.clone();
    let driver = Driver::with_unpark(clock.clone(), 2, move || {
        counter.fetch_add(1, StdOrdering::SeqCst);
    });
    let start = clock.now();
    let task = Task::new();
    let unparked = || unparks.load(StdOrdering::SeqCst);

    // Parked with nothing to wait for: the first registration unparks.
    // (All deadlines stay below 64 ms, so the wheel reports them exactly.)
    assert_eq!(driver.next_deadline(), None);
    let mut a = timer(&driver, start + ms(40));
    assert!(task.poll(&mut a, 0).is_pending());
    assert_eq!(unparked(), 1);
    // A later one does not, even on another shard.
    let mut b = timer(&driver, start + ms(60));
    assert!(task.poll(&mut b, 1).is_pending());
    assert_eq!(unparked(), 1);

    // The driver now waits for tick 40; an earlier one must unpark it.
    assert_eq!(driver.next_deadline(), Some(start + ms(40)));
    let mut c = timer(&driver, start + ms(30));
    assert!(task.poll(&mut c, 1).is_pending());
    assert_eq!(unparked(), 2);
    // Resetting b to before c unparks too; resetting it later does not.
    b.as_mut().reset(start + ms(20));
    assert_eq!(unparked(), 3);
    b.as_mut().reset(start + ms(63));
    assert_eq!(unparked(), 3);
    // Polling an already registered timer registers nothing new.
    assert!(task.poll(&mut c, 1).is_pending());
    assert_eq!(unparked(), 3);
}

#[test]
fn concurrent_registration_and_cancellation() {
    let (clock, driver, start) = paused(4);
    let driver = std::sync::Arc::new(driver);
    let threads = 4;
    let per_thread = 200;
    let counters: Vec<StdArc<CountingWaker>> = (0..threads).map(|_| StdArc::default()).collect();
    let kept: Vec<Pin<Box<TimerEntry>>> = std::thread::scope(|scope| {
        let workers: Vec<_> = counters
            .iter()
            .enumerate()
            .map(|(worker, counter)| {
                let driver = &driver;
                scope.spawn(move || {
                    let waker = Waker::from(counter.clone());
                    let mut cx = Context::from_waker(&waker);
                    let mut kept = Vec::new();
                    for i in 0..per_thread {
                        let mut t = Box::pin(TimerEntry::new(
                            &driver.handle(),
                            start + ms(1 + (i % 50) as u64),
                        ));
                        assert!(t.as_mut().poll_elapsed(&mut cx, worker).is_pending());
                        if i % 2 == 0 {
                            kept.push(t); // odd ones are cancelled right away
                        }
                    }
                    kept
                })
            })
            .collect();
        // Meanwhile the driver processes without moving time.
        for _ in 0..100 {
            assert_eq!(driver.process(), 0);
        }
        workers
            .into_iter()
            .flat_map(|w| w.join().unwrap())
            .collect()
    });
    assert_eq!(kept.len(), threads * per_thread / 2);
    clock.advance(ms(50));
    assert_eq!(driver.process(), threads * per_thread / 2);
    for counter in &counters {
        assert_eq!(counter.0.load(StdOrdering::SeqCst), per_thread / 2);
    }
}

#[test]
fn entry_and_handle_debug() {
    let (_clock, driver, start) = paused(2);
    let t = TimerEntry::new(&driver.handle(), start + ms(1));
    assert!(format!("{t:?}").contains("unregistered"));
    assert_eq!(t.handle().shard_count(), 2);
    assert!(t.handle().clock().is_paused());
    let text = format!("{driver:?}");
    assert!(text.contains("shards: 2"), "{text}");
}

#[test]
fn types_are_thread_safe_and_small() {
    fn send_sync<T: Send + Sync>() {}
    fn unpin<T: Unpin>() {}
    send_sync::<Driver>();
    send_sync::<Handle>();
    send_sync::<TimerEntry>();
    send_sync::<Clock>();
    send_sync::<Error>();
    unpin::<TimerEntry>();
    // Handle, deadline, lazily allocated shared state, wheel key, flag.
    assert!(std::mem::size_of::<TimerEntry>() <= 48);
    assert!(std::mem::size_of::<Option<crate::wheel::Key>>() <= 8);
}

#[test]
fn real_clock_never_fires_early() {
    let clock = Clock::new(false);
    let driver = Driver::new(clock.clone(), 2);
    let task = Task::new();
    let deadline = clock.now() + Duration::from_micros(15_300);
    let mut t = timer(&driver, deadline);
    assert!(task.poll(&mut t, 1).is_pending());
    // Park the way a runtime would, for as long as the driver asks.
    while !t.is_elapsed() {
        let until = driver.next_deadline().expect("the timer is registered");
        std::thread::sleep(until.saturating_duration_since(clock.now()));
        let fired = driver.process();
        if fired == 1 {
            assert!(clock.now() >= deadline, "fired before its deadline");
        }
    }
    assert_eq!(task.wakes(), 1);
    assert_eq!(task.poll(&mut t, 1), Poll::Ready(Ok(())));
}
