//! `Handle`: a cloneable reference to a runtime.

use super::context::{self, SetCurrentGuard};
use super::driver::DriverHandles;
use super::{Id, RuntimeFlavor, TryCurrentError};
use std::fmt;
use std::future::Future;
use std::sync::Arc;
use weft_scheduler::{blocking, current_thread, multi_thread};

/// A cheap, cloneable reference to a runtime: spawns tasks onto it and
/// enters its context from any thread. It does not keep the runtime
/// running; after the runtime is dropped, spawned tasks are cancelled at
/// once.
///
/// # Examples
///
/// ```
/// let rt = weft::runtime::Runtime::new().unwrap();
/// let handle = rt.handle().clone();
/// let from_thread = std::thread::spawn(move || {
///     let task = handle.spawn(async { 6 * 7 });
///     handle.block_on(task).unwrap()
/// });
/// assert_eq!(from_thread.join().unwrap(), 42);
/// ```
#[derive(Clone)]
pub struct Handle {
    pub(crate) inner: Arc<Inner>,
}

pub(crate) struct Inner {
    pub(crate) scheduler: Scheduler,
    pub(crate) drivers: DriverHandles,
    pub(crate) blocking: blocking::Spawner,
    pub(crate) id: Id,
    /// Set by [`Builder::name`](super::Builder::name).
    pub(crate) name: Option<String>,
}

pub(crate) enum Scheduler {
    CurrentThread(Arc<current_thread::Handle>),
    MultiThread(Arc<multi_thread::Handle>),
}

/// Returned by [`Handle::enter`]; leaves the runtime context when dropped.
/// Guards must be dropped in the reverse order of their creation.
#[must_use = "the runtime context is left as soon as the guard is dropped"]
#[derive(Debug)]
pub struct EnterGuard<'a> {
    _guard: SetCurrentGuard,
    _handle: std::marker::PhantomData<&'a Handle>,
}

impl Handle {
    /// The handle of the runtime this code runs in.
    ///
    /// # Panics
    ///
    /// Panics outside a runtime; [`try_current`](Self::try_current) returns
    /// an error instead.
    ///
    /// ```
    /// #[weft::main(flavor = "current_thread")]
    /// async fn main() {
    ///     let handle = weft::runtime::Handle::current();
    ///     assert_eq!(handle.runtime_flavor(), weft::runtime::RuntimeFlavor::CurrentThread);
    /// }
    /// ```
    #[track_caller]
    pub fn current() -> Handle {
        context::current()
    }

    /// The handle of the current runtime, or an error outside one.
    ///
    /// ```
    /// assert!(weft::runtime::Handle::try_current().is_err());
    /// ```
    pub fn try_current() -> Result<Handle, TryCurrentError> {
        context::with_current(Handle::clone).map_err(TryCurrentError::from)
    }

