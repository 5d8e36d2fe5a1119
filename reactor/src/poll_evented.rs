//! A mio source bundled with its registration.

use std::fmt;
use std::io;
use std::ops::Deref;
use std::task::{Context, Poll};

use mio::event::Source;

use crate::{Direction, Handle, Registration};

/// A mio source together with its [`Registration`]: the building block of
/// socket types. Dropping it deregisters the source, then frees the slot.
///
/// Dereferences to the source, so its non-blocking methods are at hand.
///
/// # Examples
///
/// ```
/// use std::io;
/// use std::task::{Context, Poll};
/// use weft_reactor::{Direction, Driver, PollEvented};
///
/// struct UdpSocket(PollEvented<mio::net::UdpSocket>);
///
/// impl UdpSocket {
///     fn poll_recv(&self, cx: &mut Context<'_>, buf: &mut [u8]) -> Poll<io::Result<usize>> {
///         self.0.poll_io(cx, Direction::Read, |socket| socket.recv(buf))
///     }
/// }
///
/// let driver = Driver::new()?;
/// let socket = mio::net::UdpSocket::bind("127.0.0.1:0".parse().unwrap())?;
/// let socket = UdpSocket(PollEvented::new(socket, &driver.handle(), mio::Interest::READABLE)?);
/// # let _ = socket.0.local_addr()?;
/// # let _ = UdpSocket::poll_recv;
/// # Ok::<(), io::Error>(())
/// ```
pub struct PollEvented<E: Source> {
    /// `None` only during `into_inner` and drop.
    io: Option<E>,
    registration: Registration,
}

impl<E: Source> PollEvented<E> {
    /// Registers `io` with the driver of `handle` for `interest`.
    ///
    /// # Errors
    ///
    /// As for [`Handle::register`].
    pub fn new(mut io: E, handle: &Handle, interest: mio::Interest) -> io::Result<PollEvented<E>> {
        let registration = handle.register(&mut io, interest)?;
        Ok(PollEvented { io: Some(io), registration })
    }

    /// The registration, for readiness calls.
    pub fn registration(&self) -> &Registration {
        &self.registration
    }

    /// Runs `f` on the source once it is ready in `direction`, waiting again
    /// after each `WouldBlock`; see [`Registration::poll_io`].
    ///
    /// # Errors
    ///
    /// As for [`Registration::poll_io`].
    pub fn poll_io<R>(
        &self,
        cx: &mut Context<'_>,
        direction: Direction,
        mut f: impl FnMut(&E) -> io::Result<R>,
    ) -> Poll<io::Result<R>> {
        let io = self.source();
        self.registration.poll_io(cx, direction, || f(io))
    }

    /// Deregisters the source and gives it back.
    ///
    /// # Errors
    ///
    /// If the OS refuses to deregister the source.
    pub fn into_inner(mut self) -> io::Result<E> {
        let mut io = self.io.take().expect("PollEvented holds its source until dropped");
        self.registration.deregister(&mut io)?;
        Ok(io)
    }

    fn source(&self) -> &E {
        self.io.as_ref().expect("PollEvented holds its source until dropped")
    }
}

impl<E: Source> Deref for PollEvented<E> {
    type Target = E;

    fn deref(&self) -> &E {
        self.source()
    }
}

impl<E: Source> Drop for PollEvented<E> {
    fn drop(&mut self) {
        if let Some(mut io) = self.io.take() {
            // The source is closed right after; a refusal changes nothing.
            let _ = self.registration.deregister(&mut io);
        }
    }
}

impl<E: Source + fmt::Debug> fmt::Debug for PollEvented<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PollEvented").field("io", &self.io).field("registration", &self.registration).finish()
    }
}
