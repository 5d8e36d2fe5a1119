//! `block_in_place`'s hand-over of a worker's core, on the real
//! multi-thread scheduler: `multi_thread::create` with one worker, the
//! real worker loop, parker, blocking pool and task core, and a
//! condvar-only driver (`ParkThread`). Nothing of the scheduler is
//! reduced; only its run queues are the loom stand-in (`queue.rs`).
//!
//! weft does not give the core back to the thread that called
//! `block_in_place`: a new worker thread takes it over, and the old
//! thread leaves the worker loop once the current poll ends (see
//! `scheduler/src/multi_thread/worker.rs`). The model checks both halves.

use crate::runtime::{multi_thread, run_to_the_end, Ran};
use loom::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use loom::sync::Arc;
use loom::thread;
use weft_scheduler::multi_thread::{block_in_place, is_worker_thread};
use weft_scheduler::task::Id;

/// A task on the only worker spawns two tasks (one lands in the core's
/// LIFO slot, the other in its run queue), then calls `block_in_place`
/// and blocks until both ran. They can only run if the core, with both
/// of them, reached a new worker thread: a core left with the blocked
/// thread, or stranded between the two, is a deadlock. The model also
/// checks that the blocked thread gave up its core before blocking and
/// did not get it back, that the two tasks ran on a worker thread other
/// than the blocked one (so no core served two threads at once), and
/// that shutdown afterwards finishes every task and stops every thread.
#[test]
fn block_in_place_hands_the_core_to_a_new_thread() {
    loom::model(|| {
        let (pool, handle, launch) = multi_thread(1);
        let ran = Arc::new(Ran::default());
        // The blocked thread, for the tasks to compare with their own.
        let blocked_thread = Arc::new(AtomicUsize::new(usize::MAX));
        let blocker = handle.spawn(
            {
                let handle = handle.clone();
                let (ran, blocked_thread) = (ran.clone(), blocked_thread.clone());
                async move {
                    blocked_thread.store(thread_index(), SeqCst);
                    let spawn_one = || {
                        let (ran, blocked_thread) = (ran.clone(), blocked_thread.clone());
                        handle.spawn(
                            async move {
                                assert!(is_worker_thread(), "a task ran on a thread without a core");
                                assert_ne!(
                                    thread_index(),
                                    blocked_thread.load(SeqCst),
                                    "a task ran on the thread that gave its core away"
                                );
                                ran.add();
                            },
                            Id::next(),
                        )
                    };
                    let (first, second) = (spawn_one(), spawn_one());
                    block_in_place(|| {
                        assert!(!is_worker_thread(), "the blocked thread kept its core");
                        ran.wait_for(2);
                    });
                    assert!(!is_worker_thread(), "the core came back to the blocked thread");
                    first.await.unwrap();
                    second.await.unwrap();
                }
            },
            Id::next(),
        );
        run_to_the_end(launch, blocker, pool, &handle, &ran, 2);
    });
}

/// A number for the current loom thread (from its `Debug` id; loom
/// numbers threads from 0 in each execution).
fn thread_index() -> usize {
    let id = format!("{:?}", thread::current().id());
    id.trim_start_matches("ThreadId(")
        .trim_end_matches(')')
        .parse()
        .expect("loom thread ids are numbers")
}
