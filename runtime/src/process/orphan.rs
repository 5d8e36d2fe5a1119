//! Children whose [`Child`](super::Child) was dropped before they exited.
//!
//! The OS keeps an exited child as a zombie until its parent collects its
//! status. A dropped `Child` that is still running is put here and
//! collected later: after each `SIGCHLD` (whose handler is installed the
//! first time a child is orphaned) and before each spawn. Only these
//! children's own pids are waited for, never "any child", so statuses that
//! other code waits for are left alone.

use crate::loom::sync::Mutex;
use std::process::Child;
use std::sync::OnceLock;

fn queue() -> &'static Mutex<Vec<Child>> {
    static QUEUE: OnceLock<Mutex<Vec<Child>>> = OnceLock::new();
    QUEUE.get_or_init(|| Mutex::new(Vec::new()))
}

/// Takes charge of a child that is still running (or not yet collected).
pub(super) fn adopt(child: Child) {
    crate::signal::registry::watch_children();
    queue().lock().push(child);
    // It may have exited before the handler was in place.
    reap();
}

/// Collects every orphan that has exited.
pub(crate) fn reap() {
    let mut queue = queue().lock();
    if queue.is_empty() {
        return;
    }
    // `Err` means the status is gone already (someone else waited for the
    // pid): nothing is left to collect either.
    queue.retain_mut(|child| matches!(child.try_wait(), Ok(None)));
}

/// Number of orphans not yet collected.
#[cfg(test)]
pub(super) fn len() -> usize {
    queue().lock().len()
}
