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

#[cfg(test)]
mod tests;
