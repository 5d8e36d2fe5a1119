//! `AsyncFd`: readiness events for an arbitrary file descriptor.

use std::error::Error;
use std::fmt;
use std::future::{poll_fn, Future};
use std::io;
use std::os::fd::{AsRawFd, RawFd};
use std::pin::pin;
use std::task::{ready, Context, Poll};

use mio::unix::SourceFd;
use weft_reactor::{Direction, Interest, Ready, ReadyEvent, Registration};
use weft_scheduler::coop;

use crate::runtime::context;

/// A file descriptor registered with the runtime's reactor, so that tasks
/// can wait for it to become readable or writable.
///
/// `AsyncFd` does no I/O itself: it owns an object `T` that exposes a raw
/// descriptor (a socket, a pipe, an eventfd, a device), reports readiness
/// through guards, and leaves the reads and writes to the caller. The
/// descriptor must be in non-blocking mode and must stay open (and be the
/// same descriptor) for as long as the `AsyncFd` lives; dropping the
/// `AsyncFd` deregisters it, then drops `T`.
///
/// Readiness is edge-triggered and sticky: once reported it stays until
/// the caller clears it. The usual loop waits for a guard, tries the
/// operation, and clears readiness only when the operation said
/// `WouldBlock`, which [`AsyncFdReadyGuard::try_io`] does in one step.
///
/// # Examples
///
/// A non-blocking Unix socket pair read through `AsyncFd`:
///
/// ```
/// use std::io::{Read, Write};
/// use std::os::unix::net::UnixStream;
/// use weft::io::unix::AsyncFd;
///
/// #[weft::main]
/// async fn main() -> std::io::Result<()> {
///     let (mut a, b) = UnixStream::pair()?;
///     b.set_nonblocking(true)?;
///     let b = AsyncFd::new(b)?;
///     a.write_all(b"ping")?;
///
///     let mut buf = [0; 4];
///     let n = loop {
///         let mut guard = b.readable().await?;
///         match guard.try_io(|inner| inner.get_ref().read(&mut buf)) {
///             Ok(result) => break result?,
///             Err(_would_block) => continue,
///         }
///     };
///     assert_eq!(&buf[..n], b"ping");
///     Ok(())
/// }
/// ```
pub struct AsyncFd<T: AsRawFd> {
    registration: Registration,
    /// `None` only inside `into_inner`.
    inner: Option<T>,
}

/// The error of [`AsyncFd::try_new`]: the object, given back, and why it
/// could not be registered.
pub struct AsyncFdTryNewError<T> {
    inner: T,
    cause: io::Error,
}

impl<T> AsyncFdTryNewError<T> {
    /// The object and the registration error.
    pub fn into_parts(self) -> (T, io::Error) {
        (self.inner, self.cause)
    }
}

impl<T> fmt::Display for AsyncFdTryNewError<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "could not register the file descriptor with the weft reactor: {}",
            self.cause
        )
    }
}

impl<T> fmt::Debug for AsyncFdTryNewError<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AsyncFdTryNewError")
            .field("cause", &self.cause)
            .finish_non_exhaustive()
    }
}

impl<T> Error for AsyncFdTryNewError<T> {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        Some(&self.cause)
    }
}

impl<T> From<AsyncFdTryNewError<T>> for io::Error {
    fn from(error: AsyncFdTryNewError<T>) -> io::Error {
        error.cause
    }
}

impl<T: AsRawFd> AsyncFd<T> {
    /// Registers `inner`'s descriptor for readable and writable readiness.
    ///
    /// # Errors
    ///
    /// If the reactor refuses the descriptor: it is already registered, it
    /// is a kind epoll cannot watch (a regular file), or the runtime has
    /// shut down.
    ///
    /// # Panics
    ///
    /// Outside a weft runtime, or on one built without I/O.
    #[track_caller]
    pub fn new(inner: T) -> io::Result<AsyncFd<T>> {
        AsyncFd::with_interest(inner, Interest::READABLE | Interest::WRITABLE)
    }

    /// Registers `inner`'s descriptor for `interest` only.
    ///
    /// # Errors
    ///
    /// As for [`new`](Self::new).
    ///
    /// # Panics
    ///
    /// As for [`new`](Self::new).
    #[track_caller]
    pub fn with_interest(inner: T, interest: Interest) -> io::Result<AsyncFd<T>> {
        AsyncFd::try_with_interest(inner, interest).map_err(io::Error::from)
    }

    /// Like [`new`](Self::new), but gives `inner` back on failure.
    ///
    /// # Errors
    ///
    /// As for [`new`](Self::new), with the object.
    ///
    /// # Panics
    ///
    /// As for [`new`](Self::new).
    #[track_caller]
    pub fn try_new(inner: T) -> Result<AsyncFd<T>, AsyncFdTryNewError<T>> {
        AsyncFd::try_with_interest(inner, Interest::READABLE | Interest::WRITABLE)
    }

