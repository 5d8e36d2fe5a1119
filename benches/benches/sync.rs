//! Synchronization benches: locks, semaphore, channels and notifications,
//! weft's `sync` module against tokio's and, where smol's own crates have
//! the same thing, `async-lock` and `async-channel`, on the same number of
//! worker threads.
//!
//! Run with `cargo bench -p weft-benches --bench sync`; a name after `--`
//! runs only the cases that contain it. The table printed at the end holds
//! the median time per iteration and the ratios weft/tokio and weft/smol.
//!
//! Every case runs inside tasks on the workers (not in `block_on`), where
//! the coop budget applies as it does in real programs. `Notify`, `watch`
//! and `broadcast` have no counterpart in smol's crates: those rows compare
//! weft with tokio only. The oneshot row's smol column is
//! `async_channel::bounded(1)`.

use std::hint::black_box;
use std::sync::Arc;
use std::time::Duration;
use weft_benches::cases::{tokio_cases, weft_cases};
use weft_benches::{tokio_runtime, weft_runtime, workers, Harness, Runner, SmolRuntime};

/// Lock/unlock pairs in the uncontended mutex case.
const LOCKS: usize = 10_000;
/// Tasks fighting over one lock (or the semaphore's permits).
const CONTENDERS: usize = 10;
/// Lock/unlock pairs per contending task.
const LOCKS_EACH: usize = 1_000;
/// Permits of the contended semaphore.
const PERMITS: usize = 2;
/// Messages per mpsc iteration, split evenly among the producers.
const MESSAGES: usize = 50_000;
/// Capacity of the bounded mpsc channels.
const CAPACITY: usize = 128;
/// Channels created, sent on and received from in the oneshot case.
const ONESHOTS: usize = 10_000;
/// Round trips in the notify ping-pong.
const NOTIFY_ROUNDS: usize = 5_000;
/// Receivers of the watch channel.
const WATCHERS: usize = 100;
/// Values sent on the watch channel.
const WATCH_SENDS: usize = 100;
/// Receivers of the broadcast channel.
const SUBSCRIBERS: usize = 10;
/// Values sent on the broadcast channel (its capacity too, so no receiver
/// lags).
const BROADCASTS: usize = 1_000;

