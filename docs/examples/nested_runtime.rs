//! Blocking on a future from inside a task, and what weft answers.
//!
//! Run with `cargo run -p weft-docs --example nested_runtime`.

use weft_docs::{scenarios, Output};

#[weft::main]
async fn main() {
    scenarios::nested_runtime::run(&Output::stdout()).await;
}
