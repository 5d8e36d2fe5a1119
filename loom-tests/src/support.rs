//! Helpers shared by the models (loom builds only).

use loom::sync::atomic::{AtomicBool, AtomicUsize, Ordering::SeqCst};
use loom::sync::{Arc, Mutex};
use std::collections::VecDeque;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, Wake, Waker};
use weft_scheduler::task::{Id, JoinHandle, Notified, OwnedTasks, Schedule, Task};

/// A scheduler that only queues: the model decides which thread runs what
/// and when. Woken tasks wait in a loom mutex-protected FIFO; spawned tasks
/// are in a real [`OwnedTasks`] list, so completion, release and shutdown
/// go through the task core's own code.
///
/// Every task holds a clone of the queue (a loom `Arc`), so a task that is
/// never freed shows up as a leaked `Arc` when the model ends.
#[derive(Clone)]
pub struct Queue(Arc<QueueInner>);

struct QueueInner {
    ready: Mutex<VecDeque<Notified<Queue>>>,
    owned: OwnedTasks<Queue>,
}

impl Schedule for Queue {
    fn schedule(&self, task: Notified<Self>) {
        self.0.ready.lock().unwrap().push_back(task);
    }

    fn release(&self, task: &Task<Self>) -> Option<Task<Self>> {
        self.0.owned.remove(task)
    }
}

impl Default for Queue {
    fn default() -> Self {
        Queue::new()
    }
}

impl Queue {
    /// An empty queue with one owner-list shard.
    pub fn new() -> Queue {
        Queue(Arc::new(QueueInner {
            ready: Mutex::new(VecDeque::new()),
            owned: OwnedTasks::new(1),
        }))
    }

    /// Binds `future` to the owner list and queues it.
    pub fn spawn<F>(&self, future: F) -> JoinHandle<F::Output>
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static,
    {
        let (join, notified) = self.0.owned.bind(future, self.clone(), Id::next());
        if let Some(notified) = notified {
            self.schedule(notified);
        }
        join
    }

    /// Runs the first queued task, if any.
    pub fn run_one(&self) -> bool {
        let next = self.0.ready.lock().unwrap().pop_front();
        match next {
            Some(task) => {
                task.run();
                true
            }
            None => false,
        }
    }

    /// Runs queued tasks until none is left; returns how many runs.
    pub fn run_all(&self) -> usize {
        let mut runs = 0;
        while self.run_one() {
            runs += 1;
        }
        runs
    }

    /// How many `Notified`s wait in the queue.
    pub fn queued(&self) -> usize {
        self.0.ready.lock().unwrap().len()
    }

    /// How many tasks are in the owner list.
    pub fn alive(&self) -> usize {
        self.0.owned.len()
    }

    /// Closes the owner list (cancelling every task in it) and drops what
    /// is still queued, as a scheduler does at shutdown.
    pub fn shutdown(&self) {
        self.0.owned.close_and_shutdown_all();
        loop {
            let next = self.0.ready.lock().unwrap().pop_front();
            match next {
                Some(task) => drop(task),
                None => break,
            }
        }
    }
}

impl fmt::Debug for Queue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Queue")
            .field("alive", &self.alive())
            .finish()
    }
}

struct GateState {
    /// Whether the gate is open, and the waker of the last pending poll.
    slot: Mutex<(bool, Option<Waker>)>,
    polls: AtomicUsize,
    polling: AtomicBool,
    future_drops: AtomicUsize,
    output_drops: AtomicUsize,
}

/// A future that stays pending until its [`GateHandle`] opens it, then
/// yields a [`Token`]. It counts its polls, panics if two polls overlap,
/// and counts the drops of itself and of its output.
pub struct Gate {
    state: Arc<GateState>,
}

/// The model's side of a [`Gate`]: opens it and reads its counters.
#[derive(Clone)]
pub struct GateHandle {
    state: Arc<GateState>,
}

