//! Helpers shared by the `macros_*` tests: a runtime-free `block_on`, a
//! one-shot channel to finish futures from other threads in a chosen order,
//! and futures that count their polls and drops.
#![allow(dead_code)]

use std::future::Future;
use std::pin::{pin, Pin};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Wake, Waker};
use std::thread::{self, Thread};

struct Unpark(Thread);

impl Wake for Unpark {
    fn wake(self: Arc<Self>) {
        self.0.unpark();
    }
}

/// Runs `future` to completion on this thread, parking while it is pending.
pub(crate) fn block_on<F: Future>(future: F) -> F::Output {
    let waker = Waker::from(Arc::new(Unpark(thread::current())));
    let mut cx = Context::from_waker(&waker);
    let mut future = pin!(future);
    loop {
        match future.as_mut().poll(&mut cx) {
            Poll::Ready(out) => return out,
            // An unpark that arrived before this park makes it return at
            // once, so a wake-up is never lost; a spurious return only costs
            // one more poll.
            Poll::Pending => thread::park(),
        }
    }
}

/// A waker that does nothing, for polling by hand.
pub(crate) fn noop_waker() -> Waker {
    struct Noop;
    impl Wake for Noop {
        fn wake(self: Arc<Self>) {}
    }
    Waker::from(Arc::new(Noop))
}

/// Polls `future` once with a waker that does nothing.
pub(crate) fn poll_once<F: Future + ?Sized>(future: Pin<&mut F>) -> Poll<F::Output> {
    let waker = noop_waker();
    future.poll(&mut Context::from_waker(&waker))
}

struct Slot<T> {
    value: Option<T>,
    waker: Option<Waker>,
}

/// The sending half of [`oneshot`].
pub(crate) struct Sender<T>(Arc<Mutex<Slot<T>>>);

/// The receiving half of [`oneshot`]: a future that is pending until
/// [`Sender::send`] is called.
pub(crate) struct Receiver<T>(Arc<Mutex<Slot<T>>>);

/// A one-value channel whose receiver is a future.
pub(crate) fn oneshot<T>() -> (Sender<T>, Receiver<T>) {
    let slot = Arc::new(Mutex::new(Slot {
        value: None,
        waker: None,
    }));
    (Sender(Arc::clone(&slot)), Receiver(slot))
}

impl<T> Sender<T> {
    pub(crate) fn send(self, value: T) {
        let waker = {
            let mut slot = self.0.lock().unwrap();
            slot.value = Some(value);
            slot.waker.take()
        };
        if let Some(waker) = waker {
            waker.wake();
        }
    }
}

impl<T> Future for Receiver<T> {
    type Output = T;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<T> {
        let mut slot = self.0.lock().unwrap();
        match slot.value.take() {
            Some(value) => Poll::Ready(value),
            None => {
                slot.waker = Some(cx.waker().clone());
                Poll::Pending
            }
        }
    }
}

/// Sends `values[i]` on `senders[i]` from another thread, in the order
/// given by `order`, each send after the previous one has been made.
pub(crate) fn send_in_order<T: Send + 'static>(
    senders: Vec<Sender<T>>,
    values: Vec<T>,
    order: &[usize],
) {
    let mut pairs: Vec<Option<(Sender<T>, T)>> =
        senders.into_iter().zip(values).map(Some).collect();
    let ordered: Vec<(Sender<T>, T)> = order
        .iter()
        .map(|&i| pairs[i].take().expect("index used twice"))
        .collect();
    thread::spawn(move || {
        for (sender, value) in ordered {
            sender.send(value);
            thread::yield_now();
        }
    });
}

/// Counts drops of the values it hands out.
#[derive(Clone, Default)]
pub(crate) struct DropCount(Arc<AtomicUsize>);

impl DropCount {
    pub(crate) fn get(&self) -> usize {
        self.0.load(Ordering::SeqCst)
    }

    /// Wraps `future` so that dropping it (finished or not) adds one.
    pub(crate) fn track<F: Future>(&self, future: F) -> Tracked<F> {
        Tracked {
            future: Box::pin(future),
            count: self.clone(),
        }
    }
}

/// A future that counts its drop in a [`DropCount`].
pub(crate) struct Tracked<F> {
    future: Pin<Box<F>>,
    count: DropCount,
}

impl<F: Future> Future for Tracked<F> {
    type Output = F::Output;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        self.future.as_mut().poll(cx)
    }
}

impl<F> Drop for Tracked<F> {
    fn drop(&mut self) {
        self.count.0.fetch_add(1, Ordering::SeqCst);
    }
}

/// A shared log of events, for asserting the order things happened in.
#[derive(Clone, Default)]
pub(crate) struct Log<T>(Arc<Mutex<Vec<T>>>);

impl<T: Clone> Log<T> {
    pub(crate) fn push(&self, event: T) {
        self.0.lock().unwrap().push(event);
    }

    pub(crate) fn take(&self) -> Vec<T> {
        std::mem::take(&mut *self.0.lock().unwrap())
    }
}

/// A future that logs `id` every time it is polled and is ready with `id`
/// on its `ready_on`-th poll; before that it wakes itself and is pending.
pub(crate) fn ready_on_poll(
    id: usize,
    ready_on: usize,
    log: &Log<usize>,
) -> impl Future<Output = usize> {
    let log = log.clone();
    let mut polls = 0;
    std::future::poll_fn(move |cx| {
        log.push(id);
        polls += 1;
        if polls >= ready_on {
            Poll::Ready(id)
        } else {
            cx.waker().wake_by_ref();
            Poll::Pending
        }
    })
}

/// Pending once (waking itself at once), then ready.
pub(crate) async fn yield_now() {
    let mut yielded = false;
    std::future::poll_fn(move |cx| {
        if yielded {
            Poll::Ready(())
        } else {
            yielded = true;
            cx.waker().wake_by_ref();
            Poll::Pending
        }
    })
    .await
}
