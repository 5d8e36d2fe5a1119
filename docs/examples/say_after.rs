//! Two tasks that say something after 1 s and 2 s: the program takes 2 s, not 3 s.
//!
//! Run with `cargo run -p weft-docs --example say_after`.

use weft_docs::{scenarios, Output};

#[weft::main]
async fn main() {
    scenarios::say_after::run(&Output::stdout()).await;
}
