//! The batch semaphore that `Mutex`, `RwLock`, `Semaphore` and the bounded
//! mpsc channel are built on.
//!
//! # State
//!
//! One atomic word holds the available permits and two flags:
//!
//! ```text
//!  usize bits:  [ permits ... | QUEUED | CLOSED ]
//!                 value >> 2     bit 1    bit 0
//! ```
//!
//! Waiters queue on an intrusive [`WaitList`] behind a lock. Two invariants
//! tie the word to the list; both are only changed with the lock held:
//!
//! * `QUEUED` is set exactly when the list is not empty;
//! * while `QUEUED` is set the word holds **zero** permits: every released
//!   permit goes to the waiter at the front of the list, even if that
//!   waiter needs more than is released (it keeps a partial grant).
//!
//! This gives FIFO fairness: a newcomer can never take permits a queued
//! waiter is owed, because there are none in the word to take. It also
//! keeps the uncontended paths lock-free: `try_acquire` is one CAS on the
//! word; `release` is one CAS on the word unless `QUEUED` is set, and only
//! then takes the lock to hand permits to waiters.
//!
//! # Waiting
//!
//! An [`Acquire`] future first tries the word. If it is short, it takes the
//! lock, re-reads the word, takes whatever permits are there (a partial
//! grant), sets `QUEUED`, and links its node, which records how many permits
//! it still `needs` and its waker. Releasers fill `needs` from the front;
//! a waiter whose `needs` reaches zero is unlinked and woken. Closing the
//! semaphore sets `CLOSED`, unlinks every waiter and wakes it; a waiter that
//! is unlinked with `needs > 0` therefore knows it was closed out.
//!
//! # Cancellation
//!
//! Dropping a queued `Acquire` takes the lock, unlinks its node if still
//! linked, and releases whatever it was granted, whether a partial grant or
//! the full amount (granted but never polled again): no permit is lost.

use std::fmt;
use std::future::Future;
use std::marker::PhantomPinned;
use std::pin::Pin;
use std::ptr::NonNull;
use std::task::{ready, Context, Poll, Waker};

use weft_scheduler::coop;

use crate::loom::sync::atomic::{AtomicUsize, Ordering};
use crate::loom::sync::MutexGuard;
use crate::sync::util::lazy_mutex::LazyMutex;
use crate::sync::util::wake_list::WakeList;
use crate::sync::wait_list::{Node, WaitList};

const CLOSED: usize = 0b01;
const QUEUED: usize = 0b10;
const SHIFT: usize = 2;

/// The most permits a semaphore can hold, or a single acquire can ask for.
pub(crate) const MAX_PERMITS: usize = usize::MAX >> 3;

/// A counting semaphore whose acquires may take many permits at once.
pub(crate) struct Semaphore {
    state: AtomicUsize,
    waiters: LazyMutex<WaitList<Waiter>>,
}

/// What a queued acquirer leaves in its node.
#[derive(Debug)]
struct Waiter {
    /// Permits still owed to this waiter.
    needs: usize,
    waker: Option<Waker>,
}

/// The semaphore was closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Closed;

/// Why a `try_acquire` failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TryAcquireError {
    Closed,
    NoPermits,
}

impl Semaphore {
    /// A semaphore with `permits` permits.
    ///
    /// # Panics
    ///
    /// If `permits` exceeds [`MAX_PERMITS`].
    pub(crate) fn new(permits: usize) -> Self {
        assert_max_permits(permits);
        Semaphore {
            state: AtomicUsize::new(permits << SHIFT),
            waiters: LazyMutex::new(),
        }
    }

    /// [`Semaphore::new`] for `static`s.
    #[cfg(not(loom))]
    pub(crate) const fn const_new(permits: usize) -> Self {
        assert!(
            permits <= MAX_PERMITS,
            "a semaphore may not have more than MAX_PERMITS permits"
        );
        Semaphore {
            state: AtomicUsize::new(permits << SHIFT),
            waiters: LazyMutex::new(),
        }
    }

