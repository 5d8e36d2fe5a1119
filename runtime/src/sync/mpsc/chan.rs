//! The channel shared by the bounded and the unbounded flavours.
//!
//! Both flavours push into the same lock-free list (`list/`) and wake the
//! receiver through an [`AtomicWaker`]. They differ only in how a sender
//! gets the right to push, which is the [`Semaphore`] parameter: a batch
//! semaphore with `bound` permits, or a plain counter.
//!
//! # When is the channel over?
//!
//! * **All senders dropped.** Each sender handle holds one count in
//!   `tx_count` (permits hold a sender, so they count too). The last one
//!   to drop wakes the receiver. Sends happen before their sender's
//!   decrement (`AcqRel`), so a receiver that sees `tx_count == 0` and
//!   then finds the list empty knows no message can come.
//! * **Receiver closed** (`close` or drop). The semaphore is closed, so no
//!   new send can start; senders that already hold a permit may still
//!   send. The receiver reports the end once the list is empty and the
//!   semaphore is idle (every permit came back).
//!
//! Dropping the receiver also drains the list, so queued messages are
//! dropped promptly and bounded senders get their capacity back.

use std::fmt;
use std::pin::pin;
use std::task::{ready, Context, Poll};

use crossbeam_utils::CachePadded;
use weft_scheduler::coop;

use super::error::TryRecvError;
use super::list;
use crate::loom::cell::UnsafeCell;
use crate::loom::sync::atomic::{AtomicUsize, Ordering};
use crate::loom::sync::Arc;
use crate::sync::batch_semaphore;
use crate::sync::notify::Notify;
use crate::sync::util::atomic_waker::AtomicWaker;

/// How a flavour limits senders.
pub(super) trait Semaphore {
    /// Every permit is back: no message is queued or being sent.
    fn is_idle(&self) -> bool;
    /// The receiver took `n` messages out.
    fn add_permits(&self, n: usize);
    /// The receiver closed: no new send may start.
    fn close(&self);
    /// True after `close`.
    fn is_closed(&self) -> bool;
}

/// The bounded flavour's semaphore: one permit per free slot.
#[derive(Debug)]
pub(super) struct Bounded {
    pub(super) semaphore: batch_semaphore::Semaphore,
    pub(super) bound: usize,
}

impl Semaphore for Bounded {
    fn is_idle(&self) -> bool {
        self.semaphore.available_permits() == self.bound
    }

    fn add_permits(&self, n: usize) {
        self.semaphore.release(n);
    }

    fn close(&self) {
        self.semaphore.close();
    }

    fn is_closed(&self) -> bool {
        self.semaphore.is_closed()
    }
}

/// The unbounded flavour's semaphore: a count of messages in flight
/// (shifted left by one) and a closed bit.
#[derive(Debug)]
pub(super) struct Unbounded(AtomicUsize);

impl Unbounded {
    pub(super) fn new() -> Self {
        Unbounded(AtomicUsize::new(0))
    }

    /// Counts one more message in flight, unless closed.
    pub(super) fn start_send(&self) -> bool {
        let mut current = self.0.load(Ordering::Acquire);
        loop {
            if current & 1 == 1 {
                return false;
            }
            // Two messages per bit pattern step would overflow only after
            // `usize::MAX / 2` queued messages; memory runs out long before.
            let next = current
                .checked_add(2)
                .unwrap_or_else(|| std::process::abort());
            match self
                .0
                .compare_exchange_weak(current, next, Ordering::AcqRel, Ordering::Acquire)
            {
                Ok(_) => return true,
                Err(actual) => current = actual,
            }
        }
    }
}

impl Semaphore for Unbounded {
    fn is_idle(&self) -> bool {
        self.0.load(Ordering::Acquire) >> 1 == 0
    }

    fn add_permits(&self, n: usize) {
        self.0.fetch_sub(n << 1, Ordering::AcqRel);
    }

    fn close(&self) {
        self.0.fetch_or(1, Ordering::AcqRel);
    }

    fn is_closed(&self) -> bool {
        self.0.load(Ordering::Acquire) & 1 == 1
    }
}

