//! A mio source registered with the current runtime's reactor, with the
//! cooperative budget charged on every operation.
//!
//! Every socket and pipe type in `weft::net`, and each piped standard
//! stream of a child in `weft::process`, holds one [`Evented`]. It adds two
//! things to [`weft_reactor::PollEvented`]:
//!
//! * registration with the reactor of the runtime the socket is created
//!   in (`context::current().io()`);
//! * the coop budget: each operation spends one unit before it touches
//!   the socket, and gives it back if it ends up `Pending`, so a task that
//!   always finds its socket ready still yields to its neighbours.
//!
//! Stream reads and writes (of stream sockets and of pipes) also clear
//! readiness after a short transfer: a read that returned fewer bytes
//! than asked for drained the kernel's buffer at that moment, so the next
//! read would only return `WouldBlock`. Clearing straight away saves that
//! system call. It never loses an edge: the clear carries the tick of the
//! observation it is based on, and any event the reactor delivered since
//! makes it a no-op. Sockets are read with `recv(2)` ([`poll_read`]),
//! pipes with `read(2)` ([`poll_read_fd`]); both share one loop.
//!
//! [`poll_read`]: Evented::poll_read
//! [`poll_read_fd`]: Evented::poll_read_fd
//!
//! The operations the socket types have in common (`ready`, `readable`,
//! `poll_read_ready`, `try_read`, `try_write_vectored`, the stream reads
//! and writes, ...) are written here once; each public method in
//! `weft::net` is its documentation and a call to one of them.

