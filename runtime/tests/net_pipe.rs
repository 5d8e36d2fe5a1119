//! Unix pipes: anonymous ones from `pipe()`, and FIFOs opened by path in
//! a temporary directory.

mod net_support;

use std::ffi::CString;
use std::io::{ErrorKind, IoSlice, IoSliceMut};
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, OwnedFd};
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

use net_support::*;
use weft::io::{AsyncReadExt, AsyncWriteExt, Interest};
use weft::net::unix::pipe::{self, OpenOptions, Receiver, Sender};

/// Makes a FIFO at `dir/name` and returns its path.
fn mkfifo(dir: &Path, name: &str) -> PathBuf {
    let path = dir.join(name);
    let c_path = CString::new(path.as_os_str().as_bytes()).unwrap();
    // SAFETY: `c_path` is a NUL-terminated string that outlives the call.
    let rc = unsafe { libc::mkfifo(c_path.as_ptr(), 0o600) };
    assert_eq!(rc, 0, "mkfifo: {}", std::io::Error::last_os_error());
    path
}

/// Whether `fd` is in non-blocking mode.
fn is_nonblocking(fd: BorrowedFd<'_>) -> bool {
    // SAFETY: F_GETFL takes no argument and only reads the descriptor's
    // flags; `fd` is borrowed, so open for the call.
    let flags = unsafe { libc::fcntl(fd.as_raw_fd(), libc::F_GETFL) };
    assert_ne!(flags, -1, "fcntl: {}", std::io::Error::last_os_error());
    flags & libc::O_NONBLOCK != 0
}

#[test]
fn round_trip_through_async_read_and_write() {
    both("pipe round trip", || async {
        let (mut tx, mut rx) = pipe::pipe().unwrap();
        let writer = weft::spawn(async move {
            tx.write_all(b"hello ").await.unwrap();
            // Fewer than PIPE_BUF bytes: written whole or not at all.
            let bufs = [IoSlice::new(b"vectored "), IoSlice::new(b"world")];
            assert_eq!(tx.write_vectored(&bufs).await.unwrap(), 14);
            tx.flush().await.unwrap();
            tx.shutdown().await.unwrap();
            // Still open after `shutdown`: it closes on drop.
            tx.write_all(b"!").await.unwrap();
        });
        let mut got = String::new();
        rx.read_to_string(&mut got).await.unwrap();
        assert_eq!(got, "hello vectored world!");
        writer.await.unwrap();
    });
}

#[test]
fn try_methods_would_block_until_ready() {
    both("pipe try", || async {
        let (tx, rx) = pipe::pipe().unwrap();
        let mut buf = [0; 16];
        assert_eq!(
            rx.try_read(&mut buf).unwrap_err().kind(),
            ErrorKind::WouldBlock
        );
        let mut vec = Vec::with_capacity(16);
        assert_eq!(
            rx.try_read_buf(&mut vec).unwrap_err().kind(),
            ErrorKind::WouldBlock
        );
        assert!(vec.is_empty());
        let result = rx.try_io(|| Ok(()));
        assert_eq!(result.unwrap_err().kind(), ErrorKind::WouldBlock);

        tx.writable().await.unwrap();
        assert_eq!(tx.try_write(b"one").unwrap(), 3);
        let bufs = [IoSlice::new(b"two"), IoSlice::new(b"three")];
        assert_eq!(tx.try_write_vectored(&bufs).unwrap(), 8);

        let ready = rx.ready(Interest::READABLE).await.unwrap();
        assert!(ready.is_readable());
        assert_eq!(rx.try_read_buf(&mut vec).unwrap(), 11);
        assert_eq!(vec, b"onetwothree");
        // Drained: the next read finds nothing.
        assert_eq!(
            rx.try_read(&mut buf).unwrap_err().kind(),
            ErrorKind::WouldBlock
        );

        tx.writable().await.unwrap();
        tx.try_write(b"abcdef").unwrap();
        rx.readable().await.unwrap();
        let (first, second) = buf.split_at_mut(2);
        let mut slices = [IoSliceMut::new(first), IoSliceMut::new(&mut second[..2])];
        assert_eq!(rx.try_read_vectored(&mut slices).unwrap(), 4);
        assert_eq!(&buf[..4], b"abcd");
        rx.readable().await.unwrap();
        assert_eq!(rx.try_read(&mut buf).unwrap(), 2);
        assert_eq!(&buf[..2], b"ef");
    });
}

