//! Hand-written SVG: the bar chart of wall times and the timeline.

use super::report::Row;
use super::timeline::{Kind, Timeline};
use super::Scenario;
use std::fmt::Write as _;

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

fn color(model: &str) -> &'static str {
    match model {
        "sequential" => "#9e9e9e",
        "threads" => "#ef8a17",
        m if m.starts_with("python") => "#4c9a2a",
        m if m.starts_with("weft-ct") => "#5b8def",
        _ => "#1f4fb4",
    }
}

fn time_label(s: f64) -> String {
    if s >= 1.0 {
        format!("{s:.2} s")
    } else {
        format!("{:.1} ms", s * 1000.0)
    }
}

/// One group per scenario, one horizontal bar per model, bar length the
/// wall time on the group's own scale (the scenarios differ by orders of
/// magnitude), the figure written next to each bar.
pub(super) fn chart(rows: &[Row]) -> String {
    const LABEL_W: f64 = 190.0;
    const BAR_W: f64 = 430.0;
    const ROW_H: f64 = 18.0;
    const HEAD_H: f64 = 26.0;
    let width = LABEL_W + BAR_W + 160.0;
    let mut body = String::new();
    let mut y = 40.0;
    for scenario in Scenario::ALL {
        let group: Vec<&Row> = rows.iter().filter(|r| r.scenario == scenario).collect();
        if group.is_empty() {
            continue;
        }
        let max = group.iter().filter(|r| r.skipped.is_none()).map(|r| r.wall_s).fold(0.0, f64::max);
        let _ = writeln!(
            body,
            r#"<text x="10" y="{:.0}" class="head">{}</text>"#,
            y + 16.0,
            escape(scenario.name())
        );
        y += HEAD_H;
        for r in group {
            let _ = writeln!(
                body,
                r#"<text x="{:.0}" y="{:.0}" class="label" text-anchor="end">{}</text>"#,
                LABEL_W - 8.0,
                y + 13.0,
                escape(&r.model)
            );
            if r.skipped.is_some() {
                let _ = writeln!(body, r#"<text x="{LABEL_W:.0}" y="{:.0}" class="note">skipped</text>"#, y + 13.0);
            } else {
                let w = if max > 0.0 { (r.wall_s / max * BAR_W).max(1.0) } else { 1.0 };
                let _ = writeln!(
                    body,
                    r#"<rect x="{LABEL_W:.0}" y="{:.0}" width="{w:.1}" height="{:.0}" fill="{}"><title>{} / {}: {}</title></rect>"#,
                    y + 2.0,
                    ROW_H - 4.0,
                    color(&r.model),
                    escape(scenario.name()),
                    escape(&r.model),
                    time_label(r.wall_s)
                );
                let speedup = r.speedup.map_or(String::new(), |s| format!("  ({s:.1}x)"));
                let _ = writeln!(
                    body,
                    r#"<text x="{:.1}" y="{:.0}" class="value">{}{}</text>"#,
                    LABEL_W + w + 6.0,
                    y + 13.0,
                    time_label(r.wall_s),
                    speedup
                );
            }
            y += ROW_H;
        }
        y += 8.0;
    }
    let height = y + 10.0;
    format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0}" height="{height:.0}" viewBox="0 0 {width:.0} {height:.0}" font-family="sans-serif">
<style>.title{{font-size:16px;font-weight:bold}} .head{{font-size:13px;font-weight:bold}} .label{{font-size:11px}} .value{{font-size:11px;fill:#333}} .note{{font-size:11px;fill:#888}}</style>
<rect width="100%" height="100%" fill="white"/>
<text x="10" y="24" class="title">Wall time per scenario and model (shorter is better; each group on its own scale)</text>
{body}</svg>
"#
    )
}

/// A Gantt chart: one panel per runtime, one row per thread, one box per
/// recorded span of work.
pub(super) fn timeline(t: &Timeline) -> String {
    const LABEL_W: f64 = 170.0;
    const PLOT_W: f64 = 620.0;
    const ROW_H: f64 = 28.0;
    let width = LABEL_W + PLOT_W + 30.0;
    let max_ms = t.panels.iter().map(|p| p.total_ms).fold(1.0, f64::max);
    let x = |ms: f64| LABEL_W + ms / max_ms * PLOT_W;
    let mut body = String::new();
    let mut y = 44.0;
    for p in &t.panels {
        let _ = writeln!(
            body,
            r#"<text x="10" y="{:.0}" class="head">{} ({:.0} ms)</text>"#,
            y + 12.0,
            escape(&p.title),
            p.total_ms
        );
        y += 22.0;
        for (row, name) in p.threads.iter().enumerate() {
            let top = y + row as f64 * ROW_H;
            let _ = writeln!(
                body,
                r##"<rect x="{LABEL_W:.0}" y="{top:.0}" width="{PLOT_W:.0}" height="{:.0}" fill="#f3f3f3"/>"##,
                ROW_H - 4.0
            );
            let _ = writeln!(
                body,
                r#"<text x="{:.0}" y="{:.0}" class="label" text-anchor="end">{}</text>"#,
                LABEL_W - 8.0,
                top + 16.0,
                escape(name)
            );
            for s in p.spans.iter().filter(|s| s.thread == row) {
                let (fill, label) = match s.kind {
                    Kind::Cpu => ("#1f4fb4", format!("cpu {}", s.task - 100)),
                    Kind::Io => ("#4c9a2a", format!("io {}", s.task)),
                };
                let (x0, x1) = (x(s.start_ms), x(s.end_ms).max(x(s.start_ms) + 1.0));
                let _ = writeln!(
                    body,
                    r#"<rect x="{x0:.1}" y="{:.0}" width="{:.1}" height="{:.0}" fill="{fill}" stroke="white" stroke-width="0.5"><title>{label}: {:.1}-{:.1} ms</title></rect>"#,
                    top + 1.0,
                    x1 - x0,
                    ROW_H - 6.0,
                    s.start_ms,
                    s.end_ms
                );
                if x1 - x0 > 34.0 {
                    let _ = writeln!(
                        body,
                        r#"<text x="{:.1}" y="{:.0}" class="span" text-anchor="middle">{label}</text>"#,
                        (x0 + x1) / 2.0,
                        top + 16.0
                    );
                }
            }
        }
        y += p.threads.len() as f64 * ROW_H + 14.0;
    }
    // Time axis.
    let step = [1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0, 200.0, 500.0].into_iter().find(|s| max_ms / s <= 12.0);
    let step = step.unwrap_or(1000.0);
    let mut tick = 0.0;
    while tick <= max_ms {
        let _ = writeln!(
            body,
            r##"<line x1="{0:.1}" y1="{1:.0}" x2="{0:.1}" y2="{2:.0}" stroke="#999"/><text x="{0:.1}" y="{3:.0}" class="label" text-anchor="middle">{tick:.0} ms</text>"##,
            x(tick),
            y,
            y + 5.0,
            y + 18.0
        );
        tick += step;
    }
    let height = y + 48.0;
    let _ = writeln!(
        body,
        r##"<rect x="{LABEL_W:.0}" y="{:.0}" width="12" height="10" fill="#1f4fb4"/><text x="{:.0}" y="{:.0}" class="label">CPU chunk</text><rect x="{:.0}" y="{:.0}" width="12" height="10" fill="#4c9a2a"/><text x="{:.0}" y="{:.0}" class="label">I/O task computing (gaps: it sleeps, holding no thread)</text>"##,
        y + 28.0,
        LABEL_W + 16.0,
        y + 37.0,
        LABEL_W + 100.0,
        y + 28.0,
        LABEL_W + 116.0,
        y + 37.0
    );
    format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0}" height="{height:.0}" viewBox="0 0 {width:.0} {height:.0}" font-family="sans-serif">
<style>.title{{font-size:16px;font-weight:bold}} .head{{font-size:13px;font-weight:bold}} .label{{font-size:11px}} .span{{font-size:10px;fill:white}}</style>
<rect width="100%" height="100%" fill="white"/>
<text x="10" y="24" class="title">Which thread ran which task, when</text>
{body}</svg>
"#
    )
}
