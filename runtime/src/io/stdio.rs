//! The process's standard streams, run on the blocking pool.

use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

use super::blocking::Blocking;

/// The standard input of the process, read on the blocking pool; made by
/// [`stdin`].
///
/// Reading a terminal or pipe blocks in the operating system, so each read
/// is handed to a blocking-pool thread. A read that is cancelled keeps its
/// thread busy until input arrives; for interactive programs that must
/// stop reading at some point, read standard input from a dedicated
/// `std::thread` and send the lines over a channel instead.
#[derive(Debug)]
pub struct Stdin {
    inner: Blocking<io::Stdin>,
}

/// The standard output of the process, written on the blocking pool; made
/// by [`stdout`].
///
/// A write hands the bytes to a blocking-pool thread and returns at once;
/// call `flush` (or `AsyncWriteExt::flush`) to wait until they reached the
/// operating system. Several `Stdout` values write independently, so their
/// output may interleave; keep one and pass it around for ordered output.
#[derive(Debug)]
pub struct Stdout {
    inner: Blocking<io::Stdout>,
}

/// The standard error of the process, written on the blocking pool; made
/// by [`stderr`]. Behaves like [`Stdout`].
#[derive(Debug)]
pub struct Stderr {
    inner: Blocking<io::Stderr>,
}

/// A handle to the standard input of the process.
///
/// # Examples
///
/// ```no_run
/// use weft::io::AsyncBufReadExt;
///
/// #[weft::main]
/// async fn main() -> std::io::Result<()> {
///     let mut lines = weft::io::BufReader::new(weft::io::stdin()).lines();
///     while let Some(line) = lines.next_line().await? {
///         println!("read: {line}");
///     }
///     Ok(())
/// }
/// ```
pub fn stdin() -> Stdin {
    Stdin {
        inner: Blocking::new(io::stdin()),
    }
}

/// A handle to the standard output of the process.
///
/// # Examples
///
/// ```
/// use weft::io::AsyncWriteExt;
///
/// #[weft::main]
/// async fn main() -> std::io::Result<()> {
///     let mut out = weft::io::stdout();
///     out.write_all(b"hello from weft\n").await?;
///     out.flush().await?;
///     Ok(())
/// }
/// ```
pub fn stdout() -> Stdout {
    Stdout {
        inner: Blocking::new(io::stdout()),
    }
}

/// A handle to the standard error of the process.
///
/// # Examples
///
/// ```
/// use weft::io::AsyncWriteExt;
///
/// #[weft::main]
/// async fn main() -> std::io::Result<()> {
///     let mut err = weft::io::stderr();
///     err.write_all(b"a warning\n").await?;
///     err.flush().await
/// }
/// ```
pub fn stderr() -> Stderr {
    Stderr {
        inner: Blocking::new(io::stderr()),
    }
}

impl AsyncRead for Stdin {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        self.inner.poll_read(cx, buf)
    }
}

macro_rules! write_impl {
    ($ty:ty) => {
        impl AsyncWrite for $ty {
            fn poll_write(
                mut self: Pin<&mut Self>,
                cx: &mut Context<'_>,
                buf: &[u8],
            ) -> Poll<io::Result<usize>> {
                self.inner.poll_write(cx, buf)
            }

            fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
                self.inner.poll_flush(cx)
            }

            fn poll_shutdown(
                mut self: Pin<&mut Self>,
                cx: &mut Context<'_>,
            ) -> Poll<io::Result<()>> {
                self.inner.poll_flush(cx)
            }
        }
    };
}

write_impl!(Stdout);
write_impl!(Stderr);

impl std::os::fd::AsRawFd for Stdin {
    fn as_raw_fd(&self) -> std::os::fd::RawFd {
        libc::STDIN_FILENO
    }
}

impl std::os::fd::AsRawFd for Stdout {
    fn as_raw_fd(&self) -> std::os::fd::RawFd {
        libc::STDOUT_FILENO
    }
}

impl std::os::fd::AsRawFd for Stderr {
    fn as_raw_fd(&self) -> std::os::fd::RawFd {
        libc::STDERR_FILENO
    }
}