    /// Like [`with_interest`](Self::with_interest), but gives `inner` back
    /// on failure.
    ///
    /// # Errors
    ///
    /// As for [`new`](Self::new), with the object.
    ///
    /// # Panics
    ///
    /// As for [`new`](Self::new).
    #[track_caller]
    pub fn try_with_interest(
        inner: T,
        interest: Interest,
    ) -> Result<AsyncFd<T>, AsyncFdTryNewError<T>> {
        let handle = context::current();
        let fd = inner.as_raw_fd();
        match handle.io().register(&mut SourceFd(&fd), interest.into()) {
            Ok(registration) => Ok(AsyncFd {
                registration,
                inner: Some(inner),
            }),
            Err(cause) => Err(AsyncFdTryNewError { inner, cause }),
        }
    }

    /// The object.
    pub fn get_ref(&self) -> &T {
        self.inner
            .as_ref()
            .expect("AsyncFd holds its object until dropped")
    }

    /// The object, mutably.
    pub fn get_mut(&mut self) -> &mut T {
        self.inner
            .as_mut()
            .expect("AsyncFd holds its object until dropped")
    }

    /// Deregisters the descriptor and gives the object back.
    pub fn into_inner(mut self) -> T {
        let inner = self
            .inner
            .take()
            .expect("AsyncFd holds its object until dropped");
        let fd = inner.as_raw_fd();
        // The descriptor stays open; a refusal means it was never watched.
        let _ = self.registration.deregister(&mut SourceFd(&fd));
        inner
    }

    fn poll_direction(
        &self,
        cx: &mut Context<'_>,
        direction: Direction,
    ) -> Poll<io::Result<ReadyEvent>> {
        let restore = ready!(coop::poll_proceed(cx));
        let event = ready!(self.registration.poll_ready(cx, direction));
        restore.made_progress();
        Poll::Ready(event)
    }

