//! Timer benches: `timeout` and `sleep`, with weft, tokio and smol on the
//! same number of worker threads.
//!
//! Run with `cargo bench -p weft-benches --bench timer`; a name after `--`
//! runs only the cases that contain it. The table printed at the end holds
//! the median time per iteration and the ratios weft/tokio and weft/smol;
//! after it comes the firing lateness of each runtime (how long after its
//! deadline a sleep's task actually ran).
//!
//! smol has no `timeout`: its cases race the future against an
//! `async_io::Timer` (`smol::Timer`) with `smol::future::or`, which is what
//! a smol program writes. smol's timers live in async-io's global reactor,
//! not in its executor; its executor is the shared `SmolRuntime` pool with
//! the same thread count as the others. Because the timer branch of `or`
//! is a lazy `async` block, smol's `timeout_ready` never creates a timer
//! or reads the clock, while weft and tokio read the clock when `timeout`
//! is called (the deadline counts from then) and look up their runtime.
//!
//! Cases (the runtimes always have the same number of workers):
//!
//! - `timeout_registered`: one task awaits 100 000 timeouts in turn, each
//!   around a future that is pending once (it wakes itself), so every timer
//!   is registered and then cancelled;
//! - `baseline_no_timer`: the same loop without the timeout: what the
//!   scheduler costs, to subtract from `timeout_registered`;
//! - `timeout_ready`: 100 000 timeouts around futures that are ready at
//!   once;
//! - `sleep_many`: 10 000 tasks sleep 1 ms at the same time;
//! - `timeout_all_workers`: 1 000 tasks, spread over every worker, each
//!   awaiting 100 registered-then-cancelled timeouts.

use std::future::Future;
use std::hint::black_box;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};
use weft_benches::{tokio_runtime, weft_runtime, workers, Harness, Runner, SmolRuntime};

/// Timeouts per `timeout_*` case.
const TIMEOUTS: usize = 100_000;
/// Concurrent sleeps in `sleep_many`.
const SLEEPS: usize = 10_000;
/// Tasks in `timeout_all_workers`; each runs `TIMEOUTS / TASKS` timeouts.
const TASKS: usize = 1_000;
/// Sleeps whose lateness is measured.
const LATENESS_SLEEPS: u64 = 10_000;

/// A limit that is never reached: the timers are registered and cancelled.
const LIMIT: Duration = Duration::from_secs(60);

/// Pending on its first poll (after waking its task), ready on the second:
/// the timer of a `timeout` around it is really registered, then cancelled.
struct PendingOnce(bool);

impl Future for PendingOnce {
    type Output = u32;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<u32> {
        if self.0 {
            return Poll::Ready(1);
        }
        self.0 = true;
        cx.waker().wake_by_ref();
        Poll::Pending
    }
}

fn pending_once() -> PendingOnce {
    PendingOnce(false)
}

/// smol's way to write `timeout(limit, future)`.
async fn smol_timeout<F: Future>(limit: Duration, future: F) -> Result<F::Output, ()> {
    smol::future::or(async { Ok(future.await) }, async {
        smol::Timer::after(limit).await;
        Err(())
    })
    .await
}

fn main() {
    let n = workers();
    let weft = weft_runtime(n);
    let tokio = tokio_runtime(n);
    let smol = SmolRuntime::new(n);
    let mut h = Harness::with_times("timer", Duration::from_secs(1), Duration::from_secs(2));

    h.bench(
        "timeout_registered",
        &mut [
            Runner::new("weft", || weft_timeout_registered(&weft)),
            Runner::new("tokio", || tokio_timeout_registered(&tokio)),
            Runner::new("smol", || smol_timeout_registered(&smol)),
        ],
    );
    h.bench(
        "baseline_no_timer",
        &mut [
            Runner::new("weft", || weft_baseline(&weft)),
            Runner::new("tokio", || tokio_baseline(&tokio)),
            Runner::new("smol", || smol_baseline(&smol)),
        ],
    );
    h.bench(
        "timeout_ready",
        &mut [
            Runner::new("weft", || weft_timeout_ready(&weft)),
            Runner::new("tokio", || tokio_timeout_ready(&tokio)),
            Runner::new("smol", || smol_timeout_ready(&smol)),
        ],
    );
    h.bench(
        "sleep_many",
        &mut [
            Runner::new("weft", || weft_sleep_many(&weft)),
            Runner::new("tokio", || tokio_sleep_many(&tokio)),
            Runner::new("smol", || smol_sleep_many(&smol)),
        ],
    );
    h.bench(
        "timeout_all_workers",
        &mut [
            Runner::new("weft", || weft_timeout_all_workers(&weft)),
            Runner::new("tokio", || tokio_timeout_all_workers(&tokio)),
            Runner::new("smol", || smol_timeout_all_workers(&smol)),
        ],
    );
    h.finish();

    if std::env::args().any(|a| a == "--bench") && !std::env::args().any(|a| a == "--test") {
        println!(
            "## timer firing lateness: {LATENESS_SLEEPS} concurrent sleeps of 1-50 ms, {n} workers"
        );
        println!();
        println!("| runtime | median | p99 | max |");
        println!("|---|---:|---:|---:|");
        lateness_row("weft", weft_lateness(&weft));
        lateness_row("tokio", tokio_lateness(&tokio));
        lateness_row("smol", smol_lateness(&smol));
        println!();
    }
}

