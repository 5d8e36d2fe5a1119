//! `task_local!`: scopes, nesting, reads inside and outside a scope, and
//! values that follow their task across threads.

mod support;

use std::cell::Cell;
use std::future::Future;
use std::pin::pin;
use std::task::Poll;
use support::*;

weft::task_local! {
    static NUMBER: u32;
    /// A documented key, to check that attributes pass through.
    pub static NAME: String;
}

weft::task_local! {
    static ONE_MORE: u8
}

#[test]
fn with_outside_a_scope_panics_with_the_message() {
    let message = expect_panic(|| NUMBER.with(|n| *n));
    assert!(message.contains("outside of its scope"), "{message}");
    let message = expect_panic(|| NUMBER.get());
    assert!(message.contains("outside of its scope"), "{message}");
}

#[test]
fn try_with_and_try_get_outside_a_scope_fail() {
    assert!(NUMBER.try_with(|n| *n).is_err());
    let error = NAME.try_get().unwrap_err();
    assert!(error.to_string().contains("not set"), "{error}");
    assert!(ONE_MORE.try_get().is_err());
}

#[test]
fn sync_scope_sets_and_restores() {
    let r = NUMBER.sync_scope(1, || {
        assert_eq!(NUMBER.get(), 1);
        let inner = NUMBER.sync_scope(2, || NUMBER.get());
        assert_eq!(inner, 2);
        assert_eq!(NUMBER.get(), 1);
        NUMBER.with(|n| n + 10)
    });
    assert_eq!(r, 11);
    assert!(NUMBER.try_get().is_err());
}

#[test]
fn sync_scope_restores_on_panic() {
    NUMBER.sync_scope(5, || {
        let message = expect_panic(|| NUMBER.sync_scope(6, || panic!("inner scope panicked")));
        assert_eq!(message, "inner scope panicked");
        assert_eq!(NUMBER.get(), 5);
    });
    assert!(NUMBER.try_get().is_err());
}

#[test]
fn scope_cannot_be_entered_while_borrowed_by_with() {
    NUMBER.sync_scope(1, || {
        let message = expect_panic(|| NUMBER.with(|_| NUMBER.sync_scope(2, || ())));
        assert!(message.contains("borrowed"), "{message}");
    });
}

rt_test! {
    async fn scopes_nest_across_awaits() {
        NUMBER
            .scope(1, async {
                assert_eq!(NUMBER.get(), 1);
                weft::task::yield_now().await;
                NUMBER
                    .scope(2, async {
                        assert_eq!(NUMBER.get(), 2);
                        weft::task::yield_now().await;
                        assert_eq!(NUMBER.get(), 2);
                    })
                    .await;
                assert_eq!(NUMBER.get(), 1);
                NAME.scope("weft".to_string(), async {
                    assert_eq!(NAME.with(|n| n.len()), 4);
                    assert_eq!(NUMBER.get(), 1);
                })
                .await;
            })
            .await;
        assert!(NUMBER.try_get().is_err());
    }

    async fn concurrent_tasks_each_see_their_own_value() {
        let mut tasks = Vec::new();
        for i in 0..50u32 {
            tasks.push(weft::spawn(NUMBER.scope(i, async move {
                for _ in 0..10 {
                    assert_eq!(NUMBER.get(), i);
                    weft::task::yield_now().await;
                }
                NUMBER.get()
            })));
        }
        for (i, task) in tasks.into_iter().enumerate() {
            assert_eq!(task.await.unwrap(), i as u32);
        }
    }

    async fn spawned_tasks_do_not_inherit_the_value() {
        NUMBER
            .scope(3, async {
                let inner = weft::spawn(async { NUMBER.try_get().is_err() }).await.unwrap();
                assert!(inner);
                assert_eq!(NUMBER.get(), 3);
            })
            .await;
    }

    async fn the_value_is_not_visible_between_polls() {
        let mut scoped = pin!(NUMBER.scope(9, async {
            weft::task::yield_now().await;
            NUMBER.get()
        }));
        let first = std::future::poll_fn(|cx| Poll::Ready(scoped.as_mut().poll(cx))).await;
        assert!(first.is_pending());
        // Between two polls the scope's value is not installed.
        assert!(NUMBER.try_get().is_err());
        assert_eq!(scoped.as_mut().await, 9);
        assert_eq!(scoped.as_mut().take_value(), Some(9));
        assert_eq!(scoped.as_mut().take_value(), None);
    }
}

/// Reads the task-local in its destructor.
struct ReadOnDrop<'a>(&'a Cell<Option<u32>>);

impl Drop for ReadOnDrop<'_> {
    fn drop(&mut self) {
        self.0.set(NUMBER.try_get().ok());
    }
}

#[test]
fn the_inner_future_is_dropped_with_the_value_set() {
    let seen = Cell::new(None);
    {
        let guard = ReadOnDrop(&seen);
        let future = NUMBER.scope(77, async move {
            let _guard = guard;
            std::future::pending::<()>().await;
        });
        let mut future = pin!(future);
        let waker = std::task::Waker::noop();
        let mut cx = std::task::Context::from_waker(waker);
        assert!(future.as_mut().poll(&mut cx).is_pending());
    }
    assert_eq!(seen.get(), Some(77));
    assert!(NUMBER.try_get().is_err());
}

#[test]
fn scope_restores_the_outer_value_when_the_inner_future_panics() {
    NUMBER.sync_scope(1, || {
        let message = expect_panic(|| {
            let mut future = pin!(NUMBER.scope(2, async { panic!("scoped panic") }));
            let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
            let _ = future.as_mut().poll(&mut cx);
        });
        assert_eq!(message, "scoped panic");
        assert_eq!(NUMBER.get(), 1);
    });
}
