//! The future behind `readable().await` and `writable().await`.

use std::fmt;
use std::future::Future;
use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};

use crate::scheduled_io::ScheduledIo;
use crate::{Ready, ReadyEvent};

/// Future returned by [`Registration::readiness`](crate::Registration::readiness):
/// resolves once the registration is ready for the interest it was made
/// with.
///
/// Cancel-safe: dropping it removes its waker entry and loses no readiness.
#[must_use = "futures do nothing unless polled"]
pub struct Readiness<'a> {
    io: &'a ScheduledIo,
    mask: Ready,
    /// The waiter entry, once the future has returned `Pending`.
    key: Option<usize>,
}

impl<'a> Readiness<'a> {
    pub(crate) fn new(io: &'a ScheduledIo, mask: Ready) -> Readiness<'a> {
        Readiness { io, mask, key: None }
    }
}

impl Future for Readiness<'_> {
    type Output = io::Result<ReadyEvent>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.get_mut();
        this.io.poll_waiter(cx, this.mask, &mut this.key)
    }
}

impl Drop for Readiness<'_> {
    fn drop(&mut self) {
        if let Some(key) = self.key.take() {
            self.io.remove_waiter(key);
        }
    }
}

impl fmt::Debug for Readiness<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Readiness").field("mask", &self.mask).field("waiting", &self.key.is_some()).finish()
    }
}
