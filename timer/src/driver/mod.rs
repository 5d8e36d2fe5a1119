//! The time driver: sharded timing wheels, the clock, and the timers that
//! register with them.
//!
//! # Design
//!
//! ## Shards
//!
//! The driver owns `N` shards (the runtime passes one per worker), each a
//! [`Wheel`] behind its own mutex. A timer picks its shard once, from the hint
//! given to its first registration (the runtime passes the current worker's
//! index), and stays there. Registering, rescheduling and cancelling lock
//! that one shard and nothing else; only the driver's `process`,
//! `next_deadline` and `shutdown` visit every shard, one at a time.
//!
//! ## One timer's shared state
//!
//! A [`TimerEntry`] is owned by one future. The first time it has to wait it
//! allocates a `TimerShared` (one `Arc`, reused by every later reset) and
//! files a clone of that `Arc` in its shard's wheel. `TimerShared` holds:
//!
//! - `state`, an atomic word:
//!
//!   | state        | meaning                                   |
//!   |--------------|-------------------------------------------|
//!   | `IDLE`       | in no wheel                               |
//!   | `REGISTERED` | in its shard's wheel under the entry's key|
//!   | `FIRED`      | the deadline was reached; in no wheel     |
//!   | `SHUTDOWN`   | the driver shut down; in no wheel         |
//!
//! - `waker`, a `Mutex<Option<Waker>>` for the task to wake.
//!
//! Transitions, and who makes them:
//!
//! - `IDLE -> REGISTERED`: the owner, holding the shard lock, as it inserts
//!   into the wheel (first poll, or the first poll after a reset that found
//!   the timer already fired).
//! - `REGISTERED -> REGISTERED`: the owner's `reset`, holding the shard lock,
//!   moves the wheel entry to a new deadline ([`Wheel::reschedule`]).
//! - `REGISTERED -> FIRED | SHUTDOWN`: the driver, holding the shard lock,
//!   after the wheel handed the entry out. Removing it from the wheel and
//!   changing the state happen in one critical section, so "in the wheel"
//!   and "`REGISTERED`" agree whenever the lock is free.
//! - `REGISTERED -> (gone)`: the owner's `Drop`, holding the shard lock,
//!   removes the wheel entry by key. If the driver fired it first, the key is
//!   stale and removal finds nothing; generations make sure a stale key can
//!   never remove someone else's timer.
//! - `FIRED -> IDLE`: the owner's `reset`, without a lock. Once `FIRED`, no
//!   wheel holds the timer, so the driver can no longer reach it and the
//!   owner has the state to itself.
//!
//! So the state word is written only under the shard lock, or by the owner
//! when no wheel holds the timer. The owner reads it without the lock; a
//! stale `REGISTERED` only sends it to the lock, where the truth is.
//!
//! ## Waking
//!
//! The owner stores its waker *before* it inserts the timer, and on later
//! polls stores it first and reads `state` after. The driver stores `FIRED`
//! first and takes the waker after. The waker mutex orders the two: either
//! the driver takes the owner's new waker, or the owner's re-read of `state`
//! (after the driver released the waker mutex) sees `FIRED`. No wake-up is
//! lost.
//!
//! The driver only moves wakers out under the shard lock, into a fixed-size
//! batch on the stack, and wakes them after releasing it (if the batch fills
//! up, it releases the lock, wakes, and takes the lock again). A timer
//! cancelled before the driver reaches it is no longer in the wheel and is
//! never woken; one dropped while the driver is firing it may see one
//! spurious wake of its task, which wakers allow.
//!
//! Lock order: shard lock, then a timer's waker mutex. Nothing runs user
//! code (waking, dropping or cloning a waker) while holding either.
//!
//! ## Waking a parked driver
//!
//! The thread that owns the driver parks for at most until
//! [`Driver::next_deadline`]. A timer registered meanwhile with an earlier
//! deadline must cut that park short. The driver keeps `reported`, an atomic
//! tick: `next_deadline` first stores `u64::MAX`, then scans the shards, then
//! lowers `reported` to what it found with `fetch_min`. A registration,
//! after unlocking its shard, compares its tick with `reported`; if its tick
//! is earlier it lowers `reported` with `fetch_min` and, if that lowered it,
//! calls the unpark hook. All of these are `SeqCst`. A registration that the
//! scan missed locked its shard after the scan did, so it reads `reported`
//! after the `u64::MAX` store: it either sees the value the scan published
//! (earlier than its tick, so the driver wakes in time anyway) or a larger
//! one and unparks. The unpark contract ("an unpark before a park makes that
//! park return") covers an unpark that lands before the park.
//!
//! ## Ticks
//!
//! One tick is one millisecond after the driver was created. A deadline
//! becomes a tick by rounding *up* (a timer never fires before its deadline)
//! and saturates at `u64::MAX`; the current time becomes a tick by rounding
//! down and saturates at `u64::MAX - 1`, so a saturated deadline (some 580
//! million years away) stays in its wheel and never fires.
//!
//! ## Allocation
//!
//! [`TimerEntry::new`] allocates nothing and touches no shared state; a
//! timer that is never polled, or is polled only after its deadline, never
//! allocates. The first registration allocates one `Arc<TimerShared>`
//! (`state`, the shard index and the waker slot); resets reuse it. The
//! wheels' arenas reuse freed cells. A `TimerEntry` itself is 48 bytes on
//! 64-bit targets: the handle, the deadline, the `Arc`, the wheel key and a
//! flag.