    /// A semaphore that starts closed, with no permits.
    pub(crate) fn new_closed() -> Self {
        Semaphore {
            state: AtomicUsize::new(CLOSED),
            waiters: LazyMutex::new(),
        }
    }

    /// [`Semaphore::new_closed`] for `static`s.
    #[cfg(not(loom))]
    pub(crate) const fn const_new_closed() -> Self {
        Semaphore {
            state: AtomicUsize::new(CLOSED),
            waiters: LazyMutex::new(),
        }
    }

    /// Permits that an acquire could take right now.
    pub(crate) fn available_permits(&self) -> usize {
        self.state.load(Ordering::Acquire) >> SHIFT
    }

    /// True once [`Semaphore::close`] was called.
    pub(crate) fn is_closed(&self) -> bool {
        self.state.load(Ordering::Acquire) & CLOSED != 0
    }

    /// Takes `n` permits if they are available right now.
    pub(crate) fn try_acquire(&self, n: usize) -> Result<(), TryAcquireError> {
        assert_max_permits(n);
        let mut state = self.state.load(Ordering::Acquire);
        loop {
            if state & CLOSED != 0 {
                return Err(TryAcquireError::Closed);
            }
            // While waiters queue the word holds no permits, so a
            // newcomer cannot overtake them.
            if state >> SHIFT < n {
                return Err(TryAcquireError::NoPermits);
            }
            match self.state.compare_exchange_weak(
                state,
                state - (n << SHIFT),
                Ordering::Acquire,
                Ordering::Acquire,
            ) {
                Ok(_) => return Ok(()),
                Err(actual) => state = actual,
            }
        }
    }

