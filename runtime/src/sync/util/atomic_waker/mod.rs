//! One waker slot that a single task registers into and anyone may wake.
//!
//! The mpsc receiver parks here; every sender wakes it after pushing.
//!
//! # Protocol
//!
//! The slot is guarded by a small state word instead of a lock:
//!
//! | state | meaning |
//! |---|---|
//! | `IDLE` | nobody is touching the slot |
//! | `REGISTERING` | the registering task owns the slot |
//! | `WAKING` | a waker owns the slot (it is taking the waker out) |
//! | `REGISTERING \| WAKING` | a wake arrived during a registration |
//!
//! * `register` moves `IDLE -> REGISTERING`, stores its waker, then tries
//!   `REGISTERING -> IDLE`. If a wake arrived meanwhile (the CAS finds
//!   `WAKING` set) the registrant still owns the slot: it takes the waker
//!   back out, resets the state to `IDLE` and wakes the task itself, so the
//!   wake-up is not lost.
//! * `take` sets `WAKING` with one `fetch_or`. If the state was `IDLE` it
//!   owns the slot, takes the waker and clears `WAKING`. Otherwise someone
//!   else owns the slot: a registrant (who will see `WAKING` and wake) or
//!   another waker (who will wake the same task); either way nothing is lost.
//!
//! Ordering: the `AcqRel` on every transition makes whatever a waker wrote
//! before calling `wake` visible to the task once it observes the wake-up,
//! and makes the stored waker visible to the next owner of the slot.

use std::fmt;
use std::task::Waker;

use crate::loom::cell::UnsafeCell;
use crate::loom::sync::atomic::{AtomicUsize, Ordering};

const IDLE: usize = 0;
const REGISTERING: usize = 0b01;
const WAKING: usize = 0b10;

/// A waker slot for one waiting task and any number of wakers.
pub(crate) struct AtomicWaker {
    state: AtomicUsize,
    waker: UnsafeCell<Option<Waker>>,
}

// SAFETY: the waker slot is only touched by the thread that owns it under
// the state protocol above, and `Waker` is `Send + Sync`.
unsafe impl Send for AtomicWaker {}
// SAFETY: as above: the state word hands out exclusive ownership of the slot.
unsafe impl Sync for AtomicWaker {}

impl AtomicWaker {
    /// An empty slot.
    pub(crate) fn new() -> Self {
        AtomicWaker {
            state: AtomicUsize::new(IDLE),
            waker: UnsafeCell::new(None),
        }
    }

    /// Stores `waker` to be woken by the next [`AtomicWaker::wake`].
    ///
    /// Meant for one registering task at a time; a concurrent second
    /// registrant is told to poll again (its waker is woken) instead.
    pub(crate) fn register(&self, waker: &Waker) {
        match self
            .state
            .compare_exchange(IDLE, REGISTERING, Ordering::Acquire, Ordering::Acquire)
        {
            Ok(_) => {
                // SAFETY: the state is `REGISTERING`, so this thread owns the
                // slot: `take` does not touch it unless it saw `IDLE`.
                self.waker.with_mut(|slot| unsafe {
                    match &mut *slot {
                        Some(old) if old.will_wake(waker) => {}
                        other => *other = Some(waker.clone()),
                    }
                });
                if let Err(actual) = self.state.compare_exchange(
                    REGISTERING,
                    IDLE,
                    Ordering::AcqRel,
                    Ordering::Acquire,
                ) {
                    // A wake arrived while we held the slot; we still own
                    // it, so hand the waker over ourselves.
                    debug_assert_eq!(actual, REGISTERING | WAKING);
                    // SAFETY: still the owner: `take` backed off on seeing
                    // `REGISTERING`.
                    let waker = self.waker.with_mut(|slot| unsafe { (*slot).take() });
                    self.state.swap(IDLE, Ordering::AcqRel);
                    if let Some(waker) = waker {
                        waker.wake();
                    }
                }
            }
            Err(_) => {
                // A wake is in progress (or a second registrant): poll again.
                waker.wake_by_ref();
            }
        }
    }

    /// Takes the registered waker out, if nobody else owns the slot.
    pub(crate) fn take(&self) -> Option<Waker> {
        match self.state.fetch_or(WAKING, Ordering::AcqRel) {
            IDLE => {
                // SAFETY: we moved the state from `IDLE` to `WAKING`, so we
                // own the slot until we clear `WAKING`.
                let waker = self.waker.with_mut(|slot| unsafe { (*slot).take() });
                self.state.fetch_and(!WAKING, Ordering::Release);
                waker
            }
            _ => None,
        }
    }

    /// Wakes the registered task, if any.
    pub(crate) fn wake(&self) {
        if let Some(waker) = self.take() {
            waker.wake();
        }
    }
}

impl fmt::Debug for AtomicWaker {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AtomicWaker")
            .field("state", &self.state.load(Ordering::Relaxed))
            .finish()
    }
}

#[cfg(test)]
mod tests;