use std::future::{poll_fn, Future};
use std::io::{self, IoSlice, IoSliceMut, Read, Write};
use std::os::fd::{AsFd, AsRawFd};
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
        budgeted(cx, |cx| self.registration().poll_ready(cx, direction))
    }

    /// Read readiness without the event: the sockets' `poll_read_ready`.
    pub(crate) fn poll_read_ready(&self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.poll_ready(cx, Direction::Read).map_ok(drop)
    }

    /// Write readiness without the event: the sockets' `poll_write_ready`.
    pub(crate) fn poll_write_ready(&self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.poll_ready(cx, Direction::Write).map_ok(drop)
    }

    /// Runs `f` once ready in `direction`, clearing readiness and waiting
    /// again on `WouldBlock`. Uses the direction's single waker slot.
    pub(crate) fn poll_io<R>(
        &self,
        cx: &mut Context<'_>,
        direction: Direction,
        mut f: impl FnMut(&E) -> io::Result<R>,
    ) -> Poll<io::Result<R>> {
        budgeted(cx, |cx| self.io.poll_io(cx, direction, &mut f))
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
        poll_fn(|cx| budgeted(cx, |cx| wait.as_mut().poll(cx))).await
    }

    /// The readiness seen once ready for any of `interest`: the sockets'
    /// `ready`.
    pub(crate) async fn ready(&self, interest: Interest) -> io::Result<Ready> {
        Ok(self.readiness(interest).await?.ready())
    }

    /// Waits until readable: the sockets' `readable`.
    pub(crate) async fn readable(&self) -> io::Result<()> {
        self.readiness(Interest::READABLE).await.map(drop)
    }

    /// Waits until writable: the sockets' `writable`.
    pub(crate) async fn writable(&self) -> io::Result<()> {
        self.readiness(Interest::WRITABLE).await.map(drop)
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

    /// Runs the stream transfer `f` once ready in `direction` and returns
    /// the byte count it reports. A short transfer (some bytes, fewer than
    /// `wanted`) clears the direction's plain readiness, as the module
    /// docs explain; `WouldBlock` clears what was seen and waits again.
    ///
    /// Always inlined, so that each stream read and write keeps its own
    /// copy of this loop with `direction` folded in, as if written out.
    #[inline(always)]
    fn poll_transfer(
        &self,
        cx: &mut Context<'_>,
        direction: Direction,
        wanted: usize,
        mut f: impl FnMut(&E) -> io::Result<usize>,
    ) -> Poll<io::Result<usize>> {
        let drained = match direction {
            Direction::Read => Ready::READABLE,
            Direction::Write => Ready::WRITABLE,
        };
        let restore = ready!(coop::poll_proceed(cx));
        loop {
            let event = ready!(self.registration().poll_ready(cx, direction))?;
            match f(self.get()) {
                Ok(n) => {
                    if n > 0 && n < wanted {
                        self.registration()
                            .clear_readiness(event.intersect(drained));
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

impl<E: Source + AsRawFd> Evented<E> {
    /// Reads into `buf` (a stream socket), clearing read readiness after
    /// a short read.
    pub(crate) fn poll_read(
        &self,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let wanted = buf.remaining();
        self.poll_transfer(cx, Direction::Read, wanted, |io| {
            super::sys::read_buf(io.as_raw_fd(), buf)
        })
        .map_ok(drop)
    }

    /// Reads what the stream holds now into the spare capacity of `buf`,
    /// without waiting, and advances `buf` by the count returned. Clears
    /// read readiness on `WouldBlock`, as `try_read` does.
    pub(crate) fn try_read_buf<B: bytes::BufMut + ?Sized>(&self, buf: &mut B) -> io::Result<usize> {
        self.try_io(Interest::READABLE, |io| {
            super::sys::read_into_spare(buf, |buf| super::sys::read_buf(io.as_raw_fd(), buf))
        })
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

impl<E: Source + AsFd> Evented<E> {
    /// Reads into `buf` with `read(2)`, for a descriptor that is not a
    /// socket (a pipe, a FIFO); clears read readiness after a short read,
    /// as [`poll_read`](Self::poll_read) does for stream sockets.
    pub(crate) fn poll_read_fd(
        &self,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let wanted = buf.remaining();
        self.poll_transfer(cx, Direction::Read, wanted, |io| {
            super::sys::read_fd_buf(io.as_fd(), buf)
        })
        .map_ok(drop)
    }

    /// Reads what the descriptor holds now into the spare capacity of
    /// `buf` with `read(2)`, without waiting; the twin of
    /// [`try_read_buf`](Self::try_read_buf) for pipes.
    pub(crate) fn try_read_buf_fd<B: bytes::BufMut + ?Sized>(
        &self,
        buf: &mut B,
    ) -> io::Result<usize> {
        self.try_io(Interest::READABLE, |io| {
            super::sys::read_into_spare(buf, |buf| super::sys::read_fd_buf(io.as_fd(), buf))
        })
    }
}

impl<E: Source> Evented<E>
where
    for<'a> &'a E: Read,
{
    /// Reads what the socket holds now, without waiting.
    #[inline]
    pub(crate) fn try_read(&self, buf: &mut [u8]) -> io::Result<usize> {
        self.try_io(Interest::READABLE, |mut io| io.read(buf))
    }

    /// Reads into several buffers what the socket holds now.
    #[inline]
    pub(crate) fn try_read_vectored(&self, bufs: &mut [IoSliceMut<'_>]) -> io::Result<usize> {
        self.try_io(Interest::READABLE, |mut io| io.read_vectored(bufs))
    }
}

impl<E: Source> Evented<E>
where
    for<'a> &'a E: Write,
{
    /// Writes `buf` (a stream socket), clearing write readiness after a
    /// short write.
    pub(crate) fn poll_write(&self, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        self.poll_transfer(cx, Direction::Write, buf.len(), |mut io| io.write(buf))
    }

    /// Writes from several buffers in one system call.
    pub(crate) fn poll_write_vectored(
        &self,
        cx: &mut Context<'_>,
        bufs: &[IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let wanted = bufs.iter().map(|b| b.len()).sum();
        self.poll_transfer(cx, Direction::Write, wanted, |mut io| {
            io.write_vectored(bufs)
        })
    }

    /// Writes what fits in the socket's buffer now, without waiting.
    #[inline]
    pub(crate) fn try_write(&self, buf: &[u8]) -> io::Result<usize> {
        self.try_io(Interest::WRITABLE, |mut io| io.write(buf))
    }

    /// Writes from several buffers what fits now.
    #[inline]
    pub(crate) fn try_write_vectored(&self, bufs: &[IoSlice<'_>]) -> io::Result<usize> {
        self.try_io(Interest::WRITABLE, |mut io| io.write_vectored(bufs))
    }
}

/// Polls `poll` after spending one unit of the task's budget, and gives
/// the unit back if `poll` is still pending.
#[inline]
fn budgeted<T>(cx: &mut Context<'_>, poll: impl FnOnce(&mut Context<'_>) -> Poll<T>) -> Poll<T> {
    let restore = ready!(coop::poll_proceed(cx));
    let output = ready!(poll(cx));
    restore.made_progress();
    Poll::Ready(output)
}
