//! `weft::sync::OnceCell`: set, get, one initialiser at a time.

#[path = "support/sync_util.rs"]
mod sync_util;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use sync_util::{block_on, Task};
use weft::sync::{oneshot, OnceCell, SetError};

#[test]
fn set_then_get() {
    let cell = OnceCell::new();
    assert!(!cell.initialized());
    assert_eq!(cell.get(), None);
    cell.set(5).unwrap();
    assert!(cell.initialized());
    assert_eq!(cell.get(), Some(&5));
    assert_eq!(cell.set(6), Err(SetError::AlreadyInitializedError(6)));
}

#[test]
fn get_or_init_runs_one_initialiser() {
    let cell = OnceCell::new();
    let calls = AtomicUsize::new(0);
    let (release, released) = oneshot::channel::<u32>();
    let mut first = Task::new(cell.get_or_init(|| async {
        calls.fetch_add(1, Ordering::SeqCst);
        released.await.unwrap()
    }));
    first.assert_pending();
    let mut second = Task::new(cell.get_or_init(|| async {
        calls.fetch_add(1, Ordering::SeqCst);
        0
    }));
    second.assert_pending();
    // While the first initialiser runs, `set` is refused.
    assert!(cell.set(9).unwrap_err().is_initializing_err());
    release.send(7).unwrap();
    assert_eq!(*first.assert_ready(), 7);
    assert!(second.is_woken());
    assert_eq!(*second.assert_ready(), 7);
    assert_eq!(calls.load(Ordering::SeqCst), 1);
}

#[test]
fn a_cancelled_initialiser_lets_the_next_one_run() {
    let cell = OnceCell::new();
    let (_never, never_rx) = oneshot::channel::<u32>();
    let mut first = Task::new(cell.get_or_init(|| async { never_rx.await.unwrap() }));
    first.assert_pending();
    let mut second = Task::new(cell.get_or_init(|| async { 2 }));
    second.assert_pending();
    drop(first);
    assert!(second.is_woken());
    assert_eq!(*second.assert_ready(), 2);
}

#[test]
fn a_panicking_initialiser_lets_the_next_one_run() {
    let cell = Arc::new(OnceCell::new());
    let remote = cell.clone();
    let panicked = std::thread::spawn(move || {
        block_on(remote.get_or_init(|| async { panic!("init failed") }));
    })
    .join();
    assert!(panicked.is_err());
    assert!(!cell.initialized());
    assert_eq!(*block_on(cell.get_or_init(|| async { 3 })), 3);
}

#[test]
fn get_or_try_init_keeps_the_cell_empty_on_error() {
    let cell = OnceCell::new();
    assert_eq!(
        block_on(cell.get_or_try_init(|| async { Err::<u8, _>("bad") })),
        Err("bad")
    );
    assert!(!cell.initialized());
    assert_eq!(
        block_on(cell.get_or_try_init(|| async { Ok::<_, ()>(1) })),
        Ok(&1)
    );
    assert_eq!(
        block_on(cell.get_or_try_init(|| async { Ok::<_, ()>(2) })),
        Ok(&1)
    );
}

#[test]
fn take_into_inner_get_mut_and_constructors() {
    let mut cell = OnceCell::new_with(Some(String::from("a")));
    cell.get_mut().unwrap().push('b');
    assert_eq!(cell.take().as_deref(), Some("ab"));
    assert!(!cell.initialized());
    assert!(cell.get_mut().is_none());
    cell.set(String::from("c")).unwrap();
    assert_eq!(cell.clone(), OnceCell::from(String::from("c")));
    assert_eq!(format!("{cell:?}"), "OnceCell { value: Some(\"c\") }");
    assert_eq!(cell.into_inner().as_deref(), Some("c"));
    assert_eq!(OnceCell::<u8>::new_with(None).into_inner(), None);
    assert_eq!(OnceCell::<u8>::default().get(), None);

    static EMPTY: OnceCell<u8> = OnceCell::const_new();
    assert_eq!(*block_on(EMPTY.get_or_init(|| async { 4 })), 4);
    static FULL: OnceCell<u8> = OnceCell::const_new_with(8);
    assert_eq!(FULL.get(), Some(&8));
    assert!(FULL.set(1).unwrap_err().is_already_init_err());
}

#[test]
fn the_value_is_dropped_once() {
    struct Counted(Arc<AtomicUsize>);
    impl Drop for Counted {
        fn drop(&mut self) {
            self.0.fetch_add(1, Ordering::SeqCst);
        }
    }
    let drops = Arc::new(AtomicUsize::new(0));
    let cell = OnceCell::new();
    assert!(cell.set(Counted(drops.clone())).is_ok());
    drop(cell);
    assert_eq!(drops.load(Ordering::SeqCst), 1);
    let cell = OnceCell::new_with(Some(Counted(drops.clone())));
    let value = cell.into_inner();
    assert_eq!(drops.load(Ordering::SeqCst), 1);
    drop(value);
    assert_eq!(drops.load(Ordering::SeqCst), 2);
}

#[test]
fn racing_threads_see_one_value() {
    let cell = Arc::new(OnceCell::new());
    let handles: Vec<_> = (0..6)
        .map(|i| {
            let cell = cell.clone();
            std::thread::spawn(move || *block_on(cell.get_or_init(|| async move { i })))
        })
        .collect();
    let seen: Vec<_> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    assert!(seen.iter().all(|&v| v == seen[0]));
    assert_eq!(cell.get(), Some(&seen[0]));
}
