//! Multi-producer, single-consumer channels.
//!
//! [`channel`] makes a bounded channel: senders wait while `buffer`
//! messages are queued, so a fast producer cannot outrun a slow consumer.
//! [`unbounded_channel`] makes one whose sends never wait.
//!
//! Senders are cloned to get more producers. The receiver gets `None` from
//! `recv` once every sender is dropped and the queue is empty. Dropping
//! (or closing) the receiver makes sends fail with the value handed back
//! inside the error.
//!
//! # Performance
//!
//! Messages travel through a lock-free list of 32-slot blocks: a send is
//! one `fetch_add` to claim a slot and one `fetch_or` to publish it, plus
//! waking the receiver; blocks are recycled, so a steady stream allocates
//! nothing. The bounded flavour adds one CAS on its semaphore per send and
//! per receive.
//!
//! # Examples
//!
//! ```
//! use weft::sync::mpsc;
//!
//! # weft::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
//! let (tx, mut rx) = mpsc::channel(100);
//! weft::spawn(async move {
//!     for i in 0..10 {
//!         tx.send(i).await.unwrap();
//!     }
//! });
//! let mut total = 0;
//! while let Some(i) = rx.recv().await {
//!     total += i;
//! }
//! assert_eq!(total, 45);
//! # });
//! ```

mod bounded;
mod chan;
pub mod error;
mod list;
mod unbounded;

pub use bounded::{channel, OwnedPermit, Permit, PermitIterator, Receiver, Sender, WeakSender};
pub use unbounded::{unbounded_channel, UnboundedReceiver, UnboundedSender, WeakUnboundedSender};
