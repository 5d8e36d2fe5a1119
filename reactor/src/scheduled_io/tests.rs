#![cfg(not(loom))]

use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll};

use super::{ScheduledIo, Word, GENERATION_MASK};
use crate::error::is_shutdown_error;
use crate::readiness::Readiness;
use crate::test_support::CountingWaker;
use crate::wake_list::WakeList;
use crate::{Direction, Interest, Ready, ReadyEvent};

/// What the driver does for one event.
fn deliver(io: &ScheduledIo, ready: Ready) -> bool {
    if !io.dispatch(io.generation(), ready) {
        return false;
    }
    let mut wakers = WakeList::new();
    io.wake(ready, &mut wakers);
    wakers.wake_all();
    true
}

fn expect_ready(poll: Poll<std::io::Result<ReadyEvent>>) -> ReadyEvent {
    match poll {
        Poll::Ready(Ok(event)) => event,
        Poll::Ready(Err(error)) => panic!("expected readiness, got error {error}"),
        Poll::Pending => panic!("expected readiness, got Pending"),
    }
}

#[test]
fn word_fields_round_trip() {
    let word = Word::new(5).dispatched(Ready::READABLE | Ready::ERROR);
    assert_eq!(word.generation(), 5);
    assert_eq!(word.tick(), 1);
    assert_eq!(word.ready(), Ready::READABLE | Ready::ERROR);
    assert!(!word.is_shutdown());

    let word = word.shut_down().cleared(Ready::READABLE);
    assert!(word.is_shutdown());
    assert_eq!(word.ready(), Ready::ERROR);
    assert_eq!(word.tick(), 1);
    assert_eq!(word.generation(), 5);
}

#[test]
fn tick_wraps_without_touching_generation() {
    let mut word = Word::new(GENERATION_MASK);
    for _ in 0..=u16::MAX {
        word = word.dispatched(Ready::WRITABLE);
    }
    assert_eq!(word.tick(), 0);
    assert_eq!(word.generation(), GENERATION_MASK);
    assert_eq!(word.ready(), Ready::WRITABLE);
}

#[test]
fn next_generation_wraps_and_resets() {
    let word = Word::new(GENERATION_MASK).dispatched(Ready::ALL).shut_down();
    let next = word.next_generation();
    assert_eq!(next.generation(), 0);
    assert_eq!(next.tick(), 0);
    assert!(next.ready().is_empty());
    assert!(!next.is_shutdown());
}

#[test]
fn pending_until_delivery_then_woken_once() {
    let io = ScheduledIo::new();
    let (counter, waker) = CountingWaker::new();
    let mut cx = Context::from_waker(&waker);

    assert!(io.poll_ready(&mut cx, Direction::Read).is_pending());
    assert!(deliver(&io, Ready::READABLE));
    assert_eq!(counter.wakes(), 1);

    let event = expect_ready(io.poll_ready(&mut cx, Direction::Read));
    assert_eq!(event.ready(), Ready::READABLE);
    assert_eq!(event.tick(), 1);
    // The waker was taken by the delivery: another delivery wakes nobody.
    assert!(deliver(&io, Ready::READABLE));
    assert_eq!(counter.wakes(), 1);
}

#[test]
fn delivery_wakes_only_the_ready_direction() {
    let io = ScheduledIo::new();
    let (reader, reader_waker) = CountingWaker::new();
    let (writer, writer_waker) = CountingWaker::new();
    assert!(io.poll_ready(&mut Context::from_waker(&reader_waker), Direction::Read).is_pending());
    assert!(io.poll_ready(&mut Context::from_waker(&writer_waker), Direction::Write).is_pending());

    deliver(&io, Ready::WRITABLE);
    assert_eq!((reader.wakes(), writer.wakes()), (0, 1));

    deliver(&io, Ready::READ_CLOSED);
    assert_eq!((reader.wakes(), writer.wakes()), (1, 1));
}

