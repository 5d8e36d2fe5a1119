//! Errors of the time module.

use std::fmt;
use std::io;

/// The error of a [`Timeout`](super::Timeout) whose deadline came before
/// the wrapped future finished.
///
/// Converts into an [`io::Error`] of kind [`TimedOut`](io::ErrorKind::TimedOut),
/// so `?` works in functions that return `io::Result`.
///
/// # Examples
///
/// ```
/// use std::time::Duration;
/// use weft::time::{sleep, timeout};
///
/// #[weft::main(flavor = "current_thread", start_paused = true)]
/// async fn main() {
///     let err = timeout(Duration::from_secs(1), sleep(Duration::from_secs(2))).await.unwrap_err();
///     assert_eq!(err.to_string(), "deadline has elapsed");
///     let io: std::io::Error = err.into();
///     assert_eq!(io.kind(), std::io::ErrorKind::TimedOut);
/// }
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Elapsed(());

impl Elapsed {
    pub(crate) fn new() -> Elapsed {
        Elapsed(())
    }
}

impl fmt::Display for Elapsed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("deadline has elapsed")
    }
}

impl std::error::Error for Elapsed {}

impl From<Elapsed> for io::Error {
    fn from(elapsed: Elapsed) -> io::Error {
        io::Error::new(io::ErrorKind::TimedOut, elapsed)
    }
}
