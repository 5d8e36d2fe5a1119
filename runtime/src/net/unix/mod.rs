//! Unix-domain sockets: streams, listeners and datagrams between processes
//! on the same host, named by a path in the file system (or unnamed, for
//! the `pair` constructors; or, on Linux and Android, by a name in the
//! abstract namespace); and [`pipe`]s.

mod datagram;
mod listener;
pub mod pipe;
mod socket;
mod split;
mod stream;
mod ucred;

pub use datagram::UnixDatagram;
pub use listener::UnixListener;
pub use split::{OwnedReadHalf, OwnedWriteHalf, ReadHalf, ReuniteError, WriteHalf};
pub use socket::UnixSocket;
pub use std::os::unix::net::SocketAddr;
pub use stream::UnixStream;
pub use ucred::UCred;

use std::io;
use std::path::Path;

/// The address a path names for `bind` and `connect`: on Linux and
/// Android a path whose first byte is NUL names the rest of it in the
/// abstract namespace; any other path names a socket file.
fn path_addr(path: &Path) -> io::Result<SocketAddr> {
    #[cfg(any(target_os = "linux", target_os = "android"))]
    {
        #[cfg(target_os = "android")]
        use std::os::android::net::SocketAddrExt;
        #[cfg(target_os = "linux")]
        use std::os::linux::net::SocketAddrExt;
        use std::os::unix::ffi::OsStrExt;

        if let Some(name) = path.as_os_str().as_bytes().strip_prefix(b"\0") {
            return SocketAddr::from_abstract_name(name);
        }
    }
    SocketAddr::from_pathname(path)
}
