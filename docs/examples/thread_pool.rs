//! Eight blocking jobs, four at a time, results taken as they complete.
//!
//! Run with `cargo run -p weft-docs --example thread_pool`.

use weft_docs::{scenarios, Output};
use std::time::Duration;

#[weft::main]
async fn main() {
    let out = Output::stdout();
    let report = scenarios::thread_pool::run(&out, 8, 4, Duration::from_secs(1)).await;
    out.line(format!("took {:.1} s", report.elapsed.as_secs_f64()));
}
