//! Asynchronous signal handling.
//!
//! [`ctrl_c`] waits for `SIGINT` (what Ctrl-C sends); [`unix::signal`]
//! listens for any catchable Unix signal as a stream of deliveries.
//!
//! # How delivery works
//!
//! The first listener for a signal installs a process-wide handler for it
//! (with `SA_RESTART`); the handler only records the signal and writes a
//! byte to a socket that each runtime's reactor watches. A task of the
//! runtime then wakes every listener of that signal, in any runtime.
//! Nothing is polled and no thread is started.
//!
//! A handler, once installed, stays for the life of the process, even
//! after every listener is gone: from then on the signal no longer has its
//! default effect (for `SIGINT`, ending the process). Several deliveries
//! that arrive between two `recv` calls are received as one.
//!
//! # Examples
//!
//! ```no_run
//! #[weft::main]
//! async fn main() {
//!     println!("press Ctrl-C to stop");
//!     weft::signal::ctrl_c().await.expect("could not listen for Ctrl-C");
//!     println!("stopping");
//! }
//! ```

mod handler;
pub(crate) mod registry;
pub mod unix;

use std::io;

/// Waits for the next Ctrl-C (`SIGINT`).
///
/// The listener starts when the returned future is first polled: a
/// `SIGINT` that arrives before that is not seen (and, if no listener was
/// ever installed, ends the process as usual). To be sure not to miss
/// one, start listening early with [`unix::signal`] and
/// [`SignalKind::interrupt`](unix::SignalKind::interrupt).
///
/// # Errors
///
/// If the handler cannot be installed.
///
/// # Panics
///
/// When polled outside a weft runtime, or on one with I/O disabled.
///
/// # Examples
///
/// ```
/// use std::future::Future;
/// use std::pin::pin;
/// use std::task::Poll;
///
/// #[weft::main]
/// async fn main() {
///     let mut ctrl_c = pin!(weft::signal::ctrl_c());
///     // Poll once so that the listener is in place ...
///     std::future::poll_fn(|cx| {
///         assert!(ctrl_c.as_mut().poll(cx).is_pending());
///         Poll::Ready(())
///     })
///     .await;
///     // ... then send ourselves a SIGINT.
///     // SAFETY: `kill` on our own process id has no memory-safety preconditions.
///     unsafe { libc::kill(libc::getpid(), libc::SIGINT) };
///     ctrl_c.await.unwrap();
/// }
/// ```
pub async fn ctrl_c() -> io::Result<()> {
    let mut signal = unix::signal(unix::SignalKind::interrupt())?;
    signal.recv().await;
    Ok(())
}
