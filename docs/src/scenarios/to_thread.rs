//! A blocking function next to two async tasks (asyncio's `to_thread`).
//!
//! `blocking_task` calls `std::thread::sleep`, which holds its thread.
//! Handing it to [`weft::task::spawn_blocking`] runs it on the blocking
//! pool, so the two async tasks keep running on the runtime's thread.

use crate::{Output, Stopwatch};
use std::time::Duration;

fn blocking_task(duration: Duration) -> String {
    std::thread::sleep(duration);
    format!("Blocked for {:.1} seconds", duration.as_secs_f64())
}

async fn async_task(n: u32, secs: u64, out: Output, clock: Stopwatch) {
    weft::time::sleep(Duration::from_secs(secs)).await;
    out.line(clock.stamp(format!("Async task {n} finished")));
}

/// Runs `blocking_task(block)` on the blocking pool while two async tasks
/// sleep 1 s and 4 s. Returns the blocking task's result.
pub async fn run(out: &Output, block: Duration) -> String {
    let clock = Stopwatch::start();
    let (blocking, (), ()) = weft::join!(
        weft::task::spawn_blocking(move || blocking_task(block)),
        async_task(1, 1, out.clone(), clock),
        async_task(2, 4, out.clone(), clock),
    );
    let result = blocking.expect("blocking_task panicked");
    out.line(clock.stamp(&result));
    result
}
