//! Unix-domain streams, listeners and datagrams, in a temporary directory.

mod net_support;

use std::future::poll_fn;
use std::io::ErrorKind;
use std::task::Poll;

use net_support::*;
use weft::io::{AsyncReadExt, AsyncWriteExt, Interest, ReadBuf};
use weft::net::unix::SocketAddr;
use weft::net::{UnixDatagram, UnixListener, UnixSocket, UnixStream};

#[test]
fn stream_echo_over_a_path() {
    both("unix echo", || async {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("echo.sock");
        let listener = UnixListener::bind(&path).unwrap();
        assert_eq!(
            listener.local_addr().unwrap().as_pathname(),
            Some(path.as_path())
        );
        let server = weft::spawn(async move {
            let mut served = 0;
            for _ in 0..10 {
                let (mut socket, _) = listener.accept().await.unwrap();
                weft::spawn(async move {
                    let (mut r, mut w) = socket.split();
                    weft::io::copy(&mut r, &mut w).await.unwrap();
                });
                served += 1;
            }
            served
        });
        let clients: Vec<_> = (0..10)
            .map(|i| {
                let path = path.clone();
                weft::spawn(async move {
                    let mut stream = UnixStream::connect(&path).await.unwrap();
                    let message = format!("message {i}");
                    stream.write_all(message.as_bytes()).await.unwrap();
                    stream.shutdown().await.unwrap();
                    let mut back = String::new();
                    stream.read_to_string(&mut back).await.unwrap();
                    assert_eq!(back, message);
                })
            })
            .collect();
        for client in clients {
            client.await.unwrap();
        }
        assert_eq!(server.await.unwrap(), 10);
        drop(dir);
    });
}

#[test]
fn pair_owned_halves_and_reunite() {
    both("unix pair", || async {
        let (a, mut b) = UnixStream::pair().unwrap();
        let (mut reader, mut writer) = a.into_split();
        let writing = weft::spawn(async move {
            writer.write_all(&[7; 100_000]).await.unwrap();
            writer
        });
        let echo = weft::spawn(async move {
            let mut buf = vec![0; 100_000];
            b.read_exact(&mut buf).await.unwrap();
            assert!(buf.iter().all(|&x| x == 7));
            b.write_all(b"done").await.unwrap();
            b
        });
        let writer = writing.await.unwrap();
        let mut done = [0; 4];
        reader.read_exact(&mut done).await.unwrap();
        assert_eq!(&done, b"done");
        let a = reader.reunite(writer).unwrap();
        let b = echo.await.unwrap();
        assert!(a.peer_addr().unwrap().is_unnamed());
        assert!(b.local_addr().unwrap().is_unnamed());
    });
}

#[test]
fn try_methods_and_peek() {
    both("unix try", || async {
        let (a, b) = UnixStream::pair().unwrap();
        let mut buf = [0; 8];
        assert_eq!(
            b.try_read(&mut buf).unwrap_err().kind(),
            ErrorKind::WouldBlock
        );
        a.writable().await.unwrap();
        assert_eq!(a.try_write(b"xyz").unwrap(), 3);
        assert_eq!(b.peek(&mut buf).await.unwrap(), 3);
        b.readable().await.unwrap();
        assert_eq!(b.try_read(&mut buf).unwrap(), 3);
        assert_eq!(&buf[..3], b"xyz");
    });
}

#[test]
fn connecting_to_nothing_fails() {
    both("unix connect errors", || async {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("missing.sock");
        let error = UnixStream::connect(&missing).await.unwrap_err();
        assert_eq!(error.kind(), ErrorKind::NotFound);

        let path = dir.path().join("taken.sock");
        let _listener = UnixListener::bind(&path).unwrap();
        let error = UnixListener::bind(&path).unwrap_err();
        assert_eq!(error.kind(), ErrorKind::AddrInUse);
    });
}

