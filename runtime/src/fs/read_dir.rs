//! `read_dir`: the entries of a directory, fetched in batches.
//!
//! Each trip to the blocking pool reads up to [`BATCH`] entries (and their
//! file types, which the directory listing usually carries for free), so a
//! directory of a thousand entries costs about thirty trips, not a
//! thousand.

use super::{asyncify, blocking_failed};
use crate::loom::sync::Arc;
use crate::task::JoinHandle;
use std::collections::VecDeque;
use std::ffi::OsString;
use std::fmt;
use std::fs::{FileType, Metadata};
use std::future::{poll_fn, Future};
use std::io;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::task::{ready, Context, Poll};
use weft_scheduler::coop;

/// Entries fetched per trip to the blocking pool.
const BATCH: usize = 32;

/// Starts reading the entries of the directory at `path`; see
/// [`std::fs::read_dir`]. The entries `.` and `..` are skipped; the order is
/// the file system's.
///
/// # Errors
///
/// The operating system's error: `NotFound`, `NotADirectory`, and so on.
///
/// # Examples
///
/// ```
/// #[weft::main]
/// async fn main() -> std::io::Result<()> {
///     let dir = std::env::temp_dir().join(format!("weft-read-dir-{}", std::process::id()));
///     weft::fs::create_dir_all(&dir).await?;
///     weft::fs::write(dir.join("a.txt"), "a").await?;
///     let mut names = Vec::new();
///     let mut entries = weft::fs::read_dir(&dir).await?;
///     while let Some(entry) = entries.next_entry().await? {
///         names.push(entry.file_name());
///     }
///     assert_eq!(names, ["a.txt"]);
///     weft::fs::remove_dir_all(&dir).await?;
///     Ok(())
/// }
/// ```
pub async fn read_dir(path: impl AsRef<Path>) -> io::Result<ReadDir> {
    let path = path.as_ref().to_owned();
    let batch = asyncify(move || {
        let mut batch = Batch { entries: VecDeque::with_capacity(BATCH), dir: std::fs::read_dir(path)?, more: true };
        batch.fill();
        Ok(batch)
    })
    .await?;
    Ok(ReadDir { state: State::Idle(Some(batch)) })
}

/// The entries of a directory, from [`read_dir`].
///
/// Use [`next_entry`](Self::next_entry) in a loop, or
/// [`poll_next_entry`](Self::poll_next_entry) from a hand-written future.
pub struct ReadDir {
    state: State,
}

enum State {
    /// `None` only while a batch is being fetched from it.
    Idle(Option<Batch>),
    Pending(JoinHandle<Batch>),
}

/// Entries fetched and the directory handle they came from.
struct Batch {
    entries: VecDeque<io::Result<DirEntry>>,
    dir: std::fs::ReadDir,
    /// False once the directory handle returned its last entry.
    more: bool,
}

impl Batch {
    /// Reads up to [`BATCH`] more entries (blocking).
    fn fill(&mut self) {
        for _ in 0..BATCH {
            match self.dir.next() {
                Some(Ok(std)) => {
                    let file_type = std.file_type().ok();
                    self.entries.push_back(Ok(DirEntry { std: Arc::new(std), file_type }));
                }
                Some(Err(e)) => self.entries.push_back(Err(e)),
                None => {
                    self.more = false;
                    return;
                }
            }
        }
    }
}

impl ReadDir {
    /// The next entry, or `None` at the end of the directory.
    ///
    /// Cancel-safe: an entry is never lost by dropping this future.
    ///
    /// # Errors
    ///
    /// The operating system's error while reading the directory.
    pub async fn next_entry(&mut self) -> io::Result<Option<DirEntry>> {
        poll_fn(|cx| self.poll_next_entry(cx)).await
    }

    /// Polls for the next entry: `Ready(Ok(None))` at the end of the
    /// directory, `Pending` while a batch is being fetched (with `cx`'s
    /// waker stored).
    ///
    /// # Errors
    ///
    /// The operating system's error while reading the directory.
    pub fn poll_next_entry(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<Option<DirEntry>>> {
        let restore = ready!(coop::poll_proceed(cx));
        loop {
            match &mut self.state {
                State::Idle(slot) => {
                    let Some(batch) = slot.as_mut() else {
                        restore.made_progress();
                        return Poll::Ready(Ok(None));
                    };
                    if let Some(entry) = batch.entries.pop_front() {
                        restore.made_progress();
                        return Poll::Ready(entry.map(Some));
                    }
                    if !batch.more {
                        restore.made_progress();
                        return Poll::Ready(Ok(None));
                    }
                    let mut batch = slot.take().expect("checked above");
                    self.state = State::Pending(crate::runtime::context::current().spawn_blocking(move || {
                        batch.fill();
                        batch
                    }));
                }
                State::Pending(handle) => match ready!(Pin::new(handle).poll(cx)) {
                    Ok(batch) => self.state = State::Idle(Some(batch)),
                    Err(e) => {
                        // The directory handle was lost with the task: end here.
                        self.state = State::Idle(None);
                        restore.made_progress();
                        return Poll::Ready(Err(blocking_failed(e)));
                    }
                },
            }
        }
    }
}

impl fmt::Debug for ReadDir {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = match &self.state {
            State::Idle(Some(batch)) => format!("idle, {} entries buffered", batch.entries.len()),
            State::Idle(None) => "finished".to_owned(),
            State::Pending(_) => "fetching".to_owned(),
        };
        f.debug_struct("ReadDir").field("state", &state).finish()
    }
}

/// One entry of a directory, from [`ReadDir`].
///
/// Holds the entry's name and, usually, its file type (read with the
/// listing); [`metadata`](Self::metadata) asks the file system again.
pub struct DirEntry {
    std: Arc<std::fs::DirEntry>,
    file_type: Option<FileType>,
}

impl DirEntry {
    /// The full path of the entry: the path given to [`read_dir`] joined
    /// with the entry's name.
    pub fn path(&self) -> PathBuf {
        self.std.path()
    }

    /// The entry's name, without its directory.
    pub fn file_name(&self) -> OsString {
        self.std.file_name()
    }

    /// The entry's inode number, as the listing gave it.
    #[cfg(unix)]
    pub fn ino(&self) -> u64 {
        std::os::unix::fs::DirEntryExt::ino(&*self.std)
    }

    /// The entry's metadata, not following a symbolic link; see
    /// [`std::fs::DirEntry::metadata`].
    ///
    /// # Errors
    ///
    /// The operating system's error, for example `NotFound` if the entry
    /// was removed since it was listed.
    pub async fn metadata(&self) -> io::Result<Metadata> {
        let std = self.std.clone();
        asyncify(move || std.metadata()).await
    }

    /// The entry's file type, not following a symbolic link. Usually known
    /// from the listing already, without a trip to the blocking pool.
    ///
    /// # Errors
    ///
    /// The operating system's error.
    pub async fn file_type(&self) -> io::Result<FileType> {
        if let Some(file_type) = self.file_type {
            return Ok(file_type);
        }
        let std = self.std.clone();
        asyncify(move || std.file_type()).await
    }
}

impl fmt::Debug for DirEntry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("DirEntry").field(&self.path()).finish()
    }
}
