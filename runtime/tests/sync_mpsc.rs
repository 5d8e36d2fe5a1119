//! `weft::sync::mpsc`: bounded and unbounded channels.

#[path = "support/sync_util.rs"]
mod sync_util;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use sync_util::{block_on, Task};
use weft::sync::mpsc::{self, error::TryRecvError, error::TrySendError};

struct Counted(Arc<AtomicUsize>);

impl Drop for Counted {
    fn drop(&mut self) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}

#[test]
fn messages_arrive_in_order() {
    let (tx, mut rx) = mpsc::channel(8);
    for i in 0..8 {
        block_on(tx.send(i)).unwrap();
    }
    for i in 0..8 {
        assert_eq!(block_on(rx.recv()), Some(i));
    }
}

#[test]
#[should_panic(expected = "mpsc bounded channel requires buffer > 0")]
fn zero_capacity_panics() {
    let _ = mpsc::channel::<u8>(0);
}

#[test]
fn try_send_reports_full_and_closed_with_the_value() {
    let (tx, mut rx) = mpsc::channel(1);
    tx.try_send(1).unwrap();
    match tx.try_send(2) {
        Err(TrySendError::Full(2)) => {}
        other => panic!("expected Full(2), got {other:?}"),
    }
    assert_eq!(rx.try_recv(), Ok(1));
    drop(rx);
    let err = tx.try_send(3).unwrap_err();
    assert!(err.is_closed());
    assert_eq!(err.into_inner(), 3);
}

#[test]
fn send_waits_for_capacity() {
    let (tx, mut rx) = mpsc::channel(1);
    tx.try_send(1).unwrap();
    let mut send = Task::new(tx.send(2));
    send.assert_pending();
    assert_eq!(rx.try_recv(), Ok(1));
    assert!(send.is_woken());
    send.assert_ready().unwrap();
    assert_eq!(rx.try_recv(), Ok(2));
}

#[test]
fn recv_waits_and_is_woken_by_send() {
    let (tx, mut rx) = mpsc::channel(1);
    let mut recv = Task::new(rx.recv());
    recv.assert_pending();
    tx.try_send(7).unwrap();
    assert!(recv.is_woken());
    assert_eq!(recv.assert_ready(), Some(7));
}

#[test]
fn recv_ends_after_senders_drop_and_queue_drains() {
    let (tx, mut rx) = mpsc::channel(4);
    let tx2 = tx.clone();
    tx.try_send(1).unwrap();
    tx2.try_send(2).unwrap();
    drop(tx);
    assert!(!rx.is_closed());
    drop(tx2);
    assert!(rx.is_closed());
    assert_eq!(block_on(rx.recv()), Some(1));
    assert_eq!(block_on(rx.recv()), Some(2));
    assert_eq!(block_on(rx.recv()), None);
    assert_eq!(rx.try_recv(), Err(TryRecvError::Disconnected));
}

#[test]
fn dropping_the_last_sender_wakes_the_receiver() {
    let (tx, mut rx) = mpsc::channel::<u8>(1);
    let mut recv = Task::new(rx.recv());
    recv.assert_pending();
    drop(tx);
    assert!(recv.is_woken());
    assert_eq!(recv.assert_ready(), None);
}

#[test]
fn close_stops_new_sends_but_delivers_queued_and_reserved() {
    let (tx, mut rx) = mpsc::channel(4);
    tx.try_send(1).unwrap();
    let permit = tx.try_reserve().unwrap();
    let mut waiting = Task::new(tx.reserve());
    rx.close();
    assert!(rx.is_closed());
    assert!(tx.is_closed());
    // The reserved slot may still be used after the close.
    permit.send(2);
    assert!(tx.try_send(3).unwrap_err().is_closed());
    assert!(block_on(tx.send(4)).is_err());
    assert!(waiting.assert_ready().is_err());
    assert_eq!(rx.try_recv(), Ok(1));
    assert_eq!(rx.try_recv(), Ok(2));
    assert_eq!(rx.try_recv(), Err(TryRecvError::Disconnected));
    assert_eq!(block_on(rx.recv()), None);
}

