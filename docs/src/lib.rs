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
pub mod scenarios;

mod output;
pub use output::{Output, Stopwatch};
