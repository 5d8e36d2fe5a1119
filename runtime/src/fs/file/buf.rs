//! The buffer a [`File`](super::File) moves data through on its way to and
//! from the blocking pool.
//!
//! The bytes `data[pos..end]` are the unread part of a read, or the part of
//! a write still to be written. `data` only ever grows and stays
//! initialised, so a buffer that travels back and forth between the task
//! and the blocking pool is zeroed once, not on every trip.

use std::cmp;
use std::io::{self, Read, Write};
use tokio::io::ReadBuf;

#[derive(Debug, Default)]
pub(super) struct Buf {
    data: Vec<u8>,
    pos: usize,
    end: usize,
}

impl Buf {
    pub(super) fn new() -> Buf {
        Buf::default()
    }

    /// Number of buffered bytes.
    pub(super) fn len(&self) -> usize {
        self.end - self.pos
    }

    pub(super) fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Moves as many buffered bytes as fit into `dst`.
    pub(super) fn copy_to(&mut self, dst: &mut ReadBuf<'_>) -> usize {
        let n = cmp::min(self.len(), dst.remaining());
        dst.put_slice(&self.data[self.pos..self.pos + n]);
        self.pos += n;
        if self.pos == self.end {
            self.clear();
        }
        n
    }

    /// Fills the empty buffer with up to `max` bytes of `src`; returns how
    /// many were taken.
    pub(super) fn copy_from(&mut self, src: &[u8], max: usize) -> usize {
        debug_assert!(self.is_empty(), "a write starts from an empty buffer");
        let n = cmp::min(src.len(), max);
        self.reserve(n);
        self.data[..n].copy_from_slice(&src[..n]);
        self.pos = 0;
        self.end = n;
        n
    }

    /// Reads once from `source` into the empty buffer, asking for `want`
    /// bytes; retries on `Interrupted`. Returns the bytes read (0 at end of
    /// file).
    pub(super) fn read_from(&mut self, mut source: impl Read, want: usize) -> io::Result<usize> {
        debug_assert!(self.is_empty(), "a read starts from an empty buffer");
        self.reserve(want);
        let n = loop {
            match source.read(&mut self.data[..want]) {
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                result => break result?,
            }
        };
        self.pos = 0;
        self.end = n;
        Ok(n)
    }

    /// Writes every buffered byte to `sink`, then empties the buffer
    /// whether or not the write succeeded.
    pub(super) fn write_to(&mut self, mut sink: impl Write) -> io::Result<()> {
        let result = sink.write_all(&self.data[self.pos..self.end]);
        self.clear();
        result
    }

    /// Drops the unread bytes of a read and returns the seek offset that
    /// moves the OS cursor back to where the reader stands (zero or
    /// negative).
    pub(super) fn discard_read(&mut self) -> i64 {
        let unread = self.len() as i64;
        self.clear();
        -unread
    }

    fn clear(&mut self) {
        self.pos = 0;
        self.end = 0;
    }

    fn reserve(&mut self, n: usize) {
        if self.data.len() < n {
            self.data.resize(n, 0);
        }
    }
}
