//! The production side of the facade.

pub(crate) mod sync {
    pub(crate) use std::sync::Arc;

    pub(crate) mod atomic {
        pub(crate) use std::sync::atomic::{fence, AtomicBool, AtomicU32, AtomicU64, AtomicUsize, Ordering};

        /// A statistics counter (the runtime's metrics): one thread stores
        /// it, any thread loads it, always `Relaxed`.
        pub(crate) use std::sync::atomic::AtomicU64 as MetricU64;
    }

    /// A mutex without poisoning: a panic while holding it releases it.
    #[derive(Debug, Default)]
    pub(crate) struct Mutex<T: ?Sized>(parking_lot::Mutex<T>);

    pub(crate) type MutexGuard<'a, T> = parking_lot::MutexGuard<'a, T>;

    impl<T> Mutex<T> {
        pub(crate) fn new(value: T) -> Self {
            Mutex(parking_lot::Mutex::new(value))
        }
    }

    impl<T: ?Sized> Mutex<T> {
        pub(crate) fn lock(&self) -> MutexGuard<'_, T> {
            self.0.lock()
        }

        pub(crate) fn try_lock(&self) -> Option<MutexGuard<'_, T>> {
            self.0.try_lock()
        }
    }

    /// A condition variable that pairs with [`Mutex`].
    #[derive(Debug, Default)]
    pub(crate) struct Condvar(parking_lot::Condvar);

    impl Condvar {
        pub(crate) fn new() -> Self {
            Condvar(parking_lot::Condvar::new())
        }

        pub(crate) fn wait<T>(&self, guard: &mut MutexGuard<'_, T>) {
            self.0.wait(guard);
        }

        /// Waits at most `timeout`; spurious returns are allowed.
        pub(crate) fn wait_for<T>(&self, guard: &mut MutexGuard<'_, T>, timeout: std::time::Duration) {
            let _ = self.0.wait_for(guard, timeout);
        }

        pub(crate) fn notify_one(&self) {
            self.0.notify_one();
        }

        pub(crate) fn notify_all(&self) {
            self.0.notify_all();
        }
    }
}

pub(crate) mod cell {
    /// `UnsafeCell` with loom's closure-based access API, so the same code
    /// compiles against both backends.
    #[derive(Debug)]
    pub(crate) struct UnsafeCell<T: ?Sized>(std::cell::UnsafeCell<T>);

    impl<T> UnsafeCell<T> {
        pub(crate) const fn new(value: T) -> Self {
            UnsafeCell(std::cell::UnsafeCell::new(value))
        }
    }

    impl<T: ?Sized> UnsafeCell<T> {
        #[inline(always)]
        pub(crate) fn with<R>(&self, f: impl FnOnce(*const T) -> R) -> R {
            f(self.0.get())
        }

        #[inline(always)]
        pub(crate) fn with_mut<R>(&self, f: impl FnOnce(*mut T) -> R) -> R {
            f(self.0.get())
        }
    }
}

pub(crate) mod thread {
    pub(crate) use std::thread::{current, yield_now, Builder, JoinHandle};
}

/// Spin-loop hint; under loom it yields to the model's scheduler instead.
#[inline(always)]
pub(crate) fn spin_loop() {
    std::hint::spin_loop();
}

/// A thread-local key. `loom` needs its own kind, so declarations go through
/// this macro.
macro_rules! weft_thread_local {
    ($($tt:tt)*) => { std::thread_local! { $($tt)* } };
}
pub(crate) use weft_thread_local as thread_local;
