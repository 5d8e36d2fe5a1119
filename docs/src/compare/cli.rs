//! Command-line handling and the run loop of `compare`.

use super::json::{self, number, quote, Value};
use super::progress::Progress;
use super::report::{self, Row};
use super::workloads::{self, Measured};
use super::{cores, python, svg, sys, timeline, Scenario, Sizes, PYTHON_MODELS};
use std::io::Read;
use std::path::PathBuf;
use std::process::{Command, ExitCode, Stdio};
use std::time::Instant;

#[derive(Debug, Default)]
struct Options {
    quick: bool,
    check: bool,
    timeline: bool,
    no_python: bool,
    out: Option<PathBuf>,
    run_one: Option<(Scenario, String)>,
}

const USAGE: &str = "usage: compare [--quick] [--check] [--timeline] [--no-python] [--out DIR]";

fn parse(args: &[String]) -> Result<Options, String> {
    let mut opts = Options::default();
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--quick" => opts.quick = true,
            "--check" => opts.check = true,
            "--timeline" => opts.timeline = true,
            "--no-python" => opts.no_python = true,
            "--out" => opts.out = Some(it.next().ok_or("--out needs a directory")?.into()),
            "--run-one" => {
                let scenario = it.next().ok_or("--run-one needs a scenario")?;
                let scenario = Scenario::from_name(scenario).ok_or_else(|| format!("no scenario `{scenario}`"))?;
                let model = it.next().ok_or("--run-one needs a model")?.clone();
                opts.run_one = Some((scenario, model));
            }
            "-h" | "--help" => return Err(USAGE.to_owned()),
            other => return Err(format!("unknown argument `{other}`\n{USAGE}")),
        }
    }
    Ok(opts)
}

/// Runs `compare` with the process's arguments.
pub fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let opts = match parse(&args) {
        Ok(opts) => opts,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::from(2);
        }
    };
    let sizes = if opts.quick { Sizes::QUICK } else { Sizes::FULL };
    if let Some((scenario, model)) = &opts.run_one {
        return child(*scenario, model, &sizes);
    }
    parent(&opts)
}

/// The child side: run one pair and print its measurements as one JSON
/// line on stdout.
fn child(scenario: Scenario, model: &str, sizes: &Sizes) -> ExitCode {
    match workloads::run_one(scenario, model, sizes) {
        Ok(m) => {
            println!(
                "{{\"wall_s\": {}, \"units\": {}, \"base_kib\": {}, \"metric\": {}, \"note\": {}, \"skipped\": {}}}",
                number(m.wall.as_secs_f64()),
                m.units,
                m.base_kib,
                m.metric.map_or("null".to_owned(), number),
                quote(&m.note),
                m.skipped.as_deref().map_or("null".to_owned(), quote),
            );
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("{}/{model}: {message}", scenario.name());
            ExitCode::FAILURE
        }
    }
}

fn parent(opts: &Options) -> ExitCode {
    let started = Instant::now();
    let cores = cores();
    let python = if opts.no_python { Err("--no-python given".to_owned()) } else { python::available() };
    let exe = match std::env::current_exe() {
        Ok(exe) => exe,
        Err(e) => {
            eprintln!("cannot find this program's own path to run its children: {e}");
            return ExitCode::FAILURE;
        }
    };

    let mut jobs: Vec<(Scenario, String, Command)> = Vec::new();
    for scenario in Scenario::ALL {
        for model in scenario.models() {
            let mut cmd = Command::new(&exe);
            cmd.args(["--run-one", scenario.name(), model]);
            if opts.quick {
                cmd.arg("--quick");
            }
            jobs.push((scenario, model.to_owned(), cmd));
        }
        if python.is_ok() {
            for model in PYTHON_MODELS {
                jobs.push((scenario, model.to_owned(), python::command(scenario.name(), model, opts.quick)));
            }
        }
    }

    let mut progress = Progress::new(jobs.len());
    let mut rows = Vec::with_capacity(jobs.len());
    for (scenario, model, cmd) in jobs {
        progress.start(&format!("{} / {model}", scenario.name()));
        rows.push(measure(cmd, scenario, model));
        progress.step();
    }
    progress.finish();
    report::compute_speedups(&mut rows);

    println!(
        "weft compare: {} run, {cores} cores, {}",
        if opts.quick { "quick" } else { "full" },
        match &python {
            Ok(version) => format!("Python rows from {version}"),
            Err(why) => format!("no Python rows ({why})"),
        }
    );
    println!();
    print!("{}", report::table(&rows, cores));

    let mut status = ExitCode::SUCCESS;
    let timeline = opts.timeline.then(|| {
        let t = timeline::record(opts.quick);
        println!();
        print!("{}", t.summary());
        t
    });
    if let Some(dir) = &opts.out {
        if let Err(e) = write_out(dir, &rows, cores, opts.quick, &python, timeline.as_ref()) {
            eprintln!("cannot write the results into {}: {e}", dir.display());
            status = ExitCode::FAILURE;
        }
    }
    println!();
    println!("total time {:.1} s", started.elapsed().as_secs_f64());
    if opts.check {
        let problems = report::check(&rows);
        if problems.is_empty() {
            println!("check: ok ({} rows, every scenario and model present, every speed-up finite)", rows.len());
        } else {
            for p in &problems {
                println!("check failed: {p}");
            }
            status = ExitCode::FAILURE;
        }
    }
    status
}

