//! The bounded channel: senders wait when `buffer` messages are queued.

use std::fmt;
use std::future::poll_fn;
use std::task::{Context, Poll};
use std::time::Duration;

use super::chan::{self, Bounded, Semaphore as _};
use super::error::{SendError, SendTimeoutError, TryRecvError, TrySendError};
use crate::sync::batch_semaphore::{self, TryAcquireError};
use crate::sync::util::block_on::block_on;

/// Sends messages into a bounded channel; cloneable.
///
/// Created by [`channel`]. The channel closes for receiving once every
/// `Sender` (and every permit) is dropped.
pub struct Sender<T> {
    chan: chan::Tx<T, Bounded>,
}

/// A sender that does not keep the channel open; see
/// [`Sender::downgrade`].
pub struct WeakSender<T> {
    chan: chan::WeakTx<T, Bounded>,
}

/// Receives messages from a bounded channel.
///
/// Created by [`channel`].
pub struct Receiver<T> {
    chan: chan::Rx<T, Bounded>,
}

/// A reserved slot in the channel; [`Permit::send`] fills it without
/// waiting. Dropping an unused permit gives the slot back.
#[must_use = "dropping the permit at once gives the slot back"]
pub struct Permit<'a, T> {
    chan: &'a chan::Tx<T, Bounded>,
}

/// `n` reserved slots, handed out one [`Permit`] at a time; see
/// [`Sender::reserve_many`]. Dropping the iterator gives back the slots it
/// has not handed out.
#[must_use = "dropping the iterator at once gives the slots back"]
pub struct PermitIterator<'a, T> {
    chan: &'a chan::Tx<T, Bounded>,
    /// Slots not yet handed out.
    n: usize,
}

/// A reserved slot that owns its sender; see [`Sender::reserve_owned`].
#[must_use = "dropping the permit at once gives the slot back"]
pub struct OwnedPermit<T> {
    /// `None` once used.
    chan: Option<chan::Tx<T, Bounded>>,
}

/// Creates a bounded channel that holds at most `buffer` messages.
///
/// When the channel is full, [`Sender::send`] waits for the receiver to
/// take a message, which gives back-pressure: a fast producer cannot run
/// ahead of a slow consumer by more than `buffer` messages.
///
/// # Panics
///
/// If `buffer` is 0, or larger than `Semaphore::MAX_PERMITS`
/// (`usize::MAX >> 3`).
///
/// # Examples
///
/// ```
/// use weft::sync::mpsc;
///
/// # weft::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
/// let (tx, mut rx) = mpsc::channel(16);
/// for i in 0..3 {
///     let tx = tx.clone();
///     weft::spawn(async move {
///         tx.send(i).await.unwrap();
///     });
/// }
/// drop(tx);
/// let mut got = Vec::new();
/// while let Some(i) = rx.recv().await {
///     got.push(i);
/// }
/// got.sort();
/// assert_eq!(got, [0, 1, 2]);
/// # });
/// ```
pub fn channel<T>(buffer: usize) -> (Sender<T>, Receiver<T>) {
    assert!(buffer > 0, "mpsc bounded channel requires buffer > 0");
    let semaphore = Bounded {
        semaphore: batch_semaphore::Semaphore::new(buffer),
        bound: buffer,
    };
    let (tx, rx) = chan::channel(semaphore);
    (Sender { chan: tx }, Receiver { chan: rx })
}

impl<T> Sender<T> {
    /// Sends `value`, waiting for a free slot if the channel is full.
    ///
    /// # Errors
    ///
    /// [`SendError`] holding `value` if the receiver is closed or dropped.
    ///
    /// # Cancel safety
    ///
    /// If the future is dropped before it completes, the value was not
    /// sent, and the place in the queue of waiting senders is given up.
    /// Use [`Sender::reserve`] to wait for capacity without giving the
    /// value away.
    ///
    /// # Examples
    ///
    /// ```
    /// use weft::sync::mpsc;
    ///
    /// # weft::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
    /// let (tx, mut rx) = mpsc::channel(1);
    /// tx.send("a").await.unwrap();
    /// assert_eq!(rx.recv().await, Some("a"));
    /// drop(rx);
    /// assert_eq!(tx.send("b").await.unwrap_err().0, "b");
    /// # });
    /// ```
    pub async fn send(&self, value: T) -> Result<(), SendError<T>> {
        match self.reserve().await {
            Ok(permit) => {
                permit.send(value);
                Ok(())
            }
            Err(_) => Err(SendError(value)),
        }
    }

