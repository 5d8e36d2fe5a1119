//! Wait at most 2 s for an operation that takes 5 s.
//!
//! Run with `cargo run -p weft-docs --example timeout`.

use weft_docs::{scenarios, Output};

#[weft::main]
async fn main() {
    scenarios::timeout::run(&Output::stdout()).await;
}
