//! `JoinSet`: a collection of spawned tasks, joined in the order they
//! finish (asyncio's `as_completed`).
//!
//! # Design
//!
//! The set keeps its tasks' join handles in a slab. Each entry has its own
//! waker, registered as the join waker of its task when the task is added;
//! when the task finishes, the runtime wakes that waker, which pushes the
//! entry's *ticket* (slab index and a key) onto a shared ready queue and
//! wakes whoever waits in `join_next`. `join_next` pops tickets, so each
//! completion costs O(1) no matter how many tasks are still running.
//!
//! A slab slot is reused after its entry leaves the set, so a ticket also
//! carries the key the entry was given when it was added; a ticket whose
//! key no longer matches the slot (its entry was detached or joined) is
//! skipped. Spurious tickets are therefore harmless: an entry whose task
//! is not finished is simply left in the set, its waker still registered.

use crate::loom::sync::{Arc, Mutex};
use crate::runtime::Handle;
use crate::task::{AbortHandle, Id, JoinError, JoinHandle, LocalSet};
use std::collections::VecDeque;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, Wake, Waker};
use weft_scheduler::coop;

/// A collection of tasks spawned on a weft runtime, joined in the order
/// they finish.
///
/// All tasks of a `JoinSet` have the same output type `T`. Dropping the set
/// aborts every task still in it (use [`detach_all`](Self::detach_all) to
/// let them run on).
///
/// # Examples
///
/// Spawn several tasks and collect their results as they complete:
///
/// ```
/// use weft::task::JoinSet;
///
/// #[weft::main]
/// async fn main() {
///     let mut set = JoinSet::new();
///     for i in 0..10u64 {
///         set.spawn(async move { i * i });
///     }
///
///     let mut total = 0;
///     while let Some(result) = set.join_next().await {
///         total += result.unwrap();
///     }
///     assert_eq!(total, 285);
/// }
/// ```
pub struct JoinSet<T> {
    slots: Vec<Option<Entry<T>>>,
    free: Vec<usize>,
    len: usize,
    next_key: u64,
    tickets: Tickets,
}

struct Entry<T> {
    handle: JoinHandle<T>,
    key: u64,
    /// The entry's own waker: pushes its ticket to the ready queue.
    waker: Waker,
    /// The output, when the task had already finished when it was added.
    early: Option<Result<T, JoinError>>,
}

#[derive(Clone, Copy, Debug)]
struct Ticket {
    index: usize,
    key: u64,
}

/// The tickets of finished entries: the queue shared with the entry
/// wakers, and the batch the set took from it and has not looked at yet.
/// Only the set's owner touches the batch, so taking tickets locks the
/// shared queue once per batch, not once per ticket.
struct Tickets {
    ready: Arc<ReadyQueue>,
    batch: VecDeque<Ticket>,
}

/// Completed entries, shared with the entry wakers.
struct ReadyQueue {
    inner: Mutex<ReadyInner>,
}

struct ReadyInner {
    tickets: VecDeque<Ticket>,
    /// The task waiting in `join_next`, if any.
    waiter: Option<Waker>,
}

/// The join waker of one entry. It needs the standard library's `Arc` for
/// `Wake`; the state it points at is shared through the crate's facade.
struct EntryWaker {
    ready: Arc<ReadyQueue>,
    ticket: Ticket,
}

impl Tickets {
    fn new() -> Tickets {
        let inner = ReadyInner { tickets: VecDeque::new(), waiter: None };
        Tickets { ready: Arc::new(ReadyQueue { inner: Mutex::new(inner) }), batch: VecDeque::new() }
    }

    /// The waker of the entry that `ticket` names: waking it queues the
    /// ticket and wakes the task waiting for the set.
    fn entry_waker(&self, ticket: Ticket) -> Waker {
        Waker::from(std::sync::Arc::new(EntryWaker { ready: self.ready.clone(), ticket }))
    }