    /// Sends `value` if a slot is free right now.
    ///
    /// # Errors
    ///
    /// [`TrySendError::Full`] when the channel is full,
    /// [`TrySendError::Closed`] when the receiver is gone; both hold
    /// `value`.
    ///
    /// # Examples
    ///
    /// ```
    /// use weft::sync::mpsc::{self, error::TrySendError};
    ///
    /// let (tx, mut rx) = mpsc::channel(1);
    /// tx.try_send(1).unwrap();
    /// assert_eq!(tx.try_send(2), Err(TrySendError::Full(2)));
    /// assert_eq!(rx.try_recv(), Ok(1));
    /// ```
    pub fn try_send(&self, value: T) -> Result<(), TrySendError<T>> {
        match self.chan.semaphore().semaphore.try_acquire(1) {
            Ok(()) => {
                self.chan.send(value);
                Ok(())
            }
            Err(TryAcquireError::NoPermits) => Err(TrySendError::Full(value)),
            Err(TryAcquireError::Closed) => Err(TrySendError::Closed(value)),
        }
    }

    /// Like [`Sender::send`], but gives up when no slot frees up within
    /// `timeout`.
    ///
    /// # Errors
    ///
    /// [`SendTimeoutError::Timeout`] or [`SendTimeoutError::Closed`], both
    /// holding `value`.
    ///
    /// # Panics
    ///
    /// Outside a weft runtime with the timer enabled.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// use weft::sync::mpsc;
    ///
    /// # weft::runtime::Builder::new_current_thread().enable_time().build().unwrap().block_on(async {
    /// let (tx, _rx) = mpsc::channel(1);
    /// tx.send(1).await.unwrap();
    /// let err = tx.send_timeout(2, Duration::from_millis(10)).await.unwrap_err();
    /// assert!(err.is_timeout());
    /// assert_eq!(err.into_inner(), 2);
    /// # });
    /// ```
    pub async fn send_timeout(
        &self,
        value: T,
        timeout: Duration,
    ) -> Result<(), SendTimeoutError<T>> {
        match crate::time::timeout(timeout, self.reserve()).await {
            Ok(Ok(permit)) => {
                permit.send(value);
                Ok(())
            }
            Ok(Err(_)) => Err(SendTimeoutError::Closed(value)),
            Err(_) => Err(SendTimeoutError::Timeout(value)),
        }
    }

    /// [`Sender::send`] from synchronous code, parking the thread.
    ///
    /// # Errors
    ///
    /// As for [`Sender::send`].
    ///
    /// # Panics
    ///
    /// On a thread that drives weft tasks (a runtime worker, or inside
    /// `block_on`): blocking there would stall them. Use it from plain
    /// threads or `spawn_blocking`.
    ///
    /// # Examples
    ///
    /// ```
    /// use weft::sync::mpsc;
    ///
    /// let (tx, mut rx) = mpsc::channel(1);
    /// let producer = std::thread::spawn(move || {
    ///     tx.blocking_send(1).unwrap();
    ///     tx.blocking_send(2).unwrap();
    /// });
    /// assert_eq!(rx.blocking_recv(), Some(1));
    /// assert_eq!(rx.blocking_recv(), Some(2));
    /// producer.join().unwrap();
    /// ```
    pub fn blocking_send(&self, value: T) -> Result<(), SendError<T>> {
        block_on(self.send(value))
    }