/// The senders' list tail, the receiver's waker and the receiver's fields
/// each sit on their own cache lines: senders write the first on every
/// send, the receiver writes the last on every receive, and the waker is
/// written by whichever side registers or wakes. Sharing a line would make
/// every send and every receive miss.
struct Chan<T, S> {
    tx: CachePadded<list::Tx<T>>,
    tx_count: AtomicUsize,
    tx_weak_count: AtomicUsize,
    rx_waker: CachePadded<AtomicWaker>,
    /// `notify_waiters` when the receiver closes: wakes `Sender::closed`.
    rx_closed_notify: Notify,
    semaphore: S,
    /// Touched only by the receiver (through `&mut Rx`) and by `Drop`.
    rx_fields: CachePadded<UnsafeCell<RxFields<T>>>,
}

struct RxFields<T> {
    list: list::Rx<T>,
    rx_closed: bool,
}

// SAFETY: values of `T` cross threads through the list; the receiver's
// fields are only reached through the one receiver handle.
unsafe impl<T: Send, S: Send> Send for Chan<T, S> {}
// SAFETY: as above; shared access from senders only touches atomics, the
// list's sender half and the semaphore.
unsafe impl<T: Send, S: Sync> Sync for Chan<T, S> {}

impl<T, S> Drop for Chan<T, S> {
    fn drop(&mut self) {
        let tx = &self.tx;
        // SAFETY: the last handle is gone, so nobody else uses either half.
        self.rx_fields
            .with_mut(|fields| unsafe { (*fields).list.free(tx) });
    }
}

/// A sender handle: counted in `tx_count`.
pub(super) struct Tx<T, S> {
    chan: Arc<Chan<T, S>>,
}

/// A weak sender handle: keeps the allocation, not the channel, alive.
pub(super) struct WeakTx<T, S> {
    chan: Arc<Chan<T, S>>,
}

/// The receiver handle.
pub(super) struct Rx<T, S: Semaphore> {
    chan: Arc<Chan<T, S>>,
}

/// A new channel with the given semaphore.
pub(super) fn channel<T, S: Semaphore>(semaphore: S) -> (Tx<T, S>, Rx<T, S>) {
    let (tx_list, rx_list) = list::list();
    let chan = Arc::new(Chan {
        tx: CachePadded::new(tx_list),
        tx_count: AtomicUsize::new(1),
        tx_weak_count: AtomicUsize::new(0),
        rx_waker: CachePadded::new(AtomicWaker::new()),
        rx_closed_notify: Notify::new(),
        semaphore,
        rx_fields: CachePadded::new(UnsafeCell::new(RxFields {
            list: rx_list,
            rx_closed: false,
        })),
    });
    (Tx { chan: chan.clone() }, Rx { chan })
}

impl<T, S: Semaphore> Tx<T, S> {
    /// Pushes a message the caller has the right to send (a permit, or a
    /// successful `start_send`), and wakes the receiver.
    pub(super) fn send(&self, value: T) {
        self.chan.tx.push(value);
        self.chan.rx_waker.wake();
    }

    pub(super) fn semaphore(&self) -> &S {
        &self.chan.semaphore
    }

    /// Wakes the receiver (for example after a permit was given back).
    pub(super) fn wake_rx(&self) {
        self.chan.rx_waker.wake();
    }

    pub(super) fn is_closed(&self) -> bool {
        self.chan.semaphore.is_closed()
    }

    /// Waits until the receiver closes or is dropped.
    pub(super) async fn closed(&self) {
        let mut notified = pin!(self.chan.rx_closed_notify.notified());
        // Registered before the check, so a close in between is not missed.
        notified.as_mut().enable();
        if self.is_closed() {
            return;
        }
        notified.await;
    }

    pub(super) fn same_channel(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.chan, &other.chan)
    }

    pub(super) fn downgrade(&self) -> WeakTx<T, S> {
        self.chan.tx_weak_count.fetch_add(1, Ordering::Relaxed);
        WeakTx {
            chan: self.chan.clone(),
        }
    }

    pub(super) fn strong_count(&self) -> usize {
        self.chan.tx_count.load(Ordering::Acquire)
    }

    pub(super) fn weak_count(&self) -> usize {
        self.chan.tx_weak_count.load(Ordering::Acquire)
    }
}

