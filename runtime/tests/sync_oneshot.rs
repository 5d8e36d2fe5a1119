//! `weft::sync::oneshot`: send, receive, close, drop on either side.

#[path = "support/sync_util.rs"]
mod sync_util;

use std::future::Future;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};

use sync_util::{block_on, noop_waker, Task, WakeCounter};
use weft::sync::oneshot::{self, error::TryRecvError};

#[test]
fn send_then_receive() {
    let (tx, rx) = oneshot::channel();
    assert!(tx.send(7).is_ok());
    assert_eq!(block_on(rx), Ok(7));
}

#[test]
fn receive_waits_for_send() {
    let (tx, rx) = oneshot::channel();
    let mut rx = Task::new(rx);
    rx.assert_pending();
    rx.assert_pending();
    assert!(!rx.is_woken());
    tx.send("hi").unwrap();
    assert_eq!(rx.wake_count(), 1);
    assert_eq!(rx.assert_ready(), Ok("hi"));
}

#[test]
fn dropping_the_sender_fails_the_receiver_and_wakes_it() {
    let (tx, rx) = oneshot::channel::<u8>();
    let mut rx = Task::new(rx);
    rx.assert_pending();
    drop(tx);
    assert!(rx.is_woken());
    assert!(rx.assert_ready().is_err());
}

#[test]
fn dropping_the_receiver_fails_the_send() {
    let (tx, rx) = oneshot::channel();
    assert!(!tx.is_closed());
    drop(rx);
    assert!(tx.is_closed());
    assert_eq!(tx.send(String::from("lost")), Err(String::from("lost")));
}

#[test]
fn close_refuses_later_sends_but_keeps_an_earlier_value() {
    let (tx, mut rx) = oneshot::channel();
    rx.close();
    assert_eq!(tx.send(1), Err(1));
    assert_eq!(rx.try_recv(), Err(TryRecvError::Closed));

    let (tx, mut rx) = oneshot::channel();
    tx.send(2).unwrap();
    rx.close();
    assert_eq!(rx.try_recv(), Ok(2));
}

#[test]
fn awaiting_a_closed_empty_receiver_fails() {
    let (_tx, mut rx) = oneshot::channel::<u8>();
    rx.close();
    assert!(block_on(&mut rx).is_err());
    assert!(rx.is_terminated());
}

#[test]
fn try_recv_reports_empty_value_then_closed() {
    let (tx, mut rx) = oneshot::channel();
    assert_eq!(rx.try_recv(), Err(TryRecvError::Empty));
    assert!(rx.is_empty());
    tx.send(3).unwrap();
    assert!(!rx.is_empty());
    assert!(!rx.is_terminated());
    assert_eq!(rx.try_recv(), Ok(3));
    assert!(rx.is_terminated());
    assert_eq!(rx.try_recv(), Err(TryRecvError::Closed));

    let (tx, mut rx) = oneshot::channel::<u8>();
    drop(tx);
    assert_eq!(rx.try_recv(), Err(TryRecvError::Closed));
}

#[test]
#[should_panic(expected = "polled after it returned its result")]
fn polling_after_completion_panics() {
    let (tx, mut rx) = oneshot::channel();
    tx.send(1).unwrap();
    assert_eq!(block_on(&mut rx), Ok(1));
    let _ = block_on(&mut rx);
}

#[test]
fn only_the_latest_waker_is_woken() {
    let (tx, mut rx) = oneshot::channel();
    let first = Arc::new(WakeCounter::default());
    let second = Arc::new(WakeCounter::default());
    let first_waker = first.clone().into();
    let second_waker = second.clone().into();
    assert!(std::pin::Pin::new(&mut rx)
        .poll(&mut Context::from_waker(&first_waker))
        .is_pending());
    assert!(std::pin::Pin::new(&mut rx)
        .poll(&mut Context::from_waker(&second_waker))
        .is_pending());
    tx.send(()).unwrap();
    let count = |c: &Arc<WakeCounter>| format!("{c:?}");
    assert_eq!(count(&first), "WakeCounter(0)");
    assert_eq!(count(&second), "WakeCounter(1)");
}

#[test]
fn poll_closed_waits_for_the_receiver_to_go() {
    let (mut tx, rx) = oneshot::channel::<u8>();
    let counter = Arc::new(WakeCounter::default());
    let waker = counter.clone().into();
    let mut cx = Context::from_waker(&waker);
    assert!(tx.poll_closed(&mut cx).is_pending());
    drop(rx);
    assert_eq!(format!("{counter:?}"), "WakeCounter(1)");
    assert!(tx.poll_closed(&mut cx).is_ready());
}

