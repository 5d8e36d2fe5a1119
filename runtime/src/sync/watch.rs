//! A channel that holds one value: receivers see the latest.
//!
//! The [`Sender`] replaces the value; each [`Receiver`] can read it at any
//! time and wait for it to change. Receivers do not see every
//! intermediate value, only the latest one: a fit for configuration,
//! state snapshots or shutdown flags.
//!
//! Each receiver remembers the version it saw last. [`Receiver::changed`]
//! returns once the channel's version differs, and
//! [`Receiver::borrow_and_update`] marks the current version as seen.
//!
//! # Examples
//!
//! ```
//! use weft::sync::watch;
//!
//! # weft::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
//! let (tx, mut rx) = watch::channel("starting");
//! weft::spawn(async move {
//!     tx.send("running").unwrap();
//! });
//! rx.changed().await.unwrap();
//! assert_eq!(*rx.borrow_and_update(), "running");
//! # });
//! ```
//!
//! # Design
//!
//! The value sits behind a reader-writer lock; a version counter (shifted
//! left by one, with a `CLOSED` bit for "all senders gone") is bumped
//! while the write lock is held, so a reader under the read lock sees a
//! version that matches the value. Changes wake receivers through a
//! [`Notify`]'s `notify_waiters`; a receiver creates its `Notified` before
//! checking the version, so a change between the check and the wait is
//! not lost.

use std::fmt;
use std::future::poll_fn;
use std::ops::Deref;
use std::pin::pin;
use std::task::{ready, Poll};

use crossbeam_utils::CachePadded;
use weft_scheduler::coop;

use crate::loom::sync::atomic::{AtomicUsize, Ordering};
use crate::loom::sync::Arc;
use crate::sync::notify::Notify;
use crate::sync::util::blocking_rwlock::{ReadGuard, RwLock};
use crate::sync::util::coop::cooperative;

/// Error types of the watch channel.
pub mod error {
    use std::fmt;

    /// Every receiver is gone; the value that was not sent is inside.
    #[derive(PartialEq, Eq, Clone, Copy)]
    pub struct SendError<T>(pub T);

    impl<T> fmt::Debug for SendError<T> {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.debug_struct("SendError").finish_non_exhaustive()
        }
    }

    impl<T> fmt::Display for SendError<T> {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("channel closed: no receiver is left")
        }
    }

    impl<T> std::error::Error for SendError<T> {}

    /// Every sender is gone and the last value was already seen.
    #[derive(Debug, PartialEq, Eq, Clone, Copy)]
    pub struct RecvError(pub(super) ());

    impl fmt::Display for RecvError {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("channel closed: every sender was dropped")
        }
    }

    impl std::error::Error for RecvError {}
}

use self::error::{RecvError, SendError};

const CLOSED: usize = 1;
const VERSION_STEP: usize = 2;

struct Shared<T> {
    value: RwLock<T>,
    /// `version << 1 | CLOSED`.
    state: AtomicUsize,
    receivers: AtomicUsize,
    senders: AtomicUsize,
    /// Receivers waiting for a change (or for the close), spread over
    /// shards: each thread waits on its own shard (see `shard`), so
    /// receivers on different workers do not take one waiter lock in
    /// turn; a change notifies every shard.
    changed: [CachePadded<Notify>; SHARDS],
    /// Senders waiting for the last receiver to go.
    receivers_gone: Notify,
}

/// Shards of the receivers' waiter list. (Two under loom: enough to run
/// the multi-shard paths, few enough to keep the models small.)
#[cfg(not(loom))]
const SHARDS: usize = 8;
#[cfg(loom)]
const SHARDS: usize = 2;

/// The shard this thread waits on. Any shard is correct (a change
/// notifies them all); one per thread keeps workers apart. The counter is
/// only a placement hint, not part of any protocol.
#[cfg(not(loom))]
fn shard(_seen: usize) -> usize {
    use std::cell::Cell;
    use std::sync::atomic::{AtomicUsize as HintCounter, Ordering as HintOrdering};

    static NEXT: HintCounter = HintCounter::new(0);
    std::thread_local! {
        static SHARD: Cell<usize> = const { Cell::new(usize::MAX) };
    }
    SHARD.with(|shard| {
        if shard.get() == usize::MAX {
            shard.set(NEXT.fetch_add(1, HintOrdering::Relaxed) % SHARDS);
        }
        shard.get()
    })
}

