//! A counting semaphore for limiting concurrency.

use std::fmt;
// The owned-guard methods take the caller's `std::sync::Arc` (an
// `Arc<Self>` receiver must be a std smart pointer, also under loom).
use std::sync::Arc;

use crate::sync::batch_semaphore as ll;
use crate::sync::util::block_on::block_on;

/// A counting semaphore: a pool of permits that tasks take and give back.
///
/// An acquire waits until enough permits are available. Waiters are served
/// in the order they started waiting (FIFO): a task asking for many permits
/// is not overtaken by later tasks asking for few, and once a task waits,
/// `try_acquire` fails for everyone else until it is served.
///
/// Permits are returned when the [`SemaphorePermit`] or
/// [`OwnedSemaphorePermit`] is dropped, unless it is
/// [`forget`](SemaphorePermit::forget)ten.
///
/// # Examples
///
/// Limit the number of tasks that run a section at once:
///
/// ```
/// use std::sync::Arc;
/// use weft::sync::Semaphore;
///
/// # weft::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
/// let semaphore = Arc::new(Semaphore::new(3));
/// let mut handles = Vec::new();
/// for i in 0..10 {
///     let permit = semaphore.clone().acquire_owned().await.unwrap();
///     handles.push(weft::spawn(async move {
///         // At most three of these run at a time.
///         let result = i * 2;
///         drop(permit);
///         result
///     }));
/// }
/// for handle in handles {
///     handle.await.unwrap();
/// }
/// # });
/// ```
pub struct Semaphore {
    ll: ll::Semaphore,
}

/// Permits taken from a [`Semaphore`], returned when dropped.
#[must_use = "dropping the permit at once releases it"]
pub struct SemaphorePermit<'a> {
    semaphore: &'a Semaphore,
    permits: u32,
}

/// Permits taken from an `Arc<Semaphore>`, returned when dropped.
///
/// Unlike [`SemaphorePermit`] it owns a handle to the semaphore, so it can
/// be moved into a spawned task.
#[must_use = "dropping the permit at once releases it"]
pub struct OwnedSemaphorePermit {
    semaphore: Arc<Semaphore>,
    permits: u32,
}

/// The semaphore was closed, so the acquire failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AcquireError(());

/// Why a `try_acquire` call failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TryAcquireError {
    /// The semaphore was closed.
    Closed,
    /// Not enough permits are available right now.
    NoPermits,
}

impl From<ll::TryAcquireError> for TryAcquireError {
    fn from(error: ll::TryAcquireError) -> Self {
        match error {
            ll::TryAcquireError::Closed => TryAcquireError::Closed,
            ll::TryAcquireError::NoPermits => TryAcquireError::NoPermits,
        }
    }
}

impl Semaphore {
    /// The most permits a semaphore can hold: `usize::MAX >> 3`.
    pub const MAX_PERMITS: usize = ll::MAX_PERMITS;

    /// A semaphore with `permits` permits.
    ///
    /// # Panics
    ///
    /// If `permits` exceeds [`Semaphore::MAX_PERMITS`].
    ///
    /// # Examples
    ///
    /// ```
    /// let semaphore = weft::sync::Semaphore::new(2);
    /// assert_eq!(semaphore.available_permits(), 2);
    /// ```
    pub fn new(permits: usize) -> Self {
        Semaphore {
            ll: ll::Semaphore::new(permits),
        }
    }

    /// A semaphore with `permits` permits, usable in a `static`.
    ///
    /// # Panics
    ///
    /// If `permits` exceeds [`Semaphore::MAX_PERMITS`] (at compile time
    /// when used in a constant).
    ///
    /// # Examples
    ///
    /// ```
    /// use weft::sync::Semaphore;
    ///
    /// static CONNECTIONS: Semaphore = Semaphore::const_new(10);
    /// assert_eq!(CONNECTIONS.available_permits(), 10);
    /// ```
    #[cfg(not(loom))]
    pub const fn const_new(permits: usize) -> Self {
        Semaphore {
            ll: ll::Semaphore::const_new(permits),
        }
    }

    /// Permits that could be taken right now.
    pub fn available_permits(&self) -> usize {
        self.ll.available_permits()
    }

    /// Adds `n` permits; they go to waiting tasks first, in order.
    ///
    /// # Panics
    ///
    /// If the total would exceed [`Semaphore::MAX_PERMITS`].
    ///
    /// # Examples
    ///
    /// ```
    /// let semaphore = weft::sync::Semaphore::new(0);
    /// semaphore.add_permits(3);
    /// assert_eq!(semaphore.available_permits(), 3);
    /// ```
    pub fn add_permits(&self, n: usize) {
        self.ll.release(n);
    }

