//! A barrier: tasks wait until a set number of them have arrived.

use std::fmt;
use std::future::poll_fn;
use std::pin::pin;

use crate::loom::sync::Mutex;
use crate::sync::notify::Notify;
use crate::sync::util::coop::cooperative;

/// Lets `n` tasks wait for each other: each calls [`Barrier::wait`], and
/// all of them continue once the `n`-th arrives. The barrier then resets
/// for the next round.
///
/// # Examples
///
/// ```
/// use std::sync::Arc;
/// use weft::sync::Barrier;
///
/// # weft::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
/// let barrier = Arc::new(Barrier::new(3));
/// let handles: Vec<_> = (0..3)
///     .map(|_| {
///         let barrier = barrier.clone();
///         weft::spawn(async move { barrier.wait().await.is_leader() })
///     })
///     .collect();
/// let mut leaders = 0;
/// for handle in handles {
///     leaders += handle.await.unwrap() as usize;
/// }
/// assert_eq!(leaders, 1);
/// # });
/// ```
pub struct Barrier {
    state: Mutex<State>,
    released: Notify,
    n: usize,
}

#[derive(Debug)]
struct State {
    arrived: usize,
    generation: u64,
}

/// What [`Barrier::wait`] returns; one waiter per round is the leader.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BarrierWaitResult(bool);

impl BarrierWaitResult {
    /// True for exactly one task per round: the one whose arrival
    /// released the others.
    pub fn is_leader(&self) -> bool {
        self.0
    }
}

impl Barrier {
    /// A barrier for `n` tasks. A barrier of 0 behaves like a barrier of 1:
    /// every `wait` returns at once, as leader.
    ///
    /// # Examples
    ///
    /// ```
    /// # weft::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
    /// let barrier = weft::sync::Barrier::new(0);
    /// assert!(barrier.wait().await.is_leader());
    /// # });
    /// ```
    pub fn new(n: usize) -> Self {
        Barrier {
            state: Mutex::new(State {
                arrived: 0,
                generation: 0,
            }),
            released: Notify::new(),
            n: n.max(1),
        }
    }

    /// Waits until `n` tasks (this one included) have called `wait` in
    /// this round.
    ///
    /// # Cancel safety
    ///
    /// Not cancel safe: a task that arrived and then dropped the future
    /// still counts as arrived for this round.
    pub async fn wait(&self) -> BarrierWaitResult {
        cooperative(self.wait_inner()).await
    }

    async fn wait_inner(&self) -> BarrierWaitResult {
        let generation = {
            let mut state = self.state.lock();
            state.arrived += 1;
            if state.arrived == self.n {
                state.arrived = 0;
                state.generation += 1;
                drop(state);
                self.released.notify_waiters();
                return BarrierWaitResult(true);
            }
            state.generation
        };
        loop {
            let mut notified = pin!(self.released.notified());
            // Enabled before the check, so the leader's wake-up is not lost.
            notified.as_mut().enable();
            if self.state.lock().generation != generation {
                return BarrierWaitResult(false);
            }
            // The coop charge is taken once, by `cooperative` in `wait`.
            poll_fn(|cx| notified.as_mut().poll_notified(Some(cx.waker()))).await;
        }
    }
}

impl fmt::Debug for Barrier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Barrier")
            .field("n", &self.n)
            .finish_non_exhaustive()
    }
}
