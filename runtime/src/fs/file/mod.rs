//! `File`: an open file whose reads, writes and seeks run on the blocking
//! pool.
//!
//! # How a file moves data
//!
//! A `File` has at most one operation in flight on the blocking pool, and
//! one [`Buf`] that travels with it:
//!
//! * `Idle(buf)`: nothing in flight. `buf` holds bytes read ahead and not
//!   yet handed to the reader, or nothing.
//! * `Busy(handle)`: a blocking task owns the buffer and the clone of the
//!   `std::fs::File` it works on; it gives the buffer back with the
//!   operation's result.
//!
//! A read that finds the buffer empty sends it to fetch
//! `max(wanted, READ_AHEAD)` bytes (capped by the maximum buffer size), so
//! a run of small reads costs one trip to the blocking pool per
//! [`READ_AHEAD`] bytes. A write copies up to the maximum buffer size of the
//! caller's bytes into the buffer, starts writing them in the background
//! and reports them written at once. A write's error is kept and returned
//! by the next write or `flush`.
//!
//! # Streaming writes
//!
//! While a write is in flight, further writes do not wait for it: they
//! append to the [`Pipeline`]'s `pending` bytes (up to the maximum buffer
//! size), and the blocking task, once its own buffer is written, takes the
//! pending bytes and writes them too, until it finds none. So a long run
//! of writes costs one trip to the blocking pool per full pipeline, not
//! one per `write` call. The pipeline's `open` flag says whether a
//! blocking task will still look at `pending`: it is set when the write is
//! started and cleared by the task, under the pipeline's lock, in the same
//! step in which it finds `pending` empty. A writer appends only while
//! `open` is set, so every appended byte is written (in order, after the
//! bytes before it), even if the `File` is dropped; once `open` is clear
//! the writer waits for the task to finish and starts a new write.
//!
//! Because the OS cursor runs ahead of the reader by the read-ahead bytes,
//! a write or seek after a read first moves the cursor back by the unread
//! amount (in the same blocking trip).
//!
//! Dropping a `File` never cancels a started write: the blocking task
//! finishes it on its own. Call `flush` (or `sync_all`) to learn whether it
//! succeeded.

mod buf;

use self::buf::Buf;
use super::{asyncify, blocking_failed};
use crate::loom::sync::{Arc, Mutex as SyncMutex};
use crate::sync::Mutex;
use crate::task::JoinHandle;
use std::fmt;
use std::fs::{FileTimes, Metadata, Permissions};
use std::future::{poll_fn, Future};
use std::io::{self, Seek, SeekFrom};
use std::path::Path;
use std::pin::Pin;
use std::task::{ready, Context, Poll};
use tokio::io::{AsyncRead, AsyncSeek, AsyncWrite, ReadBuf};
use weft_scheduler::coop;

/// Largest buffer a file moves in one blocking trip unless changed with
/// [`File::set_max_buf_size`]: 2 MiB.
pub(crate) const DEFAULT_MAX_BUF_SIZE: usize = 2 * 1024 * 1024;

/// Least number of bytes a read asks the OS for, so that small reads are
/// served from memory.
pub(crate) const READ_AHEAD: usize = 16 * 1024;

