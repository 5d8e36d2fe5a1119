//! File system and child-process benches: weft's `fs` and `process`
//! against tokio's and smol's (`async-fs`, `async-process`), on the same
//! number of worker threads.
//!
//! Run with `cargo bench -p weft-benches --bench fs_process`; a name after
//! `--` runs only the cases that contain it. The table printed at the end
//! holds the median time per iteration and the ratios weft/tokio and
//! weft/smol.
//!
//! Cases:
//!
//! * `read_1000_small_files`: 1 000 tasks each read a 1 KiB file (one
//!   blocking-pool trip each in every runtime).
//! * `small_reads_1mib`: one task reads a 1 MiB file 64 bytes at a time.
//!   weft fetches 16 KiB per blocking-pool trip; tokio fetches what each
//!   read asks for. This is the case where batching per trip shows.
//! * `write_256mib`: one task writes a 256 MiB file in 64 KiB chunks and
//!   flushes it.
//! * `spawn_wait_200_true`: 200 `true` processes spawned at once and
//!   waited for.
//!
//! Files live in a fresh directory under the system temporary directory,
//! removed at the end.

use std::path::{Path, PathBuf};
use std::time::Duration;
use weft_benches::{tokio_runtime, weft_runtime, workers, Harness, Runner, SmolRuntime};

/// Files in the many-small-files case, and their size.
const SMALL_FILES: usize = 1_000;
const SMALL_FILE_LEN: usize = 1_024;
/// The file read in small pieces, and the piece size.
const SMALL_READS_LEN: usize = 1024 * 1024;
const SMALL_READ: usize = 64;
/// The big write: total size and chunk size.
const BIG_WRITE_LEN: usize = 256 * 1024 * 1024;
const CHUNK: usize = 64 * 1024;
/// Children per process iteration.
const CHILDREN: usize = 200;

fn main() {
    let n = workers();
    let weft = weft_runtime(n);
    let tokio = tokio_runtime(n);
    let smol = SmolRuntime::new(n);
    let dir = std::env::temp_dir().join(format!("weft-bench-fs-{}", std::process::id()));
    let small = dir.join("small");
    std::fs::create_dir_all(&small).expect("create the bench directory");
    for i in 0..SMALL_FILES {
        std::fs::write(small.join(i.to_string()), vec![i as u8; SMALL_FILE_LEN]).unwrap();
    }
    let one_mib = dir.join("one_mib");
    std::fs::write(&one_mib, vec![7u8; SMALL_READS_LEN]).unwrap();
    let big = dir.join("big");
    let chunk = vec![0x5au8; CHUNK];

    // The big write dominates the run time: short criterion windows keep
    // the whole binary within about three minutes.
    let mut h = Harness::with_times(
        "fs_process",
        Duration::from_millis(500),
        Duration::from_secs(2),
    );

    h.bench(
        "read_1000_small_files",
        &mut [
            Runner::new("weft", || {
                weft.block_on(weft.spawn(weft_read_many(small.clone())))
                    .unwrap()
            }),
            Runner::new("tokio", || {
                tokio
                    .block_on(tokio.spawn(tokio_read_many(small.clone())))
                    .unwrap()
            }),
            Runner::new("smol", || {
                let ex = smol.executor().clone();
                smol.block_on(smol.spawn(smol_read_many(ex, small.clone())))
            }),
        ],
    );
    h.bench(
        "small_reads_1mib",
        &mut [
            Runner::new("weft", || {
                weft.block_on(weft.spawn(weft_small_reads(one_mib.clone())))
                    .unwrap()
            }),
            Runner::new("tokio", || {
                tokio
                    .block_on(tokio.spawn(tokio_small_reads(one_mib.clone())))
                    .unwrap()
            }),
            Runner::new("smol", || {
                smol.block_on(smol.spawn(smol_small_reads(one_mib.clone())))
            }),
        ],
    );
    h.bench(
        "write_256mib",
        &mut [
            Runner::new("weft", || {
                let (path, chunk) = (big.clone(), chunk.clone());
                weft.block_on(weft.spawn(weft_big_write(path, chunk)))
                    .unwrap()
            }),
            Runner::new("tokio", || {
                let (path, chunk) = (big.clone(), chunk.clone());
                tokio
                    .block_on(tokio.spawn(tokio_big_write(path, chunk)))
                    .unwrap()
            }),
            Runner::new("smol", || {
                smol.block_on(smol.spawn(smol_big_write(big.clone(), chunk.clone())))
            }),
        ],
    );
    h.bench(
        "spawn_wait_200_true",
        &mut [
            Runner::new("weft", || {
                weft.block_on(weft.spawn(weft_children())).unwrap()
            }),
            Runner::new("tokio", || {
                tokio.block_on(tokio.spawn(tokio_children())).unwrap()
            }),
            Runner::new("smol", || {
                let ex = smol.executor().clone();
                smol.block_on(smol.spawn(smol_children(ex)))
            }),
        ],
    );
    h.finish();
    let _ = std::fs::remove_dir_all(&dir);
}

