//! `UnixSocket`: a Unix-domain socket set up before it becomes a
//! listener, a stream or a datagram socket.

use std::fmt;
use std::io;
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, FromRawFd, IntoRawFd, OwnedFd, RawFd};
use std::path::Path;

use socket2::{Domain, SockAddr, Socket, Type};

use super::{UnixDatagram, UnixListener, UnixStream};

/// A Unix-domain socket that is not yet listening, connected or
/// registered with the runtime: for binding a stream socket to a path of
/// its own before it connects, or for choosing the listen backlog.
///
/// [`new_stream`](Self::new_stream) makes a stream socket, which
/// [`listen`](Self::listen) turns into a [`UnixListener`] and
/// [`connect`](Self::connect) into a [`UnixStream`];
/// [`new_datagram`](Self::new_datagram) makes a datagram socket, which
/// [`datagram`](Self::datagram) turns into a [`UnixDatagram`]. Asking a
/// socket of one type to become the other fails with `InvalidInput`.
///
/// # Examples
///
/// ```
/// use weft::io::{AsyncReadExt, AsyncWriteExt};
/// use weft::net::UnixSocket;
///
/// #[weft::main]
/// async fn main() -> std::io::Result<()> {
///     let dir = tempfile::tempdir()?;
///     let path = dir.path().join("server.sock");
///
///     let server = UnixSocket::new_stream()?;
///     server.bind(&path)?;
///     let listener = server.listen(16)?;
///
///     let mut client = UnixSocket::new_stream()?.connect(&path).await?;
///     let (mut accepted, _) = listener.accept().await?;
///     client.write_all(b"hello").await?;
///     let mut buf = [0; 5];
///     accepted.read_exact(&mut buf).await?;
///     assert_eq!(&buf, b"hello");
///     Ok(())
/// }
/// ```
pub struct UnixSocket {
    inner: Socket,
}

impl UnixSocket {
    /// A new Unix-domain datagram socket (`SOCK_DGRAM`), non-blocking and
    /// close-on-exec.
    ///
    /// # Errors
    ///
    /// If the OS cannot create the socket (out of descriptors, ...).
    ///
    /// # Examples
    ///
    /// ```
    /// use weft::net::UnixSocket;
    ///
    /// #[weft::main]
    /// async fn main() -> std::io::Result<()> {
    ///     let dir = tempfile::tempdir()?;
    ///     let socket = UnixSocket::new_datagram()?;
    ///     socket.bind(dir.path().join("datagram.sock"))?;
    ///     let socket = socket.datagram()?;
    ///     assert!(socket.local_addr()?.as_pathname().is_some());
    ///     Ok(())
    /// }
    /// ```
    pub fn new_datagram() -> io::Result<UnixSocket> {
        UnixSocket::new(Type::DGRAM)
    }

    /// A new Unix-domain stream socket (`SOCK_STREAM`), non-blocking and
    /// close-on-exec.
    ///
    /// # Errors
    ///
    /// If the OS cannot create the socket (out of descriptors, ...).
    pub fn new_stream() -> io::Result<UnixSocket> {
        UnixSocket::new(Type::STREAM)
    }

    fn new(ty: Type) -> io::Result<UnixSocket> {
        // socket2 sets close-on-exec on Unix.
        let inner = Socket::new(Domain::UNIX, ty, None)?;
        inner.set_nonblocking(true)?;
        Ok(UnixSocket { inner })
    }

    /// Binds the socket to `path`, creating the socket file. On Linux and
    /// Android a path that starts with a NUL byte names the rest of it in
    /// the abstract namespace instead, as for
    /// [`UnixListener::bind`](crate::net::UnixListener::bind).
    ///
    /// # Errors
    ///
    /// `AddrInUse` if the file (or abstract name) exists; `InvalidInput`
    /// if the path is too long or holds a NUL byte elsewhere; any error of
    /// the file system or socket.
    ///
    /// # Examples
    ///
    /// ```
    /// use weft::net::UnixSocket;
    ///
    /// #[weft::main]
    /// async fn main() -> std::io::Result<()> {
    ///     let dir = tempfile::tempdir()?;
    ///     let path = dir.path().join("taken.sock");
    ///     UnixSocket::new_stream()?.bind(&path)?;
    ///     // The file stays behind when the socket closes.
    ///     let error = UnixSocket::new_stream()?.bind(&path).unwrap_err();
    ///     assert_eq!(error.kind(), std::io::ErrorKind::AddrInUse);
    ///     Ok(())
    /// }
    /// ```
    pub fn bind(&self, path: impl AsRef<Path>) -> io::Result<()> {
        self.inner.bind(&sock_addr(path.as_ref())?)
    }

    /// Marks the stream socket as listening, with room for `backlog`
    /// connections that wait to be accepted (the system may cap it), and
    /// registers it with the current runtime as a [`UnixListener`].
    ///
    /// # Errors
    ///
    /// `InvalidInput` if this is a datagram socket; any error of `listen`
    /// (Linux refuses an unbound socket with `InvalidInput`) or of
    /// registering.
    ///
    /// # Panics
    ///
    /// Outside a weft runtime, or on one built without I/O.
    ///
    /// # Examples
    ///
    /// ```
    /// use weft::net::UnixSocket;
    ///
    /// #[weft::main]
    /// async fn main() -> std::io::Result<()> {
    ///     let dir = tempfile::tempdir()?;
    ///     let path = dir.path().join("listener.sock");
    ///     let socket = UnixSocket::new_stream()?;
    ///     socket.bind(&path)?;
    ///     let listener = socket.listen(1024)?;
    ///     assert_eq!(listener.local_addr()?.as_pathname(), Some(path.as_path()));
    ///     Ok(())
    /// }
    /// ```
    #[track_caller]
    pub fn listen(self, backlog: u32) -> io::Result<UnixListener> {
        self.expect_stream("listen")?;
        self.inner.listen(backlog.min(i32::MAX as u32) as i32)?;
        UnixListener::from_std(self.inner.into())
    }

