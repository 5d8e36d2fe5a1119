//! `#[weft::main]` and `#[weft::test]` on the real runtime: the flavor and
//! worker count and name each set of options asks for, spawning inside the body,
//! `Result` bodies, panics, and the declarative macros over spawned tasks.

use std::thread;

use weft::runtime::{Handle, RuntimeFlavor};

#[weft::test]
async fn test_defaults_to_a_current_thread_runtime_on_the_test_thread() {
    let handle = Handle::current();
    assert_eq!(handle.runtime_flavor(), RuntimeFlavor::CurrentThread);
    assert_eq!(handle.metrics().num_workers(), 1);
    let here = thread::current().id();
    let there = weft::spawn(async { thread::current().id() }).await.unwrap();
    assert_eq!(here, there);
}

#[weft::test(flavor = "multi_thread", worker_threads = 2)]
async fn multi_thread_with_two_workers() {
    let handle = Handle::current();
    assert_eq!(handle.runtime_flavor(), RuntimeFlavor::MultiThread);
    assert_eq!(handle.metrics().num_workers(), 2);
    let sum = weft::spawn(async { 20 + 22 }).await.unwrap();
    assert_eq!(sum, 42);
}

#[weft::test(flavor = "multi_thread")]
async fn multi_thread_without_a_count_has_workers() {
    assert_eq!(
        Handle::current().runtime_flavor(),
        RuntimeFlavor::MultiThread
    );
    assert!(Handle::current().metrics().num_workers() >= 1);
}

#[weft::test(start_paused = true)]
async fn start_paused_builds_a_current_thread_runtime() {
    assert_eq!(
        Handle::current().runtime_flavor(),
        RuntimeFlavor::CurrentThread
    );
}

#[weft::test(flavor = "current_thread", start_paused = false)]
async fn explicit_current_thread() {
    assert_eq!(
        Handle::current().runtime_flavor(),
        RuntimeFlavor::CurrentThread
    );
}

#[weft::test(name = "x")]
async fn name_names_the_runtime() {
    assert_eq!(Handle::current().name(), Some("x"));
}

#[weft::test(flavor = "multi_thread", worker_threads = 2, name = "named pool")]
async fn name_on_a_multi_thread_runtime() {
    let name = weft::spawn(async { Handle::current().name().map(str::to_owned) })
        .await
        .unwrap();
    assert_eq!(name.as_deref(), Some("named pool"));
}

#[weft::test]
async fn without_name_the_runtime_has_none() {
    assert_eq!(Handle::current().name(), None);
}

#[weft::test]
async fn a_test_may_return_result() -> Result<(), std::num::ParseIntError> {
    let n: u32 = weft::spawn(async { "12" }).await.unwrap().parse()?;
    assert_eq!(n, 12);
    Ok(())
}

#[weft::test]
#[should_panic(expected = "inside the test body")]
async fn a_panic_in_the_body_fails_the_test() {
    panic!("inside the test body");
}

#[weft::main]
async fn main_like() -> (RuntimeFlavor, usize) {
    let handle = Handle::current();
    (handle.runtime_flavor(), handle.metrics().num_workers())
}

#[weft::main(worker_threads = 3)]
async fn three_workers() -> usize {
    Handle::current().metrics().num_workers()
}

#[weft::main(flavor = "current_thread")]
async fn doubled_on_current_thread(x: u32) -> (RuntimeFlavor, u32) {
    let doubled = weft::spawn(async move { x * 2 }).await.unwrap();
    (Handle::current().runtime_flavor(), doubled)
}

#[test]
fn main_builds_a_multi_thread_runtime_by_default() {
    let (flavor, workers) = main_like();
    assert_eq!(flavor, RuntimeFlavor::MultiThread);
    assert!(workers >= 1);
    assert_eq!(three_workers(), 3);
}

#[test]
fn main_on_a_function_with_arguments() {
    assert_eq!(
        doubled_on_current_thread(21),
        (RuntimeFlavor::CurrentThread, 42)
    );
    // Each call builds its own runtime; no runtime is left on this thread.
    assert!(Handle::try_current().is_err());
}

#[weft::test(flavor = "multi_thread", worker_threads = 4)]
async fn join_try_join_and_select_over_spawned_tasks() {
    let (a, b, c) = weft::join!(weft::spawn(async { 1 }), weft::spawn(async { 2 }), async {
        3
    });
    assert_eq!(a.unwrap() + b.unwrap() + c, 6);

    let both = weft::try_join!(weft::spawn(async { 4 }), weft::spawn(async { 5 }));
    let (d, e) = both.unwrap();
    assert_eq!(d + e, 9);

    let (tx, rx) = weft::sync::oneshot::channel::<u32>();
    weft::spawn(async move {
        let _ = tx.send(7);
    });
    let got = weft::select! {
        v = rx => v.unwrap(),
        () = std::future::pending::<()>() => unreachable!(),
    };
    assert_eq!(got, 7);
}
