//! A multi-producer, multi-consumer channel: every receiver gets every
//! value.
//!
//! The channel keeps the last `capacity` values in a ring buffer. Each
//! receiver reads at its own pace; a receiver that falls more than
//! `capacity` values behind gets [`RecvError::Lagged`] with the number of
//! values it missed, and then continues from the oldest value still
//! retained. Values are cloned for each receiver (`T: Clone`); the last
//! receiver to read a value gets the original.
//!
//! # Examples
//!
//! ```
//! use weft::sync::broadcast;
//!
//! # weft::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
//! let (tx, mut rx1) = broadcast::channel(16);
//! let mut rx2 = tx.subscribe();
//! tx.send(10).unwrap();
//! tx.send(20).unwrap();
//! assert_eq!(rx1.recv().await, Ok(10));
//! assert_eq!(rx2.recv().await, Ok(10));
//! assert_eq!(rx1.recv().await, Ok(20));
//! assert_eq!(rx2.recv().await, Ok(20));
//! # });
//! ```
//!
//! # Design
//!
//! Slot `pos % capacity` of the ring holds the value sent at position
//! `pos`, its position, and how many receivers still have to read it. Each
//! slot has its own lock, so receivers on different slots do not contend.
//! The `tail` lock holds the next position, the receiver count, the closed
//! flag and the waiter list; a send takes it, then the slot's lock. A
//! receiver reads a slot with only the slot lock when the value is there;
//! when it is not, it takes `tail` and then the slot again (same order as
//! senders), re-checks, and only then queues its waiter, so a send cannot
//! slip in unnoticed.
//!
//! Each receiver owns one waiter node, allocated with the receiver, so
//! waiting allocates nothing and [`Receiver`] can be polled without
//! pinning (which the stream adapter relies on).

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::ptr::NonNull;
use std::task::{ready, Context, Poll, Waker};

use weft_scheduler::coop;

use crate::loom::sync::atomic::{AtomicUsize, Ordering};
use crate::loom::sync::{Arc, Mutex, MutexGuard};
use crate::sync::util::block_on::block_on;
use crate::sync::util::wake_list::WakeList;
use crate::sync::wait_list::{Node, WaitList};

/// Error types of the broadcast channel.
pub mod error {
    use std::fmt;

    /// No receiver exists; the value that was not sent is inside.
    #[derive(PartialEq, Eq, Clone, Copy)]
    pub struct SendError<T>(pub T);

    impl<T> fmt::Debug for SendError<T> {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.debug_struct("SendError").finish_non_exhaustive()
        }
    }

    impl<T> fmt::Display for SendError<T> {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("channel closed: no receiver is subscribed")
        }
    }

    impl<T> std::error::Error for SendError<T> {}

    /// Why [`Receiver::recv`](super::Receiver::recv) returned no value.
    #[derive(Debug, PartialEq, Eq, Clone, Copy)]
    pub enum RecvError {
        /// Every sender is gone and every retained value was received.
        Closed,
        /// The receiver fell behind and this many values were overwritten
        /// before it read them; the next receive returns the oldest value
        /// still retained.
        Lagged(u64),
    }

    impl fmt::Display for RecvError {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            match self {
                RecvError::Closed => f.write_str("channel closed"),
                RecvError::Lagged(n) => write!(f, "receiver lagged behind by {n} messages"),
            }
        }
    }

    impl std::error::Error for RecvError {}

    /// Why [`Receiver::try_recv`](super::Receiver::try_recv) returned no
    /// value.
    #[derive(Debug, PartialEq, Eq, Clone, Copy)]
    pub enum TryRecvError {
        /// Nothing new right now.
        Empty,
        /// Every sender is gone and every retained value was received.
        Closed,
        /// The receiver fell behind by this many values; see
        /// [`RecvError::Lagged`].
        Lagged(u64),
    }

    impl fmt::Display for TryRecvError {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            match self {
                TryRecvError::Empty => f.write_str("channel empty"),
                TryRecvError::Closed => f.write_str("channel closed"),
                TryRecvError::Lagged(n) => write!(f, "receiver lagged behind by {n} messages"),
            }
        }
    }

    impl std::error::Error for TryRecvError {}
}

use self::error::{RecvError, SendError, TryRecvError};

struct Shared<T> {
    buffer: Box<[Mutex<Slot<T>>]>,
    mask: u64,
    tail: Mutex<Tail>,
    senders: AtomicUsize,
}

struct Slot<T> {
    /// Position of the value held (or, before the first lap, a position
    /// one lap before the slot's first use).
    pos: u64,
    /// Receivers that still have to read the value.
    remaining: usize,
    value: Option<T>,
}

