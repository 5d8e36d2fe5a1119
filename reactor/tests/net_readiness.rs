//! Readiness of real sockets on 127.0.0.1, delivered by a driver turning on
//! its own thread.
#![cfg(not(loom))]

mod support;

use std::future::Future;
use std::io::{self, Read, Write};
use std::pin::pin;
use std::task::{Context, Poll};

use support::{block_on, localhost, udp, wait, wait_until, DriverThread, ThreadWaker};
use weft_reactor::{Direction, Interest, PollEvented, Ready};

#[test]
fn connect_accept_and_transfer() {
    let driver = DriverThread::start();
    let handle = driver.handle();

    let mut listener = mio::net::TcpListener::bind(localhost()).unwrap();
    let listener_reg = handle.register(&mut listener, mio::Interest::READABLE).unwrap();
    let mut client = mio::net::TcpStream::connect(listener.local_addr().unwrap()).unwrap();
    let client_reg = handle.register(&mut client, mio::Interest::READABLE | mio::Interest::WRITABLE).unwrap();

    // The connection completes: the client becomes writable.
    let event = wait("the client to connect", |cx| client_reg.poll_write_ready(cx)).unwrap();
    assert!(event.ready().is_writable());
    assert!(client.take_error().unwrap().is_none());

    // The listener becomes readable and accepts.
    let (mut server, _) =
        wait("a connection to accept", |cx| listener_reg.poll_io(cx, Direction::Read, || listener.accept())).unwrap();
    let server_reg = handle.register(&mut server, mio::Interest::READABLE | mio::Interest::WRITABLE).unwrap();

    // Nothing sent yet: a read finds no readiness or `WouldBlock`.
    let (_, waker) = ThreadWaker::current();
    let mut buf = [0; 64];
    let early = server_reg.poll_io(&mut Context::from_waker(&waker), Direction::Read, || (&server).read(&mut buf));
    assert!(early.is_pending());

    (&client).write_all(b"hello weft").unwrap();
    let n =
        wait("the server to read", |cx| server_reg.poll_io(cx, Direction::Read, || (&server).read(&mut buf))).unwrap();
    assert_eq!(&buf[..n], b"hello weft");

    // The peer closes: the server sees read-closed readiness and end of file.
    client_reg.deregister(&mut client).unwrap();
    drop(client);
    let event = wait("read-closed readiness", |cx| loop {
        match server_reg.poll_read_ready(cx) {
            Poll::Ready(Ok(event)) if event.ready().is_read_closed() => return Poll::Ready(event),
            // Readiness left from the transfer: consume it and wait again.
            Poll::Ready(Ok(event)) => server_reg.clear_readiness(event),
            Poll::Ready(Err(error)) => panic!("unexpected error {error}"),
            Poll::Pending => return Poll::Pending,
        }
    });
    assert!(event.ready().is_readable());
    assert_eq!((&server).read(&mut buf).unwrap(), 0);
    server_reg.clear_readiness(event);
    // Closed readiness survives the clear.
    assert!(server_reg.try_io(Interest::READABLE, || (&server).read(&mut buf)).is_ok());
}

