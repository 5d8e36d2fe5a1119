//! `weft::sync::Semaphore`: permits, FIFO fairness, close, cancellation.

#[path = "support/sync_util.rs"]
mod sync_util;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use sync_util::{block_on, Task};
use weft::sync::{Semaphore, TryAcquireError};

#[test]
fn try_acquire_takes_and_drop_returns() {
    let sem = Semaphore::new(2);
    let a = sem.try_acquire().unwrap();
    let b = sem.try_acquire().unwrap();
    assert_eq!(sem.available_permits(), 0);
    assert_eq!(sem.try_acquire().unwrap_err(), TryAcquireError::NoPermits);
    drop(a);
    assert_eq!(sem.available_permits(), 1);
    drop(b);
    assert_eq!(sem.available_permits(), 2);
}

#[test]
fn try_acquire_many_is_all_or_nothing() {
    let sem = Semaphore::new(3);
    assert!(sem.try_acquire_many(4).unwrap_err().is_no_permits());
    assert_eq!(sem.available_permits(), 3);
    let permit = sem.try_acquire_many(3).unwrap();
    assert_eq!(permit.num_permits(), 3);
    assert_eq!(sem.available_permits(), 0);
}

#[test]
fn zero_permit_acquire_always_succeeds_while_open() {
    let sem = Semaphore::new(0);
    assert!(sem.try_acquire_many(0).is_ok());
    assert!(block_on(sem.acquire_many(0)).is_ok());
}

#[test]
fn forget_keeps_permits_out() {
    let sem = Semaphore::new(2);
    sem.try_acquire().unwrap().forget();
    assert_eq!(sem.available_permits(), 1);
}

#[test]
fn forget_permits_removes_only_available_ones() {
    let sem = Semaphore::new(4);
    let held = sem.try_acquire().unwrap();
    assert_eq!(sem.forget_permits(10), 3);
    assert_eq!(sem.available_permits(), 0);
    drop(held);
    assert_eq!(sem.available_permits(), 1);
}

#[test]
fn add_permits_grows_the_pool() {
    let sem = Semaphore::new(0);
    sem.add_permits(5);
    assert_eq!(sem.available_permits(), 5);
}

#[test]
fn merge_and_split_move_permits() {
    let sem = Semaphore::new(5);
    let mut a = sem.try_acquire_many(2).unwrap();
    a.merge(sem.try_acquire_many(3).unwrap());
    assert_eq!(a.num_permits(), 5);
    let b = a.split(4).unwrap();
    assert_eq!((a.num_permits(), b.num_permits()), (1, 4));
    assert!(a.split(2).is_none());
    drop(b);
    assert_eq!(sem.available_permits(), 4);
    drop(a);
    assert_eq!(sem.available_permits(), 5);
}

#[test]
#[should_panic(expected = "cannot merge permits of different semaphores")]
fn merge_across_semaphores_panics() {
    let one = Semaphore::new(1);
    let two = Semaphore::new(1);
    let mut a = one.try_acquire().unwrap();
    a.merge(two.try_acquire().unwrap());
}

#[test]
fn owned_permits_merge_split_and_release() {
    let sem = Arc::new(Semaphore::new(3));
    let mut a = sem.clone().try_acquire_owned().unwrap();
    a.merge(sem.clone().try_acquire_many_owned(2).unwrap());
    assert_eq!(a.num_permits(), 3);
    assert!(Arc::ptr_eq(a.semaphore(), &sem));
    let b = a.split(1).unwrap();
    drop(a);
    assert_eq!(sem.available_permits(), 2);
    b.forget();
    assert_eq!(sem.available_permits(), 2);
    let c = block_on(sem.clone().acquire_many_owned(2)).unwrap();
    assert_eq!(c.num_permits(), 2);
    drop(c);
    let d = block_on(sem.clone().acquire_owned()).unwrap();
    assert_eq!(sem.available_permits(), 1);
    drop(d);
}

#[test]
#[should_panic(expected = "a semaphore may not have more than MAX_PERMITS permits")]
fn new_above_max_permits_panics() {
    let _ = Semaphore::new(Semaphore::MAX_PERMITS + 1);
}

#[test]
#[should_panic(expected = "would overflow MAX_PERMITS")]
fn add_permits_past_max_panics() {
    let sem = Semaphore::new(Semaphore::MAX_PERMITS);
    sem.add_permits(1);
}

#[test]
fn max_permits_is_usize_max_shifted_by_three() {
    assert_eq!(Semaphore::MAX_PERMITS, usize::MAX >> 3);
    let sem = Semaphore::new(Semaphore::MAX_PERMITS);
    assert_eq!(sem.available_permits(), Semaphore::MAX_PERMITS);
}