#[test]
fn end_of_stream_after_the_sender_drops_and_broken_pipe_after_the_receiver_drops() {
    both("pipe eof", || async {
        let (tx, mut rx) = pipe::pipe().unwrap();
        let mut buf = [0; 8];
        let writer = weft::spawn(async move {
            tx.writable().await.unwrap();
            tx.try_write(b"last").unwrap();
        });
        writer.await.unwrap();
        assert_eq!(rx.read(&mut buf).await.unwrap(), 4);
        assert_eq!(rx.read(&mut buf).await.unwrap(), 0);
        assert_eq!(rx.read(&mut buf).await.unwrap(), 0);

        let (mut tx, rx) = pipe::pipe().unwrap();
        drop(rx);
        let error = tx.write_all(b"nobody reads").await.unwrap_err();
        assert_eq!(error.kind(), ErrorKind::BrokenPipe);
    });
}

#[test]
fn fifo_opened_receiver_first_then_sender() {
    both("pipe fifo", || async {
        let dir = tempfile::tempdir().unwrap();
        let path = mkfifo(dir.path(), "fifo");
        let mut rx = OpenOptions::new().open_receiver(&path).unwrap();
        let mut tx = OpenOptions::new().open_sender(&path).unwrap();
        assert!(is_nonblocking(rx.as_fd()) && is_nonblocking(tx.as_fd()));
        tx.write_all(b"named pipe").await.unwrap();
        drop(tx);
        let mut got = Vec::new();
        rx.read_to_end(&mut got).await.unwrap();
        assert_eq!(got, b"named pipe");

        // A second writer after the first has gone.
        let mut tx = OpenOptions::new().open_sender(&path).unwrap();
        tx.write_all(b"again").await.unwrap();
        drop(tx);
        got.clear();
        rx.read_to_end(&mut got).await.unwrap();
        assert_eq!(got, b"again");
    });
}

#[test]
fn a_fifo_receiver_waits_for_its_first_writer() {
    both("pipe fifo first writer", || async {
        let dir = tempfile::tempdir().unwrap();
        let path = mkfifo(dir.path(), "fifo");
        let mut rx = OpenOptions::new().open_receiver(&path).unwrap();
        let reading = weft::spawn(async move {
            let mut got = Vec::new();
            rx.read_to_end(&mut got).await.unwrap();
            got
        });
        // Give the reader every chance to see (a wrong) end-of-stream.
        for _ in 0..20 {
            weft::task::yield_now().await;
        }
        assert!(!reading.is_finished());
        let mut tx = OpenOptions::new().open_sender(&path).unwrap();
        tx.write_all(b"late writer").await.unwrap();
        drop(tx);
        assert_eq!(reading.await.unwrap(), b"late writer");
    });
}

#[test]
fn opening_a_sender_needs_a_reader_unless_read_write() {
    both("pipe enxio", || async {
        let dir = tempfile::tempdir().unwrap();
        let path = mkfifo(dir.path(), "fifo");
        let error = OpenOptions::new().open_sender(&path).unwrap_err();
        assert_eq!(error.raw_os_error(), Some(libc::ENXIO));

        #[cfg(any(target_os = "linux", target_os = "android"))]
        {
            let tx = OpenOptions::new()
                .read_write(true)
                .open_sender(&path)
                .unwrap();
            tx.writable().await.unwrap();
            assert_eq!(tx.try_write(b"kept").unwrap(), 4);
            // The bytes wait in the FIFO for a reader.
            let mut rx = OpenOptions::new().open_receiver(&path).unwrap();
            let mut buf = [0; 4];
            rx.read_exact(&mut buf).await.unwrap();
            assert_eq!(&buf, b"kept");
        }
    });
}

