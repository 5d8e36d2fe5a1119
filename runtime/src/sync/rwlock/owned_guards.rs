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
        let data = self.lock.read_ptr();
        self.into_read(data)
    }

    /// [`downgrade`](Self::downgrade)s to read access narrowed to a part
    /// of the data, in one step, so no writer gets in between.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::Arc;
    /// use weft::sync::{OwnedRwLockWriteGuard, RwLock};
    ///
    /// let lock = Arc::new(RwLock::new((1, 2)));
    /// let mut write = lock.clone().try_write_owned().unwrap();
    /// write.1 = 3;
    /// let second = OwnedRwLockWriteGuard::downgrade_map(write, |pair| &pair.1);
    /// assert_eq!(*second, 3);
    /// assert!(lock.try_read().is_ok());
    /// assert!(lock.try_write().is_err());
    /// ```
    pub fn downgrade_map<U: ?Sized, F: FnOnce(&T) -> &U>(
        this: Self,
        f: F,
    ) -> OwnedRwLockReadGuard<T, U> {
        let data = f(&*this) as *const U;
        this.into_read(data)
    }

    /// [`downgrade_map`](Self::downgrade_map) if `f` agrees.
    ///
    /// # Errors
    ///
    /// The original write guard when `f` returns `None`; it still holds
    /// the lock for writing.
    pub fn try_downgrade_map<U: ?Sized, F: FnOnce(&T) -> Option<&U>>(
        this: Self,
        f: F,
    ) -> Result<OwnedRwLockReadGuard<T, U>, Self> {
        match f(&*this) {
            Some(data) => {
                let data = data as *const U;
                Ok(this.into_read(data))
            }
            None => Err(this),
        }
    }

    /// Narrows the guard to a part of the data.
    pub fn map<U: ?Sized, F: FnOnce(&mut T) -> &mut U>(
        mut this: Self,
        f: F,
    ) -> OwnedRwLockMappedWriteGuard<T, U> {
        let data = f(&mut *this) as *mut U;
        this.into_mapped_at(data)
    }

    /// Narrows the guard if `f` agrees.
    ///
    /// # Errors
    ///
    /// The original guard when `f` returns `None`.
    pub fn try_map<U: ?Sized, F: FnOnce(&mut T) -> Option<&mut U>>(
        mut this: Self,
        f: F,
    ) -> Result<OwnedRwLockMappedWriteGuard<T, U>, Self> {
        match f(&mut *this) {
            Some(data) => {
                let data = data as *mut U;
                Ok(this.into_mapped_at(data))
            }
            None => Err(this),
        }
    }

    /// Turns the guard into an [`OwnedRwLockMappedWriteGuard`] of the
    /// whole data, the type [`map`](Self::map) returns.
    pub fn into_mapped(this: Self) -> OwnedRwLockMappedWriteGuard<T> {
        Self::map(this, |data| data)
    }

    /// Moves the `Arc` and the permits out without running `Drop`.
    fn take_lock(self) -> (Arc<RwLock<T>>, u32) {
        let permits = self.permits;
        let this = std::mem::ManuallyDrop::new(self);
        // SAFETY: `this` is never used or dropped again, so the `Arc` is
        // moved out exactly once.
        (unsafe { std::ptr::read(&this.lock) }, permits)
    }

    /// Gives back all permits but one, which the returned read guard of
    /// `data` (a pointer into the lock's data) keeps.
    fn into_read<U: ?Sized>(self, data: *const U) -> OwnedRwLockReadGuard<T, U> {
        let (lock, permits) = self.take_lock();
        lock.semaphore().release(permits as usize - 1);
        OwnedRwLockReadGuard { lock, data }
    }

    /// The mapped guard of `data` (a pointer into the lock's data), with
    /// every permit.
    fn into_mapped_at<U: ?Sized>(self, data: *mut U) -> OwnedRwLockMappedWriteGuard<T, U> {
        let (lock, permits) = self.take_lock();
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
    /// The lock this guard writes.
    pub fn rwlock(this: &Self) -> &Arc<RwLock<T>> {
        &this.lock
    }

    /// Narrows the guard further.
    pub fn map<V: ?Sized, F: FnOnce(&mut U) -> &mut V>(
        mut this: Self,
        f: F,
    ) -> OwnedRwLockMappedWriteGuard<T, V> {
        let data = f(&mut *this) as *mut V;
        this.remap(data)
    }

    /// Narrows the guard further if `f` agrees.
    ///
    /// # Errors
    ///
    /// The original guard when `f` returns `None`.
    pub fn try_map<V: ?Sized, F: FnOnce(&mut U) -> Option<&mut V>>(
        mut this: Self,
        f: F,
    ) -> Result<OwnedRwLockMappedWriteGuard<T, V>, Self> {
        match f(&mut *this) {
            Some(data) => {
                let data = data as *mut V;
                Ok(this.remap(data))
            }
            None => Err(this),
        }
    }

    /// The same lock and permits, pointing at `data` (inside the lock's
    /// data), without running `Drop`.
    fn remap<V: ?Sized>(self, data: *mut V) -> OwnedRwLockMappedWriteGuard<T, V> {
        let permits = self.permits;
        let this = std::mem::ManuallyDrop::new(self);
        // SAFETY: `this` is never used or dropped again, so the `Arc` is
        // moved out exactly once.
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
