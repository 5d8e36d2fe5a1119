//! `TcpStream`: a TCP connection.

use std::future::poll_fn;
use std::io::{self, IoSlice, IoSliceMut};
use std::net::{Shutdown, SocketAddr};
use std::task::{Context, Poll};
use std::time::Duration;

use tokio::io::ReadBuf;
use weft_reactor::Direction;

use super::split::{
    into_split_impl, split_impl, OwnedReadHalf, OwnedWriteHalf, ReadHalf, WriteHalf,
};
use crate::io::evented::Evented;
use crate::io::{Interest, Ready};
use crate::net::addr::{each_addr, ToSocketAddrs};

/// A TCP connection between a local and a remote socket.
///
/// Made by [`connect`](Self::connect), by
/// [`TcpListener::accept`](crate::net::TcpListener::accept), or by
/// [`TcpSocket::connect`](crate::net::TcpSocket::connect). Read and write it through
/// [`AsyncReadExt`](crate::io::AsyncReadExt) and
/// [`AsyncWriteExt`](crate::io::AsyncWriteExt); `shutdown()` closes the
/// write direction (the peer then reads end-of-stream) and dropping the
/// stream closes the connection.
///
/// # Examples
///
/// ```
/// use weft::io::{AsyncReadExt, AsyncWriteExt};
/// use weft::net::{TcpListener, TcpStream};
///
/// #[weft::main]
/// async fn main() -> std::io::Result<()> {
///     let listener = TcpListener::bind("127.0.0.1:0").await?;
///     let mut client = TcpStream::connect(listener.local_addr()?).await?;
///     let (mut server, _) = listener.accept().await?;
///
///     client.write_all(b"question").await?;
///     client.shutdown().await?;
///     let mut got = String::new();
///     server.read_to_string(&mut got).await?;
///     assert_eq!(got, "question");
///     Ok(())
/// }
/// ```
pub struct TcpStream {
    // Read and written directly by the split halves next door.
    pub(super) io: Evented<mio::net::TcpStream>,
}

impl TcpStream {
    /// Connects to `addr`, trying each address it resolves to in turn
    /// until one accepts.
    ///
    /// # Errors
    ///
    /// The error of the last address tried: `ConnectionRefused` when
    /// nothing listens there, `TimedOut`, a resolution error, and so on.
    ///
    /// # Panics
    ///
    /// Outside a weft runtime, or on one built without I/O.
    pub async fn connect<A: ToSocketAddrs>(addr: A) -> io::Result<TcpStream> {
        each_addr(addr, TcpStream::connect_addr).await
    }

    async fn connect_addr(addr: SocketAddr) -> io::Result<TcpStream> {
        TcpStream::connect_mio(mio::net::TcpStream::connect(addr)?).await
    }

    /// Registers a socket whose non-blocking connect has started, and
    /// waits for the connect to finish.
    pub(crate) async fn connect_mio(socket: mio::net::TcpStream) -> io::Result<TcpStream> {
        let stream = TcpStream::new(socket)?;
        loop {
            // A connect finishes by making the socket writable, or by an
            // error.
            let event = poll_fn(|cx| stream.io.poll_ready(cx, Direction::Write)).await?;
            if let Some(error) = stream.io.get().take_error()? {
                return Err(error);
            }
            match stream.io.get().peer_addr() {
                Ok(_) => return Ok(stream),
                // Writable without a peer and without a hang-up: a wake-up
                // before the handshake finished. Wait for the next event.
                Err(error)
                    if error.kind() == io::ErrorKind::NotConnected
                        && !event.ready().is_write_closed()
                        && !event.ready().is_error() =>
                {
                    stream.io.registration().clear_readiness(event);
                }
                Err(error) => return Err(error),
            }
        }
    }

    #[track_caller]
    pub(crate) fn new(socket: mio::net::TcpStream) -> io::Result<TcpStream> {
        Ok(TcpStream {
            io: Evented::new(socket, mio::Interest::READABLE | mio::Interest::WRITABLE)?,
        })
    }