use std::fmt;
use std::task::Waker;
use std::time::{Duration, Instant};

use crate::clock::Clock;
use crate::loom::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use crate::loom::sync::{Arc, Mutex, MutexGuard};
use crate::wheel::Wheel;

mod entry;
mod error;

pub use entry::TimerEntry;
pub use error::Error;

use entry::{Outcome, TimerShared};

#[cfg(all(test, not(loom)))]
mod tests;

#[cfg(all(test, loom))]
mod models;

/// Drives the timers of one runtime: reports the next deadline and fires
/// the timers that are due.
///
/// The runtime owns the driver; timers hold a [`Handle`].
///
/// # Examples
///
/// What an idle runtime with a paused clock does: jump to the next deadline
/// instead of sleeping, then fire what is due.
///
/// ```
/// use std::sync::Arc;
/// use std::task::{Context, Wake, Waker};
/// use std::time::Duration;
/// use weft_timer::{Clock, Driver, TimerEntry};
///
/// struct Noop;
/// impl Wake for Noop {
///     fn wake(self: Arc<Self>) {}
/// }
/// let waker = Waker::from(Arc::new(Noop));
///
/// let clock = Clock::new(true);
/// let driver = Driver::new(clock.clone(), 4);
/// assert_eq!(driver.next_deadline(), None); // nothing to wait for
///
/// let start = clock.now();
/// let mut timer = Box::pin(TimerEntry::new(&driver.handle(), start + Duration::from_secs(5)));
/// assert!(timer.as_mut().poll_elapsed(&mut Context::from_waker(&waker), 3).is_pending());
///
/// while !timer.is_elapsed() {
///     let deadline = driver.next_deadline().expect("a timer is waiting");
///     assert!(clock.can_auto_advance());
///     clock.advance_to(deadline);
///     driver.process();
/// }
/// assert_eq!(clock.now() - start, Duration::from_secs(5));
/// ```
pub struct Driver {
    handle: Handle,
}

/// A cheap, clonable reference to a time driver, held by timers.
#[derive(Clone)]
pub struct Handle {
    inner: Arc<Inner>,
}

struct Inner {
    clock: Clock,
    /// Tick 0.
    start: Instant,
    shards: Box<[Shard]>,
    /// The earliest tick the driver last reported, lowered by earlier
    /// registrations since; see the module docs.
    reported: AtomicU64,
    shutdown: AtomicBool,
    unpark: Option<Box<dyn Fn() + Send + Sync>>,
}

/// One wheel and its lock, on its own cache lines so that workers
/// registering timers on different shards do not contend.
#[repr(align(128))]
struct Shard {
    state: Mutex<ShardState>,
}

struct ShardState {
    wheel: Wheel<Arc<TimerShared>>,
    /// Set by `Driver::shutdown`; no timer is inserted afterwards.
    shutdown: bool,
}

