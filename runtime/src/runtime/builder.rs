//! `Builder`: configures and builds a [`Runtime`].

use super::driver::{Driver, DriverConfig};
use super::handle::{Handle, Inner, Scheduler};
use super::{Id, Kind, Runtime};
use crate::loom::sync::Mutex;
use std::fmt;
use std::io;
use std::sync::{Arc, Weak};
use std::time::Duration;
use weft_scheduler::blocking::BlockingPool;
use weft_scheduler::config::{Callback, Config, EnterHook};
use weft_scheduler::{current_thread, multi_thread};

/// Configures a runtime: flavor, threads, callbacks and which drivers to
/// enable.
///
/// Settings are checked by [`build`](Self::build), which returns an
/// `io::Error` of kind `InvalidInput` naming the bad setting.
///
/// # Examples
///
/// ```
/// use weft::runtime::Builder;
///
/// let rt = Builder::new_multi_thread()
///     .worker_threads(2)
///     .thread_name("my-worker")
///     .enable_all()
///     .build()
///     .unwrap();
/// assert_eq!(rt.block_on(async { 1 + 1 }), 2);
///
/// let err = Builder::new_multi_thread().worker_threads(0).build().unwrap_err();
/// assert!(err.to_string().contains("worker_threads"));
/// ```
pub struct Builder {
    kind: Kind,
    worker_threads: Option<usize>,
    config: Config,
    enable_io: bool,
    enable_time: bool,
    start_paused: bool,
    max_io_events_per_tick: usize,
    /// `None`: the same as `max_io_events_per_tick`.
    max_io_events_per_busy_tick: Option<usize>,
    name: Option<String>,
}

impl Builder {
    /// A builder for the work-stealing multi-thread runtime (one worker per
    /// CPU unless [`worker_threads`](Self::worker_threads) says otherwise).
    pub fn new_multi_thread() -> Builder {
        Builder::new(Kind::MultiThread)
    }

    /// A builder for the current-thread runtime: every task runs on the
    /// thread that calls `block_on`.
    pub fn new_current_thread() -> Builder {
        Builder::new(Kind::CurrentThread)
    }

    fn new(kind: Kind) -> Builder {
        Builder {
            kind,
            worker_threads: None,
            config: Config::default(),
            enable_io: false,
            enable_time: false,
            start_paused: false,
            max_io_events_per_tick: weft_reactor::DEFAULT_EVENT_CAPACITY,
            max_io_events_per_busy_tick: None,
            name: None,
        }
    }

    /// Number of worker threads (multi-thread only). Default: the number
    /// of CPUs. Zero is refused by `build`.
    pub fn worker_threads(&mut self, n: usize) -> &mut Self {
        self.worker_threads = Some(n);
        self
    }

    /// Most threads the blocking pool may run at once (default 512). Zero
    /// is refused by `build`.
    pub fn max_blocking_threads(&mut self, n: usize) -> &mut Self {
        self.config.max_blocking_threads = n;
        self
    }

    /// Names the runtime, for code that runs on it to tell which runtime it
    /// is on: [`Handle::name`] returns it. Default: no name. The name does
    /// not change the names of the runtime's threads (see
    /// [`thread_name`](Self::thread_name)). A name that is empty or only
    /// whitespace is refused by `build`.
    ///
    /// # Examples
    ///
    /// ```
    /// use weft::runtime::Builder;
    ///
    /// let rt = Builder::new_current_thread().name("ingest").build().unwrap();
    /// assert_eq!(rt.handle().name(), Some("ingest"));
    /// rt.block_on(async {
    ///     assert_eq!(weft::runtime::Handle::current().name(), Some("ingest"));
    /// });
    ///
    /// let err = Builder::new_multi_thread().name(" ").build().unwrap_err();
    /// assert!(err.to_string().contains("name"));
    /// ```
    pub fn name(&mut self, name: impl Into<String>) -> &mut Self {
        self.name = Some(name.into());
        self
    }

    /// Name of the runtime's threads (default `weft-runtime-worker`).
    pub fn thread_name(&mut self, name: impl Into<String>) -> &mut Self {
        let name = name.into();
        self.config.thread_name = Arc::new(move || name.clone());
        self
    }

    /// A function naming each new runtime thread.
    pub fn thread_name_fn(&mut self, f: impl Fn() -> String + Send + Sync + 'static) -> &mut Self {
        self.config.thread_name = Arc::new(f);
        self
    }

    /// Stack size of the runtime's threads, in bytes.
    pub fn thread_stack_size(&mut self, size: usize) -> &mut Self {
        self.config.thread_stack_size = Some(size);
        self
    }

    /// Runs `f` first on every thread the runtime starts.
    pub fn on_thread_start(&mut self, f: impl Fn() + Send + Sync + 'static) -> &mut Self {
        self.config.on_thread_start = Some(Arc::new(f) as Callback);
        self
    }

