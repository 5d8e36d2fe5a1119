//! `JoinSet`: completion order, aborting, dropping, shutting down, many
//! tasks, blocking tasks, on both runtime flavors.

mod support;

use std::collections::HashSet;
use std::future::Future;
use support::*;
use weft::sync::oneshot;
use weft::task::JoinSet;

fn assert_send<T: Send>() {}

#[test]
fn join_set_is_send_when_its_output_is() {
    assert_send::<JoinSet<u32>>();
    assert_send::<JoinSet<String>>();
}

rt_test! {
    async fn empty_set_joins_none() {
        let mut set = JoinSet::<u32>::new();
        assert!(set.is_empty());
        assert!(set.join_next().await.is_none());
        assert!(set.try_join_next().is_none());
        assert!(set.join_next_with_id().await.is_none());
    }

    async fn join_next_returns_tasks_in_completion_order() {
        let mut set = JoinSet::new();
        let mut senders = Vec::new();
        for i in 0..5usize {
            let (tx, rx) = oneshot::channel::<()>();
            senders.push(Some(tx));
            set.spawn(async move {
                rx.await.unwrap();
                i
            });
        }
        assert_eq!(set.len(), 5);
        for (done, i) in [3usize, 0, 4, 1, 2].into_iter().enumerate() {
            senders[i].take().unwrap().send(()).unwrap();
            assert_eq!(set.join_next().await.unwrap().unwrap(), i);
            assert_eq!(set.len(), 4 - done);
        }
        assert!(set.join_next().await.is_none());
    }

    async fn join_next_with_id_names_the_task() {
        let mut set = JoinSet::new();
        let (tx_a, rx_a) = oneshot::channel::<()>();
        let (tx_b, rx_b) = oneshot::channel::<()>();
        let a = set.spawn(async move {
            rx_a.await.unwrap();
            (weft::task::id(), "a")
        });
        let b = set.spawn(async move {
            rx_b.await.unwrap();
            (weft::task::id(), "b")
        });
        tx_b.send(()).unwrap();
        let (id, (inner_id, name)) = set.join_next_with_id().await.unwrap().unwrap();
        assert_eq!((id, inner_id, name), (b.id(), b.id(), "b"));
        tx_a.send(()).unwrap();
        let (id, (inner_id, name)) = set.join_next_with_id().await.unwrap().unwrap();
        assert_eq!((id, inner_id, name), (a.id(), a.id(), "a"));
    }

    async fn try_join_next_does_not_wait() {
        let mut set = JoinSet::new();
        let (tx, rx) = oneshot::channel::<()>();
        set.spawn(async move {
            rx.await.unwrap();
            1
        });
        assert!(set.try_join_next().is_none(), "the task cannot have finished");
        set.spawn(async { 2 });
        let first = loop {
            if let Some(result) = set.try_join_next() {
                break result.unwrap();
            }
            weft::task::yield_now().await;
        };
        assert_eq!(first, 2);
        assert_eq!(set.len(), 1);
        tx.send(()).unwrap();
        assert_eq!(set.join_next().await.unwrap().unwrap(), 1);
    }

    async fn abort_all_cancels_every_task() {
        let mut set = JoinSet::new();
        for _ in 0..20 {
            set.spawn(std::future::pending::<()>());
        }
        set.spawn(async {});
        // Let the ready task finish, so both outcomes are seen.
        let first = set.join_next().await.unwrap();
        assert!(first.is_ok());
        set.abort_all();
        assert_eq!(set.len(), 20);
        let mut cancelled = 0;
        while let Some(result) = set.join_next().await {
            assert!(result.unwrap_err().is_cancelled());
            cancelled += 1;
        }
        assert_eq!(cancelled, 20);
        assert!(set.is_empty());
    }

    async fn abort_handle_from_spawn_aborts_one_task() {
        let mut set = JoinSet::new();
        let (tx, rx) = oneshot::channel::<()>();
        let pending = set.spawn(std::future::pending::<u32>());
        set.spawn(async move {
            rx.await.unwrap();
            7
        });
        pending.abort();
        let (id, error) = match set.join_next_with_id().await.unwrap() {
            Err(e) => (e.id(), e),
            Ok(_) => panic!("the aborted task came first"),
        };
        assert_eq!(id, pending.id());
        assert!(error.is_cancelled());
        tx.send(()).unwrap();
        assert_eq!(set.join_next().await.unwrap().unwrap(), 7);
    }

    async fn dropping_the_set_aborts_its_tasks() {
        let drops = Drops::new();
        let mut set = JoinSet::new();
        for _ in 0..50 {
            let counter = drops.counter();
            set.spawn(async move {
                let _counter = counter;
                std::future::pending::<()>().await;
            });
        }
        weft::task::yield_now().await;
        assert_eq!(drops.count(), 0);
        drop(set);
        yield_until(|| drops.count() == 50).await;
    }

    async fn shutdown_aborts_and_waits() {
        let drops = Drops::new();
        let mut set = JoinSet::new();
        for _ in 0..50 {
            let counter = drops.counter();
            set.spawn(async move {
                let _counter = counter;
                std::future::pending::<()>().await;
            });
        }
        set.shutdown().await;
        assert!(set.is_empty());
        // Every future was dropped before `shutdown` returned.
        assert_eq!(drops.count(), 50);
        // The set is still usable.
        set.spawn(async {});
        assert!(set.join_next().await.unwrap().is_ok());
    }

    async fn ten_thousand_tasks_are_joined() {
        let mut set = JoinSet::new();
        for i in 0..10_000u64 {
            set.spawn(async move {
                if i % 3 == 0 {
                    weft::task::yield_now().await;
                }
                i
            });
        }
        assert_eq!(set.len(), 10_000);
        let mut seen = HashSet::new();
        while let Some(result) = set.join_next().await {
            assert!(seen.insert(result.unwrap()));
        }
        assert_eq!(seen.len(), 10_000);
        assert_eq!(seen.iter().sum::<u64>(), 10_000 * 9_999 / 2);
    }

    async fn slots_are_reused_without_mixing_up_tasks() {
        let mut set = JoinSet::new();
        for round in 0..50u32 {
            for i in 0..10u32 {
                set.spawn(async move { round * 100 + i });
            }
            let mut outputs: Vec<u32> = Vec::new();
            for _ in 0..10 {
                outputs.push(set.join_next().await.unwrap().unwrap());
            }
            outputs.sort();
            assert_eq!(outputs, (0..10).map(|i| round * 100 + i).collect::<Vec<_>>());
        }
    }

    async fn spawn_blocking_tasks_join() {
        let mut set = JoinSet::new();
        for i in 0..8u64 {
            set.spawn_blocking(move || {
                std::thread::sleep(std::time::Duration::from_millis(1));
                i * 2
            });
        }
        set.spawn(async { 100 });
        let mut outputs = Vec::new();
        while let Some(result) = set.join_next().await {
            outputs.push(result.unwrap());
        }
        outputs.sort();
        assert_eq!(outputs, [0, 2, 4, 6, 8, 10, 12, 14, 100]);
    }

    async fn a_panicking_task_gives_its_payload_and_the_set_goes_on() {
        let mut set = JoinSet::new();
        set.spawn(async { panic!("boom in a set") });
        let error = set.join_next().await.unwrap().unwrap_err();
        assert!(error.is_panic());
        assert_eq!(panic_message(&*error.into_panic()), "boom in a set");
        set.spawn(async { 5 });
        assert_eq!(set.join_next().await.unwrap().unwrap(), 5);
    }

    async fn join_all_resumes_a_task_panic() {
        let drops = Drops::new();
        let mut set = JoinSet::new();
        let counter = drops.counter();
        set.spawn(async move {
            let _counter = counter;
            std::future::pending::<()>().await;
        });
        set.spawn(async { panic!("joined panic") });
        let error = weft::spawn(set.join_all()).await.unwrap_err();
        assert!(error.is_panic());
        assert_eq!(panic_message(&*error.into_panic()), "joined panic");
        // The remaining task was aborted with the set.
        yield_until(|| drops.count() == 1).await;
    }

    async fn detach_all_lets_tasks_run_on() {
        let mut set = JoinSet::new();
        let (go_tx, go_rx) = oneshot::channel::<()>();
        let (done_tx, done_rx) = oneshot::channel::<u32>();
        set.spawn(async move {
            go_rx.await.unwrap();
            done_tx.send(9).unwrap();
        });
        set.detach_all();
        assert!(set.is_empty());
        assert!(set.join_next().await.is_none());
        drop(set);
        go_tx.send(()).unwrap();
        assert_eq!(done_rx.await.unwrap(), 9);
    }

    async fn collect_and_extend_spawn_futures() {
        let mut set: JoinSet<usize> = (0..5).map(|i| async move { i }).collect();
        set.extend((5..10).map(|i| async move { i }));
        assert_eq!(set.len(), 10);
        let mut outputs = set.join_all().await;
        outputs.sort();
        assert_eq!(outputs, (0..10).collect::<Vec<_>>());
    }

    async fn join_next_is_cancel_safe() {
        let mut set = JoinSet::new();
        let (tx, rx) = oneshot::channel::<()>();
        set.spawn(async move {
            rx.await.unwrap();
            3
        });
        // Poll `join_next` once, then drop it.
        {
            let mut join = std::pin::pin!(set.join_next());
            let polled = std::future::poll_fn(|cx| std::task::Poll::Ready(join.as_mut().poll(cx))).await;
            assert!(polled.is_pending());
        }
        tx.send(()).unwrap();
        assert_eq!(set.join_next().await.unwrap().unwrap(), 3);
    }

    async fn a_waiting_join_next_is_woken_from_another_thread() {
        let mut set = JoinSet::new();
        let (tx, rx) = oneshot::channel::<()>();
        set.spawn(async move {
            rx.await.unwrap();
            11
        });
        let sender = std::thread::spawn(move || tx.send(()).unwrap());
        assert_eq!(set.join_next().await.unwrap().unwrap(), 11);
        sender.join().unwrap();
    }
}

