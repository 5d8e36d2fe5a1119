//! Writing a file and reading it back, then reading several files at once
//! (`aiofiles`, and `ThreadPoolExecutor` reading files).
//!
//! Operating systems have no readiness events for regular files, so
//! [`weft::fs`] runs each call on the blocking pool; the task that awaits it
//! leaves its thread free meanwhile. Reading several files concurrently is
//! a matter of spawning one task per file.

use crate::Output;
use std::io;
use std::path::Path;
use weft::task::JoinSet;

/// Writes `Welcome to the async world!` into `dir/sample.txt`, reads it
/// back, then writes `count` more files and reads them all concurrently.
/// Returns the text read first and the total bytes of the others.
///
/// # Errors
///
/// Any error of the file system.
pub async fn run(out: &Output, dir: &Path, count: usize) -> io::Result<(String, usize)> {
    let sample = dir.join("sample.txt");
    weft::fs::write(&sample, "Welcome to the async world!").await?;
    let content = weft::fs::read_to_string(&sample).await?;
    out.line(content.clone());

    for i in 0..count {
        weft::fs::write(dir.join(format!("file-{i}.txt")), "x".repeat(100 * (i + 1))).await?;
    }
    let mut reads = JoinSet::new();
    for i in 0..count {
        let path = dir.join(format!("file-{i}.txt"));
        reads.spawn(async move { weft::fs::read(path).await.map(|bytes| (i, bytes.len())) });
    }
    let mut sizes = vec![0; count];
    while let Some(done) = reads.join_next().await {
        let (i, len) = done.expect("a read task panicked")?;
        sizes[i] = len;
    }
    for (i, len) in sizes.iter().enumerate() {
        out.line(format!("file-{i}.txt: {len} bytes"));
    }
    Ok((content, sizes.iter().sum()))
}