#[test]
fn datagrams_bound_unbound_and_paired() {
    both("unix datagram", || async {
        let dir = tempfile::tempdir().unwrap();
        let server_path = dir.path().join("server.sock");
        let client_path = dir.path().join("client.sock");
        let server = UnixDatagram::bind(&server_path).unwrap();
        let client = UnixDatagram::bind(&client_path).unwrap();

        client.send_to(b"request", &server_path).await.unwrap();
        let mut buf = [0; 16];
        let (n, from) = server.recv_from(&mut buf).await.unwrap();
        assert_eq!(&buf[..n], b"request");
        assert_eq!(from.as_pathname(), Some(client_path.as_path()));
        server
            .send_to(b"reply", from.as_pathname().unwrap())
            .await
            .unwrap();
        let n = client.recv(&mut buf).await.unwrap();
        assert_eq!(&buf[..n], b"reply");

        let unbound = UnixDatagram::unbound().unwrap();
        unbound.connect(&server_path).unwrap();
        unbound.send(b"anonymous").await.unwrap();
        let (n, from) = server.recv_from(&mut buf).await.unwrap();
        assert_eq!(&buf[..n], b"anonymous");
        assert!(from.is_unnamed());

        let (a, b) = UnixDatagram::pair().unwrap();
        assert_eq!(
            b.try_recv(&mut buf).unwrap_err().kind(),
            ErrorKind::WouldBlock
        );
        a.send(b"one").await.unwrap();
        a.send(b"two").await.unwrap();
        let n = b.recv(&mut buf).await.unwrap();
        assert_eq!(&buf[..n], b"one");
        b.readable().await.unwrap();
        let n = b.try_recv(&mut buf).unwrap();
        assert_eq!(&buf[..n], b"two");
        a.shutdown(std::net::Shutdown::Write).unwrap();
        assert!(a.send(b"late").await.is_err());
    });
}

#[test]
fn peer_credentials_name_this_process_at_both_ends() {
    both("unix peer_cred", || async {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cred.sock");
        let listener = UnixListener::bind(&path).unwrap();
        let client = UnixStream::connect(&path).await.unwrap();
        let (server, _) = listener.accept().await.unwrap();
        // SAFETY: geteuid and getegid cannot fail and touch no memory.
        let (uid, gid) = unsafe { (libc::geteuid(), libc::getegid()) };
        let pid = Some(std::process::id() as libc::pid_t);
        for cred in [client.peer_cred().unwrap(), server.peer_cred().unwrap()] {
            assert_eq!((cred.uid(), cred.gid(), cred.pid()), (uid, gid, pid));
        }
        let (a, _b) = UnixStream::pair().unwrap();
        assert_eq!(a.peer_cred().unwrap().pid(), pid);
    });
}

#[test]
fn try_read_buf_on_the_stream_and_its_halves() {
    both("unix try_read_buf", || async {
        let (mut a, mut b) = UnixStream::pair().unwrap();
        let mut vec = Vec::with_capacity(16);
        assert_eq!(
            b.try_read_buf(&mut vec).unwrap_err().kind(),
            ErrorKind::WouldBlock
        );
        assert!(vec.is_empty());
        a.write_all(b"stream").await.unwrap();
        b.readable().await.unwrap();
        assert_eq!(b.try_read_buf(&mut vec).unwrap(), 6);
        assert_eq!(vec, b"stream");

        {
            let (reader, _writer) = b.split();
            a.write_all(b"+borrowed").await.unwrap();
            reader.readable().await.unwrap();
            assert_eq!(reader.try_read_buf(&mut vec).unwrap(), 9);
        }
        assert_eq!(vec, b"stream+borrowed");

        let (reader, _writer) = b.into_split();
        let mut bytes = bytes::BytesMut::with_capacity(8);
        assert_eq!(
            reader.try_read_buf(&mut bytes).unwrap_err().kind(),
            ErrorKind::WouldBlock
        );
        a.write_all(b"owned").await.unwrap();
        reader.readable().await.unwrap();
        assert_eq!(reader.try_read_buf(&mut bytes).unwrap(), 5);
        assert_eq!(&bytes[..], b"owned");
    });
}

