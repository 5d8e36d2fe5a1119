//! TCP streams and listeners: echo under load, half-close, bulk transfer,
//! split halves, options and conversions.

mod net_support;

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;

use net_support::*;
use weft::io::{AsyncReadExt, AsyncWriteExt, Interest};
use weft::net::{TcpListener, TcpSocket, TcpStream};

async fn echo_server(listener: TcpListener, connections: usize) {
    let mut tasks = Vec::with_capacity(connections);
    for _ in 0..connections {
        let (mut socket, _) = listener.accept().await.unwrap();
        tasks.push(weft::spawn(async move {
            let (mut reader, mut writer) = socket.split();
            weft::io::copy(&mut reader, &mut writer).await.unwrap()
        }));
    }
    for task in tasks {
        task.await.unwrap();
    }
}

fn connection_count() -> usize {
    // Each connection takes two descriptors in this process (client and
    // server side); keep a margin for the runtime and the test harness.
    let limit = raise_fd_limit();
    if limit >= 2 * 1000 + 200 {
        1000
    } else {
        eprintln!(
            "RLIMIT_NOFILE hard limit is {limit}: running the echo test with 400 connections"
        );
        400
    }
}

async fn echo_many(connections: usize) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let server = weft::spawn(echo_server(listener, connections));
    let clients: Vec<_> = (0..connections)
        .map(|i| {
            weft::spawn(async move {
                let mut stream = TcpStream::connect(addr).await.unwrap();
                let message = format!("hello from client {i}, with some padding to make it longer");
                for round in 0..3 {
                    stream.write_all(message.as_bytes()).await.unwrap();
                    let mut back = vec![0; message.len()];
                    stream.read_exact(&mut back).await.unwrap();
                    assert_eq!(back, message.as_bytes(), "client {i} round {round}");
                }
                stream.shutdown().await.unwrap();
                let mut rest = Vec::new();
                assert_eq!(stream.read_to_end(&mut rest).await.unwrap(), 0);
            })
        })
        .collect();
    for client in clients {
        client.await.unwrap();
    }
    server.await.unwrap();
}

#[test]
fn echo_with_many_connections_on_a_multi_thread_runtime() {
    let connections = connection_count();
    let rt = weft::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    with_watchdog("echo many multi_thread", WATCHDOG, || {
        rt.block_on(echo_many(connections))
    });
}

#[test]
fn echo_with_many_connections_on_a_current_thread_runtime() {
    let connections = connection_count();
    let rt = weft::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    with_watchdog("echo many current_thread", WATCHDOG, || {
        rt.block_on(echo_many(connections))
    });
}

/// One event per turn is enough to serve many connections: the events
/// left with the OS are taken on later turns. The same with one event only
/// on the turns that do not wait (a busy worker's) and the default batch
/// on the others.
#[test]
fn one_io_event_per_tick_still_serves_many_connections() {
    let builders = || [weft::runtime::Builder::new_current_thread(), weft::runtime::Builder::new_multi_thread()];
    for mut builder in builders() {
        let rt = builder.enable_all().max_io_events_per_tick(1).build().unwrap();
        with_watchdog("echo with one event per tick", WATCHDOG, || rt.block_on(echo_many(50)));
    }
    for mut builder in builders() {
        let rt = builder.enable_all().max_io_events_per_busy_tick(1).build().unwrap();
        with_watchdog("echo with one event per busy tick", WATCHDOG, || rt.block_on(echo_many(50)));
    }
}

#[test]
fn half_close_lets_the_other_direction_finish() {
    both("half close", || async {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let server = weft::spawn(async move {
            let (mut socket, _) = listener.accept().await.unwrap();
            let mut request = Vec::new();
            // Ends only because the client shut its write direction down.
            socket.read_to_end(&mut request).await.unwrap();
            let reply = format!("got {} bytes", request.len());
            socket.write_all(reply.as_bytes()).await.unwrap();
        });
        let mut client = TcpStream::connect(addr).await.unwrap();
        client.write_all(&[1; 1000]).await.unwrap();
        client.shutdown().await.unwrap();
        let mut reply = String::new();
        client.read_to_string(&mut reply).await.unwrap();
        assert_eq!(reply, "got 1000 bytes");
        server.await.unwrap();
    });
}

