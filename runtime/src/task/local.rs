//! `LocalSet`: a small scheduler for `!Send` futures, driven from one
//! thread inside another runtime.
//!
//! # Design
//!
//! The tasks are ordinary weft tasks (`weft_scheduler::task`) bound to the
//! set's own owner list with `bind_local`, whose contract is that they are
//! polled and dropped only on the thread that created them. That thread is
//! the `LocalSet`'s: the set is `!Send`, only it pops its queues, and its
//! `Drop` cancels what is left.
//!
//! Ready tasks wait in one of two queues:
//!
//! - the *local* queue, a `RefCell<VecDeque>` in the set's context, used
//!   when a task is woken on the set's thread while the set is being
//!   driven (the context is entered: a thread-local points at it);
//! - the *remote* queue, a mutex-protected `VecDeque` in the `Send + Sync`
//!   shared part, used for wakes from other threads (or from this thread
//!   while the set is not being driven). Pushing there also wakes the task
//!   that drives the set, whose waker is kept in the shared part.
//!
//! Driving the set (`run_until`, or awaiting the set) polls the caller's
//! future, then runs up to [`MAX_TASKS_PER_TICK`] ready tasks, taking one
//! from the remote queue first every [`REMOTE_INTERVAL`] runs so remote
//! wakes are not starved. If tasks are still ready after that, it wakes
//! itself and yields to the runtime it runs on.
//!
//! The remote queue becomes `None` when the set is dropped; a wake after
//! that drops its `Notified` (the task was cancelled already).

use crate::loom::sync::{Arc, Mutex};
use crate::task::{Id, JoinHandle};
use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::fmt;
use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};
use weft_scheduler::coop;
use weft_scheduler::task::{Notified, OwnedTasks, Schedule, Task};

/// Ready tasks run per poll of the set before it yields to its runtime.
const MAX_TASKS_PER_TICK: u32 = 61;

/// Every this many runs, the remote queue is looked at first.
const REMOTE_INTERVAL: u32 = 31;

type LocalTask = Notified<Scheduler>;

/// The scheduler handle each task of a set holds: its `Schedule` impl
/// routes wakes to the set's queues.
struct Scheduler(Arc<Shared>);

/// A set of `!Send` tasks that all run on the thread that drives the set.
///
/// Spawn tasks with [`spawn_local`](Self::spawn_local) (or the free
/// function [`crate::task::spawn_local`] from inside the set), then drive
/// them with [`run_until`](Self::run_until), [`block_on`](Self::block_on),
/// or by awaiting the set itself, which completes once every task has
/// finished. Tasks only run while the set is being driven.
///
/// Dropping the set cancels the tasks still in it, dropping their futures
/// on the set's thread.
///
/// # Examples
///
/// ```
/// use std::rc::Rc;
/// use weft::task::LocalSet;
///
/// #[weft::main(flavor = "current_thread")]
/// async fn main() {
///     let shared = Rc::new(41); // `Rc` is not `Send`
///     let local = LocalSet::new();
///     let answer = local
///         .run_until(async move {
///             let task = weft::task::spawn_local(async move { *shared + 1 });
///             task.await.unwrap()
///         })
///         .await;
///     assert_eq!(answer, 42);
/// }
/// ```
pub struct LocalSet {
    context: Rc<LocalContext>,
    /// Counts task runs, to interleave the remote queue.
    tick: Cell<u32>,
    _not_send: PhantomData<*const ()>,
}

/// The thread-bound part of a set: what the thread-local context points at.
struct LocalContext {
    shared: Arc<Shared>,
    queue: RefCell<VecDeque<LocalTask>>,
    /// True while the set is being polled on this thread: a task pushed to
    /// `queue` now is seen before the poll returns, so no wake is needed.
    driving: Cell<bool>,
}

/// The part of a set that wakers reach from any thread.
struct Shared {
    owned: OwnedTasks<Scheduler>,
    /// `None` once the set was dropped.
    remote: Mutex<Option<VecDeque<LocalTask>>>,
    /// The waker of whoever drives the set.
    driver: Mutex<Option<Waker>>,
}

