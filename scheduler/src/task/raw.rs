//! Type-erased task pointers and the per-type function table.

use super::core::{Cell, Header};
use super::harness;
use super::{Id, Schedule};
use std::future::Future;
use std::ptr::NonNull;
use std::task::Waker;

/// The functions that need the concrete future and scheduler types.
pub(crate) struct Vtable {
    /// Runs the task once (poll or cancel). Consumes the caller's reference.
    pub(crate) poll: unsafe fn(NonNull<Header>),
    /// Hands a `Notified` (reference already counted) to the scheduler.
    pub(crate) schedule: unsafe fn(NonNull<Header>),
    /// Frees the allocation.
    pub(crate) dealloc: unsafe fn(NonNull<Header>),
    /// Reads the output into `*mut Poll<Result<T, JoinError>>` if ready,
    /// otherwise stores the waker.
    pub(crate) try_read_output: unsafe fn(NonNull<Header>, *mut (), &Waker),
    /// The `JoinHandle` goes away. Consumes its reference.
    pub(crate) drop_join_handle: unsafe fn(NonNull<Header>),
    /// Cancels the task on behalf of its owner. Consumes the caller's
    /// reference.
    pub(crate) shutdown: unsafe fn(NonNull<Header>),
}

fn vtable<F: Future, S: Schedule>() -> &'static Vtable {
    &Vtable {
        poll: harness::poll::<F, S>,
        schedule: harness::schedule::<F, S>,
        dealloc: harness::dealloc::<F, S>,
        try_read_output: harness::try_read_output::<F, S>,
        drop_join_handle: harness::drop_join_handle::<F, S>,
        shutdown: harness::shutdown::<F, S>,
    }
}

/// A pointer to a task's header. Copying it does not count a reference:
/// whoever calls its methods must hold one.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) struct RawTask {
    ptr: NonNull<Header>,
}

impl RawTask {
    pub(crate) fn new<F, S>(future: F, scheduler: S, id: Id, owner_id: u64) -> RawTask
    where
        F: Future,
        S: Schedule,
    {
        let cell = Cell::new(future, scheduler, id, owner_id, vtable::<F, S>());
        let ptr = NonNull::from(Box::leak(cell)).cast::<Header>();
        RawTask { ptr }
    }

    /// # Safety
    ///
    /// `ptr` points to the header of a live task.
    pub(crate) unsafe fn from_raw(ptr: NonNull<Header>) -> RawTask {
        RawTask { ptr }
    }

    pub(crate) fn header_ptr(self) -> NonNull<Header> {
        self.ptr
    }

    pub(crate) fn header(&self) -> &Header {
        // SAFETY: a `RawTask` is only used by a holder of a reference, which
        // keeps the allocation alive.
        unsafe { self.ptr.as_ref() }
    }

    pub(crate) fn id(self) -> Id {
        self.header().id
    }

    /// # Safety
    ///
    /// The caller gives up one reference, held by a `Notified`.
    pub(crate) unsafe fn poll(self) {
        // SAFETY: forwarded contract; the vtable matches the cell's types.
        unsafe { (self.header().vtable.poll)(self.ptr) }
    }

    /// # Safety
    ///
    /// The caller gives up one reference that a `Notified` now owns.
    pub(crate) unsafe fn schedule(self) {
        // SAFETY: forwarded contract.
        unsafe { (self.header().vtable.schedule)(self.ptr) }
    }

    /// # Safety
    ///
    /// The last reference is gone.
    pub(crate) unsafe fn dealloc(self) {
        // SAFETY: forwarded contract.
        unsafe { (self.header().vtable.dealloc)(self.ptr) }
    }

    /// # Safety
    ///
    /// Called by the `JoinHandle` only; `dst` points to a
    /// `Poll<Result<T, JoinError>>` whose `T` is the task's output type.
    pub(crate) unsafe fn try_read_output(self, dst: *mut (), waker: &Waker) {
        // SAFETY: forwarded contract.
        unsafe { (self.header().vtable.try_read_output)(self.ptr, dst, waker) }
    }

    /// # Safety
    ///
    /// Called once, by the `JoinHandle`, giving up its reference.
    pub(crate) unsafe fn drop_join_handle(self) {
        // SAFETY: forwarded contract.
        unsafe { (self.header().vtable.drop_join_handle)(self.ptr) }
    }

    /// # Safety
    ///
    /// The caller gives up one reference.
    pub(crate) unsafe fn shutdown(self) {
        // SAFETY: forwarded contract.
        unsafe { (self.header().vtable.shutdown)(self.ptr) }
    }

    pub(crate) fn ref_inc(self) {
        self.header().state.ref_inc();
    }

    /// # Safety
    ///
    /// The caller gives up one reference.
    pub(crate) unsafe fn drop_reference(self) {
        if self.header().state.ref_dec() {
            // SAFETY: that was the last reference.
            unsafe { self.dealloc() }
        }
    }

    /// Aborts from any thread.
    pub(crate) fn remote_abort(self) {
        if self.header().state.transition_to_notified_and_cancel() {
            // SAFETY: the transition counted a reference for the new
            // `Notified`, which `schedule` takes over.
            unsafe { self.schedule() }
        }
    }
}

// SAFETY: a `RawTask` only reaches the header's atomics from arbitrary
// threads; the future is touched only by the thread that holds RUNNING.
unsafe impl Send for RawTask {}
// SAFETY: as above.
unsafe impl Sync for RawTask {}
