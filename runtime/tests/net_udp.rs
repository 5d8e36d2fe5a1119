//! UDP sockets.

mod net_support;

use std::io::ErrorKind;
use std::sync::Arc;

use net_support::*;
use weft::io::{Interest, ReadBuf};
use weft::net::UdpSocket;

#[test]
fn send_to_and_recv_from() {
    both("udp send_to", || async {
        let a = UdpSocket::bind("127.0.0.1:0").await.unwrap();
        let b = UdpSocket::bind("127.0.0.1:0").await.unwrap();
        let b_addr = b.local_addr().unwrap();
        for i in 0..10u8 {
            assert_eq!(a.send_to(&[i; 5], b_addr).await.unwrap(), 5);
        }
        let mut buf = [0; 16];
        for i in 0..10u8 {
            let (n, from) = b.recv_from(&mut buf).await.unwrap();
            assert_eq!((n, from), (5, a.local_addr().unwrap()));
            assert_eq!(&buf[..5], &[i; 5]);
        }
    });
}

#[test]
fn connected_send_recv_peek_and_try() {
    both("udp connected", || async {
        let a = UdpSocket::bind("127.0.0.1:0").await.unwrap();
        let b = UdpSocket::bind("127.0.0.1:0").await.unwrap();
        a.connect(b.local_addr().unwrap()).await.unwrap();
        b.connect(a.local_addr().unwrap()).await.unwrap();
        assert_eq!(a.peer_addr().unwrap(), b.local_addr().unwrap());

        let mut buf = [0; 16];
        assert_eq!(
            b.try_recv(&mut buf).unwrap_err().kind(),
            ErrorKind::WouldBlock
        );
        a.send(b"first").await.unwrap();
        let (n, from) = b.peek_from(&mut buf).await.unwrap();
        assert_eq!((&buf[..n], from), (&b"first"[..], a.local_addr().unwrap()));
        assert_eq!(b.peek(&mut buf).await.unwrap(), 5);
        assert_eq!(b.recv(&mut buf).await.unwrap(), 5);
        assert_eq!(&buf[..5], b"first");

        a.writable().await.unwrap();
        assert_eq!(a.try_send(b"second").unwrap(), 6);
        let n = loop {
            b.readable().await.unwrap();
            match b.try_recv(&mut buf) {
                Ok(n) => break n,
                Err(e) if e.kind() == ErrorKind::WouldBlock => continue,
                Err(e) => panic!("{e}"),
            }
        };
        assert_eq!(&buf[..n], b"second");

        assert_eq!(a.try_send_to(b"third", b.local_addr().unwrap()).unwrap(), 5);
        let ready = b.ready(Interest::READABLE).await.unwrap();
        assert!(ready.is_readable());
        let (n, _) = b.try_recv_from(&mut buf).unwrap();
        assert_eq!(&buf[..n], b"third");
    });
}

#[test]
fn poll_methods() {
    both("udp poll", || async {
        let a = UdpSocket::bind("127.0.0.1:0").await.unwrap();
        let b = UdpSocket::bind("127.0.0.1:0").await.unwrap();
        a.connect(b.local_addr().unwrap()).await.unwrap();
        b.connect(a.local_addr().unwrap()).await.unwrap();
        std::future::poll_fn(|cx| a.poll_send_ready(cx))
            .await
            .unwrap();
        std::future::poll_fn(|cx| a.poll_send(cx, b"polled"))
            .await
            .unwrap();
        std::future::poll_fn(|cx| b.poll_recv_ready(cx))
            .await
            .unwrap();
        let mut storage = [0; 16];
        let mut buf = ReadBuf::new(&mut storage);
        std::future::poll_fn(|cx| b.poll_recv(cx, &mut buf))
            .await
            .unwrap();
        assert_eq!(buf.filled(), b"polled");

        let target = b.local_addr().unwrap();
        std::future::poll_fn(|cx| a.poll_send_to(cx, b"to", target))
            .await
            .unwrap();
        let mut storage = [0; 16];
        let mut buf = ReadBuf::new(&mut storage);
        let from = std::future::poll_fn(|cx| b.poll_recv_from(cx, &mut buf))
            .await
            .unwrap();
        assert_eq!((buf.filled(), from), (&b"to"[..], a.local_addr().unwrap()));
    });
}