    /// Waits for a free slot and reserves it.
    ///
    /// # Errors
    ///
    /// [`SendError`] if the receiver is closed or dropped.
    ///
    /// # Cancel safety
    ///
    /// Dropping the future gives up its place in the queue; a slot that
    /// was already granted to it is given back.
    ///
    /// # Examples
    ///
    /// ```
    /// use weft::sync::mpsc;
    ///
    /// # weft::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
    /// let (tx, mut rx) = mpsc::channel(1);
    /// let permit = tx.reserve().await.unwrap();
    /// // The slot is ours: this fails although nothing was sent yet.
    /// assert!(tx.try_send(2).is_err());
    /// permit.send(1);
    /// assert_eq!(rx.recv().await, Some(1));
    /// # });
    /// ```
    pub async fn reserve(&self) -> Result<Permit<'_, T>, SendError<()>> {
        self.chan
            .semaphore()
            .semaphore
            .acquire(1)
            .await
            .map_err(|_| SendError(()))?;
        Ok(Permit { chan: &self.chan })
    }

    /// Waits until `n` slots are free and reserves them all at once. The
    /// slots come out of the returned iterator as [`Permit`]s; those not
    /// taken go back to the channel when the iterator is dropped.
    ///
    /// Waiting for `n` slots keeps the sender's place in the queue, as for
    /// [`Sender::reserve`]: later senders do not overtake it.
    ///
    /// # Errors
    ///
    /// [`SendError`] if the receiver is closed or dropped, or if `n` is
    /// larger than the channel's [`max_capacity`](Sender::max_capacity)
    /// (such a reservation could never be served).
    ///
    /// # Cancel safety
    ///
    /// Dropping the future gives up its place in the queue; slots it had
    /// already been granted go back to the channel.
    ///
    /// # Examples
    ///
    /// ```
    /// use weft::sync::mpsc;
    ///
    /// # weft::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
    /// let (tx, mut rx) = mpsc::channel(4);
    /// let mut permits = tx.reserve_many(3).await.unwrap();
    /// // One slot is left for everyone else.
    /// assert_eq!(tx.capacity(), 1);
    /// permits.next().unwrap().send("a");
    /// permits.next().unwrap().send("b");
    /// // The third slot was never used: dropping the iterator returns it.
    /// drop(permits);
    /// assert_eq!(tx.capacity(), 2);
    /// assert_eq!(rx.recv().await, Some("a"));
    /// assert_eq!(rx.recv().await, Some("b"));
    /// # });
    /// ```
    pub async fn reserve_many(&self, n: usize) -> Result<PermitIterator<'_, T>, SendError<()>> {
        if n > self.max_capacity() {
            return Err(SendError(()));
        }
        // If the acquire fails or is cancelled after part of `n` was
        // granted, the semaphore takes that part back without telling the
        // receiver, which may be waiting for the last slot to return after
        // a close (a closed semaphore leaves partial grants with their
        // owners until they poll or drop). The guard tells it; on success
        // the iterator takes over. Loom model:
        // `mpsc_reserve_many_cancelled_while_the_receiver_closes`.
        struct WakeReceiver<'a, T>(&'a chan::Tx<T, Bounded>);
        impl<T> Drop for WakeReceiver<'_, T> {
            fn drop(&mut self) {
                let skip = cfg!(weft_loom_mutant = "mpsc_reserve_many_skips_wake");
                if !skip && self.0.semaphore().is_closed() {
                    self.0.wake_rx();
                }
            }
        }
        let guard = WakeReceiver(&self.chan);
        self.chan
            .semaphore()
            .semaphore
            .acquire(n)
            .await
            .map_err(|_| SendError(()))?;
        std::mem::forget(guard);
        Ok(PermitIterator { chan: &self.chan, n })
    }

    /// Like [`Sender::reserve`], but the permit owns the sender, so it can
    /// be moved into another task. [`OwnedPermit::send`] hands the sender
    /// back.
    ///
    /// # Errors
    ///
    /// [`SendError`] if the receiver is closed or dropped.
    pub async fn reserve_owned(self) -> Result<OwnedPermit<T>, SendError<()>> {
        self.chan
            .semaphore()
            .semaphore
            .acquire(1)
            .await
            .map_err(|_| SendError(()))?;
        Ok(OwnedPermit {
            chan: Some(self.chan),
        })
    }

    /// Reserves a slot if one is free right now.
    ///
    /// # Errors
    ///
    /// [`TrySendError::Full`] or [`TrySendError::Closed`], holding `()`.
    pub fn try_reserve(&self) -> Result<Permit<'_, T>, TrySendError<()>> {
        match self.chan.semaphore().semaphore.try_acquire(1) {
            Ok(()) => Ok(Permit { chan: &self.chan }),
            Err(TryAcquireError::NoPermits) => Err(TrySendError::Full(())),
            Err(TryAcquireError::Closed) => Err(TrySendError::Closed(())),
        }
    }

    /// Reserves `n` slots if they are all free right now; see
    /// [`Sender::reserve_many`].
    ///
    /// # Errors
    ///
    /// [`TrySendError::Closed`] if the receiver is closed or dropped;
    /// [`TrySendError::Full`] if fewer than `n` slots are free (or others
    /// wait first), or if `n` is larger than the channel's
    /// [`max_capacity`](Sender::max_capacity). Both hold `()`.
    ///
    /// # Examples
    ///
    /// ```
    /// use weft::sync::mpsc::{self, error::TrySendError};
    ///
    /// let (tx, _rx) = mpsc::channel::<u8>(2);
    /// let permits = tx.try_reserve_many(2).unwrap();
    /// assert_eq!(permits.len(), 2);
    /// assert!(matches!(tx.try_reserve_many(1), Err(TrySendError::Full(()))));
    /// ```
    pub fn try_reserve_many(&self, n: usize) -> Result<PermitIterator<'_, T>, TrySendError<()>> {
        if n > self.max_capacity() {
            return Err(TrySendError::Full(()));
        }
        match self.chan.semaphore().semaphore.try_acquire(n) {
            Ok(()) => Ok(PermitIterator { chan: &self.chan, n }),
            Err(TryAcquireError::NoPermits) => Err(TrySendError::Full(())),
            Err(TryAcquireError::Closed) => Err(TrySendError::Closed(())),
        }
    }

    /// [`Sender::try_reserve`] with an owned permit.
    ///
    /// # Errors
    ///
    /// [`TrySendError::Full`] or [`TrySendError::Closed`], holding the
    /// sender.
    pub fn try_reserve_owned(self) -> Result<OwnedPermit<T>, TrySendError<Self>> {
        match self.chan.semaphore().semaphore.try_acquire(1) {
            Ok(()) => Ok(OwnedPermit {
                chan: Some(self.chan),
            }),
            Err(TryAcquireError::NoPermits) => Err(TrySendError::Full(self)),
            Err(TryAcquireError::Closed) => Err(TrySendError::Closed(self)),
        }
    }

    /// Waits until the receiver is closed or dropped.
    ///
    /// # Examples
    ///
    /// ```
    /// use weft::sync::mpsc;
    ///
    /// # weft::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
    /// let (tx, rx) = mpsc::channel::<u8>(1);
    /// weft::spawn(async move { drop(rx) });
    /// tx.closed().await;
    /// assert!(tx.is_closed());
    /// # });
    /// ```
    pub async fn closed(&self) {
        self.chan.closed().await;
    }

    /// True once the receiver is closed or dropped.
    pub fn is_closed(&self) -> bool {
        self.chan.is_closed()
    }

    /// Free slots right now.
    ///
    /// # Examples
    ///
    /// ```
    /// let (tx, _rx) = weft::sync::mpsc::channel::<u8>(4);
    /// tx.try_send(1).unwrap();
    /// assert_eq!(tx.capacity(), 3);
    /// assert_eq!(tx.max_capacity(), 4);
    /// ```
    pub fn capacity(&self) -> usize {
        self.chan.semaphore().semaphore.available_permits()
    }

    /// The `buffer` the channel was created with.
    pub fn max_capacity(&self) -> usize {
        self.chan.semaphore().bound
    }

    /// A [`WeakSender`]: it does not keep the channel open, and can be
    /// upgraded back while some sender is alive.
    ///
    /// # Examples
    ///
    /// ```
    /// let (tx, _rx) = weft::sync::mpsc::channel::<u8>(1);
    /// let weak = tx.downgrade();
    /// assert!(weak.upgrade().is_some());
    /// drop(tx);
    /// assert!(weak.upgrade().is_none());
    /// ```
    pub fn downgrade(&self) -> WeakSender<T> {
        WeakSender {
            chan: self.chan.downgrade(),
        }
    }

    /// True if both senders feed the same channel.
    pub fn same_channel(&self, other: &Self) -> bool {
        self.chan.same_channel(&other.chan)
    }

    /// Senders (and owned permits) alive.
    pub fn strong_count(&self) -> usize {
        self.chan.strong_count()
    }

    /// Weak senders alive.
    pub fn weak_count(&self) -> usize {
        self.chan.weak_count()
    }
}

