//! Unix pipes on the runtime's reactor: anonymous ones made by [`pipe`],
//! and the two ends of a FIFO (a named pipe in the file system) opened
//! with [`OpenOptions`].
//!
//! A [`Sender`] is the writing end and implements
//! [`AsyncWrite`](crate::io::AsyncWrite); a [`Receiver`] is the reading
//! end and implements [`AsyncRead`]. Each end is registered for its own
//! direction only.
//!
//! A pipe is a byte stream inside the kernel: bytes come out in the order
//! they went in, and a write of at most `PIPE_BUF` bytes (4096 on Linux)
//! is never interleaved with other writers' bytes. Once every sender is
//! closed and the buffered bytes are read, reads return `Ok(0)` (end of
//! stream); once every receiver is closed, writes fail with `BrokenPipe`.
//!
//! # Examples
//!
//! ```
//! use weft::io::{AsyncReadExt, AsyncWriteExt};
//! use weft::net::unix::pipe;
//!
//! #[weft::main]
//! async fn main() -> std::io::Result<()> {
//!     let (mut tx, mut rx) = pipe::pipe()?;
//!     weft::spawn(async move {
//!         tx.write_all(b"through the pipe").await.unwrap();
//!         // Dropping `tx` closes the writing end.
//!     });
//!     let mut got = String::new();
//!     rx.read_to_string(&mut got).await?;
//!     assert_eq!(got, "through the pipe");
//!     Ok(())
//! }
//! ```

use std::fs::File;
use std::io::{self, IoSlice, IoSliceMut};
use std::os::fd::{AsFd, OwnedFd};
use std::os::unix::fs::{FileTypeExt, OpenOptionsExt};
use std::path::Path;
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::BufMut;
use mio::unix::pipe as mio_pipe;
use tokio::io::{AsyncRead, ReadBuf};

use crate::io::evented::Evented;
use crate::io::{sys, Interest, Ready};

/// Creates an anonymous pipe and registers both ends with the current
/// runtime. To hand one end to a child process, turn it into a blocking
/// descriptor first ([`Sender::into_blocking_fd`],
/// [`Receiver::into_blocking_fd`]); for a child's standard streams,
/// [`Stdio::piped`](std::process::Stdio::piped) does the same job.
///
/// # Errors
///
/// If the system cannot create the pipe (`EMFILE`, ...) or register it.
///
/// # Panics
///
/// Outside a weft runtime, or on one built without I/O.
///
/// # Examples
///
/// ```
/// use weft::net::unix::pipe;
///
/// #[weft::main]
/// async fn main() -> std::io::Result<()> {
///     let (tx, rx) = pipe::pipe()?;
///     tx.writable().await?;
///     assert_eq!(tx.try_write(b"ping")?, 4);
///     rx.readable().await?;
///     let mut buf = [0; 8];
///     let n = rx.try_read(&mut buf)?;
///     assert_eq!(&buf[..n], b"ping");
///     Ok(())
/// }
/// ```
#[track_caller]
pub fn pipe() -> io::Result<(Sender, Receiver)> {
    // mio makes both ends non-blocking and close-on-exec.
    let (tx, rx) = mio_pipe::new()?;
    Ok((Sender::new(tx)?, Receiver::new(rx)?))
}

/// Which end of a pipe a descriptor is meant to be.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum End {
    Sender,
    Receiver,
}

/// How [`open_receiver`](Self::open_receiver) and
/// [`open_sender`](Self::open_sender) open a FIFO. Every option starts
/// out `false`.
///
/// The file is always opened non-blocking, so opening never waits for the
/// other end. For a receiver that means it opens even with no writer;
/// reads then wait until a writer has come and written or gone. For a
/// sender it means that opening a FIFO that no process has open for
/// reading fails with `ENXIO` (see [`Sender`] for a loop that waits for
/// a reader), unless [`read_write`](Self::read_write) is set.
///
/// # Examples
///
/// ```
/// use std::ffi::CString;
/// use std::os::unix::ffi::OsStrExt;
/// use weft::io::{AsyncReadExt, AsyncWriteExt};
/// use weft::net::unix::pipe;
///
/// #[weft::main]
/// async fn main() -> std::io::Result<()> {
///     let dir = tempfile::tempdir()?;
///     let path = dir.path().join("fifo");
///     let c_path = CString::new(path.as_os_str().as_bytes())?;
///     // SAFETY: `c_path` is a NUL-terminated string that outlives the call.
///     if unsafe { libc::mkfifo(c_path.as_ptr(), 0o600) } == -1 {
///         return Err(std::io::Error::last_os_error());
///     }
///
///     // The reading end first: opening the writing end needs a reader.
///     let mut rx = pipe::OpenOptions::new().open_receiver(&path)?;
///     let mut tx = pipe::OpenOptions::new().open_sender(&path)?;
///     tx.write_all(b"by name").await?;
///     drop(tx);
///     let mut got = Vec::new();
///     rx.read_to_end(&mut got).await?;
///     assert_eq!(got, b"by name");
///     Ok(())
/// }
/// ```
#[derive(Clone, Debug, Default)]
pub struct OpenOptions {
    #[cfg(any(target_os = "linux", target_os = "android"))]
    read_write: bool,
    unchecked: bool,
}

