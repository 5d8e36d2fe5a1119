//! The owned side of the driver: the thread that parks in the reactor turns
//! it.

use std::fmt;
use std::io;
use std::time::Duration;

use crate::handle::Inner;
use crate::loom::sync::Arc;
use crate::scheduled_io::ScheduledIo;
use crate::slots::{self, Page, Slots, WAKE_TOKEN};
use crate::wake_list::WakeList;
use crate::{Handle, Ready};

/// Events taken from the OS per turn by [`Driver::new`].
pub const DEFAULT_EVENT_CAPACITY: usize = 1024;

/// The I/O driver: waits for readiness events from the OS (epoll, kqueue)
/// and delivers them to registrations.
///
/// One thread at a time owns the driver and calls [`turn`](Self::turn);
/// everything else goes through [`Handle`]. Dropping the driver shuts it
/// down (see [`Handle::shutdown`]).
///
/// # Examples
///
/// A datagram arrives; one turn delivers it; the registration sees it.
///
/// ```
/// use std::task::{Context, Poll};
/// use weft_reactor::Driver;
/// # struct Nop;
/// # impl std::task::Wake for Nop { fn wake(self: std::sync::Arc<Self>) {} }
/// # let waker = std::task::Waker::from(std::sync::Arc::new(Nop));
///
/// let mut driver = Driver::new()?;
/// let addr = "127.0.0.1:0".parse().unwrap();
/// let mut receiver = mio::net::UdpSocket::bind(addr)?;
/// let registration = driver.handle().register(&mut receiver, mio::Interest::READABLE)?;
///
/// let sender = std::net::UdpSocket::bind("127.0.0.1:0")?;
/// sender.send_to(b"ping", receiver.local_addr()?)?;
///
/// let mut cx = Context::from_waker(&waker);
/// let mut turns = 0;
/// let event = loop {
///     if let Poll::Ready(event) = registration.poll_read_ready(&mut cx) {
///         break event?;
///     }
///     assert!(turns < 100, "no readiness after 100 turns");
///     driver.turn(Some(std::time::Duration::from_millis(100)));
///     turns += 1;
/// };
/// assert!(event.ready().is_readable());
///
/// let mut buf = [0; 8];
/// let (n, _) = receiver.recv_from(&mut buf)?;
/// assert_eq!(&buf[..n], b"ping");
/// # Ok::<(), std::io::Error>(())
/// ```
pub struct Driver {
    poll: mio::Poll,
    events: mio::Events,
    /// The buffer of turns that do not wait, when their capacity differs
    /// from `events`'s (see [`Driver::with_event_capacities`]).
    busy_events: Option<mio::Events>,
    /// The driver's own copy of the slot pages, so a delivery never locks.
    pages: Vec<Arc<Page>>,
    handle: Handle,
}

impl Driver {
    /// Creates a driver that takes up to [`DEFAULT_EVENT_CAPACITY`] events
    /// from the OS per turn.
    ///
    /// # Errors
    ///
    /// If the OS cannot create the poller (epoll/kqueue) or its wake-up
    /// descriptor, for example because the process is out of file
    /// descriptors.
    pub fn new() -> io::Result<Driver> {
        Driver::with_event_capacity(DEFAULT_EVENT_CAPACITY)
    }

    /// Creates a driver that takes up to `capacity` events from the OS per
    /// turn (at least one).
    ///
    /// # Errors
    ///
    /// As for [`Driver::new`].
    ///
    /// # Examples
    ///
    /// ```
    /// let driver = weft_reactor::Driver::with_event_capacity(64)?;
    /// # drop(driver);
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn with_event_capacity(capacity: usize) -> io::Result<Driver> {
        Driver::with_event_capacities(capacity, capacity)
    }

