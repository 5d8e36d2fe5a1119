//! Settings shared by the schedulers and the blocking pool.

use std::any::Any;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

/// A callback run on runtime threads (start, stop, park, unpark).
pub type Callback = Arc<dyn Fn() + Send + Sync>;

/// Makes the runtime's context current on a new thread; the returned guard
/// is dropped when the thread stops. The `weft` crate uses it so that
/// `Handle::current()` works on workers and blocking threads.
pub type EnterHook = Arc<dyn Fn() -> Box<dyn Any> + Send + Sync>;

/// Names each new runtime thread.
pub type ThreadNameFn = Arc<dyn Fn() -> String + Send + Sync>;

/// How a runtime's threads behave. Validated by the `weft` builder.
#[derive(Clone)]
pub struct Config {
    /// Worker threads (multi-thread scheduler only).
    pub worker_threads: usize,
    /// A worker checks the global queue first every this many polls.
    pub global_queue_interval: u32,
    /// A worker polls the I/O and timer driver every this many polls.
    pub event_interval: u32,
    /// Most threads the blocking pool may start (workers not counted).
    pub max_blocking_threads: usize,
    /// How long an idle blocking thread waits for work before it exits.
    pub thread_keep_alive: Duration,
    /// Stack size of new threads, if not the platform's default.
    pub thread_stack_size: Option<usize>,
    /// Names new threads.
    pub thread_name: ThreadNameFn,
    /// Runs first on every new runtime thread.
    pub on_thread_start: Option<Callback>,
    /// Runs last on every runtime thread.
    pub on_thread_stop: Option<Callback>,
    /// Runs before a worker parks.
    pub on_thread_park: Option<Callback>,
    /// Runs after a worker wakes.
    pub on_thread_unpark: Option<Callback>,
    /// Enters the runtime context on new threads.
    pub enter: Option<EnterHook>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            worker_threads: 1,
            global_queue_interval: 31,
            event_interval: 61,
            max_blocking_threads: 512,
            thread_keep_alive: Duration::from_secs(10),
            thread_stack_size: None,
            thread_name: Arc::new(|| "weft-runtime-worker".to_string()),
            on_thread_start: None,
            on_thread_stop: None,
            on_thread_park: None,
            on_thread_unpark: None,
            enter: None,
        }
    }
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("worker_threads", &self.worker_threads)
            .field("global_queue_interval", &self.global_queue_interval)
            .field("event_interval", &self.event_interval)
            .field("max_blocking_threads", &self.max_blocking_threads)
            .field("thread_keep_alive", &self.thread_keep_alive)
            .field("thread_stack_size", &self.thread_stack_size)
            .finish_non_exhaustive()
    }
}

pub(crate) fn run_callback(cb: &Option<Callback>) {
    if let Some(cb) = cb {
        cb();
    }
}
