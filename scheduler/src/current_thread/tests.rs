use super::*;
use std::sync::atomic::{AtomicUsize, Ordering};

fn rt() -> Arc<Handle> {
    create(Config::default(), Box::new(ParkThread::new()))
}

#[test]
fn block_on_runs_spawned_tasks() {
    let h = rt();
    let h2 = h.clone();
    let out = h.block_on(async move {
        let a = h2.spawn(async { 1 }, Id::next());
        let b = h2.spawn(async { 2 }, Id::next());
        a.await.unwrap() + b.await.unwrap()
    });
    assert_eq!(out, 3);
}

#[test]
fn wake_from_another_thread() {
    let h = rt();
    let (tx, rx) = std::sync::mpsc::channel::<Waker>();
    let flag = std::sync::Arc::new(AtomicUsize::new(0));
    let f2 = flag.clone();
    let t = std::thread::spawn(move || {
        let w = rx.recv().unwrap();
        f2.store(1, Ordering::SeqCst);
        w.wake();
    });
    let j = h.spawn(
        std::future::poll_fn(move |cx| {
            if flag.load(Ordering::SeqCst) == 1 {
                return Poll::Ready(9);
            }
            let _ = tx.send(cx.waker().clone());
            Poll::Pending
        }),
        Id::next(),
    );
    assert_eq!(h.block_on(j).unwrap(), 9);
    t.join().unwrap();
}

#[test]
fn shutdown_cancels_and_drops_futures() {
    let h = rt();
    let j = h.spawn(std::future::pending::<()>(), Id::next());
    h.block_on(async {});
    h.shutdown();
    assert!(crate::park::block_on(j).unwrap_err().is_cancelled());
    assert_eq!(h.num_alive_tasks(), 0);
}

/// A task that yields forever shares the thread with the others and with
/// wake-ups from other threads.
#[test]
fn yielding_forever_does_not_starve_other_tasks() {
    let h = rt();
    let spins = std::sync::Arc::new(AtomicUsize::new(0));
    let s2 = spins.clone();
    let _spinner = h.spawn(
        std::future::poll_fn(move |cx| {
            s2.fetch_add(1, Ordering::SeqCst);
            cx.waker().wake_by_ref();
            Poll::<()>::Pending
        }),
        Id::next(),
    );
    let h2 = h.clone();
    let out = h.block_on(async move {
        let local = h2.spawn(async { 1 }, Id::next());
        let (tx, rx) = std::sync::mpsc::channel::<Waker>();
        let woken = std::sync::Arc::new(AtomicUsize::new(0));
        let w2 = woken.clone();
        let t = std::thread::spawn(move || {
            let w = rx.recv().unwrap();
            w2.store(1, Ordering::SeqCst);
            w.wake();
        });
        let remote = h2.spawn(
            std::future::poll_fn(move |cx| {
                if woken.load(Ordering::SeqCst) == 1 {
                    return Poll::Ready(2);
                }
                let _ = tx.send(cx.waker().clone());
                Poll::Pending
            }),
            Id::next(),
        );
        let v = local.await.unwrap() + remote.await.unwrap();
        t.join().unwrap();
        v
    });
    assert_eq!(out, 3);
    assert!(spins.load(Ordering::SeqCst) > 0);
    h.shutdown();
}

/// A second thread calling `block_on` while another holds the core drives
/// its own future on a thread parker, and can still wake tasks.
#[test]
fn block_on_from_a_second_thread_while_the_core_is_taken() {
    let h = rt();
    let done = std::sync::Arc::new(AtomicUsize::new(0));
    let (tx, rx) = std::sync::mpsc::channel::<Waker>();
    let h2 = h.clone();
    let d2 = done.clone();
    let second = std::thread::spawn(move || {
        // Wait until the main thread is inside `block_on` with the core.
        let main_waker = rx.recv().unwrap();
        let task = h2.spawn(async { 40 }, Id::next());
        let out = h2.block_on(async move { task.await.unwrap() + 2 });
        d2.store(out, Ordering::SeqCst);
        main_waker.wake();
        out
    });
    let mut sent = false;
    h.block_on(std::future::poll_fn(|cx| {
        if done.load(Ordering::SeqCst) != 0 {
            return Poll::Ready(());
        }
        if !sent {
            tx.send(cx.waker().clone()).unwrap();
            sent = true;
        }
        Poll::Pending
    }));
    assert_eq!(second.join().unwrap(), 42);
    assert_eq!(done.load(Ordering::SeqCst), 42);
}
