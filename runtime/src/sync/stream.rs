//! `Stream` adapters for the channel receivers (the `stream` feature).
//!
//! These wrap a receiver so it can be used with stream combinators
//! (`StreamExt` from `futures` or `tokio-stream`). The mpsc receivers also
//! implement [`Stream`] directly; the wrappers exist for code written
//! against `tokio-stream`'s names.
//!
//! # Examples
//!
//! ```
//! use std::future::poll_fn;
//! use std::pin::Pin;
//! use futures_core::Stream;
//! use weft::sync::{mpsc, stream::ReceiverStream};
//!
//! # weft::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
//! let (tx, rx) = mpsc::channel(4);
//! tx.send(1).await.unwrap();
//! drop(tx);
//! let mut stream = ReceiverStream::new(rx);
//! let next = poll_fn(|cx| Pin::new(&mut stream).poll_next(cx)).await;
//! assert_eq!(next, Some(1));
//! # });
//! ```

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{ready, Context, Poll};

use futures_core::Stream;
use weft_scheduler::coop;

use crate::sync::{broadcast, mpsc, watch};

/// A [`Stream`] of the messages of an [`mpsc::Receiver`].
#[derive(Debug)]
pub struct ReceiverStream<T> {
    inner: mpsc::Receiver<T>,
}

impl<T> ReceiverStream<T> {
    /// Wraps `receiver`.
    pub fn new(receiver: mpsc::Receiver<T>) -> Self {
        ReceiverStream { inner: receiver }
    }

    /// The wrapped receiver.
    pub fn into_inner(self) -> mpsc::Receiver<T> {
        self.inner
    }

    /// Closes the channel without dropping the stream; see
    /// [`mpsc::Receiver::close`].
    pub fn close(&mut self) {
        self.inner.close();
    }
}

impl<T> Stream for ReceiverStream<T> {
    type Item = T;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<T>> {
        self.inner.poll_recv(cx)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.inner.len(), None)
    }
}

impl<T> From<mpsc::Receiver<T>> for ReceiverStream<T> {
    fn from(receiver: mpsc::Receiver<T>) -> Self {
        ReceiverStream::new(receiver)
    }
}

impl<T> AsRef<mpsc::Receiver<T>> for ReceiverStream<T> {
    fn as_ref(&self) -> &mpsc::Receiver<T> {
        &self.inner
    }
}

impl<T> AsMut<mpsc::Receiver<T>> for ReceiverStream<T> {
    fn as_mut(&mut self) -> &mut mpsc::Receiver<T> {
        &mut self.inner
    }
}

/// A [`Stream`] of the messages of an [`mpsc::UnboundedReceiver`].
#[derive(Debug)]
pub struct UnboundedReceiverStream<T> {
    inner: mpsc::UnboundedReceiver<T>,
}

impl<T> UnboundedReceiverStream<T> {
    /// Wraps `receiver`.
    pub fn new(receiver: mpsc::UnboundedReceiver<T>) -> Self {
        UnboundedReceiverStream { inner: receiver }
    }

    /// The wrapped receiver.
    pub fn into_inner(self) -> mpsc::UnboundedReceiver<T> {
        self.inner
    }

    /// Closes the channel without dropping the stream.
    pub fn close(&mut self) {
        self.inner.close();
    }
}

impl<T> Stream for UnboundedReceiverStream<T> {
    type Item = T;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<T>> {
        self.inner.poll_recv(cx)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.inner.len(), None)
    }
}

impl<T> From<mpsc::UnboundedReceiver<T>> for UnboundedReceiverStream<T> {
    fn from(receiver: mpsc::UnboundedReceiver<T>) -> Self {
        UnboundedReceiverStream::new(receiver)
    }
}

impl<T> AsRef<mpsc::UnboundedReceiver<T>> for UnboundedReceiverStream<T> {
    fn as_ref(&self) -> &mpsc::UnboundedReceiver<T> {
        &self.inner
    }
}

