//! `UdpSocket`: datagrams over UDP.

use std::io;
use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr};
use std::os::fd::{AsFd, AsRawFd};
use std::task::{ready, Context, Poll};

use bytes::BufMut;
use tokio::io::ReadBuf;
use weft_reactor::Direction;

use crate::io::evented::Evented;
use crate::io::sys;
use crate::io::{Interest, Ready};
use crate::net::addr::{each_addr, to_socket_addrs, ToSocketAddrs};

/// A UDP socket.
///
/// Every method takes `&self`, so one socket can be shared between tasks
/// (in an `Arc`) to send and receive at once. The `async` methods let any
/// number of tasks wait together; the `poll_*` methods wake only the task
/// that polled last in each direction.
///
/// # Examples
///
/// ```
/// use weft::net::UdpSocket;
///
/// #[weft::main]
/// async fn main() -> std::io::Result<()> {
///     let a = UdpSocket::bind("127.0.0.1:0").await?;
///     let b = UdpSocket::bind("127.0.0.1:0").await?;
///     a.send_to(b"ping", b.local_addr()?).await?;
///     let mut buf = [0; 16];
///     let (n, from) = b.recv_from(&mut buf).await?;
///     assert_eq!((&buf[..n], from), (&b"ping"[..], a.local_addr()?));
///     Ok(())
/// }
/// ```
pub struct UdpSocket {
    io: Evented<mio::net::UdpSocket>,
}

impl UdpSocket {
    /// Binds a socket to `addr`, trying each address it resolves to.
    ///
    /// # Errors
    ///
    /// The error of the last address tried (`AddrInUse`, ...).
    ///
    /// # Panics
    ///
    /// Outside a weft runtime, or on one built without I/O.
    pub async fn bind<A: ToSocketAddrs>(addr: A) -> io::Result<UdpSocket> {
        each_addr(addr, |addr| async move {
            UdpSocket::new(mio::net::UdpSocket::bind(addr)?)
        })
        .await
    }

