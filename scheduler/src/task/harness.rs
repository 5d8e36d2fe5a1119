//! The typed half of the task core: running, completing, cancelling and
//! reading the output of a `Cell<F, S>`.

use super::core::{Cell, Header, Stage};
use super::raw::RawTask;
use super::state::{ToIdle, ToNotified, ToRunning};
use super::waker::waker_ref;
use super::{JoinError, Notified, Schedule, Task};
use crate::coop;
use std::future::Future;
use std::mem::ManuallyDrop;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::ptr::NonNull;
use std::task::{Context, Poll, Waker};

/// # Safety (for every function here)
///
/// `ptr` is the header of a live `Cell<F, S>` of exactly these types: the
/// vtable that calls these functions was built for them.
unsafe fn cell<'a, F: Future, S>(ptr: NonNull<Header>) -> &'a Cell<F, S> {
    // SAFETY: the header is at offset 0 of the `repr(C)` cell, and the
    // caller holds a reference that keeps the cell alive.
    unsafe { ptr.cast::<Cell<F, S>>().as_ref() }
}

pub(super) unsafe fn poll<F: Future, S: Schedule>(ptr: NonNull<Header>) {
    // SAFETY: see the module-level contract above.
    let cell = unsafe { cell::<F, S>(ptr) };
    match cell.header.state.transition_to_running() {
        ToRunning::Poll => {}
        ToRunning::Cancel => return cancel_and_complete(cell),
        ToRunning::Skip { last_ref } => {
            if last_ref {
                // SAFETY: that was the last reference.
                unsafe { dealloc::<F, S>(ptr) };
            }
            return;
        }
    }

    let waker = waker_ref(ptr);
    let mut cx = Context::from_waker(&waker);
    let polled = catch_unwind(AssertUnwindSafe(|| {
        coop::budget_and_ran_out(|| {
            // SAFETY: `ToRunning::Poll` means this thread set RUNNING on a
            // task that was not complete, so it has the stage to itself
            // and the stage is still `Running`.
            unsafe { cell.poll_future(&mut cx) }
        })
    }));
    let (polled, ran_out) = match polled {
        Ok((poll, ran_out)) => (Ok(poll), ran_out),
        Err(panic) => (Err(panic), false),
    };
    match polled {
        Ok(Poll::Ready(output)) => {
            // SAFETY: this thread holds RUNNING.
            unsafe { cell.set_stage(Stage::Finished(Ok(output))) };
            complete(cell);
        }
        Err(panic) => {
            drop_future_then_store(cell, JoinError::panic(cell.header.id, panic));
            complete(cell);
        }
        Ok(Poll::Pending) => match cell.header.state.transition_to_idle() {
            ToIdle::Idle { last_ref } => {
                if last_ref {
                    // SAFETY: that was the last reference.
                    unsafe { dealloc::<F, S>(ptr) };
                }
            }
            ToIdle::Notified => {
                // SAFETY: the runner's reference is handed to the new
                // `Notified`.
                let task = unsafe { Notified::<S>::from_raw(RawTask::from_raw(ptr)) };
                if ran_out {
                    cell.scheduler.yield_after_budget(task);
                } else {
                    cell.scheduler.yield_now(task);
                }
            }
            ToIdle::Cancel => cancel_and_complete(cell),
        },
    }
}

/// Drops the future (catching a panic in its destructor) and stores the
/// cancellation as the output. The caller holds RUNNING.
fn cancel_and_complete<F: Future, S: Schedule>(cell: &Cell<F, S>) {
    drop_future_then_store(cell, JoinError::cancelled(cell.header.id));
    complete(cell);
}

fn drop_future_then_store<F: Future, S>(cell: &Cell<F, S>, error: JoinError) {
    // SAFETY: the caller holds RUNNING.
    let dropped = catch_unwind(AssertUnwindSafe(|| unsafe { cell.set_stage(Stage::Consumed) }));
    let error = match dropped {
        Ok(()) => error,
        Err(panic) => JoinError::panic(cell.header.id, panic),
    };
    // SAFETY: the caller holds RUNNING.
    unsafe { cell.set_stage(Stage::Finished(Err(error))) };
}

/// Publishes the output, tells the `JoinHandle`, leaves the owner list and
/// drops the runner's reference. The caller holds RUNNING and a reference.
fn complete<F: Future, S: Schedule>(cell: &Cell<F, S>) {
    let header = &cell.header;
    let prev = header.state.transition_to_complete();
    let _ = catch_unwind(AssertUnwindSafe(|| {
        if !prev.is_join_interested() {
            // Nobody will read the output: drop it here.
            // SAFETY: without join interest the runtime side owns the
            // completed stage.
            unsafe { cell.set_stage(Stage::Consumed) };
            if prev.is_join_waker_set() {
                // SAFETY: JOIN_WAKER set gives the runtime side the slot,
                // and the handle that could take it back is gone.
                header.join_waker.with_mut(|w| unsafe { *w = None });
            }
        } else if prev.is_join_waker_set() {
            header.join_waker.with(|w| {
                // SAFETY: JOIN_WAKER set: the `JoinHandle` does not write the
                // slot until the bit is cleared below.
                if let Some(waker) = unsafe { &*w } {
                    // Mutant `task_complete_skips_join_wake` (loom builds
                    // only): the awaiting task is never told.
                    if !cfg!(weft_loom_mutant = "task_complete_skips_join_wake") {
                        waker.wake_by_ref();
                    }
                }
            });
            let after = header.state.unset_join_waker_after_complete();
            if !after.is_join_interested() {
                // The handle was dropped while we woke it and left the
                // waker to us.
                // SAFETY: as in the first branch.
                header.join_waker.with_mut(|w| unsafe { *w = None });
            }
        }
    }));

    // SAFETY: the runner holds a reference; the borrowed `Task` is not
    // dropped (ManuallyDrop), so it does not give that reference up.
    let this = ManuallyDrop::new(unsafe { Task::<S>::from_raw(RawTask::from_raw(NonNull::from(header))) });
    let released = cell.scheduler.release(&this);
    let refs = match released {
        Some(task) => {
            std::mem::forget(task);
            2
        }
        None => 1,
    };
    if header.state.drop_refs(refs) {
        // SAFETY: those were the last references.
        unsafe { dealloc::<F, S>(NonNull::from(header)) };
    }
}

