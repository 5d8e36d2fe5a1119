//! A hierarchical timing wheel over integer ticks.
//!
//! The wheel is a plain data structure: no clock, no lock, no `unsafe`. The
//! time driver decides what a tick means (one millisecond in weft), owns the
//! lock around each wheel and feeds it the current tick.
//!
//! # Layout
//!
//! There are [`LEVELS`] levels of [`SLOTS`] slots. A slot of level `L` spans
//! `64^L` ticks, so level 0 has one-tick slots and a full turn of the top
//! level spans [`RANGE`] ticks (2^36 ms, a little over two years).
//!
//! An entry is filed by comparing its deadline with the wheel's `elapsed`
//! tick: the highest six-bit digit in which the two differ picks the level,
//! and the deadline's digit at that level picks the slot. Every entry of a
//! level below the top therefore shares all higher digits with `elapsed`, and
//! its slot lies strictly ahead of the slot `elapsed` is in. The top level is
//! a ring: a slot at or behind the current one belongs to the next turn.
//!
//! A slot *expires* at the first tick it covers. Expiring a slot below level
//! 0 does not fire its entries blindly: each is either due (fired) or moved
//! down to a finer level (cascaded). Deadlines more than [`RANGE`] ticks
//! ahead are filed as if they were `RANGE - 1` ticks ahead; when their slot
//! expires they are filed again, so they are never fired early and never
//! lost.
//!
//! Deadlines at or before `elapsed` go to a separate *pending* list that the
//! next [`Wheel::poll`] drains first.
//!
//! # Storage
//!
//! Entries live in a vector arena. A slot is the head of an intrusive doubly
//! linked list threaded through the arena by index, so inserting and removing
//! are O(1). A freed arena cell goes on a free list and bumps its generation;
//! a [`Key`] carries the generation it was issued with, so a key kept past its
//! entry's removal can never reach the cell's next occupant. Each level keeps
//! a 64-bit occupancy bitmap, so the next non-empty slot is a rotate and a
//! `trailing_zeros`, never a scan.

use std::fmt;
use std::num::NonZeroU32;

#[cfg(test)]
mod tests;

/// Number of levels in the wheel.
pub const LEVELS: usize = 6;

/// Number of slots in every level.
pub const SLOTS: usize = 64;

/// Ticks covered by one full turn of the top level: `64^6`.
///
/// Deadlines further than this from [`Wheel::elapsed`] are kept, but are
/// re-filed at least once before they fire.
pub const RANGE: u64 = 1 << (SLOT_BITS * LEVELS as u32);

/// log2 of [`SLOTS`].
const SLOT_BITS: u32 = 6;

/// Marks the end of a list.
const NIL: u32 = u32::MAX;

/// List id of the pending list; ids below it are `level * SLOTS + slot`.
const PENDING: u16 = (LEVELS * SLOTS) as u16;

/// List id of a free arena cell.
const FREE: u16 = PENDING + 1;

/// Names one entry of a [`Wheel`].
///
/// A key stays valid until its entry is removed or fired; after that every
/// operation given the key reports that the entry is gone, even once the
/// arena cell holds a new entry. (Generations are 32 bits wide: a key would
/// have to outlive four billion reuses of one cell to be confused.)
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub struct Key {
    index: u32,
    generation: NonZeroU32,
}

/// A hierarchical timing wheel holding values of type `T` keyed by deadline
/// tick.
///
/// # Examples
///
/// ```
/// use weft_timer::wheel::Wheel;
///
/// let mut wheel = Wheel::new();
/// let a = wheel.insert(10, "a");
/// wheel.insert(5_000, "b");
/// assert_eq!(wheel.next_expiration(), Some(10));
///
/// // Cancelling is O(1) and hands the value back.
/// assert_eq!(wheel.remove(a), Some("a"));
///
/// // Nothing is due at tick 4 999; "b" fires at the first poll at or after 5 000.
/// assert_eq!(wheel.poll(4_999), None);
/// assert_eq!(wheel.poll(5_000), Some("b"));
/// assert!(wheel.is_empty());
/// ```
pub struct Wheel<T> {
    /// Every tick up to and including this one has been processed.
    elapsed: u64,
    /// Head of each slot's list, then the pending list's head.
    heads: [u32; LEVELS * SLOTS + 1],
    /// Bit `s` of `occupied[L]` is set exactly when slot `s` of level `L` is
    /// non-empty.
    occupied: [u64; LEVELS],
    nodes: Vec<Node<T>>,
    /// Head of the free list (threaded through `Node::next`).
    free: u32,
    len: usize,
}