    /// Removes up to `n` currently available permits for good; returns how
    /// many were removed. Permits that are held are not affected.
    ///
    /// # Examples
    ///
    /// ```
    /// let semaphore = weft::sync::Semaphore::new(5);
    /// assert_eq!(semaphore.forget_permits(3), 3);
    /// assert_eq!(semaphore.forget_permits(9), 2);
    /// assert_eq!(semaphore.available_permits(), 0);
    /// ```
    pub fn forget_permits(&self, n: usize) -> usize {
        self.ll.forget_permits(n)
    }

    /// Waits for one permit.
    ///
    /// # Errors
    ///
    /// [`AcquireError`] if the semaphore is closed, before or while waiting.
    ///
    /// # Cancel safety
    ///
    /// Dropping the future gives back any permits it was already granted
    /// and leaves its place in the queue to the next waiter.
    ///
    /// # Examples
    ///
    /// ```
    /// # weft::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
    /// let semaphore = weft::sync::Semaphore::new(1);
    /// let permit = semaphore.acquire().await.unwrap();
    /// assert_eq!(semaphore.available_permits(), 0);
    /// drop(permit);
    /// assert_eq!(semaphore.available_permits(), 1);
    /// # });
    /// ```
    pub async fn acquire(&self) -> Result<SemaphorePermit<'_>, AcquireError> {
        self.acquire_many(1).await
    }

    /// Waits for `n` permits, taken all together.
    ///
    /// # Errors
    ///
    /// [`AcquireError`] if the semaphore is closed.
    ///
    /// # Panics
    ///
    /// If `n` exceeds [`Semaphore::MAX_PERMITS`] (only possible where
    /// `usize` is 32 bits).
    ///
    /// # Cancel safety
    ///
    /// As for [`Semaphore::acquire`]: no permit is lost.
    pub async fn acquire_many(&self, n: u32) -> Result<SemaphorePermit<'_>, AcquireError> {
        self.ll
            .acquire(n as usize)
            .await
            .map_err(|_| AcquireError(()))?;
        Ok(SemaphorePermit {
            semaphore: self,
            permits: n,
        })
    }

    /// Takes one permit if one is available right now.
    ///
    /// # Errors
    ///
    /// [`TryAcquireError::NoPermits`] when none is available (or others
    /// are queued first), [`TryAcquireError::Closed`] when closed.
    ///
    /// # Examples
    ///
    /// ```
    /// use weft::sync::{Semaphore, TryAcquireError};
    ///
    /// let semaphore = Semaphore::new(1);
    /// let permit = semaphore.try_acquire().unwrap();
    /// assert_eq!(semaphore.try_acquire().err(), Some(TryAcquireError::NoPermits));
    /// drop(permit);
    /// assert!(semaphore.try_acquire().is_ok());
    /// ```
    pub fn try_acquire(&self) -> Result<SemaphorePermit<'_>, TryAcquireError> {
        self.try_acquire_many(1)
    }

    /// Takes `n` permits if they are all available right now.
    ///
    /// # Errors
    ///
    /// As for [`Semaphore::try_acquire`].
    pub fn try_acquire_many(&self, n: u32) -> Result<SemaphorePermit<'_>, TryAcquireError> {
        self.ll.try_acquire(n as usize)?;
        Ok(SemaphorePermit {
            semaphore: self,
            permits: n,
        })
    }

    /// Waits for one permit, holding the semaphore through an `Arc`.
    ///
    /// # Errors
    ///
    /// [`AcquireError`] if the semaphore is closed.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::Arc;
    /// use weft::sync::Semaphore;
    ///
    /// # weft::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
    /// let semaphore = Arc::new(Semaphore::new(1));
    /// let permit = semaphore.clone().acquire_owned().await.unwrap();
    /// weft::spawn(async move {
    ///     // The permit travels with the task.
    ///     drop(permit);
    /// })
    /// .await
    /// .unwrap();
    /// assert_eq!(semaphore.available_permits(), 1);
    /// # });
    /// ```
    pub async fn acquire_owned(self: Arc<Self>) -> Result<OwnedSemaphorePermit, AcquireError> {
        self.acquire_many_owned(1).await
    }

    /// Waits for `n` permits, holding the semaphore through an `Arc`.
    ///
    /// # Errors
    ///
    /// [`AcquireError`] if the semaphore is closed.
    pub async fn acquire_many_owned(
        self: Arc<Self>,
        n: u32,
    ) -> Result<OwnedSemaphorePermit, AcquireError> {
        self.ll
            .acquire(n as usize)
            .await
            .map_err(|_| AcquireError(()))?;
        Ok(OwnedSemaphorePermit {
            semaphore: self,
            permits: n,
        })
    }

    /// Takes one permit right now, holding the semaphore through an `Arc`.
    ///
    /// # Errors
    ///
    /// As for [`Semaphore::try_acquire`].
    pub fn try_acquire_owned(self: Arc<Self>) -> Result<OwnedSemaphorePermit, TryAcquireError> {
        self.try_acquire_many_owned(1)
    }

    /// Takes `n` permits right now, holding the semaphore through an `Arc`.
    ///
    /// # Errors
    ///
    /// As for [`Semaphore::try_acquire`].
    pub fn try_acquire_many_owned(
        self: Arc<Self>,
        n: u32,
    ) -> Result<OwnedSemaphorePermit, TryAcquireError> {
        self.ll.try_acquire(n as usize)?;
        Ok(OwnedSemaphorePermit {
            semaphore: self,
            permits: n,
        })
    }

    /// [`Semaphore::acquire`] from synchronous code, parking the thread
    /// until a permit is free.
    ///
    /// For threads outside the runtime: a `std::thread`, or a
    /// `spawn_blocking` closure.
    ///
    /// # Errors
    ///
    /// [`AcquireError`] if the semaphore is closed.
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
    /// use weft::sync::Semaphore;
    ///
    /// let semaphore = Arc::new(Semaphore::new(0));
    /// let remote = semaphore.clone();
    /// let waiter = std::thread::spawn(move || {
    ///     // Parks until the main thread adds a permit.
    ///     remote.blocking_acquire().unwrap().forget();
    /// });
    /// semaphore.add_permits(1);
    /// waiter.join().unwrap();
    /// assert_eq!(semaphore.available_permits(), 0);
    /// ```
    #[track_caller]
    pub fn blocking_acquire(&self) -> Result<SemaphorePermit<'_>, AcquireError> {
        block_on(self.acquire())
    }

    /// [`Semaphore::acquire_many`] from synchronous code.
    ///
    /// # Errors
    ///
    /// [`AcquireError`] if the semaphore is closed.
    ///
    /// # Panics
    ///
    /// As for [`Semaphore::blocking_acquire`].
    #[track_caller]
    pub fn blocking_acquire_many(&self, n: u32) -> Result<SemaphorePermit<'_>, AcquireError> {
        block_on(self.acquire_many(n))
    }

    /// [`Semaphore::acquire_owned`] from synchronous code.
    ///
    /// # Errors
    ///
    /// [`AcquireError`] if the semaphore is closed.
    ///
    /// # Panics
    ///
    /// As for [`Semaphore::blocking_acquire`].
    #[track_caller]
    pub fn blocking_acquire_owned(self: Arc<Self>) -> Result<OwnedSemaphorePermit, AcquireError> {
        block_on(self.acquire_owned())
    }

    /// [`Semaphore::acquire_many_owned`] from synchronous code.
    ///
    /// # Errors
    ///
    /// [`AcquireError`] if the semaphore is closed.
    ///
    /// # Panics
    ///
    /// As for [`Semaphore::blocking_acquire`].
    #[track_caller]
    pub fn blocking_acquire_many_owned(
        self: Arc<Self>,
        n: u32,
    ) -> Result<OwnedSemaphorePermit, AcquireError> {
        block_on(self.acquire_many_owned(n))
    }

    /// Closes the semaphore: waiting and future acquires fail with
    /// [`AcquireError`]. Permits already held stay valid.
    ///
    /// # Examples
    ///
    /// ```
    /// use weft::sync::{Semaphore, TryAcquireError};
    ///
    /// let semaphore = Semaphore::new(1);
    /// semaphore.close();
    /// assert!(semaphore.is_closed());
    /// assert_eq!(semaphore.try_acquire().err(), Some(TryAcquireError::Closed));
    /// ```
    pub fn close(&self) {
        self.ll.close();
    }

    /// True once [`Semaphore::close`] was called.
    pub fn is_closed(&self) -> bool {
        self.ll.is_closed()
    }
}