/// An open file on the file system, for async code.
///
/// Implements [`AsyncRead`](crate::io::AsyncRead),
/// [`AsyncWrite`](crate::io::AsyncWrite) and
/// [`AsyncSeek`](crate::io::AsyncSeek); use the extension traits in
/// [`weft::io`](crate::io) for `read_to_end`, `write_all`, `seek` and the
/// rest. Each operation runs on the runtime's blocking pool.
///
/// Writes are buffered: `write` returns once the bytes are copied and the
/// actual write runs in the background. A write that has started is
/// completed even if the `File` is dropped, but its error can then no
/// longer be seen; call [`flush`](crate::io::AsyncWriteExt::flush) before
/// dropping to learn it. Reads fetch at least 16 KiB at a time.
///
/// # Examples
///
/// ```
/// use weft::fs::File;
/// use weft::io::{AsyncReadExt, AsyncSeekExt, AsyncWriteExt};
///
/// #[weft::main]
/// async fn main() -> std::io::Result<()> {
///     let path = std::env::temp_dir().join(format!("weft-file-doc-{}", std::process::id()));
///     let mut file = File::create(&path).await?;
///     file.write_all(b"hello, world").await?;
///     file.flush().await?;
///     drop(file);
///
///     let mut file = File::open(&path).await?;
///     file.seek(std::io::SeekFrom::Start(7)).await?;
///     let mut rest = String::new();
///     file.read_to_string(&mut rest).await?;
///     assert_eq!(rest, "world");
///     weft::fs::remove_file(&path).await?;
///     Ok(())
/// }
/// ```
pub struct File {
    std: Arc<std::fs::File>,
    inner: Mutex<Inner>,
    max_buf_size: usize,
}

struct Inner {
    state: State,
    /// Bytes accepted while a write is in flight; see the module docs.
    pipeline: Arc<SyncMutex<Pipeline>>,
    /// The error of a background write, returned by the next write or
    /// flush.
    last_write_err: Option<io::Error>,
    /// The cursor position after the last seek.
    pos: u64,
}

#[derive(Default)]
struct Pipeline {
    pending: Vec<u8>,
    /// True while a blocking write will still take `pending`.
    open: bool,
}

enum State {
    /// `None` only while a method moves the buffer out.
    Idle(Option<Buf>),
    Busy(JoinHandle<(Operation, Buf)>),
}

enum Operation {
    Read(io::Result<usize>),
    Write(io::Result<()>),
    Seek(io::Result<u64>),
}

impl File {
    /// Opens the file at `path` for reading.
    ///
    /// # Errors
    ///
    /// The operating system's error: `NotFound` for a missing file,
    /// `PermissionDenied`, and so on.
    ///
    /// ```
    /// #[weft::main]
    /// async fn main() {
    ///     let err = weft::fs::File::open("/definitely/not/here").await.unwrap_err();
    ///     assert_eq!(err.kind(), std::io::ErrorKind::NotFound);
    /// }
    /// ```
    pub async fn open(path: impl AsRef<Path>) -> io::Result<File> {
        let path = path.as_ref().to_owned();
        let std = asyncify(move || std::fs::File::open(path)).await?;
        Ok(File::from_std(std))
    }

    /// Opens the file at `path` for writing, creating it if missing and
    /// truncating it if present.
    ///
    /// # Errors
    ///
    /// The operating system's error.
    pub async fn create(path: impl AsRef<Path>) -> io::Result<File> {
        let path = path.as_ref().to_owned();
        let std = asyncify(move || std::fs::File::create(path)).await?;
        Ok(File::from_std(std))
    }

    /// Creates a new file at `path` for reading and writing, failing with
    /// `AlreadyExists` if something is already there.
    ///
    /// # Errors
    ///
    /// `AlreadyExists`, or another error of the operating system.
    pub async fn create_new(path: impl AsRef<Path>) -> io::Result<File> {
        super::OpenOptions::new().read(true).write(true).create_new(true).open(path).await
    }

    /// An [`OpenOptions`](super::OpenOptions) to open a file with other
    /// options.
    pub fn options() -> super::OpenOptions {
        super::OpenOptions::new()
    }

    /// Wraps a `std` file. Its cursor is used as it is.
    pub fn from_std(std: std::fs::File) -> File {
        File {
            std: Arc::new(std),
            inner: Mutex::new(Inner {
                state: State::Idle(Some(Buf::new())),
                pipeline: Arc::new(SyncMutex::new(Pipeline::default())),
                last_write_err: None,
                pos: 0,
            }),
            max_buf_size: DEFAULT_MAX_BUF_SIZE,
        }
    }

