//! A mio source registered with the current runtime's reactor, with the
//! cooperative budget charged on every operation.
//!
//! Every socket type in `weft::net` holds one [`Evented`]. It adds two
//! things to [`weft_reactor::PollEvented`]:
//!
//! * registration with the reactor of the runtime the socket is created
//!   in (`context::current().io()`);
//! * the coop budget: each operation spends one unit before it touches
//!   the socket, and gives it back if it ends up `Pending`, so a task that
//!   always finds its socket ready still yields to its neighbours.
//!
//! Stream reads and writes also clear readiness after a short transfer:
//! a read that returned fewer bytes than asked for drained the socket's
//! buffer at that moment, so the next read would only return
//! `WouldBlock`. Clearing straight away saves that system call. It never
//! loses an edge: the clear carries the tick of the observation it is
//! based on, and any event the reactor delivered since makes it a no-op.

use std::future::{poll_fn, Future};
use std::io::{self, IoSlice, Write};
use std::os::fd::AsRawFd;
use std::pin::pin;
use std::task::{ready, Context, Poll};

use mio::event::Source;
use tokio::io::ReadBuf;
use weft_reactor::{Direction, Interest, PollEvented, Ready, ReadyEvent, Registration};
use weft_scheduler::coop;

use crate::runtime::context;

/// A registered source; see the module docs.
#[derive(Debug)]
pub(crate) struct Evented<E: Source> {
    io: PollEvented<E>,
}

impl<E: Source> Evented<E> {
    /// Registers `io` with the current runtime's reactor for `interest`.
    ///
    /// # Panics
    ///
    /// Outside a runtime, or on a runtime with I/O disabled.
    #[track_caller]
    pub(crate) fn new(io: E, interest: mio::Interest) -> io::Result<Evented<E>> {
        let handle = context::current();
        Ok(Evented {
            io: PollEvented::new(io, handle.io(), interest)?,
        })
    }

    /// The source.
    pub(crate) fn get(&self) -> &E {
        &self.io
    }

    pub(crate) fn registration(&self) -> &Registration {
        self.io.registration()
    }

    /// Deregisters the source and gives it back.
    pub(crate) fn into_inner(self) -> io::Result<E> {
        self.io.into_inner()
    }

    /// Readiness in `direction`, charging the budget when ready.
    pub(crate) fn poll_ready(
        &self,
        cx: &mut Context<'_>,
        direction: Direction,
    ) -> Poll<io::Result<ReadyEvent>> {
        let restore = ready!(coop::poll_proceed(cx));
        let event = ready!(self.registration().poll_ready(cx, direction));
        restore.made_progress();
        Poll::Ready(event)
    }

    /// Runs `f` once ready in `direction`, clearing readiness and waiting
    /// again on `WouldBlock`. Uses the direction's single waker slot.
    pub(crate) fn poll_io<R>(
        &self,
        cx: &mut Context<'_>,
        direction: Direction,
        mut f: impl FnMut(&E) -> io::Result<R>,
    ) -> Poll<io::Result<R>> {
        let restore = ready!(coop::poll_proceed(cx));
        let result = ready!(self.io.poll_io(cx, direction, &mut f));
        restore.made_progress();
        Poll::Ready(result)
    }

    /// Runs `f` if ready for `interest` now; never waits, charges nothing.
    pub(crate) fn try_io<R>(
        &self,
        interest: Interest,
        f: impl FnOnce(&E) -> io::Result<R>,
    ) -> io::Result<R> {
        self.registration().try_io(interest, || f(self.get()))
    }

    /// Waits until ready for `interest`. Any number of tasks may wait at
    /// once; cancel-safe.
    pub(crate) async fn readiness(&self, interest: Interest) -> io::Result<ReadyEvent> {
        let mut wait = pin!(self.registration().readiness(interest));
        poll_fn(|cx| {
            let restore = ready!(coop::poll_proceed(cx));
            let event = ready!(wait.as_mut().poll(cx));
            restore.made_progress();
            Poll::Ready(event)
        })
        .await
    }

    /// Waits until ready for `interest`, then runs `f`; on `WouldBlock`
    /// clears that readiness and waits again. Cancel-safe if `f` is.
    pub(crate) async fn async_io<R>(
        &self,
        interest: Interest,
        mut f: impl FnMut(&E) -> io::Result<R>,
    ) -> io::Result<R> {
        loop {
            let event = self.readiness(interest).await?;
            match f(self.get()) {
                Err(error) if error.kind() == io::ErrorKind::WouldBlock => {
                    self.registration().clear_readiness(event)
                }
                result => return result,
            }
        }
    }
}

impl<E: Source + AsRawFd> Evented<E> {
    /// Reads into `buf` (a stream socket), clearing read readiness after
    /// a short read.
    pub(crate) fn poll_read(
        &self,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let restore = ready!(coop::poll_proceed(cx));
        let wanted = buf.remaining();
        loop {
            let event = ready!(self.registration().poll_ready(cx, Direction::Read))?;
            match super::sys::read_buf(self.get().as_raw_fd(), buf) {
                Ok(n) => {
                    if n > 0 && n < wanted {
                        self.registration()
                            .clear_readiness(event.intersect(Ready::READABLE));
                    }
                    restore.made_progress();
                    return Poll::Ready(Ok(()));
                }
                Err(error) if error.kind() == io::ErrorKind::WouldBlock => {
                    self.registration().clear_readiness(event)
                }
                Err(error) => {
                    restore.made_progress();
                    return Poll::Ready(Err(error));
                }
            }
        }
    }

    /// Peeks into `buf` without consuming the bytes.
    pub(crate) fn poll_peek(
        &self,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<usize>> {
        self.poll_io(cx, Direction::Read, |io| {
            super::sys::peek_buf(io.as_raw_fd(), buf)
        })
    }
}

impl<E: Source> Evented<E>
where
    for<'a> &'a E: Write,
{
    /// Writes `buf` (a stream socket), clearing write readiness after a
    /// short write.
    pub(crate) fn poll_write(&self, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        self.poll_write_with(cx, buf.len(), |mut io| io.write(buf))
    }

    /// Writes from several buffers in one system call.
    pub(crate) fn poll_write_vectored(
        &self,
        cx: &mut Context<'_>,
        bufs: &[IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let wanted = bufs.iter().map(|b| b.len()).sum();
        self.poll_write_with(cx, wanted, |mut io| io.write_vectored(bufs))
    }

    fn poll_write_with(
        &self,
        cx: &mut Context<'_>,
        wanted: usize,
        mut f: impl FnMut(&E) -> io::Result<usize>,
    ) -> Poll<io::Result<usize>> {
        let restore = ready!(coop::poll_proceed(cx));
        loop {
            let event = ready!(self.registration().poll_ready(cx, Direction::Write))?;
            match f(self.get()) {
                Ok(n) => {
                    if n > 0 && n < wanted {
                        self.registration()
                            .clear_readiness(event.intersect(Ready::WRITABLE));
                    }
                    restore.made_progress();
                    return Poll::Ready(Ok(n));
                }
                Err(error) if error.kind() == io::ErrorKind::WouldBlock => {
                    self.registration().clear_readiness(event)
                }
                Err(error) => {
                    restore.made_progress();
                    return Poll::Ready(Err(error));
                }
            }
        }
    }
}