    /// Runs `f` last on every thread the runtime starts.
    pub fn on_thread_stop(&mut self, f: impl Fn() + Send + Sync + 'static) -> &mut Self {
        self.config.on_thread_stop = Some(Arc::new(f) as Callback);
        self
    }

    /// Runs `f` each time a worker is about to sleep for lack of work.
    pub fn on_thread_park(&mut self, f: impl Fn() + Send + Sync + 'static) -> &mut Self {
        self.config.on_thread_park = Some(Arc::new(f) as Callback);
        self
    }

    /// Runs `f` each time a worker wakes up.
    pub fn on_thread_unpark(&mut self, f: impl Fn() + Send + Sync + 'static) -> &mut Self {
        self.config.on_thread_unpark = Some(Arc::new(f) as Callback);
        self
    }

    /// How long an idle blocking-pool thread lives (default 10 s).
    pub fn thread_keep_alive(&mut self, duration: Duration) -> &mut Self {
        self.config.thread_keep_alive = duration;
        self
    }

    /// A worker checks the global queue first every `n` polls (default
    /// 31). Zero is refused by `build`.
    pub fn global_queue_interval(&mut self, n: u32) -> &mut Self {
        self.config.global_queue_interval = n;
        self
    }

    /// A worker polls I/O and timers every `n` polls (default 61). Zero is
    /// refused by `build`.
    pub fn event_interval(&mut self, n: u32) -> &mut Self {
        self.config.event_interval = n;
        self
    }

    /// Most I/O events the runtime takes from the OS each time it polls
    /// for them (default 1024). Readiness beyond that stays with the OS
    /// for a later poll: a smaller value gets the first woken tasks going
    /// sooner after a burst, a larger one takes a burst in fewer system
    /// calls. Zero is refused by `build`. Has no effect without
    /// [`enable_io`](Self::enable_io). Polls that do not wait may take a
    /// smaller batch: see
    /// [`max_io_events_per_busy_tick`](Self::max_io_events_per_busy_tick).
    ///
    /// # Examples
    ///
    /// ```
    /// use weft::runtime::Builder;
    ///
    /// let rt = Builder::new_multi_thread().enable_all().max_io_events_per_tick(256).build().unwrap();
    /// # drop(rt);
    /// let err = Builder::new_current_thread().max_io_events_per_tick(0).build().unwrap_err();
    /// assert!(err.to_string().contains("max_io_events_per_tick"));
    /// ```
    pub fn max_io_events_per_tick(&mut self, capacity: usize) -> &mut Self {
        self.max_io_events_per_tick = capacity;
        self
    }

    /// Most I/O events the runtime takes from the OS on a poll that does
    /// not wait (default: the value of
    /// [`max_io_events_per_tick`](Self::max_io_events_per_tick)).
    ///
    /// A worker that still has tasks to run polls for I/O without waiting
    /// every [`event_interval`](Self::event_interval) polls, and each event
    /// it takes wakes a task that joins its queue, behind the work already
    /// there. Under heavy load a big batch makes that queue long, and the
    /// tasks at its end wait the longest. A small busy batch leaves the
    /// other events with the OS until the worker has caught up, or until a
    /// worker with nothing to do waits for I/O and takes up to
    /// `max_io_events_per_tick`. Every poll that does not wait counts as
    /// busy, including a park whose next timer is already due.
    ///
    /// Zero is refused by `build`. Has no effect without
    /// [`enable_io`](Self::enable_io).
    ///
    /// # Examples
    ///
    /// ```
    /// use weft::runtime::Builder;
    ///
    /// let rt = Builder::new_multi_thread()
    ///     .enable_all()
    ///     .max_io_events_per_tick(256)
    ///     .max_io_events_per_busy_tick(16)
    ///     .build()
    ///     .unwrap();
    /// # drop(rt);
    /// let err = Builder::new_current_thread().max_io_events_per_busy_tick(0).build().unwrap_err();
    /// assert!(err.to_string().contains("max_io_events_per_busy_tick"));
    /// ```
    pub fn max_io_events_per_busy_tick(&mut self, capacity: usize) -> &mut Self {
        self.max_io_events_per_busy_tick = Some(capacity);
        self
    }

    /// Enables the I/O driver (sockets, pipes, signals, processes).
    pub fn enable_io(&mut self) -> &mut Self {
        self.enable_io = true;
        self
    }

    /// Enables the timer driver (`sleep`, `timeout`, `interval`).
    pub fn enable_time(&mut self) -> &mut Self {
        self.enable_time = true;
        self
    }

    /// Enables both drivers.
    pub fn enable_all(&mut self) -> &mut Self {
        self.enable_io().enable_time()
    }

