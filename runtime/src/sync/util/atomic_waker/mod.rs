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
//! | `IDLE` | nobody is touching the slot, and it holds no waker |
//! | `FULL` | nobody is touching the slot, and it holds a waker |
//! | `REGISTERING` | the registering task owns the slot |
//! | `WAKING` (maybe with `FULL`) | a waker owns the slot (it is taking the waker out) |
//! | `REGISTERING \| WAKING` | a wake arrived during a registration |
//!
//! * `register` moves `IDLE` or `FULL` to `REGISTERING`, stores its waker,
//!   then tries `REGISTERING -> FULL`. If a wake arrived meanwhile (the CAS
//!   finds `WAKING` set) the registrant still owns the slot: it takes the
//!   waker back out, resets the state to `IDLE` and wakes the task itself,
//!   so the wake-up is not lost.
//! * `take` returns at once if the state is `IDLE`: there is nothing to
//!   take and nobody is registering. Otherwise it sets `WAKING` with one
//!   `fetch_or`. If the state was `FULL` (or `IDLE`) it owns the slot,
//!   takes the waker and resets the state to `IDLE`. Otherwise someone else
//!   owns the slot: a registrant (who will see `WAKING` and wake) or another
//!   waker (who will wake the same task); either way nothing is lost.
//!
//! The early return is what makes a busy channel cheap: while the receiver
//! is busy draining messages it has no waker stored, and every send only
//! reads the state instead of writing a cache line the receiver also
//! writes. It is sound because of two `SeqCst` fences, one at the start of
//! `take` and one at the end of `register`. A waker runs "publish my
//! change, fence, read the state"; a registrant runs "store the waker,
//! fence, re-check the condition" (the caller's re-check after
//! `register`). Whichever fence comes first in the single total order of
//! `SeqCst` operations, the other side sees its write: either the waker
//! reads `FULL`/`REGISTERING` and wakes, or the registrant's re-check sees
//! the change and it does not wait.
//!
//! Ordering otherwise: the `AcqRel` on every transition makes whatever a
//! waker wrote before calling `wake` visible to the task once it observes
//! the wake-up, and makes the stored waker visible to the next owner of
//! the slot.

use std::fmt;
use std::task::Waker;

use crate::loom::cell::UnsafeCell;
use crate::loom::sync::atomic::{fence, AtomicUsize, Ordering};

const IDLE: usize = 0;
const REGISTERING: usize = 0b001;
const WAKING: usize = 0b010;
const FULL: usize = 0b100;

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
    /// The caller must check its wait condition again after this returns
    /// (see the module docs).
    pub(crate) fn register(&self, waker: &Waker) {
        let mut state = self.state.load(Ordering::Acquire);
        let owned = loop {
            if state & (REGISTERING | WAKING) != 0 {
                break false;
            }
            match self.state.compare_exchange_weak(
                state,
                REGISTERING,
                Ordering::Acquire,
                Ordering::Acquire,
            ) {
                Ok(_) => break true,
                Err(actual) => state = actual,
            }
        };
        match owned {
            true => {
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
                    FULL,
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
                } else {
                    // Pairs with the fence in `take`: the caller's re-check
                    // comes after it (see the module docs).
                    fence(Ordering::SeqCst);
                }
            }
            false => {
                // A wake is in progress (or a second registrant): poll again.
                waker.wake_by_ref();
            }
        }
    }

    /// Takes the registered waker out, if nobody else owns the slot.
    pub(crate) fn take(&self) -> Option<Waker> {
        // Pairs with the fence at the end of `register`: what the caller
        // published before this call is ordered before the read below.
        // (Mutant for the loom check: no fence, so the read may miss a
        // registration whose re-check also missed the caller's change.)
        if !cfg!(weft_loom_mutant = "atomic_waker_take_skips_fence") {
            fence(Ordering::SeqCst);
        }
        if self.state.load(Ordering::Relaxed) == IDLE {
            return None;
        }
        match self.state.fetch_or(WAKING, Ordering::AcqRel) {
            IDLE | FULL => {
                // SAFETY: we moved the state from `IDLE` or `FULL` to
                // `WAKING`, so we own the slot until we clear `WAKING`.
                let waker = self.waker.with_mut(|slot| unsafe { (*slot).take() });
                self.state.swap(IDLE, Ordering::AcqRel);
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
