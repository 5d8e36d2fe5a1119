//! The system calls weft's sockets and pipes make themselves, in one
//! place.
//!
//! mio covers most operations; these few read straight into the
//! uninitialized tail of a [`ReadBuf`], which mio's `&mut [u8]` methods
//! cannot do without first zeroing it. Each read makes one system call,
//! retries it on `EINTR`, and maps `-1` to `io::Error::last_os_error`.
//!
//! [`read_buf`] reads with `recv(2)`, which only sockets accept;
//! [`read_fd_buf`] is its twin for every other descriptor (pipes, FIFOs,
//! terminals) and reads with `read(2)`.
//!
//! [`status_flags`] and [`set_nonblocking`] read and change a
//! descriptor's `fcntl` flags, for descriptors that mio's types do not
//! wrap.
//!
//! [`read_into_spare`] makes no system call: it lends the spare capacity
//! of a [`BufMut`] to any of the others as a `ReadBuf`, which is how the
//! sockets' `try_read_buf` and `recv_buf` methods read into a user's
//! `Vec` or `BytesMut` without zeroing it first.

use std::io;
use std::net::SocketAddr;
use std::os::fd::{AsRawFd, BorrowedFd, RawFd};

use bytes::BufMut;
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
    // SAFETY: `recv` writes at most `len` bytes at `ptr`, keeps no pointer
    // after it returns, and returns the count or -1 with `errno` set.
    unsafe { fill_unfilled(buf, |ptr, len| libc::recv(fd, ptr, len, flags)) }
}

/// Reads from `fd` with `read(2)` into the unfilled part of `buf`, without
/// zeroing it first, and advances `buf` by the number of bytes read, which
/// is returned. `Ok(0)` with room left in `buf` means end of stream.
///
/// The twin of [`read_buf`] for descriptors that are not sockets: pipes,
/// FIFOs, terminals, files.
pub(crate) fn read_fd_buf(fd: BorrowedFd<'_>, buf: &mut ReadBuf<'_>) -> io::Result<usize> {
    // SAFETY: as for `recv` in `recv_buf`; `fd` is borrowed, so it stays
    // open for the call.
    unsafe { fill_unfilled(buf, |ptr, len| libc::read(fd.as_raw_fd(), ptr, len)) }
}

/// Makes the read system call `call(ptr, len)` into the unfilled part of
/// `buf`, without zeroing it, retrying on `EINTR`; advances `buf` by the
/// count read and returns it.
///
/// # Safety
///
/// `call` must write at most `len` bytes, at `ptr` and nowhere else, keep
/// no pointer once it returns, and return the count written, or -1 with
/// `errno` set.
unsafe fn fill_unfilled(
    buf: &mut ReadBuf<'_>,
    mut call: impl FnMut(*mut libc::c_void, usize) -> isize,
) -> io::Result<usize> {
    // SAFETY: `unfilled_mut` is only unsafe because the caller could
    // de-initialize bytes through it; `call` only ever writes into this
    // memory, so initialized bytes stay initialized.
    let dst = unsafe { buf.unfilled_mut() };
    let (ptr, len) = (dst.as_mut_ptr().cast::<libc::c_void>(), dst.len());
    let n = loop {
        // `ptr` points to `len` writable bytes borrowed from `buf` for the
        // duration of the call, which is all `call` may use (the caller's
        // contract).
        let n = call(ptr, len);
        if n >= 0 {
            break n as usize;
        }
        let error = io::Error::last_os_error();
        if error.kind() != io::ErrorKind::Interrupted {
            return Err(error);
        }
    };
    // SAFETY: `call` reported writing `n` bytes (at most `len`) at the
    // start of the unfilled part, so they are initialized.
    unsafe { buf.assume_init(n) };
    buf.advance(n);
    Ok(n)
}

/// The file status flags of the open file `fd` refers to (`F_GETFL`):
/// its access mode (`flags & O_ACCMODE`), `O_NONBLOCK`, `O_APPEND`, ...
pub(crate) fn status_flags(fd: BorrowedFd<'_>) -> io::Result<libc::c_int> {
    // SAFETY: `F_GETFL` takes no argument and only reads the flags of the
    // open file; `fd` is borrowed, so it stays open for the call.
    let flags = unsafe { libc::fcntl(fd.as_raw_fd(), libc::F_GETFL) };
    if flags == -1 {
        return Err(io::Error::last_os_error());
    }
    Ok(flags)
}

