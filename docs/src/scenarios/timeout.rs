//! Giving up on a slow operation (asyncio's `wait_for`).

use crate::{Output, Stopwatch};
use std::time::Duration;

async fn slow_operation() -> &'static str {
    weft::time::sleep(Duration::from_secs(5)).await;
    "done"
}

/// Waits at most 2 s for an operation that takes 5 s. Returns the
/// operation's result, or `None` when it timed out, with the elapsed time.
pub async fn run(out: &Output) -> (Option<&'static str>, Duration) {
    let clock = Stopwatch::start();
    let result = match weft::time::timeout(Duration::from_secs(2), slow_operation()).await {
        Ok(value) => {
            out.line(clock.stamp(format!("Operation finished: {value}")));
            Some(value)
        }
        Err(elapsed) => {
            // The slow future was dropped here: it stops at its next await.
            out.line(clock.stamp(format!("Operation timed out! ({elapsed})")));
            None
        }
    };
    (result, clock.elapsed())
}
