//! Wake-ups without data: `Notify`.
//!
//! # Design
//!
//! The state word packs a two-bit mode and a counter of
//! [`Notify::notify_waiters`] calls:
//!
//! ```text
//!  [ notify_waiters calls ... | mode ]      mode: EMPTY, WAITING or NOTIFIED
//!            value >> 2          2 bits
//! ```
//!
//! * `NOTIFIED` is the stored permit: a `notify_one` with nobody waiting
//!   leaves it, and the next `Notified` consumes it without waiting. There
//!   is at most one.
//! * `WAITING` is set exactly when the waiter list is not empty, and is
//!   only entered or left with the waiter lock held. `EMPTY <-> NOTIFIED`
//!   may change without the lock (the fast paths of `notify_one` and of a
//!   first poll), always by CAS.
//! * The counter lets a `Notified` that was created before a
//!   `notify_waiters` call, but not yet polled, still see that call: it
//!   records the counter when created and completes if it changed.
//!
//! A waiting `Notified` links a node holding its waker and the
//! notification it received, if any. `notify_one`/`notify_last` pop one
//! node (front or back), mark it `One`, and take its waker; `notify_waiters`
//! pops all and marks them `All`. All of it happens under the lock, and the
//! `Notified` reads its node under the same lock, with one shortcut: the
//! notifier *releases* each node it popped as its last access to it (see
//! `wait_list`), so a woken `Notified` that finds its node released
//! completes without taking the lock. When many tasks wait on one
//! `Notify` (watch receivers, for example), that halves the lock traffic
//! of a round of wake-ups.
//!
//! Cancellation: a `Notified` that is dropped after it was picked by
//! `notify_one`/`notify_last` but before it returned `Ready` hands the
//! notification on (to the next waiter, or as the stored permit), so no
//! wake-up is lost. Notifications from `notify_waiters` are not passed on.

use std::fmt;
use std::future::Future;
use std::marker::PhantomPinned;
use std::pin::Pin;
use std::ops::Deref;
use std::ptr::NonNull;
// `notified_owned` takes the caller's `std::sync::Arc` (an `Arc<Self>`
// receiver must be a std smart pointer, also under loom).
use std::sync::Arc;
use std::task::{ready, Context, Poll, Waker};

use weft_scheduler::coop;

use crate::loom::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use crate::loom::sync::MutexGuard;
use crate::sync::util::lazy_mutex::LazyMutex;
use crate::sync::util::wake_list::WakeList;
use crate::sync::wait_list::{Node, WaitList};

const EMPTY: usize = 0;
const WAITING: usize = 1;
const NOTIFIED: usize = 2;
const MODE: usize = 0b11;
const CALL: usize = 0b100;

fn mode(state: usize) -> usize {
    state & MODE
}

fn with_mode(state: usize, mode: usize) -> usize {
    (state & !MODE) | mode
}

fn calls(state: usize) -> usize {
    state >> 2
}

/// Wakes one waiting task, or all of them, without passing data.
///
/// [`Notify::notify_one`] wakes the task that has waited longest; if none
/// waits, it stores a single permit, and the next
/// [`notified().await`](Notify::notified) returns at once. Several
/// `notify_one` calls with nobody waiting still store only one permit.
/// [`Notify::notify_waiters`] wakes every task waiting right now and
/// stores nothing.
///
/// # Examples
///
/// ```
/// use std::sync::Arc;
/// use weft::sync::Notify;
///
/// # weft::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
/// let notify = Arc::new(Notify::new());
/// let waiter = {
///     let notify = notify.clone();
///     weft::spawn(async move {
///         notify.notified().await;
///         "woken"
///     })
/// };
/// notify.notify_one();
/// assert_eq!(waiter.await.unwrap(), "woken");
/// # });
/// ```
pub struct Notify {
    state: AtomicUsize,
    waiters: LazyMutex<WaitList<Waiter>>,
}

/// Which end of the queue a single notification takes its waiter from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Strategy {
    Fifo,
    Lifo,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Notification {
    One(Strategy),
    All,
}

#[derive(Debug)]
struct Waiter {
    waker: Option<Waker>,
    notification: Option<Notification>,
}

impl Notify {
    /// A `Notify` with no stored permit.
    pub fn new() -> Self {
        Notify {
            state: AtomicUsize::new(EMPTY),
            waiters: LazyMutex::new(),
        }
    }

