use std::sync::atomic::{AtomicUsize as StdAtomicUsize, Ordering as StdOrdering};
use std::sync::Arc;
use std::task::{Wake, Waker};

use super::AtomicWaker;

#[derive(Default)]
struct CountingWaker(StdAtomicUsize);

impl Wake for CountingWaker {
    fn wake(self: Arc<Self>) {
        self.0.fetch_add(1, StdOrdering::SeqCst);
    }
}

fn counting() -> (Arc<CountingWaker>, Waker) {
    let counter = Arc::new(CountingWaker::default());
    let waker = Waker::from(counter.clone());
    (counter, waker)
}

#[test]
fn wake_without_registration_does_nothing() {
    let slot = AtomicWaker::new();
    assert!(slot.take().is_none());
    slot.wake();
}

#[test]
fn registered_waker_is_woken_once() {
    let slot = AtomicWaker::new();
    let (count, waker) = counting();
    slot.register(&waker);
    slot.wake();
    assert_eq!(count.0.load(StdOrdering::SeqCst), 1);
    slot.wake();
    assert_eq!(count.0.load(StdOrdering::SeqCst), 1);
}

#[test]
fn reregistering_replaces_the_waker() {
    let slot = AtomicWaker::new();
    let (first, first_waker) = counting();
    let (second, second_waker) = counting();
    slot.register(&first_waker);
    slot.register(&second_waker);
    slot.wake();
    assert_eq!(first.0.load(StdOrdering::SeqCst), 0);
    assert_eq!(second.0.load(StdOrdering::SeqCst), 1);
}

#[test]
fn wakes_from_many_threads_reach_the_registrant() {
    let slot = Arc::new(AtomicWaker::new());
    let (count, waker) = counting();
    let wakers: Vec<_> = (0..4)
        .map(|_| {
            let slot = slot.clone();
            std::thread::spawn(move || {
                for _ in 0..1000 {
                    slot.wake();
                }
            })
        })
        .collect();
    for _ in 0..1000 {
        slot.register(&waker);
    }
    for handle in wakers {
        handle.join().unwrap();
    }
    // After the wakers are done, a registration followed by a wake is
    // always delivered: no state was left stuck.
    let before = count.0.load(StdOrdering::SeqCst);
    slot.register(&waker);
    slot.wake();
    assert!(count.0.load(StdOrdering::SeqCst) > before);
}

#[test]
fn a_taken_waker_leaves_the_slot_empty_until_the_next_registration() {
    let slot = AtomicWaker::new();
    let (count, waker) = counting();
    slot.register(&waker);
    assert!(slot.take().is_some());
    // Empty again: the fast path returns nothing, and a later registration
    // is woken as usual.
    assert!(slot.take().is_none());
    slot.register(&waker);
    slot.register(&waker);
    slot.wake();
    assert_eq!(count.0.load(StdOrdering::SeqCst), 1);
}
