//! `weft::sync::RwLock`: shared and exclusive access, fairness, guards.

#[path = "support/sync_util.rs"]
mod sync_util;

use std::sync::Arc;

use sync_util::{block_on, Task};
use weft::sync::{
    OwnedRwLockMappedWriteGuard, OwnedRwLockReadGuard, OwnedRwLockWriteGuard, RwLock,
    RwLockMappedWriteGuard, RwLockReadGuard, RwLockWriteGuard,
};

#[test]
fn many_readers_or_one_writer() {
    let lock = RwLock::new(1);
    let a = block_on(lock.read());
    let b = lock.try_read().unwrap();
    assert_eq!(*a + *b, 2);
    assert!(lock.try_write().is_err());
    drop((a, b));
    let mut w = block_on(lock.write());
    *w = 5;
    assert!(lock.try_read().is_err());
    assert!(lock.try_write().is_err());
    drop(w);
    assert_eq!(*lock.try_read().unwrap(), 5);
}

#[test]
fn a_waiting_writer_holds_back_later_readers() {
    let lock = RwLock::new(0);
    let reader = lock.try_read().unwrap();
    let mut writer = Task::new(lock.write());
    writer.assert_pending();
    // Writer-preferring: a new reader may not overtake the queued writer.
    assert!(lock.try_read().is_err());
    let mut late_reader = Task::new(lock.read());
    late_reader.assert_pending();
    drop(reader);
    assert!(writer.is_woken());
    assert!(!late_reader.is_woken());
    let guard = writer.assert_ready();
    drop(guard);
    assert!(late_reader.is_woken());
    drop(late_reader.assert_ready());
}

#[test]
fn a_dropped_waiting_writer_lets_readers_in() {
    let lock = RwLock::new(0);
    let reader = lock.try_read().unwrap();
    let mut writer = Task::new(lock.write());
    writer.assert_pending();
    let mut late_reader = Task::new(lock.read());
    late_reader.assert_pending();
    // The writer holds a partial grant of the permits; dropping it must
    // pass them on.
    drop(writer);
    assert!(late_reader.is_woken());
    drop(late_reader.assert_ready());
    drop(reader);
    assert!(lock.try_write().is_ok());
}

#[test]
fn downgrade_keeps_writers_out_and_lets_readers_in() {
    let lock = RwLock::new(1);
    let mut write = lock.try_write().unwrap();
    let mut reader = Task::new(lock.read());
    reader.assert_pending();
    *write = 2;
    let read = RwLockWriteGuard::downgrade(write);
    assert!(reader.is_woken());
    assert_eq!(*reader.assert_ready(), 2);
    assert_eq!(*read, 2);
    assert!(lock.try_write().is_err());
}

#[test]
fn with_max_readers_limits_concurrent_reads() {
    let lock = RwLock::with_max_readers((), 3);
    let guards: Vec<_> = (0..3).map(|_| lock.try_read().unwrap()).collect();
    assert!(lock.try_read().is_err());
    drop(guards);
    let _w = lock.try_write().unwrap();
}

#[test]
#[should_panic(expected = "a RwLock may not be created with 0 readers")]
fn zero_max_readers_panics() {
    let _ = RwLock::with_max_readers((), 0);
}

#[test]
#[should_panic(expected = "a RwLock may not be created with more than")]
fn too_many_max_readers_panics() {
    let _ = RwLock::with_max_readers((), u32::MAX);
}

