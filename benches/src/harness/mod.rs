//! The bench harness: criterion groups with one function per runtime, then
//! a summary of medians and ratios taken with a fixed number of rounds.
//!
//! Criterion's own report gives the statistics of each function measured
//! on its own; the summary measures the runtimes of one case in turn,
//! round after round, and rotates which runtime goes first each round, so
//! that a burst of load from elsewhere on the machine lands on all of them
//! alike. The ratios come from the summary.
//!
//! The summary records two times per iteration: wall-clock time, and the
//! CPU time the whole process used meanwhile (every thread; parked workers
//! use none). On a loaded machine the wall-clock time includes waiting for
//! a core while the CPU time does not, so the CPU ratio is the steadier of
//! the two; it also charges a runtime for workers that spin while idle.
//!
//! It also pairs the runtimes round by round: weft's wall time over each
//! other runtime's in the same round, whose median comes with a 95%
//! interval (the sign test's, which assumes nothing about the
//! distribution). An interval that straddles 1.00x says the runtimes are
//! not told apart by this run; one wholly below says weft is faster.

use criterion::Criterion;
use std::time::{Duration, Instant};

/// One runtime's version of a case: a name (`"weft"`, `"tokio"`, `"smol"`)
/// and a closure that runs the whole workload once.
pub struct Runner<'a> {
    name: &'static str,
    run: Box<dyn FnMut() + 'a>,
}

impl<'a> Runner<'a> {
    /// A runner named `name` that runs one iteration of the workload when
    /// `run` is called.
    pub fn new(name: &'static str, run: impl FnMut() + 'a) -> Runner<'a> {
        Runner {
            name,
            run: Box::new(run),
        }
    }
}

impl std::fmt::Debug for Runner<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Runner")
            .field("name", &self.name)
            .finish_non_exhaustive()
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Mode {
    /// `cargo bench`: criterion's runs, then the timed summary.
    Bench,
    /// `cargo test --benches` or `-- --test`: every runner once, untimed.
    Test,
    /// `--list` or `--profile-time`: criterion alone decides what runs.
    CriterionOnly,
}

/// Runs cases under criterion and collects the summary table.
///
/// ```no_run
/// use weft_benches::{Harness, Runner};
///
/// let mut harness = Harness::new("example");
/// let mut total = 0u64;
/// harness.bench("sum", &mut [Runner::new("weft", || total += 1)]);
/// harness.finish();
/// ```
pub struct Harness {
    title: String,
    criterion: Criterion,
    mode: Mode,
    filter: Option<String>,
    exact: bool,
    /// Summary rounds per case from `WEFT_BENCH_ROUNDS`, which wins over
    /// `default_rounds`.
    rounds_from_env: Option<usize>,
    /// Summary rounds per case otherwise: [`DEFAULT_ROUNDS`] unless the
    /// binary set its own with [`Harness::default_rounds`].
    default_rounds: usize,
    summary_only: bool,
    rows: Vec<Row>,
}

impl std::fmt::Debug for Harness {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Harness")
            .field("title", &self.title)
            .field("mode", &self.mode)
            .field("filter", &self.filter)
            .field("rounds", &self.rounds())
            .finish_non_exhaustive()
    }
}

