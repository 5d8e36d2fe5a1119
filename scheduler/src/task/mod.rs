//! The task core: one allocation per spawned future.
//!
//! # Layout
//!
//! A task is a `Cell<F, S>` (see `core.rs`): a type-erased `Header` at
//! offset 0 (the state word, the function table, the id, the owner-list
//! links and the join waker slot), the scheduler handle `S`, and the
//! *stage*: the future, then its output, then nothing once the output was
//! taken.
//!
//! # References
//!
//! The high bits of the state word count references. A task starts with
//! three: the owner list's [`Task`], the first [`Notified`] and the
//! [`JoinHandle`]. Every `Waker` and every [`AbortHandle`] holds one more.
//! The allocation is freed when the count reaches zero, by whoever drops
//! the last one.
//!
//! # Who may touch what
//!
//! | field | rule |
//! |---|---|
//! | the future (stage `Running`) | only the thread that set RUNNING |
//! | the output (stage `Finished`) | written by the RUNNING thread before COMPLETE is published (release); after COMPLETE it belongs to the `JoinHandle` if JOIN_INTEREST was set at that moment, else to the completing thread |
//! | the join waker slot | JOIN_WAKER clear: the `JoinHandle`; JOIN_WAKER set: the runtime side, which reads it (to wake) once the task completes and clears the bit afterwards |
//! | owner-list links | whoever holds the lock of the owner list shard |
//!
//! # State transitions
//!
//! - *run* (holder of a `Notified`): idle → RUNNING, clearing NOTIFIED. If
//!   the task is already running or complete the `Notified` is stale and
//!   its reference is dropped. With CANCELLED set, the future is dropped
//!   instead of polled.
//! - *pending*: RUNNING → idle, dropping the runner's reference; if a wake
//!   arrived meanwhile (NOTIFIED) the runner keeps the reference and
//!   resubmits the task; if CANCELLED arrived, it cancels instead.
//! - *wake*: idle → NOTIFIED plus one reference, then the task is handed to
//!   its scheduler. Waking a running task only sets NOTIFIED; waking a
//!   notified or complete task does nothing. So a task is in at most one
//!   run queue at a time and is never polled by two threads at once.
//! - *abort* (any thread): sets CANCELLED; if the task is idle it is also
//!   notified so a worker drops the future soon.
//! - *shutdown* (the owner): sets CANCELLED and, if the task is idle,
//!   claims RUNNING and drops the future on the spot.
//! - *complete*: RUNNING → COMPLETE, then the join waker is woken, the task
//!   leaves its owner list, and the runner drops its reference(s).
//!
//! All transitions are compare-exchange loops or single read-modify-write
//! operations with acquire-release ordering on the one state word, which
//! totally orders them; the publication of the output and the hand-over of
//! the join waker ride on those orderings.

mod abort;
mod core;
mod error;
mod harness;
mod id;
mod join;
mod list;
mod raw;
mod state;
mod waker;

pub use abort::AbortHandle;
pub use error::JoinError;
pub use id::{try_id, Id};
pub use join::JoinHandle;
pub use list::OwnedTasks;

pub(crate) use id::IdGuard;
use raw::RawTask;
use std::fmt;
use std::future::Future;
use std::marker::PhantomData;

/// What a scheduler provides to its tasks.
pub trait Schedule: Send + Sync + Sized + 'static {
    /// A task was woken: queue it to be run.
    fn schedule(&self, task: Notified<Self>);

    /// The running task woke itself (for example `yield_now`): queue it
    /// behind the other ready tasks. Defaults to [`schedule`](Self::schedule).
    fn yield_now(&self, task: Notified<Self>) {
        self.schedule(task);
    }

    /// The running task spent its whole coop budget and was pushed back
    /// by a resource (it woke itself from there): it is busy with ready
    /// resources rather than yielding on its own. Defaults to
    /// [`yield_now`](Self::yield_now).
    fn yield_after_budget(&self, task: Notified<Self>) {
        self.yield_now(task);
    }

    /// A task finished: remove it from the owner list, returning the list's
    /// reference if it was there.
    fn release(&self, task: &Task<Self>) -> Option<Task<Self>>;
}

/// One counted reference to a task, as held by an owner list.
pub struct Task<S: 'static> {
    raw: RawTask,
    _scheduler: PhantomData<S>,
}

impl<S: 'static> Task<S> {
    /// # Safety
    ///
    /// The caller hands over one counted reference to a task whose
    /// scheduler type is `S`.
    pub(crate) unsafe fn from_raw(raw: RawTask) -> Task<S> {
        Task { raw, _scheduler: PhantomData }
    }

    /// The task's id.
    pub fn id(&self) -> Id {
        self.raw.id()
    }

    /// Cancels the task on behalf of its owner (runtime shutdown).
    pub fn shutdown(self) {
        let raw = self.raw;
        std::mem::forget(self);
        // SAFETY: the reference held by `self` is given up to `shutdown`.
        unsafe { raw.shutdown() }
    }
}

impl<S: 'static> Drop for Task<S> {
    fn drop(&mut self) {
        // SAFETY: the handle gives up its reference.
        unsafe { self.raw.drop_reference() }
    }
}

impl<S> fmt::Debug for Task<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Task").field("id", &self.id()).field("state", &self.raw.header().state).finish()
    }
}

/// A task that is ready to run: the item of every run queue. Holds one
/// counted reference; running the task consumes it.
pub struct Notified<S: 'static>(Task<S>);

// SAFETY: a `Notified` reaches the future only through `run`, which the
// scheduler calls on a thread allowed to poll it (any thread for `Send`
// futures; the owning thread for local ones, which never leave it).
unsafe impl<S: Schedule> Send for Notified<S> {}
// SAFETY: as above.
unsafe impl<S: Schedule> Sync for Notified<S> {}
// SAFETY: as for `Notified`.
unsafe impl<S: Schedule> Send for Task<S> {}
// SAFETY: as for `Notified`.
unsafe impl<S: Schedule> Sync for Task<S> {}

impl<S: 'static> Notified<S> {
    /// # Safety
    ///
    /// As [`Task::from_raw`].
    pub(crate) unsafe fn from_raw(raw: RawTask) -> Notified<S> {
        // SAFETY: forwarded contract.
        Notified(unsafe { Task::from_raw(raw) })
    }

    /// Runs the task once: polls its future, or cancels it if it was
    /// aborted.
    pub fn run(self) {
        let raw = self.0.raw;
        std::mem::forget(self);
        // SAFETY: the `Notified`'s reference is given up to the poll.
        unsafe { raw.poll() }
    }

    /// The task's id.
    pub fn id(&self) -> Id {
        self.0.id()
    }

    /// Cancels the task instead of running it (a queue being torn down).
    pub fn shutdown(self) {
        let Notified(task) = self;
        task.shutdown();
    }
}

impl<S> fmt::Debug for Notified<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Notified").field(&self.0).finish()
    }
}

/// Creates a task that belongs to no owner list (a blocking-pool task).
/// Returns the `Notified` that runs it and its join handle.
pub fn unowned<F, S>(future: F, scheduler: S, id: Id) -> (Notified<S>, JoinHandle<F::Output>)
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
    S: Schedule,
{
    let raw = RawTask::new(future, scheduler, id, 0);
    // SAFETY: a new task has three references; there is no owner list, so
    // its reference is dropped right away (`release` returns `None`).
    unsafe {
        raw.drop_reference();
        (Notified::from_raw(raw), JoinHandle::new(raw))
    }
}

#[cfg(test)]
mod tests;
