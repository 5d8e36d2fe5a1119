//! Per-worker statistics: how often a worker parked and how long it was
//! busy.
//!
//! Ownership: each worker keeps its running totals in a `WorkerStats`
//! inside its core, which only the thread holding the core touches. At a
//! few points it copies them into its [`WorkerMetrics`] slot with `Relaxed`
//! stores; readers on any thread load the slot. Every slot has exactly one
//! writer (the core's holder, and a core changes hands only through a
//! lock), so plain stores suffice: no read-modify-write, no ordering. A
//! reader may see one counter updated and another not yet; each value on
//! its own is a total the worker really reached.
//!
//! The schedulers keep each slot on its own cache lines, so a reader
//! pulling one worker's slot never disturbs another worker's lines.
//!
//! When the clock is read: when a worker parks, when it wakes, and at its
//! maintenance tick, where it also polls the driver without blocking (a
//! multi-thread worker every `event_interval` ticks; the current-thread
//! loop at its first driver poll after `event_interval` ticks). Never per
//! task poll. Busy time is the time between waking (or starting) and
//! parking, so it is exact at each park, and a worker that never parks
//! still publishes it about every `event_interval` polls. A single poll
//! that runs long shows up once it returns.

use crate::loom::sync::atomic::{MetricU64, Ordering::Relaxed};
use std::time::{Duration, Instant};

/// The published statistics of one worker. Read through the `weft`
/// runtime's `RuntimeMetrics`.
#[derive(Debug, Default)]
pub struct WorkerMetrics {
    park_count: MetricU64,
    park_unpark_count: MetricU64,
    busy_nanos: MetricU64,
}

impl WorkerMetrics {
    /// How many times the worker went to sleep for lack of work.
    pub fn park_count(&self) -> u64 {
        self.park_count.load(Relaxed)
    }

    /// Parks plus wake-ups: odd while the worker sleeps, even while it
    /// runs.
    pub fn park_unpark_count(&self) -> u64 {
        self.park_unpark_count.load(Relaxed)
    }

    /// Total time the worker spent running (anything but sleeping), as of
    /// its last park or maintenance tick.
    pub fn busy_duration(&self) -> Duration {
        Duration::from_nanos(self.busy_nanos.load(Relaxed))
    }
}

/// A worker's running totals, owned by the thread that holds its core.
#[derive(Debug)]
pub(crate) struct WorkerStats {
    park_count: u64,
    park_unpark_count: u64,
    busy_nanos: u64,
    /// Start of the current busy interval; `None` while not running
    /// (parked, or a current-thread core outside `block_on`).
    busy_since: Option<Instant>,
}

impl WorkerStats {
    /// Totals at zero; `running` starts the first busy interval now.
    pub(crate) fn new(running: bool) -> WorkerStats {
        WorkerStats { park_count: 0, park_unpark_count: 0, busy_nanos: 0, busy_since: running.then(Instant::now) }
    }

    /// Starts a busy interval if none is open.
    pub(crate) fn start_busy(&mut self) {
        if self.busy_since.is_none() {
            self.busy_since = Some(Instant::now());
        }
    }

    /// Closes the open busy interval (if any) and publishes the total.
    pub(crate) fn stop_busy(&mut self, slot: &WorkerMetrics) {
        if let Some(since) = self.busy_since.take() {
            self.add_busy(since, Instant::now(), slot);
        }
    }

    /// Publishes the busy time so far without ending the interval: the
    /// maintenance tick of a worker that may not park for a long time.
    pub(crate) fn publish_busy(&mut self, slot: &WorkerMetrics) {
        if let Some(since) = self.busy_since {
            let now = Instant::now();
            self.add_busy(since, now, slot);
            self.busy_since = Some(now);
        }
    }

    /// The worker is about to sleep: ends its busy interval and counts the
    /// park. The park/unpark count becomes odd.
    pub(crate) fn about_to_park(&mut self, slot: &WorkerMetrics) {
        self.stop_busy(slot);
        self.park_count += 1;
        self.park_unpark_count += 1;
        slot.park_count.store(self.park_count, Relaxed);
        slot.park_unpark_count.store(self.park_unpark_count, Relaxed);
    }

    /// The worker woke up: starts a busy interval and makes the
    /// park/unpark count even again.
    pub(crate) fn unparked(&mut self, slot: &WorkerMetrics) {
        self.park_unpark_count += 1;
        slot.park_unpark_count.store(self.park_unpark_count, Relaxed);
        self.busy_since = Some(Instant::now());
    }

    fn add_busy(&mut self, since: Instant, now: Instant, slot: &WorkerMetrics) {
        let nanos = u64::try_from(now.saturating_duration_since(since).as_nanos()).unwrap_or(u64::MAX);
        self.busy_nanos = self.busy_nanos.saturating_add(nanos);
        slot.busy_nanos.store(self.busy_nanos, Relaxed);
    }
}

#[cfg(test)]
mod tests;
