//! An async reader-writer lock.

mod guards;
mod owned_guards;

use std::fmt;
// The owned-guard methods take the caller's `std::sync::Arc` (an
// `Arc<Self>` receiver must be a std smart pointer, also under loom).
use std::sync::Arc;

pub use self::guards::{RwLockMappedWriteGuard, RwLockReadGuard, RwLockWriteGuard};
pub use self::owned_guards::{
    OwnedRwLockMappedWriteGuard, OwnedRwLockReadGuard, OwnedRwLockWriteGuard,
};
use crate::loom::cell::UnsafeCell;
use crate::sync::batch_semaphore as ll;
use crate::sync::mutex::TryLockError;
use crate::sync::util::block_on::block_on;

/// The most concurrent readers a lock can allow: `u32::MAX >> 3`.
const MAX_READS: u32 = u32::MAX >> 3;

/// A reader-writer lock: many readers at once, or one writer.
///
/// The lock is fair: tasks are served in the order they asked. A writer
/// that waits therefore holds back readers that come after it, so readers
/// cannot starve writers (writer-preferring in effect).
///
/// Built on a semaphore with `max_readers` permits: a read takes one
/// permit, a write takes them all.
///
/// # Examples
///
/// ```
/// use weft::sync::RwLock;
///
/// # weft::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
/// let lock = RwLock::new(5);
/// {
///     let a = lock.read().await;
///     let b = lock.read().await;
///     assert_eq!(*a + *b, 10);
/// }
/// *lock.write().await += 1;
/// assert_eq!(*lock.read().await, 6);
/// # });
/// ```
pub struct RwLock<T: ?Sized> {
    max_readers: u32,
    semaphore: ll::Semaphore,
    data: UnsafeCell<T>,
}

// SAFETY: owning the lock owns the data.
unsafe impl<T: ?Sized + Send> Send for RwLock<T> {}
// SAFETY: readers share `&T` across threads (needs `Sync`), a writer gets
// `&mut T` on whatever thread it runs (needs `Send`).
unsafe impl<T: ?Sized + Send + Sync> Sync for RwLock<T> {}

impl<T> RwLock<T> {
    /// An unlocked lock holding `value`.
    pub fn new(value: T) -> Self {
        RwLock {
            max_readers: MAX_READS,
            semaphore: ll::Semaphore::new(MAX_READS as usize),
            data: UnsafeCell::new(value),
        }
    }

    /// An unlocked lock that admits at most `max_readers` readers at once.
    ///
    /// # Panics
    ///
    /// If `max_readers` is 0 or above `u32::MAX >> 3`.
    ///
    /// # Examples
    ///
    /// ```
    /// let lock = weft::sync::RwLock::with_max_readers(0, 2);
    /// let _a = lock.try_read().unwrap();
    /// let _b = lock.try_read().unwrap();
    /// assert!(lock.try_read().is_err());
    /// ```
    pub fn with_max_readers(value: T, max_readers: u32) -> Self {
        assert_ne!(max_readers, 0, "a RwLock may not be created with 0 readers");
        assert!(
            max_readers <= MAX_READS,
            "a RwLock may not be created with more than {MAX_READS} readers"
        );
        RwLock {
            max_readers,
            semaphore: ll::Semaphore::new(max_readers as usize),
            data: UnsafeCell::new(value),
        }
    }

    /// An unlocked lock usable in a `static`.
    #[cfg(not(loom))]
    pub const fn const_new(value: T) -> Self {
        RwLock {
            max_readers: MAX_READS,
            semaphore: ll::Semaphore::const_new(MAX_READS as usize),
            data: UnsafeCell::new(value),
        }
    }

    /// [`RwLock::with_max_readers`] usable in a `static`.
    ///
    /// # Panics
    ///
    /// As for [`RwLock::with_max_readers`].
    #[cfg(not(loom))]
    pub const fn const_with_max_readers(value: T, max_readers: u32) -> Self {
        assert!(
            max_readers != 0,
            "a RwLock may not be created with 0 readers"
        );
        assert!(
            max_readers <= MAX_READS,
            "a RwLock may not be created with more than u32::MAX >> 3 readers"
        );
        RwLock {
            max_readers,
            semaphore: ll::Semaphore::const_new(max_readers as usize),
            data: UnsafeCell::new(value),
        }
    }

    /// Consumes the lock and returns the data.
    pub fn into_inner(self) -> T {
        let RwLock { data, .. } = self;
        let mut value = None;
        data.with(|ptr| {
            // SAFETY: we own the lock; `data` is forgotten below so the
            // value is moved out exactly once.
            value = Some(unsafe { std::ptr::read(ptr) });
        });
        std::mem::forget(data);
        value.expect("the read above always runs")
    }
}