    /// Starts the clock paused (current-thread only): time moves only by
    /// `time::advance`, or jumps to the next timer when every task waits.
    pub fn start_paused(&mut self, paused: bool) -> &mut Self {
        self.start_paused = paused;
        self
    }

    fn validate(&self) -> io::Result<usize> {
        let invalid = |msg: String| Err(io::Error::new(io::ErrorKind::InvalidInput, msg));
        let workers = match (self.kind, self.worker_threads) {
            (Kind::MultiThread, Some(0)) => {
                return invalid("worker_threads must be at least 1, got 0".into());
            }
            (Kind::MultiThread, Some(n)) => n,
            (Kind::MultiThread, None) => num_cpus::get().max(1),
            (Kind::CurrentThread, _) => 1,
        };
        if self.config.max_blocking_threads == 0 {
            return invalid("max_blocking_threads must be at least 1, got 0".into());
        }
        if self.config.global_queue_interval == 0 {
            return invalid("global_queue_interval must be at least 1, got 0".into());
        }
        if self.config.event_interval == 0 {
            return invalid("event_interval must be at least 1, got 0".into());
        }
        if self.max_io_events_per_tick == 0 {
            return invalid("max_io_events_per_tick must be at least 1, got 0".into());
        }
        if self.max_io_events_per_busy_tick == Some(0) {
            return invalid("max_io_events_per_busy_tick must be at least 1, got 0".into());
        }
        if let Some(name) = self.name.as_ref().filter(|name| name.trim().is_empty()) {
            return invalid(format!("the runtime name must have a character that is not whitespace, got {name:?}"));
        }
        if self.start_paused && self.kind == Kind::MultiThread {
            return invalid(
                "start_paused(true) needs the current_thread runtime: paused time is deterministic only \
                 when one thread runs every task (use Builder::new_current_thread())"
                    .into(),
            );
        }
        if self.start_paused && !self.enable_time {
            return invalid("start_paused(true) needs the timer: call enable_time() or enable_all()".into());
        }
        Ok(workers)
    }

    /// Builds the runtime.
    ///
    /// # Errors
    ///
    /// `InvalidInput` for a bad setting (the message names it), or the OS
    /// error if a driver or thread could not be created.
    pub fn build(&mut self) -> io::Result<Runtime> {
        let workers = self.validate()?;
        let (driver, drivers) = Driver::new(DriverConfig {
            enable_io: self.enable_io,
            io_event_capacity: self.max_io_events_per_tick,
            io_busy_event_capacity: self.max_io_events_per_busy_tick.unwrap_or(self.max_io_events_per_tick),
            enable_time: self.enable_time,
            start_paused: self.start_paused,
            pausable: self.kind == Kind::CurrentThread,
            timer_shards: workers,
        })?;

        // Threads enter the runtime's context through a weak reference, so
        // the pool's settings do not keep the runtime alive.
        let slot: Arc<Mutex<Weak<Inner>>> = Arc::new(Mutex::new(Weak::new()));
        let hook_slot = slot.clone();
        let enter: EnterHook = Arc::new(move || {
            let inner = hook_slot.lock().upgrade();
            Box::new(inner.map(|inner| super::context::set_current(&Handle { inner })))
        });
        let mut config = self.config.clone();
        config.worker_threads = workers;
        config.enter = Some(enter);
        let pool = BlockingPool::new(config.clone());
        let blocking = pool.spawner().clone();

        let (scheduler, launch) = match self.kind {
            Kind::CurrentThread => (Scheduler::CurrentThread(current_thread::create(config, Box::new(driver))), None),
            Kind::MultiThread => {
                let (handle, launch) = multi_thread::create(config, Box::new(driver), blocking.clone());
                (Scheduler::MultiThread(handle), Some(launch))
            }
        };
        let inner = Inner { scheduler, drivers, blocking, id: Id::next(), name: self.name.clone() };
        let handle = Handle { inner: Arc::new(inner) };
        *slot.lock() = Arc::downgrade(&handle.inner);
        let runtime = Runtime { handle, pool: Some(pool), kind: self.kind };
        if let Some(launch) = launch {
            launch.launch()?;
        }
        Ok(runtime)
    }
}

impl fmt::Debug for Builder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Builder")
            .field("kind", &self.kind)
            .field("worker_threads", &self.worker_threads)
            .field("config", &self.config)
            .field("enable_io", &self.enable_io)
            .field("enable_time", &self.enable_time)
            .field("start_paused", &self.start_paused)
            .field("max_io_events_per_tick", &self.max_io_events_per_tick)
            .field("max_io_events_per_busy_tick", &self.max_io_events_per_busy_tick)
            .field("name", &self.name)
            .finish()
    }
}
