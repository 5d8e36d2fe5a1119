//! The worker run loop.
//!
//! A worker thread owns a `Core` while it runs tasks. While a task is being
//! polled (and while the worker parks) the core sits in the thread's
//! `Context`, so that wakes issued on this thread can reach the local
//! queue. `block_in_place` takes the core out of the context and hands it
//! to a new thread; the old thread then finishes the current poll without
//! a core and leaves the run loop.
//!
//! Loop: every `global_queue_interval` ticks the injector is checked
//! first (fairness for remote work); every `event_interval` ticks the
//! driver is polled without blocking (I/O and timers cannot starve). A
//! task woken by the running task goes to the LIFO slot and runs next, at
//! most `MAX_LIFO_POLLS` times in a row. With no local work the worker
//! searches (steals half of a random victim's queue, then the injector),
//! and with nothing found, parks.

use super::park::Parker;
use super::queue::Local;
use super::Handle;
use crate::config::run_callback;
use crate::metrics::WorkerStats;
use crate::loom::sync::Mutex;
// The scheduler handle is an API type shared with the `weft` crate (and a
// method receiver), so it is a plain std `Arc` in every build, as in
// `park/mod.rs`.
use std::sync::Arc;
use crate::task::Notified;
use std::cell::{Cell, RefCell};
use std::ptr;

type Task = Notified<Arc<Handle>>;

/// LIFO-slot tasks polled in a row before the slot's task must queue.
const MAX_LIFO_POLLS: u32 = 3;

pub(super) struct Worker {
    pub(super) handle: Arc<Handle>,
    index: usize,
    /// The core while no thread runs this worker (before start, and during
    /// a `block_in_place` hand-over).
    core: Mutex<Option<Box<Core>>>,
}

pub(crate) struct Core {
    index: usize,
    tick: u32,
    lifo_slot: Option<Task>,
    run_queue: Local<Task>,
    /// Tasks that yielded. They wait here until the worker has run out of
    /// other local work and has looked at the injector and the driver, so a
    /// task that yields in a loop cannot crowd out remote work or I/O.
    deferred: Vec<Task>,
    /// How many of `deferred` yielded on their own (`yield_now`) rather
    /// than running out of budget; see `Context::run`.
    deferred_voluntary: usize,
    is_searching: bool,
    is_shutdown: bool,
    /// Set while the worker is inside its parker, where wakes that land in
    /// the local queue need not wake other workers.
    is_parking: bool,
    park: Option<Parker>,
    rand: FastRand,
    /// Park counts and busy time; published to this worker's
    /// `WorkerMetrics` slot at park, at wake-up and at maintenance ticks.
    stats: WorkerStats,
}

struct Context {
    worker: Arc<Worker>,
    core: RefCell<Option<Box<Core>>>,
    /// Set by `block_in_place` once it has handed the core to another
    /// thread: this one finishes its poll but no longer runs the worker.
    handed_off: Cell<bool>,
}

crate::loom::thread_local! {
    static CURRENT: Cell<*const Context> = const { Cell::new(ptr::null()) };
}

/// Restores the previous context pointer when the run loop ends.
struct SetCurrent(*const Context);

impl Drop for SetCurrent {
    fn drop(&mut self) {
        CURRENT.with(|c| c.set(self.0));
    }
}

fn with_current<R>(f: impl FnOnce(Option<&Context>) -> R) -> R {
    let ptr = CURRENT.try_with(|c| c.get()).unwrap_or(ptr::null());
    // SAFETY: the pointer is set only by `run` to a `Context` on its stack,
    // and reset before that frame returns; it is only read on this thread.
    f(unsafe { ptr.as_ref() })
}

impl Core {
    pub(super) fn new(index: usize, run_queue: Local<Task>, park: Parker) -> Box<Core> {
        Box::new(Core {
            index,
            tick: 0,
            lifo_slot: None,
            run_queue,
            deferred: Vec::new(),
            deferred_voluntary: 0,
            is_searching: false,
            is_shutdown: false,
            is_parking: false,
            park: Some(park),
            rand: FastRand::new(index as u64 + 1),
            stats: WorkerStats::new(false),
        })
    }

    fn has_local_work(&self) -> bool {
        self.lifo_slot.is_some() || !self.run_queue.is_empty() || !self.deferred.is_empty()
    }

    /// More than one task is queued here: another worker could help.
    fn has_surplus_work(&self) -> bool {
        self.run_queue.len() + usize::from(self.lifo_slot.is_some()) > 1
    }