    /// Queues a ticket that the owner found itself (a task that had
    /// finished before it was added).
    fn push_local(&mut self, ticket: Ticket) {
        self.batch.push_back(ticket);
    }

    /// The next ticket: from the current batch, else a new batch from the
    /// shared queue. With `waiter`, registers it when there is none, under
    /// the same lock, so a completion cannot slip between the check and
    /// the registration.
    fn next(&mut self, waiter: Option<&Waker>) -> Option<Ticket> {
        if let Some(ticket) = self.batch.pop_front() {
            return Some(ticket);
        }
        let mut inner = self.ready.inner.lock();
        if inner.tickets.is_empty() {
            if let Some(waker) = waiter {
                // Mutant `join_set_register_unlocked` (loom check only):
                // the check and the registration are two lock sections, so
                // a completion between them wakes nobody.
                if cfg!(weft_loom_mutant = "join_set_register_unlocked") {
                    drop(inner);
                    inner = self.ready.inner.lock();
                }
                match &inner.waiter {
                    Some(old) if old.will_wake(waker) => {}
                    _ => inner.waiter = Some(waker.clone()),
                }
            }
            return None;
        }
        std::mem::swap(&mut inner.tickets, &mut self.batch);
        drop(inner);
        self.batch.pop_front()
    }

    /// Forgets every ticket, queued or batched.
    fn clear(&mut self) {
        self.batch.clear();
        self.ready.inner.lock().tickets.clear();
    }
}

impl Wake for EntryWaker {
    fn wake(self: std::sync::Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &std::sync::Arc<Self>) {
        let waiter = {
            let mut inner = self.ready.inner.lock();
            inner.tickets.push_back(self.ticket);
            inner.waiter.take()
        };
        if let Some(waiter) = waiter {
            waiter.wake();
        }
    }
}

impl<T> JoinSet<T> {
    /// An empty set.
    pub fn new() -> JoinSet<T> {
        JoinSet {
            slots: Vec::new(),
            free: Vec::new(),
            len: 0,
            next_key: 0,
            tickets: Tickets::new(),
        }
    }

    /// The number of tasks in the set, finished or not, that were not yet
    /// joined.
    pub fn len(&self) -> usize {
        self.len
    }

    /// True when the set holds no task.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Adds a spawned task's handle to the set and registers the entry's
    /// waker as its join waker.
    fn insert(&mut self, handle: JoinHandle<T>) -> AbortHandle {
        let abort = handle.abort_handle();
        let index = match self.free.pop() {
            Some(index) => index,
            None => {
                self.slots.push(None);
                self.slots.len() - 1
            }
        };
        let key = self.next_key;
        self.next_key += 1;
        let ticket = Ticket { index, key };
        let waker = self.tickets.entry_waker(ticket);
        let mut entry = Entry { handle, key, waker, early: None };
        // Polling the handle stores the entry waker in the task. A task
        // that already finished gives its output now; keep it for
        // `join_next` and queue the ticket directly.
        if let Poll::Ready(output) = entry.poll_handle() {
            entry.early = Some(output);
            self.tickets.push_local(ticket);
        }
        self.slots[index] = Some(entry);
        self.len += 1;
        abort
    }

    /// Takes the entry out of its slot and frees the slot.
    fn remove(&mut self, index: usize) -> Entry<T> {
        let entry = self.slots[index].take().expect("a JoinSet ticket pointed at an empty slot");
        self.free.push(index);
        self.len -= 1;
        entry
    }

    /// Pops tickets until one names a finished task, and takes its output.
    /// `None` when no ticket is left (after registering `waiter`, if any).
    fn next_finished(&mut self, waiter: Option<&Waker>) -> Option<Result<(Id, T), JoinError>> {
        while let Some(ticket) = self.tickets.next(waiter) {
            let Some(Some(entry)) = self.slots.get_mut(ticket.index) else { continue };
            if entry.key != ticket.key {
                continue; // a ticket of an entry that already left the set
            }
            let output = match entry.early.take() {
                Some(output) => output,
                None => match entry.poll_handle() {
                    Poll::Ready(output) => output,
                    Poll::Pending => continue, // spurious; the waker stays registered
                },
            };
            let entry = self.remove(ticket.index);
            return Some(output.map(|value| (entry.handle.id(), value)));
        }
        None
    }

