//! Runs one scheduler case on one runtime a fixed number of times, for
//! profilers (callgrind, perf) and for trying runtime settings.
//!
//! ```text
//! cargo run --release -p weft-benches --example sched_probe -- <case> <runtime> [iterations]
//! ```
//!
//! `case` is `yield_many`, `remote_busy`, `spawn_local`,
//! `from_block_on`, `mpsc_bounded_1p`, `mpsc_bounded_10p`,
//! `mpsc_unbounded_1p`, `mpsc_unbounded_10p`, `watch` or `notify`; `runtime` is `weft` or `tokio`.
//! `PROBE_GLOBAL_QUEUE_INTERVAL` and `PROBE_EVENT_INTERVAL` set those
//! builder options on both runtimes. Prints the median time of one
//! iteration and how many times per iteration a worker parked.

use std::hint::black_box;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Instant;
use weft_benches::cases;

const SPAWN: usize = 10_000;
const YIELD_TASKS: usize = 200;
const YIELDS: usize = 1_000;
const MESSAGES: usize = 50_000;
const CAPACITY: usize = 128;
const WATCHERS: usize = 100;
const WATCH_SENDS: usize = 100;
const NOTIFY_ROUNDS: usize = 5_000;

/// Worker parks so far, counted by the `on_thread_park` callbacks.
static PARKS: AtomicUsize = AtomicUsize::new(0);

/// Yields made by the busy tasks of `remote_busy` so far.
static BUSY_YIELDS: AtomicUsize = AtomicUsize::new(0);

fn env_u32(name: &str) -> Option<u32> {
    std::env::var(name).ok().and_then(|v| v.parse().ok())
}

fn weft_rt(workers: usize) -> weft::runtime::Runtime {
    let mut b = weft::runtime::Builder::new_multi_thread();
    b.worker_threads(workers).enable_all().on_thread_park(|| {
        PARKS.fetch_add(1, Ordering::Relaxed);
    });
    if let Some(n) = env_u32("PROBE_GLOBAL_QUEUE_INTERVAL") {
        b.global_queue_interval(n);
    }
    if let Some(n) = env_u32("PROBE_EVENT_INTERVAL") {
        b.event_interval(n);
    }
    b.build().unwrap()
}

fn tokio_rt(workers: usize) -> tokio::runtime::Runtime {
    let mut b = tokio::runtime::Builder::new_multi_thread();
    b.worker_threads(workers).enable_all().on_thread_park(|| {
        PARKS.fetch_add(1, Ordering::Relaxed);
    });
    if let Some(n) = env_u32("PROBE_GLOBAL_QUEUE_INTERVAL") {
        b.global_queue_interval(n);
    }
    if let Some(n) = env_u32("PROBE_EVENT_INTERVAL") {
        b.event_interval(n);
    }
    b.build().unwrap()
}

