//! The composed driver: the timer over the I/O reactor, seen by the
//! scheduler as one [`Park`].
//!
//! Parking turns the reactor (or, without I/O, a condvar) for at most the
//! time until the next timer deadline, then fires the expired timers. With
//! the clock paused and nothing else to do, the clock jumps to the next
//! deadline instead of sleeping, so "sleep 2 s" in a test takes no time.

use std::sync::Arc;
use std::io;
use std::time::Duration;
use weft_scheduler::park::{Park, ParkThread, Unpark};

/// Handles to the parts of the driver, as resources need them.
#[derive(Clone, Debug)]
pub(crate) struct DriverHandles {
    pub(crate) io: Option<weft_reactor::Handle>,
    pub(crate) time: Option<weft_timer::Handle>,
    pub(crate) clock: weft_timer::Clock,
}

pub(crate) struct Driver {
    io: IoStack,
    time: Option<weft_timer::Driver>,
    clock: weft_timer::Clock,
}

enum IoStack {
    Reactor(weft_reactor::Driver),
    Thread(ParkThread),
}

/// Wakes whatever the driver blocks in.
enum Waker {
    Reactor(weft_reactor::Handle),
    Thread(Arc<dyn Unpark>),
}

impl Unpark for Waker {
    fn unpark(&self) {
        match self {
            Waker::Reactor(handle) => handle.unpark(),
            Waker::Thread(unpark) => unpark.unpark(),
        }
    }
}

pub(crate) struct DriverConfig {
    pub(crate) enable_io: bool,
    /// Events the reactor takes from the OS per turn.
    pub(crate) io_event_capacity: usize,
    /// Events the reactor takes on a turn that does not wait.
    pub(crate) io_busy_event_capacity: usize,
    pub(crate) enable_time: bool,
    pub(crate) start_paused: bool,
    /// Whether time may be paused later (current-thread runtimes); a
    /// multi-thread runtime's clock is the plain system clock.
    pub(crate) pausable: bool,
    pub(crate) timer_shards: usize,
}

impl Driver {
    pub(crate) fn new(config: DriverConfig) -> io::Result<(Driver, DriverHandles)> {
        let (io, io_handle) = if config.enable_io {
            let reactor =
                weft_reactor::Driver::with_event_capacities(config.io_event_capacity, config.io_busy_event_capacity)?;
            let handle = reactor.handle();
            (IoStack::Reactor(reactor), Some(handle))
        } else {
            (IoStack::Thread(ParkThread::new()), None)
        };
        let clock = if config.pausable || config.start_paused {
            weft_timer::Clock::new(config.start_paused)
        } else {
            weft_timer::Clock::system()
        };
        let time = if config.enable_time {
            let waker = match &io {
                IoStack::Reactor(r) => Waker::Reactor(r.handle()),
                IoStack::Thread(p) => Waker::Thread(p.unparker()),
            };
            Some(weft_timer::Driver::with_unpark(clock.clone(), config.timer_shards, move || waker.unpark()))
        } else {
            None
        };
        let handles = DriverHandles { io: io_handle, time: time.as_ref().map(|t| t.handle()), clock: clock.clone() };
        Ok((Driver { io, time, clock }, handles))
    }

    /// Wakes the tasks whose timers are due.
    fn fire_timers(&self) {
        if let Some(time) = &self.time {
            time.process();
        }
    }

    /// Blocks in the reactor or condvar; true if I/O events were handled.
    fn park_io(&mut self, timeout: Option<Duration>) -> bool {
        match &mut self.io {
            IoStack::Reactor(reactor) => reactor.turn(timeout),
            IoStack::Thread(park) => {
                park.park(timeout);
                false
            }
        }
    }
}

impl Park for Driver {
    fn park(&mut self, timeout: Option<Duration>) {
        let Some(time) = &self.time else {
            self.park_io(timeout);
            return;
        };
        let mut timeout = timeout;
        if let Some(deadline) = time.next_deadline() {
            let idle = timeout != Some(Duration::ZERO);
            if idle && self.clock.is_paused() && self.clock.can_auto_advance() {
                // Nothing else to do: let pending I/O in first, and only if
                // there is none, jump the clock to the next timer.
                if !self.park_io(Some(Duration::ZERO)) {
                    self.clock.advance_to(deadline);
                }
                self.fire_timers();
                return;
            }
            let until = deadline.saturating_duration_since(self.clock.now());
            // Round up to whole milliseconds: the wheel's resolution.
            let until = Duration::from_millis(until.as_nanos().div_ceil(1_000_000).min(u64::MAX as u128) as u64);
            timeout = Some(timeout.map_or(until, |t| t.min(until)));
        }
        self.park_io(timeout);
        self.fire_timers();
    }

    fn unparker(&self) -> Arc<dyn Unpark> {
        match &self.io {
            IoStack::Reactor(r) => Arc::new(Waker::Reactor(r.handle())),
            IoStack::Thread(p) => p.unparker(),
        }
    }

    fn shutdown(&mut self) {
        if let Some(time) = &self.time {
            time.shutdown();
        }
        if let IoStack::Reactor(reactor) = &mut self.io {
            reactor.shutdown();
        }
    }
}
