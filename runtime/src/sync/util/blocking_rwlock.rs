//! A small reader-writer lock for the watch channel's value.
//!
//! The loom facade offers only a mutex, and a watch value must be readable
//! by many receivers at once (two `borrow()`s alive in one scope must not
//! deadlock), so this builds shared/exclusive access from the facade's
//! atomics, `Mutex` and `Condvar`.
//!
//! # State
//!
//! A flags word, `[ WAITING | WRITER ]`, and a reader count per shard,
//! each on its own cache line. A reader counts itself in the shard its
//! caller names (one per thread, for the watch channel), so receivers on
//! different workers never write the same line: a watch value is read by
//! many receivers, often on different workers, and written rarely.
//!
//! * `WRITER` is set while a writer holds the lock; `WAITING` while at
//!   least one writer waits (the count is under the mutex). Both change
//!   only with the mutex held.
//! * A reader checks the flags, counts itself in its shard, then checks
//!   the flags again. If either look finds a flag it leaves (uncounting
//!   itself) and waits, under the mutex, on the condvar until both clear.
//!   Writers are preferred, so a stream of readers cannot starve the
//!   sender.
//! * A writer, under the mutex, sets `WAITING` and waits until every
//!   shard is empty and no writer holds the lock, then sets `WRITER` (and
//!   clears `WAITING` if it was the last waiting writer).
//! * Count-then-check against flag-then-scan, with a `SeqCst` fence in
//!   the middle of each: of a reader and a writer arriving together at
//!   least one sees the other, so they never both go in.
//! * A reader that leaves while `WAITING` is set takes the mutex before it
//!   notifies: a writer checks the shards and starts waiting under the
//!   mutex, so the notification cannot fall between the two. A writer
//!   leaving clears `WRITER` and notifies under the mutex too.
//!
//! The price of writer preference is the usual one: a thread that holds a
//! read guard and asks for another while a writer is waiting deadlocks. The
//! watch docs warn about holding `Ref`s.

use std::fmt;
use std::ops::{Deref, DerefMut};

use crossbeam_utils::CachePadded;

use crate::loom::cell::UnsafeCell;
use crate::loom::sync::atomic::{fence, AtomicUsize, Ordering::SeqCst};
use crate::loom::sync::{Condvar, Mutex};

const WRITER: usize = 0b01;
const WAITING: usize = 0b10;

/// Reader shards. (Two under loom: enough for readers in different
/// shards, few enough to keep the models small.)
#[cfg(not(loom))]
const SHARDS: usize = 8;
#[cfg(loom)]
const SHARDS: usize = 2;

/// Shared or exclusive access to a `T`, blocking the thread while waiting.
pub(crate) struct RwLock<T> {
    /// `WRITER | WAITING`.
    state: CachePadded<AtomicUsize>,
    /// Readers inside, per shard.
    readers: [CachePadded<AtomicUsize>; SHARDS],
    /// Writers waiting; the mutex also orders every change of the two
    /// flag bits and every wait on `changed`.
    writers_waiting: Mutex<usize>,
    changed: Condvar,
    value: UnsafeCell<T>,
}

// SAFETY: the value is handed out as `&T` to many threads (needs `Sync`)
// or `&mut T` to one (needs `Send`); the flags and the reader counts make
// those exclusive.
unsafe impl<T: Send + Sync> Sync for RwLock<T> {}
// SAFETY: owning the lock owns the value.
unsafe impl<T: Send> Send for RwLock<T> {}

impl<T> RwLock<T> {
    pub(crate) fn new(value: T) -> Self {
        RwLock {
            state: CachePadded::new(AtomicUsize::new(0)),
            readers: std::array::from_fn(|_| CachePadded::new(AtomicUsize::new(0))),
            writers_waiting: Mutex::new(0),
            changed: Condvar::new(),
            value: UnsafeCell::new(value),
        }
    }

    /// Whether readers must stay out.
    fn blocked(&self) -> bool {
        // Mutant for the loom check: a reader that ignores the writer
        // holding the lock reads the value while it is being replaced.
        let flags = if cfg!(weft_loom_mutant = "watch_value_read_ignores_writer") {
            WAITING
        } else {
            WRITER | WAITING
        };
        self.state.load(SeqCst) & flags != 0
    }

    /// Counts one more reader in `shard` if no writer holds or waits for
    /// the lock. `locked`: the caller holds the mutex.
    fn try_read(&self, shard: usize, locked: bool) -> bool {
        if self.blocked() {
            return false;
        }
        self.readers[shard].fetch_add(1, SeqCst);
        // Pairs with the writer's fence between setting `WAITING` and
        // scanning the shards: of the two, at least one sees the other.
        // Mutant for the loom check: without it, both can miss each other
        // (the reader sees no flag, the writer sees an empty shard).
        if !cfg!(weft_loom_mutant = "watch_value_read_skips_fence") {
            fence(SeqCst);
        }
        if !self.blocked() {
            return true;
        }
        // A writer arrived meanwhile: step back out.
        self.leave(shard, locked);
        false
    }

