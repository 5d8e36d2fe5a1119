//! Pausing, advancing and resuming the runtime's clock, for tests.

use crate::runtime::{context, Handle, RuntimeFlavor};
use std::time::Duration;

/// The current runtime's handle, checked to be a current-thread runtime.
#[track_caller]
fn current_thread_handle(what: &str) -> Handle {
    let handle = match context::with_current(Handle::clone) {
        Ok(handle) => handle,
        Err(_) => panic!("`weft::time::{what}` was called outside a weft runtime: {}", context::NO_RUNTIME),
    };
    if handle.runtime_flavor() != RuntimeFlavor::CurrentThread {
        panic!(
            "`weft::time::{what}` needs the current_thread runtime: paused time is deterministic only when \
             one thread runs every task. Use `#[weft::test]` (current_thread is its default flavor), \
             `#[weft::test(start_paused = true)]`, or `Builder::new_current_thread()`"
        );
    }
    handle
}

/// Pauses the runtime's clock: from now on time moves only by [`advance`],
/// or jumps to the next timer whenever every task of the runtime is
/// waiting (auto-advance). Meant for tests; `#[weft::test(start_paused =
/// true)]` starts a test with the clock already paused.
///
/// Auto-advance waits while work that may wake a task runs outside the
/// runtime's threads (a [`spawn_blocking`](crate::task::spawn_blocking)
/// closure), and lets pending I/O in before it jumps.
///
/// Timers fire on the whole milliseconds of a grid that starts when the
/// runtime is built. With `start_paused = true` the clock starts on that
/// grid, so whole-millisecond sleeps end exactly on their deadline; after a
/// `pause()` in mid-run, a jump may overshoot a deadline by less than a
/// millisecond.
///
/// # Panics
///
/// Panics outside a runtime, on a multi-thread runtime, or if time is
/// already paused.
///
/// # Examples
///
/// ```
/// use std::time::Duration;
/// use weft::time::{pause, sleep, Instant};
///
/// #[weft::main(flavor = "current_thread")]
/// async fn main() {
///     pause();
///     let start = Instant::now();
///     sleep(Duration::from_secs(3600)).await; // auto-advance: no real wait
///     // Timers fire on whole milliseconds of the runtime's clock, so the
///     // jump may overshoot by less than a millisecond.
///     assert!(start.elapsed() >= Duration::from_secs(3600));
///     assert!(start.elapsed() < Duration::from_millis(3_600_001));
/// }
/// ```
#[track_caller]
pub fn pause() {
    let handle = current_thread_handle("pause()");
    if !handle.clock().pause() {
        panic!("`weft::time::pause()` was called while time is already paused; call `resume()` first");
    }
}

/// Lets a paused clock run again at real speed, from wherever it stands.
///
/// # Panics
///
/// Panics outside a runtime, on a multi-thread runtime, or if time is not
/// paused.
///
/// ```
/// #[weft::main(flavor = "current_thread")]
/// async fn main() {
///     weft::time::pause();
///     weft::time::resume();
/// }
/// ```
#[track_caller]
pub fn resume() {
    let handle = current_thread_handle("resume()");
    if !handle.clock().resume() {
        panic!("`weft::time::resume()` was called while time is not paused; `pause()` it first");
    }
}

/// Moves paused time forward by `duration` in one jump, fires every timer
/// that is now due, and yields once so that woken tasks may run before the
/// caller goes on.
///
/// Every sleep due at or before the new time completes "at the same
/// moment", in no particular order. `advance` does not wait for the tasks
/// it woke to finish; to move time until something happens, `sleep` and
/// let auto-advance do it.
///
/// # Panics
///
/// Panics outside a runtime, on a multi-thread runtime, if time is not
/// paused, or if the new time cannot be represented.
///
/// # Examples
///
/// ```
/// use std::future::{poll_fn, Future};
/// use std::task::Poll;
/// use std::time::Duration;
/// use weft::time::{advance, sleep, Instant};
///
/// #[weft::main(flavor = "current_thread", start_paused = true)]
/// async fn main() {
///     let start = Instant::now();
///     let mut sleep = std::pin::pin!(sleep(Duration::from_secs(10)));
///     // Poll it once, so that its timer is registered.
///     assert!(poll_fn(|cx| Poll::Ready(sleep.as_mut().poll(cx).is_pending())).await);
///
///     advance(Duration::from_secs(10)).await;
///     assert!(sleep.is_elapsed());
///     assert_eq!(start.elapsed(), Duration::from_secs(10));
/// }
/// ```
pub async fn advance(duration: Duration) {
    {
        let handle = current_thread_handle("advance()");
        let clock = handle.clock();
        if !clock.is_paused() {
            panic!(
                "`weft::time::advance()` needs paused time: call `weft::time::pause()` first, or use \
                 `#[weft::test(start_paused = true)]`"
            );
        }
        clock.advance(duration);
        if let Some(time) = &handle.inner.drivers.time {
            time.process();
        }
    }
    crate::task::yield_now().await;
}
