//! Runtime metrics: park counts and their parity, busy time, the global
//! queue's depth, worker indices out of range, and `worker_index` naming
//! the worker whose counters show it busy.
//!
//! A worker's counters are written by that worker while the test reads
//! them from another thread, so a test asserts exact values only in states
//! it controls (a worker blocked inside a task, a `block_on` that has
//! returned) and otherwise waits, bounded, for a value to be reached.

mod support;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc};
use std::thread;
use std::time::{Duration, Instant};
use support::*;
use weft::runtime::{Builder, Handle, Runtime, RuntimeMetrics};

/// How long [`eventually`] waits before it fails the test.
const PATIENCE: Duration = Duration::from_secs(20);

/// Waits until `cond` holds, polling every millisecond for at most
/// [`PATIENCE`].
#[track_caller]
fn eventually(what: &str, mut cond: impl FnMut() -> bool) {
    let start = Instant::now();
    while !cond() {
        assert!(start.elapsed() < PATIENCE, "{what}: not reached within {PATIENCE:?}");
        thread::sleep(Duration::from_millis(1));
    }
}

fn one_worker_runtime() -> Runtime {
    Builder::new_multi_thread().worker_threads(1).enable_all().build().unwrap()
}

/// Keeps the calling thread busy for `d` without sleeping.
fn spin(d: Duration) {
    let start = Instant::now();
    while start.elapsed() < d {
        std::hint::spin_loop();
    }
}

fn is_parked(metrics: &RuntimeMetrics, worker: usize) -> bool {
    metrics.worker_park_unpark_count(worker) % 2 == 1
}

fn total_parks(metrics: &RuntimeMetrics) -> u64 {
    (0..metrics.num_workers()).map(|w| metrics.worker_park_count(w)).sum()
}

#[test]
fn a_fresh_runtime_counts_nothing_yet() {
    // A current-thread runtime does nothing until `block_on`.
    let rt = Flavor::CurrentThread.runtime();
    let metrics = rt.metrics();
    assert_eq!(metrics.worker_park_count(0), 0);
    assert_eq!(metrics.worker_park_unpark_count(0), 0);
    assert_eq!(metrics.worker_total_busy_duration(0), Duration::ZERO);
    assert_eq!(metrics.global_queue_depth(), 0);
}

#[test]
fn the_block_on_thread_of_a_current_thread_runtime_parks_and_is_woken() {
    with_watchdog(|| {
        let rt = Flavor::CurrentThread.runtime();
        let metrics = rt.metrics();
        let (tx, rx) = weft::sync::oneshot::channel();
        let waker_metrics = metrics.clone();
        let sender = thread::spawn(move || {
            // `block_on` waits for the channel with nothing else to do:
            // its thread parks, and stays parked until the send.
            eventually("the block_on thread parks", || is_parked(&waker_metrics, 0));
            let parks = waker_metrics.worker_park_count(0);
            tx.send(()).unwrap();
            parks
        });
        rt.block_on(rx).unwrap();
        let parks_seen_while_parked = sender.join().unwrap();
        assert!(parks_seen_while_parked >= 1);
        let parks = metrics.worker_park_count(0);
        assert!(parks >= parks_seen_while_parked);
        // `block_on` returns on a woken thread: every park has its unpark.
        assert_eq!(metrics.worker_park_unpark_count(0), 2 * parks, "even once awake");
    });
}

#[test]
fn idle_multi_thread_workers_park_and_a_task_wakes_one() {
    with_watchdog(|| {
        let rt = Flavor::MultiThread.runtime();
        let metrics = rt.metrics();
        let n = metrics.num_workers();
        let all_parked = || (0..n).all(|w| is_parked(&metrics, w));
        eventually("every idle worker parks", all_parked);
        let before = total_parks(&metrics);
        // Every worker was asleep: the one that runs this task woke for
        // it, and parks again once it is done.
        assert_eq!(rt.block_on(rt.spawn(async { 6 * 7 })).unwrap(), 42);
        eventually("a worker parks again after running the task", || total_parks(&metrics) > before);
        eventually("every worker is idle again", all_parked);
    });
}

