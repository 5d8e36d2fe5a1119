//! `pause`, `resume`, `advance`, auto-advance, and `Instant` under paused
//! time.

#[path = "support/time_util.rs"]
mod time_util;

use std::pin::pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;
use time_util::{guard, ms, panic_message, poll_once};
use weft::runtime::Builder;
use weft::time::{self, advance, pause, resume, sleep, Instant};

#[weft::test(start_paused = true)]
async fn instant_now_stands_still_while_paused() {
    let _wd = guard();
    let a = Instant::now();
    std::thread::sleep(ms(5));
    assert_eq!(Instant::now(), a);
    assert_eq!(a.elapsed(), Duration::ZERO);
}

#[weft::test(start_paused = true)]
async fn advance_moves_time_and_fires_due_timers() {
    let _wd = guard();
    let start = Instant::now();
    let mut short = pin!(sleep(ms(10)));
    let mut long = pin!(sleep(ms(100)));
    assert!(poll_once(short.as_mut()).await.is_pending());
    assert!(poll_once(long.as_mut()).await.is_pending());

    advance(ms(50)).await;
    assert_eq!(Instant::now(), start + ms(50));
    assert!(
        short.is_elapsed(),
        "advance returned before firing a timer it moved past"
    );
    assert!(!long.is_elapsed());

    advance(ms(50)).await;
    assert!(long.is_elapsed());
    assert_eq!(start.elapsed(), ms(100));
}

#[weft::test(start_paused = true)]
async fn advance_lets_woken_tasks_run() {
    let _wd = guard();
    let done = Arc::new(AtomicBool::new(false));
    let flag = done.clone();
    let task = weft::spawn(async move {
        sleep(ms(20)).await;
        flag.store(true, Ordering::SeqCst);
    });
    weft::task::yield_now().await; // let the task register its sleep
    advance(ms(20)).await;
    assert!(
        done.load(Ordering::SeqCst),
        "the woken task did not run before advance returned"
    );
    task.await.unwrap();
}

#[weft::test(start_paused = true)]
async fn advance_from_a_spawned_task() {
    let _wd = guard();
    let start = Instant::now();
    weft::spawn(async move {
        let mut waiting = pin!(sleep(ms(5)));
        assert!(poll_once(waiting.as_mut()).await.is_pending());
        advance(ms(5)).await;
        // The task was re-queued by the yield and may run again before the
        // runtime turns its driver; advance itself fired the timer.
        assert!(waiting.is_elapsed());
    })
    .await
    .unwrap();
    assert_eq!(start.elapsed(), ms(5));
}

#[weft::test]
async fn pause_advance_resume() {
    let _wd = guard();
    pause();
    let start = Instant::now();
    advance(Duration::from_secs(3600)).await;
    assert_eq!(start.elapsed(), Duration::from_secs(3600));
    resume();
    // Running again, from where it stood: never backwards.
    let resumed = Instant::now();
    assert!(resumed >= start + Duration::from_secs(3600));
    sleep(ms(2)).await;
    assert!(Instant::now() >= resumed + ms(2));
}

#[weft::test]
async fn auto_advance_after_pause_jumps_to_the_next_timer() {
    let _wd = guard();
    pause();
    let start = Instant::now();
    let real = std::time::Instant::now();
    sleep(Duration::from_secs(24 * 3600)).await;
    // On the timer's millisecond grid: at most one millisecond late.
    assert!(start.elapsed() >= Duration::from_secs(24 * 3600));
    assert!(start.elapsed() <= Duration::from_secs(24 * 3600) + ms(1));
    assert!(real.elapsed() < Duration::from_secs(10));
}

#[weft::test(start_paused = true)]
async fn auto_advance_waits_for_spawn_blocking() {
    let _wd = guard();
    let start = Instant::now();
    let blocking = weft::task::spawn_blocking(|| std::thread::sleep(ms(30)));
    // With the clock free to jump, the hour-long sleep would win at once;
    // while blocking work runs it must not.
    weft::select! {
        biased;
        _ = sleep(Duration::from_secs(3600)) => panic!("auto-advance ran while a blocking task was running"),
        done = blocking => done.unwrap(),
    }
    assert_eq!(Instant::now(), start);
    // Once it is done, auto-advance works again.
    sleep(Duration::from_secs(3600)).await;
    assert_eq!(start.elapsed(), Duration::from_secs(3600));
}

