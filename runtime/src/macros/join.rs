//! `join!`: wait for every one of several futures.
//!
//! # How the expansion works
//!
//! The branches are first numbered: a recursive step takes one expression
//! and one index literal (from a list `0 1 ... 63`) at a time. Each step also
//! writes two identifiers, `fut` and `out`; because every step is a separate
//! macro expansion, each step's `fut` is a different variable to the
//! compiler, so branch `k` gets its own pair without any name mangling.
//!
//! The final step declares, per branch, `fut: Pin<&mut Option<F>>` (pinned
//! on the stack with `std::pin::pin!`) and `out: Option<F::Output>`, and
//! awaits a `poll_fn` that polls every unfinished branch, starting one
//! further along each time (unless `biased;`). A finished branch's future is
//! dropped at once (`fut.set(None)`) and its output kept in `out`. When no
//! branch is pending the outputs are taken out in order. No `unsafe`, no
//! allocation.

/// Waits on several futures at once and returns all their outputs.
///
/// `join!(a, b, c)` polls `a`, `b` and `c` concurrently on the current task
/// and, once all have completed, evaluates to the tuple `(a_out, b_out,
/// c_out)` in the order written. It must be used inside an `async` context.
///
/// The branches take turns on one task, so they run concurrently but never
/// in parallel: if one branch blocks the thread, all wait. To run futures in
/// parallel, [`spawn`] them and join the handles.
///
/// Any expression that implements [`IntoFuture`] may be a branch. Up to 64
/// branches are supported; `join!()` evaluates to `()`.
///
/// [`spawn`]: crate::spawn
/// [`IntoFuture`]: std::future::IntoFuture
///
/// # Fairness
///
/// Each time the joined future is woken, it polls every branch that has not
/// finished yet, starting one branch further than the previous time, so a
/// branch that uses up the task's budget cannot always go first. Write
/// `biased;` before the branches to poll them in the order written every
/// time instead, which is cheaper and deterministic.
///
/// # Cancellation
///
/// Dropping the joined future (for example in the losing branch of a
/// `select!`) drops every branch that has not finished.
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
/// async fn fetch_name() -> String {
///     "weft".to_string()
/// }
///
/// async fn fetch_stars() -> u32 {
///     7
/// }
///
/// let (name, stars) = weft::join!(fetch_name(), fetch_stars());
/// assert_eq!(name, "weft");
/// assert_eq!(stars, 7);
/// # });
/// ```
///
/// Polling in a fixed order with `biased;`:
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
/// use std::cell::RefCell;
///
/// let order = RefCell::new(Vec::new());
/// let step = |n: u32| {
///     let order = &order;
///     async move { order.borrow_mut().push(n) }
/// };
/// weft::join!(biased; step(1), step(2), step(3));
/// assert_eq!(*order.borrow(), [1, 2, 3]);
/// # });
/// ```
#[macro_export]
macro_rules! join {
    // Number the next branch: give it an index and its own `fut` and `out`
    // identifiers (fresh in every expansion of this rule).
    (@munch { $biased:tt } [ $index:tt $($indices:tt)* ] [ $($done:tt)* ] $e:expr, $($rest:tt)*) => {
        $crate::join!(@munch { $biased } [ $($indices)* ] [ $($done)* ($index fut out $e) ] $($rest)*)
    };
    (@munch { $biased:tt } [] [ $($done:tt)* ] $e:expr, $($rest:tt)*) => {
        ::core::compile_error!("`join!` supports at most 64 branches")
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
                                    $crate::macros::support::Poll::Ready(value) => {
                                        $fut.set($crate::macros::support::None);
                                        $out = $crate::macros::support::Some(value);
                                    }
                                    $crate::macros::support::Poll::Pending => pending = true,
                                }
                            }
                        }
                    )+
                    _ => ::core::unreachable!("join! branch index out of range"),
                }
            }
            if pending {
                return $crate::macros::support::Poll::Pending;
            }
            $crate::macros::support::Poll::Ready(($(
                match $out.take() {
                    $crate::macros::support::Some(value) => value,
                    $crate::macros::support::None => ::core::unreachable!("join! branch finished without output"),
                },
            )+))
        }).await
    }};

    (biased; $($e:expr),+ $(,)?) => {
        $crate::join!(@munch { true } [
            0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30 31
            32 33 34 35 36 37 38 39 40 41 42 43 44 45 46 47 48 49 50 51 52 53 54 55 56 57 58 59 60 61 62 63
        ] [] $($e,)+)
    };
    ($($e:expr),+ $(,)?) => {
        $crate::join!(@munch { false } [
            0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30 31
            32 33 34 35 36 37 38 39 40 41 42 43 44 45 46 47 48 49 50 51 52 53 54 55 56 57 58 59 60 61 62 63
        ] [] $($e,)+)
    };
    (biased; $(,)?) => {
        async {}.await
    };
    () => {
        async {}.await
    };
}
