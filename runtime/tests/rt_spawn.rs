//! Spawning and joining on both runtime flavors: from inside and outside,
//! many tasks, chains, ping-pong, fairness of yielding, task ids.

mod support;

use std::collections::HashSet;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use support::*;
use weft::sync::oneshot;

rt_test! {
    async fn spawn_and_join_inside_the_runtime() {
        let task = weft::spawn(async { 6 * 7 });
        assert_eq!(task.await.unwrap(), 42);
        let nested = weft::spawn(async { weft::spawn(async { "inner" }).await.unwrap() });
        assert_eq!(nested.await.unwrap(), "inner");
        let via_task_module = weft::task::spawn(async { 1u8 });
        assert_eq!(via_task_module.await.unwrap(), 1);
    }

    async fn a_hundred_thousand_tasks_are_spawned_and_joined() {
        const N: usize = 100_000;
        let ran = Arc::new(AtomicUsize::new(0));
        let mut handles = Vec::with_capacity(N);
        for i in 0..N {
            let ran = ran.clone();
            handles.push(weft::spawn(async move {
                ran.fetch_add(1, Ordering::Relaxed);
                i
            }));
        }
        let mut sum = 0usize;
        for handle in handles {
            sum += handle.await.unwrap();
        }
        assert_eq!(sum, N * (N - 1) / 2);
        assert_eq!(ran.load(Ordering::Relaxed), N);
    }

    async fn a_chain_of_ten_thousand_tasks_each_spawning_the_next() {
        fn link(remaining: usize, done: oneshot::Sender<usize>, depth: usize) {
            weft::spawn(async move {
                if remaining == 0 {
                    done.send(depth).unwrap();
                } else {
                    link(remaining - 1, done, depth + 1);
                }
            });
        }
        let (tx, rx) = oneshot::channel();
        link(10_000, tx, 0);
        assert_eq!(rx.await.unwrap(), 10_000);
    }

    async fn a_yield_loop_does_not_starve_other_tasks() {
        let flag = Arc::new(AtomicBool::new(false));
        let spins = Arc::new(AtomicUsize::new(0));
        let (f, s) = (flag.clone(), spins.clone());
        let spinner = weft::spawn(async move {
            while !f.load(Ordering::SeqCst) {
                s.fetch_add(1, Ordering::Relaxed);
                weft::task::yield_now().await;
            }
        });
        // Give the spinner a head start on every flavor.
        support::yield_until(|| spins.load(Ordering::Relaxed) > 0).await;
        let setter = weft::spawn(async move { flag.store(true, Ordering::SeqCst) });
        setter.await.unwrap();
        spinner.await.unwrap();
    }

    async fn many_yielding_tasks_all_finish() {
        let flag = Arc::new(AtomicBool::new(false));
        let mut spinners = Vec::new();
        for _ in 0..20 {
            let f = flag.clone();
            spinners.push(weft::spawn(async move {
                while !f.load(Ordering::SeqCst) {
                    weft::task::yield_now().await;
                }
            }));
        }
        weft::spawn(async move { flag.store(true, Ordering::SeqCst) }).await.unwrap();
        for spinner in spinners {
            spinner.await.unwrap();
        }
    }

    async fn task_ids_are_distinct_and_known_inside() {
        assert!(weft::task::try_id().is_none(), "block_on's future is not a task");
        let mut ids = HashSet::new();
        for _ in 0..100 {
            let handle = weft::spawn(async { (weft::task::id(), weft::task::try_id()) });
            let expected = handle.id();
            let (inside, tried) = handle.await.unwrap();
            assert_eq!(inside, expected);
            assert_eq!(tried, Some(expected));
            assert!(ids.insert(inside));
        }
    }
}

