//! A small reader-writer lock for the watch channel's value.
//!
//! The loom facade offers only a mutex, and a watch value must be readable
//! by many receivers at once (two `borrow()`s alive in one scope must not
//! deadlock), so this builds shared/exclusive access from the facade's
//! atomics, `Mutex` and `Condvar`.
//!
//! # State
//!
//! One atomic word: `[ readers ... | WAITING | WRITER ]`. Readers come and
//! go with one CAS and one `fetch_sub` on it and never touch the mutex
//! unless a writer holds or waits for the lock: a watch value is read by
//! many receivers, often on different workers, and written rarely.
//!
//! * `WRITER` is set while a writer holds the lock; `WAITING` while at
//!   least one writer waits (the count is under the mutex). Both change
//!   only with the mutex held.
//! * A reader may enter only while neither bit is set (writers are
//!   preferred, so a stream of readers cannot starve the sender). If one
//!   is set it waits on the condvar, under the mutex, until both clear.
//! * A writer, under the mutex, sets `WAITING` and waits until no reader
//!   and no writer holds the lock, then sets `WRITER` (and clears
//!   `WAITING` if it was the last waiting writer).
//! * The last reader to leave while `WAITING` is set takes the mutex
//!   before it notifies: a writer checks the word and starts waiting
//!   under the mutex, so the notification cannot fall between the two.
//!   A writer leaving clears `WRITER` and notifies under the mutex too.
//!
//! The price of writer preference is the usual one: a thread that holds a
//! read guard and asks for another while a writer is waiting deadlocks. The
//! watch docs warn about holding `Ref`s.

use std::fmt;
use std::ops::{Deref, DerefMut};

use crate::loom::cell::UnsafeCell;
use crate::loom::sync::atomic::{AtomicUsize, Ordering};
use crate::loom::sync::{Condvar, Mutex};

const WRITER: usize = 0b01;
const WAITING: usize = 0b10;
const READER: usize = 0b100;

/// Shared or exclusive access to a `T`, blocking the thread while waiting.
pub(crate) struct RwLock<T> {
    state: AtomicUsize,
    /// Writers waiting; the mutex also orders every change of the two
    /// flag bits and every wait on `changed`.
    writers_waiting: Mutex<usize>,
    changed: Condvar,
    value: UnsafeCell<T>,
}

// SAFETY: the value is handed out as `&T` to many threads (needs `Sync`)
// or `&mut T` to one (needs `Send`); the state word makes those exclusive.
unsafe impl<T: Send + Sync> Sync for RwLock<T> {}
// SAFETY: owning the lock owns the value.
unsafe impl<T: Send> Send for RwLock<T> {}

impl<T> RwLock<T> {
    pub(crate) fn new(value: T) -> Self {
        RwLock {
            state: AtomicUsize::new(0),
            writers_waiting: Mutex::new(0),
            changed: Condvar::new(),
            value: UnsafeCell::new(value),
        }
    }

    /// Counts one more reader if no writer holds or waits for the lock.
    fn try_read(&self) -> bool {
        // Mutant for the loom check: a reader that ignores the writer
        // holding the lock reads the value while it is being replaced.
        let blocked = if cfg!(weft_loom_mutant = "watch_value_read_ignores_writer") {
            WAITING
        } else {
            WRITER | WAITING
        };
        let mut state = self.state.load(Ordering::Relaxed);
        while state & blocked == 0 {
            match self.state.compare_exchange_weak(
                state,
                state + READER,
                Ordering::Acquire,
                Ordering::Relaxed,
            ) {
                Ok(_) => return true,
                Err(actual) => state = actual,
            }
        }
        false
    }

    /// Shared access; waits while a writer holds or waits for the lock.
    pub(crate) fn read(&self) -> ReadGuard<'_, T> {
        if !self.try_read() && !spin_until(|| self.try_read()) {
            let mut waiting = self.writers_waiting.lock();
            while !self.try_read() {
                self.changed.wait(&mut waiting);
            }
        }
        ReadGuard { lock: self }
    }

    /// Exclusive access; waits for readers and other writers to leave.
    pub(crate) fn write(&self) -> WriteGuard<'_, T> {
        let mut waiting = self.writers_waiting.lock();
        *waiting += 1;
        self.state.fetch_or(WAITING, Ordering::Relaxed);
        loop {
            spin_until(|| {
                let state = self.state.load(Ordering::Relaxed);
                state & WRITER == 0 && state < READER
            });
            let state = self.state.load(Ordering::Acquire);
            if state & WRITER == 0 && state < READER {
                *waiting -= 1;
                let mut next = state | WRITER;
                if *waiting == 0 {
                    next &= !WAITING;
                }
                // No reader can enter while `WAITING` is set, and the flag
                // bits only change under the mutex we hold: nothing else
                // can change the word now.
                self.state.store(next, Ordering::Relaxed);
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
}

impl<T> Deref for ReadGuard<'_, T> {
    type Target = T;

    fn deref(&self) -> &T {
        // SAFETY: a read guard exists, so no writer does (the state counts
        // us as a reader until we drop).
        self.lock.value.with(|value| unsafe { &*value })
    }
}

impl<T> Drop for ReadGuard<'_, T> {
    fn drop(&mut self) {
        let prev = self.lock.state.fetch_sub(READER, Ordering::Release);
        // Mutant for the loom check: the last reader out does not wake the
        // writer waiting for it.
        let last_out_wakes = !cfg!(weft_loom_mutant = "watch_value_last_reader_skips_wake");
        if last_out_wakes && prev & WAITING != 0 && prev >> 2 == 1 {
            // The last reader out while a writer waits: take the mutex, so
            // the writer is either before its check (and sees no reader)
            // or already waiting (and gets this notification).
            drop(self.lock.writers_waiting.lock());
            self.lock.changed.notify_all();
        }
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
        self.lock.state.fetch_and(!WRITER, Ordering::Release);
        drop(waiting);
        self.lock.changed.notify_all();
    }
}

impl<T: fmt::Debug> fmt::Debug for RwLock<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RwLock").finish_non_exhaustive()
    }
}