    /// Enters the runtime's context on this thread, so that `weft::spawn`
    /// and resource constructors find it.
    pub fn enter(&self) -> EnterGuard<'_> {
        EnterGuard { _guard: context::set_current(self), _handle: std::marker::PhantomData }
    }

    /// Spawns a future onto the runtime; see [`crate::spawn`].
    #[track_caller]
    pub fn spawn<F>(&self, future: F) -> crate::task::JoinHandle<F::Output>
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static,
    {
        let id = weft_scheduler::task::Id::next();
        match &self.inner.scheduler {
            Scheduler::CurrentThread(h) => h.spawn(future, id),
            Scheduler::MultiThread(h) => h.spawn(future, id),
        }
    }

    /// Runs a blocking closure on the runtime's blocking pool; see
    /// [`crate::task::spawn_blocking`].
    #[track_caller]
    pub fn spawn_blocking<F, R>(&self, f: F) -> crate::task::JoinHandle<R>
    where
        F: FnOnce() -> R + Send + 'static,
        R: Send + 'static,
    {
        let clock = self.inner.drivers.clock.clone();
        clock.inhibit_auto_advance();
        self.inner.blocking.spawn_blocking(move || {
            struct Allow(weft_timer::Clock);
            impl Drop for Allow {
                fn drop(&mut self) {
                    self.0.allow_auto_advance();
                }
            }
            let _allow = Allow(clock);
            f()
        })
    }

    /// Runs `future` to completion on this thread, inside the runtime's
    /// context. On a current-thread runtime this thread also runs the
    /// spawned tasks while it waits (if no other thread does).
    ///
    /// # Panics
    ///
    /// Panics when called from a thread that is driving async tasks (a
    /// worker, or inside another `block_on`): blocking it would stall them.
    #[track_caller]
    pub fn block_on<F: Future>(&self, future: F) -> F::Output {
        let _block = context::enter_block_on();
        let _enter = self.enter();
        match &self.inner.scheduler {
            Scheduler::CurrentThread(h) => h.block_on(future),
            Scheduler::MultiThread(_) => weft_scheduler::park::block_on(future),
        }
    }

    /// Which kind of scheduler the runtime uses.
    pub fn runtime_flavor(&self) -> RuntimeFlavor {
        match self.inner.scheduler {
            Scheduler::CurrentThread(_) => RuntimeFlavor::CurrentThread,
            Scheduler::MultiThread(_) => RuntimeFlavor::MultiThread,
        }
    }

    /// The runtime's id, unique in the process.
    pub fn id(&self) -> Id {
        self.inner.id
    }

    /// The runtime's name, as given to [`Builder::name`](super::Builder::name)
    /// (or the `name` option of `#[weft::main]` and `#[weft::test]`);
    /// `None` if it was not given one.
    ///
    /// ```
    /// #[weft::main(flavor = "current_thread", name = "frontend")]
    /// async fn main() {
    ///     assert_eq!(weft::runtime::Handle::current().name(), Some("frontend"));
    /// }
    /// ```
    pub fn name(&self) -> Option<&str> {
        self.inner.name.as_deref()
    }

    /// The runtime's statistics; see [`RuntimeMetrics`](super::RuntimeMetrics).
    ///
    /// ```
    /// #[weft::main(flavor = "current_thread")]
    /// async fn main() {
    ///     let metrics = weft::runtime::Handle::current().metrics();
    ///     assert_eq!(metrics.num_workers(), 1);
    ///     println!("{} tasks waiting in the global queue", metrics.global_queue_depth());
    /// }
    /// ```
    pub fn metrics(&self) -> super::RuntimeMetrics {
        super::RuntimeMetrics { handle: self.clone() }
    }

    /// The I/O driver, or a panic that says how to enable it.
    #[track_caller]
    pub(crate) fn io(&self) -> &weft_reactor::Handle {
        self.inner.drivers.io.as_ref().expect(
            "this weft runtime has I/O disabled: build it with `Builder::enable_io()` or `enable_all()` \
             (`#[weft::main]` and `#[weft::test]` enable everything)",
        )
    }

    /// The timer driver, or a panic that says how to enable it.
    #[track_caller]
    pub(crate) fn time(&self) -> &weft_timer::Handle {
        self.inner.drivers.time.as_ref().expect(
            "this weft runtime has timers disabled: build it with `Builder::enable_time()` or `enable_all()` \
             (`#[weft::main]` and `#[weft::test]` enable everything)",
        )
    }

    /// The runtime's clock (paused or real).
    pub(crate) fn clock(&self) -> &weft_timer::Clock {
        &self.inner.drivers.clock
    }

    /// A shard index for timers: the current worker's index, so that
    /// workers register timers without contending on one lock.
    pub(crate) fn timer_shard_hint(&self) -> usize {
        match &self.inner.scheduler {
            Scheduler::CurrentThread(_) => 0,
            Scheduler::MultiThread(h) => h.current_worker_index().unwrap_or(0),
        }
    }

    pub(crate) fn shutdown_scheduler(&self) {
        match &self.inner.scheduler {
            Scheduler::CurrentThread(h) => h.shutdown(),
            Scheduler::MultiThread(h) => h.shutdown(),
        }
    }
}

impl fmt::Debug for Handle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Handle")
            .field("id", &self.inner.id)
            .field("name", &self.inner.name)
            .field("flavor", &self.runtime_flavor())
            .finish()
    }
}
