//! The current-thread scheduler: every task runs on the thread that calls
//! `block_on`, as in asyncio's event loop.
//!
//! The scheduler's state (`Core`: the local queue and the driver) lives in
//! a slot; the thread in `block_on` takes it and, while it polls tasks,
//! keeps it in a thread-local context so that wakes on this thread go
//! straight to the local queue. Wakes from other threads go to a
//! mutex-protected remote queue and unpark the driver. A second thread
//! calling `block_on` at the same time drives only its own future, on a
//! thread parker, until the core is free.

use crate::coop;
use crate::metrics::{WorkerMetrics, WorkerStats};
use crate::loom::sync::atomic::{AtomicBool, Ordering::SeqCst};
use crate::loom::sync::Mutex;
// The scheduler handle is an API type shared with the `weft` crate (and a
// method receiver), so it is a plain std `Arc` in every build, as in
// `park/mod.rs`.
use std::sync::Arc;
use crate::park::{Park, ParkThread, Unpark};
use crate::task::{Id, JoinHandle, Notified, OwnedTasks, Schedule, Task};
use crate::Config;
use crossbeam_utils::CachePadded;
use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::fmt;
use std::future::Future;
use std::ptr;
use std::task::{Context, Poll, Wake, Waker};
use std::time::Duration;

type TaskRef = Notified<Arc<Handle>>;

/// A handle to a current-thread scheduler.
pub struct Handle {
    remote: Mutex<Option<VecDeque<TaskRef>>>,
    owned: OwnedTasks<Arc<Handle>>,
    woken: AtomicBool,
    core: Mutex<Option<Box<Core>>>,
    /// Threads in `block_on` waiting for the core.
    waiting: Mutex<Vec<Waker>>,
    unpark: std::sync::Arc<dyn Unpark>,
    is_shutdown: AtomicBool,
    /// The one worker's statistics, written by the thread holding the
    /// core; on its own cache lines, away from the remote queue's lock.
    metrics: CachePadded<WorkerMetrics>,
    config: Config,
}

struct Core {
    tasks: VecDeque<TaskRef>,
    /// Tasks that yielded; requeued once the other ready tasks, the remote
    /// queue and the driver have had their turn.
    deferred: Vec<TaskRef>,
    tick: u32,
    /// `None` only while the driver is parked (it is then on the stack).
    driver: Option<Box<dyn Park>>,
    /// Busy while a thread runs the core in `block_on`, except while it
    /// sleeps in the driver.
    stats: WorkerStats,
    /// `tick` when the busy time was last published by a driver poll.
    busy_published_at: u32,
}

struct CurrentCx {
    handle: *const Handle,
    core: RefCell<Option<Box<Core>>>,
}

crate::loom::thread_local! {
    static CURRENT: Cell<*const CurrentCx> = const { Cell::new(ptr::null()) };
}

/// Creates a current-thread scheduler around `driver`.
pub fn create(config: Config, driver: Box<dyn Park>) -> Arc<Handle> {
    let unpark = driver.unparker();
    Arc::new(Handle {
        remote: Mutex::new(Some(VecDeque::new())),
        owned: OwnedTasks::new(1),
        woken: AtomicBool::new(false),
        core: Mutex::new(Some(Box::new(Core {
            tasks: VecDeque::with_capacity(64),
            deferred: Vec::new(),
            tick: 0,
            driver: Some(driver),
            stats: WorkerStats::new(false),
            busy_published_at: 0,
        }))),
        waiting: Mutex::new(Vec::new()),
        unpark,
        is_shutdown: AtomicBool::new(false),
        metrics: CachePadded::new(WorkerMetrics::default()),
        config,
    })
}

impl Handle {
    /// Spawns `future`; it runs when some thread is in `block_on`.
    pub fn spawn<F>(self: &Arc<Self>, future: F, id: Id) -> JoinHandle<F::Output>
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static,
    {
        let (join, notified) = self.owned.bind(future, self.clone(), id);
        if let Some(notified) = notified {
            self.schedule(notified);
        }
        join
    }

