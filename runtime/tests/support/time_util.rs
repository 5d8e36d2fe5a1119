//! Helpers for the `time_*` tests.
//!
//! Include with `#[path = "support/time_util.rs"] mod time_util;`.
#![allow(dead_code)]

use std::future::{poll_fn, Future};
use std::pin::Pin;
use std::sync::mpsc;
use std::task::Poll;
use std::time::Duration;

/// Ends the whole test process if it is not dropped within `limit`: a test
/// that hangs must fail, not stall the suite. A timer cannot guard the
/// tests of the timer, so this is a plain thread.
#[must_use = "the watchdog stops watching when dropped"]
pub(crate) struct Watchdog {
    _done: mpsc::Sender<()>,
}

pub(crate) fn watchdog(limit: Duration) -> Watchdog {
    let (done, wait) = mpsc::channel::<()>();
    let name = std::thread::current()
        .name()
        .unwrap_or("<unnamed>")
        .to_owned();
    std::thread::spawn(move || {
        if let Err(mpsc::RecvTimeoutError::Timeout) = wait.recv_timeout(limit) {
            eprintln!("test `{name}` did not finish within {limit:?}; aborting");
            std::process::abort();
        }
    });
    Watchdog { _done: done }
}

/// The default limit for one test.
pub(crate) fn guard() -> Watchdog {
    watchdog(Duration::from_secs(30))
}

/// Polls `fut` exactly once, with the current task's waker.
pub(crate) async fn poll_once<F: Future + ?Sized>(fut: Pin<&mut F>) -> Poll<F::Output> {
    let mut fut = Some(fut);
    poll_fn(|cx| Poll::Ready(fut.take().expect("polled twice").poll(cx))).await
}

pub(crate) fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

/// The text of a panic payload.
pub(crate) fn panic_message(payload: Box<dyn std::any::Any + Send>) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_owned()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        String::from("<non-string panic>")
    }
}