/// Under loom: a choice that depends only on the model's own execution
/// (the version seen), so every run of a model is reproducible.
#[cfg(loom)]
fn shard(seen: usize) -> usize {
    (seen / VERSION_STEP) % SHARDS
}

impl<T> Shared<T> {
    /// Wakes every waiting receiver (every shard).
    fn notify_changed(&self) {
        for shard in &self.changed {
            shard.notify_waiters();
        }
    }

    fn version(&self) -> usize {
        self.state.load(Ordering::Acquire) & !CLOSED
    }

    fn is_closed(&self) -> bool {
        self.state.load(Ordering::Acquire) & CLOSED != 0
    }
}

/// Replaces the channel's value; created by [`channel`]. Cloneable: the
/// channel closes when the last sender is dropped.
pub struct Sender<T> {
    shared: Arc<Shared<T>>,
}

/// Reads the channel's value and waits for changes; created by
/// [`channel`] or [`Sender::subscribe`]. Cloning gives a receiver that has
/// seen the same version.
pub struct Receiver<T> {
    shared: Arc<Shared<T>>,
    /// The version this receiver saw last.
    version: usize,
}

/// A read borrow of the value. While it lives, the sender cannot replace
/// the value, so keep it short and never hold it across an `.await`.
pub struct Ref<'a, T> {
    guard: ReadGuard<'a, T>,
    has_changed: bool,
}

impl<T> Ref<'_, T> {
    /// True if the value was unseen by the receiver when borrowed (always
    /// false for [`Sender::borrow`] and [`Receiver::borrow`] called after
    /// an update).
    pub fn has_changed(&self) -> bool {
        self.has_changed
    }
}

impl<T> Deref for Ref<'_, T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.guard
    }
}

impl<T: fmt::Debug> fmt::Debug for Ref<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&**self, f)
    }
}

/// Creates a watch channel holding `init`.
///
/// # Examples
///
/// ```
/// let (tx, rx) = weft::sync::watch::channel(1);
/// tx.send(2).unwrap();
/// assert_eq!(*rx.borrow(), 2);
/// ```
pub fn channel<T>(init: T) -> (Sender<T>, Receiver<T>) {
    let shared = Arc::new(Shared {
        value: RwLock::new(init),
        state: AtomicUsize::new(0),
        receivers: AtomicUsize::new(1),
        senders: AtomicUsize::new(1),
        changed: std::array::from_fn(|_| CachePadded::new(Notify::new())),
        receivers_gone: Notify::new(),
    });
    (
        Sender {
            shared: shared.clone(),
        },
        Receiver { shared, version: 0 },
    )
}

impl<T> Sender<T> {
    /// A sender with no receiver yet; [`Sender::subscribe`] adds them.
    pub fn new(init: T) -> Self {
        let (tx, rx) = channel(init);
        drop(rx);
        tx
    }

    /// Replaces the value and notifies receivers.
    ///
    /// # Errors
    ///
    /// [`SendError`] holding `value` when no receiver exists (the value
    /// is not stored then).
    pub fn send(&self, value: T) -> Result<(), SendError<T>> {
        if self.receiver_count() == 0 {
            return Err(SendError(value));
        }
        self.send_replace(value);
        Ok(())
    }

    /// Replaces the value whether or not receivers exist, notifies them,
    /// and returns the old value.
    ///
    /// # Examples
    ///
    /// ```
    /// let tx = weft::sync::watch::Sender::new(1);
    /// assert_eq!(tx.send_replace(2), 1);
    /// assert_eq!(*tx.borrow(), 2);
    /// ```
    pub fn send_replace(&self, value: T) -> T {
        let mut value = Some(value);
        let mut old = None;
        self.send_if_modified(|current| {
            old = Some(std::mem::replace(
                current,
                value.take().expect("the closure runs once"),
            ));
            true
        });
        old.expect("the closure runs once")
    }

