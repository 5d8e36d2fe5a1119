//! The intrusive waiter list every weft primitive queues its waiters on.
//!
//! A waiting future (an `Acquire`, a `Notified`, a broadcast `Recv`) owns a
//! [`Node`] inside itself. When it has to wait, it links that node into the
//! primitive's [`WaitList`]; waiting therefore allocates nothing. The list
//! never owns a node, it only points at nodes that live in pinned futures.
//!
//! # Invariants
//!
//! Everything here rests on one lock: each list sits inside the mutex of the
//! primitive that owns it (`crate::loom::sync::Mutex`), and every operation
//! takes `&mut WaitList`, which can only be had through that mutex's guard.
//!
//! 1. **Pinned while shared.** A node is linked only after its owner is
//!    pinned, so its address is stable for as long as anyone can reach it.
//! 2. **One lock for all node state.** A node's links *and* its payload are
//!    read and written only with the list's lock held, by the owner and by
//!    whoever pops it alike. This is why the payload needs no atomics: the
//!    lock orders every access.
//! 3. **The owner unlinks before it goes away.** A future whose node was ever
//!    linked takes the lock in its `Drop` and removes the node if it is still
//!    linked. A node that was popped by someone else (the waiter was woken)
//!    may still be touched by the popper until the popper releases the lock;
//!    since the owner must take that same lock first, it cannot free the
//!    node under the popper's feet.
//! 4. **One list at a time.** A node is in at most one list, and every
//!    primitive keeps its own nodes in its own list.
//!
//! One exception to invariant 3 lets an owner skip the lock after it was
//! woken: a popper may [`release`](WaitList::release) a node it popped, as
//! its very last access to it. The release is a `Release` store to an
//! atomic flag outside the entry; an owner that sees the flag set
//! ([`Node::is_released`], `Acquire`) sees everything the popper wrote and
//! knows nobody will touch the node again, so it may return and free it
//! without taking the lock.
//!
//! The list's own methods only rely on these invariants, which is why its
//! `unsafe` surface is small: [`WaitList::push_back`] (the caller vouches
//! for 1 and 3), and [`WaitList::remove`] and [`WaitList::with_value`] (the
//! caller vouches that the node belongs to this list or to no list).

use std::fmt;
use std::marker::PhantomPinned;
use std::ptr::NonNull;

use crate::loom::cell::UnsafeCell;
use crate::loom::sync::atomic::{AtomicBool, Ordering};

/// A waiter: the links of the list and the primitive's per-waiter payload.
pub(crate) struct Node<T> {
    entry: UnsafeCell<Entry<T>>,
    /// Set by [`WaitList::release`]; read by the owner without the lock.
    released: AtomicBool,
    /// Nodes are addressed by pointer while linked, so they must not move.
    _pinned: PhantomPinned,
}

struct Entry<T> {
    prev: Option<NonNull<Node<T>>>,
    next: Option<NonNull<Node<T>>>,
    linked: bool,
    value: T,
}

// SAFETY: a node's entry is only reached through the list's lock
// (invariant 2), so moving the owning future to another thread is as safe
// as moving `T`; the raw links are never followed without that lock.
unsafe impl<T: Send> Send for Node<T> {}
// SAFETY: `&Node` gives no access to the entry at all; every access goes
// through `&mut WaitList`, that is, through the lock.
unsafe impl<T: Send> Sync for Node<T> {}

impl<T> Node<T> {
    /// A node that is not linked anywhere yet.
    pub(crate) fn new(value: T) -> Self {
        Node {
            entry: UnsafeCell::new(Entry {
                prev: None,
                next: None,
                linked: false,
                value,
            }),
            released: AtomicBool::new(false),
            _pinned: PhantomPinned,
        }
    }

    /// True once a popper [released](WaitList::release) this node: it
    /// is in no list, nobody else will touch it, and everything the popper
    /// wrote to its payload is visible (read it under the lock, or not at
    /// all).
    pub(crate) fn is_released(&self) -> bool {
        self.released.load(Ordering::Acquire)
    }
}

impl<T> fmt::Debug for Node<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Node").finish_non_exhaustive()
    }
}

/// A FIFO of waiter nodes, guarded by the primitive's mutex.
pub(crate) struct WaitList<T> {
    head: Option<NonNull<Node<T>>>,
    tail: Option<NonNull<Node<T>>>,
}

// SAFETY: the list is only used inside a mutex; whoever holds the lock may
// touch the payloads of all linked nodes from its own thread, which is fine
// for `T: Send` because the lock serialises those accesses.
unsafe impl<T: Send> Send for WaitList<T> {}

impl<T> WaitList<T> {
    /// An empty list.
    pub(crate) const fn new() -> Self {
        WaitList {
            head: None,
            tail: None,
        }
    }

    /// True when no node is linked.
    pub(crate) fn is_empty(&self) -> bool {
        self.head.is_none()
    }

    /// Links `node` at the back.
    ///
    /// # Safety
    ///
    /// `node` points at a live, pinned node that is in no list, and its
    /// owner upholds invariant 3: it removes the node (under this list's
    /// lock) before the node is dropped or moved.
    pub(crate) unsafe fn push_back(&mut self, node: NonNull<Node<T>>) {
        let old_tail = self.tail;
        // SAFETY: the caller guarantees `node` is live and unlinked; we hold
        // the lock (`&mut self`), which is the only way to reach its entry.
        unsafe {
            Self::entry(node, |e| {
                debug_assert!(!e.linked, "a waiter node was linked twice");
                e.prev = old_tail;
                e.next = None;
                e.linked = true;
            });
        }
        match old_tail {
            // SAFETY: `tail` is linked in this list, hence live (invariant 3),
            // and we hold the lock.
            Some(tail) => unsafe { Self::entry(tail, |e| e.next = Some(node)) },
            None => self.head = Some(node),
        }
        self.tail = Some(node);
    }

