//! The model-checking side of the facade (`--cfg loom`).

pub(crate) mod sync {
    pub(crate) use loom::sync::Arc;

    pub(crate) mod atomic {
        pub(crate) use loom::sync::atomic::{fence, AtomicBool, AtomicU32, AtomicU64, AtomicUsize, Ordering};

        /// Statistics counters stay std atomics under loom. They are
        /// `Relaxed` stores by one thread and loads by others, and no
        /// protocol reads them to decide anything, so there is nothing to
        /// check; as loom atomics every park would add scheduling points
        /// and multiply the interleavings each model explores.
        pub(crate) use std::sync::atomic::AtomicU64 as MetricU64;
    }

    /// loom's mutex behind the same no-poisoning API as production.
    #[derive(Debug, Default)]
    pub(crate) struct Mutex<T>(loom::sync::Mutex<T>);

    pub(crate) type MutexGuard<'a, T> = loom::sync::MutexGuard<'a, T>;

    impl<T> Mutex<T> {
        pub(crate) fn new(value: T) -> Self {
            Mutex(loom::sync::Mutex::new(value))
        }

        pub(crate) fn lock(&self) -> MutexGuard<'_, T> {
            self.0.lock().unwrap_or_else(|e| e.into_inner())
        }

        pub(crate) fn try_lock(&self) -> Option<MutexGuard<'_, T>> {
            self.0.try_lock().ok()
        }
    }

    /// loom's condvar. Guards are passed by `&mut` as with parking_lot.
    #[derive(Debug, Default)]
    pub(crate) struct Condvar(loom::sync::Condvar);

    impl Condvar {
        pub(crate) fn new() -> Self {
            Condvar(loom::sync::Condvar::new())
        }

        pub(crate) fn wait<'a, T>(&self, guard: &mut MutexGuard<'a, T>) {
            replace_guard(guard, |g| self.0.wait(g).unwrap_or_else(|e| e.into_inner()));
        }

        /// loom has no time; a timed wait is an untimed one that may also
        /// return spuriously, which the callers already allow.
        pub(crate) fn wait_for<'a, T>(&self, guard: &mut MutexGuard<'a, T>, _timeout: std::time::Duration) {
            self.wait(guard);
        }

        pub(crate) fn notify_one(&self) {
            self.0.notify_one();
        }

        pub(crate) fn notify_all(&self) {
            self.0.notify_all();
        }
    }

    fn replace_guard<'a, T>(
        slot: &mut MutexGuard<'a, T>,
        f: impl FnOnce(MutexGuard<'a, T>) -> MutexGuard<'a, T>,
    ) {
        // SAFETY: the guard is moved out of `slot` and a guard of the same
        // lock is written back before anyone can observe `slot` again; `f`
        // (a condvar wait) does not unwind in loom models, and if it did the
        // process aborts through the model's panic handling rather than
        // reading the moved-out slot.
        unsafe {
            let guard = std::ptr::read(slot);
            std::ptr::write(slot, f(guard));
        }
    }
}

pub(crate) mod cell {
    pub(crate) use loom::cell::UnsafeCell;
}

pub(crate) mod thread {
    pub(crate) use loom::thread::{current, yield_now, Builder, JoinHandle};
}

/// Under loom a spin must yield, or the model never lets the other thread run.
pub(crate) fn spin_loop() {
    loom::thread::yield_now();
}

/// loom's `thread_local!` has no `const { .. }` initialiser form; such a
/// declaration is forwarded with the plain initialiser instead.
macro_rules! weft_thread_local {
    ($(#[$attr:meta])* $vis:vis static $name:ident: $t:ty = const { $init:expr } $(;)?) => {
        loom::thread_local! { $(#[$attr])* $vis static $name: $t = $init; }
    };
    ($($tt:tt)*) => { loom::thread_local! { $($tt)* } };
}
pub(crate) use weft_thread_local as thread_local;
