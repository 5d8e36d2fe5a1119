//! Print, sleep one second without blocking, print.
//!
//! Run with `cargo run -p weft-docs --example hello_world`.

use weft_docs::{scenarios, Output};

#[weft::main]
async fn main() {
    scenarios::hello_world::run(&Output::stdout()).await;
}
