//! The readiness word of a [`ScheduledIo`](super::ScheduledIo), as a plain
//! value: packing, unpacking and the transitions, with no atomics.
//!
//! ```text
//!  bit  31     30 .. 24      23 .. 8      7      6        5 .. 0
//!      [ 0 | generation(7) | tick(16) | 0 | SHUTDOWN | readiness(6) ]
//! ```
//!
//! The layout fits in 32 bits, so it works wherever `usize` does.

use crate::Ready;

const READY_MASK: usize = 0x3F;
const SHUTDOWN: usize = 1 << 6;
const TICK_SHIFT: u32 = 8;
const TICK_MASK: usize = 0xFFFF << TICK_SHIFT;
const GENERATION_SHIFT: u32 = 24;

/// Generations count modulo `GENERATION_MASK + 1`.
pub(crate) const GENERATION_MASK: usize = 0x7F;

/// One snapshot of a readiness word.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) struct Word(usize);

impl Word {
    /// A word of the given generation with no readiness, tick 0.
    pub(crate) const fn new(generation: usize) -> Word {
        Word((generation & GENERATION_MASK) << GENERATION_SHIFT)
    }

    pub(crate) const fn from_raw(raw: usize) -> Word {
        Word(raw)
    }

    pub(crate) const fn raw(self) -> usize {
        self.0
    }

    pub(crate) const fn ready(self) -> Ready {
        // The mask keeps the value within the six readiness bits.
        Ready::from_bits((self.0 & READY_MASK) as u8)
    }

    pub(crate) const fn tick(self) -> u16 {
        ((self.0 & TICK_MASK) >> TICK_SHIFT) as u16
    }

    pub(crate) const fn generation(self) -> usize {
        (self.0 >> GENERATION_SHIFT) & GENERATION_MASK
    }

    pub(crate) const fn is_shutdown(self) -> bool {
        self.0 & SHUTDOWN != 0
    }

    /// The driver's transition: add `ready` and advance the tick.
    pub(crate) const fn dispatched(self, ready: Ready) -> Word {
        let tick = self.tick().wrapping_add(1) as usize;
        Word((self.0 & !TICK_MASK) | (tick << TICK_SHIFT) | ready.bits() as usize)
    }

    /// The clear transition: drop `ready`, keep the tick.
    pub(crate) const fn cleared(self, ready: Ready) -> Word {
        Word(self.0 & !(ready.bits() as usize))
    }

    /// The shutdown transition: set the sticky shutdown flag.
    pub(crate) const fn shut_down(self) -> Word {
        Word(self.0 | SHUTDOWN)
    }

    /// The release transition: the next generation, everything else reset.
    pub(crate) const fn next_generation(self) -> Word {
        Word::new(self.generation() + 1)
    }
}
