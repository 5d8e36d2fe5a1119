use super::json::{parse_object, quote, Value};
use super::report::{check, compute_speedups, Row};
use super::{Scenario, CORE_MODELS};

fn row(scenario: Scenario, model: &str, wall_s: f64) -> Row {
    Row {
        scenario,
        model: model.to_owned(),
        wall_s,
        cpu_s: 0.0,
        peak_kib: 1000,
        per_unit_bytes: (scenario == Scenario::Waits && model != "sequential").then_some(300.0),
        speedup: None,
        metric: None,
        units: 1,
        note: String::new(),
        skipped: None,
    }
}

fn full_run() -> Vec<Row> {
    let mut rows = Vec::new();
    for scenario in Scenario::ALL {
        for (i, model) in scenario.models().into_iter().enumerate() {
            rows.push(row(scenario, model, 1.0 / (i + 1) as f64));
        }
    }
    compute_speedups(&mut rows);
    rows
}

#[test]
fn json_round_trips_a_flat_object() {
    let text = format!(r#"{{"a": 1.5, "b": {}, "c": null, "d": true, "e": -2e3}}"#, quote("x \"y\"\n\\"));
    let map = parse_object(&text).unwrap();
    assert_eq!(map["a"], Value::Num(1.5));
    assert_eq!(map["b"], Value::Str("x \"y\"\n\\".to_owned()));
    assert_eq!(map["c"], Value::Null);
    assert_eq!(map["d"], Value::Bool(true));
    assert_eq!(map["e"].num(), Some(-2000.0));
}

#[test]
fn json_rejects_what_it_does_not_handle() {
    assert!(parse_object(r#"{"a": [1]}"#).is_none());
    assert!(parse_object(r#"{"a": 1"#).is_none());
    assert!(parse_object(r#"{"a": 1} trailing"#).is_none());
    assert_eq!(parse_object("{}").map(|m| m.len()), Some(0));
}

#[test]
fn speedups_are_against_the_matching_sequential_row() {
    let mut rows = vec![
        row(Scenario::Cpu, "sequential", 2.0),
        row(Scenario::Cpu, "weft-mt", 0.5),
        row(Scenario::Cpu, "python sequential", 10.0),
        row(Scenario::Cpu, "python processes", 5.0),
    ];
    compute_speedups(&mut rows);
    let speedups: Vec<_> = rows.iter().map(|r| r.speedup.unwrap()).collect();
    assert_eq!(speedups, [1.0, 4.0, 1.0, 2.0]);
}

#[test]
fn a_complete_run_passes_the_check() {
    assert_eq!(check(&full_run()), Vec::<String>::new());
}

#[test]
fn the_check_finds_a_missing_model() {
    let mut rows = full_run();
    rows.retain(|r| !(r.scenario == Scenario::Timeouts && r.model == CORE_MODELS[3]));
    assert_eq!(check(&rows), ["timeouts / weft-mt: missing"]);
}

#[test]
fn the_check_finds_a_failed_run() {
    let mut rows = full_run();
    let cpu = rows.iter_mut().find(|r| r.scenario == Scenario::Cpu && r.model == "threads").unwrap();
    cpu.skipped = Some("failed: out of memory".to_owned());
    assert_eq!(check(&rows), ["cpu / threads: skipped, which is not allowed here"]);
}

#[test]
fn the_check_finds_a_speedup_that_is_not_finite() {
    let mut rows = full_run();
    rows[1].wall_s = 0.0;
    compute_speedups(&mut rows);
    let problems = check(&rows);
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert!(problems[0].contains("wall time"));
    assert!(problems[1].contains("no finite speed-up"));
}
