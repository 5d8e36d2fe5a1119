//! CPU-bound sums of squares computed in parallel on the blocking pool.
//!
//! Run with `cargo run -p weft-docs --example sum_of_squares`.

use weft_docs::{scenarios, Output};

#[weft::main]
async fn main() {
    scenarios::sum_of_squares::run(&Output::stdout(), &[100_000, 200_000, 300_000]).await;
}
