//! A hand-written Stream that yields an item every half second.
//!
//! Run with `cargo run -p weft-docs --example async_iterator`.

use weft_docs::{scenarios, Output};

#[weft::main]
async fn main() {
    scenarios::async_iterator::run(&Output::stdout()).await;
}
