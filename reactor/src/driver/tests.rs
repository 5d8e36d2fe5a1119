#![cfg(not(loom))]

use std::task::Context;
use std::time::Duration;

use super::{deliver, Driver};
use crate::test_support::CountingWaker;
use crate::Ready;

fn udp() -> mio::net::UdpSocket {
    mio::net::UdpSocket::bind("127.0.0.1:0".parse().unwrap()).unwrap()
}

/// Polls the OS without delivering, until the poll returns some event.
fn poll_until_events(driver: &mut Driver) {
    for _ in 0..100 {
        driver.poll.poll(&mut driver.events, Some(Duration::from_millis(100))).unwrap();
        if !driver.events.is_empty() {
            return;
        }
    }
    panic!("the OS reported no event within 100 polls");
}

#[test]
fn event_read_before_deregistration_does_not_reach_the_slot_next_owner() {
    let mut driver = Driver::new().unwrap();
    let handle = driver.handle();
    let mut old_socket = udp();
    let old = handle.register(&mut old_socket, mio::Interest::READABLE).unwrap();
    let sender = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
    sender.send_to(b"for the old owner", old_socket.local_addr().unwrap()).unwrap();

    // The OS has reported the old socket's event, but the driver has not
    // delivered it yet when the old owner goes away.
    poll_until_events(&mut driver);
    let old_slot = old.slot_index();
    old.deregister(&mut old_socket).unwrap();
    drop(old);

    let mut new_socket = udp();
    let new = handle.register(&mut new_socket, mio::Interest::READABLE).unwrap();
    assert_eq!(new.slot_index(), old_slot, "the freed slot is reused");
    let (counter, waker) = CountingWaker::new();
    assert!(new.poll_read_ready(&mut Context::from_waker(&waker)).is_pending());

    assert!(!deliver(&driver.events, &mut driver.pages, &driver.handle.inner.slots), "only a stale event was pending");
    assert_eq!(counter.wakes(), 0);
    assert_eq!(new.io().snapshot().ready(), Ready::EMPTY);
    assert_eq!(new.io().snapshot().tick(), 0);
}

#[test]
fn driver_finds_slots_on_pages_allocated_after_its_last_refresh() {
    let mut driver = Driver::new().unwrap();
    let handle = driver.handle();
    // Fill page 0 and start page 1 before the driver has looked at any page.
    let mut sockets: Vec<_> = (0..33).map(|_| udp()).collect();
    let registrations: Vec<_> =
        sockets.iter_mut().map(|socket| handle.register(socket, mio::Interest::WRITABLE).unwrap()).collect();
    assert!(driver.pages.is_empty());

    for _ in 0..100 {
        driver.turn(Some(Duration::from_millis(100)));
        if registrations.iter().all(|r| r.io().snapshot().ready().is_writable()) {
            break;
        }
    }
    assert!(registrations.iter().all(|r| r.io().snapshot().ready().is_writable()));
    assert_eq!(driver.pages.len(), 2);
}

#[test]
fn a_turn_that_does_not_wait_takes_at_most_the_busy_capacity() {
    assert!(Driver::with_event_capacity(8).unwrap().busy_events.is_none(), "one capacity needs one buffer");
    assert!(Driver::with_event_capacities(8, 8).unwrap().busy_events.is_none());

    let mut driver = Driver::with_event_capacities(8, 2).unwrap();
    let handle = driver.handle();
    // Twelve sockets, each writable at once: twelve events wait in the OS.
    let mut sockets: Vec<_> = (0..12).map(|_| udp()).collect();
    let registrations: Vec<_> =
        sockets.iter_mut().map(|socket| handle.register(socket, mio::Interest::WRITABLE).unwrap()).collect();
    let writable = || registrations.iter().filter(|r| r.io().snapshot().ready().is_writable()).count();

    let mut seen = 0;
    for _ in 0..100 {
        driver.turn(Some(Duration::ZERO));
        let now = writable();
        assert!(now - seen <= 2, "a busy turn delivered {} events, more than its capacity of 2", now - seen);
        seen = now;
        if seen > 0 {
            break;
        }
    }
    assert!(seen > 0, "no event within 100 busy turns");

    driver.turn(Some(Duration::from_millis(100)));
    let waited = writable() - seen;
    assert!(waited > 2, "a waiting turn took only {waited} events: it used the busy buffer");
    assert!(waited <= 8, "a waiting turn delivered {waited} events, more than its capacity of 8");
}
