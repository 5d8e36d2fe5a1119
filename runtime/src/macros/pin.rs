//! `pin!`: pin values to the stack.

/// Pins values on the stack, so that futures which are not [`Unpin`] can be
/// polled or awaited by `&mut` reference.
///
/// Awaiting a future moves it, so a future that has to survive several
/// `select!` rounds in a loop, or be polled by hand, must be awaited through
/// `&mut` — which requires it to be pinned. `pin!` does this without a heap
/// allocation (unlike `Box::pin`).
///
/// It has three forms:
///
/// * `pin!(a, b, ...)` with variable names: each variable is moved into the
///   current stack frame and shadowed by a `Pin<&mut T>` of the same name.
///   The original value can no longer be moved, which is what makes this
///   sound.
/// * `pin! { let a = expr; let b = expr; }`: the same, declaring and pinning
///   in one go.
/// * `let p = pin!(expr)` with any expression that is not a bare variable
///   name: evaluates to a `Pin<&mut T>` of a value that lives until the end
///   of the enclosing block, like [`std::pin::pin!`]. (A bare name always
///   means the first form, which is a statement, so write
///   `pin!(name);` there instead of `let p = pin!(name);`.)
///
/// [`Unpin`]: std::marker::Unpin
///
/// # Examples
///
/// Polling the same future across iterations of a loop:
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
/// async fn compute() -> u32 {
///     40 + 2
/// }
///
/// let work = compute();
/// weft::pin!(work);
///
/// let mut ticks = 0;
/// let answer = loop {
///     weft::select! {
///         biased;
///         _ = std::future::ready(()), if ticks < 3 => ticks += 1,
///         // `&mut work` is the same future in every iteration; `work`
///         // itself would be moved into the first `select!`.
///         value = &mut work => break value,
///     }
/// };
/// assert_eq!((answer, ticks), (42, 3));
/// # });
/// ```
///
/// Declaring and pinning at once, and the expression form:
///
/// ```
/// use std::future::Future;
/// use std::pin::Pin;
/// use std::task::{Context, Poll, Waker};
///
/// # fn noop_waker() -> Waker {
/// #     struct Noop;
/// #     impl std::task::Wake for Noop { fn wake(self: std::sync::Arc<Self>) {} }
/// #     std::sync::Arc::new(Noop).into()
/// # }
/// let waker = noop_waker();
/// let mut cx = Context::from_waker(&waker);
///
/// weft::pin! {
///     let first = async { 1 };
///     let second = async { 2 };
/// }
/// let third: Pin<&mut _> = weft::pin!(async { 3 });
///
/// let futures: [Pin<&mut dyn Future<Output = i32>>; 3] = [first, second, third];
/// let mut sum = 0;
/// for fut in futures {
///     if let Poll::Ready(n) = fut.poll(&mut cx) {
///         sum += n;
///     }
/// }
/// assert_eq!(sum, 6);
/// ```
#[macro_export]
macro_rules! pin {
    ($($name:ident),* $(,)?) => {
        $(
            #[allow(unused_mut)]
            let mut $name = $crate::macros::support::pin!($name);
        )*
    };
    ($(let $name:ident = $init:expr;)*) => {
        $(
            let $name = $init;
            $crate::pin!($name);
        )*
    };
    ($value:expr) => {
        $crate::macros::support::pin!($value)
    };
}