struct Tail {
    /// Position of the next value to send.
    pos: u64,
    receivers: usize,
    closed: bool,
    waiters: WaitList<Waiter>,
}

#[derive(Debug)]
struct Waiter {
    waker: Option<Waker>,
}

/// Sends values to every receiver; cloneable. Created by [`channel`].
pub struct Sender<T> {
    shared: Arc<Shared<T>>,
}

/// Receives every value sent after it subscribed. Created by [`channel`],
/// [`Sender::subscribe`] or [`Receiver::resubscribe`].
pub struct Receiver<T> {
    shared: Arc<Shared<T>>,
    /// Position of the next value to read.
    next: u64,
    /// This receiver's waiter node, from `Box::into_raw`; freed in `Drop`
    /// after it is unlinked.
    waiter: NonNull<Node<Waiter>>,
    /// The node may be linked in `tail.waiters`.
    queued: bool,
}

// SAFETY: the waiter node is only touched under the tail lock (wait-list
// invariant 2); otherwise the receiver is plain data plus an `Arc` to
// shared state that is `Send + Sync` for `T: Send`.
unsafe impl<T: Send> Send for Receiver<T> {}
// SAFETY: every method that touches the node or `next` takes `&mut self`.
unsafe impl<T: Send> Sync for Receiver<T> {}

/// Creates a broadcast channel retaining the last `capacity` values
/// (rounded up to a power of two).
///
/// # Panics
///
/// If `capacity` is 0 or larger than `usize::MAX / 2`.
///
/// # Examples
///
/// ```
/// use weft::sync::broadcast::{self, error::TryRecvError};
///
/// let (tx, mut rx) = broadcast::channel(2);
/// for i in 0..3 {
///     tx.send(i).unwrap();
/// }
/// // Value 0 was overwritten before `rx` read it.
/// assert_eq!(rx.try_recv(), Err(TryRecvError::Lagged(1)));
/// assert_eq!(rx.try_recv(), Ok(1));
/// assert_eq!(rx.try_recv(), Ok(2));
/// ```
pub fn channel<T: Clone>(capacity: usize) -> (Sender<T>, Receiver<T>) {
    assert!(capacity > 0, "broadcast channel capacity cannot be zero");
    assert!(
        capacity <= usize::MAX >> 1,
        "broadcast channel capacity exceeded `usize::MAX / 2`"
    );
    let capacity = capacity.next_power_of_two();
    let buffer = (0..capacity)
        .map(|i| {
            Mutex::new(Slot {
                // One lap before first use: reads as "nothing new yet".
                pos: (i as u64).wrapping_sub(capacity as u64),
                remaining: 0,
                value: None,
            })
        })
        .collect();
    let shared = Arc::new(Shared {
        buffer,
        mask: capacity as u64 - 1,
        tail: Mutex::new(Tail {
            pos: 0,
            receivers: 1,
            closed: false,
            waiters: WaitList::new(),
        }),
        senders: AtomicUsize::new(1),
    });
    let rx = Receiver::new(shared.clone(), 0);
    (Sender { shared }, rx)
}

impl<T> Shared<T> {
    fn capacity(&self) -> u64 {
        self.mask + 1
    }

    fn slot(&self, pos: u64) -> MutexGuard<'_, Slot<T>> {
        self.buffer[(pos & self.mask) as usize].lock()
    }
}

impl<T> Sender<T> {
    /// Sends `value` to every current receiver; returns how many there
    /// are. Never waits: when the ring is full, the oldest value is
    /// overwritten and slow receivers will see [`RecvError::Lagged`].
    ///
    /// # Errors
    ///
    /// [`SendError`] holding `value` when no receiver exists.
    pub fn send(&self, value: T) -> Result<usize, SendError<T>> {
        let mut tail = self.shared.tail.lock();
        if tail.receivers == 0 {
            return Err(SendError(value));
        }
        let pos = tail.pos;
        let receivers = tail.receivers;
        let overwritten = {
            let mut slot = self.shared.slot(pos);
            slot.pos = pos;
            slot.remaining = receivers;
            slot.value.replace(value)
        };
        tail.pos = pos + 1;
        let wakers = take_waiters(&mut tail);
        drop(tail);
        drop(overwritten);
        wakers.wake_all();
        Ok(receivers)
    }

    /// A new receiver that gets every value sent from now on.
    pub fn subscribe(&self) -> Receiver<T> {
        let mut tail = self.shared.tail.lock();
        tail.receivers += 1;
        let next = tail.pos;
        drop(tail);
        Receiver::new(self.shared.clone(), next)
    }

