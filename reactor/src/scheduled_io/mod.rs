//! The per-registration readiness state: one readiness word and the wakers
//! waiting on it.
//!
//! # Design
//!
//! ## The readiness word
//!
//! Each [`ScheduledIo`] holds one `AtomicUsize` (layout in [`word`]):
//!
//! ```text
//!  bit  31     30 .. 24      23 .. 8      7      6        5 .. 0
//!      [ 0 | generation(7) | tick(16) | 0 | SHUTDOWN | readiness(6) ]
//! ```
//!
//! * readiness: the [`Ready`] flags (readable, writable, read closed, write
//!   closed, priority, error) the driver has seen and nobody has cleared.
//! * tick: how many events the driver has delivered to this slot, mod 2^16.
//! * generation: which registration owns the slot. The slot array reuses
//!   slots; each release moves the generation on, and the mio token of a
//!   registration carries the generation it was registered with. An event
//!   whose token generation differs from the word's is stale (it was read
//!   from the OS before the old owner deregistered) and is dropped.
//! * SHUTDOWN: sticky; set when the driver shuts down.
//!
//! ## The tick protocol
//!
//! The driver is edge-triggered: the OS reports a readiness change once, and
//! the bit stays set in the word until the socket says `WouldBlock`. So a
//! socket operation does: observe readiness (a [`ReadyEvent`] = the bits and
//! the tick), try the syscall, and on `WouldBlock` clear the observed bits.
//! If a new event arrived between the observation and the clear, clearing
//! would erase it and the task would sleep forever. Every delivery therefore
//! advances the tick, and the clear is a compare-and-swap that only applies
//! while the tick is still the observed one. Closed bits are never cleared:
//! a closed half stays closed.
//!
//! A clear could still hit the wrong state if a multiple of 65 536 deliveries
//! happened between a task's observation and its clear; the cost would be
//! one lost wake-up on a socket that is receiving events that fast, and the
//! next event repairs it.
//!
//! ## The waker protocol
//!
//! Wakers live behind a small per-slot lock: one slot for the reader, one
//! for the writer (the `poll_*_ready` API, one waiting task per direction,
//! as with `AsyncRead`/`AsyncWrite`), plus a slab of waiters for the
//! [`readiness`](crate::Registration::readiness) futures, of which any
//! number may wait at once.
//!
//! * Waiter: load the word; if ready, return without locking. Otherwise lock,
//!   store the waker, load the word again, unlock; if the second load shows
//!   readiness, return ready (the stored waker may fire later, spuriously).
//! * Driver: apply the event to the word with a CAS, then lock, take the
//!   wakers of the directions that became ready into a fixed batch, unlock,
//!   and wake the batch with no lock held.
//!
//! A delivery wakes the reader if it holds readable, read-closed or error
//! readiness, the writer if it holds writable, write-closed or error
//! readiness, and each readiness future whose interest mask it meets
//! ([`Interest::mask`](crate::Interest::mask)). The driver takes wakers out
//! but never removes waiter entries; only their futures do.
//!
//! No wake-up is lost: if the driver's lock comes after the waiter's
//! unlock, the driver finds the waker. Otherwise the driver's CAS happened
//! before its unlock, which happened before the waiter's lock, so the
//! waiter's second load sees the readiness.
//!
//! ## Orderings
//!
//! The word publishes nothing but itself (the socket's state lives in the
//! kernel), so the lock carries all cross-thread ordering the protocol
//! needs. Loads are `Acquire` and read-modify-writes `AcqRel` anyway, which
//! costs nothing on x86 and keeps the reasoning local on weaker machines.
//!
//! ## Shutdown and release
//!
//! Shutdown sets SHUTDOWN, then takes every waker under the lock; a waiter
//! that registers afterwards sees the flag on its second load. Release (the
//! registration was dropped) moves the generation on, resets readiness and
//! tick, and drops all waker entries; it runs before the slot index returns
//! to the free list, so the next owner starts clean.

mod word;

use std::io;
use std::task::{Context, Poll, Waker};

use slab::Slab;

use crate::error::shutdown_error;
use crate::loom::sync::atomic::{AtomicUsize, Ordering::AcqRel, Ordering::Acquire};
use crate::loom::sync::Mutex;
use crate::wake_list::WakeList;
use crate::{Direction, Ready, ReadyEvent};

pub(crate) use word::{Word, GENERATION_MASK};

