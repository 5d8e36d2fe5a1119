//! A source registered with the driver, and the readiness API sockets use.

use std::fmt;
use std::io;
use std::task::{ready, Context, Poll};

use mio::event::Source;

use crate::scheduled_io::ScheduledIo;
use crate::slots::Slot;
use crate::{Direction, Handle, Interest, Readiness, ReadyEvent};

/// One source registered with a [`Driver`](crate::Driver): the readiness
/// the driver delivered to it, and the tasks waiting for more.
///
/// Made by [`Handle::register`]. Sockets hold one next to their mio source
/// and do all I/O through [`poll_io`](Self::poll_io) (for `poll_*` methods)
/// or [`readiness`](Self::readiness) plus [`try_io`](Self::try_io) (for
/// `readable().await` style methods).
///
/// Each direction has a single waker slot for the `poll_*_ready` methods:
/// as with `AsyncRead`/`AsyncWrite`, only the task that polled last in a
/// direction is woken. [`readiness`](Self::readiness) futures have no such
/// limit.
///
/// Dropping a `Registration` frees its slot; deregister the source first
/// (or close it), or its events keep arriving and are discarded.
///
/// This crate charges no cooperative budget; resource types built on it do.
pub struct Registration {
    handle: Handle,
    slot: Slot,
}

impl Registration {
    pub(crate) fn new(handle: Handle, slot: Slot) -> Registration {
        Registration { handle, slot }
    }

    pub(crate) fn io(&self) -> &ScheduledIo {
        self.slot.io()
    }

    #[cfg(all(test, not(loom)))]
    pub(crate) fn slot_index(&self) -> usize {
        self.slot.index()
    }

    /// The handle of the driver this registration belongs to.
    pub fn handle(&self) -> &Handle {
        &self.handle
    }

    /// Readiness to read, or `Pending` with `cx`'s waker stored to be woken
    /// when readable, read-closed or error readiness arrives.
    ///
    /// # Errors
    ///
    /// "the weft runtime that owned this socket has shut down", once the
    /// driver has shut down.
    pub fn poll_read_ready(&self, cx: &mut Context<'_>) -> Poll<io::Result<ReadyEvent>> {
        self.io().poll_ready(cx, Direction::Read)
    }

    /// Readiness to write, or `Pending` with `cx`'s waker stored to be woken
    /// when writable, write-closed or error readiness arrives.
    ///
    /// # Errors
    ///
    /// As for [`poll_read_ready`](Self::poll_read_ready).
    pub fn poll_write_ready(&self, cx: &mut Context<'_>) -> Poll<io::Result<ReadyEvent>> {
        self.io().poll_ready(cx, Direction::Write)
    }

    /// Readiness in `direction`; see [`poll_read_ready`](Self::poll_read_ready)
    /// and [`poll_write_ready`](Self::poll_write_ready).
    ///
    /// # Errors
    ///
    /// As for [`poll_read_ready`](Self::poll_read_ready).
    pub fn poll_ready(&self, cx: &mut Context<'_>, direction: Direction) -> Poll<io::Result<ReadyEvent>> {
        self.io().poll_ready(cx, direction)
    }

    /// Forgets the readiness in `event`, unless the driver has delivered a
    /// new event to this registration since `event` was observed (its tick
    /// moved on): then nothing is cleared, and the next poll sees the new
    /// readiness. Read-closed and write-closed readiness is never cleared.
    ///
    /// Call it after an operation returned `WouldBlock`; clearing readiness
    /// without that proof loses the edge and the task sleeps forever.
    pub fn clear_readiness(&self, event: ReadyEvent) {
        self.io().clear_readiness(event);
    }

    /// Runs the non-blocking operation `f` once the registration is ready in
    /// `direction`, clearing readiness and waiting again each time `f`
    /// returns `WouldBlock`.
    ///
    /// # Errors
    ///
    /// Whatever `f` returns other than `WouldBlock`, and the shutdown error
    /// of [`poll_read_ready`](Self::poll_read_ready).
    ///
    /// # Examples
    ///
    /// ```
    /// use std::io;
    /// use std::task::{Context, Poll};
    /// use weft_reactor::{Direction, Registration};
    ///
    /// fn poll_recv(
    ///     socket: &mio::net::UdpSocket,
    ///     registration: &Registration,
    ///     cx: &mut Context<'_>,
    ///     buf: &mut [u8],
    /// ) -> Poll<io::Result<usize>> {
    ///     registration.poll_io(cx, Direction::Read, || socket.recv(buf))
    /// }
    /// # let _ = poll_recv;
    /// ```
    pub fn poll_io<R>(
        &self,
        cx: &mut Context<'_>,
        direction: Direction,
        mut f: impl FnMut() -> io::Result<R>,
    ) -> Poll<io::Result<R>> {
        loop {
            let event = ready!(self.poll_ready(cx, direction))?;
            match f() {
                Err(error) if error.kind() == io::ErrorKind::WouldBlock => self.clear_readiness(event),
                result => return Poll::Ready(result),
            }
        }
    }

