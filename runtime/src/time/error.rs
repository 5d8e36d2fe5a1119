//! Errors of the time module.

use std::fmt;
use std::io;

/// A failure of the timer itself, as opposed to a deadline passing
/// ([`Elapsed`]): the runtime's timer is shut down, full, or was given an
/// invalid deadline.
///
/// weft's timer saturates deadlines that are too far away and has no
/// capacity limit, so it returns none of these today; the type exists so
/// that code written against tokio's `time::error::Error` compiles
/// unchanged.
///
/// # Examples
///
/// ```
/// use weft::time::error::Error;
///
/// let error = Error::shutdown();
/// assert!(error.is_shutdown() && !error.is_at_capacity() && !error.is_invalid());
/// assert_eq!(error.to_string(), "the timer is shut down (its runtime is gone)");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Error(Kind);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Shutdown,
    AtCapacity,
    Invalid,
}

impl Error {
    /// The error of a timer whose runtime has shut down.
    pub fn shutdown() -> Error {
        Error(Kind::Shutdown)
    }

    /// True for [`Error::shutdown`].
    pub fn is_shutdown(&self) -> bool {
        self.0 == Kind::Shutdown
    }

    /// The error of a timer that cannot take more entries.
    pub fn at_capacity() -> Error {
        Error(Kind::AtCapacity)
    }

    /// True for [`Error::at_capacity`].
    pub fn is_at_capacity(&self) -> bool {
        self.0 == Kind::AtCapacity
    }

    /// The error of a deadline the timer cannot represent.
    pub fn invalid() -> Error {
        Error(Kind::Invalid)
    }

    /// True for [`Error::invalid`].
    pub fn is_invalid(&self) -> bool {
        self.0 == Kind::Invalid
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self.0 {
            Kind::Shutdown => "the timer is shut down (its runtime is gone)",
            Kind::AtCapacity => "the timer is at capacity and cannot take another entry",
            Kind::Invalid => "the timer cannot represent this deadline",
        })
    }
}

impl std::error::Error for Error {}

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
