//! Per-worker parking: in the driver if it is free, else on a condvar.
//!
//! All workers share one driver (the I/O and timer driver). A worker that
//! goes to sleep first tries to take the driver's lock; if it gets it, it
//! sleeps inside the driver, so I/O events and timers wake it. The others
//! sleep on their own condvar. `unpark` reads the parked worker's state to
//! know which of the two to poke.
//!
//! States: EMPTY, PARKED_CONDVAR, PARKED_DRIVER, NOTIFIED. `unpark` swaps
//! in NOTIFIED and acts on the old value; `park` consumes NOTIFIED before
//! sleeping and after waking, so a notification is never lost and at most
//! one is remembered.

use crate::loom::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use crate::loom::sync::{Arc, Condvar, Mutex, MutexGuard};
use crate::park::{Park, Unpark};
use std::time::Duration;

const EMPTY: usize = 0;
const PARKED_CONDVAR: usize = 1;
const PARKED_DRIVER: usize = 2;
const NOTIFIED: usize = 3;

/// The driver all workers of a runtime share.
pub(crate) struct SharedDriver {
    driver: Mutex<Box<dyn Park>>,
    unpark: std::sync::Arc<dyn Unpark>,
    /// Under loom, the "driver is taken" flag that `try_lock` decides on.
    /// loom 0.7's `Mutex::try_lock` can block the trying thread until the
    /// holder lets go, which here (the holder sleeps in the driver until
    /// unparked) would be reported as a deadlock that the real code
    /// cannot reach; a compare-exchange on this flag is a try that never
    /// blocks.
    #[cfg(loom)]
    busy: crate::loom::sync::atomic::AtomicBool,
}

/// The shared driver, held by the worker that sleeps in it or polls it.
pub(crate) struct DriverGuard<'a> {
    guard: MutexGuard<'a, Box<dyn Park>>,
    #[cfg(loom)]
    busy: &'a crate::loom::sync::atomic::AtomicBool,
}

impl DriverGuard<'_> {
    fn park(&mut self, timeout: Option<Duration>) {
        self.guard.park(timeout);
    }
}

#[cfg(loom)]
impl Drop for DriverGuard<'_> {
    fn drop(&mut self) {
        // The guard field is dropped after this, which is fine: the next
        // taker of the flag may block on the mutex only until then.
        self.busy.store(false, SeqCst);
    }
}

impl SharedDriver {
    pub(crate) fn new(driver: Box<dyn Park>) -> Arc<SharedDriver> {
        let unpark = driver.unparker();
        Arc::new(SharedDriver {
            driver: Mutex::new(driver),
            unpark,
            #[cfg(loom)]
            busy: crate::loom::sync::atomic::AtomicBool::new(false),
        })
    }

    /// Takes the driver if no other worker holds it.
    #[cfg(not(loom))]
    fn try_lock(&self) -> Option<DriverGuard<'_>> {
        self.driver.try_lock().map(|guard| DriverGuard { guard })
    }

    /// Takes the driver if no other worker holds it (see `busy`).
    #[cfg(loom)]
    fn try_lock(&self) -> Option<DriverGuard<'_>> {
        if self.busy.compare_exchange(false, true, SeqCst, SeqCst).is_err() {
            return None;
        }
        Some(DriverGuard { guard: self.driver.lock(), busy: &self.busy })
    }

    /// Shuts the driver down (the last worker does this at shutdown).
    pub(crate) fn shutdown(&self) {
        self.driver.lock().shutdown();
    }

    /// Takes the driver for a loom model, as a worker sleeping in it
    /// would; `None` if a worker holds it.
    #[cfg(loom)]
    pub(crate) fn hold(&self) -> Option<DriverGuard<'_>> {
        self.try_lock()
    }
}

pub(crate) struct Parker {
    inner: Arc<Inner>,
}

#[derive(Clone)]
pub(crate) struct Unparker {
    inner: Arc<Inner>,
}

struct Inner {
    state: AtomicUsize,
    lock: Mutex<()>,
    cvar: Condvar,
    shared: Arc<SharedDriver>,
}

impl Parker {
    pub(crate) fn new(shared: Arc<SharedDriver>) -> Parker {
        Parker {
            inner: Arc::new(Inner { state: AtomicUsize::new(EMPTY), lock: Mutex::new(()), cvar: Condvar::new(), shared }),
        }
    }

    pub(crate) fn unparker(&self) -> Unparker {
        Unparker { inner: self.inner.clone() }
    }

    /// Sleeps until unparked. Spurious returns are allowed.
    pub(crate) fn park(&mut self) {
        let inner = &*self.inner;
        if inner.state.compare_exchange(NOTIFIED, EMPTY, SeqCst, SeqCst).is_ok() {
            return;
        }
        if let Some(mut driver) = inner.shared.try_lock() {
            if inner.state.compare_exchange(EMPTY, PARKED_DRIVER, SeqCst, SeqCst).is_err() {
                // Notified meanwhile. A swap, not a store: another unpark
                // may have come since the failed compare-exchange, and
                // reading its NOTIFIED acquires what it published.
                inner.state.swap(EMPTY, SeqCst);
                return;
            }
            driver.park(None);
            // A swap, not a store: reading the unparker's NOTIFIED makes
            // this thread acquire what the unparker published before
            // unparking (loom checks that edge; it does not model the
            // SeqCst total order a plain store would rely on).
            inner.state.swap(EMPTY, SeqCst);
        } else {
            let mut guard = inner.lock.lock();
            if inner.state.compare_exchange(EMPTY, PARKED_CONDVAR, SeqCst, SeqCst).is_err() {
                // As above: swap to acquire from every unpark so far.
                inner.state.swap(EMPTY, SeqCst);
                return;
            }
            loop {
                inner.cvar.wait(&mut guard);
                if inner.state.compare_exchange(NOTIFIED, EMPTY, SeqCst, SeqCst).is_ok() {
                    return;
                }
            }
        }
    }

    /// Does the driver's non-blocking work if no other worker holds it.
    pub(crate) fn poll_driver(&mut self) {
        if let Some(mut driver) = self.inner.shared.try_lock() {
            driver.park(Some(Duration::ZERO));
        }
    }
}

impl Unparker {
    pub(crate) fn unpark(&self) {
        let inner = &*self.inner;
        match inner.state.swap(NOTIFIED, SeqCst) {
            EMPTY | NOTIFIED => {}
            PARKED_CONDVAR => {
                // Mutant `sched_unpark_skips_lock` (loom builds only): notify
                // without taking the lock, so the notification can fall
                // between the parker's state change and its wait.
                if !cfg!(weft_loom_mutant = "sched_unpark_skips_lock") {
                    drop(inner.lock.lock());
                }
                inner.cvar.notify_one();
            }
            PARKED_DRIVER => inner.shared.unpark.unpark(),
            actual => unreachable!("inconsistent worker park state {actual}"),
        }
    }
}