    /// Waits for the operation in flight, then flushes the OS buffers of
    /// data and metadata to the device; see [`std::fs::File::sync_all`].
    ///
    /// # Errors
    ///
    /// The error of a background write not yet reported, or the operating
    /// system's error.
    pub async fn sync_all(&self) -> io::Result<()> {
        let mut inner = self.inner.lock().await;
        inner.complete_inflight().await;
        inner.take_write_error()?;
        let std = self.std.clone();
        asyncify(move || std.sync_all()).await
    }

    /// Like [`sync_all`](Self::sync_all), but metadata that reading the
    /// file does not need (such as the modification time) may stay unsynced;
    /// see [`std::fs::File::sync_data`].
    ///
    /// # Errors
    ///
    /// As for [`sync_all`](Self::sync_all).
    pub async fn sync_data(&self) -> io::Result<()> {
        let mut inner = self.inner.lock().await;
        inner.complete_inflight().await;
        inner.take_write_error()?;
        let std = self.std.clone();
        asyncify(move || std.sync_data()).await
    }

    /// Truncates or extends the file to `size` bytes, after the operation
    /// in flight; see [`std::fs::File::set_len`]. The cursor is not moved.
    ///
    /// # Errors
    ///
    /// The error of a background write not yet reported, or the operating
    /// system's error.
    pub async fn set_len(&self, size: u64) -> io::Result<()> {
        let mut inner = self.inner.lock().await;
        inner.complete_inflight().await;
        inner.take_write_error()?;
        let mut buf = inner.take_idle_buf();
        let rewind = buf.discard_read();
        let std = self.std.clone();
        let (result, buf) = asyncify(move || {
            let result = rewind_by(&std, rewind).and_then(|()| std.set_len(size));
            Ok((result, buf))
        })
        .await?;
        inner.state = State::Idle(Some(buf));
        result
    }

    /// The file's metadata; see [`std::fs::File::metadata`].
    ///
    /// # Errors
    ///
    /// The operating system's error.
    pub async fn metadata(&self) -> io::Result<Metadata> {
        let std = self.std.clone();
        asyncify(move || std.metadata()).await
    }

    /// A second `File` for the same open file (sharing its cursor), made
    /// after the operation in flight completes; see
    /// [`std::fs::File::try_clone`].
    ///
    /// # Errors
    ///
    /// The operating system's error.
    pub async fn try_clone(&self) -> io::Result<File> {
        let mut inner = self.inner.lock().await;
        inner.complete_inflight().await;
        let std = self.std.clone();
        let clone = asyncify(move || std.try_clone()).await?;
        Ok(File::from_std(clone))
    }

    /// Waits for the operation in flight and gives back the `std` file,
    /// with its cursor where this file's reader stands.
    ///
    /// # Panics
    ///
    /// Panics if another operation of this file (`metadata` from another
    /// task, say) still holds the file.
    pub async fn into_std(mut self) -> std::fs::File {
        let inner = self.inner.get_mut();
        inner.complete_inflight().await;
        inner.rewind_read_ahead(&self.std);
        Arc::try_unwrap(self.std).expect("File::into_std: another operation on this file is still running")
    }

    /// Gives back the `std` file at once if no operation is in flight or
    /// holds the file; otherwise gives `self` back.
    ///
    /// # Errors
    ///
    /// `self`, unchanged, when an operation is in flight.
    pub fn try_into_std(mut self) -> Result<std::fs::File, File> {
        let inner = self.inner.get_mut();
        if matches!(inner.state, State::Busy(_)) {
            return Err(self);
        }
        inner.rewind_read_ahead(&self.std);
        let File { std, inner, max_buf_size } = self;
        Arc::try_unwrap(std).map_err(|std| File { std, inner, max_buf_size })
    }

