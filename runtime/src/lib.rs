//! weft: a work-stealing, multithreaded async runtime with tokio's API.
#![deny(unsafe_op_in_unsafe_fn)]
#![doc(test(attr(deny(warnings))))]

#[allow(dead_code, unused_imports)]
pub(crate) mod loom;

#[macro_use]
pub mod macros;

#[cfg(feature = "macros")]
pub use weft_macros::{main, test};

pub mod sync;
