//! `weft::pin!`: shadowing variables, declaring with `let`, and the
//! expression form, each usable where a `Pin<&mut F>` of a `!Unpin` future
//! is needed.

mod macros_support;

use std::future::Future;
use std::marker::PhantomPinned;
use std::pin::Pin;
use std::task::Poll;

use macros_support::{block_on, oneshot, poll_once, yield_now};

/// A future that is not `Unpin`: an async block holding a borrow of its own
/// local across an await.
async fn self_borrowing(n: u32) -> u32 {
    let local = [n, n];
    let first = &local[0];
    yield_now().await;
    *first + local[1]
}

/// Polls by `Pin<&mut F>`; only compiles with a pinned `F`.
fn poll_pinned<F: Future>(fut: Pin<&mut F>) -> Poll<F::Output> {
    poll_once(fut)
}

#[test]
fn shadowing_form_pins_several_variables() {
    let a = self_borrowing(1);
    let b = self_borrowing(2);
    weft::pin!(a, b);
    // Pending once each (they yield), then ready.
    assert!(poll_pinned(a.as_mut()).is_pending());
    assert!(poll_pinned(b.as_mut()).is_pending());
    assert_eq!(poll_pinned(a.as_mut()), Poll::Ready(2));
    assert_eq!(poll_pinned(b), Poll::Ready(4));
}

#[test]
fn let_form_declares_and_pins() {
    weft::pin! {
        let a = self_borrowing(3);
        let b = async { 10 };
    }
    let a: Pin<&mut _> = a;
    assert!(poll_pinned(a).is_pending());
    assert_eq!(poll_pinned(b), Poll::Ready(10));
}

#[test]
fn expression_form_evaluates_to_a_pin() {
    let fut = weft::pin!(self_borrowing(4));
    assert_eq!(block_on(fut), 8);

    struct NotUnpin(u8, PhantomPinned);
    let pinned: Pin<&mut NotUnpin> = weft::pin!(NotUnpin(5, PhantomPinned));
    assert_eq!(pinned.0, 5);
}

#[test]
fn trailing_comma_and_empty() {
    let x = async { 1 };
    weft::pin!(x,);
    weft::pin!();
    assert_eq!(poll_pinned(x), Poll::Ready(1));
}

#[test]
fn a_pinned_future_can_be_awaited_by_reference_across_a_loop() {
    let (tx, rx) = oneshot::<&str>();
    weft::pin!(rx);
    let mut tx = Some(tx);
    let mut polls = 0;
    let got = block_on(async {
        loop {
            polls += 1;
            if polls == 3 {
                tx.take().unwrap().send("three");
            }
            weft::select! {
                biased;
                v = &mut rx => break v,
                () = yield_now() => {}
            }
        }
    });
    assert_eq!((got, polls), ("three", 3));
}
