//! The thread-local runtime context: which runtime `weft::spawn`,
//! `Handle::current` and the resources on this thread belong to, and
//! whether this thread is already blocked driving a runtime.

use super::Handle;
use std::cell::{Cell, RefCell};

crate::loom::thread_local! {
    static CURRENT: RefCell<Option<Handle>> = const { RefCell::new(None) };
}

crate::loom::thread_local! {
    static IN_BLOCK_ON: Cell<bool> = const { Cell::new(false) };
}

/// Why there is no current runtime.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NoContext {
    NoRuntime,
    ThreadLocalDestroyed,
}

/// Calls `f` with the current runtime's handle.
pub(crate) fn with_current<R>(f: impl FnOnce(&Handle) -> R) -> Result<R, NoContext> {
    match CURRENT.try_with(|c| c.borrow().as_ref().map(f)) {
        Ok(Some(r)) => Ok(r),
        Ok(None) => Err(NoContext::NoRuntime),
        Err(_) => Err(NoContext::ThreadLocalDestroyed),
    }
}

pub(crate) const NO_RUNTIME: &str = "there is no weft runtime on this thread: this must be called from inside a \
weft runtime (in an async fn run by `#[weft::main]`, `#[weft::test]`, `Runtime::block_on` or a spawned task), \
or after entering one with `Runtime::enter` / `Handle::enter`";

/// The current runtime's handle.
///
/// # Panics
///
/// Panics with [`NO_RUNTIME`] outside a runtime.
#[track_caller]
pub(crate) fn current() -> Handle {
    match with_current(Handle::clone) {
        Ok(h) => h,
        Err(_) => panic!("{NO_RUNTIME}"),
    }
}

/// Makes `handle` current until dropped; restores the previous one.
#[derive(Debug)]
pub(crate) struct SetCurrentGuard {
    prev: Option<Handle>,
}

pub(crate) fn set_current(handle: &Handle) -> SetCurrentGuard {
    let prev = CURRENT.with(|c| c.borrow_mut().replace(handle.clone()));
    SetCurrentGuard { prev }
}

impl Drop for SetCurrentGuard {
    fn drop(&mut self) {
        let prev = self.prev.take();
        let _ = CURRENT.try_with(|c| *c.borrow_mut() = prev);
    }
}

/// True when blocking this thread would stall async tasks: it is a worker
/// holding its queue, it drives a current-thread runtime, or it is inside
/// `block_on`.
pub(crate) fn is_driving_tasks() -> bool {
    IN_BLOCK_ON.with(Cell::get)
        || weft_scheduler::multi_thread::is_worker_thread()
        || weft_scheduler::current_thread::is_driving()
}

pub(crate) const NESTED_BLOCK_ON: &str = "cannot block on a future here: this thread is already driving weft \
tasks (it is a runtime worker, or inside `block_on`), and blocking it would stall them. Use `.await` on the \
future instead; to run blocking code from async code, use `weft::task::spawn_blocking` (or \
`weft::task::block_in_place` on a multi-thread runtime)";

/// Marks this thread as blocked in `block_on` until dropped.
#[derive(Debug)]
pub(crate) struct BlockOnGuard(());

#[track_caller]
pub(crate) fn enter_block_on() -> BlockOnGuard {
    if is_driving_tasks() {
        panic!("{NESTED_BLOCK_ON}");
    }
    IN_BLOCK_ON.with(|c| c.set(true));
    BlockOnGuard(())
}

impl Drop for BlockOnGuard {
    fn drop(&mut self) {
        let _ = IN_BLOCK_ON.try_with(|c| c.set(false));
    }
}