impl OpenOptions {
    /// Options with everything `false`: open a FIFO for one direction
    /// only, and check that it is one.
    pub fn new() -> OpenOptions {
        OpenOptions::default()
    }

    /// Opens the FIFO for reading and writing (`O_RDWR`) whichever end is
    /// asked for. Linux defines what that does for a FIFO; POSIX leaves it
    /// undefined, so the option exists only on Linux and Android.
    ///
    /// A sender opened this way opens even when there is no reader yet.
    /// A receiver opened this way counts as a writer itself, so it never
    /// reads end-of-stream when the other writers come and go: it waits
    /// for the next one instead.
    ///
    /// # Examples
    ///
    /// ```
    /// # weft::runtime::Runtime::new().unwrap().block_on(async {
    /// # let dir = tempfile::tempdir()?;
    /// # let path = dir.path().join("fifo");
    /// # let c_path = std::ffi::CString::new(path.to_str().unwrap())?;
    /// # // SAFETY: `c_path` is a NUL-terminated string that outlives the call.
    /// # assert_eq!(unsafe { libc::mkfifo(c_path.as_ptr(), 0o600) }, 0);
    /// use weft::net::unix::pipe;
    ///
    /// // No process has `path` open for reading, yet this succeeds.
    /// let tx = pipe::OpenOptions::new().read_write(true).open_sender(&path)?;
    /// tx.writable().await?;
    /// assert_eq!(tx.try_write(b"buffered until a reader comes")?, 29);
    /// # std::io::Result::Ok(())
    /// # }).unwrap();
    /// ```
    #[cfg(any(target_os = "linux", target_os = "android"))]
    pub fn read_write(&mut self, value: bool) -> &mut Self {
        self.read_write = value;
        self
    }

    /// Skips the check that the opened file is a FIFO. Set it only when
    /// the file is known to be one (say, one this process just made);
    /// registering anything else with the reactor fails or misbehaves.
    pub fn unchecked(&mut self, value: bool) -> &mut Self {
        self.unchecked = value;
        self
    }

    /// Opens the FIFO at `path` as the reading end of a pipe and registers
    /// it with the current runtime.
    ///
    /// # Errors
    ///
    /// `InvalidInput` if the file is not a FIFO (unless
    /// [`unchecked`](Self::unchecked)); `NotFound` and the other errors of
    /// opening a file.
    ///
    /// # Panics
    ///
    /// Outside a weft runtime, or on one built without I/O.
    #[track_caller]
    pub fn open_receiver<P: AsRef<Path>>(&self, path: P) -> io::Result<Receiver> {
        let file = self.open(path.as_ref(), End::Receiver)?;
        Receiver::from_file_unchecked(file)
    }

    /// Opens the FIFO at `path` as the writing end of a pipe and registers
    /// it with the current runtime.
    ///
    /// # Errors
    ///
    /// `ENXIO` (`raw_os_error() == Some(libc::ENXIO)`) if no process has
    /// the FIFO open for reading and [`read_write`](Self::read_write) is
    /// not set; `InvalidInput` if the file is not a FIFO (unless
    /// [`unchecked`](Self::unchecked)); `NotFound` and the other errors of
    /// opening a file.
    ///
    /// # Panics
    ///
    /// Outside a weft runtime, or on one built without I/O.
    #[track_caller]
    pub fn open_sender<P: AsRef<Path>>(&self, path: P) -> io::Result<Sender> {
        let file = self.open(path.as_ref(), End::Sender)?;
        Sender::from_file_unchecked(file)
    }

