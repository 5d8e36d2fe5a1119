//! The task's atomic state word, wrapped in a safe type.
//!
//! Every transition the task core makes is one method here; none of them is
//! `unsafe`. What a transition *permits* (who may touch the future, the
//! output, the join waker) is documented in `task/mod.rs`.

use crate::loom::sync::atomic::{AtomicUsize, Ordering::*};
use std::fmt;

/// The task is being polled (or cancelled) by exactly one thread.
const RUNNING: usize = 1 << 0;
/// The future has finished; the stage holds the output (or it was consumed).
const COMPLETE: usize = 1 << 1;
/// A `Notified` for the task sits in a run queue, or the running thread must
/// poll it again.
const NOTIFIED: usize = 1 << 2;
/// The task must be cancelled the next time it is run.
const CANCELLED: usize = 1 << 3;
/// A `JoinHandle` exists.
const JOIN_INTEREST: usize = 1 << 4;
/// The join waker slot holds a waker and belongs to the runtime side.
const JOIN_WAKER: usize = 1 << 5;

const FLAG_BITS: u32 = 6;
const REF_ONE: usize = 1 << FLAG_BITS;

/// A new task has three references (its owner list, its `JoinHandle`, and
/// the `Notified` that runs it first), is notified and has join interest.
const INITIAL: usize = (3 * REF_ONE) | NOTIFIED | JOIN_INTEREST;

pub(crate) struct State {
    word: AtomicUsize,
}

/// A copy of the state word at one instant.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) struct Snapshot(usize);

impl Snapshot {
    pub(crate) fn is_running(self) -> bool {
        self.0 & RUNNING != 0
    }
    pub(crate) fn is_complete(self) -> bool {
        self.0 & COMPLETE != 0
    }
    pub(crate) fn is_notified(self) -> bool {
        self.0 & NOTIFIED != 0
    }
    pub(crate) fn is_cancelled(self) -> bool {
        self.0 & CANCELLED != 0
    }
    pub(crate) fn is_join_interested(self) -> bool {
        self.0 & JOIN_INTEREST != 0
    }
    pub(crate) fn is_join_waker_set(self) -> bool {
        self.0 & JOIN_WAKER != 0
    }
    pub(crate) fn ref_count(self) -> usize {
        self.0 >> FLAG_BITS
    }
    fn is_idle(self) -> bool {
        self.0 & (RUNNING | COMPLETE) == 0
    }
}

impl fmt::Debug for Snapshot {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Snapshot")
            .field("running", &self.is_running())
            .field("complete", &self.is_complete())
            .field("notified", &self.is_notified())
            .field("cancelled", &self.is_cancelled())
            .field("join_interest", &self.is_join_interested())
            .field("join_waker", &self.is_join_waker_set())
            .field("refs", &self.ref_count())
            .finish()
    }
}

/// What the holder of a `Notified` does after trying to run it.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum ToRunning {
    /// Poll the future.
    Poll,
    /// Cancel the future instead of polling it.
    Cancel,
    /// The task already finished or another thread is running it: drop the
    /// `Notified`'s reference. The flag says whether it was the last one.
    Skip { last_ref: bool },
}

/// What the runner does after a poll returned `Pending`.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum ToIdle {
    /// The task is idle; the runner's reference was dropped. The flag says
    /// whether it was the last one.
    Idle { last_ref: bool },
    /// The task was woken while it ran: the runner keeps its reference and
    /// submits the task again.
    Notified,
    /// The task was aborted while it ran: the runner cancels it.
    Cancel,
}

/// What a waker does after marking the task notified.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum ToNotified {
    /// Nothing more to do.
    Nothing,
    /// Submit a `Notified` to the scheduler (its reference is already counted).
    Submit,
    /// The waker's reference was the last one: free the task.
    Dealloc,
}

impl State {
    pub(crate) fn new() -> State {
        State { word: AtomicUsize::new(INITIAL) }
    }

    pub(crate) fn load(&self) -> Snapshot {
        Snapshot(self.word.load(Acquire))
    }

    /// Applies `f` to the word until the compare-exchange succeeds. `f`
    /// returns the new word (or `None` to leave it) and a result.
    fn update<R>(&self, mut f: impl FnMut(Snapshot) -> (Option<usize>, R)) -> R {
        let mut current = self.word.load(Acquire);
        loop {
            let (next, result) = f(Snapshot(current));
            let Some(next) = next else { return result };
            match self.word.compare_exchange_weak(current, next, AcqRel, Acquire) {
                Ok(_) => return result,
                Err(actual) => current = actual,
            }
        }
    }

