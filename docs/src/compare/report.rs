//! The results: rows, the printed table, results.json, and the `--check`
//! validation.

use super::json::{number, quote};
use super::{Scenario, CORE_MODELS};
use std::fmt::Write as _;

/// One measured (scenario, model) pair.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    /// The scenario.
    pub scenario: Scenario,
    /// The model, e.g. `weft-mt` or `python asyncio`.
    pub model: String,
    /// Wall time in seconds.
    pub wall_s: f64,
    /// User plus system CPU time in seconds.
    pub cpu_s: f64,
    /// Peak resident memory of the process in KiB.
    pub peak_kib: u64,
    /// Memory per unit of concurrency in bytes (`waits` only).
    pub per_unit_bytes: Option<f64>,
    /// Sequential wall time divided by this wall time.
    pub speedup: Option<f64>,
    /// The scenario's own figure (max heartbeat gap in ms, timeouts, ...).
    pub metric: Option<f64>,
    /// Units of concurrency.
    pub units: u64,
    /// A short remark.
    pub note: String,
    /// Why the pair was not run, when it was not.
    pub skipped: Option<String>,
}

impl Row {
    /// True for rows measured from the Python scripts.
    pub fn is_python(&self) -> bool {
        self.model.starts_with("python")
    }
}

/// Fills in speed-ups: each Rust row against the Rust `sequential` row of
/// its scenario, each Python row against `python sequential`.
pub(super) fn compute_speedups(rows: &mut [Row]) {
    let baseline = |rows: &[Row], scenario: Scenario, model: &str| {
        rows.iter().find(|r| r.scenario == scenario && r.model == model && r.skipped.is_none()).map(|r| r.wall_s)
    };
    let bases: Vec<_> = rows
        .iter()
        .map(|r| {
            let model = if r.is_python() { "python sequential" } else { "sequential" };
            baseline(rows, r.scenario, model)
        })
        .collect();
    for (row, base) in rows.iter_mut().zip(bases) {
        row.speedup = match (base, row.skipped.is_none() && row.wall_s > 0.0) {
            (Some(base), true) => Some(base / row.wall_s),
            _ => None,
        };
    }
}

fn human_time(s: f64) -> String {
    if s >= 1.0 {
        format!("{s:.2} s")
    } else {
        format!("{:.1} ms", s * 1000.0)
    }
}

fn human_kib(kib: u64) -> String {
    if kib >= 10 * 1024 {
        format!("{:.0} MiB", kib as f64 / 1024.0)
    } else {
        format!("{:.1} MiB", kib as f64 / 1024.0)
    }
}

/// A one-line summary of what is special about `row`.
fn remark(row: &Row, cores: usize) -> String {
    if let Some(why) = &row.skipped {
        return format!("skipped: {why}");
    }
    let mut note = row.note.clone();
    if let Some(bytes) = row.per_unit_bytes {
        if bytes < 1024.0 {
            let _ = write!(note, "; {bytes:.0} B per unit");
        } else {
            let _ = write!(note, "; {:.1} KiB per unit", bytes / 1024.0);
        }
    }
    if row.scenario == Scenario::Cpu {
        if let Some(s) = row.speedup {
            let _ = write!(note, "; {:.2}x per core", s / cores as f64);
        }
    }
    note
}