    /// Polls for the next finished task; see [`join_next`](Self::join_next).
    ///
    /// Returns `Ready(None)` when the set is empty. When it returns
    /// `Pending`, the waker of `cx` is woken when a task finishes.
    pub fn poll_join_next(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<T, JoinError>>> {
        self.poll_join_next_with_id(cx).map(|r| r.map(|r| r.map(|(_, value)| value)))
    }

    /// As [`poll_join_next`](Self::poll_join_next), with the task's id.
    pub fn poll_join_next_with_id(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<(Id, T), JoinError>>> {
        if self.is_empty() {
            return Poll::Ready(None);
        }
        let restore = std::task::ready!(coop::poll_proceed(cx));
        match self.next_finished(Some(cx.waker())) {
            Some(result) => {
                restore.made_progress();
                Poll::Ready(Some(result))
            }
            None => Poll::Pending,
        }
    }

    /// Waits for the next task to finish and returns its output, or `None`
    /// when the set is empty.
    ///
    /// Tasks are returned in the order they finish. Cancel-safe: if the
    /// returned future is dropped before it completes, no task is lost.
    ///
    /// ```
    /// use weft::sync::oneshot;
    /// use weft::task::JoinSet;
    ///
    /// #[weft::main]
    /// async fn main() {
    ///     let (tx, rx) = oneshot::channel::<()>();
    ///     let mut set = JoinSet::new();
    ///     set.spawn(async move {
    ///         rx.await.unwrap();
    ///         "slow"
    ///     });
    ///     set.spawn(async { "fast" });
    ///
    ///     assert_eq!(set.join_next().await.unwrap().unwrap(), "fast");
    ///     tx.send(()).unwrap();
    ///     assert_eq!(set.join_next().await.unwrap().unwrap(), "slow");
    ///     assert!(set.join_next().await.is_none());
    /// }
    /// ```
    pub async fn join_next(&mut self) -> Option<Result<T, JoinError>> {
        std::future::poll_fn(|cx| self.poll_join_next(cx)).await
    }

    /// As [`join_next`](Self::join_next), with the id of the task.
    pub async fn join_next_with_id(&mut self) -> Option<Result<(Id, T), JoinError>> {
        std::future::poll_fn(|cx| self.poll_join_next_with_id(cx)).await
    }

    /// The output of a task that has already finished, without waiting;
    /// `None` when no task has finished (the set may still hold running
    /// tasks).
    pub fn try_join_next(&mut self) -> Option<Result<T, JoinError>> {
        self.try_join_next_with_id().map(|r| r.map(|(_, value)| value))
    }

    /// As [`try_join_next`](Self::try_join_next), with the id of the task.
    pub fn try_join_next_with_id(&mut self) -> Option<Result<(Id, T), JoinError>> {
        if self.is_empty() {
            return None;
        }
        self.next_finished(None)
    }

    /// Waits for every task and returns their outputs in the order the
    /// tasks finished.
    ///
    /// # Panics
    ///
    /// If a task panicked, its panic is resumed here; if a task was
    /// cancelled, this panics with the [`JoinError`]. Either way the tasks
    /// still in the set are aborted (the set is dropped). Use
    /// [`join_next`](Self::join_next) to handle failures one by one.
    ///
    /// ```
    /// use weft::task::JoinSet;
    ///
    /// #[weft::main]
    /// async fn main() {
    ///     let set: JoinSet<u32> = (1..=4).map(|i| async move { i * 10 }).collect();
    ///     let mut outputs = set.join_all().await;
    ///     outputs.sort();
    ///     assert_eq!(outputs, [10, 20, 30, 40]);
    /// }
    /// ```
    pub async fn join_all(mut self) -> Vec<T> {
        let mut outputs = Vec::with_capacity(self.len());
        while let Some(result) = self.join_next().await {
            match result {
                Ok(value) => outputs.push(value),
                Err(error) => match error.try_into_panic() {
                    Ok(payload) => std::panic::resume_unwind(payload),
                    Err(error) => panic!("a task of `JoinSet::join_all` failed: {error}"),
                },
            }
        }
        outputs
    }

    /// Aborts every task in the set. They stay in the set: `join_next`
    /// then returns each one, as a cancelled [`JoinError`] unless it
    /// finished first.
    pub fn abort_all(&mut self) {
        for entry in self.slots.iter().flatten() {
            entry.handle.abort();
        }
    }

    /// Removes every task from the set without aborting it: the tasks run
    /// on and their outputs are dropped.
    pub fn detach_all(&mut self) {
        self.slots.clear();
        self.free.clear();
        self.tickets.clear();
        self.len = 0;
    }

    /// Aborts every task and waits until they have all stopped, dropping
    /// their outputs and errors. The set is empty afterwards.
    ///
    /// ```
    /// use weft::task::JoinSet;
    ///
    /// #[weft::main]
    /// async fn main() {
    ///     let mut set = JoinSet::new();
    ///     set.spawn(std::future::pending::<()>());
    ///     set.shutdown().await;
    ///     assert!(set.is_empty());
    /// }
    /// ```
    pub async fn shutdown(&mut self) {
        self.abort_all();
        while self.join_next().await.is_some() {}
    }
}

impl<T> Entry<T> {
    /// Polls the join handle with the entry's waker. Unconstrained: the
    /// caller charges the coop budget once for the whole join.
    fn poll_handle(&mut self) -> Poll<Result<T, JoinError>> {
        let mut cx = Context::from_waker(&self.waker);
        coop::with_unconstrained(|| Pin::new(&mut self.handle).poll(&mut cx))
    }
}

impl<T: 'static> JoinSet<T> {
    /// Spawns `task` on the current runtime and adds it to the set.
    ///
    /// Returns a handle that can abort the task.
    ///
    /// # Panics
    ///
    /// Panics outside a weft runtime.
    #[track_caller]
    pub fn spawn<F>(&mut self, task: F) -> AbortHandle
    where
        F: Future<Output = T> + Send + 'static,
        T: Send,
    {
        self.insert(crate::task::spawn(task))
    }

    /// Spawns `task` on the runtime of `handle` and adds it to the set.
    #[track_caller]
    pub fn spawn_on<F>(&mut self, task: F, handle: &Handle) -> AbortHandle
    where
        F: Future<Output = T> + Send + 'static,
        T: Send,
    {
        self.insert(handle.spawn(task))
    }

    /// Spawns a `!Send` task on the current [`LocalSet`] and adds it to the
    /// set.
    ///
    /// # Panics
    ///
    /// Panics outside a `LocalSet`; see [`crate::task::spawn_local`].
    #[track_caller]
    pub fn spawn_local<F>(&mut self, task: F) -> AbortHandle
    where
        F: Future<Output = T> + 'static,
    {
        self.insert(crate::task::spawn_local(task))
    }

    /// Spawns a `!Send` task on `local_set` and adds it to the set. The
    /// task runs when the `LocalSet` is driven.
    #[track_caller]
    pub fn spawn_local_on<F>(&mut self, task: F, local_set: &LocalSet) -> AbortHandle
    where
        F: Future<Output = T> + 'static,
    {
        self.insert(local_set.spawn_local(task))
    }

    /// Runs blocking `f` on the current runtime's blocking pool and adds
    /// it to the set. Aborting it only prevents a closure that has not
    /// started from running.
    ///
    /// # Panics
    ///
    /// Panics outside a weft runtime.
    #[track_caller]
    pub fn spawn_blocking<F>(&mut self, f: F) -> AbortHandle
    where
        F: FnOnce() -> T + Send + 'static,
        T: Send,
    {
        self.insert(crate::task::spawn_blocking(f))
    }

    /// Runs blocking `f` on the blocking pool of `handle`'s runtime and
    /// adds it to the set.
    #[track_caller]
    pub fn spawn_blocking_on<F>(&mut self, f: F, handle: &Handle) -> AbortHandle
    where
        F: FnOnce() -> T + Send + 'static,
        T: Send,
    {
        self.insert(handle.spawn_blocking(f))
    }
}

impl<T> Drop for JoinSet<T> {
    fn drop(&mut self) {
        self.abort_all();
    }
}

impl<T> Default for JoinSet<T> {
    fn default() -> Self {
        JoinSet::new()
    }
}

impl<T> fmt::Debug for JoinSet<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("JoinSet").field("len", &self.len).finish()
    }
}

