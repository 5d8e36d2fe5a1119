//! The process-wide registry of signal listeners, and the per-runtime task
//! that turns wake-up bytes into deliveries.
//!
//! # Delivery
//!
//! Each signal number has a generation counter and the wakers of the
//! [`Signal`](super::unix::Signal)s waiting for it. A `Signal` remembers
//! the generation it saw last; delivering a signal bumps the counter and
//! wakes every waiter, so each listener receives it once, and several
//! deliveries between two polls count as one (as with tokio). Generation
//! and wakers share one lock, so a poll that finds no new generation and
//! stores its waker cannot miss a concurrent delivery.
//!
//! # Runtimes
//!
//! Every runtime that has listeners runs one *reader* task, which owns a
//! descriptor of the wake-up socket registered with that runtime's
//! reactor. Any reader drains the socket and delivers to all listeners,
//! whatever runtime they live in. When a runtime shuts down its reader
//! task is dropped: the guard it holds marks the reader dead, removes it
//! from the registry and wakes the listeners, which then see the end of
//! their stream (`recv` returns `None`).

use super::handler::{self, NSIG};
use crate::loom::sync::atomic::{AtomicBool, Ordering};
use crate::loom::sync::{Arc, Mutex};
use crate::runtime::Handle;
use std::collections::HashMap;
use std::io::{self, Read};
use std::sync::OnceLock;
use std::task::Waker;
use weft_reactor::{Interest, PollEvented};

pub(crate) struct Registry {
    slots: Vec<Slot>,
    readers: Vec<Arc<Reader>>,
    next_listener: u64,
}

#[derive(Default)]
struct Slot {
    installed: bool,
    generation: u64,
    wakers: HashMap<u64, Waker>,
}

/// One runtime's reader task, as listeners see it.
#[derive(Debug)]
pub(crate) struct Reader {
    runtime: crate::runtime::Id,
    alive: AtomicBool,
}

/// A listener's place in the registry.
#[derive(Debug)]
pub(crate) struct Ticket {
    pub(crate) signum: usize,
    pub(crate) id: u64,
    pub(crate) seen: u64,
    pub(crate) reader: Arc<Reader>,
}

fn registry() -> &'static Mutex<Registry> {
    static REGISTRY: OnceLock<Mutex<Registry>> = OnceLock::new();
    REGISTRY.get_or_init(|| {
        Mutex::new(Registry {
            slots: (0..NSIG).map(|_| Slot::default()).collect(),
            readers: Vec::new(),
            next_listener: 0,
        })
    })
}

/// Installs the handler for `signum` (once per process), makes sure the
/// runtime of `handle` runs a reader, and returns a new listener's ticket.
///
/// # Errors
///
/// An invalid or forbidden signal number, or an OS failure to install the
/// handler or register the reader.
pub(crate) fn listen(handle: &Handle, signum: libc::c_int) -> io::Result<Ticket> {
    let signum = handler::check(signum)?;
    {
        let mut registry = registry().lock();
        if !registry.slots[signum].installed {
            handler::install(signum)?;
            registry.slots[signum].installed = true;
        }
    }
    let reader = ensure_reader(handle)?;
    let mut registry = registry().lock();
    let id = registry.next_listener;
    registry.next_listener += 1;
    Ok(Ticket { signum, id, seen: registry.slots[signum].generation, reader })
}

/// Installs the `SIGCHLD` handler and this runtime's reader, if there is a
/// runtime with I/O on this thread. Used to reap orphaned children.
pub(crate) fn watch_children() {
    let _ = crate::runtime::context::with_current(|handle| {
        if handle.inner.drivers.io.is_some() {
            if let Ok(ticket) = listen(handle, libc::SIGCHLD) {
                forget(&ticket);
            }
        }
    });
}