    /// A `Notify` usable in a `static`.
    ///
    /// # Examples
    ///
    /// ```
    /// use weft::sync::Notify;
    ///
    /// static READY: Notify = Notify::const_new();
    /// READY.notify_one();
    /// ```
    #[cfg(not(loom))]
    pub const fn const_new() -> Self {
        Notify {
            state: AtomicUsize::new(EMPTY),
            waiters: LazyMutex::new(),
        }
    }

    /// A future that completes when this `Notify` is notified.
    ///
    /// The future joins the queue when first polled (or
    /// [`enabled`](Notified::enable)); it also completes if
    /// [`notify_waiters`](Notify::notify_waiters) is called any time after
    /// `notified()` returned, even before the first poll.
    ///
    /// # Cancel safety
    ///
    /// Dropping the future gives up its place in the queue. If it was
    /// already picked by `notify_one`/`notify_last`, the notification goes
    /// to the next waiter, or is stored.
    pub fn notified(&self) -> Notified<'_> {
        Notified {
            inner: Waiting::new(self),
        }
    }

    /// [`Notify::notified`] for a `Notify` held in an `Arc`: the future
    /// keeps the `Notify` alive and borrows nothing, so it can be stored
    /// in a struct or moved into a spawned task.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::Arc;
    /// use weft::sync::Notify;
    ///
    /// # weft::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
    /// let notify = Arc::new(Notify::new());
    /// // Created before the task starts, so a `notify_waiters` from now on
    /// // reaches it.
    /// let notified = notify.clone().notified_owned();
    /// let waiter = weft::spawn(async move {
    ///     notified.await;
    ///     "woken"
    /// });
    /// notify.notify_waiters();
    /// assert_eq!(waiter.await.unwrap(), "woken");
    /// # });
    /// ```
    pub fn notified_owned(self: Arc<Self>) -> OwnedNotified {
        OwnedNotified {
            inner: Waiting::new(self),
        }
    }

    /// Wakes the task that has waited longest, or stores one permit for
    /// the next [`notified`](Notify::notified) if no task waits.
    ///
    /// # Examples
    ///
    /// ```
    /// # weft::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
    /// let notify = weft::sync::Notify::new();
    /// notify.notify_one();
    /// // The stored permit makes this return at once.
    /// notify.notified().await;
    /// # });
    /// ```
    pub fn notify_one(&self) {
        self.notify(Strategy::Fifo);
    }

    /// Like [`notify_one`](Notify::notify_one), but wakes the task that
    /// started waiting most recently.
    pub fn notify_last(&self) {
        self.notify(Strategy::Lifo);
    }

    /// Wakes every task waiting right now. Stores no permit: a task that
    /// starts waiting afterwards waits for the next notification.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::Arc;
    /// use weft::sync::Notify;
    ///
    /// # weft::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
    /// let notify = Arc::new(Notify::new());
    /// let a = notify.notified();
    /// let b = notify.notified();
    /// notify.notify_waiters();
    /// // Both were created before the call, so both complete.
    /// a.await;
    /// b.await;
    /// # });
    /// ```
    pub fn notify_waiters(&self) {
        // Nobody linked: bump the counter without the lock. A registration
        // racing this changes the word under the lock by CAS, so one of
        // the two CASes fails and looks again: the registrant then sees
        // the new count and completes, or this call sees `WAITING` and
        // takes the lock.
        let mut state = self.state.load(SeqCst);
        while mode(state) != WAITING {
            match self
                .state
                .compare_exchange(state, state + CALL, SeqCst, SeqCst)
            {
                Ok(_) => return,
                Err(actual) => state = actual,
            }
        }
        let mut waiters = self.waiters.lock();
        let state = self.state.load(SeqCst);
        if mode(state) != WAITING {
            // Nobody is linked; bumping the counter completes every
            // `Notified` created so far once it is polled.
            self.state.fetch_add(CALL, SeqCst);
            return;
        }
        let mut wakers = WakeList::new();
        while let Some(node) = waiters.pop_front() {
            // SAFETY: `node` was linked here and we hold the lock, so its
            // owner is still alive (wait-list invariant 3); the release is
            // our last access to it.
            wakers.push(unsafe {
                let waker = waiters.with_value(node, |w| {
                    w.notification = Some(Notification::All);
                    w.waker.take()
                });
                waiters.release(node);
                waker
            });
        }
        // In `WAITING` only lock holders change the word, so a store is safe.
        self.state.store(with_mode(state + CALL, EMPTY), SeqCst);
        drop(waiters);
        wakers.wake_all();
    }

    fn notify(&self, strategy: Strategy) {
        let mut state = self.state.load(SeqCst);
        while mode(state) != WAITING {
            // Mutant `notify_forgets_permit` (loom check only): with nobody
            // waiting, the notification is dropped instead of stored.
            if cfg!(weft_loom_mutant = "notify_forgets_permit") {
                return;
            }
            // Nobody waits: store the permit (at most one) without the lock.
            match self
                .state
                .compare_exchange(state, with_mode(state, NOTIFIED), SeqCst, SeqCst)
            {
                Ok(_) => return,
                Err(actual) => state = actual,
            }
        }
        let waiters = self.waiters.lock();
        let waker = self.notify_locked(waiters, strategy);
        if let Some(waker) = waker {
            waker.wake();
        }
    }

    /// One notification, with the lock held: to a waiter if there is one,
    /// else as the stored permit. Returns the waker to wake after unlocking
    /// (the guard is consumed, so the lock is already released).
    fn notify_locked(
        &self,
        mut waiters: MutexGuard<'_, WaitList<Waiter>>,
        strategy: Strategy,
    ) -> Option<Waker> {
        let mut state = self.state.load(SeqCst);
        loop {
            if mode(state) != WAITING {
                match self
                    .state
                    .compare_exchange(state, with_mode(state, NOTIFIED), SeqCst, SeqCst)
                {
                    Ok(_) => return None,
                    Err(actual) => state = actual,
                }
                continue;
            }
            let node = match strategy {
                Strategy::Fifo => waiters.pop_front(),
                Strategy::Lifo => waiters.pop_back(),
            }
            .expect("WAITING is only set while the list has waiters");
            // SAFETY: popped under the lock we still hold; the owner takes
            // this lock, or waits for the release, before it can go away.
            // The release is our last access to the node.
            let waker = unsafe {
                let waker = waiters.with_value(node, |w| {
                    w.notification = Some(Notification::One(strategy));
                    w.waker.take()
                });
                waiters.release(node);
                waker
            };
            if waiters.is_empty() {
                self.state.store(with_mode(state, EMPTY), SeqCst);
            }
            return waker;
        }
    }
}