    /// Values retained that some receiver has not read yet.
    ///
    /// # Examples
    ///
    /// ```
    /// let (tx, mut rx) = weft::sync::broadcast::channel(4);
    /// tx.send(1).unwrap();
    /// tx.send(2).unwrap();
    /// assert_eq!(tx.len(), 2);
    /// rx.try_recv().unwrap();
    /// assert_eq!(tx.len(), 1);
    /// ```
    pub fn len(&self) -> usize {
        self.shared
            .buffer
            .iter()
            .filter(|slot| slot.lock().value.is_some())
            .count()
    }

    /// True when every receiver has read every retained value.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Receivers subscribed.
    pub fn receiver_count(&self) -> usize {
        self.shared.tail.lock().receivers
    }

    /// True if both senders belong to the same channel.
    pub fn same_channel(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.shared, &other.shared)
    }
}

/// Unlinks every waiter and collects its waker.
fn take_waiters(tail: &mut Tail) -> WakeList {
    let mut wakers = WakeList::new();
    while let Some(node) = tail.waiters.pop_front() {
        // SAFETY: popped under the tail lock, which we still hold; the
        // owning receiver takes this lock before freeing its node.
        wakers.push(unsafe { tail.waiters.with_value(node, |w| w.waker.take()) });
    }
    wakers
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
            let mut tail = self.shared.tail.lock();
            tail.closed = true;
            let wakers = take_waiters(&mut tail);
            drop(tail);
            wakers.wake_all();
        }
    }
}

impl<T> fmt::Debug for Sender<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sender")
            .field("receivers", &self.receiver_count())
            .finish()
    }
}

impl<T> Receiver<T> {
    fn new(shared: Arc<Shared<T>>, next: u64) -> Self {
        let waiter = NonNull::from(Box::leak(Box::new(Node::new(Waiter { waker: None }))));
        Receiver {
            shared,
            next,
            waiter,
            queued: false,
        }
    }

    /// Values sent that this receiver has not read yet (including ones it
    /// will only learn it missed).
    pub fn len(&self) -> usize {
        (self.shared.tail.lock().pos - self.next) as usize
    }

    /// True when nothing new was sent.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// True once every sender is gone.
    pub fn is_closed(&self) -> bool {
        self.shared.tail.lock().closed
    }

    /// True if both receivers belong to the same channel.
    pub fn same_channel(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.shared, &other.shared)
    }

    /// Senders alive.
    pub fn sender_strong_count(&self) -> usize {
        self.shared.senders.load(Ordering::Acquire)
    }

    /// A new receiver starting at the channel's current tail: it gets
    /// values sent from now on, not the ones this receiver has yet to read.
    pub fn resubscribe(&self) -> Self {
        let mut tail = self.shared.tail.lock();
        tail.receivers += 1;
        let next = tail.pos;
        drop(tail);
        Receiver::new(self.shared.clone(), next)
    }

    /// Unlinks the waiter node if it may be linked.
    fn unqueue(&mut self) {
        if self.queued {
            let mut tail = self.shared.tail.lock();
            // SAFETY: our node is linked in this channel's list or in none,
            // and we hold the tail lock.
            unsafe { tail.waiters.remove(self.waiter) };
            self.queued = false;
        }
    }
}

impl<T: Clone> Receiver<T> {
    /// Waits for the next value.
    ///
    /// # Errors
    ///
    /// [`RecvError::Lagged`] when values were overwritten before this
    /// receiver read them (the next call continues with the oldest value
    /// retained); [`RecvError::Closed`] when every sender is gone and
    /// nothing is left to read.
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: a dropped `recv` takes no value.
    pub async fn recv(&mut self) -> Result<T, RecvError> {
        Recv { receiver: self }.await
    }

    /// Takes the next value if one is there.
    ///
    /// # Errors
    ///
    /// [`TryRecvError::Empty`], [`TryRecvError::Closed`] or
    /// [`TryRecvError::Lagged`].
    pub fn try_recv(&mut self) -> Result<T, TryRecvError> {
        self.recv_inner(None)
    }

    /// [`Receiver::recv`] from synchronous code, parking the thread.
    ///
    /// # Errors
    ///
    /// As for [`Receiver::recv`].
    ///
    /// # Panics
    ///
    /// On a thread that drives weft tasks (a runtime worker, or inside
    /// `block_on`): blocking there would stall them.
    pub fn blocking_recv(&mut self) -> Result<T, RecvError> {
        block_on(self.recv())
    }

