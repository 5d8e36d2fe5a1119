//! Asynchronous I/O: the traits, the helpers around them, standard
//! streams, and readiness for raw file descriptors.
//!
//! The traits are the ecosystem's own: [`AsyncRead`], [`AsyncWrite`],
//! [`AsyncBufRead`] and [`AsyncSeek`] are tokio's, re-exported, together
//! with their extension traits and adapters ([`AsyncReadExt`],
//! [`BufReader`], [`copy`], [`split`], [`duplex`], ...). Anything written
//! against `tokio::io` (tokio-util codecs, hyper through hyper-util's
//! `TokioIo`, TLS wrappers) therefore works on weft's sockets unchanged.
//!
//! ```
//! use weft::io::{AsyncReadExt, AsyncWriteExt};
//!
//! #[weft::main]
//! async fn main() -> std::io::Result<()> {
//!     let (mut client, mut server) = weft::io::duplex(64);
//!     client.write_all(b"ping").await?;
//!     let mut buf = [0; 4];
//!     server.read_exact(&mut buf).await?;
//!     assert_eq!(&buf, b"ping");
//!     Ok(())
//! }
//! ```
//!
//! [`Interest`] and [`Ready`] name the readiness a socket waits for
//! (`TcpStream::ready`, [`unix::AsyncFd`]). [`stdin`], [`stdout`] and
//! [`stderr`] run the process's standard streams on the blocking pool.

mod blocking;
pub(crate) mod evented;
mod stdio;
pub(crate) mod sys;
pub mod unix;

pub use stdio::{stderr, stdin, stdout, Stderr, Stdin, Stdout};
pub use weft_reactor::{Interest, Ready};

pub use std::io::{Error, ErrorKind, Result, SeekFrom};
pub use tokio::io::{
    copy, copy_bidirectional, copy_bidirectional_with_sizes, copy_buf, duplex, empty, join, repeat,
    simplex, sink, split, AsyncBufRead, AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncSeek,
    AsyncSeekExt, AsyncWrite, AsyncWriteExt, BufReader, BufStream, BufWriter, Chain, DuplexStream,
    Empty, Join, Lines, ReadBuf, ReadHalf, Repeat, SimplexStream, Sink, Split, Take, WriteHalf,
};