impl Default for Notify {
    fn default() -> Self {
        Notify::new()
    }
}

impl fmt::Debug for Notify {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = self.state.load(SeqCst);
        f.debug_struct("Notify")
            .field("waiting", &(mode(state) == WAITING))
            .field("permit", &(mode(state) == NOTIFIED))
            .finish()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum NotifiedState {
    /// Not yet in the queue.
    Init,
    /// Linked in the queue (or picked, but not yet seen by us).
    Waiting,
    /// Returned `Ready`.
    Done,
}

/// The future returned by [`Notify::notified`].
#[must_use = "futures do nothing unless awaited or polled"]
pub struct Notified<'a> {
    inner: Waiting<&'a Notify>,
}

/// The future returned by [`Notify::notified_owned`]: a [`Notified`] that
/// holds its `Notify` through an `Arc`.
#[must_use = "futures do nothing unless awaited or polled"]
pub struct OwnedNotified {
    inner: Waiting<Arc<Notify>>,
}

/// What both futures are: a place in the queue of the `Notify` that `N`
/// reaches.
struct Waiting<N: Deref<Target = Notify>> {
    notify: N,
    state: NotifiedState,
    /// `notify_waiters` calls counted when this future was created.
    calls: usize,
    node: Node<Waiter>,
    _pinned: PhantomPinned,
}

impl<N: Deref<Target = Notify>> Waiting<N> {
    fn new(notify: N) -> Self {
        let calls = calls(notify.state.load(SeqCst));
        Waiting {
            notify,
            state: NotifiedState::Init,
            calls,
            node: Node::new(Waiter {
                waker: None,
                notification: None,
            }),
            _pinned: PhantomPinned,
        }
    }
}

