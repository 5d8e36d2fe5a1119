//! Task identifiers.

use std::fmt;
use std::num::NonZeroU64;

/// An opaque identifier of a task, unique among the tasks of the process
/// while they exist.
///
/// Ids are handed out in increasing order; they are not reused while the
/// process runs (a `u64` counter does not wrap in practice).
#[derive(Clone, Copy, Debug, Hash, Eq, PartialEq, Ord, PartialOrd)]
pub struct Id(NonZeroU64);

impl Id {
    /// A fresh id (used by the `weft` crate when it spawns).
    #[doc(hidden)]
    pub fn next() -> Id {
        Id(next_u64())
    }

    /// The id as a number, for logs and metrics.
    pub fn as_u64(&self) -> u64 {
        self.0.get()
    }
}

impl fmt::Display for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// A process-wide counter. Under loom a static atomic must be created per
/// model run, hence the two definitions.
#[cfg(not(loom))]
pub(crate) fn next_u64() -> NonZeroU64 {
    use crate::loom::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(1);
    let id = NEXT.fetch_add(1, Ordering::Relaxed);
    NonZeroU64::new(id).expect("task id counter wrapped")
}

#[cfg(loom)]
pub(crate) fn next_u64() -> NonZeroU64 {
    use crate::loom::sync::atomic::{AtomicU64, Ordering};
    loom::lazy_static! {
        static ref NEXT: AtomicU64 = AtomicU64::new(1);
    }
    NonZeroU64::new(NEXT.fetch_add(1, Ordering::Relaxed)).expect("task id counter wrapped")
}

crate::loom::thread_local! {
    static CURRENT: std::cell::Cell<Option<Id>> = const { std::cell::Cell::new(None) };
}

/// The id of the task being polled on this thread, if any.
pub fn try_id() -> Option<Id> {
    CURRENT.try_with(|c| c.get()).ok().flatten()
}

/// Sets the current task id for the lifetime of the guard.
pub(crate) struct IdGuard(Option<Id>);

impl IdGuard {
    pub(crate) fn enter(id: Id) -> IdGuard {
        IdGuard(CURRENT.try_with(|c| c.replace(Some(id))).ok().flatten())
    }
}

impl Drop for IdGuard {
    fn drop(&mut self) {
        let _ = CURRENT.try_with(|c| c.set(self.0));
    }
}
