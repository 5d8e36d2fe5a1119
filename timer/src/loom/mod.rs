//! The one place this crate takes its concurrency primitives from.
//!
//! Normally these are `std` atomics, `parking_lot` locks and `std::thread`.
//! Built with `RUSTFLAGS="--cfg loom"`, the same names resolve to loom's
//! model-checked doubles, so the models in `weft-loom-tests` exercise the
//! real code. Nothing else in the crate names `std::sync` or `std::thread`
//! directly.
//!
//! The facade is the same file in every weft crate; each crate uses a
//! different part of it. The timer's copy leaves out the condition variable,
//! which nothing here needs, so the whole crate can forbid `unsafe` code.
#![allow(dead_code, unused_imports, unused_macros)]

#[cfg(not(loom))]
mod std_impl;
#[cfg(not(loom))]
pub(crate) use std_impl::*;

#[cfg(loom)]
mod loom_impl;
#[cfg(loom)]
pub(crate) use loom_impl::*;
