//! The sync primitives on the real runtime, both flavors (4 workers for
//! the multi-thread one): many tasks hammering one primitive with a final
//! count check, coop yielding, blocking calls, timeouts.

mod support;

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use support::*;
use weft::sync::{broadcast, mpsc, oneshot, watch, Barrier, Mutex, Notify, RwLock, Semaphore};

const TASKS: usize = 64;

rt_test! {
    async fn many_tasks_increment_one_mutex() {
        const ROUNDS: usize = 200;
        let counter = Arc::new(Mutex::new(0usize));
        let handles: Vec<_> = (0..TASKS)
            .map(|i| {
                let counter = counter.clone();
                weft::spawn(async move {
                    for round in 0..ROUNDS {
                        let mut guard = counter.lock().await;
                        let seen = *guard;
                        if (i + round) % 7 == 0 {
                            // Hold the lock across a yield now and then.
                            weft::task::yield_now().await;
                        }
                        *guard = seen + 1;
                    }
                })
            })
            .collect();
        for handle in handles {
            handle.await.unwrap();
        }
        assert_eq!(*counter.lock().await, TASKS * ROUNDS);
    }

    async fn a_semaphore_bounds_concurrency_across_workers() {
        const PERMITS: usize = 5;
        let semaphore = Arc::new(Semaphore::new(PERMITS));
        let inside = Arc::new(AtomicUsize::new(0));
        let peak = Arc::new(AtomicUsize::new(0));
        let handles: Vec<_> = (0..TASKS)
            .map(|i| {
                let (semaphore, inside, peak) = (semaphore.clone(), inside.clone(), peak.clone());
                weft::spawn(async move {
                    for _ in 0..50 {
                        let n = 1 + (i % 3) as u32;
                        let permit = semaphore.acquire_many(n).await.unwrap();
                        let now = inside.fetch_add(n as usize, Ordering::SeqCst) + n as usize;
                        peak.fetch_max(now, Ordering::SeqCst);
                        weft::task::yield_now().await;
                        inside.fetch_sub(n as usize, Ordering::SeqCst);
                        drop(permit);
                    }
                })
            })
            .collect();
        for handle in handles {
            handle.await.unwrap();
        }
        assert!(peak.load(Ordering::SeqCst) <= PERMITS);
        assert_eq!(semaphore.available_permits(), PERMITS);
    }

    async fn bounded_mpsc_delivers_everything_in_per_sender_order() {
        const EACH: usize = 500;
        let (tx, mut rx) = mpsc::channel(8);
        for producer in 0..TASKS {
            let tx = tx.clone();
            weft::spawn(async move {
                for seq in 0..EACH {
                    tx.send((producer, seq)).await.unwrap();
                }
            });
        }
        drop(tx);
        let mut next = vec![0; TASKS];
        let mut total = 0;
        while let Some((producer, seq)) = rx.recv().await {
            assert_eq!(seq, next[producer]);
            next[producer] += 1;
            total += 1;
        }
        assert_eq!(total, TASKS * EACH);
    }

    async fn unbounded_mpsc_with_recv_many() {
        const EACH: usize = 500;
        let (tx, mut rx) = mpsc::unbounded_channel();
        for producer in 0..TASKS {
            let tx = tx.clone();
            weft::spawn(async move {
                for seq in 0..EACH {
                    tx.send((producer, seq)).unwrap();
                    if seq % 64 == 0 {
                        weft::task::yield_now().await;
                    }
                }
            });
        }
        drop(tx);
        let mut next = vec![0; TASKS];
        let mut buffer = Vec::new();
        let mut total = 0;
        loop {
            buffer.clear();
            if rx.recv_many(&mut buffer, 100).await == 0 {
                break;
            }
            for &(producer, seq) in &buffer {
                assert_eq!(seq, next[producer]);
                next[producer] += 1;
                total += 1;
            }
        }
        assert_eq!(total, TASKS * EACH);
    }

    async fn oneshot_ping_pong_between_tasks() {
        const ROUNDS: usize = 2_000;
        let (to_echo, mut inbox) = mpsc::channel::<(usize, oneshot::Sender<usize>)>(1);
        let echo = weft::spawn(async move {
            let mut served = 0;
            while let Some((value, reply)) = inbox.recv().await {
                reply.send(value + 1).unwrap();
                served += 1;
            }
            served
        });
        for i in 0..ROUNDS {
            let (reply, answer) = oneshot::channel();
            to_echo.send((i, reply)).await.unwrap();
            assert_eq!(answer.await.unwrap(), i + 1);
        }
        drop(to_echo);
        assert_eq!(echo.await.unwrap(), ROUNDS);
    }

    async fn notify_hand_off_loses_no_wakeup() {
        const ROUNDS: usize = 2_000;
        let ping = Arc::new(Notify::new());
        let pong = Arc::new(Notify::new());
        let (ping2, pong2) = (ping.clone(), pong.clone());
        let other = weft::spawn(async move {
            for _ in 0..ROUNDS {
                ping2.notified().await;
                pong2.notify_one();
            }
        });
        for _ in 0..ROUNDS {
            ping.notify_one();
            pong.notified().await;
        }
        other.await.unwrap();
    }

    async fn rwlock_readers_never_see_half_writes() {
        let lock = Arc::new(RwLock::new((0usize, 0usize)));
        let mut handles = Vec::new();
        for i in 0..TASKS {
            let lock = lock.clone();
            handles.push(weft::spawn(async move {
                for _ in 0..50 {
                    if i % 4 == 0 {
                        let mut pair = lock.write().await;
                        pair.0 += 1;
                        weft::task::yield_now().await;
                        pair.1 += 1;
                    } else {
                        let pair = lock.read().await;
                        assert_eq!(pair.0, pair.1);
                    }
                }
            }));
        }
        for handle in handles {
            handle.await.unwrap();
        }
        let writers = TASKS.div_ceil(4);
        assert_eq!(*lock.read().await, (writers * 50, writers * 50));
    }

    async fn broadcast_reaches_every_receiver_task() {
        const VALUES: usize = 1_000;
        let (tx, _) = broadcast::channel(VALUES);
        let receivers: Vec<_> = (0..8)
            .map(|_| {
                let mut rx = tx.subscribe();
                weft::spawn(async move {
                    let mut expected = 0;
                    while let Ok(value) = rx.recv().await {
                        assert_eq!(value, expected);
                        expected += 1;
                    }
                    expected
                })
            })
            .collect();
        for value in 0..VALUES {
            tx.send(value).unwrap();
            if value % 100 == 0 {
                weft::task::yield_now().await;
            }
        }
        drop(tx);
        for receiver in receivers {
            assert_eq!(receiver.await.unwrap(), VALUES);
        }
    }

    async fn watch_receivers_reach_the_final_value() {
        let (tx, rx) = watch::channel(0usize);
        let receivers: Vec<_> = (0..8)
            .map(|_| {
                let mut rx = rx.clone();
                weft::spawn(async move { *rx.wait_for(|v| *v == 1_000).await.unwrap() })
            })
            .collect();
        for value in 1..=1_000 {
            tx.send(value).unwrap();
            if value % 50 == 0 {
                weft::task::yield_now().await;
            }
        }
        for receiver in receivers {
            assert_eq!(receiver.await.unwrap(), 1_000);
        }
    }

    async fn barrier_rounds_have_one_leader_each() {
        const PARTIES: usize = 8;
        const ROUNDS: usize = 50;
        let barrier = Arc::new(Barrier::new(PARTIES));
        let leaders = Arc::new(AtomicUsize::new(0));
        let handles: Vec<_> = (0..PARTIES)
            .map(|_| {
                let (barrier, leaders) = (barrier.clone(), leaders.clone());
                weft::spawn(async move {
                    for _ in 0..ROUNDS {
                        if barrier.wait().await.is_leader() {
                            leaders.fetch_add(1, Ordering::SeqCst);
                        }
                    }
                })
            })
            .collect();
        for handle in handles {
            handle.await.unwrap();
        }
        assert_eq!(leaders.load(Ordering::SeqCst), ROUNDS);
    }

    async fn an_always_ready_channel_still_yields_to_other_tasks() {
        // Without the coop budget, the loop below never returns `Pending`
        // and, on the current-thread flavor, the flag is never set.
        let flag = Arc::new(AtomicBool::new(false));
        let setter = {
            let flag = flag.clone();
            weft::spawn(async move { flag.store(true, Ordering::SeqCst) })
        };
        let (tx, mut rx) = mpsc::unbounded_channel();
        let mut spins = 0u64;
        while !flag.load(Ordering::SeqCst) {
            tx.send(()).unwrap();
            rx.recv().await.unwrap();
            spins += 1;
        }
        setter.await.unwrap();
        if weft::runtime::Handle::current().runtime_flavor() == weft::runtime::RuntimeFlavor::CurrentThread {
            // This thread is the only one running tasks, so the setter can
            // only have run once the loop gave way; on the multi-thread
            // flavor a worker may run it before the loop starts.
            assert!(spins > 0);
        }
    }

    async fn blocking_calls_work_from_spawn_blocking() {
        let mutex = Arc::new(Mutex::new(0));
        let (tx, mut rx) = mpsc::channel(1);
        let remote = mutex.clone();
        let worker = weft::task::spawn_blocking(move || {
            *remote.blocking_lock() += 1;
            tx.blocking_send(7).unwrap();
        });
        assert_eq!(rx.recv().await, Some(7));
        worker.await.unwrap();
        assert_eq!(*mutex.lock().await, 1);
    }
}

