//! An async mutual-exclusion lock.

use std::fmt;
use std::marker::PhantomData;
use std::ops::{Deref, DerefMut};
// The owned-guard methods take the caller's `std::sync::Arc` (an
// `Arc<Self>` receiver must be a std smart pointer, also under loom).
use std::sync::Arc;

use crate::loom::cell::UnsafeCell;
use crate::sync::batch_semaphore as ll;
use crate::sync::util::block_on::block_on;

/// A mutual-exclusion lock whose `lock` waits asynchronously.
///
/// Waiting tasks are granted the lock in the order they asked for it. The
/// guard may be held across `.await` points; when that is not needed, a
/// blocking mutex (`std::sync::Mutex`, `parking_lot::Mutex`) is usually
/// faster.
///
/// There is no poisoning: if a task panics while holding the guard, the
/// guard's drop releases the lock and the data stays accessible.
///
/// # Examples
///
/// ```
/// use std::sync::Arc;
/// use weft::sync::Mutex;
///
/// # weft::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
/// let counter = Arc::new(Mutex::new(0));
/// let mut handles = Vec::new();
/// for _ in 0..10 {
///     let counter = counter.clone();
///     handles.push(weft::spawn(async move {
///         *counter.lock().await += 1;
///     }));
/// }
/// for handle in handles {
///     handle.await.unwrap();
/// }
/// assert_eq!(*counter.lock().await, 10);
/// # });
/// ```
pub struct Mutex<T: ?Sized> {
    semaphore: ll::Semaphore,
    data: UnsafeCell<T>,
}

// SAFETY: the mutex hands the data to one thread at a time, so sending or
// sharing the mutex only needs the data to be sendable.
unsafe impl<T: ?Sized + Send> Send for Mutex<T> {}
// SAFETY: as above; shared access to the mutex never yields `&T` without
// holding the lock.
unsafe impl<T: ?Sized + Send> Sync for Mutex<T> {}

/// The lock was held, so `try_lock` failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TryLockError(());

impl TryLockError {
    pub(crate) fn new() -> Self {
        TryLockError(())
    }
}

impl fmt::Display for TryLockError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("operation would block: the lock is held")
    }
}

impl std::error::Error for TryLockError {}

impl<T> Mutex<T> {
    /// A new, unlocked mutex holding `value`.
    ///
    /// # Examples
    ///
    /// ```
    /// let mutex = weft::sync::Mutex::new(5);
    /// assert_eq!(mutex.into_inner(), 5);
    /// ```
    pub fn new(value: T) -> Self {
        Mutex {
            semaphore: ll::Semaphore::new(1),
            data: UnsafeCell::new(value),
        }
    }

    /// A new, unlocked mutex, usable in a `static`.
    ///
    /// # Examples
    ///
    /// ```
    /// use weft::sync::Mutex;
    ///
    /// static NAMES: Mutex<Vec<&str>> = Mutex::const_new(Vec::new());
    /// NAMES.try_lock().unwrap().push("weft");
    /// assert_eq!(NAMES.try_lock().unwrap().len(), 1);
    /// ```
    #[cfg(not(loom))]
    pub const fn const_new(value: T) -> Self {
        Mutex {
            semaphore: ll::Semaphore::const_new(1),
            data: UnsafeCell::new(value),
        }
    }

    /// Consumes the mutex and returns the data.
    pub fn into_inner(self) -> T {
        let Mutex { data, .. } = self;
        let mut value = None;
        data.with(|ptr| {
            // SAFETY: we own the mutex, so nobody else can access the data;
            // `data` is forgotten below so the value is not dropped twice.
            value = Some(unsafe { std::ptr::read(ptr) });
        });
        std::mem::forget(data);
        value.expect("the read above always runs")
    }
}