/// Readiness state of one registration slot.
///
/// Aligned to 128 bytes (two cache lines, which x86-64 prefetches in
/// pairs): neighbouring slots belong to unrelated sockets, often the two
/// ends of one connection driven by tasks on different workers, and both
/// fields are written on every readiness poll and delivery.
#[repr(align(128))]
pub(crate) struct ScheduledIo {
    word: AtomicUsize,
    waiters: Mutex<Waiters>,
}

#[derive(Default)]
struct Waiters {
    /// Waker of the task in `poll_read_ready`.
    reader: Option<Waker>,
    /// Waker of the task in `poll_write_ready`.
    writer: Option<Waker>,
    /// Wakers of pending readiness futures. An entry is removed only by the
    /// future that inserted it (or by release), so its key stays valid for
    /// that future's lifetime; the driver only takes the waker out.
    list: Slab<Waiter>,
}

struct Waiter {
    mask: Ready,
    waker: Option<Waker>,
}

/// Outcome of checking a word against a mask.
fn check(word: Word, mask: Ready) -> Option<io::Result<ReadyEvent>> {
    if word.is_shutdown() {
        return Some(Err(shutdown_error()));
    }
    let ready = word.ready() & mask;
    if ready.is_empty() {
        None
    } else {
        Some(Ok(ReadyEvent::new(ready, word.tick())))
    }
}

/// Stores `cx`'s waker in `slot` unless it is already there; returns the
/// replaced waker so the caller can drop it after unlocking.
fn replace_waker(slot: &mut Option<Waker>, cx: &Context<'_>) -> Option<Waker> {
    match slot {
        Some(waker) if waker.will_wake(cx.waker()) => None,
        _ => slot.replace(cx.waker().clone()),
    }
}

impl ScheduledIo {
    pub(crate) fn new() -> ScheduledIo {
        ScheduledIo { word: AtomicUsize::new(Word::new(0).raw()), waiters: Mutex::new(Waiters::default()) }
    }

    fn load(&self) -> Word {
        Word::from_raw(self.word.load(Acquire))
    }

    /// Applies `f` to the word until the CAS succeeds or `f` declines.
    /// Returns the word that was replaced, or `None` if `f` declined.
    fn update(&self, mut f: impl FnMut(Word) -> Option<Word>) -> Option<Word> {
        self.word.fetch_update(AcqRel, Acquire, |raw| f(Word::from_raw(raw)).map(Word::raw)).ok().map(Word::from_raw)
    }

    /// The generation of the registration that owns the slot now.
    pub(crate) fn generation(&self) -> usize {
        self.load().generation()
    }

    /// The driver's half: records `ready` for the owner of `generation` and
    /// advances the tick. Returns `false`, changing nothing, if the event is
    /// stale (the slot now belongs to another generation).
    pub(crate) fn dispatch(&self, generation: usize, ready: Ready) -> bool {
        let ignore_generation = cfg!(weft_loom_mutant = "reactor_dispatch_ignores_generation");
        self.update(|word| (ignore_generation || word.generation() == generation).then(|| word.dispatched(ready)))
            .is_some()
    }

    /// Moves the wakers that `ready` satisfies into `wakers`. When the batch
    /// fills up it is woken here, after the lock is released, and collection
    /// goes on; what is left in `wakers` is the caller's to wake.
    pub(crate) fn wake(&self, ready: Ready, wakers: &mut WakeList) {
        let mut took_directions = false;
        let mut next_key = 0;
        loop {
            let mut waiters = self.waiters.lock();
            let mut done = false;
            if !took_directions && wakers.room() >= 2 {
                took_directions = true;
                if ready.intersects(Direction::Read.mask()) {
                    if let Some(waker) = waiters.reader.take() {
                        wakers.push(waker);
                    }
                }
                if ready.intersects(Direction::Write.mask()) {
                    if let Some(waker) = waiters.writer.take() {
                        wakers.push(waker);
                    }
                }
            }
            if took_directions {
                done = true;
                for (key, waiter) in waiters.list.iter_mut().skip_while(|(key, _)| *key < next_key) {
                    if wakers.is_full() {
                        next_key = key;
                        done = false;
                        break;
                    }
                    if waiter.mask.intersects(ready) {
                        if let Some(waker) = waiter.waker.take() {
                            wakers.push(waker);
                        }
                    }
                }
            }
            drop(waiters);
            if done {
                return;
            }
            wakers.wake_all();
        }
    }

    /// Current readiness within `mask`, without registering a waker. The
    /// returned event may be empty.
    pub(crate) fn ready_now(&self, mask: Ready) -> io::Result<ReadyEvent> {
        let word = self.load();
        if word.is_shutdown() {
            return Err(shutdown_error());
        }
        Ok(ReadyEvent::new(word.ready() & mask, word.tick()))
    }