    /// Changes the value in place and notifies receivers.
    ///
    /// # Examples
    ///
    /// ```
    /// let (tx, rx) = weft::sync::watch::channel(vec![1]);
    /// tx.send_modify(|v| v.push(2));
    /// assert_eq!(*rx.borrow(), [1, 2]);
    /// ```
    pub fn send_modify<F: FnOnce(&mut T)>(&self, modify: F) {
        self.send_if_modified(|value| {
            modify(value);
            true
        });
    }

    /// Runs `modify` on the value; if it returns `true`, receivers are
    /// notified of a change. Returns what `modify` returned.
    ///
    /// If `modify` panics, the lock is released and receivers are not
    /// notified; what `modify` already changed stays changed.
    ///
    /// # Examples
    ///
    /// ```
    /// let (tx, rx) = weft::sync::watch::channel(0);
    /// assert!(!tx.send_if_modified(|_| false));
    /// assert!(!rx.has_changed().unwrap());
    /// assert!(tx.send_if_modified(|v| { *v = 1; true }));
    /// assert!(rx.has_changed().unwrap());
    /// ```
    pub fn send_if_modified<F: FnOnce(&mut T) -> bool>(&self, modify: F) -> bool {
        {
            let mut value = self.shared.value.write();
            if !modify(&mut value) {
                return false;
            }
            // Bumped under the write lock so readers see value and
            // version together.
            self.shared.state.fetch_add(VERSION_STEP, Ordering::Release);
        }
        self.shared.notify_changed();
        true
    }

    /// A read borrow of the current value.
    pub fn borrow(&self) -> Ref<'_, T> {
        Ref {
            guard: self.shared.value.read(shard(0)),
            has_changed: false,
        }
    }

    /// True when no receiver exists.
    pub fn is_closed(&self) -> bool {
        self.receiver_count() == 0
    }

    /// Waits until no receiver exists.
    ///
    /// # Examples
    ///
    /// ```
    /// # weft::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
    /// let (tx, rx) = weft::sync::watch::channel(());
    /// weft::spawn(async move { drop(rx) });
    /// tx.closed().await;
    /// assert!(tx.is_closed());
    /// # });
    /// ```
    pub async fn closed(&self) {
        cooperative(async {
            loop {
                let mut notified = pin!(self.shared.receivers_gone.notified());
                notified.as_mut().enable();
                if self.receiver_count() == 0 {
                    return;
                }
                poll_fn(|cx| notified.as_mut().poll_notified(Some(cx.waker()))).await;
            }
        })
        .await;
    }

    /// A new receiver that has seen the current value.
    pub fn subscribe(&self) -> Receiver<T> {
        self.shared.receivers.fetch_add(1, Ordering::AcqRel);
        Receiver {
            shared: self.shared.clone(),
            version: self.shared.version(),
        }
    }

    /// Receivers alive.
    pub fn receiver_count(&self) -> usize {
        self.shared.receivers.load(Ordering::Acquire)
    }

    /// Senders alive.
    pub fn sender_count(&self) -> usize {
        self.shared.senders.load(Ordering::Acquire)
    }

    /// True if both senders belong to the same channel.
    pub fn same_channel(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.shared, &other.shared)
    }
}

impl<T> Clone for Sender<T> {
    fn clone(&self) -> Self {
        self.shared.senders.fetch_add(1, Ordering::Relaxed);
        Sender {
            shared: self.shared.clone(),
        }
    }
}

impl<T> Drop for Sender<T> {
    fn drop(&mut self) {
        if self.shared.senders.fetch_sub(1, Ordering::AcqRel) == 1 {
            self.shared.state.fetch_or(CLOSED, Ordering::AcqRel);
            self.shared.notify_changed();
        }
    }
}

impl<T: fmt::Debug> fmt::Debug for Sender<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sender")
            .field("receivers", &self.receiver_count())
            .finish()
    }
}

