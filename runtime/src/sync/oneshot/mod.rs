//! A channel for sending a single value from one task to another.
//!
//! [`channel`] returns a [`Sender`] and a [`Receiver`]. The sender's
//! [`send`](Sender::send) consumes it; the receiver is a future that
//! resolves to the value, or to [`RecvError`] if the sender was dropped
//! without sending.
//!
//! # Examples
//!
//! ```
//! use weft::sync::oneshot;
//!
//! # weft::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
//! let (tx, rx) = oneshot::channel();
//! weft::spawn(async move {
//!     tx.send("done").unwrap();
//! });
//! assert_eq!(rx.await, Ok("done"));
//! # });
//! ```
//!
//! # Design
//!
//! One allocation holds everything: the state word, the value slot and one
//! waker slot per side. No lock is taken; ownership of each slot follows
//! from the state word (see `state.rs` for the bits):
//!
//! * **value**: written by the sender before it sets `COMPLETE | VALUE`
//!   (by a CAS that fails if `CLOSED` is set, in which case the sender
//!   takes the value back and returns it); from then on it belongs to the
//!   receiver, which takes it on `poll`, `try_recv` or drop.
//! * **receiver waker**: written by the receiver only while `RX_WAKER` is
//!   clear, published by setting `RX_WAKER`. The sender reads it (by
//!   reference) only if its `COMPLETE` transition found `RX_WAKER` set. To
//!   replace the waker the receiver clears `RX_WAKER` first; if that finds
//!   `COMPLETE` already set, the value is ready and the slot is left alone.
//! * **sender waker** (for [`Sender::closed`]): the mirror image, with
//!   `TX_WAKER` and the receiver's `CLOSED` transition.
//!
//! Whatever wakers remain are dropped with the allocation.

mod state;

use std::fmt;
use std::future::{poll_fn, Future};
use std::pin::Pin;
use std::task::{ready, Context, Poll, Waker};

use weft_scheduler::coop;

use self::state::{Snapshot, State};
use crate::loom::cell::UnsafeCell;
use crate::loom::sync::Arc;
use crate::sync::util::block_on::block_on;

/// Error types of the oneshot channel.
pub mod error {
    use std::fmt;

    /// The sender was dropped without sending a value.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub struct RecvError(pub(super) ());

    impl fmt::Display for RecvError {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("channel closed: the sender was dropped without sending")
        }
    }

    impl std::error::Error for RecvError {}

    /// Why [`Receiver::try_recv`](super::Receiver::try_recv) returned no value.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum TryRecvError {
        /// No value was sent yet; one may still come.
        Empty,
        /// No value will come: the sender was dropped, the receiver was
        /// closed, or the value was already received.
        Closed,
    }

    impl fmt::Display for TryRecvError {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            match self {
                TryRecvError::Empty => f.write_str("channel empty"),
                TryRecvError::Closed => f.write_str("channel closed"),
            }
        }
    }

    impl std::error::Error for TryRecvError {}
}

use self::error::{RecvError, TryRecvError};

/// The shared allocation of one channel.
struct Inner<T> {
    state: State,
    value: UnsafeCell<Option<T>>,
    rx_waker: UnsafeCell<Option<Waker>>,
    tx_waker: UnsafeCell<Option<Waker>>,
}

// SAFETY: the cells are handed between the two sides by the state word
// (see the module docs), so sharing `Inner` only ever moves a `T` from one
// thread to another.
unsafe impl<T: Send> Send for Inner<T> {}
// SAFETY: as above; no `&T` is ever shared between the two sides.
unsafe impl<T: Send> Sync for Inner<T> {}

/// Sends the value; created by [`channel`].
pub struct Sender<T> {
    /// `None` once the value was sent.
    inner: Option<Arc<Inner<T>>>,
}

/// Receives the value; created by [`channel`]. Await it to receive.
#[must_use = "a receiver does nothing unless awaited or polled"]
pub struct Receiver<T> {
    /// `None` once a result was returned.
    inner: Option<Arc<Inner<T>>>,
}

