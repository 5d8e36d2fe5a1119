//! One thread holding thousands of TCP connections at once.
//!
//! A current-thread runtime runs a server and `n` clients. Each server
//! task greets its client and then keeps the connection open until all
//! `n` connections are open at the same moment (a
//! [`Barrier`] of `n`), so finishing at all proves
//! that one thread held every connection concurrently. A task costs a few
//! hundred bytes; a thread with its own stack costs kilobytes (the
//! `compare` tool measures both).
//!
//! The clients ramp up: at most [`CONNECTING`] of them wait for the server
//! to accept at any moment. A kernel queues only so many connections that
//! were not accepted yet (a few hundred on a typical Linux), and a client
//! beyond that waits for a retransmission, a second or more.

use crate::Output;
use std::io;
use std::sync::Arc;
use weft::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use weft::net::{TcpListener, TcpStream};
use weft::sync::{Barrier, Semaphore};
use weft::task::JoinSet;

/// The most clients that may wait to be accepted at once.
pub const CONNECTING: usize = 128;

/// Opens `n` connections to a local server, holds them all at once, and
/// returns how many clients got their greeting.
///
/// # Errors
///
/// Any socket error (for example when `n` exceeds the limit on open
/// files: each connection needs two descriptors here).
pub async fn run(out: &Output, n: usize) -> io::Result<usize> {
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let all_open = Arc::new(Barrier::new(n));
    let server = weft::spawn(async move {
        let mut handlers = JoinSet::new();
        for _ in 0..n {
            let (mut socket, _) = listener.accept().await?;
            let all_open = all_open.clone();
            handlers.spawn(async move {
                socket.write_all(b"hello\n").await?;
                all_open.wait().await;
                io::Result::Ok(())
            });
        }
        while let Some(done) = handlers.join_next().await {
            done.expect("a handler panicked")?;
        }
        io::Result::Ok(())
    });

    let connecting = Arc::new(Semaphore::new(CONNECTING));
    let mut clients = JoinSet::new();
    for _ in 0..n {
        let connecting = connecting.clone();
        clients.spawn(async move {
            let permit = connecting.acquire().await.expect("the semaphore is never closed");
            let mut socket = BufReader::new(TcpStream::connect(addr).await?);
            let mut greeting = String::new();
            socket.read_line(&mut greeting).await?;
            drop(permit); // accepted and greeted: let the next client in
            // Wait for the server to close (after every connection is open).
            let mut rest = String::new();
            socket.read_line(&mut rest).await?;
            io::Result::Ok(greeting == "hello\n")
        });
    }
    let mut greeted = 0;
    while let Some(done) = clients.join_next().await {
        greeted += usize::from(done.expect("a client panicked")?);
    }
    server.await.expect("the server panicked")?;
    out.line(format!("{n} connections were open at once on one thread; {greeted} clients greeted"));
    Ok(greeted)
}
