//! What a blocking call does to the other tasks of its thread, measured.
//!
//! A heartbeat task beats every `tick`. First a task blocks the runtime's
//! thread for `block` with `std::thread::sleep` (Python's `time.sleep`
//! inside a coroutine): no beat can happen until it returns, so the gap
//! between two beats is at least `block`. Then the same blocking call
//! goes through [`weft::task::spawn_blocking`]: it holds a pool thread
//! instead, and the heartbeat keeps beating.
//!
//! This scenario runs in real time (a paused clock does not move while a
//! thread sleeps), so keep `block` short in tests.

use crate::Output;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

/// The measurements of both runs.
#[derive(Clone, Copy, Debug)]
pub struct Report {
    /// Largest gap between two beats while the call blocked the runtime.
    pub max_gap_inline: Duration,
    /// Largest gap between two beats while the call ran on the pool.
    pub max_gap_offloaded: Duration,
    /// Beats counted while the offloaded call was running.
    pub beats_during_offloaded: usize,
}

struct Heartbeat {
    beats: Arc<Mutex<Vec<Instant>>>,
    count: Arc<AtomicUsize>,
    task: weft::task::JoinHandle<()>,
}

impl Heartbeat {
    fn start(tick: Duration) -> Heartbeat {
        let beats = Arc::new(Mutex::new(vec![Instant::now()]));
        let count = Arc::new(AtomicUsize::new(0));
        let task = weft::spawn({
            let beats = beats.clone();
            let count = count.clone();
            async move {
                loop {
                    weft::time::sleep(tick).await;
                    beats.lock().unwrap_or_else(PoisonError::into_inner).push(Instant::now());
                    count.fetch_add(1, Ordering::SeqCst);
                }
            }
        });
        Heartbeat { beats, count, task }
    }

    async fn stop(self) -> Duration {
        self.task.abort();
        let _ = self.task.await;
        let beats = self.beats.lock().unwrap_or_else(PoisonError::into_inner);
        beats.windows(2).map(|w| w[1] - w[0]).max().unwrap_or_default()
    }
}

/// Blocks for `block` once inline and once through `spawn_blocking`,
/// with a heartbeat of period `tick` running, and reports the gaps.
///
/// In the offloaded run the blocking call, after sleeping, also waits
/// (up to ten seconds) until it has seen three beats since it began, so
/// `beats_during_offloaded >= 3` shows the heartbeat kept running while
/// the call held its thread; it is less than 3 only if the heartbeat was
/// stalled.
pub async fn run(out: &Output, tick: Duration, block: Duration) -> Report {
    let heart = Heartbeat::start(tick);
    weft::time::sleep(tick * 3).await;
    std::thread::sleep(block); // blocks the runtime's thread: the mistake
    weft::time::sleep(tick * 3).await;
    let max_gap_inline = heart.stop().await;
    out.line(format!(
        "blocking inline:      longest heartbeat gap {:>6.1} ms (tick {} ms, call {} ms)",
        ms(max_gap_inline),
        tick.as_millis(),
        block.as_millis()
    ));

    let heart = Heartbeat::start(tick);
    weft::time::sleep(tick * 3).await;
    let count = heart.count.clone();
    let beats_during_offloaded = weft::task::spawn_blocking(move || {
        let before = count.load(Ordering::SeqCst);
        std::thread::sleep(block);
        let give_up = Instant::now() + Duration::from_secs(10);
        while count.load(Ordering::SeqCst) < before + 3 && Instant::now() < give_up {
            std::thread::sleep(Duration::from_millis(1));
        }
        count.load(Ordering::SeqCst) - before
    })
    .await
    .expect("the blocking call panicked");
    weft::time::sleep(tick * 3).await;
    let max_gap_offloaded = heart.stop().await;
    out.line(format!(
        "with spawn_blocking:  longest heartbeat gap {:>6.1} ms ({beats_during_offloaded} beats during the call)",
        ms(max_gap_offloaded)
    ));
    Report { max_gap_inline, max_gap_offloaded, beats_during_offloaded }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