struct Row {
    case: String,
    /// Median wall-clock time per iteration, per runtime.
    medians: Vec<(&'static str, Duration)>,
    /// Median process CPU time per iteration, per runtime.
    cpu: Vec<(&'static str, Duration)>,
    /// weft's wall time over each other runtime's, round by round: the
    /// median of those ratios and its 95% interval.
    paired: Vec<(&'static str, Option<PairedRatio>)>,
}

/// Summary rounds per case unless the binary or `WEFT_BENCH_ROUNDS` says
/// otherwise.
const DEFAULT_ROUNDS: usize = 15;

/// Criterion options that take a value: the filter is the first argument
/// that is neither an option nor such a value.
const OPTIONS_WITH_VALUE: &[&str] = &[
    "--color",
    "-c",
    "--save-baseline",
    "-s",
    "--baseline",
    "-b",
    "--baseline-lenient",
    "--format",
    "--profile-time",
    "--load-baseline",
    "--sample-size",
    "--warm-up-time",
    "--measurement-time",
    "--nresamples",
    "--noise-threshold",
    "--confidence-level",
    "--significance-level",
    "--plotting-backend",
    "--output-format",
];

impl Harness {
    /// A harness for the bench binary `title`, configured from the command
    /// line the way criterion is (`--bench`, `--test`, a name filter, ...),
    /// with 10 samples, 1 s of warm-up and 3 s of measurement per function
    /// unless the command line says otherwise.
    pub fn new(title: &str) -> Harness {
        Harness::with_times(title, Duration::from_secs(1), Duration::from_secs(3))
    }

    /// Like [`Harness::new`], with other default warm-up and measurement
    /// times (for a binary with many cases that must stay short).
    pub fn with_times(title: &str, warm_up: Duration, measurement: Duration) -> Harness {
        let args: Vec<String> = std::env::args().skip(1).collect();
        let has = |flag: &str| args.iter().any(|a| a == flag);
        let mode = if has("--list") || args.iter().any(|a| a.starts_with("--profile-time")) {
            Mode::CriterionOnly
        } else if has("--test") || !has("--bench") {
            Mode::Test
        } else {
            Mode::Bench
        };
        let mut filter = None;
        let mut skip_value = false;
        for arg in &args {
            if skip_value {
                skip_value = false;
            } else if OPTIONS_WITH_VALUE.contains(&arg.as_str()) {
                skip_value = true;
            } else if !arg.starts_with('-') {
                filter = Some(arg.clone());
                break;
            }
        }
        let rounds_from_env = std::env::var("WEFT_BENCH_ROUNDS")
            .ok()
            .and_then(|v| v.trim().parse::<usize>().ok())
            .filter(|&n| n > 0);
        let summary_only = std::env::var("WEFT_BENCH_SUMMARY_ONLY").is_ok_and(|v| v == "1");
        let criterion = Criterion::default()
            .sample_size(10)
            .warm_up_time(warm_up)
            .measurement_time(measurement)
            .configure_from_args();
        Harness {
            title: title.to_owned(),
            criterion,
            mode,
            filter,
            exact: has("--exact"),
            rounds_from_env,
            default_rounds: DEFAULT_ROUNDS,
            summary_only,
            rows: Vec::new(),
        }
    }

    /// Sets the number of summary rounds per case for a binary whose
    /// iterations are short or noisy; `WEFT_BENCH_ROUNDS` still wins.
    pub fn default_rounds(&mut self, rounds: usize) -> &mut Harness {
        self.default_rounds = rounds.max(1);
        self
    }

    fn rounds(&self) -> usize {
        self.rounds_from_env.unwrap_or(self.default_rounds)
    }

    fn selected(&self, id: &str) -> bool {
        match &self.filter {
            None => true,
            Some(f) if self.exact => id == f,
            Some(f) => id.contains(f.as_str()),
        }
    }

    /// Benchmarks one case: a criterion group named `case` with one
    /// function per runner, then (under `cargo bench`) the summary rounds.
    /// Under `cargo test --benches` each runner runs once, untimed.
    pub fn bench(&mut self, case: &str, runners: &mut [Runner<'_>]) {
        let selected: Vec<usize> = (0..runners.len())
            .filter(|&i| self.selected(&format!("{case}/{}", runners[i].name)))
            .collect();
        if !self.summary_only || self.mode != Mode::Bench {
            let mut group = self.criterion.benchmark_group(case);
            for runner in runners.iter_mut() {
                let run = &mut runner.run;
                group.bench_function(runner.name, |b| b.iter(&mut *run));
            }
            group.finish();
        }
        if self.mode != Mode::Bench || selected.is_empty() {
            return;
        }
        // One untimed run each, so the first timed round does not pay for
        // cold caches or lazily started threads.
        for &i in &selected {
            (runners[i].run)();
        }
        let mut times: Vec<Vec<Duration>> = vec![Vec::with_capacity(self.rounds()); selected.len()];
        let mut cpu: Vec<Vec<Duration>> = vec![Vec::with_capacity(self.rounds()); selected.len()];
        for round in 0..self.rounds() {
            for k in 0..selected.len() {
                let slot = (round + k) % selected.len();
                let cpu_start = process_cpu_time();
                let start = Instant::now();
                (runners[selected[slot]].run)();
                times[slot].push(start.elapsed());
                cpu[slot].push(process_cpu_time().saturating_sub(cpu_start));
            }
        }
        if std::env::var_os("WEFT_BENCH_DUMP").is_some() {
            for (&i, t) in selected.iter().zip(&times) {
                eprintln!("spread {case} {}: {}", runners[i].name, spread(t));
            }
        }
        let weft = selected.iter().position(|&i| runners[i].name == "weft");
        let paired = selected
            .iter()
            .enumerate()
            .filter(|&(k, _)| Some(k) != weft)
            .map(|(k, &i)| {
                (
                    runners[i].name,
                    weft.and_then(|w| paired_ratio(&times[w], &times[k])),
                )
            })
            .collect();
        let medians_of = |samples: &mut [Vec<Duration>]| -> Vec<(&'static str, Duration)> {
            selected
                .iter()
                .zip(samples.iter_mut())
                .map(|(&i, t)| (runners[i].name, median(t)))
                .collect()
        };
        let row = Row {
            case: case.to_owned(),
            medians: medians_of(&mut times),
            cpu: medians_of(&mut cpu),
            paired,
        };
        eprintln!("summary {}: {}", row.case, row.describe());
        self.rows.push(row);
    }

    /// Prints criterion's closing summary and the table of medians and
    /// ratios (a markdown table, ready to paste into `RESULTS.md`).
    pub fn finish(self) {
        self.criterion.final_summary();
        if self.mode != Mode::Bench || self.rows.is_empty() {
            return;
        }
        let workers = crate::workers();
        println!();
        println!(
            "## {} summary: {} workers, median of {} rounds, time per iteration",
            self.title,
            workers,
            self.rounds()
        );
        println!();
        print_table(&self.rows, |r| &r.medians);
        println!("Process CPU time per iteration (all threads), median:");
        println!();
        print_table(&self.rows, |r| &r.cpu);
        println!("weft's wall time over the other runtime's in the same round: median and 95% interval of the median:");
        println!();
        println!("| case | weft/tokio | weft/smol |");
        println!("|---|---:|---:|");
        for row in &self.rows {
            let cell = |name: &str| {
                row.paired
                    .iter()
                    .find(|(n, _)| *n == name)
                    .and_then(|(_, p)| p.as_ref())
                    .map_or_else(|| "—".to_owned(), PairedRatio::describe)
            };
            println!("| {} | {} | {} |", row.case, cell("tokio"), cell("smol"));
        }
        println!();
    }
}

/// The median of per-round ratios, with a 95% confidence interval for it.
#[derive(Clone, Copy, Debug, PartialEq)]
struct PairedRatio {
    median: f64,
    /// `None` with fewer than 6 rounds, too few for a 95% interval.
    interval: Option<(f64, f64)>,
}

impl PairedRatio {
    fn describe(&self) -> String {
        match self.interval {
            Some((low, high)) => format!("{:.3}x [{low:.3}, {high:.3}]", self.median),
            None => format!("{:.3}x", self.median),
        }
    }
}

/// The largest rank `k` (1-based; 0 if none) such that at most 2.5% of
/// the time `k` or more of `n` samples fall below the true median: the
/// lower end of the median's 95% interval is the `k`-th smallest sample,
/// the upper end the `k`-th largest. Exact binomial tail up to 1000
/// samples (where `0.5^n` is still a normal float), the normal
/// approximation beyond.
fn sign_test_rank(n: usize) -> usize {
    if n > 1000 {
        return ((n as f64 - 1.96 * (n as f64).sqrt()) / 2.0).floor() as usize;
    }
    // P(X <= j) for X ~ Binomial(n, 1/2), j = 0, 1, ...
    let mut pmf = 0.5f64.powi(n as i32);
    let mut tail = pmf;
    let mut k = 0;
    while tail <= 0.025 {
        k += 1;
        pmf *= (n - k + 1) as f64 / k as f64;
        tail += pmf;
    }
    k
}

/// The ratios `a[i] / b[i]` of the rounds both runners ran, their median,
/// and the distribution-free 95% interval of that median: the sorted
/// ratios at ranks `k` and `n + 1 - k` (see [`sign_test_rank`]). Pairing
/// by round cancels load that lasted about a round, which per-runner
/// medians only average out.
fn paired_ratio(a: &[Duration], b: &[Duration]) -> Option<PairedRatio> {
    let mut ratios: Vec<f64> = a
        .iter()
        .zip(b)
        .filter(|(_, b)| !b.is_zero())
        .map(|(a, b)| a.as_secs_f64() / b.as_secs_f64())
        .collect();
    if ratios.is_empty() {
        return None;
    }
    ratios.sort_by(f64::total_cmp);
    let n = ratios.len();
    let median = if n % 2 == 1 {
        ratios[n / 2]
    } else {
        (ratios[n / 2 - 1] + ratios[n / 2]) / 2.0
    };
    let k = sign_test_rank(n);
    let interval = (k >= 1).then(|| (ratios[k - 1], ratios[n - k]));
    Some(PairedRatio { median, interval })
}

fn print_table(rows: &[Row], column: impl Fn(&Row) -> &[(&'static str, Duration)]) {
    println!("| case | weft | tokio | smol | weft/tokio | weft/smol |");
    println!("|---|---:|---:|---:|---:|---:|");
    for row in rows {
        let values = column(row);
        let w = get(values, "weft");
        let t = get(values, "tokio");
        let s = get(values, "smol");
        println!(
            "| {} | {} | {} | {} | {} | {} |",
            row.case,
            fmt_time(w),
            fmt_time(t),
            fmt_time(s),
            fmt_ratio(w, t),
            fmt_ratio(w, s)
        );
    }
    println!();
}

fn get(values: &[(&'static str, Duration)], name: &str) -> Option<Duration> {
    values.iter().find(|(n, _)| *n == name).map(|&(_, d)| d)
}

fn describe(values: &[(&'static str, Duration)]) -> String {
    let mut out: Vec<String> = values
        .iter()
        .map(|(n, d)| format!("{n} {}", fmt_time(Some(*d))))
        .collect();
    let w = get(values, "weft");
    for other in ["tokio", "smol"] {
        if get(values, other).is_some() {
            out.push(format!("weft/{other} {}", fmt_ratio(w, get(values, other))));
        }
    }
    out.join(", ")
}

impl Row {
    fn describe(&self) -> String {
        let mut out = format!(
            "wall: {}; cpu: {}",
            describe(&self.medians),
            describe(&self.cpu)
        );
        for (name, paired) in &self.paired {
            if let Some(paired) = paired {
                out.push_str(&format!("; paired weft/{name} {}", paired.describe()));
            }
        }
        out
    }
}

/// CPU time used so far by every thread of this process.
fn process_cpu_time() -> Duration {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a valid, writable timespec for the duration of the
    // call, and CLOCK_PROCESS_CPUTIME_ID is a clock every Linux and BSD
    // kernel provides.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_PROCESS_CPUTIME_ID, &mut ts) };
    if rc != 0 {
        return Duration::ZERO;
    }
    Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32)
}

/// The quantiles of `times` (min, p10, p25, p50, p75, p90, max), for
/// telling a shifted distribution from a few slow rounds.
fn spread(times: &[Duration]) -> String {
    let mut sorted = times.to_vec();
    sorted.sort_unstable();
    [
        ("min", 0.0),
        ("p10", 0.1),
        ("p25", 0.25),
        ("p50", 0.5),
        ("p75", 0.75),
        ("p90", 0.9),
        ("max", 1.0),
    ]
    .iter()
    .map(|&(name, q)| {
        let index = (sorted.len().saturating_sub(1) as f64 * q).round() as usize;
        format!("{name} {}", fmt_time(sorted.get(index).copied()))
    })
    .collect::<Vec<_>>()
    .join(", ")
}

fn median(times: &mut [Duration]) -> Duration {
    times.sort_unstable();
    let n = times.len();
    if n % 2 == 1 {
        times[n / 2]
    } else {
        (times[n / 2 - 1] + times[n / 2]) / 2
    }
}

fn fmt_time(d: Option<Duration>) -> String {
    let Some(d) = d else { return "—".to_owned() };
    let ns = d.as_nanos() as f64;
    if ns >= 1e9 {
        format!("{:.3} s", ns / 1e9)
    } else if ns >= 1e6 {
        format!("{:.3} ms", ns / 1e6)
    } else if ns >= 1e3 {
        format!("{:.1} µs", ns / 1e3)
    } else {
        format!("{ns:.0} ns")
    }
}

fn fmt_ratio(a: Option<Duration>, b: Option<Duration>) -> String {
    match (a, b) {
        (Some(a), Some(b)) if !b.is_zero() => format!("{:.2}x", a.as_secs_f64() / b.as_secs_f64()),
        _ => "—".to_owned(),
    }
}

#[cfg(test)]
mod tests;
