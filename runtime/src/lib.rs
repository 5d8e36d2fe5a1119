//! weft: a work-stealing, multithreaded async runtime with tokio's API.
//!
//! One async/await model covers the three kinds of concurrent work:
//! many I/O-bound waits (tasks, `join!`, timers, sockets), blocking code
//! (`task::spawn_blocking`, `task::block_in_place`), and CPU-bound work
//! spread over every core by work stealing.
//!
//! ```
//! #[weft::main]
//! async fn main() {
//!     let a = weft::spawn(async { 1 });
//!     let b = weft::spawn(async { 2 });
//!     assert_eq!(a.await.unwrap() + b.await.unwrap(), 3);
//! }
//! ```
//!
//! The public API mirrors tokio's module for module, so a tokio program
//! switches by renaming the crate.
#![deny(unsafe_op_in_unsafe_fn)]
#![doc(test(attr(deny(warnings))))]

pub(crate) mod loom;

#[macro_use]
pub mod macros;

#[cfg(feature = "macros")]
pub use weft_macros::{main, test};

pub mod io;
pub mod net;
pub mod fs;
pub mod process;
pub mod runtime;
pub mod signal;
pub mod sync;
pub mod task;
pub mod time;

/// Internals that the loom models (`tests/sync_loom.rs`) drive directly,
/// because under loom they cannot be reached through a runtime.
#[cfg(loom)]
#[doc(hidden)]
pub mod loom_internals {
    pub use crate::task::join_set_loom::ReadyQueue as JoinSetReadyQueue;

    /// The waker slot the mpsc receiver parks in
    /// (`sync/util/atomic_waker`), unchanged.
    #[derive(Debug)]
    pub struct AtomicWaker(crate::sync::AtomicWaker);

    impl AtomicWaker {
        /// An empty slot.
        #[allow(clippy::new_without_default)]
        pub fn new() -> AtomicWaker {
            AtomicWaker(crate::sync::AtomicWaker::new())
        }

        /// Stores `waker` for the next [`wake`](Self::wake); the caller
        /// checks its wait condition again afterwards.
        pub fn register(&self, waker: &std::task::Waker) {
            self.0.register(waker);
        }

        /// Wakes the registered task, if any.
        pub fn wake(&self) {
            self.0.wake();
        }
    }
}

pub use task::spawn;
