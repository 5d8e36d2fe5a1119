//! `weft::sync::watch`: latest value, versions, close.

#[path = "support/sync_util.rs"]
mod sync_util;

use std::sync::Arc;

use sync_util::{block_on, Task};
use weft::sync::watch;

#[test]
fn receivers_see_the_latest_value() {
    let (tx, mut rx) = watch::channel(1);
    assert_eq!(*rx.borrow(), 1);
    assert!(!rx.has_changed().unwrap());
    tx.send(2).unwrap();
    tx.send(3).unwrap();
    assert!(rx.has_changed().unwrap());
    assert!(rx.borrow().has_changed());
    let seen = rx.borrow_and_update();
    assert!(seen.has_changed());
    assert_eq!(*seen, 3);
    drop(seen);
    assert!(!rx.has_changed().unwrap());
    // Two borrows at once (receiver and sender side) do not block.
    let (a, b) = (rx.borrow(), tx.borrow());
    assert_eq!(*a, *b);
}

#[test]
fn changed_waits_for_a_new_version() {
    let (tx, mut rx) = watch::channel("a");
    let mut changed = Task::new(rx.changed());
    changed.assert_pending();
    tx.send("b").unwrap();
    assert!(changed.is_woken());
    changed.assert_ready().unwrap();
    drop(changed);
    // Marked seen: the next `changed` waits again.
    Task::new(rx.changed()).assert_pending();
    assert_eq!(*rx.borrow(), "b");
}

#[test]
fn send_without_receivers_fails_but_send_replace_stores() {
    let (tx, rx) = watch::channel(1);
    drop(rx);
    assert!(tx.is_closed());
    assert_eq!(tx.send(2).unwrap_err().0, 2);
    assert_eq!(*tx.borrow(), 1);
    assert_eq!(tx.send_replace(3), 1);
    assert_eq!(*tx.borrow(), 3);
    let rx = tx.subscribe();
    assert_eq!(tx.receiver_count(), 1);
    assert!(
        !rx.has_changed().unwrap(),
        "a new subscriber has seen the current value"
    );
    tx.send(4).unwrap();
    assert!(rx.has_changed().unwrap());

    let lonely = watch::Sender::new(0);
    assert_eq!(lonely.receiver_count(), 0);
    let rx = lonely.subscribe();
    lonely.send(1).unwrap();
    assert_eq!(*rx.borrow(), 1);
}

#[test]
fn send_if_modified_notifies_only_on_true() {
    let (tx, mut rx) = watch::channel(0);
    let mut changed = Task::new(rx.changed());
    changed.assert_pending();
    assert!(!tx.send_if_modified(|_| false));
    assert!(!changed.is_woken());
    changed.assert_pending();
    tx.send_modify(|v| *v += 5);
    assert!(changed.is_woken());
    changed.assert_ready().unwrap();
    drop(changed);
    assert_eq!(*rx.borrow(), 5);
}

#[test]
fn a_panicking_modify_releases_the_lock_without_notifying() {
    let (tx, rx) = watch::channel(0);
    let tx = Arc::new(tx);
    let remote = tx.clone();
    let result = std::thread::spawn(move || {
        remote.send_modify(|v| {
            *v = 1;
            panic!("modify failed");
        })
    })
    .join();
    assert!(result.is_err());
    assert!(!rx.has_changed().unwrap());
    assert_eq!(*rx.borrow(), 1);
    tx.send(2).unwrap();
}

#[test]
fn mark_changed_and_unchanged() {
    let (tx, mut rx) = watch::channel(());
    rx.mark_changed();
    assert!(rx.has_changed().unwrap());
    block_on(rx.changed()).unwrap();
    tx.send(()).unwrap();
    rx.mark_unchanged();
    assert!(!rx.has_changed().unwrap());
}

#[test]
fn dropping_the_sender_ends_changed_after_the_last_value() {
    let (tx, mut rx) = watch::channel(0);
    tx.send(1).unwrap();
    drop(tx);
    assert!(rx.has_changed().is_err());
    // The unseen value is still reported once.
    assert!(block_on(rx.changed()).is_ok());
    assert!(block_on(rx.changed()).is_err());
    assert_eq!(*rx.borrow(), 1);
}

#[test]
fn dropping_the_last_sender_wakes_waiters() {
    let (tx, mut rx) = watch::channel(0);
    let tx2 = tx.clone();
    assert_eq!(tx.sender_count(), 2);
    let mut changed = Task::new(rx.changed());
    changed.assert_pending();
    drop(tx);
    assert!(!changed.is_woken());
    drop(tx2);
    assert!(changed.is_woken());
    assert!(changed.assert_ready().is_err());
}

#[test]
fn wait_for_checks_now_then_each_change() {
    let (tx, mut rx) = watch::channel(1);
    assert_eq!(*block_on(rx.wait_for(|v| *v == 1)).unwrap(), 1);
    {
        let mut waiting = Task::new(rx.wait_for(|v| *v >= 3));
        waiting.assert_pending();
        tx.send(2).unwrap();
        waiting.assert_pending();
        tx.send(3).unwrap();
        let value = waiting.assert_ready().unwrap();
        assert_eq!(*value, 3);
        assert!(value.has_changed());
    }
    assert!(!rx.has_changed().unwrap());
    drop(tx);
    assert!(block_on(rx.wait_for(|v| *v == 9)).is_err());
}

#[test]
fn cloned_receivers_share_the_seen_version() {
    let (tx, mut rx) = watch::channel(0);
    tx.send(1).unwrap();
    let rx2 = rx.clone();
    assert_eq!(tx.receiver_count(), 2);
    assert!(rx2.has_changed().unwrap());
    rx.borrow_and_update();
    assert!(rx2.has_changed().unwrap());
    assert!(rx.same_channel(&rx2));
    assert!(tx.same_channel(&tx.clone()));
}

#[test]
fn sender_closed_waits_for_every_receiver() {
    let (tx, rx) = watch::channel(0);
    let rx2 = rx.clone();
    let mut closed = Task::new(tx.closed());
    closed.assert_pending();
    drop(rx);
    closed.assert_pending();
    drop(rx2);
    assert!(closed.is_woken());
    closed.assert_ready();
}

#[test]
fn a_spent_coop_budget_makes_changed_yield() {
    let (tx, mut rx) = watch::channel(0u64);
    let mut looping = Task::new(async move {
        loop {
            tx.send_modify(|v| *v += 1);
            rx.changed().await.unwrap();
        }
    });
    assert!(weft_scheduler::coop::budget(|| looping.poll()).is_pending());
    assert!(looping.is_woken());
}

#[test]
fn a_receiver_thread_reaches_the_final_value() {
    let (tx, mut rx) = watch::channel(0u32);
    let reader = std::thread::spawn(move || {
        let mut changes = 0;
        loop {
            if block_on(rx.changed()).is_err() {
                break;
            }
            changes += 1;
            if *rx.borrow_and_update() == 1000 {
                break;
            }
        }
        (changes, *rx.borrow())
    });
    for i in 1..=1000 {
        tx.send(i).unwrap();
    }
    let (changes, last) = reader.join().unwrap();
    assert_eq!(last, 1000);
    assert!((1..=1000).contains(&changes));
}
