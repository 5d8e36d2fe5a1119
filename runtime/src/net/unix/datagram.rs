//! `UnixDatagram`: datagrams over Unix-domain sockets.

use std::io;
use std::net::Shutdown;
use std::path::Path;
use std::task::{Context, Poll};

use weft_reactor::Direction;

use super::SocketAddr;
use crate::io::evented::Evented;
use crate::io::{Interest, Ready};

/// A Unix-domain datagram socket. Datagrams keep their boundaries and are
/// never reordered or lost on the local host (a full receiver makes the
/// sender wait).
///
/// # Examples
///
/// ```
/// use weft::net::UnixDatagram;
///
/// #[weft::main]
/// async fn main() -> std::io::Result<()> {
///     let (a, b) = UnixDatagram::pair()?;
///     a.send(b"one").await?;
///     a.send(b"two").await?;
///     let mut buf = [0; 8];
///     let n = b.recv(&mut buf).await?;
///     assert_eq!(&buf[..n], b"one");
///     let n = b.recv(&mut buf).await?;
///     assert_eq!(&buf[..n], b"two");
///     Ok(())
/// }
/// ```
pub struct UnixDatagram {
    io: Evented<mio::net::UnixDatagram>,
}

impl UnixDatagram {
    /// A socket bound to `path`, creating the socket file.
    ///
    /// # Errors
    ///
    /// `AddrInUse` if the file exists; any error of the socket.
    ///
    /// # Panics
    ///
    /// Outside a weft runtime, or on one built without I/O.
    #[track_caller]
    pub fn bind(path: impl AsRef<Path>) -> io::Result<UnixDatagram> {
        UnixDatagram::new(mio::net::UnixDatagram::bind(path)?)
    }

    /// A socket bound to no address: it can send, and receive replies only
    /// after [`connect`](Self::connect) (or from a `pair`).
    ///
    /// # Errors
    ///
    /// If the OS cannot create the socket.
    ///
    /// # Panics
    ///
    /// Outside a weft runtime, or on one built without I/O.
    #[track_caller]
    pub fn unbound() -> io::Result<UnixDatagram> {
        UnixDatagram::new(mio::net::UnixDatagram::unbound()?)
    }

    /// Two connected, unnamed sockets.
    ///
    /// # Errors
    ///
    /// If the OS cannot create the sockets.
    ///
    /// # Panics
    ///
    /// Outside a weft runtime, or on one built without I/O.
    #[track_caller]
    pub fn pair() -> io::Result<(UnixDatagram, UnixDatagram)> {
        let (a, b) = mio::net::UnixDatagram::pair()?;
        Ok((UnixDatagram::new(a)?, UnixDatagram::new(b)?))
    }

    #[track_caller]
    fn new(socket: mio::net::UnixDatagram) -> io::Result<UnixDatagram> {
        Ok(UnixDatagram {
            io: Evented::new(socket, mio::Interest::READABLE | mio::Interest::WRITABLE)?,
        })
    }

    /// Wraps a standard-library socket, switching it to non-blocking mode.
    ///
    /// # Errors
    ///
    /// If the socket cannot be made non-blocking or registered.
    ///
    /// # Panics
    ///
    /// Outside a weft runtime, or on one built without I/O.
    #[track_caller]
    pub fn from_std(socket: std::os::unix::net::UnixDatagram) -> io::Result<UnixDatagram> {
        socket.set_nonblocking(true)?;
        UnixDatagram::new(mio::net::UnixDatagram::from_std(socket))
    }

    /// Deregisters the socket and returns it as a standard-library socket,
    /// still in non-blocking mode.
    ///
    /// # Errors
    ///
    /// If the socket cannot be deregistered.
    pub fn into_std(self) -> io::Result<std::os::unix::net::UnixDatagram> {
        Ok(self.io.into_inner()?.into())
    }

    /// Sets the default peer for [`send`](Self::send) and
    /// [`recv`](Self::recv).
    ///
    /// # Errors
    ///
    /// If nothing is bound at `path`; any error of the socket.
    pub fn connect(&self, path: impl AsRef<Path>) -> io::Result<()> {
        self.io.get().connect(path)
    }

    /// Sends a datagram to the connected peer.
    ///
    /// # Errors
    ///
    /// `NotConnected` without a peer; any error of the socket.
    pub async fn send(&self, buf: &[u8]) -> io::Result<usize> {
        self.io.async_io(Interest::WRITABLE, |s| s.send(buf)).await
    }

