//! The scheduling engine of weft: the task core, the work-stealing
//! multi-thread scheduler, the current-thread scheduler and the blocking pool.
//!
//! This crate knows nothing of I/O or time. It parks idle workers through the
//! [`park::Park`] / [`park::Unpark`] pair it defines; the `weft` crate
//! implements them with its composed I/O and timer driver.
#![deny(unsafe_op_in_unsafe_fn)]
#![doc(test(attr(deny(warnings))))]

pub(crate) mod loom;

pub mod coop;
pub mod task;
pub mod blocking;
pub mod config;
pub mod metrics;
pub mod park;

pub use config::Config;
pub mod multi_thread;
pub mod current_thread;
