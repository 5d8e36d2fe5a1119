//! Fetching several URLs from a local HTTP server.
//!
//! The server runs in the same process on plain threads (one per
//! connection, each waiting `url_delay` before it answers, like a slow
//! remote site), so every client model talks to the same server.

use super::{timed, unknown, Measured};
use crate::compare::{Scenario, Sizes};
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::thread;
use std::time::Duration;

/// Starts the server and returns its address. Its threads end with the
/// process.
fn serve(delay: Duration) -> Result<SocketAddr, String> {
    let listener = TcpListener::bind("127.0.0.1:0").map_err(|e| format!("cannot listen: {e}"))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            thread::spawn(move || answer(stream, delay));
        }
    });
    Ok(addr)
}

fn answer(mut stream: TcpStream, delay: Duration) {
    let mut request = Vec::new();
    let mut buf = [0u8; 1024];
    while !request.windows(4).any(|w| w == b"\r\n\r\n") {
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => return,
            Ok(n) => request.extend_from_slice(&buf[..n]),
        }
    }
    thread::sleep(delay);
    let path = String::from_utf8_lossy(&request).split_whitespace().nth(1).unwrap_or("/").to_owned();
    let body = format!("page {path}\n");
    let response =
        format!("HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}", body.len());
    let _ = stream.write_all(response.as_bytes());
}

/// The request for URL number `i`.
pub(crate) fn request(i: usize) -> String {
    format!("GET /page/{i} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
}

/// True when `response` is a 200.
pub(crate) fn is_ok(response: &[u8]) -> bool {
    response.starts_with(b"HTTP/1.1 200")
}

fn fetch_blocking(addr: SocketAddr, i: usize) -> bool {
    let Ok(mut stream) = TcpStream::connect(addr) else { return false };
    let mut response = Vec::new();
    stream.write_all(request(i).as_bytes()).is_ok() && stream.read_to_end(&mut response).is_ok() && is_ok(&response)
}

/// Fetches `urls` pages, each answered after `url_delay`.
pub(super) fn fetch_many(model: &str, sizes: &Sizes) -> Result<Measured, String> {
    let addr = serve(sizes.url_delay)?;
    let n = sizes.urls;
    let (wall, ok) = match model {
        "sequential" => timed(|| (0..n).filter(|&i| fetch_blocking(addr, i)).count()),
        "threads" => timed(|| {
            let threads: Vec<_> = (0..n).map(|i| thread::spawn(move || fetch_blocking(addr, i))).collect();
            threads.into_iter().map(|t| t.join().unwrap_or(false)).filter(|&ok| ok).count()
        }),
        "weft-ct" | "weft-mt" => weft_fetch(model, addr, n)?,
        _ => return Err(unknown(Scenario::Http, model)),
    };
    if ok != n {
        return Err(format!("only {ok} of {n} fetches succeeded"));
    }
    Ok(Measured {
        wall,
        units: n as u64,
        metric: Some(ok as f64),
        note: format!("{n} URLs, server answers after {} ms", sizes.url_delay.as_millis()),
        ..Measured::default()
    })
}

fn weft_fetch(model: &str, addr: SocketAddr, n: usize) -> Result<(Duration, usize), String> {
    use weft::io::{AsyncReadExt, AsyncWriteExt};
    let rt = super::runtime(model)?;
    Ok(timed(|| {
        rt.block_on(async {
            let tasks: Vec<_> = (0..n)
                .map(|i| {
                    weft::spawn(async move {
                        let Ok(mut stream) = weft::net::TcpStream::connect(addr).await else { return false };
                        let mut response = Vec::new();
                        stream.write_all(request(i).as_bytes()).await.is_ok()
                            && stream.read_to_end(&mut response).await.is_ok()
                            && is_ok(&response)
                    })
                })
                .collect();
            let mut ok = 0;
            for t in tasks {
                ok += usize::from(t.await.unwrap_or(false));
            }
            ok
        })
    }))
}