    /// A future that resolves once `n` permits are taken, or the semaphore
    /// is closed.
    ///
    /// # Panics
    ///
    /// If `n` exceeds [`MAX_PERMITS`].
    pub(crate) fn acquire(&self, n: usize) -> Acquire<'_> {
        assert_max_permits(n);
        Acquire {
            semaphore: self,
            node: Node::new(Waiter {
                needs: 0,
                waker: None,
            }),
            permits: n,
            queued: false,
            _pinned: PhantomPinned,
        }
    }

    /// Gives `n` permits back (or adds new ones): to queued waiters first,
    /// in order, and the rest to the word.
    ///
    /// # Panics
    ///
    /// If the permits would exceed [`MAX_PERMITS`].
    pub(crate) fn release(&self, n: usize) {
        if n == 0 {
            return;
        }
        let mut state = self.state.load(Ordering::Acquire);
        while state & QUEUED == 0 {
            assert_can_add(state >> SHIFT, n);
            match self.state.compare_exchange_weak(
                state,
                state + (n << SHIFT),
                Ordering::Release,
                Ordering::Acquire,
            ) {
                Ok(_) => return,
                Err(actual) => state = actual,
            }
        }
        let waiters = self.waiters.lock();
        self.release_locked(n, waiters);
    }

    /// Removes up to `n` available permits for good; returns how many.
    pub(crate) fn forget_permits(&self, n: usize) -> usize {
        let mut state = self.state.load(Ordering::Acquire);
        loop {
            let taken = n.min(state >> SHIFT);
            if taken == 0 {
                return 0;
            }
            match self.state.compare_exchange_weak(
                state,
                state - (taken << SHIFT),
                Ordering::AcqRel,
                Ordering::Acquire,
            ) {
                Ok(_) => return taken,
                Err(actual) => state = actual,
            }
        }
    }

    /// Closes the semaphore: pending and future acquires fail. Permits
    /// already held stay valid and can still be released.
    pub(crate) fn close(&self) {
        let mut waiters = self.waiters.lock();
        self.state.fetch_or(CLOSED, Ordering::AcqRel);
        let mut wakers = WakeList::new();
        while let Some(node) = waiters.pop_front() {
            // SAFETY: `node` was linked in this list and we still hold the
            // lock, so its owner cannot have freed it (wait-list invariant 3).
            wakers.push(unsafe { waiters.with_value(node, |w| w.waker.take()) });
        }
        // The list is empty now; its partial grants come back through the
        // owners (in `poll` or `drop`), which is when they reach the word.
        self.state.fetch_and(!QUEUED, Ordering::AcqRel);
        drop(waiters);
        wakers.wake_all();
    }

    /// Hands `n` permits to waiters, front first, then to the word.
    fn release_locked(&self, mut n: usize, mut waiters: MutexGuard<'_, WaitList<Waiter>>) {
        let mut wakers = WakeList::new();
        while let Some(front) = waiters.front() {
            // SAFETY: `front` is linked in this list and we hold its lock.
            let done = unsafe {
                waiters.with_value(front, |w| {
                    let given = n.min(w.needs);
                    w.needs -= given;
                    n -= given;
                    if w.needs == 0 {
                        wakers.push(w.waker.take());
                    }
                    w.needs == 0
                })
            };
            if !done {
                break;
            }
            waiters.pop_front();
        }
        if waiters.is_empty() {
            // Only lock holders clear `QUEUED`, and with it set nobody
            // touches the permit bits outside the lock; but fast-path
            // releasers can add permits once it is clear, so use a CAS.
            let mut state = self.state.load(Ordering::Acquire);
            loop {
                assert_can_add(state >> SHIFT, n);
                let next = (state & !QUEUED) + (n << SHIFT);
                match self.state.compare_exchange_weak(
                    state,
                    next,
                    Ordering::AcqRel,
                    Ordering::Acquire,
                ) {
                    Ok(_) => break,
                    Err(actual) => state = actual,
                }
            }
        } else {
            debug_assert_eq!(n, 0, "permits left over while a waiter still needs some");
        }
        drop(waiters);
        wakers.wake_all();
    }

    /// First poll of an acquire: fast path, then queue under the lock.
    fn poll_first(
        &self,
        node: NonNull<Node<Waiter>>,
        n: usize,
        waker: &Waker,
    ) -> Poll<Result<(), Closed>> {
        match self.try_acquire(n) {
            Ok(()) => return Poll::Ready(Ok(())),
            Err(TryAcquireError::Closed) => return Poll::Ready(Err(Closed)),
            Err(TryAcquireError::NoPermits) => {}
        }
        let mut waiters = self.waiters.lock();
        let mut state = self.state.load(Ordering::Acquire);
        let needs = loop {
            if state & CLOSED != 0 {
                return Poll::Ready(Err(Closed));
            }
            let available = state >> SHIFT;
            let (next, needs) = if available >= n {
                (state - (n << SHIFT), 0)
            } else {
                // Take what is there now and queue for the rest.
                ((state & CLOSED) | QUEUED, n - available)
            };
            match self
                .state
                .compare_exchange(state, next, Ordering::AcqRel, Ordering::Acquire)
            {
                Ok(_) => break needs,
                Err(actual) => state = actual,
            }
        };
        if needs == 0 {
            return Poll::Ready(Ok(()));
        }
        // SAFETY: we own `node` and it is in no list yet; we hold the lock.
        unsafe {
            waiters.with_value(node, |w| {
                w.needs = needs;
                w.waker = Some(waker.clone());
            });
        }
        // SAFETY: `node` lives in a pinned `Acquire` whose `Drop` unlinks it
        // under this lock (wait-list invariants 1 and 3).
        unsafe { waiters.push_back(node) };
        Poll::Pending
    }

    /// Later polls of a queued acquire.
    fn poll_queued(
        &self,
        node: NonNull<Node<Waiter>>,
        n: usize,
        waker: &Waker,
    ) -> Poll<Result<(), Closed>> {
        let mut waiters = self.waiters.lock();
        // SAFETY: we own `node` (it is linked here or in no list) and hold
        // the lock.
        let needs = unsafe { waiters.with_value(node, |w| w.needs) };
        if needs == 0 {
            return Poll::Ready(Ok(()));
        }
        // SAFETY: as above.
        if unsafe { !waiters.is_linked(node) } {
            // Closed out with a partial grant: give it back.
            self.release_locked(n - needs, waiters);
            return Poll::Ready(Err(Closed));
        }
        // SAFETY: as above.
        unsafe {
            waiters.with_value(node, |w| match &w.waker {
                Some(old) if old.will_wake(waker) => {}
                _ => w.waker = Some(waker.clone()),
            });
        }
        Poll::Pending
    }

    /// A queued acquire went away before it completed.
    fn cancel(&self, node: NonNull<Node<Waiter>>, n: usize) {
        let mut waiters = self.waiters.lock();
        // SAFETY: we own `node` (linked here or nowhere) and hold the lock.
        let needs = unsafe {
            waiters.remove(node);
            waiters.with_value(node, |w| w.needs)
        };
        // Whatever was granted goes back, fully granted or partly; with no
        // grant this still clears `QUEUED` if we were the last waiter.
        // (Mutant for the loom check: the grant is kept, so permits handed
        // to an acquire that is then dropped are lost.)
        let granted = if cfg!(weft_loom_mutant = "semaphore_cancel_keeps_grant") {
            0
        } else {
            n - needs
        };
        self.release_locked(granted, waiters);
    }
}