#[test]
fn close_waits_for_outstanding_permits() {
    let (tx, mut rx) = mpsc::channel::<u8>(2);
    let permit = tx.try_reserve().unwrap();
    rx.close();
    let mut recv = Task::new(rx.recv());
    recv.assert_pending();
    drop(permit);
    assert!(recv.is_woken());
    assert_eq!(recv.assert_ready(), None);
}

#[test]
fn dropping_the_receiver_fails_sends_and_drops_queued_values() {
    let drops = Arc::new(AtomicUsize::new(0));
    let (tx, rx) = mpsc::channel(4);
    for _ in 0..3 {
        tx.try_send(Counted(drops.clone())).unwrap();
    }
    drop(rx);
    assert_eq!(drops.load(Ordering::SeqCst), 3);
    let returned = block_on(tx.send(Counted(drops.clone()))).unwrap_err();
    assert_eq!(drops.load(Ordering::SeqCst), 3);
    drop(returned);
    assert_eq!(drops.load(Ordering::SeqCst), 4);
}

#[test]
fn permits_reserve_and_return_capacity() {
    let (tx, mut rx) = mpsc::channel(2);
    assert_eq!((tx.capacity(), tx.max_capacity()), (2, 2));
    let permit = block_on(tx.reserve()).unwrap();
    assert_eq!(tx.capacity(), 1);
    drop(permit);
    assert_eq!(tx.capacity(), 2);
    let permit = tx.try_reserve().unwrap();
    let _other = tx.try_reserve().unwrap();
    assert!(tx.try_reserve().unwrap_err().is_full());
    permit.send("x");
    assert_eq!(rx.len(), 1);
    assert_eq!(rx.capacity(), 0);
    assert_eq!(rx.max_capacity(), 2);
    assert_eq!(rx.try_recv(), Ok("x"));
    assert_eq!(rx.capacity(), 1);
}

#[test]
fn owned_permits_hand_the_sender_back() {
    let (tx, mut rx) = mpsc::channel(1);
    let permit = block_on(tx.clone().reserve_owned()).unwrap();
    assert!(permit.same_channel_as_sender(&tx));
    let tx2 = permit.send(1);
    assert!(tx2.same_channel(&tx));
    assert_eq!(rx.try_recv(), Ok(1));

    let permit = tx2.try_reserve_owned().unwrap();
    let tx3 = permit.release();
    assert_eq!(tx3.capacity(), 1);
    let permit = tx3.try_reserve_owned().unwrap();
    match tx.clone().try_reserve_owned() {
        Err(TrySendError::Full(_)) => {}
        other => panic!("expected Full, got {:?}", other.map(|_| ())),
    }
    drop(permit);
    assert_eq!(tx.capacity(), 1);
}

#[test]
fn len_and_is_empty_track_the_queue() {
    let (tx, mut rx) = mpsc::channel(8);
    assert!(rx.is_empty());
    for i in 0..5 {
        tx.try_send(i).unwrap();
    }
    assert_eq!(rx.len(), 5);
    rx.try_recv().unwrap();
    assert_eq!(rx.len(), 4);
    assert!(!rx.is_empty());
}

#[test]
fn weak_senders_do_not_keep_the_channel_open() {
    let (tx, mut rx) = mpsc::channel::<u8>(1);
    let weak = tx.downgrade();
    assert_eq!((tx.strong_count(), tx.weak_count()), (1, 1));
    assert_eq!((rx.sender_strong_count(), rx.sender_weak_count()), (1, 1));
    let upgraded = weak.upgrade().unwrap();
    assert_eq!(weak.strong_count(), 2);
    drop(upgraded);
    drop(tx);
    assert!(weak.upgrade().is_none());
    assert_eq!(block_on(rx.recv()), None);
    let weak2 = weak.clone();
    assert_eq!(weak2.weak_count(), 2);
}

