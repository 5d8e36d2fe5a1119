//! Reading many files at once.

use super::{timed, unknown, Measured};
use crate::compare::{Scenario, Sizes};
use std::path::{Path, PathBuf};
use std::thread;

/// A directory of test files, removed on drop.
struct Fixture {
    dir: PathBuf,
    paths: Vec<PathBuf>,
}

impl Fixture {
    fn create(sizes: &Sizes) -> Result<Fixture, String> {
        let dir = std::env::temp_dir().join(format!("weft-compare-files-{}", std::process::id()));
        std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        let block: Vec<u8> = (0..sizes.file_kib * 1024).map(|i| (i % 251) as u8).collect();
        let paths = (0..sizes.files)
            .map(|i| {
                let path = dir.join(format!("file-{i}.bin"));
                std::fs::write(&path, &block).map(|()| path).map_err(|e| format!("cannot write a test file: {e}"))
            })
            .collect::<Result<_, _>>()?;
        Ok(Fixture { dir, paths })
    }
}

impl Drop for Fixture {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn read(path: &Path) -> usize {
    std::fs::read(path).map(|bytes| bytes.len()).unwrap_or(0)
}

/// Reads `files` files of `file_kib` KiB each (written beforehand, so they
/// are in the page cache: this measures the concurrency machinery, not
/// the disk).
pub(super) fn read_many(model: &str, sizes: &Sizes) -> Result<Measured, String> {
    let fixture = Fixture::create(sizes)?;
    let paths = fixture.paths.clone();
    let (wall, bytes) = match model {
        "sequential" => timed(|| paths.iter().map(|p| read(p)).sum::<usize>()),
        "threads" => timed(|| {
            let threads: Vec<_> = paths.iter().cloned().map(|p| thread::spawn(move || read(&p))).collect();
            threads.into_iter().map(|t| t.join().expect("a reading thread panicked")).sum()
        }),
        "weft-ct" | "weft-mt" => return weft_read(model, paths),
        _ => return Err(unknown(Scenario::Files, model)),
    };
    Ok(done(wall, bytes, sizes))
}

fn done(wall: std::time::Duration, bytes: usize, sizes: &Sizes) -> Measured {
    Measured {
        wall,
        units: sizes.files as u64,
        metric: Some(bytes as f64 / (1024.0 * 1024.0)),
        note: format!("{} files, {:.1} MiB read", sizes.files, bytes as f64 / (1024.0 * 1024.0)),
        ..Measured::default()
    }
}

fn weft_read(model: &str, paths: Vec<PathBuf>) -> Result<Measured, String> {
    let files = paths.len();
    let rt = super::runtime(model)?;
    let (wall, bytes) = timed(|| {
        rt.block_on(async {
            let tasks: Vec<_> = paths
                .into_iter()
                .map(|p| weft::spawn(async move { weft::fs::read(p).await.map(|b| b.len()).unwrap_or(0) }))
                .collect();
            let mut bytes = 0;
            for t in tasks {
                bytes += t.await.expect("a reading task panicked");
            }
            bytes
        })
    });
    let mib = bytes as f64 / (1024.0 * 1024.0);
    Ok(Measured {
        wall,
        units: files as u64,
        metric: Some(mib),
        note: format!("{files} files, {mib:.1} MiB read with weft::fs"),
        ..Measured::default()
    })
}

