//! A future does nothing until it is awaited (the documents' `fetch_data`).
//!
//! In Python, calling a coroutine function returns a coroutine object and
//! runs none of its body. A Rust `async fn` behaves the same way: the call
//! builds a future, and the body starts only when the future is polled
//! (awaited, spawned or passed to `block_on`).

use crate::Output;

async fn fetch_data(out: Output) -> &'static str {
    out.line("Starting to fetch data...");
    out.line("Data fetched!");
    "Here's your data"
}

/// Creates the future, shows that nothing ran, then awaits it.
///
/// Returns the awaited result.
pub async fn run(out: &Output) -> &'static str {
    let future = fetch_data(out.clone());
    out.line("created the future; its body has not run yet");
    let result = future.await;
    out.line(format!("Got result: {result}"));
    result
}
