//! `LocalSet` and `spawn_local`: `!Send` tasks on both runtime flavors,
//! wakes from other threads, cancellation on drop.

mod support;

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use support::*;
use weft::sync::{oneshot, Notify};
use weft::task::{spawn_local, JoinSet, LocalSet};

/// Counts drops of a `!Send` value.
struct RcDrop(Rc<Cell<usize>>);

impl Drop for RcDrop {
    fn drop(&mut self) {
        self.0.set(self.0.get() + 1);
    }
}

#[test]
fn tasks_share_rc_values() {
    each_flavor(|_, rt| {
        let local = LocalSet::new();
        let total = local.block_on(&rt, async {
            let sum = Rc::new(RefCell::new(0u64));
            let mut handles = Vec::new();
            for i in 1..=100u64 {
                let sum = sum.clone();
                handles.push(spawn_local(async move {
                    weft::task::yield_now().await;
                    *sum.borrow_mut() += i;
                    Rc::new(i)
                }));
            }
            for (i, handle) in handles.into_iter().enumerate() {
                assert_eq!(*handle.await.unwrap(), i as u64 + 1);
            }
            let total = *sum.borrow();
            total
        });
        assert_eq!(total, 5050);
    });
}

#[test]
fn spawn_local_outside_a_local_set_panics_with_the_message() {
    let message = expect_panic(|| spawn_local(async {}));
    assert!(message.contains("outside a `LocalSet`"), "{message}");
    // Also inside a runtime, but outside a set.
    each_flavor(|_, rt| {
        let message = rt.block_on(async { expect_panic(|| spawn_local(async {})) });
        assert!(message.contains("outside a `LocalSet`"), "{message}");
    });
}

#[test]
fn tasks_spawned_before_driving_run_when_driven() {
    each_flavor(|_, rt| {
        let local = LocalSet::new();
        let log = Rc::new(RefCell::new(Vec::new()));
        let l = log.clone();
        let task = local.spawn_local(async move { l.borrow_mut().push("task") });
        assert!(log.borrow().is_empty(), "a task must not run before its set is driven");
        local.block_on(&rt, async { task.await.unwrap() });
        assert_eq!(*log.borrow(), ["task"]);
    });
}

#[test]
fn local_tasks_are_woken_from_another_thread() {
    each_flavor(|_, rt| {
        let local = LocalSet::new();
        let value = local.block_on(&rt, async {
            let (tx, rx) = oneshot::channel::<u32>();
            let marker = Rc::new(());
            let task = spawn_local(async move {
                let _marker = marker; // keeps the task `!Send`
                rx.await.unwrap() + 1
            });
            let sender = std::thread::spawn(move || tx.send(41).unwrap());
            let value = task.await.unwrap();
            sender.join().unwrap();
            value
        });
        assert_eq!(value, 42);
    });
}

#[test]
fn local_tasks_are_woken_by_tasks_on_the_runtime() {
    each_flavor(|_, rt| {
        let local = LocalSet::new();
        let rounds = local.block_on(&rt, async {
            let ping = Arc::new(Notify::new());
            let pong = Arc::new(Notify::new());
            let (p1, q1) = (ping.clone(), pong.clone());
            // A `Send` task on the runtime's workers.
            let remote = weft::spawn(async move {
                for _ in 0..100 {
                    p1.notified().await;
                    q1.notify_one();
                }
            });
            let count = Rc::new(Cell::new(0));
            let c = count.clone();
            let local_task = spawn_local(async move {
                for _ in 0..100 {
                    ping.notify_one();
                    pong.notified().await;
                    c.set(c.get() + 1);
                }
            });
            local_task.await.unwrap();
            remote.await.unwrap();
            count.get()
        });
        assert_eq!(rounds, 100);
    });
}

#[test]
fn awaiting_the_set_runs_every_task_to_completion() {
    each_flavor(|_, rt| {
        let local = LocalSet::new();
        let finished = Rc::new(Cell::new(0));
        for i in 0..10 {
            let finished = finished.clone();
            local.spawn_local(async move {
                for _ in 0..i {
                    weft::task::yield_now().await;
                }
                // Tasks may spawn more tasks.
                let f = finished.clone();
                spawn_local(async move { f.set(f.get() + 1) });
                finished.set(finished.get() + 1);
            });
        }
        rt.block_on(local);
        assert_eq!(finished.get(), 20);
    });
}

#[test]
fn dropping_the_set_drops_its_tasks_on_its_thread() {
    each_flavor(|_, rt| {
        let drops = Rc::new(Cell::new(0));
        let local = LocalSet::new();
        let mut handles = Vec::new();
        for _ in 0..10 {
            let guard = RcDrop(drops.clone());
            handles.push(local.spawn_local(async move {
                let _guard = guard;
                std::future::pending::<()>().await;
            }));
        }
        // Run them once so they are parked, not just queued.
        local.block_on(&rt, weft::task::yield_now());
        assert_eq!(drops.get(), 0);
        drop(local);
        assert_eq!(drops.get(), 10, "every future is dropped when the set is");
        for handle in handles {
            assert!(rt.block_on(handle).unwrap_err().is_cancelled());
        }
    });
}

