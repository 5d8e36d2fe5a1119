//! Scheduler benches: spawning, yielding, waking, with weft, tokio and smol
//! on the same number of worker threads.
//!
//! Run with `cargo bench -p weft-benches --bench scheduler`; a name after
//! `--` runs only the cases that contain it. The table printed at the end
//! holds the median time per iteration and the ratios weft/tokio and
//! weft/smol.
//!
//! smol has no oneshot channel of its own; its ping-pong and chained-spawn
//! cases use `async_channel::bounded(1)`, smol's own channel crate.

use std::hint::black_box;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use weft_benches::{tokio_runtime, weft_runtime, workers, Harness, Runner, SmolRuntime};

/// Tasks per spawn case.
const SPAWN: usize = 10_000;
/// Tasks in `yield_many`.
const YIELD_TASKS: usize = 200;
/// Yields per task in `yield_many`.
const YIELDS: usize = 1_000;
/// Pairs in `ping_pong`.
const PAIRS: usize = 1_000;
/// Length of the chain in `chained_spawn`.
const CHAIN: usize = 1_000;

fn main() {
    let n = workers();
    let weft = weft_runtime(n);
    let tokio = tokio_runtime(n);
    let smol = SmolRuntime::new(n);
    let mut h = Harness::new("scheduler");

    h.bench(
        "spawn_many_local",
        &mut [
            Runner::new("weft", || weft_spawn_many_local(&weft)),
            Runner::new("tokio", || tokio_spawn_many_local(&tokio)),
            Runner::new("smol", || smol_spawn_many_local(&smol)),
        ],
    );
    h.bench(
        "spawn_many_from_block_on",
        &mut [
            Runner::new("weft", || weft_spawn_many_from_block_on(&weft)),
            Runner::new("tokio", || tokio_spawn_many_from_block_on(&tokio)),
            Runner::new("smol", || smol_spawn_many_from_block_on(&smol)),
        ],
    );
    h.bench(
        "spawn_many_remote_idle",
        &mut [
            Runner::new("weft", || weft_spawn_many_remote(&weft)),
            Runner::new("tokio", || tokio_spawn_many_remote(&tokio)),
            Runner::new("smol", || smol_spawn_many_remote(&smol)),
        ],
    );
    h.bench(
        "spawn_many_remote_busy",
        &mut [
            Runner::new("weft", || weft_spawn_many_remote_busy(&weft, n)),
            Runner::new("tokio", || tokio_spawn_many_remote_busy(&tokio, n)),
            Runner::new("smol", || smol_spawn_many_remote_busy(&smol, n)),
        ],
    );
    h.bench(
        "yield_many",
        &mut [
            Runner::new("weft", || weft_yield_many(&weft)),
            Runner::new("tokio", || tokio_yield_many(&tokio)),
            Runner::new("smol", || smol_yield_many(&smol)),
        ],
    );
    h.bench(
        "ping_pong",
        &mut [
            Runner::new("weft", || weft_ping_pong(&weft)),
            Runner::new("tokio", || tokio_ping_pong(&tokio)),
            Runner::new("smol", || smol_ping_pong(&smol)),
        ],
    );
    h.bench(
        "chained_spawn",
        &mut [
            Runner::new("weft", || weft_chained_spawn(&weft)),
            Runner::new("tokio", || tokio_chained_spawn(&tokio)),
            Runner::new("smol", || smol_chained_spawn(&smol)),
        ],
    );
    h.finish();
}

// ---- spawn_many_local: 10 000 tasks spawned by a task on a worker --------

fn weft_spawn_many_local(rt: &weft::runtime::Runtime) {
    rt.block_on(async {
        weft::spawn(async {
            let tasks: Vec<_> = (0..SPAWN)
                .map(|i| weft::spawn(async move { black_box(i) }))
                .collect();
            for task in tasks {
                task.await.unwrap();
            }
        })
        .await
        .unwrap();
    });
}

fn tokio_spawn_many_local(rt: &tokio::runtime::Runtime) {
    rt.block_on(async {
        tokio::spawn(async {
            let tasks: Vec<_> = (0..SPAWN)
                .map(|i| tokio::spawn(async move { black_box(i) }))
                .collect();
            for task in tasks {
                task.await.unwrap();
            }
        })
        .await
        .unwrap();
    });
}

fn smol_spawn_many_local(rt: &SmolRuntime) {
    let ex = rt.executor().clone();
    rt.block_on(rt.spawn(async move {
        let tasks: Vec<_> = (0..SPAWN)
            .map(|i| ex.spawn(async move { black_box(i) }))
            .collect();
        for task in tasks {
            task.await;
        }
    }));
}

// ---- spawn_many_from_block_on: 10 000 tasks spawned by block_on's future --

