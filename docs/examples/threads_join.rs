//! Two OS threads started and joined.
//!
//! Run with `cargo run -p weft-docs --example threads_join`.

use std::time::Duration;
use weft_docs::{scenarios, Output};

fn main() {
    scenarios::threads_join::run(&Output::stdout(), Duration::from_secs(1));
}
