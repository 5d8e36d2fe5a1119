//! Spawn two tasks, then await them: they run concurrently (and the same with join!).
//!
//! Run with `cargo run -p weft-docs --example create_task`.

use weft_docs::{scenarios, Output};

#[weft::main]
async fn main() {
    let out = Output::stdout();
    out.line("-- spawned, then awaited --");
    scenarios::create_task::run(&out).await;
    out.line("-- with weft::join! --");
    scenarios::create_task::run_joined(&out).await;
}
