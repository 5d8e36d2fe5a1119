//! The searching/parking protocol of the multi-thread scheduler
//! (`scheduler/src/multi_thread/idle.rs`, with the worker parker of
//! `park.rs`).
//!
//! The models drive the real `Idle` and worker `Parker` through
//! `weft_scheduler::multi_thread::loom_internals`. The worker loop around
//! them is a small copy of the one in `worker.rs` (find work, else start
//! searching, else register as a sleeper, re-check the queues if this was
//! the last searcher, park until taken off the sleeper list), and the
//! injector is a mutex-protected queue, as the scheduler's own queues are
//! under loom. A lost wake-up leaves a worker parked with work queued,
//! which loom reports as a deadlock.

use loom::sync::atomic::{fence, AtomicBool, AtomicUsize, Ordering::SeqCst};
use loom::sync::{Arc, Condvar, Mutex};
use loom::thread;
use std::collections::VecDeque;
use weft_scheduler::multi_thread::loom_internals::{Driver, Idle, Parker, Unparker};
use weft_scheduler::park::ParkThread;

/// A task that blocks its worker until another task has run.
const BLOCKER: u32 = 0;

struct Shared {
    idle: Idle,
    inject: Mutex<VecDeque<u32>>,
    unparkers: Vec<Unparker>,
    shutdown: AtomicBool,
    ran: AtomicUsize,
    /// Signalled each time a task runs, for the producer to wait on.
    done: (Mutex<usize>, Condvar),
}

impl Shared {
    fn new(idle: Idle, unparkers: Vec<Unparker>) -> Arc<Shared> {
        Arc::new(Shared {
            idle,
            inject: Mutex::new(VecDeque::new()),
            unparkers,
            shutdown: AtomicBool::new(false),
            ran: AtomicUsize::new(0),
            done: (Mutex::new(0), Condvar::new()),
        })
    }

    /// `Handle::notify_parked`.
    fn notify_parked(&self) {
        fence(SeqCst);
        if let Some(worker) = self.idle.worker_to_notify() {
            self.unparkers[worker].unpark();
        }
    }

    /// `Handle::notify_if_work_pending`.
    fn notify_if_work_pending(&self) {
        fence(SeqCst);
        if !self.inject.lock().unwrap().is_empty() {
            self.notify_parked();
        }
    }

    /// A spawn from outside the runtime: push to the injector, then wake a
    /// worker if nobody searches.
    fn push(&self, task: u32) {
        self.inject.lock().unwrap().push_back(task);
        self.notify_parked();
    }

    fn pop(&self) -> Option<u32> {
        self.inject.lock().unwrap().pop_front()
    }

    fn run(&self, task: u32) {
        if task == BLOCKER {
            // A long poll: holds its worker until another task ran.
            self.wait_ran(1);
        }
        self.ran.fetch_add(1, SeqCst);
        let (lock, cvar) = &self.done;
        *lock.lock().unwrap() += 1;
        cvar.notify_all();
    }

    /// Blocks until `n` tasks ran.
    fn wait_ran(&self, n: usize) {
        let (lock, cvar) = &self.done;
        let mut ran = lock.lock().unwrap();
        while *ran < n {
            ran = cvar.wait(ran).unwrap();
        }
    }

    fn shutdown(&self) {
        self.shutdown.store(true, SeqCst);
        for unparker in &self.unparkers {
            unparker.unpark();
        }
    }
}

/// How a model's worker starts.
#[derive(Clone, Copy, PartialEq)]
enum Start {
    /// Awake, not searching, about to look for work.
    Awake,
    /// Already registered as a sleeper (the model did it before spawning).
    Asleep,
}

/// The worker loop of `worker.rs`, reduced to the protocol steps. Returns
/// after `stop_after` tasks ran on this worker, or at shutdown.
fn worker(
    shared: &Shared,
    index: usize,
    mut parker: Parker,
    start: Start,
    stop_after: Option<usize>,
) {
    let mut searching = false;
    let mut ran_here = 0;
    let mut asleep = start == Start::Asleep;
    loop {
        if !asleep {
            if stop_after == Some(ran_here) || shared.shutdown.load(SeqCst) {
                return;
            }
            // `next_task`, then `steal_work` (which starts searching first).
            let mut task = shared.pop();
            if task.is_none() && (searching || shared.idle.transition_worker_to_searching()) {
                searching = true;
                task = shared.pop();
            }
            if let Some(task) = task {
                // `transition_from_searching`: the last searcher that found
                // work hands the search to another worker.
                if searching {
                    searching = false;
                    if shared.idle.transition_worker_from_searching() {
                        shared.notify_parked();
                    }
                }
                shared.run(task);
                ran_here += 1;
                continue;
            }
            // `transition_to_parked`.
            if shared.idle.transition_worker_to_parked(index, searching) {
                shared.notify_if_work_pending();
            }
            // No longer searching; the park loop below decides whether the
            // worker wakes up searching.
        }
        asleep = false;
        // `park` / `transition_from_parked`.
        loop {
            if shared.shutdown.load(SeqCst) {
                let _ = shared.idle.unpark_worker_by_id(index);
                return;
            }
            parker.park();
            if shared.shutdown.load(SeqCst) {
                let _ = shared.idle.unpark_worker_by_id(index);
                return;
            }
            if !shared.idle.is_parked(index) {
                // Taken off the sleeper list by a producer: search.
                searching = true;
                break;
            }
        }
    }
}

