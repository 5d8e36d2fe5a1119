//! `try_join!`: wait for several fallible futures, stopping at the first
//! error.
//!
//! The expansion is `join!`'s (see `join.rs`) with one change: a branch that
//! finishes with `Err` makes the poll return that error at once. The other
//! branches' futures live in the block the macro expands to, so returning
//! from the `poll_fn` ends the `.await`, ends that block, and drops them
//! right there, before the caller sees the error.

/// Waits on several futures that return `Result`, stopping at the first
/// error.
///
/// `try_join!(a, b, c)`, where every branch's output is `Result<T_i, E>` with
/// the same error type `E`, polls the branches concurrently on the current
/// task and evaluates to
///
/// * `Ok((t_a, t_b, t_c))` once every branch has returned `Ok`, or
/// * `Err(e)` as soon as any branch returns `Err(e)`. The branches that have
///   not finished are dropped (cancelled) at that moment, before `try_join!`
///   returns.
///
/// It must be used inside an `async` context. Like `join!`, the branches
/// take turns on one task (concurrently, not in parallel), any
/// [`IntoFuture`] may be a branch, up to 64 branches are supported, each
/// wake-up starts polling one branch further along unless `biased;` comes
/// first, and `try_join!()` evaluates to `Ok(())`.
///
/// [`IntoFuture`]: std::future::IntoFuture
///
/// # Examples
///
/// ```
/// # fn block_on<F: std::future::Future>(f: F) -> F::Output {
/// #     struct Unpark(std::thread::Thread);
/// #     impl std::task::Wake for Unpark { fn wake(self: std::sync::Arc<Self>) { self.0.unpark() } }
/// #     let waker = std::sync::Arc::new(Unpark(std::thread::current())).into();
/// #     let mut cx = std::task::Context::from_waker(&waker);
/// #     let mut f = std::pin::pin!(f);
/// #     loop {
/// #         if let std::task::Poll::Ready(v) = std::future::Future::poll(f.as_mut(), &mut cx) { return v; }
/// #         std::thread::park();
/// #     }
/// # }
/// # block_on(async {
/// async fn parse(text: &str) -> Result<u32, std::num::ParseIntError> {
///     text.parse()
/// }
///
/// let sum = weft::try_join!(parse("1"), parse("2"))
///     .map(|(a, b)| a + b);
/// assert_eq!(sum, Ok(3));
///
/// let failed = weft::try_join!(parse("1"), parse("two"));
/// assert!(failed.is_err());
/// # });
/// ```
///
/// The first error wins and the slow branch is cancelled without running to
/// the end:
///
/// ```
/// # fn block_on<F: std::future::Future>(f: F) -> F::Output {
/// #     struct Unpark(std::thread::Thread);
/// #     impl std::task::Wake for Unpark { fn wake(self: std::sync::Arc<Self>) { self.0.unpark() } }
/// #     let waker = std::sync::Arc::new(Unpark(std::thread::current())).into();
/// #     let mut cx = std::task::Context::from_waker(&waker);
/// #     let mut f = std::pin::pin!(f);
/// #     loop {
/// #         if let std::task::Poll::Ready(v) = std::future::Future::poll(f.as_mut(), &mut cx) { return v; }
/// #         std::thread::park();
/// #     }
/// # }
/// # block_on(async {
/// let never = std::future::pending::<Result<(), &str>>();
/// let fails = async { Err::<(), _>("disk full") };
///
/// assert_eq!(weft::try_join!(never, fails), Err("disk full"));
/// # });
/// ```
#[macro_export]
macro_rules! try_join {
    // Number the next branch: give it an index and its own `fut` and `out`
    // identifiers (fresh in every expansion of this rule).
    (@munch { $biased:tt } [ $index:tt $($indices:tt)* ] [ $($done:tt)* ] $e:expr, $($rest:tt)*) => {
        $crate::try_join!(@munch { $biased } [ $($indices)* ] [ $($done)* ($index fut out $e) ] $($rest)*)
    };
    (@munch { $biased:tt } [] [ $($done:tt)* ] $e:expr, $($rest:tt)*) => {
        ::core::compile_error!("`try_join!` supports at most 64 branches")
    };
    // All branches numbered: expand.
    (@munch { $biased:tt } [ $($indices:tt)* ] [ $( ($index:tt $fut:ident $out:ident $e:expr) )+ ]) => {{
        $(
            let mut $fut = $crate::macros::support::pin!($crate::macros::support::Some(
                $crate::macros::support::IntoFuture::into_future($e),
            ));
        )+
        $( let mut $out = $crate::macros::support::None; )+
        let count: u32 = [$($index),+].len() as u32;
        let mut next_start: u32 = 0;
        $crate::macros::support::poll_fn(|cx| {
            let start = if $biased {
                0
            } else {
                let start = next_start;
                next_start = if start + 1 == count { 0 } else { start + 1 };
                start
            };
            let mut pending = false;
            for step in 0..count {
                let branch = if start + step < count { start + step } else { start + step - count };
                match branch {
                    $(
                        $index => {
                            if let $crate::macros::support::Some(fut) = $fut.as_mut().as_pin_mut() {
                                match $crate::macros::support::Future::poll(fut, cx) {
                                    $crate::macros::support::Poll::Ready(result) => {
                                        $fut.set($crate::macros::support::None);
                                        match result {
                                            $crate::macros::support::Ok(value) => {
                                                $out = $crate::macros::support::Some(value);
                                            }
                                            $crate::macros::support::Err(error) => {
                                                // Returning ends the await; the
                                                // other branches are dropped with
                                                // the block that owns them.
                                                return $crate::macros::support::Poll::Ready(
                                                    $crate::macros::support::Err(error),
                                                );
                                            }
                                        }
                                    }
                                    $crate::macros::support::Poll::Pending => pending = true,
                                }
                            }
                        }
                    )+
                    _ => ::core::unreachable!("try_join! branch index out of range"),
                }
            }
            if pending {
                return $crate::macros::support::Poll::Pending;
            }
            $crate::macros::support::Poll::Ready($crate::macros::support::Ok(($(
                match $out.take() {
                    $crate::macros::support::Some(value) => value,
                    $crate::macros::support::None => ::core::unreachable!("try_join! branch finished without output"),
                },
            )+)))
        }).await
    }};

    (biased; $($e:expr),+ $(,)?) => {
        $crate::try_join!(@munch { true } [
            0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30 31
            32 33 34 35 36 37 38 39 40 41 42 43 44 45 46 47 48 49 50 51 52 53 54 55 56 57 58 59 60 61 62 63
        ] [] $($e,)+)
    };
    ($($e:expr),+ $(,)?) => {
        $crate::try_join!(@munch { false } [
            0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30 31
            32 33 34 35 36 37 38 39 40 41 42 43 44 45 46 47 48 49 50 51 52 53 54 55 56 57 58 59 60 61 62 63
        ] [] $($e,)+)
    };
    (biased; $(,)?) => {
        async { $crate::macros::support::Ok(()) }.await
    };
    () => {
        async { $crate::macros::support::Ok(()) }.await
    };
}
