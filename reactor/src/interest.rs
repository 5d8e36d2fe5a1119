//! The readiness a caller waits for.

use std::fmt;
use std::ops;

use crate::Ready;

const READABLE: u8 = 0b0001;
const WRITABLE: u8 = 0b0010;
const PRIORITY: u8 = 0b0100;
const ERROR: u8 = 0b1000;

/// The kinds of readiness a caller is interested in; never empty.
///
/// Used with [`Registration::readiness`](crate::Registration::readiness) and
/// [`Registration::try_io`](crate::Registration::try_io). The names and
/// methods mirror `tokio::io::Interest`. Registering a source with the
/// driver takes a [`mio::Interest`]; `mio::Interest::from(interest)`
/// converts.
///
/// # Examples
///
/// ```
/// use weft_reactor::Interest;
///
/// let both = Interest::READABLE | Interest::WRITABLE;
/// assert!(both.is_readable() && both.is_writable());
/// assert_eq!(both.remove(Interest::READABLE), Some(Interest::WRITABLE));
/// assert_eq!(Interest::READABLE.remove(Interest::READABLE), None);
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Interest(u8);

impl Interest {
    /// Interest in readable readiness (including a closed read half).
    pub const READABLE: Interest = Interest(READABLE);

    /// Interest in writable readiness (including a closed write half).
    pub const WRITABLE: Interest = Interest(WRITABLE);

    /// Interest in priority (out-of-band) readiness.
    #[cfg(any(target_os = "linux", target_os = "android"))]
    pub const PRIORITY: Interest = Interest(PRIORITY);

    /// Interest in error readiness. The operating system reports errors
    /// whatever a source was registered for.
    pub const ERROR: Interest = Interest(ERROR);

    /// `true` if the set includes readable interest.
    ///
    /// ```
    /// use weft_reactor::Interest;
    ///
    /// assert!(Interest::READABLE.is_readable());
    /// assert!(!Interest::WRITABLE.is_readable());
    /// ```
    pub const fn is_readable(self) -> bool {
        self.0 & READABLE != 0
    }

    /// `true` if the set includes writable interest.
    ///
    /// ```
    /// use weft_reactor::Interest;
    ///
    /// assert!(Interest::WRITABLE.is_writable());
    /// assert!(!Interest::READABLE.is_writable());
    /// ```
    pub const fn is_writable(self) -> bool {
        self.0 & WRITABLE != 0
    }

    /// `true` if the set includes priority interest.
    ///
    /// ```
    /// use weft_reactor::Interest;
    ///
    /// assert!(!Interest::READABLE.is_priority());
    /// ```
    pub const fn is_priority(self) -> bool {
        self.0 & PRIORITY != 0
    }

    /// `true` if the set includes error interest.
    ///
    /// ```
    /// use weft_reactor::Interest;
    ///
    /// assert!(Interest::ERROR.is_error());
    /// assert!(!Interest::READABLE.is_error());
    /// ```
    pub const fn is_error(self) -> bool {
        self.0 & ERROR != 0
    }

    /// The union of two sets, usable in `const` items.
    ///
    /// ```
    /// use weft_reactor::Interest;
    ///
    /// const BOTH: Interest = Interest::READABLE.add(Interest::WRITABLE);
    /// assert!(BOTH.is_readable() && BOTH.is_writable());
    /// ```
    #[must_use = "this returns the union and leaves `self` as it was"]
    pub const fn add(self, other: Interest) -> Interest {
        Interest(self.0 | other.0)
    }

    /// `self` without the kinds in `other`, or `None` if nothing is left.
    ///
    /// ```
    /// use weft_reactor::Interest;
    ///
    /// let both = Interest::READABLE | Interest::WRITABLE;
    /// assert_eq!(both.remove(Interest::WRITABLE), Some(Interest::READABLE));
    /// assert_eq!(both.remove(both), None);
    /// ```
    #[must_use = "this returns the difference and leaves `self` as it was"]
    pub const fn remove(self, other: Interest) -> Option<Interest> {
        let left = self.0 & !other.0;
        if left == 0 {
            None
        } else {
            Some(Interest(left))
        }
    }

    /// The readiness that satisfies this interest.
    ///
    /// Readable interest is met by readable or read-closed readiness,
    /// writable interest by writable or write-closed readiness, priority
    /// interest by priority or read-closed readiness. Error readiness meets
    /// every interest: a pending error must reach whoever waits on the
    /// resource, or the wait would never end. (tokio leaves the error bit
    /// out of its readable and writable masks; weft includes it on purpose.)
    ///
    /// ```
    /// use weft_reactor::{Interest, Ready};
    ///
    /// let mask = Interest::READABLE.mask();
    /// assert_eq!(mask, Ready::READABLE | Ready::READ_CLOSED | Ready::ERROR);
    /// ```
    pub const fn mask(self) -> Ready {
        let mut bits = 0;
        if self.is_readable() {
            bits |= Ready::READABLE.bits() | Ready::READ_CLOSED.bits();
        }
        if self.is_writable() {
            bits |= Ready::WRITABLE.bits() | Ready::WRITE_CLOSED.bits();
        }
        if self.is_priority() {
            bits |= Ready::PRIORITY_BIT.bits() | Ready::READ_CLOSED.bits();
        }
        bits |= Ready::ERROR.bits();
        Ready::from_bits(bits)
    }
}

impl ops::BitOr for Interest {
    type Output = Interest;

    fn bitor(self, other: Interest) -> Interest {
        self.add(other)
    }
}

impl ops::BitOrAssign for Interest {
    fn bitor_assign(&mut self, other: Interest) {
        *self = self.add(other);
    }
}

impl From<Interest> for mio::Interest {
    /// Converts to the interest a source is registered with. Error interest
    /// alone becomes readable interest, since mio cannot register for
    /// nothing and errors are reported anyway.
    fn from(interest: Interest) -> mio::Interest {
        let mut mio_interest: Option<mio::Interest> = None;
        let mut add = |i: mio::Interest| {
            mio_interest = Some(match mio_interest {
                Some(prev) => prev.add(i),
                None => i,
            });
        };
        if interest.is_readable() {
            add(mio::Interest::READABLE);
        }
        if interest.is_writable() {
            add(mio::Interest::WRITABLE);
        }
        #[cfg(any(target_os = "linux", target_os = "android"))]
        if interest.is_priority() {
            add(mio::Interest::PRIORITY);
        }
        mio_interest.unwrap_or(mio::Interest::READABLE)
    }
}

impl From<mio::Interest> for Interest {
    /// Keeps the readable, writable and (on Linux and Android) priority
    /// kinds; mio's platform-specific AIO and LIO kinds count as readable.
    fn from(interest: mio::Interest) -> Interest {
        let mut bits = 0;
        if interest.is_readable() || interest.is_aio() || interest.is_lio() {
            bits |= READABLE;
        }
        if interest.is_writable() {
            bits |= WRITABLE;
        }
        if interest.is_priority() {
            bits |= PRIORITY;
        }
        if bits == 0 {
            bits = READABLE;
        }
        Interest(bits)
    }
}

impl fmt::Debug for Interest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names = [(READABLE, "READABLE"), (WRITABLE, "WRITABLE"), (PRIORITY, "PRIORITY"), (ERROR, "ERROR")];
        let mut first = true;
        for (bit, name) in names {
            if self.0 & bit != 0 {
                if !first {
                    f.write_str(" | ")?;
                }
                f.write_str(name)?;
                first = false;
            }
        }
        Ok(())
    }
}