#[test]
fn transfer_of_64_mib_arrives_intact() {
    const TOTAL: usize = 64 * 1024 * 1024;
    both("64 MiB transfer", || async {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let receiver = weft::spawn(async move {
            let (mut socket, _) = listener.accept().await.unwrap();
            let mut buf = vec![0; 64 * 1024];
            let (mut total, mut sum) = (0, FNV_START);
            loop {
                let n = socket.read(&mut buf).await.unwrap();
                if n == 0 {
                    break (total, sum);
                }
                total += n;
                sum = fnv1a(sum, &buf[..n]);
            }
        });
        let mut stream = TcpStream::connect(addr).await.unwrap();
        let (mut seed, mut sum) = (0x9e37_79b9_7f4a_7c15_u64, FNV_START);
        let mut chunk = vec![0; 256 * 1024];
        for _ in 0..TOTAL / chunk.len() {
            fill_pseudo_random(&mut seed, &mut chunk);
            sum = fnv1a(sum, &chunk);
            stream.write_all(&chunk).await.unwrap();
        }
        stream.shutdown().await.unwrap();
        assert_eq!(receiver.await.unwrap(), (TOTAL, sum));
    });
}

#[test]
fn owned_halves_work_from_two_tasks_and_reunite() {
    both("owned halves", || async {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let server = weft::spawn(async move {
            let (socket, _) = listener.accept().await.unwrap();
            let (mut reader, mut writer) = socket.into_split();
            // Writer and reader in different tasks at the same time.
            let writing = weft::spawn(async move {
                for i in 0..100u32 {
                    writer.write_all(&i.to_be_bytes()).await.unwrap();
                }
                writer
            });
            let reading = weft::spawn(async move {
                let mut sum = 0u64;
                for _ in 0..100 {
                    sum += reader.read_u32().await.unwrap() as u64;
                }
                (reader, sum)
            });
            let writer = writing.await.unwrap();
            let (reader, sum) = reading.await.unwrap();
            let stream = reader
                .reunite(writer)
                .expect("halves of one stream reunite");
            (stream, sum)
        });
        let client = TcpStream::connect(addr).await.unwrap();
        let (mut reader, mut writer) = client.into_split();
        for i in 0..100u32 {
            writer.write_u32(i * 2).await.unwrap();
        }
        let mut got = 0u64;
        for _ in 0..100 {
            got += reader.read_u32().await.unwrap() as u64;
        }
        assert_eq!(got, (0..100).sum::<u64>());
        let (_stream, sum) = server.await.unwrap();
        assert_eq!(sum, (0..100).map(|i| i * 2).sum::<u64>());
    });
}

#[test]
fn reunite_rejects_halves_of_different_streams() {
    both("reunite error", || async {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let a = TcpStream::connect(addr).await.unwrap();
        let b = TcpStream::connect(addr).await.unwrap();
        let (a_read, _a_write) = a.into_split();
        let (_b_read, b_write) = b.into_split();
        let error = a_read.reunite(b_write).unwrap_err();
        assert!(error.to_string().contains("different"));
    });
}

#[test]
fn dropping_the_owned_write_half_shuts_down_the_write_direction() {
    both("owned write half drop", || async {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let client = TcpStream::connect(addr).await.unwrap();
        let (mut server, _) = listener.accept().await.unwrap();
        let (mut reader, writer) = client.into_split();
        drop(writer);
        let mut rest = Vec::new();
        assert_eq!(server.read_to_end(&mut rest).await.unwrap(), 0);
        // The read half still works.
        server.write_all(b"still open").await.unwrap();
        let mut buf = [0; 10];
        reader.read_exact(&mut buf).await.unwrap();
        assert_eq!(&buf, b"still open");
    });
}