struct Node<T> {
    /// `Some` exactly while the cell is in use.
    value: Option<T>,
    deadline: u64,
    prev: u32,
    next: u32,
    generation: NonZeroU32,
    /// Which list the node is on: a slot, [`PENDING`] or [`FREE`].
    list: u16,
}

/// The next slot to expire: where it is and at which tick.
#[derive(Clone, Copy)]
struct Expiration {
    list: u16,
    tick: u64,
}

impl<T> Wheel<T> {
    /// Creates an empty wheel whose `elapsed` tick is 0. Allocates nothing
    /// until the first insert.
    pub fn new() -> Self {
        Wheel {
            elapsed: 0,
            heads: [NIL; LEVELS * SLOTS + 1],
            occupied: [0; LEVELS],
            nodes: Vec::new(),
            free: NIL,
            len: 0,
        }
    }

    /// The last tick the wheel has been polled up to: every entry with a
    /// deadline at or before it has been handed out by [`poll`](Self::poll),
    /// except those inserted since, which are due at the next poll.
    pub fn elapsed(&self) -> u64 {
        self.elapsed
    }

    /// Number of entries in the wheel.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether the wheel holds no entry.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Adds `value` with the given deadline tick and returns its key. O(1)
    /// (amortised: the arena may grow).
    ///
    /// A deadline at or before [`elapsed`](Self::elapsed) is due at the next
    /// [`poll`](Self::poll).
    ///
    /// # Panics
    ///
    /// Panics if the wheel already holds `u32::MAX - 1` entries.
    pub fn insert(&mut self, deadline: u64, value: T) -> Key {
        let index = self.alloc(deadline, value);
        let list = self.list_for(deadline);
        self.link(index, list);
        self.len += 1;
        Key {
            index,
            generation: self.nodes[index as usize].generation,
        }
    }

    /// Removes the entry named by `key` and returns its value, or `None` if
    /// the entry has already fired or been removed. O(1).
    pub fn remove(&mut self, key: Key) -> Option<T> {
        let index = self.resolve(key)?;
        self.unlink(index);
        self.len -= 1;
        Some(self.release(index))
    }

    /// Moves a live entry to a new deadline, keeping its key. Returns `false`
    /// (and changes nothing) if the entry has already fired or been removed.
    /// O(1).
    pub fn reschedule(&mut self, key: Key, deadline: u64) -> bool {
        let Some(index) = self.resolve(key) else {
            return false;
        };
        self.unlink(index);
        self.nodes[index as usize].deadline = deadline;
        let list = self.list_for(deadline);
        self.link(index, list);
        true
    }

    /// The deadline of a live entry, or `None` if it has fired or been
    /// removed.
    pub fn deadline(&self, key: Key) -> Option<u64> {
        self.resolve(key).map(|i| self.nodes[i as usize].deadline)
    }

    /// Whether `key` names a live entry.
    pub fn contains(&self, key: Key) -> bool {
        self.resolve(key).is_some()
    }

    /// The earliest tick at which [`poll`](Self::poll) may have work to do,
    /// or `None` if the wheel is empty.
    ///
    /// This is never later than the earliest deadline, but may be earlier:
    /// an entry filed in a coarse slot is reported at the start of that slot,
    /// where it is moved to a finer one. Polling at the returned tick and
    /// asking again converges on the exact deadline. If something is already
    /// due the result is [`elapsed`](Self::elapsed).
    pub fn next_expiration(&self) -> Option<u64> {
        if self.heads[PENDING as usize] != NIL {
            return Some(self.elapsed);
        }
        self.next_slot().map(|e| e.tick)
    }

