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
use crate::loom::sync::{Arc, Condvar, Mutex};
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
}

impl SharedDriver {
    pub(crate) fn new(driver: Box<dyn Park>) -> Arc<SharedDriver> {
        let unpark = driver.unparker();
        Arc::new(SharedDriver { driver: Mutex::new(driver), unpark })
    }

    /// Shuts the driver down (the last worker does this at shutdown).
    pub(crate) fn shutdown(&self) {
        self.driver.lock().shutdown();
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
        if let Some(mut driver) = inner.shared.driver.try_lock() {
            if inner.state.compare_exchange(EMPTY, PARKED_DRIVER, SeqCst, SeqCst).is_err() {
                inner.state.store(EMPTY, SeqCst);
                return;
            }
            driver.park(None);
            inner.state.store(EMPTY, SeqCst);
        } else {
            let mut guard = inner.lock.lock();
            if inner.state.compare_exchange(EMPTY, PARKED_CONDVAR, SeqCst, SeqCst).is_err() {
                inner.state.store(EMPTY, SeqCst);
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
        if let Some(mut driver) = self.inner.shared.driver.try_lock() {
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
                drop(inner.lock.lock());
                inner.cvar.notify_one();
            }
            PARKED_DRIVER => inner.shared.unpark.unpark(),
            actual => unreachable!("inconsistent worker park state {actual}"),
        }
    }
}
