//! Shared helpers for the runtime tests (`rt_*`, `task_*`): build each
//! runtime flavor, run a test body on both, and bound every test with a
//! watchdog so that a hang fails the test instead of stalling the suite.
//!
//! Include with `mod support;`.
#![allow(dead_code, unused_macros, unused_imports)]

use std::future::Future;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{mpsc, Arc};
use std::time::Duration;
use weft::runtime::{Builder, Runtime};

/// How long one test body may run before the watchdog fails it. Generous:
/// the suite runs unoptimised on small, busy machines.
pub(crate) const WATCHDOG: Duration = Duration::from_secs(120);

/// Worker count of the multi-thread flavor in these tests.
pub(crate) const WORKERS: usize = 4;

/// The two runtime flavors.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Flavor {
    CurrentThread,
    MultiThread,
}

pub(crate) const FLAVORS: [Flavor; 2] = [Flavor::CurrentThread, Flavor::MultiThread];

impl Flavor {
    /// A runtime of this flavor with everything enabled (4 workers for
    /// the multi-thread one).
    pub(crate) fn runtime(self) -> Runtime {
        self.builder().build().expect("building a test runtime")
    }

    /// A builder of this flavor with everything enabled, to customise.
    pub(crate) fn builder(self) -> Builder {
        let mut builder = match self {
            Flavor::CurrentThread => Builder::new_current_thread(),
            Flavor::MultiThread => {
                let mut b = Builder::new_multi_thread();
                b.worker_threads(WORKERS);
                b
            }
        };
        builder.enable_all();
        builder
    }
}

/// Runs `body` on another thread and waits at most [`WATCHDOG`] for it.
/// A panic in `body` is resumed here; a hang fails the test (the stuck
/// thread is left behind and dies with the test process).
#[track_caller]
pub(crate) fn with_watchdog<R: Send + 'static>(body: impl FnOnce() -> R + Send + 'static) -> R {
    let (tx, rx) = mpsc::channel();
    let thread = std::thread::Builder::new()
        .name("weft-test-body".into())
        .spawn(move || {
            let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(body));
            let _ = tx.send(result);
        })
        .expect("spawning the test thread");
    match rx.recv_timeout(WATCHDOG) {
        Ok(Ok(value)) => {
            let _ = thread.join();
            value
        }
        Ok(Err(panic)) => {
            let _ = thread.join();
            std::panic::resume_unwind(panic)
        }
        Err(_) => panic!("the test did not finish within {WATCHDOG:?}: it hangs"),
    }
}

/// Runs the future made by `make` to completion on a fresh runtime of
/// `flavor`, under the watchdog.
#[track_caller]
pub(crate) fn run<F, Fut>(flavor: Flavor, make: F)
where
    F: FnOnce() -> Fut + Send + 'static,
    Fut: Future<Output = ()>,
{
    with_watchdog(move || {
        let rt = flavor.runtime();
        rt.block_on(make());
    })
}

/// Runs `body` once per flavor, each with a fresh runtime, under the
/// watchdog.
#[track_caller]
pub(crate) fn each_flavor(body: impl Fn(Flavor, Runtime) + Send + Sync + 'static) {
    with_watchdog(move || {
        for flavor in FLAVORS {
            body(flavor, flavor.runtime());
        }
    })
}

/// Declares an async test that runs on both flavors: it expands to a
/// module with the tests `current_thread` and `multi_thread`.
///
/// ```ignore
/// rt_test! {
///     async fn spawns() {
///         assert_eq!(weft::spawn(async { 1 }).await.unwrap(), 1);
///     }
/// }
/// ```
macro_rules! rt_test {
    ($(#[$attr:meta])* async fn $name:ident() $body:block $($rest:tt)*) => {
        $(#[$attr])*
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            #[test]
            fn current_thread() {
                $crate::support::run($crate::support::Flavor::CurrentThread, || async move $body);
            }

            #[test]
            fn multi_thread() {
                $crate::support::run($crate::support::Flavor::MultiThread, || async move $body);
            }
        }
        rt_test! { $($rest)* }
    };
    () => {};
}
pub(crate) use rt_test;

/// Counts drops: each [`DropCounter`] made from it adds one when dropped.
#[derive(Debug, Clone, Default)]
pub(crate) struct Drops(Arc<AtomicUsize>);

impl Drops {
    pub(crate) fn new() -> Drops {
        Drops::default()
    }

    /// A value that counts its drop here.
    pub(crate) fn counter(&self) -> DropCounter {
        DropCounter(self.0.clone())
    }

    pub(crate) fn count(&self) -> usize {
        self.0.load(Ordering::SeqCst)
    }
}

/// Adds one to its [`Drops`] when dropped.
#[derive(Debug)]
pub(crate) struct DropCounter(Arc<AtomicUsize>);

impl Drop for DropCounter {
    fn drop(&mut self) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}

/// Yields until `cond` holds. Callers are bounded by the watchdog.
pub(crate) async fn yield_until(mut cond: impl FnMut() -> bool) {
    while !cond() {
        weft::task::yield_now().await;
    }
}

/// The message of a panic payload, for `&str` and `String` payloads.
pub(crate) fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_owned()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        String::from("<non-string panic payload>")
    }
}

/// Runs `f`, expecting it to panic, and returns the panic's message.
#[track_caller]
pub(crate) fn expect_panic<R>(f: impl FnOnce() -> R) -> String {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)) {
        Ok(_) => panic!("expected a panic"),
        Err(payload) => panic_message(&*payload),
    }
}