#[test]
fn one_socket_shared_by_many_tasks() {
    both("udp shared", || async {
        let server = Arc::new(UdpSocket::bind("127.0.0.1:0").await.unwrap());
        let addr = server.local_addr().unwrap();
        // Several receivers wait on the same socket at once.
        let receivers: Vec<_> = (0..4)
            .map(|_| {
                let server = server.clone();
                weft::spawn(async move {
                    let mut buf = [0; 8];
                    let mut got = 0;
                    for _ in 0..25 {
                        let (n, from) = server.recv_from(&mut buf).await.unwrap();
                        server.send_to(&buf[..n], from).await.unwrap();
                        got += 1;
                    }
                    got
                })
            })
            .collect();
        let clients: Vec<_> = (0..10u8)
            .map(|i| {
                weft::spawn(async move {
                    let socket = UdpSocket::bind("127.0.0.1:0").await.unwrap();
                    socket.connect(addr).await.unwrap();
                    let mut buf = [0; 8];
                    for j in 0..10u8 {
                        socket.send(&[i, j]).await.unwrap();
                        let n = socket.recv(&mut buf).await.unwrap();
                        assert_eq!(&buf[..n], &[i, j]);
                    }
                })
            })
            .collect();
        for client in clients {
            client.await.unwrap();
        }
        let mut total = 0;
        for receiver in receivers {
            total += receiver.await.unwrap();
        }
        assert_eq!(total, 100);
    });
}

#[test]
fn options_and_conversions() {
    both("udp options", || async {
        let socket = UdpSocket::bind("127.0.0.1:0").await.unwrap();
        socket.set_broadcast(true).unwrap();
        assert!(socket.broadcast().unwrap());
        socket.set_ttl(9).unwrap();
        assert_eq!(socket.ttl().unwrap(), 9);
        socket.set_multicast_loop_v4(false).unwrap();
        assert!(!socket.multicast_loop_v4().unwrap());
        socket.set_multicast_ttl_v4(3).unwrap();
        assert_eq!(socket.multicast_ttl_v4().unwrap(), 3);
        assert!(socket.take_error().unwrap().is_none());
        assert_eq!(
            socket.peer_addr().unwrap_err().kind(),
            ErrorKind::NotConnected
        );

        let addr = socket.local_addr().unwrap();
        let std_socket = socket.into_std().unwrap();
        assert_eq!(std_socket.local_addr().unwrap(), addr);
        let socket = UdpSocket::from_std(std_socket).unwrap();
        assert_eq!(socket.local_addr().unwrap(), addr);
    });
}

#[test]
fn a_connected_socket_reports_refused_datagrams() {
    both("udp refused", || async {
        let gone = UdpSocket::bind("127.0.0.1:0").await.unwrap();
        let gone_addr = gone.local_addr().unwrap();
        drop(gone);
        let socket = UdpSocket::bind("127.0.0.1:0").await.unwrap();
        socket.connect(gone_addr).await.unwrap();
        socket.send(b"anyone?").await.unwrap();
        let mut buf = [0; 8];
        // The ICMP "port unreachable" comes back as an error on the socket.
        let error = socket.recv(&mut buf).await.unwrap_err();
        assert_eq!(error.kind(), ErrorKind::ConnectionRefused);
    });
}

#[test]
fn peek_sender_leaves_the_whole_datagram_queued() {
    both("udp peek_sender", || async {
        let a = UdpSocket::bind("127.0.0.1:0").await.unwrap();
        let b = UdpSocket::bind("127.0.0.1:0").await.unwrap();
        let a_addr = a.local_addr().unwrap();
        assert_eq!(
            b.try_peek_sender().unwrap_err().kind(),
            ErrorKind::WouldBlock
        );

        // Longer than the scratch space a sender peek uses, to show that
        // the peek truncates nothing.
        let datagram: Vec<u8> = (0..200u8).collect();
        a.send_to(&datagram, b.local_addr().unwrap()).await.unwrap();
        assert_eq!(b.peek_sender().await.unwrap(), a_addr);
        assert_eq!(b.try_peek_sender().unwrap(), a_addr);
        assert_eq!(
            std::future::poll_fn(|cx| b.poll_peek_sender(cx))
                .await
                .unwrap(),
            a_addr
        );
        let mut buf = [0; 512];
        let (n, from) = b.recv_from(&mut buf).await.unwrap();
        assert_eq!((&buf[..n], from), (&datagram[..], a_addr));
        // Consumed now.
        assert_eq!(
            b.try_peek_sender().unwrap_err().kind(),
            ErrorKind::WouldBlock
        );
    });
}

