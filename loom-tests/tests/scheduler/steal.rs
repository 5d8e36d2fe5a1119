//! Work stealing racing the owner's pop.
//!
//! Under loom the run queues (`scheduler/src/multi_thread/queue.rs`) are
//! the mutex-protected stand-in for crossbeam-deque, with the same
//! interface; crossbeam's lock-free internals are not modelled here. What
//! these models check is weft's side: the steal path (a batch leaves the
//! victim and reaches the thief's own queue in two steps, in neither
//! queue in between) racing the victim's pops and pushes, and, on the
//! real scheduler, that a task queued behind a busy worker is stolen by
//! an idle one. Every task must run exactly once, and none may be left
//! behind.

use crate::runtime::{multi_thread, run_to_the_end, Ran};
use loom::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use loom::sync::Arc;
use loom::thread;
use weft_scheduler::multi_thread::loom_internals::RunQueue;
use weft_scheduler::task::Id;

/// A task: its number and the run counts of every task of the model. It
/// holds a loom `Arc`, so a task that is never run (and dropped) shows up
/// as a leak.
struct Task {
    index: usize,
    runs: Arc<[AtomicUsize; TASKS]>,
}

impl Task {
    fn run(self) {
        self.runs[self.index].fetch_add(1, SeqCst);
    }
}

const TASKS: usize = 4;

/// The queue alone, through `loom_internals::{RunQueue, Stealer}`: the
/// owner starts with three tasks queued. A searching worker steals half
/// of them into its own queue (`Stealer::steal_half_into`, the call the
/// worker's search makes), runs the one the steal returned and then
/// drains its queue, while the owner pops, pushes a fourth task and
/// keeps popping. Each task runs exactly once, and both queues end empty.
#[test]
fn steal_racing_pop_runs_every_task_once() {
    loom::model(|| {
        let runs: Arc<[AtomicUsize; TASKS]> = Arc::new(Default::default());
        let task = |index| Task {
            index,
            runs: runs.clone(),
        };
        let owner = RunQueue::new();
        for index in 0..3 {
            owner.push(task(index));
        }
        let victim = owner.stealer();
        let thief = thread::spawn(move || {
            let mine = RunQueue::new();
            if let Some(task) = victim.steal_half_into(&mine) {
                task.run();
            }
            while let Some(task) = mine.pop() {
                task.run();
            }
        });
        if let Some(task) = owner.pop() {
            task.run();
        }
        owner.push(task(3));
        while let Some(task) = owner.pop() {
            task.run();
        }
        thief.join().unwrap();
        assert!(owner.is_empty());
        for (index, runs) in runs.iter().enumerate() {
            assert_eq!(runs.load(SeqCst), 1, "task {index} ran {} times", runs.load(SeqCst));
        }
    });
}

/// The real scheduler with two workers. A task on one worker spawns two
/// tasks (the first goes to the worker's LIFO slot, then the second
/// pushes it into the run queue) and blocks its worker until one of them
/// ran. Only the other worker can run it: it must be woken by the push
/// (`schedule_local` asks for a parked worker when the run queue grows)
/// and steal it through the real search (`Core::steal_work`), while the
/// first worker pops its queue again once unblocked. Both tasks run
/// exactly once (one never run is a deadlock), and shutdown afterwards
/// stops every thread.
///
/// The bound is pinned to 1 whatever `LOOM_MAX_PREEMPTIONS` says: three
/// threads run the whole worker loop here, and a bound of 2 takes many
/// minutes; the lost wake-up this model is for needs no preemption.
#[test]
fn a_task_behind_a_blocked_worker_is_stolen() {
    let mut model = loom::model::Builder::new();
    model.preemption_bound = Some(1);
    model.check(|| {
        let (pool, handle, launch) = multi_thread(2);
        let ran = Arc::new(Ran::default());
        let blocker = handle.spawn(
            {
                let handle = handle.clone();
                let ran = ran.clone();
                async move {
                    let spawn_one = || {
                        let ran = ran.clone();
                        handle.spawn(async move { ran.add() }, Id::next())
                    };
                    let (first, second) = (spawn_one(), spawn_one());
                    // A long poll: this worker is busy until the other
                    // one stole and ran the queued task.
                    ran.wait_for(1);
                    first.await.unwrap();
                    second.await.unwrap();
                }
            },
            Id::next(),
        );
        run_to_the_end(launch, blocker, pool, &handle, &ran, 2);
    });
}
