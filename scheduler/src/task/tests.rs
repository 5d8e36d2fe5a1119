//! Task core tests on a minimal queue-only scheduler.

use super::*;
use crate::loom::sync::{Arc, Mutex};
use std::collections::VecDeque;
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use std::task::{Context, Poll, Waker};

#[derive(Clone)]
struct Queue(Arc<Inner>);

struct Inner {
    ready: Mutex<VecDeque<Notified<Queue>>>,
    owned: OwnedTasks<Queue>,
}

impl Schedule for Queue {
    fn schedule(&self, task: Notified<Self>) {
        self.0.ready.lock().push_back(task);
    }
    fn release(&self, task: &Task<Self>) -> Option<Task<Self>> {
        self.0.owned.remove(task)
    }
}

impl Queue {
    fn new() -> Queue {
        Queue(Arc::new(Inner { ready: Mutex::new(VecDeque::new()), owned: OwnedTasks::new(4) }))
    }
    fn spawn<F: Future + Send + 'static>(&self, f: F) -> JoinHandle<F::Output>
    where
        F::Output: Send,
    {
        let (join, notified) = self.0.owned.bind(f, self.clone(), Id::next());
        if let Some(n) = notified {
            self.schedule(n);
        }
        join
    }
    /// Runs queued tasks until none is ready; returns how many runs.
    fn run(&self) -> usize {
        let mut n = 0;
        loop {
            let next = self.0.ready.lock().pop_front();
            match next {
                Some(task) => {
                    task.run();
                    n += 1;
                }
                None => return n,
            }
        }
    }
    fn shutdown(&self) {
        self.0.owned.close_and_shutdown_all();
        while let Some(t) = self.0.ready.lock().pop_front() {
            drop(t);
        }
    }
}

/// Counts drops, to prove each future is dropped exactly once.
struct DropCount(Arc<AtomicUsize>);
impl Drop for DropCount {
    fn drop(&mut self) {
        self.0.fetch_add(1, SeqCst);
    }
}

/// Pending until `open` holds; stores its waker for the test to wake.
struct Gate {
    waker: Arc<Mutex<Option<Waker>>>,
    open: Arc<AtomicUsize>,
}
impl Future for Gate {
    type Output = ();
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.open.load(SeqCst) > 0 {
            return Poll::Ready(());
        }
        *self.waker.lock() = Some(cx.waker().clone());
        Poll::Pending
    }
}

fn gate() -> (Gate, Arc<Mutex<Option<Waker>>>, Arc<AtomicUsize>) {
    let w = Arc::new(Mutex::new(None));
    let o = Arc::new(AtomicUsize::new(0));
    (Gate { waker: w.clone(), open: o.clone() }, w, o)
}

fn poll_join<T>(join: &mut JoinHandle<T>) -> Poll<Result<T, JoinError>> {
    let mut cx = Context::from_waker(Waker::noop());
    Pin::new(join).poll(&mut cx)
}

#[test]
fn spawn_run_and_join() {
    let q = Queue::new();
    let mut join = q.spawn(async { 40 + 2 });
    assert!(poll_join(&mut join).is_pending());
    assert_eq!(q.run(), 1);
    assert!(join.is_finished());
    assert_eq!(poll_join(&mut join).map(|r| r.unwrap()), Poll::Ready(42));
    assert!(q.0.owned.is_empty());
}

#[test]
fn wake_from_another_thread_runs_again() {
    let q = Queue::new();
    let (g, waker, open) = gate();
    let mut join = q.spawn(g);
    q.run();
    assert!(poll_join(&mut join).is_pending());
    open.store(1, SeqCst);
    let w = waker.lock().take().unwrap();
    std::thread::spawn(move || w.wake()).join().unwrap();
    assert_eq!(q.run(), 1);
    assert!(matches!(poll_join(&mut join), Poll::Ready(Ok(()))));
}

#[test]
fn duplicate_wakes_queue_the_task_once() {
    let q = Queue::new();
    let (g, waker, _open) = gate();
    let _join = q.spawn(g);
    q.run();
    let w = waker.lock().take().unwrap();
    w.wake_by_ref();
    w.wake_by_ref();
    let extra = w.clone();
    extra.wake();
    assert_eq!(q.0.ready.lock().len(), 1);
    q.shutdown();
}

#[test]
fn abort_before_first_poll_never_polls() {
    let q = Queue::new();
    let polled = Arc::new(AtomicUsize::new(0));
    let p = polled.clone();
    let mut join = q.spawn(async move {
        p.fetch_add(1, SeqCst);
    });
    join.abort();
    q.run();
    assert_eq!(polled.load(SeqCst), 0);
    match poll_join(&mut join) {
        Poll::Ready(Err(e)) => assert!(e.is_cancelled(), "{e}"),
        other => panic!("expected cancellation, got {other:?}"),
    }
}

