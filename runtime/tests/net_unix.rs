//! Unix-domain streams, listeners and datagrams, in a temporary directory.

mod net_support;

use std::io::ErrorKind;

use net_support::*;
use weft::io::{AsyncReadExt, AsyncWriteExt};
use weft::net::{UnixDatagram, UnixListener, UnixStream};

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
