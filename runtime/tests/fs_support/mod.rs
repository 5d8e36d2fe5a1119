//! Helpers for the `fs_*`, `process_*` and `signal_*` tests: run an async
//! test body on a fresh runtime of each flavor, on its own thread, with a
//! watchdog that fails the test instead of letting it hang.
//!
//! Include with `mod fs_support;`.
#![allow(dead_code)]

use std::future::Future;
use std::panic;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::thread;
use std::time::Duration;

/// How long one test body may run before the test fails.
pub(crate) const LIMIT: Duration = Duration::from_secs(60);

#[derive(Clone, Copy, Debug)]
pub(crate) enum Flavor {
    CurrentThread,
    MultiThread,
}

/// Runs the future made by `make` on a new runtime of `flavor`, failing
/// the test if it takes longer than [`LIMIT`] and re-raising its panic.
pub(crate) fn run<F, Fut>(flavor: Flavor, make: F) -> Fut::Output
where
    F: FnOnce() -> Fut + Send + 'static,
    Fut: Future,
    Fut::Output: Send + 'static,
{
    let (tx, rx) = mpsc::channel();
    let worker = thread::Builder::new()
        .name(format!("test-{flavor:?}"))
        .spawn(move || {
            let rt = match flavor {
                Flavor::CurrentThread => weft::runtime::Builder::new_current_thread().enable_all().build(),
                Flavor::MultiThread => {
                    weft::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build()
                }
            }
            .expect("build the runtime");
            let output = rt.block_on(make());
            drop(rt);
            let _ = tx.send(output);
        })
        .expect("spawn the test thread");
    match rx.recv_timeout(LIMIT) {
        Ok(output) => {
            worker.join().expect("the test thread finished");
            output
        }
        Err(RecvTimeoutError::Disconnected) => match worker.join() {
            Err(panic) => panic::resume_unwind(panic),
            Ok(()) => unreachable!("the test thread ended without a result"),
        },
        Err(RecvTimeoutError::Timeout) => panic!("the test ({flavor:?}) did not finish within {LIMIT:?}"),
    }
}

/// Runs the test body on a current-thread runtime, then on a multi-thread
/// one.
pub(crate) fn both<F, Fut>(make: F)
where
    F: Fn() -> Fut + Send + Clone + 'static,
    Fut: Future<Output = ()>,
{
    run(Flavor::CurrentThread, make.clone());
    run(Flavor::MultiThread, make);
}

/// Yields to the runtime for about `ms` milliseconds without needing the
/// timer: sleeps on the blocking pool.
pub(crate) async fn pause_ms(ms: u64) {
    weft::task::spawn_blocking(move || thread::sleep(Duration::from_millis(ms))).await.unwrap();
}
