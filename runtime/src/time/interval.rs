//! `Interval`: ticks at a fixed period.

use super::{sleep_until, Instant, Sleep};
use std::fmt;
use std::future::{poll_fn, Future};
use std::pin::Pin;
use std::task::{ready, Context, Poll};
use std::time::Duration;

/// How late a tick may be before it counts as missed.
const MISSED_AFTER: Duration = Duration::from_millis(5);

/// An [`Interval`] whose first tick completes at once and whose later
/// ticks come every `period`.
///
/// Equivalent to `interval_at(Instant::now(), period)`. Unlike a loop of
/// `sleep(period)`, the period is measured from one scheduled tick to the
/// next, so the time spent between ticks does not add up to drift.
///
/// # Panics
///
/// Panics if `period` is zero, outside a weft runtime, or in one built
/// without the timer.
///
/// # Examples
///
/// ```
/// use std::time::Duration;
/// use weft::time::{interval, Instant};
///
/// #[weft::main(flavor = "current_thread", start_paused = true)]
/// async fn main() {
///     let start = Instant::now();
///     let mut every_10ms = interval(Duration::from_millis(10));
///     every_10ms.tick().await; // at once
///     every_10ms.tick().await;
///     every_10ms.tick().await;
///     assert_eq!(start.elapsed(), Duration::from_millis(20));
/// }
/// ```
#[track_caller]
pub fn interval(period: Duration) -> Interval {
    assert_period(period);
    Interval::new(Instant::now(), period)
}

/// An [`Interval`] whose first tick completes at `start` and whose later
/// ticks come every `period` after it.
///
/// # Panics
///
/// Panics if `period` is zero, outside a weft runtime, or in one built
/// without the timer.
///
/// # Examples
///
/// ```
/// use std::time::Duration;
/// use weft::time::{interval_at, Instant};
///
/// #[weft::main(flavor = "current_thread", start_paused = true)]
/// async fn main() {
///     let start = Instant::now() + Duration::from_millis(50);
///     let mut ticks = interval_at(start, Duration::from_millis(10));
///     assert_eq!(ticks.tick().await, start);
///     assert_eq!(ticks.tick().await, start + Duration::from_millis(10));
/// }
/// ```
#[track_caller]
pub fn interval_at(start: Instant, period: Duration) -> Interval {
    assert_period(period);
    Interval::new(start, period)
}

#[track_caller]
fn assert_period(period: Duration) {
    assert!(
        !period.is_zero(),
        "an interval's period must be greater than zero; `interval(Duration::ZERO)` would tick \
         endlessly without waiting"
    );
}

/// What an [`Interval`] does when ticks were missed: when a tick is
/// collected more than a few milliseconds after its scheduled instant,
/// because the task was busy or the machine overloaded.
///
/// The examples below use a 50 ms period with the first tick at 0 ms, and a
/// task that collects the tick scheduled at 50 ms only at 130 ms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum MissedTickBehavior {
    /// Catch up: the missed ticks complete at once, one per call, until the
    /// interval is back on its original schedule (the default).
    ///
    /// Ticks are then due at 100 ms (at once), 150 ms, 200 ms, ...: the
    /// average rate over time is the one asked for.
    #[default]
    Burst,
    /// Restart the schedule from the late tick: the next tick comes one full
    /// period after the moment the late one was collected.
    ///
    /// Ticks are then due at 180 ms, 230 ms, 280 ms, ...: there are always
    /// at least `period` between two ticks.
    Delay,
    /// Drop the missed ticks and go on with the next one on the original
    /// schedule that is still in the future.
    ///
    /// Ticks are then due at 150 ms, 200 ms, 250 ms, ...: ticks stay aligned
    /// with the start, but some are skipped.
    Skip,
}

impl MissedTickBehavior {
    /// The next deadline after the tick due at `scheduled` was collected
    /// late, at `now`.
    pub(crate) fn next_deadline(self, scheduled: Instant, now: Instant, period: Duration) -> Instant {
        match self {
            MissedTickBehavior::Burst => scheduled.saturating_add(period),
            MissedTickBehavior::Delay => now.saturating_add(period),
            MissedTickBehavior::Skip => {
                // How far `now` is into the period it falls in; the next
                // tick on the original schedule is the rest of that period
                // away.
                let into_period = (now - scheduled).as_nanos() % period.as_nanos();
                // Less than `period`, so it fits in a `Duration`.
                let into_period = Duration::from_nanos(into_period as u64);
                now.saturating_add(period - into_period)
            }
        }
    }
}

