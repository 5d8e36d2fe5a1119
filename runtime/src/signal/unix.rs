//! Unix signals as streams: [`signal`] returns a [`Signal`] that receives
//! each delivery of one [`SignalKind`].

use super::registry::{self, Ticket};
use std::fmt;
use std::future::poll_fn;
use std::io;
use std::task::{ready, Context, Poll};
use weft_scheduler::coop;

/// Which Unix signal to listen for.
///
/// The constructors name the common ones; [`from_raw`](Self::from_raw)
/// takes any number (checked when [`signal`] is called).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct SignalKind(libc::c_int);

impl SignalKind {
    /// The signal with number `signum`, for example `libc::SIGWINCH`.
    ///
    /// ```
    /// use weft::signal::unix::SignalKind;
    ///
    /// assert_eq!(SignalKind::from_raw(libc::SIGHUP), SignalKind::hangup());
    /// assert_eq!(SignalKind::from_raw(10).as_raw_value(), 10);
    /// ```
    pub const fn from_raw(signum: libc::c_int) -> SignalKind {
        SignalKind(signum)
    }

    /// The signal's number.
    pub const fn as_raw_value(&self) -> libc::c_int {
        self.0
    }

    /// `SIGALRM`: a timer set with `alarm(2)` expired.
    pub const fn alarm() -> SignalKind {
        SignalKind(libc::SIGALRM)
    }

    /// `SIGCHLD`: a child process stopped or exited.
    pub const fn child() -> SignalKind {
        SignalKind(libc::SIGCHLD)
    }

    /// `SIGHUP`: the terminal hung up; daemons take it as "reload".
    pub const fn hangup() -> SignalKind {
        SignalKind(libc::SIGHUP)
    }

    /// `SIGINT`: an interrupt from the keyboard (Ctrl-C).
    pub const fn interrupt() -> SignalKind {
        SignalKind(libc::SIGINT)
    }

    /// `SIGIO`: I/O is possible on a descriptor set up for it.
    pub const fn io() -> SignalKind {
        SignalKind(libc::SIGIO)
    }

    /// `SIGPIPE`: a write to a pipe with no reader.
    pub const fn pipe() -> SignalKind {
        SignalKind(libc::SIGPIPE)
    }

    /// `SIGQUIT`: a quit from the keyboard (Ctrl-\).
    pub const fn quit() -> SignalKind {
        SignalKind(libc::SIGQUIT)
    }

    /// `SIGTERM`: a polite request to end, as sent by `kill` and service
    /// managers.
    pub const fn terminate() -> SignalKind {
        SignalKind(libc::SIGTERM)
    }

    /// `SIGUSR1`: for the program's own use.
    pub const fn user_defined1() -> SignalKind {
        SignalKind(libc::SIGUSR1)
    }

    /// `SIGUSR2`: for the program's own use.
    pub const fn user_defined2() -> SignalKind {
        SignalKind(libc::SIGUSR2)
    }

    /// `SIGWINCH`: the terminal window changed size.
    pub const fn window_change() -> SignalKind {
        SignalKind(libc::SIGWINCH)
    }
}

impl From<libc::c_int> for SignalKind {
    fn from(signum: libc::c_int) -> Self {
        SignalKind(signum)
    }
}

impl From<SignalKind> for libc::c_int {
    fn from(kind: SignalKind) -> Self {
        kind.0
    }
}

/// Starts listening for `kind` on the current runtime; each delivery from
/// now on is received by [`Signal::recv`]. Any number of listeners may
/// exist for one signal; each receives every delivery.
///
/// The first listener for a signal installs a process-wide handler that
/// stays for the rest of the process: the signal no longer has its default
/// effect.
///
/// # Errors
///
/// `InvalidInput` for a number that is not a signal, and for `SIGKILL`,
/// `SIGSTOP` (which cannot be caught), `SIGILL`, `SIGFPE` and `SIGSEGV`
/// (which must keep their default action); the OS error if the handler
/// cannot be installed.
///
/// # Panics
///
/// Outside a weft runtime, or on one with I/O disabled.
///
/// # Examples
///
/// ```
/// use weft::signal::unix::{signal, SignalKind};
///
/// #[weft::main]
/// async fn main() -> std::io::Result<()> {
///     let mut hangups = signal(SignalKind::hangup())?;
///     // SAFETY: `kill` on our own process id has no memory-safety preconditions.
///     unsafe { libc::kill(libc::getpid(), libc::SIGHUP) };
///     hangups.recv().await;
///
///     assert!(signal(SignalKind::from_raw(libc::SIGKILL)).is_err());
///     Ok(())
/// }
/// ```
#[track_caller]
pub fn signal(kind: SignalKind) -> io::Result<Signal> {
    let handle = crate::runtime::context::current();
    let ticket = registry::listen(&handle, kind.0)?;
    Ok(Signal { ticket })
}

/// A stream of deliveries of one signal, from [`signal`].
///
/// Deliveries that arrive between two receives are received as one.
pub struct Signal {
    ticket: Ticket,
}

impl Signal {
    /// Waits for the next delivery. `None` once the runtime the listener
    /// was made in has shut down: no delivery will come.
    ///
    /// Cancel-safe: dropping the future loses no delivery.
    pub async fn recv(&mut self) -> Option<()> {
        poll_fn(|cx| self.poll_recv(cx)).await
    }

    /// Polls for the next delivery: `Ready(Some(()))` if one arrived since
    /// the last, `Pending` (with `cx`'s waker stored) if none, and
    /// `Ready(None)` once the runtime the listener was made in has shut
    /// down.
    pub fn poll_recv(&mut self, cx: &mut Context<'_>) -> Poll<Option<()>> {
        let restore = ready!(coop::poll_proceed(cx));
        match registry::poll(&mut self.ticket, cx.waker()) {
            Some(true) => {
                restore.made_progress();
                Poll::Ready(Some(()))
            }
            Some(false) => Poll::Pending,
            None => {
                restore.made_progress();
                Poll::Ready(None)
            }
        }
    }
}

impl Drop for Signal {
    fn drop(&mut self) {
        registry::forget(&self.ticket);
    }
}

impl fmt::Debug for Signal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Signal").field("signum", &self.ticket.signum).finish()
    }
}
