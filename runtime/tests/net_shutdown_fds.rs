//! Dropping a runtime closes the sockets its tasks held: no descriptor
//! leaks. A binary of its own, since it counts the process's open
//! descriptors and other tests would open some meanwhile.

mod net_support;

use net_support::*;
use weft::io::AsyncReadExt;
use weft::net::{TcpListener, TcpStream};

fn open_fds() -> usize {
    std::fs::read_dir("/proc/self/fd")
        .map(|d| d.count())
        .unwrap_or(0)
}

#[test]
fn dropping_a_runtime_closes_the_sockets_of_its_tasks() {
    if std::fs::read_dir("/proc/self/fd").is_err() {
        eprintln!("no /proc/self/fd here; skipping the descriptor count");
        return;
    }
    // One warm-up round creates the process-wide things a runtime makes
    // once (such as the blocking pool's thread names, resolver state).
    for round in 0..2 {
        let before = open_fds();
        for (flavor, rt) in runtimes() {
            with_watchdog(&format!("fd leak ({flavor})"), WATCHDOG, || {
                rt.block_on(async {
                    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
                    let addr = listener.local_addr().unwrap();
                    for _ in 0..50 {
                        let mut client = TcpStream::connect(addr).await.unwrap();
                        let (server, _) = listener.accept().await.unwrap();
                        weft::spawn(async move {
                            let _server = server;
                            let mut buf = [0; 1];
                            let _ = client.read(&mut buf).await;
                        });
                    }
                    weft::spawn(async move {
                        let _ = listener.accept().await;
                    });
                });
                drop(rt);
            });
        }
        let after = open_fds();
        if round == 1 {
            assert_eq!(after, before, "descriptors leaked across a runtime drop");
        }
    }
}
