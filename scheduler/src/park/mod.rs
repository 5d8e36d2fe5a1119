//! Parking: how an idle thread sleeps until there is work.
//!
//! The scheduler parks idle workers through [`Park`] and wakes them through
//! [`Unpark`]. The contract every implementation meets:
//!
//! - an `unpark` that happens before a `park` makes that `park` return at
//!   once (the notification is not lost);
//! - `park` may return spuriously; callers re-check their condition;
//! - `park(Some(Duration::ZERO))` does the driver's non-blocking work (poll
//!   for events, fire expired timers) and returns.
//!
//! [`ParkThread`] is the plain condvar implementation; the `weft` crate
//! implements `Park` with its I/O and timer driver.

use crate::loom::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use crate::loom::sync::{Condvar, Mutex};
// `Park`/`Unpark` handles are API types, shared with the `weft` crate's
// driver; they are plain std `Arc`s in every build.
use std::sync::Arc;
use std::fmt;
use std::future::Future;
use std::task::{Context, Poll, Wake, Waker};
use std::time::Duration;

/// Something a thread can block in until it is unparked.
pub trait Park: Send + 'static {
    /// Blocks until unparked, or until `timeout` elapses (`None`: no
    /// limit). May return spuriously.
    fn park(&mut self, timeout: Option<Duration>);

    /// A handle that wakes this parker from any thread.
    fn unparker(&self) -> Arc<dyn Unpark>;

    /// Called once when the runtime shuts down, after every task was
    /// cancelled: release resources and wake whatever still waits on them.
    fn shutdown(&mut self) {}
}

/// Wakes a [`Park`].
pub trait Unpark: Send + Sync + 'static {
    /// Makes the current or next `park` return.
    fn unpark(&self);
}

const EMPTY: usize = 0;
const PARKED: usize = 1;
const NOTIFIED: usize = 2;

/// A condvar-based [`Park`] for a thread with no driver.
#[derive(Debug)]
pub struct ParkThread {
    inner: Arc<ParkInner>,
}

#[derive(Debug)]
struct ParkInner {
    state: AtomicUsize,
    lock: Mutex<()>,
    cvar: Condvar,
}

impl ParkThread {
    /// A new parker, not notified.
    pub fn new() -> ParkThread {
        ParkThread { inner: ParkInner::new_arc() }
    }
}

impl Default for ParkThread {
    fn default() -> Self {
        Self::new()
    }
}

impl ParkInner {
    fn park(&self, timeout: Option<Duration>) {
        // A pending notification is consumed without blocking.
        if self.state.compare_exchange(NOTIFIED, EMPTY, SeqCst, SeqCst).is_ok() {
            return;
        }
        if timeout == Some(Duration::ZERO) {
            return;
        }
        let mut guard = self.lock.lock();
        match self.state.compare_exchange(EMPTY, PARKED, SeqCst, SeqCst) {
            Ok(_) => {}
            Err(NOTIFIED) => {
                // A swap, not a store: another unpark may have come since
                // the failed compare-exchange, and reading its NOTIFIED
                // acquires what it published before unparking.
                self.state.swap(EMPTY, SeqCst);
                return;
            }
            Err(actual) => panic!("inconsistent park state {actual}"),
        }
        match timeout {
            None => loop {
                self.cvar.wait(&mut guard);
                if self.state.compare_exchange(NOTIFIED, EMPTY, SeqCst, SeqCst).is_ok() {
                    return;
                }
            },
            Some(timeout) => {
                self.cvar.wait_for(&mut guard, timeout);
                // Timed out or notified: either way the parker is empty now.
                self.state.swap(EMPTY, SeqCst);
            }
        }
    }

    fn unpark(&self) {
        match self.state.swap(NOTIFIED, SeqCst) {
            EMPTY | NOTIFIED => {}
            PARKED => {
                // Taking the lock orders this notify after the parker's
                // wait began, so the wake-up cannot fall in between.
                drop(self.lock.lock());
                self.cvar.notify_one();
            }
            actual => panic!("inconsistent park state {actual}"),
        }
    }
}

impl Park for ParkThread {
    fn park(&mut self, timeout: Option<Duration>) {
        self.inner.park(timeout);
    }

    fn unparker(&self) -> Arc<dyn Unpark> {
        self.inner.clone()
    }
}

impl Unpark for ParkInner {
    fn unpark(&self) {
        ParkInner::unpark(self);
    }
}

impl Wake for ParkInner {
    fn wake(self: Arc<Self>) {
        self.unpark();
    }
    fn wake_by_ref(self: &Arc<Self>) {
        self.unpark();
    }
}

impl fmt::Debug for dyn Unpark {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Unpark")
    }
}

impl ParkInner {
    fn new_arc() -> Arc<ParkInner> {
        Arc::new(ParkInner { state: AtomicUsize::new(EMPTY), lock: Mutex::new(()), cvar: Condvar::new() })
    }
}

#[cfg(not(loom))]
std::thread_local! {
    /// One parker per thread, reused by every `block_on` on it.
    static THREAD_PARKER: Arc<ParkInner> = ParkInner::new_arc();
}

/// The parker `block_on` sleeps on. Under loom each call gets a fresh one:
/// loom's primitives must not outlive one model run, which a thread-local
/// would make them do.
fn thread_parker() -> Arc<ParkInner> {
    #[cfg(not(loom))]
    return THREAD_PARKER.with(Arc::clone);
    #[cfg(loom)]
    return ParkInner::new_arc();
}

/// Runs `future` to completion on the current thread, sleeping on a
/// condvar while it is pending. Used by `block_on` of the multi-thread
/// runtime (the workers run the tasks; this thread only waits).
pub fn block_on<F: Future>(future: F) -> F::Output {
    let inner = thread_parker();
    let waker = Waker::from(inner.clone());
    let mut cx = Context::from_waker(&waker);
    let mut future = std::pin::pin!(future);
    loop {
        if let Poll::Ready(v) = crate::coop::budget(|| future.as_mut().poll(&mut cx)) {
            return v;
        }
        inner.park(None);
    }
}

#[cfg(test)]
mod tests;
