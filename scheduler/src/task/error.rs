//! `JoinError`: why a task produced no output.

use super::Id;
use std::any::Any;
use std::fmt;
use std::io;

/// A task failed to produce its output: it was cancelled (aborted, or its
/// runtime shut down) or it panicked.
///
/// Returned by awaiting a `JoinHandle`. The panic payload can be taken out
/// with [`into_panic`](JoinError::into_panic) to resume the panic elsewhere.
pub struct JoinError {
    id: Id,
    repr: Repr,
}

enum Repr {
    Cancelled,
    /// The payload, and its message when it was a string (read once, at
    /// capture, so `Display` needs no access to the payload).
    Panic(SyncPayload, Option<String>),
}

/// A panic payload made `Sync` by never handing out a shared reference to
/// its contents.
struct SyncPayload(Box<dyn Any + Send + 'static>);

// SAFETY: `SyncPayload` gives access to its contents only by value
// (`into_inner`) or through `&mut self`; no `&self` method reads the payload,
// so sharing a `&SyncPayload` between threads shares nothing.
unsafe impl Sync for SyncPayload {}

impl JoinError {
    pub(crate) fn cancelled(id: Id) -> JoinError {
        JoinError { id, repr: Repr::Cancelled }
    }

    pub(crate) fn panic(id: Id, payload: Box<dyn Any + Send + 'static>) -> JoinError {
        let message = payload
            .downcast_ref::<&'static str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned());
        JoinError { id, repr: Repr::Panic(SyncPayload(payload), message) }
    }

    /// True if the task was cancelled: aborted, or dropped by a runtime
    /// shutdown before it finished.
    pub fn is_cancelled(&self) -> bool {
        matches!(self.repr, Repr::Cancelled)
    }

    /// True if the task panicked.
    pub fn is_panic(&self) -> bool {
        matches!(self.repr, Repr::Panic(..))
    }

    /// The id of the task that failed.
    pub fn id(&self) -> Id {
        self.id
    }

    /// Takes the panic payload out, to resume it with
    /// `std::panic::resume_unwind`.
    ///
    /// # Panics
    ///
    /// Panics if the error is not a panic; check [`is_panic`](Self::is_panic)
    /// or use [`try_into_panic`](Self::try_into_panic).
    #[track_caller]
    pub fn into_panic(self) -> Box<dyn Any + Send + 'static> {
        self.try_into_panic()
            .expect("`JoinError::into_panic` called on a cancelled task's error; check `is_panic` first")
    }

    /// Takes the panic payload out, or gives the error back if the task was
    /// cancelled.
    pub fn try_into_panic(self) -> Result<Box<dyn Any + Send + 'static>, JoinError> {
        match self.repr {
            Repr::Panic(p, _) => Ok(p.0),
            Repr::Cancelled => Err(self),
        }
    }
}

impl fmt::Display for JoinError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.repr {
            Repr::Cancelled => write!(f, "task {} was cancelled", self.id),
            Repr::Panic(_, Some(msg)) => write!(f, "task {} panicked with message {msg:?}", self.id),
            Repr::Panic(_, None) => write!(f, "task {} panicked", self.id),
        }
    }
}

impl fmt::Debug for JoinError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.repr {
            Repr::Cancelled => write!(f, "JoinError::Cancelled({:?})", self.id),
            Repr::Panic(_, msg) => write!(f, "JoinError::Panic({:?}, {msg:?})", self.id),
        }
    }
}

impl std::error::Error for JoinError {}

impl From<JoinError> for io::Error {
    fn from(err: JoinError) -> io::Error {
        let kind = if err.is_cancelled() { io::ErrorKind::Interrupted } else { io::ErrorKind::Other };
        io::Error::new(kind, err.to_string())
    }
}
