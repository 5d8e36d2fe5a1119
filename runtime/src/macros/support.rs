//! What the expansions of `join!`, `try_join!`, `select!` and `pin!` name.
//!
//! A macro expands in the user's crate, where the prelude may be shadowed or
//! missing, so every path an expansion uses goes through
//! `$crate::macros::support::...` instead of relying on names in scope.
//! Nothing here is part of weft's API.

use std::cell::Cell;

pub use std::future::{poll_fn, Future, IntoFuture};
pub use std::option::Option::{self, None, Some};
pub use std::pin::{pin, Pin};
pub use std::result::Result::{Err, Ok};
pub use std::task::{Context, Poll};

crate::loom::thread_local! {
    /// This thread's xorshift state; 0 until the first draw seeds it.
    static RNG: Cell<u64> = Cell::new(0);
}

/// A pseudo-random number in `0..n` (0 when `n` is 0), from a generator
/// private to the calling thread.
///
/// `select!` calls this to pick the branch it polls first, so that a branch
/// that is always ready cannot starve the ones after it. The numbers only
/// need to be spread out, not unpredictable: the generator is xorshift64*,
/// one per thread, so no draw touches shared memory.
pub fn thread_rng_n(n: u32) -> u32 {
    RNG.with(|state| {
        let mut x = state.get();
        if x == 0 {
            x = seed();
        }
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        state.set(x);
        let r = x.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 32;
        // Scale the 32 high bits into 0..n by multiplying, which avoids the
        // bias and the division of `r % n`.
        ((r * u64::from(n)) >> 32) as u32
    })
}

/// A nonzero seed that differs between threads.
///
/// Each `RandomState` is keyed from the process's random keys plus a
/// per-thread counter, so hashing this thread's id with a fresh one gives
/// every thread, and every re-seed, its own starting point.
#[cfg(not(loom))]
fn seed() -> u64 {
    use std::collections::hash_map::RandomState;
    use std::hash::BuildHasher;

    RandomState::new().hash_one(crate::loom::thread::current().id()) | 1
}

/// Under loom every execution of a model must make the same choices, so the
/// seed is fixed.
#[cfg(loom)]
fn seed() -> u64 {
    0x9e37_79b9_7f4a_7c15
}
