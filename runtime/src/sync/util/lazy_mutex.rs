//! A mutex that is allocated the first time somebody has to wait.
//!
//! The semaphore and `Notify` keep their waiter lists behind a lock, but
//! their fast paths never take it, and `const fn` constructors
//! (`Semaphore::const_new`, `Mutex::const_new`, ...) cannot build a lock in
//! a `static`. So the lock lives in a box that is installed, once, by the
//! first thread that needs it: a compare-and-swap from null to the new box;
//! the loser frees its own box and uses the winner's. The box is freed when
//! the owner drops. An uncontended primitive never allocates it.
//!
//! The pointer sits in an `AtomicUsize` because the loom facade offers no
//! `AtomicPtr`; it only ever holds 0 or an address from `Box::into_raw`.

use std::fmt;
use std::marker::PhantomData;

use crate::loom::sync::atomic::{AtomicUsize, Ordering};
use crate::loom::sync::{Mutex, MutexGuard};

/// A `Mutex<T>` that is created on first use, starting from `T::default()`.
pub(crate) struct LazyMutex<T> {
    /// 0, or a pointer from `Box::<Mutex<T>>::into_raw`, never changed again.
    ptr: AtomicUsize,
    /// Owns the boxed mutex: auto traits and drop check follow `Mutex<T>`.
    _owns: PhantomData<Box<Mutex<T>>>,
}

impl<T: Default> LazyMutex<T> {
    /// An empty slot; nothing is allocated yet.
    #[cfg(not(loom))]
    pub(crate) const fn new() -> Self {
        LazyMutex {
            ptr: AtomicUsize::new(0),
            _owns: PhantomData,
        }
    }

    /// An empty slot; nothing is allocated yet.
    #[cfg(loom)]
    pub(crate) fn new() -> Self {
        LazyMutex {
            ptr: AtomicUsize::new(0),
            _owns: PhantomData,
        }
    }

    /// Locks the mutex, creating it first if nobody has.
    pub(crate) fn lock(&self) -> MutexGuard<'_, T> {
        self.get_or_init().lock()
    }

    /// Locks the mutex if nobody holds it, creating it first if nobody has.
    pub(crate) fn try_lock(&self) -> Option<MutexGuard<'_, T>> {
        self.get_or_init().try_lock()
    }

    fn get_or_init(&self) -> &Mutex<T> {
        let current = self.ptr.load(Ordering::Acquire);
        if current != 0 {
            // SAFETY: a non-zero value is a live box installed by the CAS
            // below; it is freed only in `drop`, which `&self` rules out.
            // The `Acquire` load pairs with the installer's `Release`, so the
            // mutex's initialisation is visible.
            return unsafe { &*(current as *const Mutex<T>) };
        }
        let fresh = Box::into_raw(Box::new(Mutex::new(T::default())));
        match self
            .ptr
            .compare_exchange(0, fresh as usize, Ordering::AcqRel, Ordering::Acquire)
        {
            // SAFETY: we just installed `fresh`; it lives until `drop`.
            Ok(_) => unsafe { &*fresh },
            Err(installed) => {
                // SAFETY: `fresh` came from `Box::into_raw` above and was
                // never shared, because the CAS failed.
                drop(unsafe { Box::from_raw(fresh) });
                // SAFETY: as for `current` above.
                unsafe { &*(installed as *const Mutex<T>) }
            }
        }
    }
}

impl<T> Drop for LazyMutex<T> {
    fn drop(&mut self) {
        let ptr = self.ptr.load(Ordering::Acquire);
        if ptr != 0 {
            // SAFETY: `ptr` came from `Box::into_raw` in `get_or_init`, and
            // `&mut self` means no reference handed out by it is alive.
            drop(unsafe { Box::from_raw(ptr as *mut Mutex<T>) });
        }
    }
}

impl<T> fmt::Debug for LazyMutex<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LazyMutex")
            .field("allocated", &(self.ptr.load(Ordering::Relaxed) != 0))
            .finish()
    }
}