#[test]
fn borrowed_halves_run_concurrently_in_one_task() {
    both("borrowed halves", || async {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let server = weft::spawn(async move {
            let (mut socket, _) = listener.accept().await.unwrap();
            let (mut r, mut w) = socket.split();
            weft::io::copy(&mut r, &mut w).await.unwrap()
        });
        let mut stream = TcpStream::connect(addr).await.unwrap();
        let (mut r, mut w) = stream.split();
        // 1 MiB each way: more than the socket buffers hold, so the write
        // only finishes because the read runs at the same time.
        let data = vec![42u8; 1 << 20];
        let write = async {
            w.write_all(&data).await.unwrap();
            w.shutdown().await.unwrap();
        };
        let read = async {
            let mut back = Vec::new();
            r.read_to_end(&mut back).await.unwrap();
            back
        };
        let ((), back) = weft::join!(write, read);
        assert_eq!(back.len(), data.len());
        assert!(back.iter().all(|&b| b == 42));
        assert_eq!(server.await.unwrap(), data.len() as u64);
    });
}

#[test]
fn readiness_and_try_methods() {
    both("try methods", || async {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let client = TcpStream::connect(listener.local_addr().unwrap())
            .await
            .unwrap();
        let (server, _) = listener.accept().await.unwrap();

        let mut buf = [0; 16];
        let error = server.try_read(&mut buf).unwrap_err();
        assert_eq!(error.kind(), std::io::ErrorKind::WouldBlock);

        client.writable().await.unwrap();
        assert_eq!(client.try_write(b"abc").unwrap(), 3);
        let ready = server
            .ready(Interest::READABLE | Interest::WRITABLE)
            .await
            .unwrap();
        assert!(ready.is_readable() || ready.is_writable());

        let n = loop {
            server.readable().await.unwrap();
            match server.try_read(&mut buf) {
                Ok(n) => break n,
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => continue,
                Err(e) => panic!("{e}"),
            }
        };
        assert_eq!(&buf[..n], b"abc");

        let bufs = [std::io::IoSlice::new(b"de"), std::io::IoSlice::new(b"f")];
        assert_eq!(client.try_write_vectored(&bufs).unwrap(), 3);
        assert_eq!(server.peek(&mut buf).await.unwrap(), 3);
        let mut a = [0; 1];
        let mut b = [0; 8];
        let n = loop {
            server.readable().await.unwrap();
            let mut slices = [
                std::io::IoSliceMut::new(&mut a),
                std::io::IoSliceMut::new(&mut b),
            ];
            match server.try_read_vectored(&mut slices) {
                Ok(n) => break n,
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => continue,
                Err(e) => panic!("{e}"),
            }
        };
        assert_eq!(n, 3);
        assert_eq!(&a, b"d");
        assert_eq!(&b[..2], b"ef");
    });
}

#[test]
fn socket_options_and_addresses() {
    both("options", || async {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        listener.set_ttl(42).unwrap();
        assert_eq!(listener.ttl().unwrap(), 42);
        let addr = listener.local_addr().unwrap();
        let stream = TcpStream::connect(addr).await.unwrap();
        let (server, peer) = listener.accept().await.unwrap();
        assert_eq!(stream.peer_addr().unwrap(), addr);
        assert_eq!(stream.local_addr().unwrap(), peer);
        assert_eq!(server.peer_addr().unwrap(), peer);

        stream.set_nodelay(true).unwrap();
        assert!(stream.nodelay().unwrap());
        stream.set_ttl(7).unwrap();
        assert_eq!(stream.ttl().unwrap(), 7);
        // Deprecated (dropping a lingering socket may block), but it works.
        #[allow(deprecated)]
        stream
            .set_linger(Some(std::time::Duration::from_secs(1)))
            .unwrap();
        assert_eq!(
            stream.linger().unwrap(),
            Some(std::time::Duration::from_secs(1))
        );
        assert!(stream.take_error().unwrap().is_none());
    });
}