/// Creates a oneshot channel: one allocation, no lock.
///
/// # Examples
///
/// ```
/// use weft::sync::oneshot;
///
/// let (tx, mut rx) = oneshot::channel();
/// tx.send(3).unwrap();
/// assert_eq!(rx.try_recv(), Ok(3));
/// ```
pub fn channel<T>() -> (Sender<T>, Receiver<T>) {
    let inner = Arc::new(Inner {
        state: State::new(),
        value: UnsafeCell::new(None),
        rx_waker: UnsafeCell::new(None),
        tx_waker: UnsafeCell::new(None),
    });
    (
        Sender {
            inner: Some(inner.clone()),
        },
        Receiver { inner: Some(inner) },
    )
}

impl<T> Inner<T> {
    /// Takes the value after a `COMPLETE` was observed.
    fn take_value(&self, state: Snapshot) -> Result<T, RecvError> {
        if !state.has_value() {
            return Err(RecvError(()));
        }
        // SAFETY: `VALUE` is set, so the sender is done with the slot and it
        // belongs to the receiver, which is the caller.
        let value = self.value.with_mut(|slot| unsafe { (*slot).take() });
        value.ok_or(RecvError(()))
    }

    /// Wakes the receiver after the sender's `COMPLETE` transition.
    fn wake_rx(&self, previous: Snapshot) {
        if previous.rx_waker_set() && !previous.is_closed() {
            // SAFETY: `RX_WAKER` was set when we completed, so the receiver
            // published its waker and will not write the slot again (it
            // would first clear `RX_WAKER`, and see `COMPLETE`). Only shared
            // reads happen now.
            self.rx_waker.with(|slot| unsafe {
                if let Some(waker) = &*slot {
                    waker.wake_by_ref();
                }
            });
        }
    }

    /// Wakes the sender after the receiver's `CLOSED` transition.
    fn wake_tx(&self, previous: Snapshot) {
        if previous.tx_waker_set() && !previous.is_complete() {
            // SAFETY: mirror of `wake_rx`, with `TX_WAKER` and `CLOSED`.
            self.tx_waker.with(|slot| unsafe {
                if let Some(waker) = &*slot {
                    waker.wake_by_ref();
                }
            });
        }
    }

    /// Stores `waker` in a side's slot and publishes it. `slot` belongs to
    /// the caller's side; `clear`/`set` flip that side's bit; `done` says
    /// whether the other side already finished (then the slot is left
    /// alone and `Ready` is returned).
    ///
    /// # Safety
    ///
    /// `slot` is the caller's own waker slot, and the caller is the only
    /// poller of that side (guaranteed by `&mut` on `Sender`/`Receiver`).
    unsafe fn register(
        slot: &UnsafeCell<Option<Waker>>,
        current: Snapshot,
        has_waker: bool,
        waker: &Waker,
        clear: impl FnOnce() -> Snapshot,
        set: impl FnOnce() -> Snapshot,
        done: impl Fn(Snapshot) -> bool,
    ) -> Poll<Snapshot> {
        if has_waker {
            // SAFETY: our slot; the other side only reads it, so a shared
            // read here is fine even while the bit is set.
            let same =
                slot.with(|slot| unsafe { (*slot).as_ref().is_some_and(|w| w.will_wake(waker)) });
            if same {
                return Poll::Pending;
            }
            let current = clear();
            if done(current) {
                return Poll::Ready(current);
            }
        } else if done(current) {
            return Poll::Ready(current);
        }
        // SAFETY: our bit is clear and the other side has not finished, so
        // it will not read the slot (it reads only if it finds the bit set
        // when it finishes, and we set the bit only after this write).
        slot.with_mut(|slot| unsafe { *slot = Some(waker.clone()) });
        let current = set();
        if done(current) {
            return Poll::Ready(current);
        }
        Poll::Pending
    }
}

