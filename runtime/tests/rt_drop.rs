//! Dropping a runtime drops every future and every unjoined output
//! exactly once, on both flavors.

mod support;

use support::*;
use weft::sync::oneshot;

#[test]
fn runtime_drop_drops_every_future_and_output_exactly_once() {
    each_flavor(|_, rt| {
        let pending = Drops::new();
        let unstarted = Drops::new();
        let outputs = Drops::new();
        let detached = Drops::new();

        // Completed tasks whose outputs were never joined: the join
        // handles hold them.
        let mut kept = Vec::new();
        rt.block_on(async {
            for _ in 0..20 {
                let counter = pending.counter();
                let (started_tx, started_rx) = oneshot::channel::<()>();
                weft::spawn(async move {
                    let _counter = counter;
                    started_tx.send(()).unwrap();
                    std::future::pending::<()>().await;
                });
                started_rx.await.unwrap();
            }
            for _ in 0..20 {
                let output = outputs.counter();
                kept.push(weft::spawn(async move { output }));
                let output = detached.counter();
                drop(weft::spawn(async move { output }));
            }
            yield_until(|| kept.iter().all(|h| h.is_finished())).await;
        });
        // Spawned but never polled on a current-thread runtime (nobody is
        // in `block_on`); on a multi-thread one they may run or not.
        for _ in 0..20 {
            let counter = unstarted.counter();
            drop(rt.spawn(async move {
                let _counter = counter;
                std::future::pending::<()>().await;
            }));
        }

        assert_eq!(pending.count(), 0);
        assert_eq!(outputs.count(), 0, "outputs held by join handles are alive");
        drop(rt);
        assert_eq!(pending.count(), 20, "each pending future is dropped once");
        assert_eq!(unstarted.count(), 20, "each queued future is dropped once");
        assert_eq!(outputs.count(), 0, "the join handles still own their outputs");
        for handle in kept.drain(..) {
            // The task completed before the runtime went away; its output
            // is still there to take.
            let output = weft::runtime::Builder::new_current_thread().build().unwrap().block_on(handle);
            drop(output.unwrap());
        }
        assert_eq!(outputs.count(), 20);
        assert_eq!(detached.count(), 20, "detached outputs are dropped when the task ends");
    });
}

#[test]
fn unjoined_outputs_are_dropped_with_their_handles() {
    each_flavor(|_, rt| {
        let outputs = Drops::new();
        let handles: Vec<_> = (0..10)
            .map(|_| {
                let counter = outputs.counter();
                rt.spawn(async move { counter })
            })
            .collect();
        rt.block_on(yield_until(|| handles.iter().all(|h| h.is_finished())));
        drop(rt);
        assert_eq!(outputs.count(), 0);
        drop(handles);
        assert_eq!(outputs.count(), 10);
    });
}

#[test]
fn awaiting_a_task_of_a_dropped_runtime_gives_cancelled() {
    each_flavor(|_, rt| {
        let handle = rt.spawn(std::future::pending::<()>());
        drop(rt);
        let other = weft::runtime::Builder::new_current_thread().build().unwrap();
        assert!(other.block_on(handle).unwrap_err().is_cancelled());
    });
}

#[test]
fn spawning_after_shutdown_gives_a_cancelled_task() {
    each_flavor(|_, rt| {
        let handle = rt.handle().clone();
        drop(rt);
        let drops = Drops::new();
        let counter = drops.counter();
        let task = handle.spawn(async move {
            let _counter = counter;
        });
        assert_eq!(drops.count(), 1, "the future is dropped at once");
        let other = weft::runtime::Builder::new_current_thread().build().unwrap();
        assert!(other.block_on(task).unwrap_err().is_cancelled());
    });
}
