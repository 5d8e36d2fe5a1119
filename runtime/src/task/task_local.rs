//! Task-local storage: a value that belongs to one task (more precisely,
//! to one future and everything it awaits) rather than to a thread.
//!
//! A task moves between worker threads and shares each thread with many
//! other tasks, so a `thread_local!` cannot hold per-request state. A
//! [`LocalKey`] declared with [`task_local!`](crate::task_local) can: the
//! value is installed in a thread-local slot only while the future wrapped
//! by [`LocalKey::scope`] is being polled, and taken back out when the poll
//! returns, so it follows the future from thread to thread.
//!
//! The slot is a plain `std` thread-local: it is only ever touched by the
//! thread that polls the scoped future, between the start and the end of
//! one poll, so no synchronisation is involved.

use std::cell::RefCell;
use std::error::Error;
use std::fmt;
use std::future::Future;
use std::marker::PhantomPinned;
use std::pin::Pin;
use std::task::{Context, Poll};

/// Declares task-local keys: statics of type [`LocalKey`].
///
/// The syntax mirrors `std::thread_local!`, without an initialiser: a
/// task-local has a value only inside [`LocalKey::scope`] or
/// [`LocalKey::sync_scope`].
///
/// ```
/// weft::task_local! {
///     /// The id of the request being served.
///     pub static REQUEST_ID: u64;
///     static USER: String;
/// }
///
/// #[weft::main(flavor = "current_thread")]
/// async fn main() {
///     REQUEST_ID
///         .scope(7, async {
///             assert_eq!(REQUEST_ID.get(), 7);
///         })
///         .await;
///     assert!(USER.try_with(|_| ()).is_err());
/// }
/// ```
#[macro_export]
macro_rules! task_local {
    () => {};

    ($(#[$attr:meta])* $vis:vis static $name:ident: $t:ty; $($rest:tt)*) => {
        $crate::__task_local_inner!($(#[$attr])* $vis $name, $t);
        $crate::task_local!($($rest)*);
    };

    ($(#[$attr:meta])* $vis:vis static $name:ident: $t:ty) => {
        $crate::__task_local_inner!($(#[$attr])* $vis $name, $t);
    };
}

#[doc(hidden)]
#[macro_export]
macro_rules! __task_local_inner {
    ($(#[$attr:meta])* $vis:vis $name:ident, $t:ty) => {
        $(#[$attr])*
        $vis static $name: $crate::task::LocalKey<$t> = {
            ::std::thread_local! {
                static __WEFT_TASK_LOCAL: ::std::cell::RefCell<::std::option::Option<$t>> =
                    const { ::std::cell::RefCell::new(::std::option::Option::None) };
            }
            $crate::task::LocalKey::__new(__WEFT_TASK_LOCAL)
        };
    };
}

/// A key for task-local data, declared with [`task_local!`](crate::task_local).
///
/// The value is set for the duration of a future with [`scope`](Self::scope)
/// (or of a closure with [`sync_scope`](Self::sync_scope)) and read inside
/// it with [`with`](Self::with), [`try_with`](Self::try_with) or
/// [`get`](Self::get). Scopes nest: an inner scope shadows the outer value
/// and restores it when the inner future is not being polled.
pub struct LocalKey<T: 'static> {
    slot: std::thread::LocalKey<RefCell<Option<T>>>,
}

impl<T: 'static> LocalKey<T> {
    /// Used by [`task_local!`](crate::task_local); not public API.
    #[doc(hidden)]
    pub const fn __new(slot: std::thread::LocalKey<RefCell<Option<T>>>) -> LocalKey<T> {
        LocalKey { slot }
    }

    /// Wraps `future` so that this key holds `value` whenever the future
    /// is polled (and when it is dropped).
    ///
    /// The value is dropped with the returned future, or can be taken back
    /// with [`TaskLocalFuture::take_value`].
    ///
    /// ```
    /// weft::task_local! {
    ///     static DEPTH: u32;
    /// }
    ///
    /// #[weft::main(flavor = "current_thread")]
    /// async fn main() {
    ///     DEPTH
    ///         .scope(1, async {
    ///             assert_eq!(DEPTH.get(), 1);
    ///             DEPTH.scope(2, async { assert_eq!(DEPTH.get(), 2) }).await;
    ///             assert_eq!(DEPTH.get(), 1);
    ///         })
    ///         .await;
    /// }
    /// ```
    pub fn scope<F: Future>(&'static self, value: T, future: F) -> TaskLocalFuture<T, F> {
        TaskLocalFuture { key: self, value: Some(value), future: Some(future), _pinned: PhantomPinned }
    }

    /// Runs `f` with this key set to `value`, and returns what it returns.
    ///
    /// # Panics
    ///
    /// Panics if called inside [`with`](Self::with) of the same key (the
    /// value is borrowed and cannot be replaced), or while the thread is
    /// being torn down.
    ///
    /// ```
    /// weft::task_local! {
    ///     static NAME: &'static str;
    /// }
    ///
    /// let len = NAME.sync_scope("weft", || NAME.with(|name| name.len()));
    /// assert_eq!(len, 4);
    /// ```
    #[track_caller]
    pub fn sync_scope<F: FnOnce() -> R, R>(&'static self, value: T, f: F) -> R {
        let mut value = Some(value);
        let _guard = self.enter(&mut value).unwrap_or_else(|e| e.panic());
        f()
    }

    /// Swaps `value` into the slot; the guard swaps it back when dropped,
    /// also on unwind.
    fn enter<'a>(&'static self, value: &'a mut Option<T>) -> Result<ScopeGuard<'a, T>, ScopeError> {
        self.slot
            .try_with(|cell| {
                let mut slot = cell.try_borrow_mut().map_err(|_| ScopeError::Borrowed)?;
                std::mem::swap(&mut *slot, value);
                Ok(())
            })
            .map_err(|_| ScopeError::Destroyed)??;
        Ok(ScopeGuard { key: self, value })
    }

    /// Calls `f` with a reference to the value of this key in the current
    /// scope.
    ///
    /// # Panics
    ///
    /// Panics outside a [`scope`](Self::scope) or
    /// [`sync_scope`](Self::sync_scope) of this key.
    ///
    /// ```
    /// weft::task_local! {
    ///     static LIMIT: usize;
    /// }
    ///
    /// LIMIT.sync_scope(3, || assert_eq!(LIMIT.with(|l| *l * 2), 6));
    /// ```
    #[track_caller]
    pub fn with<F: FnOnce(&T) -> R, R>(&'static self, f: F) -> R {
        match self.try_with(f) {
            Ok(r) => r,
            Err(_) => panic!(
                "a weft task-local was read outside of its scope: set it first with `LocalKey::scope` \
                 (around a future) or `LocalKey::sync_scope` (around a closure), or use `try_with`"
            ),
        }
    }

    /// Calls `f` with a reference to the value of this key, or returns an
    /// [`AccessError`] outside a scope of the key (or while the thread is
    /// being torn down).
    ///
    /// ```
    /// weft::task_local! {
    ///     static LIMIT: usize;
    /// }
    ///
    /// assert!(LIMIT.try_with(|l| *l).is_err());
    /// assert_eq!(LIMIT.sync_scope(5, || LIMIT.try_with(|l| *l)), Ok(5));
    /// ```
    pub fn try_with<F: FnOnce(&T) -> R, R>(&'static self, f: F) -> Result<R, AccessError> {
        let mut f = Some(f);
        let result = self.slot.try_with(|cell| {
            let slot = cell.borrow();
            slot.as_ref().map(|value| (f.take().expect("called once"))(value))
        });
        match result {
            Ok(Some(r)) => Ok(r),
            _ => Err(AccessError { _private: () }),
        }
    }
}

impl<T: Clone + 'static> LocalKey<T> {
    /// A copy of the value of this key in the current scope.
    ///
    /// # Panics
    ///
    /// Panics outside a scope of this key; see [`try_get`](Self::try_get).
    #[track_caller]
    pub fn get(&'static self) -> T {
        self.with(T::clone)
    }

    /// A copy of the value of this key, or an [`AccessError`] outside a
    /// scope of the key.
    pub fn try_get(&'static self) -> Result<T, AccessError> {
        self.try_with(T::clone)
    }
}

impl<T: 'static> fmt::Debug for LocalKey<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad("LocalKey { .. }")
    }
}

/// Puts the outer value back into the slot when a scope's poll ends.
struct ScopeGuard<'a, T: 'static> {
    key: &'static LocalKey<T>,
    value: &'a mut Option<T>,
}

impl<T: 'static> Drop for ScopeGuard<'_, T> {
    fn drop(&mut self) {
        // The slot was swapped successfully in `enter`, so the thread-local
        // is alive; it cannot be borrowed now, because any `with` borrow
        // taken inside the scope has ended.
        let _ = self.key.slot.try_with(|cell| {
            if let Ok(mut slot) = cell.try_borrow_mut() {
                std::mem::swap(&mut *slot, self.value);
            }
        });
    }
}

#[derive(Debug, Clone, Copy)]
enum ScopeError {
    /// The value is borrowed by a `with` call that is still running.
    Borrowed,
    /// The thread-local storage was already destroyed.
    Destroyed,
}

impl ScopeError {
    #[track_caller]
    fn panic(self) -> ! {
        match self {
            ScopeError::Borrowed => panic!(
                "cannot enter a scope of a weft task-local while its value is borrowed by `LocalKey::with` \
                 of the same key; end the `with` call first"
            ),
            ScopeError::Destroyed => {
                panic!("cannot enter a scope of a weft task-local: this thread's storage was already destroyed")
            }
        }
    }
}

/// The future returned by [`LocalKey::scope`]: runs the inner future with
/// the task-local set.
#[must_use = "futures do nothing unless you `.await` or poll them"]
pub struct TaskLocalFuture<T: 'static, F> {
    key: &'static LocalKey<T>,
    value: Option<T>,
    /// `None` once the future finished (or was dropped early).
    future: Option<F>,
    /// `future` is structurally pinned.
    _pinned: PhantomPinned,
}

impl<T: 'static, F> TaskLocalFuture<T, F> {
    /// Takes the task-local value out of a future that is not being
    /// polled. Returns `None` if it was already taken.
    ///
    /// After this, polling the future runs the inner future without the
    /// value set (reads of the key fail or see an outer scope's value).
    ///
    /// ```
    /// weft::task_local! {
    ///     static KEY: u32;
    /// }
    ///
    /// #[weft::main(flavor = "current_thread")]
    /// async fn main() {
    ///     let mut fut = std::pin::pin!(KEY.scope(42, async {}));
    ///     (&mut fut).await;
    ///     assert_eq!(fut.as_mut().take_value(), Some(42));
    ///     assert_eq!(fut.as_mut().take_value(), None);
    /// }
    /// ```
    pub fn take_value(self: Pin<&mut Self>) -> Option<T> {
        // SAFETY: `value` is not structurally pinned; only `future` is, and
        // it is neither moved nor touched here.
        let this = unsafe { self.get_unchecked_mut() };
        this.value.take()
    }
}

impl<T: 'static, F: Future> Future for TaskLocalFuture<T, F> {
    type Output = F::Output;

    #[track_caller]
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        // SAFETY: `future` is structurally pinned: it is only accessed
        // through `Pin` below and is dropped in place (never moved out);
        // the other fields are not pinned.
        let this = unsafe { self.get_unchecked_mut() };
        let key = this.key;
        let _guard = key.enter(&mut this.value).unwrap_or_else(|e| e.panic());
        let future = this.future.as_mut().expect("a `TaskLocalFuture` was polled after it completed");
        // SAFETY: `this` came from a pinned reference and `future` is
        // structurally pinned, as stated above.
        let output = std::task::ready!(unsafe { Pin::new_unchecked(future) }.poll(cx));
        // Drop the finished future while the value is still set, as a
        // drop during `Drop` would.
        this.future = None;
        Poll::Ready(output)
    }
}

impl<T: 'static, F> Drop for TaskLocalFuture<T, F> {
    fn drop(&mut self) {
        if self.future.is_none() {
            return;
        }
        // The inner future's destructor may read the task-local: drop it
        // (in place, as pinning requires) with the value set, if the value
        // is still there and the slot is usable; otherwise drop it plainly.
        let key = self.key;
        let _guard = key.enter(&mut self.value).ok();
        self.future = None;
    }
}

impl<T: 'static + fmt::Debug, F> fmt::Debug for TaskLocalFuture<T, F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TaskLocalFuture").field("value", &self.value).finish_non_exhaustive()
    }
}

/// Returned by [`LocalKey::try_with`] and [`LocalKey::try_get`] outside a
/// scope of the key.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct AccessError {
    _private: (),
}

impl fmt::Debug for AccessError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AccessError").finish()
    }
}

impl fmt::Display for AccessError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the task-local is not set here: read it inside `LocalKey::scope` or `LocalKey::sync_scope`")
    }
}

impl Error for AccessError {}