#[test]
fn try_peek_and_poll_peek() {
    both("udp peek family", || async {
        let a = UdpSocket::bind("127.0.0.1:0").await.unwrap();
        let b = UdpSocket::bind("127.0.0.1:0").await.unwrap();
        let a_addr = a.local_addr().unwrap();
        a.connect(b.local_addr().unwrap()).await.unwrap();
        b.connect(a_addr).await.unwrap();

        let mut buf = [0; 16];
        assert_eq!(
            b.try_peek(&mut buf).unwrap_err().kind(),
            ErrorKind::WouldBlock
        );
        assert_eq!(
            b.try_peek_from(&mut buf).unwrap_err().kind(),
            ErrorKind::WouldBlock
        );

        a.send(b"look").await.unwrap();
        let mut storage = [0; 16];
        let mut peeked = ReadBuf::new(&mut storage);
        std::future::poll_fn(|cx| b.poll_peek(cx, &mut peeked))
            .await
            .unwrap();
        assert_eq!(peeked.filled(), b"look");

        // Into uninitialized memory, too.
        let mut storage = [std::mem::MaybeUninit::<u8>::uninit(); 16];
        let mut peeked = ReadBuf::uninit(&mut storage);
        let from = std::future::poll_fn(|cx| b.poll_peek_from(cx, &mut peeked))
            .await
            .unwrap();
        assert_eq!((peeked.filled(), from), (&b"look"[..], a_addr));

        assert_eq!(b.try_peek(&mut buf).unwrap(), 4);
        let (n, from) = b.try_peek_from(&mut buf).unwrap();
        assert_eq!((&buf[..n], from), (&b"look"[..], a_addr));

        // Every peek left it there.
        let mut buf = [0; 16];
        assert_eq!(b.recv(&mut buf).await.unwrap(), 4);
        assert_eq!(&buf[..4], b"look");
        assert_eq!(
            b.try_peek(&mut buf).unwrap_err().kind(),
            ErrorKind::WouldBlock
        );
    });
}

#[test]
fn recv_buf_family_fills_spare_capacity() {
    both("udp recv_buf", || async {
        let a = UdpSocket::bind("127.0.0.1:0").await.unwrap();
        let b = UdpSocket::bind("127.0.0.1:0").await.unwrap();
        let a_addr = a.local_addr().unwrap();
        let b_addr = b.local_addr().unwrap();

        let mut vec = Vec::with_capacity(64);
        assert_eq!(
            b.try_recv_buf_from(&mut vec).unwrap_err().kind(),
            ErrorKind::WouldBlock
        );
        assert!(vec.is_empty());

        a.send_to(b"first", b_addr).await.unwrap();
        let (n, from) = b.recv_buf_from(&mut vec).await.unwrap();
        assert_eq!((n, from, &vec[..]), (5, a_addr, &b"first"[..]));

        // Appended after what the Vec holds.
        a.send_to(b"second", b_addr).await.unwrap();
        let (n, from) = loop {
            b.readable().await.unwrap();
            match b.try_recv_buf_from(&mut vec) {
                Err(e) if e.kind() == ErrorKind::WouldBlock => continue,
                result => break result.unwrap(),
            }
        };
        assert_eq!((n, from, &vec[..]), (6, a_addr, &b"firstsecond"[..]));

        // Connected: recv_buf and try_recv_buf.
        b.connect(a_addr).await.unwrap();
        let mut bytes = bytes::BytesMut::with_capacity(32);
        assert_eq!(
            b.try_recv_buf(&mut bytes).unwrap_err().kind(),
            ErrorKind::WouldBlock
        );
        a.send_to(b"third", b_addr).await.unwrap();
        assert_eq!(b.recv_buf(&mut bytes).await.unwrap(), 5);
        a.send_to(b"fourth", b_addr).await.unwrap();
        let n = loop {
            b.readable().await.unwrap();
            match b.try_recv_buf(&mut bytes) {
                Err(e) if e.kind() == ErrorKind::WouldBlock => continue,
                result => break result.unwrap(),
            }
        };
        assert_eq!((n, &bytes[..]), (6, &b"thirdfourth"[..]));

        // A datagram longer than the room left is cut to fit.
        let mut small = [0u8; 4];
        let mut slice = &mut small[..];
        a.send_to(b"truncated", b_addr).await.unwrap();
        assert_eq!(b.recv_buf(&mut slice).await.unwrap(), 4);
        assert_eq!(&small, b"trun");
    });
}

#[test]
fn ip_options_round_trip() {
    both("udp ip options", || async {
        let socket = UdpSocket::bind("127.0.0.1:0").await.unwrap();
        socket.set_tos_v4(0x10).unwrap();
        assert_eq!(socket.tos_v4().unwrap(), 0x10);
        #[allow(deprecated)]
        {
            socket.set_tos(0x08).unwrap();
            assert_eq!(socket.tos().unwrap(), 0x08);
        }
        assert_eq!(socket.tos_v4().unwrap(), 0x08);

        #[cfg(target_os = "linux")]
        {
            socket.bind_device(None).unwrap();
            assert_eq!(socket.device().unwrap(), None);
        }

        match UdpSocket::bind("[::1]:0").await {
            Ok(v6) => {
                v6.set_tclass_v6(0x20).unwrap();
                assert_eq!(v6.tclass_v6().unwrap(), 0x20);
            }
            Err(e) => eprintln!("no IPv6 loopback here ({e}); skipping the traffic class part"),
        }
    });
}