fn file(dir: &Path, i: usize) -> PathBuf {
    dir.join(i.to_string())
}

async fn weft_read_many(dir: PathBuf) {
    let tasks: Vec<_> = (0..SMALL_FILES)
        .map(|i| {
            let path = file(&dir, i);
            weft::spawn(async move { weft::fs::read(path).await.unwrap().len() })
        })
        .collect();
    for task in tasks {
        assert_eq!(task.await.unwrap(), SMALL_FILE_LEN);
    }
}

async fn tokio_read_many(dir: PathBuf) {
    let tasks: Vec<_> = (0..SMALL_FILES)
        .map(|i| {
            let path = file(&dir, i);
            tokio::spawn(async move { tokio::fs::read(path).await.unwrap().len() })
        })
        .collect();
    for task in tasks {
        assert_eq!(task.await.unwrap(), SMALL_FILE_LEN);
    }
}

async fn smol_read_many(ex: std::sync::Arc<smol::Executor<'static>>, dir: PathBuf) {
    let tasks: Vec<_> = (0..SMALL_FILES)
        .map(|i| {
            let path = file(&dir, i);
            ex.spawn(async move { smol::fs::read(path).await.unwrap().len() })
        })
        .collect();
    for task in tasks {
        assert_eq!(task.await, SMALL_FILE_LEN);
    }
}

async fn weft_small_reads(path: PathBuf) {
    use weft::io::AsyncReadExt;
    let mut file = weft::fs::File::open(path).await.unwrap();
    let mut piece = [0u8; SMALL_READ];
    let mut total = 0;
    loop {
        let n = file.read(&mut piece).await.unwrap();
        if n == 0 {
            break;
        }
        total += n;
    }
    assert_eq!(total, SMALL_READS_LEN);
}

async fn tokio_small_reads(path: PathBuf) {
    use tokio::io::AsyncReadExt;
    let mut file = tokio::fs::File::open(path).await.unwrap();
    let mut piece = [0u8; SMALL_READ];
    let mut total = 0;
    loop {
        let n = file.read(&mut piece).await.unwrap();
        if n == 0 {
            break;
        }
        total += n;
    }
    assert_eq!(total, SMALL_READS_LEN);
}

async fn smol_small_reads(path: PathBuf) {
    use smol::io::AsyncReadExt;
    let mut file = smol::fs::File::open(path).await.unwrap();
    let mut piece = [0u8; SMALL_READ];
    let mut total = 0;
    loop {
        let n = file.read(&mut piece).await.unwrap();
        if n == 0 {
            break;
        }
        total += n;
    }
    assert_eq!(total, SMALL_READS_LEN);
}

async fn weft_big_write(path: PathBuf, chunk: Vec<u8>) {
    use weft::io::AsyncWriteExt;
    let mut file = weft::fs::File::create(path).await.unwrap();
    for _ in 0..BIG_WRITE_LEN / CHUNK {
        file.write_all(&chunk).await.unwrap();
    }
    file.flush().await.unwrap();
}

async fn tokio_big_write(path: PathBuf, chunk: Vec<u8>) {
    use tokio::io::AsyncWriteExt;
    let mut file = tokio::fs::File::create(path).await.unwrap();
    for _ in 0..BIG_WRITE_LEN / CHUNK {
        file.write_all(&chunk).await.unwrap();
    }
    file.flush().await.unwrap();
}

async fn smol_big_write(path: PathBuf, chunk: Vec<u8>) {
    use smol::io::AsyncWriteExt;
    let mut file = smol::fs::File::create(path).await.unwrap();
    for _ in 0..BIG_WRITE_LEN / CHUNK {
        file.write_all(&chunk).await.unwrap();
    }
    file.flush().await.unwrap();
}

async fn weft_children() {
    let tasks: Vec<_> = (0..CHILDREN)
        .map(|_| {
            let mut child = weft::process::Command::new("true").spawn().unwrap();
            weft::spawn(async move { child.wait().await.unwrap().success() })
        })
        .collect();
    for task in tasks {
        assert!(task.await.unwrap());
    }
}

async fn tokio_children() {
    let tasks: Vec<_> = (0..CHILDREN)
        .map(|_| {
            let mut child = tokio::process::Command::new("true").spawn().unwrap();
            tokio::spawn(async move { child.wait().await.unwrap().success() })
        })
        .collect();
    for task in tasks {
        assert!(task.await.unwrap());
    }
}

async fn smol_children(ex: std::sync::Arc<smol::Executor<'static>>) {
    let tasks: Vec<_> = (0..CHILDREN)
        .map(|_| {
            let mut child = smol::process::Command::new("true").spawn().unwrap();
            ex.spawn(async move { child.status().await.unwrap().success() })
        })
        .collect();
    for task in tasks {
        assert!(task.await);
    }
}