impl<T> Clone for Sender<T> {
    fn clone(&self) -> Self {
        Sender {
            chan: self.chan.clone(),
        }
    }
}

impl<T> fmt::Debug for Sender<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sender").field("chan", &self.chan).finish()
    }
}

impl<T> WeakSender<T> {
    /// A [`Sender`] again, or `None` if every sender is gone.
    pub fn upgrade(&self) -> Option<Sender<T>> {
        self.chan.upgrade().map(|chan| Sender { chan })
    }

    /// Senders alive.
    pub fn strong_count(&self) -> usize {
        self.chan.strong_count()
    }

    /// Weak senders alive.
    pub fn weak_count(&self) -> usize {
        self.chan.weak_count()
    }
}

impl<T> Clone for WeakSender<T> {
    fn clone(&self) -> Self {
        WeakSender {
            chan: self.chan.clone(),
        }
    }
}

impl<T> fmt::Debug for WeakSender<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WeakSender").finish_non_exhaustive()
    }
}

impl<T> Permit<'_, T> {
    /// Sends `value` into the reserved slot; never waits, never fails.
    pub fn send(self, value: T) {
        self.chan.send(value);
        // The slot is now a queued message; its permit comes back when the
        // receiver takes it.
        std::mem::forget(self);
    }
}

