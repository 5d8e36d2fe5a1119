//! A blocking call on the blocking pool next to two async tasks.
//!
//! Run with `cargo run -p weft-docs --example to_thread`.

use weft_docs::{scenarios, Output};
use std::time::Duration;

#[weft::main]
async fn main() {
    scenarios::to_thread::run(&Output::stdout(), Duration::from_secs(2)).await;
}
