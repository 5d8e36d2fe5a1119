//! Write a file and read it back, then read several files concurrently.
//!
//! Run with `cargo run -p weft-docs --example file_io`.

use weft_docs::{scenarios, Output};

#[weft::main]
async fn main() -> std::io::Result<()> {
    let dir = std::env::temp_dir().join(format!("weft-file-io-{}", std::process::id()));
    weft::fs::create_dir_all(&dir).await?;
    let result = scenarios::file_io::run(&Output::stdout(), &dir, 5).await;
    weft::fs::remove_dir_all(&dir).await?;
    result.map(drop)
}