    /// Opens `path` non-blocking for `end`, checking that it is a FIFO
    /// unless told not to.
    fn open(&self, path: &Path, end: End) -> io::Result<File> {
        let mut options = std::fs::OpenOptions::new();
        options
            .read(end == End::Receiver)
            .write(end == End::Sender)
            .custom_flags(libc::O_NONBLOCK);
        #[cfg(any(target_os = "linux", target_os = "android"))]
        if self.read_write {
            options.read(true).write(true);
        }
        let file = options.open(path)?;
        if !self.unchecked && !file.metadata()?.file_type().is_fifo() {
            return Err(not_a_pipe());
        }
        Ok(file)
    }
}

/// The writing end of a pipe: made by [`pipe`], by
/// [`OpenOptions::open_sender`] from a FIFO, or from a descriptor.
///
/// Opening a FIFO's writing end fails with `ENXIO` while no process has
/// it open for reading; a writer that may start first waits for a reader
/// by trying again:
///
/// ```
/// # weft::runtime::Runtime::new().unwrap().block_on(async {
/// # let dir = tempfile::tempdir()?;
/// # let path = dir.path().join("fifo");
/// # let c_path = std::ffi::CString::new(path.to_str().unwrap())?;
/// # // SAFETY: `c_path` is a NUL-terminated string that outlives the call.
/// # assert_eq!(unsafe { libc::mkfifo(c_path.as_ptr(), 0o600) }, 0);
/// # let reader_path = path.clone();
/// # let reader = weft::spawn(async move {
/// #     weft::time::sleep(std::time::Duration::from_millis(20)).await;
/// #     weft::net::unix::pipe::OpenOptions::new().open_receiver(&reader_path)
/// # });
/// use std::time::Duration;
/// use weft::net::unix::pipe;
///
/// let tx = loop {
///     match pipe::OpenOptions::new().open_sender(&path) {
///         Ok(tx) => break tx,
///         Err(e) if e.raw_os_error() == Some(libc::ENXIO) => {
///             weft::time::sleep(Duration::from_millis(10)).await;
///         }
///         Err(e) => return Err(e),
///     }
/// };
/// # let _rx = reader.await.unwrap()?;
/// # drop(tx);
/// # std::io::Result::Ok(())
/// # }).unwrap();
/// ```
///
/// Writes to a pipe whose readers have all closed fail with `BrokenPipe`.
/// [`shutdown`](crate::io::AsyncWriteExt::shutdown) does nothing: the
/// writing end closes when the `Sender` is dropped.
pub struct Sender {
    io: Evented<mio_pipe::Sender>,
}

impl Sender {
    #[track_caller]
    fn new(tx: mio_pipe::Sender) -> io::Result<Sender> {
        Ok(Sender {
            io: Evented::new(tx, mio::Interest::WRITABLE)?,
        })
    }

    /// Registers a FIFO opened as a [`File`], after checking that it is a
    /// pipe open for writing, and makes it non-blocking.
    ///
    /// # Errors
    ///
    /// `InvalidInput` if the file is not a pipe, or was opened without
    /// write access; if it cannot be made non-blocking or registered.
    ///
    /// # Panics
    ///
    /// Outside a weft runtime, or on one built without I/O.
    #[track_caller]
    pub fn from_file(file: File) -> io::Result<Sender> {
        Sender::from_owned_fd(file.into())
    }

    /// Registers a descriptor of a pipe or FIFO, after checking that it is
    /// one and open for writing, and makes it non-blocking.
    ///
    /// # Errors
    ///
    /// As for [`from_file`](Self::from_file).
    ///
    /// # Panics
    ///
    /// Outside a weft runtime, or on one built without I/O.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::io::Read;
    /// use weft::net::unix::pipe;
    ///
    /// #[weft::main]
    /// async fn main() -> std::io::Result<()> {
    ///     // A pipe made elsewhere, its writing end taken over here.
    ///     let (tx, rx) = pipe::pipe()?;
    ///     let tx = pipe::Sender::from_owned_fd(tx.into_blocking_fd()?)?;
    ///     let mut rx = std::fs::File::from(rx.into_blocking_fd()?);
    ///     tx.writable().await?;
    ///     tx.try_write(b"adopted")?;
    ///     drop(tx);
    ///     let mut got = String::new();
    ///     rx.read_to_string(&mut got)?;
    ///     assert_eq!(got, "adopted");
    ///     Ok(())
    /// }
    /// ```
    #[track_caller]
    pub fn from_owned_fd(owned_fd: OwnedFd) -> io::Result<Sender> {
        let tx = mio_pipe::Sender::from(checked(owned_fd, End::Sender)?);
        tx.set_nonblocking(true)?;
        Sender::new(tx)
    }

