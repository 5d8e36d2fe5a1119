//! `weft::sync::Barrier`: rounds, leaders, reuse.

#[path = "support/sync_util.rs"]
mod sync_util;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use sync_util::{block_on, Task};
use weft::sync::Barrier;

#[test]
fn releases_everyone_when_the_last_arrives() {
    let barrier = Barrier::new(3);
    let mut a = Task::new(barrier.wait());
    let mut b = Task::new(barrier.wait());
    a.assert_pending();
    b.assert_pending();
    let c = Task::new(barrier.wait()).assert_ready();
    assert!(c.is_leader());
    assert!(a.is_woken() && b.is_woken());
    assert!(!a.assert_ready().is_leader());
    assert!(!b.assert_ready().is_leader());
}

#[test]
fn the_barrier_is_reusable_and_rounds_do_not_mix() {
    let barrier = Barrier::new(2);
    let mut first = Task::new(barrier.wait());
    first.assert_pending();
    assert!(Task::new(barrier.wait()).assert_ready().is_leader());
    // A waiter of the next round is not released by the previous one.
    let mut next_round = Task::new(barrier.wait());
    next_round.assert_pending();
    assert!(!first.assert_ready().is_leader());
    next_round.assert_pending();
    assert!(Task::new(barrier.wait()).assert_ready().is_leader());
    assert!(!next_round.assert_ready().is_leader());
}

#[test]
fn sizes_zero_and_one_never_wait() {
    for n in [0, 1] {
        let barrier = Barrier::new(n);
        for _ in 0..3 {
            assert!(Task::new(barrier.wait()).assert_ready().is_leader());
        }
    }
}

#[test]
fn threads_get_one_leader_per_round() {
    const THREADS: usize = 4;
    const ROUNDS: usize = 200;
    let barrier = Arc::new(Barrier::new(THREADS));
    let leaders = Arc::new(AtomicUsize::new(0));
    let handles: Vec<_> = (0..THREADS)
        .map(|_| {
            let (barrier, leaders) = (barrier.clone(), leaders.clone());
            std::thread::spawn(move || {
                for _ in 0..ROUNDS {
                    if block_on(barrier.wait()).is_leader() {
                        leaders.fetch_add(1, Ordering::SeqCst);
                    }
                }
            })
        })
        .collect();
    for handle in handles {
        handle.join().unwrap();
    }
    assert_eq!(leaders.load(Ordering::SeqCst), ROUNDS);
}