impl<T> Drop for Permit<'_, T> {
    fn drop(&mut self) {
        give_back(self.chan);
    }
}

impl<T> fmt::Debug for Permit<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Permit").finish_non_exhaustive()
    }
}

impl<'a, T> Iterator for PermitIterator<'a, T> {
    type Item = Permit<'a, T>;

    fn next(&mut self) -> Option<Permit<'a, T>> {
        self.n = self.n.checked_sub(1)?;
        Some(Permit { chan: self.chan })
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.n, Some(self.n))
    }
}

impl<T> ExactSizeIterator for PermitIterator<'_, T> {}

impl<T> std::iter::FusedIterator for PermitIterator<'_, T> {}

impl<T> Drop for PermitIterator<'_, T> {
    fn drop(&mut self) {
        if self.n > 0 {
            give_back_many(self.chan, self.n);
        }
    }
}

impl<T> fmt::Debug for PermitIterator<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PermitIterator")
            .field("remaining", &self.n)
            .finish_non_exhaustive()
    }
}

impl<T> OwnedPermit<T> {
    /// Sends `value` into the reserved slot and returns the sender.
    pub fn send(mut self, value: T) -> Sender<T> {
        let chan = self
            .chan
            .take()
            .expect("an owned permit holds its sender until used");
        chan.send(value);
        Sender { chan }
    }

    /// Gives the slot back unused and returns the sender.
    pub fn release(mut self) -> Sender<T> {
        let chan = self
            .chan
            .take()
            .expect("an owned permit holds its sender until used");
        give_back(&chan);
        Sender { chan }
    }

    /// True if the permit belongs to `sender`'s channel.
    pub fn same_channel_as_sender(&self, sender: &Sender<T>) -> bool {
        self.chan
            .as_ref()
            .is_some_and(|chan| chan.same_channel(&sender.chan))
    }
}

impl<T> Drop for OwnedPermit<T> {
    fn drop(&mut self) {
        if let Some(chan) = self.chan.take() {
            give_back(&chan);
        }
    }
}

impl<T> fmt::Debug for OwnedPermit<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OwnedPermit").finish_non_exhaustive()
    }
}

/// Returns an unused slot. If the receiver closed, this may have been the
/// last outstanding permit, which the receiver waits for to report the end.
fn give_back<T>(chan: &chan::Tx<T, Bounded>) {
    give_back_many(chan, 1);
}

/// [`give_back`] for `n` slots at once.
fn give_back_many<T>(chan: &chan::Tx<T, Bounded>, n: usize) {
    chan.semaphore().semaphore.release(n);
    if chan.semaphore().is_closed() {
        chan.wake_rx();
    }
}

impl<T> Receiver<T> {
    /// Waits for the next message; `None` once the channel is closed and
    /// empty (every sender dropped, or the receiver closed and every
    /// permit used).
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: if the future is dropped, no message was taken.
    ///
    /// # Examples
    ///
    /// ```
    /// use weft::sync::mpsc;
    ///
    /// # weft::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
    /// let (tx, mut rx) = mpsc::channel(2);
    /// tx.send(1).await.unwrap();
    /// drop(tx);
    /// assert_eq!(rx.recv().await, Some(1));
    /// assert_eq!(rx.recv().await, None);
    /// # });
    /// ```
    pub async fn recv(&mut self) -> Option<T> {
        poll_fn(|cx| self.chan.poll_recv(cx)).await
    }