fn parkers(n: usize) -> (Vec<Parker>, Vec<Unparker>) {
    let driver = Driver::new(Box::new(ParkThread::new()));
    let parkers: Vec<Parker> = (0..n).map(|_| driver.parker()).collect();
    let unparkers = parkers.iter().map(Parker::unparker).collect();
    (parkers, unparkers)
}

/// A task pushed from outside while the only worker is on its way to
/// sleep is always run: either the producer sees the worker searching
/// and the worker's last-searcher re-check sees the task, or the producer
/// wakes the worker.
#[test]
fn remote_push_while_the_worker_parks_is_run() {
    loom::model(|| {
        let (mut parkers, unparkers) = parkers(1);
        let shared = Shared::new(Idle::new(1), unparkers);
        let parker = parkers.pop().unwrap();
        let w = thread::spawn({
            let shared = shared.clone();
            move || worker(&shared, 0, parker, Start::Awake, Some(1))
        });
        shared.push(1);
        w.join().unwrap();
        assert_eq!(shared.ran.load(SeqCst), 1);
    });
}

/// Two workers go to sleep while a task is pushed from outside: one of
/// them runs it. Then shutdown wakes both (one sleeps in the driver, the
/// other on its condvar).
#[test]
fn two_workers_parking_never_strand_a_task() {
    loom::model(|| {
        let (parkers, unparkers) = parkers(2);
        let shared = Shared::new(Idle::new(2), unparkers);
        let workers: Vec<_> = parkers
            .into_iter()
            .enumerate()
            .map(|(index, parker)| {
                let shared = shared.clone();
                thread::spawn(move || worker(&shared, index, parker, Start::Awake, None))
            })
            .collect();
        shared.push(1);
        shared.wait_ran(1);
        shared.shutdown();
        for w in workers {
            w.join().unwrap();
        }
        assert_eq!(shared.ran.load(SeqCst), 1);
    });
}

/// With every worker asleep, two producers racing to wake one wake
/// exactly one: the woken worker counts as searching, and the second
/// producer's re-check under the lock sees it.
#[test]
fn one_burst_wakes_one_worker() {
    loom::model(|| {
        let idle = Arc::new(Idle::new(2));
        assert!(!idle.transition_worker_to_parked(0, false));
        assert!(!idle.transition_worker_to_parked(1, false));
        let other = thread::spawn({
            let idle = idle.clone();
            move || idle.worker_to_notify()
        });
        let mine = idle.worker_to_notify();
        let theirs = other.join().unwrap();
        let woken = usize::from(mine.is_some()) + usize::from(theirs.is_some());
        assert_eq!(woken, 1, "one burst of work woke {woken} workers");
        assert_eq!(idle.counts(), (1, 1));
    });
}

/// Two tasks pushed from outside while both workers sleep; the first
/// blocks its worker until the second ran elsewhere. The producer wakes
/// one worker only (the second push sees it searching), so the second
/// task runs only because the last searcher, on finding the first task,
/// hands the search over to the other worker.
#[test]
fn last_searcher_hands_over_the_search() {
    loom::model(|| {
        let (parkers, unparkers) = parkers(2);
        let shared = Shared::new(Idle::new(2), unparkers);
        assert!(!shared.idle.transition_worker_to_parked(0, false));
        assert!(!shared.idle.transition_worker_to_parked(1, false));
        let workers: Vec<_> = parkers
            .into_iter()
            .enumerate()
            .map(|(index, parker)| {
                let shared = shared.clone();
                thread::spawn(move || worker(&shared, index, parker, Start::Asleep, None))
            })
            .collect();
        shared.push(BLOCKER);
        shared.push(2);
        shared.wait_ran(2);
        shared.shutdown();
        for w in workers {
            w.join().unwrap();
        }
        assert_eq!(shared.ran.load(SeqCst), 2);
    });
}
