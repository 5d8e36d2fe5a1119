//! The clock that timers read: real time, or virtual time that moves only
//! when told to.
//!
//! A paused clock stands still at the instant it was paused; [`Clock::advance`]
//! moves it forward. Resuming lets it run again at real speed from wherever it
//! stood, so time seen through the clock never goes backwards, even if it is
//! now ahead of the system's clock.
//!
//! A [`Clock::system`] clock can never be paused (multi-thread runtimes
//! use one): reading it is a plain `std::time::Instant::now()`. Reading a
//! pausable clock that has never been paused is `Instant::now()`, two
//! atomic loads and a fence; the lock is taken only once pausing has been
//! used.

use std::fmt;
use std::time::{Duration, Instant};

use crate::loom::sync::atomic::{fence, AtomicBool, AtomicUsize, Ordering};
use crate::loom::sync::{Arc, Mutex};

#[cfg(all(test, not(loom)))]
mod tests;
#[cfg(all(test, loom))]
mod models;

/// A source of [`Instant`]s that can be paused, advanced and resumed.
///
/// Clones share the same time.
///
/// # Examples
///
/// ```
/// use std::time::Duration;
/// use weft_timer::Clock;
///
/// let clock = Clock::new(true);
/// let t0 = clock.now();
/// clock.advance(Duration::from_secs(3_600));
/// assert_eq!(clock.now() - t0, Duration::from_secs(3_600));
/// ```
#[derive(Clone)]
pub struct Clock {
    inner: Arc<Inner>,
}

struct Inner {
    /// False for a [`Clock::system`] clock: it always reads the system
    /// clock and refuses to pause.
    pausable: bool,
    /// Set once the clock is first paused and never cleared: from then on the
    /// time comes from `state`, which may run ahead of the real clock.
    virtual_time: AtomicBool,
    state: Mutex<State>,
    /// How many callers currently forbid auto-advancing.
    inhibit: AtomicUsize,
}

struct State {
    /// The clock's time when it last stopped or was advanced.
    base: Instant,
    /// While running: the real instant at which it was last started.
    running_since: Option<Instant>,
}

impl State {
    fn now(&self) -> Instant {
        match self.running_since {
            None => self.base,
            Some(since) => self.base + since.elapsed(),
        }
    }
}

impl Clock {
    /// Creates a clock, running or already paused.
    ///
    /// A clock created paused stands at the current real time.
    pub fn new(start_paused: bool) -> Clock {
        Clock::with_pausable(true, start_paused)
    }

    /// Creates a clock that always reads the system's monotonic clock and
    /// can never be paused; reading it costs exactly an
    /// [`Instant::now()`].
    ///
    /// # Examples
    ///
    /// ```
    /// use weft_timer::Clock;
    ///
    /// let clock = Clock::system();
    /// assert!(!clock.is_paused());
    /// assert!(clock.now() <= std::time::Instant::now());
    /// ```
    pub fn system() -> Clock {
        Clock::with_pausable(false, false)
    }

    fn with_pausable(pausable: bool, start_paused: bool) -> Clock {
        let now = Instant::now();
        Clock {
            inner: Arc::new(Inner {
                pausable,
                virtual_time: AtomicBool::new(start_paused),
                state: Mutex::new(State {
                    base: now,
                    running_since: if start_paused { None } else { Some(now) },
                }),
                inhibit: AtomicUsize::new(0),
            }),
        }
    }

    /// The current time as this clock sees it.
    pub fn now(&self) -> Instant {
        if !self.inner.pausable {
            return Instant::now();
        }
        if !self.inner.virtual_time.load(Ordering::Relaxed) {
            let now = Instant::now();
            // Still real time after reading the system clock? The first
            // `pause` publishes `virtual_time`, then fences, then reads the
            // system clock for the paused instant. Whichever of the two
            // fences comes first, either this second look sees the flag, or
            // the paused instant was read after `now`: the clock does not
            // go backwards across the pause.
            // (Mutant for the loom check: no second look.)
            if cfg!(weft_loom_mutant = "clock_pause_publishes_late") {
                return now;
            }
            fence(Ordering::SeqCst);
            if !self.inner.virtual_time.load(Ordering::Relaxed) {
                return now;
            }
        }
        // A reader that sees virtual time takes the lock, and so sees the
        // state the pauser set up under it.
        self.inner.state.lock().now()
    }

