#![cfg(not(loom))]

use std::task::Context;

use super::{locate, split, token, Slots, FIRST_PAGE_LEN, MAX_REGISTRATIONS, PAGE_COUNT, WAKE_TOKEN};
use crate::scheduled_io::GENERATION_MASK;
use crate::test_support::CountingWaker;
use crate::Direction;

#[test]
fn locate_walks_doubling_pages() {
    assert_eq!(locate(0), (0, 0));
    assert_eq!(locate(31), (0, 31));
    assert_eq!(locate(32), (1, 0));
    assert_eq!(locate(95), (1, 63));
    assert_eq!(locate(96), (2, 0));
    assert_eq!(locate(MAX_REGISTRATIONS - 1), (PAGE_COUNT - 1, (FIRST_PAGE_LEN << (PAGE_COUNT - 1)) - 1));
    // Every index maps to exactly the next place.
    let mut expected = (0, 0);
    for index in 0..10_000 {
        assert_eq!(locate(index), expected, "index {index}");
        expected.1 += 1;
        if expected.1 == FIRST_PAGE_LEN << expected.0 {
            expected = (expected.0 + 1, 0);
        }
    }
}

#[test]
fn tokens_round_trip_and_never_meet_the_wake_token() {
    for index in [0, 1, 31, 32, 4097, MAX_REGISTRATIONS - 1] {
        for generation in 0..=GENERATION_MASK {
            let t = token(index, generation);
            assert_eq!(split(t), (index, generation));
            assert_ne!(t, WAKE_TOKEN);
        }
    }
}

#[test]
fn freed_index_comes_back_with_next_generation() {
    let slots = Slots::new();
    let first = slots.allocate().unwrap();
    let second = slots.allocate().unwrap();
    assert_eq!((first.index(), second.index()), (0, 1));
    let old_token = first.token();
    slots.release(&first);
    drop(first);

    let again = slots.allocate().unwrap();
    assert_eq!(again.index(), 0);
    assert_ne!(again.token(), old_token);
    let (_, old_generation) = split(old_token);
    assert_eq!(split(again.token()).1, (old_generation + 1) & GENERATION_MASK);
    assert_eq!(slots.len(), 2);
}

#[test]
fn pages_grow_on_demand() {
    let slots = Slots::new();
    assert!(slots.pages().is_empty());
    let taken: Vec<_> = (0..100).map(|_| slots.allocate().unwrap()).collect();
    // 32 + 64 slots in two pages, the 97th opens a third.
    assert_eq!(slots.pages().len(), 3);
    assert_eq!(slots.len(), 100);
    for slot in &taken {
        slots.release(slot);
    }
    assert_eq!(slots.len(), 0);
    assert_eq!(slots.pages().len(), 3);
}

#[test]
fn shutdown_wakes_every_live_slot_and_refuses_new_ones() {
    let slots = Slots::new();
    let (counter, waker) = CountingWaker::new();
    let mut cx = Context::from_waker(&waker);
    let live: Vec<_> = (0..40).map(|_| slots.allocate().unwrap()).collect();
    for slot in &live {
        assert!(slot.io().poll_ready(&mut cx, Direction::Read).is_pending());
    }

    assert!(slots.shutdown());
    assert!(!slots.shutdown(), "a second shutdown is a no-op");
    assert_eq!(counter.wakes(), 40);
    assert!(slots.is_shutdown());
    assert!(slots.allocate().is_err());
    for slot in &live {
        assert!(matches!(slot.io().poll_ready(&mut cx, Direction::Write), std::task::Poll::Ready(Err(_))));
    }
}