crate::loom::thread_local! {
    /// The set being driven on this thread, if any.
    static CURRENT: RefCell<Option<Rc<LocalContext>>> = const { RefCell::new(None) };
}

/// Returned by [`LocalSet::enter`]; leaves the set's context when dropped.
#[must_use = "the LocalSet context is left as soon as the guard is dropped"]
pub struct LocalEnterGuard {
    prev: Option<Rc<LocalContext>>,
}

impl Drop for LocalEnterGuard {
    fn drop(&mut self) {
        let prev = self.prev.take();
        let _ = CURRENT.try_with(|c| *c.borrow_mut() = prev);
    }
}

impl fmt::Debug for LocalEnterGuard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LocalEnterGuard").finish_non_exhaustive()
    }
}

/// Spawns a `!Send` future on the [`LocalSet`] that is being driven on
/// this thread.
///
/// # Panics
///
/// Panics when no `LocalSet` is being driven here (outside
/// [`LocalSet::run_until`], [`LocalSet::block_on`], a task of a set, or
/// [`LocalSet::enter`]).
///
/// ```
/// use weft::task::{spawn_local, LocalSet};
///
/// let rt = weft::runtime::Builder::new_current_thread().build().unwrap();
/// let local = LocalSet::new();
/// let text = local.block_on(&rt, async {
///     let cell = std::rc::Rc::new(std::cell::RefCell::new(String::from("we")));
///     let c = cell.clone();
///     spawn_local(async move { c.borrow_mut().push_str("ft") }).await.unwrap();
///     let text = cell.borrow().clone();
///     text
/// });
/// assert_eq!(text, "weft");
/// ```
#[track_caller]
pub fn spawn_local<F>(future: F) -> JoinHandle<F::Output>
where
    F: Future + 'static,
    F::Output: 'static,
{
    let context = CURRENT.try_with(|c| c.borrow().clone()).ok().flatten();
    match context {
        Some(context) => context.spawn(future),
        None => panic!(
            "`weft::task::spawn_local` was called outside a `LocalSet`: `!Send` tasks need a set to run on. \
             Create a `weft::task::LocalSet` and call this inside its `run_until` or `block_on` (or use \
             `LocalSet::spawn_local`)"
        ),
    }
}

impl LocalSet {
    /// An empty set.
    pub fn new() -> LocalSet {
        let shared = Arc::new(Shared {
            owned: OwnedTasks::new(1),
            remote: Mutex::new(Some(VecDeque::new())),
            driver: Mutex::new(None),
        });
        LocalSet {
            context: Rc::new(LocalContext { shared, queue: RefCell::new(VecDeque::new()), driving: Cell::new(false) }),
            tick: Cell::new(0),
            _not_send: PhantomData,
        }
    }

    /// Makes this set the target of [`crate::task::spawn_local`] on this
    /// thread until the guard is dropped. Spawned tasks still run only
    /// while the set is driven.
    pub fn enter(&self) -> LocalEnterGuard {
        let prev = CURRENT.with(|c| c.borrow_mut().replace(self.context.clone()));
        LocalEnterGuard { prev }
    }

    /// Spawns a `!Send` future on this set. It runs when the set is
    /// driven; it may be called before that.
    ///
    /// ```
    /// use weft::task::LocalSet;
    ///
    /// let rt = weft::runtime::Builder::new_current_thread().build().unwrap();
    /// let local = LocalSet::new();
    /// let task = local.spawn_local(async { std::rc::Rc::new(5) });
    /// let five = local.block_on(&rt, async { task.await.unwrap() });
    /// assert_eq!(*five, 5);
    /// ```
    #[track_caller]
    pub fn spawn_local<F>(&self, future: F) -> JoinHandle<F::Output>
    where
        F: Future + 'static,
        F::Output: 'static,
    {
        self.context.spawn(future)
    }

