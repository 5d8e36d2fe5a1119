//! Child processes for async code.
//!
//! [`Command`] mirrors [`std::process::Command`]: the same builder, plus
//! [`kill_on_drop`](Command::kill_on_drop). A spawned [`Child`] is waited
//! for without blocking a thread, and its piped standard streams are async
//! pipes ([`ChildStdin`], [`ChildStdout`], [`ChildStderr`]) driven by the
//! runtime's reactor.
//!
//! This is weft's counterpart of Python's `asyncio.create_subprocess_exec`:
//! many children can run and be waited for concurrently from one thread.
//!
//! # Examples
//!
//! ```
//! use weft::process::Command;
//!
//! #[weft::main]
//! async fn main() -> std::io::Result<()> {
//!     let output = Command::new("echo").arg("hello").output().await?;
//!     assert!(output.status.success());
//!     assert_eq!(output.stdout, b"hello\n");
//!     Ok(())
//! }
//! ```
//!
//! Feeding a child's stdin while reading its stdout:
//!
//! ```
//! use std::process::Stdio;
//! use weft::io::{AsyncReadExt, AsyncWriteExt};
//! use weft::process::Command;
//!
//! #[weft::main]
//! async fn main() -> std::io::Result<()> {
//!     let mut child = Command::new("cat").stdin(Stdio::piped()).stdout(Stdio::piped()).spawn()?;
//!     let mut stdin = child.stdin.take().unwrap();
//!     let writer = weft::spawn(async move {
//!         stdin.write_all(b"through cat").await?;
//!         Ok::<_, std::io::Error>(())
//!         // `stdin` is dropped here: cat reads end of file and exits.
//!     });
//!     let mut echoed = String::new();
//!     child.stdout.take().unwrap().read_to_string(&mut echoed).await?;
//!     writer.await.unwrap()?;
//!     assert_eq!(echoed, "through cat");
//!     assert!(child.wait().await?.success());
//!     Ok(())
//! }
//! ```
//!
//! # Panics
//!
//! Spawning panics outside a weft runtime, or on one with I/O disabled.

mod child;
mod orphan;
mod pidfd;
mod pipe;

pub use child::Child;
pub use pipe::{ChildStderr, ChildStdin, ChildStdout};
pub use std::process::{ExitStatus, Output, Stdio};

use std::ffi::OsStr;
use std::fmt;
use std::future::Future;
use std::io;
use std::path::Path;

/// Collects the exit status of every orphaned child that has exited.
pub(crate) fn reap_orphans() {
    orphan::reap();
}

/// A process builder: program, arguments, environment, working directory
/// and standard streams, as for [`std::process::Command`].
///
/// By default the child inherits this process's environment, working
/// directory and standard streams; [`output`](Self::output) pipes stdout
/// and stderr to capture them.
pub struct Command {
    std: std::process::Command,
    kill_on_drop: bool,
}

impl Command {
    /// A command that runs `program`, looked up in `PATH` if it has no
    /// slash.
    pub fn new(program: impl AsRef<OsStr>) -> Command {
        Command::from(std::process::Command::new(program))
    }

    /// Adds one argument.
    pub fn arg(&mut self, arg: impl AsRef<OsStr>) -> &mut Command {
        self.std.arg(arg);
        self
    }