// ---- timeout_registered: 100 000 timeouts, each registered and cancelled --

fn weft_timeout_registered(rt: &weft::runtime::Runtime) {
    rt.block_on(rt.spawn(async {
        for _ in 0..TIMEOUTS {
            black_box(weft::time::timeout(LIMIT, pending_once()).await.unwrap());
        }
    }))
    .unwrap();
}

fn tokio_timeout_registered(rt: &tokio::runtime::Runtime) {
    rt.block_on(rt.spawn(async {
        for _ in 0..TIMEOUTS {
            black_box(tokio::time::timeout(LIMIT, pending_once()).await.unwrap());
        }
    }))
    .unwrap();
}

fn smol_timeout_registered(rt: &SmolRuntime) {
    rt.block_on(rt.spawn(async {
        for _ in 0..TIMEOUTS {
            black_box(smol_timeout(LIMIT, pending_once()).await.unwrap());
        }
    }));
}

// ---- baseline_no_timer: timeout_registered's loop without the timeout ---
//
// What the scheduler alone costs (one self-wake and re-poll per item):
// timeout_registered minus this is the cost of the timers.

fn weft_baseline(rt: &weft::runtime::Runtime) {
    rt.block_on(rt.spawn(async {
        for _ in 0..TIMEOUTS {
            black_box(pending_once().await);
        }
    }))
    .unwrap();
}

fn tokio_baseline(rt: &tokio::runtime::Runtime) {
    rt.block_on(rt.spawn(async {
        for _ in 0..TIMEOUTS {
            black_box(pending_once().await);
        }
    }))
    .unwrap();
}

fn smol_baseline(rt: &SmolRuntime) {
    rt.block_on(rt.spawn(async {
        for _ in 0..TIMEOUTS {
            black_box(pending_once().await);
        }
    }));
}

// ---- timeout_ready: 100 000 timeouts around futures ready at once ---------

fn weft_timeout_ready(rt: &weft::runtime::Runtime) {
    rt.block_on(rt.spawn(async {
        for i in 0..TIMEOUTS {
            black_box(
                weft::time::timeout(LIMIT, std::future::ready(i))
                    .await
                    .unwrap(),
            );
        }
    }))
    .unwrap();
}

fn tokio_timeout_ready(rt: &tokio::runtime::Runtime) {
    rt.block_on(rt.spawn(async {
        for i in 0..TIMEOUTS {
            black_box(
                tokio::time::timeout(LIMIT, std::future::ready(i))
                    .await
                    .unwrap(),
            );
        }
    }))
    .unwrap();
}

fn smol_timeout_ready(rt: &SmolRuntime) {
    rt.block_on(rt.spawn(async {
        for i in 0..TIMEOUTS {
            black_box(smol_timeout(LIMIT, std::future::ready(i)).await.unwrap());
        }
    }));
}

// ---- sleep_many: 10 000 tasks sleeping 1 ms at the same time --------------

fn weft_sleep_many(rt: &weft::runtime::Runtime) {
    rt.block_on(rt.spawn(async {
        let tasks: Vec<_> = (0..SLEEPS)
            .map(|_| weft::spawn(async { weft::time::sleep(Duration::from_millis(1)).await }))
            .collect();
        for task in tasks {
            task.await.unwrap();
        }
    }))
    .unwrap();
}

fn tokio_sleep_many(rt: &tokio::runtime::Runtime) {
    rt.block_on(rt.spawn(async {
        let tasks: Vec<_> = (0..SLEEPS)
            .map(|_| tokio::spawn(async { tokio::time::sleep(Duration::from_millis(1)).await }))
            .collect();
        for task in tasks {
            task.await.unwrap();
        }
    }))
    .unwrap();
}

