//! Building runtimes, bad settings, misuse that must panic with a clear
//! message, thread callbacks and the runtime context.

mod support;

use std::io::ErrorKind;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use support::*;
use weft::runtime::{Builder, Handle, RuntimeFlavor};

#[test]
fn zero_worker_threads_is_invalid_input() {
    let error = Builder::new_multi_thread().worker_threads(0).build().unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidInput);
    assert!(error.to_string().contains("worker_threads"), "{error}");
}

#[test]
fn zero_max_blocking_threads_is_invalid_input() {
    for mut builder in [Builder::new_multi_thread(), Builder::new_current_thread()] {
        let error = builder.max_blocking_threads(0).build().unwrap_err();
        assert_eq!(error.kind(), ErrorKind::InvalidInput);
        assert!(error.to_string().contains("max_blocking_threads"), "{error}");
    }
}

#[test]
fn zero_max_io_events_per_tick_is_invalid_input() {
    for mut builder in [Builder::new_multi_thread(), Builder::new_current_thread()] {
        let error = builder.enable_all().max_io_events_per_tick(0).build().unwrap_err();
        assert_eq!(error.kind(), ErrorKind::InvalidInput);
        assert!(error.to_string().contains("max_io_events_per_tick"), "{error}");
    }
}

#[test]
fn zero_max_io_events_per_busy_tick_is_invalid_input() {
    for mut builder in [Builder::new_multi_thread(), Builder::new_current_thread()] {
        let error = builder.enable_all().max_io_events_per_busy_tick(0).build().unwrap_err();
        assert_eq!(error.kind(), ErrorKind::InvalidInput);
        assert!(error.to_string().contains("max_io_events_per_busy_tick"), "{error}");
    }
    // Any other value builds, larger than the idle batch as well.
    for busy in [1, 4096] {
        let mut builder = Builder::new_multi_thread();
        builder.enable_all().max_io_events_per_tick(8).max_io_events_per_busy_tick(busy);
        builder.build().unwrap();
    }
}

#[test]
fn a_runtime_has_a_name_only_when_given_one() {
    each_flavor(|flavor, rt| {
        assert_eq!(rt.handle().name(), None, "{flavor:?}");
        assert_eq!(rt.block_on(async { Handle::current().name().map(str::to_owned) }), None);

        let named = flavor.builder().name("ingest").build().unwrap();
        assert_eq!(named.handle().name(), Some("ingest"), "{flavor:?}");
        assert_eq!(named.handle().clone().name(), Some("ingest"));
        let (in_block_on, in_task, in_blocking) = named.block_on(async {
            let name = || Handle::current().name().map(str::to_owned);
            let in_task = weft::spawn(async move { name() }).await.unwrap();
            let in_blocking = weft::task::spawn_blocking(name).await.unwrap();
            (name(), in_task, in_blocking)
        });
        for seen in [in_block_on, in_task, in_blocking] {
            assert_eq!(seen.as_deref(), Some("ingest"), "{flavor:?}");
        }
        assert!(format!("{:?}", named.handle()).contains("ingest"));
        // Only whitespace at the ends is fine: the name is kept as given.
        let spaced = flavor.builder().name(" a b ").build().unwrap();
        assert_eq!(spaced.handle().name(), Some(" a b "));
    });
}

#[test]
fn a_blank_runtime_name_is_invalid_input() {
    for name in ["", " ", "\t\n "] {
        for mut builder in [Builder::new_multi_thread(), Builder::new_current_thread()] {
            let error = builder.name(name).build().unwrap_err();
            assert_eq!(error.kind(), ErrorKind::InvalidInput);
            assert!(error.to_string().contains("name"), "{error}");
        }
    }
}

#[test]
fn block_on_inside_a_runtime_panics_with_the_message() {
    each_flavor(|_, rt| {
        let other = Flavor::CurrentThread.runtime();
        let message = rt.block_on(async { expect_panic(|| other.block_on(async {})) });
        assert!(message.contains("cannot block on a future here"), "{message}");
        let message = rt.block_on(async { expect_panic(|| Handle::current().block_on(async {})) });
        assert!(message.contains("cannot block on a future here"), "{message}");
        // Inside a spawned task as well.
        let handle = rt.handle().clone();
        let error = rt.block_on(rt.spawn(async move { handle.block_on(async {}) })).unwrap_err();
        assert!(panic_message(&*error.into_panic()).contains("cannot block on a future here"));
        // The runtime is still usable.
        assert_eq!(rt.block_on(async { 1 }), 1);
    });
}

