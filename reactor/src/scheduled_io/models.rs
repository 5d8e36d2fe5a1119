//! loom models of the readiness protocol. Run with
//! `RUSTFLAGS="--cfg loom" cargo test -p weft-reactor --lib --release models`.
//!
//! Each protocol step a model guards can be broken on purpose, to check the
//! model notices: add `--cfg weft_loom_mutant="NAME"` to `RUSTFLAGS`, with
//! NAME one of `reactor_poll_skips_recheck` (fails
//! `delivery_racing_poll_ready_is_never_lost` and
//! `shutdown_racing_poll_ready_wakes_or_fails`), `reactor_clear_ignores_tick` (fails
//! `clear_never_erases_a_newer_delivery`) or
//! `reactor_dispatch_ignores_generation` (fails
//! `release_racing_a_stale_delivery_leaves_the_slot_clean`).

use std::sync::Arc as StdArc;
use std::task::{Context, Poll, Wake, Waker};

use loom::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use loom::sync::Arc;
use loom::thread;

use super::ScheduledIo;
use crate::wake_list::WakeList;
use crate::{Direction, Interest, Ready};

/// Counts wake-ups with a loom atomic, so the model tracks them.
struct Counter(AtomicUsize);

impl Wake for Counter {
    fn wake(self: StdArc<Self>) {
        self.0.fetch_add(1, SeqCst);
    }
}

fn counter() -> (StdArc<Counter>, Waker) {
    let counter = StdArc::new(Counter(AtomicUsize::new(0)));
    let waker = Waker::from(counter.clone());
    (counter, waker)
}

fn deliver(io: &ScheduledIo, ready: Ready) {
    if io.dispatch(io.generation(), ready) {
        let mut wakers = WakeList::new();
        io.wake(ready, &mut wakers);
        wakers.wake_all();
    }
}

#[test]
fn delivery_racing_poll_ready_is_never_lost() {
    loom::model(|| {
        let io = Arc::new(ScheduledIo::new());
        let driver = thread::spawn({
            let io = io.clone();
            move || deliver(&io, Ready::READABLE)
        });
        let (wakes, waker) = counter();
        let polled = io.poll_ready(&mut Context::from_waker(&waker), Direction::Read);
        driver.join().unwrap();
        if polled.is_pending() {
            assert_eq!(wakes.0.load(SeqCst), 1, "Pending, and the delivery woke nobody");
        }
    });
}

#[test]
fn delivery_racing_a_readiness_future_is_never_lost() {
    loom::model(|| {
        let io = Arc::new(ScheduledIo::new());
        let driver = thread::spawn({
            let io = io.clone();
            move || deliver(&io, Ready::WRITABLE)
        });
        let (wakes, waker) = counter();
        let mut cx = Context::from_waker(&waker);
        let mut key = None;
        let polled = io.poll_waiter(&mut cx, Interest::WRITABLE.mask(), &mut key);
        driver.join().unwrap();
        if polled.is_pending() {
            assert_eq!(wakes.0.load(SeqCst), 1, "Pending, and the delivery woke nobody");
            assert!(io.poll_waiter(&mut cx, Interest::WRITABLE.mask(), &mut key).is_ready());
        }
        assert!(key.is_none());
        assert_eq!(io.waiters.lock().list.len(), 0);
    });
}

#[test]
fn clear_never_erases_a_newer_delivery() {
    loom::model(|| {
        let io = Arc::new(ScheduledIo::new());
        deliver(&io, Ready::READABLE);
        let driver = thread::spawn({
            let io = io.clone();
            move || deliver(&io, Ready::READABLE)
        });
        let (_, waker) = counter();
        let event = match io.poll_ready(&mut Context::from_waker(&waker), Direction::Read) {
            Poll::Ready(Ok(event)) => event,
            other => panic!("readiness was set before the model: {other:?}"),
        };
        // The operation said `WouldBlock`.
        io.clear_readiness(event);
        driver.join().unwrap();
        if event.tick() == 1 {
            // The second delivery came after the observation: it must survive.
            assert!(io.snapshot().ready().is_readable());
        }
    });
}

#[test]
fn shutdown_racing_poll_ready_wakes_or_fails() {
    loom::model(|| {
        let io = Arc::new(ScheduledIo::new());
        let shutter = thread::spawn({
            let io = io.clone();
            move || {
                let mut wakers = Vec::new();
                io.shutdown(&mut wakers);
                wakers.into_iter().for_each(Waker::wake);
            }
        });
        let (wakes, waker) = counter();
        let mut cx = Context::from_waker(&waker);
        let polled = io.poll_ready(&mut cx, Direction::Write);
        shutter.join().unwrap();
        match polled {
            Poll::Pending => assert_eq!(wakes.0.load(SeqCst), 1, "Pending, and shutdown woke nobody"),
            Poll::Ready(result) => assert!(result.is_err()),
        }
        assert!(matches!(io.poll_ready(&mut cx, Direction::Write), Poll::Ready(Err(_))));
    });
}

#[test]
fn release_racing_a_stale_delivery_leaves_the_slot_clean() {
    loom::model(|| {
        let io = Arc::new(ScheduledIo::new());
        let old_generation = io.generation();
        let driver = thread::spawn({
            let io = io.clone();
            move || {
                // An event read from the OS for the old owner.
                io.dispatch(old_generation, Ready::READABLE);
            }
        });
        io.release();
        driver.join().unwrap();
        // Either the event landed before the release (which reset it) or
        // it was recognised as stale.
        assert!(io.snapshot().ready().is_empty());
        assert_eq!(io.snapshot().tick(), 0);
        assert_ne!(io.generation(), old_generation);
    });
}
