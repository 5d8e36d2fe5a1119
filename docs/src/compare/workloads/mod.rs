//! The measured work of each (scenario, model) pair. One of these runs in
//! each child process that `compare` starts.

mod cpu;
mod files;
mod http;
mod io;

use super::{Scenario, Sizes};
use std::time::{Duration, Instant};
use weft::runtime::{Builder, Runtime};

/// What one run reports back to the parent (which adds CPU time and peak
/// memory from the operating system).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Measured {
    /// Wall time of the work.
    pub wall: Duration,
    /// Units of concurrency the run held (tasks, threads, requests).
    pub units: u64,
    /// Peak resident memory of the process before the work began, KiB.
    pub base_kib: u64,
    /// The scenario's own figure (max heartbeat gap in ms, timeouts, MiB read, ...).
    pub metric: Option<f64>,
    /// A short remark printed in the table.
    pub note: String,
    /// Why the run did not happen, when it did not.
    pub skipped: Option<String>,
}

/// Runs `model` of `scenario` in this process. Unknown pairs are errors.
pub fn run_one(scenario: Scenario, model: &str, sizes: &Sizes) -> Result<Measured, String> {
    let base_kib = super::sys::self_usage().max_rss_kib;
    let measured = match scenario {
        Scenario::IoFanout => io::fanout(model, sizes),
        Scenario::Waits => io::waits(model, sizes),
        Scenario::Cpu => cpu::sum_of_squares(model, sizes),
        Scenario::Blocking => cpu::blocking(model, sizes),
        Scenario::Timeouts => io::timeouts(model, sizes),
        Scenario::Files => files::read_many(model, sizes),
        Scenario::Http => http::fetch_many(model, sizes),
    }?;
    Ok(Measured { base_kib, ..measured })
}

/// The runtime a weft model runs on: `weft-ct...` is current-thread,
/// `weft-mt...` multi-thread with one worker per core. Real time.
fn runtime(model: &str) -> Result<Runtime, String> {
    let mut builder = if model.starts_with("weft-ct") {
        Builder::new_current_thread()
    } else if model.starts_with("weft-mt") {
        Builder::new_multi_thread()
    } else {
        return Err(format!("`{model}` is not a weft model"));
    };
    builder.enable_all().build().map_err(|e| format!("could not build the runtime: {e}"))
}

fn unknown(scenario: Scenario, model: &str) -> String {
    format!("scenario `{}` has no model `{model}`", scenario.name())
}

/// Times `f`.
fn timed<T>(f: impl FnOnce() -> T) -> (Duration, T) {
    let start = Instant::now();
    let value = f();
    (start.elapsed(), value)
}
