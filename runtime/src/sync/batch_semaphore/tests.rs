use std::future::Future;
use std::pin::pin;
use std::sync::Arc;
use std::task::{Context, Poll, Wake, Waker};

use super::{Closed, Semaphore, TryAcquireError, MAX_PERMITS, QUEUED};
use crate::loom::sync::atomic::Ordering;

struct Noop;

impl Wake for Noop {
    fn wake(self: Arc<Self>) {}
}

fn waker() -> Waker {
    Waker::from(Arc::new(Noop))
}

fn queued(sem: &Semaphore) -> bool {
    sem.state.load(Ordering::SeqCst) & QUEUED != 0
}

#[test]
fn queued_flag_follows_the_waiter_list() {
    let sem = Semaphore::new(1);
    let waker = waker();
    let mut cx = Context::from_waker(&waker);
    let mut acquire = pin!(sem.acquire(3));
    assert!(acquire.as_mut().poll(&mut cx).is_pending());
    assert!(queued(&sem));
    // The one free permit became a partial grant.
    assert_eq!(sem.available_permits(), 0);
    sem.release(2);
    assert!(!queued(&sem));
    assert_eq!(acquire.as_mut().poll(&mut cx), Poll::Ready(Ok(())));
    // With nobody queued, releases take the lock-free path again.
    sem.release(3);
    assert_eq!(sem.available_permits(), 3);
}

#[test]
fn cancelling_the_only_waiter_clears_the_flag() {
    let sem = Semaphore::new(0);
    let waker = waker();
    let mut cx = Context::from_waker(&waker);
    {
        let mut acquire = pin!(sem.acquire(1));
        assert!(acquire.as_mut().poll(&mut cx).is_pending());
        assert!(queued(&sem));
    }
    assert!(!queued(&sem));
    sem.release(1);
    assert_eq!(sem.try_acquire(1), Ok(()));
}

#[test]
fn close_empties_the_queue() {
    let sem = Semaphore::new(0);
    let waker = waker();
    let mut cx = Context::from_waker(&waker);
    let mut acquire = pin!(sem.acquire(1));
    assert!(acquire.as_mut().poll(&mut cx).is_pending());
    sem.close();
    assert!(!queued(&sem));
    assert_eq!(acquire.as_mut().poll(&mut cx), Poll::Ready(Err(Closed)));
    assert_eq!(sem.try_acquire(0), Err(TryAcquireError::Closed));
}

#[test]
#[should_panic(expected = "a semaphore may not have more than MAX_PERMITS permits")]
fn acquiring_more_than_max_panics() {
    let sem = Semaphore::new(0);
    drop(sem.acquire(MAX_PERMITS + 1));
}
