//! A crawler that fetches many pages with at most a few requests in
//! flight, using a [`Semaphore`].

use crate::{Output, Stopwatch};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;
use weft::sync::Semaphore;
use weft::task::JoinSet;

/// What the crawl did.
#[derive(Clone, Debug)]
pub struct Report {
    /// Pages fetched, in completion order.
    pub pages: Vec<usize>,
    /// The most requests that were in flight at once.
    pub max_in_flight: usize,
    /// Elapsed time.
    pub elapsed: Duration,
}

/// Fetches `pages` simulated pages of one second each, at most `limit` at
/// a time.
pub async fn run(out: &Output, pages: usize, limit: usize) -> Report {
    let clock = Stopwatch::start();
    let permits = Arc::new(Semaphore::new(limit));
    let in_flight = Arc::new(AtomicUsize::new(0));
    let max_in_flight = Arc::new(AtomicUsize::new(0));
    let mut set = JoinSet::new();
    for page in 0..pages {
        let permits = permits.clone();
        let in_flight = in_flight.clone();
        let max_in_flight = max_in_flight.clone();
        set.spawn(async move {
            let _permit = permits.acquire().await.expect("the semaphore is never closed");
            let now = in_flight.fetch_add(1, Ordering::SeqCst) + 1;
            max_in_flight.fetch_max(now, Ordering::SeqCst);
            weft::time::sleep(Duration::from_secs(1)).await; // the request
            in_flight.fetch_sub(1, Ordering::SeqCst);
            page
        });
    }
    let mut done = Vec::new();
    while let Some(page) = set.join_next().await {
        let page = page.expect("a fetch panicked");
        out.line(clock.stamp(format!("fetched page {page}")));
        done.push(page);
    }
    Report { pages: done, max_in_flight: max_in_flight.load(Ordering::SeqCst), elapsed: clock.elapsed() }
}
