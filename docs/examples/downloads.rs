//! Three simulated 2-second downloads: 6 s one after another, 2 s together.
//!
//! Run with `cargo run -p weft-docs --example downloads`.

use weft_docs::{scenarios, Output};

#[weft::main]
async fn main() {
    scenarios::downloads::run(&Output::stdout()).await;
}