    /// Adds several arguments.
    pub fn args<I, S>(&mut self, args: I) -> &mut Command
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        self.std.args(args);
        self
    }

    /// Sets an environment variable for the child.
    pub fn env(&mut self, key: impl AsRef<OsStr>, value: impl AsRef<OsStr>) -> &mut Command {
        self.std.env(key, value);
        self
    }

    /// Sets several environment variables for the child.
    pub fn envs<I, K, V>(&mut self, vars: I) -> &mut Command
    where
        I: IntoIterator<Item = (K, V)>,
        K: AsRef<OsStr>,
        V: AsRef<OsStr>,
    {
        self.std.envs(vars);
        self
    }

    /// Removes an environment variable from the child's environment.
    pub fn env_remove(&mut self, key: impl AsRef<OsStr>) -> &mut Command {
        self.std.env_remove(key);
        self
    }

    /// Starts the child with an empty environment (plus what
    /// [`env`](Self::env) adds after this call).
    pub fn env_clear(&mut self) -> &mut Command {
        self.std.env_clear();
        self
    }

    /// Sets the child's working directory.
    pub fn current_dir(&mut self, dir: impl AsRef<Path>) -> &mut Command {
        self.std.current_dir(dir);
        self
    }

    /// Sets the child's stdin: [`Stdio::piped`] gives [`Child::stdin`].
    pub fn stdin(&mut self, cfg: impl Into<Stdio>) -> &mut Command {
        self.std.stdin(cfg);
        self
    }

    /// Sets the child's stdout: [`Stdio::piped`] gives [`Child::stdout`].
    pub fn stdout(&mut self, cfg: impl Into<Stdio>) -> &mut Command {
        self.std.stdout(cfg);
        self
    }

    /// Sets the child's stderr: [`Stdio::piped`] gives [`Child::stderr`].
    pub fn stderr(&mut self, cfg: impl Into<Stdio>) -> &mut Command {
        self.std.stderr(cfg);
        self
    }

    /// Whether dropping the [`Child`] (or the future of
    /// [`status`](Self::status) or [`output`](Self::output)) before the
    /// child exits sends it `SIGKILL`. Off by default: a dropped child
    /// keeps running, and weft collects its status when it ends.
    ///
    /// ```
    /// #[weft::main]
    /// async fn main() -> std::io::Result<()> {
    ///     let child = weft::process::Command::new("sleep").arg("30").kill_on_drop(true).spawn()?;
    ///     drop(child); // the sleep is killed and reaped
    ///     Ok(())
    /// }
    /// ```
    pub fn kill_on_drop(&mut self, kill_on_drop: bool) -> &mut Command {
        self.kill_on_drop = kill_on_drop;
        self
    }

    /// Whether [`kill_on_drop`](Self::kill_on_drop) is set.
    pub fn get_kill_on_drop(&self) -> bool {
        self.kill_on_drop
    }

    /// Runs the child as user `id` (`setuid` before `exec`).
    #[cfg(unix)]
    pub fn uid(&mut self, id: u32) -> &mut Command {
        std::os::unix::process::CommandExt::uid(&mut self.std, id);
        self
    }

    /// Runs the child as group `id` (`setgid` before `exec`).
    #[cfg(unix)]
    pub fn gid(&mut self, id: u32) -> &mut Command {
        std::os::unix::process::CommandExt::gid(&mut self.std, id);
        self
    }

    /// Puts the child in process group `pgroup`; 0 makes a new group led
    /// by the child.
    #[cfg(unix)]
    pub fn process_group(&mut self, pgroup: i32) -> &mut Command {
        std::os::unix::process::CommandExt::process_group(&mut self.std, pgroup);
        self
    }

    /// Runs `f` in the child after `fork` and before `exec`; see
    /// [`std::os::unix::process::CommandExt::pre_exec`]. An error from `f`
    /// makes [`spawn`](Self::spawn) fail with it.
    ///
    /// # Safety
    ///
    /// `f` runs in a copy of this process that has only the calling
    /// thread: it may use only async-signal-safe operations (no locks, no
    /// allocation, and nothing that another thread might have been holding
    /// at the fork), exactly as `std`'s `pre_exec` requires.
    ///
    /// # Examples
    ///
    /// ```
    /// use weft::process::Command;
    ///
    /// #[weft::main]
    /// async fn main() -> std::io::Result<()> {
    ///     let mut command = Command::new("true");
    ///     // SAFETY: `setsid` is async-signal-safe and touches no memory.
    ///     unsafe {
    ///         command.pre_exec(|| {
    ///             if libc::setsid() < 0 {
    ///                 return Err(std::io::Error::last_os_error());
    ///             }
    ///             Ok(())
    ///         });
    ///     }
    ///     assert!(command.status().await?.success());
    ///     Ok(())
    /// }
    /// ```
    #[cfg(unix)]
    pub unsafe fn pre_exec<F>(&mut self, f: F) -> &mut Command
    where
        F: FnMut() -> io::Result<()> + Send + Sync + 'static,
    {
        // SAFETY: the caller upholds `std`'s contract for `f`, which this
        // method's `# Safety` section repeats.
        unsafe { std::os::unix::process::CommandExt::pre_exec(&mut self.std, f) };
        self
    }

    /// Sets the child's `argv[0]`, which defaults to the program name.
    #[cfg(unix)]
    pub fn arg0(&mut self, arg: impl AsRef<OsStr>) -> &mut Command {
        std::os::unix::process::CommandExt::arg0(&mut self.std, arg);
        self
    }

    /// The `std` command inside.
    pub fn as_std(&self) -> &std::process::Command {
        &self.std
    }

    /// The `std` command inside, to set options weft has no method for.
    pub fn as_std_mut(&mut self) -> &mut std::process::Command {
        &mut self.std
    }

    /// Gives back the `std` command inside.
    pub fn into_std(self) -> std::process::Command {
        self.std
    }

    /// Starts the child.
    ///
    /// # Errors
    ///
    /// The OS error of starting it: `NotFound` for a missing program,
    /// `PermissionDenied` for one that is not executable, and so on.
    ///
    /// # Panics
    ///
    /// Outside a weft runtime, or on one with I/O disabled.
    ///
    /// ```
    /// #[weft::main]
    /// async fn main() {
    ///     let err = weft::process::Command::new("/no/such/program").spawn().unwrap_err();
    ///     assert_eq!(err.kind(), std::io::ErrorKind::NotFound);
    /// }
    /// ```
    #[track_caller]
    pub fn spawn(&mut self) -> io::Result<Child> {
        // Fail before forking when there is no usable runtime.
        let _ = crate::runtime::context::current().io();
        orphan::reap();
        let std = self.std.spawn()?;
        match Child::new(std, self.kill_on_drop, true) {
            Ok(child) => Ok(child),
            Err((e, mut std)) => {
                // The child cannot be watched: do not leave it running.
                let _ = std.kill();
                orphan::adopt(std);
                Err(e)
            }
        }
    }

    /// Runs the child with its standard streams as configured (inherited
    /// by default; piped ones are closed at once) and waits for its exit
    /// status.
    ///
    /// # Errors
    ///
    /// As for [`spawn`](Self::spawn) and [`Child::wait`].
    ///
    /// ```
    /// #[weft::main]
    /// async fn main() -> std::io::Result<()> {
    ///     let status = weft::process::Command::new("sh").args(["-c", "exit 3"]).status().await?;
    ///     assert_eq!(status.code(), Some(3));
    ///     Ok(())
    /// }
    /// ```
    pub fn status(&mut self) -> impl Future<Output = io::Result<ExitStatus>> {
        let child = self.spawn();
        async move {
            let mut child = child?;
            drop((child.stdin.take(), child.stdout.take(), child.stderr.take()));
            child.wait().await
        }
    }

    /// Runs the child with stdout and stderr piped, and collects them with
    /// its exit status.
    ///
    /// # Errors
    ///
    /// As for [`spawn`](Self::spawn) and [`Child::wait_with_output`].
    pub fn output(&mut self) -> impl Future<Output = io::Result<Output>> {
        self.std.stdout(Stdio::piped());
        self.std.stderr(Stdio::piped());
        let child = self.spawn();
        async move { child?.wait_with_output().await }
    }
}

#[cfg(test)]
mod tests;

impl From<std::process::Command> for Command {
    fn from(std: std::process::Command) -> Command {
        Command { std, kill_on_drop: false }
    }
}

impl fmt::Debug for Command {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Command").field("std", &self.std).field("kill_on_drop", &self.kill_on_drop).finish()
    }
}