fn main() {
    let n = workers();
    let weft = weft_runtime(n);
    let tokio = tokio_runtime(n);
    let smol = SmolRuntime::new(n);
    // Eleven cases, three runtimes: two seconds of measurement per
    // function keeps the whole binary near two minutes.
    let mut h = Harness::with_times("sync", Duration::from_secs(1), Duration::from_secs(2));

    h.bench(
        "mutex_uncontended",
        &mut [
            Runner::new("weft", || {
                weft.block_on(weft.spawn(weft_mutex_uncontended())).unwrap()
            }),
            Runner::new("tokio", || {
                tokio
                    .block_on(tokio.spawn(tokio_mutex_uncontended()))
                    .unwrap()
            }),
            Runner::new("smol", || {
                smol.block_on(smol.spawn(smol_mutex_uncontended()))
            }),
        ],
    );
    h.bench(
        "mutex_contended",
        &mut [
            Runner::new("weft", || {
                weft.block_on(weft.spawn(weft_mutex_contended())).unwrap()
            }),
            Runner::new("tokio", || {
                tokio
                    .block_on(tokio.spawn(tokio_mutex_contended()))
                    .unwrap()
            }),
            Runner::new("smol", || {
                let ex = smol.executor().clone();
                smol.block_on(smol.spawn(smol_mutex_contended(ex)))
            }),
        ],
    );
    h.bench(
        "semaphore_contended",
        &mut [
            Runner::new("weft", || {
                weft.block_on(weft.spawn(weft_semaphore())).unwrap()
            }),
            Runner::new("tokio", || {
                tokio.block_on(tokio.spawn(tokio_semaphore())).unwrap()
            }),
            Runner::new("smol", || {
                let ex = smol.executor().clone();
                smol.block_on(smol.spawn(smol_semaphore(ex)))
            }),
        ],
    );
    for producers in [1, 10] {
        h.bench(
            &format!("mpsc_bounded_{producers}p"),
            &mut [
                Runner::new("weft", || {
                    weft.block_on(weft.spawn(weft_mpsc_bounded(producers)))
                        .unwrap()
                }),
                Runner::new("tokio", || {
                    tokio
                        .block_on(tokio.spawn(tokio_mpsc_bounded(producers)))
                        .unwrap()
                }),
                Runner::new("smol", || {
                    let ex = smol.executor().clone();
                    smol.block_on(smol.spawn(smol_mpsc(ex, producers, Some(CAPACITY))))
                }),
            ],
        );
    }
    for producers in [1, 10] {
        h.bench(
            &format!("mpsc_unbounded_{producers}p"),
            &mut [
                Runner::new("weft", || {
                    weft.block_on(weft.spawn(weft_mpsc_unbounded(producers)))
                        .unwrap()
                }),
                Runner::new("tokio", || {
                    tokio
                        .block_on(tokio.spawn(tokio_mpsc_unbounded(producers)))
                        .unwrap()
                }),
                Runner::new("smol", || {
                    let ex = smol.executor().clone();
                    smol.block_on(smol.spawn(smol_mpsc(ex, producers, None)))
                }),
            ],
        );
    }
    h.bench(
        "oneshot",
        &mut [
            Runner::new("weft", || {
                weft.block_on(weft.spawn(weft_oneshot())).unwrap()
            }),
            Runner::new("tokio", || {
                tokio.block_on(tokio.spawn(tokio_oneshot())).unwrap()
            }),
            Runner::new("smol", || smol.block_on(smol.spawn(smol_oneshot()))),
        ],
    );
    h.bench(
        "notify_ping_pong",
        &mut [
            Runner::new("weft", || {
                weft.block_on(weft.spawn(weft_cases::notify_ping_pong(NOTIFY_ROUNDS)))
                    .unwrap()
            }),
            Runner::new("tokio", || {
                tokio
                    .block_on(tokio.spawn(tokio_cases::notify_ping_pong(NOTIFY_ROUNDS)))
                    .unwrap()
            }),
        ],
    );
    h.bench(
        "watch_many_receivers",
        &mut [
            Runner::new("weft", || {
                weft.block_on(weft.spawn(weft_cases::watch_many_receivers(WATCHERS, WATCH_SENDS)))
                    .unwrap()
            }),
            Runner::new("tokio", || {
                tokio
                    .block_on(tokio.spawn(tokio_cases::watch_many_receivers(WATCHERS, WATCH_SENDS)))
                    .unwrap()
            }),
        ],
    );
    h.bench(
        "broadcast_fan_out",
        &mut [
            Runner::new("weft", || {
                weft.block_on(weft.spawn(weft_broadcast())).unwrap()
            }),
            Runner::new("tokio", || {
                tokio.block_on(tokio.spawn(tokio_broadcast())).unwrap()
            }),
        ],
    );
    h.finish();
}

// ---- Mutex ---------------------------------------------------------------

async fn weft_mutex_uncontended() {
    let m = weft::sync::Mutex::new(0usize);
    for _ in 0..LOCKS {
        *m.lock().await += 1;
    }
    assert_eq!(*black_box(&m).lock().await, LOCKS);
}

async fn tokio_mutex_uncontended() {
    let m = tokio::sync::Mutex::new(0usize);
    for _ in 0..LOCKS {
        *m.lock().await += 1;
    }
    assert_eq!(*black_box(&m).lock().await, LOCKS);
}

async fn smol_mutex_uncontended() {
    let m = async_lock::Mutex::new(0usize);
    for _ in 0..LOCKS {
        *m.lock().await += 1;
    }
    assert_eq!(*black_box(&m).lock().await, LOCKS);
}

async fn weft_mutex_contended() {
    let m = Arc::new(weft::sync::Mutex::new(0usize));
    let tasks: Vec<_> = (0..CONTENDERS)
        .map(|_| {
            let m = m.clone();
            weft::spawn(async move {
                for _ in 0..LOCKS_EACH {
                    *m.lock().await += 1;
                }
            })
        })
        .collect();
    for task in tasks {
        task.await.unwrap();
    }
    assert_eq!(*m.lock().await, CONTENDERS * LOCKS_EACH);
}

