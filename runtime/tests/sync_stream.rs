//! `weft::sync::stream`: the receiver stream adapters.
#![cfg(feature = "stream")]

#[path = "support/sync_util.rs"]
mod sync_util;

use std::future::poll_fn;
use std::pin::Pin;

use futures_core::Stream;
use sync_util::{block_on, Task};
use weft::sync::stream::{
    BroadcastStream, BroadcastStreamRecvError, ReceiverStream, UnboundedReceiverStream, WatchStream,
};
use weft::sync::{broadcast, mpsc, watch};

async fn next<S: Stream + Unpin>(stream: &mut S) -> Option<S::Item> {
    poll_fn(|cx| Pin::new(&mut *stream).poll_next(cx)).await
}

#[test]
fn mpsc_receivers_are_streams() {
    let (tx, rx) = mpsc::channel(4);
    tx.try_send(1).unwrap();
    tx.try_send(2).unwrap();
    drop(tx);
    let mut stream = ReceiverStream::new(rx);
    assert_eq!(stream.size_hint(), (2, None));
    assert_eq!(block_on(next(&mut stream)), Some(1));
    assert_eq!(block_on(next(&mut stream)), Some(2));
    assert_eq!(block_on(next(&mut stream)), None);
    let mut rx = stream.into_inner();
    assert_eq!(block_on(next(&mut rx)), None);

    let (tx, rx) = mpsc::unbounded_channel();
    let mut stream = UnboundedReceiverStream::from(rx);
    let mut waiting = Task::new(async { next(&mut stream).await });
    waiting.assert_pending();
    tx.send("x").unwrap();
    assert!(waiting.is_woken());
    assert_eq!(waiting.assert_ready(), Some("x"));
    drop(waiting);
    stream.close();
    assert!(tx.is_closed());
    assert!(stream.as_ref().is_empty());
    assert!(stream.as_mut().try_recv().is_err());
}

#[test]
fn broadcast_stream_reports_lag_then_continues() {
    let (tx, rx) = broadcast::channel(2);
    let mut stream = BroadcastStream::new(rx);
    for i in 0..4 {
        tx.send(i).unwrap();
    }
    assert_eq!(
        block_on(next(&mut stream)),
        Some(Err(BroadcastStreamRecvError::Lagged(2)))
    );
    assert_eq!(block_on(next(&mut stream)), Some(Ok(2)));
    assert_eq!(block_on(next(&mut stream)), Some(Ok(3)));
    let mut waiting = Task::new(async { next(&mut stream).await });
    waiting.assert_pending();
    tx.send(4).unwrap();
    assert_eq!(waiting.assert_ready(), Some(Ok(4)));
    drop(waiting);
    drop(tx);
    assert_eq!(block_on(next(&mut stream)), None);
}

#[test]
fn watch_stream_yields_current_then_changes() {
    let (tx, mut rx) = watch::channel(1);
    let mut stream = WatchStream::new(rx.clone());
    assert_eq!(block_on(next(&mut stream)), Some(1));
    let mut waiting = Task::new(async { next(&mut stream).await });
    waiting.assert_pending();
    tx.send(2).unwrap();
    assert!(waiting.is_woken());
    assert_eq!(waiting.assert_ready(), Some(2));
    drop(waiting);

    // `rx` has not seen 2 yet, so a change stream yields it at once.
    let mut unseen = WatchStream::from_changes(rx.clone());
    assert_eq!(block_on(next(&mut unseen)), Some(2));
    rx.borrow_and_update();
    let mut changes = WatchStream::from_changes(rx);
    let mut waiting = Task::new(async { next(&mut changes).await });
    waiting.assert_pending();
    tx.send(3).unwrap();
    assert_eq!(waiting.assert_ready(), Some(3));
    drop(waiting);
    drop(tx);
    assert_eq!(block_on(next(&mut changes)), None);
    assert_eq!(block_on(next(&mut stream)), Some(3));
    assert_eq!(block_on(next(&mut stream)), None);
}
