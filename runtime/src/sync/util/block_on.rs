//! Running a future to completion on the current thread, for the
//! `blocking_*` methods (`Mutex::blocking_lock`, `Receiver::blocking_recv`).
//!
//! The thread parks on a condvar until the future's waker is called. This
//! is meant for plain threads outside the runtime (a `std::thread`, a
//! `spawn_blocking` closure). On a thread that drives weft tasks (a worker,
//! a current-thread runtime, a `block_on`) it panics, as blocking there
//! would stall those tasks.

use std::future::Future;

#[cfg(not(loom))]
#[track_caller]
pub(crate) fn block_on<F: Future>(fut: F) -> F::Output {
    use std::pin::pin;
    use std::task::{Context, Poll, Wake, Waker};

    use crate::loom::sync::{Arc, Condvar, Mutex};

    /// Set to `true` by a wake; the thread consumes it before polling again.
    struct Parker {
        woken: Mutex<bool>,
        condvar: Condvar,
    }

    impl Wake for Parker {
        fn wake(self: Arc<Self>) {
            self.wake_by_ref();
        }

        fn wake_by_ref(self: &Arc<Self>) {
            *self.woken.lock() = true;
            self.condvar.notify_one();
        }
    }

    // Panics on a thread that drives tasks, and marks this one as blocked
    // so a nested blocking call panics too.
    let _blocking = crate::runtime::context::enter_block_on();
    let parker = Arc::new(Parker {
        woken: Mutex::new(false),
        condvar: Condvar::new(),
    });
    let waker = Waker::from(parker.clone());
    let mut cx = Context::from_waker(&waker);
    let mut fut = pin!(fut);
    loop {
        if let Poll::Ready(output) = fut.as_mut().poll(&mut cx) {
            return output;
        }
        let mut woken = parker.woken.lock();
        while !*woken {
            parker.condvar.wait(&mut woken);
        }
        *woken = false;
    }
}

/// Under loom the parker's lock and condvar are loom's, so models see the
/// blocking; the waker's own `Arc` must be std's, which `Wake` requires.
#[cfg(loom)]
pub(crate) fn block_on<F: Future>(fut: F) -> F::Output {
    use std::pin::pin;
    use std::sync::Arc;
    use std::task::{Context, Poll, Wake, Waker};

    use crate::loom::sync::{Condvar, Mutex};

    struct Parker {
        woken: Mutex<bool>,
        condvar: Condvar,
    }

    impl Wake for Parker {
        fn wake(self: Arc<Self>) {
            *self.woken.lock() = true;
            self.condvar.notify_one();
        }
    }

    let _blocking = crate::runtime::context::enter_block_on();
    let parker = Arc::new(Parker {
        woken: Mutex::new(false),
        condvar: Condvar::new(),
    });
    let waker = Waker::from(parker.clone());
    let mut cx = Context::from_waker(&waker);
    let mut fut = pin!(fut);
    loop {
        if let Poll::Ready(output) = fut.as_mut().poll(&mut cx) {
            return output;
        }
        let mut woken = parker.woken.lock();
        if *woken {
            // Woken while polling (for example a waker slot that is busy
            // asks for another poll): let the other threads of the model
            // run first, or loom sees an endless spin.
            drop(woken);
            crate::loom::thread::yield_now();
            woken = parker.woken.lock();
        }
        while !*woken {
            parker.condvar.wait(&mut woken);
        }
        *woken = false;
    }
}
