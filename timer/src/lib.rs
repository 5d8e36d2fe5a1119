//! Timers for the weft runtime: a hierarchical timing wheel, a clock that
//! can be paused and advanced, and a sharded time driver.
//!
//! This crate knows nothing of the scheduler or the I/O reactor. The `weft`
//! crate builds `weft::time` on top of it:
//!
//! - [`wheel::Wheel`] is the data structure: deadlines as integer ticks,
//!   O(1) insert and cancel, no clock and no lock.
//! - [`Clock`] tells the time, and can be paused, advanced and resumed so
//!   that tests which "sleep two seconds" run instantly.
//! - [`Driver`] owns one wheel per shard (one shard per worker thread) and
//!   fires due timers; [`Handle`] is what timers hold; [`TimerEntry`] is one
//!   timer, registered lazily on its first poll.
//!
//! # Examples
//!
//! ```
//! use std::sync::Arc;
//! use std::task::{Context, Poll, Wake, Waker};
//! use std::time::Duration;
//! use weft_timer::{Clock, Driver, TimerEntry};
//!
//! struct Noop;
//! impl Wake for Noop {
//!     fn wake(self: Arc<Self>) {}
//! }
//!
//! let clock = Clock::new(true); // paused: time moves only when told to
//! let driver = Driver::new(clock.clone(), 1);
//! let mut sleep = Box::pin(TimerEntry::new(&driver.handle(), clock.now() + Duration::from_secs(2)));
//!
//! let waker = Waker::from(Arc::new(Noop));
//! let mut cx = Context::from_waker(&waker);
//! assert!(sleep.as_mut().poll_elapsed(&mut cx, 0).is_pending());
//!
//! clock.advance(Duration::from_secs(2));
//! driver.process();
//! assert_eq!(sleep.as_mut().poll_elapsed(&mut cx, 0), Poll::Ready(Ok(())));
//! ```
#![forbid(unsafe_code)]
#![doc(test(attr(deny(warnings))))]

pub(crate) mod loom;

pub mod clock;
pub mod driver;
pub mod wheel;

pub use clock::Clock;
pub use driver::{Driver, Error, Handle, TimerEntry};