    /// Changes the permissions of the file; see
    /// [`std::fs::File::set_permissions`].
    ///
    /// # Errors
    ///
    /// The operating system's error.
    pub async fn set_permissions(&self, perm: Permissions) -> io::Result<()> {
        let std = self.std.clone();
        asyncify(move || std.set_permissions(perm)).await
    }

    /// Changes the file's access and modification times; see
    /// [`std::fs::File::set_times`].
    ///
    /// # Errors
    ///
    /// The operating system's error.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::fs::FileTimes;
    /// use std::time::{Duration, SystemTime};
    ///
    /// #[weft::main]
    /// async fn main() -> std::io::Result<()> {
    ///     let dir = std::env::temp_dir().join(format!("weft-set-times-{}", std::process::id()));
    ///     weft::fs::create_dir_all(&dir).await?;
    ///     let file = weft::fs::File::create(dir.join("stamp")).await?;
    ///     let then = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000_000);
    ///     file.set_times(FileTimes::new().set_modified(then)).await?;
    ///     assert_eq!(file.metadata().await?.modified()?, then);
    ///     weft::fs::remove_dir_all(&dir).await?;
    ///     Ok(())
    /// }
    /// ```
    pub async fn set_times(&self, times: FileTimes) -> io::Result<()> {
        let std = self.std.clone();
        asyncify(move || std.set_times(times)).await
    }

    /// Sets the largest number of bytes one read or write moves through the
    /// blocking pool (2 MiB by default). Larger values cost memory and make
    /// fewer trips.
    pub fn set_max_buf_size(&mut self, max_buf_size: usize) {
        self.max_buf_size = max_buf_size.max(1);
    }

    /// The largest number of bytes one read or write moves through the
    /// blocking pool; see [`set_max_buf_size`](Self::set_max_buf_size).
    ///
    /// ```
    /// # #[weft::main]
    /// # async fn main() -> std::io::Result<()> {
    /// let mut file = weft::fs::File::open("Cargo.toml").await?;
    /// assert_eq!(file.max_buf_size(), 2 * 1024 * 1024);
    /// file.set_max_buf_size(64 * 1024);
    /// assert_eq!(file.max_buf_size(), 64 * 1024);
    /// # Ok(())
    /// # }
    /// ```
    pub fn max_buf_size(&self) -> usize {
        self.max_buf_size
    }
}

/// Moves the cursor of `std` by `offset` (zero or negative) if non-zero.
fn rewind_by(mut file: &std::fs::File, offset: i64) -> io::Result<()> {
    if offset != 0 {
        file.seek(SeekFrom::Current(offset))?;
    }
    Ok(())
}

/// The tail of a blocking write: writes the bytes appended to `pipeline`
/// meanwhile, until there are none, then closes it (see the module docs).
/// After an error the pending bytes are dropped and the error returned.
fn drain_pipeline(file: &std::fs::File, pipeline: &SyncMutex<Pipeline>, mut result: io::Result<()>) -> io::Result<()> {
    let mut batch = Vec::new();
    loop {
        {
            let mut pipeline = pipeline.lock();
            if result.is_err() || pipeline.pending.is_empty() {
                pipeline.open = false;
                pipeline.pending.clear();
                if pipeline.pending.capacity() < batch.capacity() {
                    // Keep the larger allocation for the next run.
                    std::mem::swap(&mut pipeline.pending, &mut batch);
                }
                return result;
            }
            std::mem::swap(&mut pipeline.pending, &mut batch);
        }
        result = io::Write::write_all(&mut &*file, &batch);
        batch.clear();
    }
}

fn spawn_op<F>(f: F) -> JoinHandle<(Operation, Buf)>
where
    F: FnOnce() -> (Operation, Buf) + Send + 'static,
{
    crate::runtime::context::current().spawn_blocking(f)
}

impl Inner {
    /// Waits for the operation in flight, keeping a write error for later.
    async fn complete_inflight(&mut self) {
        poll_fn(|cx| self.poll_complete_inflight(cx)).await;
    }

