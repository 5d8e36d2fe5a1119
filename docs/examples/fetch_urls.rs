//! Fetch several URLs concurrently from a local HTTP server that takes one
//! second per request: all of them arrive after about one second.
//!
//! Run with `cargo run -p weft-docs --example fetch_urls`.

use std::time::Duration;
use weft_docs::{scenarios, Output};

#[weft::main]
async fn main() -> std::io::Result<()> {
    let paths = ["/posts/1", "/posts/2", "/posts/3", "/posts/4", "/posts/5", "/missing"];
    scenarios::fetch_urls::run(&Output::stdout(), &paths, Duration::from_secs(1)).await?;
    Ok(())
}
