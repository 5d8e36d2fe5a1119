//! The oneshot channel's state word: safe transitions, no `unsafe`.
//!
//! | bit | set by | meaning |
//! |---|---|---|
//! | `RX_WAKER` | receiver | a receiver waker is stored and may be read by the sender |
//! | `TX_WAKER` | sender | a sender waker (for `closed`) is stored and may be read by the receiver |
//! | `COMPLETE` | sender | the sender is done: it sent a value or was dropped |
//! | `VALUE` | sender | a value was sent (always together with `COMPLETE`) |
//! | `CLOSED` | receiver | the receiver closed or was dropped |
//!
//! `COMPLETE`, `VALUE` and `CLOSED` are never cleared. Each `*_WAKER` bit
//! is cleared only by the side that owns that waker, to replace it.

use crate::loom::sync::atomic::{AtomicUsize, Ordering};

const RX_WAKER: usize = 0b00001;
const TX_WAKER: usize = 0b00010;
const COMPLETE: usize = 0b00100;
const VALUE: usize = 0b01000;
const CLOSED: usize = 0b10000;

/// The atomic state word of one channel.
#[derive(Debug)]
pub(super) struct State(AtomicUsize);

/// A value of the state word, read at one instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Snapshot(usize);

impl Snapshot {
    pub(super) fn is_complete(self) -> bool {
        self.0 & COMPLETE != 0
    }

    pub(super) fn has_value(self) -> bool {
        self.0 & VALUE != 0
    }

    pub(super) fn is_closed(self) -> bool {
        self.0 & CLOSED != 0
    }

    pub(super) fn rx_waker_set(self) -> bool {
        self.0 & RX_WAKER != 0
    }

    pub(super) fn tx_waker_set(self) -> bool {
        self.0 & TX_WAKER != 0
    }
}

impl State {
    pub(super) fn new() -> Self {
        State(AtomicUsize::new(0))
    }

    /// `Acquire`: a `COMPLETE | VALUE` seen here makes the value visible.
    pub(super) fn load(&self) -> Snapshot {
        Snapshot(self.0.load(Ordering::Acquire))
    }

    /// Publishes a sent value, unless the receiver closed first.
    ///
    /// `Ok(previous)` when the value now belongs to the receiver,
    /// `Err(previous)` when the receiver had closed and the sender keeps it.
    pub(super) fn complete_with_value(&self) -> Result<Snapshot, Snapshot> {
        let mut current = self.0.load(Ordering::Acquire);
        loop {
            if current & CLOSED != 0 {
                return Err(Snapshot(current));
            }
            match self.0.compare_exchange_weak(
                current,
                current | COMPLETE | VALUE,
                Ordering::AcqRel,
                Ordering::Acquire,
            ) {
                Ok(previous) => return Ok(Snapshot(previous)),
                Err(actual) => current = actual,
            }
        }
    }

    /// The sender went away without sending.
    pub(super) fn complete(&self) -> Snapshot {
        Snapshot(self.0.fetch_or(COMPLETE, Ordering::AcqRel))
    }

    /// The receiver closed or went away.
    pub(super) fn close(&self) -> Snapshot {
        Snapshot(self.0.fetch_or(CLOSED, Ordering::AcqRel))
    }

    /// The receiver takes its waker slot back to replace the waker.
    pub(super) fn clear_rx_waker(&self) -> Snapshot {
        Snapshot(self.0.fetch_and(!RX_WAKER, Ordering::AcqRel))
    }

    /// The receiver publishes a freshly stored waker.
    pub(super) fn set_rx_waker(&self) -> Snapshot {
        Snapshot(self.0.fetch_or(RX_WAKER, Ordering::AcqRel))
    }

    /// The sender takes its waker slot back to replace the waker.
    pub(super) fn clear_tx_waker(&self) -> Snapshot {
        Snapshot(self.0.fetch_and(!TX_WAKER, Ordering::AcqRel))
    }

    /// The sender publishes a freshly stored waker.
    pub(super) fn set_tx_waker(&self) -> Snapshot {
        Snapshot(self.0.fetch_or(TX_WAKER, Ordering::AcqRel))
    }
}
