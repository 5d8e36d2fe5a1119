//! Blocking `Read`/`Write` objects driven from async code through the
//! blocking pool: the engine behind [`stdin`](crate::io::stdin),
//! [`stdout`](crate::io::stdout) and [`stderr`](crate::io::stderr).
//!
//! The object moves to a blocking-pool thread for each operation together
//! with an owned buffer, and comes back with the result:
//!
//! * a read fills the buffer on the pool thread (at most [`MAX_BUF`]
//!   bytes, or what the caller asked for); the caller copies out of it,
//!   and later reads are served from what is left before another trip;
//! * a write copies the caller's bytes into the buffer and reports them
//!   written at once; the pool thread writes them meanwhile. An error from
//!   that write is returned by the next write or flush. A write or flush
//!   first waits for the previous operation to come back, so bytes leave
//!   in order.
//!
//! Only one operation is ever in flight, and while it is the object is
//! owned by the pool thread, so no locking is needed.

use std::future::Future;
use std::io::{self, Read, Write};
use std::pin::Pin;
use std::task::{ready, Context, Poll};

use tokio::io::ReadBuf;

use crate::runtime::context;
use crate::task::JoinHandle;

/// The most bytes one trip to the blocking pool moves.
pub(crate) const MAX_BUF: usize = 2 * 1024 * 1024;

/// A blocking object run on the blocking pool; see the module docs.
#[derive(Debug)]
pub(crate) struct Blocking<T> {
    /// `None` while an operation is in flight: the pool thread has it.
    inner: Option<T>,
    state: State<T>,
    /// A write went out since the last flush.
    need_flush: bool,
}

#[derive(Debug)]
enum State<T> {
    Idle(Option<Buf>),
    Busy(JoinHandle<(Operation, Buf, T)>),
}

#[derive(Debug)]
enum Operation {
    Read(io::Result<usize>),
    Write(io::Result<()>),
    Flush(io::Result<()>),
}

/// Bytes in flight, with a read position for data not yet handed out.
#[derive(Debug, Default)]
struct Buf {
    data: Vec<u8>,
    pos: usize,
}

impl Buf {
    fn is_empty(&self) -> bool {
        self.pos == self.data.len()
    }

    fn clear(&mut self) {
        self.data.clear();
        self.pos = 0;
    }

    fn copy_to(&mut self, dst: &mut ReadBuf<'_>) {
        let n = (self.data.len() - self.pos).min(dst.remaining());
        dst.put_slice(&self.data[self.pos..self.pos + n]);
        self.pos += n;
        if self.is_empty() {
            self.clear();
        }
    }

    fn copy_from(&mut self, src: &[u8]) -> usize {
        let n = src.len().min(MAX_BUF);
        self.clear();
        self.data.extend_from_slice(&src[..n]);
        n
    }

    fn read_from<T: Read>(&mut self, wanted: usize, reader: &mut T) -> io::Result<usize> {
        self.clear();
        self.data.resize(wanted.clamp(1, MAX_BUF), 0);
        let result = loop {
            match reader.read(&mut self.data) {
                Err(error) if error.kind() == io::ErrorKind::Interrupted => continue,
                result => break result,
            }
        };
        self.data.truncate(*result.as_ref().unwrap_or(&0));
        result
    }

    fn write_to<T: Write>(&mut self, writer: &mut T) -> io::Result<()> {
        let result = writer.write_all(&self.data[self.pos..]);
        self.clear();
        result
    }
}

fn join_error(error: crate::task::JoinError) -> io::Error {
    io::Error::other(format!(
        "the blocking-pool thread doing this I/O failed: {error}"
    ))
}

impl<T> Blocking<T> {
    pub(crate) fn new(inner: T) -> Blocking<T> {
        Blocking {
            inner: Some(inner),
            state: State::Idle(Some(Buf::default())),
            need_flush: false,
        }
    }
}

impl<T: Send + 'static> Blocking<T> {
    /// Waits for the operation in flight, if any, and takes the object and
    /// buffer back. Returns the operation's outcome.
    fn poll_complete(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<Option<Operation>>> {
        let State::Busy(task) = &mut self.state else {
            return Poll::Ready(Ok(None));
        };
        let (operation, buf, inner) = ready!(Pin::new(task).poll(cx)).map_err(join_error)?;
        self.inner = Some(inner);
        self.state = State::Idle(Some(buf));
        Poll::Ready(Ok(Some(operation)))
    }

    fn idle_buf(&mut self) -> &mut Buf {
        match &mut self.state {
            State::Idle(Some(buf)) => buf,
            _ => unreachable!("Blocking::idle_buf while busy"),
        }
    }

    fn take_idle(&mut self) -> (Buf, T) {
        let State::Idle(buf) = &mut self.state else {
            unreachable!("Blocking::take_idle while busy")
        };
        let buf = buf.take().expect("an idle Blocking holds its buffer");
        let inner = self
            .inner
            .take()
            .expect("an idle Blocking holds its object");
        (buf, inner)
    }

    #[track_caller]
    fn start<F>(&mut self, f: F)
    where
        F: FnOnce() -> (Operation, Buf, T) + Send + 'static,
    {
        self.state = State::Busy(context::current().spawn_blocking(f));
    }
}

impl<T: Read + Send + 'static> Blocking<T> {
    pub(crate) fn poll_read(
        &mut self,
        cx: &mut Context<'_>,
        dst: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        loop {
            match ready!(self.poll_complete(cx))? {
                Some(Operation::Read(result)) => {
                    // An empty successful read is the end of the stream.
                    result?;
                    self.idle_buf().copy_to(dst);
                    return Poll::Ready(Ok(()));
                }
                Some(Operation::Write(Err(error)) | Operation::Flush(Err(error))) => {
                    return Poll::Ready(Err(error))
                }
                Some(_) | None => {}
            }
            let buf = self.idle_buf();
            if !buf.is_empty() || dst.remaining() == 0 {
                buf.copy_to(dst);
                return Poll::Ready(Ok(()));
            }
            let wanted = dst.remaining();
            let (mut buf, mut inner) = self.take_idle();
            self.start(move || {
                let result = buf.read_from(wanted, &mut inner);
                (Operation::Read(result), buf, inner)
            });
            // Loop to poll the new operation: that registers the waker,
            // and if the pool was quick its bytes come back now.
        }
    }
}

impl<T: Write + Send + 'static> Blocking<T> {
    pub(crate) fn poll_write(
        &mut self,
        cx: &mut Context<'_>,
        src: &[u8],
    ) -> Poll<io::Result<usize>> {
        if let Some(Operation::Write(Err(error)) | Operation::Flush(Err(error))) =
            ready!(self.poll_complete(cx))?
        {
            return Poll::Ready(Err(error));
        }
        if src.is_empty() {
            return Poll::Ready(Ok(0));
        }
        let (mut buf, mut inner) = self.take_idle();
        let n = buf.copy_from(src);
        self.start(move || {
            let result = buf.write_to(&mut inner);
            (Operation::Write(result), buf, inner)
        });
        self.need_flush = true;
        Poll::Ready(Ok(n))
    }

    pub(crate) fn poll_flush(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        loop {
            if let Some(Operation::Write(Err(error)) | Operation::Flush(Err(error))) =
                ready!(self.poll_complete(cx))?
            {
                return Poll::Ready(Err(error));
            }
            if !self.need_flush {
                return Poll::Ready(Ok(()));
            }
            let (buf, mut inner) = self.take_idle();
            self.need_flush = false;
            self.start(move || {
                let result = inner.flush();
                (Operation::Flush(result), buf, inner)
            });
        }
    }
}

#[cfg(test)]
mod tests;
