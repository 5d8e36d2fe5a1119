//! The pieces of the multi-thread scheduler that the loom models in
//! `weft-loom-tests` drive directly; built only under `--cfg loom`. Not
//! part of the public API.
//!
//! Each type wraps the real one without changing its behaviour, so a model
//! checks the code the scheduler runs.

use super::idle;
use super::park::{self, SharedDriver};
use super::queue;
use crate::loom::sync::Arc;
use crate::park::Park;
use std::fmt;

/// The searching/parked counts and the sleeper list (`idle.rs`).
pub struct Idle(idle::Idle);

impl Idle {
    /// `num_workers` workers, all unparked and none searching.
    pub fn new(num_workers: usize) -> Idle {
        Idle(idle::Idle::new(num_workers))
    }

    /// The worker a producer of new work must wake, if any; it is counted
    /// as unparked and searching.
    pub fn worker_to_notify(&self) -> Option<usize> {
        self.0.worker_to_notify()
    }

    /// Starts searching; false when half the workers already search.
    pub fn transition_worker_to_searching(&self) -> bool {
        self.0.transition_worker_to_searching()
    }

    /// Stops searching; true for the last searcher.
    pub fn transition_worker_from_searching(&self) -> bool {
        self.0.transition_worker_from_searching()
    }

    /// Registers a sleeper; true for the last searcher, who must re-check
    /// the queues.
    pub fn transition_worker_to_parked(&self, worker: usize, is_searching: bool) -> bool {
        self.0.transition_worker_to_parked(worker, is_searching)
    }

    /// A sleeper woke on its own; false if a producer had already taken it
    /// off the list (it then counts as searching).
    pub fn unpark_worker_by_id(&self, worker: usize) -> bool {
        self.0.unpark_worker_by_id(worker)
    }

    /// True while `worker` is on the sleeper list.
    pub fn is_parked(&self, worker: usize) -> bool {
        self.0.is_parked(worker)
    }

    /// `(unparked, searching)`.
    pub fn counts(&self) -> (usize, usize) {
        self.0.counts()
    }
}

impl fmt::Debug for Idle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (unparked, searching) = self.counts();
        f.debug_struct("Idle").field("unparked", &unparked).field("searching", &searching).finish()
    }
}

/// The driver that a set of worker parkers share.
pub struct Driver(Arc<SharedDriver>);

impl Driver {
    /// Wraps `driver` as the shared driver of a runtime.
    pub fn new(driver: Box<dyn Park>) -> Driver {
        Driver(SharedDriver::new(driver))
    }

    /// A worker parker that sleeps in this driver when it is free.
    pub fn parker(&self) -> Parker {
        Parker(park::Parker::new(self.0.clone()))
    }

    /// Takes the driver, as a worker sleeping in it does: while the guard
    /// lives, parkers sleep on their condvar.
    ///
    /// # Panics
    ///
    /// Panics if a parker holds the driver.
    pub fn hold(&self) -> DriverGuard<'_> {
        DriverGuard(self.0.hold().expect("the driver is held by a parker"))
    }
}

impl fmt::Debug for Driver {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Driver")
    }
}

/// The shared driver's lock, held (see [`Driver::hold`]).
pub struct DriverGuard<'a>(#[allow(dead_code)] park::DriverGuard<'a>);

impl fmt::Debug for DriverGuard<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("DriverGuard")
    }
}

/// One worker's parker (`park.rs`).
pub struct Parker(park::Parker);

impl Parker {
    /// Sleeps until unparked; may return spuriously.
    pub fn park(&mut self) {
        self.0.park();
    }

    /// Polls the driver without blocking if it is free.
    pub fn poll_driver(&mut self) {
        self.0.poll_driver();
    }

    /// The handle that wakes this parker.
    pub fn unparker(&self) -> Unparker {
        Unparker(self.0.unparker())
    }
}

impl fmt::Debug for Parker {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Parker")
    }
}

/// Wakes one worker's parker.
#[derive(Clone)]
pub struct Unparker(park::Unparker);

impl Unparker {
    /// Makes the parker's current or next `park` return.
    pub fn unpark(&self) {
        self.0.unpark();
    }
}

impl fmt::Debug for Unparker {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Unparker")
    }
}

/// A worker's local run queue (`queue.rs`). Under loom this is the
/// mutex-protected stand-in for crossbeam-deque's worker queue, with the
/// same interface: FIFO `pop` for the owner, steal-half for the others.
pub struct RunQueue<T>(queue::Local<T>);

impl<T> RunQueue<T> {
    /// An empty queue.
    #[allow(clippy::new_without_default)]
    pub fn new() -> RunQueue<T> {
        RunQueue(queue::Local::new())
    }

    /// Adds `item` at the back, as the owning worker does.
    pub fn push(&self, item: T) {
        self.0.push(item);
    }

    /// Takes the item at the front, as the owning worker does.
    pub fn pop(&self) -> Option<T> {
        self.0.pop()
    }

    /// True when the queue holds nothing.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The handle other workers steal through.
    pub fn stealer(&self) -> Stealer<T> {
        Stealer(self.0.stealer())
    }
}

impl<T> fmt::Debug for RunQueue<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RunQueue").field("len", &self.0.len()).finish()
    }
}

/// Steals from a [`RunQueue`] (`queue.rs`), as a searching worker does.
pub struct Stealer<T>(queue::Stealer<T>);

impl<T> Stealer<T> {
    /// Moves about half of the victim's items into `dest` and returns one
    /// of them; `None` if the victim was empty.
    pub fn steal_half_into(&self, dest: &RunQueue<T>) -> Option<T> {
        self.0.steal_half_into(&dest.0)
    }

    /// True when the victim holds nothing.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl<T> fmt::Debug for Stealer<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Stealer")
    }
}
