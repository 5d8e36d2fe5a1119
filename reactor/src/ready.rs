//! The readiness set of an I/O resource.

use std::fmt;
use std::ops;

const READABLE: u8 = 0b00_0001;
const WRITABLE: u8 = 0b00_0010;
const READ_CLOSED: u8 = 0b00_0100;
const WRITE_CLOSED: u8 = 0b00_1000;
const PRIORITY: u8 = 0b01_0000;
const ERROR: u8 = 0b10_0000;

/// Every bit a [`Ready`] can hold, on every platform.
pub(crate) const ALL_BITS: u8 = READABLE | WRITABLE | READ_CLOSED | WRITE_CLOSED | PRIORITY | ERROR;

/// The operations an I/O resource is ready to perform.
///
/// A `Ready` is a small set of flags. The driver sets them when the operating
/// system reports an event; sockets read them back through a
/// [`ReadyEvent`](crate::ReadyEvent).
///
/// The names and methods mirror `tokio::io::Ready`.
///
/// # Examples
///
/// ```
/// use weft_reactor::Ready;
///
/// let ready = Ready::READABLE | Ready::WRITE_CLOSED;
/// assert!(ready.is_readable());
/// assert!(ready.is_write_closed());
/// // A write-closed resource counts as writable: a write would not block.
/// assert!(ready.is_writable());
/// assert!(!ready.is_read_closed());
/// assert!((ready - Ready::READABLE).is_writable());
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Ready(u8);

impl Ready {
    /// The empty set.
    pub const EMPTY: Ready = Ready(0);

    /// Readable readiness: a read would not block.
    pub const READABLE: Ready = Ready(READABLE);

    /// Writable readiness: a write would not block.
    pub const WRITABLE: Ready = Ready(WRITABLE);

    /// The read half is closed: the peer will send nothing more.
    pub const READ_CLOSED: Ready = Ready(READ_CLOSED);

    /// The write half is closed: nothing more can be sent.
    pub const WRITE_CLOSED: Ready = Ready(WRITE_CLOSED);

    /// Priority (out-of-band) data is ready to be read.
    #[cfg(any(target_os = "linux", target_os = "android"))]
    pub const PRIORITY: Ready = Ready(PRIORITY);

    /// The resource has a pending error.
    pub const ERROR: Ready = Ready(ERROR);

    /// Readiness for every operation this platform reports.
    #[cfg(any(target_os = "linux", target_os = "android"))]
    pub const ALL: Ready = Ready(READABLE | WRITABLE | READ_CLOSED | WRITE_CLOSED | PRIORITY | ERROR);

    /// Readiness for every operation this platform reports.
    #[cfg(not(any(target_os = "linux", target_os = "android")))]
    pub const ALL: Ready = Ready(READABLE | WRITABLE | READ_CLOSED | WRITE_CLOSED | ERROR);

    /// The priority bit on every platform, for internal masks; only Linux
    /// and Android ever report it.
    pub(crate) const PRIORITY_BIT: Ready = Ready(PRIORITY);

    /// Translates one mio event into a readiness set.
    pub(crate) fn from_mio(event: &mio::event::Event) -> Ready {
        let mut ready = Ready::EMPTY;
        if event.is_readable() {
            ready |= Ready::READABLE;
        }
        if event.is_writable() {
            ready |= Ready::WRITABLE;
        }
        if event.is_read_closed() {
            ready |= Ready::READ_CLOSED;
        }
        if event.is_write_closed() {
            ready |= Ready::WRITE_CLOSED;
        }
        if event.is_error() {
            ready |= Ready::ERROR;
        }
        if event.is_priority() {
            ready |= Ready::PRIORITY_BIT;
        }
        ready
    }

    /// Rebuilds a set from the low bits of a readiness word; unknown bits
    /// are dropped.
    pub(crate) const fn from_bits(bits: u8) -> Ready {
        Ready(bits & ALL_BITS)
    }

    /// The bits of this set.
    pub(crate) const fn bits(self) -> u8 {
        self.0
    }

