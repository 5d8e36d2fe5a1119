//! Parking: the worker parker (`scheduler/src/multi_thread/park.rs`),
//! which sleeps in the shared driver when it is free and on its own
//! condvar otherwise, and the plain `ParkThread` (`scheduler/src/park/`).
//!
//! The promise checked: an `unpark` that races a `park` is never lost (a
//! lost one leaves the parked thread asleep forever, which loom reports as
//! a deadlock).

use loom::thread;
use weft_scheduler::multi_thread::loom_internals::Driver;
use weft_scheduler::park::{Park, ParkThread};

/// The driver is busy (another worker sleeps in it), so the parker sleeps
/// on its condvar while it is unparked.
#[test]
fn unpark_racing_a_condvar_park_is_not_lost() {
    loom::model(|| {
        let driver = Driver::new(Box::new(ParkThread::new()));
        let mut parker = driver.parker();
        let unparker = parker.unparker();
        let busy = driver.hold();
        let sleeper = thread::spawn(move || parker.park());
        unparker.unpark();
        sleeper.join().unwrap();
        drop(busy);
    });
}

/// The driver is free, so the parker sleeps inside it; the unpark goes
/// through the driver's own unparker.
#[test]
fn unpark_racing_a_driver_park_is_not_lost() {
    loom::model(|| {
        let driver = Driver::new(Box::new(ParkThread::new()));
        let mut parker = driver.parker();
        let unparker = parker.unparker();
        let sleeper = thread::spawn(move || parker.park());
        unparker.unpark();
        sleeper.join().unwrap();
    });
}

/// Two unparks before one park: the park returns at once, and the
/// notification is remembered only once (the next park would sleep, so
/// the model does not make one).
#[test]
fn unparks_before_park_are_not_lost() {
    loom::model(|| {
        let driver = Driver::new(Box::new(ParkThread::new()));
        let mut parker = driver.parker();
        let unparker = parker.unparker();
        let other = unparker.clone();
        let t = thread::spawn(move || other.unpark());
        unparker.unpark();
        parker.park();
        t.join().unwrap();
    });
}

/// The plain condvar parker: `park(None)` racing `unpark`.
#[test]
fn park_thread_unpark_racing_park() {
    loom::model(|| {
        let mut park = ParkThread::new();
        let unpark = park.unparker();
        let t = thread::spawn(move || unpark.unpark());
        park.park(None);
        t.join().unwrap();
    });
}