#[test]
fn datagram_poll_methods_fill_a_read_buf() {
    both("unix datagram poll", || async {
        let dir = tempfile::tempdir().unwrap();
        let server_path = dir.path().join("server.sock");
        let client_path = dir.path().join("client.sock");
        let server = UnixDatagram::bind(&server_path).unwrap();
        let client = UnixDatagram::bind(&client_path).unwrap();

        poll_fn(|cx| client.poll_send_ready(cx)).await.unwrap();
        let sent = poll_fn(|cx| client.poll_send_to(cx, b"polled request", &server_path))
            .await
            .unwrap();
        assert_eq!(sent, 14);
        poll_fn(|cx| server.poll_recv_ready(cx)).await.unwrap();
        let mut storage = [0; 32];
        let mut buf = ReadBuf::new(&mut storage);
        buf.put_slice(b">");
        let from = poll_fn(|cx| server.poll_recv_from(cx, &mut buf))
            .await
            .unwrap();
        // Appended after what the buffer already held.
        assert_eq!(buf.filled(), b">polled request");
        assert_eq!(from.as_pathname(), Some(client_path.as_path()));

        // A datagram longer than the room left is cut to fit.
        server.send_to(b"0123456789", &client_path).await.unwrap();
        let mut storage = [0; 4];
        let mut buf = ReadBuf::new(&mut storage);
        poll_fn(|cx| client.poll_recv(cx, &mut buf)).await.unwrap();
        assert_eq!(buf.filled(), b"0123");

        // Nothing waiting: pending, not an error.
        let mut storage = [0; 4];
        let mut buf = ReadBuf::new(&mut storage);
        let polled = poll_fn(|cx| Poll::Ready(client.poll_recv(cx, &mut buf))).await;
        assert!(polled.is_pending());
    });
}

#[test]
fn datagram_recv_buf_into_spare_capacity() {
    both("unix datagram recv_buf", || async {
        let (a, b) = UnixDatagram::pair().unwrap();
        let mut vec = Vec::with_capacity(64);
        assert_eq!(
            b.try_recv_buf(&mut vec).unwrap_err().kind(),
            ErrorKind::WouldBlock
        );
        assert!(vec.is_empty());

        a.send(b"first").await.unwrap();
        a.send(b"second").await.unwrap();
        assert_eq!(b.recv_buf(&mut vec).await.unwrap(), 5);
        b.readable().await.unwrap();
        assert_eq!(b.try_recv_buf(&mut vec).unwrap(), 6);
        assert_eq!(vec, b"firstsecond");

        // A fixed slice is a `BufMut` with no room to grow: the datagram
        // is cut to the slice.
        a.send(b"truncated").await.unwrap();
        let mut storage = [0u8; 5];
        let mut slice = &mut storage[..];
        assert_eq!(b.recv_buf(&mut slice).await.unwrap(), 5);
        assert_eq!(&storage, b"trunc");

        let mut bytes = bytes::BytesMut::with_capacity(16);
        a.send(b"pair").await.unwrap();
        let (n, from) = b.recv_buf_from(&mut bytes).await.unwrap();
        assert_eq!((n, &bytes[..]), (4, &b"pair"[..]));
        assert!(from.is_unnamed());
    });
}

