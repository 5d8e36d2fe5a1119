//! Helpers for the `sync_*` tests: a thread-parking `block_on` and a
//! manually polled task that counts its wake-ups.
//!
//! Include with `#[path = "support/sync_util.rs"] mod sync_util;`.
#![allow(dead_code)]

use std::future::Future;
use std::pin::{pin, Pin};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll, Wake, Waker};
use std::thread::{self, Thread};

struct ThreadWaker(Thread);

impl Wake for ThreadWaker {
    fn wake(self: Arc<Self>) {
        self.0.unpark();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        self.0.unpark();
    }
}

/// Runs `fut` to completion on this thread, parking between polls.
pub(crate) fn block_on<F: Future>(fut: F) -> F::Output {
    let waker = Waker::from(Arc::new(ThreadWaker(thread::current())));
    let mut cx = Context::from_waker(&waker);
    let mut fut = pin!(fut);
    loop {
        if let Poll::Ready(output) = fut.as_mut().poll(&mut cx) {
            return output;
        }
        thread::park();
    }
}

/// Counts how often a waker was woken.
#[derive(Debug, Default)]
pub(crate) struct WakeCounter(AtomicUsize);

impl Wake for WakeCounter {
    fn wake(self: Arc<Self>) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }

    fn wake_by_ref(self: &Arc<Self>) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}

/// A future polled by hand, with a waker that counts wake-ups: lets a test
/// drive a future step by step and check when it is woken.
pub(crate) struct Task<F: Future> {
    future: Pin<Box<F>>,
    counter: Arc<WakeCounter>,
    waker: Waker,
}

impl<F: Future> Task<F> {
    /// Wraps `future` without polling it.
    pub(crate) fn new(future: F) -> Self {
        let counter = Arc::new(WakeCounter::default());
        let waker = Waker::from(counter.clone());
        Task {
            future: Box::pin(future),
            counter,
            waker,
        }
    }

    /// Polls once.
    pub(crate) fn poll(&mut self) -> Poll<F::Output> {
        let mut cx = Context::from_waker(&self.waker);
        self.future.as_mut().poll(&mut cx)
    }

    /// Polls once and expects `Pending`.
    #[track_caller]
    pub(crate) fn assert_pending(&mut self) {
        assert!(
            self.poll().is_pending(),
            "future completed, expected it to wait"
        );
    }

    /// Polls once and expects `Ready`, returning the output.
    #[track_caller]
    pub(crate) fn assert_ready(&mut self) -> F::Output {
        match self.poll() {
            Poll::Ready(output) => output,
            Poll::Pending => panic!("future is pending, expected it to be ready"),
        }
    }

    /// How many times the task was woken so far.
    pub(crate) fn wake_count(&self) -> usize {
        self.counter.0.load(Ordering::SeqCst)
    }

    /// True if woken at least once.
    pub(crate) fn is_woken(&self) -> bool {
        self.wake_count() > 0
    }
}

struct NoopWaker;

impl Wake for NoopWaker {
    fn wake(self: Arc<Self>) {}
}

/// A waker that does nothing.
pub(crate) fn noop_waker() -> Waker {
    Waker::from(Arc::new(NoopWaker))
}

/// Polls `fut` once with a waker that does nothing.
pub(crate) fn poll_once<F: Future + Unpin>(fut: &mut F) -> Poll<F::Output> {
    let waker = noop_waker();
    let mut cx = Context::from_waker(&waker);
    Pin::new(fut).poll(&mut cx)
}
