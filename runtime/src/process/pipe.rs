//! The async ends of a child's standard streams: non-blocking pipes
//! registered with the runtime's reactor.
//!
//! Reads go through [`Evented::poll_read_fd`]: `read(2)` straight into the
//! caller's unfilled buffer, with the coop budget charged and readiness
//! cleared after a short read, as for [`pipe::Receiver`].
//!
//! [`pipe::Receiver`]: crate::net::unix::pipe::Receiver

use mio::unix::pipe::{Receiver, Sender};
use std::fmt;
use std::io::{self, IoSlice, Write};
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, OwnedFd, RawFd};
use std::pin::Pin;
use std::process::Stdio;
use std::task::{Context, Poll};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use weft_reactor::Direction;

use crate::io::evented::Evented;
use crate::io::sys;

/// Deregisters a pipe and gives its descriptor back in blocking mode, as
/// code outside the runtime (another child, a `std::fs::File`) expects.
fn into_blocking_fd<S>(io: Evented<S>) -> io::Result<OwnedFd>
where
    S: mio::event::Source + Into<OwnedFd>,
{
    let fd: OwnedFd = io.into_inner()?.into();
    sys::set_nonblocking(fd.as_fd(), false)?;
    Ok(fd)
}

/// Turns a registered pipe back into a blocking descriptor for `Stdio`.
fn into_stdio<S>(io: Evented<S>) -> io::Result<Stdio>
where
    S: mio::event::Source + Into<OwnedFd>,
{
    into_blocking_fd(io).map(Stdio::from)
}

/// The writing end of a child's standard input, when it was
/// [`Stdio::piped`]. Dropping it closes the pipe: the child reads end of
/// file.
pub struct ChildStdin {
    io: Evented<Sender>,
}

/// The reading end of a child's standard output, when it was
/// [`Stdio::piped`].
pub struct ChildStdout {
    io: Evented<Receiver>,
}

/// The reading end of a child's standard error, when it was
/// [`Stdio::piped`].
pub struct ChildStderr {
    io: Evented<Receiver>,
}

impl ChildStdin {
    /// Makes a `std` child's stdin pipe non-blocking and registers it with
    /// the current runtime.
    ///
    /// # Errors
    ///
    /// If the pipe cannot be made non-blocking or registered.
    ///
    /// # Panics
    ///
    /// Outside a weft runtime, or on one with I/O disabled.
    #[track_caller]
    pub fn from_std(std: std::process::ChildStdin) -> io::Result<ChildStdin> {
        let sender = Sender::from(std);
        sender.set_nonblocking(true)?;
        Ok(ChildStdin { io: Evented::new(sender, mio::Interest::WRITABLE)? })
    }

    /// Deregisters the pipe and gives back its descriptor, in blocking
    /// mode.
    ///
    /// # Errors
    ///
    /// If the pipe cannot be deregistered or made blocking.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::io::Write;
    /// use std::process::Stdio;
    /// use weft::process::Command;
    ///
    /// #[weft::main]
    /// async fn main() -> std::io::Result<()> {
    ///     let mut child = Command::new("cat").stdin(Stdio::piped()).stdout(Stdio::piped()).spawn()?;
    ///     let stdin = child.stdin.take().unwrap().into_owned_fd()?;
    ///     // Plain blocking writes now, for example from another thread.
    ///     std::thread::spawn(move || std::fs::File::from(stdin).write_all(b"hi"))
    ///         .join()
    ///         .unwrap()?;
    ///     let output = child.wait_with_output().await?;
    ///     assert_eq!(output.stdout, b"hi");
    ///     Ok(())
    /// }
    /// ```
    pub fn into_owned_fd(self) -> io::Result<OwnedFd> {
        into_blocking_fd(self.io)
    }
}

macro_rules! reader_from_std {
    ($name:ident, $std:ty, $what:literal) => {
        impl $name {
            #[doc = concat!("Makes a `std` child's ", $what, " pipe non-blocking and registers it with the current runtime.")]
            ///
            /// # Errors
            ///
            /// If the pipe cannot be made non-blocking or registered.
            ///
            /// # Panics
            ///
            /// Outside a weft runtime, or on one with I/O disabled.
            #[track_caller]
            pub fn from_std(std: $std) -> io::Result<$name> {
                let receiver = Receiver::from(std);
                receiver.set_nonblocking(true)?;
                Ok($name { io: Evented::new(receiver, mio::Interest::READABLE)? })
            }

            /// Deregisters the pipe and gives back its descriptor, in
            /// blocking mode.
            ///
            /// # Errors
            ///
            /// If the pipe cannot be deregistered or made blocking.
            pub fn into_owned_fd(self) -> io::Result<OwnedFd> {
                into_blocking_fd(self.io)
            }
        }

        impl AsyncRead for $name {
            fn poll_read(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
                self.io.poll_read_fd(cx, buf)
            }
        }

        impl TryFrom<$name> for Stdio {
            type Error = io::Error;

            /// Hands the pipe to another child as its standard input, to
            /// connect two children directly.
            fn try_from(pipe: $name) -> io::Result<Stdio> {
                into_stdio(pipe.io)
            }
        }

        impl AsRawFd for $name {
            fn as_raw_fd(&self) -> RawFd {
                self.io.get().as_raw_fd()
            }
        }

        impl AsFd for $name {
            fn as_fd(&self) -> BorrowedFd<'_> {
                self.io.get().as_fd()
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.debug_struct(stringify!($name)).field("fd", &self.io.get().as_raw_fd()).finish()
            }
        }
    };
}

reader_from_std!(ChildStdout, std::process::ChildStdout, "stdout");
reader_from_std!(ChildStderr, std::process::ChildStderr, "stderr");

impl AsyncWrite for ChildStdin {
    fn poll_write(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        self.io.poll_io(cx, Direction::Write, |mut w: &Sender| w.write(buf))
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        self.io.poll_io(cx, Direction::Write, |mut w: &Sender| w.write_vectored(bufs))
    }

    fn is_write_vectored(&self) -> bool {
        true
    }

    fn poll_flush(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(Ok(()))
    }

    /// Does nothing: the pipe closes when the `ChildStdin` is dropped.
    fn poll_shutdown(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(Ok(()))
    }
}

impl TryFrom<ChildStdin> for Stdio {
    type Error = io::Error;

    /// Hands the pipe to another child as its standard output.
    fn try_from(pipe: ChildStdin) -> io::Result<Stdio> {
        into_stdio(pipe.io)
    }
}

impl AsRawFd for ChildStdin {
    fn as_raw_fd(&self) -> RawFd {
        self.io.get().as_raw_fd()
    }
}

impl AsFd for ChildStdin {
    fn as_fd(&self) -> BorrowedFd<'_> {
        self.io.get().as_fd()
    }
}

impl fmt::Debug for ChildStdin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ChildStdin").field("fd", &self.io.get().as_raw_fd()).finish()
    }
}
