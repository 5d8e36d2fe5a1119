//! The operating-system calls `compare` makes: resource usage of this
//! process and of one finished child. All FFI of the tool is here.

use std::io;
use std::process::Child;
use std::time::Duration;

/// CPU time and peak memory of a process.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub(crate) struct Usage {
    /// User plus system CPU time.
    pub(crate) cpu: Duration,
    /// Peak resident set size in KiB.
    pub(crate) max_rss_kib: u64,
}

fn from_rusage(ru: &libc::rusage) -> Usage {
    let tv = |t: libc::timeval| Duration::new(t.tv_sec as u64, (t.tv_usec as u32) * 1000);
    // Linux reports ru_maxrss in KiB, macOS in bytes.
    let rss = ru.ru_maxrss as u64;
    let max_rss_kib = if cfg!(target_os = "macos") { rss / 1024 } else { rss };
    Usage { cpu: tv(ru.ru_utime) + tv(ru.ru_stime), max_rss_kib }
}

/// Resource usage of the calling process so far.
pub(crate) fn self_usage() -> Usage {
    // SAFETY: an all-zero `rusage` is a valid value of this plain C struct.
    let mut ru: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: `ru` is a valid, writable `rusage` for the duration of the
    // call, and RUSAGE_SELF is a valid `who`.
    let rc = unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut ru) };
    if rc != 0 {
        return Usage::default();
    }
    from_rusage(&ru)
}

/// Waits for `child` to exit and returns its exit success and its own
/// resource usage (including that of any children it waited for), so the
/// figures of different runs never mix.
///
/// The caller must have taken and drained the child's piped outputs
/// first, or a child that fills its pipe would never exit.
pub(crate) fn wait_with_usage(child: &mut Child) -> io::Result<(bool, Usage)> {
    let pid = child.id() as libc::pid_t;
    let mut status: libc::c_int = 0;
    // SAFETY: an all-zero `rusage` is a valid value of this plain C struct.
    let mut ru: libc::rusage = unsafe { std::mem::zeroed() };
    loop {
        // SAFETY: `status` and `ru` are valid and writable for the call;
        // `pid` names our own child, which nothing else in this program
        // waits for (`Child::wait` is never called on it).
        let rc = unsafe { libc::wait4(pid, &mut status, 0, &mut ru) };
        if rc == pid {
            break;
        }
        let err = io::Error::last_os_error();
        if err.kind() != io::ErrorKind::Interrupted {
            return Err(err);
        }
    }
    let success = libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0;
    Ok((success, from_rusage(&ru)))
}