impl fmt::Debug for Semaphore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Semaphore").field("ll", &self.ll).finish()
    }
}

impl<'a> SemaphorePermit<'a> {
    /// Keeps the permits out of the semaphore for good: dropping this
    /// permit no longer returns them.
    ///
    /// # Examples
    ///
    /// ```
    /// let semaphore = weft::sync::Semaphore::new(2);
    /// semaphore.try_acquire().unwrap().forget();
    /// assert_eq!(semaphore.available_permits(), 1);
    /// ```
    pub fn forget(mut self) {
        self.permits = 0;
    }

    /// How many permits this holds.
    pub fn num_permits(&self) -> usize {
        self.permits as usize
    }

    /// Moves `other`'s permits into this one.
    ///
    /// # Panics
    ///
    /// If the permits come from different semaphores.
    ///
    /// # Examples
    ///
    /// ```
    /// let semaphore = weft::sync::Semaphore::new(3);
    /// let mut permit = semaphore.try_acquire().unwrap();
    /// permit.merge(semaphore.try_acquire_many(2).unwrap());
    /// assert_eq!(permit.num_permits(), 3);
    /// ```
    #[track_caller]
    pub fn merge(&mut self, mut other: Self) {
        assert!(
            std::ptr::eq(self.semaphore, other.semaphore),
            "cannot merge permits of different semaphores"
        );
        self.permits = self
            .permits
            .checked_add(std::mem::take(&mut other.permits))
            .expect("merged permit count does not fit in a u32");
    }

