//! Errors the driver reports itself (the operating system reports the rest).

use std::io;

/// The text of the error every operation returns once the driver is gone.
pub(crate) const SHUTDOWN_MESSAGE: &str = "the weft runtime that owned this socket has shut down";

/// The error a registration reports after its driver shut down: the owning
/// runtime was dropped or shut down, and no more readiness will arrive.
pub(crate) fn shutdown_error() -> io::Error {
    io::Error::other(SHUTDOWN_MESSAGE)
}

/// `true` if `error` is the one [`shutdown_error`] makes.
#[cfg(all(test, not(loom)))]
pub(crate) fn is_shutdown_error(error: &io::Error) -> bool {
    error.kind() == io::ErrorKind::Other && error.get_ref().is_some_and(|e| e.to_string() == SHUTDOWN_MESSAGE)
}