#[test]
fn datagram_recv_buf_from_names_the_sender() {
    both("unix datagram recv_buf_from", || async {
        let dir = tempfile::tempdir().unwrap();
        let server_path = dir.path().join("server.sock");
        let client_path = dir.path().join("client.sock");
        let server = UnixDatagram::bind(&server_path).unwrap();
        let client = UnixDatagram::bind(&client_path).unwrap();
        let anonymous = UnixDatagram::unbound().unwrap();

        let mut buf = Vec::with_capacity(64);
        assert_eq!(
            server.try_recv_buf_from(&mut buf).unwrap_err().kind(),
            ErrorKind::WouldBlock
        );
        client.send_to(b"named", &server_path).await.unwrap();
        let (n, from) = server.recv_buf_from(&mut buf).await.unwrap();
        assert_eq!(n, 5);
        assert_eq!(from.as_pathname(), Some(client_path.as_path()));

        anonymous.send_to(b"unnamed", &server_path).await.unwrap();
        server.readable().await.unwrap();
        let (n, from) = server.try_recv_buf_from(&mut buf).unwrap();
        assert_eq!(n, 7);
        assert!(from.is_unnamed());
        assert_eq!(from.as_pathname(), None);
        assert_eq!(buf, b"namedunnamed");
    });
}

#[test]
fn datagram_try_io_and_async_io_run_the_callers_io() {
    both("unix datagram try_io", || async {
        let (a, b) = UnixDatagram::pair().unwrap();
        // The caller's own view of the socket, sharing its open file.
        let b_std = std::os::unix::net::UnixDatagram::from(
            std::os::fd::AsFd::as_fd(&b).try_clone_to_owned().unwrap(),
        );
        let mut buf = [0; 16];
        let result = b.try_io(Interest::READABLE, || b_std.recv(&mut buf));
        assert_eq!(result.unwrap_err().kind(), ErrorKind::WouldBlock);

        let sender = weft::spawn(async move {
            a.send(b"by hand").await.unwrap();
            a
        });
        let n = b
            .async_io(Interest::READABLE, || b_std.recv(&mut buf))
            .await
            .unwrap();
        assert_eq!(&buf[..n], b"by hand");
        let a = sender.await.unwrap();

        let a_std = std::os::unix::net::UnixDatagram::from(
            std::os::fd::AsFd::as_fd(&a).try_clone_to_owned().unwrap(),
        );
        a.writable().await.unwrap();
        let n = a
            .try_io(Interest::WRITABLE, || a_std.send(b"written by hand"))
            .unwrap();
        assert_eq!(n, 15);
        let n = b.recv(&mut buf).await.unwrap();
        assert_eq!(&buf[..n], b"written by hand");
    });
}

#[test]
fn try_from_std_listener_and_datagram() {
    both("unix try_from", || async {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("std.sock");
        let std_listener = std::os::unix::net::UnixListener::bind(&path).unwrap();
        let listener = UnixListener::try_from(std_listener).unwrap();
        let client = UnixStream::connect(&path).await.unwrap();
        let (server, _) = listener.accept().await.unwrap();
        let client_ref: &UnixStream = client.as_ref();
        assert!(client_ref.peer_addr().unwrap().as_pathname() == Some(path.as_path()));
        drop(server);

        let (a, b) = std::os::unix::net::UnixDatagram::pair().unwrap();
        let a = UnixDatagram::try_from(a).unwrap();
        let b = UnixDatagram::try_from(b).unwrap();
        a.send(b"adopted").await.unwrap();
        let mut buf = [0; 8];
        let n = b.recv(&mut buf).await.unwrap();
        assert_eq!(&buf[..n], b"adopted");
    });
}

#[test]
fn bind_addr_and_connect_addr_with_a_path() {
    both("unix bind_addr path", || async {
        let dir = tempfile::tempdir().unwrap();
        let addr = SocketAddr::from_pathname(dir.path().join("addr.sock")).unwrap();
        let listener = UnixListener::bind_addr(&addr).unwrap();
        assert_eq!(
            listener.local_addr().unwrap().as_pathname(),
            addr.as_pathname()
        );
        let mut client = UnixStream::connect_addr(&addr).await.unwrap();
        let (mut server, _) = listener.accept().await.unwrap();
        client.write_all(b"by address").await.unwrap();
        let mut buf = [0; 10];
        server.read_exact(&mut buf).await.unwrap();
        assert_eq!(&buf, b"by address");

        let error = UnixListener::bind_addr(&addr).unwrap_err();
        assert_eq!(error.kind(), ErrorKind::AddrInUse);
        let missing = SocketAddr::from_pathname(dir.path().join("missing.sock")).unwrap();
        let error = UnixStream::connect_addr(&missing).await.unwrap_err();
        assert_eq!(error.kind(), ErrorKind::NotFound);
    });
}

