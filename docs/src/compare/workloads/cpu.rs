//! CPU scenarios: sums of squares spread over the cores, and a blocking
//! call next to a heartbeat.

use super::{runtime, timed, unknown, Measured};
use crate::compare::{Scenario, Sizes};
use crate::scenarios::sum_of_squares::cpu_intensive;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread;
use std::time::{Duration, Instant};

/// Chunk `i` of the CPU work: its size differs a little from the others
/// so no two chunks compute the same thing.
fn chunk(i: usize, sizes: &Sizes) -> u64 {
    cpu_intensive(sizes.cpu_n + i as u64)
}

/// `chunks` sums of squares, each about `cpu_n` steps.
pub(super) fn sum_of_squares(model: &str, sizes: &Sizes) -> Result<Measured, String> {
    let chunks = sizes.cpu_chunks;
    let sizes_copy = *sizes;
    let expected: u64 = (0..chunks).map(|i| closed_form(sizes.cpu_n + i as u64)).fold(0, u64::wrapping_add);
    let (wall, total) = match model {
        "sequential" => timed(|| (0..chunks).map(|i| chunk(i, sizes)).fold(0, u64::wrapping_add)),
        "threads" => timed(|| {
            let threads: Vec<_> = (0..chunks).map(|i| thread::spawn(move || chunk(i, &sizes_copy))).collect();
            threads.into_iter().map(|t| t.join().expect("a CPU thread panicked")).fold(0, u64::wrapping_add)
        }),
        "weft-ct" | "weft-mt" | "weft-mt spawn_blocking" | "weft-mt block_in_place" => {
            let rt = runtime(model)?;
            let model = model.to_owned();
            timed(|| {
                rt.block_on(async move {
                    let tasks: Vec<_> = (0..chunks)
                        .map(|i| match model.as_str() {
                            "weft-mt spawn_blocking" => weft::task::spawn_blocking(move || chunk(i, &sizes_copy)),
                            "weft-mt block_in_place" => weft::spawn(async move {
                                weft::task::block_in_place(|| chunk(i, &sizes_copy))
                            }),
                            // The work runs inside the task itself.
                            _ => weft::spawn(async move { chunk(i, &sizes_copy) }),
                        })
                        .collect();
                    let mut total = 0u64;
                    for t in tasks {
                        total = total.wrapping_add(t.await.expect("a CPU task panicked"));
                    }
                    total
                })
            })
        }
        _ => return Err(unknown(Scenario::Cpu, model)),
    };
    if total != expected {
        return Err(format!("wrong sum of squares: {total}, expected {expected}"));
    }
    Ok(Measured {
        wall,
        units: chunks as u64,
        metric: Some(super::super::cores() as f64),
        note: format!("{chunks} chunks of {}M squares", sizes.cpu_n / 1_000_000),
        ..Measured::default()
    })
}

/// Σ i² for i in 0..n, in wrapping arithmetic like [`cpu_intensive`].
fn closed_form(n: u64) -> u64 {
    // (n-1) n (2n-1) / 6, computed in u128 so the division is exact.
    let n = n as u128;
    if n == 0 {
        return 0;
    }
    ((n - 1) * n * (2 * n - 1) / 6) as u64
}

/// Records heartbeat instants and reports the longest gap.
#[derive(Clone)]
struct Beats(Arc<Mutex<Vec<Instant>>>);

impl Beats {
    fn new() -> Beats {
        Beats(Arc::new(Mutex::new(vec![Instant::now()])))
    }

    fn beat(&self) {
        self.0.lock().unwrap_or_else(PoisonError::into_inner).push(Instant::now());
    }

    fn max_gap(&self) -> Duration {
        let beats = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        beats.windows(2).map(|w| w[1] - w[0]).max().unwrap_or_default()
    }
}

/// `block_calls` blocking calls of `block` while a heartbeat should beat
/// every `tick`; the figure is the longest gap between beats.
pub(super) fn blocking(model: &str, sizes: &Sizes) -> Result<Measured, String> {
    let (tick, block, calls) = (sizes.tick, sizes.block, sizes.block_calls);
    let beats = Beats::new();
    let (wall, note) = match model {
        "sequential" => {
            // One thread: beats and calls take turns.
            let (wall, ()) = timed(|| {
                for _ in 0..calls {
                    for _ in 0..3 {
                        thread::sleep(tick);
                        beats.beat();
                    }
                    thread::sleep(block);
                }
                thread::sleep(tick);
                beats.beat();
            });
            (wall, "one thread: beats wait for each call")
        }
        "threads" => {
            let stop = Arc::new(AtomicBool::new(false));
            let heart = {
                let (beats, stop) = (beats.clone(), stop.clone());
                thread::spawn(move || {
                    while !stop.load(Ordering::Relaxed) {
                        thread::sleep(tick);
                        beats.beat();
                    }
                })
            };
            let (wall, ()) = timed(|| {
                for _ in 0..calls {
                    thread::sleep(tick * 3);
                    thread::sleep(block);
                }
                thread::sleep(tick);
            });
            stop.store(true, Ordering::Relaxed);
            heart.join().expect("the heartbeat thread panicked");
            (wall, "heartbeat on its own thread")
        }
        "weft-ct" | "weft-mt" | "weft-ct spawn_blocking" | "weft-mt block_in_place" => {
            let rt = runtime(model)?;
            let how = model.split(' ').nth(1).unwrap_or("inline").to_owned();
            let b = beats.clone();
            let (wall, ()) = timed(|| {
                rt.block_on(async move {
                    let heart = weft::spawn(async move {
                        loop {
                            weft::time::sleep(tick).await;
                            b.beat();
                        }
                    });
                    // The calls run in a task of their own, like any other
                    // request handler would.
                    let calls = weft::spawn(async move {
                        for _ in 0..calls {
                            weft::time::sleep(tick * 3).await;
                            match how.as_str() {
                                "spawn_blocking" => weft::task::spawn_blocking(move || thread::sleep(block))
                                    .await
                                    .expect("the blocking call panicked"),
                                "block_in_place" => weft::task::block_in_place(|| thread::sleep(block)),
                                _ => thread::sleep(block), // the mistake being measured
                            }
                        }
                        weft::time::sleep(tick).await;
                    });
                    calls.await.expect("the calling task panicked");
                    heart.abort();
                })
            });
            let note = match model {
                "weft-ct" => "call inline: stalls the only thread",
                "weft-mt" => "call inline: stalls one worker and what is queued on it",
                "weft-ct spawn_blocking" => "call on the blocking pool",
                _ => "call in place; the worker's queue moves to a new thread",
            };
            (wall, note)
        }
        _ => return Err(unknown(Scenario::Blocking, model)),
    };
    let gap = beats.max_gap();
    Ok(Measured {
        wall,
        units: u64::from(calls),
        metric: Some(gap.as_secs_f64() * 1000.0),
        note: format!("max heartbeat gap {:.0} ms; {note}", gap.as_secs_f64() * 1000.0),
        ..Measured::default()
    })
}
