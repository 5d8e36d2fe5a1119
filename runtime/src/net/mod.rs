//! Networking: TCP, UDP and Unix-domain sockets on the runtime's reactor.
//!
//! The types mirror `tokio::net`: [`TcpListener`], [`TcpStream`],
//! [`TcpSocket`], [`UdpSocket`], [`UnixListener`], [`UnixStream`],
//! [`UnixDatagram`], [`UnixSocket`], and [`lookup_host`]. Streams implement
//! [`AsyncRead`](crate::io::AsyncRead) and
//! [`AsyncWrite`](crate::io::AsyncWrite) (and, with the `futures-io`
//! feature, the `futures-io` traits), so the helpers of
//! [`weft::io`](crate::io) and the ecosystem's codecs work on them.
//!
//! Every socket belongs to the runtime it was created in: its readiness
//! comes from that runtime's reactor, and each operation spends one unit
//! of the running task's cooperative budget. After the runtime shuts down,
//! operations on its sockets fail with an `io::Error` instead of waiting
//! forever.
//!
//! # Examples
//!
//! An echo server and a client:
//!
//! ```
//! use weft::io::{AsyncReadExt, AsyncWriteExt};
//! use weft::net::{TcpListener, TcpStream};
//!
//! #[weft::main]
//! async fn main() -> std::io::Result<()> {
//!     let listener = TcpListener::bind("127.0.0.1:0").await?;
//!     let addr = listener.local_addr()?;
//!     weft::spawn(async move {
//!         let (mut socket, _) = listener.accept().await.unwrap();
//!         let (mut reader, mut writer) = socket.split();
//!         weft::io::copy(&mut reader, &mut writer).await.unwrap();
//!     });
//!
//!     let mut client = TcpStream::connect(addr).await?;
//!     client.write_all(b"hello").await?;
//!     let mut buf = [0; 5];
//!     client.read_exact(&mut buf).await?;
//!     assert_eq!(&buf, b"hello");
//!     Ok(())
//! }
//! ```

mod addr;
#[macro_use]
mod ip_options;
#[macro_use]
mod socket_traits;
#[macro_use]
mod split;
pub mod tcp;
mod udp;
pub mod unix;

pub use addr::{lookup_host, ToSocketAddrs};
pub use tcp::{TcpListener, TcpSocket, TcpStream};
pub use udp::UdpSocket;
pub use unix::{UnixDatagram, UnixListener, UnixSocket, UnixStream};

#[cfg(test)]
mod tests;
