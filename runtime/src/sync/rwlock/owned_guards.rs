//! Guards that own an `Arc` of the [`RwLock`].

use std::fmt;
use std::ops::{Deref, DerefMut};
// The owned-guard methods take the caller's `std::sync::Arc` (an
// `Arc<Self>` receiver must be a std smart pointer, also under loom).
use std::sync::Arc;

use super::RwLock;

/// Shared read access through an `Arc<RwLock<T>>`, possibly narrowed to a
/// `U` inside the data.
#[must_use = "dropping the guard at once releases the lock"]
pub struct OwnedRwLockReadGuard<T: ?Sized, U: ?Sized = T> {
    lock: Arc<RwLock<T>>,
    data: *const U,
}

// SAFETY: the guard shares `&U` and keeps an `Arc<RwLock<T>>`, which is
// `Send + Sync` for `T: Send + Sync`.
unsafe impl<T: ?Sized + Send + Sync, U: ?Sized + Sync> Send for OwnedRwLockReadGuard<T, U> {}
// SAFETY: as above.
unsafe impl<T: ?Sized + Send + Sync, U: ?Sized + Sync> Sync for OwnedRwLockReadGuard<T, U> {}

impl<T: ?Sized, U: ?Sized> OwnedRwLockReadGuard<T, U> {
    /// # Safety
    ///
    /// The caller holds one read permit of `lock`, and `data` points into
    /// its data.
    pub(super) unsafe fn new(lock: Arc<RwLock<T>>, data: *const U) -> Self {
        OwnedRwLockReadGuard { lock, data }
    }

    /// The lock this guard reads.
    pub fn rwlock(this: &Self) -> &Arc<RwLock<T>> {
        &this.lock
    }

    /// Narrows the guard to a part of the data.
    pub fn map<V: ?Sized, F: FnOnce(&U) -> &V>(this: Self, f: F) -> OwnedRwLockReadGuard<T, V> {
        let data = f(&*this) as *const V;
        let lock = this.take_lock();
        OwnedRwLockReadGuard { lock, data }
    }

    /// Narrows the guard if `f` agrees.
    ///
    /// # Errors
    ///
    /// The original guard when `f` returns `None`.
    pub fn try_map<V: ?Sized, F: FnOnce(&U) -> Option<&V>>(
        this: Self,
        f: F,
    ) -> Result<OwnedRwLockReadGuard<T, V>, Self> {
        let data = match f(&*this) {
            Some(data) => data as *const V,
            None => return Err(this),
        };
        let lock = this.take_lock();
        Ok(OwnedRwLockReadGuard { lock, data })
    }

    /// Moves the `Arc` out without running `Drop` (the permit moves too).
    fn take_lock(self) -> Arc<RwLock<T>> {
        let this = std::mem::ManuallyDrop::new(self);
        // SAFETY: `this` is never used or dropped again, so the `Arc` is
        // moved out exactly once.
        unsafe { std::ptr::read(&this.lock) }
    }
}

impl<T: ?Sized, U: ?Sized> Deref for OwnedRwLockReadGuard<T, U> {
    type Target = U;

    fn deref(&self) -> &U {
        // SAFETY: the read permit keeps writers out while the guard lives.
        unsafe { &*self.data }
    }
}

impl<T: ?Sized, U: ?Sized> Drop for OwnedRwLockReadGuard<T, U> {
    fn drop(&mut self) {
        self.lock.semaphore().release(1);
    }
}

impl<T: ?Sized, U: ?Sized + fmt::Debug> fmt::Debug for OwnedRwLockReadGuard<T, U> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&**self, f)
    }
}

/// Exclusive write access through an `Arc<RwLock<T>>`.
#[must_use = "dropping the guard at once releases the lock"]
pub struct OwnedRwLockWriteGuard<T: ?Sized> {
    lock: Arc<RwLock<T>>,
    permits: u32,
}

impl<T: ?Sized> OwnedRwLockWriteGuard<T> {
    /// # Safety
    ///
    /// The caller holds all `permits` permits of `lock`.
    pub(super) unsafe fn new(lock: Arc<RwLock<T>>, permits: u32) -> Self {
        OwnedRwLockWriteGuard { lock, permits }
    }

    /// The lock this guard writes.
    pub fn rwlock(this: &Self) -> &Arc<RwLock<T>> {
        &this.lock
    }