impl<T: ?Sized> Mutex<T> {
    /// Waits for the lock and returns a guard that releases it on drop.
    ///
    /// # Cancel safety
    ///
    /// Dropping the future before it completes gives up the place in the
    /// queue; if the lock was already handed to it, the lock is released
    /// to the next waiter.
    ///
    /// # Examples
    ///
    /// ```
    /// # weft::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
    /// let mutex = weft::sync::Mutex::new(1);
    /// let mut guard = mutex.lock().await;
    /// *guard += 1;
    /// drop(guard);
    /// assert_eq!(*mutex.lock().await, 2);
    /// # });
    /// ```
    pub async fn lock(&self) -> MutexGuard<'_, T> {
        self.acquire().await;
        MutexGuard {
            lock: self,
            _marker: PhantomData,
        }
    }

    /// Waits for the lock from synchronous code, parking the thread.
    ///
    /// For threads outside the runtime: a `std::thread`, or a
    /// `spawn_blocking` closure.
    ///
    /// # Panics
    ///
    /// On a thread that drives weft tasks (a runtime worker, or inside
    /// `block_on`): blocking there would stall them.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::Arc;
    /// use weft::sync::Mutex;
    ///
    /// let mutex = Arc::new(Mutex::new(0));
    /// let remote = mutex.clone();
    /// std::thread::spawn(move || *remote.blocking_lock() += 1).join().unwrap();
    /// assert_eq!(*mutex.blocking_lock(), 1);
    /// ```
    pub fn blocking_lock(&self) -> MutexGuard<'_, T> {
        block_on(self.lock())
    }

    /// Waits for the lock, holding the mutex through an `Arc`, so the guard
    /// can outlive the borrow (for example move into a spawned task).
    pub async fn lock_owned(self: Arc<Self>) -> OwnedMutexGuard<T> {
        self.acquire().await;
        OwnedMutexGuard { lock: self }
    }

    /// [`Mutex::lock_owned`] from synchronous code.
    ///
    /// # Panics
    ///
    /// On a thread that drives weft tasks (a runtime worker, or inside
    /// `block_on`): blocking there would stall them.
    pub fn blocking_lock_owned(self: Arc<Self>) -> OwnedMutexGuard<T> {
        block_on(self.lock_owned())
    }

    /// Takes the lock if it is free right now.
    ///
    /// # Errors
    ///
    /// [`TryLockError`] if the lock is held (or others wait for it).
    ///
    /// # Examples
    ///
    /// ```
    /// let mutex = weft::sync::Mutex::new(1);
    /// let guard = mutex.try_lock().unwrap();
    /// assert!(mutex.try_lock().is_err());
    /// drop(guard);
    /// assert!(mutex.try_lock().is_ok());
    /// ```
    pub fn try_lock(&self) -> Result<MutexGuard<'_, T>, TryLockError> {
        match self.semaphore.try_acquire(1) {
            Ok(()) => Ok(MutexGuard {
                lock: self,
                _marker: PhantomData,
            }),
            Err(_) => Err(TryLockError(())),
        }
    }

    /// [`Mutex::try_lock`] through an `Arc`.
    ///
    /// # Errors
    ///
    /// [`TryLockError`] if the lock is held.
    pub fn try_lock_owned(self: Arc<Self>) -> Result<OwnedMutexGuard<T>, TryLockError> {
        match self.semaphore.try_acquire(1) {
            Ok(()) => Ok(OwnedMutexGuard { lock: self }),
            Err(_) => Err(TryLockError(())),
        }
    }

    /// Direct access through `&mut`, which proves nobody holds the lock.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut mutex = weft::sync::Mutex::new(1);
    /// *mutex.get_mut() = 2;
    /// assert_eq!(*mutex.try_lock().unwrap(), 2);
    /// ```
    pub fn get_mut(&mut self) -> &mut T {
        // SAFETY: `&mut self` excludes every guard.
        self.data.with_mut(|ptr| unsafe { &mut *ptr })
    }

    async fn acquire(&self) {
        // The mutex's semaphore is never closed.
        if self.semaphore.acquire(1).await.is_err() {
            unreachable!("a mutex's semaphore is never closed");
        }
    }

    fn data_ptr(&self) -> *mut T {
        self.data.with_mut(|ptr| ptr)
    }
}

