//! A cell that is initialised at most once, with async initialisers.

use std::fmt;
use std::future::Future;
use std::mem::MaybeUninit;

use crate::loom::cell::UnsafeCell;
use crate::loom::sync::atomic::{AtomicBool, Ordering};
use crate::sync::batch_semaphore as ll;

/// A cell written at most once, whose initialiser may be async.
///
/// Many tasks may call [`get_or_init`](OnceCell::get_or_init) at once:
/// one runs its initialiser, the others wait and then see its value. If
/// that initialiser is cancelled or panics, the next waiter runs its own.
///
/// # Examples
///
/// ```
/// use weft::sync::OnceCell;
///
/// static CONFIG: OnceCell<String> = OnceCell::const_new();
///
/// # weft::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
/// let value = CONFIG.get_or_init(|| async { String::from("loaded") }).await;
/// assert_eq!(value, "loaded");
/// assert_eq!(CONFIG.get().map(String::as_str), Some("loaded"));
/// # });
/// ```
pub struct OnceCell<T> {
    /// Set (with `Release`) once `value` is written; never cleared except
    /// through `&mut self`.
    value_set: AtomicBool,
    value: UnsafeCell<MaybeUninit<T>>,
    /// One permit: the right to initialise. Closed once the value is set,
    /// which releases every waiter.
    semaphore: ll::Semaphore,
}

// SAFETY: the value is written once by one thread and then only shared,
// so sharing the cell needs `T: Sync` (readers) and `T: Send` (the writer
// may be another thread than the one that drops it).
unsafe impl<T: Send + Sync> Sync for OnceCell<T> {}
// SAFETY: owning the cell owns the value.
unsafe impl<T: Send> Send for OnceCell<T> {}

/// Why [`OnceCell::set`] failed; the value is inside.
#[derive(Debug, PartialEq, Eq)]
pub enum SetError<T> {
    /// The cell already holds a value.
    AlreadyInitializedError(T),
    /// Another task is initialising the cell right now.
    InitializingError(T),
}

impl<T> SetError<T> {
    /// True for [`SetError::AlreadyInitializedError`].
    pub fn is_already_init_err(&self) -> bool {
        matches!(self, SetError::AlreadyInitializedError(_))
    }

    /// True for [`SetError::InitializingError`].
    pub fn is_initializing_err(&self) -> bool {
        matches!(self, SetError::InitializingError(_))
    }
}

impl<T> fmt::Display for SetError<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SetError::AlreadyInitializedError(_) => f.write_str("the cell is already initialized"),
            SetError::InitializingError(_) => f.write_str("the cell is being initialized"),
        }
    }
}

impl<T: fmt::Debug> std::error::Error for SetError<T> {}

/// Gives the initialising permit back unless disarmed: a cancelled or
/// panicking initialiser lets the next waiter try.
struct InitGuard<'a> {
    semaphore: &'a ll::Semaphore,
    armed: bool,
}

impl Drop for InitGuard<'_> {
    fn drop(&mut self) {
        if self.armed {
            self.semaphore.release(1);
        }
    }
}

impl<T> OnceCell<T> {
    /// An empty cell.
    pub fn new() -> Self {
        OnceCell {
            value_set: AtomicBool::new(false),
            value: UnsafeCell::new(MaybeUninit::uninit()),
            semaphore: ll::Semaphore::new(1),
        }
    }

    /// An empty cell usable in a `static`.
    #[cfg(not(loom))]
    pub const fn const_new() -> Self {
        OnceCell {
            value_set: AtomicBool::new(false),
            value: UnsafeCell::new(MaybeUninit::uninit()),
            semaphore: ll::Semaphore::const_new(1),
        }
    }

    /// A cell holding `value` if it is `Some`, else empty.
    ///
    /// # Examples
    ///
    /// ```
    /// let cell = weft::sync::OnceCell::new_with(Some(3));
    /// assert_eq!(cell.get(), Some(&3));
    /// ```
    pub fn new_with(value: Option<T>) -> Self {
        match value {
            None => OnceCell::new(),
            Some(value) => OnceCell {
                value_set: AtomicBool::new(true),
                value: UnsafeCell::new(MaybeUninit::new(value)),
                semaphore: ll::Semaphore::new_closed(),
            },
        }
    }

    /// A cell holding `value`, usable in a `static`.
    #[cfg(not(loom))]
    pub const fn const_new_with(value: T) -> Self {
        OnceCell {
            value_set: AtomicBool::new(true),
            value: UnsafeCell::new(MaybeUninit::new(value)),
            semaphore: ll::Semaphore::const_new_closed(),
        }
    }

    /// True once the cell holds a value.
    pub fn initialized(&self) -> bool {
        self.value_set.load(Ordering::Acquire)
    }

    /// The value, if set.
    pub fn get(&self) -> Option<&T> {
        if self.initialized() {
            // SAFETY: `value_set` was seen (with `Acquire`) after the value
            // was written, and the value is never written again while
            // shared.
            Some(unsafe { self.value_unchecked() })
        } else {
            None
        }
    }

    /// The value, mutably, if set.
    pub fn get_mut(&mut self) -> Option<&mut T> {
        if self.initialized() {
            // SAFETY: set, and `&mut self` gives exclusive access.
            Some(
                self.value
                    .with_mut(|ptr| unsafe { (*ptr).assume_init_mut() }),
            )
        } else {
            None
        }
    }