    /// Hands out one entry whose deadline is at or before `now`, or returns
    /// `None` once there is none left, at which point
    /// [`elapsed`](Self::elapsed) is `now`.
    ///
    /// Slots that expire on the way are processed: due entries become
    /// pending, the others are cascaded to finer levels. Calling `poll` until
    /// it returns `None` fires every due entry; stopping early is allowed
    /// (the rest stay due). A `now` behind `elapsed` is treated as `elapsed`:
    /// the wheel never runs backwards.
    pub fn poll(&mut self, now: u64) -> Option<T> {
        let now = now.max(self.elapsed);
        loop {
            let head = self.heads[PENDING as usize];
            if head != NIL {
                self.unlink(head);
                let deadline = self.nodes[head as usize].deadline;
                if deadline <= now {
                    self.len -= 1;
                    return Some(self.release(head));
                }
                // Made pending by a poll with a later `now` that stopped
                // early; not due at this one.
                let list = self.list_for(deadline);
                self.link(head, list);
                continue;
            }
            match self.next_slot() {
                Some(exp) if exp.tick <= now => {
                    if now - self.elapsed >= RANGE && self.occupied[..LEVELS - 1] == [0; LEVELS - 1]
                    {
                        // Only the top level is occupied and every one of its
                        // slots expires on the way to `now`: re-file them all
                        // at once instead of turning the ring slot by slot
                        // (which could take 2^28 turns for a jump to the end
                        // of time).
                        self.jump_to(now);
                    } else {
                        self.elapsed = self.elapsed.max(exp.tick);
                        let head = self.take_list(exp.list);
                        self.refile(head, now);
                    }
                }
                _ => {
                    self.elapsed = now;
                    return None;
                }
            }
        }
    }

    /// Polls up to `now`, passing every due value to `fire`.
    ///
    /// # Examples
    ///
    /// ```
    /// use weft_timer::wheel::Wheel;
    ///
    /// let mut wheel = Wheel::new();
    /// for t in [3, 1, 70, 4_000] {
    ///     wheel.insert(t, t);
    /// }
    /// let mut fired = Vec::new();
    /// wheel.advance(100, |t| fired.push(t));
    /// fired.sort();
    /// assert_eq!(fired, [1, 3, 70]);
    /// assert_eq!(wheel.len(), 1);
    /// ```
    pub fn advance(&mut self, now: u64, mut fire: impl FnMut(T)) {
        while let Some(value) = self.poll(now) {
            fire(value);
        }
    }

    // ----- filing -----

    /// The list an entry with `deadline` belongs on, relative to `elapsed`.
    fn list_for(&self, deadline: u64) -> u16 {
        if deadline <= self.elapsed {
            return PENDING;
        }
        // Saturate: beyond one top-level turn, file as late as the wheel can
        // represent; the slot will re-file the entry when it expires.
        let when = deadline.min(self.elapsed.saturating_add(RANGE - 1));
        let level = level_for(self.elapsed, when);
        let slot = (when >> (SLOT_BITS * level as u32)) as usize % SLOTS;
        (level * SLOTS + slot) as u16
    }

    /// The earliest non-empty slot, lowest level first on ties.
    fn next_slot(&self) -> Option<Expiration> {
        let mut best: Option<Expiration> = None;
        for level in 0..LEVELS {
            let occupied = self.occupied[level];
            if occupied == 0 {
                continue;
            }
            let shift = SLOT_BITS * level as u32;
            let width = 1u64 << shift;
            let now_slot = (self.elapsed >> shift) as u32 % SLOTS as u32;
            // Look from the slot after the current one round to the current
            // one, which comes last: below the top level it is always empty
            // (entries lie strictly ahead of `elapsed`), and on the top level
            // it holds entries for the next turn of the ring.
            debug_assert!(
                level == LEVELS - 1 || occupied & (1 << now_slot) == 0,
                "level {level} has entries in its current slot"
            );
            let ahead = u64::from(
                occupied
                    .rotate_right((now_slot + 1) % SLOTS as u32)
                    .trailing_zeros(),
            ) + 1;
            let slot = (u64::from(now_slot) + ahead) as usize % SLOTS;
            let tick = (self.elapsed & !(width - 1)).saturating_add(ahead * width);
            if best.map_or(true, |b| tick < b.tick) {
                best = Some(Expiration {
                    list: (level * SLOTS + slot) as u16,
                    tick,
                });
            }
        }
        best
    }

    /// Detaches a slot's whole list and returns its head.
    fn take_list(&mut self, list: u16) -> u32 {
        let head = self.heads[list as usize];
        self.heads[list as usize] = NIL;
        self.clear_bit(list);
        head
    }

