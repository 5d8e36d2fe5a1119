//! Fetching several URLs concurrently from a local HTTP server (the
//! documents' `aiohttp`/`httpx` scrapers, without the network).
//!
//! The server and the clients are plain [`weft::net`] sockets speaking
//! just enough HTTP/1.1: the server answers each request after a delay,
//! as a slow remote site would, and the client fetches every URL at once.

use crate::{Output, Stopwatch};
use std::io;
use std::net::SocketAddr;
use std::time::Duration;
use weft::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use weft::net::{TcpListener, TcpStream};
use weft::task::JoinSet;

/// Starts a server on a free local port that answers `GET /posts/N` with
/// `post N` after `delay`, and any other path with a 404. Returns its
/// address; the server runs until the runtime shuts down.
///
/// # Errors
///
/// When no local port can be bound.
pub async fn start_server(delay: Duration) -> io::Result<SocketAddr> {
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    weft::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            weft::spawn(async move {
                let _ = answer(socket, delay).await;
            });
        }
    });
    Ok(addr)
}

async fn answer(socket: TcpStream, delay: Duration) -> io::Result<()> {
    let mut socket = BufReader::new(socket);
    let mut request_line = String::new();
    socket.read_line(&mut request_line).await?;
    // Skip the headers, up to the blank line.
    let mut header = String::new();
    while socket.read_line(&mut header).await? > 2 {
        header.clear();
    }
    weft::time::sleep(delay).await; // the slow remote site
    let path = request_line.split_whitespace().nth(1).unwrap_or("/");
    let (status, body) = match path.strip_prefix("/posts/") {
        Some(n) => ("200 OK", format!("post {n}")),
        None => ("404 Not Found", "no such page".to_owned()),
    };
    let response =
        format!("HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}", body.len());
    socket.get_mut().write_all(response.as_bytes()).await
}

/// Fetches `path` from `addr` and returns the status code and the body.
///
/// # Errors
///
/// Any socket error, or a response that is not HTTP.
pub async fn get(addr: SocketAddr, path: &str) -> io::Result<(u16, String)> {
    let mut socket = TcpStream::connect(addr).await?;
    let request = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    socket.write_all(request.as_bytes()).await?;
    let mut response = String::new();
    socket.read_to_string(&mut response).await?;
    let bad = || io::Error::new(io::ErrorKind::InvalidData, "not an HTTP response");
    let status = response.split_whitespace().nth(1).and_then(|s| s.parse().ok()).ok_or_else(bad)?;
    let body = response.split_once("\r\n\r\n").map(|(_, body)| body.to_owned()).ok_or_else(bad)?;
    Ok((status, body))
}

/// Fetches every path concurrently from a server that takes `delay` per
/// request, and returns (path, status, body) in the order of `paths`,
/// with the elapsed time.
///
/// # Errors
///
/// Any socket error.
pub async fn run(out: &Output, paths: &[&str], delay: Duration) -> io::Result<(Vec<(String, u16, String)>, Duration)> {
    let addr = start_server(delay).await?;
    let clock = Stopwatch::start();
    let mut fetches = JoinSet::new();
    for (i, path) in paths.iter().enumerate() {
        let path = (*path).to_owned();
        fetches.spawn(async move { get(addr, &path).await.map(|(status, body)| (i, path, status, body)) });
    }
    let mut results = vec![None; paths.len()];
    while let Some(done) = fetches.join_next().await {
        let (i, path, status, body) = done.expect("a fetch panicked")?;
        results[i] = Some((path, status, body));
    }
    let results: Vec<_> = results.into_iter().map(|r| r.expect("every fetch reports")).collect();
    for (path, status, body) in &results {
        out.line(format!("GET {path} -> {status} {body}"));
    }
    let elapsed = clock.elapsed();
    out.line(format!("fetched {} URLs in {:.1} s", results.len(), elapsed.as_secs_f64()));
    Ok((results, elapsed))
}