#[test]
fn closed_future_completes_on_close() {
    let (mut tx, mut rx) = oneshot::channel::<u8>();
    {
        let mut closed = Task::new(tx.closed());
        closed.assert_pending();
        rx.close();
        assert!(closed.is_woken());
        closed.assert_ready();
    }
    assert!(tx.is_closed());
}

#[test]
fn an_unreceived_value_is_dropped_with_the_receiver() {
    struct Tracked(Arc<AtomicUsize>);
    impl Drop for Tracked {
        fn drop(&mut self) {
            self.0.fetch_add(1, Ordering::SeqCst);
        }
    }
    let drops = Arc::new(AtomicUsize::new(0));
    let (tx, rx) = oneshot::channel();
    assert!(tx.send(Tracked(drops.clone())).is_ok());
    assert_eq!(drops.load(Ordering::SeqCst), 0);
    drop(rx);
    assert_eq!(drops.load(Ordering::SeqCst), 1);

    // A value refused because the receiver is gone comes back to the caller.
    let (tx, rx) = oneshot::channel();
    drop(rx);
    let refused = tx.send(Tracked(drops.clone())).err().unwrap();
    assert_eq!(drops.load(Ordering::SeqCst), 1);
    drop(refused);
    assert_eq!(drops.load(Ordering::SeqCst), 2);
}

#[test]
fn blocking_recv_from_a_thread() {
    let (tx, rx) = oneshot::channel();
    let handle = std::thread::spawn(move || rx.blocking_recv());
    tx.send(5u64).unwrap();
    assert_eq!(handle.join().unwrap(), Ok(5));
}

/// A message to the echo thread: a value, where to reply, and the channel
/// the next message will come on.
struct Ping {
    value: u32,
    reply: oneshot::Sender<u32>,
    next: oneshot::Receiver<Ping>,
}

#[test]
fn ping_pong_across_threads() {
    let (mut to_echo, inbox) = oneshot::channel::<Ping>();
    let echo = std::thread::spawn(move || {
        let mut inbox = inbox;
        let mut rounds = 0;
        while let Ok(ping) = block_on(inbox) {
            ping.reply.send(ping.value + 1).unwrap();
            inbox = ping.next;
            rounds += 1;
        }
        rounds
    });
    for value in 0..1000 {
        let (reply, reply_rx) = oneshot::channel();
        let (next_tx, next) = oneshot::channel();
        assert!(to_echo.send(Ping { value, reply, next }).is_ok());
        to_echo = next_tx;
        assert_eq!(block_on(reply_rx), Ok(value + 1));
    }
    drop(to_echo);
    assert_eq!(echo.join().unwrap(), 1000);
}

#[test]
fn racing_send_and_drop_never_loses_or_duplicates() {
    for round in 0..2000 {
        let (tx, rx) = oneshot::channel::<usize>();
        let sender = std::thread::spawn(move || tx.send(round).is_ok());
        let received = if round % 2 == 0 {
            block_on(rx).ok()
        } else {
            drop(rx);
            None
        };
        let sent = sender.join().unwrap();
        if round % 2 == 0 {
            assert!(sent);
            assert_eq!(received, Some(round));
        }
    }
}

#[test]
fn racing_poll_and_send_always_wakes() {
    for _ in 0..2000 {
        let (tx, rx) = oneshot::channel::<u8>();
        let sender = std::thread::spawn(move || tx.send(1).unwrap());
        assert_eq!(block_on(rx), Ok(1));
        sender.join().unwrap();
    }
}

#[test]
fn a_spent_coop_budget_makes_recv_yield() {
    let mut looping = Task::new(async {
        loop {
            let (tx, rx) = oneshot::channel();
            tx.send(1).unwrap();
            rx.await.unwrap();
        }
    });
    assert!(weft_scheduler::coop::budget(|| looping.poll()).is_pending());
    assert!(looping.is_woken());
}

#[test]
fn noop_poll_of_pending_receiver() {
    let (_tx, mut rx) = oneshot::channel::<u8>();
    let waker = noop_waker();
    assert_eq!(
        std::pin::Pin::new(&mut rx).poll(&mut Context::from_waker(&waker)),
        Poll::Pending
    );
}