/// Spawns every future of the iterator into a new set, as
/// [`JoinSet::spawn`] does.
///
/// # Panics
///
/// Panics outside a weft runtime.
impl<T, F> FromIterator<F> for JoinSet<T>
where
    F: Future<Output = T> + Send + 'static,
    T: Send + 'static,
{
    fn from_iter<I: IntoIterator<Item = F>>(iter: I) -> Self {
        let mut set = JoinSet::new();
        set.extend(iter);
        set
    }
}

/// Spawns every future of the iterator into the set.
///
/// ```
/// use weft::task::JoinSet;
///
/// #[weft::main]
/// async fn main() {
///     let mut set: JoinSet<usize> = (0..3).map(|i| async move { i }).collect();
///     set.extend((3..6).map(|i| async move { i }));
///     assert_eq!(set.len(), 6);
///     let mut seen = set.join_all().await;
///     seen.sort();
///     assert_eq!(seen, [0, 1, 2, 3, 4, 5]);
/// }
/// ```
impl<T, F> Extend<F> for JoinSet<T>
where
    F: Future<Output = T> + Send + 'static,
    T: Send + 'static,
{
    fn extend<I: IntoIterator<Item = F>>(&mut self, iter: I) {
        for task in iter {
            self.spawn(task);
        }
    }
}

