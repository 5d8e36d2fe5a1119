//! The operating-system side of signal delivery: the process-wide handler
//! and the wake-up pipe. All of this module's FFI is here.
//!
//! # Protocol
//!
//! The handler does the only two things that are safe in a signal handler:
//! it sets the signal's flag in [`PENDING`] and writes one byte to the
//! non-blocking write end of a socket pair (a full socket just drops the
//! byte: one unread byte is enough to wake a reader). The read end is
//! registered with each runtime's reactor; its reader drains the bytes
//! first and then takes the flags, so a signal whose flag it misses wrote
//! its byte after the drain and wakes the reader again.
//!
//! The handler state is plain `std` atomics in statics rather than the
//! crate's `loom` types: a signal handler needs state that exists before
//! any runtime and is safe to touch at any instruction, and loom cannot
//! model signal delivery anyway.

use std::io;
use std::os::fd::AsRawFd;
use std::os::unix::net::UnixStream;
use std::sync::atomic::{AtomicBool, AtomicI32, Ordering};
use std::sync::OnceLock;

/// One more than the largest signal number weft accepts.
pub(crate) const NSIG: usize = 65;

/// Set by the handler, taken by [`take_pending`].
static PENDING: [AtomicBool; NSIG] = [const { AtomicBool::new(false) }; NSIG];

/// The write end of the wake-up socket pair, or -1 before it exists.
static WRITE_FD: AtomicI32 = AtomicI32::new(-1);

/// The socket pair: created once, kept for the life of the process (the
/// handler may run at any time, so the write end is never closed).
static PAIR: OnceLock<(UnixStream, UnixStream)> = OnceLock::new();

/// Signals that must keep their default behaviour: they cannot be caught
/// (`SIGKILL`, `SIGSTOP`), or a program that returns from their handler
/// re-runs the faulting instruction.
const FORBIDDEN: [libc::c_int; 5] = [libc::SIGKILL, libc::SIGSTOP, libc::SIGILL, libc::SIGFPE, libc::SIGSEGV];

/// Checks that `signum` may be listened for.
pub(crate) fn check(signum: libc::c_int) -> io::Result<usize> {
    if signum <= 0 || signum as usize >= NSIG {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("{signum} is not a signal number weft can listen for (it takes 1 to {})", NSIG - 1),
        ));
    }
    if FORBIDDEN.contains(&signum) {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!(
                "signal {signum} cannot be listened for: SIGKILL and SIGSTOP cannot be caught, and SIGILL, \
                 SIGFPE and SIGSEGV must keep their default action"
            ),
        ));
    }
    Ok(signum as usize)
}

/// The wake-up socket pair, created on first use.
fn pair() -> io::Result<&'static (UnixStream, UnixStream)> {
    if let Some(pair) = PAIR.get() {
        return Ok(pair);
    }
    let (read, write) = UnixStream::pair()?;
    read.set_nonblocking(true)?;
    write.set_nonblocking(true)?;
    // Two threads may race here; the loser's pair is dropped unused.
    let pair = PAIR.get_or_init(|| (read, write));
    WRITE_FD.store(pair.1.as_raw_fd(), Ordering::Release);
    Ok(pair)
}

/// A new descriptor for the read end of the wake-up socket pair, for one
/// runtime's reactor to register.
pub(crate) fn reader() -> io::Result<UnixStream> {
    pair()?.0.try_clone()
}

/// Installs the handler for `signum`. The caller checked `signum` and
/// calls this once per signal (under the registry lock).
///
/// # Errors
///
/// The error of `sigaction`, or of creating the socket pair.
pub(crate) fn install(signum: usize) -> io::Result<()> {
    pair()?;
    // SAFETY: an all-zero `sigaction` is a valid value of the C struct (no
    // handler, empty flags); every field that matters is set below.
    let mut action: libc::sigaction = unsafe { std::mem::zeroed() };
    action.sa_sigaction = on_signal as extern "C" fn(libc::c_int, *mut libc::siginfo_t, *mut libc::c_void) as usize;
    action.sa_flags = libc::SA_RESTART | libc::SA_SIGINFO;
    // SAFETY: `action.sa_mask` is a valid, writable `sigset_t`.
    unsafe { libc::sigemptyset(&mut action.sa_mask) };
    // SAFETY: `action` is fully initialised and its handler only touches
    // async-signal-safe state (atomics and `write`); a null old-action
    // pointer is allowed.
    let rc = unsafe { libc::sigaction(signum as libc::c_int, &action, std::ptr::null_mut()) };
    if rc != 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}

/// True (once) if `signum` arrived since the last call.
pub(crate) fn take_pending(signum: usize) -> bool {
    PENDING[signum].swap(false, Ordering::AcqRel)
}

/// The handler: flags the signal and wakes the readers. Keeps `errno`
/// unchanged for the code it interrupted.
extern "C" fn on_signal(signum: libc::c_int, _info: *mut libc::siginfo_t, _context: *mut libc::c_void) {
    let saved = errno::get();
    if let Some(flag) = usize::try_from(signum).ok().and_then(|i| PENDING.get(i)) {
        flag.store(true, Ordering::Release);
    }
    let fd = WRITE_FD.load(Ordering::Acquire);
    if fd >= 0 {
        let byte = 1u8;
        // SAFETY: `fd` is the write end of the socket pair, which is never
        // closed; `byte` is a valid one-byte buffer. `write` is
        // async-signal-safe. A full socket (EAGAIN) loses nothing: an
        // unread byte is already there to wake the reader.
        let _ = unsafe { libc::write(fd, (&byte as *const u8).cast(), 1) };
    }
    errno::set(saved);
}

mod errno {
    #[cfg(any(target_os = "linux", target_os = "android"))]
    fn location() -> *mut libc::c_int {
        // SAFETY: returns the calling thread's errno slot; always valid.
        unsafe { libc::__errno_location() }
    }

    #[cfg(any(target_os = "macos", target_os = "ios", target_os = "freebsd"))]
    fn location() -> *mut libc::c_int {
        // SAFETY: returns the calling thread's errno slot; always valid.
        unsafe { libc::__error() }
    }

    pub(super) fn get() -> libc::c_int {
        // SAFETY: `location` points at this thread's errno.
        unsafe { *location() }
    }

    pub(super) fn set(value: libc::c_int) {
        // SAFETY: `location` points at this thread's errno.
        unsafe { *location() = value }
    }
}
