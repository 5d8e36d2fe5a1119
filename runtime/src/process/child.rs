//! `Child`: a spawned process, and how its exit is noticed.
//!
//! On Linux a child's exit is watched through a process descriptor
//! (`pidfd_open`) registered with the reactor: it turns readable when the
//! child exits, and `waitpid(WNOHANG)` then collects the status. Where
//! process descriptors do not exist (or the kernel is older than 5.3), the
//! child listens for `SIGCHLD` instead and checks its status after each
//! delivery. Either way there is no thread per child, and the status is
//! only ever collected for the child's own pid.

use super::pidfd::PidFd;
use super::pipe::{ChildStderr, ChildStdin, ChildStdout};
use crate::signal::unix::{Signal, SignalKind};
use std::fmt;
use std::future::{poll_fn, Future};
use std::io;
use std::pin::pin;
use std::process::{ExitStatus, Output};
use std::task::{ready, Context, Poll};
use tokio::io::{AsyncRead, AsyncReadExt};
use weft_reactor::{Direction, PollEvented};
use weft_scheduler::coop;

/// A child process spawned by [`Command::spawn`](super::Command::spawn).
///
/// Dropping a `Child` does not end the process unless
/// [`kill_on_drop`](super::Command::kill_on_drop) was set; either way weft
/// collects its exit status once it ends, so it never stays a zombie.
///
/// # Examples
///
/// ```
/// use weft::process::Command;
///
/// #[weft::main]
/// async fn main() -> std::io::Result<()> {
///     let mut child = Command::new("sh").args(["-c", "exit 3"]).spawn()?;
///     let status = child.wait().await?;
///     assert_eq!(status.code(), Some(3));
///     Ok(())
/// }
/// ```
pub struct Child {
    state: State,
    /// The writing end of the child's stdin, if it was piped.
    pub stdin: Option<ChildStdin>,
    /// The reading end of the child's stdout, if it was piped.
    pub stdout: Option<ChildStdout>,
    /// The reading end of the child's stderr, if it was piped.
    pub stderr: Option<ChildStderr>,
}

enum State {
    Running(Box<Running>),
    Exited(ExitStatus),
}

struct Running {
    std: std::process::Child,
    exit: ExitWatch,
    kill_on_drop: bool,
}

/// What wakes a task waiting for the child's exit.
enum ExitWatch {
    PidFd(PollEvented<PidFd>),
    Signal(Signal),
}

impl ExitWatch {
    fn new(pid: u32, prefer_pidfd: bool) -> io::Result<ExitWatch> {
        let handle = crate::runtime::context::current();
        let pidfd = if prefer_pidfd { PidFd::open(pid) } else { Err(io::ErrorKind::Unsupported.into()) };
        match pidfd {
            Ok(fd) => Ok(ExitWatch::PidFd(PollEvented::new(fd, handle.io(), mio::Interest::READABLE)?)),
            Err(_) => Ok(ExitWatch::Signal(crate::signal::unix::signal(SignalKind::child())?)),
        }
    }
}

impl Child {
    /// Wraps a spawned `std` child: registers its pipes and the watch for
    /// its exit (a pidfd if `prefer_pidfd` and the OS has them, else
    /// `SIGCHLD`). On failure the `std` child comes back with the error.
    pub(super) fn new(
        mut std: std::process::Child,
        kill_on_drop: bool,
        prefer_pidfd: bool,
    ) -> Result<Child, (io::Error, std::process::Child)> {
        let pipes = (|| {
            let stdin = std.stdin.take().map(ChildStdin::from_std).transpose()?;
            let stdout = std.stdout.take().map(ChildStdout::from_std).transpose()?;
            let stderr = std.stderr.take().map(ChildStderr::from_std).transpose()?;
            Ok::<_, io::Error>((stdin, stdout, stderr))
        })();
        let watch = pipes.and_then(|pipes| Ok((pipes, ExitWatch::new(std.id(), prefer_pidfd)?)));
        match watch {
            Ok(((stdin, stdout, stderr), exit)) => Ok(Child {
                state: State::Running(Box::new(Running { std, exit, kill_on_drop })),
                stdin,
                stdout,
                stderr,
            }),
            Err(e) => Err((e, std)),
        }
    }

    /// True if the exit is watched through a process descriptor.
    #[cfg(test)]
    pub(super) fn uses_pidfd(&self) -> bool {
        matches!(&self.state, State::Running(r) if matches!(r.exit, ExitWatch::PidFd(_)))
    }

    /// The OS process id, until the exit status has been collected
    /// (then `None`, as the id may be reused).
    pub fn id(&self) -> Option<u32> {
        match &self.state {
            State::Running(running) => Some(running.std.id()),
            State::Exited(_) => None,
        }
    }