    /// Puts the yielded tasks back into the run queue, sharing them if
    /// there are several: wakes a helper, unless all of them ran out of
    /// budget on ready resources. Those are busy with I/O or channels
    /// whose other ends (and data) are most likely on this worker; a
    /// helper would only pull a producer away from its consumer. Tasks
    /// that yield on their own are the CPU-bound kind, worth spreading
    /// over the cores.
    fn requeue_deferred(&mut self, handle: &Handle) {
        let voluntary = std::mem::take(&mut self.deferred_voluntary);
        for task in self.deferred.drain(..) {
            self.run_queue.push(task);
        }
        if voluntary > 0 && self.run_queue.len() > 1 {
            handle.notify_parked();
        }
    }

    fn next_task(&mut self, handle: &Handle) -> Option<Task> {
        let interval = handle.shared.config.global_queue_interval.max(1);
        if self.tick % interval == 0 {
            if let Some(task) = handle.shared.inject.pop() {
                return Some(task);
            }
        }
        if let Some(task) = self.lifo_slot.take().or_else(|| self.run_queue.pop()) {
            return Some(task);
        }
        // A plain emptiness check first: stealing issues a full fence even
        // from an empty injector, and this path runs on every idle turn.
        // A task this check misses is found by the search that follows
        // (`steal_work` steals from the injector unconditionally).
        if handle.shared.inject.is_empty() {
            return None;
        }
        handle.shared.inject.steal_batch_and_pop(&self.run_queue)
    }

    fn steal_work(&mut self, handle: &Handle) -> Option<Task> {
        if !self.is_searching {
            if !handle.shared.idle.transition_worker_to_searching() {
                return None;
            }
            self.is_searching = true;
        }
        let remotes = &handle.shared.remotes;
        let n = remotes.len();
        let start = self.rand.below(n);
        for i in 0..n {
            let victim = (start + i) % n;
            if victim == self.index {
                continue;
            }
            if let Some(task) = remotes[victim].steal.steal_half_into(&self.run_queue) {
                return Some(task);
            }
        }
        handle.shared.inject.steal_batch_and_pop(&self.run_queue)
    }

    fn transition_from_searching(&mut self, handle: &Handle) {
        if self.is_searching {
            self.is_searching = false;
            if handle.shared.idle.transition_worker_from_searching() {
                // The last searcher found work; there may be more, so
                // another worker takes over the search.
                handle.notify_parked();
            }
        }
    }

    /// Returns false (stay awake) if local work appeared.
    fn transition_to_parked(&mut self, handle: &Handle) -> bool {
        if self.has_local_work() {
            return false;
        }
        let was_last_searcher = handle.shared.idle.transition_worker_to_parked(self.index, self.is_searching);
        self.is_searching = false;
        if was_last_searcher {
            handle.notify_if_work_pending();
        }
        true
    }

    /// Returns true when the worker should wake up for good.
    fn transition_from_parked(&mut self, handle: &Handle) -> bool {
        if self.has_local_work() {
            if !handle.shared.idle.unpark_worker_by_id(self.index) {
                // Someone woke us meanwhile and counted us as searching.
                self.is_searching = true;
            }
            return true;
        }
        if handle.shared.idle.is_parked(self.index) {
            return false;
        }
        self.is_searching = true;
        true
    }

    fn maintenance(&mut self, handle: &Handle) {
        if handle.is_shutdown() {
            self.is_shutdown = true;
        }
    }
}

impl Worker {
    pub(super) fn new(handle: Arc<Handle>, core: Box<Core>) -> Arc<Worker> {
        let index = core.index;
        Arc::new(Worker { handle, index, core: Mutex::new(Some(core)) })
    }
}

/// The body of a worker thread.
pub(super) fn run(worker: Arc<Worker>) {
    let Some(core) = worker.core.lock().take() else { return };
    let cx = Context { worker, core: RefCell::new(None), handed_off: Cell::new(false) };
    let prev = CURRENT.with(|c| c.replace(&cx as *const Context));
    let _reset = SetCurrent(prev);
    if let Some(core) = cx.run(core) {
        cx.worker.handle.finish_core(core);
    }
}

