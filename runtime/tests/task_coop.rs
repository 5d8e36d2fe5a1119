//! `weft::task::coop`: the cooperative budget as user code sees it.

#[path = "support/sync_util.rs"]
mod sync_util;

use std::cell::Cell;
use std::future::{pending, poll_fn, ready};
use std::task::Poll;

use sync_util::Task;
use weft::sync::mpsc;
use weft::task::coop::{self, cooperative, has_budget_remaining, poll_proceed, unconstrained};
use weft_scheduler::coop::budget;

#[test]
fn outside_a_task_there_is_no_budget_to_spend() {
    assert!(has_budget_remaining());
    let mut task = Task::new(async {
        for _ in 0..10_000 {
            cooperative(ready(())).await;
        }
    });
    // No budget scope: nothing ever forces a yield.
    assert!(task.poll().is_ready());
    assert!(has_budget_remaining());
}

#[test]
fn cooperative_makes_an_always_ready_loop_yield() {
    let mut looping = Task::new(async {
        loop {
            cooperative(ready(())).await;
        }
    });
    let (poll, spent) = budget(|| (looping.poll(), !has_budget_remaining()));
    assert!(poll.is_pending());
    assert!(spent);
    assert!(looping.is_woken());
}

#[test]
fn a_pending_cooperative_future_gives_its_unit_back() {
    let remaining_after = budget(|| {
        let mut waiting = Task::new(cooperative(pending::<()>()));
        for _ in 0..1_000 {
            assert!(waiting.poll().is_pending());
        }
        has_budget_remaining()
    });
    assert!(remaining_after);
}

#[test]
fn unconstrained_drains_what_the_budget_would_cut_short() {
    let (tx, mut rx) = mpsc::unbounded_channel();
    for i in 0..1_000 {
        tx.send(i).unwrap();
    }
    drop(tx);
    let mut draining = Task::new(unconstrained(async move {
        let mut got = 0;
        while rx.recv().await.is_some() {
            got += 1;
        }
        got
    }));
    assert_eq!(budget(|| draining.poll()), Poll::Ready(1_000));
}

#[test]
fn poll_proceed_spends_a_unit_only_when_progress_is_made() {
    budget(|| {
        let spent = Cell::new(0);
        let mut task = Task::new(poll_fn(|cx| {
            let restore = std::task::ready!(poll_proceed(cx));
            restore.made_progress();
            spent.set(spent.get() + 1);
            Poll::<()>::Pending
        }));
        for _ in 0..10_000 {
            if !has_budget_remaining() {
                break;
            }
            assert!(task.poll().is_pending());
        }
        // The budget ran out after a positive, bounded number of units.
        let spent = spent.get();
        assert!(spent > 0 && spent <= 1_000, "spent {spent}");
        assert!(!has_budget_remaining());
        // Now it refuses and wakes the caller.
        assert!(task.poll().is_pending());
        assert!(task.is_woken());
    });
}

#[test]
fn consume_budget_is_reachable_from_both_paths() {
    let mut task = Task::new(async {
        coop::consume_budget().await;
        weft::task::consume_budget().await;
        "done"
    });
    assert_eq!(task.poll(), Poll::Ready("done"));
}