impl<'a> Notified<'a> {
    /// Joins the queue without waiting yet, so a `notify_one` from now on
    /// reaches this future even before it is first polled. Returns `true`
    /// if it is already notified.
    ///
    /// Use it to check a condition without missing a wake-up: enable,
    /// check, then await.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::pin::pin;
    /// use std::sync::atomic::{AtomicBool, Ordering};
    /// use weft::sync::Notify;
    ///
    /// # weft::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
    /// let notify = Notify::new();
    /// let flag = AtomicBool::new(false);
    ///
    /// let mut notified = pin!(notify.notified());
    /// assert!(!notified.as_mut().enable());
    /// // A notification from here on is not lost, even though the future
    /// // has not been polled.
    /// flag.store(true, Ordering::SeqCst);
    /// notify.notify_one();
    /// if !flag.load(Ordering::SeqCst) {
    ///     notified.as_mut().await;
    /// }
    /// assert!(notified.enable());
    /// # });
    /// ```
    pub fn enable(self: Pin<&mut Self>) -> bool {
        self.poll_notified(None).is_ready()
    }

    /// Polls without charging the coop budget; `waker` is `None` for
    /// [`Notified::enable`].
    pub(crate) fn poll_notified(self: Pin<&mut Self>, waker: Option<&Waker>) -> Poll<()> {
        self.waiting().poll_notified(waker)
    }

    /// Polls without charging the coop budget, like `poll_notified`, but
    /// returns `None` instead of waiting when the first poll finds the
    /// waiter lock held (by a `notify_waiters` draining the queue, say).
    /// Nothing has changed then: the future is still unregistered, and
    /// the caller may drop it and wait somewhere else.
    pub(crate) fn try_poll_notified(self: Pin<&mut Self>, waker: &Waker) -> Option<Poll<()>> {
        self.waiting().poll_with(Some(waker), LockWait::Try)
    }

    fn waiting(self: Pin<&mut Self>) -> Pin<&mut Waiting<&'a Notify>> {
        // SAFETY: `inner` is pinned with the future: it is never moved out
        // of or replaced, and `Notified` has no `Drop` of its own.
        unsafe { self.map_unchecked_mut(|this| &mut this.inner) }
    }
}

impl OwnedNotified {
    /// [`Notified::enable`] for the owned future: joins the queue without
    /// waiting yet and returns `true` if already notified.
    pub fn enable(self: Pin<&mut Self>) -> bool {
        self.waiting().poll_notified(None).is_ready()
    }

    fn waiting(self: Pin<&mut Self>) -> Pin<&mut Waiting<Arc<Notify>>> {
        // SAFETY: as in `Notified::waiting`: `inner` is structurally
        // pinned and `OwnedNotified` has no `Drop` of its own.
        unsafe { self.map_unchecked_mut(|this| &mut this.inner) }
    }
}

impl<N: Deref<Target = Notify>> Waiting<N> {
    fn poll_notified(self: Pin<&mut Self>, waker: Option<&Waker>) -> Poll<()> {
        match self.poll_with(waker, LockWait::Block) {
            Some(poll) => poll,
            None => unreachable!("a blocking lock is never busy"),
        }
    }

    /// Polls once with the coop budget charged: both futures' `poll`.
    fn poll_budgeted(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let restore = ready!(coop::poll_proceed(cx));
        let poll = self.poll_notified(Some(cx.waker()));
        if poll.is_ready() {
            restore.made_progress();
        }
        poll
    }

    fn poll_with(self: Pin<&mut Self>, waker: Option<&Waker>, wait: LockWait) -> Option<Poll<()>> {
        // SAFETY: nothing is moved out of or replaced through `this`: the
        // node stays where it was linked, and `notify` is only read.
        let this = unsafe { self.get_unchecked_mut() };
        let node = NonNull::from(&this.node);
        let notify = &*this.notify;
        Some(match this.state {
            NotifiedState::Done => Poll::Ready(()),
            NotifiedState::Init => match notify.poll_first(node, this.calls, waker, wait) {
                First::Done => {
                    this.state = NotifiedState::Done;
                    Poll::Ready(())
                }
                First::Linked => {
                    this.state = NotifiedState::Waiting;
                    Poll::Pending
                }
                First::Busy => return None,
            },
            NotifiedState::Waiting => {
                if notify.poll_waiting(node, waker) {
                    this.state = NotifiedState::Done;
                    Poll::Ready(())
                } else {
                    Poll::Pending
                }
            }
        })
    }
}