/// True, with the ticket's generation updated, if a signal was delivered
/// since the ticket last saw one. Otherwise stores `waker` and returns
/// false (`None` if the ticket's reader is gone: no delivery will come).
pub(crate) fn poll(ticket: &mut Ticket, waker: &Waker) -> Option<bool> {
    let mut registry = registry().lock();
    let slot = &mut registry.slots[ticket.signum];
    if slot.generation != ticket.seen {
        ticket.seen = slot.generation;
        return Some(true);
    }
    if !ticket.reader.alive.load(Ordering::Acquire) {
        return None;
    }
    let old = match slot.wakers.get_mut(&ticket.id) {
        Some(stored) if stored.will_wake(waker) => None,
        Some(stored) => Some(std::mem::replace(stored, waker.clone())),
        None => {
            slot.wakers.insert(ticket.id, waker.clone());
            None
        }
    };
    drop(registry);
    // Dropped outside the lock: dropping a waker may run arbitrary code.
    drop(old);
    Some(false)
}

/// Removes a dropped listener's waker.
pub(crate) fn forget(ticket: &Ticket) {
    let old = registry().lock().slots[ticket.signum].wakers.remove(&ticket.id);
    drop(old);
}

/// Takes the pending flags and wakes the listeners of every signal that
/// arrived. Reaps orphaned children after a `SIGCHLD`.
fn deliver() {
    let mut wake = Vec::new();
    let mut child = false;
    {
        let mut registry = registry().lock();
        for (signum, slot) in registry.slots.iter_mut().enumerate().skip(1) {
            if slot.installed && handler::take_pending(signum) {
                slot.generation += 1;
                wake.extend(slot.wakers.drain().map(|(_, waker)| waker));
                child |= signum == libc::SIGCHLD as usize;
            }
        }
    }
    wake.into_iter().for_each(Waker::wake);
    if child {
        crate::process::reap_orphans();
    }
}

/// The reader of `handle`'s runtime, started if it has none.
fn ensure_reader(handle: &Handle) -> io::Result<Arc<Reader>> {
    let id = handle.id();
    let reader = {
        let mut registry = registry().lock();
        if let Some(reader) = registry.readers.iter().find(|r| r.runtime == id) {
            return Ok(reader.clone());
        }
        let reader = Arc::new(Reader { runtime: id, alive: AtomicBool::new(true) });
        registry.readers.push(reader.clone());
        reader
    };
    let guard = ReaderGuard(reader.clone());
    let source = handler::reader()
        .map(mio::net::UnixStream::from_std)
        .and_then(|stream| PollEvented::new(stream, handle.io(), mio::Interest::READABLE));
    let source = match source {
        Ok(source) => source,
        Err(e) => {
            drop(guard);
            return Err(e);
        }
    };
    // Bytes written while no reader ran are taken now, before any new
    // listener records its starting generation.
    drain(&source);
    deliver();
    handle.spawn(async move {
        let _guard = guard;
        loop {
            let Ok(event) = source.registration().readiness(Interest::READABLE).await else { return };
            if drain(&source) {
                source.registration().clear_readiness(event);
            }
            deliver();
        }
    });
    Ok(reader)
}

/// Reads every waiting byte; true once the socket reported `WouldBlock`.
fn drain(source: &PollEvented<mio::net::UnixStream>) -> bool {
    let mut bytes = [0u8; 64];
    loop {
        match (&**source).read(&mut bytes) {
            Ok(0) => return false,
            Ok(_) => continue,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return e.kind() == io::ErrorKind::WouldBlock,
        }
    }
}

/// Marks a reader dead when its task is dropped (the runtime shut down).
struct ReaderGuard(Arc<Reader>);

impl Drop for ReaderGuard {
    fn drop(&mut self) {
        let mut wake = Vec::new();
        {
            let mut registry = registry().lock();
            self.0.alive.store(false, Ordering::Release);
            registry.readers.retain(|r| !Arc::ptr_eq(r, &self.0));
            for slot in &mut registry.slots {
                wake.extend(slot.wakers.drain().map(|(_, waker)| waker));
            }
        }
        // Listeners of other runtimes wake spuriously and wait again.
        wake.into_iter().for_each(Waker::wake);
    }
}