fn assert_max_permits(n: usize) {
    assert!(
        n <= MAX_PERMITS,
        "a semaphore may not have more than MAX_PERMITS permits ({MAX_PERMITS})"
    );
}

fn assert_can_add(current: usize, added: usize) {
    assert!(
        added <= MAX_PERMITS - current,
        "number of added permits ({added}) would overflow MAX_PERMITS ({MAX_PERMITS})"
    );
}

impl fmt::Debug for Semaphore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = self.state.load(Ordering::Relaxed);
        f.debug_struct("Semaphore")
            .field("permits", &(state >> SHIFT))
            .field("queued", &(state & QUEUED != 0))
            .field("closed", &(state & CLOSED != 0))
            .finish()
    }
}

/// The future returned by [`Semaphore::acquire`].
///
/// Holds its waiter node inline; it must be pinned to be polled, and it
/// unlinks the node and returns any granted permits when dropped early.
pub(crate) struct Acquire<'a> {
    semaphore: &'a Semaphore,
    node: Node<Waiter>,
    permits: usize,
    /// The node may be known to the list: `Drop` has to clean up.
    queued: bool,
    _pinned: PhantomPinned,
}

impl Acquire<'_> {
    /// Splits the pinned future into the node pointer and the plain fields.
    fn project(self: Pin<&mut Self>) -> (NonNull<Node<Waiter>>, &Semaphore, usize, &mut bool) {
        // SAFETY: `node` is never moved out of or replaced through this
        // reference; the other fields are plain data that may move freely.
        let this = unsafe { self.get_unchecked_mut() };
        (
            NonNull::from(&this.node),
            this.semaphore,
            this.permits,
            &mut this.queued,
        )
    }
}

impl Future for Acquire<'_> {
    type Output = Result<(), Closed>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let restore = ready!(coop::poll_proceed(cx));
        let (node, semaphore, permits, queued) = self.project();
        let poll = if *queued {
            semaphore.poll_queued(node, permits, cx.waker())
        } else {
            let poll = semaphore.poll_first(node, permits, cx.waker());
            *queued = poll.is_pending();
            poll
        };
        if poll.is_ready() {
            *queued = false;
            restore.made_progress();
        }
        poll
    }
}

impl Drop for Acquire<'_> {
    fn drop(&mut self) {
        if self.queued {
            // The node is still at the address it had while pinned: drop
            // runs in place.
            self.semaphore
                .cancel(NonNull::from(&self.node), self.permits);
        }
    }
}

impl fmt::Debug for Acquire<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Acquire")
            .field("permits", &self.permits)
            .field("queued", &self.queued)
            .finish()
    }
}

#[cfg(test)]
mod tests;
