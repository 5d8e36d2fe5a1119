//! Spawn first, await later: the documents' `foo`/`bar` pair.
//!
//! `foo` sleeps 2 s and `bar` 1 s. Spawning both before awaiting either
//! lets them run concurrently, so `bar` ends first and the whole program
//! takes 2 s.

use crate::{Output, Stopwatch};
use std::time::Duration;

async fn foo(out: Output, clock: Stopwatch) {
    out.line(clock.stamp("Function A starts"));
    weft::time::sleep(Duration::from_secs(2)).await;
    out.line(clock.stamp("Function A ends"));
}

async fn bar(out: Output, clock: Stopwatch) {
    out.line(clock.stamp("Function B starts"));
    weft::time::sleep(Duration::from_secs(1)).await;
    out.line(clock.stamp("Function B ends"));
}

/// Spawns `foo` and `bar`, then awaits them in that order. Returns the
/// elapsed time.
pub async fn run(out: &Output) -> Duration {
    let clock = Stopwatch::start();
    let task1 = weft::spawn(foo(out.clone(), clock));
    let task2 = weft::spawn(bar(out.clone(), clock));
    task1.await.expect("foo panicked");
    task2.await.expect("bar panicked");
    clock.elapsed()
}

/// The same pair run with [`weft::join!`] instead of spawning (asyncio's
/// `gather`): both futures run concurrently inside the calling task.
pub async fn run_joined(out: &Output) -> Duration {
    let clock = Stopwatch::start();
    weft::join!(foo(out.clone(), clock), bar(out.clone(), clock));
    clock.elapsed()
}