    /// Wraps a connected standard-library stream, switching it to
    /// non-blocking mode.
    ///
    /// # Errors
    ///
    /// If the socket cannot be made non-blocking or registered.
    ///
    /// # Panics
    ///
    /// Outside a weft runtime, or on one built without I/O.
    ///
    /// # Examples
    ///
    /// ```
    /// #[weft::main]
    /// async fn main() -> std::io::Result<()> {
    ///     let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    ///     let std_stream = std::net::TcpStream::connect(listener.local_addr()?)?;
    ///     let stream = weft::net::TcpStream::from_std(std_stream)?;
    ///     assert_eq!(stream.peer_addr()?, listener.local_addr()?);
    ///     Ok(())
    /// }
    /// ```
    #[track_caller]
    pub fn from_std(stream: std::net::TcpStream) -> io::Result<TcpStream> {
        stream.set_nonblocking(true)?;
        TcpStream::new(mio::net::TcpStream::from_std(stream))
    }

    /// Deregisters the stream and returns it as a standard-library stream,
    /// still in non-blocking mode (call `set_nonblocking(false)` for
    /// blocking I/O).
    ///
    /// # Errors
    ///
    /// If the socket cannot be deregistered.
    pub fn into_std(self) -> io::Result<std::net::TcpStream> {
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
    /// `NotConnected` if the connection is gone; any error of the socket.
    pub fn peer_addr(&self) -> io::Result<SocketAddr> {
        self.io.get().peer_addr()
    }

    /// Takes the socket's pending error (`SO_ERROR`), if any.
    ///
    /// # Errors
    ///
    /// If the option cannot be read.
    pub fn take_error(&self) -> io::Result<Option<io::Error>> {
        self.io.get().take_error()
    }

    /// Whether Nagle's algorithm is off (`TCP_NODELAY`).
    ///
    /// # Errors
    ///
    /// If the option cannot be read.
    pub fn nodelay(&self) -> io::Result<bool> {
        self.io.get().nodelay()
    }

    /// Turns Nagle's algorithm off (`true`) or on. Off sends small writes
    /// at once instead of coalescing them; request/response protocols
    /// usually want it off.
    ///
    /// # Errors
    ///
    /// If the option cannot be set.
    pub fn set_nodelay(&self, nodelay: bool) -> io::Result<()> {
        self.io.get().set_nodelay(nodelay)
    }

    /// The `SO_LINGER` setting.
    ///
    /// # Errors
    ///
    /// If the option cannot be read.
    pub fn linger(&self) -> io::Result<Option<Duration>> {
        socket2::SockRef::from(self.io.get()).linger()
    }

    /// Sets `SO_LINGER`: with `Some(d)`, closing waits up to `d` for unsent
    /// data; `Some(Duration::ZERO)` makes close reset the connection.
    ///
    /// Deprecated, as in tokio: a non-zero linger makes dropping the
    /// stream block the thread (a runtime worker, here) until the data is
    /// sent or the time is up. To reset connections on close, use
    /// [`set_zero_linger`](Self::set_zero_linger), which never blocks; to
    /// wait for unsent data, shut the stream down and read to the end.
    ///
    /// # Errors
    ///
    /// If the option cannot be set.
    #[deprecated = "`SO_LINGER` makes dropping the socket block the thread; use `set_zero_linger` to reset on close"]
    pub fn set_linger(&self, linger: Option<Duration>) -> io::Result<()> {
        socket2::SockRef::from(self.io.get()).set_linger(linger)
    }

    /// Sets `SO_LINGER` to zero seconds: closing the stream (dropping it)
    /// then aborts the connection with a reset (`RST`) instead of the
    /// orderly `FIN` exchange. Bytes not yet sent are thrown away, the
    /// peer's next read or write fails with `ConnectionReset`, and this
    /// side skips `TIME_WAIT`. Unlike a non-zero linger, the close never
    /// blocks the thread.
    ///
    /// # Errors
    ///
    /// If the option cannot be set.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// use weft::net::{TcpListener, TcpStream};
    ///
    /// #[weft::main]
    /// async fn main() -> std::io::Result<()> {
    ///     let listener = TcpListener::bind("127.0.0.1:0").await?;
    ///     let stream = TcpStream::connect(listener.local_addr()?).await?;
    ///     stream.set_zero_linger()?;
    ///     assert_eq!(stream.linger()?, Some(Duration::ZERO));
    ///     Ok(())
    /// }
    /// ```
    pub fn set_zero_linger(&self) -> io::Result<()> {
        socket2::SockRef::from(self.io.get()).set_linger(Some(Duration::ZERO))
    }

    /// Whether `TCP_QUICKACK` is on: the kernel acknowledges received
    /// segments at once instead of delaying the `ACK` to piggyback it on
    /// data. The kernel turns the flag off again by itself as the
    /// connection settles, so reading it tells the current state only.
    ///
    /// # Errors
    ///
    /// If the option cannot be read.
    #[cfg(any(
        target_os = "linux",
        target_os = "android",
        target_os = "fuchsia",
        target_os = "cygwin",
    ))]
    pub fn quickack(&self) -> io::Result<bool> {
        socket2::SockRef::from(self.io.get()).tcp_quickack()
    }

    /// Turns `TCP_QUICKACK` on (`true`: acknowledge at once) or off (let
    /// the kernel delay acknowledgements). The setting is not permanent:
    /// the kernel may leave quick-ack mode later on its own, so
    /// latency-sensitive code sets it again after reads.
    ///
    /// # Errors
    ///
    /// If the option cannot be set.
    ///
    /// # Examples
    ///
    /// ```
    /// use weft::net::{TcpListener, TcpStream};
    ///
    /// #[weft::main]
    /// async fn main() -> std::io::Result<()> {
    ///     let listener = TcpListener::bind("127.0.0.1:0").await?;
    ///     let stream = TcpStream::connect(listener.local_addr()?).await?;
    ///     stream.set_quickack(true)?;
    ///     assert!(stream.quickack()?);
    ///     Ok(())
    /// }
    /// ```
    #[cfg(any(
        target_os = "linux",
        target_os = "android",
        target_os = "fuchsia",
        target_os = "cygwin",
    ))]
    pub fn set_quickack(&self, quickack: bool) -> io::Result<()> {
        socket2::SockRef::from(self.io.get()).set_tcp_quickack(quickack)
    }

    /// The IP time-to-live of outgoing packets.
    ///
    /// # Errors
    ///
    /// If the option cannot be read.
    pub fn ttl(&self) -> io::Result<u32> {
        self.io.get().ttl()
    }

    /// Sets the IP time-to-live of outgoing packets.
    ///
    /// # Errors
    ///
    /// If the option cannot be set.
    pub fn set_ttl(&self, ttl: u32) -> io::Result<()> {
        self.io.get().set_ttl(ttl)
    }

    /// Waits until the stream is ready for any of `interest` and returns
    /// the readiness seen. Use it with the `try_*` methods; any number of
    /// tasks may wait at once.
    ///
    /// # Errors
    ///
    /// The shutdown error once the runtime is gone.
    pub async fn ready(&self, interest: Interest) -> io::Result<Ready> {
        self.io.ready(interest).await
    }

    /// Waits until the stream is readable (or the peer closed, or an error
    /// is pending).
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

    /// Reads what is available now without waiting; `Ok(0)` is the end of
    /// the stream.
    ///
    /// # Errors
    ///
    /// `WouldBlock` when nothing is available (then wait with
    /// [`readable`](Self::readable)); any error of the socket.
    ///
    /// # Examples
    ///
    /// ```
    /// use weft::io::AsyncWriteExt;
    /// use weft::net::{TcpListener, TcpStream};
    ///
    /// #[weft::main]
    /// async fn main() -> std::io::Result<()> {
    ///     let listener = TcpListener::bind("127.0.0.1:0").await?;
    ///     let mut client = TcpStream::connect(listener.local_addr()?).await?;
    ///     let (server, _) = listener.accept().await?;
    ///     client.write_all(b"hi").await?;
    ///
    ///     let mut buf = [0; 8];
    ///     let n = loop {
    ///         server.readable().await?;
    ///         match server.try_read(&mut buf) {
    ///             Ok(n) => break n,
    ///             Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => continue,
    ///             Err(e) => return Err(e),
    ///         }
    ///     };
    ///     assert_eq!(&buf[..n], b"hi");
    ///     Ok(())
    /// }
    /// ```
    pub fn try_read(&self, buf: &mut [u8]) -> io::Result<usize> {
        self.io.try_read(buf)
    }

    /// Reads what is available now into the spare capacity of `buf` (a
    /// `Vec<u8>`, a `BytesMut`, any [`BufMut`](bytes::BufMut)), without
    /// waiting, and advances `buf` by the count returned. The spare
    /// capacity need not be initialized: nothing is zeroed first. `Ok(0)`
    /// is the end of the stream, or a `buf` with no room left (a `Vec`
    /// grows instead).
    ///
    /// # Errors
    ///
    /// As for [`try_read`](Self::try_read); `buf` is unchanged then.
    ///
    /// # Examples
    ///
    /// ```
    /// use weft::io::AsyncWriteExt;
    /// use weft::net::{TcpListener, TcpStream};
    ///
    /// #[weft::main]
    /// async fn main() -> std::io::Result<()> {
    ///     let listener = TcpListener::bind("127.0.0.1:0").await?;
    ///     let mut client = TcpStream::connect(listener.local_addr()?).await?;
    ///     let (server, _) = listener.accept().await?;
    ///     client.write_all(b"spare").await?;
    ///
    ///     let mut buf = Vec::with_capacity(64);
    ///     loop {
    ///         server.readable().await?;
    ///         match server.try_read_buf(&mut buf) {
    ///             Ok(_) => break,
    ///             Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => continue,
    ///             Err(e) => return Err(e),
    ///         }
    ///     }
    ///     assert_eq!(buf, b"spare");
    ///     Ok(())
    /// }
    /// ```
    pub fn try_read_buf<B: bytes::BufMut>(&self, buf: &mut B) -> io::Result<usize> {
        self.io.try_read_buf(buf)
    }

    /// Reads into several buffers what is available now.
    ///
    /// # Errors
    ///
    /// As for [`try_read`](Self::try_read).
    pub fn try_read_vectored(&self, bufs: &mut [IoSliceMut<'_>]) -> io::Result<usize> {
        self.io.try_read_vectored(bufs)
    }

    /// Writes what fits now without waiting.
    ///
    /// # Errors
    ///
    /// `WouldBlock` when the send buffer is full (then wait with
    /// [`writable`](Self::writable)); any error of the socket.
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

    /// Runs `f` if the stream is ready for `interest` now; if `f` returns
    /// `WouldBlock`, clears that readiness. For operations weft does not
    /// wrap, made directly on the descriptor.
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

    /// Receives bytes without removing them from the socket, waiting until
    /// some arrive.
    ///
    /// # Errors
    ///
    /// Any error of the socket; the shutdown error.
    pub async fn peek(&self, buf: &mut [u8]) -> io::Result<usize> {
        self.io.async_io(Interest::READABLE, |s| s.peek(buf)).await
    }

    /// Polls to receive bytes without removing them; on `Ready(Ok(n))`,
    /// `buf` was filled by `n` bytes.
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

    /// Splits the stream into a reading and a writing half that borrow it,
    /// for use in two futures of the same task (`join!`) or two scoped
    /// tasks. Free: no allocation, no locking.
    pub fn split(&mut self) -> (ReadHalf<'_>, WriteHalf<'_>) {
        split_impl(self)
    }

    /// Splits the stream into owned halves that can move into separate
    /// tasks. Dropping the writing half shuts the write direction down.
    pub fn into_split(self) -> (OwnedReadHalf, OwnedWriteHalf) {
        into_split_impl(self)
    }

    pub(crate) fn shutdown_write(&self) -> io::Result<()> {
        self.io.get().shutdown(Shutdown::Write)
    }
}

impl AsRef<Self> for TcpStream {
    fn as_ref(&self) -> &Self {
        self
    }
}

stream_io_impls!(TcpStream, |this| this.io);
stream_io_impls!(write TcpStream, |this| this.io, |this| this.shutdown_write());
socket_traits!(TcpStream, from stream: std::net::TcpStream);
