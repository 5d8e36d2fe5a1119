//! Bad input and faults: refused connects, closed and reset peers,
//! addresses in use, and sockets that outlive their runtime.

mod net_support;

use std::io::ErrorKind;

use net_support::*;
use weft::io::{AsyncReadExt, AsyncWriteExt};
use weft::net::{TcpListener, TcpStream, UdpSocket, UnixStream};

#[test]
fn connect_to_a_closed_port_is_refused() {
    both("connect refused", || async {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        drop(listener);
        let error = TcpStream::connect(addr).await.unwrap_err();
        assert_eq!(error.kind(), ErrorKind::ConnectionRefused);
    });
}

#[test]
fn reading_from_a_closed_peer_gives_end_of_stream() {
    both("closed peer", || async {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let mut client = TcpStream::connect(listener.local_addr().unwrap())
            .await
            .unwrap();
        let (mut server, _) = listener.accept().await.unwrap();
        server.write_all(b"ab").await.unwrap();
        drop(server);
        let mut buf = [0; 8];
        assert_eq!(client.read(&mut buf).await.unwrap(), 2);
        assert_eq!(client.read(&mut buf).await.unwrap(), 0);
        // Still end-of-stream when asked again.
        assert_eq!(client.read(&mut buf).await.unwrap(), 0);
        let error = client.read_exact(&mut buf).await.unwrap_err();
        assert_eq!(error.kind(), ErrorKind::UnexpectedEof);
    });
}

#[test]
fn writing_to_a_reset_connection_fails() {
    both("reset peer", || async {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let mut client = TcpStream::connect(listener.local_addr().unwrap())
            .await
            .unwrap();
        let (server, _) = listener.accept().await.unwrap();
        // Linger zero: closing sends a reset instead of a FIN.
        server.set_zero_linger().unwrap();
        drop(server);
        // The reset makes the client readable (with an error).
        client.readable().await.unwrap();
        let mut failed = None;
        for _ in 0..1000 {
            if let Err(error) = client.write_all(&[0; 1024]).await {
                failed = Some(error);
                break;
            }
        }
        let error = failed.expect("writes to a reset connection kept succeeding");
        assert!(
            matches!(
                error.kind(),
                ErrorKind::ConnectionReset | ErrorKind::BrokenPipe | ErrorKind::ConnectionAborted
            ),
            "unexpected error {error:?}"
        );
    });
}

#[test]
fn reading_a_reset_connection_fails() {
    both("reset read", || async {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let mut client = TcpStream::connect(listener.local_addr().unwrap())
            .await
            .unwrap();
        let (server, _) = listener.accept().await.unwrap();
        server.set_zero_linger().unwrap();
        drop(server);
        let mut buf = [0; 8];
        let error = client.read(&mut buf).await.unwrap_err();
        assert_eq!(error.kind(), ErrorKind::ConnectionReset);
    });
}

#[test]
fn binding_an_address_in_use_fails() {
    both("addr in use", || async {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let error = TcpListener::bind(addr).await.unwrap_err();
        assert_eq!(error.kind(), ErrorKind::AddrInUse);

        let udp = UdpSocket::bind("127.0.0.1:0").await.unwrap();
        let error = UdpSocket::bind(udp.local_addr().unwrap())
            .await
            .unwrap_err();
        assert_eq!(error.kind(), ErrorKind::AddrInUse);
    });
}

#[test]
fn unresolvable_names_fail_with_an_error() {
    both("bad names", || async {
        // `.invalid` never resolves (RFC 6761).
        assert!(TcpStream::connect("no-such-host.invalid:80").await.is_err());
        let error = TcpStream::connect("not an address").await.unwrap_err();
        assert_eq!(error.kind(), ErrorKind::InvalidInput);
    });
}

#[test]
fn a_socket_used_after_its_runtime_is_gone_returns_an_error() {
    for (flavor, rt) in runtimes() {
        with_watchdog(
            &format!("socket after runtime ({flavor})"),
            WATCHDOG,
            || {
                let (mut client, server, listener) = rt.block_on(async {
                    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
                    let client = TcpStream::connect(listener.local_addr().unwrap())
                        .await
                        .unwrap();
                    let (server, _) = listener.accept().await.unwrap();
                    (client, server, listener)
                });
                drop(rt);
                let other = weft::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .unwrap();
                other.block_on(async {
                    let mut buf = [0; 4];
                    let error = client.read(&mut buf).await.unwrap_err();
                    assert!(error.to_string().contains("shut down"), "{error}");
                    assert!(listener.accept().await.is_err());
                    assert!(server.readable().await.is_err());
                    assert!(server.try_read(&mut buf).is_err());
                });
            },
        );
    }
}

#[test]
fn dropping_a_runtime_with_tasks_blocked_in_io_does_not_hang() {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;
    for (flavor, rt) in runtimes() {
        with_watchdog(&format!("drop while blocked ({flavor})"), WATCHDOG, || {
            let waiting = Arc::new(AtomicUsize::new(0));
            rt.block_on(async {
                let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
                let addr = listener.local_addr().unwrap();
                for _ in 0..20 {
                    let mut client = TcpStream::connect(addr).await.unwrap();
                    let (server, _) = listener.accept().await.unwrap();
                    let waiting = waiting.clone();
                    weft::spawn(async move {
                        let _server = server;
                        waiting.fetch_add(1, Ordering::SeqCst);
                        let mut buf = [0; 1];
                        // Nobody ever writes: this waits until the runtime goes.
                        let _ = client.read(&mut buf).await;
                    });
                }
                let (mut a, _b) = UnixStream::pair().unwrap();
                weft::spawn(async move {
                    let mut buf = [0; 1];
                    let _ = a.read(&mut buf).await;
                });
                weft::spawn(async move {
                    let _ = listener.accept().await;
                });
                // Let every reader reach its read before the runtime goes.
                let mut spins = 0;
                while waiting.load(Ordering::SeqCst) < 20 {
                    assert!(spins < 1_000_000, "the readers never started");
                    spins += 1;
                    weft::task::yield_now().await;
                }
                weft::task::yield_now().await;
            });
            drop(rt);
        });
    }
}