pub(super) unsafe fn schedule<F: Future, S: Schedule>(ptr: NonNull<Header>) {
    // SAFETY: module contract.
    let cell = unsafe { cell::<F, S>(ptr) };
    // SAFETY: the caller hands its counted reference to this `Notified`.
    let task = unsafe { Notified::<S>::from_raw(RawTask::from_raw(ptr)) };
    cell.scheduler.schedule(task);
}

pub(super) unsafe fn dealloc<F: Future, S>(ptr: NonNull<Header>) {
    // SAFETY: the last reference is gone, so nothing else can reach the
    // cell; it was created by `Box::new` in `Cell::new`.
    drop(unsafe { Box::from_raw(ptr.cast::<Cell<F, S>>().as_ptr()) });
}

pub(super) unsafe fn try_read_output<F: Future, S: Schedule>(ptr: NonNull<Header>, dst: *mut (), waker: &Waker) {
    // SAFETY: module contract.
    let cell = unsafe { cell::<F, S>(ptr) };
    if can_read_output(&cell.header, waker) {
        // SAFETY: COMPLETE was observed with join interest held, so the
        // `JoinHandle` (our caller) owns the stage.
        let output = unsafe { cell.take_output() };
        let dst = dst.cast::<Poll<Result<F::Output, JoinError>>>();
        // SAFETY: the caller's contract gives `dst`'s type.
        unsafe { *dst = Poll::Ready(output) };
    }
}

/// The `JoinHandle` side of the join waker protocol. Returns true when the
/// output can be read; otherwise `waker` is stored to be woken on
/// completion.
fn can_read_output(header: &Header, waker: &Waker) -> bool {
    let snapshot = header.state.load();
    if snapshot.is_complete() {
        return true;
    }
    if snapshot.is_join_waker_set() {
        // SAFETY: with JOIN_WAKER set the runtime side may read the slot
        // concurrently but never writes it while join interest is held;
        // reading it here too is a shared read.
        let same = header
            .join_waker
            .with(|w| unsafe { (*w).as_ref() }.is_some_and(|stored| stored.will_wake(waker)));
        if same {
            return false;
        }
        if header.state.unset_join_waker().is_err() {
            return true;
        }
    }
    // JOIN_WAKER is clear: the slot is ours.
    // SAFETY: the runtime side touches the slot only when JOIN_WAKER is set.
    header.join_waker.with_mut(|w| unsafe { *w = Some(waker.clone()) });
    match header.state.set_join_waker() {
        Ok(_) => false,
        Err(_) => {
            // Completed meanwhile; the slot is still ours.
            // SAFETY: JOIN_WAKER was never set.
            header.join_waker.with_mut(|w| unsafe { *w = None });
            true
        }
    }
}

pub(super) unsafe fn drop_join_handle<F: Future, S: Schedule>(ptr: NonNull<Header>) {
    // SAFETY: module contract.
    let cell = unsafe { cell::<F, S>(ptr) };
    let prev = cell.header.state.unset_join_interest();
    if prev.is_complete() {
        // The output was never read: drop it here, catching a panic in its
        // destructor so the caller is not unwound by someone else's value.
        // SAFETY: COMPLETE with join interest: the handle owns the stage.
        let _ = catch_unwind(AssertUnwindSafe(|| unsafe { cell.set_stage(Stage::Consumed) }));
    }
    if !prev.is_join_waker_set() {
        // SAFETY: JOIN_WAKER clear: the slot belongs to the handle.
        cell.header.join_waker.with_mut(|w| unsafe { *w = None });
    }
    // SAFETY: the handle's reference is given up.
    unsafe { RawTask::from_raw(ptr).drop_reference() };
}

pub(super) unsafe fn shutdown<F: Future, S: Schedule>(ptr: NonNull<Header>) {
    // SAFETY: module contract.
    let cell = unsafe { cell::<F, S>(ptr) };
    if cell.header.state.transition_to_shutdown() {
        cancel_and_complete(cell);
    } else {
        // Running elsewhere (it will see CANCELLED) or already complete.
        // SAFETY: the caller's reference is given up.
        unsafe { RawTask::from_raw(ptr).drop_reference() };
    }
}

/// Wake entry points used by the waker vtable.
pub(super) fn wake_by_val(raw: RawTask) {
    match raw.header().state.transition_to_notified_by_val() {
        // SAFETY: the waker's reference became the `Notified`'s.
        ToNotified::Submit => unsafe { raw.schedule() },
        // SAFETY: the waker held the last reference.
        ToNotified::Dealloc => unsafe { raw.dealloc() },
        ToNotified::Nothing => {}
    }
}

pub(super) fn wake_by_ref(raw: RawTask) {
    if raw.header().state.transition_to_notified_by_ref() == ToNotified::Submit {
        // SAFETY: the transition counted a reference for the `Notified`.
        unsafe { raw.schedule() }
    }
}