#[test]
fn files_that_are_not_pipes_are_refused_unless_unchecked() {
    both("pipe not a fifo", || async {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("regular");
        std::fs::write(&path, b"plain file").unwrap();
        for result in [
            OpenOptions::new().open_receiver(&path).map(drop),
            OpenOptions::new().open_sender(&path).map(drop),
            Receiver::from_file(std::fs::File::open(&path).unwrap()).map(drop),
        ] {
            assert_eq!(result.unwrap_err().kind(), ErrorKind::InvalidInput);
        }
        // Unchecked, the file is opened; the reactor then refuses to
        // watch a regular file.
        let error = OpenOptions::new()
            .unchecked(true)
            .open_receiver(&path)
            .unwrap_err();
        assert_ne!(error.kind(), ErrorKind::InvalidInput);

        // A FIFO passes unchecked.
        let fifo = mkfifo(dir.path(), "fifo");
        let rx = OpenOptions::new()
            .unchecked(true)
            .open_receiver(&fifo)
            .unwrap();
        let tx = OpenOptions::new()
            .unchecked(true)
            .open_sender(&fifo)
            .unwrap();
        tx.writable().await.unwrap();
        tx.try_write(b"x").unwrap();
        rx.readable().await.unwrap();
        assert_eq!(rx.try_read(&mut [0; 1]).unwrap(), 1);
    });
}

#[test]
fn descriptors_are_checked_for_direction_and_handed_back() {
    both("pipe fds", || async {
        let (tx, rx) = pipe::pipe().unwrap();
        let tx_fd: OwnedFd = tx.into_blocking_fd().unwrap();
        let rx_fd: OwnedFd = rx.into_nonblocking_fd().unwrap();
        assert!(!is_nonblocking(tx_fd.as_fd()));
        assert!(is_nonblocking(rx_fd.as_fd()));

        // The wrong end for each direction.
        let tx_copy = tx_fd.try_clone().unwrap();
        let rx_copy = rx_fd.try_clone().unwrap();
        let error = Receiver::from_owned_fd(tx_copy).unwrap_err();
        assert_eq!(error.kind(), ErrorKind::InvalidInput);
        let error = Sender::from_owned_fd(rx_copy).unwrap_err();
        assert_eq!(error.kind(), ErrorKind::InvalidInput);

        // The right ends, made non-blocking again.
        let mut tx = Sender::from_owned_fd(tx_fd).unwrap();
        let mut rx = Receiver::from_file(std::fs::File::from(rx_fd)).unwrap();
        assert!(is_nonblocking(tx.as_fd()));
        tx.write_all(b"re-registered").await.unwrap();
        drop(tx);
        let mut got = String::new();
        rx.read_to_string(&mut got).await.unwrap();
        assert_eq!(got, "re-registered");

        // A socket is not a pipe.
        let (a, _b) = std::os::unix::net::UnixStream::pair().unwrap();
        let error = Sender::from_owned_fd(OwnedFd::from(a)).unwrap_err();
        assert_eq!(error.kind(), ErrorKind::InvalidInput);
    });
}

#[test]
fn four_mebibytes_between_two_tasks() {
    const TOTAL: usize = 4 << 20;
    both("pipe bulk", || async {
        let (mut tx, mut rx) = pipe::pipe().unwrap();
        let writer = weft::spawn(async move {
            let mut seed = 0x5eed_u64;
            let mut chunk = vec![0; 64 * 1024 + 7];
            let (mut sent, mut sum) = (0, FNV_START);
            while sent < TOTAL {
                let n = chunk.len().min(TOTAL - sent);
                fill_pseudo_random(&mut seed, &mut chunk[..n]);
                tx.write_all(&chunk[..n]).await.unwrap();
                sum = fnv1a(sum, &chunk[..n]);
                sent += n;
            }
            sum
        });
        let reader = weft::spawn(async move {
            let mut buf = vec![0; 50_000];
            let (mut received, mut sum) = (0, FNV_START);
            // Each read but the last returns at least one byte.
            for _ in 0..=TOTAL {
                let n = rx.read(&mut buf).await.unwrap();
                if n == 0 {
                    break;
                }
                sum = fnv1a(sum, &buf[..n]);
                received += n;
                assert!(received <= TOTAL);
            }
            (received, sum)
        });
        let sent_sum = writer.await.unwrap();
        let (received, received_sum) = reader.await.unwrap();
        assert_eq!(received, TOTAL);
        assert_eq!(received_sum, sent_sum);
    });
}