#[test]
fn blocking_calls_panic_on_a_thread_driving_tasks() {
    each_flavor(|_, rt| {
        let mutex = Mutex::new(());
        let message = expect_panic(|| rt.block_on(async { drop(mutex.blocking_lock()) }));
        assert!(
            message.contains("cannot block"),
            "unexpected panic: {message}"
        );
        let (_tx, rx) = oneshot::channel::<u8>();
        let message = expect_panic(|| rt.block_on(async { rx.blocking_recv() }));
        assert!(
            message.contains("cannot block"),
            "unexpected panic: {message}"
        );
    });
}

#[test]
fn send_timeout_times_out_succeeds_or_reports_close() {
    with_watchdog(|| {
        let rt = Flavor::CurrentThread
            .builder()
            .start_paused(true)
            .build()
            .unwrap();
        rt.block_on(async {
            let (tx, mut rx) = mpsc::channel(1);
            tx.send(0).await.unwrap();
            // Full and nobody receives: the paused clock jumps to the deadline.
            let err = tx
                .send_timeout(1, Duration::from_secs(5))
                .await
                .unwrap_err();
            assert!(err.is_timeout());
            assert_eq!(err.into_inner(), 1);

            // A receiver frees the slot before the deadline.
            let receiver = weft::spawn(async move {
                weft::time::sleep(Duration::from_millis(10)).await;
                let first = rx.recv().await;
                let second = rx.recv().await;
                (first, second)
            });
            tx.send_timeout(2, Duration::from_secs(5)).await.unwrap();
            drop(tx);
            assert_eq!(receiver.await.unwrap(), (Some(0), Some(2)));

            let (tx, rx) = mpsc::channel::<u8>(1);
            drop(rx);
            assert!(tx
                .send_timeout(3, Duration::from_secs(1))
                .await
                .unwrap_err()
                .is_closed());
        });
    });
}