    /// Spawns a `!Send` future.
    ///
    /// # Safety
    ///
    /// Every thread that calls `block_on` on this scheduler must be the
    /// thread that spawned the future (the caller keeps the scheduler on
    /// one thread).
    pub unsafe fn spawn_local<F>(self: &Arc<Self>, future: F, id: Id) -> JoinHandle<F::Output>
    where
        F: Future + 'static,
        F::Output: 'static,
    {
        // SAFETY: forwarded contract.
        let (join, notified) = unsafe { self.owned.bind_local(future, self.clone(), id) };
        if let Some(notified) = notified {
            self.schedule(notified);
        }
        join
    }

    /// Number of live tasks.
    pub fn num_alive_tasks(&self) -> usize {
        self.owned.len()
    }

    /// Tasks waiting in the remote queue (spawned or woken from other
    /// threads), at the moment of the call.
    pub fn global_queue_depth(&self) -> usize {
        self.remote.lock().as_ref().map_or(0, VecDeque::len)
    }

    /// The statistics of the scheduler's one worker: whichever thread
    /// runs the tasks in `block_on`.
    pub fn worker_metrics(&self) -> &WorkerMetrics {
        &self.metrics
    }

    /// Runs `future` to completion, running spawned tasks meanwhile.
    pub fn block_on<F: Future>(self: &Arc<Self>, future: F) -> F::Output {
        let mut future = std::pin::pin!(future);
        // Made on first need: only a thread that finds the core taken waits.
        let mut waiter: Option<(ParkThread, Waker)> = None;
        loop {
            let core = self.core.lock().take();
            if let Some(core) = core {
                return self.run_core(core, future.as_mut());
            }
            // Another thread drives the scheduler: wait for our future or
            // for the core, whichever comes first.
            let (park, waker) = waiter.get_or_insert_with(|| {
                let park = ParkThread::new();
                let waker = Waker::from(std::sync::Arc::new(UnparkWaker(park.unparker())));
                (park, waker)
            });
            {
                let mut waiting = self.waiting.lock();
                if !waiting.iter().any(|w| w.will_wake(waker)) {
                    waiting.push(waker.clone());
                }
            }
            let core_free = self.core.lock().is_some();
            if core_free {
                continue;
            }
            let mut cx = Context::from_waker(waker);
            if let Poll::Ready(v) = coop::budget(|| future.as_mut().poll(&mut cx)) {
                return v;
            }
            park.park(None);
        }
    }

