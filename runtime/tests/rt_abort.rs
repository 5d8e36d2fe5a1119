//! Aborting tasks, detaching them, and panics inside them, on both
//! runtime flavors.

mod support;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use support::*;
use weft::sync::oneshot;

/// Runs `body` with a runtime whose only thread that runs tasks is held
/// by a blocker task until `body` releases it, so tasks spawned meanwhile
/// cannot start. `body` gets the runtime and a function that releases
/// the blocker.
fn with_busy_runtime(flavor: Flavor, body: impl FnOnce(&weft::runtime::Runtime, &dyn Fn()) + Send + 'static) {
    with_watchdog(move || {
        let mut builder = flavor.builder();
        if flavor == Flavor::MultiThread {
            builder.worker_threads(1);
        }
        let rt = builder.build().unwrap();
        let release = Arc::new(AtomicBool::new(false));
        let started = Arc::new(AtomicBool::new(false));
        let (r, s) = (release.clone(), started.clone());
        let blocker = rt.spawn(async move {
            s.store(true, Ordering::SeqCst);
            while !r.load(Ordering::SeqCst) {
                std::hint::spin_loop();
            }
        });
        if flavor == Flavor::MultiThread {
            while !started.load(Ordering::SeqCst) {
                std::thread::yield_now();
            }
        }
        // A current-thread runtime runs nothing until `block_on`, so the
        // blocker is not needed to hold it; it runs first in `block_on`.
        let release_fn = move || release.store(true, Ordering::SeqCst);
        body(&rt, &release_fn);
        release_fn();
        rt.block_on(blocker).unwrap();
    });
}

#[test]
fn abort_before_the_task_starts() {
    for flavor in FLAVORS {
        with_busy_runtime(flavor, |rt, release| {
            let ran = Arc::new(AtomicBool::new(false));
            let r = ran.clone();
            let drops = Drops::new();
            let counter = drops.counter();
            let task = rt.spawn(async move {
                let _counter = counter;
                r.store(true, Ordering::SeqCst);
            });
            task.abort();
            release();
            let error = rt.block_on(task).unwrap_err();
            assert!(error.is_cancelled());
            assert!(!ran.load(Ordering::SeqCst), "an aborted task must not start");
            assert_eq!(drops.count(), 1, "the unstarted future is dropped once");
        });
    }
}

rt_test! {
    async fn abort_while_pending() {
        let drops = Drops::new();
        let counter = drops.counter();
        let (started_tx, started_rx) = oneshot::channel::<()>();
        let task = weft::spawn(async move {
            let _counter = counter;
            started_tx.send(()).unwrap();
            std::future::pending::<()>().await;
        });
        started_rx.await.unwrap();
        task.abort();
        let error = task.await.unwrap_err();
        assert!(error.is_cancelled());
        assert!(!error.is_panic());
        assert_eq!(drops.count(), 1);
    }

    async fn abort_after_completion_keeps_the_output() {
        let task = weft::spawn(async { 5 });
        let abort = task.abort_handle();
        support::yield_until(|| abort.is_finished()).await;
        task.abort();
        abort.abort();
        assert_eq!(task.await.unwrap(), 5);
    }

    async fn abort_through_an_abort_handle_from_another_thread() {
        let task = weft::spawn(std::future::pending::<()>());
        let abort = task.abort_handle();
        assert_eq!(abort.id(), task.id());
        std::thread::spawn(move || abort.abort()).join().unwrap();
        assert!(task.await.unwrap_err().is_cancelled());
    }

    async fn a_task_aborting_itself_is_cancelled_at_its_next_await() {
        let (tx, rx) = oneshot::channel::<weft::task::AbortHandle>();
        let task = weft::spawn(async move {
            let me = rx.await.unwrap();
            me.abort();
            weft::task::yield_now().await;
            unreachable!("cancelled at the yield");
        });
        tx.send(task.abort_handle()).unwrap();
        assert!(task.await.unwrap_err().is_cancelled());
    }

    async fn dropping_a_join_handle_detaches_the_task() {
        let (go_tx, go_rx) = oneshot::channel::<()>();
        let (done_tx, done_rx) = oneshot::channel::<&str>();
        let task = weft::spawn(async move {
            go_rx.await.unwrap();
            done_tx.send("still ran").unwrap();
        });
        drop(task);
        go_tx.send(()).unwrap();
        assert_eq!(done_rx.await.unwrap(), "still ran");
    }

    async fn a_panic_is_delivered_with_its_payload_and_the_runtime_goes_on() {
        let error = weft::spawn(async { panic!("task exploded") }).await.unwrap_err();
        assert!(error.is_panic());
        assert!(!error.is_cancelled());
        assert_eq!(panic_message(&*error.into_panic()), "task exploded");

        let error = weft::spawn(async { std::panic::panic_any(42u32) }).await.unwrap_err();
        assert_eq!(error.into_panic().downcast_ref::<u32>(), Some(&42));

        let error = weft::spawn(async { panic!("formatted {}", 7) }).await.unwrap_err();
        let payload = error.try_into_panic().unwrap();
        assert_eq!(panic_message(&*payload), "formatted 7");

        // Many panics later, the workers still run tasks.
        for _ in 0..50 {
            assert!(weft::spawn(async { panic!("again") }).await.unwrap_err().is_panic());
        }
        assert_eq!(weft::spawn(async { 1 }).await.unwrap(), 1);
    }

    async fn a_panic_in_a_destructor_during_abort_is_reported() {
        struct PanicOnDrop;
        impl Drop for PanicOnDrop {
            fn drop(&mut self) {
                panic!("drop exploded");
            }
        }
        let (started_tx, started_rx) = oneshot::channel::<()>();
        let task = weft::spawn(async move {
            let _bomb = PanicOnDrop;
            started_tx.send(()).unwrap();
            std::future::pending::<()>().await;
        });
        started_rx.await.unwrap();
        task.abort();
        let error = task.await.unwrap_err();
        assert!(error.is_panic());
        assert_eq!(weft::spawn(async { 2 }).await.unwrap(), 2);
    }

    async fn join_errors_name_their_task() {
        let task = weft::spawn(async { panic!("named") });
        let id = task.id();
        assert_eq!(task.await.unwrap_err().id(), id);
        let task = weft::spawn(std::future::pending::<()>());
        let id = task.id();
        task.abort();
        let error = task.await.unwrap_err();
        assert_eq!(error.id(), id);
        assert!(!error.to_string().is_empty());
    }
}
