//! Task wakers: a waker is a counted reference to the task.

use super::core::Header;
use super::harness;
use super::raw::RawTask;
use std::marker::PhantomData;
use std::mem::ManuallyDrop;
use std::ops::Deref;
use std::ptr::NonNull;
use std::task::{RawWaker, RawWakerVTable, Waker};

static VTABLE: RawWakerVTable = RawWakerVTable::new(clone, wake, wake_by_ref, drop_waker);

/// A waker for the task being polled that borrows the runner's reference
/// instead of counting its own. Cloning it counts one.
pub(crate) struct WakerRef<'a> {
    waker: ManuallyDrop<Waker>,
    _borrow: PhantomData<&'a Header>,
}

impl Deref for WakerRef<'_> {
    type Target = Waker;
    fn deref(&self) -> &Waker {
        &self.waker
    }
}

pub(crate) fn waker_ref<'a>(header: NonNull<Header>) -> WakerRef<'a> {
    let raw = RawWaker::new(header.as_ptr() as *const (), &VTABLE);
    // SAFETY: the vtable's functions uphold the `RawWaker` contract: each
    // clone counts a task reference and each drop/wake gives one up; the
    // borrowed waker is never dropped (ManuallyDrop), matching the reference
    // it did not count.
    let waker = unsafe { Waker::from_raw(raw) };
    WakerRef { waker: ManuallyDrop::new(waker), _borrow: PhantomData }
}

fn raw_task(ptr: *const ()) -> RawTask {
    // SAFETY: waker data pointers are always task headers, kept alive by the
    // reference the waker holds.
    unsafe { RawTask::from_raw(NonNull::new_unchecked(ptr as *mut Header)) }
}

unsafe fn clone(ptr: *const ()) -> RawWaker {
    raw_task(ptr).ref_inc();
    RawWaker::new(ptr, &VTABLE)
}

unsafe fn wake(ptr: *const ()) {
    harness::wake_by_val(raw_task(ptr));
}

unsafe fn wake_by_ref(ptr: *const ()) {
    harness::wake_by_ref(raw_task(ptr));
}

unsafe fn drop_waker(ptr: *const ()) {
    // SAFETY: the waker gives up the reference it counted.
    unsafe { raw_task(ptr).drop_reference() }
}
