//! `weft::signal`: real signals sent to this test process.
//!
//! Signals are process-wide, so every test here takes [`SERIAL`] first and
//! each installs its listeners before raising anything.

mod fs_support;

use fs_support::{run, Flavor};
use std::future::{poll_fn, Future};
use std::io::ErrorKind;
use std::pin::pin;
use std::sync::{Mutex, MutexGuard};
use std::task::Poll;
use weft::signal::unix::{signal, Signal, SignalKind};

static SERIAL: Mutex<()> = Mutex::new(());

fn serial() -> MutexGuard<'static, ()> {
    SERIAL.lock().unwrap_or_else(|e| e.into_inner())
}

fn raise(signum: libc::c_int) {
    // SAFETY: kill(2) on our own pid has no memory-safety preconditions.
    let rc = unsafe { libc::kill(libc::getpid(), signum) };
    assert_eq!(rc, 0, "kill failed");
}

/// True if `signal` has a delivery waiting right now.
async fn has_delivery(signal: &mut Signal) -> bool {
    poll_fn(|cx| Poll::Ready(signal.poll_recv(cx).is_ready())).await
}

fn both_flavors<F, Fut>(make: F)
where
    F: Fn() -> Fut + Send + Clone + 'static,
    Fut: Future<Output = ()>,
{
    let _serial = serial();
    run(Flavor::CurrentThread, make.clone());
    run(Flavor::MultiThread, make);
}

#[test]
fn usr1_and_usr2_reach_two_listeners_each() {
    both_flavors(|| async {
        let mut usr1 = [signal(SignalKind::user_defined1()).unwrap(), signal(SignalKind::user_defined1()).unwrap()];
        let mut usr2 = [signal(SignalKind::user_defined2()).unwrap(), signal(SignalKind::user_defined2()).unwrap()];

        raise(libc::SIGUSR1);
        for listener in &mut usr1 {
            assert_eq!(listener.recv().await, Some(()));
        }
        // SIGUSR2 listeners saw nothing.
        for listener in &mut usr2 {
            assert!(!has_delivery(listener).await);
        }

        raise(libc::SIGUSR2);
        for listener in &mut usr2 {
            assert_eq!(listener.recv().await, Some(()));
        }
        for listener in &mut usr1 {
            assert!(!has_delivery(listener).await);
        }

        // A second delivery is received again, from another task.
        let [mut a, mut b] = usr1;
        let task = weft::spawn(async move { a.recv().await });
        raise(libc::SIGUSR1);
        assert_eq!(b.recv().await, Some(()));
        assert_eq!(task.await.unwrap(), Some(()));
    });
}

#[test]
fn ctrl_c_after_the_listener_is_in_place() {
    both_flavors(|| async {
        let mut ctrl_c = pin!(weft::signal::ctrl_c());
        poll_fn(|cx| {
            assert!(ctrl_c.as_mut().poll(cx).is_pending(), "no SIGINT was sent yet");
            Poll::Ready(())
        })
        .await;
        raise(libc::SIGINT);
        ctrl_c.await.unwrap();
    });
}

#[test]
fn a_listener_made_later_does_not_see_earlier_deliveries() {
    both_flavors(|| async {
        let mut early = signal(SignalKind::hangup()).unwrap();
        raise(libc::SIGHUP);
        early.recv().await.unwrap();
        let mut late = signal(SignalKind::hangup()).unwrap();
        assert!(!has_delivery(&mut late).await);
        raise(libc::SIGHUP);
        late.recv().await.unwrap();
        early.recv().await.unwrap();
    });
}

#[test]
fn uncatchable_and_invalid_signals_are_errors() {
    both_flavors(|| async {
        for signum in [libc::SIGKILL, libc::SIGSTOP, libc::SIGSEGV, libc::SIGILL, libc::SIGFPE, 0, -1, 65, 1000] {
            let err = signal(SignalKind::from_raw(signum)).unwrap_err();
            assert_eq!(err.kind(), ErrorKind::InvalidInput, "signal {signum}");
        }
    });
}

#[test]
fn signal_kinds_have_their_numbers() {
    let kinds = [
        (SignalKind::alarm(), libc::SIGALRM),
        (SignalKind::child(), libc::SIGCHLD),
        (SignalKind::hangup(), libc::SIGHUP),
        (SignalKind::interrupt(), libc::SIGINT),
        (SignalKind::io(), libc::SIGIO),
        (SignalKind::pipe(), libc::SIGPIPE),
        (SignalKind::quit(), libc::SIGQUIT),
        (SignalKind::terminate(), libc::SIGTERM),
        (SignalKind::user_defined1(), libc::SIGUSR1),
        (SignalKind::user_defined2(), libc::SIGUSR2),
        (SignalKind::window_change(), libc::SIGWINCH),
    ];
    for (kind, signum) in kinds {
        assert_eq!(kind.as_raw_value(), signum);
        assert_eq!(SignalKind::from_raw(signum), kind);
        assert_eq!(libc::c_int::from(kind), signum);
    }
}

#[test]
fn a_dropped_runtime_ends_its_listeners_and_a_new_one_still_works() {
    let _serial = serial();
    let first = weft::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let mut orphaned = first.block_on(async { signal(SignalKind::terminate()).unwrap() });
    drop(first);
    run(Flavor::MultiThread, move || async move {
        // The runtime that delivered to it is gone: the stream has ended.
        assert_eq!(orphaned.recv().await, None);
        // The process-wide handler outlived that runtime; this one reads it.
        let mut term = signal(SignalKind::terminate()).unwrap();
        raise(libc::SIGTERM);
        assert_eq!(term.recv().await, Some(()));
    });
}

#[test]
fn listeners_in_two_runtimes_both_receive() {
    let _serial = serial();
    let other = weft::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().unwrap();
    let mut in_other = other.block_on(async { signal(SignalKind::window_change()).unwrap() });
    let in_other = other.spawn(async move { in_other.recv().await });
    run(Flavor::CurrentThread, move || async move {
        let mut here = signal(SignalKind::window_change()).unwrap();
        raise(libc::SIGWINCH);
        assert_eq!(here.recv().await, Some(()));
        assert_eq!(in_other.await.unwrap(), Some(()));
    });
    drop(other);
}
