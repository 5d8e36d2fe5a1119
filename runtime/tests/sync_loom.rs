//! loom models of the sync protocols, driven through the public API:
//! oneshot's state word, the mpsc block list (blocks of 2 slots under
//! loom, so a few messages cross, release and recycle blocks) and its
//! waker slot, the bounded channel's permits (back-pressure, a close or
//! drop of the receiver while a sender waits for capacity, and a
//! `reserve_many` cancelled while the receiver closes), the batch
//! semaphore's waiter queue (through `Mutex`, `RwLock` and `Semaphore`,
//! including an acquire cancelled while permits are released),
//! `Notify`'s hand-off, broadcast (including a receiver lagging behind),
//! watch, `Barrier`, `OnceCell`, `LocalSet`'s remote queue and
//! `JoinSet`'s ready queue.
//!
//! Run with `RUSTFLAGS="--cfg loom" LOOM_MAX_PREEMPTIONS=2 cargo test
//! -p weft --release --test sync_loom`. `loom-tests/README.md` lists the
//! models and the mutants each one catches.
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

/// A bounded sender waits for capacity (the one slot holds a message)
/// when the receiver closes. The close wakes the waiting sender, which
/// gets its value back as an error; the receiver still drains the queued
/// message and then sees the end, once every permit came back.
#[test]
fn mpsc_close_with_a_pending_sender() {
    loom::model(|| {
        let (tx, mut rx) = mpsc::channel::<Box<usize>>(1);
        tx.try_send(Box::new(1)).unwrap();
        let th = thread::spawn(move || {
            let mpsc::error::SendError(value) = tx.blocking_send(Box::new(2)).unwrap_err();
            assert_eq!(*value, 2, "the failed send returned another value");
        });
        rx.close();
        assert_eq!(rx.blocking_recv().as_deref(), Some(&1));
        assert_eq!(rx.blocking_recv(), None);
        th.join().unwrap();
    });
}

/// As above, but the receiver is dropped: the waiting sender is woken
/// with its value back, and the queued message is dropped with the
/// receiver (a leak would show as a loom `Arc` never freed).
#[test]
fn mpsc_drop_rx_with_a_pending_sender() {
    loom::model(|| {
        let (tx, rx) = mpsc::channel::<loom::sync::Arc<usize>>(1);
        tx.try_send(loom::sync::Arc::new(1)).unwrap();
        let th = thread::spawn(move || {
            let mpsc::error::SendError(value) = tx.blocking_send(loom::sync::Arc::new(2)).unwrap_err();
            assert_eq!(*value, 2, "the failed send returned another value");
        });
        drop(rx);
        th.join().unwrap();
    });
}