fn smol_sleep_many(rt: &SmolRuntime) {
    let ex = rt.executor().clone();
    rt.block_on(rt.spawn(async move {
        let tasks: Vec<_> = (0..SLEEPS)
            .map(|_| {
                ex.spawn(async {
                    smol::Timer::after(Duration::from_millis(1)).await;
                })
            })
            .collect();
        for task in tasks {
            task.await;
        }
    }));
}

// ---- timeout_all_workers: 1 000 tasks registering timeouts at once --------

fn weft_timeout_all_workers(rt: &weft::runtime::Runtime) {
    rt.block_on(rt.spawn(async {
        let tasks: Vec<_> = (0..TASKS)
            .map(|_| {
                weft::spawn(async {
                    for _ in 0..TIMEOUTS / TASKS {
                        black_box(weft::time::timeout(LIMIT, pending_once()).await.unwrap());
                    }
                })
            })
            .collect();
        for task in tasks {
            task.await.unwrap();
        }
    }))
    .unwrap();
}

fn tokio_timeout_all_workers(rt: &tokio::runtime::Runtime) {
    rt.block_on(rt.spawn(async {
        let tasks: Vec<_> = (0..TASKS)
            .map(|_| {
                tokio::spawn(async {
                    for _ in 0..TIMEOUTS / TASKS {
                        black_box(tokio::time::timeout(LIMIT, pending_once()).await.unwrap());
                    }
                })
            })
            .collect();
        for task in tasks {
            task.await.unwrap();
        }
    }))
    .unwrap();
}

fn smol_timeout_all_workers(rt: &SmolRuntime) {
    let ex = rt.executor().clone();
    rt.block_on(rt.spawn(async move {
        let tasks: Vec<_> = (0..TASKS)
            .map(|_| {
                ex.spawn(async {
                    for _ in 0..TIMEOUTS / TASKS {
                        black_box(smol_timeout(LIMIT, pending_once()).await.unwrap());
                    }
                })
            })
            .collect();
        for task in tasks {
            task.await;
        }
    }));
}

// ---- lateness: how long after its deadline a sleeping task runs -----------

/// The requested sleep of task `i`: 1 to 50 ms.
fn requested(i: u64) -> Duration {
    Duration::from_millis(1 + (i * 7919) % 50)
}

fn weft_lateness(rt: &weft::runtime::Runtime) -> Vec<Duration> {
    rt.block_on(async {
        let tasks: Vec<_> = (0..LATENESS_SLEEPS)
            .map(|i| {
                weft::spawn(async move {
                    let deadline = Instant::now() + requested(i);
                    weft::time::sleep_until(deadline.into()).await;
                    Instant::now() - deadline
                })
            })
            .collect();
        let mut late = Vec::with_capacity(tasks.len());
        for task in tasks {
            late.push(task.await.unwrap());
        }
        late
    })
}

fn tokio_lateness(rt: &tokio::runtime::Runtime) -> Vec<Duration> {
    rt.block_on(async {
        let tasks: Vec<_> = (0..LATENESS_SLEEPS)
            .map(|i| {
                tokio::spawn(async move {
                    let deadline = Instant::now() + requested(i);
                    tokio::time::sleep_until(deadline.into()).await;
                    Instant::now() - deadline
                })
            })
            .collect();
        let mut late = Vec::with_capacity(tasks.len());
        for task in tasks {
            late.push(task.await.unwrap());
        }
        late
    })
}

fn smol_lateness(rt: &SmolRuntime) -> Vec<Duration> {
    let tasks: Vec<_> = (0..LATENESS_SLEEPS)
        .map(|i| {
            rt.spawn(async move {
                let deadline = Instant::now() + requested(i);
                smol::Timer::at(deadline).await;
                Instant::now() - deadline
            })
        })
        .collect();
    rt.block_on(async {
        let mut late = Vec::with_capacity(tasks.len());
        for task in tasks {
            late.push(task.await);
        }
        late
    })
}

fn lateness_row(name: &str, mut late: Vec<Duration>) {
    late.sort_unstable();
    let at = |q: f64| late[((late.len() - 1) as f64 * q).round() as usize];
    println!(
        "| {name} | {:.3} ms | {:.3} ms | {:.3} ms |",
        ms(at(0.5)),
        ms(at(0.99)),
        ms(at(1.0))
    );
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}