#[test]
fn run_until_returns_with_tasks_left_which_run_later() {
    each_flavor(|_, rt| {
        let local = LocalSet::new();
        let (tx, rx) = oneshot::channel::<()>();
        let done = Rc::new(Cell::new(false));
        let d = done.clone();
        local.block_on(&rt, async move {
            spawn_local(async move {
                rx.await.unwrap();
                d.set(true);
            });
        });
        assert!(!done.get());
        tx.send(()).unwrap();
        rt.block_on(local);
        assert!(done.get());
    });
}

#[test]
fn a_yielding_local_task_does_not_starve_the_others() {
    each_flavor(|_, rt| {
        let local = LocalSet::new();
        let spins = local.block_on(&rt, async {
            let stop = Rc::new(Cell::new(false));
            let s = stop.clone();
            let spinner = spawn_local(async move {
                let mut spins = 0u64;
                while !s.get() {
                    spins += 1;
                    weft::task::yield_now().await;
                }
                spins
            });
            spawn_local(async move { stop.set(true) }).await.unwrap();
            spinner.await.unwrap()
        });
        assert!(spins >= 1);
    });
}

#[test]
fn a_local_task_is_aborted_from_another_thread() {
    each_flavor(|_, rt| {
        let local = LocalSet::new();
        let drops = Rc::new(Cell::new(0));
        let error = local.block_on(&rt, async {
            let guard = RcDrop(drops.clone());
            let task = spawn_local(async move {
                let _guard = guard;
                std::future::pending::<()>().await;
            });
            weft::task::yield_now().await;
            let abort = task.abort_handle();
            std::thread::spawn(move || abort.abort()).join().unwrap();
            task.await.unwrap_err()
        });
        assert!(error.is_cancelled());
        assert_eq!(drops.get(), 1);
    });
}

#[test]
fn join_set_spawns_local_tasks() {
    each_flavor(|_, rt| {
        let local = LocalSet::new();
        let mut outputs = local.block_on(&rt, async {
            let mut set = JoinSet::new();
            for i in 0..20u32 {
                let rc = Rc::new(i);
                set.spawn_local(async move { *rc });
            }
            let mut outputs = Vec::new();
            while let Some(result) = set.join_next().await {
                outputs.push(result.unwrap());
            }
            outputs
        });
        outputs.sort();
        assert_eq!(outputs, (0..20).collect::<Vec<_>>());

        let mut set = JoinSet::new();
        set.spawn_local_on(async { Rc::new(5) }, &local);
        let five = local.block_on(&rt, async move { *set.join_next().await.unwrap().unwrap() });
        assert_eq!(five, 5);
    });
}

#[test]
fn panics_in_local_tasks_become_join_errors() {
    each_flavor(|_, rt| {
        let local = LocalSet::new();
        local.block_on(&rt, async {
            let error = spawn_local(async { panic!("local boom") }).await.unwrap_err();
            assert!(error.is_panic());
            assert_eq!(panic_message(&*error.into_panic()), "local boom");
            assert_eq!(spawn_local(async { 1 }).await.unwrap(), 1);
        });
    });
}

#[test]
fn local_tasks_have_ids_and_can_spawn_send_tasks() {
    each_flavor(|_, rt| {
        let local = LocalSet::new();
        local.block_on(&rt, async {
            let task = spawn_local(async { weft::task::id() });
            let id = task.id();
            assert_eq!(task.await.unwrap(), id);
            let from_local = spawn_local(async { weft::spawn(async { 2 }).await.unwrap() }).await.unwrap();
            assert_eq!(from_local, 2);
        });
    });
}

#[test]
fn many_local_tasks_wake_each_other() {
    each_flavor(|_, rt| {
        let local = LocalSet::new();
        let flag = Arc::new(AtomicBool::new(false));
        let seen = local.block_on(&rt, async {
            let mut receivers = Vec::new();
            let mut senders = Vec::new();
            for _ in 0..1000 {
                let (tx, rx) = oneshot::channel::<u32>();
                senders.push(tx);
                receivers.push(spawn_local(async move { rx.await.unwrap() }));
            }
            let f = flag.clone();
            spawn_local(async move {
                for (i, tx) in senders.into_iter().enumerate() {
                    tx.send(i as u32).unwrap();
                }
                f.store(true, Ordering::SeqCst);
            });
            let mut seen = 0u32;
            for (i, rx) in receivers.into_iter().enumerate() {
                assert_eq!(rx.await.unwrap(), i as u32);
                seen += 1;
            }
            seen
        });
        assert_eq!(seen, 1000);
        assert!(flag.load(Ordering::SeqCst));
    });
}