#[test]
fn tcp_socket_configures_listen_and_connect() {
    both("TcpSocket", || async {
        let socket = TcpSocket::new_v4().unwrap();
        socket.set_reuseaddr(true).unwrap();
        assert!(socket.reuseaddr().unwrap());
        socket.set_reuseport(true).unwrap();
        assert!(socket.reuseport().unwrap());
        socket.set_recv_buffer_size(64 * 1024).unwrap();
        assert!(socket.recv_buffer_size().unwrap() >= 64 * 1024);
        socket.bind("127.0.0.1:0".parse().unwrap()).unwrap();
        let addr = socket.local_addr().unwrap();
        let listener = socket.listen(16).unwrap();
        assert_eq!(listener.local_addr().unwrap(), addr);

        let client = TcpSocket::new_v4().unwrap();
        client.set_send_buffer_size(64 * 1024).unwrap();
        assert!(client.send_buffer_size().unwrap() >= 64 * 1024);
        client.set_nodelay(true).unwrap();
        let mut stream = client.connect(addr).await.unwrap();
        assert!(stream.nodelay().unwrap());
        let (mut server, _) = listener.accept().await.unwrap();
        stream.write_all(b"configured").await.unwrap();
        let mut buf = [0; 10];
        server.read_exact(&mut buf).await.unwrap();
        assert_eq!(&buf, b"configured");

        // Refused through TcpSocket too.
        drop(listener);
        let error = TcpSocket::new_v4()
            .unwrap()
            .connect(addr)
            .await
            .unwrap_err();
        assert_eq!(error.kind(), std::io::ErrorKind::ConnectionRefused);
    });
}

#[test]
fn ipv6_loopback_when_available() {
    both("ipv6", || async {
        let Ok(listener) = TcpListener::bind("[::1]:0").await else {
            eprintln!("no IPv6 loopback here; skipping the IPv6 part");
            return;
        };
        let addr = listener.local_addr().unwrap();
        assert!(addr.is_ipv6());
        let mut stream = TcpStream::connect(addr).await.unwrap();
        let (mut server, _) = listener.accept().await.unwrap();
        stream.write_all(b"v6").await.unwrap();
        let mut buf = [0; 2];
        server.read_exact(&mut buf).await.unwrap();
        assert_eq!(&buf, b"v6");
    });
}

#[test]
fn addresses_in_every_form_resolve() {
    both("to socket addrs", || async {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let addr = SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), port);
        let by_string = format!("127.0.0.1:{port}");
        let slice = [addr];
        let _ = TcpStream::connect(addr).await.unwrap();
        let _ = TcpStream::connect(by_string.as_str()).await.unwrap();
        let _ = TcpStream::connect(by_string.clone()).await.unwrap();
        let _ = TcpStream::connect(("127.0.0.1", port)).await.unwrap();
        let _ = TcpStream::connect((String::from("localhost"), port))
            .await
            .unwrap();
        let _ = TcpStream::connect(("localhost", port)).await.unwrap();
        let _ = TcpStream::connect(&slice[..]).await.unwrap();
        let _ = TcpStream::connect(&addr).await.unwrap();
        let _ = TcpStream::connect(([127, 0, 0, 1], port)).await.unwrap();

        let found: Vec<_> = weft::net::lookup_host(("localhost", port))
            .await
            .unwrap()
            .collect();
        assert!(!found.is_empty());
        assert!(found
            .iter()
            .all(|a| a.port() == port && a.ip().is_loopback()));

        let error = weft::net::lookup_host("no port here")
            .await
            .err()
            .expect("a string without a port fails");
        assert_eq!(error.kind(), std::io::ErrorKind::InvalidInput);
    });
}