fn weft_spawn_many_from_block_on(rt: &weft::runtime::Runtime) {
    rt.block_on(async {
        let tasks: Vec<_> = (0..SPAWN)
            .map(|i| weft::spawn(async move { black_box(i) }))
            .collect();
        for task in tasks {
            task.await.unwrap();
        }
    });
}

fn tokio_spawn_many_from_block_on(rt: &tokio::runtime::Runtime) {
    rt.block_on(async {
        let tasks: Vec<_> = (0..SPAWN)
            .map(|i| tokio::spawn(async move { black_box(i) }))
            .collect();
        for task in tasks {
            task.await.unwrap();
        }
    });
}

fn smol_spawn_many_from_block_on(rt: &SmolRuntime) {
    let ex = rt.executor().clone();
    rt.block_on(async move {
        let tasks: Vec<_> = (0..SPAWN)
            .map(|i| ex.spawn(async move { black_box(i) }))
            .collect();
        for task in tasks {
            task.await;
        }
    });
}

// ---- spawn_many_remote_idle: 10 000 tasks spawned by a thread outside ----

fn weft_spawn_many_remote(rt: &weft::runtime::Runtime) {
    let tasks: Vec<_> = (0..SPAWN)
        .map(|i| rt.spawn(async move { black_box(i) }))
        .collect();
    rt.block_on(async {
        for task in tasks {
            task.await.unwrap();
        }
    });
}

fn tokio_spawn_many_remote(rt: &tokio::runtime::Runtime) {
    let tasks: Vec<_> = (0..SPAWN)
        .map(|i| rt.spawn(async move { black_box(i) }))
        .collect();
    rt.block_on(async {
        for task in tasks {
            task.await.unwrap();
        }
    });
}

fn smol_spawn_many_remote(rt: &SmolRuntime) {
    let tasks: Vec<_> = (0..SPAWN)
        .map(|i| rt.spawn(async move { black_box(i) }))
        .collect();
    rt.block_on(async {
        for task in tasks {
            task.await;
        }
    });
}

// ---- spawn_many_remote_busy: the same while every worker runs a yielder --

fn weft_spawn_many_remote_busy(rt: &weft::runtime::Runtime, workers: usize) {
    let stop = Arc::new(AtomicBool::new(false));
    let busy: Vec<_> = (0..workers)
        .map(|_| {
            let stop = stop.clone();
            rt.spawn(async move {
                while !stop.load(Ordering::Relaxed) {
                    weft::task::yield_now().await;
                }
            })
        })
        .collect();
    weft_spawn_many_remote(rt);
    stop.store(true, Ordering::Relaxed);
    rt.block_on(async {
        for task in busy {
            task.await.unwrap();
        }
    });
}

fn tokio_spawn_many_remote_busy(rt: &tokio::runtime::Runtime, workers: usize) {
    let stop = Arc::new(AtomicBool::new(false));
    let busy: Vec<_> = (0..workers)
        .map(|_| {
            let stop = stop.clone();
            rt.spawn(async move {
                while !stop.load(Ordering::Relaxed) {
                    tokio::task::yield_now().await;
                }
            })
        })
        .collect();
    tokio_spawn_many_remote(rt);
    stop.store(true, Ordering::Relaxed);
    rt.block_on(async {
        for task in busy {
            task.await.unwrap();
        }
    });
}

fn smol_spawn_many_remote_busy(rt: &SmolRuntime, workers: usize) {
    let stop = Arc::new(AtomicBool::new(false));
    let busy: Vec<_> = (0..workers)
        .map(|_| {
            let stop = stop.clone();
            rt.spawn(async move {
                while !stop.load(Ordering::Relaxed) {
                    smol::future::yield_now().await;
                }
            })
        })
        .collect();
    smol_spawn_many_remote(rt);
    stop.store(true, Ordering::Relaxed);
    rt.block_on(async {
        for task in busy {
            task.await;
        }
    });
}

// ---- yield_many: 200 tasks that each yield 1 000 times --------------------

fn weft_yield_many(rt: &weft::runtime::Runtime) {
    rt.block_on(async {
        let tasks: Vec<_> = (0..YIELD_TASKS)
            .map(|_| {
                weft::spawn(async {
                    for _ in 0..YIELDS {
                        weft::task::yield_now().await;
                    }
                })
            })
            .collect();
        for task in tasks {
            task.await.unwrap();
        }
    });
}

fn tokio_yield_many(rt: &tokio::runtime::Runtime) {
    rt.block_on(async {
        let tasks: Vec<_> = (0..YIELD_TASKS)
            .map(|_| {
                tokio::spawn(async {
                    for _ in 0..YIELDS {
                        tokio::task::yield_now().await;
                    }
                })
            })
            .collect();
        for task in tasks {
            task.await.unwrap();
        }
    });
}