    /// Sets the value if the cell is empty and nobody is initialising it.
    ///
    /// # Errors
    ///
    /// [`SetError::AlreadyInitializedError`] if set,
    /// [`SetError::InitializingError`] if an initialiser is running; both
    /// hold `value`.
    ///
    /// # Examples
    ///
    /// ```
    /// let cell = weft::sync::OnceCell::new();
    /// assert!(cell.set(1).is_ok());
    /// assert!(cell.set(2).unwrap_err().is_already_init_err());
    /// assert_eq!(cell.get(), Some(&1));
    /// ```
    pub fn set(&self, value: T) -> Result<(), SetError<T>> {
        if self.initialized() {
            return Err(SetError::AlreadyInitializedError(value));
        }
        match self.semaphore.try_acquire(1) {
            Ok(()) => {
                // SAFETY: we hold the only initialising permit.
                unsafe { self.publish(value) };
                Ok(())
            }
            Err(ll::TryAcquireError::NoPermits) => Err(SetError::InitializingError(value)),
            Err(ll::TryAcquireError::Closed) => Err(SetError::AlreadyInitializedError(value)),
        }
    }

    /// The value, running `f` to produce it if the cell is empty. Only one
    /// initialiser runs at a time; concurrent callers wait for it.
    ///
    /// # Cancel safety
    ///
    /// If the running initialiser is cancelled (or panics), the cell stays
    /// empty and the next waiting caller runs its own `f`.
    pub async fn get_or_init<F, Fut>(&self, f: F) -> &T
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = T>,
    {
        match self
            .get_or_try_init(|| async { Ok::<T, std::convert::Infallible>(f().await) })
            .await
        {
            Ok(value) => value,
            Err(never) => match never {},
        }
    }

    /// Like [`get_or_init`](OnceCell::get_or_init), but `f` may fail: the
    /// error is returned and the cell stays empty.
    ///
    /// # Errors
    ///
    /// Whatever `f` returns.
    ///
    /// # Examples
    ///
    /// ```
    /// # weft::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
    /// let cell = weft::sync::OnceCell::new();
    /// let failed = cell.get_or_try_init(|| async { Err::<u8, _>("no") }).await;
    /// assert_eq!(failed, Err("no"));
    /// let value = cell.get_or_try_init(|| async { Ok::<_, &str>(4) }).await;
    /// assert_eq!(value, Ok(&4));
    /// # });
    /// ```
    pub async fn get_or_try_init<E, F, Fut>(&self, f: F) -> Result<&T, E>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<T, E>>,
    {
        if let Some(value) = self.get() {
            return Ok(value);
        }
        if self.semaphore.acquire(1).await.is_err() {
            // Closed: somebody published the value.
            return Ok(self
                .get()
                .expect("the semaphore closes only after the value is set"));
        }
        let mut guard = InitGuard {
            semaphore: &self.semaphore,
            armed: true,
        };
        let value = f().await?;
        guard.armed = false;
        // SAFETY: we hold the only initialising permit.
        unsafe { self.publish(value) };
        // SAFETY: just published.
        Ok(unsafe { self.value_unchecked() })
    }

    /// Takes the value out, leaving the cell empty.
    pub fn take(&mut self) -> Option<T> {
        std::mem::take(self).into_inner()
    }

    /// Consumes the cell and returns the value, if set.
    pub fn into_inner(self) -> Option<T> {
        if !self.initialized() {
            return None;
        }
        self.value_set.store(false, Ordering::Relaxed);
        // SAFETY: the value was set; clearing `value_set` above makes `Drop`
        // skip it, so it is moved out exactly once.
        Some(self.value.with(|ptr| unsafe { (*ptr).assume_init_read() }))
    }

    /// Writes the value, marks it set and releases every waiter.
    ///
    /// # Safety
    ///
    /// The caller holds the initialising permit, and the value is not set.
    unsafe fn publish(&self, value: T) {
        // SAFETY: the permit makes us the only writer, and no reader looks
        // before `value_set` is true.
        self.value.with_mut(|ptr| unsafe { (*ptr).write(value) });
        // Mutant for the loom check: a relaxed store does not publish the
        // value to a reader that sees the flag.
        let order = if cfg!(weft_loom_mutant = "once_cell_publish_relaxed") {
            Ordering::Relaxed
        } else {
            Ordering::Release
        };
        self.value_set.store(true, order);
        // Waiters wake up with an error and find the value set.
        self.semaphore.close();
    }

    /// # Safety
    ///
    /// The value is set.
    unsafe fn value_unchecked(&self) -> &T {
        // SAFETY: forwarded from the caller.
        self.value.with(|ptr| unsafe { (*ptr).assume_init_ref() })
    }
}

impl<T> Drop for OnceCell<T> {
    fn drop(&mut self) {
        if self.initialized() {
            // SAFETY: set, and dropped exactly once here.
            self.value
                .with_mut(|ptr| unsafe { (*ptr).assume_init_drop() });
        }
    }
}

impl<T> Default for OnceCell<T> {
    fn default() -> Self {
        OnceCell::new()
    }
}

impl<T> From<T> for OnceCell<T> {
    fn from(value: T) -> Self {
        OnceCell::new_with(Some(value))
    }
}

impl<T: Clone> Clone for OnceCell<T> {
    fn clone(&self) -> Self {
        OnceCell::new_with(self.get().cloned())
    }
}

impl<T: PartialEq> PartialEq for OnceCell<T> {
    fn eq(&self, other: &Self) -> bool {
        self.get() == other.get()
    }
}

impl<T: Eq> Eq for OnceCell<T> {}

impl<T: fmt::Debug> fmt::Debug for OnceCell<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OnceCell")
            .field("value", &self.get())
            .finish()
    }
}