#[test]
fn std_conversions_round_trip() {
    both("std conversions", || async {
        let std_listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = std_listener.local_addr().unwrap();
        let listener = TcpListener::from_std(std_listener).unwrap();
        let std_stream = std::net::TcpStream::connect(addr).unwrap();
        let mut stream = TcpStream::try_from(std_stream).unwrap();
        let (server, _) = listener.accept().await.unwrap();
        stream.write_all(b"x").await.unwrap();

        let mut std_server = server.into_std().unwrap();
        std_server.set_nonblocking(false).unwrap();
        let mut buf = [0; 1];
        std::io::Read::read_exact(&mut std_server, &mut buf).unwrap();
        assert_eq!(&buf, b"x");
        let std_listener = listener.into_std().unwrap();
        assert_eq!(std_listener.local_addr().unwrap(), addr);
    });
}

#[test]
fn poll_accept_and_poll_peek() {
    both("poll accept", || async {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let mut client = TcpStream::connect(listener.local_addr().unwrap())
            .await
            .unwrap();
        let (server, _) = std::future::poll_fn(|cx| listener.poll_accept(cx))
            .await
            .unwrap();
        client.write_all(b"peeked").await.unwrap();
        let mut storage = [0; 6];
        let mut buf = weft::io::ReadBuf::new(&mut storage);
        let n = std::future::poll_fn(|cx| server.poll_peek(cx, &mut buf))
            .await
            .unwrap();
        assert!(n > 0 && n <= 6);
        assert_eq!(buf.filled(), &b"peeked"[..n]);
    });
}

#[test]
fn futures_io_traits_work_on_streams_and_halves() {
    both("futures-io", || async {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let mut client = TcpStream::connect(listener.local_addr().unwrap())
            .await
            .unwrap();
        let (server, _) = listener.accept().await.unwrap();
        futures_util::io::AsyncWriteExt::write_all(&mut client, b"through futures-io")
            .await
            .unwrap();
        futures_util::io::AsyncWriteExt::close(&mut client)
            .await
            .unwrap();
        let (mut reader, mut writer) = server.into_split();
        let mut got = Vec::new();
        futures_util::io::AsyncReadExt::read_to_end(&mut reader, &mut got)
            .await
            .unwrap();
        assert_eq!(got, b"through futures-io");
        futures_util::io::AsyncWriteExt::write_all(&mut writer, b"!")
            .await
            .unwrap();
        let mut one = [0; 1];
        futures_util::io::AsyncReadExt::read_exact(&mut client, &mut one)
            .await
            .unwrap();
        assert_eq!(&one, b"!");
    });
}

#[test]
fn a_busy_socket_loop_still_lets_other_tasks_run() {
    // A task that always finds data waiting must still yield (the coop
    // budget), or the other task on a one-thread runtime would starve.
    let rt = weft::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    with_watchdog("coop on sockets", WATCHDOG, || {
        rt.block_on(async {
            let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
            let mut client = TcpStream::connect(listener.local_addr().unwrap())
                .await
                .unwrap();
            let (mut server, _) = listener.accept().await.unwrap();
            // Small enough to sit in the socket buffers without a reader.
            client.write_all(&vec![1u8; 64 * 1024]).await.unwrap();
            let flag = Arc::new(std::sync::atomic::AtomicBool::new(false));
            let other = weft::spawn({
                let flag = flag.clone();
                async move { flag.store(true, std::sync::atomic::Ordering::SeqCst) }
            });
            let reader = weft::spawn(async move {
                // One byte at a time: thousands of ready reads in a row.
                let mut saw_flag_after = None;
                let mut byte = [0; 1];
                for i in 0..64 * 1024 {
                    server.read_exact(&mut byte).await.unwrap();
                    if flag.load(std::sync::atomic::Ordering::SeqCst) {
                        saw_flag_after = Some(i);
                        break;
                    }
                }
                saw_flag_after
            });
            let seen = reader.await.unwrap();
            other.await.unwrap();
            let seen = seen.expect("the other task never ran while the reader looped");
            assert!(seen < 64 * 1024);
            drop(client);
        })
    });
}