/// A `reserve_many(2)` that may hold one of its two slots (the other
/// holds a message) is polled once and cancelled, while the receiver
/// closes and drains. Whichever comes first (the close failing the
/// reservation, the cancel returning a partial grant, or the receive
/// freeing the second slot so the reservation succeeds and its iterator
/// is dropped), every slot comes back and the receiver sees the end: no
/// lost wake-up. A closed semaphore leaves a partial grant with its
/// acquire until that is dropped, so the drop must wake the receiver.
#[test]
fn mpsc_reserve_many_cancelled_while_the_receiver_closes() {
    loom::model(|| {
        let (tx, mut rx) = mpsc::channel::<usize>(2);
        tx.try_send(1).unwrap();
        // A second sender stays alive throughout, so the end cannot come
        // from the last sender going away: only from the slots coming back.
        let tx2 = tx.clone();
        let th = thread::spawn(move || {
            let mut reserve = Box::pin(tx2.reserve_many(2));
            let _ = poll_once(reserve.as_mut());
            drop(reserve);
        });
        rx.close();
        assert_eq!(rx.blocking_recv(), Some(1));
        assert_eq!(rx.blocking_recv(), None);
        th.join().unwrap();
        drop(tx);
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

/// What a thread wrote before `notify_waiters` is visible to a waiter once
/// its `notified()` completes, also when the waiter completes through the
/// released node without taking the lock.
#[test]
fn notify_waiters_publishes_to_a_released_waiter() {
    loom::model(|| {
        let shared = loom::sync::Arc::new((weft::sync::Notify::new(), loom::cell::UnsafeCell::new(0usize)));
        let mut notified = std::pin::pin!(shared.0.notified());
        // Queued before the notifier starts, so it has a node to pop.
        assert!(!notified.as_mut().enable());
        let notifier = thread::spawn({
            let shared = shared.clone();
            move || {
                // SAFETY: the waiter reads only after it was notified.
                shared.1.with_mut(|value| unsafe { *value = 7 });
                shared.0.notify_waiters();
            }
        });
        local::block_on(notified);
        // SAFETY: the notifier wrote before `notify_waiters`, and the
        // wake-up orders that write before this read.
        let seen = shared.1.with(|value| unsafe { *value });
        assert_eq!(seen, 7);
        notifier.join().unwrap();
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

/// Two readers and a writer: the readers may hold the lock at the same
/// time (a shared access each, which loom must not report as a race),
/// never see a write in progress, and the write is not lost.
#[test]
fn rwlock_two_readers_and_a_writer() {
    loom::model(|| {
        let l = loom::sync::Arc::new(weft::sync::RwLock::with_max_readers(0, 2));
        let writer = thread::spawn({
            let l = l.clone();
            move || *l.blocking_write() += 1
        });
        let reader = thread::spawn({
            let l = l.clone();
            move || *l.blocking_read()
        });
        let mine = *l.blocking_read();
        let theirs = reader.join().unwrap();
        writer.join().unwrap();
        assert!(mine <= 1 && theirs <= 1, "a reader saw {mine} and {theirs}");
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

/// The receiver reads the watch value (`borrow`) while the sender
/// replaces it: the read sees the old or the new value, never one being
/// written (the values are boxed, so a read racing the write would be a
/// causality violation on the value lock's cell), and afterwards the new
/// one.
#[test]
fn watch_borrow_racing_send() {
    loom::model(|| {
        let (tx, rx) = weft::sync::watch::channel(Box::new(0usize));
        let th = thread::spawn(move || {
            tx.send(Box::new(1)).unwrap();
        });
        let seen = **rx.borrow();
        assert!(seen == 0 || seen == 1, "read a value that was never sent");
        th.join().unwrap();
        assert_eq!(**rx.borrow(), 1);
    });
}

/// Two receivers read the value on two threads while a send replaces it:
/// the send waits for the readers that got in first (the last one out
/// wakes it), nobody reads a value being replaced, and the send lands.
#[test]
fn watch_two_borrows_racing_send() {
    loom::model(|| {
        let (tx, rx) = weft::sync::watch::channel(Box::new(0usize));
        let other = rx.clone();
        let reader = thread::spawn(move || **other.borrow());
        let sender = thread::spawn(move || {
            tx.send(Box::new(1)).unwrap();
            tx
        });
        let mine = **rx.borrow();
        let theirs = reader.join().unwrap();
        let _tx = sender.join().unwrap();
        assert!(mine <= 1 && theirs <= 1, "read a value that was never sent");
        assert_eq!(**rx.borrow(), 1);
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

/// Two threads meet at a barrier of 2, twice. In each round exactly one
/// of them is the leader, and neither leaves a round before the other
/// arrived in it (the barrier resets between rounds).
#[test]
fn barrier_two_threads_two_rounds() {
    use loom::sync::atomic::{AtomicUsize, Ordering::SeqCst};
    use loom::sync::Arc;
    use weft::sync::Barrier;
    /// Arrives at the barrier `rounds` times; returns which rounds it led.
    fn party(barrier: &Barrier, arrivals: &AtomicUsize) -> [bool; 2] {
        let mut led = [false; 2];
        for (round, led) in led.iter_mut().enumerate() {
            arrivals.fetch_add(1, SeqCst);
            *led = local::block_on(barrier.wait()).is_leader();
            assert!(
                arrivals.load(SeqCst) >= 2 * (round + 1),
                "a thread left round {round} before the other arrived"
            );
        }
        led
    }
    loom::model(|| {
        let barrier = Arc::new(Barrier::new(2));
        let arrivals = Arc::new(AtomicUsize::new(0));
        let th = thread::spawn({
            let (barrier, arrivals) = (barrier.clone(), arrivals.clone());
            move || party(&barrier, &arrivals)
        });
        let mine = party(&barrier, &arrivals);
        let theirs = th.join().unwrap();
        for round in 0..2 {
            assert!(mine[round] != theirs[round], "round {round} had no leader or two");
        }
    });
}

/// Two threads race `get_or_init` on an empty `OnceCell`, each with its
/// own initialiser. Exactly one initialiser runs, and both threads see
/// its value (a read racing the write would be a causality violation).
#[test]
fn once_cell_racing_get_or_init() {
    use loom::sync::atomic::{AtomicUsize, Ordering::SeqCst};
    use loom::sync::Arc;
    use weft::sync::OnceCell;
    fn init(cell: &OnceCell<usize>, runs: &AtomicUsize, value: usize) -> usize {
        *local::block_on(cell.get_or_init(|| async move {
            runs.fetch_add(1, SeqCst);
            value
        }))
    }
    loom::model(|| {
        let cell = Arc::new(OnceCell::new());
        let runs = Arc::new(AtomicUsize::new(0));
        let th = thread::spawn({
            let (cell, runs) = (cell.clone(), runs.clone());
            move || init(&cell, &runs, 1)
        });
        let mine = init(&cell, &runs, 2);
        let theirs = th.join().unwrap();
        assert_eq!(runs.load(SeqCst), 1, "the initialiser ran more than once");
        assert_eq!(mine, theirs, "the threads saw different values");
        assert_eq!(cell.get(), Some(&mine));
    });
}

/// A `LocalSet` task waits for a signal set on another thread, while the
/// set's owner drives the set (`run_until`) and goes idle once nothing is
/// ready. The wake from the other thread goes through the set's remote
/// queue and the owner's waker: the task runs again and the owner
/// returns its output. No runtime is needed, so the model drives the
/// real set with a plain loom `block_on`. The signal is the model's own
/// (a loom mutex and a waker), not a `weft::sync` type, so no other
/// mutant of the check's fourth group reaches this model.
#[test]
fn local_set_remote_wake_while_the_owner_idles() {
    use loom::sync::{Arc, Mutex};
    use std::task::{Poll, Waker};
    /// The value, once sent, and the waker of the task waiting for it.
    type Signal = Mutex<(Option<usize>, Option<Waker>)>;
    loom::model(|| {
        let set = weft::task::LocalSet::new();
        let signal: Arc<Signal> = Arc::new(Mutex::new((None, None)));
        let task = set.spawn_local({
            let signal = signal.clone();
            std::future::poll_fn(move |cx| {
                let mut slot = signal.lock().unwrap();
                match slot.0 {
                    Some(value) => Poll::Ready(value + 1),
                    None => {
                        slot.1 = Some(cx.waker().clone());
                        Poll::Pending
                    }
                }
            })
        });
        let th = thread::spawn(move || {
            let waker = {
                let mut slot = signal.lock().unwrap();
                slot.0 = Some(41);
                slot.1.take()
            };
            if let Some(waker) = waker {
                waker.wake();
            }
        });
        assert_eq!(local::block_on(set.run_until(task)).unwrap(), 42);
        th.join().unwrap();
    });
}

/// The mpsc receiver's waker slot on its own
/// (`weft::loom_internals::AtomicWaker`): a thread publishes a change and
/// wakes the slot while the receiver checks, registers its waker and
/// checks again, as `poll_recv` does. Whichever comes first, the receiver
/// sees the change or is woken: a wake that returns early on an empty
/// slot must not miss a registration whose re-check missed the change.
#[test]
fn atomic_waker_wake_racing_register() {
    use loom::sync::atomic::{AtomicBool, Ordering::{Acquire, Release}};
    use loom::sync::Arc;
    use std::task::Poll;
    use weft::loom_internals::AtomicWaker;
    loom::model(|| {
        let shared = Arc::new((AtomicWaker::new(), AtomicBool::new(false)));
        let th = thread::spawn({
            let shared = shared.clone();
            move || {
                shared.1.store(true, Release);
                shared.0.wake();
            }
        });
        local::block_on(std::future::poll_fn(|cx| {
            if shared.1.load(Acquire) {
                return Poll::Ready(());
            }
            shared.0.register(cx.waker());
            if shared.1.load(Acquire) {
                Poll::Ready(())
            } else {
                Poll::Pending
            }
        }));
        th.join().unwrap();
    });
}
