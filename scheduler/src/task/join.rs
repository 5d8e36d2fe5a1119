//! `JoinHandle`: the owned permission to await a task's output.

use super::raw::RawTask;
use super::{AbortHandle, Id, JoinError};
use crate::coop;
use std::fmt;
use std::future::Future;
use std::marker::PhantomData;
use std::panic::{RefUnwindSafe, UnwindSafe};
use std::pin::Pin;
use std::task::{Context, Poll};

/// An owned permission to await a spawned task's output.
///
/// Awaiting it gives `Ok(output)`, or a [`JoinError`] if the task panicked
/// or was cancelled. Dropping it *detaches* the task: the task keeps
/// running and its output is dropped when it finishes. To stop the task,
/// call [`abort`](Self::abort).
///
/// Awaiting a `JoinHandle` is cancel-safe: dropping the `await` before it
/// finishes loses nothing, and the handle can be awaited again.
pub struct JoinHandle<T> {
    raw: RawTask,
    _output: PhantomData<T>,
}

// SAFETY: the output is moved out only by the handle's owner, so the handle
// may move between threads when `T` can.
unsafe impl<T: Send> Send for JoinHandle<T> {}
// SAFETY: no `&self` method touches the output.
unsafe impl<T: Send> Sync for JoinHandle<T> {}

impl<T> UnwindSafe for JoinHandle<T> {}
impl<T> RefUnwindSafe for JoinHandle<T> {}

impl<T> JoinHandle<T> {
    /// # Safety
    ///
    /// `raw` is a task whose output type is `T`; the caller hands over the
    /// reference counted for the join handle.
    pub(crate) unsafe fn new(raw: RawTask) -> JoinHandle<T> {
        JoinHandle { raw, _output: PhantomData }
    }

    /// Requests cancellation. The task is dropped at its next `.await`
    /// point (or at once if it is idle, by a worker); awaiting the handle
    /// then gives a [`JoinError`] for which `is_cancelled()` is true, unless
    /// the task finished first. Tasks on the blocking pool cannot be
    /// cancelled once they started.
    pub fn abort(&self) {
        self.raw.remote_abort();
    }

    /// True when the task has finished (its output is ready, or it was
    /// cancelled or panicked). Does not block.
    pub fn is_finished(&self) -> bool {
        self.raw.header().state.load().is_complete()
    }

    /// A handle that can abort the task without owning its output.
    pub fn abort_handle(&self) -> AbortHandle {
        self.raw.ref_inc();
        // SAFETY: the reference was counted just above.
        unsafe { AbortHandle::new(self.raw) }
    }

    /// The task's id.
    pub fn id(&self) -> Id {
        self.raw.id()
    }
}

impl<T> Unpin for JoinHandle<T> {}

impl<T> Future for JoinHandle<T> {
    type Output = Result<T, JoinError>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let restore = std::task::ready!(coop::poll_proceed(cx));
        let mut ret: Poll<Result<T, JoinError>> = Poll::Pending;
        // SAFETY: `ret` has the type the task's vtable writes for output `T`.
        unsafe { self.raw.try_read_output(&mut ret as *mut _ as *mut (), cx.waker()) };
        if ret.is_ready() {
            restore.made_progress();
        }
        ret
    }
}

impl<T> Drop for JoinHandle<T> {
    fn drop(&mut self) {
        // SAFETY: dropped once, giving up the handle's reference.
        unsafe { self.raw.drop_join_handle() }
    }
}

impl<T> fmt::Debug for JoinHandle<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("JoinHandle").field("id", &self.id()).finish()
    }
}
