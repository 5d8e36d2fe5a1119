//! `UnixStream`: a Unix-domain stream connection.

use std::future::poll_fn;
use std::io::{self, IoSlice, IoSliceMut};
use std::net::Shutdown;
use std::os::fd::AsRawFd;
use std::path::Path;
use std::task::{Context, Poll};

use tokio::io::ReadBuf;
use weft_reactor::Direction;

use super::split::{
    into_split_impl, split_impl, OwnedReadHalf, OwnedWriteHalf, ReadHalf, WriteHalf,
};
use super::{SocketAddr, UCred};
use crate::io::evented::Evented;
use crate::io::{Interest, Ready};

/// A Unix-domain stream connection.
///
/// The same API as [`TcpStream`](crate::net::TcpStream), between
/// processes on one host: made by [`connect`](Self::connect),
/// [`UnixListener::accept`](crate::net::UnixListener::accept) or
/// [`pair`](Self::pair).
///
/// # Examples
///
/// ```
/// use weft::io::{AsyncReadExt, AsyncWriteExt};
/// use weft::net::UnixStream;
///
/// #[weft::main]
/// async fn main() -> std::io::Result<()> {
///     let (mut a, mut b) = UnixStream::pair()?;
///     a.write_all(b"over a pair").await?;
///     drop(a);
///     let mut got = Vec::new();
///     b.read_to_end(&mut got).await?;
///     assert_eq!(got, b"over a pair");
///     Ok(())
/// }
/// ```
pub struct UnixStream {
    // Read and written directly by the split halves next door.
    pub(super) io: Evented<mio::net::UnixStream>,
}

impl UnixStream {
    /// Connects to the socket bound at `path`. On Linux and Android a path
    /// that starts with a NUL byte names the rest of it in the abstract
    /// namespace instead, as for
    /// [`UnixListener::bind`](crate::net::UnixListener::bind).
    ///
    /// # Errors
    ///
    /// `NotFound` if nothing is bound there, `ConnectionRefused` if the
    /// socket is not listening; any error of the socket.
    ///
    /// # Panics
    ///
    /// Outside a weft runtime, or on one built without I/O.
    pub async fn connect<P>(path: P) -> io::Result<UnixStream>
    where
        P: AsRef<Path>,
    {
        let addr = super::path_addr(path.as_ref())?;
        UnixStream::connect_addr(&addr).await
    }

    /// Connects to the socket bound at `socket_addr`: a path, or (on Linux
    /// and Android) a name in the abstract namespace.
    ///
    /// # Errors
    ///
    /// As for [`connect`](Self::connect).
    ///
    /// # Panics
    ///
    /// Outside a weft runtime, or on one built without I/O.
    ///
    /// # Examples
    ///
    /// ```
    /// use weft::net::unix::SocketAddr;
    /// use weft::net::{UnixListener, UnixStream};
    ///
    /// #[weft::main]
    /// async fn main() -> std::io::Result<()> {
    ///     let dir = std::env::temp_dir().join(format!("weft-doc-connect-{}", std::process::id()));
    ///     std::fs::create_dir_all(&dir)?;
    ///     let addr = SocketAddr::from_pathname(dir.join("server.sock"))?;
    ///     let listener = UnixListener::bind_addr(&addr)?;
    ///     let client = UnixStream::connect_addr(&addr).await?;
    ///     let (_server, _) = listener.accept().await?;
    ///     assert_eq!(client.peer_addr()?.as_pathname(), addr.as_pathname());
    ///     std::fs::remove_dir_all(&dir)?;
    ///     Ok(())
    /// }
    /// ```
    pub async fn connect_addr(socket_addr: &SocketAddr) -> io::Result<UnixStream> {
        UnixStream::connect_mio(mio::net::UnixStream::connect_addr(socket_addr)?).await
    }

    /// Registers `stream`, whose non-blocking `connect` has been started,
    /// and waits until the connection is made or has failed.
    pub(super) async fn connect_mio(stream: mio::net::UnixStream) -> io::Result<UnixStream> {
        let stream = UnixStream::new(stream)?;
        poll_fn(|cx| stream.io.poll_ready(cx, Direction::Write)).await?;
        if let Some(error) = stream.io.get().take_error()? {
            return Err(error);
        }
        Ok(stream)
    }

