//! Helpers for the `net_*` and `io_*` tests: run a test body on both
//! runtime flavors under a watchdog, and raise the descriptor limit.
#![allow(dead_code)]

use std::future::Future;
use std::sync::mpsc;
use std::time::Duration;

use weft::runtime::{Builder, Runtime};

/// How long any one test body may take before the watchdog ends the
/// process with a message naming it. Generous: the machine is shared.
pub(crate) const WATCHDOG: Duration = Duration::from_secs(120);

/// The two flavors every test runs on.
pub(crate) fn runtimes() -> Vec<(&'static str, Runtime)> {
    vec![
        (
            "current_thread",
            Builder::new_current_thread().enable_all().build().unwrap(),
        ),
        (
            "multi_thread",
            Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .unwrap(),
        ),
    ]
}

/// Runs `f` with a watchdog: if it has not returned after `limit`, the
/// process exits with an error naming `what`, so a hang fails the test
/// run instead of stalling it.
pub(crate) fn with_watchdog<R>(what: &str, limit: Duration, f: impl FnOnce() -> R) -> R {
    let (done, wait) = mpsc::channel::<()>();
    let name = what.to_owned();
    let dog = std::thread::spawn(move || {
        if let Err(mpsc::RecvTimeoutError::Timeout) = wait.recv_timeout(limit) {
            eprintln!(
                "watchdog: `{name}` did not finish within {limit:?}; aborting the test binary"
            );
            std::process::exit(101);
        }
    });
    let result = f();
    drop(done);
    dog.join().unwrap();
    result
}

/// Runs the future made by `make` on a current-thread and on a
/// multi-thread runtime, each under the watchdog.
pub(crate) fn both<F, Fut>(what: &str, make: F)
where
    F: Fn() -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    for (flavor, rt) in runtimes() {
        with_watchdog(&format!("{what} ({flavor})"), WATCHDOG, || {
            // Spawned so that the body runs as a task (with a coop
            // budget) on either flavor.
            let task = rt.spawn(make());
            rt.block_on(task).unwrap();
        });
    }
}

/// Raises the soft limit on open descriptors to the hard limit and returns
/// the new soft limit.
pub(crate) fn raise_fd_limit() -> u64 {
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: `limit` is a valid rlimit for getrlimit to fill in.
    let rc = unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) };
    assert_eq!(rc, 0, "getrlimit failed");
    if limit.rlim_cur < limit.rlim_max {
        let raised = libc::rlimit {
            rlim_cur: limit.rlim_max,
            rlim_max: limit.rlim_max,
        };
        // SAFETY: `raised` is a valid rlimit; raising the soft limit up to
        // the hard limit needs no privilege.
        if unsafe { libc::setrlimit(libc::RLIMIT_NOFILE, &raised) } == 0 {
            limit = raised;
        }
    }
    #[allow(clippy::unnecessary_cast)] // rlim_t is not u64 everywhere
    let soft = limit.rlim_cur as u64;
    soft
}

/// A simple checksum (FNV-1a, 64 bits) for checking transfers.
pub(crate) fn fnv1a(state: u64, bytes: &[u8]) -> u64 {
    bytes
        .iter()
        .fold(state, |h, &b| (h ^ b as u64).wrapping_mul(0x100_0000_01b3))
}

pub(crate) const FNV_START: u64 = 0xcbf2_9ce4_8422_2325;

/// Deterministic pseudo-random bytes (xorshift) to fill buffers with.
pub(crate) fn fill_pseudo_random(seed: &mut u64, buf: &mut [u8]) {
    for chunk in buf.chunks_mut(8) {
        *seed ^= *seed << 13;
        *seed ^= *seed >> 7;
        *seed ^= *seed << 17;
        let bytes = seed.to_le_bytes();
        chunk.copy_from_slice(&bytes[..chunk.len()]);
    }
}