    #[track_caller]
    fn new(socket: mio::net::UdpSocket) -> io::Result<UdpSocket> {
        Ok(UdpSocket {
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
    pub fn from_std(socket: std::net::UdpSocket) -> io::Result<UdpSocket> {
        socket.set_nonblocking(true)?;
        UdpSocket::new(mio::net::UdpSocket::from_std(socket))
    }

    /// Deregisters the socket and returns it as a standard-library socket,
    /// still in non-blocking mode.
    ///
    /// # Errors
    ///
    /// If the socket cannot be deregistered.
    pub fn into_std(self) -> io::Result<std::net::UdpSocket> {
        Ok(self.io.into_inner()?.into())
    }

    /// Sets the default peer: [`send`](Self::send) goes there and
    /// [`recv`](Self::recv) only takes datagrams from it. Tries each
    /// address `addr` resolves to.
    ///
    /// # Errors
    ///
    /// The error of the last address tried.
    pub async fn connect<A: ToSocketAddrs>(&self, addr: A) -> io::Result<()> {
        each_addr(addr, |addr| async move { self.io.get().connect(addr) }).await
    }

    /// The local address.
    ///
    /// # Errors
    ///
    /// Any error of the socket.
    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        self.io.get().local_addr()
    }

    /// The peer set by [`connect`](Self::connect).
    ///
    /// # Errors
    ///
    /// `NotConnected` if none was set.
    pub fn peer_addr(&self) -> io::Result<SocketAddr> {
        self.io.get().peer_addr()
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

    /// Sends a datagram to the connected peer.
    ///
    /// # Errors
    ///
    /// `NotConnected` without a peer; `ConnectionRefused` when an earlier
    /// datagram found nobody listening; any error of the socket.
    pub async fn send(&self, buf: &[u8]) -> io::Result<usize> {
        self.io.async_io(Interest::WRITABLE, |s| s.send(buf)).await
    }

    /// Polls to send a datagram to the connected peer.
    ///
    /// # Errors
    ///
    /// As for [`send`](Self::send).
    pub fn poll_send(&self, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        self.io.poll_io(cx, Direction::Write, |s| s.send(buf))
    }

    /// Sends a datagram to the connected peer if that is possible now.
    ///
    /// # Errors
    ///
    /// `WouldBlock` if the socket is not writable now; as for
    /// [`send`](Self::send).
    pub fn try_send(&self, buf: &[u8]) -> io::Result<usize> {
        self.io.try_io(Interest::WRITABLE, |s| s.send(buf))
    }

    /// Receives a datagram from the connected peer. A datagram longer than
    /// `buf` is truncated.
    ///
    /// # Errors
    ///
    /// `ConnectionRefused` when an earlier datagram found nobody
    /// listening; any error of the socket.
    pub async fn recv(&self, buf: &mut [u8]) -> io::Result<usize> {
        self.io.async_io(Interest::READABLE, |s| s.recv(buf)).await
    }

    /// Polls to receive a datagram from the connected peer into `buf`.
    ///
    /// # Errors
    ///
    /// As for [`recv`](Self::recv).
    pub fn poll_recv(&self, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        ready!(self
            .io
            .poll_io(cx, Direction::Read, |s| sys::read_buf(s.as_raw_fd(), buf)))?;
        Poll::Ready(Ok(()))
    }

    /// Receives a datagram from the connected peer if one is waiting.
    ///
    /// # Errors
    ///
    /// `WouldBlock` if none is waiting; as for [`recv`](Self::recv).
    pub fn try_recv(&self, buf: &mut [u8]) -> io::Result<usize> {
        self.io.try_io(Interest::READABLE, |s| s.recv(buf))
    }

    /// Receives a datagram from the connected peer into the spare capacity
    /// of `buf` (a `Vec<u8>`, a `BytesMut`, any [`BufMut`]), waiting until
    /// one arrives, and advances `buf` by its length. The spare capacity
    /// need not be initialized; a datagram longer than it is truncated.
    ///
    /// # Errors
    ///
    /// As for [`recv`](Self::recv); `buf` is unchanged then.
    ///
    /// # Examples
    ///
    /// ```
    /// use weft::net::UdpSocket;
    ///
    /// #[weft::main]
    /// async fn main() -> std::io::Result<()> {
    ///     let a = UdpSocket::bind("127.0.0.1:0").await?;
    ///     let b = UdpSocket::bind("127.0.0.1:0").await?;
    ///     b.connect(a.local_addr()?).await?;
    ///     a.send_to(b"datagram", b.local_addr()?).await?;
    ///
    ///     let mut buf = Vec::with_capacity(1500);
    ///     let n = b.recv_buf(&mut buf).await?;
    ///     assert_eq!((n, &buf[..]), (8, &b"datagram"[..]));
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

    /// Receives a datagram from the connected peer into the spare capacity
    /// of `buf` if one is waiting, and advances `buf` by its length.
    ///
    /// # Errors
    ///
    /// `WouldBlock` if none is waiting (then wait with
    /// [`readable`](Self::readable)); as for [`recv`](Self::recv). `buf` is
    /// unchanged on any error.
    pub fn try_recv_buf<B: BufMut>(&self, buf: &mut B) -> io::Result<usize> {
        self.io.try_io(Interest::READABLE, |s| {
            sys::read_into_spare(buf, |buf| sys::read_buf(s.as_raw_fd(), buf))
        })
    }

    /// Sends a datagram to `target` (the first address it resolves to).
    ///
    /// # Errors
    ///
    /// A resolution error; any error of the socket.
    pub async fn send_to<A: ToSocketAddrs>(&self, buf: &[u8], target: A) -> io::Result<usize> {
        let target = to_socket_addrs(target).await?.next().ok_or_else(|| {
            io::Error::new(
                io::ErrorKind::InvalidInput,
                "the address resolved to no socket addresses",
            )
        })?;
        self.io
            .async_io(Interest::WRITABLE, |s| s.send_to(buf, target))
            .await
    }

    /// Polls to send a datagram to `target`.
    ///
    /// # Errors
    ///
    /// Any error of the socket.
    pub fn poll_send_to(
        &self,
        cx: &mut Context<'_>,
        buf: &[u8],
        target: SocketAddr,
    ) -> Poll<io::Result<usize>> {
        self.io
            .poll_io(cx, Direction::Write, |s| s.send_to(buf, target))
    }

    /// Sends a datagram to `target` if that is possible now.
    ///
    /// # Errors
    ///
    /// `WouldBlock` if the socket is not writable now; any error of the
    /// socket.
    pub fn try_send_to(&self, buf: &[u8], target: SocketAddr) -> io::Result<usize> {
        self.io
            .try_io(Interest::WRITABLE, |s| s.send_to(buf, target))
    }

    /// Receives a datagram and the address it came from.
    ///
    /// # Errors
    ///
    /// Any error of the socket.
    pub async fn recv_from(&self, buf: &mut [u8]) -> io::Result<(usize, SocketAddr)> {
        self.io
            .async_io(Interest::READABLE, |s| s.recv_from(buf))
            .await
    }

    /// Polls to receive a datagram into `buf`, returning its sender.
    ///
    /// # Errors
    ///
    /// Any error of the socket.
    pub fn poll_recv_from(
        &self,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<SocketAddr>> {
        let (_, from) = ready!(self
            .io
            .poll_io(cx, Direction::Read, |s| sys::recv_from_buf(s.as_fd(), buf)))?;
        Poll::Ready(Ok(from))
    }

    /// Receives a datagram and its sender if one is waiting.
    ///
    /// # Errors
    ///
    /// `WouldBlock` if none is waiting; any error of the socket.
    pub fn try_recv_from(&self, buf: &mut [u8]) -> io::Result<(usize, SocketAddr)> {
        self.io.try_io(Interest::READABLE, |s| s.recv_from(buf))
    }

    /// Receives a datagram into the spare capacity of `buf` (a `Vec<u8>`,
    /// a `BytesMut`, any [`BufMut`]), waiting until one arrives; advances
    /// `buf` by its length and returns that length with the sender. The
    /// spare capacity need not be initialized; a datagram longer than it
    /// is truncated.
    ///
    /// # Errors
    ///
    /// Any error of the socket; `buf` is unchanged then.
    ///
    /// # Examples
    ///
    /// ```
    /// use weft::net::UdpSocket;
    ///
    /// #[weft::main]
    /// async fn main() -> std::io::Result<()> {
    ///     let a = UdpSocket::bind("127.0.0.1:0").await?;
    ///     let b = UdpSocket::bind("127.0.0.1:0").await?;
    ///     a.send_to(b"hello", b.local_addr()?).await?;
    ///
    ///     let mut buf = Vec::with_capacity(1500);
    ///     let (n, from) = b.recv_buf_from(&mut buf).await?;
    ///     assert_eq!((&buf[..n], from), (&b"hello"[..], a.local_addr()?));
    ///     Ok(())
    /// }
    /// ```
    pub async fn recv_buf_from<B: BufMut>(&self, buf: &mut B) -> io::Result<(usize, SocketAddr)> {
        self.io
            .async_io(Interest::READABLE, |s| {
                sys::read_into_spare(buf, |buf| sys::recv_from_buf(s.as_fd(), buf))
            })
            .await
    }

    /// Receives a datagram and its sender into the spare capacity of `buf`
    /// if one is waiting, and advances `buf` by its length.
    ///
    /// # Errors
    ///
    /// `WouldBlock` if none is waiting; any error of the socket. `buf` is
    /// unchanged on any error.
    pub fn try_recv_buf_from<B: BufMut>(&self, buf: &mut B) -> io::Result<(usize, SocketAddr)> {
        self.io.try_io(Interest::READABLE, |s| {
            sys::read_into_spare(buf, |buf| sys::recv_from_buf(s.as_fd(), buf))
        })
    }

    /// Receives a datagram without removing it from the queue, with its
    /// sender.
    ///
    /// # Errors
    ///
    /// Any error of the socket.
    pub async fn peek_from(&self, buf: &mut [u8]) -> io::Result<(usize, SocketAddr)> {
        self.io
            .async_io(Interest::READABLE, |s| s.peek_from(buf))
            .await
    }

    /// Polls to receive a datagram into `buf` without removing it from the
    /// queue, returning its sender; only the last task to poll the
    /// receive direction is woken.
    ///
    /// # Errors
    ///
    /// Any error of the socket.
    pub fn poll_peek_from(
        &self,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<SocketAddr>> {
        let (_, from) = ready!(self
            .io
            .poll_io(cx, Direction::Read, |s| sys::peek_from_buf(s.as_fd(), buf)))?;
        Poll::Ready(Ok(from))
    }

    /// Receives a datagram and its sender without removing it from the
    /// queue, if one is waiting.
    ///
    /// # Errors
    ///
    /// `WouldBlock` if none is waiting; any error of the socket.
    pub fn try_peek_from(&self, buf: &mut [u8]) -> io::Result<(usize, SocketAddr)> {
        self.io.try_io(Interest::READABLE, |s| s.peek_from(buf))
    }

    /// The sender of the datagram at the head of the queue, waiting until
    /// one arrives. The datagram stays queued, whole, for the next
    /// receive, and no buffer is needed to learn who sent it.
    ///
    /// A datagram's source address is whatever its sender wrote there:
    /// anyone can forge it, so do not treat it as proof of identity.
    ///
    /// # Errors
    ///
    /// Any error of the socket.
    ///
    /// # Examples
    ///
    /// ```
    /// use weft::net::UdpSocket;
    ///
    /// #[weft::main]
    /// async fn main() -> std::io::Result<()> {
    ///     let a = UdpSocket::bind("127.0.0.1:0").await?;
    ///     let b = UdpSocket::bind("127.0.0.1:0").await?;
    ///     a.send_to(b"who am I?", b.local_addr()?).await?;
    ///
    ///     assert_eq!(b.peek_sender().await?, a.local_addr()?);
    ///     // The datagram is still there, whole.
    ///     let mut buf = [0; 16];
    ///     let (n, _) = b.recv_from(&mut buf).await?;
    ///     assert_eq!(&buf[..n], b"who am I?");
    ///     Ok(())
    /// }
    /// ```
    pub async fn peek_sender(&self) -> io::Result<SocketAddr> {
        self.io.async_io(Interest::READABLE, peek_sender).await
    }

    /// Polls for the sender of the datagram at the head of the queue,
    /// leaving the datagram there; only the last task to poll the receive
    /// direction is woken.
    ///
    /// # Errors
    ///
    /// As for [`peek_sender`](Self::peek_sender).
    pub fn poll_peek_sender(&self, cx: &mut Context<'_>) -> Poll<io::Result<SocketAddr>> {
        self.io.poll_io(cx, Direction::Read, peek_sender)
    }

    /// The sender of the datagram at the head of the queue, if one is
    /// waiting; the datagram stays there.
    ///
    /// # Errors
    ///
    /// `WouldBlock` if none is waiting; as for
    /// [`peek_sender`](Self::peek_sender).
    pub fn try_peek_sender(&self) -> io::Result<SocketAddr> {
        self.io.try_io(Interest::READABLE, peek_sender)
    }

    /// Receives a datagram from the connected peer without removing it.
    ///
    /// # Errors
    ///
    /// Any error of the socket.
    pub async fn peek(&self, buf: &mut [u8]) -> io::Result<usize> {
        self.io.async_io(Interest::READABLE, |s| s.peek(buf)).await
    }

    /// Polls to receive a datagram from the connected peer into `buf`
    /// without removing it from the queue; only the last task to poll the
    /// receive direction is woken.
    ///
    /// # Errors
    ///
    /// Any error of the socket.
    pub fn poll_peek(&self, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        ready!(self
            .io
            .poll_io(cx, Direction::Read, |s| sys::peek_buf(s.as_raw_fd(), buf)))?;
        Poll::Ready(Ok(()))
    }

    /// Receives a datagram from the connected peer without removing it
    /// from the queue, if one is waiting.
    ///
    /// # Errors
    ///
    /// `WouldBlock` if none is waiting; any error of the socket.
    pub fn try_peek(&self, buf: &mut [u8]) -> io::Result<usize> {
        self.io.try_io(Interest::READABLE, |s| s.peek(buf))
    }

    /// Runs `f` if the socket is ready for `interest` now; clears that
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

    /// Sets `SO_BROADCAST`: allow sending to broadcast addresses.
    ///
    /// # Errors
    ///
    /// If the option cannot be set.
    pub fn set_broadcast(&self, on: bool) -> io::Result<()> {
        self.io.get().set_broadcast(on)
    }

    /// The `SO_BROADCAST` setting.
    ///
    /// # Errors
    ///
    /// If the option cannot be read.
    pub fn broadcast(&self) -> io::Result<bool> {
        self.io.get().broadcast()
    }

    /// Sets `IP_MULTICAST_LOOP`: whether this host receives its own IPv4
    /// multicast datagrams.
    ///
    /// # Errors
    ///
    /// If the option cannot be set.
    pub fn set_multicast_loop_v4(&self, on: bool) -> io::Result<()> {
        self.io.get().set_multicast_loop_v4(on)
    }

    /// The `IP_MULTICAST_LOOP` setting.
    ///
    /// # Errors
    ///
    /// If the option cannot be read.
    pub fn multicast_loop_v4(&self) -> io::Result<bool> {
        self.io.get().multicast_loop_v4()
    }

    /// Sets `IP_MULTICAST_TTL`.
    ///
    /// # Errors
    ///
    /// If the option cannot be set.
    pub fn set_multicast_ttl_v4(&self, ttl: u32) -> io::Result<()> {
        self.io.get().set_multicast_ttl_v4(ttl)
    }

    /// The `IP_MULTICAST_TTL` setting.
    ///
    /// # Errors
    ///
    /// If the option cannot be read.
    pub fn multicast_ttl_v4(&self) -> io::Result<u32> {
        self.io.get().multicast_ttl_v4()
    }

    /// Sets `IPV6_MULTICAST_LOOP`.
    ///
    /// # Errors
    ///
    /// If the option cannot be set.
    pub fn set_multicast_loop_v6(&self, on: bool) -> io::Result<()> {
        self.io.get().set_multicast_loop_v6(on)
    }

    /// The `IPV6_MULTICAST_LOOP` setting.
    ///
    /// # Errors
    ///
    /// If the option cannot be read.
    pub fn multicast_loop_v6(&self) -> io::Result<bool> {
        self.io.get().multicast_loop_v6()
    }

    /// Joins the IPv4 multicast group `multiaddr` on `interface`.
    ///
    /// # Errors
    ///
    /// If the OS refuses.
    pub fn join_multicast_v4(&self, multiaddr: Ipv4Addr, interface: Ipv4Addr) -> io::Result<()> {
        self.io.get().join_multicast_v4(&multiaddr, &interface)
    }

    /// Leaves the IPv4 multicast group `multiaddr` on `interface`.
    ///
    /// # Errors
    ///
    /// If the OS refuses.
    pub fn leave_multicast_v4(&self, multiaddr: Ipv4Addr, interface: Ipv4Addr) -> io::Result<()> {
        self.io.get().leave_multicast_v4(&multiaddr, &interface)
    }

    /// Joins the IPv6 multicast group `multiaddr` on interface index
    /// `interface` (0: any).
    ///
    /// # Errors
    ///
    /// If the OS refuses.
    pub fn join_multicast_v6(&self, multiaddr: &Ipv6Addr, interface: u32) -> io::Result<()> {
        self.io.get().join_multicast_v6(multiaddr, interface)
    }

    /// Leaves the IPv6 multicast group `multiaddr`.
    ///
    /// # Errors
    ///
    /// If the OS refuses.
    pub fn leave_multicast_v6(&self, multiaddr: &Ipv6Addr, interface: u32) -> io::Result<()> {
        self.io.get().leave_multicast_v6(multiaddr, interface)
    }

    /// The IP time-to-live of outgoing datagrams.
    ///
    /// # Errors
    ///
    /// If the option cannot be read.
    pub fn ttl(&self) -> io::Result<u32> {
        self.io.get().ttl()
    }

    /// Sets the IP time-to-live of outgoing datagrams.
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

/// The sender of the datagram at the head of `socket`'s queue, which
/// stays queued: socket2 peeks it into a few bytes of scratch space, and a
/// peek leaves the datagram whole however little of it was copied.
fn peek_sender(socket: &mio::net::UdpSocket) -> io::Result<SocketAddr> {
    socket2::SockRef::from(socket)
        .peek_sender()?
        .as_socket()
        .ok_or_else(|| {
            io::Error::new(
                io::ErrorKind::InvalidData,
                "the datagram's sender has no IP address",
            )
        })
}

ip_options!(
    UdpSocket,
    |socket| socket2::SockRef::from(socket.io.get()),
    "datagrams",
    "use weft::net::UdpSocket;

#[weft::main]
async fn main() -> std::io::Result<()> {
    let socket = UdpSocket::bind(\"127.0.0.1:0\").await?;
    socket.set_tos_v4(0x10)?; // \"low delay\"
    assert_eq!(socket.tos_v4()?, 0x10);
    Ok(())
}"
);

socket_traits!(UdpSocket, from socket: std::net::UdpSocket);
