//! A generator made of a producer task and a channel, then an Interval.
//!
//! Run with `cargo run -p weft-docs --example async_generator`.

use weft_docs::{scenarios, Output};

#[weft::main]
async fn main() {
    scenarios::async_generator::run(&Output::stdout()).await;
}