#[weft::test(start_paused = true)]
async fn interval_and_timeout_under_auto_advance() {
    let _wd = guard();
    let start = Instant::now();
    let mut every_second = time::interval(Duration::from_secs(1));
    for n in 0..5 {
        assert_eq!(every_second.tick().await, start + Duration::from_secs(n));
    }
    assert!(time::timeout(ms(500), every_second.tick()).await.is_err());
    assert_eq!(start.elapsed(), ms(4500));
}

fn current_thread_rt() -> weft::runtime::Runtime {
    Builder::new_current_thread().enable_all().build().unwrap()
}

fn multi_thread_rt() -> weft::runtime::Runtime {
    Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap()
}

/// Runs `f` inside `rt` and returns its panic message.
fn panic_in(rt: &weft::runtime::Runtime, f: impl FnOnce() + Send + 'static) -> String {
    let _wd = guard();
    let _enter = rt.enter();
    let payload =
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).expect_err("expected a panic");
    panic_message(payload)
}

#[test]
fn pause_twice_panics() {
    let msg = panic_in(&current_thread_rt(), || {
        pause();
        pause();
    });
    assert!(msg.contains("already paused"), "{msg}");
}

#[test]
fn resume_without_pause_panics() {
    let msg = panic_in(&current_thread_rt(), resume);
    assert!(msg.contains("not paused"), "{msg}");
}

#[test]
fn advance_without_pause_panics() {
    let _wd = guard();
    let rt = current_thread_rt();
    let payload = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        rt.block_on(advance(ms(1)));
    }))
    .expect_err("expected a panic");
    let msg = panic_message(payload);
    assert!(msg.contains("needs paused time"), "{msg}");
}

#[test]
fn pause_resume_and_advance_need_the_current_thread_runtime() {
    let rt = multi_thread_rt();
    for msg in [
        panic_in(&rt, pause),
        panic_in(&rt, resume),
        panic_in(&rt, || {
            weft::runtime::Handle::current().block_on(advance(ms(1)))
        }),
    ] {
        assert!(msg.contains("needs the current_thread runtime"), "{msg}");
    }
}

#[test]
fn pause_outside_a_runtime_panics() {
    let _wd = guard();
    for f in [pause as fn(), resume] {
        let msg = panic_message(std::panic::catch_unwind(f).expect_err("expected a panic"));
        assert!(msg.contains("outside a weft runtime"), "{msg}");
    }
}

#[test]
fn timers_without_enable_time_panic_with_the_fix() {
    let _wd = guard();
    let rt = Builder::new_current_thread().enable_io().build().unwrap();
    let fs: [fn(); 4] = [
        || drop(sleep(ms(1))),
        || drop(time::sleep_until(Instant::now())),
        || drop(time::timeout(ms(1), async {})),
        || drop(time::interval(ms(1))),
    ];
    for f in fs {
        let msg = panic_in(&rt, f);
        assert!(msg.contains("enable_time"), "{msg}");
    }
    // Instant::now needs no timer.
    let _enter = rt.enter();
    let _ = Instant::now();
}

#[test]
fn timers_outside_a_runtime_panic_with_the_fix() {
    let _wd = guard();
    let fs: [fn(); 3] = [
        || drop(sleep(ms(1))),
        || drop(time::timeout(ms(1), async {})),
        || drop(time::interval(ms(1))),
    ];
    for f in fs {
        let msg = panic_message(std::panic::catch_unwind(f).expect_err("expected a panic"));
        assert!(msg.contains("no weft runtime"), "{msg}");
    }
    // Instant::now works anywhere.
    let a = Instant::now();
    assert!(Instant::now() >= a);
}