async fn tokio_mutex_contended() {
    let m = Arc::new(tokio::sync::Mutex::new(0usize));
    let tasks: Vec<_> = (0..CONTENDERS)
        .map(|_| {
            let m = m.clone();
            tokio::spawn(async move {
                for _ in 0..LOCKS_EACH {
                    *m.lock().await += 1;
                }
            })
        })
        .collect();
    for task in tasks {
        task.await.unwrap();
    }
    assert_eq!(*m.lock().await, CONTENDERS * LOCKS_EACH);
}

async fn smol_mutex_contended(ex: Arc<smol::Executor<'static>>) {
    let m = Arc::new(async_lock::Mutex::new(0usize));
    let tasks: Vec<_> = (0..CONTENDERS)
        .map(|_| {
            let m = m.clone();
            ex.spawn(async move {
                for _ in 0..LOCKS_EACH {
                    *m.lock().await += 1;
                }
            })
        })
        .collect();
    for task in tasks {
        task.await;
    }
    assert_eq!(*m.lock().await, CONTENDERS * LOCKS_EACH);
}

// ---- Semaphore -----------------------------------------------------------

async fn weft_semaphore() {
    let s = Arc::new(weft::sync::Semaphore::new(PERMITS));
    let tasks: Vec<_> = (0..CONTENDERS)
        .map(|_| {
            let s = s.clone();
            weft::spawn(async move {
                for _ in 0..LOCKS_EACH {
                    let permit = s.acquire().await.unwrap();
                    black_box(&permit);
                }
            })
        })
        .collect();
    for task in tasks {
        task.await.unwrap();
    }
    assert_eq!(s.available_permits(), PERMITS);
}

async fn tokio_semaphore() {
    let s = Arc::new(tokio::sync::Semaphore::new(PERMITS));
    let tasks: Vec<_> = (0..CONTENDERS)
        .map(|_| {
            let s = s.clone();
            tokio::spawn(async move {
                for _ in 0..LOCKS_EACH {
                    let permit = s.acquire().await.unwrap();
                    black_box(&permit);
                }
            })
        })
        .collect();
    for task in tasks {
        task.await.unwrap();
    }
    assert_eq!(s.available_permits(), PERMITS);
}

async fn smol_semaphore(ex: Arc<smol::Executor<'static>>) {
    let s = Arc::new(async_lock::Semaphore::new(PERMITS));
    let tasks: Vec<_> = (0..CONTENDERS)
        .map(|_| {
            let s = s.clone();
            ex.spawn(async move {
                for _ in 0..LOCKS_EACH {
                    let permit = s.acquire().await;
                    black_box(&permit);
                }
            })
        })
        .collect();
    for task in tasks {
        task.await;
    }
    assert_eq!(s.available_permits(), PERMITS);
}

// ---- mpsc ----------------------------------------------------------------

async fn weft_mpsc_bounded(producers: usize) {
    let (tx, mut rx) = weft::sync::mpsc::channel(CAPACITY);
    for p in 0..producers {
        let tx = tx.clone();
        weft::spawn(async move {
            for i in 0..MESSAGES / producers {
                tx.send(p + i).await.unwrap();
            }
        });
    }
    drop(tx);
    let mut got = 0;
    while let Some(v) = rx.recv().await {
        black_box(v);
        got += 1;
    }
    assert_eq!(got, MESSAGES);
}

async fn tokio_mpsc_bounded(producers: usize) {
    let (tx, mut rx) = tokio::sync::mpsc::channel(CAPACITY);
    for p in 0..producers {
        let tx = tx.clone();
        tokio::spawn(async move {
            for i in 0..MESSAGES / producers {
                tx.send(p + i).await.unwrap();
            }
        });
    }
    drop(tx);
    let mut got = 0;
    while let Some(v) = rx.recv().await {
        black_box(v);
        got += 1;
    }
    assert_eq!(got, MESSAGES);
}

