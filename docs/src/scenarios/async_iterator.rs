//! A hand-written asynchronous iterator (`__aiter__`/`__anext__`).
//!
//! The Rust counterpart of an async iterator is a type that implements
//! [`Stream`]: `poll_next` returns `Ready(Some(item))`, `Ready(None)` at
//! the end (Python's `StopAsyncIteration`), or `Pending` while it waits.

use crate::{Output, Stopwatch};
use futures_core::Stream;
use std::future::poll_fn;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;
use weft::time::Sleep;

/// Yields the items of a vector, waiting half a second before each.
#[derive(Debug)]
pub struct DataStream {
    data: Vec<u32>,
    index: usize,
    delay: Pin<Box<Sleep>>,
}

impl DataStream {
    /// A stream over `data`.
    ///
    /// # Panics
    ///
    /// Panics outside a weft runtime with time enabled.
    pub fn new(data: Vec<u32>) -> DataStream {
        DataStream { data, index: 0, delay: Box::pin(weft::time::sleep(Self::PAUSE)) }
    }

    const PAUSE: Duration = Duration::from_millis(500);
}

impl Stream for DataStream {
    type Item = u32;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<u32>> {
        if self.index >= self.data.len() {
            return Poll::Ready(None);
        }
        // Wait for the pending delay; `Sleep` registers our waker.
        if self.delay.as_mut().poll(cx).is_pending() {
            return Poll::Pending;
        }
        let value = self.data[self.index];
        self.index += 1;
        let next = weft::time::Instant::now() + Self::PAUSE;
        self.delay.as_mut().reset(next);
        Poll::Ready(Some(value))
    }
}

use std::future::Future as _;

/// The next item of `stream` (what `async for` does on each turn).
pub async fn next<S: Stream + Unpin>(stream: &mut S) -> Option<S::Item> {
    poll_fn(|cx| Pin::new(&mut *stream).poll_next(cx)).await
}

/// Consumes a stream of 1..=5 and returns the items with the elapsed time.
pub async fn run(out: &Output) -> (Vec<u32>, Duration) {
    let clock = Stopwatch::start();
    let mut stream = DataStream::new(vec![1, 2, 3, 4, 5]);
    let mut seen = Vec::new();
    while let Some(value) = next(&mut stream).await {
        out.line(clock.stamp(value));
        seen.push(value);
    }
    (seen, clock.elapsed())
}