/// The three cases, written once for both runtimes: `$spawn` spawns a
/// task on the current runtime, `$yield` yields.
macro_rules! cases {
    ($module:ident, $rt:ty, $spawn:path, $yield:path, $mpsc:ident) => {
        mod $module {
            use super::*;

            pub(crate) fn yield_many(rt: &$rt) {
                rt.block_on(async {
                    let tasks: Vec<_> = (0..YIELD_TASKS)
                        .map(|_| {
                            $spawn(async {
                                for _ in 0..YIELDS {
                                    $yield().await;
                                }
                            })
                        })
                        .collect();
                    for task in tasks {
                        task.await.unwrap();
                    }
                });
            }

            pub(crate) fn remote_busy(rt: &$rt, workers: usize) {
                let stop = Arc::new(AtomicBool::new(false));
                let busy: Vec<_> = (0..workers)
                    .map(|_| {
                        let stop = stop.clone();
                        rt.spawn(async move {
                            while !stop.load(Ordering::Relaxed) {
                                BUSY_YIELDS.fetch_add(1, Ordering::Relaxed);
                                $yield().await;
                            }
                        })
                    })
                    .collect();
                let tasks: Vec<_> = (0..SPAWN)
                    .map(|i| rt.spawn(async move { black_box(i) }))
                    .collect();
                rt.block_on(async {
                    for task in tasks {
                        task.await.unwrap();
                    }
                });
                stop.store(true, Ordering::Relaxed);
                rt.block_on(async {
                    for task in busy {
                        task.await.unwrap();
                    }
                });
            }

            pub(crate) fn from_block_on(rt: &$rt) {
                rt.block_on(async {
                    let tasks: Vec<_> = (0..SPAWN)
                        .map(|i| $spawn(async move { black_box(i) }))
                        .collect();
                    for task in tasks {
                        task.await.unwrap();
                    }
                });
            }

            /// `producers` tasks send `MESSAGES` values in all through a
            /// channel of capacity `capacity` (unbounded if `None`) to a
            /// task that receives them.
            pub(crate) fn mpsc(rt: &$rt, producers: usize, capacity: Option<usize>) {
                rt.block_on(async move {
                    $spawn(async move {
                        let (tx, mut rx) = match capacity {
                            Some(c) => {
                                let (tx, rx) = $mpsc::channel(c);
                                (Either::Bounded(tx), Either::Bounded(rx))
                            }
                            None => {
                                let (tx, rx) = $mpsc::unbounded_channel();
                                (Either::Unbounded(tx), Either::Unbounded(rx))
                            }
                        };
                        for p in 0..producers {
                            let tx = tx.clone();
                            $spawn(async move {
                                for i in 0..MESSAGES / producers {
                                    match &tx {
                                        Either::Bounded(tx) => tx.send(p + i).await.unwrap(),
                                        Either::Unbounded(tx) => tx.send(p + i).unwrap(),
                                    }
                                }
                            });
                        }
                        drop(tx);
                        let mut got = 0;
                        loop {
                            let v = match &mut rx {
                                Either::Bounded(rx) => rx.recv().await,
                                Either::Unbounded(rx) => rx.recv().await,
                            };
                            let Some(v) = v else { break };
                            black_box(v);
                            got += 1;
                        }
                        assert_eq!(got, MESSAGES);
                    })
                    .await
                    .unwrap();
                });
            }

            pub(crate) fn spawn_local(rt: &$rt) {
                rt.block_on(async {
                    $spawn(async {
                        let tasks: Vec<_> = (0..SPAWN)
                            .map(|i| $spawn(async move { black_box(i) }))
                            .collect();
                        for task in tasks {
                            task.await.unwrap();
                        }
                    })
                    .await
                    .unwrap();
                });
            }
        }
    };
}

cases!(
    weft_cases,
    weft::runtime::Runtime,
    weft::spawn,
    weft::task::yield_now,
    weft_mpsc
);
cases!(
    tokio_cases,
    tokio::runtime::Runtime,
    tokio::spawn,
    tokio::task::yield_now,
    tokio_mpsc
);

use tokio::sync::mpsc as tokio_mpsc;
use weft::sync::mpsc as weft_mpsc;

/// A sender or receiver of either channel shape.
#[derive(Clone)]
enum Either<B, U> {
    Bounded(B),
    Unbounded(U),
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let case = args
        .first()
        .map(String::as_str)
        .unwrap_or("yield_many")
        .to_owned();
    let runtime = args.get(1).map(String::as_str).unwrap_or("weft").to_owned();
    let iterations: usize = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(20);
    let workers = weft_benches::workers();