impl<T: Default> Default for Mutex<T> {
    fn default() -> Self {
        Mutex::new(T::default())
    }
}

impl<T> From<T> for Mutex<T> {
    fn from(value: T) -> Self {
        Mutex::new(value)
    }
}

impl<T: ?Sized + fmt::Debug> fmt::Debug for Mutex<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("Mutex");
        match self.try_lock() {
            Ok(guard) => d.field("data", &&*guard),
            Err(_) => d.field("data", &format_args!("<locked>")),
        };
        d.finish()
    }
}

/// Exclusive access to a [`Mutex`]'s data; dropping it unlocks.
#[must_use = "dropping the guard at once unlocks the mutex"]
pub struct MutexGuard<'a, T: ?Sized> {
    lock: &'a Mutex<T>,
    /// Sharing the guard shares `&T`, so it is `Sync` only for `T: Sync`.
    _marker: PhantomData<&'a mut T>,
}

impl<'a, T: ?Sized> MutexGuard<'a, T> {
    /// The mutex this guard locks.
    pub fn mutex(this: &Self) -> &'a Mutex<T> {
        this.lock
    }

    /// Narrows the guard to a part of the data; the lock stays held until
    /// the mapped guard is dropped.
    ///
    /// # Examples
    ///
    /// ```
    /// use weft::sync::{Mutex, MutexGuard};
    ///
    /// let mutex = Mutex::new((1, "one"));
    /// let mut first = MutexGuard::map(mutex.try_lock().unwrap(), |pair| &mut pair.0);
    /// *first = 2;
    /// drop(first);
    /// assert_eq!(*mutex.try_lock().unwrap(), (2, "one"));
    /// ```
    pub fn map<U: ?Sized, F>(mut this: Self, f: F) -> MappedMutexGuard<'a, U>
    where
        F: FnOnce(&mut T) -> &mut U,
    {
        let data = f(&mut *this) as *mut U;
        let semaphore = &this.lock.semaphore;
        std::mem::forget(this);
        MappedMutexGuard {
            semaphore,
            data,
            _marker: PhantomData,
        }
    }

    /// Like [`MutexGuard::map`], but `f` may decline, which hands the
    /// original guard back.
    ///
    /// # Errors
    ///
    /// The original guard when `f` returns `None`.
    pub fn try_map<U: ?Sized, F>(mut this: Self, f: F) -> Result<MappedMutexGuard<'a, U>, Self>
    where
        F: FnOnce(&mut T) -> Option<&mut U>,
    {
        let data = match f(&mut *this) {
            Some(data) => data as *mut U,
            None => return Err(this),
        };
        let semaphore = &this.lock.semaphore;
        std::mem::forget(this);
        Ok(MappedMutexGuard {
            semaphore,
            data,
            _marker: PhantomData,
        })
    }
}

impl<T: ?Sized> Deref for MutexGuard<'_, T> {
    type Target = T;

    fn deref(&self) -> &T {
        // SAFETY: the guard holds the lock, so nobody else accesses the data.
        unsafe { &*self.lock.data_ptr() }
    }
}

impl<T: ?Sized> DerefMut for MutexGuard<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        // SAFETY: as for `deref`; `&mut self` makes this borrow unique.
        unsafe { &mut *self.lock.data_ptr() }
    }
}

impl<T: ?Sized> Drop for MutexGuard<'_, T> {
    fn drop(&mut self) {
        self.lock.semaphore.release(1);
    }
}

impl<T: ?Sized + fmt::Debug> fmt::Debug for MutexGuard<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&**self, f)
    }
}

impl<T: ?Sized + fmt::Display> fmt::Display for MutexGuard<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&**self, f)
    }
}