/// The output of a [`Gate`]; its drop is counted.
pub struct Token {
    state: Arc<GateState>,
}

impl Gate {
    /// A closed gate and its handle.
    pub fn new() -> (Gate, GateHandle) {
        let state = Arc::new(GateState {
            slot: Mutex::new((false, None)),
            polls: AtomicUsize::new(0),
            polling: AtomicBool::new(false),
            future_drops: AtomicUsize::new(0),
            output_drops: AtomicUsize::new(0),
        });
        (
            Gate {
                state: state.clone(),
            },
            GateHandle { state },
        )
    }

    /// A gate that is open from the start: its first poll is ready.
    pub fn open() -> (Gate, GateHandle) {
        let (gate, handle) = Gate::new();
        handle.state.slot.lock().unwrap().0 = true;
        (gate, handle)
    }
}

impl Future for Gate {
    type Output = Token;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Token> {
        let state = &self.state;
        assert!(
            !state.polling.swap(true, SeqCst),
            "a task was polled by two threads at once"
        );
        state.polls.fetch_add(1, SeqCst);
        let mut slot = state.slot.lock().unwrap();
        let result = if slot.0 {
            Poll::Ready(Token {
                state: state.clone(),
            })
        } else {
            slot.1 = Some(cx.waker().clone());
            Poll::Pending
        };
        drop(slot);
        state.polling.store(false, SeqCst);
        result
    }
}

impl Drop for Gate {
    fn drop(&mut self) {
        self.state.future_drops.fetch_add(1, SeqCst);
    }
}

impl Drop for Token {
    fn drop(&mut self) {
        self.state.output_drops.fetch_add(1, SeqCst);
    }
}

impl GateHandle {
    /// Opens the gate and wakes the last poll's waker (by value), if any.
    pub fn open(&self) {
        let waker = {
            let mut slot = self.state.slot.lock().unwrap();
            slot.0 = true;
            slot.1.take()
        };
        if let Some(waker) = waker {
            waker.wake();
        }
    }

    /// Takes the stored waker without opening the gate.
    pub fn take_waker(&self) -> Option<Waker> {
        self.state.slot.lock().unwrap().1.take()
    }

    /// How many times the future was polled.
    pub fn polls(&self) -> usize {
        self.state.polls.load(SeqCst)
    }

    /// How many times the future was dropped (0 or 1).
    pub fn future_drops(&self) -> usize {
        self.state.future_drops.load(SeqCst)
    }

    /// How many outputs were dropped (0 or 1).
    pub fn output_drops(&self) -> usize {
        self.state.output_drops.load(SeqCst)
    }
}

impl fmt::Debug for Gate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Gate")
    }
}

impl fmt::Debug for GateHandle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("GateHandle")
            .field("polls", &self.polls())
            .finish()
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Token")
    }
}

/// Counts the wake-ups it receives, in a loom atomic.
#[derive(Debug)]
pub struct WakeCount(AtomicUsize);

impl WakeCount {
    /// Wake-ups so far.
    pub fn get(&self) -> usize {
        self.0.load(SeqCst)
    }
}

impl Wake for WakeCount {
    fn wake(self: std::sync::Arc<Self>) {
        self.0.fetch_add(1, SeqCst);
    }

    fn wake_by_ref(self: &std::sync::Arc<Self>) {
        self.0.fetch_add(1, SeqCst);
    }
}

/// A waker that counts its wake-ups, and the counter.
pub fn counting_waker() -> (std::sync::Arc<WakeCount>, Waker) {
    let count = std::sync::Arc::new(WakeCount(AtomicUsize::new(0)));
    (count.clone(), Waker::from(count))
}

/// Polls `future` once with `waker`.
pub fn poll_once<F: Future + Unpin>(future: &mut F, waker: &Waker) -> Poll<F::Output> {
    Pin::new(future).poll(&mut Context::from_waker(waker))
}