#[test]
fn clear_with_stale_tick_does_not_clear() {
    let driver = DriverThread::start();
    let mut socket = udp();
    let registration = driver.handle().register(&mut socket, mio::Interest::READABLE).unwrap();
    let sender = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
    let target = socket.local_addr().unwrap();

    sender.send_to(b"one", target).unwrap();
    let first = wait("the first datagram", |cx| registration.poll_read_ready(cx)).unwrap();

    // A second datagram arrives after `first` was observed; the driver
    // delivers it with a new tick.
    sender.send_to(b"two", target).unwrap();
    let second = wait("the second delivery", |cx| match registration.poll_read_ready(cx) {
        Poll::Ready(Ok(event)) if event.tick() != first.tick() => Poll::Ready(event),
        Poll::Ready(Ok(_)) => {
            // Same tick: wait for the delivery without clearing anything.
            cx.waker().wake_by_ref();
            std::thread::yield_now();
            Poll::Pending
        }
        Poll::Ready(Err(error)) => panic!("unexpected error {error}"),
        Poll::Pending => Poll::Pending,
    });

    registration.clear_readiness(first);
    let (_, waker) = ThreadWaker::current();
    let mut cx = Context::from_waker(&waker);
    match registration.poll_read_ready(&mut cx) {
        Poll::Ready(Ok(event)) => assert_eq!(event, second, "the stale clear changed nothing"),
        other => panic!("a clear with a stale tick erased readiness: {other:?}"),
    }

    // Clearing with the current tick does clear.
    registration.clear_readiness(second);
    assert!(registration.poll_read_ready(&mut cx).is_pending());
}

#[test]
fn readiness_futures_wait_for_their_interest() {
    let driver = DriverThread::start();
    let mut socket = udp();
    let registration =
        driver.handle().register(&mut socket, mio::Interest::READABLE | mio::Interest::WRITABLE).unwrap();

    let writable = block_on(registration.readiness(Interest::WRITABLE)).unwrap();
    assert!(writable.ready().is_writable());
    assert!(!writable.ready().is_readable());

    // Two readable futures wait at once; one datagram wakes both.
    let (first_waker_state, first_waker) = ThreadWaker::current();
    let (second_waker_state, second_waker) = ThreadWaker::current();
    let mut first = pin!(registration.readiness(Interest::READABLE));
    let mut second = pin!(registration.readiness(Interest::READABLE));
    assert!(first.as_mut().poll(&mut Context::from_waker(&first_waker)).is_pending());
    assert!(second.as_mut().poll(&mut Context::from_waker(&second_waker)).is_pending());

    let sender = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
    sender.send_to(b"x", socket.local_addr().unwrap()).unwrap();
    wait_until("both readiness futures to be woken", || {
        first_waker_state.wakes() == 1 && second_waker_state.wakes() == 1
    });
    let (_, waker) = ThreadWaker::current();
    let mut cx = Context::from_waker(&waker);
    for future in [first.as_mut(), second.as_mut()] {
        match future.poll(&mut cx) {
            Poll::Ready(Ok(event)) => assert_eq!(event.ready(), Ready::READABLE),
            other => panic!("a woken readiness future is not ready: {other:?}"),
        }
    }

    // `try_io` consumes the datagram, then reports `WouldBlock` and clears.
    let mut buf = [0; 8];
    assert_eq!(registration.try_io(Interest::READABLE, || socket.recv(&mut buf)).unwrap(), 1);
    let err = registration.try_io(Interest::READABLE, || socket.recv(&mut buf)).unwrap_err();
    assert_eq!(err.kind(), io::ErrorKind::WouldBlock);
    let mut third = pin!(registration.readiness(Interest::READABLE));
    assert!(third.as_mut().poll(&mut cx).is_pending());
}

#[test]
fn cancelled_readiness_future_loses_nothing() {
    let driver = DriverThread::start();
    let mut socket = udp();
    let registration = driver.handle().register(&mut socket, mio::Interest::READABLE).unwrap();
    let (_, waker) = ThreadWaker::current();
    let mut cx = Context::from_waker(&waker);

    {
        let mut cancelled = pin!(registration.readiness(Interest::READABLE));
        assert!(cancelled.as_mut().poll(&mut cx).is_pending());
    }

    // A new future waits in place of the cancelled one.
    let mut waiting = pin!(registration.readiness(Interest::READABLE));
    assert!(waiting.as_mut().poll(&mut cx).is_pending());

    let sender = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
    sender.send_to(b"kept", socket.local_addr().unwrap()).unwrap();
    let event = block_on(waiting).unwrap();
    assert!(event.ready().is_readable());

    // Readiness futures never consume readiness: a later one resolves at once.
    let again = block_on(registration.readiness(Interest::READABLE)).unwrap();
    assert_eq!(again, event);
    let mut buf = [0; 8];
    let n = socket.recv(&mut buf).unwrap();
    assert_eq!(&buf[..n], b"kept");
}