    /// Splits `n` permits off into a new permit; `None` if this holds fewer
    /// than `n`.
    ///
    /// # Examples
    ///
    /// ```
    /// let semaphore = weft::sync::Semaphore::new(3);
    /// let mut permit = semaphore.try_acquire_many(3).unwrap();
    /// let part = permit.split(1).unwrap();
    /// assert_eq!((permit.num_permits(), part.num_permits()), (2, 1));
    /// assert!(permit.split(5).is_none());
    /// ```
    pub fn split(&mut self, n: usize) -> Option<Self> {
        let n = u32::try_from(n).ok()?;
        if n > self.permits {
            return None;
        }
        self.permits -= n;
        Some(SemaphorePermit {
            semaphore: self.semaphore,
            permits: n,
        })
    }
}

impl Drop for SemaphorePermit<'_> {
    fn drop(&mut self) {
        self.semaphore.add_permits(self.permits as usize);
    }
}

impl fmt::Debug for SemaphorePermit<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SemaphorePermit")
            .field("semaphore", &self.semaphore)
            .field("permits", &self.permits)
            .finish()
    }
}

impl OwnedSemaphorePermit {
    /// Keeps the permits out of the semaphore for good.
    pub fn forget(mut self) {
        self.permits = 0;
    }

    /// How many permits this holds.
    pub fn num_permits(&self) -> usize {
        self.permits as usize
    }

    /// Moves `other`'s permits into this one.
    ///
    /// # Panics
    ///
    /// If the permits come from different semaphores.
    #[track_caller]
    pub fn merge(&mut self, mut other: Self) {
        assert!(
            Arc::ptr_eq(&self.semaphore, &other.semaphore),
            "cannot merge permits of different semaphores"
        );
        self.permits = self
            .permits
            .checked_add(std::mem::take(&mut other.permits))
            .expect("merged permit count does not fit in a u32");
    }

    /// Splits `n` permits off into a new permit; `None` if this holds fewer
    /// than `n`.
    pub fn split(&mut self, n: usize) -> Option<Self> {
        let n = u32::try_from(n).ok()?;
        if n > self.permits {
            return None;
        }
        self.permits -= n;
        Some(OwnedSemaphorePermit {
            semaphore: self.semaphore.clone(),
            permits: n,
        })
    }

    /// The semaphore these permits belong to.
    pub fn semaphore(&self) -> &Arc<Semaphore> {
        &self.semaphore
    }
}

impl Drop for OwnedSemaphorePermit {
    fn drop(&mut self) {
        self.semaphore.add_permits(self.permits as usize);
    }
}

impl fmt::Debug for OwnedSemaphorePermit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OwnedSemaphorePermit")
            .field("semaphore", &self.semaphore)
            .field("permits", &self.permits)
            .finish()
    }
}

impl fmt::Display for AcquireError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("semaphore closed")
    }
}

impl std::error::Error for AcquireError {}

impl fmt::Display for TryAcquireError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TryAcquireError::Closed => f.write_str("semaphore closed"),
            TryAcquireError::NoPermits => f.write_str("no permits available"),
        }
    }
}

impl std::error::Error for TryAcquireError {}

impl TryAcquireError {
    /// True when the semaphore was closed.
    pub fn is_closed(&self) -> bool {
        matches!(self, TryAcquireError::Closed)
    }

    /// True when no permits were available.
    pub fn is_no_permits(&self) -> bool {
        matches!(self, TryAcquireError::NoPermits)
    }
}
