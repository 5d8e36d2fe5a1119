//! The weft guide, runnable versions of the concurrency scenarios that
//! Python's asyncio, threads and process pools are usually taught with,
//! and the `compare` tool that measures them side by side.
//!
//! * [`guide`]: the chapters. Every code block in them is compiled and run
//!   as a test.
//! * [`scenarios`]: each scenario as a library function; `docs/examples/`
//!   holds a small program per scenario that runs it.
//! * [`compare`]: the engine of `cargo run --release -p weft-docs --bin
//!   compare`.
#![doc(test(attr(deny(warnings))))]

pub mod compare;

/// The guide: one module per chapter. Every code block is a doc test.
pub mod guide {
    #[doc = include_str!("../guide/00-python-to-weft.md")]
    pub mod ch00_python_to_weft {}
    #[doc = include_str!("../guide/01-futures.md")]
    pub mod ch01_futures {}
    #[doc = include_str!("../guide/02-runtime.md")]
    pub mod ch02_runtime {}
    #[doc = include_str!("../guide/03-tasks.md")]
    pub mod ch03_tasks {}
    #[doc = include_str!("../guide/04-timeouts.md")]
    pub mod ch04_timeouts {}
    #[doc = include_str!("../guide/05-blocking.md")]
    pub mod ch05_blocking {}
    #[doc = include_str!("../guide/06-cpu.md")]
    pub mod ch06_cpu {}
    #[doc = include_str!("../guide/07-io.md")]
    pub mod ch07_io {}
    #[doc = include_str!("../guide/08-cleanup.md")]
    pub mod ch08_cleanup {}
    #[doc = include_str!("../guide/09-streams.md")]
    pub mod ch09_streams {}
    #[doc = include_str!("../guide/10-sync.md")]
    pub mod ch10_sync {}
    #[doc = include_str!("../guide/11-mistakes.md")]
    pub mod ch11_mistakes {}
}

/// The repository's README, included so that its example is compiled and
/// run as a doc test.
#[doc = include_str!("../../README.md")]
pub mod readme {}
pub mod scenarios;

mod output;
pub use output::{Output, Stopwatch};