/// `JoinSet`'s ready queue on its own, for the loom models: a runtime
/// cannot be built under loom, so the models drive the queue the way the
/// set and its tasks' completions do.
#[cfg(loom)]
pub(crate) mod loom_internals {
    use super::{Ticket, Tickets};
    use std::fmt;
    use std::task::{Context, Poll, Waker};

    /// The tickets of a `JoinSet` without its entries: the shared queue,
    /// the owner's batch, and the entry wakers that fill the queue.
    pub struct ReadyQueue {
        tickets: Tickets,
    }

    impl ReadyQueue {
        /// An empty queue, as a new set has.
        pub fn new() -> ReadyQueue {
            ReadyQueue { tickets: Tickets::new() }
        }

        /// The join waker the set registers for the entry in slot `index`,
        /// added with `key`; a task's completion wakes it.
        pub fn entry_waker(&self, index: usize, key: u64) -> Waker {
            self.tickets.entry_waker(Ticket { index, key })
        }

        /// The next ticket as `(index, key)`, taken the way
        /// `poll_join_next` takes it: `Pending` after registering the
        /// waker of `cx` when no ticket is queued.
        pub fn poll_next(&mut self, cx: &mut Context<'_>) -> Poll<(usize, u64)> {
            match self.tickets.next(Some(cx.waker())) {
                Some(ticket) => Poll::Ready((ticket.index, ticket.key)),
                None => Poll::Pending,
            }
        }

        /// The next ticket without registering a waker, as
        /// `try_join_next` takes it.
        pub fn try_next(&mut self) -> Option<(usize, u64)> {
            self.tickets.next(None).map(|ticket| (ticket.index, ticket.key))
        }
    }

    impl Default for ReadyQueue {
        fn default() -> ReadyQueue {
            ReadyQueue::new()
        }
    }

    impl fmt::Debug for ReadyQueue {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.debug_struct("ReadyQueue").field("batch", &self.tickets.batch.len()).finish()
        }
    }
}
