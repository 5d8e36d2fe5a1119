//! The two directions a socket waits in.

use crate::{Interest, Ready};

/// A direction of I/O on a registration: each direction has its own waker
/// slot, so one task may wait to read while another waits to write.
///
/// # Examples
///
/// ```
/// use weft_reactor::Direction;
///
/// assert!(Direction::Read.mask().is_read_closed());
/// assert!(!Direction::Read.mask().is_writable());
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Direction {
    /// Reading: met by readable, read-closed or error readiness.
    Read,
    /// Writing: met by writable, write-closed or error readiness.
    Write,
}

impl Direction {
    /// The readiness that lets an operation in this direction proceed.
    ///
    /// ```
    /// use weft_reactor::{Direction, Ready};
    ///
    /// assert_eq!(
    ///     Direction::Write.mask(),
    ///     Ready::WRITABLE | Ready::WRITE_CLOSED | Ready::ERROR,
    /// );
    /// ```
    pub const fn mask(self) -> Ready {
        self.interest().mask()
    }

    /// The interest this direction corresponds to.
    ///
    /// ```
    /// use weft_reactor::{Direction, Interest};
    ///
    /// assert_eq!(Direction::Read.interest(), Interest::READABLE);
    /// ```
    pub const fn interest(self) -> Interest {
        match self {
            Direction::Read => Interest::READABLE,
            Direction::Write => Interest::WRITABLE,
        }
    }
}
