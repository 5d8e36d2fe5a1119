//! Networking benches: TCP echo throughput and latency, accept rate, and
//! an HTTP/1.1 hello-world served by hyper, with weft and tokio on the
//! same number of worker threads in one process run.
//!
//! Run with `cargo bench -p weft-benches --bench net`; a name after `--`
//! runs only the cases that contain it. Besides the harness's table of
//! medians and ratios, the run ends with a table of round trips per
//! second and the p50/p99 round-trip time of each echo case, measured in
//! a fixed number of extra rounds.
//!
//! The cases:
//!
//! * `echo_<C>c_<S>`: `C` connections on one runtime, each sending a
//!   message of `S` bytes and reading the echo back, over and over; the
//!   echo server runs on the same runtime. Connections and their buffers
//!   are made once and reused, so this measures steady-state I/O, not
//!   connection setup or the allocator.
//! * `accept`: connections made and accepted as fast as possible (each
//!   closed with a reset, so no `TIME_WAIT` piles up over the run).
//! * `hyper_hello`: hyper's HTTP/1.1 server on the runtime under test,
//!   loaded over keep-alive connections by a small wrk-like client on a
//!   separate single-thread tokio runtime driven from the bench thread
//!   (the same client for both servers). The servers run on one worker
//!   fewer than the machine has cores (if the bench's worker count is
//!   higher), so the client has a core of its own.
//!
//! smol is left out here: its networking lives in other crates
//! (async-net, async-io), and the run must stay short on a small machine.

use std::cell::RefCell;
use std::time::{Duration, Instant};

use weft_benches::echo::{tokio_echo, weft_echo, JoinOrder};
use weft_benches::{tokio_runtime, weft_runtime, workers, Harness, Runner};

/// An echo case: connections, message size, round trips per connection
/// per iteration.
#[derive(Clone, Copy)]
struct EchoCase {
    name: &'static str,
    connections: usize,
    message: usize,
    rounds: usize,
}

const ECHO_CASES: [EchoCase; 4] = [
    EchoCase {
        name: "echo_32c_64B",
        connections: 32,
        message: 64,
        rounds: 100,
    },
    EchoCase {
        name: "echo_256c_64B",
        connections: 256,
        message: 64,
        rounds: 12,
    },
    EchoCase {
        name: "echo_32c_16KiB",
        connections: 32,
        message: 16 * 1024,
        rounds: 25,
    },
    EchoCase {
        name: "echo_256c_16KiB",
        connections: 256,
        message: 16 * 1024,
        rounds: 4,
    },
];

/// Connections per iteration of the accept case.
const ACCEPTS: usize = 200;
/// Client tasks making those connections.
const ACCEPT_CLIENTS: usize = 8;
/// Keep-alive connections and requests per connection per iteration of
/// the hyper case.
const HTTP_CONNECTIONS: usize = 32;
const HTTP_REQUESTS: usize = 32;
/// Extra rounds for the latency table.
const LATENCY_ROUNDS: usize = 15;

/// The same code for both runtimes: weft's API mirrors tokio's, so the
/// module body is written once with `$rt` standing for the crate.
macro_rules! runtime_impl {
    ($module:ident, $rt:ident) => {
        mod $module {
            use std::net::SocketAddr;

            use $rt::io::AsyncReadExt;
            use $rt::net::{TcpListener, TcpStream};

            pub(crate) async fn accept_listener() -> std::sync::Arc<TcpListener> {
                std::sync::Arc::new(TcpListener::bind("127.0.0.1:0").await.unwrap())
            }

            /// `total` connections made by `clients` tasks and accepted by
            /// one; each is closed with a reset.
            pub(crate) async fn accept(
                listener: std::sync::Arc<TcpListener>,
                total: usize,
                clients: usize,
            ) {
                let addr: SocketAddr = listener.local_addr().unwrap();
                let acceptor = $rt::spawn(async move {
                    for _ in 0..total {
                        let (socket, _) = listener.accept().await.unwrap();
                        // Linger zero resets the connection on drop,
                        // which does not block.
                        socket.set_zero_linger().unwrap();
                    }
                });
                let tasks: Vec<_> = (0..clients)
                    .map(|_| {
                        $rt::spawn(async move {
                            for _ in 0..total / clients {
                                // The server may accept and reset the
                                // connection before the connect call sees
                                // it finish; then connect reports the reset.
                                let mut stream = match TcpStream::connect(addr).await {
                                    Ok(stream) => stream,
                                    Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => {
                                        continue
                                    }
                                    Err(e) => panic!("connect failed: {e}"),
                                };
                                // Wait for the server's reset: the
                                // connection was accepted and closed.
                                let mut byte = [0; 1];
                                let _ = stream.read(&mut byte).await;
                            }
                        })
                    })
                    .collect();
                for task in tasks {
                    task.await.unwrap();
                }
                acceptor.await.unwrap();
            }

            /// A hyper HTTP/1.1 hello-world server; returns its address.
            pub(crate) async fn hyper_server() -> SocketAddr {
                let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
                let addr = listener.local_addr().unwrap();
                $rt::spawn(async move {
                    while let Ok((socket, _)) = listener.accept().await {
                        socket.set_nodelay(true).unwrap();
                        $rt::spawn(async move {
                            let service = hyper::service::service_fn(|_request| async {
                                Ok::<_, std::convert::Infallible>(hyper::Response::new(
                                    http_body_util::Full::new(bytes::Bytes::from_static(
                                        b"Hello, world!",
                                    )),
                                ))
                            });
                            let _ = hyper::server::conn::http1::Builder::new()
                                .serve_connection(hyper_util::rt::TokioIo::new(socket), service)
                                .await;
                        });
                    }
                });
                addr
            }
        }
    };
}

