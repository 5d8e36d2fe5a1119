use std::future::Future;
use std::pin::pin;
use std::sync::Arc;
use std::task::{Context, Wake, Waker};

use super::{mode, Notify, EMPTY, NOTIFIED, WAITING};
use crate::loom::sync::atomic::Ordering::SeqCst;

struct Noop;

impl Wake for Noop {
    fn wake(self: Arc<Self>) {}
}

fn current_mode(notify: &Notify) -> usize {
    mode(notify.state.load(SeqCst))
}

#[test]
fn modes_follow_waiters_and_permits() {
    let notify = Notify::new();
    assert_eq!(current_mode(&notify), EMPTY);
    notify.notify_one();
    notify.notify_one();
    assert_eq!(current_mode(&notify), NOTIFIED);

    let waker = Waker::from(Arc::new(Noop));
    let mut cx = Context::from_waker(&waker);
    let mut first = pin!(notify.notified());
    assert!(first.as_mut().poll(&mut cx).is_ready());
    assert_eq!(
        current_mode(&notify),
        EMPTY,
        "two notify_one calls store one permit"
    );

    let mut second = pin!(notify.notified());
    assert!(second.as_mut().poll(&mut cx).is_pending());
    assert_eq!(current_mode(&notify), WAITING);
    notify.notify_one();
    assert_eq!(current_mode(&notify), EMPTY);
    assert!(second.as_mut().poll(&mut cx).is_ready());
}

#[test]
fn dropping_the_last_waiter_leaves_waiting_mode() {
    let notify = Notify::new();
    {
        let mut notified = pin!(notify.notified());
        assert!(!notified.as_mut().enable());
        assert_eq!(current_mode(&notify), WAITING);
    }
    assert_eq!(current_mode(&notify), EMPTY);
}

#[test]
fn a_first_poll_that_may_not_wait_for_the_lock_changes_nothing() {
    let notify = Notify::new();
    let waker = Waker::from(Arc::new(Noop));
    let mut notified = pin!(notify.notified());

    let held = notify.waiters.lock();
    assert!(
        notified.as_mut().try_poll_notified(&waker).is_none(),
        "the lock is held: the poll gives up"
    );
    drop(held);
    assert_eq!(current_mode(&notify), EMPTY, "nothing was linked");

    assert_eq!(
        notified.as_mut().try_poll_notified(&waker),
        Some(std::task::Poll::Pending)
    );
    assert_eq!(current_mode(&notify), WAITING);
    notify.notify_waiters();
    assert_eq!(
        notified.as_mut().try_poll_notified(&waker),
        Some(std::task::Poll::Ready(()))
    );
}