    /// Readiness in `direction`, or `Pending` with `cx`'s waker stored in
    /// that direction's slot (replacing the previous one).
    pub(crate) fn poll_ready(&self, cx: &mut Context<'_>, direction: Direction) -> Poll<io::Result<ReadyEvent>> {
        let mask = direction.mask();
        if let Some(result) = check(self.load(), mask) {
            return Poll::Ready(result);
        }
        let mut waiters = self.waiters.lock();
        let slot = match direction {
            Direction::Read => &mut waiters.reader,
            Direction::Write => &mut waiters.writer,
        };
        let replaced = replace_waker(slot, cx);
        let recheck = !cfg!(weft_loom_mutant = "reactor_poll_skips_recheck");
        let result = if recheck { check(self.load(), mask) } else { None };
        drop(waiters);
        drop(replaced);
        match result {
            Some(result) => Poll::Ready(result),
            None => Poll::Pending,
        }
    }

    /// Readiness within `mask` for a readiness future whose waiter entry is
    /// `key` (`None` before its first `Pending`). On `Pending`, `key` names
    /// an entry holding `cx`'s waker; on `Ready`, the entry is gone and
    /// `key` is `None`.
    pub(crate) fn poll_waiter(
        &self,
        cx: &mut Context<'_>,
        mask: Ready,
        key: &mut Option<usize>,
    ) -> Poll<io::Result<ReadyEvent>> {
        if key.is_none() {
            if let Some(result) = check(self.load(), mask) {
                return Poll::Ready(result);
            }
        }
        let mut waiters = self.waiters.lock();
        if let Some(result) = check(self.load(), mask) {
            let removed = key.take().and_then(|key| waiters.list.try_remove(key));
            drop(waiters);
            drop(removed);
            return Poll::Ready(result);
        }
        let replaced = match *key {
            Some(existing) => match waiters.list.get_mut(existing) {
                Some(entry) => replace_waker(&mut entry.waker, cx),
                None => {
                    *key = Some(waiters.list.insert(Waiter { mask, waker: Some(cx.waker().clone()) }));
                    None
                }
            },
            None => {
                *key = Some(waiters.list.insert(Waiter { mask, waker: Some(cx.waker().clone()) }));
                None
            }
        };
        drop(waiters);
        drop(replaced);
        Poll::Pending
    }

    /// Drops the waiter entry of a readiness future that is going away.
    pub(crate) fn remove_waiter(&self, key: usize) {
        let removed = self.waiters.lock().list.try_remove(key);
        drop(removed);
    }

    /// Clears the readiness in `event` unless the tick has moved since it
    /// was observed. Closed bits stay set.
    pub(crate) fn clear_readiness(&self, event: ReadyEvent) {
        let clear = event.ready() - Ready::READ_CLOSED - Ready::WRITE_CLOSED;
        if clear.is_empty() {
            return;
        }
        let ignore_tick = cfg!(weft_loom_mutant = "reactor_clear_ignores_tick");
        self.update(|word| (ignore_tick || word.tick() == event.tick()).then(|| word.cleared(clear)));
    }

    /// Marks the slot shut down and moves every waker into `out`.
    pub(crate) fn shutdown(&self, out: &mut Vec<Waker>) {
        self.update(|word| Some(word.shut_down()));
        let mut waiters = self.waiters.lock();
        out.extend(waiters.reader.take());
        out.extend(waiters.writer.take());
        out.extend(waiters.list.iter_mut().filter_map(|(_, waiter)| waiter.waker.take()));
    }

    /// Hands the slot to its next owner: next generation, no readiness, no
    /// shutdown flag, tick 0, no wakers. Called when a registration is
    /// dropped, before its index is freed.
    pub(crate) fn release(&self) {
        self.update(|word| Some(word.next_generation()));
        let old = std::mem::take(&mut *self.waiters.lock());
        drop(old);
    }

    /// Readiness bits and tick now, for tests and models.
    #[cfg(any(test, loom))]
    pub(crate) fn snapshot(&self) -> Word {
        self.load()
    }
}

impl std::fmt::Debug for ScheduledIo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let word = self.load();
        f.debug_struct("ScheduledIo")
            .field("ready", &word.ready())
            .field("tick", &word.tick())
            .field("generation", &word.generation())
            .field("shutdown", &word.is_shutdown())
            .finish()
    }
}

#[cfg(test)]
mod tests;

#[cfg(all(test, loom))]
mod models;
