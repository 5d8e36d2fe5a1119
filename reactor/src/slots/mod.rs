//! The registration slots: where each registration's [`ScheduledIo`] lives,
//! and how a mio token finds it.
//!
//! Slots sit in pages that are allocated on demand and never freed or moved
//! while the driver lives: page 0 holds 32 slots and each next page twice as
//! many as the one before. A slot index therefore maps to a fixed
//! `(page, offset)` by arithmetic, and a slot's address is stable.
//!
//! A mutex guards allocation: the index allocator, the page list and the
//! shutdown flag. It is taken on register, on release and at shutdown, never
//! to deliver an event. The driver keeps its own copy of the page list
//! (pages are reference counted) and refreshes it only when a token points
//! past the pages it knows, which happens at most once per page.
//!
//! # Tokens
//!
//! ```text
//!  bit  31    30 .. 24        23 .. 0
//!      [ W | generation(7) | index(24) ]
//! ```
//!
//! `W` marks the driver's own wake-up token and no registration.

use std::io;
use std::task::Waker;

use mio::Token;
use slab::Slab;

use crate::error::shutdown_error;
use crate::loom::sync::{Arc, Mutex};
use crate::scheduled_io::{ScheduledIo, GENERATION_MASK};

const INDEX_BITS: u32 = 24;
const INDEX_MASK: usize = (1 << INDEX_BITS) - 1;
const FIRST_PAGE_SHIFT: u32 = 5;
const FIRST_PAGE_LEN: usize = 1 << FIRST_PAGE_SHIFT;
const PAGE_COUNT: usize = 19;

/// The most registrations one driver holds at once.
pub(crate) const MAX_REGISTRATIONS: usize = FIRST_PAGE_LEN * ((1 << PAGE_COUNT) - 1);

/// The token of the driver's own `mio::Waker`.
pub(crate) const WAKE_TOKEN: Token = Token(1 << 31);

/// The token a registration is given: its slot index and generation.
pub(crate) const fn token(index: usize, generation: usize) -> Token {
    Token(index | ((generation & GENERATION_MASK) << INDEX_BITS))
}

/// The inverse of [`token`]: `(index, generation)`.
pub(crate) const fn split(token: Token) -> (usize, usize) {
    (token.0 & INDEX_MASK, (token.0 >> INDEX_BITS) & GENERATION_MASK)
}

/// Where slot `index` lives: `(page, offset)`.
pub(crate) const fn locate(index: usize) -> (usize, usize) {
    let shifted = index + FIRST_PAGE_LEN;
    let page = (usize::BITS - 1 - shifted.leading_zeros() - FIRST_PAGE_SHIFT) as usize;
    (page, shifted - (FIRST_PAGE_LEN << page))
}

/// A fixed-size run of slots.
pub(crate) struct Page {
    slots: Box<[ScheduledIo]>,
}

impl Page {
    fn new(len: usize) -> Page {
        Page { slots: (0..len).map(|_| ScheduledIo::new()).collect() }
    }

    pub(crate) fn get(&self, offset: usize) -> Option<&ScheduledIo> {
        self.slots.get(offset)
    }
}

impl std::fmt::Debug for Page {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Page").field("len", &self.slots.len()).finish()
    }
}

/// A slot owned by one registration.
#[derive(Debug)]
pub(crate) struct Slot {
    page: Arc<Page>,
    offset: usize,
    index: usize,
    generation: usize,
}

impl Slot {
    pub(crate) fn io(&self) -> &ScheduledIo {
        &self.page.slots[self.offset]
    }

    pub(crate) fn token(&self) -> Token {
        token(self.index, self.generation)
    }

    pub(crate) fn index(&self) -> usize {
        self.index
    }
}

/// The allocator of slots.
#[derive(Debug)]
pub(crate) struct Slots {
    state: Mutex<State>,
}

#[derive(Debug)]
struct State {
    /// Which indices are taken; `Slab` hands back the most recently freed.
    ids: Slab<()>,
    pages: Vec<Arc<Page>>,
    shutdown: bool,
}

impl Slots {
    pub(crate) fn new() -> Slots {
        Slots { state: Mutex::new(State { ids: Slab::new(), pages: Vec::new(), shutdown: false }) }
    }

    /// Takes a free slot.
    ///
    /// # Errors
    ///
    /// The shutdown error once [`shutdown`](Self::shutdown) ran; an
    /// `OutOfMemory` error when [`MAX_REGISTRATIONS`] slots are taken.
    pub(crate) fn allocate(&self) -> io::Result<Slot> {
        let mut state = self.state.lock();
        if state.shutdown {
            return Err(shutdown_error());
        }
        let index = state.ids.vacant_key();
        if index >= MAX_REGISTRATIONS {
            return Err(io::Error::new(
                io::ErrorKind::OutOfMemory,
                "a weft reactor holds at most 16 777 184 registrations; drop some sockets first",
            ));
        }
        let (page, offset) = locate(index);
        while state.pages.len() <= page {
            let len = FIRST_PAGE_LEN << state.pages.len();
            state.pages.push(Arc::new(Page::new(len)));
        }
        state.ids.insert(());
        let page = state.pages[page].clone();
        drop(state);
        let generation = page.slots[offset].generation();
        Ok(Slot { page, offset, index, generation })
    }

    /// Resets `slot` for its next owner and frees its index.
    pub(crate) fn release(&self, slot: &Slot) {
        slot.io().release();
        self.state.lock().ids.remove(slot.index);
    }

    /// A copy of the page list, for the driver's lock-free lookups.
    pub(crate) fn pages(&self) -> Vec<Arc<Page>> {
        self.state.lock().pages.clone()
    }

    /// Marks every slot shut down and wakes all their waiters, after the
    /// lock is released. Later allocations fail. Returns `false` if the
    /// slots were already shut down.
    pub(crate) fn shutdown(&self) -> bool {
        let mut wakers: Vec<Waker> = Vec::new();
        {
            let mut state = self.state.lock();
            if state.shutdown {
                return false;
            }
            state.shutdown = true;
            let state = &*state;
            for (index, ()) in state.ids.iter() {
                let (page, offset) = locate(index);
                state.pages[page].slots[offset].shutdown(&mut wakers);
            }
        }
        for waker in wakers {
            waker.wake();
        }
        true
    }

    pub(crate) fn is_shutdown(&self) -> bool {
        self.state.lock().shutdown
    }

    /// How many slots are taken.
    pub(crate) fn len(&self) -> usize {
        self.state.lock().ids.len()
    }
}

#[cfg(test)]
mod tests;
