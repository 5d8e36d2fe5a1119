//! loom models of the sync protocols, driven through the public API:
//! oneshot's state word, the mpsc block list (blocks of 2 slots under
//! loom, so a few messages cross, release and recycle blocks) and its
//! waker slot, the batch semaphore's waiter queue (through `Mutex`,
//! `RwLock` and `Semaphore`), `Notify`'s hand-off, broadcast (including
//! a receiver lagging behind) and watch, and `JoinSet`'s ready queue.
//!
//! Run with `RUSTFLAGS="--cfg loom" LOOM_MAX_PREEMPTIONS=2 cargo test
//! -p weft --release --test sync_loom`.
#![cfg(loom)]

use loom::thread;
use weft::sync::{mpsc, oneshot, Mutex};

#[test]
fn oneshot_send_vs_recv() {
    loom::model(|| {
        let (tx, rx) = oneshot::channel::<usize>();
        let th = thread::spawn(move || {
            let _ = tx.send(1);
        });
        assert_eq!(rx.blocking_recv(), Ok(1));
        th.join().unwrap();
    });
}

#[test]
fn oneshot_send_vs_drop_rx() {
    loom::model(|| {
        let (tx, rx) = oneshot::channel::<Box<usize>>();
        let th = thread::spawn(move || tx.send(Box::new(1)).is_ok());
        drop(rx);
        th.join().unwrap();
    });
}

#[test]
fn oneshot_drop_tx_vs_recv() {
    loom::model(|| {
        let (tx, rx) = oneshot::channel::<usize>();
        let th = thread::spawn(move || drop(tx));
        assert!(rx.blocking_recv().is_err());
        th.join().unwrap();
    });
}

#[test]
fn oneshot_closed_vs_drop_rx() {
    loom::model(|| {
        let (mut tx, rx) = oneshot::channel::<usize>();
        let th = thread::spawn(move || drop(rx));
        weft_block_on_closed(&mut tx);
        th.join().unwrap();
    });
}

/// Polls `closed` until ready, yielding to the model between polls.
fn weft_block_on_closed(tx: &mut oneshot::Sender<usize>) {
    use std::task::{Context, Poll, Wake, Waker};
    struct W;
    impl Wake for W {
        fn wake(self: std::sync::Arc<Self>) {}
    }
    let waker = Waker::from(std::sync::Arc::new(W));
    let mut cx = Context::from_waker(&waker);
    loop {
        if let Poll::Ready(()) = tx.poll_closed(&mut cx) {
            return;
        }
        thread::yield_now();
    }
}

#[test]
fn unbounded_two_senders_cross_blocks() {
    loom::model(|| {
        let (tx, mut rx) = mpsc::unbounded_channel::<usize>();
        let tx2 = tx.clone();
        let a = thread::spawn(move || {
            tx.send(1).unwrap();
            tx.send(2).unwrap();
        });
        let b = thread::spawn(move || {
            tx2.send(10).unwrap();
        });
        let mut got = Vec::new();
        while let Some(v) = rx.blocking_recv() {
            got.push(v);
        }
        got.sort();
        assert_eq!(got, [1, 2, 10]);
        a.join().unwrap();
        b.join().unwrap();
    });
}

#[test]
fn unbounded_one_sender_many_blocks() {
    loom::model(|| {
        let (tx, mut rx) = mpsc::unbounded_channel::<usize>();
        let a = thread::spawn(move || {
            for i in 0..5 {
                tx.send(i).unwrap();
            }
        });
        for i in 0..5 {
            assert_eq!(rx.blocking_recv(), Some(i));
        }
        assert_eq!(rx.blocking_recv(), None);
        a.join().unwrap();
    });
}

#[test]
fn bounded_backpressure() {
    loom::model(|| {
        let (tx, mut rx) = mpsc::channel::<usize>(1);
        let a = thread::spawn(move || {
            tx.blocking_send(1).unwrap();
            tx.blocking_send(2).unwrap();
        });
        assert_eq!(rx.blocking_recv(), Some(1));
        assert_eq!(rx.blocking_recv(), Some(2));
        assert_eq!(rx.blocking_recv(), None);
        a.join().unwrap();
    });
}

#[test]
fn mutex_two_threads() {
    loom::model(|| {
        let m = loom::sync::Arc::new(Mutex::new(0));
        let m2 = m.clone();
        let a = thread::spawn(move || {
            *m2.blocking_lock() += 1;
        });
        *m.blocking_lock() += 1;
        a.join().unwrap();
        assert_eq!(*m.blocking_lock(), 2);
    });
}