    /// Files every node of a detached list again: those due by `now` become
    /// pending, the rest go where they belong relative to `elapsed`.
    fn refile(&mut self, mut cursor: u32, now: u64) {
        while cursor != NIL {
            let node = &self.nodes[cursor as usize];
            let next = node.next;
            let deadline = node.deadline;
            let target = if deadline <= now {
                PENDING
            } else {
                self.list_for(deadline)
            };
            self.link(cursor, target);
            cursor = next;
        }
    }

    /// Moves `elapsed` straight to `now` when only the top level holds
    /// entries, re-filing all of them relative to `now`.
    fn jump_to(&mut self, now: u64) {
        let top = (LEVELS - 1) * SLOTS;
        let mut detached = [NIL; SLOTS];
        for (slot, head) in detached.iter_mut().enumerate() {
            *head = self.take_list((top + slot) as u16);
        }
        self.elapsed = now;
        for head in detached {
            self.refile(head, now);
        }
    }

    // ----- intrusive lists -----

    fn link(&mut self, index: u32, list: u16) {
        let head = self.heads[list as usize];
        {
            let node = &mut self.nodes[index as usize];
            node.prev = NIL;
            node.next = head;
            node.list = list;
        }
        if head != NIL {
            self.nodes[head as usize].prev = index;
        } else if list < PENDING {
            let (level, slot) = split(list);
            self.occupied[level] |= 1 << slot;
        }
        self.heads[list as usize] = index;
    }

    fn unlink(&mut self, index: u32) {
        let Node {
            prev, next, list, ..
        } = self.nodes[index as usize];
        if prev == NIL {
            self.heads[list as usize] = next;
            if next == NIL {
                self.clear_bit(list);
            }
        } else {
            self.nodes[prev as usize].next = next;
        }
        if next != NIL {
            self.nodes[next as usize].prev = prev;
        }
    }

    fn clear_bit(&mut self, list: u16) {
        if list < PENDING {
            let (level, slot) = split(list);
            self.occupied[level] &= !(1 << slot);
        }
    }

    // ----- arena -----

    fn alloc(&mut self, deadline: u64, value: T) -> u32 {
        if self.free != NIL {
            let index = self.free;
            let node = &mut self.nodes[index as usize];
            self.free = node.next;
            node.value = Some(value);
            node.deadline = deadline;
            return index;
        }
        let index = u32::try_from(self.nodes.len())
            .ok()
            .filter(|&i| i != NIL)
            .expect("timer wheel is full: it holds u32::MAX - 1 entries");
        self.nodes.push(Node {
            value: Some(value),
            deadline,
            prev: NIL,
            next: NIL,
            generation: NonZeroU32::MIN,
            list: FREE,
        });
        index
    }

    /// Frees an unlinked cell and returns its value.
    fn release(&mut self, index: u32) -> T {
        let node = &mut self.nodes[index as usize];
        let value = node.value.take().expect("released a free wheel cell");
        node.generation = node.generation.checked_add(1).unwrap_or(NonZeroU32::MIN);
        node.list = FREE;
        node.prev = NIL;
        node.next = self.free;
        self.free = index;
        value
    }

    fn resolve(&self, key: Key) -> Option<u32> {
        let node = self.nodes.get(key.index as usize)?;
        (node.generation == key.generation && node.list != FREE).then_some(key.index)
    }
}

/// The level at which `when` (> `elapsed`, at most `RANGE - 1` ahead) is
/// filed: the highest six-bit digit in which the two differ, capped at the
/// top level (which is a ring, so a deadline across a `RANGE` boundary but
/// less than `RANGE` ahead still lands there correctly).
fn level_for(elapsed: u64, when: u64) -> usize {
    let masked = ((elapsed ^ when) | (SLOTS as u64 - 1)).min(RANGE - 1);
    let significant = 63 - masked.leading_zeros();
    (significant / SLOT_BITS) as usize
}

fn split(list: u16) -> (usize, usize) {
    (list as usize / SLOTS, list as usize % SLOTS)
}

impl<T> Default for Wheel<T> {
    fn default() -> Self {
        Wheel::new()
    }
}

impl<T> fmt::Debug for Wheel<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Wheel")
            .field("elapsed", &self.elapsed)
            .field("len", &self.len)
            .field("next_expiration", &self.next_expiration())
            .finish()
    }
}
