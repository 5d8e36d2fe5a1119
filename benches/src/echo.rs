//! The TCP echo case, shared by the `net` bench and the `net_probe`
//! example, written once for weft and once for tokio from the same body:
//! weft's API mirrors tokio's.
//!
//! An echo server and its clients run on the same runtime. The clients'
//! connections and buffers are made once by `setup` and handed back by
//! every `run`, so a run measures steady-state I/O, not connection setup
//! or the allocator.

/// The order in which [`weft_echo::run`] and [`tokio_echo::run`] await
/// their clients' tasks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum JoinOrder {
    /// In spawn order: how user code commonly collects handles, and what
    /// the `net` bench does. The awaiting thread sleeps each time the next
    /// handle is not finished yet.
    Spawn,
    /// Last-spawned first: the awaiting thread waits for the last client
    /// and then mostly finds the others finished. A control for how much
    /// of a run the awaiting thread's sleeps cost.
    Reverse,
}

macro_rules! echo {
    ($module:ident, $rt:ident) => {
        /// The echo case on
        #[doc = concat!("`", stringify!($rt), "`.")]
        pub mod $module {
            use std::time::Instant;

            use $rt::io::{AsyncReadExt, AsyncWriteExt};
            use $rt::net::{TcpListener, TcpStream};

            use super::JoinOrder;

            /// One client connection with its buffers, reused by every run.
            #[derive(Debug)]
            pub struct Client {
                stream: TcpStream,
                out: Vec<u8>,
                back: Vec<u8>,
                times: Vec<u64>,
            }

            /// Starts an echo server on the current runtime and makes `n`
            /// connections to it, each with buffers for `message`-byte
            /// round trips.
            ///
            /// # Panics
            ///
            /// Panics if a loopback socket cannot be bound or connected.
            pub async fn setup(n: usize, message: usize) -> Vec<Client> {
                let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
                let addr = listener.local_addr().unwrap();
                $rt::spawn(async move {
                    while let Ok((mut socket, _)) = listener.accept().await {
                        socket.set_nodelay(true).unwrap();
                        $rt::spawn(async move {
                            let mut buf = vec![0; 32 * 1024];
                            loop {
                                let n = match socket.read(&mut buf).await {
                                    Ok(0) | Err(_) => break,
                                    Ok(n) => n,
                                };
                                if socket.write_all(&buf[..n]).await.is_err() {
                                    break;
                                }
                            }
                        });
                    }
                });
                let mut clients = Vec::with_capacity(n);
                for _ in 0..n {
                    let stream = TcpStream::connect(addr).await.unwrap();
                    stream.set_nodelay(true).unwrap();
                    clients.push(Client {
                        stream,
                        out: vec![7u8; message],
                        back: vec![0u8; message],
                        times: Vec::new(),
                    });
                }
                clients
            }

            /// Every client does `rounds` round trips of its message at
            /// once, each in a task of its own; the tasks are awaited in
            /// `order`. Returns the clients and, if `record`, every
            /// round-trip time in nanoseconds.
            ///
            /// # Panics
            ///
            /// Panics if a round trip fails.
            pub async fn run(
                clients: Vec<Client>,
                rounds: usize,
                record: bool,
                order: JoinOrder,
            ) -> (Vec<Client>, Vec<u64>) {
                let mut tasks: Vec<_> = clients
                    .into_iter()
                    .map(|mut client| {
                        $rt::spawn(async move {
                            client.times.clear();
                            for _ in 0..rounds {
                                let start = Instant::now();
                                client.stream.write_all(&client.out).await.unwrap();
                                client.stream.read_exact(&mut client.back).await.unwrap();
                                if record {
                                    client.times.push(start.elapsed().as_nanos() as u64);
                                }
                            }
                            client
                        })
                    })
                    .collect();
                if order == JoinOrder::Reverse {
                    tasks.reverse();
                }
                let mut clients = Vec::with_capacity(tasks.len());
                let mut times = Vec::new();
                for task in tasks {
                    let client = task.await.unwrap();
                    times.extend_from_slice(&client.times);
                    clients.push(client);
                }
                (clients, times)
            }
        }
    };
}

echo!(weft_echo, weft);
echo!(tokio_echo, tokio);