/// Ticks at a fixed period; made by [`interval`] or [`interval_at`].
///
/// [`tick`](Self::tick) waits for the next tick and returns the instant it
/// was scheduled for. What happens when ticks are missed is set by
/// [`set_missed_tick_behavior`](Self::set_missed_tick_behavior).
///
/// # Examples
///
/// ```
/// use std::time::Duration;
/// use weft::time::{interval, MissedTickBehavior};
///
/// #[weft::main(flavor = "current_thread", start_paused = true)]
/// async fn main() {
///     let mut heartbeat = interval(Duration::from_secs(1));
///     heartbeat.set_missed_tick_behavior(MissedTickBehavior::Delay);
///     for _ in 0..3 {
///         heartbeat.tick().await;
///         println!("still alive");
///     }
/// }
/// ```
pub struct Interval {
    /// Completes at the next tick's scheduled instant.
    delay: Pin<Box<Sleep>>,
    period: Duration,
    missed_tick_behavior: MissedTickBehavior,
}

impl Interval {
    #[track_caller]
    fn new(start: Instant, period: Duration) -> Interval {
        Interval { delay: Box::pin(sleep_until(start)), period, missed_tick_behavior: MissedTickBehavior::default() }
    }

    /// Waits for the next tick and returns the instant it was scheduled
    /// for.
    ///
    /// Cancel safe: if the returned future is dropped before it completes,
    /// no tick is lost; the next call gets it.
    pub async fn tick(&mut self) -> Instant {
        poll_fn(|cx| self.poll_tick(cx)).await
    }

    /// Polls for the next tick: `Ready` with the instant it was scheduled
    /// for, or `Pending` after arranging for `cx`'s task to be woken at the
    /// tick. Only the waker of the latest call is woken.
    pub fn poll_tick(&mut self, cx: &mut Context<'_>) -> Poll<Instant> {
        ready!(self.delay.as_mut().poll(cx));
        let scheduled = self.delay.deadline();
        let now = Instant::now();
        let next = if now > scheduled.saturating_add(MISSED_AFTER) {
            self.missed_tick_behavior.next_deadline(scheduled, now, self.period)
        } else {
            scheduled.saturating_add(self.period)
        };
        // The timer just fired, so this only records the new deadline; it
        // is filed with the driver by the next poll.
        self.delay.as_mut().reset(next);
        Poll::Ready(scheduled)
    }

    /// Restarts the schedule one period from now: the next tick comes after
    /// a full `period`.
    pub fn reset(&mut self) {
        self.reset_at(Instant::now().saturating_add(self.period));
    }

    /// Restarts the schedule from now: the next tick completes at once.
    pub fn reset_immediately(&mut self) {
        self.reset_at(Instant::now());
    }

    /// Restarts the schedule `after` from now.
    pub fn reset_after(&mut self, after: Duration) {
        self.reset_at(Instant::now().saturating_add(after));
    }

    /// Restarts the schedule at `deadline`: the next tick is due then, and
    /// later ones every period after it.
    ///
    /// ```
    /// use std::time::Duration;
    /// use weft::time::{interval, Instant};
    ///
    /// #[weft::main(flavor = "current_thread", start_paused = true)]
    /// async fn main() {
    ///     let mut ticks = interval(Duration::from_millis(10));
    ///     ticks.tick().await;
    ///     let later = Instant::now() + Duration::from_millis(25);
    ///     ticks.reset_at(later);
    ///     assert_eq!(ticks.tick().await, later);
    ///     assert_eq!(ticks.tick().await, later + Duration::from_millis(10));
    /// }
    /// ```
    pub fn reset_at(&mut self, deadline: Instant) {
        self.delay.as_mut().reset(deadline);
    }

    /// The period.
    pub fn period(&self) -> Duration {
        self.period
    }

    /// What this interval does with missed ticks.
    pub fn missed_tick_behavior(&self) -> MissedTickBehavior {
        self.missed_tick_behavior
    }

    /// Sets what this interval does with missed ticks.
    pub fn set_missed_tick_behavior(&mut self, behavior: MissedTickBehavior) {
        self.missed_tick_behavior = behavior;
    }
}

impl fmt::Debug for Interval {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Interval")
            .field("next_tick", &self.delay.deadline())
            .field("period", &self.period)
            .field("missed_tick_behavior", &self.missed_tick_behavior)
            .finish()
    }
}
