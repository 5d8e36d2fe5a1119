//! Time: waiting for a duration, putting a time limit on a future, and
//! running something at a fixed period.
//!
//! - [`sleep`] and [`sleep_until`] make a [`Sleep`] future that completes
//!   at a deadline.
//! - [`timeout`] and [`timeout_at`] wrap a future in a [`Timeout`] that
//!   fails with [`error::Elapsed`] if the future is not done by then: the
//!   `asyncio.wait_for` of weft.
//! - [`interval`] and [`interval_at`] make an [`Interval`] that ticks at a
//!   fixed period, with a [`MissedTickBehavior`] for ticks it falls behind
//!   on.
//! - [`Instant`] is a point in time as the runtime's clock sees it; in a
//!   test the clock can be [`pause`]d and [`advance`]d, so that code which
//!   "sleeps two hours" runs instantly and deterministically.
//!
//! Every timer needs a runtime with the timer enabled
//! (`Builder::enable_time()` or `enable_all()`; `#[weft::main]` and
//! `#[weft::test]` enable it). Timers have a resolution of one millisecond
//! and never complete before their deadline.
//!
//! # Examples
//!
//! Wait 100 ms, then give a slow operation 10 ms to finish:
//!
//! ```
//! use std::time::Duration;
//! use weft::time::{sleep, timeout};
//!
//! #[weft::main]
//! async fn main() {
//!     sleep(Duration::from_millis(100)).await;
//!     println!("100 ms have elapsed");
//!
//!     let slow = sleep(Duration::from_secs(60));
//!     let result = timeout(Duration::from_millis(10), slow).await;
//!     assert!(result.is_err(), "the sleep did not finish within 10 ms");
//! }
//! ```
//!
//! With paused time (`start_paused = true`, current-thread runtime only),
//! the clock jumps to the next timer whenever every task is waiting:
//!
//! ```
//! use std::time::Duration;
//! use weft::time::{sleep, Instant};
//!
//! #[weft::main(flavor = "current_thread", start_paused = true)]
//! async fn main() {
//!     let start = Instant::now();
//!     sleep(Duration::from_secs(2 * 60 * 60)).await; // returns at once
//!     assert_eq!(start.elapsed(), Duration::from_secs(2 * 60 * 60));
//! }
//! ```

mod clock;
pub mod error;
mod instant;
mod interval;
mod sleep;
mod timeout;

#[cfg(test)]
mod tests;

pub use clock::{advance, pause, resume};
pub use instant::Instant;
pub use interval::{interval, interval_at, Interval, MissedTickBehavior};
pub use sleep::{sleep, sleep_until, Sleep};
pub use timeout::{timeout, timeout_at, Timeout};

use crate::runtime::context;

/// Calls `f` with the current runtime's timer driver, its clock, and the
/// timer shard to use from this thread.
///
/// # Panics
///
/// Panics outside a runtime, or when the runtime has timers disabled, with
/// a message that says how to fix it.
#[track_caller]
pub(crate) fn with_timer<R>(f: impl FnOnce(&weft_timer::Handle, &weft_timer::Clock, usize) -> R) -> R {
    match context::with_current(|h| f(h.time(), h.clock(), h.timer_shard_hint())) {
        Ok(r) => r,
        Err(_) => panic!("weft timers need a runtime to drive them: {}", context::NO_RUNTIME),
    }
}