/// A `block_on` whose parking goes through loom's lock and condvar.
mod local {
    use loom::sync::{Condvar, Mutex};
    use std::future::Future;
    use std::pin::pin;
    use std::sync::Arc;
    use std::task::{Context, Poll, Wake, Waker};

    struct Parker {
        woken: Mutex<bool>,
        cv: Condvar,
    }
    impl Wake for Parker {
        fn wake(self: Arc<Self>) {
            *self.woken.lock().unwrap() = true;
            self.cv.notify_one();
        }
    }
    pub(crate) fn block_on<F: Future>(f: F) -> F::Output {
        let p = Arc::new(Parker {
            woken: Mutex::new(false),
            cv: Condvar::new(),
        });
        let waker = Waker::from(p.clone());
        let mut cx = Context::from_waker(&waker);
        let mut f = pin!(f);
        loop {
            if let Poll::Ready(v) = f.as_mut().poll(&mut cx) {
                return v;
            }
            let mut w = p.woken.lock().unwrap();
            if *w {
                drop(w);
                loom::thread::yield_now();
                w = p.woken.lock().unwrap();
            }
            while !*w {
                w = p.cv.wait(w).unwrap();
            }
            *w = false;
        }
    }
}

#[test]
fn notify_one_vs_notified() {
    loom::model(|| {
        let n = loom::sync::Arc::new(weft::sync::Notify::new());
        let n2 = n.clone();
        let th = thread::spawn(move || n2.notify_one());
        local::block_on(n.notified());
        th.join().unwrap();
    });
}

#[test]
fn notify_waiters_vs_enabled() {
    loom::model(|| {
        let n = loom::sync::Arc::new(weft::sync::Notify::new());
        let mut notified = Box::pin(n.notified());
        notified.as_mut().enable();
        let n2 = n.clone();
        let th = thread::spawn(move || n2.notify_waiters());
        local::block_on(notified);
        th.join().unwrap();
    });
}

#[test]
fn notify_dropped_pick_is_passed_on() {
    loom::model(|| {
        let n = loom::sync::Arc::new(weft::sync::Notify::new());
        let mut a = Box::pin(n.notified());
        a.as_mut().enable();
        let mut b = Box::pin(n.notified());
        b.as_mut().enable();
        let n2 = n.clone();
        let th = thread::spawn(move || n2.notify_one());
        drop(a);
        local::block_on(b);
        th.join().unwrap();
    });
}

#[test]
fn rwlock_reader_vs_writer() {
    loom::model(|| {
        let l = loom::sync::Arc::new(weft::sync::RwLock::with_max_readers(0, 2));
        let l2 = l.clone();
        let th = thread::spawn(move || {
            *l2.blocking_write() += 1;
        });
        let r = *l.blocking_read();
        assert!(r == 0 || r == 1);
        th.join().unwrap();
        assert_eq!(*l.blocking_read(), 1);
    });
}

#[test]
fn semaphore_fifo_many() {
    loom::model(|| {
        let s = loom::sync::Arc::new(weft::sync::Semaphore::new(1));
        let s2 = s.clone();
        let th = thread::spawn(move || {
            local::block_on(s2.acquire_many(2)).unwrap().forget();
        });
        s.add_permits(1);
        th.join().unwrap();
        assert_eq!(s.available_permits(), 0);
    });
}

/// Two acquires queue on an empty semaphore (the first for 2 permits, the
/// second for 1); the first is dropped while another thread releases 2
/// permits. Whether the release reaches the first before, during or after
/// its cancellation, the permits it was handed go back: the second
/// acquire completes (no lost wake-up), and once it is dropped all the
/// permits are available again.
#[test]
fn semaphore_acquire_cancelled_while_permits_are_released() {
    loom::model(|| {
        let s = loom::sync::Arc::new(weft::sync::Semaphore::new(0));
        let mut first = Box::pin(s.acquire_many(2));
        let mut second = Box::pin(s.acquire());
        assert!(poll_once(first.as_mut()).is_pending());
        assert!(poll_once(second.as_mut()).is_pending());
        let s2 = s.clone();
        let th = thread::spawn(move || s2.add_permits(2));
        drop(first);
        drop(local::block_on(second).unwrap());
        th.join().unwrap();
        assert_eq!(s.available_permits(), 2, "permits granted to a dropped acquire were lost");
    });
}

/// Polls `fut` once with a waker that does nothing.
fn poll_once<F: std::future::Future>(fut: std::pin::Pin<&mut F>) -> std::task::Poll<F::Output> {
    use std::task::{Context, Wake, Waker};
    struct Noop;
    impl Wake for Noop {
        fn wake(self: std::sync::Arc<Self>) {}
    }
    let waker = Waker::from(std::sync::Arc::new(Noop));
    fut.poll(&mut Context::from_waker(&waker))
}

