//! `weft::join!`: outputs in written order whatever the completion order,
//! rotation of the first branch polled, `biased;`, early drop of finished
//! branches, cancellation, and the branch limit.

mod macros_support;

use std::cell::Cell;
use std::future::{ready, IntoFuture, Ready};
use std::pin::pin;
use std::task::Poll;

use macros_support::{
    block_on, oneshot, poll_once, ready_on_poll, send_in_order, yield_now, DropCount, Log,
};

#[test]
fn outputs_come_in_written_order_whatever_order_they_finish_in() {
    for order in [[0, 1, 2], [2, 1, 0], [1, 2, 0], [2, 0, 1]] {
        let (tx_a, rx_a) = oneshot();
        let (tx_b, rx_b) = oneshot();
        let (tx_c, rx_c) = oneshot();
        send_in_order(vec![tx_a, tx_b, tx_c], vec!["a", "b", "c"], &order);
        let got = block_on(async { weft::join!(rx_a, rx_b, rx_c) });
        assert_eq!(got, ("a", "b", "c"), "finish order {order:?}");
    }
}

#[test]
fn outputs_may_have_different_types() {
    let got = block_on(async { weft::join!(ready(1u8), async { "two" }, ready(vec![3])) });
    assert_eq!(got, (1u8, "two", vec![3]));
}

#[test]
fn zero_one_and_trailing_comma() {
    block_on(async {
        let () = weft::join!();
        let () = weft::join!(biased;);
        assert_eq!(weft::join!(ready(5)), (5,));
        assert_eq!(weft::join!(ready(5), ready(6),), (5, 6));
    });
}

#[test]
fn every_wake_starts_one_branch_further_along() {
    let log = Log::default();
    let got = block_on(async {
        weft::join!(
            ready_on_poll(0, 3, &log),
            ready_on_poll(1, 3, &log),
            ready_on_poll(2, 3, &log)
        )
    });
    assert_eq!(got, (0, 1, 2));
    assert_eq!(log.take(), [0, 1, 2, 1, 2, 0, 2, 0, 1]);
}

#[test]
fn biased_polls_in_written_order_every_time() {
    let log = Log::default();
    block_on(async {
        weft::join!(biased; ready_on_poll(0, 3, &log), ready_on_poll(1, 3, &log), ready_on_poll(2, 3, &log))
    });
    assert_eq!(log.take(), [0, 1, 2, 0, 1, 2, 0, 1, 2]);
}

#[test]
fn finished_branches_are_not_polled_again() {
    let log = Log::default();
    block_on(async { weft::join!(ready_on_poll(0, 1, &log), ready_on_poll(1, 3, &log)) });
    // Branch 0 is polled once; branch 1 three times.
    let polls = log.take();
    assert_eq!(polls.iter().filter(|&&id| id == 0).count(), 1, "{polls:?}");
    assert_eq!(polls.iter().filter(|&&id| id == 1).count(), 3, "{polls:?}");
}

#[test]
fn a_finished_branch_is_dropped_before_the_others_finish() {
    let drops = DropCount::default();
    let seen_while_running = Cell::new(None);
    block_on(async {
        weft::join!(drops.track(ready(())), async {
            yield_now().await;
            seen_while_running.set(Some(drops.get()));
        })
    });
    assert_eq!(seen_while_running.get(), Some(1));
}

#[test]
fn dropping_the_join_drops_unfinished_branches() {
    let drops = DropCount::default();
    {
        let joined = async {
            weft::join!(
                drops.track(std::future::pending::<()>()),
                drops.track(std::future::pending::<()>()),
            )
        };
        let mut joined = pin!(joined);
        assert!(poll_once(joined.as_mut()).is_pending());
        assert_eq!(drops.get(), 0);
    }
    assert_eq!(drops.get(), 2);
}

#[test]
fn branches_can_borrow_local_state() {
    let mut hits = 0;
    let mut misses = 0;
    block_on(async {
        weft::join!(async { hits += 1 }, async { misses += 2 });
    });
    assert_eq!((hits, misses), (1, 2));
}

struct Seven;

impl IntoFuture for Seven {
    type Output = u32;
    type IntoFuture = Ready<u32>;

    fn into_future(self) -> Ready<u32> {
        ready(7)
    }
}

