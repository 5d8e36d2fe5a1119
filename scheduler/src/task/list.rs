//! `OwnedTasks`: every live task of one scheduler, so that shutdown can
//! cancel them all.
//!
//! The tasks form intrusive doubly linked lists (the links live in each
//! task's header), split into shards by task id so that spawning and
//! completing on different workers rarely meet on one lock. Each list
//! holds one reference to each of its tasks.
//!
//! Closing is race-free with binding: each shard has its own `closed`
//! flag, which `bind` checks and `close_and_shutdown_all` sets under that
//! shard's lock before draining it, so a task is either rejected or seen by
//! the drain.
//!
//! Spawning and completing touch nothing shared but the task's shard: each
//! shard sits on its own cache lines and keeps its own count under its
//! lock. (A list-wide atomic count or flag written by every spawn and
//! completion would bounce one cache line between a spawning thread and
//! every worker, and slow down whatever else shares that line.)

use super::core::Header;
use super::id::next_u64;
use super::raw::RawTask;
use super::{Id, JoinHandle, Notified, Schedule, Task};
use crate::loom::sync::atomic::{AtomicBool, Ordering::*};
use crate::loom::sync::Mutex;
use crossbeam_utils::CachePadded;
use std::fmt;
use std::future::Future;
use std::marker::PhantomData;
use std::ptr::NonNull;

/// The live tasks of one scheduler.
pub struct OwnedTasks<S: 'static> {
    shards: Box<[CachePadded<Mutex<Shard>>]>,
    mask: usize,
    id: u64,
    /// Set once, before the shards are closed: lets `is_closed` answer
    /// without taking a lock.
    closed: AtomicBool,
    _scheduler: PhantomData<S>,
}

struct Shard {
    head: Option<NonNull<Header>>,
    /// Tasks in this shard's list.
    len: usize,
    /// No task joins this shard any more.
    closed: bool,
}

// SAFETY: the pointers are task headers, which are `Sync`; the shard only
// dereferences them while its mutex is held.
unsafe impl Send for Shard {}

impl<S: Schedule> OwnedTasks<S> {
    /// A list with at least `shards` shards (rounded up to a power of two).
    pub fn new(shards: usize) -> OwnedTasks<S> {
        let n = shards.max(1).next_power_of_two();
        OwnedTasks {
            shards: (0..n)
                .map(|_| {
                    CachePadded::new(Mutex::new(Shard {
                        head: None,
                        len: 0,
                        closed: false,
                    }))
                })
                .collect(),
            mask: n - 1,
            id: next_u64().get(),
            closed: AtomicBool::new(false),
            _scheduler: PhantomData,
        }
    }

    /// Creates a task for `future`, adds it to the list and returns its
    /// join handle and the `Notified` to schedule. After the list was
    /// closed the task is cancelled at once and no `Notified` is returned.
    pub fn bind<F>(&self, future: F, scheduler: S, id: Id) -> (JoinHandle<F::Output>, Option<Notified<S>>)
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static,
    {
        // SAFETY: `F: Send`, so the task may be polled on any thread.
        unsafe { self.bind_inner(future, scheduler, id) }
    }

    /// As [`bind`](Self::bind), for a future that is not `Send`.
    ///
    /// # Safety
    ///
    /// The scheduler polls (and drops) the task only on the thread that
    /// created it.
    pub unsafe fn bind_local<F>(&self, future: F, scheduler: S, id: Id) -> (JoinHandle<F::Output>, Option<Notified<S>>)
    where
        F: Future + 'static,
        F::Output: 'static,
    {
        // SAFETY: forwarded contract.
        unsafe { self.bind_inner(future, scheduler, id) }
    }

