//! Fetch twelve simulated pages with at most three requests in flight.
//!
//! Run with `cargo run -p weft-docs --example crawler`.

use weft_docs::{scenarios, Output};

#[weft::main]
async fn main() {
    let out = Output::stdout();
    let report = scenarios::crawler::run(&out, 12, 3).await;
    out.line(format!("at most {} in flight", report.max_in_flight));
}
