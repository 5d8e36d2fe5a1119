//! `Instant`: a point in time read from the runtime's clock.

use crate::runtime::context;
use std::fmt;
use std::ops::{Add, AddAssign, Sub, SubAssign};
use std::time::Duration;

/// A point in time, as the current runtime's clock sees it.
///
/// It is [`std::time::Instant`] with one difference: [`Instant::now`] reads
/// the clock of the runtime it is called in, so it stands still while time
/// is [paused](crate::time::pause) and jumps when time is
/// [advanced](crate::time::advance). Outside a runtime, and in a runtime
/// whose clock was never paused, it is the system's monotonic clock.
///
/// Convert with [`from_std`](Self::from_std) / [`into_std`](Self::into_std)
/// or `From`.
///
/// # Examples
///
/// ```
/// use std::time::Duration;
/// use weft::time::{advance, pause, Instant};
///
/// #[weft::main(flavor = "current_thread")]
/// async fn main() {
///     pause();
///     let start = Instant::now();
///     advance(Duration::from_secs(5)).await;
///     assert_eq!(Instant::now() - start, Duration::from_secs(5));
///     assert_eq!(start.elapsed(), Duration::from_secs(5));
/// }
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Instant {
    std: std::time::Instant,
}

/// How far away a saturated deadline is: about 30 years, far beyond any
/// real deadline yet well inside what every platform's `Instant` can hold.
const FAR_FUTURE: Duration = Duration::from_secs(86_400 * 365 * 30);

impl Instant {
    /// The current time: the runtime's clock inside a runtime, the system's
    /// monotonic clock outside one.
    ///
    /// ```
    /// let a = weft::time::Instant::now();
    /// let b = weft::time::Instant::now();
    /// assert!(b >= a);
    /// ```
    pub fn now() -> Instant {
        let now = context::with_current(|h| h.clock().now()).unwrap_or_else(|_| std::time::Instant::now());
        Instant::from_std(now)
    }

    /// Wraps a [`std::time::Instant`].
    ///
    /// ```
    /// let std = std::time::Instant::now();
    /// assert_eq!(weft::time::Instant::from_std(std).into_std(), std);
    /// ```
    pub fn from_std(std: std::time::Instant) -> Instant {
        Instant { std }
    }

    /// The [`std::time::Instant`] this one wraps.
    pub fn into_std(self) -> std::time::Instant {
        self.std
    }

    /// `self + duration`, or a deadline never reached in practice (some 30
    /// years after `self`) where that cannot be represented.
    pub(crate) fn saturating_add(self, duration: Duration) -> Instant {
        match self.checked_add(duration) {
            Some(t) => t,
            None => self.checked_add(FAR_FUTURE).unwrap_or(self),
        }
    }

    /// Time elapsed from `earlier` to `self`, or zero if `earlier` is later.
    ///
    /// ```
    /// use std::time::Duration;
    /// use weft::time::Instant;
    ///
    /// let a = Instant::now();
    /// let b = a + Duration::from_secs(1);
    /// assert_eq!(b.duration_since(a), Duration::from_secs(1));
    /// assert_eq!(a.duration_since(b), Duration::ZERO);
    /// ```
    pub fn duration_since(&self, earlier: Instant) -> Duration {
        self.std.saturating_duration_since(earlier.std)
    }

    /// Time elapsed from `earlier` to `self`, or `None` if `earlier` is
    /// later.
    ///
    /// ```
    /// use std::time::Duration;
    /// use weft::time::Instant;
    ///
    /// let a = Instant::now();
    /// let b = a + Duration::from_secs(1);
    /// assert_eq!(b.checked_duration_since(a), Some(Duration::from_secs(1)));
    /// assert_eq!(a.checked_duration_since(b), None);
    /// ```
    pub fn checked_duration_since(&self, earlier: Instant) -> Option<Duration> {
        self.std.checked_duration_since(earlier.std)
    }

    /// Time elapsed from `earlier` to `self`, or zero if `earlier` is later.
    pub fn saturating_duration_since(&self, earlier: Instant) -> Duration {
        self.std.saturating_duration_since(earlier.std)
    }

    /// Time elapsed since `self`, by the runtime's clock
    /// (`Instant::now() - self`).
    pub fn elapsed(&self) -> Duration {
        Instant::now() - *self
    }

    /// `self + duration`, or `None` if the result cannot be represented.
    ///
    /// ```
    /// use std::time::Duration;
    /// use weft::time::Instant;
    ///
    /// assert!(Instant::now().checked_add(Duration::MAX).is_none());
    /// ```
    pub fn checked_add(&self, duration: Duration) -> Option<Instant> {
        self.std.checked_add(duration).map(Instant::from_std)
    }

    /// `self - duration`, or `None` if the result cannot be represented.
    pub fn checked_sub(&self, duration: Duration) -> Option<Instant> {
        self.std.checked_sub(duration).map(Instant::from_std)
    }
}

impl From<std::time::Instant> for Instant {
    fn from(std: std::time::Instant) -> Instant {
        Instant::from_std(std)
    }
}

impl From<Instant> for std::time::Instant {
    fn from(instant: Instant) -> std::time::Instant {
        instant.into_std()
    }
}

/// # Panics
///
/// Panics if the result cannot be represented; use
/// [`Instant::checked_add`] to get `None` instead.
impl Add<Duration> for Instant {
    type Output = Instant;

    fn add(self, rhs: Duration) -> Instant {
        Instant::from_std(self.std + rhs)
    }
}

impl AddAssign<Duration> for Instant {
    fn add_assign(&mut self, rhs: Duration) {
        *self = *self + rhs;
    }
}

/// # Panics
///
/// Panics if the result cannot be represented; use
/// [`Instant::checked_sub`] to get `None` instead.
impl Sub<Duration> for Instant {
    type Output = Instant;

    fn sub(self, rhs: Duration) -> Instant {
        Instant::from_std(self.std - rhs)
    }
}

impl SubAssign<Duration> for Instant {
    fn sub_assign(&mut self, rhs: Duration) {
        *self = *self - rhs;
    }
}

/// The time from `rhs` to `self`, or zero if `rhs` is later.
impl Sub<Instant> for Instant {
    type Output = Duration;

    fn sub(self, rhs: Instant) -> Duration {
        self.duration_since(rhs)
    }
}

impl fmt::Debug for Instant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.std.fmt(f)
    }
}
