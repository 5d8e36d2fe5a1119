//! The task's one allocation: header, scheduler handle and stage.

use super::raw::Vtable;
use super::state::State;
use super::{Id, IdGuard, JoinError};
use crate::loom::cell::UnsafeCell;
use std::future::Future;
use std::pin::Pin;
use std::ptr::NonNull;
use std::task::{Context, Poll, Waker};

/// The type-erased part of every task, at offset 0 of its allocation.
pub(crate) struct Header {
    pub(crate) state: State,
    pub(crate) vtable: &'static Vtable,
    pub(crate) id: Id,
    /// Which `OwnedTasks` list the task belongs to (0: none). Written once,
    /// before the task is shared.
    pub(crate) owner_id: u64,
    /// Links of the owner list; read and written only under the lock of the
    /// owner list's shard that holds the task.
    pub(crate) owned_prev: UnsafeCell<Option<NonNull<Header>>>,
    pub(crate) owned_next: UnsafeCell<Option<NonNull<Header>>>,
    /// The waker of the task awaiting the `JoinHandle`. Who may touch it is
    /// decided by the JOIN_WAKER bit (see `task/mod.rs`).
    pub(crate) join_waker: UnsafeCell<Option<Waker>>,
}

/// What the future has become.
pub(crate) enum Stage<F: Future> {
    Running(F),
    Finished(Result<F::Output, JoinError>),
    Consumed,
}

/// The whole allocation. `repr(C)` keeps the header at offset 0, so a
/// pointer to the cell is a pointer to its header.
#[repr(C)]
pub(crate) struct Cell<F: Future, S> {
    pub(crate) header: Header,
    pub(crate) scheduler: S,
    pub(crate) stage: UnsafeCell<Stage<F>>,
}

impl<F: Future, S> Cell<F, S> {
    pub(crate) fn new(future: F, scheduler: S, id: Id, owner_id: u64, vtable: &'static Vtable) -> Box<Self> {
        Box::new(Cell {
            header: Header {
                state: State::new(),
                vtable,
                id,
                owner_id,
                owned_prev: UnsafeCell::new(None),
                owned_next: UnsafeCell::new(None),
                join_waker: UnsafeCell::new(None),
            },
            scheduler,
            stage: UnsafeCell::new(Stage::Running(future)),
        })
    }

    /// Polls the future.
    ///
    /// # Safety
    ///
    /// The caller holds the RUNNING bit (exclusive access to the stage) and
    /// the stage is `Running`.
    pub(crate) unsafe fn poll_future(&self, cx: &mut Context<'_>) -> Poll<F::Output> {
        let _id = IdGuard::enter(self.header.id);
        self.stage.with_mut(|stage| {
            // SAFETY: RUNNING gives this thread exclusive access to the
            // stage (caller's contract), and the cell lives in a Box that
            // never moves until it is freed, so pinning the future in place
            // is sound.
            let stage = unsafe { &mut *stage };
            match stage {
                // SAFETY: see above: the future never moves.
                Stage::Running(future) => unsafe { Pin::new_unchecked(future) }.poll(cx),
                _ => unreachable!("a task was polled after it finished"),
            }
        })
    }

    /// Replaces the stage, dropping what was there.
    ///
    /// # Safety
    ///
    /// The caller has exclusive access to the stage: it holds RUNNING, or
    /// the task is COMPLETE and the caller is the side that owns the output
    /// (see the JOIN_INTEREST rule in `task/mod.rs`).
    pub(crate) unsafe fn set_stage(&self, stage: Stage<F>) {
        let _id = IdGuard::enter(self.header.id);
        // SAFETY: exclusive access is the caller's contract.
        self.stage.with_mut(|ptr| unsafe { *ptr = stage });
    }

    /// Takes the output out.
    ///
    /// # Safety
    ///
    /// As for [`set_stage`](Self::set_stage), and the task is COMPLETE.
    pub(crate) unsafe fn take_output(&self) -> Result<F::Output, JoinError> {
        self.stage.with_mut(|ptr| {
            // SAFETY: exclusive access is the caller's contract.
            match std::mem::replace(unsafe { &mut *ptr }, Stage::Consumed) {
                Stage::Finished(output) => output,
                _ => panic!("the output of a weft task was read twice"),
            }
        })
    }
}