#[test]
fn closed_completes_when_the_receiver_goes() {
    let (tx, rx) = mpsc::channel::<u8>(1);
    let mut closed = Task::new(tx.closed());
    closed.assert_pending();
    drop(rx);
    assert!(closed.is_woken());
    closed.assert_ready();
    // Already closed: completes at once.
    Task::new(tx.closed()).assert_ready();
}

#[test]
fn recv_many_takes_up_to_the_limit() {
    let (tx, mut rx) = mpsc::channel(8);
    let mut buffer = Vec::new();
    assert_eq!(block_on(rx.recv_many(&mut buffer, 0)), 0);
    for i in 0..5 {
        tx.try_send(i).unwrap();
    }
    assert_eq!(block_on(rx.recv_many(&mut buffer, 3)), 3);
    assert_eq!(buffer, [0, 1, 2]);
    assert_eq!(tx.capacity(), 6);
    assert_eq!(block_on(rx.recv_many(&mut buffer, 10)), 2);
    assert_eq!(buffer, [0, 1, 2, 3, 4]);
    drop(tx);
    assert_eq!(block_on(rx.recv_many(&mut buffer, 10)), 0);
}

#[test]
fn recv_many_waits_for_the_first_message() {
    let (tx, mut rx) = mpsc::channel(4);
    let mut buffer = Vec::new();
    {
        let mut recv = Task::new(rx.recv_many(&mut buffer, 4));
        recv.assert_pending();
        tx.try_send(1).unwrap();
        assert!(recv.is_woken());
        assert_eq!(recv.assert_ready(), 1);
    }
    assert_eq!(buffer, [1]);
}

#[test]
fn a_dropped_recv_loses_no_message() {
    let (tx, mut rx) = mpsc::channel(2);
    {
        // Registered, then dropped.
        let mut recv = Task::new(rx.recv());
        recv.assert_pending();
    }
    {
        // Woken with a message ready, but dropped before polling again.
        let mut recv = Task::new(rx.recv());
        recv.assert_pending();
        tx.try_send(1).unwrap();
        assert!(recv.is_woken());
    }
    tx.try_send(2).unwrap();
    assert_eq!(rx.try_recv(), Ok(1));
    assert_eq!(rx.try_recv(), Ok(2));
}

#[test]
fn a_dropped_waiting_send_gives_its_turn_away() {
    let (tx, mut rx) = mpsc::channel(1);
    tx.try_send(0).unwrap();
    let mut first = Task::new(tx.send(1));
    let mut second = Task::new(tx.send(2));
    first.assert_pending();
    second.assert_pending();
    drop(first);
    assert_eq!(rx.try_recv(), Ok(0));
    assert!(second.is_woken());
    second.assert_ready().unwrap();
    assert_eq!(rx.try_recv(), Ok(2));
    assert_eq!(rx.try_recv(), Err(TryRecvError::Empty));
}

#[test]
fn a_granted_but_dropped_send_returns_its_slot() {
    let (tx, mut rx) = mpsc::channel(1);
    tx.try_send(0).unwrap();
    let mut first = Task::new(tx.send(1));
    let mut second = Task::new(tx.send(2));
    first.assert_pending();
    second.assert_pending();
    assert_eq!(rx.try_recv(), Ok(0));
    assert!(first.is_woken());
    drop(first);
    assert!(second.is_woken());
    second.assert_ready().unwrap();
    assert_eq!(rx.try_recv(), Ok(2));
}

#[test]
fn a_spent_coop_budget_makes_recv_yield() {
    let (tx, mut rx) = mpsc::unbounded_channel();
    for i in 0..1000 {
        tx.send(i).unwrap();
    }
    let mut looping = Task::new(async move {
        let mut got = 0;
        while rx.recv().await.is_some() {
            got += 1;
        }
        got
    });
    assert!(weft_scheduler::coop::budget(|| looping.poll()).is_pending());
    assert!(looping.is_woken());
}

