//! `TcpListener`: accepts TCP connections.

use std::io;
use std::net::SocketAddr;
use std::task::{ready, Context, Poll};

use weft_reactor::Direction;

use super::{TcpSocket, TcpStream};
use crate::io::evented::Evented;
use crate::io::Interest;
use crate::net::addr::{each_addr, ToSocketAddrs};

/// A TCP socket listening for connections.
///
/// # Examples
///
/// An accept loop that hands each connection to its own task:
///
/// ```
/// use weft::io::AsyncWriteExt;
/// use weft::net::{TcpListener, TcpStream};
///
/// #[weft::main]
/// async fn main() -> std::io::Result<()> {
///     let listener = TcpListener::bind("127.0.0.1:0").await?;
///     let addr = listener.local_addr()?;
///     let server = weft::spawn(async move {
///         for _ in 0..3 {
///             let (mut socket, _peer) = listener.accept().await?;
///             weft::spawn(async move { socket.write_all(b"welcome").await });
///         }
///         Ok::<_, std::io::Error>(())
///     });
///     for _ in 0..3 {
///         let _client = TcpStream::connect(addr).await?;
///     }
///     server.await.unwrap()?;
///     Ok(())
/// }
/// ```
pub struct TcpListener {
    io: Evented<mio::net::TcpListener>,
}

/// Queue length of not-yet-accepted connections for [`TcpListener::bind`].
const BACKLOG: u32 = 1024;

impl TcpListener {
    /// Binds a listener to `addr` (trying each address it resolves to
    /// until one binds) with `SO_REUSEADDR` set and a backlog of 1024.
    /// Port 0 picks a free port; read it back with
    /// [`local_addr`](Self::local_addr).
    ///
    /// # Errors
    ///
    /// The error of the last address tried: `AddrInUse` when another
    /// socket holds the port, `PermissionDenied` for a privileged port, a
    /// resolution error, and so on.
    ///
    /// # Panics
    ///
    /// Outside a weft runtime, or on one built without I/O.
    pub async fn bind<A: ToSocketAddrs>(addr: A) -> io::Result<TcpListener> {
        each_addr(addr, |addr| async move {
            // Through `TcpSocket` rather than mio's `bind`, whose backlog is
            // 128: a server taking thousands of connections at once would
            // see the kernel drop SYNs past that and clients retry seconds
            // later.
            let socket = if addr.is_ipv4() { TcpSocket::new_v4()? } else { TcpSocket::new_v6()? };
            socket.set_reuseaddr(true)?;
            socket.bind(addr)?;
            socket.listen(BACKLOG)
        })
        .await
    }

    #[track_caller]
    pub(crate) fn new(listener: mio::net::TcpListener) -> io::Result<TcpListener> {
        Ok(TcpListener {
            io: Evented::new(listener, mio::Interest::READABLE)?,
        })
    }

    /// Waits for a connection and returns it with the peer's address.
    ///
    /// Cancel-safe: if the future is dropped, no connection is lost.
    ///
    /// # Errors
    ///
    /// Errors of `accept(2)`, such as running out of file descriptors
    /// (`EMFILE`). The listener stays usable: once the cause is gone, the
    /// next `accept` takes the connection that waited.
    pub async fn accept(&self) -> io::Result<(TcpStream, SocketAddr)> {
        let (socket, addr) = self.io.async_io(Interest::READABLE, |l| l.accept()).await?;
        Ok((TcpStream::new(socket)?, addr))
    }

    /// Polls for a connection; only the last task to poll is woken.
    ///
    /// # Errors
    ///
    /// As for [`accept`](Self::accept).
    pub fn poll_accept(&self, cx: &mut Context<'_>) -> Poll<io::Result<(TcpStream, SocketAddr)>> {
        let (socket, addr) = ready!(self.io.poll_io(cx, Direction::Read, |l| l.accept()))?;
        Poll::Ready(Ok((TcpStream::new(socket)?, addr)))
    }

    /// Wraps a bound, listening standard-library listener, switching it to
    /// non-blocking mode.
    ///
    /// # Errors
    ///
    /// If the socket cannot be made non-blocking or registered.
    ///
    /// # Panics
    ///
    /// Outside a weft runtime, or on one built without I/O.
    #[track_caller]
    pub fn from_std(listener: std::net::TcpListener) -> io::Result<TcpListener> {
        listener.set_nonblocking(true)?;
        TcpListener::new(mio::net::TcpListener::from_std(listener))
    }

    /// Deregisters the listener and returns it as a standard-library
    /// listener, still in non-blocking mode.
    ///
    /// # Errors
    ///
    /// If the socket cannot be deregistered.
    pub fn into_std(self) -> io::Result<std::net::TcpListener> {
        Ok(self.io.into_inner()?.into())
    }

    /// The address the listener is bound to.
    ///
    /// # Errors
    ///
    /// Any error of the socket.
    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        self.io.get().local_addr()
    }

    /// The IP time-to-live of the listener's packets.
    ///
    /// # Errors
    ///
    /// If the option cannot be read.
    pub fn ttl(&self) -> io::Result<u32> {
        self.io.get().ttl()
    }

    /// Sets the IP time-to-live of the listener's packets.
    ///
    /// # Errors
    ///
    /// If the option cannot be set.
    pub fn set_ttl(&self, ttl: u32) -> io::Result<()> {
        self.io.get().set_ttl(ttl)
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

socket_traits!(TcpListener, from listener: std::net::TcpListener);
