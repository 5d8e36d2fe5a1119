//! Linux process descriptors: a `pidfd` becomes readable when its process
//! exits, which lets the reactor notice a child's exit with no signal
//! handler and no thread.

use std::io;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};

/// A process descriptor, as a mio source.
#[derive(Debug)]
pub(super) struct PidFd(OwnedFd);

impl PidFd {
    /// Opens a descriptor for the process `pid`.
    ///
    /// # Errors
    ///
    /// `ENOSYS` on kernels before 5.3 (and wherever pidfds do not exist),
    /// or another error of `pidfd_open`.
    #[cfg(any(target_os = "linux", target_os = "android"))]
    pub(super) fn open(pid: u32) -> io::Result<PidFd> {
        let pid = libc::pid_t::try_from(pid).map_err(|_| io::Error::from(io::ErrorKind::InvalidInput))?;
        // SAFETY: `pidfd_open(pid, flags)` takes two integers and returns
        // a new descriptor or -1; it touches no memory of ours.
        let fd = unsafe { libc::syscall(libc::SYS_pidfd_open, pid, 0) };
        if fd < 0 {
            return Err(io::Error::last_os_error());
        }
        let fd = libc::c_int::try_from(fd).map_err(|_| io::Error::from(io::ErrorKind::InvalidData))?;
        // SAFETY: `fd` was just returned by `pidfd_open`, so it is an open
        // descriptor that nothing else owns.
        Ok(PidFd(unsafe { OwnedFd::from_raw_fd(fd) }))
    }

    /// Process descriptors do not exist on this platform.
    ///
    /// # Errors
    ///
    /// Always `Unsupported`.
    #[cfg(not(any(target_os = "linux", target_os = "android")))]
    pub(super) fn open(_pid: u32) -> io::Result<PidFd> {
        Err(io::ErrorKind::Unsupported.into())
    }
}

impl mio::event::Source for PidFd {
    fn register(&mut self, registry: &mio::Registry, token: mio::Token, interests: mio::Interest) -> io::Result<()> {
        mio::unix::SourceFd(&self.0.as_raw_fd()).register(registry, token, interests)
    }

    fn reregister(&mut self, registry: &mio::Registry, token: mio::Token, interests: mio::Interest) -> io::Result<()> {
        mio::unix::SourceFd(&self.0.as_raw_fd()).reregister(registry, token, interests)
    }

    fn deregister(&mut self, registry: &mio::Registry) -> io::Result<()> {
        mio::unix::SourceFd(&self.0.as_raw_fd()).deregister(registry)
    }
}
