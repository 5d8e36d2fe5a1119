//! Runs one TCP echo case on one runtime a fixed number of times, for
//! profilers (`perf stat`, `perf record`) that must see one runtime alone.
//!
//! ```text
//! cargo run --release -p weft-benches --example net_probe -- \
//!     <runtime> <connections> <message bytes> <round trips> [iterations] [spawn|reverse]
//! ```
//!
//! `runtime` is `weft` or `tokio`, with `WEFT_BENCH_WORKERS` workers (2 by
//! default). One iteration is one run of the `net` bench's echo case: every
//! connection does its round trips in a task of its own, and the main
//! thread awaits the tasks in spawn order (`spawn`, the default, as the
//! bench does) or last-spawned first (`reverse`). `256 16384 4` is the
//! bench's `echo_256c_16KiB`.
//!
//! Prints the median time of one iteration, how many times per iteration a
//! worker parked, and the main thread's CPU time and context switches per
//! iteration: it sleeps each time the handle it awaits is not finished.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use weft_benches::echo::{tokio_echo, weft_echo, JoinOrder};
use weft_benches::workers;

/// Worker parks so far, counted by the `on_thread_park` callbacks.
static PARKS: AtomicUsize = AtomicUsize::new(0);

/// The calling thread's CPU time and voluntary and involuntary context
/// switches so far.
fn thread_usage() -> (Duration, i64, i64) {
    // SAFETY: `rusage` is plain integers, for which all zeroes is a valid
    // value, and `getrusage` writes only into the struct it is given.
    let usage = unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        libc::getrusage(libc::RUSAGE_THREAD, &mut usage);
        usage
    };
    let time = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000);
    (
        time(usage.ru_utime) + time(usage.ru_stime),
        usage.ru_nvcsw,
        usage.ru_nivcsw,
    )
}

/// What [`measure`] saw over all iterations.
struct Measured {
    median: Duration,
    parks: usize,
    cpu: Duration,
    voluntary: i64,
    involuntary: i64,
}

/// Runs `iteration` `iterations` times on this thread.
fn measure(iterations: usize, mut iteration: impl FnMut()) -> Measured {
    let mut times = Vec::with_capacity(iterations);
    let parks = PARKS.load(Ordering::Relaxed);
    let (cpu, voluntary, involuntary) = thread_usage();
    for _ in 0..iterations {
        let start = Instant::now();
        iteration();
        times.push(start.elapsed());
    }
    let (cpu_after, voluntary_after, involuntary_after) = thread_usage();
    times.sort();
    Measured {
        median: times[times.len() / 2],
        parks: PARKS.load(Ordering::Relaxed) - parks,
        cpu: cpu_after - cpu,
        voluntary: voluntary_after - voluntary,
        involuntary: involuntary_after - involuntary,
    }
}

fn usage(problem: &str) -> ! {
    eprintln!("{problem}");
    eprintln!(
        "usage: net_probe <weft|tokio> <connections> <message bytes> <round trips> [iterations] [spawn|reverse]"
    );
    std::process::exit(2);
}

fn number(arg: Option<&String>, what: &str) -> usize {
    match arg.map(|a| a.parse::<usize>()) {
        Some(Ok(n)) if n > 0 => n,
        _ => usage(&format!("{what}: expected a positive number")),
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let runtime = args
        .first()
        .map(String::as_str)
        .unwrap_or_else(|| usage("no runtime given"));
    let connections = number(args.get(1), "connections");
    let message = number(args.get(2), "message bytes");
    let rounds = number(args.get(3), "round trips");
    let iterations = args
        .get(4)
        .map_or(300, |_| number(args.get(4), "iterations"));
    let order = match args.get(5).map(String::as_str) {
        None | Some("spawn") => JoinOrder::Spawn,
        Some("reverse") => JoinOrder::Reverse,
        Some(other) => usage(&format!("unknown join order `{other}`")),
    };
    let workers = workers();

    let measured = match runtime {
        "weft" => {
            let rt = weft::runtime::Builder::new_multi_thread()
                .worker_threads(workers)
                .enable_all()
                .on_thread_park(|| {
                    PARKS.fetch_add(1, Ordering::Relaxed);
                })
                .build()
                .unwrap();
            let mut clients = Some(rt.block_on(weft_echo::setup(connections, message)));
            measure(iterations, || {
                let taken = clients.take().unwrap();
                clients = Some(rt.block_on(weft_echo::run(taken, rounds, false, order)).0);
            })
        }
        "tokio" => {
            let rt = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(workers)
                .enable_all()
                .on_thread_park(|| {
                    PARKS.fetch_add(1, Ordering::Relaxed);
                })
                .build()
                .unwrap();
            let mut clients = Some(rt.block_on(tokio_echo::setup(connections, message)));
            measure(iterations, || {
                let taken = clients.take().unwrap();
                clients = Some(rt.block_on(tokio_echo::run(taken, rounds, false, order)).0);
            })
        }
        other => usage(&format!("unknown runtime `{other}`")),
    };
    let per = |n: f64| n / iterations as f64;
    println!(
        "{runtime} {connections}c {message}B x{rounds} {order:?}, {workers} workers: median {:?}, \
         worker parks {:.1}, main thread cpu {:.1} µs, switches {:.1} voluntary {:.1} involuntary (per iteration)",
        measured.median,
        per(measured.parks as f64),
        per(measured.cpu.as_secs_f64() * 1e6),
        per(measured.voluntary as f64),
        per(measured.involuntary as f64),
    );
}