#[test]
fn broadcast_send_vs_recv() {
    loom::model(|| {
        let (tx, mut rx) = weft::sync::broadcast::channel::<usize>(2);
        let th = thread::spawn(move || {
            tx.send(1).unwrap();
            tx.send(2).unwrap();
        });
        assert_eq!(rx.blocking_recv(), Ok(1));
        assert_eq!(rx.blocking_recv(), Ok(2));
        assert!(rx.blocking_recv().is_err());
        th.join().unwrap();
    });
}

#[test]
fn watch_send_vs_changed() {
    loom::model(|| {
        let (tx, mut rx) = weft::sync::watch::channel(0usize);
        let th = thread::spawn(move || {
            tx.send(1).unwrap();
        });
        let _ = local::block_on(rx.changed());
        th.join().unwrap();
        assert_eq!(*rx.borrow(), 1);
    });
}

/// A sender sends capacity + 1 values while the receiver reads: the ring
/// overwrites the oldest value when the receiver is slow. Whatever the
/// interleaving, the receiver sees the values in order, or `Lagged(n)`
/// and then the oldest retained values: every value is either read once
/// or counted as missed, none is read twice or out of order. The values
/// are boxed so that a read racing the overwrite of its slot would show
/// up as a causality violation.
#[test]
fn broadcast_lag_vs_recv() {
    use weft::sync::broadcast::{self, error::RecvError};
    const CAPACITY: usize = 2;
    // Set by any interleaving in which the receiver lagged: the model
    // must reach the lag path, not only the in-order one. A std atomic,
    // outside the model: it outlives loom's iterations.
    static LAGGED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
    loom::model(|| {
        let (tx, mut rx) = broadcast::channel::<Box<usize>>(CAPACITY);
        let th = thread::spawn(move || {
            for value in 1..=CAPACITY + 1 {
                tx.send(Box::new(value)).unwrap();
            }
        });
        // The value the receiver must see next.
        let mut next = 1;
        let mut just_lagged = false;
        loop {
            match rx.blocking_recv() {
                Ok(value) => {
                    assert_eq!(*value, next, "a value was read out of order or twice");
                    next += 1;
                    just_lagged = false;
                }
                Err(RecvError::Lagged(missed)) => {
                    assert!(!just_lagged, "two lags in a row");
                    // A lag needs capacity + 1 values sent past the
                    // receiver, so all were sent, and the ring retains the
                    // last CAPACITY of them: exactly the first was missed.
                    assert_eq!(missed, 1, "a lag skipped past the oldest retained value");
                    next += missed as usize;
                    just_lagged = true;
                    LAGGED.store(true, std::sync::atomic::Ordering::Relaxed);
                }
                Err(RecvError::Closed) => break,
            }
        }
        assert!(!just_lagged, "a lag was not followed by the oldest retained value");
        assert_eq!(next, CAPACITY + 2, "values were neither read nor counted as missed");
        th.join().unwrap();
    });
    assert!(LAGGED.load(std::sync::atomic::Ordering::Relaxed), "no interleaving lagged");
}

/// `JoinSet`'s ready queue: two tasks complete on two threads while the
/// set's owner waits for finished tasks. A runtime cannot be built under
/// loom, so the model drives the real queue directly
/// (`weft::loom_internals::JoinSetReadyQueue`): each completion wakes its
/// entry's join waker, as the runtime does when a task finishes, and the
/// owner takes tickets as `poll_join_next` does. Both entries are joined
/// exactly once, and the owner is never left waiting for a completion
/// that already happened (that would be a deadlock).
#[test]
fn join_set_completions_vs_poll_join_next() {
    use weft::loom_internals::JoinSetReadyQueue;
    loom::model(|| {
        let mut ready = JoinSetReadyQueue::new();
        let first = ready.entry_waker(0, 7);
        let second = ready.entry_waker(1, 8);
        let a = thread::spawn(move || first.wake());
        let b = thread::spawn(move || second.wake());
        let mut joined = Vec::new();
        for _ in 0..2 {
            joined.push(local::block_on(std::future::poll_fn(|cx| ready.poll_next(cx))));
        }
        a.join().unwrap();
        b.join().unwrap();
        joined.sort();
        assert_eq!(joined, [(0, 7), (1, 8)]);
        assert_eq!(ready.try_next(), None, "an entry was joined twice");
    });
}
