//! Small building blocks shared by the primitives in `weft::sync`.

pub(crate) mod atomic_waker;
pub(crate) mod block_on;
pub(crate) mod blocking_rwlock;
pub(crate) mod coop;
pub(crate) mod lazy_mutex;
pub(crate) mod wake_list;