fn write_out(
    dir: &std::path::Path,
    rows: &[Row],
    cores: usize,
    quick: bool,
    python: &Result<String, String>,
    timeline: Option<&timeline::Timeline>,
) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let python = python.as_deref().unwrap_or("");
    std::fs::write(dir.join("results.json"), report::to_json(rows, cores, quick, python))?;
    std::fs::write(dir.join("chart.svg"), svg::chart(rows))?;
    if let Some(t) = timeline {
        std::fs::write(dir.join("timeline.svg"), svg::timeline(t))?;
    }
    println!("wrote {}", dir.display());
    Ok(())
}

/// Runs one child and turns its report and its resource usage into a row.
fn measure(mut cmd: Command, scenario: Scenario, model: String) -> Row {
    let failed = |why: String| Row {
        scenario,
        model: model.clone(),
        wall_s: 0.0,
        cpu_s: 0.0,
        peak_kib: 0,
        per_unit_bytes: None,
        speedup: None,
        metric: None,
        units: 0,
        note: String::new(),
        skipped: Some(why),
    };
    let mut child = match cmd.stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn() {
        Ok(child) => child,
        Err(e) => return failed(format!("could not start: {e}")),
    };
    let mut stderr = child.stderr.take().expect("stderr is piped");
    let errors = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stderr.read_to_string(&mut text);
        text
    });
    let mut stdout = String::new();
    let _ = child.stdout.take().expect("stdout is piped").read_to_string(&mut stdout);
    let errors = errors.join().unwrap_or_default();
    let (success, usage) = match sys::wait_with_usage(&mut child) {
        Ok(result) => result,
        Err(e) => return failed(format!("could not wait for it: {e}")),
    };
    let parsed = stdout.lines().rev().find(|l| l.starts_with('{')).and_then(json::parse_object);
    let Some(fields) = parsed.filter(|_| success) else {
        let last = errors.lines().last().unwrap_or("no output");
        return failed(format!("failed: {last}"));
    };
    let num = |k: &str| fields.get(k).and_then(Value::num);
    let text = |k: &str| fields.get(k).and_then(Value::str).map(str::to_owned);
    let m = Measured {
        wall: std::time::Duration::from_secs_f64(num("wall_s").unwrap_or(0.0).max(0.0)),
        units: num("units").unwrap_or(0.0) as u64,
        base_kib: num("base_kib").unwrap_or(0.0) as u64,
        metric: num("metric"),
        note: text("note").unwrap_or_default(),
        skipped: text("skipped"),
    };
    let per_unit_bytes = (scenario == Scenario::Waits
        && m.skipped.is_none()
        && !model.ends_with("sequential")
        && m.units > 0)
        .then(|| usage.max_rss_kib.saturating_sub(m.base_kib) as f64 * 1024.0 / m.units as f64);
    Row {
        scenario,
        model,
        wall_s: m.wall.as_secs_f64(),
        cpu_s: usage.cpu.as_secs_f64(),
        peak_kib: usage.max_rss_kib,
        per_unit_bytes,
        speedup: None,
        metric: m.metric,
        units: m.units,
        note: m.note,
        skipped: m.skipped,
    }
}
