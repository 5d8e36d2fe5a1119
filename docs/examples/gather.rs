//! Join three jobs of 2 s, 1 s and 3 s: done in 3 s, results in the order listed.
//!
//! Run with `cargo run -p weft-docs --example gather`.

use weft_docs::{scenarios, Output};

#[weft::main]
async fn main() {
    scenarios::gather::run(&Output::stdout()).await;
}
