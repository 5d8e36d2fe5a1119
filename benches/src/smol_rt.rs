//! smol's executor driven by a fixed number of threads, the shape the
//! comparison needs: `workers` threads each run the shared executor until
//! the runtime is dropped, and `block_on` waits from the calling thread
//! without joining the pool.

use smol::Executor;
use std::fmt;
use std::future::Future;
use std::sync::Arc;
use std::thread::JoinHandle;

/// A pool of `workers` threads running one shared [`smol::Executor`].
///
/// Tasks are spawned with [`SmolRuntime::spawn`] or through the executor
/// handle from [`SmolRuntime::executor`], which tasks clone to spawn from
/// inside (smol has no thread-local "current runtime").
///
/// ```
/// let rt = weft_benches::SmolRuntime::new(2);
/// let task = rt.spawn(async { 40 + 2 });
/// assert_eq!(rt.block_on(task), 42);
/// ```
pub struct SmolRuntime {
    executor: Arc<Executor<'static>>,
    stop: Option<async_channel::Sender<()>>,
    threads: Vec<JoinHandle<()>>,
}

impl SmolRuntime {
    /// Starts `workers` threads that run the executor.
    ///
    /// # Panics
    ///
    /// Panics if a thread cannot be started.
    pub fn new(workers: usize) -> SmolRuntime {
        let executor = Arc::new(Executor::new());
        let (stop, stopped) = async_channel::bounded::<()>(1);
        let threads = (0..workers)
            .map(|i| {
                let executor = executor.clone();
                let stopped = stopped.clone();
                std::thread::Builder::new()
                    .name(format!("smol-worker-{i}"))
                    .spawn(move || {
                        // `recv` fails once the sender is dropped: that is the
                        // shutdown signal.
                        let _ = smol::future::block_on(executor.run(stopped.recv()));
                    })
                    .expect("starting a smol worker thread")
            })
            .collect();
        SmolRuntime {
            executor,
            stop: Some(stop),
            threads,
        }
    }

    /// The shared executor, for tasks that spawn more tasks.
    pub fn executor(&self) -> &Arc<Executor<'static>> {
        &self.executor
    }

    /// Spawns a task onto the pool.
    pub fn spawn<F>(&self, future: F) -> smol::Task<F::Output>
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static,
    {
        self.executor.spawn(future)
    }

    /// Waits for `future` on the calling thread, which does not run pool
    /// tasks meanwhile (like a multi-thread runtime's `block_on`).
    pub fn block_on<F: Future>(&self, future: F) -> F::Output {
        smol::future::block_on(future)
    }
}

impl Drop for SmolRuntime {
    fn drop(&mut self) {
        self.stop.take();
        for thread in self.threads.drain(..) {
            let _ = thread.join();
        }
    }
}

impl fmt::Debug for SmolRuntime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SmolRuntime")
            .field("workers", &self.threads.len())
            .finish()
    }
}
