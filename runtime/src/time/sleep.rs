//! `Sleep`: a future that completes at a deadline.

use super::{with_timer, Instant};
use std::fmt;
use std::future::Future;
use std::marker::PhantomPinned;
use std::pin::Pin;
use std::task::{ready, Context, Poll};
use std::time::Duration;
use weft_scheduler::coop;
use weft_timer::TimerEntry;

/// Waits until `duration` has elapsed.
///
/// Equivalent to `sleep_until(Instant::now() + duration)`, except that a
/// duration too large to add (such as `Duration::MAX`) means "practically
/// never" (some 30 years) instead of overflowing. A zero duration completes
/// on the first poll without registering a timer.
///
/// Nothing happens until the returned future is awaited or polled; it is
/// cancelled by dropping it. The resolution is one millisecond, and it never
/// completes early.
///
/// # Panics
///
/// Panics outside a weft runtime, or in one built without the timer
/// (`Builder::enable_time()` or `enable_all()`).
///
/// # Examples
///
/// ```
/// use std::time::Duration;
/// use weft::time::sleep;
///
/// #[weft::main]
/// async fn main() {
///     sleep(Duration::from_millis(20)).await;
///     println!("20 ms have elapsed");
/// }
/// ```
#[track_caller]
pub fn sleep(duration: Duration) -> Sleep {
    Sleep::after(duration)
}

/// Waits until `deadline` is reached; completes on the first poll if it
/// already has.
///
/// # Panics
///
/// Panics outside a weft runtime, or in one built without the timer.
///
/// # Examples
///
/// ```
/// use std::time::Duration;
/// use weft::time::{sleep_until, Instant};
///
/// #[weft::main]
/// async fn main() {
///     let deadline = Instant::now() + Duration::from_millis(20);
///     sleep_until(deadline).await;
///     assert!(Instant::now() >= deadline);
/// }
/// ```
#[track_caller]
pub fn sleep_until(deadline: Instant) -> Sleep {
    Sleep::at(deadline)
}

/// The future returned by [`sleep`] and [`sleep_until`].
///
/// It is `!Unpin`: pin it (`std::pin::pin!`, `weft::pin!`, `Box::pin`) to
/// poll it or to call [`reset`](Self::reset) on it. It may be moved between
/// tasks and threads of the runtime it was made in, and polled from any of
/// them.
///
/// # Examples
///
/// Reuse one `Sleep` as a deadline that moves:
///
/// ```
/// use std::time::Duration;
/// use weft::time::{sleep, Instant};
///
/// #[weft::main(flavor = "current_thread", start_paused = true)]
/// async fn main() {
///     let start = Instant::now();
///     let mut sleep = std::pin::pin!(sleep(Duration::from_millis(10)));
///     sleep.as_mut().reset(start + Duration::from_millis(50));
///     sleep.as_mut().await;
///     assert!(sleep.is_elapsed());
///     assert_eq!(Instant::now(), start + Duration::from_millis(50));
/// }
/// ```
#[must_use = "futures do nothing unless you `.await` or poll them"]
pub struct Sleep {
    entry: TimerEntry,
    /// The timer shard of the thread that made this sleep.
    shard: usize,
    _pinned: PhantomPinned,
}

impl Sleep {
    /// A sleep of `duration` from now, saturating far in the future.
    #[track_caller]
    pub(crate) fn after(duration: Duration) -> Sleep {
        with_timer(|time, clock, shard| {
            let deadline = Instant::from_std(clock.now()).saturating_add(duration);
            Sleep::with_entry(TimerEntry::new(time, deadline.into_std()), shard)
        })
    }

    /// A sleep until `deadline`.
    #[track_caller]
    pub(crate) fn at(deadline: Instant) -> Sleep {
        with_timer(|time, _, shard| Sleep::with_entry(TimerEntry::new(time, deadline.into_std()), shard))
    }

    fn with_entry(entry: TimerEntry, shard: usize) -> Sleep {
        Sleep { entry, shard, _pinned: PhantomPinned }
    }

    /// The instant this sleep completes at.
    pub fn deadline(&self) -> Instant {
        Instant::from_std(self.entry.deadline())
    }

    /// Whether the deadline has been reached: the timer fired, or a poll
    /// saw the deadline pass. [`reset`](Self::reset) makes it pending again.
    pub fn is_elapsed(&self) -> bool {
        self.entry.is_elapsed()
    }

    /// Moves the deadline to `deadline`, whether or not this sleep has
    /// already completed; it then completes at the new deadline. A task
    /// already waiting on it is woken at the new deadline (at once if that
    /// has passed), without needing to poll it again first.
    ///
    /// ```
    /// use std::time::Duration;
    /// use weft::time::{sleep, Instant};
    ///
    /// #[weft::main(flavor = "current_thread", start_paused = true)]
    /// async fn main() {
    ///     let mut sleep = Box::pin(sleep(Duration::from_secs(60)));
    ///     let earlier = Instant::now() + Duration::from_secs(1);
    ///     sleep.as_mut().reset(earlier);
    ///     sleep.as_mut().await;
    ///     assert_eq!(Instant::now(), earlier);
    /// }
    /// ```
    pub fn reset(self: Pin<&mut Self>, deadline: Instant) {
        self.entry().reset(deadline.into_std());
    }

    fn entry(self: Pin<&mut Self>) -> Pin<&mut TimerEntry> {
        // SAFETY: no field of `Sleep` is structurally pinned. `Sleep` is
        // `!Unpin` only so that code written for other runtimes, which pin
        // their sleeps, keeps its meaning; the timer entry lives on the
        // heap side of its `Arc` once registered and is itself `Unpin`.
        // This borrow is used only to reach the entry, never to move or
        // replace the `Sleep`.
        let this = unsafe { self.get_unchecked_mut() };
        Pin::new(&mut this.entry)
    }
}

impl Future for Sleep {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let budget = ready!(coop::poll_proceed(cx));
        let shard = self.shard;
        match ready!(self.entry().poll_elapsed(cx, shard)) {
            Ok(()) => {
                budget.made_progress();
                Poll::Ready(())
            }
            Err(e) => panic!("a weft sleep failed: {e}"),
        }
    }
}

impl fmt::Debug for Sleep {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sleep").field("deadline", &self.deadline()).field("entry", &self.entry).finish()
    }
}