#[test]
fn a_worker_running_a_task_is_not_parked() {
    with_watchdog(|| {
        let rt = one_worker_runtime();
        let metrics = rt.metrics();
        let (started_tx, started_rx) = mpsc::channel();
        let (release_tx, release_rx) = mpsc::channel::<()>();
        let blocker = rt.spawn(async move {
            started_tx.send(()).unwrap();
            // Blocks the only worker on purpose.
            release_rx.recv().unwrap();
        });
        started_rx.recv().unwrap();
        // The worker woke (or started) before it ran the task, and the
        // task's send orders those counts before this read.
        let parks = metrics.worker_park_count(0);
        assert_eq!(metrics.worker_park_unpark_count(0), 2 * parks, "even while it runs");
        release_tx.send(()).unwrap();
        rt.block_on(blocker).unwrap();
        eventually("the worker parks once idle", || is_parked(&metrics, 0));
        assert!(metrics.worker_park_count(0) > parks);
    });
}

#[test]
fn global_queue_depth_counts_tasks_waiting_for_a_blocked_worker() {
    with_watchdog(|| {
        const N: usize = 5;
        let rt = one_worker_runtime();
        let metrics = rt.metrics();
        let (started_tx, started_rx) = mpsc::channel();
        let (release_tx, release_rx) = mpsc::channel::<()>();
        let blocker = rt.spawn(async move {
            started_tx.send(()).unwrap();
            release_rx.recv().unwrap();
        });
        started_rx.recv().unwrap();
        assert_eq!(metrics.global_queue_depth(), 0, "the worker took the blocker");
        // Spawned from outside the workers: they queue globally, and the
        // only worker is stuck in the blocker.
        let tasks: Vec<_> = (0..N).map(|i| rt.spawn(async move { i })).collect();
        assert_eq!(metrics.global_queue_depth(), N);
        release_tx.send(()).unwrap();
        let results = rt.block_on(async {
            blocker.await.unwrap();
            let mut results = Vec::new();
            for task in tasks {
                results.push(task.await.unwrap());
            }
            results
        });
        assert_eq!(results, (0..N).collect::<Vec<_>>());
        assert_eq!(metrics.global_queue_depth(), 0);
    });
}

#[test]
fn global_queue_depth_counts_tasks_spawned_before_block_on() {
    with_watchdog(|| {
        let rt = Flavor::CurrentThread.runtime();
        let metrics = rt.metrics();
        // No thread runs the tasks until `block_on`.
        let tasks: Vec<_> = (0..4).map(|i| rt.spawn(async move { i })).collect();
        assert_eq!(metrics.global_queue_depth(), 4);
        let sum = rt.block_on(async {
            let mut sum = 0;
            for task in tasks {
                sum += task.await.unwrap();
            }
            sum
        });
        assert_eq!(sum, 6);
        assert_eq!(metrics.global_queue_depth(), 0);
    });
}

#[test]
fn busy_duration_includes_cpu_work_on_a_worker() {
    const WORK: Duration = Duration::from_millis(20);
    with_watchdog(|| {
        let rt = Flavor::CurrentThread.runtime();
        rt.block_on(async { weft::spawn(async { spin(WORK) }).await }).unwrap();
        // Published when the thread left `block_on`.
        let busy = rt.metrics().worker_total_busy_duration(0);
        assert!(busy >= WORK, "current_thread: busy {busy:?} after {WORK:?} of work");

        let rt = one_worker_runtime();
        let metrics = rt.metrics();
        rt.block_on(rt.spawn(async { spin(WORK) })).unwrap();
        // Published when the worker parks after the task.
        eventually("the worker's busy time includes the task's work", || {
            metrics.worker_total_busy_duration(0) >= WORK
        });
    });
}

