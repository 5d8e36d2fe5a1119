//! `TcpSocket`: a TCP socket configured before it listens or connects.

use std::fmt;
use std::io;
use std::net::SocketAddr;
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, FromRawFd, IntoRawFd, OwnedFd, RawFd};
use std::time::Duration;

use socket2::{Domain, Protocol, SockAddr, Socket, Type};

use super::{TcpListener, TcpStream};

/// A TCP socket that is not yet listening or connected, for setting
/// options that must come first (`SO_REUSEADDR`, `SO_REUSEPORT`, buffer
/// sizes, the local address of an outgoing connection).
///
/// [`listen`](Self::listen) turns it into a [`TcpListener`] and
/// [`connect`](Self::connect) into a [`TcpStream`]. Unlike
/// [`TcpListener::bind`], a `TcpSocket` sets no option unless asked.
///
/// # Examples
///
/// ```
/// use weft::net::TcpSocket;
///
/// #[weft::main]
/// async fn main() -> std::io::Result<()> {
///     let socket = TcpSocket::new_v4()?;
///     socket.set_reuseaddr(true)?;
///     socket.bind("127.0.0.1:0".parse().unwrap())?;
///     let listener = socket.listen(128)?;
///
///     let client = TcpSocket::new_v4()?;
///     client.set_nodelay(true)?;
///     let stream = client.connect(listener.local_addr()?).await?;
///     assert!(stream.nodelay()?);
///     Ok(())
/// }
/// ```
pub struct TcpSocket {
    inner: Socket,
}

impl TcpSocket {
    /// A new IPv4 TCP socket, non-blocking and close-on-exec.
    ///
    /// # Errors
    ///
    /// If the OS cannot create the socket (out of descriptors, ...).
    pub fn new_v4() -> io::Result<TcpSocket> {
        TcpSocket::new(Domain::IPV4)
    }

    /// A new IPv6 TCP socket, non-blocking and close-on-exec.
    ///
    /// # Errors
    ///
    /// If the OS cannot create the socket.
    pub fn new_v6() -> io::Result<TcpSocket> {
        TcpSocket::new(Domain::IPV6)
    }

    fn new(domain: Domain) -> io::Result<TcpSocket> {
        // socket2 sets close-on-exec on Unix.
        let inner = Socket::new(domain, Type::STREAM, Some(Protocol::TCP))?;
        inner.set_nonblocking(true)?;
        Ok(TcpSocket { inner })
    }

    /// Sets `SO_REUSEADDR`: bind to a port whose old connections are still
    /// in `TIME_WAIT`.
    ///
    /// # Errors
    ///
    /// If the option cannot be set.
    pub fn set_reuseaddr(&self, reuseaddr: bool) -> io::Result<()> {
        self.inner.set_reuse_address(reuseaddr)
    }

    /// The `SO_REUSEADDR` setting.
    ///
    /// # Errors
    ///
    /// If the option cannot be read.
    pub fn reuseaddr(&self) -> io::Result<bool> {
        self.inner.reuse_address()
    }

    /// Sets `SO_REUSEPORT`: several sockets may bind the same address and
    /// port, and the kernel spreads connections over them.
    ///
    /// # Errors
    ///
    /// If the option cannot be set.
    pub fn set_reuseport(&self, reuseport: bool) -> io::Result<()> {
        self.inner.set_reuse_port(reuseport)
    }

    /// The `SO_REUSEPORT` setting.
    ///
    /// # Errors
    ///
    /// If the option cannot be read.
    pub fn reuseport(&self) -> io::Result<bool> {
        self.inner.reuse_port()
    }

    /// Sets the size of the send buffer (`SO_SNDBUF`); the kernel may
    /// round or double it.
    ///
    /// # Errors
    ///
    /// If the option cannot be set.
    pub fn set_send_buffer_size(&self, size: u32) -> io::Result<()> {
        self.inner.set_send_buffer_size(size as usize)
    }

    /// The size of the send buffer.
    ///
    /// # Errors
    ///
    /// If the option cannot be read.
    pub fn send_buffer_size(&self) -> io::Result<u32> {
        self.inner
            .send_buffer_size()
            .map(|n| n.min(u32::MAX as usize) as u32)
    }