    /// Waits for at least one message, then moves up to `limit` queued
    /// messages into `buffer`; returns how many. Returns 0 when `limit` is
    /// 0, or when the channel is closed and empty.
    ///
    /// # Cancel safety
    ///
    /// Cancel safe, like [`Receiver::recv`].
    ///
    /// # Examples
    ///
    /// ```
    /// use weft::sync::mpsc;
    ///
    /// # weft::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
    /// let (tx, mut rx) = mpsc::channel(8);
    /// for i in 0..5 {
    ///     tx.send(i).await.unwrap();
    /// }
    /// let mut buffer = Vec::new();
    /// assert_eq!(rx.recv_many(&mut buffer, 3).await, 3);
    /// assert_eq!(buffer, [0, 1, 2]);
    /// # });
    /// ```
    pub async fn recv_many(&mut self, buffer: &mut Vec<T>, limit: usize) -> usize {
        poll_fn(|cx| self.chan.poll_recv_many(cx, buffer, limit)).await
    }

    /// Takes the next message if one is queued.
    ///
    /// # Errors
    ///
    /// [`TryRecvError::Empty`] if none is queued but more may come,
    /// [`TryRecvError::Disconnected`] if none can come.
    ///
    /// # Examples
    ///
    /// ```
    /// use weft::sync::mpsc::{self, error::TryRecvError};
    ///
    /// let (tx, mut rx) = mpsc::channel(1);
    /// assert_eq!(rx.try_recv(), Err(TryRecvError::Empty));
    /// tx.try_send(5).unwrap();
    /// drop(tx);
    /// assert_eq!(rx.try_recv(), Ok(5));
    /// assert_eq!(rx.try_recv(), Err(TryRecvError::Disconnected));
    /// ```
    pub fn try_recv(&mut self) -> Result<T, TryRecvError> {
        self.chan.try_recv()
    }

    /// [`Receiver::recv`] from synchronous code, parking the thread.
    ///
    /// # Panics
    ///
    /// On a thread that drives weft tasks (a runtime worker, or inside
    /// `block_on`): blocking there would stall them.
    pub fn blocking_recv(&mut self) -> Option<T> {
        block_on(self.recv())
    }

    /// [`Receiver::recv_many`] from synchronous code, parking the thread.
    ///
    /// # Panics
    ///
    /// On a thread that drives weft tasks (a runtime worker, or inside
    /// `block_on`): blocking there would stall them.
    pub fn blocking_recv_many(&mut self, buffer: &mut Vec<T>, limit: usize) -> usize {
        block_on(self.recv_many(buffer, limit))
    }

    /// Closes the channel from the receiving side: new sends fail, senders
    /// waiting for capacity are told, and queued messages (plus messages
    /// sent through permits reserved before the close) can still be
    /// received.
    ///
    /// # Examples
    ///
    /// ```
    /// use weft::sync::mpsc;
    ///
    /// let (tx, mut rx) = mpsc::channel(2);
    /// tx.try_send(1).unwrap();
    /// rx.close();
    /// assert!(tx.try_send(2).unwrap_err().is_closed());
    /// assert_eq!(rx.try_recv(), Ok(1));
    /// ```
    pub fn close(&mut self) {
        self.chan.close();
    }

    /// True once the receiver closed or every sender is gone.
    pub fn is_closed(&self) -> bool {
        self.chan.is_closed()
    }

    /// True when no message is queued.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Messages queued.
    pub fn len(&self) -> usize {
        self.chan.len()
    }

    /// Free slots right now.
    pub fn capacity(&self) -> usize {
        self.chan.semaphore().semaphore.available_permits()
    }

    /// The `buffer` the channel was created with.
    pub fn max_capacity(&self) -> usize {
        self.chan.semaphore().bound
    }

    /// Polls for the next message; for hand-written futures and streams.
    /// Only the waker of the latest call is woken.
    pub fn poll_recv(&mut self, cx: &mut Context<'_>) -> Poll<Option<T>> {
        self.chan.poll_recv(cx)
    }

    /// Polling form of [`Receiver::recv_many`].
    pub fn poll_recv_many(
        &mut self,
        cx: &mut Context<'_>,
        buffer: &mut Vec<T>,
        limit: usize,
    ) -> Poll<usize> {
        self.chan.poll_recv_many(cx, buffer, limit)
    }

    /// Senders alive.
    pub fn sender_strong_count(&self) -> usize {
        self.chan.sender_strong_count()
    }

    /// Weak senders alive.
    pub fn sender_weak_count(&self) -> usize {
        self.chan.sender_weak_count()
    }
}

impl<T> fmt::Debug for Receiver<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Receiver")
            .field("chan", &self.chan)
            .finish()
    }
}

#[cfg(feature = "stream")]
impl<T> futures_core::Stream for Receiver<T> {
    type Item = T;

    fn poll_next(mut self: std::pin::Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<T>> {
        self.chan.poll_recv(cx)
    }
}
