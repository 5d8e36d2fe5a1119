use super::*;
use std::io::Write;
use std::mem::MaybeUninit;
use std::os::fd::AsRawFd;
use std::os::unix::net::UnixStream;

#[test]
fn read_buf_fills_uninitialized_memory_and_reports_eof() {
    let (mut a, b) = UnixStream::pair().unwrap();
    a.write_all(b"hello").unwrap();
    let mut storage = [MaybeUninit::<u8>::uninit(); 16];
    let mut buf = ReadBuf::uninit(&mut storage);
    assert_eq!(read_buf(b.as_raw_fd(), &mut buf).unwrap(), 5);
    assert_eq!(buf.filled(), b"hello");
    drop(a);
    assert_eq!(read_buf(b.as_raw_fd(), &mut buf).unwrap(), 0);
    assert_eq!(buf.filled(), b"hello");
}

#[test]
fn peek_buf_leaves_the_bytes_in_the_socket() {
    let (mut a, b) = UnixStream::pair().unwrap();
    a.write_all(b"abc").unwrap();
    let mut storage = [0u8; 8];
    let mut buf = ReadBuf::new(&mut storage);
    assert_eq!(peek_buf(b.as_raw_fd(), &mut buf).unwrap(), 3);
    let mut again = [0u8; 8];
    let mut again = ReadBuf::new(&mut again);
    assert_eq!(read_buf(b.as_raw_fd(), &mut again).unwrap(), 3);
    assert_eq!(again.filled(), b"abc");
}

#[test]
fn errors_come_from_the_os() {
    let mut storage = [0u8; 4];
    let mut buf = ReadBuf::new(&mut storage);
    let error = read_buf(-1, &mut buf).unwrap_err();
    assert_eq!(error.raw_os_error(), Some(libc::EBADF));
    assert!(buf.filled().is_empty());
}

#[test]
fn read_into_spare_advances_the_buffer_only_on_success() {
    let mut vec = Vec::with_capacity(8);
    vec.push(b'>');
    let error = read_into_spare(&mut vec, |buf| {
        buf.put_slice(b"lost");
        Err::<(), _>(io::Error::from(io::ErrorKind::WouldBlock))
    })
    .unwrap_err();
    assert_eq!(error.kind(), io::ErrorKind::WouldBlock);
    assert_eq!(vec, b">");

    let (mut a, b) = UnixStream::pair().unwrap();
    a.write_all(b"kept").unwrap();
    let n = read_into_spare(&mut vec, |buf| read_buf(b.as_raw_fd(), buf)).unwrap();
    assert_eq!(n, 4);
    assert_eq!(vec, b">kept");
}

#[test]
fn recv_from_buf_names_the_sender_and_peek_from_buf_keeps_the_datagram() {
    use std::os::fd::AsFd;

    let a = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
    let b = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
    a.send_to(b"datagram", b.local_addr().unwrap()).unwrap();

    let mut storage = [MaybeUninit::<u8>::uninit(); 4];
    let mut buf = ReadBuf::uninit(&mut storage);
    let (n, from) = peek_from_buf(b.as_fd(), &mut buf).unwrap();
    assert_eq!(
        (n, from, buf.filled()),
        (4, a.local_addr().unwrap(), &b"data"[..])
    );

    let mut storage = [MaybeUninit::<u8>::uninit(); 16];
    let mut buf = ReadBuf::uninit(&mut storage);
    let (n, from) = recv_from_buf(b.as_fd(), &mut buf).unwrap();
    assert_eq!(
        (n, from, buf.filled()),
        (8, a.local_addr().unwrap(), &b"datagram"[..])
    );
}

