//! A bounded pool of blocking jobs, results taken as they complete
//! (`ThreadPoolExecutor` with `as_completed`).
//!
//! Eight jobs that each block for one unit run at most four at a time: a
//! [`Semaphore`] with four permits plays the part
//! of `max_workers=4`, [`spawn_blocking`](weft::task::spawn_blocking)
//! runs each job on a thread, and
//! [`JoinSet::join_next`](weft::task::JoinSet::join_next) hands back
//! results in completion order.

use crate::Output;
use std::sync::Arc;
use std::time::{Duration, Instant};
use weft::sync::Semaphore;
use weft::task::JoinSet;

fn slow_job(n: u64, unit: Duration) -> u64 {
    std::thread::sleep(unit);
    n * n
}

/// What the pool did.
#[derive(Clone, Debug)]
pub struct Report {
    /// Results in the order the jobs completed.
    pub results: Vec<u64>,
    /// Real time from the first submission to the last result.
    pub elapsed: Duration,
}

/// Runs `jobs` jobs of `unit` each, at most `workers` at a time.
pub async fn run(out: &Output, jobs: u64, workers: usize, unit: Duration) -> Report {
    let start = Instant::now();
    let limit = Arc::new(Semaphore::new(workers));
    let mut set = JoinSet::new();
    for n in 0..jobs {
        let permit = limit.clone().acquire_owned().await.expect("the semaphore is never closed");
        set.spawn_blocking(move || {
            let value = slow_job(n, unit);
            drop(permit);
            value
        });
    }
    let mut results = Vec::new();
    while let Some(done) = set.join_next().await {
        let value = done.expect("slow_job panicked");
        out.line(value.to_string());
        results.push(value);
    }
    Report { results, elapsed: start.elapsed() }
}
