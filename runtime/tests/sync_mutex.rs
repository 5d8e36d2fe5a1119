//! `weft::sync::Mutex`: locking, guards, fairness, cancellation, panics.

#[path = "support/sync_util.rs"]
mod sync_util;

use std::sync::Arc;

use sync_util::{block_on, Task};
use weft::sync::{MappedMutexGuard, Mutex, MutexGuard, OwnedMutexGuard};

#[test]
fn lock_gives_exclusive_access() {
    let mutex = Mutex::new(0);
    let mut guard = block_on(mutex.lock());
    *guard += 1;
    assert!(mutex.try_lock().is_err());
    drop(guard);
    assert_eq!(*mutex.try_lock().unwrap(), 1);
}

#[test]
fn lock_waits_for_the_holder() {
    let mutex = Mutex::new(());
    let held = mutex.try_lock().unwrap();
    let mut waiter = Task::new(mutex.lock());
    waiter.assert_pending();
    drop(held);
    assert!(waiter.is_woken());
    let _guard = waiter.assert_ready();
    assert!(mutex.try_lock().is_err());
}

#[test]
fn waiters_get_the_lock_in_order() {
    let mutex = Mutex::new(Vec::new());
    let held = mutex.try_lock().unwrap();
    let mut tasks: Vec<_> = (0..3)
        .map(|i| {
            let mutex = &mutex;
            Task::new(async move { mutex.lock().await.push(i) })
        })
        .collect();
    for task in &mut tasks {
        task.assert_pending();
    }
    drop(held);
    for task in &mut tasks {
        assert!(task.is_woken());
        task.assert_ready();
    }
    assert_eq!(*mutex.try_lock().unwrap(), [0, 1, 2]);
}

#[test]
fn a_dropped_waiting_lock_leaves_the_queue() {
    let mutex = Mutex::new(());
    let held = mutex.try_lock().unwrap();
    let mut first = Task::new(mutex.lock());
    let mut second = Task::new(mutex.lock());
    first.assert_pending();
    second.assert_pending();
    drop(first);
    drop(held);
    assert!(second.is_woken());
    drop(second.assert_ready());
}

#[test]
fn a_granted_but_dropped_lock_is_released() {
    let mutex = Mutex::new(());
    let held = mutex.try_lock().unwrap();
    let mut first = Task::new(mutex.lock());
    let mut second = Task::new(mutex.lock());
    first.assert_pending();
    second.assert_pending();
    drop(held);
    assert!(first.is_woken());
    drop(first);
    assert!(second.is_woken());
    drop(second.assert_ready());
    assert!(mutex.try_lock().is_ok());
}

#[test]
fn a_panic_while_locked_releases_the_lock() {
    let mutex = Arc::new(Mutex::new(1));
    let remote = mutex.clone();
    let result = std::thread::spawn(move || {
        let mut guard = remote.blocking_lock();
        *guard = 2;
        panic!("boom");
    })
    .join();
    assert!(result.is_err());
    // No poisoning: the lock is free and the data is there.
    assert_eq!(*mutex.try_lock().unwrap(), 2);
}

#[test]
fn owned_guards_outlive_the_borrow() {
    let mutex = Arc::new(Mutex::new(String::from("a")));
    let mut guard: OwnedMutexGuard<String> = block_on(mutex.clone().lock_owned());
    guard.push('b');
    assert!(Arc::ptr_eq(OwnedMutexGuard::mutex(&guard), &mutex));
    assert!(mutex.clone().try_lock_owned().is_err());
    let handle = std::thread::spawn(move || guard.len());
    assert_eq!(handle.join().unwrap(), 2);
    let guard = mutex.clone().try_lock_owned().unwrap();
    assert_eq!(*guard, "ab");
    drop(guard);
    let guard = mutex.clone().blocking_lock_owned();
    assert_eq!(format!("{guard:?}"), "\"ab\"");
}

#[test]
fn map_narrows_and_keeps_the_lock() {
    let mutex = Mutex::new((1, (String::from("x"), 0u8)));
    let guard = mutex.try_lock().unwrap();
    assert!(std::ptr::eq(MutexGuard::mutex(&guard), &mutex));
    let mut inner: MappedMutexGuard<'_, (String, u8)> = MutexGuard::map(guard, |pair| &mut pair.1);
    inner.0.push('y');
    assert!(mutex.try_lock().is_err());
    let mut byte = MappedMutexGuard::map(inner, |inner| &mut inner.1);
    *byte = 7;
    drop(byte);
    assert_eq!(mutex.try_lock().unwrap().1, (String::from("xy"), 7));

    let guard = mutex.try_lock().unwrap();
    let guard = MutexGuard::try_map(guard, |_| None::<&mut u8>).unwrap_err();
    let mapped = MutexGuard::try_map(guard, |pair| Some(&mut pair.0)).unwrap();
    let mapped = MappedMutexGuard::try_map(mapped, |_| None::<&mut u8>).unwrap_err();
    let mapped = MappedMutexGuard::try_map(mapped, |v| Some(v)).unwrap();
    assert_eq!(*mapped, 1);
    drop(mapped);
    assert!(mutex.try_lock().is_ok());
}

#[test]
fn get_mut_into_inner_default_from_and_debug() {
    let mut mutex = Mutex::from(3);
    *mutex.get_mut() += 1;
    assert_eq!(format!("{mutex:?}"), "Mutex { data: 4 }");
    let guard = mutex.try_lock().unwrap();
    assert_eq!(format!("{mutex:?}"), "Mutex { data: <locked> }");
    assert_eq!(format!("{guard}"), "4");
    drop(guard);
    assert_eq!(mutex.into_inner(), 4);
    assert_eq!(Mutex::<Vec<u8>>::default().into_inner(), Vec::<u8>::new());
}

#[test]
fn const_new_in_a_static() {
    static COUNT: Mutex<u32> = Mutex::const_new(0);
    *block_on(COUNT.lock()) += 1;
    assert_eq!(*COUNT.try_lock().unwrap(), 1);
}

#[test]
fn a_spent_coop_budget_makes_lock_yield() {
    let mutex = Mutex::new(0u64);
    let mut looping = Task::new(async {
        loop {
            *mutex.lock().await += 1;
        }
    });
    assert!(weft_scheduler::coop::budget(|| looping.poll()).is_pending());
    assert!(looping.is_woken());
    assert!(mutex.try_lock().is_ok(), "the lock must not be left held");
}

#[test]
fn threads_increment_without_losing_updates() {
    let mutex = Arc::new(Mutex::new(0usize));
    let handles: Vec<_> = (0..6)
        .map(|i| {
            let mutex = mutex.clone();
            std::thread::spawn(move || {
                for _ in 0..2_000 {
                    if i % 2 == 0 {
                        *mutex.blocking_lock() += 1;
                    } else {
                        block_on(async { *mutex.lock().await += 1 });
                    }
                }
            })
        })
        .collect();
    for handle in handles {
        handle.join().unwrap();
    }
    assert_eq!(*mutex.try_lock().unwrap(), 12_000);
}
