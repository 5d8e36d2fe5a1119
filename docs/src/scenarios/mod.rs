//! One module per scenario in the source documents.
//!
//! Each scenario is a function that takes an [`Output`](crate::Output) for
//! its lines and returns what its test checks (results, elapsed time).
//! The programs in `docs/examples/` call them on a real runtime; the tests
//! call them on a current-thread runtime with a paused clock, where
//! "sleep 2 s" completes at once and at exactly t = 2 s.
//!
//! Scenarios that need real threads (`thread_pool`, `threads_join`,
//! `to_thread`, `blocking_damage`) take their time unit as a parameter so
//! the tests can use a small one.

pub mod async_generator;
pub mod async_iterator;
pub mod blocking_damage;
pub mod context_manager;
pub mod crawler;
pub mod create_task;
pub mod downloads;
pub mod fetch_urls;
pub mod file_io;
pub mod gather;
pub mod hello_world;
pub mod lazy_future;
pub mod nested_runtime;
pub mod say_after;
pub mod sum_of_squares;
pub mod tcp_connections;
pub mod thread_pool;
pub mod threads_join;
pub mod timeout;
pub mod to_thread;