    /// Creates a driver that takes up to `capacity` events from the OS on a
    /// turn that waits, and up to `busy_capacity` on a turn that does not
    /// (a timeout of zero); each at least one.
    ///
    /// A thread that still has work queued turns the driver without
    /// waiting, only to pick up what became ready meanwhile; every event it
    /// takes wakes a task that joins that queue. A smaller busy batch keeps
    /// the queue short and leaves the other events with the OS for the next
    /// turn. A thread with nothing else to do waits and takes the full
    /// batch.
    ///
    /// # Errors
    ///
    /// As for [`Driver::new`].
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    ///
    /// let mut driver = weft_reactor::Driver::with_event_capacities(256, 16)?;
    /// // A busy poll: at most 16 events.
    /// driver.turn(Some(Duration::ZERO));
    /// // An idle wait: at most 256.
    /// driver.turn(Some(Duration::from_millis(1)));
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn with_event_capacities(capacity: usize, busy_capacity: usize) -> io::Result<Driver> {
        let (capacity, busy_capacity) = (capacity.max(1), busy_capacity.max(1));
        let poll = mio::Poll::new()?;
        let waker = mio::Waker::new(poll.registry(), WAKE_TOKEN)?;
        let registry = poll.registry().try_clone()?;
        let inner = Inner { registry, waker, slots: Slots::new() };
        Ok(Driver {
            poll,
            events: mio::Events::with_capacity(capacity),
            busy_events: (busy_capacity != capacity).then(|| mio::Events::with_capacity(busy_capacity)),
            pages: Vec::new(),
            handle: Handle { inner: Arc::new(inner) },
        })
    }

    /// A handle to this driver.
    pub fn handle(&self) -> Handle {
        self.handle.clone()
    }

    /// Waits for OS events for at most `timeout` (`None`: until an event or
    /// an [`unpark`](Handle::unpark)), then delivers them: each event sets
    /// its registration's readiness, advances its tick and wakes the tasks
    /// waiting in the directions that became ready. Wakers run after every
    /// lock is released.
    ///
    /// A turn takes at most the driver's event capacity from the OS; with a
    /// timeout of zero, its busy capacity (see
    /// [`with_event_capacities`](Self::with_event_capacities)). Events
    /// beyond that stay with the OS for the next turn.
    ///
    /// Returns `true` if an event reached a registration or an unpark was
    /// seen, `false` on a timeout, an interrupted wait (`EINTR`) or only
    /// stale events.
    ///
    /// # Panics
    ///
    /// If the OS reports an error other than an interrupted wait, which
    /// means the poller itself is broken.
    pub fn turn(&mut self, timeout: Option<Duration>) -> bool {
        let Driver { poll, events, busy_events, pages, handle } = self;
        let events = match busy_events {
            Some(busy) if timeout == Some(Duration::ZERO) => busy,
            _ => events,
        };
        match poll.poll(events, timeout) {
            Ok(()) => deliver(events, pages, &handle.inner.slots),
            Err(error) if error.kind() == io::ErrorKind::Interrupted => false,
            Err(error) => panic!("weft reactor: waiting for I/O events failed: {error}"),
        }
    }

    /// Shuts the driver down; the same as [`Handle::shutdown`].
    pub fn shutdown(&mut self) {
        self.handle.shutdown();
    }
}

/// Delivers the events of a poll; see [`Driver::turn`].
fn deliver(events: &mio::Events, pages: &mut Vec<Arc<Page>>, slots: &Slots) -> bool {
    let mut progressed = false;
    let mut wakers = WakeList::new();
    for event in events.iter() {
        let token = event.token();
        if token == WAKE_TOKEN {
            progressed = true;
            continue;
        }
        let (index, generation) = slots::split(token);
        let Some(io) = lookup(pages, slots, index) else {
            continue;
        };
        let ready = Ready::from_mio(event);
        if io.dispatch(generation, ready) {
            progressed = true;
            io.wake(ready, &mut wakers);
        }
    }
    wakers.wake_all();
    progressed
}

/// The slot at `index`, refreshing the driver's page list if `index` is
/// beyond it. `None` only for a token no registration was ever given.
fn lookup<'a>(pages: &'a mut Vec<Arc<Page>>, slots: &Slots, index: usize) -> Option<&'a ScheduledIo> {
    let (page, offset) = slots::locate(index);
    if page >= pages.len() {
        *pages = slots.pages();
    }
    pages.get(page)?.get(offset)
}

impl Drop for Driver {
    fn drop(&mut self) {
        self.handle.shutdown();
    }
}

impl fmt::Debug for Driver {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let busy = self.busy_events.as_ref().unwrap_or(&self.events);
        f.debug_struct("Driver")
            .field("event_capacity", &self.events.capacity())
            .field("busy_event_capacity", &busy.capacity())
            .field("handle", &self.handle)
            .finish()
    }
}

#[cfg(test)]
mod tests;