impl<T> Sender<T> {
    /// Sends `value`, consuming the sender.
    ///
    /// # Errors
    ///
    /// Gives `value` back if the receiver was closed or dropped.
    ///
    /// # Examples
    ///
    /// ```
    /// use weft::sync::oneshot;
    ///
    /// let (tx, rx) = oneshot::channel();
    /// drop(rx);
    /// assert_eq!(tx.send(5), Err(5));
    /// ```
    pub fn send(mut self, value: T) -> Result<(), T> {
        let inner = self
            .inner
            .take()
            .expect("a sender always holds the channel until it sends");
        // SAFETY: `COMPLETE` is not set (it is set only by this sender, and
        // `send` consumes it), so the value slot belongs to the sender.
        inner.value.with_mut(|slot| unsafe { *slot = Some(value) });
        match inner.state.complete_with_value() {
            Ok(previous) => {
                // Mutant `oneshot_send_skips_wake` (loom check only): a
                // receiver that registered its waker is never woken.
                if !cfg!(weft_loom_mutant = "oneshot_send_skips_wake") {
                    inner.wake_rx(previous);
                }
                Ok(())
            }
            Err(_) => {
                // SAFETY: the receiver closed first, so it never owned the
                // slot; it is still ours.
                let value = inner.value.with_mut(|slot| unsafe { (*slot).take() });
                Err(value.expect("the value was stored above"))
            }
        }
    }

    /// True once the receiver was closed or dropped: a `send` would fail.
    ///
    /// # Examples
    ///
    /// ```
    /// use weft::sync::oneshot;
    ///
    /// let (tx, rx) = oneshot::channel::<()>();
    /// assert!(!tx.is_closed());
    /// drop(rx);
    /// assert!(tx.is_closed());
    /// ```
    pub fn is_closed(&self) -> bool {
        self.inner
            .as_ref()
            .map_or(true, |inner| inner.state.load().is_closed())
    }

    /// Polls for the receiver to close or drop: `Ready` once it has.
    ///
    /// Only the waker of the latest call is woken.
    pub fn poll_closed(&mut self, cx: &mut Context<'_>) -> Poll<()> {
        let restore = ready!(coop::poll_proceed(cx));
        let Some(inner) = self.inner.as_ref() else {
            return Poll::Ready(());
        };
        let current = inner.state.load();
        if current.is_closed() {
            restore.made_progress();
            return Poll::Ready(());
        }
        // SAFETY: the sender's own slot; `&mut self` makes us its only poller.
        let poll = unsafe {
            Inner::<T>::register(
                &inner.tx_waker,
                current,
                current.tx_waker_set(),
                cx.waker(),
                || inner.state.clear_tx_waker(),
                || inner.state.set_tx_waker(),
                Snapshot::is_closed,
            )
        };
        match poll {
            Poll::Ready(_) => {
                restore.made_progress();
                Poll::Ready(())
            }
            Poll::Pending => Poll::Pending,
        }
    }

    /// Waits until the receiver is closed or dropped.
    ///
    /// Useful to stop work whose result nobody wants any more.
    ///
    /// # Examples
    ///
    /// ```
    /// use weft::sync::oneshot;
    ///
    /// # weft::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
    /// let (mut tx, rx) = oneshot::channel::<u32>();
    /// weft::spawn(async move { drop(rx) });
    /// tx.closed().await;
    /// assert!(tx.is_closed());
    /// # });
    /// ```
    pub async fn closed(&mut self) {
        poll_fn(|cx| self.poll_closed(cx)).await
    }
}

impl<T> Drop for Sender<T> {
    fn drop(&mut self) {
        if let Some(inner) = self.inner.take() {
            let previous = inner.state.complete();
            inner.wake_rx(previous);
        }
    }
}

impl<T> fmt::Debug for Sender<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sender")
            .field("is_closed", &self.is_closed())
            .finish()
    }
}

impl<T> Receiver<T> {
    /// Closes the channel without dropping the receiver: a later `send`
    /// fails. A value sent before the close can still be received.
    ///
    /// # Examples
    ///
    /// ```
    /// use weft::sync::oneshot::{self, error::TryRecvError};
    ///
    /// let (tx, mut rx) = oneshot::channel();
    /// rx.close();
    /// assert_eq!(tx.send(1), Err(1));
    /// assert_eq!(rx.try_recv(), Err(TryRecvError::Closed));
    /// ```
    pub fn close(&mut self) {
        if let Some(inner) = self.inner.as_ref() {
            let previous = inner.state.close();
            inner.wake_tx(previous);
        }
    }

