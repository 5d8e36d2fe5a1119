//! Guards that borrow the [`RwLock`](super::RwLock).

use std::fmt;
use std::marker::PhantomData;
use std::ops::{Deref, DerefMut};

use crate::sync::batch_semaphore as ll;

/// Shared read access; dropping it releases the read.
#[must_use = "dropping the guard at once releases the lock"]
pub struct RwLockReadGuard<'a, T: ?Sized> {
    semaphore: &'a ll::Semaphore,
    /// Points into the locked data; valid while the permit is held.
    data: *const T,
    _marker: PhantomData<&'a T>,
}

// SAFETY: the guard acts as `&T`.
unsafe impl<T: ?Sized + Sync> Send for RwLockReadGuard<'_, T> {}
// SAFETY: the guard acts as `&T`.
unsafe impl<T: ?Sized + Sync> Sync for RwLockReadGuard<'_, T> {}

impl<'a, T: ?Sized> RwLockReadGuard<'a, T> {
    /// # Safety
    ///
    /// The caller holds one read permit of `semaphore`, which guards `data`.
    pub(super) unsafe fn new(semaphore: &'a ll::Semaphore, data: *const T) -> Self {
        RwLockReadGuard {
            semaphore,
            data,
            _marker: PhantomData,
        }
    }

    /// Narrows the guard to a part of the data.
    ///
    /// # Examples
    ///
    /// ```
    /// use weft::sync::{RwLock, RwLockReadGuard};
    ///
    /// let lock = RwLock::new((1, 2));
    /// let second = RwLockReadGuard::map(lock.try_read().unwrap(), |pair| &pair.1);
    /// assert_eq!(*second, 2);
    /// ```
    pub fn map<U: ?Sized, F: FnOnce(&T) -> &U>(this: Self, f: F) -> RwLockReadGuard<'a, U> {
        let data = f(&*this) as *const U;
        let semaphore = this.semaphore;
        std::mem::forget(this);
        RwLockReadGuard {
            semaphore,
            data,
            _marker: PhantomData,
        }
    }

    /// Narrows the guard if `f` agrees.
    ///
    /// # Errors
    ///
    /// The original guard when `f` returns `None`.
    pub fn try_map<U: ?Sized, F: FnOnce(&T) -> Option<&U>>(
        this: Self,
        f: F,
    ) -> Result<RwLockReadGuard<'a, U>, Self> {
        let data = match f(&*this) {
            Some(data) => data as *const U,
            None => return Err(this),
        };
        let semaphore = this.semaphore;
        std::mem::forget(this);
        Ok(RwLockReadGuard {
            semaphore,
            data,
            _marker: PhantomData,
        })
    }
}

impl<T: ?Sized> Deref for RwLockReadGuard<'_, T> {
    type Target = T;

    fn deref(&self) -> &T {
        // SAFETY: the read permit keeps writers out while the guard lives.
        unsafe { &*self.data }
    }
}

impl<T: ?Sized> Drop for RwLockReadGuard<'_, T> {
    fn drop(&mut self) {
        self.semaphore.release(1);
    }
}

impl<T: ?Sized + fmt::Debug> fmt::Debug for RwLockReadGuard<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&**self, f)
    }
}

/// Exclusive write access; dropping it releases the lock.
#[must_use = "dropping the guard at once releases the lock"]
pub struct RwLockWriteGuard<'a, T: ?Sized> {
    semaphore: &'a ll::Semaphore,
    data: *mut T,
    permits: u32,
    _marker: PhantomData<&'a mut T>,
}

// SAFETY: the guard acts as `&mut T` and may be downgraded to a shared
// guard, so it needs both bounds, like the lock itself.
unsafe impl<T: ?Sized + Send + Sync> Send for RwLockWriteGuard<'_, T> {}
// SAFETY: as above.
unsafe impl<T: ?Sized + Send + Sync> Sync for RwLockWriteGuard<'_, T> {}