impl<T> Receiver<T> {
    /// A read borrow of the current value; does not mark it seen.
    pub fn borrow(&self) -> Ref<'_, T> {
        let guard = self.shared.value.read(shard(self.version));
        let has_changed = self.shared.version() != self.version;
        Ref { guard, has_changed }
    }

    /// A read borrow of the current value, marking it seen.
    ///
    /// # Examples
    ///
    /// ```
    /// let (tx, mut rx) = weft::sync::watch::channel(1);
    /// tx.send(2).unwrap();
    /// assert!(rx.borrow_and_update().has_changed());
    /// assert!(!rx.borrow().has_changed());
    /// ```
    pub fn borrow_and_update(&mut self) -> Ref<'_, T> {
        let guard = self.shared.value.read(shard(self.version));
        let version = self.shared.version();
        let has_changed = version != self.version;
        self.version = version;
        Ref { guard, has_changed }
    }

    /// True if the value changed since this receiver last marked it seen.
    ///
    /// # Errors
    ///
    /// [`RecvError`] once every sender is gone.
    pub fn has_changed(&self) -> Result<bool, RecvError> {
        if self.shared.is_closed() {
            return Err(RecvError(()));
        }
        Ok(self.shared.version() != self.version)
    }

    /// Makes the current value count as unseen.
    pub fn mark_changed(&mut self) {
        self.version = self.shared.version().wrapping_sub(VERSION_STEP);
    }

    /// Makes the current value count as seen.
    pub fn mark_unchanged(&mut self) {
        self.version = self.shared.version();
    }

    /// Waits for a value this receiver has not seen, and marks it seen.
    ///
    /// # Errors
    ///
    /// [`RecvError`] once every sender is gone and the last value was
    /// already seen.
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: dropping the future leaves the seen version as it was.
    ///
    /// # Examples
    ///
    /// ```
    /// # weft::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
    /// let (tx, mut rx) = weft::sync::watch::channel(0);
    /// tx.send(1).unwrap();
    /// rx.changed().await.unwrap();
    /// drop(tx);
    /// assert!(rx.changed().await.is_err());
    /// # });
    /// ```
    pub async fn changed(&mut self) -> Result<(), RecvError> {
        changed_inner(&self.shared, &mut self.version, true).await
    }

    /// Waits until `f` accepts the value, checking the current value
    /// first, then each new one; returns a borrow of the accepted value,
    /// which is marked seen.
    ///
    /// # Errors
    ///
    /// [`RecvError`] if every sender is gone before an accepted value.
    ///
    /// # Examples
    ///
    /// ```
    /// # weft::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
    /// let (tx, mut rx) = weft::sync::watch::channel(0);
    /// weft::spawn(async move {
    ///     for i in 1..=5 {
    ///         tx.send(i).unwrap();
    ///     }
    /// });
    /// assert_eq!(*rx.wait_for(|v| *v == 5).await.unwrap(), 5);
    /// # });
    /// ```
    pub async fn wait_for(&mut self, f: impl FnMut(&T) -> bool) -> Result<Ref<'_, T>, RecvError> {
        cooperative(self.wait_for_inner(f)).await
    }

    async fn wait_for_inner(
        &mut self,
        mut f: impl FnMut(&T) -> bool,
    ) -> Result<Ref<'_, T>, RecvError> {
        let shared: &Shared<T> = &self.shared;
        let seen = &mut self.version;
        let seen_before = *seen;
        let mut closed = false;
        loop {
            let guard = shared.value.read(shard(*seen));
            let version = shared.version();
            // New since the last look (after a close, only a new value
            // is worth another call of `f`).
            let fresh = version != *seen;
            // Unseen relative to what the receiver knew when it started.
            let has_changed = version != seen_before;
            *seen = version;
            if (!closed || fresh) && f(&guard) {
                return Ok(Ref { guard, has_changed });
            }
            drop(guard);
            if closed {
                return Err(RecvError(()));
            }
            closed = changed_inner(shared, seen, false).await.is_err();
        }
    }

    /// True if both receivers belong to the same channel.
    pub fn same_channel(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.shared, &other.shared)
    }
}