    /// Polls for the next value, without charging the coop budget; the
    /// stream adapter and [`Recv`] build on it.
    pub(crate) fn poll_recv_inner(&mut self, cx: &mut Context<'_>) -> Poll<Result<T, RecvError>> {
        let result = match self.recv_inner(Some(cx.waker())) {
            Ok(value) => Ok(value),
            Err(TryRecvError::Empty) => return Poll::Pending,
            Err(TryRecvError::Closed) => Err(RecvError::Closed),
            Err(TryRecvError::Lagged(n)) => Err(RecvError::Lagged(n)),
        };
        self.unqueue();
        Poll::Ready(result)
    }

    /// One attempt to read; with a waker, queues the waiter when empty.
    fn recv_inner(&mut self, waker: Option<&Waker>) -> Result<T, TryRecvError> {
        let shared = &*self.shared;
        let slot = shared.slot(self.next);
        if slot.pos == self.next {
            return Ok(take(slot, &mut self.next));
        }
        drop(slot);
        // Slow path: under the tail lock, no send can change the slot.
        let mut tail = shared.tail.lock();
        let slot = shared.slot(self.next);
        if slot.pos == self.next {
            drop(tail);
            return Ok(take(slot, &mut self.next));
        }
        if slot.pos.wrapping_add(shared.capacity()) == self.next {
            // The slot still holds the value from one lap ago: nothing new.
            drop(slot);
            if tail.closed {
                return Err(TryRecvError::Closed);
            }
            if let Some(waker) = waker {
                // SAFETY: our node belongs to this list or none; the tail
                // lock is held.
                let linked = unsafe { tail.waiters.is_linked(self.waiter) };
                // SAFETY: as above.
                unsafe {
                    tail.waiters.with_value(self.waiter, |w| match &w.waker {
                        Some(old) if old.will_wake(waker) => {}
                        _ => w.waker = Some(waker.clone()),
                    });
                }
                if !linked {
                    // SAFETY: the node is heap-allocated (stable address)
                    // and `Drop for Receiver` unlinks it under this lock
                    // before freeing it.
                    unsafe { tail.waiters.push_back(self.waiter) };
                }
                self.queued = true;
            }
            return Err(TryRecvError::Empty);
        }
        // Overwritten: skip to the oldest value still retained.
        drop(slot);
        let oldest = if cfg!(weft_loom_mutant = "broadcast_lag_skips_to_newest") {
            // Mutant (loom check only): a lagging receiver jumps to the
            // newest value, dropping retained values it could still read.
            tail.pos - 1
        } else {
            tail.pos - shared.capacity()
        };
        let missed = oldest - self.next;
        self.next = oldest;
        Err(TryRecvError::Lagged(missed))
    }
}

/// Reads the value of a slot that holds position `*next`.
fn take<T: Clone>(mut slot: MutexGuard<'_, Slot<T>>, next: &mut u64) -> T {
    *next += 1;
    slot.remaining -= 1;
    let value = if slot.remaining == 0 {
        slot.value.take()
    } else {
        slot.value.clone()
    };
    value.expect("a slot at the expected position holds its value until every receiver read it")
}

impl<T> Drop for Receiver<T> {
    fn drop(&mut self) {
        let mut tail = self.shared.tail.lock();
        // SAFETY: our node belongs to this list or none; lock held.
        unsafe { tail.waiters.remove(self.waiter) };
        tail.receivers -= 1;
        let until = tail.pos;
        drop(tail);
        // SAFETY: unlinked above, so nobody else can reach the node; it
        // came from `Box::leak` in `Receiver::new`.
        drop(unsafe { Box::from_raw(self.waiter.as_ptr()) });
        // Release our claim on the values we did not read.
        let from = self.next.max(until.saturating_sub(self.shared.capacity()));
        for pos in from..until {
            let mut slot = self.shared.slot(pos);
            if slot.pos == pos {
                slot.remaining -= 1;
                if slot.remaining == 0 {
                    let value = slot.value.take();
                    drop(slot);
                    drop(value);
                }
            }
        }
    }
}

impl<T> fmt::Debug for Receiver<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Receiver")
            .field("next", &self.next)
            .finish()
    }
}

/// The future of [`Receiver::recv`].
struct Recv<'a, T> {
    receiver: &'a mut Receiver<T>,
}

impl<T: Clone> Future for Recv<'_, T> {
    type Output = Result<T, RecvError>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let restore = ready!(coop::poll_proceed(cx));
        let poll = self.receiver.poll_recv_inner(cx);
        if poll.is_ready() {
            restore.made_progress();
        }
        poll
    }
}

impl<T> Drop for Recv<'_, T> {
    fn drop(&mut self) {
        self.receiver.unqueue();
    }
}