#[test]
fn borrowed_guards_map() {
    let lock = RwLock::new((1, 2));
    let first = RwLockReadGuard::map(lock.try_read().unwrap(), |pair| &pair.0);
    assert_eq!(*first, 1);
    let guard = RwLockReadGuard::try_map(first, |_| None::<&u8>).unwrap_err();
    drop(guard);

    let mut second: RwLockMappedWriteGuard<'_, i32> =
        RwLockWriteGuard::map(lock.try_write().unwrap(), |p| &mut p.1);
    *second = 3;
    assert!(lock.try_read().is_err());
    let second = RwLockMappedWriteGuard::try_map(second, |_| None::<&mut u8>).unwrap_err();
    let mut second = RwLockMappedWriteGuard::map(second, |v| v);
    *second += 1;
    drop(second);
    let write =
        RwLockWriteGuard::try_map(lock.try_write().unwrap(), |_| None::<&mut u8>).unwrap_err();
    let write = RwLockWriteGuard::try_map(write, |p| Some(&mut p.0)).unwrap();
    let write = RwLockMappedWriteGuard::try_map(write, |v| Some(v)).unwrap();
    drop(write);
    assert_eq!(*lock.try_read().unwrap(), (1, 4));
}

#[test]
fn owned_guards() {
    let lock = Arc::new(RwLock::new(vec![1, 2]));
    let read: OwnedRwLockReadGuard<Vec<i32>> = block_on(lock.clone().read_owned());
    assert!(Arc::ptr_eq(OwnedRwLockReadGuard::rwlock(&read), &lock));
    let first = OwnedRwLockReadGuard::map(read, |v| &v[0]);
    assert_eq!(*first, 1);
    let first = OwnedRwLockReadGuard::try_map(first, |_| None::<&u8>).unwrap_err();
    assert!(lock.clone().try_write_owned().is_err());
    let reader_thread = std::thread::spawn(move || *first);
    assert_eq!(reader_thread.join().unwrap(), 1);

    let mut write: OwnedRwLockWriteGuard<Vec<i32>> = block_on(lock.clone().write_owned());
    assert!(Arc::ptr_eq(OwnedRwLockWriteGuard::rwlock(&write), &lock));
    write.push(3);
    let read = write.downgrade();
    assert_eq!(read.len(), 3);
    assert!(lock.clone().try_read_owned().is_ok());
    drop(read);

    let write = lock.clone().try_write_owned().unwrap();
    let mut last: OwnedRwLockMappedWriteGuard<Vec<i32>, i32> =
        OwnedRwLockWriteGuard::map(write, |v| &mut v[2]);
    *last = 30;
    let last = OwnedRwLockMappedWriteGuard::map(last, |v| v);
    assert!(lock.try_read().is_err());
    drop(last);
    assert_eq!(*lock.try_read().unwrap(), [1, 2, 30]);
}

#[test]
fn get_mut_into_inner_const_new_and_debug() {
    let mut lock = RwLock::from(1);
    *lock.get_mut() = 2;
    assert_eq!(format!("{lock:?}"), "RwLock { data: 2 }");
    let write = lock.try_write().unwrap();
    assert_eq!(format!("{lock:?}"), "RwLock { data: <locked> }");
    drop(write);
    assert_eq!(lock.into_inner(), 2);

    static CONFIG: RwLock<u8> = RwLock::const_new(9);
    assert_eq!(*CONFIG.try_read().unwrap(), 9);
    static LIMITED: RwLock<u8> = RwLock::const_with_max_readers(1, 1);
    let _r = LIMITED.try_read().unwrap();
    assert!(LIMITED.try_read().is_err());
    assert_eq!(RwLock::<u8>::default().into_inner(), 0);
}

#[test]
fn blocking_access_from_threads_keeps_invariants() {
    let lock = Arc::new(RwLock::new((0u64, 0u64)));
    let writers: Vec<_> = (0..3)
        .map(|_| {
            let lock = lock.clone();
            std::thread::spawn(move || {
                for _ in 0..1_000 {
                    let mut pair = lock.blocking_write();
                    pair.0 += 1;
                    pair.1 += 1;
                }
            })
        })
        .collect();
    let readers: Vec<_> = (0..3)
        .map(|_| {
            let lock = lock.clone();
            std::thread::spawn(move || {
                for _ in 0..1_000 {
                    let pair = lock.blocking_read();
                    assert_eq!(pair.0, pair.1, "a reader saw a half-done write");
                }
            })
        })
        .collect();
    for handle in writers.into_iter().chain(readers) {
        handle.join().unwrap();
    }
    assert_eq!(*lock.try_read().unwrap(), (3_000, 3_000));
}

