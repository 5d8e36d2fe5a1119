//! Which workers are searching for work and which are parked.
//!
//! # Protocol (no lost wake-ups, no thundering herd)
//!
//! One atomic word packs two counts: workers *unparked* (not asleep) and,
//! among them, workers *searching* (looking for work to steal). The
//! sleepers' indices sit in a vector under a mutex.
//!
//! - A producer that makes work available (a remote spawn or wake, or a
//!   worker with surplus local work) issues a SeqCst fence after its push
//!   and then wakes one sleeper only if nobody is searching and somebody
//!   sleeps. The woken worker starts out searching, so at most one wake-up
//!   is in flight per burst of work.
//! - At most half the workers search at once.
//! - A searching worker that finds work stops searching; if it was the last
//!   searcher it wakes another worker to take over the search.
//! - A worker going to sleep registers as a sleeper and drops its counts
//!   under the mutex; if it was the last searcher it then (after a SeqCst
//!   fence) re-checks every queue and wakes a worker if any holds work.
//!
//! Either the producer's load sees a searcher (who will re-check the
//! queues after it stops searching, and see the work), or the last
//! searcher's re-check sees the producer's push: the two SeqCst fences
//! order the push before one of the loads.

use crate::loom::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use crate::loom::sync::Mutex;

const UNPARKED_SHIFT: u32 = 16;
const SEARCH_MASK: usize = (1 << UNPARKED_SHIFT) - 1;
const UNPARKED_ONE: usize = 1 << UNPARKED_SHIFT;

pub(crate) struct Idle {
    state: AtomicUsize,
    num_workers: usize,
    sleepers: Mutex<Vec<usize>>,
}

fn searching(state: usize) -> usize {
    state & SEARCH_MASK
}

fn unparked(state: usize) -> usize {
    state >> UNPARKED_SHIFT
}

impl Idle {
    pub(crate) fn new(num_workers: usize) -> Idle {
        assert!(num_workers < SEARCH_MASK, "too many workers");
        Idle {
            state: AtomicUsize::new(num_workers << UNPARKED_SHIFT),
            num_workers,
            sleepers: Mutex::new(Vec::with_capacity(num_workers)),
        }
    }

    fn should_wake(&self) -> bool {
        let state = self.state.load(SeqCst);
        searching(state) == 0 && unparked(state) < self.num_workers
    }

    /// The worker to wake for new work, if one should be woken. The chosen
    /// worker is counted as unparked and searching.
    pub(crate) fn worker_to_notify(&self) -> Option<usize> {
        if !self.should_wake() {
            return None;
        }
        let mut sleepers = self.sleepers.lock();
        // Mutant `sched_notify_skips_recheck` (loom builds only): trust the
        // unlocked check, so two producers of one burst can wake two
        // workers while the first is already searching.
        if !cfg!(weft_loom_mutant = "sched_notify_skips_recheck") && !self.should_wake() {
            return None;
        }
        let worker = sleepers.pop()?;
        self.state.fetch_add(UNPARKED_ONE | 1, SeqCst);
        Some(worker)
    }

    /// Tries to start searching; refused when half the workers already do.
    pub(crate) fn transition_worker_to_searching(&self) -> bool {
        let state = self.state.load(SeqCst);
        if 2 * searching(state) >= self.num_workers {
            return false;
        }
        self.state.fetch_add(1, SeqCst);
        true
    }

    /// Stops searching; true if this was the last searcher.
    pub(crate) fn transition_worker_from_searching(&self) -> bool {
        let prev = self.state.fetch_sub(1, SeqCst);
        debug_assert!(searching(prev) > 0);
        searching(prev) == 1
    }

    /// Registers `worker` as a sleeper; true if it was the last searcher.
    pub(crate) fn transition_worker_to_parked(&self, worker: usize, is_searching: bool) -> bool {
        let mut sleepers = self.sleepers.lock();
        let dec = UNPARKED_ONE | usize::from(is_searching);
        let prev = self.state.fetch_sub(dec, SeqCst);
        sleepers.push(worker);
        // Mutant `sched_park_forgets_last_searcher` (loom builds only): the
        // last searcher is never told, so it skips the re-check of the
        // queues before sleeping.
        is_searching && searching(prev) == 1 && !cfg!(weft_loom_mutant = "sched_park_forgets_last_searcher")
    }

    /// A parked worker woke up on its own (work arrived in its own queue).
    /// Returns false if someone already took it off the sleepers (it then
    /// counts as searching).
    pub(crate) fn unpark_worker_by_id(&self, worker: usize) -> bool {
        let mut sleepers = self.sleepers.lock();
        match sleepers.iter().position(|&w| w == worker) {
            Some(i) => {
                sleepers.swap_remove(i);
                self.state.fetch_add(UNPARKED_ONE, SeqCst);
                true
            }
            None => false,
        }
    }

    /// True while `worker` is registered as a sleeper.
    pub(crate) fn is_parked(&self, worker: usize) -> bool {
        self.sleepers.lock().contains(&worker)
    }

    /// Counts, for tests and debug output.
    pub(crate) fn counts(&self) -> (usize, usize) {
        let state = self.state.load(SeqCst);
        (unparked(state), searching(state))
    }
}
