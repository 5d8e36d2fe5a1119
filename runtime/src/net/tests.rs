//! What the socket types share: descriptor and `Debug` forwarding,
//! `TryFrom`, the readiness helpers, the methods both kinds of split half
//! have, and the budget that readiness waits charge.

use std::fmt::Debug;
use std::future::{poll_fn, Future};
use std::io;
use std::net::SocketAddr;
use std::os::fd::{AsFd, AsRawFd};
use std::task::Poll;

use super::{TcpListener, TcpStream, UdpSocket, UnixDatagram, UnixListener, UnixStream};
use crate::io::{AsyncReadExt, AsyncWriteExt, Interest, Ready};
use crate::loom::sync::atomic::{AtomicBool, Ordering};
use crate::loom::sync::Arc;

/// Runs `f` on a fresh one-thread runtime with I/O.
fn block_on<F: Future>(f: F) -> F::Output {
    let rt = crate::runtime::Builder::new_current_thread()
        .enable_io()
        .build();
    rt.unwrap().block_on(f)
}

/// Checks that `socket`'s descriptor and `Debug` output are those of the
/// source it gives back through `into_std`.
fn check_forwarding<S, Std>(socket: S, into_std: impl FnOnce(S) -> io::Result<Std>)
where
    S: AsRawFd + AsFd + Debug,
    Std: AsRawFd + Debug,
{
    let fd = socket.as_raw_fd();
    assert!(fd >= 0);
    assert_eq!(socket.as_fd().as_raw_fd(), fd);
    let shown = format!("{socket:?}");
    let std = into_std(socket).unwrap();
    assert_eq!(std.as_raw_fd(), fd);
    assert_eq!(format!("{std:?}"), shown);
}

#[test]
fn every_socket_forwards_its_descriptor_and_debug_to_its_source() {
    let dir = tempfile::tempdir().unwrap();
    block_on(async {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let client = TcpStream::connect(listener.local_addr().unwrap())
            .await
            .unwrap();
        check_forwarding(client, TcpStream::into_std);
        check_forwarding(listener, TcpListener::into_std);

        let udp = UdpSocket::bind("127.0.0.1:0").await.unwrap();
        check_forwarding(udp, UdpSocket::into_std);

        let unix_listener = UnixListener::bind(dir.path().join("forward.sock")).unwrap();
        check_forwarding(unix_listener, UnixListener::into_std);
        let (a, _b) = UnixStream::pair().unwrap();
        check_forwarding(a, UnixStream::into_std);
        let (a, _b) = UnixDatagram::pair().unwrap();
        check_forwarding(a, UnixDatagram::into_std);
    });
}

#[test]
fn try_from_registers_a_standard_library_socket() {
    block_on(async {
        let std_listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = std_listener.local_addr().unwrap();
        let listener = TcpListener::try_from(std_listener).unwrap();
        assert_eq!(listener.local_addr().unwrap(), addr);
        let std_client = std::net::TcpStream::connect(addr).unwrap();
        let mut client = TcpStream::try_from(std_client).unwrap();
        let (mut server, peer) = listener.accept().await.unwrap();
        assert_eq!(client.local_addr().unwrap(), peer);
        client.write_all(b"tcp").await.unwrap();
        let mut buf = [0; 3];
        server.read_exact(&mut buf).await.unwrap();
        assert_eq!(&buf, b"tcp");

        let std_udp = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
        let udp_addr = std_udp.local_addr().unwrap();
        let udp = UdpSocket::try_from(std_udp).unwrap();
        udp.send_to(b"udp", udp_addr).await.unwrap();
        assert_eq!(udp.recv_from(&mut buf).await.unwrap(), (3, udp_addr));
        assert_eq!(&buf, b"udp");

        let (a, b) = std::os::unix::net::UnixStream::pair().unwrap();
        let mut a = UnixStream::try_from(a).unwrap();
        let mut b = UnixStream::try_from(b).unwrap();
        a.write_all(b"uds").await.unwrap();
        b.read_exact(&mut buf).await.unwrap();
        assert_eq!(&buf, b"uds");
    });
}

#[test]
fn poll_read_ready_waits_for_data_and_poll_write_ready_does_not() {
    block_on(async {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let client = TcpStream::connect(listener.local_addr().unwrap())
            .await
            .unwrap();
        let (server, _) = listener.accept().await.unwrap();
        let (a, b) = UnixStream::pair().unwrap();

        poll_fn(|cx| client.poll_write_ready(cx)).await.unwrap();
        poll_fn(|cx| a.poll_write_ready(cx)).await.unwrap();
        poll_fn(|cx| {
            assert!(server.poll_read_ready(cx).is_pending());
            assert!(b.poll_read_ready(cx).is_pending());
            Poll::Ready(())
        })
        .await;

        assert_eq!(client.try_write(b"ping").unwrap(), 4);
        assert_eq!(a.try_write(b"ping").unwrap(), 4);
        poll_fn(|cx| server.poll_read_ready(cx)).await.unwrap();
        poll_fn(|cx| b.poll_read_ready(cx)).await.unwrap();
        let mut buf = [0; 8];
        assert_eq!(server.try_read(&mut buf).unwrap(), 4);
        assert_eq!(b.try_read(&mut buf).unwrap(), 4);
    });
}

