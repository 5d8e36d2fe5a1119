//! CPU-bound work on every core (`ProcessPoolExecutor.map`).
//!
//! Python needs separate processes here because its global interpreter
//! lock lets one thread run Python code at a time. Rust threads have no
//! such lock: the same job spread over weft's threads uses every core of
//! one process, and the results come back in input order.

use crate::Output;

/// Σ i² for i in 0..n, computed the slow way on purpose (one step per
/// number), as the documents do.
pub fn cpu_intensive(n: u64) -> u64 {
    (0..n).map(|i| std::hint::black_box(i) * i).fold(0u64, u64::wrapping_add)
}

/// Runs [`cpu_intensive`] for each input on the blocking pool (one thread
/// per input, in parallel) and returns the results in input order.
pub async fn run(out: &Output, inputs: &[u64]) -> Vec<u64> {
    let handles: Vec<_> =
        inputs.iter().map(|&n| weft::task::spawn_blocking(move || cpu_intensive(n))).collect();
    let mut results = Vec::with_capacity(handles.len());
    for handle in handles {
        results.push(handle.await.expect("cpu_intensive panicked"));
    }
    out.line(format!("{results:?}"));
    results
}
