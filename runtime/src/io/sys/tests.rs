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
