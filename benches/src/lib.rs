//! Shared helpers for the benches: the three runtimes built with the same
//! worker count, and a small harness that runs every case under criterion
//! and then prints a table of medians and ratios.
//!
//! Every bench binary compares weft with tokio, and with smol where smol has
//! the same thing, in one process run, so the ratios are taken under the same
//! machine load. The worker count is 2 unless `WEFT_BENCH_WORKERS` says
//! otherwise.
//!
//! Environment variables the harness reads:
//!
//! | variable | meaning | default |
//! |---|---|---|
//! | `WEFT_BENCH_WORKERS` | worker threads of every runtime | 2 |
//! | `WEFT_BENCH_ROUNDS` | timed rounds per case in the summary | 15 (net: 101) |
//! | `WEFT_BENCH_SUMMARY_ONLY` | set to `1` to skip criterion's own runs (profiling) | unset |
//! | `WEFT_BENCH_DUMP` | set to print each runner's quantiles per case | unset |

pub mod cases;
pub mod echo;
mod harness;
mod smol_rt;

pub use harness::{Harness, Runner};
pub use smol_rt::SmolRuntime;

/// The worker count every runtime of a bench run uses: `WEFT_BENCH_WORKERS`,
/// or 2 when it is unset or not a positive number.
pub fn workers() -> usize {
    std::env::var("WEFT_BENCH_WORKERS")
        .ok()
        .and_then(|v| v.trim().parse::<usize>().ok())
        .filter(|&n| n > 0)
        .unwrap_or(2)
}

/// A multi-thread weft runtime with `workers` workers, I/O and time enabled.
///
/// # Panics
///
/// Panics if the runtime cannot be built.
pub fn weft_runtime(workers: usize) -> weft::runtime::Runtime {
    weft::runtime::Builder::new_multi_thread()
        .worker_threads(workers)
        .enable_all()
        .build()
        .expect("building the weft runtime")
}

/// A multi-thread tokio runtime with `workers` workers, I/O and time
/// enabled: the same shape as [`weft_runtime`].
///
/// # Panics
///
/// Panics if the runtime cannot be built.
pub fn tokio_runtime(workers: usize) -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(workers)
        .enable_all()
        .build()
        .expect("building the tokio runtime")
}
