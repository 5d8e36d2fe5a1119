//! Waiting for several tasks at once (asyncio's `gather`).
//!
//! Three jobs of 2 s, 1 s and 3 s finish in 3 s, the longest one, and the
//! results come back in the order the jobs were listed, not the order
//! they finished.

use crate::{Output, Stopwatch};
use std::time::Duration;

async fn task(name: &'static str, secs: u64, out: Output, clock: Stopwatch) -> &'static str {
    weft::time::sleep(Duration::from_secs(secs)).await;
    out.line(clock.stamp(format!("{name} done after {secs}s")));
    name
}

/// Joins the three jobs and returns their results with the elapsed time.
pub async fn run(out: &Output) -> (Vec<&'static str>, Duration) {
    let clock = Stopwatch::start();
    let (a, b, c) = weft::join!(
        task("Download", 2, out.clone(), clock),
        task("Upload", 1, out.clone(), clock),
        task("Process", 3, out.clone(), clock),
    );
    let results = vec![a, b, c];
    out.line(clock.stamp(format!("All done: {results:?}")));
    (results, clock.elapsed())
}