/// Waits for a version other than `*seen` (or the close) and records it.
///
/// With `charge`, each poll first asks the coop budget (and yields when it
/// is spent), and seeing a change spends one unit: what `cooperative`
/// does, written in here so the future stays small (`changed` is awaited
/// in loops, and a wrapper future cost a copy of this one per call).
async fn changed_inner<T>(
    shared: &Shared<T>,
    seen: &mut usize,
    charge: bool,
) -> Result<(), RecvError> {
    let mut shard = shard(*seen);
    // Whether a registration may still move to another shard when its
    // shard's lock is held: once only, then it waits for the lock, so
    // the loop is bounded.
    let mut may_move = true;
    loop {
        // `notified()` records how many `notify_waiters` calls happened so
        // far (a SeqCst read of the counter the sender bumps after it
        // stores the new version), so a change between here and the
        // version check below is seen without registering first: no
        // `enable()`, which would take the waiter lock on every wait.
        // Mutant for the loom check: the version is read before the
        // `Notified` records the call count, so a send in between is seen
        // by neither.
        let mut early = cfg!(weft_loom_mutant = "watch_changed_listens_late")
            .then(|| shared.state.load(Ordering::Acquire));
        let mut notified = pin!(shared.changed[shard].notified());
        // Whether `notified` is in the shard's queue.
        let mut registered = false;
        let step = poll_fn(|cx| {
            let restore = if charge {
                Some(ready!(coop::poll_proceed(cx)))
            } else {
                None
            };
            if registered {
                // Polled to completion, so its drop has nothing to unlink.
                ready!(notified.as_mut().poll_notified(Some(cx.waker())));
            }
            let state = early
                .take()
                .unwrap_or_else(|| shared.state.load(Ordering::Acquire));
            let version = state & !CLOSED;
            let outcome = if version != *seen {
                *seen = version;
                Ok(())
            } else if state & CLOSED != 0 {
                Err(RecvError(()))
            } else if registered {
                // Woken, but the version is the one we saw: a wake-up
                // for a send that we had already seen. Wait afresh.
                return Poll::Ready(Step::Again);
            } else {
                // A send drains the shards one by one, holding each one's
                // lock while it unlinks every waiter there. A receiver
                // whose shard is being drained does not queue behind
                // that: it drops this (unregistered) `Notified` and goes
                // round again on the shard before, which the send has
                // already passed. Every shard hears every change, so any
                // shard is correct.
                let polled = if may_move {
                    notified.as_mut().try_poll_notified(cx.waker())
                } else {
                    Some(notified.as_mut().poll_notified(Some(cx.waker())))
                };
                return match polled {
                    Some(Poll::Pending) => {
                        registered = true;
                        Poll::Pending
                    }
                    Some(Poll::Ready(())) => Poll::Ready(Step::Again),
                    None => Poll::Ready(Step::MoveShard),
                };
            };
            if let Some(restore) = restore {
                restore.made_progress();
            }
            Poll::Ready(Step::Done(outcome))
        })
        .await;
        match step {
            Step::Done(outcome) => return outcome,
            Step::Again => {}
            Step::MoveShard => {
                shard = (shard + SHARDS - 1) % SHARDS;
                may_move = false;
            }
        }
    }
}

/// What one round of `changed_inner` found.
enum Step {
    /// A new version or the close.
    Done(Result<(), RecvError>),
    /// Notified: look at the version again.
    Again,
    /// The shard's lock was held: wait on another shard.
    MoveShard,
}

impl<T> Clone for Receiver<T> {
    fn clone(&self) -> Self {
        self.shared.receivers.fetch_add(1, Ordering::AcqRel);
        Receiver {
            shared: self.shared.clone(),
            version: self.version,
        }
    }
}

impl<T> Drop for Receiver<T> {
    fn drop(&mut self) {
        if self.shared.receivers.fetch_sub(1, Ordering::AcqRel) == 1 {
            self.shared.receivers_gone.notify_waiters();
        }
    }
}

impl<T: fmt::Debug> fmt::Debug for Receiver<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Receiver")
            .field("version", &self.version)
            .finish()
    }
}
