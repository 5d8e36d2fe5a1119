//! Compile-time checks: the sync types and the futures of their waiting
//! methods are `Send` (and `Sync` where tokio's are), so they can be used
//! in spawned tasks.

use std::sync::Arc;

use weft::sync::{
    broadcast, mpsc, oneshot, watch, Barrier, Mutex, Notify, OnceCell, RwLock, Semaphore,
};

fn send<T: Send>(_: &T) {}
fn sync<T: Sync>(_: &T) {}
fn send_sync<T: Send + Sync>(value: &T) {
    send(value);
    sync(value);
}

#[test]
fn types_are_send_and_sync() {
    send_sync(&Mutex::new(0u8));
    send_sync(&RwLock::new(0u8));
    send_sync(&Semaphore::new(1));
    send_sync(&Notify::new());
    send_sync(&Barrier::new(1));
    send_sync(&OnceCell::<u8>::new());
    let (tx, rx) = oneshot::channel::<u8>();
    send_sync(&tx);
    send_sync(&rx);
    let (tx, rx) = mpsc::channel::<u8>(1);
    send_sync(&tx);
    send_sync(&rx);
    send_sync(&tx.downgrade());
    let (tx, rx) = mpsc::unbounded_channel::<u8>();
    send_sync(&tx);
    send_sync(&rx);
    let (tx, rx) = watch::channel(0u8);
    send_sync(&tx);
    send_sync(&rx);
    let (tx, rx) = broadcast::channel::<u8>(1);
    send_sync(&tx);
    send_sync(&rx);
}

#[test]
fn guards_and_permits_are_send() {
    let mutex = Arc::new(Mutex::new(0u8));
    send_sync(&mutex.try_lock().unwrap());
    send_sync(&mutex.clone().try_lock_owned().unwrap());
    let lock = Arc::new(RwLock::new(0u8));
    send_sync(&lock.try_read().unwrap());
    send_sync(&lock.try_write().unwrap());
    send_sync(&lock.clone().try_read_owned().unwrap());
    send_sync(&lock.clone().try_write_owned().unwrap());
    let semaphore = Arc::new(Semaphore::new(2));
    send_sync(&semaphore.try_acquire().unwrap());
    send_sync(&semaphore.clone().try_acquire_owned().unwrap());
    let (tx, _rx) = mpsc::channel::<u8>(2);
    send_sync(&tx.try_reserve().unwrap());
    send_sync(&tx.clone().try_reserve_owned().unwrap());
}

#[test]
fn waiting_futures_are_send() {
    let mutex = Arc::new(Mutex::new(0u8));
    send(&mutex.lock());
    send(&mutex.clone().lock_owned());
    let lock = Arc::new(RwLock::new(0u8));
    send(&lock.read());
    send(&lock.write());
    send(&lock.clone().read_owned());
    send(&lock.clone().write_owned());
    let semaphore = Arc::new(Semaphore::new(1));
    send(&semaphore.acquire());
    send(&semaphore.acquire_many(2));
    send(&semaphore.clone().acquire_owned());
    let notify = Arc::new(Notify::new());
    send_sync(&notify.notified());
    send_sync(&notify.clone().notified_owned());
    let barrier = Barrier::new(1);
    send(&barrier.wait());
    let cell = OnceCell::<u8>::new();
    send(&cell.get_or_init(|| async { 1 }));

    let (mut tx, rx) = oneshot::channel::<u8>();
    send(&tx.closed());
    send(&rx);

    let (tx, mut rx) = mpsc::channel::<u8>(1);
    send(&tx.send(1));
    send(&tx.reserve());
    send(&tx.closed());
    send(&rx.recv());
    let (_utx, mut urx) = mpsc::unbounded_channel::<u8>();
    send(&urx.recv());

    let (wtx, mut wrx) = watch::channel(0u8);
    send(&wtx.closed());
    send(&wrx.changed());

    let (_btx, mut brx) = broadcast::channel::<u8>(1);
    send(&brx.recv());
}
