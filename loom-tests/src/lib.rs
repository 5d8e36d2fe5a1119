//! loom models of weft's concurrency protocols.
//!
//! The models live in `tests/` and run only when the workspace is built
//! with `RUSTFLAGS="--cfg loom"`; see `README.md` for the commands, the
//! table of models and the mutant check. In a normal build this crate and
//! its tests are empty.
//!
//! This library holds what several models share: a tiny run-queue
//! scheduler for the task core (`Queue`), futures whose polls and drops
//! are counted (`Gate`, `DropCount`) and a counting waker
//! (`counting_waker`); they exist only under `--cfg loom`.
#![cfg_attr(not(loom), allow(unused))]

#[cfg(loom)]
mod support;
#[cfg(loom)]
pub use support::*;