    /// Stops the clock at the current time. Returns `false`, changing
    /// nothing, if it was already paused.
    ///
    /// # Panics
    ///
    /// Panics on a [`Clock::system`] clock, which cannot be paused.
    pub fn pause(&self) -> bool {
        assert!(
            self.inner.pausable,
            "this clock cannot be paused (a multi-thread runtime's clock is the system clock); \
             pause time on a current-thread runtime, or build it with start_paused(true)"
        );
        let mut state = self.inner.state.lock();
        let Some(since) = state.running_since.take() else {
            return false;
        };
        // Publish first, then read the system clock (see `now`). Readers
        // that see the flag wait for this lock.
        // (Mutant for the loom check: publish after reading the system
        // clock, as an earlier version did.)
        let late = cfg!(weft_loom_mutant = "clock_pause_publishes_late");
        if !late {
            self.inner.virtual_time.store(true, Ordering::Relaxed);
            fence(Ordering::SeqCst);
        }
        state.base += since.elapsed();
        if late {
            self.inner.virtual_time.store(true, Ordering::Release);
        }
        true
    }

    /// Lets a paused clock run again at real speed from where it stands.
    /// Returns `false`, changing nothing, if it was not paused.
    pub fn resume(&self) -> bool {
        let mut state = self.inner.state.lock();
        if state.running_since.is_some() {
            return false;
        }
        state.running_since = Some(Instant::now());
        true
    }

    /// Whether the clock is paused.
    pub fn is_paused(&self) -> bool {
        if !self.inner.pausable || !self.inner.virtual_time.load(Ordering::Relaxed) {
            return false;
        }
        self.inner.state.lock().running_since.is_none()
    }

    /// Moves a paused clock forward by `duration`.
    ///
    /// This only moves the time; the runtime fires the timers that became
    /// due the next time it processes its time driver.
    ///
    /// # Panics
    ///
    /// Panics if the clock is not paused (pause it first), or if the new
    /// time cannot be represented by [`Instant`].
    pub fn advance(&self, duration: Duration) {
        let mut state = self.inner.state.lock();
        assert!(
            state.running_since.is_none(),
            "time can only be advanced while the clock is paused; pause it first"
        );
        state.base = state
            .base
            .checked_add(duration)
            .expect("advancing the clock overflowed Instant; advance by a smaller duration");
    }

    /// Moves a paused clock forward to `instant`; does nothing if the clock
    /// already stands at or after it.
    ///
    /// # Panics
    ///
    /// Panics if the clock is not paused (pause it first).
    pub fn advance_to(&self, instant: Instant) {
        let mut state = self.inner.state.lock();
        assert!(
            state.running_since.is_none(),
            "time can only be advanced while the clock is paused; pause it first"
        );
        if instant > state.base {
            state.base = instant;
        }
    }

    /// Forbids auto-advancing until a matching
    /// [`allow_auto_advance`](Self::allow_auto_advance). Calls nest.
    ///
    /// The runtime inhibits auto-advance while blocking work it started is
    /// still running, since that work may be about to wake a task.
    pub fn inhibit_auto_advance(&self) {
        self.inner.inhibit.fetch_add(1, Ordering::SeqCst);
    }

    /// Undoes one [`inhibit_auto_advance`](Self::inhibit_auto_advance).
    ///
    /// # Panics
    ///
    /// Panics if there is no inhibit to undo.
    pub fn allow_auto_advance(&self) {
        let undone = self
            .inner
            .inhibit
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1));
        assert!(
            undone.is_ok(),
            "allow_auto_advance called more often than inhibit_auto_advance"
        );
    }

    /// Whether an idle runtime may move this clock to its next timer: the
    /// clock is paused and nothing inhibits auto-advance.
    pub fn can_auto_advance(&self) -> bool {
        self.inner.inhibit.load(Ordering::SeqCst) == 0 && self.is_paused()
    }
}

impl fmt::Debug for Clock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Clock")
            .field("paused", &self.is_paused())
            .field(
                "inhibit_auto_advance",
                &self.inner.inhibit.load(Ordering::Relaxed),
            )
            .finish()
    }
}
