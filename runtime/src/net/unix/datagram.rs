//! `UnixDatagram`: datagrams over Unix-domain sockets.

use std::io;
use std::net::Shutdown;
use std::os::fd::{AsFd, AsRawFd, BorrowedFd};
use std::path::Path;
use std::task::{Context, Poll};

use bytes::BufMut;
use tokio::io::ReadBuf;
use weft_reactor::Direction;

use super::SocketAddr;
use crate::io::evented::Evented;
use crate::io::sys;
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
    pub fn bind<P>(path: P) -> io::Result<UnixDatagram>
    where
        P: AsRef<Path>,
    {
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
    pub fn connect<P: AsRef<Path>>(&self, path: P) -> io::Result<()> {
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

    /// Polls to receive a datagram into the unfilled part of `buf`, which
    /// is advanced by the datagram's length. A datagram longer than the
    /// room left in `buf` is truncated. Only the last task to poll is
    /// woken.
    ///
    /// # Errors
    ///
    /// As for [`recv`](Self::recv).
    ///
    /// # Examples
    ///
    /// ```
    /// use std::future::poll_fn;
    /// use weft::io::ReadBuf;
    /// use weft::net::UnixDatagram;
    ///
    /// #[weft::main]
    /// async fn main() -> std::io::Result<()> {
    ///     let (a, b) = UnixDatagram::pair()?;
    ///     a.send(b"polled").await?;
    ///     let mut storage = [0; 16];
    ///     let mut buf = ReadBuf::new(&mut storage);
    ///     poll_fn(|cx| b.poll_recv(cx, &mut buf)).await?;
    ///     assert_eq!(buf.filled(), b"polled");
    ///     Ok(())
    /// }
    /// ```
    pub fn poll_recv(&self, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        self.io
            .poll_io(cx, Direction::Read, |s| sys::read_buf(s.as_raw_fd(), buf))
            .map_ok(drop)
    }

    /// Polls to receive a datagram into the unfilled part of `buf`,
    /// returning its sender. A datagram longer than the room left in `buf`
    /// is truncated. Only the last task to poll is woken.
    ///
    /// # Errors
    ///
    /// As for [`recv_from`](Self::recv_from).
    ///
    /// # Examples
    ///
    /// ```
    /// use std::future::poll_fn;
    /// use weft::io::ReadBuf;
    /// use weft::net::UnixDatagram;
    ///
    /// #[weft::main]
    /// async fn main() -> std::io::Result<()> {
    ///     let (a, b) = UnixDatagram::pair()?;
    ///     a.send(b"from a pair").await?;
    ///     let mut storage = [0; 16];
    ///     let mut buf = ReadBuf::new(&mut storage);
    ///     let from = poll_fn(|cx| b.poll_recv_from(cx, &mut buf)).await?;
    ///     assert_eq!(buf.filled(), b"from a pair");
    ///     assert!(from.is_unnamed());
    ///     Ok(())
    /// }
    /// ```
    pub fn poll_recv_from(
        &self,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<SocketAddr>> {
        self.io
            .poll_io(cx, Direction::Read, |s| recv_from_buf(s.as_fd(), buf))
            .map_ok(|(_, from)| from)
    }

    /// Receives a datagram into the spare capacity of `buf` (its
    /// [`chunk_mut`](BufMut::chunk_mut)), advancing `buf` by its length.
    /// A datagram longer than that chunk is truncated. Cancel-safe.
    ///
    /// # Errors
    ///
    /// As for [`recv`](Self::recv).
    ///
    /// # Examples
    ///
    /// ```
    /// use weft::net::UnixDatagram;
    ///
    /// #[weft::main]
    /// async fn main() -> std::io::Result<()> {
    ///     let (a, b) = UnixDatagram::pair()?;
    ///     a.send(b"into a vec").await?;
    ///     let mut buf = Vec::with_capacity(64);
    ///     let n = b.recv_buf(&mut buf).await?;
    ///     assert_eq!((n, &buf[..]), (10, &b"into a vec"[..]));
    ///     Ok(())
    /// }
    /// ```
    pub async fn recv_buf<B: BufMut>(&self, buf: &mut B) -> io::Result<usize> {
        self.io
            .async_io(Interest::READABLE, |s| {
                sys::read_into_spare(buf, |buf| sys::read_buf(s.as_raw_fd(), buf))
            })
            .await
    }

    /// Receives a datagram into the spare capacity of `buf` if one is
    /// waiting, advancing `buf` by its length.
    ///
    /// # Errors
    ///
    /// `WouldBlock` if none is waiting; as for [`recv`](Self::recv).
    pub fn try_recv_buf<B: BufMut>(&self, buf: &mut B) -> io::Result<usize> {
        self.io.try_io(Interest::READABLE, |s| {
            sys::read_into_spare(buf, |buf| sys::read_buf(s.as_raw_fd(), buf))
        })
    }

    /// Sends a datagram to the socket bound at `target`.
    ///
    /// # Errors
    ///
    /// If nothing is bound there; any error of the socket.
    pub async fn send_to<P>(&self, buf: &[u8], target: P) -> io::Result<usize>
    where
        P: AsRef<Path>,
    {
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
    pub fn try_send_to<P>(&self, buf: &[u8], target: P) -> io::Result<usize>
    where
        P: AsRef<Path>,
    {
        self.io
            .try_io(Interest::WRITABLE, |s| s.send_to(buf, target))
    }

    /// Polls to send a datagram to the socket bound at `target`; only the
    /// last task to poll is woken.
    ///
    /// # Errors
    ///
    /// As for [`send_to`](Self::send_to).
    pub fn poll_send_to<P>(
        &self,
        cx: &mut Context<'_>,
        buf: &[u8],
        target: P,
    ) -> Poll<io::Result<usize>>
    where
        P: AsRef<Path>,
    {
        let target = target.as_ref();
        self.io
            .poll_io(cx, Direction::Write, |s| s.send_to(buf, target))
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

    /// Receives a datagram into the spare capacity of `buf` (its
    /// [`chunk_mut`](BufMut::chunk_mut)) and the address of its sender,
    /// advancing `buf` by the datagram's length. A datagram longer than
    /// that chunk is truncated. Cancel-safe.
    ///
    /// # Errors
    ///
    /// As for [`recv_from`](Self::recv_from).
    ///
    /// # Examples
    ///
    /// ```
    /// use weft::net::UnixDatagram;
    ///
    /// #[weft::main]
    /// async fn main() -> std::io::Result<()> {
    ///     let dir = std::env::temp_dir().join(format!("weft-doc-dgram-{}", std::process::id()));
    ///     std::fs::create_dir_all(&dir)?;
    ///     let (server_path, client_path) = (dir.join("server.sock"), dir.join("client.sock"));
    ///     let server = UnixDatagram::bind(&server_path)?;
    ///     let client = UnixDatagram::bind(&client_path)?;
    ///
    ///     client.send_to(b"hello", &server_path).await?;
    ///     let mut buf = Vec::with_capacity(32);
    ///     let (n, from) = server.recv_buf_from(&mut buf).await?;
    ///     assert_eq!(&buf[..n], b"hello");
    ///     assert_eq!(from.as_pathname(), Some(client_path.as_path()));
    ///     std::fs::remove_dir_all(&dir)?;
    ///     Ok(())
    /// }
    /// ```
    pub async fn recv_buf_from<B: BufMut>(&self, buf: &mut B) -> io::Result<(usize, SocketAddr)> {
        self.io
            .async_io(Interest::READABLE, |s| {
                sys::read_into_spare(buf, |buf| recv_from_buf(s.as_fd(), buf))
            })
            .await
    }

    /// Receives a datagram into the spare capacity of `buf`, with its
    /// sender, if one is waiting.
    ///
    /// # Errors
    ///
    /// `WouldBlock` if none is waiting; as for
    /// [`recv_from`](Self::recv_from).
    pub fn try_recv_buf_from<B: BufMut>(&self, buf: &mut B) -> io::Result<(usize, SocketAddr)> {
        self.io.try_io(Interest::READABLE, |s| {
            sys::read_into_spare(buf, |buf| recv_from_buf(s.as_fd(), buf))
        })
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

    /// Polls for receive readiness; only the last task to poll is woken.
    ///
    /// # Errors
    ///
    /// The shutdown error once the runtime is gone.
    pub fn poll_recv_ready(&self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.io.poll_read_ready(cx)
    }

    /// Polls for send readiness; only the last task to poll is woken.
    ///
    /// # Errors
    ///
    /// The shutdown error once the runtime is gone.
    pub fn poll_send_ready(&self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.io.poll_write_ready(cx)
    }

    /// Runs `f` if the socket is ready for `interest` now; clears that
    /// readiness if `f` returns `WouldBlock`. `f` does its own I/O on the
    /// socket (through [`AsRawFd`](std::os::fd::AsRawFd), say).
    ///
    /// # Errors
    ///
    /// `WouldBlock` if not ready; whatever `f` returns.
    pub fn try_io<R>(
        &self,
        interest: Interest,
        f: impl FnOnce() -> io::Result<R>,
    ) -> io::Result<R> {
        self.io.try_io(interest, |_| f())
    }

    /// Waits for `interest` and runs `f`, waiting again each time it
    /// returns `WouldBlock`.
    ///
    /// # Errors
    ///
    /// Whatever `f` returns other than `WouldBlock`; the shutdown error.
    pub async fn async_io<R>(
        &self,
        interest: Interest,
        mut f: impl FnMut() -> io::Result<R>,
    ) -> io::Result<R> {
        self.io.async_io(interest, |_| f()).await
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

socket_traits!(UnixDatagram, from socket: std::os::unix::net::UnixDatagram);

/// Receives one datagram from the Unix socket `fd` into the unfilled part
/// of `buf`, advancing `buf` by its length (cut to the room `buf` had);
/// returns that length and the sender.
fn recv_from_buf(fd: BorrowedFd<'_>, buf: &mut ReadBuf<'_>) -> io::Result<(usize, SocketAddr)> {
    let (n, from) = crate::io::sys::recv_from_sockaddr(fd, buf, 0)?;
    Ok((n, unix_addr(&from)?))
}

/// The standard library's form of a Unix-domain address that `recvfrom`
/// reported.
fn unix_addr(addr: &socket2::SockAddr) -> io::Result<SocketAddr> {
    if let Some(path) = addr.as_pathname() {
        return SocketAddr::from_pathname(path);
    }
    #[cfg(any(target_os = "linux", target_os = "android"))]
    if let Some(name) = addr.as_abstract_namespace() {
        #[cfg(target_os = "android")]
        use std::os::android::net::SocketAddrExt;
        #[cfg(target_os = "linux")]
        use std::os::linux::net::SocketAddrExt;
        return SocketAddr::from_abstract_name(name);
    }
    // A sender that never bound a name, or a system that reports no
    // address for it at all.
    if addr.is_unnamed() || addr.len() == 0 {
        return unnamed_addr();
    }
    Err(io::Error::new(
        io::ErrorKind::InvalidData,
        "the datagram's sender has no Unix-domain address (is this a Unix socket?)",
    ))
}

/// The unnamed address. The standard library has no constructor for it;
/// it encodes an empty path as one (no bytes of `sun_path` in use), and
/// an unbound socket's own address is one where that ever changes.
fn unnamed_addr() -> io::Result<SocketAddr> {
    let addr = SocketAddr::from_pathname("")?;
    if addr.is_unnamed() {
        return Ok(addr);
    }
    std::os::unix::net::UnixDatagram::unbound()?.local_addr()
}
