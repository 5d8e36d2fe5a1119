//! `#[weft::main]` and `#[weft::test]`: run an `async fn` on a weft runtime.
//!
//! Use these through the `weft` crate (feature `macros`, on by default); this
//! crate only holds the procedural macros. Both attributes turn
//! `async fn f() -> T { body }` into a plain `fn f() -> T` that builds a
//! runtime with `weft::runtime::Builder` and blocks on `body`.
#![deny(unsafe_op_in_unsafe_fn)]
#![forbid(unsafe_code)]
#![doc(test(attr(deny(warnings))))]

use proc_macro::TokenStream;

mod config;
mod expand;
mod item;

use config::Kind;

/// Runs `async fn main` on a weft runtime.
///
/// The function keeps its name, visibility and return type and loses
/// `async`: its body becomes one `async` block that a freshly built runtime
/// blocks on. A `main` that returns `Result` works as usual, since the
/// body's value is returned as it is.
///
/// The default is the multi-thread runtime with one worker per CPU and every
/// driver (I/O, time) enabled:
///
/// ```
/// #[weft::main]
/// async fn main() {
///     let answer = weft::spawn(async { 6 * 7 }).await.unwrap();
///     assert_eq!(answer, 42);
/// }
/// ```
///
/// is the same as
///
/// ```
/// fn main() {
///     let body = async {
///         let answer = weft::spawn(async { 6 * 7 }).await.unwrap();
///         assert_eq!(answer, 42);
///     };
///     weft::runtime::Builder::new_multi_thread()
///         .enable_all()
///         .build()
///         .expect("failed to build the weft runtime")
///         .block_on(body)
/// }
/// ```
///
/// # Options
///
/// Options are written `name = value` and separated by commas:
///
/// | option | value | effect |
/// |---|---|---|
/// | `flavor` | `"multi_thread"` (default) or `"current_thread"` | `Builder::new_multi_thread()` or `Builder::new_current_thread()` |
/// | `worker_threads` | integer ≥ 1 | `.worker_threads(n)`; multi-thread only |
/// | `start_paused` | `true` or `false` | `.start_paused(b)`: the clock starts paused; current-thread only |
/// | `name` | string, not blank | `.name(s)`: the name `Handle::name` returns |
/// | `crate` | path string, default `"::weft"` | where to find `runtime::Builder`, for a renamed dependency or a crate that re-exports weft |
///
/// ```
/// #[weft::main(worker_threads = 2)]
/// async fn main() {
///     println!("two workers");
/// }
/// ```
///
/// ```
/// #[weft::main(flavor = "current_thread")]
/// async fn main() {
///     println!("everything on this one thread");
/// }
/// ```
///
/// ```
/// #[weft::main(name = "api-server")]
/// async fn main() {
///     assert_eq!(weft::runtime::Handle::current().name(), Some("api-server"));
/// }
/// ```
///
/// A `main` returning `Result` may use `?`:
///
/// ```
/// #[weft::main]
/// async fn main() -> Result<(), std::num::ParseIntError> {
///     let n: u32 = "17".parse()?;
///     assert_eq!(n, 17);
///     Ok(())
/// }
/// ```
///
/// The attribute also works on a function that is not `main`; it then
/// becomes a blocking function that builds its own runtime on each call:
///
/// ```
/// #[weft::main(flavor = "current_thread")]
/// async fn add(a: u32, b: u32) -> u32 {
///     a + b
/// }
///
/// assert_eq!(add(1, 2), 3);
/// ```
///
/// # Errors
///
/// These are compile errors, each pointing at the offending tokens: the
/// function is not `async`; `main` takes arguments; an option is unknown,
/// repeated, has a value of the wrong kind, or names an unknown flavor;
/// `worker_threads` is 0 or is used with the current-thread flavor;
/// `start_paused` is used with the multi-thread flavor; `name` is empty or
/// only whitespace.
///
/// ```compile_fail
/// #[weft::main(flavor = "current_thread", worker_threads = 4)]
/// async fn main() {}
/// ```
///
/// # Panics
///
/// The generated code panics if the runtime cannot be built (for example
/// when the OS refuses to create the I/O driver or the worker threads).
// The docs spell out what `async fn main` becomes, which takes a `fn main`.
#[allow(clippy::needless_doctest_main)]
#[proc_macro_attribute]
pub fn main(args: TokenStream, item: TokenStream) -> TokenStream {
    expand::expand(Kind::Main, args.into(), item.into()).into()
}

/// Runs an `async fn` test on a weft runtime.
///
/// Adds `#[test]` and turns the function into a plain test function that
/// builds a runtime and blocks on the body. Each test gets its own runtime.
/// The default is the current-thread runtime, which runs the test's tasks on
/// the test's own thread; ask for `flavor = "multi_thread"` to test
/// behaviour that needs parallel workers.
///
/// ```no_run
/// #[weft::test]
/// async fn adds() {
///     let sum = weft::spawn(async { 1 + 2 }).await.unwrap();
///     assert_eq!(sum, 3);
/// }
/// ```
///
/// is the same as
///
/// ```no_run
/// #[test]
/// fn adds() {
///     let body = async {
///         let sum = weft::spawn(async { 1 + 2 }).await.unwrap();
///         assert_eq!(sum, 3);
///     };
///     weft::runtime::Builder::new_current_thread()
///         .enable_all()
///         .build()
///         .expect("failed to build the weft runtime")
///         .block_on(body)
/// }
/// ```
///
/// (The examples on this page are `no_run`: in a doc test, rustdoc removes a
/// `#[test]` function instead of running it, so there is nothing to run.)
///
/// # Options
///
/// The same as [`macro@main`]'s: `flavor` (default `"current_thread"`
/// here), `worker_threads` (multi-thread only), `start_paused`
/// (current-thread only), `name` and `crate`.
///
/// ```no_run
/// #[weft::test(flavor = "multi_thread", worker_threads = 2)]
/// async fn on_two_workers() {
///     let handle = weft::spawn(async { std::thread::current().id() });
///     let _worker = handle.await.unwrap();
/// }
/// ```
///
/// With `start_paused = true` the runtime's clock starts paused, so a test
/// that sleeps finishes at once and deterministically:
///
/// ```no_run
/// #[weft::test(start_paused = true)]
/// async fn sleeps_without_waiting() {
///     let minute = std::time::Duration::from_secs(60);
///     let start = weft::time::Instant::now();
///     weft::time::sleep(minute).await;
///     assert!(start.elapsed() >= minute);
/// }
/// ```
///
/// A test may return `Result`, and other attributes such as
/// `#[should_panic]` are kept:
///
/// ```no_run
/// #[weft::test]
/// async fn parses() -> Result<(), std::num::ParseIntError> {
///     assert_eq!("7".parse::<u8>()?, 7);
///     Ok(())
/// }
///
/// #[weft::test]
/// #[should_panic(expected = "boom")]
/// async fn panics() {
///     panic!("boom");
/// }
/// ```
///
/// # Errors
///
/// The compile errors of [`macro@main`], and also: the function takes
/// arguments, or already has a `#[test]` attribute.
///
/// # Panics
///
/// The generated test panics if the runtime cannot be built.
#[proc_macro_attribute]
pub fn test(args: TokenStream, item: TokenStream) -> TokenStream {
    expand::expand(Kind::Test, args.into(), item.into()).into()
}
