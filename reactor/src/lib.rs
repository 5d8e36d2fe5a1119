//! The I/O readiness driver of weft, on mio (epoll on Linux, kqueue on the
//! BSDs and macOS).
//!
//! The crate knows nothing of tasks or timers. Its parts:
//!
//! * [`Driver`]: owned by the one thread that parks in the reactor; each
//!   [`Driver::turn`] waits for OS events and delivers them.
//! * [`Handle`]: `Clone + Send + Sync`; registers sources, wakes a blocked
//!   turn ([`Handle::unpark`]) and shuts the driver down.
//! * [`Registration`]: one registered source. It records the readiness the
//!   driver delivered and wakes the tasks waiting for it: one waker per
//!   direction for [`Registration::poll_read_ready`] /
//!   [`Registration::poll_write_ready`], any number of
//!   [`Registration::readiness`] futures.
//! * [`PollEvented`]: a mio source together with its registration.
//! * [`Ready`], [`Interest`], [`Direction`], [`ReadyEvent`]: the vocabulary,
//!   named as in `tokio::io`.
//! * [`is_shutdown_error`]: tells the error every operation returns once
//!   the driver has shut down from any other.
//!
//! Readiness is edge-triggered: once delivered it stays until an operation
//! returns `WouldBlock` and the caller clears it with
//! [`Registration::clear_readiness`]. A tick stamped on every observation
//! guarantees that a clear never erases readiness that arrived after the
//! observation (see the `scheduled_io` module for the protocol).
//!
//! # Examples
//!
//! A driver thread turning while another thread waits for a connection to
//! become readable:
//!
//! ```
//! use std::io::{Read, Write};
//! use std::sync::atomic::{AtomicBool, Ordering};
//! use std::sync::Arc;
//! use std::task::{Context, Poll, Wake, Waker};
//! use std::thread::{self, Thread};
//! use std::time::Duration;
//! use weft_reactor::{Direction, Driver};
//!
//! // A waker that unparks the waiting thread.
//! struct Unparker(Thread);
//! impl Wake for Unparker {
//!     fn wake(self: Arc<Self>) {
//!         self.0.unpark();
//!     }
//! }
//!
//! let mut driver = Driver::new()?;
//! let handle = driver.handle();
//! let stop = Arc::new(AtomicBool::new(false));
//! let driver_thread = thread::spawn({
//!     let stop = stop.clone();
//!     move || {
//!         while !stop.load(Ordering::Acquire) {
//!             driver.turn(None);
//!         }
//!     }
//! });
//!
//! let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
//! let mut client = std::net::TcpStream::connect(listener.local_addr()?)?;
//! let (server, _) = listener.accept()?;
//! server.set_nonblocking(true)?;
//! let mut server = mio::net::TcpStream::from_std(server);
//! let registration = handle.register(&mut server, mio::Interest::READABLE)?;
//!
//! client.write_all(b"hello")?;
//!
//! let waker = Waker::from(Arc::new(Unparker(thread::current())));
//! let mut cx = Context::from_waker(&waker);
//! let mut buf = [0; 16];
//! let mut waits = 0;
//! let n = loop {
//!     match registration.poll_io(&mut cx, Direction::Read, || (&server).read(&mut buf)) {
//!         Poll::Ready(n) => break n?,
//!         Poll::Pending => {
//!             assert!(waits < 500, "the server never became readable");
//!             thread::park_timeout(Duration::from_millis(20));
//!             waits += 1;
//!         }
//!     }
//! };
//! assert_eq!(&buf[..n], b"hello");
//!
//! stop.store(true, Ordering::Release);
//! handle.unpark();
//! driver_thread.join().unwrap();
//! # Ok::<(), std::io::Error>(())
//! ```
#![deny(unsafe_op_in_unsafe_fn)]
#![cfg_attr(not(loom), forbid(unsafe_code))]
#![doc(test(attr(deny(warnings))))]

pub(crate) mod loom;

mod direction;
mod driver;
mod error;
mod handle;
mod interest;
mod poll_evented;
mod readiness;
mod ready;
mod ready_event;
mod registration;
mod scheduled_io;
mod slots;
mod wake_list;

#[cfg(all(test, not(loom)))]
mod test_support;

pub use direction::Direction;
pub use driver::{Driver, DEFAULT_EVENT_CAPACITY};
pub use error::is_shutdown_error;
pub use handle::Handle;
pub use interest::Interest;
pub use poll_evented::PollEvented;
pub use readiness::Readiness;
pub use ready::Ready;
pub use ready_event::ReadyEvent;
pub use registration::Registration;

#[cfg(loom)]
#[doc(hidden)]
pub mod loom_internals;