    /// Takes the value if it was sent.
    ///
    /// # Errors
    ///
    /// [`TryRecvError::Empty`] if nothing was sent yet,
    /// [`TryRecvError::Closed`] if nothing will come (or it was already
    /// received).
    ///
    /// # Examples
    ///
    /// ```
    /// use weft::sync::oneshot::{self, error::TryRecvError};
    ///
    /// let (tx, mut rx) = oneshot::channel();
    /// assert_eq!(rx.try_recv(), Err(TryRecvError::Empty));
    /// tx.send("hi").unwrap();
    /// assert_eq!(rx.try_recv(), Ok("hi"));
    /// assert_eq!(rx.try_recv(), Err(TryRecvError::Closed));
    /// ```
    pub fn try_recv(&mut self) -> Result<T, TryRecvError> {
        let Some(inner) = self.inner.as_ref() else {
            return Err(TryRecvError::Closed);
        };
        let state = inner.state.load();
        if state.is_complete() {
            let result = inner.take_value(state).map_err(|_| TryRecvError::Closed);
            self.inner = None;
            result
        } else if state.is_closed() {
            self.inner = None;
            Err(TryRecvError::Closed)
        } else {
            Err(TryRecvError::Empty)
        }
    }

    /// Waits for the value from synchronous code, parking the thread.
    ///
    /// # Errors
    ///
    /// [`RecvError`] if the sender was dropped without sending.
    ///
    /// # Panics
    ///
    /// On a thread that drives weft tasks (a runtime worker, or inside
    /// `block_on`): blocking there would stall them.
    ///
    /// # Examples
    ///
    /// ```
    /// use weft::sync::oneshot;
    ///
    /// let (tx, rx) = oneshot::channel();
    /// std::thread::spawn(move || tx.send(9).unwrap());
    /// assert_eq!(rx.blocking_recv(), Ok(9));
    /// ```
    pub fn blocking_recv(self) -> Result<T, RecvError> {
        block_on(self)
    }

    /// True once this receiver has returned its result (value or error).
    pub fn is_terminated(&self) -> bool {
        self.inner.is_none()
    }

    /// True when no value is waiting to be received right now.
    pub fn is_empty(&self) -> bool {
        self.inner
            .as_ref()
            .map_or(true, |inner| !inner.state.load().has_value())
    }
}

impl<T> Future for Receiver<T> {
    type Output = Result<T, RecvError>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let restore = ready!(coop::poll_proceed(cx));
        let inner = self
            .inner
            .as_ref()
            .expect("oneshot::Receiver polled after it returned its result");
        let current = inner.state.load();
        let finished = if current.is_complete() {
            current
        } else if current.is_closed() {
            // Closed by us with nothing sent.
            self.inner = None;
            restore.made_progress();
            return Poll::Ready(Err(RecvError(())));
        } else {
            // SAFETY: the receiver's own slot; `Pin<&mut Self>` makes us its
            // only poller.
            let poll = unsafe {
                Inner::<T>::register(
                    &inner.rx_waker,
                    current,
                    current.rx_waker_set(),
                    cx.waker(),
                    || inner.state.clear_rx_waker(),
                    || inner.state.set_rx_waker(),
                    Snapshot::is_complete,
                )
            };
            match poll {
                Poll::Ready(state) => state,
                Poll::Pending => return Poll::Pending,
            }
        };
        let result = inner.take_value(finished);
        self.inner = None;
        restore.made_progress();
        Poll::Ready(result)
    }
}

impl<T> Drop for Receiver<T> {
    fn drop(&mut self) {
        if let Some(inner) = self.inner.take() {
            let previous = inner.state.close();
            inner.wake_tx(previous);
            if previous.has_value() {
                // Drop an unreceived value now rather than with the sender's
                // handle. SAFETY-wise this is `take_value`: `VALUE` is set.
                drop(inner.take_value(previous));
            }
        }
    }
}

impl<T> fmt::Debug for Receiver<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Receiver")
            .field("is_terminated", &self.is_terminated())
            .finish()
    }
}

#[cfg(test)]
mod tests;
