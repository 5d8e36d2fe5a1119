//! `weft::select!`: first finished branch wins, losers dropped before the
//! handler, preconditions, patterns that disable a branch, `else`, the
//! panic without `else`, `biased;` and fairness, handler control flow, and
//! the accepted syntax.

mod macros_support;

use std::cell::Cell;
use std::future::{pending, ready, IntoFuture, Ready};
use std::pin::pin;

use macros_support::{block_on, oneshot, poll_once, send_in_order, yield_now, DropCount, Log};

#[test]
fn the_branch_woken_from_another_thread_wins() {
    for winner in [0, 1] {
        let (tx_a, rx_a) = oneshot();
        let (tx_b, rx_b) = oneshot();
        let mut senders = vec![Some(tx_a), Some(tx_b)];
        // Only the winner is ever sent; the loser's sender stays here, so
        // its receiver stays pending until select! drops it.
        let winning_sender = senders[winner].take().unwrap();
        send_in_order(vec![winning_sender], vec!["sent"], &[0]);
        let got = block_on(async {
            weft::select! {
                a = rx_a => ("a", a),
                b = rx_b => ("b", b),
            }
        });
        assert_eq!(got, (["a", "b"][winner], "sent"));
        drop(senders);
    }
}

#[test]
fn a_ready_branch_beats_a_pending_one() {
    for _ in 0..50 {
        let got = block_on(async {
            weft::select! {
                n = pending::<u32>() => n,
                n = ready(7) => n * 2,
            }
        });
        assert_eq!(got, 14);
    }
}

#[test]
fn losers_are_dropped_before_the_handler_runs() {
    let drops = DropCount::default();
    let seen_in_handler = block_on(async {
        weft::select! {
            _ = drops.track(pending::<()>()) => unreachable!(),
            _ = drops.track(pending::<()>()) => unreachable!(),
            () = yield_now() => drops.get(),
        }
    });
    assert_eq!(seen_in_handler, 2);
}

#[test]
fn the_handler_may_use_what_the_futures_borrowed() {
    async fn bump(counter: &mut u32) -> u32 {
        *counter += 1;
        *counter
    }
    let mut counter = 0;
    let got = block_on(async {
        weft::select! {
            n = bump(&mut counter) => {
                // `bump`'s future, which borrowed `counter` mutably, is gone.
                counter += 10;
                n
            }
        }
    });
    assert_eq!((got, counter), (1, 11));
}

#[test]
fn a_false_precondition_disables_the_branch_but_its_future_is_still_made() {
    let made = Cell::new(0);
    let polled = Cell::new(0);
    let make = || {
        made.set(made.get() + 1);
        std::future::poll_fn(|_| {
            polled.set(polled.get() + 1);
            std::task::Poll::Ready(1)
        })
    };
    let got = block_on(async {
        weft::select! {
            n = make(), if false => n,
            n = async { yield_now().await; 2 } => n,
        }
    });
    assert_eq!(got, 2);
    assert_eq!(made.get(), 1);
    assert_eq!(polled.get(), 0);
}

#[test]
fn a_pattern_that_does_not_match_disables_the_branch_and_waiting_goes_on() {
    let log = Log::default();
    let (tx, rx) = oneshot();
    send_in_order(vec![tx], vec!["later"], &[0]);
    let got = block_on(async {
        weft::select! {
            // Biased, so the non-matching branch is polled before `rx` even
            // when the sender thread has already sent.
            biased;
            Some(word) = async { log.push("none polled"); None::<&str> } => word,
            word = rx => word,
        }
    });
    assert_eq!(got, "later");
    // Polled once, found not to match, never polled again.
    assert_eq!(log.take(), ["none polled"]);
}

#[test]
fn else_runs_when_every_branch_is_disabled() {
    let got = block_on(async {
        weft::select! {
            n = ready(1), if false => n,
            Some(n) = ready(None) => n,
            Ok(n) = ready(Err::<u32, ()>(())) => n,
            else => 99,
        }
    });
    assert_eq!(got, 99);
}