#[test]
fn datagram_sockets_report_readiness_once_a_datagram_waits() {
    block_on(async {
        let (a, b) = UnixDatagram::pair().unwrap();
        b.writable().await.unwrap();
        let ready = b.ready(Interest::WRITABLE).await.unwrap();
        assert!(ready.is_writable() && !ready.is_readable());
        a.send(b"one").await.unwrap();
        b.readable().await.unwrap();
        assert!(b.ready(Interest::READABLE).await.unwrap().is_readable());
        let mut buf = [0; 8];
        assert_eq!(b.try_recv(&mut buf).unwrap(), 3);

        let udp = UdpSocket::bind("127.0.0.1:0").await.unwrap();
        udp.writable().await.unwrap();
        udp.send_to(b"two", udp.local_addr().unwrap())
            .await
            .unwrap();
        udp.readable().await.unwrap();
        assert!(udp.ready(Interest::READABLE).await.unwrap().is_readable());
        assert_eq!(udp.try_recv(&mut buf).unwrap(), 3);
    });
}

/// Checks one half of a TCP stream whose addresses are `want`: the
/// addresses it reports and its write readiness.
async fn check_half(
    got: (io::Result<SocketAddr>, io::Result<SocketAddr>),
    want: (SocketAddr, SocketAddr),
    ready: impl Future<Output = io::Result<Ready>>,
) {
    assert_eq!((got.0.unwrap(), got.1.unwrap()), want);
    assert!(ready.await.unwrap().is_writable());
}

#[test]
fn both_kinds_of_half_report_addresses_and_readiness() {
    block_on(async {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let mut client = TcpStream::connect(listener.local_addr().unwrap())
            .await
            .unwrap();
        let _server = listener.accept().await.unwrap();
        let want = (client.local_addr().unwrap(), client.peer_addr().unwrap());
        let (read, write) = client.split();
        let got = (read.local_addr(), read.peer_addr());
        check_half(got, want, read.ready(Interest::WRITABLE)).await;
        let got = (write.local_addr(), write.peer_addr());
        check_half(got, want, write.ready(Interest::WRITABLE)).await;
        let (read, write) = client.into_split();
        let got = (read.local_addr(), read.peer_addr());
        check_half(got, want, read.ready(Interest::WRITABLE)).await;
        let got = (write.local_addr(), write.peer_addr());
        check_half(got, want, write.ready(Interest::WRITABLE)).await;

        let (mut a, _b) = UnixStream::pair().unwrap();
        let (read, write) = a.split();
        assert!(read.peer_addr().unwrap().is_unnamed());
        assert!(write.ready(Interest::WRITABLE).await.unwrap().is_writable());
        let (read, write) = a.into_split();
        assert!(write.local_addr().unwrap().is_unnamed());
        assert!(read.ready(Interest::WRITABLE).await.unwrap().is_writable());
    });
}

/// Calls `wait`, which is always ready at once, until a task spawned
/// beside the caller has run; fails if that takes more calls than any
/// budget allows.
async fn wait_until_a_neighbour_runs<F, Fut>(mut wait: F)
where
    F: FnMut() -> Fut,
    Fut: Future<Output = io::Result<()>>,
{
    let ran = Arc::new(AtomicBool::new(false));
    let neighbour = crate::spawn({
        let ran = ran.clone();
        async move { ran.store(true, Ordering::SeqCst) }
    });
    let mut waits = 0;
    while !ran.load(Ordering::SeqCst) {
        wait().await.unwrap();
        waits += 1;
        assert!(waits < 10_000, "a ready socket never let its neighbour run");
    }
    neighbour.await.unwrap();
}

#[test]
fn readiness_waits_on_a_ready_socket_spend_the_budget() {
    block_on(async {
        crate::spawn(async {
            let (a, _b) = UnixStream::pair().unwrap();
            let a = &a;
            wait_until_a_neighbour_runs(|| a.writable()).await;
            wait_until_a_neighbour_runs(
                || async move { a.ready(Interest::WRITABLE).await.map(drop) },
            )
            .await;
            wait_until_a_neighbour_runs(|| poll_fn(|cx| a.poll_write_ready(cx))).await;
        })
        .await
        .unwrap();
    });
}