    /// Connects the stream socket to the listener bound at `path` (or, on
    /// Linux and Android, to the abstract name after a leading NUL byte)
    /// and registers it with the current runtime as a [`UnixStream`].
    ///
    /// # Errors
    ///
    /// `InvalidInput` if this is a datagram socket; `NotFound` if nothing
    /// is bound at `path`, `ConnectionRefused` if the socket there is not
    /// listening; any error of the socket.
    ///
    /// # Panics
    ///
    /// Outside a weft runtime, or on one built without I/O.
    ///
    /// # Examples
    ///
    /// ```
    /// use weft::net::{UnixListener, UnixSocket};
    ///
    /// #[weft::main]
    /// async fn main() -> std::io::Result<()> {
    ///     let dir = tempfile::tempdir()?;
    ///     let listener = UnixListener::bind(dir.path().join("server.sock"))?;
    ///
    ///     // The client binds a path of its own, which the server sees.
    ///     let client_path = dir.path().join("client.sock");
    ///     let socket = UnixSocket::new_stream()?;
    ///     socket.bind(&client_path)?;
    ///     let _client = socket.connect(dir.path().join("server.sock")).await?;
    ///     let (_server, peer) = listener.accept().await?;
    ///     assert_eq!(peer.as_pathname(), Some(client_path.as_path()));
    ///     Ok(())
    /// }
    /// ```
    pub async fn connect(self, path: impl AsRef<Path>) -> io::Result<UnixStream> {
        self.expect_stream("connect")?;
        let addr = sock_addr(path.as_ref())?;
        // A socket made by `new_stream` is already non-blocking; one that
        // came in through `from_raw_fd` may not be.
        self.inner.set_nonblocking(true)?;
        if let Err(error) = self.inner.connect(&addr) {
            if error.raw_os_error() != Some(libc::EINPROGRESS) {
                return Err(error);
            }
        }
        let std: std::os::unix::net::UnixStream = self.inner.into();
        UnixStream::connect_mio(mio::net::UnixStream::from_std(std)).await
    }

    /// Registers the datagram socket with the current runtime as a
    /// [`UnixDatagram`], bound or not.
    ///
    /// # Errors
    ///
    /// `InvalidInput` if this is a stream socket; an error of
    /// registering.
    ///
    /// # Panics
    ///
    /// Outside a weft runtime, or on one built without I/O.
    ///
    /// # Examples
    ///
    /// ```
    /// use weft::net::UnixSocket;
    ///
    /// #[weft::main]
    /// async fn main() -> std::io::Result<()> {
    ///     let dir = tempfile::tempdir()?;
    ///     let path = dir.path().join("inbox.sock");
    ///     let inbox = UnixSocket::new_datagram()?;
    ///     inbox.bind(&path)?;
    ///     let inbox = inbox.datagram()?;
    ///
    ///     let sender = UnixSocket::new_datagram()?.datagram()?;
    ///     sender.send_to(b"note", &path).await?;
    ///     let mut buf = [0; 8];
    ///     let (n, _) = inbox.recv_from(&mut buf).await?;
    ///     assert_eq!(&buf[..n], b"note");
    ///     Ok(())
    /// }
    /// ```
    #[track_caller]
    pub fn datagram(self) -> io::Result<UnixDatagram> {
        if self.inner.r#type()? == Type::STREAM {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "`datagram` needs a datagram socket, but this is a stream socket; \
                 make it with `UnixSocket::new_datagram`",
            ));
        }
        UnixDatagram::from_std(self.inner.into())
    }

    /// Fails with `InvalidInput` if this is a datagram socket, which
    /// cannot `op` (`listen` or `connect`).
    fn expect_stream(&self, op: &str) -> io::Result<()> {
        if self.inner.r#type()? == Type::DGRAM {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!(
                    "`{op}` needs a stream socket, but this is a datagram socket; \
                     make it with `UnixSocket::new_stream`"
                ),
            ));
        }
        Ok(())
    }
}

/// The socket address of `path`, with the same rules as the other Unix
/// sockets' `bind` and `connect`: checked through `path_addr` (a leading
/// NUL names the abstract namespace on Linux and Android; a NUL anywhere
/// else is refused), then built by socket2, which follows the same rule.
fn sock_addr(path: &Path) -> io::Result<SockAddr> {
    super::path_addr(path)?;
    SockAddr::unix(path)
}

impl AsRawFd for UnixSocket {
    fn as_raw_fd(&self) -> RawFd {
        self.inner.as_raw_fd()
    }
}

impl AsFd for UnixSocket {
    fn as_fd(&self) -> BorrowedFd<'_> {
        self.inner.as_fd()
    }
}

impl IntoRawFd for UnixSocket {
    fn into_raw_fd(self) -> RawFd {
        self.inner.into_raw_fd()
    }
}

impl FromRawFd for UnixSocket {
    /// Takes over `fd`, a Unix-domain socket that is neither listening
    /// nor connected. [`connect`](Self::connect), [`listen`](Self::listen)
    /// and [`datagram`](Self::datagram) make it non-blocking.
    unsafe fn from_raw_fd(fd: RawFd) -> UnixSocket {
        // SAFETY: the caller hands over sole ownership of an open socket
        // descriptor, which is what `OwnedFd::from_raw_fd` requires.
        let fd = unsafe { OwnedFd::from_raw_fd(fd) };
        UnixSocket {
            inner: Socket::from(fd),
        }
    }
}

impl fmt::Debug for UnixSocket {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.inner.fmt(f)
    }
}