#[test]
fn else_alone_and_biased_else() {
    block_on(async {
        assert_eq!(weft::select! { else => 5 }, 5);
        assert_eq!(weft::select! { biased; else => 6, }, 6);
    });
}

#[test]
#[should_panic(expected = "all branches are disabled and there is no else branch")]
fn without_else_all_disabled_panics() {
    block_on(async {
        weft::select! {
            Some(n) = ready(None::<u8>) => n,
            n = ready(1), if 1 > 2 => n,
        }
    });
}

#[test]
fn biased_always_takes_the_first_ready_branch() {
    for _ in 0..200 {
        let got = block_on(async {
            weft::select! {
                biased;
                n = ready(1) => n,
                n = ready(2) => n,
                n = ready(3) => n,
            }
        });
        assert_eq!(got, 1);
    }
}

#[test]
fn biased_polls_in_written_order() {
    let log = Log::default();
    block_on(async {
        weft::select! {
            biased;
            () = async { log.push(0); pending::<()>().await } => {}
            () = async { log.push(1); pending::<()>().await } => {}
            () = async { log.push(2) } => {}
        }
    });
    assert_eq!(log.take(), [0, 1, 2]);
}

#[test]
fn unbiased_select_picks_every_ready_branch_over_many_runs() {
    let mut wins = [0u32; 2];
    for _ in 0..1000 {
        let i = block_on(async {
            weft::select! {
                i = ready(0usize) => i,
                i = ready(1usize) => i,
            }
        });
        wins[i] += 1;
    }
    // Each branch wins about half the time; fewer than 100 wins in 1000
    // fair draws would happen with probability far below 1e-100.
    assert!(wins[0] > 100 && wins[1] > 100, "{wins:?}");
}

#[test]
fn thread_rng_n_stays_in_range_and_covers_it() {
    let mut seen = [0u32; 7];
    for _ in 0..7000 {
        let n = weft::macros::support::thread_rng_n(7) as usize;
        seen[n] += 1;
    }
    assert!(seen.iter().all(|&c| c > 500), "{seen:?}");
    assert_eq!(weft::macros::support::thread_rng_n(1), 0);
    assert_eq!(weft::macros::support::thread_rng_n(0), 0);
}

#[test]
fn different_threads_draw_different_sequences() {
    let draw = || {
        (0..32)
            .map(|_| weft::macros::support::thread_rng_n(1 << 16))
            .collect::<Vec<_>>()
    };
    let here = draw();
    let there = std::thread::spawn(draw).join().unwrap();
    assert_ne!(here, there);
}

#[test]
fn handlers_may_break_continue_return_and_await() {
    fn run() -> Result<u32, String> {
        block_on(async {
            let mut total = 0;
            let mut round = 0;
            let ended = loop {
                round += 1;
                weft::select! {
                    biased;
                    n = ready(round), if round == 2 => {
                        total += n * 100;
                        continue;
                    }
                    n = ready(round), if round == 4 => break n,
                    n = ready(round), if round == 5 => return Err(format!("unreachable {n}")),
                    n = ready(round) => {
                        yield_now().await;
                        total += n;
                    }
                }
            };
            let parsed: u32 = weft::select! {
                r = ready("12".parse::<u32>()) => r.map_err(|e| e.to_string())?,
            };
            Ok(total + ended * 1000 + parsed)
        })
    }
    // Rounds 1 and 3 add 1 and 3, round 2 adds 200, round 4 breaks with 4.
    assert_eq!(run(), Ok(1 + 200 + 3 + 4000 + 12));
}

#[test]
fn question_mark_in_a_handler_returns_from_the_enclosing_function() {
    async fn first_number(text: &str) -> Result<u32, std::num::ParseIntError> {
        let n = weft::select! {
            s = ready(text) => s.parse::<u32>()?,
        };
        Ok(n + 1)
    }
    block_on(async {
        assert_eq!(first_number("41").await, Ok(42));
        assert!(first_number("x").await.is_err());
    });
}