    /// Turns write access into read access without letting a writer in.
    pub fn downgrade(self) -> OwnedRwLockReadGuard<T> {
        let permits = self.permits;
        let this = std::mem::ManuallyDrop::new(self);
        // SAFETY: `this` is never used or dropped again.
        let lock = unsafe { std::ptr::read(&this.lock) };
        lock.semaphore().release(permits as usize - 1);
        let data = lock.read_ptr();
        OwnedRwLockReadGuard { lock, data }
    }

    /// Narrows the guard to a part of the data.
    pub fn map<U: ?Sized, F: FnOnce(&mut T) -> &mut U>(
        mut this: Self,
        f: F,
    ) -> OwnedRwLockMappedWriteGuard<T, U> {
        let data = f(&mut *this) as *mut U;
        let permits = this.permits;
        let this = std::mem::ManuallyDrop::new(this);
        // SAFETY: `this` is never used or dropped again.
        let lock = unsafe { std::ptr::read(&this.lock) };
        OwnedRwLockMappedWriteGuard {
            lock,
            data,
            permits,
        }
    }
}

impl<T: ?Sized> Deref for OwnedRwLockWriteGuard<T> {
    type Target = T;

    fn deref(&self) -> &T {
        // SAFETY: the guard holds every permit.
        unsafe { &*self.lock.data_ptr() }
    }
}

impl<T: ?Sized> DerefMut for OwnedRwLockWriteGuard<T> {
    fn deref_mut(&mut self) -> &mut T {
        // SAFETY: as for `deref`; `&mut self` makes this borrow unique.
        unsafe { &mut *self.lock.data_ptr() }
    }
}

impl<T: ?Sized> Drop for OwnedRwLockWriteGuard<T> {
    fn drop(&mut self) {
        self.lock.semaphore().release(self.permits as usize);
    }
}

impl<T: ?Sized + fmt::Debug> fmt::Debug for OwnedRwLockWriteGuard<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&**self, f)
    }
}

/// An owned write guard narrowed with [`OwnedRwLockWriteGuard::map`].
#[must_use = "dropping the guard at once releases the lock"]
pub struct OwnedRwLockMappedWriteGuard<T: ?Sized, U: ?Sized = T> {
    lock: Arc<RwLock<T>>,
    data: *mut U,
    permits: u32,
}

// SAFETY: the guard acts as `&mut U` and owns an `Arc<RwLock<T>>`.
unsafe impl<T: ?Sized + Send + Sync, U: ?Sized + Send + Sync> Send
    for OwnedRwLockMappedWriteGuard<T, U>
{
}
// SAFETY: as above.
unsafe impl<T: ?Sized + Send + Sync, U: ?Sized + Send + Sync> Sync
    for OwnedRwLockMappedWriteGuard<T, U>
{
}

impl<T: ?Sized, U: ?Sized> OwnedRwLockMappedWriteGuard<T, U> {
    /// Narrows the guard further.
    pub fn map<V: ?Sized, F: FnOnce(&mut U) -> &mut V>(
        mut this: Self,
        f: F,
    ) -> OwnedRwLockMappedWriteGuard<T, V> {
        let data = f(&mut *this) as *mut V;
        let permits = this.permits;
        let this = std::mem::ManuallyDrop::new(this);
        // SAFETY: `this` is never used or dropped again.
        let lock = unsafe { std::ptr::read(&this.lock) };
        OwnedRwLockMappedWriteGuard {
            lock,
            data,
            permits,
        }
    }
}

impl<T: ?Sized, U: ?Sized> Deref for OwnedRwLockMappedWriteGuard<T, U> {
    type Target = U;

    fn deref(&self) -> &U {
        // SAFETY: the guard holds every permit.
        unsafe { &*self.data }
    }
}

impl<T: ?Sized, U: ?Sized> DerefMut for OwnedRwLockMappedWriteGuard<T, U> {
    fn deref_mut(&mut self) -> &mut U {
        // SAFETY: as for `deref`; `&mut self` makes this borrow unique.
        unsafe { &mut *self.data }
    }
}

impl<T: ?Sized, U: ?Sized> Drop for OwnedRwLockMappedWriteGuard<T, U> {
    fn drop(&mut self) {
        self.lock.semaphore().release(self.permits as usize);
    }
}

impl<T: ?Sized, U: ?Sized + fmt::Debug> fmt::Debug for OwnedRwLockMappedWriteGuard<T, U> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&**self, f)
    }
}
