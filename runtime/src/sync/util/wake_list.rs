//! Wakers collected under a lock and woken after it is released.
//!
//! Waking runs foreign code (the executor's `wake`), which must not run
//! while a primitive's lock is held: it may take other locks or try to take
//! this one again. The common case is a single waker, so that one is kept
//! inline and only a larger batch allocates.

use std::task::Waker;

/// A batch of wakers to wake once the lock is dropped.
#[derive(Debug, Default)]
pub(crate) struct WakeList {
    first: Option<Waker>,
    rest: Vec<Waker>,
}

impl WakeList {
    /// An empty batch; allocates nothing.
    pub(crate) const fn new() -> Self {
        WakeList {
            first: None,
            rest: Vec::new(),
        }
    }

    /// Adds `waker` to the batch, if there is one.
    pub(crate) fn push(&mut self, waker: Option<Waker>) {
        let Some(waker) = waker else { return };
        if self.first.is_none() {
            self.first = Some(waker);
        } else {
            self.rest.push(waker);
        }
    }

    /// Wakes every waker in the batch.
    pub(crate) fn wake_all(self) {
        if let Some(first) = self.first {
            first.wake();
        }
        for waker in self.rest {
            waker.wake();
        }
    }
}