/// How many wakers the driver collects before it wakes them.
const WAKE_BATCH: usize = 32;

impl Driver {
    /// Creates a driver reading time from `clock`, with `shards` wheels (at
    /// least one is made if `shards` is 0).
    ///
    /// Tick 0 is `clock.now()` at this call.
    pub fn new(clock: Clock, shards: usize) -> Driver {
        Driver::build(clock, shards, None)
    }

    /// Like [`Driver::new`], with a hook that wakes the thread parked on
    /// this driver.
    ///
    /// `unpark` is called, from the registering thread and outside every
    /// lock of this crate, when a timer is registered (or reset) with a
    /// deadline earlier than the one [`next_deadline`](Self::next_deadline)
    /// last reported. The runtime passes a closure that wakes whichever
    /// thread is parked with the driver (for example through mio's `Waker`).
    /// It may be called when nobody is parked; it must then make the next
    /// park return promptly, or do nothing harmful.
    pub fn with_unpark(
        clock: Clock,
        shards: usize,
        unpark: impl Fn() + Send + Sync + 'static,
    ) -> Driver {
        Driver::build(clock, shards, Some(Box::new(unpark)))
    }

    fn build(clock: Clock, shards: usize, unpark: Option<Box<dyn Fn() + Send + Sync>>) -> Driver {
        let shards = (0..shards.max(1))
            .map(|_| Shard {
                state: Mutex::new(ShardState {
                    wheel: Wheel::new(),
                    shutdown: false,
                }),
            })
            .collect();
        let start = clock.now();
        Driver {
            handle: Handle {
                inner: Arc::new(Inner {
                    clock,
                    start,
                    shards,
                    reported: AtomicU64::new(u64::MAX),
                    shutdown: AtomicBool::new(false),
                    unpark,
                }),
            },
        }
    }

    /// A handle for creating timers on this driver.
    pub fn handle(&self) -> Handle {
        self.handle.clone()
    }

    /// The instant by which [`process`](Self::process) next has work to do,
    /// or `None` if no timer is registered (or the next one is too far away
    /// for an `Instant` to name).
    ///
    /// The result is never later than the earliest registered deadline, and
    /// may be earlier (timers far away are re-filed on the way); it may also
    /// be in the past. Call this right before parking and park at most until
    /// the returned instant, rounding the timeout *up* to whole milliseconds;
    /// a registration with an earlier deadline made after this call invokes
    /// the unpark hook. With a paused clock that may auto-advance, the
    /// runtime advances the clock to this instant instead of sleeping, then
    /// calls `process`.
    pub fn next_deadline(&self) -> Option<Instant> {
        let inner = &*self.handle.inner;
        // From here until the `fetch_min` below, every registration counts
        // as earlier than what this scan will find and unparks.
        inner.reported.store(u64::MAX, Ordering::SeqCst);
        let earliest = inner
            .shards
            .iter()
            .filter_map(|shard| shard.lock().wheel.next_expiration())
            .min()?;
        inner.reported.fetch_min(earliest, Ordering::SeqCst);
        inner.start.checked_add(Duration::from_millis(earliest))
    }

    /// Fires every timer whose deadline is at or before the clock's current
    /// time, in every shard, and wakes their tasks. Returns how many timers
    /// fired.
    ///
    /// Wakers are woken after the shard lock is released, in batches.
    pub fn process(&self) -> usize {
        self.handle.process()
    }

    /// Shuts the driver down: every registered timer completes with an
    /// [`Error`] whose [`is_shutdown`](Error::is_shutdown) is true and its
    /// task is woken; timers polled afterwards fail the same way unless
    /// their deadline has already passed. Calling it again does nothing.
    pub fn shutdown(&self) {
        let inner = &*self.handle.inner;
        inner.shutdown.store(true, Ordering::SeqCst);
        let mut batch = WakeBatch::new();
        for shard in inner.shards.iter() {
            shard.lock().shutdown = true;
            shard.drain(u64::MAX, Outcome::Shutdown, &mut batch);
        }
    }
}

impl Handle {
    /// The clock this driver's timers are measured against.
    pub fn clock(&self) -> &Clock {
        &self.inner.clock
    }