    /// Runs `f` if the registration is ready for `interest` now; on
    /// `WouldBlock` from `f`, clears that readiness. Never waits and stores
    /// no waker. This is the body of `try_read`-style socket methods.
    ///
    /// # Errors
    ///
    /// `WouldBlock` if the registration is not ready for `interest` or `f`
    /// returned it; whatever else `f` returns; the shutdown error of
    /// [`poll_read_ready`](Self::poll_read_ready).
    pub fn try_io<R>(&self, interest: Interest, f: impl FnOnce() -> io::Result<R>) -> io::Result<R> {
        let event = self.io().ready_now(interest.mask())?;
        if event.ready().is_empty() {
            return Err(io::ErrorKind::WouldBlock.into());
        }
        match f() {
            Err(error) if error.kind() == io::ErrorKind::WouldBlock => {
                self.clear_readiness(event);
                Err(error)
            }
            result => result,
        }
    }

    /// Waits until the registration is ready for `interest` and returns
    /// that readiness (narrowed to `interest`'s mask), without clearing it.
    ///
    /// The future is cancel-safe: dropping it loses no readiness, since
    /// readiness lives in the registration and not in the future. Any
    /// number of these futures may wait at once.
    ///
    /// # Errors
    ///
    /// The future resolves to the shutdown error of
    /// [`poll_read_ready`](Self::poll_read_ready) once the driver has shut
    /// down.
    pub fn readiness(&self, interest: Interest) -> Readiness<'_> {
        Readiness::new(self.io(), interest.mask())
    }

    /// Waits until the registration is ready for `interest`, then runs `f`;
    /// on `WouldBlock` from `f`, clears that readiness and waits again.
    /// The body of `async fn send_to`-style socket methods.
    ///
    /// Cancel-safe if `f` is: dropping the future between attempts loses no
    /// readiness.
    ///
    /// # Errors
    ///
    /// Whatever `f` returns other than `WouldBlock`; the shutdown error of
    /// [`poll_read_ready`](Self::poll_read_ready).
    ///
    /// # Examples
    ///
    /// ```
    /// use std::io;
    /// use weft_reactor::{Interest, Registration};
    ///
    /// async fn recv(socket: &mio::net::UdpSocket, registration: &Registration, buf: &mut [u8]) -> io::Result<usize> {
    ///     registration.async_io(Interest::READABLE, || socket.recv(buf)).await
    /// }
    /// # let _ = recv;
    /// ```
    pub async fn async_io<R>(&self, interest: Interest, mut f: impl FnMut() -> io::Result<R>) -> io::Result<R> {
        loop {
            let event = self.readiness(interest).await?;
            match f() {
                Err(error) if error.kind() == io::ErrorKind::WouldBlock => self.clear_readiness(event),
                result => return result,
            }
        }
    }

    /// Changes the interest `source` is registered with, keeping this
    /// registration and its readiness.
    ///
    /// # Errors
    ///
    /// Any error of `mio::Registry::reregister`.
    pub fn reregister<S>(&self, source: &mut S, interest: mio::Interest) -> io::Result<()>
    where
        S: Source + ?Sized,
    {
        self.handle.inner.registry.reregister(source, self.slot.token(), interest)
    }

    /// Stops the OS from reporting events for `source`. The registration
    /// stays usable as a readiness record until dropped. Works after
    /// shutdown too.
    ///
    /// # Errors
    ///
    /// Any error of `mio::Registry::deregister` (for example, `source` was
    /// not registered).
    pub fn deregister<S>(&self, source: &mut S) -> io::Result<()>
    where
        S: Source + ?Sized,
    {
        self.handle.inner.registry.deregister(source)
    }
}

impl Drop for Registration {
    fn drop(&mut self) {
        self.handle.inner.slots.release(&self.slot);
    }
}

impl fmt::Debug for Registration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Registration").field("slot", &self.slot.index()).field("io", self.io()).finish()
    }
}

#[cfg(test)]
mod tests;