    /// Two connected streams, for talking between tasks or to a child
    /// process.
    ///
    /// # Errors
    ///
    /// If the OS cannot create the sockets.
    ///
    /// # Panics
    ///
    /// Outside a weft runtime, or on one built without I/O.
    #[track_caller]
    pub fn pair() -> io::Result<(UnixStream, UnixStream)> {
        let (a, b) = mio::net::UnixStream::pair()?;
        Ok((UnixStream::new(a)?, UnixStream::new(b)?))
    }

    #[track_caller]
    pub(crate) fn new(stream: mio::net::UnixStream) -> io::Result<UnixStream> {
        Ok(UnixStream {
            io: Evented::new(stream, mio::Interest::READABLE | mio::Interest::WRITABLE)?,
        })
    }

    /// Wraps a standard-library stream, switching it to non-blocking mode.
    ///
    /// # Errors
    ///
    /// If the socket cannot be made non-blocking or registered.
    ///
    /// # Panics
    ///
    /// Outside a weft runtime, or on one built without I/O.
    #[track_caller]
    pub fn from_std(stream: std::os::unix::net::UnixStream) -> io::Result<UnixStream> {
        stream.set_nonblocking(true)?;
        UnixStream::new(mio::net::UnixStream::from_std(stream))
    }

    /// Deregisters the stream and returns it as a standard-library stream,
    /// still in non-blocking mode.
    ///
    /// # Errors
    ///
    /// If the socket cannot be deregistered.
    pub fn into_std(self) -> io::Result<std::os::unix::net::UnixStream> {
        Ok(self.io.into_inner()?.into())
    }