/// The descriptor flags (`F_GETFD`) and file status flags (`F_GETFL`)
/// of `fd`.
fn fd_flags(fd: std::os::fd::BorrowedFd<'_>) -> (i32, i32) {
    use std::os::fd::AsRawFd;
    // SAFETY: F_GETFD and F_GETFL take no argument and only read flags;
    // `fd` is borrowed, so open for the calls.
    let (fd_flags, fl_flags) = unsafe {
        (
            libc::fcntl(fd.as_raw_fd(), libc::F_GETFD),
            libc::fcntl(fd.as_raw_fd(), libc::F_GETFL),
        )
    };
    assert!(fd_flags != -1 && fl_flags != -1, "fcntl: {}", std::io::Error::last_os_error());
    (fd_flags, fl_flags)
}

#[test]
fn unix_socket_streams_listen_and_connect_through_a_path() {
    use std::os::fd::AsFd;

    both("unix socket stream", || async {
        let dir = tempfile::tempdir().unwrap();
        let server_path = dir.path().join("server.sock");
        let client_path = dir.path().join("client.sock");

        let server = UnixSocket::new_stream().unwrap();
        let client = UnixSocket::new_stream().unwrap();
        for socket in [&server, &client] {
            let (fd_flags, fl_flags) = fd_flags(socket.as_fd());
            assert_ne!(fd_flags & libc::FD_CLOEXEC, 0, "not close-on-exec");
            assert_ne!(fl_flags & libc::O_NONBLOCK, 0, "blocking");
        }
        assert!(format!("{server:?}").contains("Socket"));

        server.bind(&server_path).unwrap();
        let listener = server.listen(8).unwrap();
        assert_eq!(
            listener.local_addr().unwrap().as_pathname(),
            Some(server_path.as_path())
        );
        client.bind(&client_path).unwrap();
        let mut client = client.connect(&server_path).await.unwrap();
        let (mut accepted, peer) = listener.accept().await.unwrap();
        assert_eq!(peer.as_pathname(), Some(client_path.as_path()));
        assert_eq!(
            client.peer_addr().unwrap().as_pathname(),
            Some(server_path.as_path())
        );

        client.write_all(b"ping").await.unwrap();
        let mut buf = [0; 4];
        accepted.read_exact(&mut buf).await.unwrap();
        assert_eq!(&buf, b"ping");
        accepted.write_all(b"pong").await.unwrap();
        drop(accepted);
        let mut back = Vec::new();
        client.read_to_end(&mut back).await.unwrap();
        assert_eq!(back, b"pong");

        // Nothing listens at a fresh path.
        let error = UnixSocket::new_stream()
            .unwrap()
            .connect(dir.path().join("missing.sock"))
            .await
            .unwrap_err();
        assert_eq!(error.kind(), ErrorKind::NotFound);
    });
}

#[test]
fn unix_socket_datagrams_bind_send_to_and_recv_from() {
    both("unix socket datagram", || async {
        let dir = tempfile::tempdir().unwrap();
        let server_path = dir.path().join("server.sock");
        let client_path = dir.path().join("client.sock");

        let server = UnixSocket::new_datagram().unwrap();
        server.bind(&server_path).unwrap();
        let server = server.datagram().unwrap();
        let client = UnixSocket::new_datagram().unwrap();
        client.bind(&client_path).unwrap();
        let client = client.datagram().unwrap();

        client.send_to(b"request", &server_path).await.unwrap();
        let mut buf = [0; 16];
        let (n, from) = server.recv_from(&mut buf).await.unwrap();
        assert_eq!(&buf[..n], b"request");
        assert_eq!(from.as_pathname(), Some(client_path.as_path()));
        server.send_to(b"reply", &client_path).await.unwrap();
        let (n, from) = client.recv_from(&mut buf).await.unwrap();
        assert_eq!(&buf[..n], b"reply");
        assert_eq!(from.as_pathname(), Some(server_path.as_path()));

        // Unbound, it can still send; the receiver sees no name.
        let unbound = UnixSocket::new_datagram().unwrap().datagram().unwrap();
        unbound.send_to(b"anonymous", &server_path).await.unwrap();
        let (n, from) = server.recv_from(&mut buf).await.unwrap();
        assert_eq!(&buf[..n], b"anonymous");
        assert!(from.is_unnamed());
    });
}

