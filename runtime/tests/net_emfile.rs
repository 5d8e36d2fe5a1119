//! `accept` when the process is out of file descriptors: the error comes
//! back, and the listener keeps working once descriptors are free.
//!
//! A binary of its own, because it lowers the process's descriptor limit.

mod net_support;

use std::io::Write;

use net_support::*;
use weft::io::AsyncReadExt;
use weft::net::TcpListener;

fn set_soft_fd_limit(soft: u64) {
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: `limit` is a valid rlimit for getrlimit to fill in.
    let rc = unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) };
    assert_eq!(rc, 0, "getrlimit failed");
    limit.rlim_cur = soft as libc::rlim_t;
    // SAFETY: `limit` is a valid rlimit; lowering the soft limit needs no
    // privilege.
    let rc = unsafe { libc::setrlimit(libc::RLIMIT_NOFILE, &limit) };
    assert_eq!(rc, 0, "setrlimit failed");
}

#[test]
fn accept_reports_emfile_and_recovers_when_descriptors_are_freed() {
    let rt = weft::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    with_watchdog("accept under EMFILE", WATCHDOG, || {
        rt.block_on(async {
            let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
            let addr = listener.local_addr().unwrap();
            // The kernel completes the handshake from the backlog; the
            // connection waits there for an accept.
            let mut client = std::net::TcpStream::connect(addr).unwrap();
            client.write_all(b"waited").unwrap();

            // A limit a little above what is open now, then fill it up.
            let open = std::fs::read_dir("/proc/self/fd")
                .map(|d| d.count() as u64)
                .unwrap_or(64);
            set_soft_fd_limit(open + 16);
            let mut fillers = Vec::new();
            let exhausted = loop {
                match std::fs::File::open("/dev/null") {
                    Ok(file) => fillers.push(file),
                    Err(error) => break error,
                }
                assert!(
                    fillers.len() < 10_000,
                    "the descriptor limit never took effect"
                );
            };
            assert_eq!(exhausted.raw_os_error(), Some(libc::EMFILE));

            let error = listener
                .accept()
                .await
                .expect_err("accept cannot succeed without a free descriptor");
            assert_eq!(error.raw_os_error(), Some(libc::EMFILE), "{error:?}");
            // Asking again while still out of descriptors fails the same way
            // rather than waiting for readiness that already came.
            let error = listener
                .accept()
                .await
                .expect_err("still no free descriptor");
            assert_eq!(error.raw_os_error(), Some(libc::EMFILE), "{error:?}");

            drop(fillers);
            let (mut server, peer) = listener.accept().await.unwrap();
            assert_eq!(peer, client.local_addr().unwrap());
            let mut buf = [0; 6];
            server.read_exact(&mut buf).await.unwrap();
            assert_eq!(&buf, b"waited");
        })
    });
}
