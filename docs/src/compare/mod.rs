//! The `compare` tool: every scenario of the documents, run in each
//! concurrency model with real time and real work, measured side by side.
//!
//! `cargo run --release -p weft-docs --bin compare` prints a table of wall
//! time, CPU time, peak memory and speed-up over the sequential program
//! for each (scenario, model) pair. Each pair runs in a child process (the
//! binary re-executes itself with `--run-one SCENARIO MODEL`), so the CPU
//! time and peak memory the operating system reports for it are its own.
//!
//! Options:
//!
//! * `--quick`: tiny sizes, for CI (the whole run takes a few seconds).
//! * `--check`: after the run, verify that every scenario and every model
//!   is present and that every speed-up is a finite number; exit with
//!   status 1 otherwise.
//! * `--out DIR`: write `results.json` and `chart.svg` (and, with
//!   `--timeline`, `timeline.svg`) into `DIR`.
//! * `--timeline`: also record which worker thread ran which task, for a
//!   mix of CPU chunks and sleeps on a current-thread and on a two-worker
//!   runtime, and draw it as a Gantt chart.
//! * `--no-python`: do not run the Python scripts even if `python3` is
//!   on the `PATH`.

mod cli;
mod json;
mod progress;
mod python;
mod report;
mod svg;
mod sys;
pub mod timeline;
pub mod workloads;

pub use cli::main;
pub use report::{check, Row};

use std::time::Duration;

/// A scenario of the documents, as `compare` measures it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Scenario {
    /// N simulated downloads (sleeps): "three 2-second downloads take ~2 s".
    IoFanout,
    /// Thousands of waits alive at once: "one thread holds thousands of
    /// connections"; measures memory per unit of concurrency.
    Waits,
    /// CPU-bound sums of squares: "CPU-bound work needs processes".
    Cpu,
    /// A blocking call inside async code, next to a heartbeat task.
    Blocking,
    /// Operations with a deadline, half of which miss it.
    Timeouts,
    /// Reading many files concurrently.
    Files,
    /// Fetching several URLs from a local HTTP server.
    Http,
}

impl Scenario {
    /// Every scenario, in table order.
    pub const ALL: [Scenario; 7] = [
        Scenario::IoFanout,
        Scenario::Waits,
        Scenario::Cpu,
        Scenario::Blocking,
        Scenario::Timeouts,
        Scenario::Files,
        Scenario::Http,
    ];

    /// The scenario's name on the command line and in the results.
    pub fn name(self) -> &'static str {
        match self {
            Scenario::IoFanout => "io_fanout",
            Scenario::Waits => "waits",
            Scenario::Cpu => "cpu",
            Scenario::Blocking => "blocking",
            Scenario::Timeouts => "timeouts",
            Scenario::Files => "files",
            Scenario::Http => "http",
        }
    }

    /// The scenario named `name`.
    pub fn from_name(name: &str) -> Option<Scenario> {
        Scenario::ALL.into_iter().find(|s| s.name() == name)
    }

    /// The Rust models this scenario runs: the four common ones, then the
    /// scenario's own variants.
    pub fn models(self) -> Vec<&'static str> {
        let mut models = CORE_MODELS.to_vec();
        match self {
            Scenario::Cpu => models.extend(["weft-mt spawn_blocking", "weft-mt block_in_place"]),
            Scenario::Blocking => models.extend(["weft-ct spawn_blocking", "weft-mt block_in_place"]),
            _ => {}
        }
        models
    }
}

/// The models every scenario runs in.
pub const CORE_MODELS: [&str; 4] = ["sequential", "threads", "weft-ct", "weft-mt"];

/// The Python models, run when `python3` is available.
pub const PYTHON_MODELS: [&str; 4] = ["python sequential", "python asyncio", "python threads", "python processes"];

/// How big each scenario is.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Sizes {
    /// Simulated downloads in `io_fanout`.
    pub downloads: usize,
    /// Duration of one download.
    pub download: Duration,
    /// Tasks alive at once in `waits`.
    pub waits_tasks: usize,
    /// Threads alive at once in `waits`.
    pub waits_threads: usize,
    /// How long each wait lasts.
    pub hold: Duration,
    /// Waits the sequential model times before scaling up.
    pub seq_sample: usize,
    /// Chunks of CPU work.
    pub cpu_chunks: usize,
    /// Squares per chunk.
    pub cpu_n: u64,
    /// Heartbeat period in `blocking`.
    pub tick: Duration,
    /// Length of one blocking call.
    pub block: Duration,
    /// Blocking calls made.
    pub block_calls: u32,
    /// Operations in `timeouts`.
    pub timeouts: usize,
    /// Duration of a fast operation.
    pub fast: Duration,
    /// Duration of a slow operation.
    pub slow: Duration,
    /// Deadline of each operation.
    pub limit: Duration,
    /// Files read in `files`.
    pub files: usize,
    /// Size of each file in KiB.
    pub file_kib: usize,
    /// URLs fetched in `http`.
    pub urls: usize,
    /// How long the server waits before answering.
    pub url_delay: Duration,
}

impl Sizes {
    /// The sizes of a full run (under a minute on two cores).
    pub const FULL: Sizes = Sizes {
        downloads: 100,
        download: Duration::from_millis(30),
        waits_tasks: 10_000,
        waits_threads: 2_000,
        hold: Duration::from_millis(300),
        seq_sample: 5,
        cpu_chunks: 8,
        cpu_n: 400_000_000,
        tick: Duration::from_millis(5),
        block: Duration::from_millis(100),
        block_calls: 3,
        timeouts: 200,
        fast: Duration::from_millis(5),
        slow: Duration::from_secs(1),
        limit: Duration::from_millis(25),
        files: 200,
        file_kib: 64,
        urls: 50,
        url_delay: Duration::from_millis(30),
    };

    /// The sizes of `--quick`.
    pub const QUICK: Sizes = Sizes {
        downloads: 20,
        download: Duration::from_millis(10),
        waits_tasks: 1_000,
        waits_threads: 200,
        hold: Duration::from_millis(50),
        seq_sample: 3,
        cpu_chunks: 4,
        cpu_n: 20_000_000,
        tick: Duration::from_millis(2),
        block: Duration::from_millis(30),
        block_calls: 2,
        timeouts: 20,
        fast: Duration::from_millis(2),
        slow: Duration::from_millis(300),
        limit: Duration::from_millis(10),
        files: 20,
        file_kib: 16,
        urls: 10,
        url_delay: Duration::from_millis(10),
    };
}

/// Cores this machine offers.
pub fn cores() -> usize {
    std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1)
}

#[cfg(test)]
mod tests;