#[test]
fn unix_socket_refuses_the_other_type_and_a_taken_path() {
    both("unix socket errors", || async {
        let dir = tempfile::tempdir().unwrap();

        let error = UnixSocket::new_datagram().unwrap().listen(8).unwrap_err();
        assert_eq!(error.kind(), ErrorKind::InvalidInput);
        assert!(error.to_string().contains("new_stream"), "{error}");
        let error = UnixSocket::new_datagram()
            .unwrap()
            .connect(dir.path().join("any.sock"))
            .await
            .unwrap_err();
        assert_eq!(error.kind(), ErrorKind::InvalidInput);
        assert!(error.to_string().contains("new_stream"), "{error}");
        let error = UnixSocket::new_stream().unwrap().datagram().unwrap_err();
        assert_eq!(error.kind(), ErrorKind::InvalidInput);
        assert!(error.to_string().contains("new_datagram"), "{error}");

        // A path in use, by a live socket or by the file a closed one
        // left behind.
        let path = dir.path().join("taken.sock");
        let first = UnixSocket::new_stream().unwrap();
        first.bind(&path).unwrap();
        let error = UnixSocket::new_stream().unwrap().bind(&path).unwrap_err();
        assert_eq!(error.kind(), ErrorKind::AddrInUse);
        drop(first);
        let error = UnixSocket::new_datagram().unwrap().bind(&path).unwrap_err();
        assert_eq!(error.kind(), ErrorKind::AddrInUse);
        let _listener = UnixListener::bind(dir.path().join("listener.sock")).unwrap();
        let error = UnixSocket::new_stream()
            .unwrap()
            .bind(dir.path().join("listener.sock"))
            .unwrap_err();
        assert_eq!(error.kind(), ErrorKind::AddrInUse);
    });
}

#[test]
fn unix_socket_from_a_blocking_descriptor_becomes_non_blocking() {
    use std::os::fd::{AsFd, FromRawFd, IntoRawFd};

    both("unix socket from_raw_fd", || async {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("server.sock");
        let listener = UnixListener::bind(&path).unwrap();

        // SAFETY: plain `socket(2)`; the descriptor it returns is checked
        // and then owned by the `UnixSocket` alone.
        let fd = unsafe { libc::socket(libc::AF_UNIX, libc::SOCK_STREAM, 0) };
        assert_ne!(fd, -1, "socket: {}", std::io::Error::last_os_error());
        // SAFETY: `fd` is an open socket that nothing else owns.
        let socket = unsafe { UnixSocket::from_raw_fd(fd) };
        assert_eq!(fd_flags(socket.as_fd()).1 & libc::O_NONBLOCK, 0);
        let stream = socket.connect(&path).await.unwrap();
        assert_ne!(fd_flags(stream.as_fd()).1 & libc::O_NONBLOCK, 0);
        let (_server, _) = listener.accept().await.unwrap();

        let std_socket = std::os::unix::net::UnixDatagram::unbound().unwrap();
        // SAFETY: `into_raw_fd` hands over sole ownership of the socket.
        let socket = unsafe { UnixSocket::from_raw_fd(std_socket.into_raw_fd()) };
        let datagram = socket.datagram().unwrap();
        assert_ne!(fd_flags(datagram.as_fd()).1 & libc::O_NONBLOCK, 0);
        let mut buf = [0; 4];
        assert_eq!(
            datagram.try_recv(&mut buf).unwrap_err().kind(),
            ErrorKind::WouldBlock
        );
    });
}

