//! Asynchronous file system access.
//!
//! Operating systems offer no readiness notification for regular files, so
//! every operation here runs the matching `std::fs` call on the runtime's
//! blocking pool (see [`crate::task::spawn_blocking`]) and awaits its
//! result. The async task keeps its worker free meanwhile.
//!
//! Each function mirrors its `std::fs` namesake and returns the operating
//! system's error unchanged: opening a missing file fails with
//! [`std::io::ErrorKind::NotFound`], exactly as `std::fs` would.
//!
//! A program that touches many files at once gains from running these
//! concurrently (for example with `join!` or spawned tasks); a program that
//! does a long run of small operations on one file gains from wrapping them
//! in one `spawn_blocking` call instead, since every call here is one trip
//! to the blocking pool.
//!
//! # Examples
//!
//! ```
//! #[weft::main]
//! async fn main() -> std::io::Result<()> {
//!     let dir = std::env::temp_dir().join(format!("weft-fs-doc-{}", std::process::id()));
//!     weft::fs::create_dir_all(&dir).await?;
//!     let path = dir.join("greeting.txt");
//!     weft::fs::write(&path, "hello").await?;
//!     assert_eq!(weft::fs::read_to_string(&path).await?, "hello");
//!     weft::fs::remove_dir_all(&dir).await?;
//!     Ok(())
//! }
//! ```
//!
//! # Panics
//!
//! Every operation panics when awaited outside a weft runtime.

mod dir_builder;
mod file;
mod open_options;
mod ops;
mod read_dir;

pub use dir_builder::DirBuilder;
pub use file::File;
pub use open_options::OpenOptions;
#[cfg(unix)]
pub use ops::symlink;
pub use ops::{
    canonicalize, copy, create_dir, create_dir_all, hard_link, metadata, read, read_link, read_to_string, remove_dir,
    remove_dir_all, remove_file, rename, set_permissions, symlink_metadata, try_exists, write,
};
pub use read_dir::{read_dir, DirEntry, ReadDir};

use std::io;

/// Runs `f` on the current runtime's blocking pool and returns its result.
///
/// # Panics
///
/// Panics outside a weft runtime.
pub(crate) async fn asyncify<F, T>(f: F) -> io::Result<T>
where
    F: FnOnce() -> io::Result<T> + Send + 'static,
    T: Send + 'static,
{
    match crate::runtime::context::current().spawn_blocking(f).await {
        Ok(result) => result,
        Err(e) => Err(blocking_failed(e)),
    }
}

/// The error reported when a blocking file operation never finished: its
/// blocking task panicked, or the runtime shut down first.
pub(crate) fn blocking_failed(e: crate::task::JoinError) -> io::Error {
    io::Error::other(format!("the blocking file operation did not finish ({e}); the runtime may be shutting down"))
}