#[test]
fn a_spent_coop_budget_makes_read_yield() {
    let lock = RwLock::new(0);
    let mut looping = Task::new(async {
        loop {
            drop(lock.read().await);
        }
    });
    assert!(weft_scheduler::coop::budget(|| looping.poll()).is_pending());
    assert!(looping.is_woken());
}

#[test]
fn downgrade_map_lets_queued_readers_in_before_any_writer() {
    let lock = RwLock::new((1, 2));
    let write = lock.try_write().unwrap();
    let mut reader = Task::new(lock.read());
    let mut writer = Task::new(lock.write());
    reader.assert_pending();
    writer.assert_pending();
    let second = RwLockWriteGuard::downgrade_map(write, |pair| &pair.1);
    assert_eq!(*second, 2);
    assert!(reader.is_woken());
    assert_eq!(reader.assert_ready().0, 1);
    writer.assert_pending();
    drop(second);
    assert!(writer.is_woken());
    drop(writer.assert_ready());
}

#[test]
fn try_downgrade_map_keeps_the_write_lock_on_refusal() {
    let lock = RwLock::new(vec![1, 2]);
    let write = lock.try_write().unwrap();
    let mut write = RwLockWriteGuard::try_downgrade_map(write, |v| v.get(5)).unwrap_err();
    write.push(3);
    assert!(lock.try_read().is_err());
    let last = RwLockWriteGuard::try_downgrade_map(write, |v| v.last()).unwrap();
    assert_eq!(*last, 3);
    assert!(lock.try_read().is_ok());
    assert!(lock.try_write().is_err());
    drop(last);
    assert!(lock.try_write().is_ok());
}

#[test]
fn into_mapped_keeps_exclusive_access() {
    let lock = RwLock::new(1);
    let mut mapped = RwLockWriteGuard::into_mapped(lock.try_write().unwrap());
    *mapped += 1;
    assert!(lock.try_read().is_err());
    drop(mapped);
    assert_eq!(*lock.try_read().unwrap(), 2);
}

#[test]
fn owned_write_guards_downgrade_map_try_map_and_into_mapped() {
    let lock = Arc::new(RwLock::new((1, vec![b'a'])));

    let write = lock.clone().try_write_owned().unwrap();
    let bytes = OwnedRwLockWriteGuard::downgrade_map(write, |pair| &pair.1);
    assert_eq!(*bytes, b"a");
    assert!(Arc::ptr_eq(OwnedRwLockReadGuard::rwlock(&bytes), &lock));
    assert!(lock.try_read().is_ok());
    assert!(lock.try_write().is_err());
    drop(bytes);

    let write = lock.clone().try_write_owned().unwrap();
    let write = OwnedRwLockWriteGuard::try_downgrade_map(write, |_| None::<&u8>).unwrap_err();
    let write = OwnedRwLockWriteGuard::try_map(write, |_| None::<&mut u8>).unwrap_err();
    let mut bytes = OwnedRwLockWriteGuard::try_map(write, |pair| Some(&mut pair.1)).unwrap();
    bytes.push(b'b');
    assert!(Arc::ptr_eq(OwnedRwLockMappedWriteGuard::rwlock(&bytes), &lock));
    let bytes = OwnedRwLockMappedWriteGuard::try_map(bytes, |v| v.get_mut(9)).unwrap_err();
    let mut first = OwnedRwLockMappedWriteGuard::try_map(bytes, |v| v.first_mut()).unwrap();
    *first = b'c';
    assert!(lock.try_read().is_err());
    drop(first);

    let mut whole = OwnedRwLockWriteGuard::into_mapped(lock.clone().try_write_owned().unwrap());
    whole.0 = 7;
    drop(whole);
    let read = lock.try_read().unwrap();
    assert_eq!((read.0, read.1.as_slice()), (7, &b"cb"[..]));
    drop(read);
    assert_eq!(Arc::strong_count(&lock), 1);
}