#[test]
fn const_new_works_in_a_static() {
    static SEM: Semaphore = Semaphore::const_new(2);
    let permit = SEM.try_acquire().unwrap();
    assert_eq!(SEM.available_permits(), 1);
    drop(permit);
    // Waiting on a `static` allocates its waiter lock lazily.
    let held = SEM.try_acquire_many(2).unwrap();
    let mut waiter = Task::new(SEM.acquire());
    waiter.assert_pending();
    drop(held);
    assert!(waiter.is_woken());
    assert_eq!(waiter.assert_ready().unwrap().num_permits(), 1);
}

#[test]
fn acquire_waits_until_a_permit_is_released() {
    let sem = Semaphore::new(1);
    let held = sem.try_acquire().unwrap();
    let mut waiter = Task::new(sem.acquire());
    waiter.assert_pending();
    assert!(!waiter.is_woken());
    drop(held);
    assert_eq!(waiter.wake_count(), 1);
    let permit = waiter.assert_ready().unwrap();
    assert_eq!(sem.available_permits(), 0);
    drop(permit);
    assert_eq!(sem.available_permits(), 1);
}

#[test]
fn waiters_are_served_in_fifo_order() {
    let sem = Semaphore::new(0);
    let mut first = Task::new(sem.acquire_many(2));
    let mut second = Task::new(sem.acquire());
    first.assert_pending();
    second.assert_pending();

    // One permit is not enough for the first waiter, and the second may
    // not overtake it: the permit is held for the first.
    sem.add_permits(1);
    assert!(!first.is_woken());
    assert!(!second.is_woken());
    assert_eq!(sem.available_permits(), 0);
    assert_eq!(sem.try_acquire().unwrap_err(), TryAcquireError::NoPermits);
    second.assert_pending();

    sem.add_permits(1);
    assert!(first.is_woken());
    assert!(!second.is_woken());
    let first_permit = first.assert_ready().unwrap();

    sem.add_permits(1);
    assert!(second.is_woken());
    second.assert_ready().unwrap().forget();
    drop(first_permit);
    assert_eq!(sem.available_permits(), 2);
}

#[test]
fn newcomers_cannot_overtake_a_queued_waiter() {
    let sem = Semaphore::new(1);
    let mut big = Task::new(sem.acquire_many(3));
    big.assert_pending();
    // The free permit went to the queued waiter.
    assert!(sem.try_acquire().is_err());
    let mut small = Task::new(sem.acquire());
    small.assert_pending();
    sem.add_permits(2);
    assert!(big.is_woken());
    assert!(!small.is_woken());
    drop(big.assert_ready().unwrap());
    assert!(small.is_woken());
    small.assert_ready().unwrap().forget();
}

#[test]
fn close_fails_waiters_and_new_acquires_but_keeps_held_permits() {
    let sem = Semaphore::new(1);
    let held = sem.try_acquire().unwrap();
    let mut waiter = Task::new(sem.acquire());
    waiter.assert_pending();
    sem.close();
    assert!(sem.is_closed());
    assert!(waiter.is_woken());
    assert!(waiter.assert_ready().is_err());
    assert_eq!(sem.try_acquire().unwrap_err(), TryAcquireError::Closed);
    assert!(block_on(sem.acquire()).is_err());
    drop(held);
    assert_eq!(sem.available_permits(), 1);
    assert!(sem.try_acquire().unwrap_err().is_closed());
}

#[test]
fn close_returns_partial_grants() {
    let sem = Semaphore::new(2);
    let mut waiter = Task::new(sem.acquire_many(3));
    waiter.assert_pending();
    assert_eq!(sem.available_permits(), 0);
    sem.close();
    assert!(waiter.assert_ready().is_err());
    assert_eq!(sem.available_permits(), 2);
}

#[test]
fn dropping_a_queued_acquire_leaves_the_queue() {
    let sem = Semaphore::new(0);
    let mut first = Task::new(sem.acquire());
    let mut second = Task::new(sem.acquire());
    first.assert_pending();
    second.assert_pending();
    drop(first);
    sem.add_permits(1);
    assert!(second.is_woken());
    second.assert_ready().unwrap().forget();
}

#[test]
fn dropping_a_granted_but_unpolled_acquire_returns_the_permit() {
    let sem = Semaphore::new(0);
    let mut first = Task::new(sem.acquire());
    let mut second = Task::new(sem.acquire());
    first.assert_pending();
    second.assert_pending();
    sem.add_permits(1);
    assert!(first.is_woken());
    // Granted, but the task never polls again.
    drop(first);
    assert!(second.is_woken());
    second.assert_ready().unwrap().forget();
    assert_eq!(sem.available_permits(), 0);
}

