//! The error a timer completes with when it can no longer fire.

use std::fmt;

/// Why a timer completed without its deadline being reached.
///
/// The only cause today is that the time driver was shut down (the runtime
/// is stopping). Query it with [`Error::is_shutdown`].
///
/// # Examples
///
/// ```
/// use std::task::{Context, Poll, Wake, Waker};
/// use std::sync::Arc;
/// use std::time::Duration;
/// use weft_timer::{Clock, Driver, TimerEntry};
///
/// struct Noop;
/// impl Wake for Noop {
///     fn wake(self: Arc<Self>) {}
/// }
///
/// let clock = Clock::new(true);
/// let driver = Driver::new(clock.clone(), 1);
/// let mut timer = Box::pin(TimerEntry::new(&driver.handle(), clock.now() + Duration::from_secs(1)));
/// let waker = Waker::from(Arc::new(Noop));
/// let mut cx = Context::from_waker(&waker);
/// assert!(timer.as_mut().poll_elapsed(&mut cx, 0).is_pending());
///
/// driver.shutdown();
/// match timer.as_mut().poll_elapsed(&mut cx, 0) {
///     Poll::Ready(Err(e)) => assert!(e.is_shutdown()),
///     other => panic!("unexpected {other:?}"),
/// }
/// ```
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Error {
    kind: Kind,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Kind {
    Shutdown,
}

impl Error {
    pub(crate) fn shutdown() -> Error {
        Error {
            kind: Kind::Shutdown,
        }
    }

    /// Whether the timer failed because its time driver has shut down.
    pub fn is_shutdown(&self) -> bool {
        self.kind == Kind::Shutdown
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Error").field("kind", &self.kind).finish()
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.kind {
            Kind::Shutdown => f.write_str(
                "the time driver has shut down, so this timer can never fire; \
                 timers only work while their runtime is running",
            ),
        }
    }
}

impl std::error::Error for Error {}
