//! The system calls weft's sockets make themselves, in one place.
//!
//! mio covers most operations; these few read straight into the
//! uninitialized tail of a [`ReadBuf`], which mio's `&mut [u8]` methods
//! cannot do without first zeroing it. Each function makes one system
//! call, retries it on `EINTR`, and maps `-1` to `io::Error::last_os_error`.

use std::io;
use std::os::fd::RawFd;
use tokio::io::ReadBuf;

/// Reads from `fd` into the unfilled part of `buf` and advances it by the
/// number of bytes read, which is returned. `Ok(0)` with room left in
/// `buf` means end of stream.
pub(crate) fn read_buf(fd: RawFd, buf: &mut ReadBuf<'_>) -> io::Result<usize> {
    recv_buf(fd, buf, 0)
}

/// Like [`read_buf`] but leaves the bytes in the socket (`MSG_PEEK`).
pub(crate) fn peek_buf(fd: RawFd, buf: &mut ReadBuf<'_>) -> io::Result<usize> {
    recv_buf(fd, buf, libc::MSG_PEEK)
}

/// `recv` rather than `read`: every caller reads a socket, and `recv`
/// skips the file layer's bookkeeping that `read` does on each call.
fn recv_buf(fd: RawFd, buf: &mut ReadBuf<'_>, flags: libc::c_int) -> io::Result<usize> {
    // SAFETY: `unfilled_mut` is only unsafe because the caller could
    // de-initialize bytes through it; the kernel only ever writes into
    // this memory, so initialized bytes stay initialized.
    let dst = unsafe { buf.unfilled_mut() };
    let (ptr, len) = (dst.as_mut_ptr().cast::<libc::c_void>(), dst.len());
    let n = loop {
        // SAFETY: `ptr` points to `len` writable bytes borrowed from `buf`
        // for the duration of the call; `recv` writes at most `len` bytes
        // there and keeps no pointer afterwards.
        let n = unsafe { libc::recv(fd, ptr, len, flags) };
        if n >= 0 {
            break n as usize;
        }
        let error = io::Error::last_os_error();
        if error.kind() != io::ErrorKind::Interrupted {
            return Err(error);
        }
    };
    // SAFETY: the kernel reported writing `n` bytes (n <= len) at the
    // start of the unfilled part, so they are initialized.
    unsafe { buf.assume_init(n) };
    buf.advance(n);
    Ok(n)
}

/// The peer credentials of a connected Unix stream socket: pid (where
/// the system records it), uid and gid, as the kernel noted them when the
/// connection (or the socket pair) was made.
#[cfg(any(target_os = "linux", target_os = "android"))]
pub(crate) fn peer_cred(fd: RawFd) -> io::Result<(Option<libc::pid_t>, libc::uid_t, libc::gid_t)> {
    let mut cred = libc::ucred { pid: 0, uid: 0, gid: 0 };
    let mut len = std::mem::size_of::<libc::ucred>() as libc::socklen_t;
    // SAFETY: `cred` and `len` are live locals, writable for the whole
    // call, and `len` holds the size of `cred`, so the kernel writes at
    // most that many bytes into it.
    let rc = unsafe {
        libc::getsockopt(
            fd,
            libc::SOL_SOCKET,
            libc::SO_PEERCRED,
            (&mut cred as *mut libc::ucred).cast(),
            &mut len,
        )
    };
    if rc == -1 {
        return Err(io::Error::last_os_error());
    }
    Ok((Some(cred.pid), cred.uid, cred.gid))
}

/// The BSDs' and Apple's systems give the peer's uid and gid, not its pid.
#[cfg(any(
    target_os = "macos",
    target_os = "ios",
    target_os = "freebsd",
    target_os = "dragonfly",
    target_os = "openbsd",
    target_os = "netbsd"
))]
pub(crate) fn peer_cred(fd: RawFd) -> io::Result<(Option<libc::pid_t>, libc::uid_t, libc::gid_t)> {
    let (mut uid, mut gid) = (0, 0);
    // SAFETY: `uid` and `gid` are live locals the call writes one id each
    // into.
    if unsafe { libc::getpeereid(fd, &mut uid, &mut gid) } == -1 {
        return Err(io::Error::last_os_error());
    }
    Ok((None, uid, gid))
}

#[cfg(test)]
mod tests;