#[test]
fn accepts_into_future() {
    assert_eq!(block_on(async { weft::join!(Seven, ready(1)) }), (7, 1));
}

#[test]
fn names_used_by_the_expansion_do_not_leak() {
    let fut = ready(1);
    let out = ready(2);
    let count = ready(3);
    let cx = 4;
    let got = block_on(async { weft::join!(fut, out, count, ready(cx)) });
    assert_eq!(got, (1, 2, 3, 4));
}

#[test]
fn pending_result_is_reported_as_pending() {
    let (tx, rx) = oneshot::<u8>();
    let joined = async { weft::join!(ready(1), rx) };
    let mut joined = pin!(joined);
    assert!(poll_once(joined.as_mut()).is_pending());
    tx.send(2);
    assert_eq!(poll_once(joined.as_mut()), Poll::Ready((1, 2)));
}

#[test]
fn sixty_four_branches() {
    let (
        v0,
        v1,
        v2,
        v3,
        v4,
        v5,
        v6,
        v7,
        v8,
        v9,
        v10,
        v11,
        v12,
        v13,
        v14,
        v15,
        v16,
        v17,
        v18,
        v19,
        v20,
        v21,
        v22,
        v23,
        v24,
        v25,
        v26,
        v27,
        v28,
        v29,
        v30,
        v31,
        v32,
        v33,
        v34,
        v35,
        v36,
        v37,
        v38,
        v39,
        v40,
        v41,
        v42,
        v43,
        v44,
        v45,
        v46,
        v47,
        v48,
        v49,
        v50,
        v51,
        v52,
        v53,
        v54,
        v55,
        v56,
        v57,
        v58,
        v59,
        v60,
        v61,
        v62,
        v63,
    ) = block_on(async {
        weft::join!(
            ready(0),
            ready(1),
            ready(2),
            ready(3),
            ready(4),
            ready(5),
            ready(6),
            ready(7),
            ready(8),
            ready(9),
            ready(10),
            ready(11),
            ready(12),
            ready(13),
            ready(14),
            ready(15),
            ready(16),
            ready(17),
            ready(18),
            ready(19),
            ready(20),
            ready(21),
            ready(22),
            ready(23),
            ready(24),
            ready(25),
            ready(26),
            ready(27),
            ready(28),
            ready(29),
            ready(30),
            ready(31),
            ready(32),
            ready(33),
            ready(34),
            ready(35),
            ready(36),
            ready(37),
            ready(38),
            ready(39),
            ready(40),
            ready(41),
            ready(42),
            ready(43),
            ready(44),
            ready(45),
            ready(46),
            ready(47),
            ready(48),
            ready(49),
            ready(50),
            ready(51),
            ready(52),
            ready(53),
            ready(54),
            ready(55),
            ready(56),
            ready(57),
            ready(58),
            ready(59),
            ready(60),
            ready(61),
            ready(62),
            ready(63)
        )
    });
    assert_eq!(
        v0 + v1
            + v2
            + v3
            + v4
            + v5
            + v6
            + v7
            + v8
            + v9
            + v10
            + v11
            + v12
            + v13
            + v14
            + v15
            + v16
            + v17
            + v18
            + v19
            + v20
            + v21
            + v22
            + v23
            + v24
            + v25
            + v26
            + v27
            + v28
            + v29
            + v30
            + v31
            + v32
            + v33
            + v34
            + v35
            + v36
            + v37
            + v38
            + v39
            + v40
            + v41
            + v42
            + v43
            + v44
            + v45
            + v46
            + v47
            + v48
            + v49
            + v50
            + v51
            + v52
            + v53
            + v54
            + v55
            + v56
            + v57
            + v58
            + v59
            + v60
            + v61
            + v62
            + v63,
        (0..64).sum::<i32>()
    );
}

fn assert_send<T: Send>(value: T) -> T {
    value
}

#[test]
fn joining_send_futures_gives_a_send_future() {
    // A runtime's `spawn` needs `Send` futures; the expansion's own state
    // (counters, pinned branches, outputs) must not spoil that.
    let joined = assert_send(async {
        let (a, b) = weft::join!(async { 1 }, ready(2));
        let c = weft::try_join!(ready(Ok::<u8, ()>(3)));
        (a, b, c)
    });
    assert_eq!(block_on(joined), (1, 2, Ok((3,))));
}