runtime_impl!(weft_side, weft);
runtime_impl!(tokio_side, tokio);

/// The load client of the hyper case, built like wrk: keep-alive
/// connections on a single-thread tokio runtime of its own, each sending
/// one fixed `GET` and reading the whole response before the next. It
/// parses only what it must (status, end of header, `content-length`), so
/// the server, not the client, takes most of the CPU time. (A hyper
/// client here made the row measure the client: one server worker was as
/// fast as two.)
struct HttpClient {
    rt: tokio::runtime::Runtime,
    connections: Vec<HttpConnection>,
}

/// One keep-alive connection of the load client and its read buffer.
struct HttpConnection {
    stream: tokio::net::TcpStream,
    buf: Vec<u8>,
}

const HTTP_REQUEST: &[u8] = b"GET / HTTP/1.1\r\nhost: bench\r\n\r\n";

impl HttpClient {
    fn new(addr: std::net::SocketAddr, connections: usize) -> HttpClient {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let connections = rt.block_on(async {
            let mut all = Vec::with_capacity(connections);
            for _ in 0..connections {
                let stream = tokio::net::TcpStream::connect(addr).await.unwrap();
                stream.set_nodelay(true).unwrap();
                all.push(HttpConnection {
                    stream,
                    buf: Vec::with_capacity(1024),
                });
            }
            all
        });
        HttpClient { rt, connections }
    }

    /// Every connection sends `requests` requests, one after another.
    fn run(&mut self, requests: usize) {
        let connections = std::mem::take(&mut self.connections);
        self.connections = self.rt.block_on(async move {
            let tasks: Vec<_> = connections
                .into_iter()
                .map(|mut connection| {
                    tokio::spawn(async move {
                        for _ in 0..requests {
                            connection.request().await;
                        }
                        connection
                    })
                })
                .collect();
            let mut connections = Vec::with_capacity(tasks.len());
            for task in tasks {
                connections.push(task.await.unwrap());
            }
            connections
        });
    }
}

impl HttpConnection {
    /// One request and its response, checked: status 200 and the body.
    async fn request(&mut self) {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        self.stream.write_all(HTTP_REQUEST).await.unwrap();
        self.buf.clear();
        let len = loop {
            if let Some(len) = response_len(&self.buf) {
                if self.buf.len() >= len {
                    break len;
                }
            }
            let n = self.stream.read_buf(&mut self.buf).await.unwrap();
            assert!(n > 0, "the server closed the connection mid-response");
        };
        assert_eq!(self.buf.len(), len, "bytes after the response");
        assert!(self.buf.starts_with(b"HTTP/1.1 200 "), "not a 200 response");
        assert!(self.buf.ends_with(b"Hello, world!"), "not the hello body");
    }
}

/// The length of the response at the start of `buf` (header and body),
/// once its header has arrived; `None` before.
///
/// # Panics
///
/// If the header has no `content-length`.
fn response_len(buf: &[u8]) -> Option<usize> {
    let end = buf.windows(4).position(|w| w == b"\r\n\r\n")? + 4;
    let header = String::from_utf8_lossy(&buf[..end]);
    let body = header
        .lines()
        .find_map(|line| {
            let (name, value) = line.split_once(':')?;
            name.trim()
                .eq_ignore_ascii_case("content-length")
                .then(|| value.trim().parse::<usize>().ok())?
        })
        .expect("a response with a content-length header");
    Some(end + body)
}

/// Worker threads of each hyper server: the bench's count, but at most
/// one fewer than the machine's cores (at least 1), so that the load
/// client has a core to itself.
fn hyper_server_workers(workers: usize) -> usize {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    workers.min(cores.saturating_sub(1)).max(1)
}

fn percentile(sorted: &[u64], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    Duration::from_nanos(sorted[index])
}

fn fmt_us(d: Duration) -> String {
    format!("{:.1} µs", d.as_secs_f64() * 1e6)
}

/// Round trips per second (median over the rounds), p50 and p99.
struct Latency {
    per_second: f64,
    p50: Duration,
    p99: Duration,
}

fn latency_of(mut run: impl FnMut() -> Vec<u64>, round_trips: usize) -> Latency {
    let mut all = Vec::new();
    let mut rates = Vec::new();
    for _ in 0..LATENCY_ROUNDS {
        let start = Instant::now();
        let times = run();
        rates.push(round_trips as f64 / start.elapsed().as_secs_f64());
        all.extend(times);
    }
    all.sort_unstable();
    rates.sort_by(|a, b| a.partial_cmp(b).unwrap());
    Latency {
        per_second: rates[rates.len() / 2],
        p50: percentile(&all, 0.5),
        p99: percentile(&all, 0.99),
    }
}

