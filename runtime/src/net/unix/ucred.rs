//! The credentials of the process at the other end of a Unix stream.

/// Who is at the other end of a [`UnixStream`](super::UnixStream): the
/// user and group ids, and on Linux and Android the process id, of the
/// process that made the connection, as the kernel recorded them when it
/// was made. A server can use them to authorise a local client without a
/// password.
///
/// # Examples
///
/// ```no_run
/// use weft::net::UnixListener;
///
/// #[weft::main]
/// async fn main() -> std::io::Result<()> {
///     let listener = UnixListener::bind("/run/my-service.sock")?;
///     loop {
///         let (stream, _) = listener.accept().await?;
///         let cred = stream.peer_cred()?;
///         if cred.uid() != 0 {
///             eprintln!("refused a client run by uid {} (pid {:?})", cred.uid(), cred.pid());
///             continue;
///         }
///         // ... serve the root client over `stream`
///     }
/// }
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct UCred {
    pid: Option<libc::pid_t>,
    uid: libc::uid_t,
    gid: libc::gid_t,
}

impl UCred {
    pub(crate) fn new(pid: Option<libc::pid_t>, uid: libc::uid_t, gid: libc::gid_t) -> UCred {
        UCred { pid, uid, gid }
    }

    /// The peer's user id.
    pub fn uid(&self) -> libc::uid_t {
        self.uid
    }

    /// The peer's group id.
    pub fn gid(&self) -> libc::gid_t {
        self.gid
    }

    /// The peer's process id, where the system records it (Linux and
    /// Android); `None` elsewhere.
    pub fn pid(&self) -> Option<libc::pid_t> {
        self.pid
    }
}