    fn run_core<F: Future>(self: &Arc<Self>, mut core: Box<Core>, mut future: std::pin::Pin<&mut F>) -> F::Output {
        core.stats.start_busy();
        let cx = CurrentCx { handle: Arc::as_ptr(self), core: RefCell::new(Some(core)) };
        let prev = CURRENT.with(|c| c.replace(&cx as *const CurrentCx));
        let _guard = ReleaseCore { handle: self, cx: &cx, prev };

        let waker = Waker::from(std::sync::Arc::new(BlockOnWaker { handle: self.clone() }));
        let mut task_cx = Context::from_waker(&waker);
        self.woken.store(true, SeqCst);
        let event_interval = self.config.event_interval.max(1);
        let global_interval = self.config.global_queue_interval.max(1);
        'outer: loop {
            if self.woken.swap(false, SeqCst) {
                if let Poll::Ready(v) = coop::budget(|| future.as_mut().poll(&mut task_cx)) {
                    return v;
                }
            }
            for _ in 0..event_interval {
                let task = {
                    let mut slot = cx.core.borrow_mut();
                    let core = slot.as_mut().expect("current-thread core missing");
                    core.tick = core.tick.wrapping_add(1);
                    if core.tick % global_interval == 0 {
                        self.pop_remote().or_else(|| core.tasks.pop_front())
                    } else {
                        core.tasks.pop_front().or_else(|| self.pop_remote())
                    }
                };
                match task {
                    Some(task) => task.run(),
                    None => {
                        let mut slot = cx.core.borrow_mut();
                        let core = slot.as_mut().expect("current-thread core missing");
                        if !core.deferred.is_empty() {
                            // Only yielded tasks are left (the remote queue
                            // was just checked): run them again. This stays
                            // inside the counted loop, so the driver still
                            // gets its turn every `event_interval` polls.
                            let Core { tasks, deferred, .. } = &mut **core;
                            tasks.extend(deferred.drain(..));
                            continue;
                        }
                        drop(slot);
                        let timeout = if self.woken.load(SeqCst) { Some(Duration::ZERO) } else { None };
                        self.park(&cx, timeout);
                        continue 'outer;
                    }
                }
            }
            self.park(&cx, Some(Duration::ZERO));
        }
    }

    fn park(&self, cx: &CurrentCx, timeout: Option<Duration>) {
        // The driver runs with the core in the context, so tasks it wakes
        // on this thread go to the local queue.
        let mut driver = {
            let mut slot = cx.core.borrow_mut();
            let core = slot.as_mut().expect("current-thread core missing");
            if timeout.is_none() && !core.tasks.is_empty() {
                return;
            }
            core.driver.take().expect("current-thread driver missing")
        };
        let timeout = if timeout.is_none() && self.has_remote() { Some(Duration::ZERO) } else { timeout };
        // Only a wait without a timeout is a park; the others are polls.
        let parks = timeout.is_none();
        if parks {
            crate::config::run_callback(&self.config.on_thread_park);
            if let Some(core) = cx.core.borrow_mut().as_mut() {
                core.stats.about_to_park(&self.metrics);
            }
        }
        driver.park(timeout);
        let mut slot = cx.core.borrow_mut();
        let core = slot.as_mut().expect("current-thread core missing");
        core.driver = Some(driver);
        if parks {
            core.stats.unparked(&self.metrics);
            drop(slot);
            crate::config::run_callback(&self.config.on_thread_unpark);
        } else if core.tick.wrapping_sub(core.busy_published_at) >= self.config.event_interval {
            // A thread that never sleeps still publishes its busy time,
            // once per `event_interval` ticks at most: every pass of the
            // run loop ticks at least once and ends in a poll like this.
            core.busy_published_at = core.tick;
            core.stats.publish_busy(&self.metrics);
        }
    }

    fn pop_remote(&self) -> Option<TaskRef> {
        self.remote.lock().as_mut().and_then(VecDeque::pop_front)
    }

    fn has_remote(&self) -> bool {
        self.remote.lock().as_ref().is_some_and(|q| !q.is_empty())
    }

    /// Cancels every task, empties the queues and shuts the driver down.
    /// If another thread is inside `block_on`, that thread does it when it
    /// leaves.
    pub fn shutdown(self: &Arc<Self>) {
        self.is_shutdown.store(true, SeqCst);
        let core = self.core.lock().take();
        if let Some(core) = core {
            self.shutdown_core(core);
        }
    }

    fn shutdown_core(self: &Arc<Self>, mut core: Box<Core>) {
        // Enter the context so futures dropped here can still reach this
        // scheduler (their wakes are then ignored).
        let cx = CurrentCx { handle: Arc::as_ptr(self), core: RefCell::new(None) };
        let prev = CURRENT.with(|c| c.replace(&cx as *const CurrentCx));
        self.owned.close_and_shutdown_all();
        core.tasks.clear();
        core.deferred.clear();
        let remote = self.remote.lock().take();
        drop(remote);
        if let Some(driver) = core.driver.as_mut() {
            driver.shutdown();
        }
        CURRENT.with(|c| c.set(prev));
        drop(core);
    }

    /// True once `shutdown` was called.
    pub fn is_shutdown(&self) -> bool {
        self.is_shutdown.load(SeqCst)
    }
}

