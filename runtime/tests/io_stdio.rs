//! The standard streams and the re-exported I/O helpers.

mod net_support;

use net_support::*;
use weft::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};

#[test]
fn stdout_and_stderr_accept_writes_and_flush() {
    both("stdio", || async {
        let mut out = weft::io::stdout();
        out.write_all(b"io_stdio: a line on stdout\n")
            .await
            .unwrap();
        out.flush().await.unwrap();
        let mut err = weft::io::stderr();
        err.write_all(b"io_stdio: a line on stderr\n")
            .await
            .unwrap();
        err.shutdown().await.unwrap();
    });
}

#[test]
fn re_exported_helpers_work_together() {
    both("io helpers", || async {
        let (client, server) = weft::io::duplex(64);
        let writer = weft::spawn(async move {
            let mut client = client;
            client.write_all(b"one\ntwo\nthree\n").await.unwrap();
        });
        let mut lines = BufReader::new(server).lines();
        let mut got = Vec::new();
        while let Some(line) = lines.next_line().await.unwrap() {
            got.push(line);
        }
        writer.await.unwrap();
        assert_eq!(got, ["one", "two", "three"]);

        let mut sink = weft::io::sink();
        let copied = weft::io::copy(&mut weft::io::repeat(1).take(1000), &mut sink)
            .await
            .unwrap();
        assert_eq!(copied, 1000);
        let mut empty = Vec::new();
        weft::io::empty().read_to_end(&mut empty).await.unwrap();
        assert!(empty.is_empty());
    });
}