impl Context {
    /// Runs until shutdown (returning the core) or until the core is taken
    /// by `block_in_place` (returning `None`).
    fn run(&self, mut core: Box<Core>) -> Option<Box<Core>> {
        let handle = &*self.worker.handle;
        let metrics = &handle.shared.metrics[core.index];
        let event_interval = handle.shared.config.event_interval.max(1);
        // Open unless this thread took the core over from a worker that
        // went into `block_in_place`: the worker stayed busy meanwhile.
        core.stats.start_busy();
        while !core.is_shutdown {
            core.tick = core.tick.wrapping_add(1);
            if core.tick % event_interval == 0 {
                core = self.poll_driver(core);
                core.maintenance(handle);
                core.stats.publish_busy(metrics);
                if core.is_shutdown {
                    break;
                }
            }
            if let Some(task) = core.next_task(handle) {
                core = self.run_task(task, core)?;
                continue;
            }
            if !core.deferred.is_empty() {
                // Only yielded tasks are left, and the injector was just
                // checked: run them again.
                core.requeue_deferred(handle);
                continue;
            }
            if let Some(task) = core.steal_work(handle) {
                core = self.run_task(task, core)?;
                continue;
            }
            core = self.park(core);
        }
        core.transition_from_searching(handle);
        core.stats.stop_busy(metrics);
        Some(core)
    }

    fn run_task(&self, task: Task, mut core: Box<Core>) -> Option<Box<Core>> {
        let handle = &*self.worker.handle;
        core.transition_from_searching(handle);
        *self.core.borrow_mut() = Some(core);
        task.run();
        let mut lifo_polls = 0;
        loop {
            let mut core = self.core.borrow_mut().take()?;
            let Some(task) = core.lifo_slot.take() else { return Some(core) };
            if lifo_polls >= MAX_LIFO_POLLS {
                core.run_queue.push(task);
                // If it is the only task queued, this worker pops it
                // straight back: waking a helper would only race us for
                // it (two tasks waking each other, say).
                if core.has_surplus_work() {
                    handle.notify_parked();
                }
                return Some(core);
            }
            lifo_polls += 1;
            *self.core.borrow_mut() = Some(core);
            task.run();
        }
    }

    fn park(&self, mut core: Box<Core>) -> Box<Core> {
        let handle = &*self.worker.handle;
        if !core.transition_to_parked(handle) {
            return core;
        }
        let metrics = &handle.shared.metrics[core.index];
        while !core.is_shutdown {
            run_callback(&handle.shared.config.on_thread_park);
            core.stats.about_to_park(metrics);
            core = self.with_parker(core, Parker::park);
            core.stats.unparked(metrics);
            run_callback(&handle.shared.config.on_thread_unpark);
            core.maintenance(handle);
            if core.transition_from_parked(handle) {
                // The driver may have handed this worker a batch of ready
                // tasks (I/O events, timers): share them.
                if core.has_surplus_work() {
                    handle.notify_parked();
                }
                break;
            }
        }
        if core.is_shutdown {
            // Leave the sleepers so the counts stay balanced.
            let _ = handle.shared.idle.unpark_worker_by_id(core.index);
        }
        core
    }

    /// Polls the driver without blocking, then lets a lone yielded task
    /// go next.
    fn poll_driver(&self, core: Box<Core>) -> Box<Core> {
        let mut core = self.with_parker(core, Parker::poll_driver);
        if core.has_surplus_work() {
            self.worker.handle.notify_parked();
        }
        // A lone yielded task goes next, ahead of the queue: a task that
        // yields between rounds of work it hands to others (a producer,
        // a ticker) runs at least once per driver poll instead of after
        // everything it woke. Several yielded tasks are peers taking
        // turns; they wait for the queue to drain, which keeps their
        // round-robin cheap.
        if core.deferred.len() == 1 && core.lifo_slot.is_none() {
            core.lifo_slot = core.deferred.pop();
            core.deferred_voluntary = 0;
        }
        core
    }

    /// Parks (or polls the driver) with the core in the context, so tasks
    /// woken by the driver on this thread land in the local queue.
    fn with_parker(&self, mut core: Box<Core>, f: impl FnOnce(&mut Parker)) -> Box<Core> {
        let mut parker = core.park.take().expect("a worker's parker went missing");
        core.is_parking = true;
        *self.core.borrow_mut() = Some(core);
        f(&mut parker);
        let mut core = self.core.borrow_mut().take().expect("a worker's core went missing while it parked");
        core.is_parking = false;
        core.park = Some(parker);
        core
    }
}

/// Why a task is being queued.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Wake {
    /// Something woke it while it was idle.
    Woken,
    /// It woke itself while running (`yield_now`): it yielded on its own.
    Yield,
    /// It spent its whole coop budget and a resource pushed it back.
    RanOutOfBudget,
}