/// The table, as printed.
pub(super) fn table(rows: &[Row], cores: usize) -> String {
    let header = ["scenario", "model", "wall", "cpu", "peak mem", "speed-up", "notes"];
    let cells: Vec<[String; 7]> = rows
        .iter()
        .map(|r| {
            let skipped = r.skipped.is_some();
            [
                r.scenario.name().to_owned(),
                r.model.clone(),
                if skipped { "-".into() } else { human_time(r.wall_s) },
                if skipped { "-".into() } else { human_time(r.cpu_s) },
                if skipped { "-".into() } else { human_kib(r.peak_kib) },
                r.speedup.map_or("-".into(), |s| format!("{s:.2}x")),
                remark(r, cores),
            ]
        })
        .collect();
    let mut widths = header.map(str::len);
    for row in &cells {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    let line = |out: &mut String, cells: &[String]| {
        out.push('|');
        for (i, (cell, w)) in cells.iter().zip(widths).enumerate() {
            // Numbers right-aligned, words left-aligned.
            if (2..=5).contains(&i) {
                let _ = write!(out, " {cell:>w$} |");
            } else {
                let _ = write!(out, " {cell:<w$} |");
            }
        }
        out.push('\n');
    };
    line(&mut out, &header.map(String::from));
    out.push('|');
    for (i, w) in widths.iter().enumerate() {
        let dashes = "-".repeat(*w);
        if (2..=5).contains(&i) {
            let _ = write!(out, "-{dashes}:|");
        } else {
            let _ = write!(out, "-{dashes}-|");
        }
    }
    out.push('\n');
    for row in &cells {
        line(&mut out, row);
    }
    out
}

/// `results.json`.
pub(super) fn to_json(rows: &[Row], cores: usize, quick: bool, python: &str) -> String {
    let opt = |x: Option<f64>| x.map_or("null".to_owned(), number);
    let mut out = format!(
        "{{\n  \"tool\": \"weft-docs compare\",\n  \"cores\": {cores},\n  \"quick\": {quick},\n  \"python\": {},\n  \"rows\": [\n",
        quote(python)
    );
    for (i, r) in rows.iter().enumerate() {
        let _ = writeln!(
            out,
            "    {{\"scenario\": {}, \"model\": {}, \"wall_s\": {}, \"cpu_s\": {}, \"peak_kib\": {}, \
             \"per_unit_bytes\": {}, \"speedup\": {}, \"metric\": {}, \"units\": {}, \"note\": {}, \"skipped\": {}}}{}",
            quote(r.scenario.name()),
            quote(&r.model),
            number(r.wall_s),
            number(r.cpu_s),
            r.peak_kib,
            opt(r.per_unit_bytes),
            opt(r.speedup),
            opt(r.metric),
            r.units,
            quote(&r.note),
            r.skipped.as_deref().map_or("null".to_owned(), quote),
            if i + 1 == rows.len() { "" } else { "," }
        );
    }
    out.push_str("  ]\n}\n");
    out
}

/// Checks the shape of a run: every scenario present with every common
/// model, and every row that ran has a positive wall time and a finite
/// speed-up. Returns the list of problems (empty when the run is sound).
pub fn check(rows: &[Row]) -> Vec<String> {
    let mut problems = Vec::new();
    for scenario in Scenario::ALL {
        for model in scenario.models() {
            if !rows.iter().any(|r| r.scenario == scenario && r.model == model) {
                problems.push(format!("{} / {model}: missing", scenario.name()));
            }
        }
        let sequential = rows.iter().find(|r| r.scenario == scenario && r.model == "sequential");
        if sequential.is_some_and(|r| r.skipped.is_some()) {
            problems.push(format!("{}: the sequential baseline did not run", scenario.name()));
        }
    }
    for r in rows {
        let what = format!("{} / {}", r.scenario.name(), r.model);
        match &r.skipped {
            Some(why) if why.is_empty() => problems.push(format!("{what}: skipped without a reason")),
            Some(_) => {
                // Only the weft models of scenarios that need a resource
                // type (files, sockets) may be skipped, and only Python
                // models may be absent entirely.
                let allowed = matches!(r.scenario, Scenario::Files | Scenario::Http) || r.is_python();
                if !allowed || CORE_MODELS[..2].contains(&r.model.as_str()) {
                    problems.push(format!("{what}: skipped, which is not allowed here"));
                }
            }
            None => {
                if !(r.wall_s.is_finite() && r.wall_s > 0.0) {
                    problems.push(format!("{what}: wall time {} is not a positive number", r.wall_s));
                }
                if !r.speedup.is_some_and(f64::is_finite) {
                    problems.push(format!("{what}: no finite speed-up"));
                }
                if r.scenario == Scenario::Waits
                    && r.model != "sequential"
                    && !r.is_python()
                    && !r.per_unit_bytes.is_some_and(f64::is_finite)
                {
                    problems.push(format!("{what}: no memory per unit"));
                }
            }
        }
    }
    problems
}