/// Waits with `$io.readable()` and evaluates `$try` until it stops
/// returning `WouldBlock`; a bounded number of spurious wake-ups is
/// allowed.
macro_rules! read_when_ready {
    ($io:expr, $try:expr) => {{
        let mut outcome = None;
        for _ in 0..1000 {
            $io.readable().await.unwrap();
            match $try {
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => continue,
                result => {
                    outcome = Some(result);
                    break;
                }
            }
        }
        outcome
            .expect("still WouldBlock after 1000 readiness events")
            .unwrap()
    }};
}

#[test]
fn try_read_buf_fills_spare_capacity_of_a_vec_or_bytes_mut() {
    both("try_read_buf", || async {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let mut client = TcpStream::connect(listener.local_addr().unwrap())
            .await
            .unwrap();
        let (server, _) = listener.accept().await.unwrap();

        // Nothing sent yet: WouldBlock, and the buffer is untouched.
        let mut vec = Vec::with_capacity(32);
        let error = server.try_read_buf(&mut vec).unwrap_err();
        assert_eq!(error.kind(), std::io::ErrorKind::WouldBlock);
        assert!(vec.is_empty());

        client.write_all(b"into a vec").await.unwrap();
        let n = read_when_ready!(server, server.try_read_buf(&mut vec));
        assert_eq!(n, 10);
        assert_eq!(vec, b"into a vec");

        // Appends after what the buffer already holds.
        let mut bytes = bytes::BytesMut::with_capacity(4);
        bytes.extend_from_slice(b">");
        client.write_all(b"then bytes").await.unwrap();
        let mut got = 0;
        while got < 10 {
            got += read_when_ready!(server, server.try_read_buf(&mut bytes));
        }
        assert_eq!(&bytes[..], b">then bytes");
        // Drained: WouldBlock again, and the readiness was cleared, so
        // `readable` waits for the next bytes instead of spinning.
        assert_eq!(
            server.try_read_buf(&mut bytes).unwrap_err().kind(),
            std::io::ErrorKind::WouldBlock
        );

        client.shutdown().await.unwrap();
        let n = read_when_ready!(server, server.try_read_buf(&mut bytes));
        assert_eq!(n, 0, "end of stream");
        assert_eq!(&bytes[..], b">then bytes");
    });
}

#[test]
fn split_read_halves_try_read_buf() {
    both("halves try_read_buf", || async {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let mut client = TcpStream::connect(listener.local_addr().unwrap())
            .await
            .unwrap();
        let (mut server, _) = listener.accept().await.unwrap();

        {
            let (reader, _writer) = server.split();
            let mut buf = Vec::with_capacity(16);
            assert_eq!(
                reader.try_read_buf(&mut buf).unwrap_err().kind(),
                std::io::ErrorKind::WouldBlock
            );
            client.write_all(b"borrowed").await.unwrap();
            let n = read_when_ready!(reader, reader.try_read_buf(&mut buf));
            assert_eq!(&buf[..n], b"borrowed");
        }

        let (reader, _writer) = server.into_split();
        let mut buf = bytes::BytesMut::with_capacity(16);
        assert_eq!(
            reader.try_read_buf(&mut buf).unwrap_err().kind(),
            std::io::ErrorKind::WouldBlock
        );
        client.write_all(b"owned").await.unwrap();
        let n = read_when_ready!(reader, reader.try_read_buf(&mut buf));
        assert_eq!(&buf[..n], b"owned");
    });
}

