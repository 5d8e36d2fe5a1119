//! The driver itself: turning, unparking, shutdown, slot reuse.
#![cfg(not(loom))]

mod support;

use std::future::Future;
use std::sync::mpsc;
use std::task::{Context, Poll};
use std::thread;
use std::time::Duration;

use support::{udp, wait, wait_until, DriverThread, ThreadWaker, DEADLINE};
use weft_reactor::{Direction, Driver, Interest};

const SHUTDOWN_MESSAGE: &str = "the weft runtime that owned this socket has shut down";

fn assert_shutdown_error(error: std::io::Error) {
    assert_eq!(error.kind(), std::io::ErrorKind::Other);
    assert_eq!(error.to_string(), SHUTDOWN_MESSAGE);
}

#[test]
fn turn_without_events_times_out() {
    let mut driver = Driver::new().unwrap();
    assert!(!driver.turn(Some(Duration::ZERO)));
    assert!(!driver.turn(Some(Duration::from_millis(1))));
}

#[test]
fn unpark_before_turn_makes_it_return() {
    let mut driver = Driver::new().unwrap();
    driver.handle().unpark();
    assert!(driver.turn(None));
}

#[test]
fn unpark_interrupts_a_blocked_turn() {
    let mut driver = Driver::new().unwrap();
    let handle = driver.handle();
    let (started_tx, started_rx) = mpsc::channel();
    let (done_tx, done_rx) = mpsc::channel();
    let turner = thread::spawn(move || {
        started_tx.send(()).unwrap();
        // No timeout: only the unpark can end this turn.
        let progressed = driver.turn(None);
        done_tx.send(progressed).unwrap();
    });
    started_rx.recv_timeout(DEADLINE).expect("the turning thread started");
    // Give the turn a moment to block; the test holds whether or not it
    // did, since an unpark before a turn also ends it.
    thread::sleep(Duration::from_millis(20));
    handle.unpark();
    let progressed = done_rx.recv_timeout(DEADLINE).expect("unpark ended the blocked turn");
    assert!(progressed, "the turn reports the wake-up token");
    turner.join().unwrap();
}

#[test]
fn unpark_from_many_threads() {
    let mut driver = Driver::new().unwrap();
    let handle = driver.handle();
    let unparkers: Vec<_> = (0..8)
        .map(|_| {
            let handle = handle.clone();
            thread::spawn(move || {
                for _ in 0..100 {
                    handle.unpark();
                }
            })
        })
        .collect();
    for unparker in unparkers {
        unparker.join().unwrap();
    }
    assert!(driver.turn(Some(Duration::ZERO)));
}

#[test]
fn shutdown_fails_a_pending_read() {
    let driver = DriverThread::start();
    let handle = driver.handle().clone();
    let mut socket = udp();
    let registration = handle.register(&mut socket, mio::Interest::READABLE).unwrap();
    let (state, waker) = ThreadWaker::current();
    let mut cx = Context::from_waker(&waker);
    assert!(registration.poll_read_ready(&mut cx).is_pending());
    let mut readiness = Box::pin(registration.readiness(Interest::READABLE));
    assert!(readiness.as_mut().poll(&mut cx).is_pending());

    let shutter = thread::spawn(move || handle.shutdown());
    shutter.join().unwrap();
    wait_until("shutdown to wake the waiters", || state.wakes() == 2);

    match registration.poll_read_ready(&mut cx) {
        Poll::Ready(Err(error)) => assert_shutdown_error(error),
        other => panic!("expected the shutdown error, got {other:?}"),
    }
    match readiness.as_mut().poll(&mut cx) {
        Poll::Ready(Err(error)) => assert_shutdown_error(error),
        other => panic!("expected the shutdown error, got {other:?}"),
    }
    let io_result = wait("poll_io", |cx| registration.poll_io(cx, Direction::Write, || Ok(())));
    assert_shutdown_error(io_result.unwrap_err());
    assert_shutdown_error(registration.try_io(Interest::READABLE, || Ok(())).unwrap_err());
}

#[test]
fn register_after_shutdown_fails() {
    let mut driver = Driver::new().unwrap();
    let handle = driver.handle();
    driver.shutdown();
    assert!(handle.is_shutdown());
    let mut socket = udp();
    assert_shutdown_error(handle.register(&mut socket, mio::Interest::READABLE).unwrap_err());
    assert_eq!(handle.registration_count(), 0);
    // A second shutdown is harmless.
    handle.shutdown();
}

#[test]
fn dropping_the_driver_shuts_it_down() {
    let driver = Driver::new().unwrap();
    let handle = driver.handle();
    let mut socket = udp();
    let registration = handle.register(&mut socket, mio::Interest::READABLE).unwrap();
    let (state, waker) = ThreadWaker::current();
    assert!(registration.poll_read_ready(&mut Context::from_waker(&waker)).is_pending());

    drop(driver);
    assert_eq!(state.wakes(), 1);
    let result = wait("the shutdown error", |cx| registration.poll_read_ready(cx));
    assert_shutdown_error(result.unwrap_err());
    // The source can still be deregistered.
    registration.deregister(&mut socket).unwrap();
}

#[test]
fn a_reused_slot_gets_no_event_of_its_previous_owner() {
    let mut driver = Driver::new().unwrap();
    let handle = driver.handle();
    let sender = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();

    let mut old_socket = udp();
    let old = handle.register(&mut old_socket, mio::Interest::READABLE).unwrap();
    sender.send_to(b"old", old_socket.local_addr().unwrap()).unwrap();
    old.deregister(&mut old_socket).unwrap();
    drop(old);

    let mut new_socket = udp();
    let new = handle.register(&mut new_socket, mio::Interest::READABLE).unwrap();
    let (state, waker) = ThreadWaker::current();
    let mut cx = Context::from_waker(&waker);
    assert!(new.poll_read_ready(&mut cx).is_pending());
    // The old socket has a datagram waiting; its events must not arrive.
    for _ in 0..3 {
        driver.turn(Some(Duration::from_millis(10)));
    }
    assert!(new.poll_read_ready(&mut cx).is_pending());
    assert_eq!(state.wakes(), 0);

    // The new owner's own events do arrive.
    sender.send_to(b"new", new_socket.local_addr().unwrap()).unwrap();
    for _ in 0..100 {
        if state.wakes() > 0 {
            break;
        }
        driver.turn(Some(Duration::from_millis(100)));
    }
    assert_eq!(state.wakes(), 1);
    let mut buf = [0; 8];
    let n = match new.poll_io(&mut cx, Direction::Read, || new_socket.recv(&mut buf)) {
        Poll::Ready(n) => n.unwrap(),
        Poll::Pending => panic!("woken but not readable"),
    };
    assert_eq!(&buf[..n], b"new");
}

#[test]
fn handles_are_send_sync_and_debug() {
    fn assert_send_sync<T: Send + Sync + Clone + std::fmt::Debug>() {}
    assert_send_sync::<weft_reactor::Handle>();
    fn assert_send_sync_only<T: Send + Sync + std::fmt::Debug>() {}
    assert_send_sync_only::<weft_reactor::Registration>();
    fn assert_send<T: Send + std::fmt::Debug>() {}
    assert_send::<Driver>();
    let driver = Driver::new().unwrap();
    assert!(format!("{driver:?}").contains("Driver"));
}