impl<T, S> Clone for Tx<T, S> {
    fn clone(&self) -> Self {
        // A new handle is made from an existing one, so the count is > 0
        // and no ordering is needed (as with `Arc`).
        self.chan.tx_count.fetch_add(1, Ordering::Relaxed);
        Tx {
            chan: self.chan.clone(),
        }
    }
}

impl<T, S> Drop for Tx<T, S> {
    fn drop(&mut self) {
        if self.chan.tx_count.fetch_sub(1, Ordering::AcqRel) == 1 {
            // The last sender: the receiver may now see the end.
            self.chan.rx_waker.wake();
        }
    }
}

impl<T, S> WeakTx<T, S> {
    /// A sender again, if any sender is still alive.
    pub(super) fn upgrade(&self) -> Option<Tx<T, S>> {
        let mut count = self.chan.tx_count.load(Ordering::Relaxed);
        loop {
            if count == 0 {
                return None;
            }
            match self.chan.tx_count.compare_exchange_weak(
                count,
                count + 1,
                Ordering::AcqRel,
                Ordering::Relaxed,
            ) {
                Ok(_) => {
                    return Some(Tx {
                        chan: self.chan.clone(),
                    })
                }
                Err(actual) => count = actual,
            }
        }
    }

    pub(super) fn strong_count(&self) -> usize {
        self.chan.tx_count.load(Ordering::Acquire)
    }

    pub(super) fn weak_count(&self) -> usize {
        self.chan.tx_weak_count.load(Ordering::Acquire)
    }
}

impl<T, S> Clone for WeakTx<T, S> {
    fn clone(&self) -> Self {
        self.chan.tx_weak_count.fetch_add(1, Ordering::Relaxed);
        WeakTx {
            chan: self.chan.clone(),
        }
    }
}

impl<T, S> Drop for WeakTx<T, S> {
    fn drop(&mut self) {
        self.chan.tx_weak_count.fetch_sub(1, Ordering::AcqRel);
    }
}

impl<T, S: Semaphore> Rx<T, S> {
    fn with_fields<R>(&mut self, f: impl FnOnce(&mut RxFields<T>, &Chan<T, S>) -> R) -> R {
        let chan = &*self.chan;
        // SAFETY: `&mut self` on the only receiver handle gives exclusive
        // access to the receiver's fields.
        chan.rx_fields
            .with_mut(|fields| f(unsafe { &mut *fields }, chan))
    }

    fn fields(&self) -> &RxFields<T> {
        // SAFETY: the fields change only through `&mut Rx`; `&self` rules
        // that out for the lifetime of the returned reference.
        self.chan.rx_fields.with(|fields| unsafe { &*fields })
    }

    /// Closes from the receiving side: no new sends; queued messages stay.
    pub(super) fn close(&mut self) {
        let first = self.with_fields(|fields, _| !std::mem::replace(&mut fields.rx_closed, true));
        if first {
            self.chan.semaphore.close();
            self.chan.rx_closed_notify.notify_waiters();
        }
    }

    /// True once nothing more can be received (apart from what is queued):
    /// the receiver closed, or every sender is gone.
    pub(super) fn is_closed(&self) -> bool {
        self.fields().rx_closed || self.chan.tx_count.load(Ordering::Acquire) == 0
    }

    /// Messages queued (including ones whose send is in progress).
    pub(super) fn len(&self) -> usize {
        self.chan.tx.claimed() - self.fields().list.index()
    }

    /// Pops one message and returns its permit.
    fn pop(&mut self) -> Option<T> {
        self.with_fields(|fields, chan| {
            let value = fields.list.pop(&chan.tx);
            if value.is_some() {
                chan.semaphore.add_permits(1);
            }
            value
        })
    }