    /// Registers a FIFO opened as a [`File`] as it is. The caller makes
    /// sure that it is a pipe, open for writing, and non-blocking (a
    /// blocking one would stall the runtime's thread on a full pipe).
    ///
    /// # Errors
    ///
    /// If it cannot be registered.
    ///
    /// # Panics
    ///
    /// Outside a weft runtime, or on one built without I/O.
    #[track_caller]
    pub fn from_file_unchecked(file: File) -> io::Result<Sender> {
        Sender::from_owned_fd_unchecked(file.into())
    }

    /// Registers a pipe descriptor as it is; the caller makes the same
    /// promises as for [`from_file_unchecked`](Self::from_file_unchecked).
    ///
    /// # Errors
    ///
    /// If it cannot be registered.
    ///
    /// # Panics
    ///
    /// Outside a weft runtime, or on one built without I/O.
    #[track_caller]
    pub fn from_owned_fd_unchecked(owned_fd: OwnedFd) -> io::Result<Sender> {
        Sender::new(mio_pipe::Sender::from(owned_fd))
    }

    /// Waits until the pipe is ready for any of `interest`. Cancel-safe.
    ///
    /// # Errors
    ///
    /// The shutdown error once the runtime is gone.
    pub async fn ready(&self, interest: Interest) -> io::Result<Ready> {
        self.io.ready(interest).await
    }

    /// Waits until the pipe has room for a write (or its readers are
    /// gone, so that the write fails at once). Cancel-safe.
    ///
    /// # Errors
    ///
    /// The shutdown error once the runtime is gone.
    pub async fn writable(&self) -> io::Result<()> {
        self.io.writable().await
    }

    /// Polls for write readiness; only the last task to poll is woken.
    ///
    /// # Errors
    ///
    /// The shutdown error once the runtime is gone.
    pub fn poll_write_ready(&self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.io.poll_write_ready(cx)
    }

    /// Writes what fits in the pipe now, without waiting. A write of at
    /// most `PIPE_BUF` bytes is all or nothing.
    ///
    /// # Errors
    ///
    /// `WouldBlock` if the pipe is full (or not yet known to have room);
    /// `BrokenPipe` once the readers are gone.
    pub fn try_write(&self, buf: &[u8]) -> io::Result<usize> {
        self.io.try_write(buf)
    }

    /// Writes from several buffers, in order, what fits now.
    ///
    /// # Errors
    ///
    /// As for [`try_write`](Self::try_write).
    pub fn try_write_vectored(&self, buf: &[IoSlice<'_>]) -> io::Result<usize> {
        self.io.try_write_vectored(buf)
    }

    /// Runs `f`, which writes to the pipe itself (through its descriptor),
    /// if the pipe is writable now; clears write readiness if `f` returns
    /// `WouldBlock`.
    ///
    /// # Errors
    ///
    /// `WouldBlock` if not writable; whatever `f` returns.
    pub fn try_io<R>(&self, f: impl FnOnce() -> io::Result<R>) -> io::Result<R> {
        self.io.try_io(Interest::WRITABLE, |_| f())
    }

    /// Deregisters the pipe and returns its descriptor in blocking mode,
    /// ready to hand to a child process or a blocking thread.
    ///
    /// # Errors
    ///
    /// If it cannot be deregistered or made blocking.
    pub fn into_blocking_fd(self) -> io::Result<OwnedFd> {
        let tx = self.io.into_inner()?;
        tx.set_nonblocking(false)?;
        Ok(tx.into())
    }

    /// Deregisters the pipe and returns its descriptor, still in
    /// non-blocking mode.
    ///
    /// # Errors
    ///
    /// If it cannot be deregistered.
    pub fn into_nonblocking_fd(self) -> io::Result<OwnedFd> {
        Ok(self.io.into_inner()?.into())
    }
}

stream_io_impls!(write Sender, |this| this.io, |_this| Ok(()));
socket_traits!(Sender);

/// The reading end of a pipe: made by [`pipe`], by
/// [`OpenOptions::open_receiver`] from a FIFO, or from a descriptor.
///
/// Reads return `Ok(0)` (end of stream) once every writer has closed and
/// the buffered bytes are read. A FIFO's receiver that has not yet seen
/// any writer waits for one instead; one opened with
/// [`OpenOptions::read_write`] is a writer itself and never ends.
pub struct Receiver {
    io: Evented<mio_pipe::Receiver>,
}

impl Receiver {
    #[track_caller]
    fn new(rx: mio_pipe::Receiver) -> io::Result<Receiver> {
        Ok(Receiver {
            io: Evented::new(rx, mio::Interest::READABLE)?,
        })
    }