    /// Polls for read readiness. Like `AsyncRead`, only the task that
    /// polled last is woken; use [`readable`](Self::readable) to wait from
    /// several tasks.
    ///
    /// # Errors
    ///
    /// Once the runtime has shut down.
    pub fn poll_read_ready<'a>(
        &'a self,
        cx: &mut Context<'_>,
    ) -> Poll<io::Result<AsyncFdReadyGuard<'a, T>>> {
        let event = ready!(self.poll_direction(cx, Direction::Read))?;
        Poll::Ready(Ok(AsyncFdReadyGuard {
            fd: self,
            event: Some(event),
        }))
    }

    /// Polls for read readiness, giving a guard with mutable access.
    ///
    /// # Errors
    ///
    /// Once the runtime has shut down.
    pub fn poll_read_ready_mut<'a>(
        &'a mut self,
        cx: &mut Context<'_>,
    ) -> Poll<io::Result<AsyncFdReadyMutGuard<'a, T>>> {
        let event = ready!(self.poll_direction(cx, Direction::Read))?;
        Poll::Ready(Ok(AsyncFdReadyMutGuard {
            fd: self,
            event: Some(event),
        }))
    }

    /// Polls for write readiness; see [`poll_read_ready`](Self::poll_read_ready).
    ///
    /// # Errors
    ///
    /// Once the runtime has shut down.
    pub fn poll_write_ready<'a>(
        &'a self,
        cx: &mut Context<'_>,
    ) -> Poll<io::Result<AsyncFdReadyGuard<'a, T>>> {
        let event = ready!(self.poll_direction(cx, Direction::Write))?;
        Poll::Ready(Ok(AsyncFdReadyGuard {
            fd: self,
            event: Some(event),
        }))
    }

    /// Polls for write readiness, giving a guard with mutable access.
    ///
    /// # Errors
    ///
    /// Once the runtime has shut down.
    pub fn poll_write_ready_mut<'a>(
        &'a mut self,
        cx: &mut Context<'_>,
    ) -> Poll<io::Result<AsyncFdReadyMutGuard<'a, T>>> {
        let event = ready!(self.poll_direction(cx, Direction::Write))?;
        Poll::Ready(Ok(AsyncFdReadyMutGuard {
            fd: self,
            event: Some(event),
        }))
    }

    async fn readiness(&self, interest: Interest) -> io::Result<ReadyEvent> {
        let mut wait = pin!(self.registration.readiness(interest));
        poll_fn(|cx| {
            let restore = ready!(coop::poll_proceed(cx));
            let event = ready!(wait.as_mut().poll(cx));
            restore.made_progress();
            Poll::Ready(event)
        })
        .await
    }

    /// Waits until the descriptor is ready for any of `interest`. Any
    /// number of tasks may wait at once; cancel-safe.
    ///
    /// # Errors
    ///
    /// Once the runtime has shut down.
    pub async fn ready(&self, interest: Interest) -> io::Result<AsyncFdReadyGuard<'_, T>> {
        let event = self.readiness(interest).await?;
        Ok(AsyncFdReadyGuard {
            fd: self,
            event: Some(event),
        })
    }

    /// Waits like [`ready`](Self::ready), giving a guard with mutable access.
    ///
    /// # Errors
    ///
    /// Once the runtime has shut down.
    pub async fn ready_mut(
        &mut self,
        interest: Interest,
    ) -> io::Result<AsyncFdReadyMutGuard<'_, T>> {
        let event = self.readiness(interest).await?;
        Ok(AsyncFdReadyMutGuard {
            fd: self,
            event: Some(event),
        })
    }

    /// Waits until the descriptor is readable (or read-closed, or has an
    /// error).
    ///
    /// # Errors
    ///
    /// Once the runtime has shut down.
    pub async fn readable(&self) -> io::Result<AsyncFdReadyGuard<'_, T>> {
        self.ready(Interest::READABLE).await
    }

    /// Waits until readable, giving a guard with mutable access.
    ///
    /// # Errors
    ///
    /// Once the runtime has shut down.
    pub async fn readable_mut(&mut self) -> io::Result<AsyncFdReadyMutGuard<'_, T>> {
        self.ready_mut(Interest::READABLE).await
    }

    /// Waits until the descriptor is writable (or write-closed, or has an
    /// error).
    ///
    /// # Errors
    ///
    /// Once the runtime has shut down.
    pub async fn writable(&self) -> io::Result<AsyncFdReadyGuard<'_, T>> {
        self.ready(Interest::WRITABLE).await
    }

    /// Waits until writable, giving a guard with mutable access.
    ///
    /// # Errors
    ///
    /// Once the runtime has shut down.
    pub async fn writable_mut(&mut self) -> io::Result<AsyncFdReadyMutGuard<'_, T>> {
        self.ready_mut(Interest::WRITABLE).await
    }

    /// Waits for `interest`, runs `f`, and on `WouldBlock` clears the
    /// readiness and waits again.
    ///
    /// # Errors
    ///
    /// Whatever `f` returns other than `WouldBlock`; the shutdown error.
    pub async fn async_io<R>(
        &self,
        interest: Interest,
        mut f: impl FnMut(&T) -> io::Result<R>,
    ) -> io::Result<R> {
        loop {
            let mut guard = self.ready(interest).await?;
            if let Ok(result) = guard.try_io(|fd| f(fd.get_ref())) {
                return result;
            }
        }
    }

    /// Like [`async_io`](Self::async_io) with mutable access to the object.
    ///
    /// # Errors
    ///
    /// Whatever `f` returns other than `WouldBlock`; the shutdown error.
    pub async fn async_io_mut<R>(
        &mut self,
        interest: Interest,
        mut f: impl FnMut(&mut T) -> io::Result<R>,
    ) -> io::Result<R> {
        loop {
            let mut guard = self.ready_mut(interest).await?;
            if let Ok(result) = guard.try_io(|fd| f(fd.get_mut())) {
                return result;
            }
        }
    }
}

impl<T: AsRawFd> AsRawFd for AsyncFd<T> {
    fn as_raw_fd(&self) -> RawFd {
        self.get_ref().as_raw_fd()
    }
}

impl<T: AsRawFd> Drop for AsyncFd<T> {
    fn drop(&mut self) {
        if let Some(inner) = &self.inner {
            let fd = inner.as_raw_fd();
            let _ = self.registration.deregister(&mut SourceFd(&fd));
        }
    }
}

impl<T: AsRawFd + fmt::Debug> fmt::Debug for AsyncFd<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AsyncFd")
            .field("inner", &self.inner)
            .finish()
    }
}

/// The error [`AsyncFdReadyGuard::try_io`] returns when the operation would
/// block: the readiness was cleared and the caller should wait again.
#[derive(Debug)]
pub struct TryIoError(());

impl fmt::Display for TryIoError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the operation would block; readiness was cleared, wait for it again")
    }
}

impl Error for TryIoError {}

/// Readiness of an [`AsyncFd`], observed by `readable`, `writable`,
/// `ready` or a `poll_*_ready` method.
///
/// Dropping the guard keeps the readiness: the next wait returns at once.
/// Call [`clear_ready`](Self::clear_ready) after an operation returned
/// `WouldBlock`, or use [`try_io`](Self::try_io), which does it for you.
#[must_use = "a guard does nothing unless its readiness is used or cleared"]
pub struct AsyncFdReadyGuard<'a, T: AsRawFd> {
    fd: &'a AsyncFd<T>,
    event: Option<ReadyEvent>,
}