    /// Sends `SIGKILL` to the child without waiting for it to end; follow
    /// with [`wait`](Self::wait) to collect its status.
    ///
    /// # Errors
    ///
    /// `InvalidInput` if the child's exit was already collected (by `wait`
    /// or `try_wait`): there is no process left to signal. The OS error of
    /// `kill(2)` otherwise.
    pub fn start_kill(&mut self) -> io::Result<()> {
        match &mut self.state {
            State::Running(running) => running.std.kill(),
            State::Exited(_) => Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "the child process has already exited and its status was collected: there is nothing to kill",
            )),
        }
    }

    /// Sends `SIGKILL` to the child and waits for it to end.
    ///
    /// # Errors
    ///
    /// As for [`start_kill`](Self::start_kill) and [`wait`](Self::wait).
    ///
    /// # Examples
    ///
    /// ```
    /// use std::os::unix::process::ExitStatusExt;
    ///
    /// #[weft::main]
    /// async fn main() -> std::io::Result<()> {
    ///     let mut child = weft::process::Command::new("sleep").arg("30").spawn()?;
    ///     child.kill().await?;
    ///     assert_eq!(child.wait().await?.signal(), Some(libc::SIGKILL));
    ///     Ok(())
    /// }
    /// ```
    pub async fn kill(&mut self) -> io::Result<()> {
        self.start_kill()?;
        self.wait().await?;
        Ok(())
    }

    /// Waits for the child to exit and returns its status. Closes the
    /// child's stdin first (if piped), so a child that reads to the end of
    /// its input can finish.
    ///
    /// Cancel-safe: after the future is dropped, waiting again works.
    ///
    /// # Errors
    ///
    /// The OS error of `waitpid`, or an error if the runtime shut down.
    pub async fn wait(&mut self) -> io::Result<ExitStatus> {
        drop(self.stdin.take());
        poll_fn(|cx| self.poll_wait(cx)).await
    }

    /// The exit status if the child has exited, `None` if it is still
    /// running. Never waits.
    ///
    /// # Errors
    ///
    /// The OS error of `waitpid`.
    pub fn try_wait(&mut self) -> io::Result<Option<ExitStatus>> {
        match &mut self.state {
            State::Exited(status) => Ok(Some(*status)),
            State::Running(running) => {
                let status = running.std.try_wait()?;
                if let Some(status) = status {
                    self.state = State::Exited(status);
                }
                Ok(status)
            }
        }
    }

    fn poll_wait(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<ExitStatus>> {
        let restore = ready!(coop::poll_proceed(cx));
        let result = ready!(self.poll_exit(cx));
        restore.made_progress();
        Poll::Ready(result)
    }

    fn poll_exit(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<ExitStatus>> {
        let running = match &mut self.state {
            State::Exited(status) => return Poll::Ready(Ok(*status)),
            State::Running(running) => running,
        };
        let Running { std, exit, .. } = &mut **running;
        let result = match exit {
            ExitWatch::PidFd(fd) => ready!(fd
                .registration()
                .poll_io(cx, Direction::Read, || { std.try_wait()?.ok_or_else(|| io::ErrorKind::WouldBlock.into()) })),
            ExitWatch::Signal(signal) => loop {
                if let Some(status) = std.try_wait()? {
                    break Ok(status);
                }
                if ready!(signal.poll_recv(cx)).is_none() {
                    break Err(io::Error::other(
                        "the weft runtime this child was spawned in has shut down: its exit can no longer be awaited",
                    ));
                }
            },
        };
        if let Ok(status) = result {
            self.state = State::Exited(status);
        }
        Poll::Ready(result)
    }

    /// Waits for the child to exit while reading all of its stdout and
    /// stderr (those that were piped), and returns everything. Closes its
    /// stdin first.
    ///
    /// # Errors
    ///
    /// The error of waiting or of reading either pipe.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::process::Stdio;
    /// use weft::process::Command;
    ///
    /// #[weft::main]
    /// async fn main() -> std::io::Result<()> {
    ///     let child = Command::new("echo").arg("hi").stdout(Stdio::piped()).spawn()?;
    ///     let output = child.wait_with_output().await?;
    ///     assert_eq!(output.stdout, b"hi\n");
    ///     assert!(output.status.success());
    ///     Ok(())
    /// }
    /// ```
    pub async fn wait_with_output(mut self) -> io::Result<Output> {
        drop(self.stdin.take());
        let stdout = self.stdout.take();
        let stderr = self.stderr.take();
        let mut stdout = pin!(read_all(stdout));
        let mut stderr = pin!(read_all(stderr));
        let (mut out, mut err, mut status) = (None, None, None);
        poll_fn(|cx| {
            if out.is_none() {
                if let Poll::Ready(r) = stdout.as_mut().poll(cx) {
                    out = Some(r?);
                }
            }
            if err.is_none() {
                if let Poll::Ready(r) = stderr.as_mut().poll(cx) {
                    err = Some(r?);
                }
            }
            if status.is_none() {
                if let Poll::Ready(r) = self.poll_wait(cx) {
                    status = Some(r?);
                }
            }
            if out.is_some() && err.is_some() && status.is_some() {
                Poll::Ready(Ok::<(), io::Error>(()))
            } else {
                Poll::Pending
            }
        })
        .await?;
        Ok(Output {
            status: status.expect("set above"),
            stdout: out.expect("set above"),
            stderr: err.expect("set above"),
        })
    }
}

async fn read_all<R: AsyncRead + Unpin>(pipe: Option<R>) -> io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    if let Some(mut pipe) = pipe {
        pipe.read_to_end(&mut bytes).await?;
    }
    Ok(bytes)
}

impl Drop for Child {
    fn drop(&mut self) {
        let State::Running(running) = std::mem::replace(&mut self.state, State::Exited(ExitStatus::default())) else {
            return;
        };
        let Running { mut std, exit, kill_on_drop } = *running;
        drop(exit);
        if let Ok(Some(_)) = std.try_wait() {
            return;
        }
        if kill_on_drop {
            let _ = std.kill();
        }
        super::orphan::adopt(std);
    }
}

impl fmt::Debug for Child {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Child")
            .field("id", &self.id())
            .field("stdin", &self.stdin)
            .field("stdout", &self.stdout)
            .field("stderr", &self.stderr)
            .finish()
    }
}