/// Queues `task` on this thread's core if this thread is a worker of
/// `handle` holding its core; gives the task back otherwise.
pub(super) fn schedule_local(handle: &Arc<Handle>, task: Task, wake: Wake) -> Result<(), Task> {
    with_current(|cx| {
        let Some(cx) = cx else { return Err(task) };
        if !Arc::ptr_eq(&cx.worker.handle, handle) {
            return Err(task);
        }
        let Ok(mut slot) = cx.core.try_borrow_mut() else { return Err(task) };
        let Some(core) = slot.as_mut() else { return Err(task) };
        let should_notify = if wake != Wake::Woken {
            if wake == Wake::Yield {
                core.deferred_voluntary += 1;
            }
            core.deferred.push(task);
            false
        } else {
            match core.lifo_slot.replace(task) {
                Some(prev) => {
                    core.run_queue.push(prev);
                    // Mutant for the loom check: a task that becomes
                    // stealable wakes nobody to steal it.
                    !cfg!(weft_loom_mutant = "sched_push_skips_notify")
                }
                None => false,
            }
        };
        let notify = should_notify && !core.is_parking;
        drop(slot);
        if notify {
            handle.notify_parked();
        }
        Ok(())
    })
}

pub(super) fn current_index(handle: &Arc<Handle>) -> Option<usize> {
    with_current(|cx| {
        let cx = cx?;
        Arc::ptr_eq(&cx.worker.handle, handle).then_some(cx.worker.index)
    })
}

/// Runs `f`, which may block, on the current thread. If this thread is a
/// multi-thread worker, its core (local queue, LIFO slot) is first handed
/// to a new worker thread so the other tasks keep running; this thread
/// then stops being a worker after the current task's poll.
///
/// Returns `Err(f)` (without running it) on a thread that belongs to a
/// current-thread runtime, which cannot hand its work away; the caller
/// decides how to report that.
pub fn block_in_place<F: FnOnce() -> R, R>(f: F) -> R {
    with_current(|cx| {
        // Mutant for the loom check: the core stays with this thread, so
        // the tasks queued on it wait for the blocking call.
        if cfg!(weft_loom_mutant = "sched_block_in_place_keeps_core") {
            return;
        }
        if let Some(cx) = cx {
            if let Some(core) = cx.core.borrow_mut().take() {
                cx.handed_off.set(true);
                let worker = cx.worker.clone();
                *worker.core.lock() = Some(core);
                let next = worker.clone();
                // A mandatory pool job: it starts even during shutdown, so
                // the core always reaches a thread.
                let _ = worker.handle.shared.blocking.spawn_thread(move || run(next));
            }
        }
    });
    crate::coop::with_unconstrained(f)
}

impl Handle {
    /// A worker stopped for shutdown. The last one cancels every task,
    /// empties the queues and shuts the driver down.
    fn finish_core(&self, core: Box<Core>) {
        let mut finished = self.shared.finished_cores.lock();
        finished.push(core);
        if finished.len() < self.shared.remotes.len() {
            return;
        }
        let cores = std::mem::take(&mut *finished);
        drop(finished);
        self.shared.owned.close_and_shutdown_all();
        for mut core in cores {
            drop(core.lifo_slot.take());
            core.deferred.clear();
            core.deferred_voluntary = 0;
            while let Some(task) = core.run_queue.pop() {
                drop(task);
            }
        }
        while let Some(task) = self.shared.inject.pop() {
            drop(task);
        }
        self.shared.driver.shutdown();
    }
}

/// A small xorshift generator for picking steal victims.
struct FastRand(u64);

impl FastRand {
    fn new(seed: u64) -> FastRand {
        FastRand(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    fn below(&mut self, n: usize) -> usize {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        ((x >> 32) as usize * n) >> 32
    }
}

/// The index of the worker this thread runs (`0..worker_threads`, the
/// index of [`Handle::worker_metrics`](super::Handle::worker_metrics)), on
/// a worker thread of any multi-thread scheduler. `None` on other threads,
/// and on a worker thread that has handed its worker on in
/// [`block_in_place`]: the thread that took over reports the index.
///
/// One thread-local read.
pub fn worker_index() -> Option<usize> {
    with_current(|cx| cx.filter(|cx| !cx.handed_off.get()).map(|cx| cx.worker.index))
}

/// True on a worker thread that holds its core (not inside
/// `block_in_place`).
pub fn is_worker_thread() -> bool {
    with_current(|cx| cx.is_some_and(|cx| cx.core.try_borrow().map_or(true, |c| c.is_some())))
}