#[test]
fn abort_while_pending_drops_future_once() {
    let q = Queue::new();
    let drops = Arc::new(AtomicUsize::new(0));
    let (g, _w, _o) = gate();
    let d = DropCount(drops.clone());
    let mut join = q.spawn(async move {
        let _d = d;
        g.await;
    });
    q.run();
    join.abort();
    assert_eq!(q.run(), 1, "abort schedules the idle task");
    assert_eq!(drops.load(SeqCst), 1);
    assert!(matches!(poll_join(&mut join), Poll::Ready(Err(e)) if e.is_cancelled()));
}

#[test]
fn abort_after_completion_keeps_output() {
    let q = Queue::new();
    let mut join = q.spawn(async { "done" });
    q.run();
    join.abort();
    assert_eq!(q.run(), 0);
    assert!(matches!(poll_join(&mut join), Poll::Ready(Ok("done"))));
}

#[test]
fn panic_reaches_join_handle_with_payload() {
    let q = Queue::new();
    let mut join = q.spawn(async { panic!("boom") });
    q.run();
    match poll_join(&mut join) {
        Poll::Ready(Err(e)) => {
            assert!(e.is_panic());
            assert!(e.to_string().contains("boom"), "{e}");
            let payload = e.into_panic();
            assert_eq!(payload.downcast_ref::<&str>(), Some(&"boom"));
        }
        other => panic!("expected panic, got {other:?}"),
    }
}

#[test]
fn dropped_join_handle_detaches_and_output_is_dropped() {
    let q = Queue::new();
    let drops = Arc::new(AtomicUsize::new(0));
    let d = DropCount(drops.clone());
    let join = q.spawn(async move { d });
    drop(join);
    q.run();
    assert_eq!(drops.load(SeqCst), 1, "output dropped by the runtime");
    assert!(q.0.owned.is_empty());
}

#[test]
fn join_handle_dropped_after_completion_drops_output() {
    let q = Queue::new();
    let drops = Arc::new(AtomicUsize::new(0));
    let d = DropCount(drops.clone());
    let join = q.spawn(async move { d });
    q.run();
    assert_eq!(drops.load(SeqCst), 0);
    drop(join);
    assert_eq!(drops.load(SeqCst), 1);
}

#[test]
fn join_waker_is_woken_on_completion() {
    struct Flag(AtomicUsize);
    impl std::task::Wake for Flag {
        fn wake(self: std::sync::Arc<Self>) {
            self.0.fetch_add(1, SeqCst);
        }
    }
    let q = Queue::new();
    let flag = std::sync::Arc::new(Flag(AtomicUsize::new(0)));
    let waker = Waker::from(flag.clone());
    let mut join = q.spawn(async { 1 });
    assert!(Pin::new(&mut join).poll(&mut Context::from_waker(&waker)).is_pending());
    // Re-polling with another waker replaces it.
    let flag2 = std::sync::Arc::new(Flag(AtomicUsize::new(0)));
    let waker2 = Waker::from(flag2.clone());
    assert!(Pin::new(&mut join).poll(&mut Context::from_waker(&waker2)).is_pending());
    q.run();
    assert_eq!(flag.0.load(SeqCst), 0);
    assert_eq!(flag2.0.load(SeqCst), 1);
}

#[test]
fn shutdown_drops_every_future_once() {
    let q = Queue::new();
    let drops = Arc::new(AtomicUsize::new(0));
    let mut joins = Vec::new();
    for _ in 0..10 {
        let (g, _w, _o) = gate();
        let d = DropCount(drops.clone());
        joins.push(q.spawn(async move {
            let _d = d;
            g.await
        }));
    }
    q.run();
    q.shutdown();
    assert_eq!(drops.load(SeqCst), 10);
    for mut j in joins {
        assert!(matches!(poll_join(&mut j), Poll::Ready(Err(e)) if e.is_cancelled()));
    }
    // Spawning after shutdown gives a cancelled handle at once.
    let mut late = q.spawn(async { 5 });
    assert!(matches!(poll_join(&mut late), Poll::Ready(Err(e)) if e.is_cancelled()));
}

#[test]
fn waker_outliving_the_task_is_harmless() {
    let q = Queue::new();
    let (g, waker, open) = gate();
    let join = q.spawn(g);
    q.run();
    let w = waker.lock().take().unwrap();
    open.store(1, SeqCst);
    w.wake_by_ref();
    q.run();
    drop(join);
    // The task is complete; waking it again does nothing and the last
    // reference (this waker) frees it.
    w.wake_by_ref();
    assert_eq!(q.run(), 0);
    drop(w);
}

#[test]
fn task_id_is_visible_while_polled() {
    let q = Queue::new();
    let mut join = q.spawn(async { try_id() });
    let id = join.id();
    q.run();
    assert!(matches!(poll_join(&mut join), Poll::Ready(Ok(Some(seen))) if seen == id));
    assert_eq!(try_id(), None);
}
