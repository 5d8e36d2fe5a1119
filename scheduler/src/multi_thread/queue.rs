//! Run queues: each worker's local queue, the stealer other workers use on
//! it, and the global injector.
//!
//! In production these are crossbeam-deque's lock-free structures. loom
//! cannot model crossbeam's internals, so under `--cfg loom` they are a
//! mutex-protected `VecDeque` with the same interface and semantics
//! (FIFO pop, steal-half); the models then check weft's protocols around
//! the queues, not crossbeam itself.

#[cfg(not(loom))]
mod imp {
    use crossbeam_deque::{Injector, Steal, Stealer as CbStealer, Worker};

    pub(crate) struct Local<T>(Worker<T>);
    pub(crate) struct Stealer<T>(CbStealer<T>);
    pub(crate) struct Inject<T>(Injector<T>);

    impl<T> Local<T> {
        pub(crate) fn new() -> Local<T> {
            Local(Worker::new_fifo())
        }
        pub(crate) fn push(&self, item: T) {
            self.0.push(item);
        }
        pub(crate) fn pop(&self) -> Option<T> {
            self.0.pop()
        }
        pub(crate) fn is_empty(&self) -> bool {
            self.0.is_empty()
        }
        pub(crate) fn len(&self) -> usize {
            self.0.len()
        }
        pub(crate) fn stealer(&self) -> Stealer<T> {
            Stealer(self.0.stealer())
        }
    }

    impl<T> Stealer<T> {
        /// Moves about half of the victim's tasks into `dest` and returns
        /// one of them.
        pub(crate) fn steal_half_into(&self, dest: &Local<T>) -> Option<T> {
            retry(|| self.0.steal_batch_and_pop(&dest.0))
        }
        pub(crate) fn is_empty(&self) -> bool {
            self.0.is_empty()
        }
    }

    impl<T> Inject<T> {
        pub(crate) fn new() -> Inject<T> {
            Inject(Injector::new())
        }
        pub(crate) fn push(&self, item: T) {
            self.0.push(item);
        }
        pub(crate) fn pop(&self) -> Option<T> {
            retry(|| self.0.steal())
        }
        pub(crate) fn steal_batch_and_pop(&self, dest: &Local<T>) -> Option<T> {
            retry(|| self.0.steal_batch_and_pop(&dest.0))
        }
        pub(crate) fn is_empty(&self) -> bool {
            self.0.is_empty()
        }
        pub(crate) fn len(&self) -> usize {
            self.0.len()
        }
    }

    fn retry<T>(mut f: impl FnMut() -> Steal<T>) -> Option<T> {
        loop {
            match f() {
                Steal::Success(t) => return Some(t),
                Steal::Empty => return None,
                Steal::Retry => crate::loom::spin_loop(),
            }
        }
    }
}

#[cfg(loom)]
mod imp {
    use crate::loom::sync::{Arc, Mutex};
    use std::collections::VecDeque;

    pub(crate) struct Local<T>(Arc<Mutex<VecDeque<T>>>);
    pub(crate) struct Stealer<T>(Arc<Mutex<VecDeque<T>>>);
    pub(crate) struct Inject<T>(Mutex<VecDeque<T>>);

    impl<T> Local<T> {
        pub(crate) fn new() -> Local<T> {
            Local(Arc::new(Mutex::new(VecDeque::new())))
        }
        pub(crate) fn push(&self, item: T) {
            self.0.lock().push_back(item);
        }
        pub(crate) fn pop(&self) -> Option<T> {
            self.0.lock().pop_front()
        }
        pub(crate) fn is_empty(&self) -> bool {
            self.0.lock().is_empty()
        }
        pub(crate) fn len(&self) -> usize {
            self.0.lock().len()
        }
        pub(crate) fn stealer(&self) -> Stealer<T> {
            Stealer(self.0.clone())
        }
    }

    impl<T> Stealer<T> {
        pub(crate) fn steal_half_into(&self, dest: &Local<T>) -> Option<T> {
            let mut src = self.0.lock();
            let n = src.len().div_ceil(2);
            let first = src.pop_front()?;
            let moved: Vec<T> = (1..n).filter_map(|_| src.pop_front()).collect();
            drop(src);
            let mut dst = dest.0.lock();
            dst.extend(moved);
            Some(first)
        }
        pub(crate) fn is_empty(&self) -> bool {
            self.0.lock().is_empty()
        }
    }

    impl<T> Inject<T> {
        pub(crate) fn new() -> Inject<T> {
            Inject(Mutex::new(VecDeque::new()))
        }
        pub(crate) fn push(&self, item: T) {
            self.0.lock().push_back(item);
        }
        pub(crate) fn pop(&self) -> Option<T> {
            self.0.lock().pop_front()
        }
        pub(crate) fn steal_batch_and_pop(&self, _dest: &Local<T>) -> Option<T> {
            self.pop()
        }
        pub(crate) fn is_empty(&self) -> bool {
            self.0.lock().is_empty()
        }
        pub(crate) fn len(&self) -> usize {
            self.0.lock().len()
        }
    }
}

pub(crate) use imp::{Inject, Local, Stealer};
