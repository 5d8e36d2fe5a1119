#![cfg(not(loom))]

use std::cell::Cell;
use std::io;
use std::task::{Context, Poll};

use crate::test_support::CountingWaker;
use crate::wake_list::WakeList;
use crate::{Direction, Driver, Interest, Ready, Registration};

fn registered() -> (Driver, mio::net::UdpSocket, Registration) {
    let driver = Driver::new().unwrap();
    let mut socket = mio::net::UdpSocket::bind("127.0.0.1:0".parse().unwrap()).unwrap();
    let registration = driver.handle().register(&mut socket, mio::Interest::READABLE).unwrap();
    (driver, socket, registration)
}

/// Delivers `ready` as the driver would, without the OS.
fn deliver(registration: &Registration, ready: Ready) {
    let io = registration.io();
    assert!(io.dispatch(io.generation(), ready));
    let mut wakers = WakeList::new();
    io.wake(ready, &mut wakers);
    wakers.wake_all();
}

fn would_block<T>() -> io::Result<T> {
    Err(io::ErrorKind::WouldBlock.into())
}

#[test]
fn poll_io_clears_and_waits_after_would_block() {
    let (_driver, _socket, registration) = registered();
    let (counter, waker) = CountingWaker::new();
    let mut cx = Context::from_waker(&waker);
    let calls = Cell::new(0);

    // Not ready: `f` is not even tried.
    assert!(registration.poll_io(&mut cx, Direction::Read, || -> io::Result<()> { unreachable!() }).is_pending());

    deliver(&registration, Ready::READABLE);
    assert_eq!(counter.wakes(), 1);
    let poll = registration.poll_io(&mut cx, Direction::Read, || {
        calls.set(calls.get() + 1);
        would_block::<()>()
    });
    assert!(poll.is_pending());
    assert_eq!(calls.get(), 1, "one try, then readiness is cleared and the task waits");

    deliver(&registration, Ready::READABLE);
    assert_eq!(counter.wakes(), 2);
    let poll = registration.poll_io(&mut cx, Direction::Read, || Ok(7));
    assert!(matches!(poll, Poll::Ready(Ok(7))));
}

#[test]
fn poll_io_passes_other_errors_through() {
    let (_driver, _socket, registration) = registered();
    let (_, waker) = CountingWaker::new();
    deliver(&registration, Ready::READABLE);
    let poll = registration.poll_io(&mut Context::from_waker(&waker), Direction::Read, || -> io::Result<()> {
        Err(io::ErrorKind::ConnectionReset.into())
    });
    match poll {
        Poll::Ready(Err(error)) => assert_eq!(error.kind(), io::ErrorKind::ConnectionReset),
        other => panic!("expected the reset error, got {other:?}"),
    }
    // A real error is not `WouldBlock`: readiness stays.
    assert!(registration.io().snapshot().ready().is_readable());
}

#[test]
fn try_io_runs_only_when_ready_and_clears_on_would_block() {
    let (_driver, _socket, registration) = registered();
    let result = registration.try_io(Interest::READABLE, || -> io::Result<()> { unreachable!() });
    assert_eq!(result.unwrap_err().kind(), io::ErrorKind::WouldBlock);

    deliver(&registration, Ready::READABLE | Ready::WRITABLE);
    assert_eq!(registration.try_io(Interest::READABLE, || Ok(1)).unwrap(), 1);
    let result = registration.try_io(Interest::READABLE, would_block::<()>);
    assert_eq!(result.unwrap_err().kind(), io::ErrorKind::WouldBlock);
    assert_eq!(registration.io().snapshot().ready(), Ready::WRITABLE);
    assert_eq!(registration.try_io(Interest::WRITABLE, || Ok(2)).unwrap(), 2);
}

#[test]
fn handle_reports_registrations_and_slot_reuse() {
    let (driver, mut socket, registration) = registered();
    let handle = driver.handle();
    assert_eq!(handle.registration_count(), 1);
    assert!(registration.handle().ptr_eq(&handle));
    registration.deregister(&mut socket).unwrap();
    drop(registration);
    assert_eq!(handle.registration_count(), 0);
    let again = handle.register(&mut socket, mio::Interest::READABLE).unwrap();
    assert_eq!(again.slot_index(), 0);
}

#[test]
fn failed_register_frees_the_slot() {
    let (driver, mut socket, _registration) = registered();
    let handle = driver.handle();
    // Registering the same socket twice is refused by the OS.
    assert!(handle.register(&mut socket, mio::Interest::READABLE).is_err());
    assert_eq!(handle.registration_count(), 1);
}
