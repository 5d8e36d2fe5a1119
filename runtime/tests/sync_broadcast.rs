//! `weft::sync::broadcast`: fan-out, lag, close.

#[path = "support/sync_util.rs"]
mod sync_util;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use sync_util::{block_on, Task};
use weft::sync::broadcast::{
    self,
    error::{RecvError, TryRecvError},
};

#[test]
fn every_receiver_gets_every_value() {
    let (tx, mut a) = broadcast::channel(8);
    let mut b = tx.subscribe();
    assert_eq!(tx.send(1).unwrap(), 2);
    assert_eq!(tx.send(2).unwrap(), 2);
    for rx in [&mut a, &mut b] {
        assert_eq!(rx.try_recv(), Ok(1));
        assert_eq!(block_on(rx.recv()), Ok(2));
        assert_eq!(rx.try_recv(), Err(TryRecvError::Empty));
    }
}

#[test]
fn subscribers_only_see_later_values() {
    let (tx, mut a) = broadcast::channel(4);
    tx.send("early").unwrap();
    let mut late = tx.subscribe();
    let mut resub = a.resubscribe();
    tx.send("late").unwrap();
    assert_eq!(a.try_recv(), Ok("early"));
    assert_eq!(late.try_recv(), Ok("late"));
    assert_eq!(resub.try_recv(), Ok("late"));
    assert_eq!(tx.receiver_count(), 3);
    assert!(late.same_channel(&resub));
    assert!(tx.same_channel(&tx.clone()));
}

#[test]
fn recv_waits_and_is_woken_by_send() {
    let (tx, mut rx) = broadcast::channel(2);
    let mut recv = Task::new(rx.recv());
    recv.assert_pending();
    tx.send(5).unwrap();
    assert!(recv.is_woken());
    assert_eq!(recv.assert_ready(), Ok(5));
}

#[test]
fn a_lagging_receiver_is_told_and_continues_from_the_oldest() {
    let (tx, mut rx) = broadcast::channel(4);
    for i in 0..10 {
        tx.send(i).unwrap();
    }
    assert_eq!(block_on(rx.recv()), Err(RecvError::Lagged(6)));
    for i in 6..10 {
        assert_eq!(rx.try_recv(), Ok(i));
    }
    assert_eq!(rx.try_recv(), Err(TryRecvError::Empty));
}

#[test]
fn capacity_is_rounded_up_to_a_power_of_two() {
    let (tx, mut rx) = broadcast::channel(3);
    for i in 0..5 {
        tx.send(i).unwrap();
    }
    // Capacity 4: value 0 was lost.
    assert_eq!(rx.try_recv(), Err(TryRecvError::Lagged(1)));
    assert_eq!(rx.try_recv(), Ok(1));
}

#[test]
#[should_panic(expected = "broadcast channel capacity cannot be zero")]
fn zero_capacity_panics() {
    let _ = broadcast::channel::<u8>(0);
}

#[test]
fn send_without_receivers_fails() {
    let (tx, rx) = broadcast::channel(2);
    drop(rx);
    assert_eq!(tx.send(1).unwrap_err().0, 1);
    let mut rx = tx.subscribe();
    tx.send(2).unwrap();
    assert_eq!(rx.try_recv(), Ok(2));
}

#[test]
fn closing_delivers_what_is_left_then_closed() {
    let (tx, mut rx) = broadcast::channel(4);
    let tx2 = tx.clone();
    tx.send(1).unwrap();
    drop(tx);
    assert!(!rx.is_closed());
    assert_eq!(rx.sender_strong_count(), 1);
    drop(tx2);
    assert!(rx.is_closed());
    assert_eq!(rx.try_recv(), Ok(1));
    assert_eq!(rx.try_recv(), Err(TryRecvError::Closed));
    assert_eq!(block_on(rx.recv()), Err(RecvError::Closed));
}

#[test]
fn dropping_the_last_sender_wakes_receivers() {
    let (tx, mut rx) = broadcast::channel::<u8>(1);
    let mut recv = Task::new(rx.recv());
    recv.assert_pending();
    drop(tx);
    assert!(recv.is_woken());
    assert_eq!(recv.assert_ready(), Err(RecvError::Closed));
}

#[test]
fn a_dropped_recv_loses_nothing() {
    let (tx, mut rx) = broadcast::channel(4);
    {
        let mut recv = Task::new(rx.recv());
        recv.assert_pending();
        tx.send(1).unwrap();
        assert!(recv.is_woken());
    }
    // The value that woke the dropped `recv` is still there.
    assert_eq!(Task::new(rx.recv()).assert_ready(), Ok(1));
    tx.send(2).unwrap();
    assert_eq!(rx.try_recv(), Ok(2));
}

#[test]
fn len_counts_unread_values() {
    let (tx, mut a) = broadcast::channel(4);
    let mut b = tx.subscribe();
    assert!(tx.is_empty());
    tx.send(1).unwrap();
    tx.send(2).unwrap();
    assert_eq!((tx.len(), a.len(), b.len()), (2, 2, 2));
    a.try_recv().unwrap();
    assert_eq!((tx.len(), a.len()), (2, 1));
    b.try_recv().unwrap();
    assert_eq!(tx.len(), 1);
    drop(b);
    assert_eq!(tx.len(), 1);
    a.try_recv().unwrap();
    assert!(tx.is_empty());
    assert!(a.is_empty());
}

#[test]
fn values_are_dropped_once_everyone_read_them() {
    #[derive(Clone)]
    struct Counted(Arc<AtomicUsize>);
    impl Drop for Counted {
        fn drop(&mut self) {
            self.0.fetch_add(1, Ordering::SeqCst);
        }
    }
    let drops = Arc::new(AtomicUsize::new(0));
    let (tx, mut a) = broadcast::channel(4);
    let b = tx.subscribe();
    tx.send(Counted(drops.clone())).unwrap();
    drop(a.try_recv().unwrap());
    assert_eq!(drops.load(Ordering::SeqCst), 1, "a's clone");
    drop(b);
    // The last reader (here: the dropped receiver) releases the original.
    assert_eq!(drops.load(Ordering::SeqCst), 2);
}

#[test]
fn a_spent_coop_budget_makes_recv_yield() {
    let (tx, mut rx) = broadcast::channel(1024);
    for i in 0..1000 {
        tx.send(i).unwrap();
    }
    let mut looping = Task::new(async move { while rx.recv().await.is_ok() {} });
    assert!(weft_scheduler::coop::budget(|| looping.poll()).is_pending());
    assert!(looping.is_woken());
}

#[test]
fn receivers_on_threads_get_everything_in_order() {
    const VALUES: u64 = 5_000;
    let (tx, rx) = broadcast::channel(VALUES as usize);
    let receivers: Vec<_> = (0..3)
        .map(|i| {
            let mut rx = if i == 0 {
                rx.resubscribe()
            } else {
                tx.subscribe()
            };
            std::thread::spawn(move || {
                let mut expected = 0;
                loop {
                    match rx.blocking_recv() {
                        Ok(v) => {
                            assert_eq!(v, expected);
                            expected += 1;
                        }
                        Err(RecvError::Closed) => return expected,
                        Err(RecvError::Lagged(n)) => panic!("lagged by {n} with room for all"),
                    }
                }
            })
        })
        .collect();
    drop(rx);
    for v in 0..VALUES {
        tx.send(v).unwrap();
    }
    drop(tx);
    for receiver in receivers {
        assert_eq!(receiver.join().unwrap(), VALUES);
    }
}