#[test]
fn dropping_a_partly_granted_acquire_passes_permits_on() {
    let sem = Semaphore::new(0);
    let mut big = Task::new(sem.acquire_many(3));
    let mut small = Task::new(sem.acquire_many(2));
    big.assert_pending();
    small.assert_pending();
    sem.add_permits(2);
    assert!(!big.is_woken());
    drop(big);
    assert!(small.is_woken());
    small.assert_ready().unwrap().forget();
    assert_eq!(sem.available_permits(), 0);
}

#[test]
fn dropping_the_last_waiter_makes_released_permits_available_again() {
    let sem = Semaphore::new(0);
    let mut waiter = Task::new(sem.acquire_many(2));
    waiter.assert_pending();
    drop(waiter);
    sem.add_permits(1);
    assert_eq!(sem.available_permits(), 1);
    assert!(sem.try_acquire().is_ok());
}

#[test]
fn a_spent_coop_budget_makes_acquire_yield() {
    let sem = Semaphore::new(1);
    let mut looping = Task::new(async {
        loop {
            drop(sem.acquire().await.unwrap());
        }
    });
    let poll = weft_scheduler::coop::budget(|| looping.poll());
    assert!(poll.is_pending());
    assert!(looping.is_woken(), "a budget yield must wake the task");
    assert_eq!(sem.available_permits(), 1);
}

#[test]
fn threads_never_exceed_the_permit_count() {
    const PERMITS: usize = 3;
    let sem = Arc::new(Semaphore::new(PERMITS));
    let inside = Arc::new(AtomicUsize::new(0));
    let max_seen = Arc::new(AtomicUsize::new(0));
    let handles: Vec<_> = (0..8)
        .map(|i| {
            let (sem, inside, max_seen) = (sem.clone(), inside.clone(), max_seen.clone());
            std::thread::spawn(move || {
                for _ in 0..500 {
                    let permit = block_on(sem.acquire_many(1 + (i % 2))).unwrap();
                    let now = inside.fetch_add(permit.num_permits(), Ordering::SeqCst)
                        + permit.num_permits();
                    max_seen.fetch_max(now, Ordering::SeqCst);
                    std::thread::yield_now();
                    inside.fetch_sub(permit.num_permits(), Ordering::SeqCst);
                }
            })
        })
        .collect();
    for handle in handles {
        handle.join().unwrap();
    }
    assert!(max_seen.load(Ordering::SeqCst) <= PERMITS);
    assert_eq!(sem.available_permits(), PERMITS);
}

#[test]
fn blocking_acquire_waits_for_a_permit_released_by_another_thread() {
    let sem = Arc::new(Semaphore::new(1));
    let held = sem.clone().try_acquire_owned().unwrap();
    let remote = sem.clone();
    let waiter = std::thread::spawn(move || {
        let permit = remote.blocking_acquire().unwrap();
        permit.num_permits()
    });
    // The waiter cannot finish before the permit comes back.
    drop(held);
    assert_eq!(waiter.join().unwrap(), 1);
    assert_eq!(sem.available_permits(), 1);
}

#[test]
fn blocking_acquire_many_and_owned_forms_take_their_permits() {
    let sem = Arc::new(Semaphore::new(5));
    let many = sem.blocking_acquire_many(3).unwrap();
    assert_eq!((many.num_permits(), sem.available_permits()), (3, 2));
    let owned = sem.clone().blocking_acquire_owned().unwrap();
    let owned_many = sem.clone().blocking_acquire_many_owned(1).unwrap();
    assert_eq!(sem.available_permits(), 0);
    let owner = std::thread::spawn(move || {
        // Owned permits can leave the thread that took them.
        owned.num_permits() + owned_many.num_permits()
    });
    assert_eq!(owner.join().unwrap(), 2);
    drop(many);
    assert_eq!(sem.available_permits(), 5);
}

#[test]
fn blocking_acquire_on_a_closed_semaphore_fails() {
    let sem = Arc::new(Semaphore::new(0));
    let remote = sem.clone();
    let waiter = std::thread::spawn(move || remote.blocking_acquire().is_err());
    sem.close();
    assert!(waiter.join().unwrap());
    assert!(sem.blocking_acquire_many(1).is_err());
    assert!(sem.clone().blocking_acquire_owned().is_err());
}

#[test]
#[should_panic(expected = "already driving weft tasks")]
fn blocking_acquire_inside_a_runtime_panics() {
    let rt = weft::runtime::Builder::new_current_thread().build().unwrap();
    rt.block_on(async {
        let sem = Semaphore::new(1);
        let _ = sem.blocking_acquire();
    });
}