#[test]
fn busy_duration_grows_while_a_worker_never_parks() {
    with_watchdog(|| {
        let rt = one_worker_runtime();
        let metrics = rt.metrics();
        let stop = Arc::new(AtomicBool::new(false));
        let (started_tx, started_rx) = mpsc::channel();
        let spinner = rt.spawn({
            let stop = stop.clone();
            async move {
                started_tx.send(()).unwrap();
                // Always ready to run again: the worker has no reason to
                // park until this ends.
                while !stop.load(Ordering::SeqCst) {
                    weft::task::yield_now().await;
                }
            }
        });
        started_rx.recv().unwrap();
        let parks = metrics.worker_park_count(0);
        let busy = metrics.worker_total_busy_duration(0);
        eventually("busy time grows without a park", || {
            metrics.worker_total_busy_duration(0) >= busy + Duration::from_millis(10)
        });
        assert_eq!(metrics.worker_park_count(0), parks, "the worker did not park meanwhile");
        stop.store(true, Ordering::SeqCst);
        rt.block_on(spinner).unwrap();
    });

    // The same on a current-thread runtime, whose thread in `block_on`
    // never waits while its future keeps yielding.
    with_watchdog(|| {
        let rt = Flavor::CurrentThread.runtime();
        let metrics = rt.metrics();
        rt.block_on(async {
            let parks = metrics.worker_park_count(0);
            let busy = metrics.worker_total_busy_duration(0);
            let start = Instant::now();
            while metrics.worker_total_busy_duration(0) < busy + Duration::from_millis(10) {
                assert!(start.elapsed() < PATIENCE, "busy time did not grow within {PATIENCE:?}");
                weft::task::yield_now().await;
            }
            assert_eq!(metrics.worker_park_count(0), parks, "the thread did not park meanwhile");
        });
    });
}

#[test]
fn handle_metrics_reads_the_same_runtime() {
    each_flavor(|flavor, rt| {
        let outside = rt.metrics();
        let (inside, in_task) = rt.block_on(async {
            let inside = Handle::current().metrics();
            let in_task = weft::spawn(async { Handle::current().metrics().num_workers() }).await.unwrap();
            (inside.num_workers(), in_task)
        });
        assert_eq!(inside, outside.num_workers());
        assert_eq!(in_task, outside.num_workers());
        // A clone reads the same counters: equal where nothing runs, and
        // never behind an earlier reading where workers may still move.
        let clone = outside.clone();
        for w in 0..outside.num_workers() {
            let first = outside.worker_park_unpark_count(w);
            let second = clone.worker_park_unpark_count(w);
            match flavor {
                Flavor::CurrentThread => assert_eq!(second, first),
                Flavor::MultiThread => assert!(second >= first, "worker {w}: {second} after {first}"),
            }
        }
        assert!(format!("{outside:?}").contains("RuntimeMetrics"));
    });
}

#[test]
fn a_worker_index_out_of_range_panics_with_the_count() {
    each_flavor(|_, rt| {
        let metrics = rt.metrics();
        let n = metrics.num_workers();
        type Read = fn(&RuntimeMetrics, usize);
        let checks: [(&str, Read); 3] = [
            ("worker_park_count", |m, w| {
                let _ = m.worker_park_count(w);
            }),
            ("worker_park_unpark_count", |m, w| {
                let _ = m.worker_park_unpark_count(w);
            }),
            ("worker_total_busy_duration", |m, w| {
                let _ = m.worker_total_busy_duration(w);
            }),
        ];
        for (name, check) in &checks {
            check(&metrics, n - 1);
            for bad in [n, n + 7, usize::MAX] {
                let message = expect_panic(|| check(&metrics, bad));
                assert!(message.contains(&format!("worker index {bad} is out of range")), "{name}: {message}");
                assert!(message.contains(&format!("this runtime has {n} worker")), "{name}: {message}");
            }
        }
    });
}

#[test]
fn worker_index_names_the_worker_whose_metrics_show_the_task() {
    with_watchdog(|| {
        let rt = Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
        let metrics = rt.metrics();
        let (index_tx, index_rx) = mpsc::channel();
        let (release_tx, release_rx) = mpsc::channel::<()>();
        let blocker = rt.spawn(async move {
            index_tx.send(weft::runtime::worker_index()).unwrap();
            // Keeps this worker busy (never parked) on purpose.
            release_rx.recv().unwrap();
        });
        let busy = index_rx.recv().unwrap().expect("a task runs on a worker");
        assert!(busy < metrics.num_workers());
        let idle = 1 - busy;
        // The other worker runs out of work and parks; the one the task
        // named cannot while the task holds it.
        eventually("the other worker parks", || is_parked(&metrics, idle));
        assert!(!is_parked(&metrics, busy), "worker {busy} runs the task");
        release_tx.send(()).unwrap();
        rt.block_on(blocker).unwrap();
    });
}