fn main() {
    let n = workers();
    let weft = weft_runtime(n);
    let tokio = tokio_runtime(n);
    let mut h = Harness::with_times("net", Duration::from_millis(500), Duration::from_secs(2));
    // An iteration takes a few milliseconds and ends with its slowest
    // connection, so single rounds scatter: take many.
    h.default_rounds(101);
    let args: Vec<String> = std::env::args().collect();
    let bench_mode = args.iter().any(|a| a == "--bench") && !args.iter().any(|a| a == "--test");
    let filter = args.iter().skip(1).find(|a| !a.starts_with('-')).cloned();
    let wanted = |case: &str| filter.as_deref().map_or(true, |f| case.contains(f));

    let mut latency_rows = Vec::new();
    for case in ECHO_CASES {
        if !wanted(case.name) {
            continue;
        }
        let weft_clients = RefCell::new(Some(
            weft.block_on(weft_echo::setup(case.connections, case.message)),
        ));
        let tokio_clients = RefCell::new(Some(
            tokio.block_on(tokio_echo::setup(case.connections, case.message)),
        ));
        let weft_run = |record: bool| {
            let clients = weft_clients.borrow_mut().take().unwrap();
            let (clients, times) = weft.block_on(weft_echo::run(clients, case.rounds, record, JoinOrder::Spawn));
            *weft_clients.borrow_mut() = Some(clients);
            times
        };
        let tokio_run = |record: bool| {
            let clients = tokio_clients.borrow_mut().take().unwrap();
            let (clients, times) = tokio.block_on(tokio_echo::run(clients, case.rounds, record, JoinOrder::Spawn));
            *tokio_clients.borrow_mut() = Some(clients);
            times
        };
        h.bench(
            case.name,
            &mut [
                Runner::new("weft", || {
                    weft_run(false);
                }),
                Runner::new("tokio", || {
                    tokio_run(false);
                }),
            ],
        );
        if bench_mode {
            let round_trips = case.connections * case.rounds;
            let w = latency_of(|| weft_run(true), round_trips);
            let t = latency_of(|| tokio_run(true), round_trips);
            latency_rows.push((case.name, w, t));
        }
    }

    if wanted("accept") {
        let weft_listener = weft.block_on(weft_side::accept_listener());
        let tokio_listener = tokio.block_on(tokio_side::accept_listener());
        h.bench(
            "accept",
            &mut [
                Runner::new("weft", || {
                    weft.block_on(weft_side::accept(
                        weft_listener.clone(),
                        ACCEPTS,
                        ACCEPT_CLIENTS,
                    ))
                }),
                Runner::new("tokio", || {
                    tokio.block_on(tokio_side::accept(
                        tokio_listener.clone(),
                        ACCEPTS,
                        ACCEPT_CLIENTS,
                    ))
                }),
            ],
        );
    }

    if wanted("hyper_hello") {
        // The load client needs a core of its own, or the row measures how
        // each runtime shares the machine with it rather than how fast it
        // serves: on 2 cores, 2 server workers plus the client ran slower
        // than 1 worker plus the client, in both runtimes.
        let server_workers = hyper_server_workers(n);
        let own_runtimes = (server_workers != n)
            .then(|| (weft_runtime(server_workers), tokio_runtime(server_workers)));
        let (weft_server, tokio_server) = match &own_runtimes {
            Some((w, t)) => (w, t),
            None => (&weft, &tokio),
        };
        if bench_mode {
            eprintln!("hyper_hello: {server_workers} worker thread(s) per server, one core left to the load client");
        }
        let weft_addr = weft_server.block_on(weft_side::hyper_server());
        let tokio_addr = tokio_server.block_on(tokio_side::hyper_server());
        let mut weft_client = HttpClient::new(weft_addr, HTTP_CONNECTIONS);
        let mut tokio_client = HttpClient::new(tokio_addr, HTTP_CONNECTIONS);
        h.bench(
            "hyper_hello",
            &mut [
                Runner::new("weft", || weft_client.run(HTTP_REQUESTS)),
                Runner::new("tokio", || tokio_client.run(HTTP_REQUESTS)),
            ],
        );
    }

    h.finish();

    if !latency_rows.is_empty() {
        println!(
            "## net echo: round trips per second and round-trip time ({n} workers, {LATENCY_ROUNDS} rounds each)"
        );
        println!();
        println!("| case | weft RT/s | tokio RT/s | weft/tokio RT/s | weft p50 | tokio p50 | weft p99 | tokio p99 |");
        println!("|---|---:|---:|---:|---:|---:|---:|---:|");
        for (name, w, t) in &latency_rows {
            println!(
                "| {name} | {:.0} | {:.0} | {:.2}x | {} | {} | {} | {} |",
                w.per_second,
                t.per_second,
                w.per_second / t.per_second,
                fmt_us(w.p50),
                fmt_us(t.p50),
                fmt_us(w.p99),
                fmt_us(t.p99)
            );
        }
        println!();
    }
}