#[test]
fn spawn_on_a_handle_from_outside_the_runtime() {
    each_flavor(|_, rt| {
        let mut set = JoinSet::new();
        for i in 0..10u32 {
            set.spawn_on(async move { i }, rt.handle());
        }
        set.spawn_blocking_on(|| 10, rt.handle());
        let outputs = rt.block_on(set.join_all());
        assert_eq!(outputs.iter().sum::<u32>(), 55);
    });
}

#[test]
fn spawn_outside_a_runtime_panics() {
    let message = expect_panic(|| {
        let mut set = JoinSet::new();
        set.spawn(async {});
    });
    assert!(message.contains("outside a weft runtime"), "{message}");
}

/// On one thread the order in which the tasks finish is fixed, so the
/// order of `join_all`'s outputs can be checked exactly.
#[test]
fn join_all_returns_outputs_in_completion_order() {
    run(Flavor::CurrentThread, || async {
        let mut set = JoinSet::new();
        let (tx, rx) = oneshot::channel::<()>();
        let (done_tx, done_rx) = oneshot::channel::<()>();
        set.spawn(async move {
            rx.await.unwrap();
            "second"
        });
        set.spawn(async move {
            done_tx.send(()).unwrap();
            "first"
        });
        let joiner = weft::spawn(set.join_all());
        done_rx.await.unwrap();
        tx.send(()).unwrap();
        assert_eq!(joiner.await.unwrap(), ["first", "second"]);
    });
}