#[test]
fn ping_pong_over_oneshot_pairs() {
    // A direct rally: each pair passes one counter back and forth, each hop
    // a fresh oneshot carried inside the message.
    for flavor in FLAVORS {
        run(flavor, || async {
            struct Hit {
                count: usize,
                back: oneshot::Sender<Hit>,
            }
            const PAIRS: usize = 100;
            const HITS: usize = 100;
            let mut players = Vec::new();
            for _ in 0..PAIRS {
                let (serve_tx, serve_rx) = oneshot::channel::<Hit>();
                // Player B: answers every hit until the count is reached.
                let b = weft::spawn(async move {
                    let mut incoming = serve_rx;
                    loop {
                        let hit = incoming.await.unwrap();
                        if hit.count >= HITS {
                            return hit.count;
                        }
                        let (tx, rx) = oneshot::channel();
                        incoming = rx;
                        hit.back.send(Hit { count: hit.count + 1, back: tx }).ok().unwrap();
                    }
                });
                // Player A: serves, then answers.
                let a = weft::spawn(async move {
                    let (tx, mut incoming) = oneshot::channel();
                    serve_tx.send(Hit { count: 1, back: tx }).ok().unwrap();
                    loop {
                        let Ok(hit) = incoming.await else { return None };
                        let (tx, rx) = oneshot::channel();
                        incoming = rx;
                        if hit.back.send(Hit { count: hit.count + 1, back: tx }).is_err() {
                            return None;
                        }
                        if hit.count + 1 >= HITS {
                            return Some(hit.count + 1);
                        }
                    }
                });
                players.push((a, b));
            }
            for (a, b) in players {
                let last_by_b = b.await.unwrap();
                assert!(last_by_b >= HITS);
                assert_eq!(a.await.unwrap(), Some(last_by_b));
            }
        });
    }
}

#[test]
fn spawn_from_outside_the_runtime() {
    each_flavor(|flavor, rt| {
        // With the runtime's own spawn, from the thread that owns it.
        let task = rt.spawn(async { weft::task::id() });
        let id = task.id();
        assert_eq!(rt.block_on(task).unwrap(), id);

        // From another thread, through a handle.
        let handle = rt.handle().clone();
        let from_thread = std::thread::spawn(move || handle.spawn(async { 5 }));
        let task = from_thread.join().unwrap();
        assert_eq!(rt.block_on(task).unwrap(), 5);

        // After entering the runtime's context, `weft::spawn` works too.
        let task = {
            let _enter = rt.enter();
            weft::spawn(async { "entered" })
        };
        assert_eq!(rt.block_on(task).unwrap(), "entered");

        // On a multi-thread runtime the workers run tasks without anyone
        // in `block_on`; wait for it on a std channel.
        if flavor == Flavor::MultiThread {
            let (tx, rx) = std::sync::mpsc::channel();
            rt.spawn(async move { tx.send(9).unwrap() });
            assert_eq!(rx.recv().unwrap(), 9);
        }
    });
}

/// On the multi-thread runtime a task that is the only one yielding comes
/// back at the next driver poll (every `event_interval` ticks), ahead of
/// the tasks still queued: it does not wait for the whole queue to drain.
#[test]
fn a_yielding_task_comes_back_at_the_next_driver_poll() {
    const QUEUED: usize = 1_000;
    const EVENT_INTERVAL: u32 = 8;
    let rt = weft::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .event_interval(EVENT_INTERVAL)
        .build()
        .unwrap();
    let ran_before_yielder = rt.block_on(async {
        weft::spawn(async {
            let ran = Arc::new(AtomicUsize::new(0));
            let tasks: Vec<_> = (0..QUEUED)
                .map(|_| {
                    let ran = ran.clone();
                    weft::spawn(async move {
                        ran.fetch_add(1, Ordering::Relaxed);
                    })
                })
                .collect();
            // One worker: the tasks above wait in its queue, and nothing
            // else can take them.
            weft::task::yield_now().await;
            let ran_before = ran.load(Ordering::Relaxed);
            for task in tasks {
                task.await.unwrap();
            }
            assert_eq!(ran.load(Ordering::Relaxed), QUEUED);
            ran_before
        })
        .await
        .unwrap()
    });
    assert!(
        ran_before_yielder <= 2 * EVENT_INTERVAL as usize,
        "the yielded task waited for {ran_before_yielder} queued tasks"
    );
}