/// Sets or clears `O_NONBLOCK` on the open file `fd` refers to, for any
/// kind of descriptor. The flag belongs to the open file, so every
/// duplicate of `fd` (in this process or another) sees the change.
pub(crate) fn set_nonblocking(fd: BorrowedFd<'_>, nonblocking: bool) -> io::Result<()> {
    let flags = status_flags(fd)?;
    let wanted = if nonblocking {
        flags | libc::O_NONBLOCK
    } else {
        flags & !libc::O_NONBLOCK
    };
    if wanted == flags {
        return Ok(());
    }
    // SAFETY: `F_SETFL` takes an integer argument and passes no memory;
    // `fd` is borrowed, so it stays open for the call.
    if unsafe { libc::fcntl(fd.as_raw_fd(), libc::F_SETFL, wanted) } == -1 {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}

/// Receives one datagram from `fd` into the unfilled part of `buf` and
/// advances `buf` by its length, cut to the room `buf` had left; returns
/// that length and the sender's address.
pub(crate) fn recv_from_buf(
    fd: BorrowedFd<'_>,
    buf: &mut ReadBuf<'_>,
) -> io::Result<(usize, SocketAddr)> {
    recv_from_buf_with(fd, buf, 0)
}

/// Like [`recv_from_buf`] but leaves the datagram queued (`MSG_PEEK`).
pub(crate) fn peek_from_buf(
    fd: BorrowedFd<'_>,
    buf: &mut ReadBuf<'_>,
) -> io::Result<(usize, SocketAddr)> {
    recv_from_buf_with(fd, buf, libc::MSG_PEEK)
}

/// `recvfrom` through socket2, which decodes the sender's address.
fn recv_from_buf_with(
    fd: BorrowedFd<'_>,
    buf: &mut ReadBuf<'_>,
    flags: libc::c_int,
) -> io::Result<(usize, SocketAddr)> {
    let (n, from) = recv_from_sockaddr(fd, buf, flags)?;
    let from = from.as_socket().ok_or_else(|| {
        io::Error::new(
            io::ErrorKind::InvalidData,
            "the datagram's sender has no IP address (is this a UDP socket?)",
        )
    })?;
    Ok((n, from))
}

/// Receives one datagram from the socket `fd` (any address family) into
/// the unfilled part of `buf`, without zeroing it, retrying on `EINTR`;
/// advances `buf` by its length, cut to the room `buf` had left, and
/// returns that length and the sender's address as the kernel gave it.
pub(crate) fn recv_from_sockaddr(
    fd: BorrowedFd<'_>,
    buf: &mut ReadBuf<'_>,
    flags: libc::c_int,
) -> io::Result<(usize, socket2::SockAddr)> {
    let socket = socket2::SockRef::from(&fd);
    // SAFETY: as in `fill_unfilled`: only the kernel writes into this
    // memory, so initialized bytes stay initialized.
    let dst = unsafe { buf.unfilled_mut() };
    let (n, from) = loop {
        match socket.recv_from_with_flags(dst, flags) {
            Err(error) if error.kind() == io::ErrorKind::Interrupted => continue,
            result => break result?,
        }
    };
    // SAFETY: the kernel reported writing `n` bytes (at most the length
    // of the unfilled part) at its start, so they are initialized.
    unsafe { buf.assume_init(n) };
    buf.advance(n);
    Ok((n, from))
}

/// Lends the spare capacity of `buf` to `fill` as an empty [`ReadBuf`];
/// once `fill` succeeds, advances `buf` past the bytes it filled in. On
/// an error `buf` is left as it was.
pub(crate) fn read_into_spare<B, R>(
    buf: &mut B,
    fill: impl FnOnce(&mut ReadBuf<'_>) -> io::Result<R>,
) -> io::Result<R>
where
    B: BufMut + ?Sized,
{
    let (result, n) = {
        // SAFETY: the slice is only ever seen as a `ReadBuf`, which reads
        // no byte it has not seen written and whose safe methods never
        // write uninitialized bytes; so `buf`'s initialized bytes stay
        // initialized, as `as_uninit_slice_mut` requires.
        let spare = unsafe { buf.chunk_mut().as_uninit_slice_mut() };
        let mut read_buf = ReadBuf::uninit(spare);
        let result = fill(&mut read_buf);
        (result, read_buf.filled().len())
    };
    let value = result?;
    // SAFETY: a `ReadBuf`'s filled part is initialized and starts at the
    // start of its memory, so the first `n` bytes of `chunk_mut` are
    // initialized, and `n` is at most the chunk's length, which is at most
    // `remaining_mut`: what `advance_mut` asks for.
    unsafe { buf.advance_mut(n) };
    Ok(value)
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
