//! `#[weft_macros::main]` and `#[weft_macros::test]` expanded against a
//! stand-in runtime (`crate = "crate::mock"`), so the attributes are tested
//! without the real one: the stand-in records which builder methods the
//! expansion called, and its `block_on` polls with a waker that unparks the
//! calling thread.

use std::future::Future;
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Waker};
use std::thread;

mod mock {
    pub(crate) mod runtime {
        use std::cell::RefCell;
        use std::future::Future;
        use std::pin::pin;
        use std::sync::Arc;
        use std::task::{Context, Poll, Wake, Waker};
        use std::thread::{self, Thread};

        thread_local! {
            static CALLS: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
        }

        fn record(call: impl Into<String>) {
            CALLS.with(|c| c.borrow_mut().push(call.into()));
        }

        /// The builder calls made on this thread since the last `take_calls`.
        pub(crate) fn take_calls() -> Vec<String> {
            CALLS.with(|c| std::mem::take(&mut *c.borrow_mut()))
        }

        pub(crate) struct Builder(());

        impl Builder {
            pub(crate) fn new_multi_thread() -> Builder {
                record("new_multi_thread");
                Builder(())
            }

            pub(crate) fn new_current_thread() -> Builder {
                record("new_current_thread");
                Builder(())
            }

            pub(crate) fn worker_threads(&mut self, n: usize) -> &mut Self {
                record(format!("worker_threads({n})"));
                self
            }

            pub(crate) fn enable_all(&mut self) -> &mut Self {
                record("enable_all");
                self
            }

            pub(crate) fn start_paused(&mut self, paused: bool) -> &mut Self {
                record(format!("start_paused({paused})"));
                self
            }

            pub(crate) fn build(&mut self) -> std::io::Result<Runtime> {
                record("build");
                Ok(Runtime(()))
            }
        }

        pub(crate) struct Runtime(());

        struct Unparker(Thread);

        impl Wake for Unparker {
            fn wake(self: Arc<Self>) {
                self.0.unpark();
            }
        }

        impl Runtime {
            pub(crate) fn block_on<F: Future>(&self, future: F) -> F::Output {
                record("block_on");
                let waker = Waker::from(Arc::new(Unparker(thread::current())));
                let mut cx = Context::from_waker(&waker);
                let mut future = pin!(future);
                loop {
                    match future.as_mut().poll(&mut cx) {
                        Poll::Ready(out) => return out,
                        // A stale unpark only costs one more poll.
                        Poll::Pending => thread::park(),
                    }
                }
            }
        }
    }
}

use mock::runtime::take_calls;

/// Pending once, after asking another thread to wake it; then ready with the
/// value that thread sent.
fn from_other_thread(value: u32) -> impl Future<Output = u32> {
    let slot: Arc<Mutex<Option<u32>>> = Arc::new(Mutex::new(None));
    let mut started = false;
    std::future::poll_fn(move |cx: &mut Context<'_>| {
        if let Some(v) = slot.lock().unwrap().take() {
            return Poll::Ready(v);
        }
        if !started {
            started = true;
            let slot = Arc::clone(&slot);
            let waker: Waker = cx.waker().clone();
            let (ready_tx, ready_rx) = mpsc::channel::<()>();
            thread::spawn(move || {
                ready_rx.recv().unwrap();
                *slot.lock().unwrap() = Some(value);
                waker.wake();
            });
            ready_tx.send(()).unwrap();
        }
        Poll::Pending
    })
}

#[weft_macros::main(crate = "crate::mock")]
async fn main_like() -> u32 {
    from_other_thread(7).await
}

#[test]
fn main_defaults_to_multi_thread_and_returns_the_body_value() {
    take_calls();
    assert_eq!(main_like(), 7);
    assert_eq!(
        take_calls(),
        ["new_multi_thread", "enable_all", "build", "block_on"]
    );
}

#[weft_macros::main(crate = "crate::mock", worker_threads = 3)]
async fn with_three_workers() {}

#[weft_macros::main(crate = "crate::mock", flavor = "current_thread", start_paused = true)]
async fn paused_current_thread() {}

#[test]
fn main_options_become_builder_calls() {
    take_calls();
    with_three_workers();
    assert_eq!(
        take_calls(),
        [
            "new_multi_thread",
            "worker_threads(3)",
            "enable_all",
            "build",
            "block_on"
        ]
    );
    paused_current_thread();
    assert_eq!(
        take_calls(),
        [
            "new_current_thread",
            "enable_all",
            "start_paused(true)",
            "build",
            "block_on"
        ]
    );
}

// Not `main`: arguments are allowed, `?` converts errors into the declared
// return type, and an argument called `body` does not collide with the
// expansion's own `body`.
#[weft_macros::main(crate = "crate::mock", flavor = "current_thread")]
async fn parse_sum(body: &str, extra: u32) -> Result<u32, std::num::ParseIntError> {
    let n: u32 = body.trim().parse()?;
    Ok(n + extra)
}

#[test]
fn main_on_another_function_keeps_arguments_and_result() {
    assert_eq!(parse_sum(" 40 ", 2), Ok(42));
    assert!(parse_sum("forty", 2).is_err());
}

#[weft_macros::main(crate = "crate::mock", flavor = "current_thread")]
async fn early_return(x: u32) -> u32 {
    if x > 10 {
        return 10;
    }
    x
}

#[weft_macros::main(crate = "crate::mock", flavor = "current_thread")]
async fn opaque() -> impl std::fmt::Display {
    #![allow(clippy::let_and_return)]
    let shown = 5;
    shown
}

#[test]
fn return_in_the_body_and_opaque_return_types() {
    assert_eq!(early_return(50), 10);
    assert_eq!(early_return(3), 3);
    assert_eq!(opaque().to_string(), "5");
}

#[weft_macros::test(crate = "crate::mock")]
async fn test_defaults_to_current_thread() {
    assert_eq!(
        take_calls(),
        ["new_current_thread", "enable_all", "build", "block_on"]
    );
    assert_eq!(from_other_thread(3).await, 3);
}

#[weft_macros::test(crate = "crate::mock", flavor = "multi_thread", worker_threads = 2)]
async fn test_with_options() {
    assert_eq!(
        take_calls(),
        [
            "new_multi_thread",
            "worker_threads(2)",
            "enable_all",
            "build",
            "block_on"
        ]
    );
}

#[weft_macros::test(crate = "crate::mock", start_paused = false)]
async fn test_start_paused_false_is_passed_on() {
    assert_eq!(
        take_calls(),
        [
            "new_current_thread",
            "enable_all",
            "start_paused(false)",
            "build",
            "block_on"
        ]
    );
}

#[weft_macros::test(crate = "crate::mock")]
async fn test_may_return_result() -> Result<(), String> {
    let v = from_other_thread(1).await;
    if v == 1 {
        Ok(())
    } else {
        Err(format!("got {v}"))
    }
}

#[weft_macros::test(crate = "crate::mock")]
#[should_panic(expected = "panic from the body")]
async fn test_keeps_should_panic() {
    from_other_thread(0).await;
    panic!("panic from the body");
}

// The body of a test is polled through `Pin<&mut dyn Future>`; make sure a
// body that is not `Unpin` (it holds a borrow across an await) still works.
#[weft_macros::test(crate = "crate::mock")]
async fn test_body_need_not_be_unpin() {
    let words = String::from("ab");
    let first = &words[..1];
    let _ = from_other_thread(0).await;
    assert_eq!(first, "a");
}