    /// The local address.
    ///
    /// # Errors
    ///
    /// Any error of the socket.
    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        self.io.get().local_addr()
    }

    /// The remote address.
    ///
    /// # Errors
    ///
    /// Any error of the socket.
    pub fn peer_addr(&self) -> io::Result<SocketAddr> {
        self.io.get().peer_addr()
    }

    /// The credentials of the process at the other end (`SO_PEERCRED` on
    /// Linux and Android, `getpeereid` on the BSDs and Apple's systems).
    ///
    /// # Errors
    ///
    /// If the system cannot tell, or does not record credentials.
    ///
    /// # Examples
    ///
    /// ```
    /// # weft::runtime::Runtime::new().unwrap().block_on(async {
    /// let (a, _b) = weft::net::UnixStream::pair()?;
    /// // A socket pair connects this process to itself.
    /// # #[cfg(target_os = "linux")]
    /// assert_eq!(a.peer_cred()?.pid(), Some(std::process::id() as i32));
    /// # std::io::Result::Ok(())
    /// # }).unwrap();
    /// ```
    pub fn peer_cred(&self) -> io::Result<UCred> {
        let (pid, uid, gid) = crate::io::sys::peer_cred(self.io.get().as_raw_fd())?;
        Ok(UCred::new(pid, uid, gid))
    }

    /// Takes the socket's pending error (`SO_ERROR`), if any.
    ///
    /// # Errors
    ///
    /// If the option cannot be read.
    pub fn take_error(&self) -> io::Result<Option<io::Error>> {
        self.io.get().take_error()
    }

    /// Waits until the stream is ready for any of `interest`.
    ///
    /// # Errors
    ///
    /// The shutdown error once the runtime is gone.
    pub async fn ready(&self, interest: Interest) -> io::Result<Ready> {
        self.io.ready(interest).await
    }

    /// Waits until the stream is readable.
    ///
    /// # Errors
    ///
    /// The shutdown error once the runtime is gone.
    pub async fn readable(&self) -> io::Result<()> {
        self.io.readable().await
    }

    /// Waits until the stream is writable.
    ///
    /// # Errors
    ///
    /// The shutdown error once the runtime is gone.
    pub async fn writable(&self) -> io::Result<()> {
        self.io.writable().await
    }

    /// Polls for read readiness; only the last task to poll is woken.
    ///
    /// # Errors
    ///
    /// The shutdown error once the runtime is gone.
    pub fn poll_read_ready(&self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.io.poll_read_ready(cx)
    }

    /// Polls for write readiness; only the last task to poll is woken.
    ///
    /// # Errors
    ///
    /// The shutdown error once the runtime is gone.
    pub fn poll_write_ready(&self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.io.poll_write_ready(cx)
    }

    /// Reads what is available now without waiting.
    ///
    /// # Errors
    ///
    /// `WouldBlock` when nothing is available; any error of the socket.
    pub fn try_read(&self, buf: &mut [u8]) -> io::Result<usize> {
        self.io.try_read(buf)
    }

    /// Reads into several buffers what is available now.
    ///
    /// # Errors
    ///
    /// As for [`try_read`](Self::try_read).
    pub fn try_read_vectored(&self, bufs: &mut [IoSliceMut<'_>]) -> io::Result<usize> {
        self.io.try_read_vectored(bufs)
    }

    /// Reads what is available now into the spare capacity of `buf` (a
    /// `Vec<u8>`, a `BytesMut`, any [`BufMut`](bytes::BufMut)), without
    /// waiting or zeroing it first, and advances `buf` by the count
    /// returned. `Ok(0)` is the end of the stream, or a `buf` with no room
    /// left.
    ///
    /// # Errors
    ///
    /// As for [`try_read`](Self::try_read); `buf` is unchanged then.
    pub fn try_read_buf<B: bytes::BufMut>(&self, buf: &mut B) -> io::Result<usize> {
        self.io.try_read_buf(buf)
    }

    /// Writes what fits now without waiting.
    ///
    /// # Errors
    ///
    /// `WouldBlock` when the send buffer is full; any error of the socket.
    pub fn try_write(&self, buf: &[u8]) -> io::Result<usize> {
        self.io.try_write(buf)
    }

    /// Writes from several buffers what fits now.
    ///
    /// # Errors
    ///
    /// As for [`try_write`](Self::try_write).
    pub fn try_write_vectored(&self, bufs: &[IoSlice<'_>]) -> io::Result<usize> {
        self.io.try_write_vectored(bufs)
    }

    /// Runs `f` if the stream is ready for `interest` now; clears that
    /// readiness if `f` returns `WouldBlock`.
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

    /// Receives bytes without removing them from the socket.
    ///
    /// # Errors
    ///
    /// Any error of the socket; the shutdown error.
    pub async fn peek(&self, buf: &mut [u8]) -> io::Result<usize> {
        let mut buf = ReadBuf::new(buf);
        poll_fn(|cx| self.io.poll_peek(cx, &mut buf)).await
    }

    /// Polls to receive bytes without removing them.
    ///
    /// # Errors
    ///
    /// As for [`peek`](Self::peek).
    pub fn poll_peek(
        &self,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<usize>> {
        self.io.poll_peek(cx, buf)
    }

    /// Splits the stream into borrowed halves; see
    /// [`TcpStream::split`](crate::net::TcpStream::split).
    pub fn split(&mut self) -> (ReadHalf<'_>, WriteHalf<'_>) {
        split_impl(self)
    }

    /// Splits the stream into owned halves; see
    /// [`TcpStream::into_split`](crate::net::TcpStream::into_split).
    pub fn into_split(self) -> (OwnedReadHalf, OwnedWriteHalf) {
        into_split_impl(self)
    }

    pub(crate) fn shutdown_write(&self) -> io::Result<()> {
        self.io.get().shutdown(Shutdown::Write)
    }
}

impl AsRef<Self> for UnixStream {
    fn as_ref(&self) -> &Self {
        self
    }
}

stream_io_impls!(UnixStream, |this| this.io);
stream_io_impls!(write UnixStream, |this| this.io, |this| this.shutdown_write());
socket_traits!(UnixStream, from stream: std::os::unix::net::UnixStream);