/// Like [`AsyncFdReadyGuard`], with mutable access to the object.
#[must_use = "a guard does nothing unless its readiness is used or cleared"]
pub struct AsyncFdReadyMutGuard<'a, T: AsRawFd> {
    fd: &'a mut AsyncFd<T>,
    event: Option<ReadyEvent>,
}

macro_rules! guard_common {
    () => {
        /// Forgets the observed readiness, so the next wait sleeps until
        /// the reactor reports a new event. Call it only after an
        /// operation returned `WouldBlock`, or the task may sleep forever.
        /// Readiness that arrived after the observation is kept.
        pub fn clear_ready(&mut self) {
            if let Some(event) = self.event.take() {
                self.fd.registration.clear_readiness(event);
            }
        }

        /// Forgets only the parts of the observed readiness in `ready`
        /// (for example `Ready::READABLE` after a read returned
        /// `WouldBlock`, keeping a writable observation).
        pub fn clear_ready_matching(&mut self, ready: Ready) {
            if let Some(event) = self.event {
                self.fd.registration.clear_readiness(event.intersect(ready));
                let left = event.ready() - ready;
                self.event = if left.is_empty() {
                    None
                } else {
                    Some(event.intersect(left))
                };
            }
        }

        /// Keeps the readiness; the same as dropping the guard.
        pub fn retain_ready(&mut self) {}

        /// The readiness this guard observed (empty once cleared).
        pub fn ready(&self) -> Ready {
            self.event.map_or(Ready::EMPTY, ReadyEvent::ready)
        }
    };
}

impl<'a, T: AsRawFd> AsyncFdReadyGuard<'a, T> {
    guard_common!();

    /// Runs `f`; if it returns `WouldBlock`, clears the readiness and
    /// returns `Err(TryIoError)` so the caller waits again, otherwise
    /// returns `Ok` with its result.
    ///
    /// # Errors
    ///
    /// [`TryIoError`] when `f` would block.
    pub fn try_io<R>(
        &mut self,
        f: impl FnOnce(&'a AsyncFd<T>) -> io::Result<R>,
    ) -> Result<io::Result<R>, TryIoError> {
        match f(self.fd) {
            Err(error) if error.kind() == io::ErrorKind::WouldBlock => {
                self.clear_ready();
                Err(TryIoError(()))
            }
            result => Ok(result),
        }
    }

    /// The `AsyncFd` this guard belongs to.
    pub fn get_ref(&self) -> &'a AsyncFd<T> {
        self.fd
    }

    /// The object inside the `AsyncFd`.
    pub fn get_inner(&self) -> &'a T {
        self.fd.get_ref()
    }
}

impl<T: AsRawFd> AsyncFdReadyMutGuard<'_, T> {
    guard_common!();

    /// Runs `f`; if it returns `WouldBlock`, clears the readiness and
    /// returns `Err(TryIoError)`, otherwise `Ok` with its result.
    ///
    /// # Errors
    ///
    /// [`TryIoError`] when `f` would block.
    pub fn try_io<R>(
        &mut self,
        f: impl FnOnce(&mut AsyncFd<T>) -> io::Result<R>,
    ) -> Result<io::Result<R>, TryIoError> {
        match f(self.fd) {
            Err(error) if error.kind() == io::ErrorKind::WouldBlock => {
                self.clear_ready();
                Err(TryIoError(()))
            }
            result => Ok(result),
        }
    }

    /// The `AsyncFd` this guard belongs to.
    pub fn get_ref(&self) -> &AsyncFd<T> {
        self.fd
    }

    /// The `AsyncFd`, mutably.
    pub fn get_mut(&mut self) -> &mut AsyncFd<T> {
        self.fd
    }

    /// The object inside the `AsyncFd`.
    pub fn get_inner(&self) -> &T {
        self.fd.get_ref()
    }

    /// The object inside the `AsyncFd`, mutably.
    pub fn get_inner_mut(&mut self) -> &mut T {
        self.fd.get_mut()
    }
}

impl<T: AsRawFd + fmt::Debug> fmt::Debug for AsyncFdReadyGuard<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AsyncFdReadyGuard")
            .field("fd", self.fd)
            .field("ready", &self.ready())
            .finish()
    }
}

impl<T: AsRawFd + fmt::Debug> fmt::Debug for AsyncFdReadyMutGuard<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AsyncFdReadyMutGuard")
            .field("fd", &self.fd)
            .field("ready", &self.ready())
            .finish()
    }
}