#[test]
fn blocking_send_and_recv_across_threads() {
    let (tx, mut rx) = mpsc::channel(2);
    let producer = std::thread::spawn(move || {
        for i in 0..100 {
            tx.blocking_send(i).unwrap();
        }
    });
    let mut got = Vec::new();
    while let Some(i) = rx.blocking_recv() {
        got.push(i);
    }
    producer.join().unwrap();
    assert_eq!(got, (0..100).collect::<Vec<_>>());
    let mut buffer = Vec::new();
    assert_eq!(rx.blocking_recv_many(&mut buffer, 4), 0);
}

fn stress<S, R>(
    make: impl FnOnce() -> (S, R),
    send: fn(&S, (usize, usize)),
    recv: fn(&mut R) -> Option<(usize, usize)>,
) where
    S: Clone + Send + 'static,
{
    const PRODUCERS: usize = 4;
    const EACH: usize = 5_000;
    let (tx, mut rx) = make();
    let producers: Vec<_> = (0..PRODUCERS)
        .map(|p| {
            let tx = tx.clone();
            std::thread::spawn(move || {
                for seq in 0..EACH {
                    send(&tx, (p, seq));
                }
            })
        })
        .collect();
    drop(tx);
    let mut next = [0; PRODUCERS];
    let mut total = 0;
    while let Some((p, seq)) = recv(&mut rx) {
        assert_eq!(seq, next[p], "producer {p} out of order");
        next[p] += 1;
        total += 1;
    }
    for producer in producers {
        producer.join().unwrap();
    }
    assert_eq!(total, PRODUCERS * EACH);
}

#[test]
fn bounded_stress_from_many_threads() {
    stress(
        || mpsc::channel(16),
        |tx, v| tx.blocking_send(v).unwrap(),
        |rx| rx.blocking_recv(),
    );
}

#[test]
fn unbounded_stress_from_many_threads() {
    stress(
        mpsc::unbounded_channel,
        |tx, v| tx.send(v).unwrap(),
        |rx| rx.blocking_recv(),
    );
}

#[test]
fn unbounded_basics() {
    let (tx, mut rx) = mpsc::unbounded_channel();
    assert!(rx.is_empty());
    for i in 0..100 {
        tx.send(i).unwrap();
    }
    assert_eq!(rx.len(), 100);
    let mut buffer = Vec::new();
    assert_eq!(block_on(rx.recv_many(&mut buffer, 60)), 60);
    assert_eq!(rx.try_recv(), Ok(60));
    let weak = tx.downgrade();
    assert_eq!((tx.strong_count(), tx.weak_count()), (1, 1));
    assert_eq!((rx.sender_strong_count(), rx.sender_weak_count()), (1, 1));
    assert!(weak.upgrade().unwrap().same_channel(&tx));
    let tx2 = tx.clone();
    drop(tx);
    assert!(!rx.is_closed());
    drop(tx2);
    assert!(weak.upgrade().is_none());
    assert!(rx.is_closed());
    let mut rest = 0;
    while block_on(rx.recv()).is_some() {
        rest += 1;
    }
    assert_eq!(rest, 39);
    assert_eq!(rx.try_recv(), Err(TryRecvError::Disconnected));
}

#[test]
fn unbounded_close_and_drop() {
    let drops = Arc::new(AtomicUsize::new(0));
    let (tx, mut rx) = mpsc::unbounded_channel();
    tx.send(Counted(drops.clone())).unwrap();
    let mut closed = Task::new(tx.closed());
    closed.assert_pending();
    rx.close();
    assert!(closed.is_woken());
    closed.assert_ready();
    assert!(tx.is_closed());
    let refused = tx.send(Counted(drops.clone())).unwrap_err();
    drop(refused);
    assert_eq!(drops.load(Ordering::SeqCst), 1);
    assert!(rx.try_recv().is_ok());
    assert_eq!(drops.load(Ordering::SeqCst), 2);
    assert_eq!(rx.try_recv().err(), Some(TryRecvError::Disconnected));

    let (tx, rx) = mpsc::unbounded_channel();
    tx.send(Counted(drops.clone())).unwrap();
    drop(rx);
    assert_eq!(drops.load(Ordering::SeqCst), 3);
}

