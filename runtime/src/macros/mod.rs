//! The `join!`, `try_join!`, `select!` and `pin!` macros, and their support code.
//!
//! The macros are exported at the crate root (`weft::join!`, ...); this
//! module only holds their definitions and the hidden [`support`] items their
//! expansions refer to. None of them needs a runtime: they build futures out
//! of futures, and work in any `async` context.

mod join;
mod pin;
mod select;
mod try_join;

#[doc(hidden)]
pub mod support;