#[test]
fn error_readiness_wakes_both_directions() {
    let io = ScheduledIo::new();
    let (reader, reader_waker) = CountingWaker::new();
    let (writer, writer_waker) = CountingWaker::new();
    assert!(io.poll_ready(&mut Context::from_waker(&reader_waker), Direction::Read).is_pending());
    assert!(io.poll_ready(&mut Context::from_waker(&writer_waker), Direction::Write).is_pending());

    deliver(&io, Ready::ERROR);
    assert_eq!((reader.wakes(), writer.wakes()), (1, 1));
}

#[test]
fn clear_with_current_tick_clears() {
    let io = ScheduledIo::new();
    let (_, waker) = CountingWaker::new();
    let mut cx = Context::from_waker(&waker);
    deliver(&io, Ready::READABLE | Ready::WRITABLE);

    let event = expect_ready(io.poll_ready(&mut cx, Direction::Read));
    io.clear_readiness(event);
    assert!(io.poll_ready(&mut cx, Direction::Read).is_pending());
    // Only the observed direction was cleared.
    assert_eq!(expect_ready(io.poll_ready(&mut cx, Direction::Write)).ready(), Ready::WRITABLE);
}

#[test]
fn clear_with_stale_tick_keeps_new_readiness() {
    let io = ScheduledIo::new();
    let (_, waker) = CountingWaker::new();
    let mut cx = Context::from_waker(&waker);
    deliver(&io, Ready::READABLE);
    let observed = expect_ready(io.poll_ready(&mut cx, Direction::Read));

    // An event arrives between the observation and the clear.
    deliver(&io, Ready::READABLE);
    io.clear_readiness(observed);

    let now = expect_ready(io.poll_ready(&mut cx, Direction::Read));
    assert_eq!(now.tick(), observed.tick().wrapping_add(1));
    assert!(now.ready().is_readable());
}

#[test]
fn closed_readiness_is_never_cleared() {
    let io = ScheduledIo::new();
    let (_, waker) = CountingWaker::new();
    let mut cx = Context::from_waker(&waker);
    deliver(&io, Ready::READABLE | Ready::READ_CLOSED);
    let event = expect_ready(io.poll_ready(&mut cx, Direction::Read));
    io.clear_readiness(event);
    assert_eq!(expect_ready(io.poll_ready(&mut cx, Direction::Read)).ready(), Ready::READ_CLOSED);
}

#[test]
fn stale_generation_is_dropped() {
    let io = ScheduledIo::new();
    let old = io.generation();
    io.release();
    assert_ne!(io.generation(), old);
    assert!(!io.dispatch(old, Ready::READABLE));
    assert!(io.snapshot().ready().is_empty());
    assert_eq!(io.snapshot().tick(), 0);
}

#[test]
fn release_resets_and_drops_wakers() {
    let io = ScheduledIo::new();
    let (counter, waker) = CountingWaker::new();
    assert!(io.poll_ready(&mut Context::from_waker(&waker), Direction::Read).is_pending());
    deliver(&io, Ready::WRITABLE);
    io.shutdown(&mut Vec::new());
    io.release();

    let word = io.snapshot();
    assert!(word.ready().is_empty() && !word.is_shutdown());
    assert_eq!(word.tick(), 0);
    // The old owner's waker is gone: the new owner's readiness wakes nobody.
    drop(waker);
    assert!(deliver(&io, Ready::READABLE));
    assert_eq!(counter.wakes(), 0);
    assert_eq!(std::sync::Arc::strong_count(&counter), 1);
}