#[test]
fn unbounded_recv_is_woken_by_send() {
    let (tx, mut rx) = mpsc::unbounded_channel();
    let mut recv = Task::new(rx.recv());
    recv.assert_pending();
    tx.send(3).unwrap();
    assert!(recv.is_woken());
    assert_eq!(recv.assert_ready(), Some(3));
}

#[test]
fn reserve_many_hands_out_its_slots_and_returns_the_rest() {
    let (tx, mut rx) = mpsc::channel(4);
    let mut permits = block_on(tx.reserve_many(3)).unwrap();
    assert_eq!((permits.len(), tx.capacity()), (3, 1));
    permits.next().unwrap().send(1);
    // An unused permit from the iterator returns its own slot.
    drop(permits.next().unwrap());
    assert_eq!((permits.len(), tx.capacity()), (1, 2));
    drop(permits);
    assert_eq!(tx.capacity(), 3);
    assert_eq!(rx.try_recv(), Ok(1));
    assert_eq!(tx.capacity(), 4);

    let mut empty = tx.try_reserve_many(0).unwrap();
    assert!(empty.next().is_none());
    assert!(empty.next().is_none());
}

#[test]
fn reserve_many_waits_for_all_of_its_slots_in_queue_order() {
    let (tx, mut rx) = mpsc::channel(2);
    tx.try_send(1).unwrap();
    tx.try_send(2).unwrap();
    let mut many = Task::new(tx.reserve_many(2));
    many.assert_pending();
    // A later single reservation does not overtake the queued one.
    let mut one = Task::new(tx.reserve());
    one.assert_pending();
    assert_eq!(rx.try_recv(), Ok(1));
    many.assert_pending();
    assert!(!one.is_woken());
    assert_eq!(rx.try_recv(), Ok(2));
    let mut permits = many.assert_ready().unwrap();
    one.assert_pending();
    permits.next().unwrap().send(3);
    drop(permits);
    assert!(one.is_woken());
    one.assert_ready().unwrap().send(4);
    assert_eq!(rx.try_recv(), Ok(3));
    assert_eq!(rx.try_recv(), Ok(4));
}

#[test]
fn reserve_many_beyond_the_bound_or_after_close_fails() {
    let (tx, mut rx) = mpsc::channel::<u8>(2);
    assert!(block_on(tx.reserve_many(3)).is_err());
    assert!(matches!(tx.try_reserve_many(3), Err(TrySendError::Full(()))));
    let held = tx.try_reserve_many(2).unwrap();
    assert!(matches!(tx.try_reserve_many(1), Err(TrySendError::Full(()))));
    rx.close();
    assert!(block_on(tx.reserve_many(1)).is_err());
    assert!(matches!(tx.try_reserve_many(1), Err(TrySendError::Closed(()))));
    // The receiver reports the end only once the held slots come back.
    let mut recv = Task::new(rx.recv());
    recv.assert_pending();
    drop(held);
    assert!(recv.is_woken());
    assert_eq!(recv.assert_ready(), None);
}

#[test]
fn a_cancelled_partly_granted_reserve_many_returns_its_slots() {
    let (tx, mut rx) = mpsc::channel::<u8>(3);
    tx.try_send(1).unwrap();
    tx.try_send(2).unwrap();
    let mut many = Task::new(tx.reserve_many(3));
    many.assert_pending();
    // One slot frees: the queued reservation holds it, but still waits.
    assert_eq!(rx.try_recv(), Ok(1));
    many.assert_pending();
    assert_eq!(tx.capacity(), 0);
    drop(many);
    assert_eq!(tx.capacity(), 2);
}
