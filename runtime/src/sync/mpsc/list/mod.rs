//! The mpsc message queue: a lock-free list of fixed-size blocks.
//!
//! Senders claim a slot index with one `fetch_add` on `tail_position`,
//! find the block that holds that index, write the value and set the
//! slot's bit in the block's `ready` word. The single receiver walks the
//! blocks in index order and reads a slot once its bit is set. Per message
//! that is one `fetch_add` and one `fetch_or` on the sending side and one
//! load on the receiving side: no lock, no allocation (blocks hold
//! [`BLOCK_CAP`] slots and are recycled).
//!
//! # Blocks
//!
//! Blocks form a singly linked chain in index order. `block_tail` points at
//! the oldest block senders may still need; the receiver holds `head` (the
//! block it reads from) and `free_head` (the oldest block it has not
//! recycled yet, at or before `head`).
//!
//! * **Growing.** A sender whose index is past the last block allocates the
//!   next one and links it with a CAS on `next`; if it loses the race it
//!   frees its block and follows the winner's.
//! * **Releasing.** A sender that walks past a block whose slots are all
//!   written (`is_final`), while that block is `block_tail`, moves
//!   `block_tail` on with a CAS, then records the `tail_position` it sees
//!   as the block's `observed_tail` and sets `RELEASED`. No later sender
//!   can reach the block from `block_tail` any more.
//! * **Recycling.** The receiver may reuse a `RELEASED` block once it has
//!   read every index below `observed_tail`. Why that is enough: a sender
//!   that might still hold a pointer to the block loaded `block_tail`
//!   before the releasing CAS. Its index was claimed before that load, and
//!   the `tail_position` load after the CAS sees that claim (the three
//!   operations are `SeqCst`, so they are totally ordered), so its index
//!   is below `observed_tail`. That sender writes its slot only after its
//!   walk is done, and the receiver cannot read past an unwritten slot; so
//!   when the receiver reaches `observed_tail`, every such walk is over.
//!   Recycled blocks are reset and appended at the end of the chain (or
//!   freed if that keeps failing).
//!
//! The list has no notion of "closed": the channel decides that from its
//! sender count (see `chan.rs`).

use std::mem::MaybeUninit;
use std::ptr::NonNull;

use crate::loom::cell::UnsafeCell;
use crate::loom::sync::atomic::{AtomicUsize, Ordering};

/// Slots per block; the ready bits and the `RELEASED` flag share a `usize`.
#[cfg(all(not(loom), target_pointer_width = "64"))]
pub(super) const BLOCK_CAP: usize = 32;
/// Slots per block; the ready bits and the `RELEASED` flag share a `usize`.
#[cfg(all(not(loom), not(target_pointer_width = "64")))]
pub(super) const BLOCK_CAP: usize = 16;
/// Under loom, tiny blocks let a model with a handful of messages cross
/// block boundaries, grow, release and recycle blocks through the public
/// mpsc API.
#[cfg(loom)]
pub(super) const BLOCK_CAP: usize = 2;

const SLOT_MASK: usize = BLOCK_CAP - 1;
const READY_MASK: usize = (1 << BLOCK_CAP) - 1;
const RELEASED: usize = 1 << BLOCK_CAP;

/// How often the receiver tries to append a recycled block before freeing it.
const RECYCLE_ATTEMPTS: usize = 3;

struct Block<T> {
    /// Index of slot 0, a multiple of `BLOCK_CAP`. Written only while the
    /// receiver owns the block (before it is linked into the chain).
    start: AtomicUsize,
    /// The next block's address, or 0.
    next: AtomicUsize,
    /// Bit `i`: slot `i` holds a value. `RELEASED`: see the module docs.
    ready: AtomicUsize,
    /// `tail_position` as seen when the block was released.
    observed_tail: AtomicUsize,
    slots: [UnsafeCell<MaybeUninit<T>>; BLOCK_CAP],
}

impl<T> Block<T> {
    fn alloc(start: usize) -> NonNull<Block<T>> {
        let block = Box::new(Block {
            start: AtomicUsize::new(start),
            next: AtomicUsize::new(0),
            ready: AtomicUsize::new(0),
            observed_tail: AtomicUsize::new(0),
            slots: std::array::from_fn(|_| UnsafeCell::new(MaybeUninit::uninit())),
        });
        NonNull::from(Box::leak(block))
    }

    fn is_final(&self) -> bool {
        self.ready.load(Ordering::Acquire) & READY_MASK == READY_MASK
    }