    let mut run: Box<dyn FnMut()> = match runtime.as_str() {
        "weft" => {
            let rt = weft_rt(workers);
            match case.as_str() {
                "yield_many" => Box::new(move || weft_cases::yield_many(&rt)),
                "remote_busy" => Box::new(move || weft_cases::remote_busy(&rt, workers)),
                "spawn_local" => Box::new(move || weft_cases::spawn_local(&rt)),
                "from_block_on" => Box::new(move || weft_cases::from_block_on(&rt)),
                "mpsc_bounded_1p" => Box::new(move || weft_cases::mpsc(&rt, 1, Some(CAPACITY))),
                "mpsc_bounded_10p" => Box::new(move || weft_cases::mpsc(&rt, 10, Some(CAPACITY))),
                "mpsc_unbounded_1p" => Box::new(move || weft_cases::mpsc(&rt, 1, None)),
                "mpsc_unbounded_10p" => Box::new(move || weft_cases::mpsc(&rt, 10, None)),
                "watch" => Box::new(move || {
                    rt.block_on(rt.spawn(cases::weft_cases::watch_many_receivers(
                        WATCHERS,
                        WATCH_SENDS,
                    )))
                    .unwrap()
                }),
                "notify" => Box::new(move || {
                    rt.block_on(rt.spawn(cases::weft_cases::notify_ping_pong(NOTIFY_ROUNDS)))
                        .unwrap()
                }),
                other => panic!("unknown case {other}"),
            }
        }
        "tokio" => {
            let rt = tokio_rt(workers);
            match case.as_str() {
                "yield_many" => Box::new(move || tokio_cases::yield_many(&rt)),
                "remote_busy" => Box::new(move || tokio_cases::remote_busy(&rt, workers)),
                "spawn_local" => Box::new(move || tokio_cases::spawn_local(&rt)),
                "from_block_on" => Box::new(move || tokio_cases::from_block_on(&rt)),
                "mpsc_bounded_1p" => Box::new(move || tokio_cases::mpsc(&rt, 1, Some(CAPACITY))),
                "mpsc_bounded_10p" => Box::new(move || tokio_cases::mpsc(&rt, 10, Some(CAPACITY))),
                "mpsc_unbounded_1p" => Box::new(move || tokio_cases::mpsc(&rt, 1, None)),
                "mpsc_unbounded_10p" => Box::new(move || tokio_cases::mpsc(&rt, 10, None)),
                "watch" => Box::new(move || {
                    rt.block_on(rt.spawn(cases::tokio_cases::watch_many_receivers(
                        WATCHERS,
                        WATCH_SENDS,
                    )))
                    .unwrap()
                }),
                "notify" => Box::new(move || {
                    rt.block_on(rt.spawn(cases::tokio_cases::notify_ping_pong(NOTIFY_ROUNDS)))
                        .unwrap()
                }),
                other => panic!("unknown case {other}"),
            }
        }
        other => panic!("unknown runtime {other} (weft or tokio)"),
    };
    run();
    let parks_before = PARKS.load(Ordering::Relaxed);
    let yields_before = BUSY_YIELDS.load(Ordering::Relaxed);
    let mut cpu = Vec::with_capacity(iterations);
    let mut times: Vec<_> = (0..iterations)
        .map(|_| {
            let cpu_start = cpu_time();
            let start = Instant::now();
            run();
            let wall = start.elapsed();
            cpu.push(cpu_time() - cpu_start);
            wall
        })
        .collect();
    if std::env::var_os("PROBE_DUMP").is_some() {
        // Every iteration's wall time in µs, in run order: shows whether
        // a case is bimodal and whether the modes come in streaks.
        let all: Vec<String> = times.iter().map(|t| t.as_micros().to_string()).collect();
        println!("{}", all.join(" "));
    }
    times.sort_unstable();
    cpu.sort_unstable();
    let parks = PARKS.load(Ordering::Relaxed) - parks_before;
    let yields = BUSY_YIELDS.load(Ordering::Relaxed) - yields_before;
    println!(
        "{case} {runtime}: wall p10 {:?} median {:?} p90 {:?}, median cpu {:?} over {iterations} iterations; per iteration: {:.1} worker parks, {:.0} busy-task yields",
        times[times.len() / 10],
        times[times.len() / 2],
        times[times.len() * 9 / 10],
        cpu[cpu.len() / 2],
        parks as f64 / iterations as f64,
        yields as f64 / iterations as f64
    );
}

/// CPU time used so far by every thread of this process.
fn cpu_time() -> std::time::Duration {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a valid, writable timespec for the whole call.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_PROCESS_CPUTIME_ID, &mut ts) };
    assert_eq!(rc, 0, "clock_gettime(CLOCK_PROCESS_CPUTIME_ID) failed");
    std::time::Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32)
}