impl<'a, T: ?Sized> RwLockWriteGuard<'a, T> {
    /// # Safety
    ///
    /// The caller holds `permits` permits of `semaphore`, which are all of
    /// them, and `semaphore` guards `data`.
    pub(super) unsafe fn new(semaphore: &'a ll::Semaphore, data: *mut T, permits: u32) -> Self {
        RwLockWriteGuard {
            semaphore,
            data,
            permits,
            _marker: PhantomData,
        }
    }

    /// Turns write access into read access without letting a writer in
    /// between. Readers that were waiting may proceed.
    ///
    /// # Examples
    ///
    /// ```
    /// use weft::sync::{RwLock, RwLockWriteGuard};
    ///
    /// let lock = RwLock::new(1);
    /// let mut write = lock.try_write().unwrap();
    /// *write = 2;
    /// let read = RwLockWriteGuard::downgrade(write);
    /// assert_eq!(*read, 2);
    /// assert!(lock.try_read().is_ok());
    /// assert!(lock.try_write().is_err());
    /// ```
    pub fn downgrade(self) -> RwLockReadGuard<'a, T> {
        Self::downgrade_map(self, |data| data)
    }

    /// [`downgrade`](Self::downgrade)s to read access narrowed to a part
    /// of the data, in one step, so no writer gets in between.
    ///
    /// # Examples
    ///
    /// ```
    /// use weft::sync::{RwLock, RwLockWriteGuard};
    ///
    /// let lock = RwLock::new((1, String::from("a")));
    /// let mut write = lock.try_write().unwrap();
    /// write.1.push('b');
    /// let name = RwLockWriteGuard::downgrade_map(write, |pair| &pair.1);
    /// assert_eq!(*name, "ab");
    /// // Other readers may come in; writers wait.
    /// assert!(lock.try_read().is_ok());
    /// assert!(lock.try_write().is_err());
    /// ```
    pub fn downgrade_map<U: ?Sized, F: FnOnce(&T) -> &U>(this: Self, f: F) -> RwLockReadGuard<'a, U> {
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
    ) -> Result<RwLockReadGuard<'a, U>, Self> {
        match f(&*this) {
            Some(data) => {
                let data = data as *const U;
                Ok(this.into_read(data))
            }
            None => Err(this),
        }
    }

    /// Turns the guard into a [`RwLockMappedWriteGuard`] of the whole
    /// data, the type [`map`](Self::map) returns, so that code can handle
    /// mapped and unmapped guards alike.
    pub fn into_mapped(this: Self) -> RwLockMappedWriteGuard<'a, T> {
        Self::map(this, |data| data)
    }

    /// Gives back all permits but one, which the returned read guard of
    /// `data` keeps.
    fn into_read<U: ?Sized>(self, data: *const U) -> RwLockReadGuard<'a, U> {
        let (semaphore, permits) = (self.semaphore, self.permits);
        std::mem::forget(self);
        semaphore.release(permits as usize - 1);
        RwLockReadGuard {
            semaphore,
            data,
            _marker: PhantomData,
        }
    }

    /// Narrows the guard to a part of the data.
    pub fn map<U: ?Sized, F: FnOnce(&mut T) -> &mut U>(
        mut this: Self,
        f: F,
    ) -> RwLockMappedWriteGuard<'a, U> {
        let data = f(&mut *this) as *mut U;
        let (semaphore, permits) = (this.semaphore, this.permits);
        std::mem::forget(this);
        RwLockMappedWriteGuard {
            semaphore,
            data,
            permits,
            _marker: PhantomData,
        }
    }

    /// Narrows the guard if `f` agrees.
    ///
    /// # Errors
    ///
    /// The original guard when `f` returns `None`.
    pub fn try_map<U: ?Sized, F: FnOnce(&mut T) -> Option<&mut U>>(
        mut this: Self,
        f: F,
    ) -> Result<RwLockMappedWriteGuard<'a, U>, Self> {
        let data = match f(&mut *this) {
            Some(data) => data as *mut U,
            None => return Err(this),
        };
        let (semaphore, permits) = (this.semaphore, this.permits);
        std::mem::forget(this);
        Ok(RwLockMappedWriteGuard {
            semaphore,
            data,
            permits,
            _marker: PhantomData,
        })
    }
}

