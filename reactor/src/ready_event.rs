//! A readiness observation, stamped with the tick it was observed at.

use crate::Ready;

/// Readiness observed on a registration, stamped with the driver tick at
/// which it was observed.
///
/// Returned by [`Registration::poll_read_ready`](crate::Registration::poll_read_ready)
/// and its siblings. Hand it back to
/// [`Registration::clear_readiness`](crate::Registration::clear_readiness)
/// after an operation returned `WouldBlock`: the clear only takes effect if
/// the driver has delivered no event since this one was observed, so an
/// event that arrives in between is never lost.
///
/// # Examples
///
/// ```
/// use weft_reactor::{Ready, ReadyEvent};
///
/// fn describe(event: ReadyEvent) -> &'static str {
///     if event.ready().is_read_closed() {
///         "peer finished sending"
///     } else if event.ready().is_readable() {
///         "bytes waiting"
///     } else {
///         "nothing to read"
///     }
/// }
/// # let _ = describe;
/// # let _ = Ready::EMPTY;
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ReadyEvent {
    ready: Ready,
    tick: u16,
}

impl ReadyEvent {
    pub(crate) const fn new(ready: Ready, tick: u16) -> ReadyEvent {
        ReadyEvent { ready, tick }
    }

    /// The readiness that was observed.
    pub const fn ready(self) -> Ready {
        self.ready
    }

    /// The driver tick at which it was observed. Ticks count the events the
    /// driver delivered to this registration and wrap around.
    pub const fn tick(self) -> u16 {
        self.tick
    }

    /// The same observation narrowed to the flags in `keep`, so that a
    /// later clear leaves the other flags alone. The tick is unchanged.
    ///
    /// ```
    /// use weft_reactor::{Direction, ReadyEvent};
    ///
    /// // Keep only the read side of what was observed.
    /// fn read_part(event: ReadyEvent) -> ReadyEvent {
    ///     event.intersect(Direction::Read.mask())
    /// }
    /// # let _ = read_part;
    /// ```
    #[must_use = "this returns the narrowed event and leaves `self` as it was"]
    pub fn intersect(self, keep: Ready) -> ReadyEvent {
        ReadyEvent { ready: self.ready & keep, tick: self.tick }
    }
}