#[test]
fn zero_linger_resets_the_connection_on_drop() {
    both("zero linger", || async {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let mut client = TcpStream::connect(listener.local_addr().unwrap())
            .await
            .unwrap();
        let (server, _) = listener.accept().await.unwrap();
        server.set_zero_linger().unwrap();
        assert_eq!(server.linger().unwrap(), Some(std::time::Duration::ZERO));
        drop(server);

        let mut buf = [0; 8];
        let read = weft::time::timeout(std::time::Duration::from_secs(30), client.read(&mut buf))
            .await
            .expect("the reset never arrived");
        // A reset, not an orderly end of stream (`Ok(0)`).
        assert_eq!(
            read.unwrap_err().kind(),
            std::io::ErrorKind::ConnectionReset
        );

        // The same option set before connecting.
        let socket = TcpSocket::new_v4().unwrap();
        socket.set_zero_linger().unwrap();
        assert_eq!(socket.linger().unwrap(), Some(std::time::Duration::ZERO));
        let stream = socket
            .connect(listener.local_addr().unwrap())
            .await
            .unwrap();
        assert_eq!(stream.linger().unwrap(), Some(std::time::Duration::ZERO));
    });
}

#[cfg(target_os = "linux")]
#[test]
fn quickack_round_trips() {
    both("quickack", || async {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let stream = TcpStream::connect(listener.local_addr().unwrap())
            .await
            .unwrap();
        stream.set_quickack(false).unwrap();
        assert!(!stream.quickack().unwrap());
        stream.set_quickack(true).unwrap();
        assert!(stream.quickack().unwrap());
    });
}

#[test]
fn tcp_socket_ip_options_round_trip() {
    both("TcpSocket ip options", || async {
        let socket = TcpSocket::new_v4().unwrap();
        socket.set_tos_v4(0x10).unwrap();
        assert_eq!(socket.tos_v4().unwrap(), 0x10);
        #[allow(deprecated)]
        {
            socket.set_tos(0x08).unwrap();
            assert_eq!(socket.tos().unwrap(), 0x08);
        }
        assert_eq!(socket.tos_v4().unwrap(), 0x08);

        // Binding to no device is allowed without privileges; binding to a
        // real one needs CAP_NET_RAW, so it is not tried here.
        #[cfg(target_os = "linux")]
        {
            socket.bind_device(None).unwrap();
            assert_eq!(socket.device().unwrap(), None);
        }

        // The option travels with the socket into the stream.
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let stream = socket
            .connect(listener.local_addr().unwrap())
            .await
            .unwrap();
        let (_server, _) = listener.accept().await.unwrap();
        let stream_socket = TcpSocket::from_std_stream(stream.into_std().unwrap());
        assert_eq!(stream_socket.tos_v4().unwrap(), 0x08);

        match TcpSocket::new_v6() {
            Ok(v6) => {
                v6.set_tclass_v6(0x20).unwrap();
                assert_eq!(v6.tclass_v6().unwrap(), 0x20);
            }
            Err(e) => eprintln!("no IPv6 sockets here ({e}); skipping the traffic class part"),
        }
    });
}

#[test]
fn from_std_stream_takes_a_blocking_socket_as_it_is() {
    both("from_std_stream", || async {
        // A blocking socket: listen must switch it to non-blocking, or the
        // accept below would block the runtime's thread.
        let raw = socket2::Socket::new(
            socket2::Domain::IPV4,
            socket2::Type::STREAM,
            Some(socket2::Protocol::TCP),
        )
        .unwrap();
        assert!(!raw.nonblocking().unwrap());
        let socket = TcpSocket::from_std_stream(raw.into());
        socket.bind("127.0.0.1:0".parse().unwrap()).unwrap();
        let listener = socket.listen(16).unwrap();
        assert!(socket2::SockRef::from(&listener).nonblocking().unwrap());

        let raw = socket2::Socket::new(
            socket2::Domain::IPV4,
            socket2::Type::STREAM,
            Some(socket2::Protocol::TCP),
        )
        .unwrap();
        let client = TcpSocket::from_std_stream(raw.into());
        let addr = listener.local_addr().unwrap();
        let accept = weft::spawn(async move { listener.accept().await.map(drop) });
        let stream = client.connect(addr).await.unwrap();
        assert!(socket2::SockRef::from(&stream).nonblocking().unwrap());
        accept.await.unwrap().unwrap();
    });
}