/// A name in the abstract namespace no other test or process uses.
#[cfg(target_os = "linux")]
fn abstract_name(what: &str) -> String {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    format!("weft-test-{}-{what}-{n}", std::process::id())
}

#[cfg(target_os = "linux")]
#[test]
fn abstract_namespace_addresses_on_linux() {
    use std::os::linux::net::SocketAddrExt;

    both("unix abstract", || async {
        let name = abstract_name("listener");
        let addr = SocketAddr::from_abstract_name(&name).unwrap();
        let listener = UnixListener::bind_addr(&addr).unwrap();
        let local = listener.local_addr().unwrap();
        assert_eq!(local.as_abstract_name(), Some(name.as_bytes()));
        assert_eq!(local.as_pathname(), None);

        let mut client = UnixStream::connect_addr(&addr).await.unwrap();
        let (mut server, _) = listener.accept().await.unwrap();
        assert_eq!(
            client.peer_addr().unwrap().as_abstract_name(),
            Some(name.as_bytes())
        );
        client.write_all(b"abstract").await.unwrap();
        let mut buf = [0; 8];
        server.read_exact(&mut buf).await.unwrap();
        assert_eq!(&buf, b"abstract");
        let error = UnixListener::bind_addr(&addr).unwrap_err();
        assert_eq!(error.kind(), ErrorKind::AddrInUse);

        // A path whose first byte is NUL names the same namespace.
        let name = abstract_name("nul-path");
        let listener = UnixListener::bind(format!("\0{name}")).unwrap();
        assert_eq!(
            listener.local_addr().unwrap().as_abstract_name(),
            Some(name.as_bytes())
        );
        let _client = UnixStream::connect(format!("\0{name}")).await.unwrap();
        let (server, _) = listener.accept().await.unwrap();
        assert_eq!(
            server.local_addr().unwrap().as_abstract_name(),
            Some(name.as_bytes())
        );

        // A `UnixSocket` follows the same rule.
        let name = abstract_name("unix-socket");
        let socket = UnixSocket::new_stream().unwrap();
        socket.bind(format!("\0{name}")).unwrap();
        let listener = socket.listen(4).unwrap();
        assert_eq!(
            listener.local_addr().unwrap().as_abstract_name(),
            Some(name.as_bytes())
        );
        let client = UnixSocket::new_stream()
            .unwrap()
            .connect(format!("\0{name}"))
            .await
            .unwrap();
        let (_server, _) = listener.accept().await.unwrap();
        assert_eq!(
            client.peer_addr().unwrap().as_abstract_name(),
            Some(name.as_bytes())
        );

        // Nothing bound under a fresh name: refused, not found.
        let nobody = SocketAddr::from_abstract_name(abstract_name("nobody")).unwrap();
        let error = UnixStream::connect_addr(&nobody).await.unwrap_err();
        assert_eq!(error.kind(), ErrorKind::ConnectionRefused);

        // recv_buf_from reports an abstract sender by name.
        let dir = tempfile::tempdir().unwrap();
        let server_path = dir.path().join("server.sock");
        let server = UnixDatagram::bind(&server_path).unwrap();
        let name = abstract_name("datagram");
        let client_addr = SocketAddr::from_abstract_name(&name).unwrap();
        let std_client = std::os::unix::net::UnixDatagram::bind_addr(&client_addr).unwrap();
        let client = UnixDatagram::from_std(std_client).unwrap();
        client.send_to(b"from afar", &server_path).await.unwrap();
        let mut buf = Vec::with_capacity(16);
        let (n, from) = server.recv_buf_from(&mut buf).await.unwrap();
        assert_eq!(&buf[..n], b"from afar");
        assert_eq!(from.as_abstract_name(), Some(name.as_bytes()));
    });
}
