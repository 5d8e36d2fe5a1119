//! `UnixListener`: accepts Unix-domain stream connections.

use std::io;
use std::path::Path;
use std::task::{ready, Context, Poll};

use weft_reactor::Direction;

use super::{SocketAddr, UnixStream};
use crate::io::evented::Evented;
use crate::io::Interest;

/// A Unix-domain socket listening for stream connections.
///
/// Binding creates the socket file; it is not removed when the listener
/// is dropped (remove it yourself, or bind in a temporary directory).
///
/// # Examples
///
/// ```
/// use weft::io::{AsyncReadExt, AsyncWriteExt};
/// use weft::net::{UnixListener, UnixStream};
///
/// #[weft::main]
/// async fn main() -> std::io::Result<()> {
///     let dir = std::env::temp_dir().join(format!("weft-doc-{}", std::process::id()));
///     std::fs::create_dir_all(&dir)?;
///     let path = dir.join("listener.sock");
///     let _ = std::fs::remove_file(&path);
///
///     let listener = UnixListener::bind(&path)?;
///     let mut client = UnixStream::connect(&path).await?;
///     let (mut server, _) = listener.accept().await?;
///     client.write_all(b"over a path").await?;
///     let mut buf = [0; 11];
///     server.read_exact(&mut buf).await?;
///     assert_eq!(&buf, b"over a path");
///     std::fs::remove_dir_all(&dir)?;
///     Ok(())
/// }
/// ```
pub struct UnixListener {
    io: Evented<mio::net::UnixListener>,
}

impl UnixListener {
    /// Binds a listener to `path`, creating the socket file. On Linux and
    /// Android a path that starts with a NUL byte binds the rest of it as
    /// a name in the abstract namespace instead, which creates no file.
    ///
    /// # Errors
    ///
    /// `AddrInUse` if the file (or abstract name) exists; `InvalidInput`
    /// if the path is too long or holds a NUL byte elsewhere; any error of
    /// the file system or socket.
    ///
    /// # Panics
    ///
    /// Outside a weft runtime, or on one built without I/O.
    #[track_caller]
    pub fn bind<P>(path: P) -> io::Result<UnixListener>
    where
        P: AsRef<Path>,
    {
        UnixListener::bind_addr(&super::path_addr(path.as_ref())?)
    }

    /// Binds a listener to `socket_addr`: a path, or (on Linux and
    /// Android) a name in the abstract namespace, which lives as long as
    /// its socket and leaves no file behind.
    ///
    /// # Errors
    ///
    /// `AddrInUse` if the address is taken; any error of the file system
    /// or socket.
    ///
    /// # Panics
    ///
    /// Outside a weft runtime, or on one built without I/O.
    ///
    /// # Examples
    ///
    /// ```
    /// # #[cfg(target_os = "linux")]
    /// # weft::runtime::Runtime::new().unwrap().block_on(async {
    /// use std::os::linux::net::SocketAddrExt;
    /// use weft::net::unix::SocketAddr;
    /// use weft::net::{UnixListener, UnixStream};
    ///
    /// let name = format!("weft-doc-listener-{}", std::process::id());
    /// let addr = SocketAddr::from_abstract_name(&name)?;
    /// let listener = UnixListener::bind_addr(&addr)?;
    /// let _client = UnixStream::connect_addr(&addr).await?;
    /// let (_server, _) = listener.accept().await?;
    /// let local = listener.local_addr()?;
    /// assert_eq!(local.as_abstract_name(), Some(name.as_bytes()));
    /// # std::io::Result::Ok(())
    /// # }).unwrap();
    /// ```
    #[track_caller]
    pub fn bind_addr(socket_addr: &SocketAddr) -> io::Result<UnixListener> {
        UnixListener::new(mio::net::UnixListener::bind_addr(socket_addr)?)
    }

    #[track_caller]
    fn new(listener: mio::net::UnixListener) -> io::Result<UnixListener> {
        Ok(UnixListener {
            io: Evented::new(listener, mio::Interest::READABLE)?,
        })
    }

    /// Wraps a standard-library listener, switching it to non-blocking
    /// mode.
    ///
    /// # Errors
    ///
    /// If the socket cannot be made non-blocking or registered.
    ///
    /// # Panics
    ///
    /// Outside a weft runtime, or on one built without I/O.
    #[track_caller]
    pub fn from_std(listener: std::os::unix::net::UnixListener) -> io::Result<UnixListener> {
        listener.set_nonblocking(true)?;
        UnixListener::new(mio::net::UnixListener::from_std(listener))
    }

    /// Deregisters the listener and returns it as a standard-library
    /// listener, still in non-blocking mode.
    ///
    /// # Errors
    ///
    /// If the socket cannot be deregistered.
    pub fn into_std(self) -> io::Result<std::os::unix::net::UnixListener> {
        Ok(self.io.into_inner()?.into())
    }

    /// Waits for a connection. Cancel-safe.
    ///
    /// # Errors
    ///
    /// Errors of `accept(2)` (`EMFILE`, ...); the listener stays usable.
    pub async fn accept(&self) -> io::Result<(UnixStream, SocketAddr)> {
        let (stream, addr) = self.io.async_io(Interest::READABLE, |l| l.accept()).await?;
        Ok((UnixStream::new(stream)?, addr))
    }

    /// Polls for a connection; only the last task to poll is woken.
    ///
    /// # Errors
    ///
    /// As for [`accept`](Self::accept).
    pub fn poll_accept(&self, cx: &mut Context<'_>) -> Poll<io::Result<(UnixStream, SocketAddr)>> {
        let (stream, addr) = ready!(self.io.poll_io(cx, Direction::Read, |l| l.accept()))?;
        Poll::Ready(Ok((UnixStream::new(stream)?, addr)))
    }

    /// The address the listener is bound to.
    ///
    /// # Errors
    ///
    /// Any error of the socket.
    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        self.io.get().local_addr()
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

socket_traits!(UnixListener, from listener: std::os::unix::net::UnixListener);