    /// Called by the holder of a `Notified` before polling.
    pub(crate) fn transition_to_running(&self) -> ToRunning {
        self.update(|s| {
            if !s.is_idle() {
                let next = s.0 - REF_ONE;
                return (Some(next), ToRunning::Skip { last_ref: Snapshot(next).ref_count() == 0 });
            }
            let next = (s.0 | RUNNING) & !NOTIFIED;
            let action = if s.is_cancelled() { ToRunning::Cancel } else { ToRunning::Poll };
            (Some(next), action)
        })
    }

    /// Called by the runner when the future returned `Pending`.
    pub(crate) fn transition_to_idle(&self) -> ToIdle {
        self.update(|s| {
            debug_assert!(s.is_running(), "{s:?}");
            if s.is_cancelled() {
                return (None, ToIdle::Cancel);
            }
            // Mutant `task_idle_drops_notified` (loom builds only): a wake
            // that arrived during the poll is ignored and the task goes idle.
            if s.is_notified() && !cfg!(weft_loom_mutant = "task_idle_drops_notified") {
                // Keep the runner's reference for the resubmission.
                return (Some(s.0 & !RUNNING), ToIdle::Notified);
            }
            let next = (s.0 & !RUNNING) - REF_ONE;
            (Some(next), ToIdle::Idle { last_ref: Snapshot(next).ref_count() == 0 })
        })
    }

    /// Marks the future finished. Returns the word as it was just before.
    pub(crate) fn transition_to_complete(&self) -> Snapshot {
        // Mutant `task_complete_relaxed` (loom builds only): completion no
        // longer publishes the output written before it.
        let order = if cfg!(weft_loom_mutant = "task_complete_relaxed") { Relaxed } else { AcqRel };
        let prev = Snapshot(self.word.fetch_xor(RUNNING | COMPLETE, order));
        debug_assert!(prev.is_running() && !prev.is_complete(), "{prev:?}");
        prev
    }

    /// Drops `count` references at once after completion; true if they were
    /// the last.
    pub(crate) fn drop_refs(&self, count: usize) -> bool {
        let prev = Snapshot(self.word.fetch_sub(count * REF_ONE, AcqRel));
        debug_assert!(prev.ref_count() >= count, "{prev:?}");
        prev.ref_count() == count
    }

    /// `wake` by value: consumes the waker's reference.
    pub(crate) fn transition_to_notified_by_val(&self) -> ToNotified {
        self.update(|s| {
            if s.is_running() {
                // The runner holds a reference, so this one is not the last.
                return (Some((s.0 | NOTIFIED) - REF_ONE), ToNotified::Nothing);
            }
            if s.is_complete() || s.is_notified() {
                let next = s.0 - REF_ONE;
                let action = if Snapshot(next).ref_count() == 0 {
                    ToNotified::Dealloc
                } else {
                    ToNotified::Nothing
                };
                return (Some(next), action);
            }
            // The waker's reference becomes the `Notified`'s.
            (Some(s.0 | NOTIFIED), ToNotified::Submit)
        })
    }

    /// `wake_by_ref`: takes a new reference when the task must be submitted.
    pub(crate) fn transition_to_notified_by_ref(&self) -> ToNotified {
        self.update(|s| {
            if s.is_complete() || s.is_notified() {
                return (None, ToNotified::Nothing);
            }
            if s.is_running() {
                return (Some(s.0 | NOTIFIED), ToNotified::Nothing);
            }
            (Some(checked_ref_inc(s.0 | NOTIFIED)), ToNotified::Submit)
        })
    }

    /// Abort from any thread. Returns true when the caller must submit a new
    /// `Notified` (whose reference this transition counted) so that a worker
    /// cancels the task.
    pub(crate) fn transition_to_notified_and_cancel(&self) -> bool {
        self.update(|s| {
            if s.is_cancelled() || s.is_complete() {
                return (None, false);
            }
            if s.is_running() || s.is_notified() {
                // The runner, or the queued `Notified`, will see CANCELLED.
                return (Some(s.0 | CANCELLED | NOTIFIED), false);
            }
            (Some(checked_ref_inc(s.0 | CANCELLED | NOTIFIED)), true)
        })
    }

    /// Shutdown by the task's owner. Returns true when the caller claimed the
    /// task (set RUNNING) and must now cancel and complete it.
    pub(crate) fn transition_to_shutdown(&self) -> bool {
        self.update(|s| {
            if s.is_idle() {
                (Some(s.0 | CANCELLED | RUNNING), true)
            } else {
                (Some(s.0 | CANCELLED), false)
            }
        })
    }

