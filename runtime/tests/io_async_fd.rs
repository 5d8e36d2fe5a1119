//! `AsyncFd` on raw descriptors.

mod net_support;

use std::io::{ErrorKind, Read, Write};
use std::os::unix::net::UnixStream;

use net_support::*;
use weft::io::unix::AsyncFd;
use weft::io::{Interest, Ready};

fn pair() -> (UnixStream, UnixStream) {
    let (a, b) = UnixStream::pair().unwrap();
    a.set_nonblocking(true).unwrap();
    b.set_nonblocking(true).unwrap();
    (a, b)
}

#[test]
fn readable_guard_with_try_io() {
    both("async fd readable", || async {
        let (a, b) = pair();
        let a = AsyncFd::new(a).unwrap();
        let b = AsyncFd::new(b).unwrap();
        let reader = weft::spawn(async move {
            let mut got = Vec::new();
            let mut buf = [0; 64];
            while got.len() < 1000 {
                let mut guard = b.readable().await.unwrap();
                match guard.try_io(|fd| fd.get_ref().read(&mut buf)) {
                    Ok(Ok(n)) => got.extend_from_slice(&buf[..n]),
                    Ok(Err(e)) => panic!("{e}"),
                    Err(_would_block) => continue,
                }
            }
            got
        });
        let mut sent = 0;
        while sent < 1000 {
            let mut guard = a.writable().await.unwrap();
            if let Ok(result) = guard.try_io(|fd| fd.get_ref().write(&[5; 100])) {
                sent += result.unwrap();
            }
        }
        let got = reader.await.unwrap();
        assert_eq!(got.len(), 1000);
        assert!(got.iter().all(|&x| x == 5));
    });
}

#[test]
fn clear_ready_waits_for_the_next_event() {
    both("async fd clear", || async {
        let (mut a, b) = pair();
        let fd = AsyncFd::with_interest(b, Interest::READABLE).unwrap();
        a.write_all(b"1").unwrap();
        let mut guard = fd.readable().await.unwrap();
        assert!(guard.ready().is_readable());
        // Readiness is kept while not cleared: a second wait returns at once.
        guard.retain_ready();
        drop(guard);
        let mut guard = fd.readable().await.unwrap();
        let mut buf = [0; 4];
        assert_eq!(fd.get_ref().read(&mut buf).unwrap(), 1);
        assert_eq!(
            fd.get_ref().read(&mut buf).unwrap_err().kind(),
            ErrorKind::WouldBlock
        );
        guard.clear_ready();
        assert_eq!(guard.ready(), Ready::EMPTY);

        // A new byte brings readiness back.
        let waiter = async {
            let guard = fd.readable().await.unwrap();
            guard.ready()
        };
        let writer = async {
            weft::task::yield_now().await;
            a.write_all(b"2").unwrap();
        };
        let (ready, ()) = weft::join!(waiter, writer);
        assert!(ready.is_readable());
        let inner = fd.into_inner();
        let mut buf = [0; 4];
        assert_eq!((&inner).read(&mut buf).unwrap(), 1);
    });
}

#[test]
fn async_io_and_mutable_guards() {
    both("async fd async_io", || async {
        let (mut a, b) = pair();
        let mut fd = AsyncFd::new(b).unwrap();
        a.write_all(b"abc").unwrap();
        let mut buf = [0; 8];
        let n = fd
            .async_io(Interest::READABLE, |s| (&*s).read(&mut buf))
            .await
            .unwrap();
        assert_eq!(&buf[..n], b"abc");

        a.write_all(b"de").unwrap();
        let mut guard = fd.readable_mut().await.unwrap();
        let n = guard
            .try_io(|inner| inner.get_mut().read(&mut buf))
            .unwrap()
            .unwrap();
        assert_eq!(&buf[..n], b"de");
        guard.clear_ready_matching(Ready::READABLE);
        assert!(!guard.ready().is_readable());
        drop(guard);

        let n = fd
            .async_io_mut(Interest::WRITABLE, |s| s.write(b"back"))
            .await
            .unwrap();
        assert_eq!(n, 4);
        let mut back = [0; 4];
        a.set_nonblocking(false).unwrap();
        a.read_exact(&mut back).unwrap();
        assert_eq!(&back, b"back");
    });
}

#[test]
fn registering_a_regular_file_fails_and_gives_it_back() {
    both("async fd regular file", || async {
        let file = tempfile::tempfile().unwrap();
        // epoll refuses regular files.
        let error = AsyncFd::try_new(file).unwrap_err();
        let (_file, cause) = error.into_parts();
        assert_eq!(cause.raw_os_error(), Some(libc::EPERM));
    });
}

#[test]
fn waits_fail_once_the_runtime_is_gone() {
    let rt = weft::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let (_a, b) = pair();
    let fd = rt.block_on(async { AsyncFd::new(b).unwrap() });
    drop(rt);
    let other = weft::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    with_watchdog("async fd after shutdown", WATCHDOG, || {
        other.block_on(async {
            assert!(fd.readable().await.is_err());
        })
    });
}