    fn next(&self) -> Option<NonNull<Block<T>>> {
        NonNull::new(self.next.load(Ordering::Acquire) as *mut Block<T>)
    }
}

/// The senders' half: shared by all senders.
pub(crate) struct Tx<T> {
    /// Address of the oldest block senders may still need.
    block_tail: AtomicUsize,
    /// The next slot index to hand out.
    tail_position: AtomicUsize,
    _owns: std::marker::PhantomData<T>,
}

/// The receiver's half: used only through `&mut`.
pub(crate) struct Rx<T> {
    /// The block holding `index` (or the block before it, if that one is
    /// not linked yet).
    head: NonNull<Block<T>>,
    /// The next index to read.
    index: usize,
    /// The oldest block not yet recycled.
    free_head: NonNull<Block<T>>,
}

// SAFETY: values of `T` move from senders to the receiver through the
// slots; the block pointers are only followed as the protocol allows.
unsafe impl<T: Send> Send for Tx<T> {}
// SAFETY: as above; `&Tx` only pushes, which is safe from many threads.
unsafe impl<T: Send> Sync for Tx<T> {}
// SAFETY: the receiver's half is owned by one receiver at a time.
unsafe impl<T: Send> Send for Rx<T> {}

/// A new, empty list.
pub(crate) fn list<T>() -> (Tx<T>, Rx<T>) {
    let first = Block::<T>::alloc(0);
    let tx = Tx {
        block_tail: AtomicUsize::new(first.as_ptr() as usize),
        tail_position: AtomicUsize::new(0),
        _owns: std::marker::PhantomData,
    };
    let rx = Rx {
        head: first,
        index: 0,
        free_head: first,
    };
    (tx, rx)
}

impl<T> Tx<T> {
    /// Appends `value`.
    pub(crate) fn push(&self, value: T) {
        let index = self.tail_position.fetch_add(1, Ordering::SeqCst);
        let block = self.find_block(index);
        // SAFETY: `find_block` returned the live block holding `index`,
        // which is ours alone: indices are handed out once, and the
        // receiver does not read the slot until its ready bit is set.
        let block = unsafe { block.as_ref() };
        let slot = index & SLOT_MASK;
        // SAFETY: as above, the slot is exclusively ours until published.
        block.slots[slot].with_mut(|ptr| unsafe { (*ptr).write(value) });
        block.ready.fetch_or(1 << slot, Ordering::Release);
    }

    /// Slots handed out so far (written or about to be).
    pub(crate) fn claimed(&self) -> usize {
        self.tail_position.load(Ordering::Acquire)
    }

    fn find_block(&self, index: usize) -> NonNull<Block<T>> {
        let start = index & !SLOT_MASK;
        let mut current = self.block_tail.load(Ordering::SeqCst);
        // Only a sender that moved `block_tail` to the block it is on may
        // move it further; that keeps the releases in chain order.
        let mut may_release = true;
        loop {
            // SAFETY: `current` came from `block_tail` or a `next` link and
            // cannot be recycled while this walk is in progress (module
            // docs, "Recycling").
            let block = unsafe { &*(current as *const Block<T>) };
            if block.start.load(Ordering::Acquire) == start {
                return NonNull::from(block);
            }
            let next = match block.next() {
                Some(next) => next,
                None => self.grow(block),
            };
            if may_release && block.is_final() {
                let released = self
                    .block_tail
                    .compare_exchange(
                        current,
                        next.as_ptr() as usize,
                        Ordering::SeqCst,
                        Ordering::SeqCst,
                    )
                    .is_ok();
                if released {
                    let observed = self.tail_position.load(Ordering::SeqCst);
                    block.observed_tail.store(observed, Ordering::Relaxed);
                    block.ready.fetch_or(RELEASED, Ordering::Release);
                } else {
                    may_release = false;
                }
            } else {
                may_release = false;
            }
            current = next.as_ptr() as usize;
        }
    }

    /// Links a new block after `block`, or returns the one another sender
    /// linked first.
    fn grow(&self, block: &Block<T>) -> NonNull<Block<T>> {
        let fresh = Block::<T>::alloc(block.start.load(Ordering::Acquire) + BLOCK_CAP);
        match block.next.compare_exchange(
            0,
            fresh.as_ptr() as usize,
            Ordering::AcqRel,
            Ordering::Acquire,
        ) {
            Ok(_) => fresh,
            Err(winner) => {
                // SAFETY: `fresh` was never shared.
                drop(unsafe { Box::from_raw(fresh.as_ptr()) });
                NonNull::new(winner as *mut Block<T>)
                    .expect("a failed link CAS saw a non-null next")
            }
        }
    }

