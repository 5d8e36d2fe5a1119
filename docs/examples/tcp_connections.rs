//! A server holding thousands of TCP connections at once on one thread.
//!
//! Run with `cargo run --release -p weft-docs --example tcp_connections [N]`
//! (default 2000; each connection uses two file descriptors, so check
//! `ulimit -n` before going higher).

use weft_docs::{scenarios, Output};

#[weft::main(flavor = "current_thread")]
async fn main() -> std::io::Result<()> {
    let n = std::env::args().nth(1).and_then(|n| n.parse().ok()).unwrap_or(2000);
    scenarios::tcp_connections::run(&Output::stdout(), n).await?;
    Ok(())
}