    /// Whether [`Driver::shutdown`] has been called.
    pub fn is_shutdown(&self) -> bool {
        self.inner.shutdown.load(Ordering::SeqCst)
    }

    /// Number of shards; shard hints are taken modulo this.
    pub fn shard_count(&self) -> usize {
        self.inner.shards.len()
    }

    /// Fires every due timer, like [`Driver::process`], from a thread that
    /// holds only a handle. `weft::time::advance` uses it to fire the timers
    /// it moved the clock past before it returns.
    ///
    /// It takes each shard lock in turn, exactly as the driver does, so it
    /// may run concurrently with the driver's own `process`.
    pub fn process(&self) -> usize {
        let inner = &*self.inner;
        let now = inner.now_tick(inner.clock.now());
        let mut batch = WakeBatch::new();
        let mut fired = 0;
        for shard in inner.shards.iter() {
            fired += shard.drain(now, Outcome::Fired, &mut batch);
        }
        fired
    }
}

impl Inner {
    /// A deadline as a tick, rounded up and saturated.
    fn deadline_to_tick(&self, deadline: Instant) -> u64 {
        let Some(since) = deadline.checked_duration_since(self.start) else {
            return 0;
        };
        let ms = since.as_millis() + u128::from(since.subsec_nanos() % 1_000_000 != 0);
        u64::try_from(ms).unwrap_or(u64::MAX)
    }

    /// The current time as a tick, rounded down and saturated at
    /// `u64::MAX - 1`, so that a saturated deadline (`u64::MAX`, more than
    /// 500 million years away) is never reached.
    fn now_tick(&self, now: Instant) -> u64 {
        u64::try_from(now.saturating_duration_since(self.start).as_millis())
            .map_or(u64::MAX - 1, |t| t.min(u64::MAX - 1))
    }

    /// Called after a timer was filed at `tick`, outside every lock: wakes
    /// the parked driver if `tick` is earlier than what it is waiting for.
    fn note_deadline(&self, tick: u64) {
        if tick < self.reported.load(Ordering::SeqCst)
            && self.reported.fetch_min(tick, Ordering::SeqCst) > tick
        {
            if let Some(unpark) = &self.unpark {
                unpark();
            }
        }
    }
}

impl Shard {
    fn lock(&self) -> MutexGuard<'_, ShardState> {
        self.state.lock()
    }

    /// Hands out every entry due at `now` with the given outcome; returns
    /// how many.
    fn drain(&self, now: u64, outcome: Outcome, batch: &mut WakeBatch) -> usize {
        let mut count = 0;
        let mut state = self.lock();
        while let Some(timer) = state.wheel.poll(now) {
            count += 1;
            if let Some(waker) = timer.complete(outcome) {
                if batch.push(waker) {
                    drop(state);
                    batch.wake_all();
                    state = self.lock();
                }
            }
        }
        drop(state);
        batch.wake_all();
        count
    }
}

/// Wakers collected under a lock, woken after it is released.
struct WakeBatch {
    wakers: [Option<Waker>; WAKE_BATCH],
    len: usize,
}

impl WakeBatch {
    fn new() -> WakeBatch {
        WakeBatch {
            wakers: [const { None }; WAKE_BATCH],
            len: 0,
        }
    }

    /// Adds a waker; returns `true` when the batch is now full.
    fn push(&mut self, waker: Waker) -> bool {
        self.wakers[self.len] = Some(waker);
        self.len += 1;
        self.len == WAKE_BATCH
    }

    fn wake_all(&mut self) {
        for slot in &mut self.wakers[..self.len] {
            if let Some(waker) = slot.take() {
                waker.wake();
            }
        }
        self.len = 0;
    }
}

impl fmt::Debug for Driver {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Driver")
            .field("handle", &self.handle)
            .finish()
    }
}

impl fmt::Debug for Handle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Handle")
            .field("clock", &self.inner.clock)
            .field("shards", &self.inner.shards.len())
            .field("shutdown", &self.is_shutdown())
            .field("unpark_hook", &self.inner.unpark.is_some())
            .finish()
    }
}
