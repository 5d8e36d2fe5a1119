//! Helpers shared by the integration tests: a driver on its own thread and
//! wakers that unpark the waiting test thread. Every wait is bounded.
#![allow(dead_code, unreachable_pub)]

use std::future::Future;
use std::net::SocketAddr;
use std::pin::pin;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll, Wake, Waker};
use std::thread::{self, JoinHandle, Thread};
use std::time::{Duration, Instant};

use weft_reactor::{Driver, Handle};

/// How long any single wait may take before the test fails instead of
/// hanging. Generous: it bounds failures, it is not a performance claim.
pub const DEADLINE: Duration = Duration::from_secs(10);

/// A driver turning on its own thread until dropped.
pub struct DriverThread {
    handle: Handle,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl DriverThread {
    pub fn start() -> DriverThread {
        let mut driver = Driver::new().expect("create the driver");
        let handle = driver.handle();
        let stop = Arc::new(AtomicBool::new(false));
        let thread = thread::Builder::new()
            .name("reactor-test-driver".into())
            .spawn({
                let stop = stop.clone();
                move || {
                    while !stop.load(Ordering::Acquire) {
                        driver.turn(None);
                    }
                }
            })
            .expect("spawn the driver thread");
        DriverThread { handle, stop, thread: Some(thread) }
    }

    pub fn handle(&self) -> &Handle {
        &self.handle
    }
}

impl Drop for DriverThread {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Release);
        self.handle.unpark();
        if let Some(thread) = self.thread.take() {
            let result = thread.join();
            if !thread::panicking() {
                result.expect("the driver thread panicked");
            }
        }
    }
}

/// A waker that unparks one thread and counts its wake-ups.
#[derive(Debug)]
pub struct ThreadWaker {
    thread: Thread,
    wakes: AtomicUsize,
}

impl ThreadWaker {
    /// A waker for the current thread.
    pub fn current() -> (Arc<ThreadWaker>, Waker) {
        let state = Arc::new(ThreadWaker { thread: thread::current(), wakes: AtomicUsize::new(0) });
        let waker = Waker::from(state.clone());
        (state, waker)
    }

    pub fn wakes(&self) -> usize {
        self.wakes.load(Ordering::SeqCst)
    }
}

impl Wake for ThreadWaker {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        self.wakes.fetch_add(1, Ordering::SeqCst);
        self.thread.unpark();
    }
}

/// Polls `poll` with a waker that unparks this thread, parking between
/// polls, until it is ready. Panics after [`DEADLINE`]; in particular a
/// `Pending` whose waker is never woken fails instead of passing late.
pub fn wait<T>(what: &str, mut poll: impl FnMut(&mut Context<'_>) -> Poll<T>) -> T {
    let (_, waker) = ThreadWaker::current();
    let mut cx = Context::from_waker(&waker);
    let deadline = Instant::now() + DEADLINE;
    loop {
        if let Poll::Ready(value) = poll(&mut cx) {
            return value;
        }
        let now = Instant::now();
        assert!(now < deadline, "timed out waiting for {what}");
        thread::park_timeout(deadline - now);
        assert!(Instant::now() < deadline, "timed out waiting for {what}: no wake-up came");
    }
}

/// Parks until `condition` holds (re-checking on every unpark and at
/// least every 10 ms); panics after [`DEADLINE`].
pub fn wait_until(what: &str, mut condition: impl FnMut() -> bool) {
    let deadline = Instant::now() + DEADLINE;
    while !condition() {
        let now = Instant::now();
        assert!(now < deadline, "timed out waiting for {what}");
        thread::park_timeout(Duration::from_millis(10).min(deadline - now));
    }
}

/// Runs `future` to completion on this thread; panics after [`DEADLINE`].
pub fn block_on<F: Future>(future: F) -> F::Output {
    let mut future = pin!(future);
    wait("a future", |cx| future.as_mut().poll(cx))
}

pub fn localhost() -> SocketAddr {
    "127.0.0.1:0".parse().unwrap()
}

pub fn udp() -> mio::net::UdpSocket {
    mio::net::UdpSocket::bind(localhost()).expect("bind a UDP socket")
}
