//! `weft::try_join!`: `Ok` of all outputs in written order, or the first
//! `Err` with every unfinished branch dropped before the macro returns.

mod macros_support;

use std::cell::Cell;
use std::future::{pending, ready};
use std::pin::pin;

use macros_support::{
    block_on, oneshot, poll_once, ready_on_poll, send_in_order, yield_now, DropCount, Log,
};

#[test]
fn all_ok_gives_the_outputs_in_written_order() {
    for order in [[0, 1, 2], [2, 0, 1]] {
        let (tx_a, rx_a) = oneshot::<Result<u8, String>>();
        let (tx_b, rx_b) = oneshot();
        let (tx_c, rx_c) = oneshot();
        send_in_order(vec![tx_a, tx_b, tx_c], vec![Ok(1), Ok(2), Ok(3)], &order);
        let got = block_on(async { weft::try_join!(rx_a, rx_b, rx_c) });
        assert_eq!(got, Ok((1, 2, 3)), "finish order {order:?}");
    }
}

#[test]
fn an_error_returns_at_once_and_drops_the_rest() {
    let drops = DropCount::default();
    let dropped_when_returned = block_on(async {
        let got = weft::try_join!(
            drops.track(pending::<Result<u8, &str>>()),
            drops.track(async {
                yield_now().await;
                Err::<u8, &str>("late failure")
            }),
            drops.track(async { Ok::<u8, &str>(5) }),
        );
        assert_eq!(got, Err("late failure"));
        drops.get()
    });
    assert_eq!(dropped_when_returned, 3);
}

#[test]
fn an_error_from_another_thread_cancels_a_pending_branch() {
    let drops = DropCount::default();
    let (tx_ok, rx_ok) = oneshot::<Result<u8, &str>>();
    let (tx_err, rx_err) = oneshot::<Result<u8, &str>>();
    send_in_order(vec![tx_ok, tx_err], vec![Ok(1), Err("boom")], &[0, 1]);
    let (got, dropped_at_return) = block_on(async {
        let got = weft::try_join!(rx_ok, rx_err, drops.track(pending::<Result<u8, &str>>()));
        (got, drops.get())
    });
    assert_eq!(got, Err("boom"));
    assert_eq!(dropped_at_return, 1);
}

#[test]
fn a_branch_that_failed_is_not_waited_for_by_the_others() {
    // The failing branch finishes after one yield; the other would need
    // many polls. try_join! must return without polling it to the end.
    let log = Log::default();
    let got = block_on(async {
        weft::try_join!(
            async {
                ready_on_poll(0, 100, &log).await;
                Ok::<(), &str>(())
            },
            async {
                yield_now().await;
                Err::<(), &str>("stop")
            },
        )
    });
    assert_eq!(got, Err("stop"));
    assert!(log.take().len() < 100);
}

#[test]
fn biased_returns_the_first_written_error() {
    let got = block_on(async {
        weft::try_join!(biased; ready(Ok::<u8, u8>(0)), ready(Err::<u8, u8>(1)), ready(Err::<u8, u8>(2)))
    });
    assert_eq!(got, Err(1));
}

#[test]
fn errors_and_question_mark() {
    async fn both(a: &str, b: &str) -> Result<u32, std::num::ParseIntError> {
        let (x, y) = weft::try_join!(async { a.parse::<u32>() }, async { b.parse::<u32>() })?;
        Ok(x + y)
    }
    block_on(async {
        assert_eq!(both("2", "3").await, Ok(5));
        assert!(both("2", "x").await.is_err());
    });
}

#[test]
fn zero_and_one_branch() {
    block_on(async {
        let empty: Result<(), ()> = weft::try_join!();
        assert_eq!(empty, Ok(()));
        assert_eq!(weft::try_join!(ready(Ok::<u8, ()>(9))), Ok((9,)));
    });
}

#[test]
fn dropping_the_try_join_drops_unfinished_branches() {
    let drops = DropCount::default();
    {
        let joined = async {
            weft::try_join!(
                drops.track(pending::<Result<(), ()>>()),
                drops.track(ready(Ok::<(), ()>(()))),
            )
        };
        let mut joined = pin!(joined);
        assert!(poll_once(joined.as_mut()).is_pending());
        // The finished branch is already gone.
        assert_eq!(drops.get(), 1);
    }
    assert_eq!(drops.get(), 2);
}

