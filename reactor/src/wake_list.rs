//! A fixed-size batch of wakers, woken once no lock is held.

use std::task::Waker;

/// How many wakers a batch holds before it must be flushed.
const CAPACITY: usize = 32;

/// Wakers collected under a lock and woken after it is released, so that a
/// waker that runs code (or drops the last reference to a task) never does
/// so inside the reactor's critical sections. No heap allocation.
pub(crate) struct WakeList {
    wakers: [Option<Waker>; CAPACITY],
    len: usize,
}

impl WakeList {
    pub(crate) fn new() -> WakeList {
        WakeList { wakers: [const { None }; CAPACITY], len: 0 }
    }

    /// Free places left in the batch.
    pub(crate) fn room(&self) -> usize {
        CAPACITY - self.len
    }

    pub(crate) fn is_full(&self) -> bool {
        self.len == CAPACITY
    }

    /// Adds a waker. The caller checks [`room`](Self::room) first.
    pub(crate) fn push(&mut self, waker: Waker) {
        debug_assert!(!self.is_full(), "WakeList::push on a full batch");
        self.wakers[self.len] = Some(waker);
        self.len += 1;
    }

    /// Wakes every collected waker and empties the batch. Call with no lock
    /// held. If a waker panics, the ones not yet woken are dropped with the
    /// batch.
    pub(crate) fn wake_all(&mut self) {
        let len = std::mem::replace(&mut self.len, 0);
        for slot in &mut self.wakers[..len] {
            if let Some(waker) = slot.take() {
                waker.wake();
            }
        }
    }
}

impl std::fmt::Debug for WakeList {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WakeList").field("len", &self.len).finish()
    }
}