    /// # Safety
    ///
    /// If `F` is not `Send`, the scheduler keeps the task on one thread.
    unsafe fn bind_inner<F>(&self, future: F, scheduler: S, id: Id) -> (JoinHandle<F::Output>, Option<Notified<S>>)
    where
        F: Future + 'static,
    {
        let raw = RawTask::new(future, scheduler, id, self.id);
        // SAFETY: a new task has three references: list, notified, handle.
        let (task, notified, join) =
            unsafe { (Task::<S>::from_raw(raw), Notified::<S>::from_raw(raw), JoinHandle::new(raw)) };
        let mut shard = self.shards[self.shard_of(raw)].lock();
        if shard.closed {
            drop(shard);
            drop(notified);
            task.shutdown();
            return (join, None);
        }
        let node = raw.header_ptr();
        // SAFETY: the links of a task not yet in any list are ours; the
        // current head's links are guarded by the shard lock we hold.
        unsafe {
            let header = node.as_ref();
            header.owned_next.with_mut(|n| *n = shard.head);
            header.owned_prev.with_mut(|p| *p = None);
            if let Some(head) = shard.head {
                head.as_ref().owned_prev.with_mut(|p| *p = Some(node));
            }
        }
        shard.head = Some(node);
        shard.len += 1;
        drop(shard);
        std::mem::forget(task);
        (join, Some(notified))
    }

    fn shard_of(&self, raw: RawTask) -> usize {
        (raw.id().as_u64() as usize) & self.mask
    }

    /// Removes `task` if it is still in the list, returning the list's
    /// reference.
    pub fn remove(&self, task: &Task<S>) -> Option<Task<S>> {
        let raw = task.raw;
        assert_eq!(raw.header().owner_id, self.id, "a weft task was released by a scheduler that does not own it");
        let mut shard = self.shards[self.shard_of(raw)].lock();
        let node = raw.header_ptr();
        // SAFETY: the node's links and its neighbours' links are guarded by
        // the shard lock we hold.
        unsafe {
            let header = node.as_ref();
            let prev = header.owned_prev.with(|p| *p);
            let next = header.owned_next.with(|n| *n);
            if prev.is_none() && shard.head != Some(node) {
                return None; // already taken out by a drain
            }
            match prev {
                Some(prev) => prev.as_ref().owned_next.with_mut(|n| *n = next),
                None => shard.head = next,
            }
            if let Some(next) = next {
                next.as_ref().owned_prev.with_mut(|p| *p = prev);
            }
            header.owned_prev.with_mut(|p| *p = None);
            header.owned_next.with_mut(|n| *n = None);
        }
        shard.len -= 1;
        drop(shard);
        // SAFETY: the list's reference now belongs to the caller.
        Some(unsafe { Task::from_raw(raw) })
    }

    fn pop_front(&self, shard: usize) -> Option<Task<S>> {
        let mut shard = self.shards[shard].lock();
        let node = shard.head?;
        // SAFETY: guarded by the shard lock.
        unsafe {
            let header = node.as_ref();
            let next = header.owned_next.with(|n| *n);
            shard.head = next;
            if let Some(next) = next {
                next.as_ref().owned_prev.with_mut(|p| *p = None);
            }
            header.owned_next.with_mut(|n| *n = None);
        }
        shard.len -= 1;
        drop(shard);
        // SAFETY: the list's reference now belongs to the caller.
        Some(unsafe { Task::from_raw(RawTask::from_raw(node)) })
    }

    /// Refuses new tasks from now on and cancels every task in the list.
    /// Tasks running on another thread are cancelled when they next yield.
    pub fn close_and_shutdown_all(&self) {
        self.closed.store(true, Release);
        for shard in 0..self.shards.len() {
            self.shards[shard].lock().closed = true;
            while let Some(task) = self.pop_front(shard) {
                task.shutdown();
            }
        }
    }

    /// True after [`close_and_shutdown_all`](Self::close_and_shutdown_all).
    pub fn is_closed(&self) -> bool {
        self.closed.load(Acquire)
    }

    /// How many tasks are in the list. Takes each shard's lock in turn:
    /// meant for shutdown checks, tests and metrics, not hot paths.
    pub fn len(&self) -> usize {
        self.shards.iter().map(|shard| shard.lock().len).sum()
    }

    /// True when no task is in the list.
    pub fn is_empty(&self) -> bool {
        self.shards.iter().all(|shard| shard.lock().len == 0)
    }
}

impl<S> fmt::Debug for OwnedTasks<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let len: usize = self.shards.iter().map(|shard| shard.lock().len).sum();
        f.debug_struct("OwnedTasks").field("len", &len).finish()
    }
}