/// Whether a first poll waits for the waiter lock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum LockWait {
    Block,
    Try,
}

/// What a first poll did.
enum First {
    /// Took the permit or saw a newer `notify_waiters`.
    Done,
    /// Linked the node; a notification will release it.
    Linked,
    /// The lock was held and the caller asked not to wait: nothing done.
    Busy,
}

impl Notify {
    /// First poll: take the permit, or see a newer `notify_waiters`, or
    /// link the node.
    fn poll_first(
        &self,
        node: NonNull<Node<Waiter>>,
        created_calls: usize,
        waker: Option<&Waker>,
        wait: LockWait,
    ) -> First {
        let mut state = self.state.load(SeqCst);
        if calls(state) != created_calls {
            return First::Done;
        }
        if mode(state) == NOTIFIED
            && self
                .state
                .compare_exchange(state, with_mode(state, EMPTY), SeqCst, SeqCst)
                .is_ok()
        {
            return First::Done;
        }
        let mut waiters = match wait {
            LockWait::Block => self.waiters.lock(),
            LockWait::Try => match self.waiters.try_lock() {
                Some(waiters) => waiters,
                None => return First::Busy,
            },
        };
        state = self.state.load(SeqCst);
        loop {
            if calls(state) != created_calls {
                return First::Done;
            }
            let (next, done) = match mode(state) {
                NOTIFIED => (with_mode(state, EMPTY), true),
                EMPTY => (with_mode(state, WAITING), false),
                _ => break,
            };
            match self.state.compare_exchange(state, next, SeqCst, SeqCst) {
                Ok(_) if done => return First::Done,
                Ok(_) => break,
                Err(actual) => state = actual,
            }
        }
        // SAFETY: we own `node`, which is in no list yet; the lock is held.
        unsafe {
            waiters.with_value(node, |w| w.waker = waker.cloned());
            // SAFETY: the node lives in a pinned `Notified` whose `Drop`
            // unlinks it under this lock.
            waiters.push_back(node);
        }
        First::Linked
    }

    /// Later polls: done once our node carries a notification.
    fn poll_waiting(&self, node: NonNull<Node<Waiter>>, waker: Option<&Waker>) -> bool {
        // SAFETY: we own `node`; `is_released` only reads its atomic flag.
        if unsafe { node.as_ref() }.is_released() {
            return true;
        }
        let mut waiters = self.waiters.lock();
        // SAFETY: we own `node` (linked here or nowhere) and hold the lock.
        unsafe {
            waiters.with_value(node, |w| {
                if w.notification.is_some() {
                    return true;
                }
                if let Some(waker) = waker {
                    match &w.waker {
                        Some(old) if old.will_wake(waker) => {}
                        _ => w.waker = Some(waker.clone()),
                    }
                }
                false
            })
        }
    }

    /// A waiting `Notified` went away.
    fn cancel(&self, node: NonNull<Node<Waiter>>) {
        let mut waiters = self.waiters.lock();
        // SAFETY: we own `node` (linked here or nowhere) and hold the lock.
        let notification = unsafe {
            waiters.remove(node);
            waiters.with_value(node, |w| w.notification)
        };
        if waiters.is_empty() {
            let state = self.state.load(SeqCst);
            if mode(state) == WAITING {
                self.state.store(with_mode(state, EMPTY), SeqCst);
            }
        }
        if let Some(Notification::One(strategy)) = notification {
            // We were picked but never returned `Ready`: pass it on.
            if let Some(waker) = self.notify_locked(waiters, strategy) {
                waker.wake();
            }
        }
    }
}

impl Future for Notified<'_> {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        self.waiting().poll_budgeted(cx)
    }
}

impl Future for OwnedNotified {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        self.waiting().poll_budgeted(cx)
    }
}

impl<N: Deref<Target = Notify>> Drop for Waiting<N> {
    fn drop(&mut self) {
        if self.state == NotifiedState::Waiting {
            // Drop runs in place, so the node is where it was linked.
            self.notify.cancel(NonNull::from(&self.node));
        }
    }
}

impl fmt::Debug for Notified<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Notified")
            .field("state", &self.inner.state)
            .finish()
    }
}

impl fmt::Debug for OwnedNotified {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OwnedNotified")
            .field("state", &self.inner.state)
            .finish()
    }
}

#[cfg(test)]
mod tests;
