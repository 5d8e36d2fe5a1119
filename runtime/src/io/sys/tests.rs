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