async fn weft_mpsc_unbounded(producers: usize) {
    let (tx, mut rx) = weft::sync::mpsc::unbounded_channel();
    for p in 0..producers {
        let tx = tx.clone();
        weft::spawn(async move {
            for i in 0..MESSAGES / producers {
                tx.send(p + i).unwrap();
            }
        });
    }
    drop(tx);
    let mut got = 0;
    while let Some(v) = rx.recv().await {
        black_box(v);
        got += 1;
    }
    assert_eq!(got, MESSAGES);
}

async fn tokio_mpsc_unbounded(producers: usize) {
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    for p in 0..producers {
        let tx = tx.clone();
        tokio::spawn(async move {
            for i in 0..MESSAGES / producers {
                tx.send(p + i).unwrap();
            }
        });
    }
    drop(tx);
    let mut got = 0;
    while let Some(v) = rx.recv().await {
        black_box(v);
        got += 1;
    }
    assert_eq!(got, MESSAGES);
}

/// async-channel for both shapes: `capacity` `None` is its unbounded channel.
async fn smol_mpsc(ex: Arc<smol::Executor<'static>>, producers: usize, capacity: Option<usize>) {
    let (tx, rx) = match capacity {
        Some(c) => async_channel::bounded(c),
        None => async_channel::unbounded(),
    };
    for p in 0..producers {
        let tx = tx.clone();
        ex.spawn(async move {
            for i in 0..MESSAGES / producers {
                tx.send(p + i).await.unwrap();
            }
        })
        .detach();
    }
    drop(tx);
    let mut got = 0;
    while let Ok(v) = rx.recv().await {
        black_box(v);
        got += 1;
    }
    assert_eq!(got, MESSAGES);
}

// ---- oneshot: create, send, receive in one task --------------------------

async fn weft_oneshot() {
    for i in 0..ONESHOTS {
        let (tx, rx) = weft::sync::oneshot::channel();
        tx.send(i).unwrap();
        black_box(rx.await.unwrap());
    }
}

async fn tokio_oneshot() {
    for i in 0..ONESHOTS {
        let (tx, rx) = tokio::sync::oneshot::channel();
        tx.send(i).unwrap();
        black_box(rx.await.unwrap());
    }
}

async fn smol_oneshot() {
    for i in 0..ONESHOTS {
        let (tx, rx) = async_channel::bounded(1);
        tx.try_send(i).unwrap();
        black_box(rx.recv().await.unwrap());
    }
}

// ---- broadcast: every value to every receiver -----------------------------

async fn weft_broadcast() {
    use weft::sync::broadcast::error::RecvError;
    let (tx, _) = weft::sync::broadcast::channel(BROADCASTS);
    let tasks: Vec<_> = (0..SUBSCRIBERS)
        .map(|_| {
            let mut rx = tx.subscribe();
            weft::spawn(async move {
                let mut got = 0;
                loop {
                    match rx.recv().await {
                        Ok(v) => {
                            black_box(v);
                            got += 1;
                        }
                        Err(RecvError::Lagged(_)) => {}
                        Err(RecvError::Closed) => break,
                    }
                }
                got
            })
        })
        .collect();
    for v in 0..BROADCASTS {
        tx.send(v).unwrap();
    }
    drop(tx);
    for task in tasks {
        assert_eq!(task.await.unwrap(), BROADCASTS);
    }
}

async fn tokio_broadcast() {
    use tokio::sync::broadcast::error::RecvError;
    let (tx, _) = tokio::sync::broadcast::channel(BROADCASTS);
    let tasks: Vec<_> = (0..SUBSCRIBERS)
        .map(|_| {
            let mut rx = tx.subscribe();
            tokio::spawn(async move {
                let mut got = 0;
                loop {
                    match rx.recv().await {
                        Ok(v) => {
                            black_box(v);
                            got += 1;
                        }
                        Err(RecvError::Lagged(_)) => {}
                        Err(RecvError::Closed) => break,
                    }
                }
                got
            })
        })
        .collect();
    for v in 0..BROADCASTS {
        tx.send(v).unwrap();
    }
    drop(tx);
    for task in tasks {
        assert_eq!(task.await.unwrap(), BROADCASTS);
    }
}
