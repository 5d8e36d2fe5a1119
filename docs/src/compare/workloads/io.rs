//! Waiting scenarios: simulated downloads, many concurrent waits, and
//! timeouts.

use super::{runtime, timed, unknown, Measured};
use crate::compare::{Scenario, Sizes};
use std::sync::{mpsc, Arc, Barrier};
use std::thread;
use std::time::{Duration, Instant};

/// N downloads of `download` each (a sleep stands in for the network).
pub(super) fn fanout(model: &str, sizes: &Sizes) -> Result<Measured, String> {
    let n = sizes.downloads;
    let d = sizes.download;
    let (wall, ()) = match model {
        "sequential" => timed(|| (0..n).for_each(|_| thread::sleep(d))),
        "threads" => timed(|| {
            let threads: Vec<_> = (0..n).map(|_| thread::spawn(move || thread::sleep(d))).collect();
            threads.into_iter().for_each(|t| t.join().expect("a download thread panicked"));
        }),
        "weft-ct" | "weft-mt" => {
            let rt = runtime(model)?;
            timed(|| {
                rt.block_on(async {
                    let tasks: Vec<_> = (0..n).map(|_| weft::spawn(weft::time::sleep(d))).collect();
                    for t in tasks {
                        t.await.expect("a download task panicked");
                    }
                })
            })
        }
        _ => return Err(unknown(Scenario::IoFanout, model)),
    };
    Ok(Measured {
        wall,
        units: n as u64,
        note: format!("{n} downloads of {} ms", d.as_millis()),
        ..Measured::default()
    })
}

/// Many waits alive at the same moment: what one unit of concurrency
/// costs in memory.
pub(super) fn waits(model: &str, sizes: &Sizes) -> Result<Measured, String> {
    let hold = sizes.hold;
    match model {
        "sequential" => {
            // One thread can hold one wait at a time: time a few in a row
            // and scale up, rather than spend minutes on all of them.
            let sample = sizes.seq_sample.min(sizes.waits_tasks);
            let (wall, ()) = timed(|| (0..sample).for_each(|_| thread::sleep(hold)));
            let scale = sizes.waits_tasks as f64 / sample as f64;
            Ok(Measured {
                wall: wall.mul_f64(scale),
                units: 1,
                note: format!("estimated: {sample} waits timed in a row, scaled to {}", sizes.waits_tasks),
                ..Measured::default()
            })
        }
        "threads" => {
            let n = sizes.waits_threads;
            let all_alive = Arc::new(Barrier::new(n + 1));
            let (wall, ()) = timed(|| {
                let threads: Vec<_> = (0..n)
                    .map(|_| {
                        let all_alive = all_alive.clone();
                        thread::Builder::new()
                            .stack_size(64 * 1024)
                            .spawn(move || {
                                all_alive.wait();
                                thread::sleep(hold);
                            })
                            .expect("the OS refused a thread; lower the thread count")
                    })
                    .collect();
                all_alive.wait();
                threads.into_iter().for_each(|t| t.join().expect("a waiting thread panicked"));
            });
            Ok(Measured {
                wall,
                units: n as u64,
                note: format!("{n} threads with 64 KiB stacks"),
                ..Measured::default()
            })
        }
        "weft-ct" | "weft-mt" => {
            let n = sizes.waits_tasks;
            let rt = runtime(model)?;
            let (wall, ()) = timed(|| {
                rt.block_on(async {
                    let deadline = weft::time::Instant::now() + hold;
                    let tasks: Vec<_> = (0..n).map(|_| weft::spawn(weft::time::sleep_until(deadline))).collect();
                    for t in tasks {
                        t.await.expect("a waiting task panicked");
                    }
                })
            });
            Ok(Measured { wall, units: n as u64, note: format!("{n} tasks"), ..Measured::default() })
        }
        _ => Err(unknown(Scenario::Waits, model)),
    }
}

/// Operation `i` takes `fast` when `i` is even and `slow` when odd; each
/// gets `limit` to finish.
fn op_duration(i: usize, sizes: &Sizes) -> Duration {
    if i % 2 == 0 {
        sizes.fast
    } else {
        sizes.slow
    }
}

/// Operations with a deadline each; half of them miss it.
pub(super) fn timeouts(model: &str, sizes: &Sizes) -> Result<Measured, String> {
    let n = sizes.timeouts;
    let limit = sizes.limit;
    let (wall, timed_out, note) = match model {
        "sequential" => {
            let (wall, count) = timed(|| {
                (0..n)
                    .filter(|&i| {
                        let d = op_duration(i, sizes);
                        thread::sleep(d.min(limit));
                        d > limit
                    })
                    .count()
            });
            (wall, count, "each call waited for, up to its deadline, in turn".to_owned())
        }
        "threads" => {
            let (wall, count) = timed(|| {
                let deadline = Instant::now() + limit;
                let receivers: Vec<_> = (0..n)
                    .map(|i| {
                        let (tx, rx) = mpsc::channel();
                        let d = op_duration(i, sizes);
                        thread::spawn(move || {
                            thread::sleep(d);
                            let _ = tx.send(());
                        });
                        rx
                    })
                    .collect();
                receivers
                    .iter()
                    .filter(|rx| rx.recv_timeout(deadline.saturating_duration_since(Instant::now())).is_err())
                    .count()
            });
            (wall, count, "late threads cannot be cancelled: they run on".to_owned())
        }
        "weft-ct" | "weft-mt" => {
            let rt = runtime(model)?;
            let (wall, count) = timed(|| {
                rt.block_on(async {
                    let tasks: Vec<_> = (0..n)
                        .map(|i| {
                            let d = op_duration(i, sizes);
                            weft::spawn(async move { weft::time::timeout(limit, weft::time::sleep(d)).await.is_err() })
                        })
                        .collect();
                    let mut count = 0;
                    for t in tasks {
                        count += usize::from(t.await.expect("a task panicked"));
                    }
                    count
                })
            });
            (wall, count, "late operations dropped at the deadline".to_owned())
        }
        _ => return Err(unknown(Scenario::Timeouts, model)),
    };
    Ok(Measured {
        wall,
        units: n as u64,
        metric: Some(timed_out as f64),
        note: format!("{timed_out}/{n} timed out; {note}"),
        ..Measured::default()
    })
}
