//! `AbortHandle`: cancel a task without owning its output.

use super::raw::RawTask;
use super::Id;
use std::fmt;
use std::panic::{RefUnwindSafe, UnwindSafe};

/// Cancels a task without the right to its output. Obtained from
/// `JoinHandle::abort_handle` or `JoinSet`. Dropping it does nothing.
pub struct AbortHandle {
    raw: RawTask,
}

// SAFETY: only the header's atomics are reached through an `AbortHandle`.
unsafe impl Send for AbortHandle {}
// SAFETY: as above.
unsafe impl Sync for AbortHandle {}

impl UnwindSafe for AbortHandle {}
impl RefUnwindSafe for AbortHandle {}

impl AbortHandle {
    /// # Safety
    ///
    /// The caller hands over one counted reference.
    pub(crate) unsafe fn new(raw: RawTask) -> AbortHandle {
        AbortHandle { raw }
    }

    /// Requests cancellation, as `JoinHandle::abort`.
    pub fn abort(&self) {
        self.raw.remote_abort();
    }

    /// True when the task has finished.
    pub fn is_finished(&self) -> bool {
        self.raw.header().state.load().is_complete()
    }

    /// The task's id.
    pub fn id(&self) -> Id {
        self.raw.id()
    }
}

impl Clone for AbortHandle {
    fn clone(&self) -> AbortHandle {
        self.raw.ref_inc();
        AbortHandle { raw: self.raw }
    }
}

impl Drop for AbortHandle {
    fn drop(&mut self) {
        // SAFETY: the handle gives up its reference.
        unsafe { self.raw.drop_reference() }
    }
}

impl fmt::Debug for AbortHandle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AbortHandle").field("id", &self.id()).finish()
    }
}