    /// Runs `future` to completion on `rt`, driving this set's tasks on
    /// the calling thread meanwhile.
    ///
    /// # Panics
    ///
    /// As [`Runtime::block_on`](crate::runtime::Runtime::block_on): panics
    /// when called from a thread that already drives async tasks.
    #[track_caller]
    pub fn block_on<F: Future>(&self, rt: &crate::runtime::Runtime, future: F) -> F::Output {
        rt.block_on(self.run_until(future))
    }

    /// Runs `future` to completion, driving this set's tasks while it
    /// waits. Tasks still unfinished when `future` completes stay in the
    /// set and run the next time it is driven.
    ///
    /// ```
    /// use weft::task::LocalSet;
    ///
    /// #[weft::main]
    /// async fn main() {
    ///     let local = LocalSet::new();
    ///     let n = local
    ///         .run_until(async {
    ///             let counter = std::rc::Rc::new(std::cell::Cell::new(0));
    ///             let tasks: Vec<_> = (0..3)
    ///                 .map(|_| {
    ///                     let counter = counter.clone();
    ///                     weft::task::spawn_local(async move { counter.set(counter.get() + 1) })
    ///                 })
    ///                 .collect();
    ///             for task in tasks {
    ///                 task.await.unwrap();
    ///             }
    ///             counter.get()
    ///         })
    ///         .await;
    ///     assert_eq!(n, 3);
    /// }
    /// ```
    pub async fn run_until<F: Future>(&self, future: F) -> F::Output {
        let mut future = std::pin::pin!(future);
        std::future::poll_fn(|cx| {
            let _enter = self.enter();
            let _driving = self.context.start_driving();
            // Mutant for the loom check: the driver's waker is registered
            // after the queues were looked at, so a remote wake in between
            // finds no waker and the set is never polled again.
            let register_late = cfg!(weft_loom_mutant = "local_set_registers_after_running");
            if !register_late {
                self.context.shared.register_driver(cx.waker());
            }
            if let Poll::Ready(output) = coop::budget(|| future.as_mut().poll(cx)) {
                return Poll::Ready(output);
            }
            if self.run_ready_tasks() {
                cx.waker().wake_by_ref();
            }
            if register_late {
                self.context.shared.register_driver(cx.waker());
            }
            Poll::Pending
        })
        .await
    }

    /// Runs up to [`MAX_TASKS_PER_TICK`] ready tasks. Returns true when
    /// tasks are still ready afterwards.
    fn run_ready_tasks(&self) -> bool {
        for _ in 0..MAX_TASKS_PER_TICK {
            let tick = self.tick.get().wrapping_add(1);
            self.tick.set(tick);
            let task = if tick % REMOTE_INTERVAL == 0 {
                self.context.shared.pop_remote().or_else(|| self.context.pop_local())
            } else {
                self.context.pop_local().or_else(|| self.context.shared.pop_remote())
            };
            match task {
                Some(task) => task.run(),
                None => return false,
            }
        }
        true
    }
}

impl LocalContext {
    #[track_caller]
    fn spawn<F>(&self, future: F) -> JoinHandle<F::Output>
    where
        F: Future + 'static,
        F::Output: 'static,
    {
        let id = Id::next();
        // SAFETY: `bind_local` requires that the task is polled and dropped
        // only on this thread. The context is `!Send` (`Rc`) and lives on
        // this thread; only its `LocalSet` runs the queued tasks (on this
        // thread, since the set is `!Send`), wakes from other threads just
        // queue the task for the set, and the set's `Drop` cancels the
        // remaining tasks here.
        let (join, notified) = unsafe { self.shared.owned.bind_local(future, Scheduler(self.shared.clone()), id) };
        if let Some(notified) = notified {
            self.push(notified);
        }
        join
    }

    /// Queues a task: on the local queue while the set is being driven
    /// (it runs before the poll returns), else on the remote queue, which
    /// wakes the driver.
    fn push(&self, task: LocalTask) {
        if self.driving.get() {
            if let Ok(mut queue) = self.queue.try_borrow_mut() {
                queue.push_back(task);
                return;
            }
        }
        self.shared.push_remote(task);
    }