    fn poll_complete_inflight(&mut self, cx: &mut Context<'_>) -> Poll<()> {
        loop {
            match self.poll_busy(cx) {
                Poll::Ready(Ok(None)) => return Poll::Ready(()),
                Poll::Ready(Ok(Some(Operation::Write(Err(e))))) => self.last_write_err = Some(e),
                Poll::Ready(_) => {}
                Poll::Pending => return Poll::Pending,
            }
        }
    }

    /// If busy, waits for the operation and returns it (the state is then
    /// idle); if idle, returns `None`.
    fn poll_busy(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<Option<Operation>>> {
        let State::Busy(handle) = &mut self.state else { return Poll::Ready(Ok(None)) };
        let result = ready!(Pin::new(handle).poll(cx));
        match result {
            Ok((op, buf)) => {
                if let Operation::Seek(Ok(pos)) = op {
                    self.pos = pos;
                }
                self.state = State::Idle(Some(buf));
                Poll::Ready(Ok(Some(op)))
            }
            Err(e) => {
                self.state = State::Idle(Some(Buf::new()));
                // The task never ran (or died): nothing takes these bytes.
                let mut pipeline = self.pipeline.lock();
                pipeline.open = false;
                pipeline.pending.clear();
                Poll::Ready(Err(blocking_failed(e)))
            }
        }
    }

    fn take_write_error(&mut self) -> io::Result<()> {
        self.last_write_err.take().map_or(Ok(()), Err)
    }

    fn take_idle_buf(&mut self) -> Buf {
        match &mut self.state {
            State::Idle(buf) => buf.take().unwrap_or_default(),
            State::Busy(_) => unreachable!("the file is idle after complete_inflight"),
        }
    }

    /// Moves the OS cursor back over bytes read ahead and not consumed
    /// (best effort; a file that cannot seek has no read-ahead to undo in
    /// practice). A cheap call that never blocks on the device.
    fn rewind_read_ahead(&mut self, std: &std::fs::File) {
        if let State::Idle(Some(buf)) = &mut self.state {
            let _ = rewind_by(std, buf.discard_read());
        }
    }
}

impl AsyncRead for File {
    fn poll_read(self: Pin<&mut Self>, cx: &mut Context<'_>, dst: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        let restore = ready!(coop::poll_proceed(cx));
        let me = self.get_mut();
        let inner = me.inner.get_mut();
        loop {
            match &mut inner.state {
                State::Idle(slot) => {
                    let mut buf = slot.take().unwrap_or_default();
                    if !buf.is_empty() || dst.remaining() == 0 {
                        buf.copy_to(dst);
                        *slot = Some(buf);
                        restore.made_progress();
                        return Poll::Ready(Ok(()));
                    }
                    let want = dst.remaining().max(READ_AHEAD).min(me.max_buf_size);
                    let std = me.std.clone();
                    inner.state = State::Busy(spawn_op(move || {
                        let result = buf.read_from(&*std, want);
                        (Operation::Read(result), buf)
                    }));
                }
                State::Busy(_) => match ready!(inner.poll_busy(cx))? {
                    Some(Operation::Read(Ok(_))) => {
                        let State::Idle(Some(buf)) = &mut inner.state else { unreachable!() };
                        buf.copy_to(dst);
                        restore.made_progress();
                        return Poll::Ready(Ok(()));
                    }
                    Some(Operation::Read(Err(e))) => {
                        restore.made_progress();
                        return Poll::Ready(Err(e));
                    }
                    Some(Operation::Write(Err(e))) => inner.last_write_err = Some(e),
                    Some(Operation::Write(Ok(()))) | Some(Operation::Seek(_)) | None => {}
                },
            }
        }
    }
}

impl AsyncWrite for File {
    fn poll_write(self: Pin<&mut Self>, cx: &mut Context<'_>, src: &[u8]) -> Poll<io::Result<usize>> {
        let restore = ready!(coop::poll_proceed(cx));
        let me = self.get_mut();
        let inner = me.inner.get_mut();
        loop {
            match &mut inner.state {
                State::Idle(slot) => {
                    if let Some(e) = inner.last_write_err.take() {
                        restore.made_progress();
                        return Poll::Ready(Err(e));
                    }
                    let mut buf = slot.take().unwrap_or_default();
                    let rewind = buf.discard_read();
                    let n = buf.copy_from(src, me.max_buf_size);
                    let std = me.std.clone();
                    let pipeline = inner.pipeline.clone();
                    pipeline.lock().open = true;
                    inner.state = State::Busy(spawn_op(move || {
                        let result = rewind_by(&std, rewind).and_then(|()| buf.write_to(&*std));
                        let result = drain_pipeline(&std, &pipeline, result);
                        (Operation::Write(result), buf)
                    }));
                    restore.made_progress();
                    return Poll::Ready(Ok(n));
                }
                State::Busy(_) => {
                    {
                        let mut pipeline = inner.pipeline.lock();
                        let room = me.max_buf_size.saturating_sub(pipeline.pending.len());
                        if pipeline.open && room > 0 && !src.is_empty() {
                            let n = room.min(src.len());
                            pipeline.pending.extend_from_slice(&src[..n]);
                            restore.made_progress();
                            return Poll::Ready(Ok(n));
                        }
                    }
                    if let Some(Operation::Write(Err(e))) = ready!(inner.poll_busy(cx))? {
                        inner.last_write_err = Some(e);
                    }
                }
            }
        }
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let inner = self.get_mut().inner.get_mut();
        ready!(inner.poll_complete_inflight(cx));
        Poll::Ready(inner.take_write_error())
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.poll_flush(cx)
    }
}

impl AsyncSeek for File {
    fn start_seek(self: Pin<&mut Self>, mut position: SeekFrom) -> io::Result<()> {
        let me = self.get_mut();
        let inner = me.inner.get_mut();
        let State::Idle(slot) = &mut inner.state else {
            return Err(io::Error::other(
                "another operation of this file is still running: call poll_complete before start_seek",
            ));
        };
        let mut buf = slot.take().unwrap_or_default();
        if let SeekFrom::Current(offset) = &mut position {
            // The reader stands behind the OS cursor by the unread bytes.
            *offset += buf.discard_read();
        } else {
            buf.discard_read();
        }
        let std = me.std.clone();
        inner.state = State::Busy(spawn_op(move || {
            let result = (&*std).seek(position);
            (Operation::Seek(result), buf)
        }));
        Ok(())
    }

    fn poll_complete(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<u64>> {
        let inner = self.get_mut().inner.get_mut();
        loop {
            match ready!(inner.poll_busy(cx))? {
                None => return Poll::Ready(Ok(inner.pos)),
                Some(Operation::Seek(result)) => return Poll::Ready(result),
                Some(Operation::Write(Err(e))) => inner.last_write_err = Some(e),
                Some(Operation::Write(Ok(()))) | Some(Operation::Read(_)) => {}
            }
        }
    }
}

impl From<std::fs::File> for File {
    fn from(std: std::fs::File) -> Self {
        File::from_std(std)
    }
}

#[cfg(unix)]
impl std::os::fd::AsRawFd for File {
    fn as_raw_fd(&self) -> std::os::fd::RawFd {
        self.std.as_raw_fd()
    }
}

#[cfg(unix)]
impl std::os::fd::AsFd for File {
    fn as_fd(&self) -> std::os::fd::BorrowedFd<'_> {
        self.std.as_fd()
    }
}

impl fmt::Debug for File {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("File").field("std", &self.std).field("max_buf_size", &self.max_buf_size).finish()
    }
}

#[cfg(test)]
mod tests;