    /// `true` if `self` and `other` share a flag.
    pub(crate) const fn intersects(self, other: Ready) -> bool {
        self.0 & other.0 != 0
    }

    /// `true` if the set is empty.
    ///
    /// ```
    /// use weft_reactor::Ready;
    ///
    /// assert!(Ready::EMPTY.is_empty());
    /// assert!(!Ready::READABLE.is_empty());
    /// ```
    pub const fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// `true` if a read would not block: the set holds readable or
    /// read-closed readiness.
    ///
    /// ```
    /// use weft_reactor::Ready;
    ///
    /// assert!(Ready::READABLE.is_readable());
    /// assert!(Ready::READ_CLOSED.is_readable());
    /// assert!(!Ready::WRITABLE.is_readable());
    /// ```
    pub const fn is_readable(self) -> bool {
        self.0 & (READABLE | READ_CLOSED) != 0
    }

    /// `true` if a write would not block: the set holds writable or
    /// write-closed readiness.
    ///
    /// ```
    /// use weft_reactor::Ready;
    ///
    /// assert!(Ready::WRITABLE.is_writable());
    /// assert!(Ready::WRITE_CLOSED.is_writable());
    /// assert!(!Ready::READABLE.is_writable());
    /// ```
    pub const fn is_writable(self) -> bool {
        self.0 & (WRITABLE | WRITE_CLOSED) != 0
    }

    /// `true` if the set holds read-closed readiness.
    ///
    /// ```
    /// use weft_reactor::Ready;
    ///
    /// assert!(Ready::READ_CLOSED.is_read_closed());
    /// assert!(!Ready::READABLE.is_read_closed());
    /// ```
    pub const fn is_read_closed(self) -> bool {
        self.0 & READ_CLOSED != 0
    }

    /// `true` if the set holds write-closed readiness.
    ///
    /// ```
    /// use weft_reactor::Ready;
    ///
    /// assert!(Ready::WRITE_CLOSED.is_write_closed());
    /// assert!(!Ready::WRITABLE.is_write_closed());
    /// ```
    pub const fn is_write_closed(self) -> bool {
        self.0 & WRITE_CLOSED != 0
    }

    /// `true` if the set holds priority readiness (reported on Linux and
    /// Android only).
    ///
    /// ```
    /// use weft_reactor::Ready;
    ///
    /// assert!(!Ready::READABLE.is_priority());
    /// ```
    pub const fn is_priority(self) -> bool {
        self.0 & PRIORITY != 0
    }

    /// `true` if the set holds error readiness.
    ///
    /// ```
    /// use weft_reactor::Ready;
    ///
    /// assert!(Ready::ERROR.is_error());
    /// assert!(!Ready::READABLE.is_error());
    /// ```
    pub const fn is_error(self) -> bool {
        self.0 & ERROR != 0
    }
}

impl ops::BitOr for Ready {
    type Output = Ready;

    fn bitor(self, other: Ready) -> Ready {
        Ready(self.0 | other.0)
    }
}

impl ops::BitOrAssign for Ready {
    fn bitor_assign(&mut self, other: Ready) {
        self.0 |= other.0;
    }
}

impl ops::BitAnd for Ready {
    type Output = Ready;

    fn bitand(self, other: Ready) -> Ready {
        Ready(self.0 & other.0)
    }
}

impl ops::Sub for Ready {
    type Output = Ready;

    fn sub(self, other: Ready) -> Ready {
        Ready(self.0 & !other.0)
    }
}

impl fmt::Debug for Ready {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("Ready");
        d.field("is_readable", &self.is_readable())
            .field("is_writable", &self.is_writable())
            .field("is_read_closed", &self.is_read_closed())
            .field("is_write_closed", &self.is_write_closed())
            .field("is_error", &self.is_error());
        if cfg!(any(target_os = "linux", target_os = "android")) {
            d.field("is_priority", &self.is_priority());
        }
        d.finish()
    }
}