    /// Sends a datagram to the connected peer if that is possible now.
    ///
    /// # Errors
    ///
    /// `WouldBlock` if the socket is not writable now.
    pub fn try_send(&self, buf: &[u8]) -> io::Result<usize> {
        self.io.try_io(Interest::WRITABLE, |s| s.send(buf))
    }

    /// Polls to send a datagram to the connected peer.
    ///
    /// # Errors
    ///
    /// As for [`send`](Self::send).
    pub fn poll_send(&self, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        self.io.poll_io(cx, Direction::Write, |s| s.send(buf))
    }

    /// Receives a datagram from the connected peer.
    ///
    /// # Errors
    ///
    /// Any error of the socket.
    pub async fn recv(&self, buf: &mut [u8]) -> io::Result<usize> {
        self.io.async_io(Interest::READABLE, |s| s.recv(buf)).await
    }

    /// Receives a datagram if one is waiting.
    ///
    /// # Errors
    ///
    /// `WouldBlock` if none is waiting.
    pub fn try_recv(&self, buf: &mut [u8]) -> io::Result<usize> {
        self.io.try_io(Interest::READABLE, |s| s.recv(buf))
    }

    /// Polls to receive a datagram.
    ///
    /// # Errors
    ///
    /// As for [`recv`](Self::recv).
    pub fn poll_recv(&self, cx: &mut Context<'_>, buf: &mut [u8]) -> Poll<io::Result<usize>> {
        self.io.poll_io(cx, Direction::Read, |s| s.recv(buf))
    }

    /// Sends a datagram to the socket bound at `target`.
    ///
    /// # Errors
    ///
    /// If nothing is bound there; any error of the socket.
    pub async fn send_to(&self, buf: &[u8], target: impl AsRef<Path>) -> io::Result<usize> {
        let target = target.as_ref();
        self.io
            .async_io(Interest::WRITABLE, |s| s.send_to(buf, target))
            .await
    }

    /// Sends a datagram to `target` if that is possible now.
    ///
    /// # Errors
    ///
    /// `WouldBlock` if the socket is not writable now.
    pub fn try_send_to(&self, buf: &[u8], target: impl AsRef<Path>) -> io::Result<usize> {
        self.io
            .try_io(Interest::WRITABLE, |s| s.send_to(buf, target))
    }

    /// Receives a datagram and the address of its sender.
    ///
    /// # Errors
    ///
    /// Any error of the socket.
    pub async fn recv_from(&self, buf: &mut [u8]) -> io::Result<(usize, SocketAddr)> {
        self.io
            .async_io(Interest::READABLE, |s| s.recv_from(buf))
            .await
    }

    /// Receives a datagram and its sender if one is waiting.
    ///
    /// # Errors
    ///
    /// `WouldBlock` if none is waiting.
    pub fn try_recv_from(&self, buf: &mut [u8]) -> io::Result<(usize, SocketAddr)> {
        self.io.try_io(Interest::READABLE, |s| s.recv_from(buf))
    }

    /// Waits until the socket is ready for any of `interest`.
    ///
    /// # Errors
    ///
    /// The shutdown error once the runtime is gone.
    pub async fn ready(&self, interest: Interest) -> io::Result<Ready> {
        self.io.ready(interest).await
    }

    /// Waits until a datagram can be received.
    ///
    /// # Errors
    ///
    /// The shutdown error once the runtime is gone.
    pub async fn readable(&self) -> io::Result<()> {
        self.io.readable().await
    }

    /// Waits until a datagram can be sent.
    ///
    /// # Errors
    ///
    /// The shutdown error once the runtime is gone.
    pub async fn writable(&self) -> io::Result<()> {
        self.io.writable().await
    }

    /// The local address.
    ///
    /// # Errors
    ///
    /// Any error of the socket.
    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        self.io.get().local_addr()
    }

    /// The connected peer's address.
    ///
    /// # Errors
    ///
    /// `NotConnected` without a peer.
    pub fn peer_addr(&self) -> io::Result<SocketAddr> {
        self.io.get().peer_addr()
    }

    /// Shuts down reading, writing or both.
    ///
    /// # Errors
    ///
    /// Any error of the socket.
    pub fn shutdown(&self, how: Shutdown) -> io::Result<()> {
        self.io.get().shutdown(how)
    }

    /// Takes the socket's pending error (`SO_ERROR`), if any.
    ///
    /// # Errors
    ///
    /// If the option cannot be read.
    pub fn take_error(&self) -> io::Result<Option<io::Error>> {
        self.io.get().take_error()
    }
}

socket_traits!(UnixDatagram);