#[derive(Debug, PartialEq)]
enum Msg {
    Data { id: u32, body: String },
    Pair(u8, u8),
}

#[test]
fn patterns_with_mut_ref_and_many_tokens() {
    block_on(async {
        let got = weft::select! {
            Some(mut s) = ready(Some(String::from("a"))) => {
                s.push('b');
                s
            }
        };
        assert_eq!(got, "ab");

        let got = weft::select! {
            (mut a, ref b) = ready((String::from("x"), String::from("y"))) => {
                a.push_str(b);
                a
            }
        };
        assert_eq!(got, "xy");

        let got = weft::select! {
            Msg::Data { id: 3, ref mut body } = ready(Msg::Data { id: 3, body: String::from("b") }) => {
                body.push('!');
                body.clone()
            }
        };
        assert_eq!(got, "b!");

        let got = weft::select! {
            Ok(n) | Err(n) = ready(Err::<u8, u8>(2)) => n,
        };
        assert_eq!(got, 2);

        let got = weft::select! {
            whole @ Some(1..=9) = ready(Some(4)) => whole,
            else => None,
        };
        assert_eq!(got, Some(4));

        let got = weft::select! {
            Msg::Pair(9, _) = ready(Msg::Pair(0, 0)) => "pair",
            [first, .., mut last] = ready([1, 2, 3]) => {
                last += first;
                if last == 4 { "array" } else { "wrong" }
            }
        };
        assert_eq!(got, "array");

        let got = weft::select! {
            _ = ready(()) => 1,
        };
        assert_eq!(got, 1);
    });
}

#[test]
fn handler_syntax_variants() {
    block_on(async {
        let got = weft::select! {
            biased;
            n = pending::<u8>() => { n }
            n = pending::<u8>(), if true => { n },
            n = pending::<u8>() => n,
            n = ready(4u8), if true => n + 1
        };
        assert_eq!(got, 5);

        let got = weft::select! {
            n = ready(1) => if n > 0 { "pos" } else { "neg" },
            else => "none"
        };
        assert_eq!(got, "pos");
    });
}

#[test]
fn futures_by_reference_survive_the_loop() {
    let (tx, rx) = oneshot();
    let rx = rx;
    weft::pin!(rx);
    let mut ticks = 0;
    let mut tx = Some(tx);
    let got = block_on(async {
        loop {
            weft::select! {
                v = &mut rx => break v,
                () = yield_now() => {
                    ticks += 1;
                    if ticks == 3 {
                        tx.take().unwrap().send("done");
                    }
                }
            }
        }
    });
    assert_eq!(got, "done");
    assert!(ticks >= 3);
}

#[test]
fn temporaries_in_the_future_expression_live_long_enough() {
    let got = block_on(async {
        weft::select! {
            n = &mut ready(3) => n,
        }
    });
    assert_eq!(got, 3);
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
    assert_eq!(
        block_on(async {
            weft::select! { n = Seven => n }
        }),
        7
    );
}

#[test]
fn names_used_by_the_expansion_do_not_leak() {
    let fut = 1;
    let out = 2;
    let count = 3;
    let disabled = false;
    let chosen = 4;
    let cx = 5;
    let got = block_on(async {
        weft::select! {
            n = ready(fut + out + count + chosen + cx), if !disabled => n,
        }
    });
    assert_eq!(got, 15);
}

#[test]
fn a_pending_select_is_pending_and_wakes_on_a_late_branch() {
    let (tx, rx) = oneshot::<u8>();
    let selected = async {
        weft::select! {
            n = rx => n,
            n = pending::<u8>() => n,
        }
    };
    let mut selected = pin!(selected);
    assert!(poll_once(selected.as_mut()).is_pending());
    tx.send(8);
    assert_eq!(poll_once(selected.as_mut()), std::task::Poll::Ready(8));
}

