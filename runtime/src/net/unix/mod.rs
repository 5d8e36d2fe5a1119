//! Unix-domain sockets: streams, listeners and datagrams between processes
//! on the same host, named by a path in the file system (or unnamed, for
//! the `pair` constructors).

mod datagram;
mod listener;
mod split;
mod stream;
mod ucred;

pub use datagram::UnixDatagram;
pub use listener::UnixListener;
pub use split::{OwnedReadHalf, OwnedWriteHalf, ReadHalf, ReuniteError, WriteHalf};
pub use std::os::unix::net::SocketAddr;
pub use stream::UnixStream;
pub use ucred::UCred;
