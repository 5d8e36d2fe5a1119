//! One timer: the user-facing [`TimerEntry`] and the state it shares with
//! its shard's wheel. The protocol is described in the parent module.

use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll, Waker};
use std::time::Instant;

use super::{Error, Handle};
use crate::loom::sync::atomic::{AtomicU32, Ordering};
use crate::loom::sync::{Arc, Mutex};
use crate::wheel::Key;

const IDLE: u32 = 0;
const REGISTERED: u32 = 1;
const FIRED: u32 = 2;
const SHUTDOWN: u32 = 3;

/// How the driver completes a timer it takes out of a wheel.
#[derive(Clone, Copy, Debug)]
pub(super) enum Outcome {
    Fired,
    Shutdown,
}

/// The part of a timer that its shard's wheel holds a reference to.
pub(super) struct TimerShared {
    /// `IDLE`, `REGISTERED`, `FIRED` or `SHUTDOWN`; see the module docs for
    /// who may write it when.
    state: AtomicU32,
    /// The shard this timer files itself in, fixed at allocation.
    shard: usize,
    waker: Mutex<Option<Waker>>,
}

impl TimerShared {
    /// An `IDLE` shared part on `shard`, holding `waker`.
    fn new(shard: usize, waker: Waker) -> TimerShared {
        TimerShared {
            state: AtomicU32::new(IDLE),
            shard,
            waker: Mutex::new(Some(waker)),
        }
    }

    fn state(&self) -> u32 {
        // Acquire pairs with the Release stores, so an owner that sees
        // `FIRED` also sees everything the driver did before firing.
        self.state.load(Ordering::Acquire)
    }

    fn set_state(&self, state: u32) {
        self.state.store(state, Ordering::Release);
    }

    /// Stores `waker` unless the stored one already wakes the same task.
    /// Neither clones nor drops a waker while holding the mutex.
    fn register_waker(&self, waker: &Waker) {
        if self
            .waker
            .lock()
            .as_ref()
            .is_some_and(|w| w.will_wake(waker))
        {
            return;
        }
        let new = waker.clone();
        let old = self.waker.lock().replace(new);
        drop(old);
    }

    /// The driver's half: called with the shard lock held, right after the
    /// wheel handed this timer out. Returns the waker to wake once the lock
    /// is released.
    pub(super) fn complete(&self, outcome: Outcome) -> Option<Waker> {
        self.set_state(match outcome {
            Outcome::Fired => FIRED,
            Outcome::Shutdown => SHUTDOWN,
        });
        self.waker.lock().take()
    }
}

/// One timer: completes once the clock reaches its deadline.
///
/// This is the engine under `weft::time::Sleep`. It is registered lazily:
/// creating it does nothing but record the deadline, and a timer whose
/// deadline has already passed when it is first polled completes without
/// ever reaching a wheel. A `timeout` whose inner future finishes first
/// therefore costs no shared state at all.
///
/// Dropping a registered timer removes it from its wheel in O(1) under one
/// shard lock; dropping one that is unregistered or has fired takes no lock.
///
/// # Examples
///
/// ```
/// use std::sync::Arc;
/// use std::task::{Context, Poll, Wake, Waker};
/// use std::time::Duration;
/// use weft_timer::{Clock, Driver, TimerEntry};
///
/// struct Noop;
/// impl Wake for Noop {
///     fn wake(self: Arc<Self>) {}
/// }
/// let waker = Waker::from(Arc::new(Noop));
/// let mut cx = Context::from_waker(&waker);
///
/// let clock = Clock::new(true);
/// let driver = Driver::new(clock.clone(), 2);
/// let start = clock.now();
/// let mut timer = Box::pin(TimerEntry::new(&driver.handle(), start + Duration::from_millis(50)));
///
/// // The first poll registers it (on shard 1 % 2).
/// assert!(timer.as_mut().poll_elapsed(&mut cx, 1).is_pending());
/// assert_eq!(driver.next_deadline(), Some(start + Duration::from_millis(50)));
///
/// // Push the deadline back, then let time pass.
/// timer.as_mut().reset(start + Duration::from_millis(80));
/// clock.advance(Duration::from_millis(50));
/// driver.process();
/// assert!(!timer.is_elapsed());
/// clock.advance(Duration::from_millis(30));
/// driver.process();
/// assert!(timer.is_elapsed());
/// assert_eq!(timer.as_mut().poll_elapsed(&mut cx, 1), Poll::Ready(Ok(())));
/// ```
pub struct TimerEntry {
    handle: Handle,
    deadline: Instant,
    /// Allocated at the first registration and kept across resets.
    pub(super) shared: Option<Arc<TimerShared>>,
    /// The wheel key of the current registration; `Some` while `REGISTERED`
    /// (and, stale, after `FIRED` until the next reset).
    key: Option<Key>,
    /// A poll found the deadline reached without registering.
    elapsed: bool,
}

impl TimerEntry {
    /// Creates a timer for `deadline` on `handle`'s driver. Allocates
    /// nothing and touches no shared state.
    pub fn new(handle: &Handle, deadline: Instant) -> TimerEntry {
        TimerEntry {
            handle: handle.clone(),
            deadline,
            shared: None,
            key: None,
            elapsed: false,
        }
    }

    /// The instant this timer completes at.
    pub fn deadline(&self) -> Instant {
        self.deadline
    }

    /// The driver this timer belongs to.
    pub fn handle(&self) -> &Handle {
        &self.handle
    }