impl<T: ?Sized> Deref for RwLockWriteGuard<'_, T> {
    type Target = T;

    fn deref(&self) -> &T {
        // SAFETY: the guard holds every permit: no other access exists.
        unsafe { &*self.data }
    }
}

impl<T: ?Sized> DerefMut for RwLockWriteGuard<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        // SAFETY: as for `deref`; `&mut self` makes this borrow unique.
        unsafe { &mut *self.data }
    }
}

impl<T: ?Sized> Drop for RwLockWriteGuard<'_, T> {
    fn drop(&mut self) {
        self.semaphore.release(self.permits as usize);
    }
}

impl<T: ?Sized + fmt::Debug> fmt::Debug for RwLockWriteGuard<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&**self, f)
    }
}

/// A write guard narrowed with [`RwLockWriteGuard::map`].
#[must_use = "dropping the guard at once releases the lock"]
pub struct RwLockMappedWriteGuard<'a, T: ?Sized> {
    semaphore: &'a ll::Semaphore,
    data: *mut T,
    permits: u32,
    _marker: PhantomData<&'a mut T>,
}

// SAFETY: as for `RwLockWriteGuard`.
unsafe impl<T: ?Sized + Send + Sync> Send for RwLockMappedWriteGuard<'_, T> {}
// SAFETY: as for `RwLockWriteGuard`.
unsafe impl<T: ?Sized + Send + Sync> Sync for RwLockMappedWriteGuard<'_, T> {}

impl<'a, T: ?Sized> RwLockMappedWriteGuard<'a, T> {
    /// Narrows the guard further.
    pub fn map<U: ?Sized, F: FnOnce(&mut T) -> &mut U>(
        mut this: Self,
        f: F,
    ) -> RwLockMappedWriteGuard<'a, U> {
        let data = f(&mut *this) as *mut U;
        let (semaphore, permits) = (this.semaphore, this.permits);
        std::mem::forget(this);
        RwLockMappedWriteGuard {
            semaphore,
            data,
            permits,
            _marker: PhantomData,
        }
    }

    /// Narrows the guard further if `f` agrees.
    ///
    /// # Errors
    ///
    /// The original guard when `f` returns `None`.
    pub fn try_map<U: ?Sized, F: FnOnce(&mut T) -> Option<&mut U>>(
        mut this: Self,
        f: F,
    ) -> Result<RwLockMappedWriteGuard<'a, U>, Self> {
        let data = match f(&mut *this) {
            Some(data) => data as *mut U,
            None => return Err(this),
        };
        let (semaphore, permits) = (this.semaphore, this.permits);
        std::mem::forget(this);
        Ok(RwLockMappedWriteGuard {
            semaphore,
            data,
            permits,
            _marker: PhantomData,
        })
    }
}

impl<T: ?Sized> Deref for RwLockMappedWriteGuard<'_, T> {
    type Target = T;

    fn deref(&self) -> &T {
        // SAFETY: the guard holds every permit.
        unsafe { &*self.data }
    }
}

impl<T: ?Sized> DerefMut for RwLockMappedWriteGuard<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        // SAFETY: as for `deref`; `&mut self` makes this borrow unique.
        unsafe { &mut *self.data }
    }
}

impl<T: ?Sized> Drop for RwLockMappedWriteGuard<'_, T> {
    fn drop(&mut self) {
        self.semaphore.release(self.permits as usize);
    }
}

impl<T: ?Sized + fmt::Debug> fmt::Debug for RwLockMappedWriteGuard<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&**self, f)
    }
}
