//! Errors the driver reports itself (the operating system reports the rest).

use std::error::Error;
use std::fmt;
use std::io;

/// The text of the error every operation returns once the driver is gone.
pub(crate) const SHUTDOWN_MESSAGE: &str = "the weft runtime that owned this socket has shut down";

/// The payload of [`shutdown_error`]. Its own type, so that
/// [`is_shutdown_error`] recognises the error by type rather than by text: an
/// `io::Error` that merely carries the same words is not mistaken for it.
#[derive(Debug)]
struct Shutdown;

impl fmt::Display for Shutdown {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(SHUTDOWN_MESSAGE)
    }
}

impl Error for Shutdown {}

/// The error a registration reports after its driver shut down: the owning
/// runtime was dropped or shut down, and no more readiness will arrive.
pub(crate) fn shutdown_error() -> io::Error {
    io::Error::other(Shutdown)
}

/// `true` if `error` is the one this crate returns once its driver has shut
/// down: from every operation of a [`Registration`](crate::Registration) or
/// [`PollEvented`](crate::PollEvented), and from [`Handle::register`](crate::Handle::register).
/// `false` for every other error, OS errors included.
///
/// Code that keeps a socket longer than its runtime can use it to tell
/// "the runtime is gone" from a failure of the socket itself.
///
/// # Examples
///
/// ```
/// use std::task::{Context, Poll};
/// use weft_reactor::{is_shutdown_error, Driver};
/// # struct Nop;
/// # impl std::task::Wake for Nop { fn wake(self: std::sync::Arc<Self>) {} }
/// # let waker = std::task::Waker::from(std::sync::Arc::new(Nop));
///
/// let driver = Driver::new()?;
/// let mut socket = mio::net::UdpSocket::bind("127.0.0.1:0".parse().unwrap())?;
/// let registration = driver.handle().register(&mut socket, mio::Interest::READABLE)?;
/// drop(driver);
///
/// let mut cx = Context::from_waker(&waker);
/// let Poll::Ready(Err(error)) = registration.poll_read_ready(&mut cx) else {
///     panic!("a registration of a dropped driver must fail");
/// };
/// assert!(is_shutdown_error(&error));
/// assert!(!is_shutdown_error(&std::io::Error::other(error.to_string())));
/// # Ok::<(), std::io::Error>(())
/// ```
pub fn is_shutdown_error(error: &io::Error) -> bool {
    error.kind() == io::ErrorKind::Other && error.get_ref().is_some_and(|inner| inner.is::<Shutdown>())
}
