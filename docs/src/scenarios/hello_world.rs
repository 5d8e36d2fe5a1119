//! The smallest async program: print, sleep one second, print.

use crate::{Output, Stopwatch};
use std::time::Duration;

/// Prints `Hello`, sleeps one second without blocking the thread, prints
/// `World`. Returns the elapsed time.
pub async fn run(out: &Output) -> Duration {
    let clock = Stopwatch::start();
    out.line(clock.stamp("Hello"));
    weft::time::sleep(Duration::from_secs(1)).await;
    out.line(clock.stamp("World"));
    clock.elapsed()
}
