//! A blocking call inside async code, measured: heartbeat gaps with the
//! call inline and with `spawn_blocking`.
//!
//! Run with `cargo run -p weft-docs --example blocking_damage`.

use std::time::Duration;
use weft_docs::{scenarios, Output};

#[weft::main(flavor = "current_thread")]
async fn main() {
    let out = Output::stdout();
    scenarios::blocking_damage::run(&out, Duration::from_millis(10), Duration::from_millis(300)).await;
}