/// Exclusive access to the data of an `Arc<Mutex<T>>`; dropping it
/// unlocks. It owns a handle to the mutex, so it is `'static` when `T` is.
#[must_use = "dropping the guard at once unlocks the mutex"]
pub struct OwnedMutexGuard<T: ?Sized> {
    lock: Arc<Mutex<T>>,
}

impl<T: ?Sized> OwnedMutexGuard<T> {
    /// The mutex this guard locks.
    pub fn mutex(this: &Self) -> &Arc<Mutex<T>> {
        &this.lock
    }
}

impl<T: ?Sized> Deref for OwnedMutexGuard<T> {
    type Target = T;

    fn deref(&self) -> &T {
        // SAFETY: the guard holds the lock.
        unsafe { &*self.lock.data_ptr() }
    }
}

impl<T: ?Sized> DerefMut for OwnedMutexGuard<T> {
    fn deref_mut(&mut self) -> &mut T {
        // SAFETY: the guard holds the lock; `&mut self` makes this unique.
        unsafe { &mut *self.lock.data_ptr() }
    }
}

impl<T: ?Sized> Drop for OwnedMutexGuard<T> {
    fn drop(&mut self) {
        self.lock.semaphore.release(1);
    }
}

impl<T: ?Sized + fmt::Debug> fmt::Debug for OwnedMutexGuard<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&**self, f)
    }
}

/// A [`MutexGuard`] narrowed to a part of the data with
/// [`MutexGuard::map`]; dropping it unlocks the mutex.
#[must_use = "dropping the guard at once unlocks the mutex"]
pub struct MappedMutexGuard<'a, T: ?Sized> {
    semaphore: &'a ll::Semaphore,
    /// Points into the locked data; valid while the lock is held.
    data: *mut T,
    _marker: PhantomData<&'a mut T>,
}

// SAFETY: the guard is a `&mut T` into locked data plus a handle to release
// the lock; it may move to another thread when `T: Send`.
unsafe impl<T: ?Sized + Send> Send for MappedMutexGuard<'_, T> {}
// SAFETY: sharing the guard shares `&T`.
unsafe impl<T: ?Sized + Sync> Sync for MappedMutexGuard<'_, T> {}

impl<'a, T: ?Sized> MappedMutexGuard<'a, T> {
    /// Narrows the guard further.
    pub fn map<U: ?Sized, F>(mut this: Self, f: F) -> MappedMutexGuard<'a, U>
    where
        F: FnOnce(&mut T) -> &mut U,
    {
        let data = f(&mut *this) as *mut U;
        let semaphore = this.semaphore;
        std::mem::forget(this);
        MappedMutexGuard {
            semaphore,
            data,
            _marker: PhantomData,
        }
    }

    /// Narrows the guard further, if `f` agrees.
    ///
    /// # Errors
    ///
    /// The original guard when `f` returns `None`.
    pub fn try_map<U: ?Sized, F>(mut this: Self, f: F) -> Result<MappedMutexGuard<'a, U>, Self>
    where
        F: FnOnce(&mut T) -> Option<&mut U>,
    {
        let data = match f(&mut *this) {
            Some(data) => data as *mut U,
            None => return Err(this),
        };
        let semaphore = this.semaphore;
        std::mem::forget(this);
        Ok(MappedMutexGuard {
            semaphore,
            data,
            _marker: PhantomData,
        })
    }
}

impl<T: ?Sized> Deref for MappedMutexGuard<'_, T> {
    type Target = T;

    fn deref(&self) -> &T {
        // SAFETY: `data` points into data whose lock this guard holds.
        unsafe { &*self.data }
    }
}

impl<T: ?Sized> DerefMut for MappedMutexGuard<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        // SAFETY: as for `deref`; `&mut self` makes this borrow unique.
        unsafe { &mut *self.data }
    }
}

impl<T: ?Sized> Drop for MappedMutexGuard<'_, T> {
    fn drop(&mut self) {
        self.semaphore.release(1);
    }
}

impl<T: ?Sized + fmt::Debug> fmt::Debug for MappedMutexGuard<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&**self, f)
    }
}