    /// Uncounts a reader of `shard`, waking the writers if one waits.
    fn leave(&self, shard: usize, locked: bool) {
        self.readers[shard].fetch_sub(1, SeqCst);
        // Pairs with the writer's fence: either it sees this shard
        // emptied, or we see `WAITING` and wake it.
        fence(SeqCst);
        // Mutant for the loom check: a reader leaving does not wake the
        // writer waiting for it.
        let wakes = !cfg!(weft_loom_mutant = "watch_value_last_reader_skips_wake");
        if wakes && self.state.load(SeqCst) & WAITING != 0 {
            // Under the mutex, so the writer is either before its check
            // (and sees this reader gone) or already waiting (and gets
            // this notification).
            if !locked {
                drop(self.writers_waiting.lock());
            }
            self.changed.notify_all();
        }
    }

    /// No reader inside and no writer holding the lock.
    fn free(&self) -> bool {
        self.state.load(SeqCst) & WRITER == 0
            && self.readers.iter().all(|count| count.load(SeqCst) == 0)
    }

    /// Shared access, counted in `shard` (any number: it is taken modulo
    /// the shard count; callers on one thread should name one shard);
    /// waits while a writer holds or waits for the lock.
    pub(crate) fn read(&self, shard: usize) -> ReadGuard<'_, T> {
        let shard = shard % SHARDS;
        if !self.try_read(shard, false) && !spin_until(|| self.try_read(shard, false)) {
            let mut waiting = self.writers_waiting.lock();
            while !self.try_read(shard, true) {
                self.changed.wait(&mut waiting);
            }
        }
        ReadGuard { lock: self, shard }
    }

    /// Exclusive access; waits for readers and other writers to leave.
    pub(crate) fn write(&self) -> WriteGuard<'_, T> {
        let mut waiting = self.writers_waiting.lock();
        *waiting += 1;
        self.state.fetch_or(WAITING, SeqCst);
        // Flag, fence, scan; the readers count, fence, look (see above).
        fence(SeqCst);
        loop {
            spin_until(|| self.free());
            if self.free() {
                *waiting -= 1;
                let mut next = self.state.load(SeqCst) | WRITER;
                if *waiting == 0 {
                    next &= !WAITING;
                }
                // The flag bits only change under the mutex we hold, and
                // readers only read them: nothing else can change the
                // word now.
                self.state.store(next, SeqCst);
                break;
            }
            self.changed.wait(&mut waiting);
        }
        WriteGuard { lock: self }
    }
}

/// Spins a little while `ready` is false, before a caller goes to sleep:
/// the lock is held only to read or replace one value, so the holder is
/// usually gone within a few hundred nanoseconds, far sooner than a
/// sleep and a wake-up would take. Returns the last answer of `ready`.
/// Under loom there is no spinning: the sleeping path is the protocol.
fn spin_until(mut ready: impl FnMut() -> bool) -> bool {
    #[cfg(not(loom))]
    for _ in 0..SPINS {
        if ready() {
            return true;
        }
        std::hint::spin_loop();
    }
    ready()
}

/// How many times `spin_until` asks before giving up.
#[cfg(not(loom))]
const SPINS: usize = 100;

/// Shared access to the value; released on drop.
pub(crate) struct ReadGuard<'a, T> {
    lock: &'a RwLock<T>,
    /// The shard that counts this reader.
    shard: usize,
}

impl<T> Deref for ReadGuard<'_, T> {
    type Target = T;

    fn deref(&self) -> &T {
        // SAFETY: a read guard exists, so no writer does (our shard counts
        // us as a reader until we drop).
        self.lock.value.with(|value| unsafe { &*value })
    }
}

impl<T> Drop for ReadGuard<'_, T> {
    fn drop(&mut self) {
        self.lock.leave(self.shard, false);
    }
}

/// Exclusive access to the value; released on drop.
pub(crate) struct WriteGuard<'a, T> {
    lock: &'a RwLock<T>,
}

impl<T> Deref for WriteGuard<'_, T> {
    type Target = T;

    fn deref(&self) -> &T {
        // SAFETY: the write guard is the only access while it lives.
        self.lock.value.with(|value| unsafe { &*value })
    }
}

impl<T> DerefMut for WriteGuard<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        // SAFETY: the write guard is the only access while it lives, and
        // `&mut self` makes this borrow unique among its own borrows.
        self.lock.value.with_mut(|value| unsafe { &mut *value })
    }
}

impl<T> Drop for WriteGuard<'_, T> {
    fn drop(&mut self) {
        let waiting = self.lock.writers_waiting.lock();
        self.lock.state.fetch_and(!WRITER, SeqCst);
        drop(waiting);
        self.lock.changed.notify_all();
    }
}

impl<T: fmt::Debug> fmt::Debug for RwLock<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RwLock").finish_non_exhaustive()
    }
}
