//! `spawn_blocking`, `block_in_place`, work spreading over workers, and
//! shutting down with blocking work still running.

mod support;

use std::collections::HashSet;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{mpsc, Arc, Mutex};
use std::time::{Duration, Instant};
use support::*;

rt_test! {
    async fn spawn_blocking_returns_its_result() {
        let handles: Vec<_> = (0..16u64)
            .map(|i| weft::task::spawn_blocking(move || (1..=i).product::<u64>()))
            .collect();
        let mut results = Vec::new();
        for handle in handles {
            results.push(handle.await.unwrap());
        }
        assert_eq!(results[5], 120);
        assert_eq!(results[10], 3_628_800);
    }

    async fn spawn_blocking_runs_off_the_task_threads() {
        let here = std::thread::current().id();
        let there = weft::task::spawn_blocking(|| std::thread::current().id()).await.unwrap();
        assert_ne!(here, there);
    }

    async fn a_panic_in_spawn_blocking_becomes_a_join_error() {
        let error = weft::task::spawn_blocking(|| panic!("blocking boom")).await.unwrap_err();
        assert!(error.is_panic());
        assert_eq!(panic_message(&*error.into_panic()), "blocking boom");
        // The pool still works.
        assert_eq!(weft::task::spawn_blocking(|| 3).await.unwrap(), 3);
    }

    async fn tasks_keep_running_while_blocking_work_waits() {
        let (tx, rx) = mpsc::channel::<u32>();
        let blocking = weft::task::spawn_blocking(move || rx.recv().unwrap());
        // The async side sends only from a task, which must get to run.
        weft::spawn(async move { tx.send(17).unwrap() }).await.unwrap();
        assert_eq!(blocking.await.unwrap(), 17);
    }
}

#[test]
fn block_in_place_runs_on_a_multi_thread_runtime() {
    with_watchdog(|| {
        let rt = Flavor::MultiThread.runtime();
        let n = rt.block_on(async {
            weft::spawn(async {
                let data = [1, 2, 3];
                weft::task::block_in_place(|| data.iter().sum::<i32>())
            })
            .await
            .unwrap()
        });
        assert_eq!(n, 6);
    });
}

#[test]
fn block_in_place_hands_the_queued_tasks_to_another_thread() {
    // One worker: the task spawned by the blocking task sits in that
    // worker's queue and can only run if `block_in_place` hands it off.
    with_watchdog(|| {
        let rt = weft::runtime::Builder::new_multi_thread().worker_threads(1).build().unwrap();
        let done = rt.block_on(async {
            weft::spawn(async {
                let flag = Arc::new(AtomicBool::new(false));
                let f = flag.clone();
                let helper = weft::spawn(async move { f.store(true, Ordering::SeqCst) });
                weft::task::block_in_place(|| {
                    while !flag.load(Ordering::SeqCst) {
                        std::thread::yield_now();
                    }
                });
                helper.await.unwrap();
                true
            })
            .await
            .unwrap()
        });
        assert!(done);
    });
}

#[test]
fn block_in_place_outside_a_runtime_just_runs() {
    assert_eq!(weft::task::block_in_place(|| 5), 5);
}

#[test]
fn block_in_place_panics_on_a_current_thread_runtime() {
    with_watchdog(|| {
        let rt = Flavor::CurrentThread.runtime();
        let message = rt.block_on(async { expect_panic(|| weft::task::block_in_place(|| ())) });
        assert!(message.contains("current_thread"), "{message}");
        assert!(message.contains("spawn_blocking"), "{message}");
        // Inside a task too.
        let error = rt.block_on(rt.spawn(async { weft::task::block_in_place(|| ()) })).unwrap_err();
        assert!(panic_message(&*error.into_panic()).contains("current_thread"));
    });
}

#[test]
fn work_spreads_over_several_workers() {
    with_watchdog(|| {
        let rt = Flavor::MultiThread.runtime();
        let threads = Arc::new(Mutex::new(HashSet::new()));
        rt.block_on(async {
            let tasks: Vec<_> = (0..200)
                .map(|_| {
                    let threads = threads.clone();
                    weft::spawn(async move {
                        threads.lock().unwrap().insert(std::thread::current().id());
                        // Hold the worker a little, so the others take
                        // the queued tasks.
                        let until = Instant::now() + Duration::from_micros(500);
                        while Instant::now() < until {
                            std::hint::spin_loop();
                        }
                    })
                })
                .collect();
            for task in tasks {
                task.await.unwrap();
            }
        });
        let distinct = threads.lock().unwrap().len();
        assert!(distinct > 1, "200 busy tasks ran on only {distinct} worker thread(s) of 4");
    });
}

#[test]
fn shutdown_timeout_returns_while_a_blocking_task_runs_on() {
    for flavor in FLAVORS {
        with_watchdog(move || {
            let rt = flavor.runtime();
            let (release_tx, release_rx) = mpsc::channel::<()>();
            let started = Arc::new(AtomicBool::new(false));
            let s = started.clone();
            rt.spawn_blocking(move || {
                s.store(true, Ordering::SeqCst);
                // Blocks until the test releases it, far beyond the timeout.
                let _ = release_rx.recv();
            });
            while !started.load(Ordering::SeqCst) {
                std::thread::yield_now();
            }
            let begin = Instant::now();
            rt.shutdown_timeout(Duration::from_millis(100));
            let took = begin.elapsed();
            release_tx.send(()).unwrap();
            assert!(took < Duration::from_secs(30), "shutdown_timeout(100ms) took {took:?}");
        });
    }
}

#[test]
fn shutdown_background_does_not_wait_for_blocking_work() {
    for flavor in FLAVORS {
        with_watchdog(move || {
            let rt = flavor.runtime();
            let (release_tx, release_rx) = mpsc::channel::<()>();
            let (started_tx, started_rx) = mpsc::channel::<()>();
            let finished = Arc::new(AtomicUsize::new(0));
            let f = finished.clone();
            rt.spawn_blocking(move || {
                started_tx.send(()).unwrap();
                let _ = release_rx.recv();
                f.fetch_add(1, Ordering::SeqCst);
            });
            // Running, not just queued: a queued job would be cancelled.
            started_rx.recv().unwrap();
            rt.shutdown_background();
            // It returned although the blocking task cannot finish yet.
            assert_eq!(finished.load(Ordering::SeqCst), 0);
            release_tx.send(()).unwrap();
        });
    }
}

#[test]
fn a_runtime_shut_down_in_the_background_is_freed_when_its_blocking_work_ends() {
    for flavor in FLAVORS {
        with_watchdog(move || {
            // The hook lives as long as the runtime's blocking pool does.
            let pool_alive = Drops::new();
            let guard = pool_alive.counter();
            let rt = flavor
                .builder()
                .on_thread_stop(move || {
                    let _ = &guard;
                })
                .build()
                .unwrap();
            let (release_tx, release_rx) = mpsc::channel::<()>();
            let (started_tx, started_rx) = mpsc::channel::<()>();
            rt.spawn_blocking(move || {
                started_tx.send(()).unwrap();
                let _ = release_rx.recv();
            });
            started_rx.recv().unwrap();
            rt.shutdown_background();
            assert_eq!(pool_alive.count(), 0, "the blocking thread still runs");
            release_tx.send(()).unwrap();
            // Its thread exits and takes the last reference to the pool
            // with it (the watchdog bounds this wait).
            while pool_alive.count() == 0 {
                std::thread::yield_now();
            }
            assert_eq!(pool_alive.count(), 1);
        });
    }
}