    /// Whether the timer has completed successfully: the driver fired it, or
    /// a poll found its deadline reached. A reset makes it pending again.
    pub fn is_elapsed(&self) -> bool {
        self.elapsed || self.shared.as_ref().is_some_and(|s| s.state() == FIRED)
    }

    /// Polls the timer.
    ///
    /// Returns `Ready(Ok(()))` once the deadline is reached, and
    /// `Ready(Err(_))` if the driver shut down first. Otherwise stores the
    /// context's waker, to be woken when the driver fires the timer, and
    /// returns `Pending`; the first such poll registers the timer, on shard
    /// `shard_hint % shard_count` (the runtime passes the current worker's
    /// index, any number elsewhere). Later polls keep the first shard.
    ///
    /// # Errors
    ///
    /// Fails with [`Error::is_shutdown`] if the driver has been shut down
    /// and the deadline has not been reached.
    pub fn poll_elapsed(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        shard_hint: usize,
    ) -> Poll<Result<(), Error>> {
        let this = self.get_mut();
        if this.elapsed {
            return Poll::Ready(Ok(()));
        }
        if let Some(shared) = &this.shared {
            match shared.state() {
                IDLE => {}
                REGISTERED => {
                    shared.register_waker(cx.waker());
                    // Read again after publishing the waker: if the driver
                    // fired in between, it may have taken the old waker.
                    return match shared.state() {
                        REGISTERED => Poll::Pending,
                        state => finished(state),
                    };
                }
                state => return finished(state),
            }
        }
        this.register(cx.waker(), shard_hint)
    }

    /// Slow path of `poll_elapsed`: the timer is in no wheel.
    fn register(&mut self, waker: &Waker, shard_hint: usize) -> Poll<Result<(), Error>> {
        let inner = &*self.handle.inner;
        if inner.clock.now() >= self.deadline {
            self.elapsed = true;
            return Poll::Ready(Ok(()));
        }
        if inner.shutdown.load(Ordering::SeqCst) {
            return Poll::Ready(Err(Error::shutdown()));
        }
        let tick = inner.deadline_to_tick(self.deadline);
        // The waker goes in before the timer becomes reachable: a new
        // shared part is born holding it, so the first registration of a
        // timer takes no waker lock.
        let shared = match &self.shared {
            Some(shared) => {
                shared.register_waker(waker);
                shared
            }
            None => self.shared.insert(Arc::new(TimerShared::new(
                shard_hint % inner.shards.len(),
                waker.clone(),
            ))),
        };
        let mut state = inner.shards[shared.shard].lock();
        if state.shutdown {
            return Poll::Ready(Err(Error::shutdown()));
        }
        self.key = Some(state.wheel.insert(tick, Arc::clone(shared)));
        shared.set_state(REGISTERED);
        drop(state);
        inner.note_deadline(tick);
        Poll::Pending
    }

    /// Moves the deadline to `deadline`, whether or not the timer has
    /// already completed; afterwards it completes at the new deadline.
    ///
    /// A registered timer is moved within its wheel in O(1) under its shard
    /// lock and keeps its waker, so the task is woken at the new deadline
    /// without polling again (or promptly, if the new deadline has passed).
    /// A timer that has fired, or was never registered, is registered
    /// lazily by its next poll. Racing the driver is fine: whichever takes
    /// the shard lock first wins, and the other sees the result.
    pub fn reset(self: Pin<&mut Self>, deadline: Instant) {
        let this = self.get_mut();
        this.deadline = deadline;
        this.elapsed = false;
        let Some(shared) = &this.shared else {
            return;
        };
        match shared.state() {
            REGISTERED => {
                let inner = &*this.handle.inner;
                let tick = inner.deadline_to_tick(deadline);
                let mut state = inner.shards[shared.shard].lock();
                let moved = this
                    .key
                    .is_some_and(|key| state.wheel.reschedule(key, tick));
                if moved {
                    drop(state);
                    inner.note_deadline(tick);
                } else if shared.state() == FIRED {
                    // The driver fired it just before we took the lock.
                    drop(state);
                    shared.set_state(IDLE);
                    this.key = None;
                }
            }
            FIRED => {
                shared.set_state(IDLE);
                this.key = None;
            }
            _ => {}
        }
    }
}

/// The poll result of a timer in a final state.
fn finished(state: u32) -> Poll<Result<(), Error>> {
    match state {
        FIRED => Poll::Ready(Ok(())),
        _ => Poll::Ready(Err(Error::shutdown())),
    }
}

impl Drop for TimerEntry {
    fn drop(&mut self) {
        let (Some(shared), Some(key)) = (&self.shared, self.key) else {
            return;
        };
        if shared.state() != REGISTERED {
            return;
        }
        let mut state = self.handle.inner.shards[shared.shard].lock();
        let removed = state.wheel.remove(key);
        drop(state);
        // The wheel's Arc clone, dropped outside the lock.
        drop(removed);
    }
}

impl fmt::Debug for TimerEntry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = match self.shared.as_ref().map(|s| s.state()) {
            _ if self.elapsed => "elapsed",
            None | Some(IDLE) => "unregistered",
            Some(REGISTERED) => "registered",
            Some(FIRED) => "elapsed",
            Some(_) => "shut down",
        };
        f.debug_struct("TimerEntry")
            .field("deadline", &self.deadline)
            .field("state", &state)
            .finish()
    }
}