impl<T> AsMut<mpsc::UnboundedReceiver<T>> for UnboundedReceiverStream<T> {
    fn as_mut(&mut self) -> &mut mpsc::UnboundedReceiver<T> {
        &mut self.inner
    }
}

/// A lagging [`BroadcastStream`] reports how many values it missed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BroadcastStreamRecvError {
    /// This many values were overwritten before the stream read them.
    Lagged(u64),
}

impl fmt::Display for BroadcastStreamRecvError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BroadcastStreamRecvError::Lagged(n) => {
                write!(f, "stream lagged behind by {n} messages")
            }
        }
    }
}

impl std::error::Error for BroadcastStreamRecvError {}

/// A [`Stream`] of the values of a [`broadcast::Receiver`]. Ends when the
/// channel is closed and drained; a lag is an `Err` item, after which the
/// stream continues with the oldest value retained.
#[derive(Debug)]
pub struct BroadcastStream<T> {
    inner: broadcast::Receiver<T>,
}

impl<T: Clone> BroadcastStream<T> {
    /// Wraps `receiver`.
    pub fn new(receiver: broadcast::Receiver<T>) -> Self {
        BroadcastStream { inner: receiver }
    }

    /// The wrapped receiver.
    pub fn into_inner(self) -> broadcast::Receiver<T> {
        self.inner
    }
}

impl<T: Clone> Stream for BroadcastStream<T> {
    type Item = Result<T, BroadcastStreamRecvError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let restore = ready!(coop::poll_proceed(cx));
        let item = match ready!(self.inner.poll_recv_inner(cx)) {
            Ok(value) => Some(Ok(value)),
            Err(broadcast::error::RecvError::Lagged(n)) => {
                Some(Err(BroadcastStreamRecvError::Lagged(n)))
            }
            Err(broadcast::error::RecvError::Closed) => None,
        };
        restore.made_progress();
        Poll::Ready(item)
    }
}

impl<T: Clone> From<broadcast::Receiver<T>> for BroadcastStream<T> {
    fn from(receiver: broadcast::Receiver<T>) -> Self {
        BroadcastStream::new(receiver)
    }
}

type WatchFuture<T> =
    Pin<Box<dyn Future<Output = (Result<(), watch::error::RecvError>, watch::Receiver<T>)> + Send>>;

/// A [`Stream`] of the values of a [`watch::Receiver`]: yields a clone of
/// the value each time it changes (intermediate values may be skipped) and
/// ends when every sender is gone.
pub struct WatchStream<T> {
    inner: WatchFuture<T>,
}

async fn next_change<T: Send + Sync>(
    mut receiver: watch::Receiver<T>,
) -> (Result<(), watch::error::RecvError>, watch::Receiver<T>) {
    let result = receiver.changed().await;
    (result, receiver)
}

impl<T: Clone + Send + Sync + 'static> WatchStream<T> {
    /// A stream that yields the current value first, then each change.
    pub fn new(receiver: watch::Receiver<T>) -> Self {
        WatchStream {
            inner: Box::pin(async move { (Ok(()), receiver) }),
        }
    }

    /// A stream that skips the current value (unless `receiver` has not
    /// seen it) and yields only later changes.
    pub fn from_changes(receiver: watch::Receiver<T>) -> Self {
        WatchStream {
            inner: Box::pin(next_change(receiver)),
        }
    }
}

impl<T: Clone + Send + Sync + 'static> Stream for WatchStream<T> {
    type Item = T;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<T>> {
        let (result, mut receiver) = ready!(self.inner.as_mut().poll(cx));
        let item = match result {
            Ok(()) => Some(receiver.borrow_and_update().clone()),
            Err(_) => None,
        };
        self.inner = Box::pin(next_change(receiver));
        Poll::Ready(item)
    }
}

impl<T> fmt::Debug for WatchStream<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WatchStream").finish_non_exhaustive()
    }
}

impl<T: Clone + Send + Sync + 'static> From<watch::Receiver<T>> for WatchStream<T> {
    fn from(receiver: watch::Receiver<T>) -> Self {
        WatchStream::new(receiver)
    }
}