    /// True when the channel is over and the list is empty: checked after
    /// a pop found nothing.
    fn is_finished(&mut self) -> Option<Option<T>> {
        let rx_closed = self.fields().rx_closed;
        if rx_closed && self.chan.semaphore.is_idle() {
            return Some(None);
        }
        if self.chan.tx_count.load(Ordering::Acquire) == 0 {
            // Every send happened before the count reached zero; one more
            // look catches a message pushed just before the last drop.
            return Some(self.pop());
        }
        None
    }

    pub(super) fn poll_recv(&mut self, cx: &mut Context<'_>) -> Poll<Option<T>> {
        let restore = ready!(coop::poll_proceed(cx));
        let result = match self.pop() {
            Some(value) => Some(value),
            None => match self.is_finished() {
                Some(end) => end,
                None => {
                    self.chan.rx_waker.register(cx.waker());
                    // Look again: a send may have raced the registration.
                    // (Mutant for the loom check: no second look, so a
                    // message pushed just before the registration is
                    // never noticed.)
                    let again = if cfg!(weft_loom_mutant = "mpsc_recv_skips_recheck") {
                        None
                    } else {
                        self.pop()
                    };
                    match again {
                        Some(value) => Some(value),
                        None => match self.is_finished() {
                            Some(end) => end,
                            None => return Poll::Pending,
                        },
                    }
                }
            },
        };
        restore.made_progress();
        Poll::Ready(result)
    }

    pub(super) fn poll_recv_many(
        &mut self,
        cx: &mut Context<'_>,
        buffer: &mut Vec<T>,
        limit: usize,
    ) -> Poll<usize> {
        if limit == 0 {
            return Poll::Ready(0);
        }
        let restore = ready!(coop::poll_proceed(cx));
        let mut took = self.drain_into(buffer, limit);
        if took == 0 {
            let mut end = self.is_finished();
            if end.is_none() {
                self.chan.rx_waker.register(cx.waker());
                took = self.drain_into(buffer, limit);
                if took == 0 {
                    end = self.is_finished();
                    if end.is_none() {
                        return Poll::Pending;
                    }
                }
            }
            if let Some(Some(value)) = end {
                buffer.push(value);
                took = 1;
            }
        }
        restore.made_progress();
        Poll::Ready(took)
    }

    /// Pops up to `limit` messages into `buffer`; returns their permits in
    /// one go.
    fn drain_into(&mut self, buffer: &mut Vec<T>, limit: usize) -> usize {
        self.with_fields(|fields, chan| {
            let mut took = 0;
            while took < limit {
                match fields.list.pop(&chan.tx) {
                    Some(value) => {
                        buffer.push(value);
                        took += 1;
                    }
                    None => break,
                }
            }
            if took > 0 {
                chan.semaphore.add_permits(took);
            }
            took
        })
    }

    pub(super) fn try_recv(&mut self) -> Result<T, TryRecvError> {
        if let Some(value) = self.pop() {
            return Ok(value);
        }
        match self.is_finished() {
            Some(Some(value)) => Ok(value),
            Some(None) => Err(TryRecvError::Disconnected),
            None => Err(TryRecvError::Empty),
        }
    }

    pub(super) fn semaphore(&self) -> &S {
        &self.chan.semaphore
    }

    pub(super) fn sender_strong_count(&self) -> usize {
        self.chan.tx_count.load(Ordering::Acquire)
    }

    pub(super) fn sender_weak_count(&self) -> usize {
        self.chan.tx_weak_count.load(Ordering::Acquire)
    }
}

impl<T, S: Semaphore> Drop for Rx<T, S> {
    fn drop(&mut self) {
        self.close();
        // Drop queued messages now and give their permits back.
        while self.pop().is_some() {}
    }
}

impl<T, S> fmt::Debug for Tx<T, S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Tx")
            .field("senders", &self.chan.tx_count.load(Ordering::Relaxed))
            .finish()
    }
}

impl<T, S> fmt::Debug for WeakTx<T, S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WeakTx").finish_non_exhaustive()
    }
}

impl<T, S: Semaphore> fmt::Debug for Rx<T, S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Rx").field("len", &self.len()).finish()
    }
}