#[test]
#[should_panic(expected = "cannot block on a future here")]
fn nested_block_on_panics() {
    let rt = Flavor::CurrentThread.runtime();
    let inner = Flavor::CurrentThread.runtime();
    rt.block_on(async {
        inner.block_on(async {});
    });
}

/// A runtime dropped on a runtime thread while that thread unwinds must
/// not panic a second time (which would abort the process).
#[test]
fn a_runtime_dropped_while_unwinding_on_a_runtime_thread_does_not_abort() {
    each_flavor(|_, rt| {
        let message = rt.block_on(async {
            expect_panic(|| {
                let inner = Flavor::CurrentThread.runtime();
                inner.block_on(async {});
            })
        });
        assert!(message.contains("cannot block on a future here"), "{message}");
    });
}

#[test]
fn spawn_outside_a_runtime_panics_with_the_message() {
    let message = expect_panic(|| weft::spawn(async {}));
    assert!(message.contains("outside a weft runtime"), "{message}");
    let message = expect_panic(|| weft::task::spawn_blocking(|| ()));
    assert!(message.contains("outside a weft runtime"), "{message}");
}

#[test]
fn handle_try_current_errors_outside_a_runtime() {
    let error = Handle::try_current().unwrap_err();
    assert!(error.is_missing_context());
    assert!(!error.is_thread_local_destroyed());
    assert!(!error.to_string().is_empty());
    let message = expect_panic(Handle::current);
    assert!(message.contains("no weft runtime"), "{message}");
}

#[test]
fn handle_current_inside_names_the_runtime() {
    each_flavor(|flavor, rt| {
        let id = rt.handle().id();
        let (inside, in_task) = rt.block_on(async {
            let here = Handle::try_current().unwrap();
            let in_task = weft::spawn(async { Handle::current().id() }).await.unwrap();
            (here, in_task)
        });
        assert_eq!(inside.id(), id);
        assert_eq!(in_task, id);
        let expected = match flavor {
            Flavor::CurrentThread => RuntimeFlavor::CurrentThread,
            Flavor::MultiThread => RuntimeFlavor::MultiThread,
        };
        assert_eq!(inside.runtime_flavor(), expected);
        // Entering makes it current outside `block_on`, until the guard goes.
        {
            let _enter = rt.enter();
            assert_eq!(Handle::current().id(), id);
        }
        assert!(Handle::try_current().is_err());
    });
}

#[test]
fn metrics_count_workers() {
    each_flavor(|flavor, rt| {
        let expected = match flavor {
            Flavor::CurrentThread => 1,
            Flavor::MultiThread => WORKERS,
        };
        assert_eq!(rt.metrics().num_workers(), expected);
    });
}

#[test]
fn on_thread_start_and_stop_run_for_every_thread() {
    for flavor in FLAVORS {
        with_watchdog(move || {
            let starts = Arc::new(AtomicUsize::new(0));
            let stops = Arc::new(AtomicUsize::new(0));
            let (s, t) = (starts.clone(), stops.clone());
            let rt = flavor
                .builder()
                .on_thread_start(move || {
                    s.fetch_add(1, Ordering::SeqCst);
                })
                .on_thread_stop(move || {
                    t.fetch_add(1, Ordering::SeqCst);
                })
                .build()
                .unwrap();
            // A blocking task makes sure at least one pool thread exists.
            rt.block_on(rt.spawn_blocking(|| ())).unwrap();
            let started = starts.load(Ordering::SeqCst);
            let min = match flavor {
                Flavor::CurrentThread => 1,
                Flavor::MultiThread => WORKERS + 1,
            };
            assert!(started >= min, "{flavor:?}: {started} thread starts, expected at least {min}");
            drop(rt);
            assert_eq!(
                stops.load(Ordering::SeqCst),
                starts.load(Ordering::SeqCst),
                "{flavor:?}: every started thread stopped by the time the runtime was dropped"
            );
        });
    }
}