fn smol_yield_many(rt: &SmolRuntime) {
    let ex = rt.executor().clone();
    rt.block_on(async move {
        let tasks: Vec<_> = (0..YIELD_TASKS)
            .map(|_| {
                ex.spawn(async {
                    for _ in 0..YIELDS {
                        smol::future::yield_now().await;
                    }
                })
            })
            .collect();
        for task in tasks {
            task.await;
        }
    });
}

// ---- ping_pong: 1 000 pairs of tasks exchanging one message each way -----

fn weft_ping_pong(rt: &weft::runtime::Runtime) {
    use weft::sync::oneshot;
    rt.block_on(async {
        weft::spawn(async {
            let pairs: Vec<_> = (0..PAIRS)
                .map(|_| {
                    weft::spawn(async {
                        let (ping_tx, ping_rx) = oneshot::channel::<()>();
                        let (pong_tx, pong_rx) = oneshot::channel::<()>();
                        weft::spawn(async move {
                            ping_rx.await.unwrap();
                            pong_tx.send(()).unwrap();
                        });
                        ping_tx.send(()).unwrap();
                        pong_rx.await.unwrap();
                    })
                })
                .collect();
            for pair in pairs {
                pair.await.unwrap();
            }
        })
        .await
        .unwrap();
    });
}

fn tokio_ping_pong(rt: &tokio::runtime::Runtime) {
    use tokio::sync::oneshot;
    rt.block_on(async {
        tokio::spawn(async {
            let pairs: Vec<_> = (0..PAIRS)
                .map(|_| {
                    tokio::spawn(async {
                        let (ping_tx, ping_rx) = oneshot::channel::<()>();
                        let (pong_tx, pong_rx) = oneshot::channel::<()>();
                        tokio::spawn(async move {
                            ping_rx.await.unwrap();
                            pong_tx.send(()).unwrap();
                        });
                        ping_tx.send(()).unwrap();
                        pong_rx.await.unwrap();
                    })
                })
                .collect();
            for pair in pairs {
                pair.await.unwrap();
            }
        })
        .await
        .unwrap();
    });
}

fn smol_ping_pong(rt: &SmolRuntime) {
    let ex = rt.executor().clone();
    rt.block_on(rt.spawn(async move {
        let pairs: Vec<_> = (0..PAIRS)
            .map(|_| {
                let ex = ex.clone();
                ex.clone().spawn(async move {
                    let (ping_tx, ping_rx) = async_channel::bounded::<()>(1);
                    let (pong_tx, pong_rx) = async_channel::bounded::<()>(1);
                    ex.spawn(async move {
                        ping_rx.recv().await.unwrap();
                        pong_tx.send(()).await.unwrap();
                    })
                    .detach();
                    ping_tx.send(()).await.unwrap();
                    pong_rx.recv().await.unwrap();
                })
            })
            .collect();
        for pair in pairs {
            pair.await;
        }
    }));
}

// ---- chained_spawn: each of 1 000 tasks spawns the next ------------------

fn weft_chain(done: weft::sync::oneshot::Sender<()>, left: usize) {
    if left == 0 {
        done.send(()).unwrap();
    } else {
        weft::spawn(async move { weft_chain(done, left - 1) });
    }
}

fn weft_chained_spawn(rt: &weft::runtime::Runtime) {
    rt.block_on(async {
        let (done, finished) = weft::sync::oneshot::channel();
        weft::spawn(async move { weft_chain(done, CHAIN) });
        finished.await.unwrap();
    });
}

fn tokio_chain(done: tokio::sync::oneshot::Sender<()>, left: usize) {
    if left == 0 {
        done.send(()).unwrap();
    } else {
        tokio::spawn(async move { tokio_chain(done, left - 1) });
    }
}

fn tokio_chained_spawn(rt: &tokio::runtime::Runtime) {
    rt.block_on(async {
        let (done, finished) = tokio::sync::oneshot::channel();
        tokio::spawn(async move { tokio_chain(done, CHAIN) });
        finished.await.unwrap();
    });
}

fn smol_chain(ex: Arc<smol::Executor<'static>>, done: async_channel::Sender<()>, left: usize) {
    if left == 0 {
        done.try_send(()).unwrap();
    } else {
        ex.clone()
            .spawn(async move { smol_chain(ex, done, left - 1) })
            .detach();
    }
}

fn smol_chained_spawn(rt: &SmolRuntime) {
    let ex = rt.executor().clone();
    rt.block_on(async move {
        let (done, finished) = async_channel::bounded(1);
        ex.clone()
            .spawn(async move { smol_chain(ex, done, CHAIN) })
            .detach();
        finished.recv().await.unwrap();
    });
}
