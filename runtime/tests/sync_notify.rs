//! `weft::sync::Notify`: permits, FIFO/LIFO, notify_waiters, enable,
//! cancellation.

#[path = "support/sync_util.rs"]
mod sync_util;

use std::pin::pin;
use std::sync::Arc;

use sync_util::{block_on, Task};
use weft::sync::Notify;

#[test]
fn notify_one_without_waiters_stores_one_permit() {
    let notify = Notify::new();
    notify.notify_one();
    notify.notify_one();
    Task::new(notify.notified()).assert_ready();
    // Only one permit was stored.
    Task::new(notify.notified()).assert_pending();
}

#[test]
fn notify_one_wakes_the_oldest_waiter() {
    let notify = Notify::new();
    let mut first = Task::new(notify.notified());
    let mut second = Task::new(notify.notified());
    first.assert_pending();
    second.assert_pending();
    notify.notify_one();
    assert!(first.is_woken());
    assert!(!second.is_woken());
    first.assert_ready();
    second.assert_pending();
    notify.notify_one();
    second.assert_ready();
}

#[test]
fn notify_last_wakes_the_newest_waiter() {
    let notify = Notify::new();
    let mut first = Task::new(notify.notified());
    let mut second = Task::new(notify.notified());
    first.assert_pending();
    second.assert_pending();
    notify.notify_last();
    assert!(!first.is_woken());
    assert!(second.is_woken());
    second.assert_ready();
    first.assert_pending();
}

#[test]
fn notify_waiters_wakes_everyone_and_stores_nothing() {
    let notify = Notify::new();
    let mut waiters: Vec<_> = (0..5).map(|_| Task::new(notify.notified())).collect();
    for waiter in &mut waiters {
        waiter.assert_pending();
    }
    notify.notify_waiters();
    for waiter in &mut waiters {
        assert!(waiter.is_woken());
        waiter.assert_ready();
    }
    Task::new(notify.notified()).assert_pending();
}

#[test]
fn notify_waiters_reaches_futures_created_but_not_polled() {
    let notify = Notify::new();
    let before = notify.notified();
    notify.notify_waiters();
    let after = notify.notified();
    Task::new(before).assert_ready();
    Task::new(after).assert_pending();
}

#[test]
fn enable_registers_before_the_first_poll() {
    let notify = Notify::new();
    let mut notified = pin!(notify.notified());
    assert!(!notified.as_mut().enable());
    // The enabled future is in the queue, so this does not store a permit.
    notify.notify_one();
    assert!(notified.as_mut().enable());
    block_on(notified);
    Task::new(notify.notified()).assert_pending();
}

#[test]
fn enable_consumes_a_stored_permit() {
    let notify = Notify::new();
    notify.notify_one();
    let mut notified = pin!(notify.notified());
    assert!(notified.as_mut().enable());
    block_on(notified);
}

#[test]
fn dropping_a_registered_waiter_leaves_the_queue() {
    let notify = Notify::new();
    let mut first = Task::new(notify.notified());
    let mut second = Task::new(notify.notified());
    first.assert_pending();
    second.assert_pending();
    drop(first);
    notify.notify_one();
    assert!(second.is_woken());
    second.assert_ready();
}

#[test]
fn a_picked_but_dropped_waiter_passes_the_notification_on() {
    let notify = Notify::new();
    let mut first = Task::new(notify.notified());
    let mut second = Task::new(notify.notified());
    first.assert_pending();
    second.assert_pending();
    notify.notify_one();
    assert!(first.is_woken());
    drop(first);
    assert!(second.is_woken());
    second.assert_ready();
}

#[test]
fn a_picked_but_dropped_last_waiter_stores_the_permit() {
    let notify = Notify::new();
    let mut only = Task::new(notify.notified());
    only.assert_pending();
    notify.notify_one();
    drop(only);
    Task::new(notify.notified()).assert_ready();
}

#[test]
fn a_notify_waiters_wakeup_is_not_passed_on() {
    let notify = Notify::new();
    let mut a = Task::new(notify.notified());
    a.assert_pending();
    notify.notify_waiters();
    drop(a);
    Task::new(notify.notified()).assert_pending();
}

#[test]
fn a_completed_notified_does_not_pass_anything_on() {
    let notify = Notify::new();
    let mut a = Task::new(notify.notified());
    a.assert_pending();
    notify.notify_one();
    a.assert_ready();
    drop(a);
    Task::new(notify.notified()).assert_pending();
}

#[test]
fn const_new_in_a_static() {
    static NOTIFY: Notify = Notify::const_new();
    let mut waiter = Task::new(NOTIFY.notified());
    waiter.assert_pending();
    NOTIFY.notify_one();
    waiter.assert_ready();
}

#[test]
fn a_spent_coop_budget_makes_notified_yield() {
    let notify = Notify::new();
    let mut looping = Task::new(async {
        loop {
            notify.notify_one();
            notify.notified().await;
        }
    });
    assert!(weft_scheduler::coop::budget(|| looping.poll()).is_pending());
    assert!(looping.is_woken());
}

#[test]
fn ping_pong_between_threads_loses_no_wakeup() {
    let ping = Arc::new(Notify::new());
    let pong = Arc::new(Notify::new());
    let (ping2, pong2) = (ping.clone(), pong.clone());
    let other = std::thread::spawn(move || {
        for _ in 0..2000 {
            block_on(ping2.notified());
            pong2.notify_one();
        }
    });
    for _ in 0..2000 {
        ping.notify_one();
        block_on(pong.notified());
    }
    other.join().unwrap();
}

#[test]
fn notify_waiters_from_another_thread_reaches_enabled_waiters() {
    for _ in 0..500 {
        let notify = Arc::new(Notify::new());
        let mut notified = Box::pin(notify.notified());
        notified.as_mut().enable();
        let remote = notify.clone();
        let thread = std::thread::spawn(move || remote.notify_waiters());
        block_on(notified);
        thread.join().unwrap();
    }
}

#[test]
fn owned_notified_outlives_the_borrow_and_keeps_the_notify_alive() {
    let notify = Arc::new(Notify::new());
    let mut owned = Task::new(notify.clone().notified_owned());
    assert_eq!(Arc::strong_count(&notify), 2);
    owned.assert_pending();
    notify.notify_one();
    assert!(owned.is_woken());
    owned.assert_ready();
    drop(owned);
    assert_eq!(Arc::strong_count(&notify), 1);
}

#[test]
fn owned_notified_sees_notify_waiters_called_before_its_first_poll() {
    let notify = Arc::new(Notify::new());
    let before = notify.clone().notified_owned();
    notify.notify_waiters();
    let after = notify.clone().notified_owned();
    Task::new(before).assert_ready();
    Task::new(after).assert_pending();
}

#[test]
fn owned_notified_enable_and_cancel_pass_the_permit_on() {
    let notify = Arc::new(Notify::new());
    let mut first = Box::pin(notify.clone().notified_owned());
    assert!(!first.as_mut().enable());
    let mut second = Task::new(notify.clone().notified_owned());
    second.assert_pending();
    // The enabled future is first in the queue and is picked, then
    // dropped without being polled: the notification moves on.
    notify.notify_one();
    drop(first);
    assert!(second.is_woken());
    second.assert_ready();
}

#[test]
fn owned_notified_moves_into_another_thread() {
    let notify = Arc::new(Notify::new());
    let notified = notify.clone().notified_owned();
    let waiter = std::thread::spawn(move || block_on(notified));
    notify.notify_one();
    waiter.join().unwrap();
}
