//! Three simulated 2-second downloads, one after another and then all at
//! once.

use crate::{Output, Stopwatch};
use std::time::Duration;

async fn download(url: &str) -> String {
    // Stands in for the network: the task waits, the thread stays free.
    weft::time::sleep(Duration::from_secs(2)).await;
    format!("Content from {url}")
}

/// The two elapsed times this scenario measures.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Timings {
    /// Awaiting each download before starting the next.
    pub sequential: Duration,
    /// Starting all three and awaiting them together.
    pub concurrent: Duration,
}

/// Runs the three downloads sequentially, then concurrently with
/// [`weft::join!`], and returns both elapsed times.
pub async fn run(out: &Output) -> Timings {
    let urls = ["a.com", "b.com", "c.com"];

    let clock = Stopwatch::start();
    for url in urls {
        out.line(clock.stamp(download(url).await));
    }
    let sequential = clock.elapsed();
    out.line(format!("sequential: {:.1} s", sequential.as_secs_f64()));

    let clock = Stopwatch::start();
    let (a, b, c) = weft::join!(download(urls[0]), download(urls[1]), download(urls[2]));
    out.line(clock.stamp(format!("{:?}", [a, b, c])));
    let concurrent = clock.elapsed();
    out.line(format!("concurrent: {:.1} s", concurrent.as_secs_f64()));

    Timings { sequential, concurrent }
}