    /// Sets the size of the receive buffer (`SO_RCVBUF`); the kernel may
    /// round or double it.
    ///
    /// # Errors
    ///
    /// If the option cannot be set.
    pub fn set_recv_buffer_size(&self, size: u32) -> io::Result<()> {
        self.inner.set_recv_buffer_size(size as usize)
    }

    /// The size of the receive buffer.
    ///
    /// # Errors
    ///
    /// If the option cannot be read.
    pub fn recv_buffer_size(&self) -> io::Result<u32> {
        self.inner
            .recv_buffer_size()
            .map(|n| n.min(u32::MAX as usize) as u32)
    }

    /// Sets `SO_KEEPALIVE`.
    ///
    /// # Errors
    ///
    /// If the option cannot be set.
    pub fn set_keepalive(&self, keepalive: bool) -> io::Result<()> {
        self.inner.set_keepalive(keepalive)
    }

    /// The `SO_KEEPALIVE` setting.
    ///
    /// # Errors
    ///
    /// If the option cannot be read.
    pub fn keepalive(&self) -> io::Result<bool> {
        self.inner.keepalive()
    }

    /// Sets `SO_LINGER`; deprecated for the reason given at
    /// [`TcpStream::set_linger`]. Use
    /// [`set_zero_linger`](Self::set_zero_linger) to reset on close.
    ///
    /// # Errors
    ///
    /// If the option cannot be set.
    #[deprecated = "`SO_LINGER` makes dropping the socket block the thread; use `set_zero_linger` to reset on close"]
    pub fn set_linger(&self, linger: Option<Duration>) -> io::Result<()> {
        self.inner.set_linger(linger)
    }

    /// The `SO_LINGER` setting.
    ///
    /// # Errors
    ///
    /// If the option cannot be read.
    pub fn linger(&self) -> io::Result<Option<Duration>> {
        self.inner.linger()
    }

    /// Sets `SO_LINGER` to zero seconds, so that closing the connection
    /// made from this socket resets it; see
    /// [`TcpStream::set_zero_linger`].
    ///
    /// # Errors
    ///
    /// If the option cannot be set.
    pub fn set_zero_linger(&self) -> io::Result<()> {
        self.inner.set_linger(Some(Duration::ZERO))
    }

    /// Turns Nagle's algorithm off (`true`) or on (`TCP_NODELAY`).
    ///
    /// # Errors
    ///
    /// If the option cannot be set.
    pub fn set_nodelay(&self, nodelay: bool) -> io::Result<()> {
        self.inner.set_tcp_nodelay(nodelay)
    }

    /// The `TCP_NODELAY` setting.
    ///
    /// # Errors
    ///
    /// If the option cannot be read.
    pub fn nodelay(&self) -> io::Result<bool> {
        self.inner.tcp_nodelay()
    }

    /// Binds the socket to a local address.
    ///
    /// # Errors
    ///
    /// `AddrInUse`, `AddrNotAvailable`, `PermissionDenied`, ...
    pub fn bind(&self, addr: SocketAddr) -> io::Result<()> {
        self.inner.bind(&SockAddr::from(addr))
    }

