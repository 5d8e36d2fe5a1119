//! loom models of the timer protocol: owner vs driver on one timer, and the
//! unpark handshake. Run with
//! `RUSTFLAGS="--cfg loom" cargo test -p weft-timer --lib --release`.

use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering as StdOrdering};
use std::task::{Context, Poll, Wake, Waker};
use std::time::{Duration, Instant};

use loom::sync::Arc;
use loom::thread;

use super::*;

/// Counts wakes. loom runs every model thread on one OS thread, so a std
/// atomic read after `join` sees every wake.
#[derive(Default)]
struct Count(AtomicUsize);

impl Wake for Count {
    fn wake(self: std::sync::Arc<Self>) {
        self.0.fetch_add(1, StdOrdering::SeqCst);
    }
}

fn counting() -> (std::sync::Arc<Count>, Waker) {
    let count = std::sync::Arc::new(Count::default());
    let waker = Waker::from(count.clone());
    (count, waker)
}

fn wakes(count: &Count) -> usize {
    count.0.load(StdOrdering::SeqCst)
}

fn setup() -> (Clock, Arc<Driver>, Instant) {
    let clock = Clock::new(true);
    let driver = Arc::new(Driver::new(clock.clone(), 1));
    let start = clock.now();
    (clock, driver, start)
}

fn poll(timer: &mut Pin<Box<TimerEntry>>, waker: &Waker) -> Poll<Result<(), Error>> {
    timer
        .as_mut()
        .poll_elapsed(&mut Context::from_waker(waker), 0)
}

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

/// The owner re-polls with a new waker while the driver fires: if the poll
/// says `Pending`, the new waker must be woken.
#[test]
fn poll_with_new_waker_races_fire() {
    loom::model(|| {
        let (clock, driver, start) = setup();
        let (old_count, old_waker) = counting();
        let (new_count, new_waker) = counting();
        let mut timer = Box::pin(TimerEntry::new(&driver.handle(), start + ms(1)));
        assert!(poll(&mut timer, &old_waker).is_pending());
        clock.advance(ms(1));

        let d = driver.clone();
        let th = thread::spawn(move || assert_eq!(d.process(), 1));
        let result = poll(&mut timer, &new_waker);
        th.join().unwrap();

        match result {
            Poll::Pending => assert_eq!(wakes(&new_count), 1, "lost wake-up"),
            Poll::Ready(r) => assert_eq!(r, Ok(())),
        }
        assert!(wakes(&old_count) + wakes(&new_count) <= 1);
        assert!(timer.is_elapsed());
    });
}

/// Dropping a timer while the driver fires it: no panic, no leak, at most
/// one wake, and the wheel ends up empty.
#[test]
fn drop_races_fire() {
    loom::model(|| {
        let (clock, driver, start) = setup();
        let (count, waker) = counting();
        let mut timer = Box::pin(TimerEntry::new(&driver.handle(), start + ms(1)));
        assert!(poll(&mut timer, &waker).is_pending());
        let shared = timer.shared.clone().unwrap();
        clock.advance(ms(1));

        let d = driver.clone();
        let th = thread::spawn(move || d.process());
        drop(timer);
        let fired = th.join().unwrap();

        assert_eq!(
            wakes(&count),
            fired,
            "woken exactly when fired before the drop"
        );
        assert_eq!(driver.next_deadline(), None);
        assert_eq!(Arc::strong_count(&shared), 1);
    });
}

/// Resetting to a later deadline while the driver fires the old one: the
/// timer completes at the new deadline, exactly one registration remains.
#[test]
fn reset_races_fire() {
    loom::model(|| {
        let (clock, driver, start) = setup();
        let (count, waker) = counting();
        let mut timer = Box::pin(TimerEntry::new(&driver.handle(), start + ms(1)));
        assert!(poll(&mut timer, &waker).is_pending());
        clock.advance(ms(1));

        let d = driver.clone();
        let th = thread::spawn(move || d.process());
        timer.as_mut().reset(start + ms(2));
        let _ = th.join().unwrap();

        // Whether or not the old deadline fired first, the timer is pending
        // until the new one.
        assert!(!timer.is_elapsed());
        assert!(poll(&mut timer, &waker).is_pending());
        let before = wakes(&count);
        clock.advance(ms(1));
        assert_eq!(driver.process(), 1);
        assert_eq!(wakes(&count), before + 1);
        assert_eq!(poll(&mut timer, &waker), Poll::Ready(Ok(())));
        assert_eq!(driver.next_deadline(), None);
    });
}

/// First registration races shutdown: the timer either fails at once or is
/// woken by the shutdown and then fails; it never hangs.
#[test]
fn register_races_shutdown() {
    loom::model(|| {
        let (_clock, driver, start) = setup();
        let (count, waker) = counting();
        let mut timer = Box::pin(TimerEntry::new(&driver.handle(), start + ms(5)));

        let d = driver.clone();
        let th = thread::spawn(move || d.shutdown());
        let result = poll(&mut timer, &waker);
        th.join().unwrap();

        match result {
            Poll::Pending => assert_eq!(wakes(&count), 1, "pending timer not woken by shutdown"),
            Poll::Ready(r) => assert!(r.unwrap_err().is_shutdown()),
        }
        assert!(matches!(poll(&mut timer, &waker), Poll::Ready(Err(e)) if e.is_shutdown()));
    });
}

/// A registration with an earlier deadline than the one the driver is about
/// to park for either is seen by `next_deadline` or unparks the driver.
#[test]
fn earlier_registration_unparks_the_driver() {
    loom::model(|| {
        let clock = Clock::new(true);
        let unparked = Arc::new(loom::sync::atomic::AtomicBool::new(false));
        let flag = unparked.clone();
        let driver = Arc::new(Driver::with_unpark(clock.clone(), 2, move || {
            flag.store(true, loom::sync::atomic::Ordering::SeqCst);
        }));
        let start = clock.now();
        let (_count, waker) = counting();
        // An earlier round reported tick 1; that timer is gone since, so the
        // stale report is lower than anything registered below.
        let mut gone = Box::pin(TimerEntry::new(&driver.handle(), start + ms(1)));
        assert!(poll(&mut gone, &waker).is_pending());
        assert_eq!(driver.next_deadline(), Some(start + ms(1)));
        drop(gone);
        let mut late = Box::pin(TimerEntry::new(&driver.handle(), start + ms(40)));
        assert!(poll(&mut late, &waker).is_pending());
        unparked.store(false, loom::sync::atomic::Ordering::SeqCst);

        let d = driver.clone();
        let th = thread::spawn(move || d.next_deadline());
        let mut early = Box::pin(TimerEntry::new(&driver.handle(), start + ms(5)));
        let (_count2, waker2) = counting();
        // Different shard from `late`.
        assert!(early
            .as_mut()
            .poll_elapsed(&mut Context::from_waker(&waker2), 1)
            .is_pending());
        let parked_until = th.join().unwrap().unwrap();

        assert!(
            parked_until <= start + ms(5) || unparked.load(loom::sync::atomic::Ordering::SeqCst),
            "driver would sleep past the new deadline without being unparked"
        );
    });
}