#[test]
fn one_mebibyte_read_back_through_small_buffers() {
    const TOTAL: usize = 1 << 20;
    both("pipe small reads", || async {
        let (mut tx, mut rx) = pipe::pipe().unwrap();
        let writer = weft::spawn(async move {
            let data: Vec<u8> = (0..TOTAL).map(|i| (i % 251) as u8).collect();
            tx.write_all(&data).await.unwrap();
        });
        // 97 bytes at a time: most reads fill the buffer, and the pipe's
        // 64 KiB refills arrive at offsets no read lines up with.
        let mut buf = [0; 97];
        let mut received = 0;
        for _ in 0..=TOTAL {
            let n = rx.read(&mut buf).await.unwrap();
            if n == 0 {
                break;
            }
            for (i, &byte) in buf[..n].iter().enumerate() {
                assert_eq!(byte, ((received + i) % 251) as u8, "byte {}", received + i);
            }
            received += n;
            assert!(received <= TOTAL);
        }
        assert_eq!(received, TOTAL);
        writer.await.unwrap();
    });
}

#[test]
fn a_short_read_clears_readiness_without_missing_the_next_write() {
    both("pipe short reads", || async {
        let (mut tx, mut rx) = pipe::pipe().unwrap();
        let (ack_tx, mut ack_rx) = weft::sync::mpsc::channel::<()>(1);
        let writer = weft::spawn(async move {
            for round in 0..200u32 {
                tx.write_all(&round.to_le_bytes()).await.unwrap();
                // The next write only once the reader has drained this one
                // with a short read and gone back to waiting.
                if ack_rx.recv().await.is_none() {
                    break;
                }
            }
        });
        let mut buf = [0; 64];
        for round in 0..200u32 {
            // Four bytes into 64: every read is short.
            let n = rx.read(&mut buf).await.unwrap();
            assert_eq!(&buf[..n], round.to_le_bytes(), "round {round}");
            ack_tx.send(()).await.unwrap();
        }
        drop(ack_tx);
        writer.await.unwrap();
        assert_eq!(rx.read(&mut buf).await.unwrap(), 0);
    });
}

#[test]
fn poll_read_fills_only_what_it_reads_of_an_uninitialized_buffer() {
    use std::future::poll_fn;
    use std::mem::MaybeUninit;
    use std::pin::Pin;
    use weft::io::{AsyncRead, ReadBuf};

    both("pipe poll_read uninit", || async {
        let (mut tx, mut rx) = pipe::pipe().unwrap();
        tx.write_all(b"no zeroing").await.unwrap();
        drop(tx);
        let mut storage = [MaybeUninit::<u8>::uninit(); 256];
        let mut buf = ReadBuf::uninit(&mut storage);
        for _ in 0..16 {
            let before = buf.filled().len();
            poll_fn(|cx| Pin::new(&mut rx).poll_read(cx, &mut buf))
                .await
                .unwrap();
            if buf.filled().len() == before {
                break;
            }
        }
        assert_eq!(buf.filled(), b"no zeroing");
        // The reader wrote into the caller's buffer only what it read.
        assert_eq!(buf.initialized().len(), buf.filled().len());
    });
}

#[cfg(feature = "futures-io")]
#[test]
fn futures_io_traits() {
    use futures_util::io::AsyncWriteExt as _;

    both("pipe futures-io", || async {
        let (mut tx, mut rx) = pipe::pipe().unwrap();
        futures_util::io::AsyncWriteExt::write_all(&mut tx, b"futures")
            .await
            .unwrap();
        tx.close().await.unwrap();
        drop(tx);
        let mut got = Vec::new();
        futures_util::io::AsyncReadExt::read_to_end(&mut rx, &mut got)
            .await
            .unwrap();
        assert_eq!(got, b"futures");
    });
}
