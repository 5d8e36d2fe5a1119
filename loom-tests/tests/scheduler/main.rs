//! loom models of `weft-scheduler`: the task core, the searching/parking
//! protocol of the multi-thread scheduler, the worker parker, the
//! blocking pool, the run queue, and the real multi-thread and
//! current-thread schedulers (work stealing, `block_in_place`, shutdown,
//! `block_on`).
//!
//! Run with `RUSTFLAGS="--cfg loom" cargo test -p weft-loom-tests --release
//! --test scheduler` (see `loom-tests/README.md`). Under loom the
//! scheduler's run queues (crossbeam-deque in production) are a
//! mutex-protected stand-in with the same interface
//! (`scheduler/src/multi_thread/queue.rs`); these models check weft's
//! protocols around the queues, not crossbeam's internals.
#![cfg(loom)]

mod block_in_place;
mod blocking;
mod current_thread;
mod idle;
mod park;
mod runtime;
mod shutdown;
mod steal;
mod task_core;