#[test]
fn ok_outputs_already_collected_are_dropped_on_error() {
    struct Noisy<'a>(&'a Cell<u32>);
    impl Drop for Noisy<'_> {
        fn drop(&mut self) {
            self.0.set(self.0.get() + 1);
        }
    }
    let dropped = Cell::new(0);
    let got = block_on(async {
        weft::try_join!(biased; async { Ok(Noisy(&dropped)) }, async {
            yield_now().await;
            Err::<Noisy<'_>, &str>("late")
        })
    });
    assert!(got.is_err());
    assert_eq!(dropped.get(), 1);
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
        weft::try_join!(
            ready(Ok::<i32, ()>(0)),
            ready(Ok::<i32, ()>(1)),
            ready(Ok::<i32, ()>(2)),
            ready(Ok::<i32, ()>(3)),
            ready(Ok::<i32, ()>(4)),
            ready(Ok::<i32, ()>(5)),
            ready(Ok::<i32, ()>(6)),
            ready(Ok::<i32, ()>(7)),
            ready(Ok::<i32, ()>(8)),
            ready(Ok::<i32, ()>(9)),
            ready(Ok::<i32, ()>(10)),
            ready(Ok::<i32, ()>(11)),
            ready(Ok::<i32, ()>(12)),
            ready(Ok::<i32, ()>(13)),
            ready(Ok::<i32, ()>(14)),
            ready(Ok::<i32, ()>(15)),
            ready(Ok::<i32, ()>(16)),
            ready(Ok::<i32, ()>(17)),
            ready(Ok::<i32, ()>(18)),
            ready(Ok::<i32, ()>(19)),
            ready(Ok::<i32, ()>(20)),
            ready(Ok::<i32, ()>(21)),
            ready(Ok::<i32, ()>(22)),
            ready(Ok::<i32, ()>(23)),
            ready(Ok::<i32, ()>(24)),
            ready(Ok::<i32, ()>(25)),
            ready(Ok::<i32, ()>(26)),
            ready(Ok::<i32, ()>(27)),
            ready(Ok::<i32, ()>(28)),
            ready(Ok::<i32, ()>(29)),
            ready(Ok::<i32, ()>(30)),
            ready(Ok::<i32, ()>(31)),
            ready(Ok::<i32, ()>(32)),
            ready(Ok::<i32, ()>(33)),
            ready(Ok::<i32, ()>(34)),
            ready(Ok::<i32, ()>(35)),
            ready(Ok::<i32, ()>(36)),
            ready(Ok::<i32, ()>(37)),
            ready(Ok::<i32, ()>(38)),
            ready(Ok::<i32, ()>(39)),
            ready(Ok::<i32, ()>(40)),
            ready(Ok::<i32, ()>(41)),
            ready(Ok::<i32, ()>(42)),
            ready(Ok::<i32, ()>(43)),
            ready(Ok::<i32, ()>(44)),
            ready(Ok::<i32, ()>(45)),
            ready(Ok::<i32, ()>(46)),
            ready(Ok::<i32, ()>(47)),
            ready(Ok::<i32, ()>(48)),
            ready(Ok::<i32, ()>(49)),
            ready(Ok::<i32, ()>(50)),
            ready(Ok::<i32, ()>(51)),
            ready(Ok::<i32, ()>(52)),
            ready(Ok::<i32, ()>(53)),
            ready(Ok::<i32, ()>(54)),
            ready(Ok::<i32, ()>(55)),
            ready(Ok::<i32, ()>(56)),
            ready(Ok::<i32, ()>(57)),
            ready(Ok::<i32, ()>(58)),
            ready(Ok::<i32, ()>(59)),
            ready(Ok::<i32, ()>(60)),
            ready(Ok::<i32, ()>(61)),
            ready(Ok::<i32, ()>(62)),
            ready(Ok::<i32, ()>(63))
        )
    })
    .unwrap();
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