impl<T: ?Sized> RwLock<T> {
    /// Waits for shared read access.
    ///
    /// # Cancel safety
    ///
    /// Dropping the future gives up the place in the queue (and any
    /// access already granted to it).
    pub async fn read(&self) -> RwLockReadGuard<'_, T> {
        self.acquire(1).await;
        // SAFETY: we hold one read permit, so no writer holds the lock
        // until the guard gives it back.
        unsafe { RwLockReadGuard::new(&self.semaphore, self.read_ptr()) }
    }

    /// Waits for exclusive write access.
    ///
    /// # Cancel safety
    ///
    /// As for [`RwLock::read`].
    pub async fn write(&self) -> RwLockWriteGuard<'_, T> {
        // Mutant for the loom check: a writer one permit short of all of
        // them lets a reader in beside it.
        let short = u32::from(cfg!(weft_loom_mutant = "rwlock_write_leaves_a_read_permit"));
        self.acquire(self.max_readers - short).await;
        // SAFETY: we hold every permit.
        unsafe { RwLockWriteGuard::new(&self.semaphore, self.data_ptr(), self.max_readers) }
    }

    /// Read access if it is available right now (no writer holds or waits
    /// for the lock).
    ///
    /// # Errors
    ///
    /// [`TryLockError`] otherwise.
    pub fn try_read(&self) -> Result<RwLockReadGuard<'_, T>, TryLockError> {
        self.semaphore
            .try_acquire(1)
            .map_err(|_| TryLockError::new())?;
        // SAFETY: we hold one read permit, so no writer holds the lock
        // until the guard gives it back.
        Ok(unsafe { RwLockReadGuard::new(&self.semaphore, self.read_ptr()) })
    }

    /// Write access if the lock is free right now.
    ///
    /// # Errors
    ///
    /// [`TryLockError`] otherwise.
    ///
    /// # Examples
    ///
    /// ```
    /// let lock = weft::sync::RwLock::new(1);
    /// let read = lock.try_read().unwrap();
    /// assert!(lock.try_write().is_err());
    /// drop(read);
    /// *lock.try_write().unwrap() = 2;
    /// assert_eq!(*lock.try_read().unwrap(), 2);
    /// ```
    pub fn try_write(&self) -> Result<RwLockWriteGuard<'_, T>, TryLockError> {
        self.semaphore
            .try_acquire(self.max_readers as usize)
            .map_err(|_| TryLockError::new())?;
        // SAFETY: we hold every permit.
        Ok(unsafe { RwLockWriteGuard::new(&self.semaphore, self.data_ptr(), self.max_readers) })
    }

    /// [`RwLock::read`] through an `Arc`: the guard owns a handle.
    pub async fn read_owned(self: Arc<Self>) -> OwnedRwLockReadGuard<T> {
        self.acquire(1).await;
        let data = self.read_ptr();
        // SAFETY: we hold one read permit.
        unsafe { OwnedRwLockReadGuard::new(self, data) }
    }

    /// [`RwLock::write`] through an `Arc`: the guard owns a handle.
    pub async fn write_owned(self: Arc<Self>) -> OwnedRwLockWriteGuard<T> {
        self.acquire(self.max_readers).await;
        let permits = self.max_readers;
        // SAFETY: we hold every permit.
        unsafe { OwnedRwLockWriteGuard::new(self, permits) }
    }

    /// [`RwLock::try_read`] through an `Arc`.
    ///
    /// # Errors
    ///
    /// [`TryLockError`] if read access is not available right now.
    pub fn try_read_owned(self: Arc<Self>) -> Result<OwnedRwLockReadGuard<T>, TryLockError> {
        self.semaphore
            .try_acquire(1)
            .map_err(|_| TryLockError::new())?;
        let data = self.read_ptr();
        // SAFETY: we hold one read permit.
        Ok(unsafe { OwnedRwLockReadGuard::new(self, data) })
    }

    /// [`RwLock::try_write`] through an `Arc`.
    ///
    /// # Errors
    ///
    /// [`TryLockError`] if the lock is not free right now.
    pub fn try_write_owned(self: Arc<Self>) -> Result<OwnedRwLockWriteGuard<T>, TryLockError> {
        self.semaphore
            .try_acquire(self.max_readers as usize)
            .map_err(|_| TryLockError::new())?;
        let permits = self.max_readers;
        // SAFETY: we hold every permit.
        Ok(unsafe { OwnedRwLockWriteGuard::new(self, permits) })
    }

    /// [`RwLock::read`] from synchronous code, parking the thread.
    ///
    /// # Panics
    ///
    /// On a thread that drives weft tasks (a runtime worker, or inside
    /// `block_on`): blocking there would stall them.
    pub fn blocking_read(&self) -> RwLockReadGuard<'_, T> {
        block_on(self.read())
    }

    /// [`RwLock::write`] from synchronous code, parking the thread.
    ///
    /// # Panics
    ///
    /// On a thread that drives weft tasks (a runtime worker, or inside
    /// `block_on`): blocking there would stall them.
    pub fn blocking_write(&self) -> RwLockWriteGuard<'_, T> {
        block_on(self.write())
    }

    /// Direct access through `&mut`, which proves nobody holds the lock.
    pub fn get_mut(&mut self) -> &mut T {
        // SAFETY: `&mut self` excludes every guard.
        self.data.with_mut(|ptr| unsafe { &mut *ptr })
    }

    async fn acquire(&self, permits: u32) {
        if self.semaphore.acquire(permits as usize).await.is_err() {
            unreachable!("a RwLock's semaphore is never closed");
        }
    }

    /// The data, for a holder of write access.
    pub(super) fn data_ptr(&self) -> *mut T {
        self.data.with_mut(|ptr| ptr)
    }

    /// The data, for a holder of read access: taken as a shared access, so
    /// that loom sees readers at the same time as no conflict.
    pub(super) fn read_ptr(&self) -> *const T {
        self.data.with(|ptr| ptr)
    }

    pub(super) fn semaphore(&self) -> &ll::Semaphore {
        &self.semaphore
    }
}

impl<T: Default> Default for RwLock<T> {
    fn default() -> Self {
        RwLock::new(T::default())
    }
}

impl<T> From<T> for RwLock<T> {
    fn from(value: T) -> Self {
        RwLock::new(value)
    }
}

impl<T: ?Sized + fmt::Debug> fmt::Debug for RwLock<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("RwLock");
        match self.try_read() {
            Ok(guard) => d.field("data", &&*guard),
            Err(_) => d.field("data", &format_args!("<locked>")),
        };
        d.finish()
    }
}
