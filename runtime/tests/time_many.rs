//! Timers from many tasks at once, on both runtime flavors, in real time:
//! only "never early" and ordering are asserted, never how late.

#[path = "support/time_util.rs"]
mod time_util;

use std::time::Duration;
use time_util::{guard, ms};
use weft::runtime::{Builder, Runtime};
use weft::sync::mpsc;
use weft::time::{sleep, sleep_until, timeout, Instant, Sleep};

fn runtimes() -> Vec<(&'static str, Runtime)> {
    vec![
        (
            "current_thread",
            Builder::new_current_thread().enable_all().build().unwrap(),
        ),
        (
            "multi_thread",
            Builder::new_multi_thread()
                .worker_threads(4)
                .enable_all()
                .build()
                .unwrap(),
        ),
    ]
}

/// A small deterministic spread of delays, 1..=40 ms.
fn delay(i: u64) -> Duration {
    ms(1 + (i * 7919) % 40)
}

#[test]
fn many_tasks_sleep_and_none_wakes_early() {
    let _wd = guard();
    for (flavor, rt) in runtimes() {
        rt.block_on(async {
            let start = Instant::now();
            let tasks: Vec<_> = (0..500u64)
                .map(|i| {
                    weft::spawn(async move {
                        // Three deadlines in increasing order, each waited for
                        // in turn.
                        let mut woke = Vec::new();
                        for k in 0..3 {
                            let deadline = start + delay(i) + ms(10 * k);
                            sleep_until(deadline).await;
                            woke.push((deadline, Instant::now()));
                        }
                        woke
                    })
                })
                .collect();
            for task in tasks {
                let woke = task.await.unwrap();
                for &(deadline, at) in &woke {
                    assert!(at >= deadline, "{flavor}: woke {:?} early", deadline - at);
                }
                assert!(
                    woke.windows(2).all(|w| w[0].1 <= w[1].1),
                    "{flavor}: out of order"
                );
            }
        });
    }
}

#[test]
fn sleeps_made_in_one_task_are_awaited_in_others() {
    let _wd = guard();
    for (flavor, rt) in runtimes() {
        rt.block_on(async {
            let (tx, mut rx) = mpsc::unbounded_channel::<(Instant, std::pin::Pin<Box<Sleep>>)>();
            let maker = weft::spawn(async move {
                for i in 0..100u64 {
                    let sleep = Box::pin(sleep(delay(i)));
                    tx.send((sleep.deadline(), sleep)).unwrap();
                    weft::task::yield_now().await;
                }
            });
            let mut waiters = Vec::new();
            while let Some((deadline, sleep)) = rx.recv().await {
                waiters.push(weft::spawn(async move {
                    sleep.await;
                    (deadline, Instant::now())
                }));
            }
            maker.await.unwrap();
            for waiter in waiters {
                let (deadline, at) = waiter.await.unwrap();
                assert!(at >= deadline, "{flavor}: woke early");
            }
        });
    }
}

#[test]
fn timeouts_from_many_tasks() {
    let _wd = guard();
    for (flavor, rt) in runtimes() {
        rt.block_on(async {
            let tasks: Vec<_> = (0..200u64)
                .map(|i| {
                    weft::spawn(async move {
                        let start = Instant::now();
                        // Odd tasks wait far longer than their limit, even
                        // ones far less, so that a stalled thread (a loaded
                        // machine, valgrind) cannot swap the outcomes.
                        let (work, limit) = if i % 2 == 0 {
                            (ms(1), ms(10_000))
                        } else {
                            (ms(10_000), ms(20))
                        };
                        (
                            i,
                            timeout(limit, sleep(work)).await.is_ok(),
                            start.elapsed(),
                            limit,
                        )
                    })
                })
                .collect();
            for task in tasks {
                let (i, finished, took, limit) = task.await.unwrap();
                assert_eq!(finished, i % 2 == 0, "{flavor}: task {i}");
                if !finished {
                    assert!(took >= limit, "{flavor}: timed out early, after {took:?}");
                }
            }
        });
    }
}
