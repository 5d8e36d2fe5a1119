//! A small reader-writer lock for the watch channel's value.
//!
//! The loom facade offers only a mutex, and a watch value must be readable
//! by many receivers at once (two `borrow()`s alive in one scope must not
//! deadlock), so this builds shared/exclusive access from the facade's
//! `Mutex` and `Condvar`. Critical sections are short (reading or swapping
//! one value), so the bookkeeping lock is held only for a few instructions.
//!
//! Writers are preferred: once a writer waits, new readers wait behind it,
//! so a steady stream of readers cannot starve the sender. The price is the
//! usual one: a thread that holds a read guard and asks for another while a
//! writer is waiting deadlocks. The watch docs warn about holding `Ref`s.

use std::fmt;
use std::ops::{Deref, DerefMut};

use crate::loom::cell::UnsafeCell;
use crate::loom::sync::{Condvar, Mutex};

#[derive(Debug, Default)]
struct State {
    readers: usize,
    writer: bool,
    writers_waiting: usize,
}

/// Shared or exclusive access to a `T`, blocking the thread while waiting.
pub(crate) struct RwLock<T> {
    state: Mutex<State>,
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
            state: Mutex::new(State::default()),
            changed: Condvar::new(),
            value: UnsafeCell::new(value),
        }
    }

    /// Shared access; waits while a writer holds or waits for the lock.
    pub(crate) fn read(&self) -> ReadGuard<'_, T> {
        let mut state = self.state.lock();
        // Mutant for the loom check: a reader that ignores the writer
        // holding the lock reads the value while it is being replaced.
        let ignore_writer = cfg!(weft_loom_mutant = "watch_value_read_ignores_writer");
        while (state.writer && !ignore_writer) || state.writers_waiting > 0 {
            self.changed.wait(&mut state);
        }
        state.readers += 1;
        ReadGuard { lock: self }
    }

    /// Exclusive access; waits for readers and other writers to leave.
    pub(crate) fn write(&self) -> WriteGuard<'_, T> {
        let mut state = self.state.lock();
        state.writers_waiting += 1;
        while state.writer || state.readers > 0 {
            self.changed.wait(&mut state);
        }
        state.writers_waiting -= 1;
        state.writer = true;
        WriteGuard { lock: self }
    }
}

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
        let mut state = self.lock.state.lock();
        state.readers -= 1;
        let wake = state.readers == 0 && state.writers_waiting > 0;
        drop(state);
        if wake {
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
        let mut state = self.lock.state.lock();
        state.writer = false;
        drop(state);
        self.lock.changed.notify_all();
    }
}

impl<T: fmt::Debug> fmt::Debug for RwLock<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RwLock").finish_non_exhaustive()
    }
}
