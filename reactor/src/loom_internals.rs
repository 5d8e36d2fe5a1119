//! Internals exposed to the loom models in `weft-loom-tests`; built only
//! under `--cfg loom`. Not part of the public API.

use std::io;
use std::task::{Context, Poll};

use crate::scheduled_io::ScheduledIo;
use crate::wake_list::WakeList;
use crate::{Direction, Interest, Ready, ReadyEvent};

/// One registration's readiness state without a driver or an OS poller,
/// driven by hand in models.
#[derive(Debug)]
pub struct ScheduledIoModel {
    io: ScheduledIo,
}

impl Default for ScheduledIoModel {
    fn default() -> Self {
        ScheduledIoModel::new()
    }
}

impl ScheduledIoModel {
    /// A slot of generation 0 with no readiness.
    pub fn new() -> ScheduledIoModel {
        ScheduledIoModel { io: ScheduledIo::new() }
    }

    /// What one driver delivery does: record `ready` for the current owner,
    /// then wake the satisfied waiters with no lock held.
    pub fn deliver(&self, ready: Ready) {
        self.deliver_to(self.io.generation(), ready);
    }

    /// A delivery carrying `generation` (stale if it differs from the
    /// owner's). Returns whether it was applied.
    pub fn deliver_to(&self, generation: usize, ready: Ready) -> bool {
        if !self.io.dispatch(generation, ready) {
            return false;
        }
        let mut wakers = WakeList::new();
        self.io.wake(ready, &mut wakers);
        wakers.wake_all();
        true
    }

    /// The owner's generation.
    pub fn generation(&self) -> usize {
        self.io.generation()
    }

    /// `Registration::poll_ready`.
    pub fn poll_ready(&self, cx: &mut Context<'_>, direction: Direction) -> Poll<io::Result<ReadyEvent>> {
        self.io.poll_ready(cx, direction)
    }

    /// One poll of a `Registration::readiness` future whose entry is `key`.
    pub fn poll_readiness(
        &self,
        cx: &mut Context<'_>,
        interest: Interest,
        key: &mut Option<usize>,
    ) -> Poll<io::Result<ReadyEvent>> {
        self.io.poll_waiter(cx, interest.mask(), key)
    }

    /// Dropping a pending `Registration::readiness` future.
    pub fn cancel_readiness(&self, key: usize) {
        self.io.remove_waiter(key);
    }

    /// `Registration::clear_readiness`.
    pub fn clear_readiness(&self, event: ReadyEvent) {
        self.io.clear_readiness(event);
    }

    /// What driver shutdown does to one slot, wakers woken afterwards.
    pub fn shutdown(&self) {
        let mut wakers = Vec::new();
        self.io.shutdown(&mut wakers);
        wakers.into_iter().for_each(std::task::Waker::wake);
    }

    /// What dropping the registration does to its slot.
    pub fn release(&self) {
        self.io.release();
    }

    /// The readiness recorded now.
    pub fn ready(&self) -> Ready {
        self.io.snapshot().ready()
    }

    /// The tick now.
    pub fn tick(&self) -> u16 {
        self.io.snapshot().tick()
    }
}