    /// The local address, once bound.
    ///
    /// # Errors
    ///
    /// If the socket is not an IP socket or the address cannot be read.
    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        self.inner.local_addr()?.as_socket().ok_or_else(|| {
            io::Error::new(io::ErrorKind::InvalidInput, "the socket has no IP address")
        })
    }

    /// Takes the socket's pending error (`SO_ERROR`), if any.
    ///
    /// # Errors
    ///
    /// If the option cannot be read.
    pub fn take_error(&self) -> io::Result<Option<io::Error>> {
        self.inner.take_error()
    }

    /// Connects to `addr` and waits for the connection.
    ///
    /// # Errors
    ///
    /// `ConnectionRefused`, `TimedOut`, `NetworkUnreachable`, ...
    ///
    /// # Panics
    ///
    /// Outside a weft runtime, or on one built without I/O.
    pub async fn connect(self, addr: SocketAddr) -> io::Result<TcpStream> {
        // A socket made by `new_v4`/`new_v6` is already non-blocking; one
        // that came in through `from_std_stream` or a descriptor may not be.
        self.inner.set_nonblocking(true)?;
        if let Err(error) = self.inner.connect(&SockAddr::from(addr)) {
            if error.raw_os_error() != Some(libc::EINPROGRESS) {
                return Err(error);
            }
        }
        let std: std::net::TcpStream = self.inner.into();
        TcpStream::connect_mio(mio::net::TcpStream::from_std(std)).await
    }

    /// Starts listening with room for `backlog` pending connections.
    ///
    /// # Errors
    ///
    /// If the socket cannot listen (for example, `AddrInUse` when it was
    /// not bound and no ephemeral port is free).
    ///
    /// # Panics
    ///
    /// Outside a weft runtime, or on one built without I/O.
    #[track_caller]
    pub fn listen(self, backlog: u32) -> io::Result<TcpListener> {
        self.inner.set_nonblocking(true)?;
        self.inner.listen(backlog.min(i32::MAX as u32) as i32)?;
        let std: std::net::TcpListener = self.inner.into();
        TcpListener::new(mio::net::TcpListener::from_std(std))
    }

    /// Wraps a standard-library stream's socket, for example one made
    /// with socket2 to set an option weft has no method for. Nothing is
    /// done to the socket here: [`connect`](Self::connect) and
    /// [`listen`](Self::listen) switch it to non-blocking mode themselves.
    ///
    /// # Examples
    ///
    /// ```
    /// use socket2::{Domain, Protocol, Socket, Type};
    /// use weft::net::TcpSocket;
    ///
    /// #[weft::main]
    /// async fn main() -> std::io::Result<()> {
    ///     let raw = Socket::new(Domain::IPV4, Type::STREAM, Some(Protocol::TCP))?;
    ///     raw.set_reuse_address(true)?;
    ///     let socket = TcpSocket::from_std_stream(raw.into());
    ///     assert!(socket.reuseaddr()?);
    ///     socket.bind("127.0.0.1:0".parse().unwrap())?;
    ///     let listener = socket.listen(16)?;
    ///     assert!(listener.local_addr()?.port() != 0);
    ///     Ok(())
    /// }
    /// ```
    pub fn from_std_stream(stream: std::net::TcpStream) -> TcpSocket {
        TcpSocket {
            inner: Socket::from(stream),
        }
    }
}

impl AsRawFd for TcpSocket {
    fn as_raw_fd(&self) -> RawFd {
        self.inner.as_raw_fd()
    }
}

impl AsFd for TcpSocket {
    fn as_fd(&self) -> BorrowedFd<'_> {
        self.inner.as_fd()
    }
}

impl IntoRawFd for TcpSocket {
    fn into_raw_fd(self) -> RawFd {
        self.inner.into_raw_fd()
    }
}

impl From<OwnedFd> for TcpSocket {
    /// Takes a descriptor that must be a TCP socket; like
    /// [`TcpSocket::from_std_stream`], it is left as it is until
    /// `connect` or `listen` switches it to non-blocking mode.
    fn from(fd: OwnedFd) -> TcpSocket {
        TcpSocket {
            inner: Socket::from(fd),
        }
    }
}

impl FromRawFd for TcpSocket {
    /// # Safety
    ///
    /// `fd` must be an open TCP socket that nothing else owns; the
    /// `TcpSocket` closes it.
    unsafe fn from_raw_fd(fd: RawFd) -> TcpSocket {
        // SAFETY: the caller hands over sole ownership of an open socket
        // descriptor, which is what `OwnedFd::from_raw_fd` requires.
        let fd = unsafe { OwnedFd::from_raw_fd(fd) };
        TcpSocket::from(fd)
    }
}

impl fmt::Debug for TcpSocket {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.inner.fmt(f)
    }
}

ip_options!(
    TcpSocket,
    |socket| socket.inner,
    "packets",
    "use weft::net::TcpSocket;

# fn main() -> std::io::Result<()> {
let socket = TcpSocket::new_v4()?;
socket.set_tos_v4(0x10)?; // \"low delay\"
assert_eq!(socket.tos_v4()?, 0x10);
# Ok(())
# }"
);