/// Puts the core back when `block_on` returns or unwinds, and hands it to
/// a waiting thread (or shuts down if shutdown was requested meanwhile).
struct ReleaseCore<'a> {
    handle: &'a Arc<Handle>,
    cx: &'a CurrentCx,
    prev: *const CurrentCx,
}

impl Drop for ReleaseCore<'_> {
    fn drop(&mut self) {
        CURRENT.with(|c| c.set(self.prev));
        let Some(mut core) = self.cx.core.borrow_mut().take() else { return };
        core.stats.stop_busy(&self.handle.metrics);
        if self.handle.is_shutdown() {
            self.handle.shutdown_core(core);
            return;
        }
        // Mutant for the loom check: the waiting threads are woken before
        // the core is back, so one that looks at once finds no core and
        // sleeps with nobody left to wake it.
        let wake_first = cfg!(weft_loom_mutant = "ct_release_wakes_before_returning_core");
        let wake_waiting = || {
            for waker in std::mem::take(&mut *self.handle.waiting.lock()) {
                waker.wake();
            }
        };
        if wake_first {
            wake_waiting();
        }
        *self.handle.core.lock() = Some(core);
        if !wake_first {
            wake_waiting();
        }
    }
}

impl Handle {
    /// Queues `task` on this thread's core if this thread is driving this
    /// scheduler (`deferred`: behind everything else); gives it back
    /// otherwise.
    fn push_local(&self, task: TaskRef, deferred: bool) -> Result<(), TaskRef> {
        let local = CURRENT.try_with(|c| c.get()).unwrap_or(ptr::null());
        // SAFETY: the pointer is set by `run_core`/`shutdown_core` to a
        // context on their stack frame and reset before it returns; it is
        // read only on this thread.
        let Some(cx) = (unsafe { local.as_ref() }) else { return Err(task) };
        if !ptr::eq(cx.handle, self) {
            return Err(task);
        }
        let Ok(mut slot) = cx.core.try_borrow_mut() else { return Err(task) };
        let Some(core) = slot.as_mut() else { return Err(task) };
        if deferred {
            core.deferred.push(task);
        } else {
            core.tasks.push_back(task);
        }
        Ok(())
    }

    fn push_remote(&self, task: TaskRef) {
        let mut remote = self.remote.lock();
        match remote.as_mut() {
            Some(queue) => {
                queue.push_back(task);
                drop(remote);
                self.unpark.unpark();
            }
            None => {
                // Shut down: the task was or will be cancelled by its owner.
                drop(remote);
                drop(task);
            }
        }
    }
}

impl Schedule for Arc<Handle> {
    fn schedule(&self, task: Notified<Self>) {
        if let Err(task) = self.push_local(task, false) {
            self.push_remote(task);
        }
    }

    fn yield_now(&self, task: Notified<Self>) {
        if let Err(task) = self.push_local(task, true) {
            self.push_remote(task);
        }
    }

    fn release(&self, task: &Task<Self>) -> Option<Task<Self>> {
        self.owned.remove(task)
    }
}

struct BlockOnWaker {
    handle: Arc<Handle>,
}

impl Wake for BlockOnWaker {
    fn wake(self: std::sync::Arc<Self>) {
        self.wake_by_ref();
    }
    fn wake_by_ref(self: &std::sync::Arc<Self>) {
        self.handle.woken.store(true, SeqCst);
        self.handle.unpark.unpark();
    }
}

struct UnparkWaker(std::sync::Arc<dyn Unpark>);

impl Wake for UnparkWaker {
    fn wake(self: std::sync::Arc<Self>) {
        self.0.unpark();
    }
}

impl fmt::Debug for Handle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("current_thread::Handle").field("tasks", &self.owned.len()).finish()
    }
}

#[cfg(test)]
mod tests;

/// True on a thread that is running a current-thread scheduler's loop.
pub fn is_driving() -> bool {
    let cx = CURRENT.try_with(|c| c.get()).unwrap_or(ptr::null());
    !cx.is_null()
}