    /// The `JoinHandle` goes away. Returns the word as it was before.
    pub(crate) fn unset_join_interest(&self) -> Snapshot {
        Snapshot(self.word.fetch_and(!JOIN_INTEREST, AcqRel))
    }

    /// Hands the join waker slot to the runtime side. Fails (returning the
    /// current word) if the task completed first; the slot then stays with
    /// the `JoinHandle`.
    pub(crate) fn set_join_waker(&self) -> Result<Snapshot, Snapshot> {
        self.update(|s| {
            debug_assert!(s.is_join_interested() && !s.is_join_waker_set(), "{s:?}");
            if s.is_complete() {
                return (None, Err(s));
            }
            let next = s.0 | JOIN_WAKER;
            (Some(next), Ok(Snapshot(next)))
        })
    }

    /// Takes the join waker slot back for the `JoinHandle`, to replace the
    /// waker. Fails if the task completed first.
    pub(crate) fn unset_join_waker(&self) -> Result<Snapshot, Snapshot> {
        self.update(|s| {
            debug_assert!(s.is_join_interested() && s.is_join_waker_set(), "{s:?}");
            if s.is_complete() {
                return (None, Err(s));
            }
            let next = s.0 & !JOIN_WAKER;
            (Some(next), Ok(Snapshot(next)))
        })
    }

    /// After completion the runtime side gives the join waker slot back.
    /// Returns the word as it was before.
    pub(crate) fn unset_join_waker_after_complete(&self) -> Snapshot {
        Snapshot(self.word.fetch_and(!JOIN_WAKER, AcqRel))
    }

    pub(crate) fn ref_inc(&self) {
        let prev = self.word.fetch_add(REF_ONE, Relaxed);
        if prev > isize::MAX as usize {
            std::process::abort();
        }
    }

    /// Drops one reference; true if it was the last.
    pub(crate) fn ref_dec(&self) -> bool {
        let prev = Snapshot(self.word.fetch_sub(REF_ONE, AcqRel));
        debug_assert!(prev.ref_count() >= 1, "{prev:?}");
        prev.ref_count() == 1
    }
}

fn checked_ref_inc(word: usize) -> usize {
    if word > isize::MAX as usize {
        std::process::abort();
    }
    word + REF_ONE
}

impl fmt::Debug for State {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.load().fmt(f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn initial_state() {
        let s = State::new().load();
        assert_eq!(s.ref_count(), 3);
        assert!(s.is_notified() && s.is_join_interested());
        assert!(!s.is_running() && !s.is_complete() && !s.is_cancelled());
        assert_eq!(s.0 & (REF_ONE - 1), NOTIFIED | JOIN_INTEREST);
    }

    #[test]
    fn run_then_idle_drops_the_runner_ref() {
        let state = State::new();
        assert_eq!(state.transition_to_running(), ToRunning::Poll);
        assert_eq!(state.transition_to_idle(), ToIdle::Idle { last_ref: false });
        assert_eq!(state.load().ref_count(), 2);
    }

    #[test]
    fn wake_while_running_resubmits_with_the_same_ref() {
        let state = State::new();
        state.transition_to_running();
        assert_eq!(state.transition_to_notified_by_ref(), ToNotified::Nothing);
        assert_eq!(state.transition_to_idle(), ToIdle::Notified);
        assert_eq!(state.load().ref_count(), 3);
        assert!(state.load().is_notified());
    }

    #[test]
    fn wake_idle_task_submits_once() {
        let state = State::new();
        state.transition_to_running();
        state.transition_to_idle();
        state.ref_inc(); // a waker
        state.ref_inc(); // another waker
        assert_eq!(state.transition_to_notified_by_val(), ToNotified::Submit);
        assert_eq!(state.transition_to_notified_by_val(), ToNotified::Nothing);
        assert_eq!(state.load().ref_count(), 3);
    }

    #[test]
    fn abort_idle_task_submits_a_cancel() {
        let state = State::new();
        state.transition_to_running();
        state.transition_to_idle();
        assert!(state.transition_to_notified_and_cancel());
        assert!(!state.transition_to_notified_and_cancel());
        assert_eq!(state.transition_to_running(), ToRunning::Cancel);
    }

    #[test]
    fn join_waker_cannot_be_set_after_complete() {
        let state = State::new();
        state.transition_to_running();
        state.transition_to_complete();
        assert!(state.set_join_waker().is_err());
    }

    #[test]
    fn shutdown_claims_only_idle_tasks() {
        let state = State::new();
        assert!(state.transition_to_shutdown());
        let other = State::new();
        other.transition_to_running();
        assert!(!other.transition_to_shutdown());
        assert_eq!(other.transition_to_idle(), ToIdle::Cancel);
    }
}