#[test]
fn two_hundred_registrations() {
    let driver = DriverThread::start();
    let handle = driver.handle();
    let mut sockets: Vec<_> = (0..200).map(|_| udp()).collect();
    let registrations: Vec<_> =
        sockets.iter_mut().map(|socket| handle.register(socket, mio::Interest::READABLE).unwrap()).collect();
    assert_eq!(handle.registration_count(), 200);

    let sender = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
    for (i, socket) in sockets.iter().enumerate() {
        sender.send_to(&(i as u32).to_le_bytes(), socket.local_addr().unwrap()).unwrap();
    }
    for (i, (socket, registration)) in sockets.iter().zip(&registrations).enumerate() {
        let mut buf = [0; 4];
        let n = wait("a datagram", |cx| registration.poll_io(cx, Direction::Read, || socket.recv(&mut buf))).unwrap();
        assert_eq!(n, 4);
        assert_eq!(u32::from_le_bytes(buf), i as u32, "each registration got its own socket's event");
    }

    for (socket, registration) in sockets.iter_mut().zip(&registrations) {
        registration.deregister(socket).unwrap();
    }
    drop(registrations);
    assert_eq!(handle.registration_count(), 0);
}

#[test]
fn reregister_changes_interest() {
    let driver = DriverThread::start();
    let mut socket = udp();
    let registration = driver.handle().register(&mut socket, mio::Interest::READABLE).unwrap();
    let (_, waker) = ThreadWaker::current();
    assert!(registration.poll_write_ready(&mut Context::from_waker(&waker)).is_pending());

    registration.reregister(&mut socket, mio::Interest::WRITABLE).unwrap();
    let event = wait("writable readiness", |cx| registration.poll_write_ready(cx)).unwrap();
    assert_eq!(event.ready() & Ready::WRITABLE, Ready::WRITABLE);
}

#[test]
fn poll_evented_reads_and_deregisters_on_drop() {
    let driver = DriverThread::start();
    let handle = driver.handle();
    let socket = PollEvented::new(udp(), handle, mio::Interest::READABLE).unwrap();
    let sender = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
    sender.send_to(b"evented", socket.local_addr().unwrap()).unwrap();

    let mut buf = [0; 16];
    let n = wait("a datagram", |cx| socket.poll_io(cx, Direction::Read, |s| s.recv(&mut buf))).unwrap();
    assert_eq!(&buf[..n], b"evented");
    assert_eq!(handle.registration_count(), 1);

    // `into_inner` deregisters, so the socket can be registered again.
    let mut raw = socket.into_inner().unwrap();
    assert_eq!(handle.registration_count(), 0);
    let again = handle.register(&mut raw, mio::Interest::READABLE).unwrap();
    again.deregister(&mut raw).unwrap();
}

#[test]
fn async_io_retries_after_would_block() {
    let driver = DriverThread::start();
    let mut socket = udp();
    let registration = driver.handle().register(&mut socket, mio::Interest::READABLE).unwrap();
    let sender = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
    let target = socket.local_addr().unwrap();

    let mut attempts = 0;
    let mut buf = [0; 8];
    let mut receive = Box::pin(registration.async_io(Interest::READABLE, || {
        attempts += 1;
        socket.recv(&mut buf)
    }));
    // Nothing to receive yet: the future waits without trying.
    let (_, waker) = ThreadWaker::current();
    assert!(receive.as_mut().poll(&mut Context::from_waker(&waker)).is_pending());

    sender.send_to(b"late", target).unwrap();
    let n = block_on(receive).unwrap();
    assert_eq!(n, 4);
    assert_eq!(attempts, 1);
    assert_eq!(&buf[..n], b"late");
}
