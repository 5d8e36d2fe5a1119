//! Calling an async fn builds a future; its body runs only when awaited.
//!
//! Run with `cargo run -p weft-docs --example lazy_future`.

use weft_docs::{scenarios, Output};

#[weft::main]
async fn main() {
    scenarios::lazy_future::run(&Output::stdout()).await;
}
