use super::buf::Buf;
use std::io::{self, Cursor, Read};
use tokio::io::ReadBuf;

#[test]
fn read_ahead_is_handed_out_in_pieces() {
    let mut buf = Buf::new();
    let n = buf.read_from(Cursor::new(b"abcdefgh".to_vec()), 16).unwrap();
    assert_eq!(n, 8);
    let mut out = [0u8; 3];
    let mut dst = ReadBuf::new(&mut out);
    assert_eq!(buf.copy_to(&mut dst), 3);
    assert_eq!(dst.filled(), b"abc");
    assert_eq!(buf.len(), 5);
    assert_eq!(buf.discard_read(), -5);
    assert!(buf.is_empty());
}

#[test]
fn copy_from_takes_at_most_max() {
    let mut buf = Buf::new();
    assert_eq!(buf.copy_from(b"0123456789", 4), 4);
    let mut sink = Vec::new();
    buf.write_to(&mut sink).unwrap();
    assert_eq!(sink, b"0123");
    assert!(buf.is_empty());
}

#[test]
fn read_from_retries_interrupted() {
    struct Flaky(bool);
    impl Read for Flaky {
        fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
            if std::mem::replace(&mut self.0, false) {
                return Err(io::ErrorKind::Interrupted.into());
            }
            out[0] = 7;
            Ok(1)
        }
    }
    let mut buf = Buf::new();
    assert_eq!(buf.read_from(Flaky(true), 4).unwrap(), 1);
    assert_eq!(buf.len(), 1);
}

#[test]
fn failed_write_empties_the_buffer() {
    struct Broken;
    impl io::Write for Broken {
        fn write(&mut self, _: &[u8]) -> io::Result<usize> {
            Err(io::Error::other("disk on fire"))
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }
    let mut buf = Buf::new();
    buf.copy_from(b"data", 1024);
    let err = buf.write_to(Broken).unwrap_err();
    assert_eq!(err.to_string(), "disk on fire");
    assert!(buf.is_empty());
    // The scratch space stays and is reused by the next operation.
    assert_eq!(buf.copy_from(b"xy", 1024), 2);
    assert_eq!(buf.len(), 2);
}