    /// Unlinks and returns the front node.
    ///
    /// The node stays valid until the caller releases the lock (invariant
    /// 3), so the caller may still use [`WaitList::with_value`] on it.
    pub(crate) fn pop_front(&mut self) -> Option<NonNull<Node<T>>> {
        let node = self.head?;
        // SAFETY: `node` is linked in this list, so it is in this list.
        unsafe { self.unlink(node) };
        Some(node)
    }

    /// Unlinks and returns the back node.
    pub(crate) fn pop_back(&mut self) -> Option<NonNull<Node<T>>> {
        let node = self.tail?;
        // SAFETY: `node` is linked in this list.
        unsafe { self.unlink(node) };
        Some(node)
    }

    /// The front node, left linked.
    pub(crate) fn front(&self) -> Option<NonNull<Node<T>>> {
        self.head
    }

    /// Unlinks `node` if it is linked; returns whether it was.
    ///
    /// # Safety
    ///
    /// `node` is live and is either linked in this list or in no list.
    pub(crate) unsafe fn remove(&mut self, node: NonNull<Node<T>>) -> bool {
        // SAFETY: the caller guarantees `node` is live; we hold the lock.
        let linked = unsafe { Self::entry(node, |e| e.linked) };
        if linked {
            // SAFETY: linked, and by the caller's promise linked here.
            unsafe { self.unlink(node) };
        }
        linked
    }

    /// True when `node` is linked (in this list, by the caller's promise).
    ///
    /// # Safety
    ///
    /// `node` is live and is either linked in this list or in no list.
    pub(crate) unsafe fn is_linked(&self, node: NonNull<Node<T>>) -> bool {
        // SAFETY: the caller guarantees liveness; `&self` of the list means
        // the lock is held (the list is only reachable through its guard).
        unsafe { Self::entry(node, |e| e.linked) }
    }

    /// Runs `f` on the payload of `node`.
    ///
    /// # Safety
    ///
    /// `node` is live and belongs to this list: it is linked here, or its
    /// owner only touches it under this list's lock (for example it was
    /// popped during the current hold of the lock, or the caller is its
    /// owner).
    pub(crate) unsafe fn with_value<R>(
        &mut self,
        node: NonNull<Node<T>>,
        f: impl FnOnce(&mut T) -> R,
    ) -> R {
        // SAFETY: forwarded from the caller; the lock serialises access.
        unsafe { Self::entry(node, |e| f(&mut e.value)) }
    }

    /// Hands a popped node back to its owner for good: after this the
    /// owner may see [`Node::is_released`] and go away without the lock.
    ///
    /// # Safety
    ///
    /// `node` was popped from this list during the current hold of the
    /// lock and has not been released yet; the caller never touches it
    /// again after this call.
    pub(crate) unsafe fn release(&mut self, node: NonNull<Node<T>>) {
        // SAFETY: popped during this hold of the lock, so its owner is still
        // waiting for the lock or for this flag, and the node is live.
        let node = unsafe { node.as_ref() };
        // Mutant for the loom check: a relaxed store, so an owner that sees
        // the flag does not see what was written before the wake-up.
        let order = if cfg!(weft_loom_mutant = "wait_list_release_relaxed") {
            Ordering::Relaxed
        } else {
            Ordering::Release
        };
        node.released.store(true, order);
    }

    /// Unlinks a node that is linked in this list.
    ///
    /// # Safety
    ///
    /// `node` is linked in this list.
    unsafe fn unlink(&mut self, node: NonNull<Node<T>>) {
        // SAFETY: linked nodes are live (invariant 3); we hold the lock.
        let (prev, next) = unsafe {
            Self::entry(node, |e| {
                let links = (e.prev.take(), e.next.take());
                e.linked = false;
                links
            })
        };
        match prev {
            // SAFETY: a neighbour of a linked node is linked, hence live.
            Some(prev) => unsafe { Self::entry(prev, |e| e.next = next) },
            None => self.head = next,
        }
        match next {
            // SAFETY: as above.
            Some(next) => unsafe { Self::entry(next, |e| e.prev = prev) },
            None => self.tail = prev,
        }
    }

    /// Gives `f` the entry of `node`.
    ///
    /// # Safety
    ///
    /// `node` is live and the caller holds the lock that guards it.
    unsafe fn entry<R>(node: NonNull<Node<T>>, f: impl FnOnce(&mut Entry<T>) -> R) -> R {
        // SAFETY: the caller guarantees `node` is live.
        let node = unsafe { node.as_ref() };
        // SAFETY: the lock is held, so no other access to the entry runs
        // concurrently (invariant 2).
        node.entry.with_mut(|entry| f(unsafe { &mut *entry }))
    }
}

impl<T> Default for WaitList<T> {
    fn default() -> Self {
        WaitList::new()
    }
}

impl<T> fmt::Debug for WaitList<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WaitList")
            .field("is_empty", &self.is_empty())
            .finish()
    }
}

#[cfg(test)]
mod tests;
