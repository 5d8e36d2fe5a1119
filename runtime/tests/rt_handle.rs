//! What a runtime tells the code running on it: the worker a task runs on
//! (`worker_index`), and whether an I/O error means that the runtime a
//! resource belongs to is gone (`is_rt_shutdown_err`).

mod support;

use std::io;
use std::sync::mpsc;
use std::thread;
use support::*;
use weft::io::AsyncReadExt;
use weft::net::{TcpListener, TcpStream};
use weft::runtime::{is_rt_shutdown_err, worker_index, Builder};

/// A listener and a connected client made on `rt`, which is then dropped;
/// also the (std) server end of the client's connection. Nothing waits on
/// either: the listener has no connection queued, the client no data.
fn resources_of_a_dropped_runtime(rt: weft::runtime::Runtime) -> (TcpListener, TcpStream, std::net::TcpStream) {
    let server = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let server_addr = server.local_addr().unwrap();
    let (listener, client) = rt.block_on(async {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let client = TcpStream::connect(server_addr).await.unwrap();
        (listener, client)
    });
    drop(rt);
    let (server_end, _) = server.accept().unwrap();
    (listener, client, server_end)
}

#[test]
fn resources_of_a_dropped_runtime_fail_with_the_shutdown_error() {
    each_flavor(|flavor, rt| {
        let (listener, mut client, _server) = resources_of_a_dropped_runtime(rt);
        let other = flavor.runtime();
        other.block_on(async {
            let err = listener.accept().await.unwrap_err();
            assert!(is_rt_shutdown_err(&err), "{flavor:?}: accept: {err:?}");
            let mut buf = [0; 8];
            let err = client.read(&mut buf).await.unwrap_err();
            assert!(is_rt_shutdown_err(&err), "{flavor:?}: read: {err:?}");
        });
    });
}

#[test]
fn other_errors_are_not_the_shutdown_error() {
    with_watchdog(|| {
        let (listener, _client, _server) = resources_of_a_dropped_runtime(Flavor::CurrentThread.runtime());
        let rt = Flavor::CurrentThread.runtime();
        let shutdown = rt.block_on(listener.accept()).unwrap_err();
        assert!(is_rt_shutdown_err(&shutdown));

        // A real OS error from a socket of a running runtime.
        let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = closed.local_addr().unwrap();
        drop(closed);
        let refused = rt.block_on(TcpStream::connect(addr)).unwrap_err();

        let others = [
            refused,
            io::Error::from(io::ErrorKind::ConnectionRefused),
            io::Error::from(io::ErrorKind::Other),
            io::Error::other("the database went away"),
            // The same words, but not the error weft made.
            io::Error::other(shutdown.to_string()),
            io::Error::new(io::ErrorKind::BrokenPipe, shutdown.to_string()),
        ];
        for err in &others {
            assert!(!is_rt_shutdown_err(err), "{err:?}");
        }
    });
}

#[test]
fn multi_thread_tasks_run_on_worker_0_or_1() {
    with_watchdog(|| {
        let rt = Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
        let indices = rt.block_on(async {
            let tasks: Vec<_> = (0..200)
                .map(|_| {
                    weft::spawn(async {
                        let first = worker_index();
                        weft::task::yield_now().await;
                        [first, worker_index()]
                    })
                })
                .collect();
            let mut indices = Vec::new();
            for task in tasks {
                indices.extend(task.await.unwrap());
            }
            indices
        });
        assert_eq!(indices.len(), 400);
        for index in indices {
            assert!(matches!(index, Some(0 | 1)), "{index:?}");
        }
    });
}

#[test]
fn the_block_on_thread_and_blocking_threads_of_a_multi_thread_runtime_are_no_workers() {
    with_watchdog(|| {
        let rt = Flavor::MultiThread.runtime();
        rt.block_on(async {
            assert_eq!(worker_index(), None, "in block_on");
            assert_eq!(weft::task::spawn_blocking(worker_index).await.unwrap(), None, "blocking pool");
            let from_task = weft::spawn(async { weft::task::spawn_blocking(worker_index).await.unwrap() });
            assert_eq!(from_task.await.unwrap(), None, "blocking pool, spawned by a worker");
            let in_place = weft::spawn(async {
                let before = worker_index();
                (before, weft::task::block_in_place(worker_index))
            });
            let (before, in_place) = in_place.await.unwrap();
            assert!(before.is_some_and(|i| i < WORKERS), "{before:?}");
            assert_eq!(in_place, None, "block_in_place hands the worker to another thread");
        });
        let _enter = rt.enter();
        assert_eq!(worker_index(), None, "entered, but not running tasks");
    });
}

#[test]
fn the_thread_driving_a_current_thread_runtime_is_worker_0() {
    with_watchdog(|| {
        let rt = Flavor::CurrentThread.runtime();
        assert_eq!(worker_index(), None, "before block_on");
        rt.block_on(async {
            assert_eq!(worker_index(), Some(0));
            assert_eq!(weft::spawn(async { worker_index() }).await.unwrap(), Some(0));
            assert_eq!(weft::task::spawn_blocking(worker_index).await.unwrap(), None, "blocking pool");
        });
        assert_eq!(worker_index(), None, "after block_on");
        let _enter = rt.enter();
        assert_eq!(worker_index(), None, "entered, but not running tasks");
    });
}

#[test]
fn a_second_block_on_of_a_current_thread_runtime_is_no_worker() {
    with_watchdog(|| {
        let rt = Flavor::CurrentThread.runtime();
        let handle = rt.handle().clone();
        let (started_tx, started_rx) = mpsc::channel();
        let (release_tx, release_rx) = weft::sync::oneshot::channel::<()>();
        let driver = thread::spawn(move || {
            rt.block_on(async move {
                started_tx.send(worker_index()).unwrap();
                release_rx.await.unwrap();
            });
        });
        // The first thread holds the runtime's core while it waits.
        assert_eq!(started_rx.recv().unwrap(), Some(0));
        assert_eq!(handle.block_on(async { worker_index() }), None);
        release_tx.send(()).unwrap();
        driver.join().unwrap();
    });
}

#[test]
fn no_runtime_no_worker() {
    assert_eq!(worker_index(), None);
    let from_thread = thread::spawn(worker_index).join().unwrap();
    assert_eq!(from_thread, None);
}