    /// Registers a FIFO opened as a [`File`], after checking that it is a
    /// pipe open for reading, and makes it non-blocking.
    ///
    /// # Errors
    ///
    /// `InvalidInput` if the file is not a pipe, or was opened without
    /// read access; if it cannot be made non-blocking or registered.
    ///
    /// # Panics
    ///
    /// Outside a weft runtime, or on one built without I/O.
    #[track_caller]
    pub fn from_file(file: File) -> io::Result<Receiver> {
        Receiver::from_owned_fd(file.into())
    }

    /// Registers a descriptor of a pipe or FIFO, after checking that it is
    /// one and open for reading, and makes it non-blocking.
    ///
    /// # Errors
    ///
    /// As for [`from_file`](Self::from_file).
    ///
    /// # Panics
    ///
    /// Outside a weft runtime, or on one built without I/O.
    ///
    /// # Examples
    ///
    /// ```
    /// use weft::io::AsyncReadExt;
    /// use weft::net::unix::pipe;
    ///
    /// #[weft::main]
    /// async fn main() -> std::io::Result<()> {
    ///     let (tx, rx) = pipe::pipe()?;
    ///     let mut rx = pipe::Receiver::from_owned_fd(rx.into_blocking_fd()?)?;
    ///     // A write end used from blocking code.
    ///     let tx = std::fs::File::from(tx.into_blocking_fd()?);
    ///     weft::task::spawn_blocking(move || {
    ///         use std::io::Write;
    ///         (&tx).write_all(b"from a thread")
    ///     })
    ///     .await
    ///     .unwrap()?;
    ///     let mut got = String::new();
    ///     rx.read_to_string(&mut got).await?;
    ///     assert_eq!(got, "from a thread");
    ///     Ok(())
    /// }
    /// ```
    #[track_caller]
    pub fn from_owned_fd(owned_fd: OwnedFd) -> io::Result<Receiver> {
        let rx = mio_pipe::Receiver::from(checked(owned_fd, End::Receiver)?);
        rx.set_nonblocking(true)?;
        Receiver::new(rx)
    }

    /// Registers a FIFO opened as a [`File`] as it is. The caller makes
    /// sure that it is a pipe, open for reading, and non-blocking (a
    /// blocking one would stall the runtime's thread on an empty pipe).
    ///
    /// # Errors
    ///
    /// If it cannot be registered.
    ///
    /// # Panics
    ///
    /// Outside a weft runtime, or on one built without I/O.
    #[track_caller]
    pub fn from_file_unchecked(file: File) -> io::Result<Receiver> {
        Receiver::from_owned_fd_unchecked(file.into())
    }

    /// Registers a pipe descriptor as it is; the caller makes the same
    /// promises as for [`from_file_unchecked`](Self::from_file_unchecked).
    ///
    /// # Errors
    ///
    /// If it cannot be registered.
    ///
    /// # Panics
    ///
    /// Outside a weft runtime, or on one built without I/O.
    #[track_caller]
    pub fn from_owned_fd_unchecked(owned_fd: OwnedFd) -> io::Result<Receiver> {
        Receiver::new(mio_pipe::Receiver::from(owned_fd))
    }

    /// Waits until the pipe is ready for any of `interest`. Cancel-safe.
    ///
    /// # Errors
    ///
    /// The shutdown error once the runtime is gone.
    pub async fn ready(&self, interest: Interest) -> io::Result<Ready> {
        self.io.ready(interest).await
    }

    /// Waits until the pipe holds bytes to read (or its writers are gone,
    /// so that a read returns end-of-stream). Cancel-safe.
    ///
    /// # Errors
    ///
    /// The shutdown error once the runtime is gone.
    pub async fn readable(&self) -> io::Result<()> {
        self.io.readable().await
    }

    /// Polls for read readiness; only the last task to poll is woken.
    ///
    /// # Errors
    ///
    /// The shutdown error once the runtime is gone.
    pub fn poll_read_ready(&self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.io.poll_read_ready(cx)
    }

    /// Reads what the pipe holds now, without waiting. `Ok(0)` is the end
    /// of the stream (or an empty `buf`).
    ///
    /// # Errors
    ///
    /// `WouldBlock` if the pipe is empty (or not yet known to hold bytes).
    pub fn try_read(&self, buf: &mut [u8]) -> io::Result<usize> {
        self.io.try_read(buf)
    }