#[test]
fn read_fd_buf_reads_a_pipe_into_uninitialized_memory_without_zeroing_the_rest() {
    use std::os::fd::AsFd;

    let (mut tx, rx) = mio::unix::pipe::new().unwrap();
    tx.write_all(b"piped").unwrap();
    let mut storage = [MaybeUninit::<u8>::uninit(); 16];
    let mut buf = ReadBuf::uninit(&mut storage);
    assert_eq!(read_fd_buf(rx.as_fd(), &mut buf).unwrap(), 5);
    assert_eq!(buf.filled(), b"piped");
    // Only what the kernel wrote counts as initialized: nothing zeroed
    // the other 11 bytes first.
    assert_eq!(buf.initialized().len(), 5);
    assert_eq!(buf.remaining(), 11);

    // Empty and non-blocking: `WouldBlock`, and `buf` is left as it was.
    let error = read_fd_buf(rx.as_fd(), &mut buf).unwrap_err();
    assert_eq!(error.kind(), io::ErrorKind::WouldBlock);
    assert_eq!(buf.filled(), b"piped");

    drop(tx);
    assert_eq!(read_fd_buf(rx.as_fd(), &mut buf).unwrap(), 0);
    assert_eq!(buf.filled(), b"piped");
}

#[test]
fn read_fd_buf_appends_after_what_is_filled_and_stops_when_full() {
    use std::os::fd::AsFd;

    let (mut tx, rx) = mio::unix::pipe::new().unwrap();
    tx.write_all(b"0123456789").unwrap();
    let mut storage = [MaybeUninit::<u8>::uninit(); 6];
    let mut buf = ReadBuf::uninit(&mut storage);
    buf.put_slice(b">");
    assert_eq!(read_fd_buf(rx.as_fd(), &mut buf).unwrap(), 5);
    assert_eq!(buf.filled(), b">01234");
    // Full: a read of zero bytes, which is not end of stream.
    assert_eq!(read_fd_buf(rx.as_fd(), &mut buf).unwrap(), 0);
    let mut rest = [0u8; 8];
    let mut rest = ReadBuf::new(&mut rest);
    assert_eq!(read_fd_buf(rx.as_fd(), &mut rest).unwrap(), 5);
    assert_eq!(rest.filled(), b"56789");
}

#[test]
fn pipes_need_read_fd_buf_and_its_errors_come_from_the_os() {
    use std::os::fd::AsFd;

    let (tx, rx) = mio::unix::pipe::new().unwrap();
    let mut storage = [0u8; 4];
    let mut buf = ReadBuf::new(&mut storage);
    // `recv` only reads sockets.
    let error = read_buf(rx.as_raw_fd(), &mut buf).unwrap_err();
    assert_eq!(error.raw_os_error(), Some(libc::ENOTSOCK));
    // The writing end cannot be read.
    let error = read_fd_buf(tx.as_fd(), &mut buf).unwrap_err();
    assert_eq!(error.raw_os_error(), Some(libc::EBADF));
    assert!(buf.filled().is_empty());
}

#[test]
fn set_nonblocking_flips_only_o_nonblock() {
    use std::os::fd::AsFd;

    let (tx, rx) = mio::unix::pipe::new().unwrap();
    assert_eq!(status_flags(rx.as_fd()).unwrap() & libc::O_ACCMODE, libc::O_RDONLY);
    assert_eq!(status_flags(tx.as_fd()).unwrap() & libc::O_ACCMODE, libc::O_WRONLY);
    assert_ne!(status_flags(rx.as_fd()).unwrap() & libc::O_NONBLOCK, 0);

    set_nonblocking(rx.as_fd(), false).unwrap();
    let flags = status_flags(rx.as_fd()).unwrap();
    assert_eq!(flags & libc::O_NONBLOCK, 0);
    assert_eq!(flags & libc::O_ACCMODE, libc::O_RDONLY);
    // Asking again for what is already set changes nothing.
    set_nonblocking(rx.as_fd(), false).unwrap();
    assert_eq!(status_flags(rx.as_fd()).unwrap(), flags);

    set_nonblocking(rx.as_fd(), true).unwrap();
    assert_eq!(status_flags(rx.as_fd()).unwrap(), flags | libc::O_NONBLOCK);
    // The writing end was not touched.
    assert_ne!(status_flags(tx.as_fd()).unwrap() & libc::O_NONBLOCK, 0);
}
