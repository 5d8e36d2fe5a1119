//! `compare --timeline`: which thread ran which piece of which task, when.
//!
//! The tasks record their own spans: each piece of CPU work notes its
//! thread and its start and end on a shared clock. No scheduler hooks are
//! needed. The same mix (CPU-bound chunks, and I/O-like tasks that compute
//! a little, sleep, and compute again) runs first on a current-thread
//! runtime, then on a two-worker multi-thread runtime where every task is
//! spawned from one worker, so the other worker has to steal its share.

use crate::scenarios::sum_of_squares::cpu_intensive;
use std::fmt::Write as _;
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::ThreadId;
use std::time::{Duration, Instant};
use weft::runtime::Builder;

/// What a span of work belonged to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A CPU-bound chunk.
    Cpu,
    /// The computing part of an I/O-like task (before or after its sleep).
    Io,
}

/// One piece of work on one thread.
#[derive(Clone, Debug, PartialEq)]
pub struct Span {
    /// Task number.
    pub task: usize,
    /// What kind of task it was.
    pub kind: Kind,
    /// Row (thread) index in its panel.
    pub thread: usize,
    /// Start, in milliseconds since the panel began.
    pub start_ms: f64,
    /// End, in milliseconds since the panel began.
    pub end_ms: f64,
}

/// The spans of one runtime.
#[derive(Clone, Debug, PartialEq)]
pub struct Panel {
    /// Heading, e.g. "current-thread runtime".
    pub title: String,
    /// Thread names, one per row, in order of first appearance.
    pub threads: Vec<String>,
    /// Every recorded span.
    pub spans: Vec<Span>,
    /// From the first spawn to the last task's end, in milliseconds.
    pub total_ms: f64,
}

/// Both panels.
#[derive(Clone, Debug, PartialEq)]
pub struct Timeline {
    /// Current-thread first, then multi-thread.
    pub panels: Vec<Panel>,
}

impl Timeline {
    /// A short text account of the chart.
    pub fn summary(&self) -> String {
        let mut out = String::from("timeline (CPU chunks and sleeping I/O tasks):\n");
        for p in &self.panels {
            let busy: Vec<String> = (0..p.threads.len())
                .map(|t| {
                    let ms: f64 = p.spans.iter().filter(|s| s.thread == t).map(|s| s.end_ms - s.start_ms).sum();
                    format!("{} busy {ms:.0} ms", p.threads[t])
                })
                .collect();
            let _ = writeln!(out, "  {}: {:.0} ms in all; {}", p.title, p.total_ms, busy.join(", "));
        }
        out
    }
}

/// What the tasks of one panel recorded so far.
#[derive(Default)]
struct Records {
    /// Threads in order of first appearance.
    ids: Vec<ThreadId>,
    /// Their row labels.
    names: Vec<String>,
    spans: Vec<Span>,
}

#[derive(Clone)]
struct Recorder {
    start: Instant,
    inner: Arc<Mutex<Records>>,
}

impl Recorder {
    fn new() -> Recorder {
        Recorder { start: Instant::now(), inner: Arc::new(Mutex::new(Records::default())) }
    }

    /// Runs `work` and records it as a span of `task` on this thread.
    fn span<T>(&self, task: usize, kind: Kind, work: impl FnOnce() -> T) -> T {
        let start = self.start.elapsed();
        let value = work();
        let end = self.start.elapsed();
        let me = std::thread::current();
        let mut inner = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
        let Records { ids, names, spans } = &mut *inner;
        let thread = match ids.iter().position(|id| *id == me.id()) {
            Some(i) => i,
            None => {
                ids.push(me.id());
                names.push(format!("{} #{}", me.name().unwrap_or("thread"), ids.len() - 1));
                ids.len() - 1
            }
        };
        spans.push(Span { task, kind, thread, start_ms: ms(start), end_ms: ms(end) });
        value
    }

    fn into_panel(self, title: &str) -> Panel {
        let total_ms = ms(self.start.elapsed());
        let inner = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
        Panel { title: title.to_owned(), threads: inner.names.clone(), spans: inner.spans.clone(), total_ms }
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Squares per millisecond of CPU on this machine, measured once.
fn squares_per_ms() -> u64 {
    // Warm up first (clock frequency, page faults), then time a run long
    // enough to be measured well.
    std::hint::black_box(cpu_intensive(5_000_000));
    let n = 30_000_000;
    let start = Instant::now();
    std::hint::black_box(cpu_intensive(n));
    let per_ms = n as f64 / ms(start.elapsed()).max(0.001);
    (per_ms as u64).max(1)
}

struct Mix {
    cpu_tasks: usize,
    cpu_n: u64,
    io_tasks: usize,
    io_n: u64,
    sleep: Duration,
}

async fn spawn_mix(rec: Recorder, mix: &Mix) {
    let mut tasks = Vec::new();
    for i in 0..mix.io_tasks {
        let (rec, n, sleep) = (rec.clone(), mix.io_n, mix.sleep);
        tasks.push(weft::spawn(async move {
            rec.span(i, Kind::Io, || cpu_intensive(n));
            weft::time::sleep(sleep).await;
            rec.span(i, Kind::Io, || cpu_intensive(n));
        }));
    }
    for i in 0..mix.cpu_tasks {
        let (rec, n) = (rec.clone(), mix.cpu_n);
        tasks.push(weft::spawn(async move {
            rec.span(mix_index(i), Kind::Cpu, || cpu_intensive(n));
        }));
    }
    for t in tasks {
        t.await.expect("a timeline task panicked");
    }
}

/// CPU tasks are numbered after the I/O tasks in the chart.
fn mix_index(i: usize) -> usize {
    100 + i
}

/// Runs the mix on both runtimes and returns the recorded timeline.
pub fn record(quick: bool) -> Timeline {
    let per_ms = squares_per_ms();
    let chunk_ms = if quick { 5 } else { 20 };
    let mix = Mix {
        cpu_tasks: 6,
        cpu_n: per_ms * chunk_ms,
        io_tasks: 4,
        io_n: per_ms * chunk_ms / 10,
        sleep: Duration::from_millis(chunk_ms * 3 / 2),
    };

    let ct = Builder::new_current_thread().enable_all().build().expect("cannot build a runtime");
    let rec = Recorder::new();
    ct.block_on(spawn_mix(rec.clone(), &mix));
    let current = rec.into_panel("current-thread runtime: concurrency on one thread");

    let mt = Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("weft-worker")
        .enable_all()
        .build()
        .expect("cannot build a runtime");
    let rec = Recorder::new();
    let mix = Arc::new(mix);
    mt.block_on({
        let rec = rec.clone();
        async move {
            // Spawn everything from one worker: the other one must steal.
            weft::spawn(async move { spawn_mix(rec, &mix).await }).await.expect("the spawning task panicked");
        }
    });
    let multi = rec.into_panel("multi-thread runtime, 2 workers: parallelism and stealing");
    Timeline { panels: vec![current, multi] }
}