    /// Reads into several buffers, in order, what the pipe holds now.
    ///
    /// # Errors
    ///
    /// As for [`try_read`](Self::try_read).
    pub fn try_read_vectored(&self, bufs: &mut [IoSliceMut<'_>]) -> io::Result<usize> {
        self.io.try_read_vectored(bufs)
    }

    /// Reads what the pipe holds now into the spare capacity of `buf` (its
    /// [`chunk_mut`](BufMut::chunk_mut)), without zeroing it first, and
    /// advances `buf` by the count returned.
    ///
    /// # Errors
    ///
    /// As for [`try_read`](Self::try_read); `buf` is unchanged then.
    ///
    /// # Examples
    ///
    /// ```
    /// use weft::net::unix::pipe;
    ///
    /// #[weft::main]
    /// async fn main() -> std::io::Result<()> {
    ///     let (tx, rx) = pipe::pipe()?;
    ///     tx.writable().await?;
    ///     tx.try_write(b"spare capacity")?;
    ///     rx.readable().await?;
    ///     let mut buf = Vec::with_capacity(64);
    ///     let n = rx.try_read_buf(&mut buf)?;
    ///     assert_eq!((n, &buf[..]), (14, &b"spare capacity"[..]));
    ///     Ok(())
    /// }
    /// ```
    pub fn try_read_buf<B: BufMut>(&self, buf: &mut B) -> io::Result<usize> {
        self.io.try_read_buf_fd(buf)
    }

    /// Runs `f`, which reads from the pipe itself (through its
    /// descriptor), if the pipe is readable now; clears read readiness if
    /// `f` returns `WouldBlock`.
    ///
    /// # Errors
    ///
    /// `WouldBlock` if not readable; whatever `f` returns.
    pub fn try_io<R>(&self, f: impl FnOnce() -> io::Result<R>) -> io::Result<R> {
        self.io.try_io(Interest::READABLE, |_| f())
    }

    /// Deregisters the pipe and returns its descriptor in blocking mode,
    /// ready to hand to a child process or a blocking thread.
    ///
    /// # Errors
    ///
    /// If it cannot be deregistered or made blocking.
    pub fn into_blocking_fd(self) -> io::Result<OwnedFd> {
        let rx = self.io.into_inner()?;
        rx.set_nonblocking(false)?;
        Ok(rx.into())
    }

    /// Deregisters the pipe and returns its descriptor, still in
    /// non-blocking mode.
    ///
    /// # Errors
    ///
    /// If it cannot be deregistered.
    pub fn into_nonblocking_fd(self) -> io::Result<OwnedFd> {
        Ok(self.io.into_inner()?.into())
    }
}

impl AsyncRead for Receiver {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        self.io.poll_read_fd(cx, buf)
    }
}

#[cfg(feature = "futures-io")]
impl futures_io::AsyncRead for Receiver {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut [u8],
    ) -> Poll<io::Result<usize>> {
        let mut buf = ReadBuf::new(buf);
        std::task::ready!(self.io.poll_read_fd(cx, &mut buf))?;
        Poll::Ready(Ok(buf.filled().len()))
    }
}

socket_traits!(Receiver);

/// `fd` back, if it is a pipe or FIFO open for `end`'s direction.
fn checked(fd: OwnedFd, end: End) -> io::Result<OwnedFd> {
    // Through `File` for its safe `fstat`; the descriptor is not copied.
    let file = File::from(fd);
    if !file.metadata()?.file_type().is_fifo() {
        return Err(not_a_pipe());
    }
    let mode = sys::status_flags(file.as_fd())? & libc::O_ACCMODE;
    let allowed = match end {
        End::Sender => mode == libc::O_WRONLY || mode == libc::O_RDWR,
        End::Receiver => mode == libc::O_RDONLY || mode == libc::O_RDWR,
    };
    if !allowed {
        let message = match end {
            End::Sender => "the pipe is not open for writing (need O_WRONLY or O_RDWR)",
            End::Receiver => "the pipe is not open for reading (need O_RDONLY or O_RDWR)",
        };
        return Err(io::Error::new(io::ErrorKind::InvalidInput, message));
    }
    Ok(file.into())
}

fn not_a_pipe() -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidInput,
        "the file is not a pipe or FIFO (use `unchecked` to skip this check)",
    )
}
