//! Setup and cleanup: an async connect, an async close, and Drop as the safety net.
//!
//! Run with `cargo run -p weft-docs --example context_manager`.

use weft_docs::{scenarios, Output};

#[weft::main]
async fn main() {
    scenarios::context_manager::run(&Output::stdout()).await;
}