#[test]
fn dropping_a_pending_select_drops_its_futures() {
    let drops = DropCount::default();
    {
        let selected = async {
            weft::select! {
                () = drops.track(pending::<()>()) => {}
                () = drops.track(pending::<()>()) => {}
            }
        };
        let mut selected = pin!(selected);
        assert!(poll_once(selected.as_mut()).is_pending());
        assert_eq!(drops.get(), 0);
    }
    assert_eq!(drops.get(), 2);
}

#[test]
fn sixty_four_branches() {
    let got = block_on(async {
        weft::select! {
                v = pending::<usize>(), if true => v,
                v = pending::<usize>(), if true => v,
                v = pending::<usize>(), if true => v,
                v = pending::<usize>(), if true => v,
                v = pending::<usize>(), if true => v,
                v = pending::<usize>(), if true => v,
                v = pending::<usize>(), if true => v,
                v = pending::<usize>(), if true => v,
                v = pending::<usize>(), if true => v,
                v = pending::<usize>(), if true => v,
                v = pending::<usize>(), if true => v,
                v = pending::<usize>(), if true => v,
                v = pending::<usize>(), if true => v,
                v = pending::<usize>(), if true => v,
                v = pending::<usize>(), if true => v,
                v = pending::<usize>(), if true => v,
                v = pending::<usize>(), if true => v,
                v = pending::<usize>(), if true => v,
                v = pending::<usize>(), if true => v,
                v = pending::<usize>(), if true => v,
                v = pending::<usize>(), if true => v,
                v = pending::<usize>(), if true => v,
                v = pending::<usize>(), if true => v,
                v = pending::<usize>(), if true => v,
                v = pending::<usize>(), if true => v,
                v = pending::<usize>(), if true => v,
                v = pending::<usize>(), if true => v,
                v = pending::<usize>(), if true => v,
                v = pending::<usize>(), if true => v,
                v = pending::<usize>(), if true => v,
                v = pending::<usize>(), if true => v,
                v = pending::<usize>(), if true => v,
                v = pending::<usize>(), if true => v,
                v = pending::<usize>(), if true => v,
                v = pending::<usize>(), if true => v,
                v = pending::<usize>(), if true => v,
                v = pending::<usize>(), if true => v,
                v = pending::<usize>(), if true => v,
                v = pending::<usize>(), if true => v,
                v = pending::<usize>(), if true => v,
                v = pending::<usize>(), if true => v,
                v = pending::<usize>(), if true => v,
                v = pending::<usize>(), if true => v,
                v = pending::<usize>(), if true => v,
                v = pending::<usize>(), if true => v,
                v = pending::<usize>(), if true => v,
                v = pending::<usize>(), if true => v,
                v = pending::<usize>(), if true => v,
                v = pending::<usize>(), if true => v,
                v = pending::<usize>(), if true => v,
                v = pending::<usize>(), if true => v,
                v = pending::<usize>(), if true => v,
                v = pending::<usize>(), if true => v,
                v = pending::<usize>(), if true => v,
                v = pending::<usize>(), if true => v,
                v = pending::<usize>(), if true => v,
                v = pending::<usize>(), if true => v,
                v = pending::<usize>(), if true => v,
                v = pending::<usize>(), if true => v,
                v = pending::<usize>(), if true => v,
                v = pending::<usize>(), if true => v,
                v = pending::<usize>(), if true => v,
                v = pending::<usize>(), if true => v,
                v = ready(63usize) => v,
        }
    });
    assert_eq!(got, 63);
}

fn assert_send<T: Send>(value: T) -> T {
    value
}

#[test]
fn selecting_over_send_futures_gives_a_send_future() {
    let selected = assert_send(async {
        weft::select! {
            Some(n) = async { Some(1) } => n,
            n = pending::<i32>() => n,
            else => 0,
        }
    });
    assert_eq!(block_on(selected), 1);
}
