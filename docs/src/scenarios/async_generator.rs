//! An asynchronous generator (`async def` with `yield`).
//!
//! Stable Rust has no `yield` in async functions. The usual replacement
//! is a producer task that sends each value into a channel; the
//! receiver is the consumer's side of the generator and ends when the
//! producer finishes. The channel's bound (here 1) gives back-pressure: the
//! producer runs at most one value ahead, as a generator would.

use crate::{Output, Stopwatch};
use std::time::Duration;
use weft::sync::mpsc;

/// Starts a producer that yields `0..count`, pausing `every` before each
/// value, and returns the receiving end.
///
/// # Panics
///
/// Panics outside a weft runtime.
pub fn count_up(count: u32, every: Duration) -> mpsc::Receiver<u32> {
    let (tx, rx) = mpsc::channel(1);
    weft::spawn(async move {
        for i in 0..count {
            weft::time::sleep(every).await;
            if tx.send(i).await.is_err() {
                // The consumer stopped listening; stop generating.
                return;
            }
        }
    });
    rx
}

/// Consumes `count_up(5, 1 s)`, then uses an
/// [`Interval`](weft::time::Interval) as a ticking generator for three
/// ticks of 100 ms. Returns the generated values and the elapsed time.
pub async fn run(out: &Output) -> (Vec<u32>, Duration) {
    let clock = Stopwatch::start();
    let mut items = count_up(5, Duration::from_secs(1));
    let mut seen = Vec::new();
    while let Some(item) = items.recv().await {
        out.line(clock.stamp(item));
        seen.push(item);
    }

    let mut ticks = weft::time::interval(Duration::from_millis(100));
    for n in 0..3 {
        ticks.tick().await;
        out.line(clock.stamp(format!("tick {n}")));
    }
    (seen, clock.elapsed())
}
