use std::sync::atomic::{AtomicUsize as StdAtomicUsize, Ordering as StdOrdering};
use std::sync::Arc;

use super::{list, BLOCK_CAP};

#[test]
fn values_come_out_in_order_across_many_blocks() {
    let (tx, mut rx) = list();
    for round in 0..10 {
        for i in 0..(3 * BLOCK_CAP + 5) {
            tx.push(round * 1000 + i);
        }
        for i in 0..(3 * BLOCK_CAP + 5) {
            assert_eq!(rx.pop(&tx), Some(round * 1000 + i));
        }
        assert_eq!(rx.pop(&tx), None);
    }
    assert_eq!(tx.claimed(), rx.index());
    // SAFETY: single-threaded test; both halves are unused afterwards.
    unsafe { rx.free(&tx) };
}

#[test]
fn interleaved_push_and_pop() {
    let (tx, mut rx) = list();
    let mut next_out = 0;
    for i in 0..(20 * BLOCK_CAP) {
        tx.push(i);
        if i % 3 == 0 {
            assert_eq!(rx.pop(&tx), Some(next_out));
            next_out += 1;
        }
    }
    while let Some(v) = rx.pop(&tx) {
        assert_eq!(v, next_out);
        next_out += 1;
    }
    assert_eq!(next_out, 20 * BLOCK_CAP);
    // SAFETY: as above.
    unsafe { rx.free(&tx) };
}

#[test]
fn free_drops_unread_values() {
    struct Counted(Arc<StdAtomicUsize>);
    impl Drop for Counted {
        fn drop(&mut self) {
            self.0.fetch_add(1, StdOrdering::SeqCst);
        }
    }
    let drops = Arc::new(StdAtomicUsize::new(0));
    let (tx, mut rx) = list();
    for _ in 0..(2 * BLOCK_CAP + 1) {
        tx.push(Counted(drops.clone()));
    }
    drop(rx.pop(&tx));
    assert_eq!(drops.load(StdOrdering::SeqCst), 1);
    // SAFETY: as above.
    unsafe { rx.free(&tx) };
    assert_eq!(drops.load(StdOrdering::SeqCst), 2 * BLOCK_CAP + 1);
}

#[test]
fn concurrent_senders_keep_per_sender_order() {
    const SENDERS: usize = 4;
    const PER_SENDER: usize = 20_000;
    let (tx, mut rx) = list::<(usize, usize)>();
    let tx = Arc::new(tx);
    let handles: Vec<_> = (0..SENDERS)
        .map(|sender| {
            let tx = tx.clone();
            std::thread::spawn(move || {
                for seq in 0..PER_SENDER {
                    tx.push((sender, seq));
                }
            })
        })
        .collect();
    let mut next = [0; SENDERS];
    let mut received = 0;
    while received < SENDERS * PER_SENDER {
        match rx.pop(&tx) {
            Some((sender, seq)) => {
                assert_eq!(seq, next[sender], "sender {sender} out of order");
                next[sender] += 1;
                received += 1;
            }
            None => std::thread::yield_now(),
        }
    }
    for handle in handles {
        handle.join().unwrap();
    }
    assert_eq!(rx.pop(&tx), None);
    // SAFETY: all senders joined; nothing uses the list afterwards.
    unsafe { rx.free(&tx) };
}