    /// Appends a recycled (reset) block at the end of the chain.
    ///
    /// # Safety
    ///
    /// Called by the receiver, with a block it owns and has reset.
    unsafe fn recycle(&self, block: NonNull<Block<T>>) {
        let mut current = self.block_tail.load(Ordering::Acquire);
        for _ in 0..RECYCLE_ATTEMPTS {
            // SAFETY: blocks from `block_tail` onwards are live, and only
            // the receiver (our caller) recycles.
            let tail = unsafe { &*(current as *const Block<T>) };
            // SAFETY: the receiver owns `block` until the CAS publishes it.
            let fresh = unsafe { block.as_ref() };
            fresh.start.store(
                tail.start.load(Ordering::Acquire) + BLOCK_CAP,
                Ordering::Relaxed,
            );
            match tail.next.compare_exchange(
                0,
                block.as_ptr() as usize,
                Ordering::AcqRel,
                Ordering::Acquire,
            ) {
                Ok(_) => return,
                Err(next) => current = next,
            }
        }
        // SAFETY: never published, so still the receiver's alone.
        drop(unsafe { Box::from_raw(block.as_ptr()) });
    }
}

impl<T> Rx<T> {
    /// Takes the next value, if it is written.
    pub(crate) fn pop(&mut self, tx: &Tx<T>) -> Option<T> {
        if !self.advance_head() {
            return None;
        }
        self.recycle_blocks(tx);
        // SAFETY: `head` is live: the receiver recycles only blocks before
        // it.
        let head = unsafe { self.head.as_ref() };
        let slot = self.index & SLOT_MASK;
        if head.ready.load(Ordering::Acquire) & (1 << slot) == 0 {
            return None;
        }
        // SAFETY: the ready bit (read with `Acquire`) says the slot holds a
        // value written by a sender that is done with it; reading it moves
        // the value out, and `index` moves past it so it is read once.
        let value = head.slots[slot].with(|ptr| unsafe { (*ptr).assume_init_read() });
        self.index += 1;
        Some(value)
    }

    /// The next index to read.
    pub(crate) fn index(&self) -> usize {
        self.index
    }

    /// Moves `head` to the block holding `index`; false if it is not
    /// linked yet (nothing to read there).
    fn advance_head(&mut self) -> bool {
        let start = self.index & !SLOT_MASK;
        loop {
            // SAFETY: `head` is live (see `pop`).
            let head = unsafe { self.head.as_ref() };
            if head.start.load(Ordering::Acquire) == start {
                return true;
            }
            match head.next() {
                Some(next) => self.head = next,
                None => return false,
            }
        }
    }

    fn recycle_blocks(&mut self, tx: &Tx<T>) {
        while self.free_head != self.head {
            // SAFETY: blocks from `free_head` to `head` are live and all
            // their slots were read.
            let block = unsafe { self.free_head.as_ref() };
            let ready = block.ready.load(Ordering::Acquire);
            if ready & RELEASED == 0 || block.observed_tail.load(Ordering::Relaxed) > self.index {
                return;
            }
            let next = block.next().expect("a block before head has a successor");
            let recycled = self.free_head;
            self.free_head = next;
            block.next.store(0, Ordering::Relaxed);
            block.ready.store(0, Ordering::Relaxed);
            // SAFETY: no sender can reach the block (it was released and
            // every walk that could have reached it is over), so it is ours.
            unsafe { tx.recycle(recycled) };
        }
    }

    /// Drops every written value still queued and frees all blocks.
    ///
    /// # Safety
    ///
    /// No sender uses `tx` any more, and neither half is used afterwards.
    pub(crate) unsafe fn free(&mut self, tx: &Tx<T>) {
        while self.pop(tx).is_some() {}
        let mut block = Some(self.free_head);
        while let Some(current) = block {
            // SAFETY: the chain from `free_head` holds every live block; with
            // no sender left, we are its only user.
            block = unsafe { current.as_ref() }.next();
            // SAFETY: each block came from `Box::leak` in `alloc` and is
            // visited once.
            drop(unsafe { Box::from_raw(current.as_ptr()) });
        }
    }
}

impl<T> std::fmt::Debug for Tx<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Tx")
            .field("tail_position", &self.tail_position.load(Ordering::Relaxed))
            .finish()
    }
}

impl<T> std::fmt::Debug for Rx<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Rx").field("index", &self.index).finish()
    }
}

#[cfg(test)]
mod tests;