    /// Marks the set as driven until the guard is dropped.
    fn start_driving(&self) -> DrivingGuard<'_> {
        DrivingGuard { context: self, prev: self.driving.replace(true) }
    }

    fn pop_local(&self) -> Option<LocalTask> {
        self.queue.borrow_mut().pop_front()
    }
}

struct DrivingGuard<'a> {
    context: &'a LocalContext,
    prev: bool,
}

impl Drop for DrivingGuard<'_> {
    fn drop(&mut self) {
        self.context.driving.set(self.prev);
    }
}

impl Shared {
    fn register_driver(&self, waker: &Waker) {
        let mut driver = self.driver.lock();
        match &*driver {
            Some(old) if old.will_wake(waker) => {}
            _ => *driver = Some(waker.clone()),
        }
    }

    fn wake_driver(&self) {
        let waker = self.driver.lock().take();
        if let Some(waker) = waker {
            waker.wake();
        }
    }

    fn push_remote(&self, task: LocalTask) {
        let mut remote = self.remote.lock();
        match remote.as_mut() {
            Some(queue) => {
                queue.push_back(task);
                drop(remote);
                self.wake_driver();
            }
            None => {
                // The set was dropped and the task cancelled; this only
                // gives up the wake's reference.
                drop(remote);
                drop(task);
            }
        }
    }

    fn pop_remote(&self) -> Option<LocalTask> {
        self.remote.lock().as_mut().and_then(VecDeque::pop_front)
    }
}

impl Schedule for Scheduler {
    fn schedule(&self, task: Notified<Self>) {
        let shared = &self.0;
        let mut task = Some(task);
        let _ = CURRENT.try_with(|current| {
            let Ok(current) = current.try_borrow() else { return };
            if let Some(context) = current.as_ref().filter(|c| Arc::ptr_eq(&c.shared, shared)) {
                context.push(task.take().expect("scheduled once"));
            }
        });
        if let Some(task) = task {
            shared.push_remote(task);
        }
    }

    fn release(&self, task: &Task<Self>) -> Option<Task<Self>> {
        self.0.owned.remove(task)
    }
}

/// Completes once every task of the set has finished, running them
/// meanwhile.
///
/// ```
/// use std::rc::Rc;
/// use std::cell::Cell;
/// use weft::task::LocalSet;
///
/// #[weft::main(flavor = "current_thread")]
/// async fn main() {
///     let done = Rc::new(Cell::new(false));
///     let local = LocalSet::new();
///     let flag = done.clone();
///     local.spawn_local(async move { flag.set(true) });
///     local.await;
///     assert!(done.get());
/// }
/// ```
impl Future for LocalSet {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let _enter = self.enter();
        let _driving = self.context.start_driving();
        self.context.shared.register_driver(cx.waker());
        if self.run_ready_tasks() {
            cx.waker().wake_by_ref();
            Poll::Pending
        } else if self.context.shared.owned.is_empty() {
            Poll::Ready(())
        } else {
            Poll::Pending
        }
    }
}

impl Default for LocalSet {
    fn default() -> Self {
        LocalSet::new()
    }
}

impl Drop for LocalSet {
    fn drop(&mut self) {
        // Enter the context, so wakes during the futures' destructors take
        // the local path, and close the owner list first, so a task spawned
        // from a destructor is cancelled at once.
        let _enter = self.enter();
        self.context.shared.owned.close_and_shutdown_all();
        let local = std::mem::take(&mut *self.context.queue.borrow_mut());
        drop(local);
        let remote = self.context.shared.remote.lock().take();
        drop(remote);
        let local = std::mem::take(&mut *self.context.queue.borrow_mut());
        drop(local);
        self.context.shared.driver.lock().take();
    }
}

impl fmt::Debug for LocalSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LocalSet").field("tasks", &self.context.shared.owned.len()).finish()
    }
}