#[test]
fn shutdown_fails_pending_and_later_polls() {
    let io = ScheduledIo::new();
    let (counter, waker) = CountingWaker::new();
    let mut cx = Context::from_waker(&waker);
    assert!(io.poll_ready(&mut cx, Direction::Read).is_pending());

    let mut wakers = Vec::new();
    io.shutdown(&mut wakers);
    wakers.into_iter().for_each(std::task::Waker::wake);
    assert_eq!(counter.wakes(), 1);

    match io.poll_ready(&mut cx, Direction::Read) {
        Poll::Ready(Err(error)) => assert!(is_shutdown_error(&error), "{error}"),
        other => panic!("expected the shutdown error, got {other:?}"),
    }
    assert!(io.ready_now(Ready::ALL).is_err());
}

#[test]
fn readiness_future_waits_and_cancels_cleanly() {
    let io = ScheduledIo::new();
    let (counter, waker) = CountingWaker::new();
    let mut cx = Context::from_waker(&waker);

    {
        let mut future = pin!(Readiness::new(&io, Interest::READABLE.mask()));
        assert!(future.as_mut().poll(&mut cx).is_pending());
        assert_eq!(io.waiters.lock().list.len(), 1);
        // Dropped while pending.
    }
    assert_eq!(io.waiters.lock().list.len(), 0);
    deliver(&io, Ready::READABLE);
    assert_eq!(counter.wakes(), 0);

    // The readiness the cancelled future did not consume is still there.
    let mut future = pin!(Readiness::new(&io, Interest::READABLE.mask()));
    let event = expect_ready(future.as_mut().poll(&mut cx));
    assert_eq!(event.ready(), Ready::READABLE);
}

#[test]
fn readiness_future_sees_only_its_interest() {
    let io = ScheduledIo::new();
    let (counter, waker) = CountingWaker::new();
    let mut cx = Context::from_waker(&waker);
    let mut future = pin!(Readiness::new(&io, Interest::WRITABLE.mask()));
    assert!(future.as_mut().poll(&mut cx).is_pending());

    deliver(&io, Ready::READABLE);
    assert_eq!(counter.wakes(), 0);
    assert!(future.as_mut().poll(&mut cx).is_pending());

    deliver(&io, Ready::WRITABLE);
    assert_eq!(counter.wakes(), 1);
    assert_eq!(expect_ready(future.as_mut().poll(&mut cx)).ready(), Ready::WRITABLE);
    assert_eq!(io.waiters.lock().list.len(), 0);
}

#[test]
fn delivery_wakes_more_waiters_than_one_batch_holds() {
    let io = ScheduledIo::new();
    let (counter, waker) = CountingWaker::new();
    let mut cx = Context::from_waker(&waker);
    let mut futures: Vec<_> = (0..100).map(|_| Box::pin(Readiness::new(&io, Interest::READABLE.mask()))).collect();
    for future in &mut futures {
        assert!(future.as_mut().poll(&mut cx).is_pending());
    }
    assert!(io.poll_ready(&mut cx, Direction::Read).is_pending());

    deliver(&io, Ready::READABLE);
    assert_eq!(counter.wakes(), 101);
    for future in &mut futures {
        assert!(future.as_mut().poll(&mut cx).is_ready());
    }
}

#[test]
fn wake_flushes_a_nearly_full_batch() {
    let io = ScheduledIo::new();
    let (counter, waker) = CountingWaker::new();
    let mut cx = Context::from_waker(&waker);
    assert!(io.poll_ready(&mut cx, Direction::Read).is_pending());
    assert!(io.poll_ready(&mut cx, Direction::Write).is_pending());
    assert!(io.dispatch(io.generation(), Ready::READABLE | Ready::WRITABLE));

    // A batch with one free place: the two direction wakers do not fit, so
    // `wake` flushes the batch first.
    let (filler, filler_waker) = CountingWaker::new();
    let mut wakers = WakeList::new();
    while wakers.room() > 1 {
        wakers.push(filler_waker.clone());
    }
    io.wake(Ready::READABLE | Ready::WRITABLE, &mut wakers);
    assert_eq!(filler.wakes(), 31);
    wakers.wake_all();
    assert_eq!(counter.wakes(), 2);
}
