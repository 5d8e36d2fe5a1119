//! Synchronization primitives for async code: locks, semaphores, channels.
//!
//! The API mirrors tokio's `sync` module, name for name:
//!
//! | need | type |
//! |---|---|
//! | exclusive access across `.await` | [`Mutex`] |
//! | many readers or one writer | [`RwLock`] |
//! | limit concurrency | [`Semaphore`] |
//! | wake a task | [`Notify`] |
//! | wait for N tasks | [`Barrier`] |
//! | initialise once | [`OnceCell`] |
//! | one value, one time | [`oneshot`] |
//! | many senders, one receiver | [`mpsc`] |
//! | latest value, many readers | [`watch`] |
//! | every value to every receiver | [`broadcast`] |
//!
//! Every operation that waits charges the scheduler's cooperative budget,
//! so a task that finds its channel always ready still yields to others.
//!
//! All waiting is done on one intrusive waiter list (the waiter lives in
//! the future, so waiting allocates nothing), and the locks, the semaphore
//! and the bounded channel share one FIFO batch semaphore.

mod batch_semaphore;
mod util;
/// For `crate::loom_internals`: the waker slot has a model of its own.
#[cfg(loom)]
pub(crate) use util::atomic_waker::AtomicWaker;
mod wait_list;

mod barrier;
pub(crate) mod mutex;
pub(crate) mod notify;
mod once_cell;
mod rwlock;
mod semaphore;

pub mod broadcast;
pub mod mpsc;
pub mod oneshot;
#[cfg(feature = "stream")]
pub mod stream;
pub mod watch;

pub use barrier::{Barrier, BarrierWaitResult};
pub use mutex::{MappedMutexGuard, Mutex, MutexGuard, OwnedMutexGuard, TryLockError};
pub use notify::{Notified, Notify, OwnedNotified};
pub use once_cell::{OnceCell, SetError};
pub use rwlock::{
    OwnedRwLockMappedWriteGuard, OwnedRwLockReadGuard, OwnedRwLockWriteGuard, RwLock,
    RwLockMappedWriteGuard, RwLockReadGuard, RwLockWriteGuard,
};
pub use semaphore::{
    AcquireError, OwnedSemaphorePermit, Semaphore, SemaphorePermit, TryAcquireError,
};
