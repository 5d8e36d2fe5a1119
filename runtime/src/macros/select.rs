//! `select!`: wait for the first of several futures.
//!
//! # How the expansion works
//!
//! *Reading the branches.* One recursive step per branch splits off
//! `pattern = future, if precondition => handler,` and gives it an index
//! literal (from a list `0 1 ... 63`) and two identifiers `fut` and `out`,
//! which are distinct variables in every step because each step is its own
//! macro expansion. The pattern is kept as raw tokens (not a `pat`
//! fragment), because it is needed twice: as written, and with `mut`/`ref`
//! removed (see below). To find where a pattern ends without munching it
//! token by token, the step has rules for patterns of one to four top-level
//! token trees (`x`, `_`, `Some(x)`, `mut x`, `Ok(Some(x))`, `x @ Some(_)`
//! and most others); a longer pattern has four token trees moved aside per
//! step until one of those rules fits. Keeping to about one step per branch
//! keeps 64 branches inside the default recursion limit.
//!
//! *Polling.* The expansion evaluates the preconditions (a false one sets
//! the branch's bit in the `disabled` mask), then every future expression
//! (disabled ones too, as documented), pins each future on the stack, and
//! awaits a `poll_fn` that polls the enabled branches starting at a random
//! one (`thread_rng_n`) or at the first (`biased;`). When a branch finishes,
//! its bit is set, and its output is checked against the pattern *by
//! reference*: on a match the output is stored in that branch's `out` and
//! the poll returns the branch index; otherwise polling goes on. When no
//! branch is left pending the poll returns `None`, which selects `else`.
//!
//! *Handling.* The futures live in an inner block, so they are dropped as
//! soon as the poll returns, before the handler runs: the handler may use
//! whatever the futures borrowed. The handler then runs outside any loop or
//! closure of the macro, so `break`, `continue`, `return`, `?` and `.await`
//! in it mean what they mean around the `select!`. It matches the stored
//! output by value against the pattern as written.
//!
//! *Why the pattern is cleaned.* Checking by reference relies on default
//! binding modes, under which `Some(mut x)` or `Some(ref mut x)` would try to
//! move or mutably borrow out of a shared reference. The check only needs to
//! know whether the pattern matches, so `__weft_select_pattern!` rewrites the
//! pattern without `mut` and `ref`; the handler still binds with the pattern
//! as written.

/// Waits on several futures at once and runs the handler of the first one to
/// complete, cancelling the rest.
///
/// ```text
/// select! {
///     biased;                                        // optional, first
///     <pattern> = <future> (, if <precondition>)? => <handler>,
///     ...
///     else => <expression>                           // optional, last
/// }
/// ```
///
/// It must be used inside an `async` context, and it evaluates to the value
/// of the handler (or `else` expression) that runs; all of them must have
/// the same type.
///
/// # What happens, in order
///
/// 1. Every `<precondition>` is evaluated. A branch whose precondition is
///    `false` is disabled for this use of `select!` (a new pass of a
///    surrounding loop starts afresh).
/// 2. Every `<future>` is evaluated, including those of disabled branches,
///    which are then never polled. Any expression implementing
///    [`IntoFuture`] is accepted.
/// 3. The enabled futures are polled concurrently on the current task.
/// 4. When one completes, its output is matched against `<pattern>`. On a
///    match, all futures are dropped and then `<handler>` runs with the
///    pattern's bindings. If the pattern does not match, that branch is
///    disabled and waiting continues with the others.
/// 5. If every branch is disabled, the `else` expression is evaluated; without
///    an `else` branch, `select!` panics.
///
/// Because the losing futures are dropped, a future that is not safe to
/// drop half-way (one that loses data when cancelled) should be created
/// once outside a loop, [pinned](crate::pin!), and passed as `&mut fut` so it
/// survives from one iteration to the next.
///
/// # Fairness
///
/// Without `biased;`, each poll starts with a randomly chosen branch, so a
/// branch that is always ready cannot starve the others. With `biased;` the
/// branches are polled in the order written, which is cheaper and lets one
/// branch take priority (for example a shutdown signal); the program then
/// has to make sure the first branches do not crowd out the rest.
///
/// # Limits
///
/// Up to 64 branches, plus `else`. Handlers may be blocks `{ ... }`, with or
/// without a trailing comma, or expressions followed by a comma (except the
/// last). Patterns may be written with `mut` and `ref` as usual.
///
/// `select!` is a `macro_rules!` macro and counts against the compiler's
/// recursion limit (128 by default): about one step per branch, one more
/// for every further four token trees in a pattern longer than four (so
/// `Some(x)` costs nothing extra, `Ok(x) | Err(x)` one step), plus the
/// number of tokens in the longest pattern. A `select!` with dozens of
/// branches with long patterns may need `#![recursion_limit = "256"]`.
///
/// # Panics
///
/// With the message "all branches are disabled and there is no else branch"
/// when every branch has been disabled by its precondition or by a pattern
/// that did not match, and there is no `else`.
///
/// [`IntoFuture`]: std::future::IntoFuture
///
/// # Examples
///
/// The first future to finish wins:
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
/// use std::future::{pending, ready};
///
/// let winner = weft::select! {
///     n = pending::<u32>() => format!("pending gave {n}"),
///     s = ready("fast") => format!("ready gave {s}"),
/// };
/// assert_eq!(winner, "ready gave fast");
/// # });
/// ```
///
/// Patterns, preconditions and `else`: a branch whose output does not match
/// its pattern is disabled, and when nothing is left `else` runs:
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
/// use std::future::ready;
///
/// let queue_open = false;
/// let got = weft::select! {
///     Some(mut job) = ready(None::<String>) => {
///         job.push('!');
///         job
///     }
///     job = ready(String::from("queued")), if queue_open => job,
///     else => String::from("nothing to do"),
/// };
/// assert_eq!(got, "nothing to do");
/// # });
/// ```
///
/// In a loop, with a future that survives the iterations and `break` in a
/// handler:
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
/// use std::future::ready;
///
/// let mut pending_jobs = vec![3, 2, 1];
/// let shutdown = async { "stop" };
/// weft::pin!(shutdown);
///
/// let mut done = Vec::new();
/// let reason = loop {
///     weft::select! {
///         biased;
///         Some(job) = ready(pending_jobs.pop()) => done.push(job),
///         reason = &mut shutdown => break reason,
///     }
/// };
/// assert_eq!(done, [1, 2, 3]);
/// assert_eq!(reason, "stop");
/// # });
/// ```
#[macro_export]
macro_rules! select {
    // ===== Reading the branches =====
    //
    // State: `@munch { biased } [unused indices] [read branches] [pattern prefix] input`.

    // Done, with an `else`.
    (@munch { $biased:tt } [ $($indices:tt)* ] [ $($done:tt)* ] [] else => $else:expr $(,)?) => {
        $crate::select!(@emit { $biased } [ $($done)* ] { $else })
    };
    // Done, without one.
    (@munch { $biased:tt } [ $($indices:tt)* ] [ $($done:tt)* ] []) => {
        $crate::select!(@emit { $biased } [ $($done)* ] {
            ::core::panic!("all branches are disabled and there is no else branch")
        })
    };
    (@munch { $biased:tt } [ $($indices:tt)* ] [ $($done:tt)* ] [ $($prefix:tt)+ ]) => {
        ::core::compile_error!(
            "`select!` expected branches of the form `pattern = future => handler,` \
             (with an optional `, if condition` before `=>`) and an optional `else => expression` last"
        )
    };
    (@munch { $biased:tt } [] [ $($done:tt)* ] [ $($prefix:tt)* ] $($rest:tt)+) => {
        ::core::compile_error!("`select!` supports at most 64 branches")
    };

    // One branch. There are rules for patterns that end in 1, 2, 3 or 4
    // more token trees, each with the four ways a handler can end: a block
    // with or without a comma, an expression with a comma, or an expression
    // at the very end. Block rules come first, so that `{ .. }` followed by
    // the next branch is not read as the start of a longer expression.
    (@munch { $biased:tt } [ $index:tt $($indices:tt)* ] [ $($done:tt)* ] [ $($prefix:tt)* ]
        $p1:tt = $f:expr $(, if $c:expr)? => $h:block, $($rest:tt)*) => {
        $crate::select!(@munch { $biased } [ $($indices)* ]
            [ $($done)* ($index fut out [ $($prefix)* $p1 ] [ $f ] [ $($c)? ] [ $h ]) ] [] $($rest)*)
    };
    (@munch { $biased:tt } [ $index:tt $($indices:tt)* ] [ $($done:tt)* ] [ $($prefix:tt)* ]
        $p1:tt = $f:expr $(, if $c:expr)? => $h:block $($rest:tt)*) => {
        $crate::select!(@munch { $biased } [ $($indices)* ]
            [ $($done)* ($index fut out [ $($prefix)* $p1 ] [ $f ] [ $($c)? ] [ $h ]) ] [] $($rest)*)
    };
    (@munch { $biased:tt } [ $index:tt $($indices:tt)* ] [ $($done:tt)* ] [ $($prefix:tt)* ]
        $p1:tt = $f:expr $(, if $c:expr)? => $h:expr, $($rest:tt)*) => {
        $crate::select!(@munch { $biased } [ $($indices)* ]
            [ $($done)* ($index fut out [ $($prefix)* $p1 ] [ $f ] [ $($c)? ] [ $h ]) ] [] $($rest)*)
    };
    (@munch { $biased:tt } [ $index:tt $($indices:tt)* ] [ $($done:tt)* ] [ $($prefix:tt)* ]
        $p1:tt = $f:expr $(, if $c:expr)? => $h:expr) => {
        $crate::select!(@munch { $biased } [ $($indices)* ]
            [ $($done)* ($index fut out [ $($prefix)* $p1 ] [ $f ] [ $($c)? ] [ $h ]) ] [])
    };
    (@munch { $biased:tt } [ $index:tt $($indices:tt)* ] [ $($done:tt)* ] [ $($prefix:tt)* ]
        $p1:tt $p2:tt = $f:expr $(, if $c:expr)? => $h:block, $($rest:tt)*) => {
        $crate::select!(@munch { $biased } [ $($indices)* ]
            [ $($done)* ($index fut out [ $($prefix)* $p1 $p2 ] [ $f ] [ $($c)? ] [ $h ]) ] [] $($rest)*)
    };
    (@munch { $biased:tt } [ $index:tt $($indices:tt)* ] [ $($done:tt)* ] [ $($prefix:tt)* ]
        $p1:tt $p2:tt = $f:expr $(, if $c:expr)? => $h:block $($rest:tt)*) => {
        $crate::select!(@munch { $biased } [ $($indices)* ]
            [ $($done)* ($index fut out [ $($prefix)* $p1 $p2 ] [ $f ] [ $($c)? ] [ $h ]) ] [] $($rest)*)
    };
    (@munch { $biased:tt } [ $index:tt $($indices:tt)* ] [ $($done:tt)* ] [ $($prefix:tt)* ]
        $p1:tt $p2:tt = $f:expr $(, if $c:expr)? => $h:expr, $($rest:tt)*) => {
        $crate::select!(@munch { $biased } [ $($indices)* ]
            [ $($done)* ($index fut out [ $($prefix)* $p1 $p2 ] [ $f ] [ $($c)? ] [ $h ]) ] [] $($rest)*)
    };
    (@munch { $biased:tt } [ $index:tt $($indices:tt)* ] [ $($done:tt)* ] [ $($prefix:tt)* ]
        $p1:tt $p2:tt = $f:expr $(, if $c:expr)? => $h:expr) => {
        $crate::select!(@munch { $biased } [ $($indices)* ]
            [ $($done)* ($index fut out [ $($prefix)* $p1 $p2 ] [ $f ] [ $($c)? ] [ $h ]) ] [])
    };
    (@munch { $biased:tt } [ $index:tt $($indices:tt)* ] [ $($done:tt)* ] [ $($prefix:tt)* ]
        $p1:tt $p2:tt $p3:tt = $f:expr $(, if $c:expr)? => $h:block, $($rest:tt)*) => {
        $crate::select!(@munch { $biased } [ $($indices)* ]
            [ $($done)* ($index fut out [ $($prefix)* $p1 $p2 $p3 ] [ $f ] [ $($c)? ] [ $h ]) ] [] $($rest)*)
    };
    (@munch { $biased:tt } [ $index:tt $($indices:tt)* ] [ $($done:tt)* ] [ $($prefix:tt)* ]
        $p1:tt $p2:tt $p3:tt = $f:expr $(, if $c:expr)? => $h:block $($rest:tt)*) => {
        $crate::select!(@munch { $biased } [ $($indices)* ]
            [ $($done)* ($index fut out [ $($prefix)* $p1 $p2 $p3 ] [ $f ] [ $($c)? ] [ $h ]) ] [] $($rest)*)
    };
    (@munch { $biased:tt } [ $index:tt $($indices:tt)* ] [ $($done:tt)* ] [ $($prefix:tt)* ]
        $p1:tt $p2:tt $p3:tt = $f:expr $(, if $c:expr)? => $h:expr, $($rest:tt)*) => {
        $crate::select!(@munch { $biased } [ $($indices)* ]
            [ $($done)* ($index fut out [ $($prefix)* $p1 $p2 $p3 ] [ $f ] [ $($c)? ] [ $h ]) ] [] $($rest)*)
    };
    (@munch { $biased:tt } [ $index:tt $($indices:tt)* ] [ $($done:tt)* ] [ $($prefix:tt)* ]
        $p1:tt $p2:tt $p3:tt = $f:expr $(, if $c:expr)? => $h:expr) => {
        $crate::select!(@munch { $biased } [ $($indices)* ]
            [ $($done)* ($index fut out [ $($prefix)* $p1 $p2 $p3 ] [ $f ] [ $($c)? ] [ $h ]) ] [])
    };
    (@munch { $biased:tt } [ $index:tt $($indices:tt)* ] [ $($done:tt)* ] [ $($prefix:tt)* ]
        $p1:tt $p2:tt $p3:tt $p4:tt = $f:expr $(, if $c:expr)? => $h:block, $($rest:tt)*) => {
        $crate::select!(@munch { $biased } [ $($indices)* ]
            [ $($done)* ($index fut out [ $($prefix)* $p1 $p2 $p3 $p4 ] [ $f ] [ $($c)? ] [ $h ]) ] [] $($rest)*)
    };
    (@munch { $biased:tt } [ $index:tt $($indices:tt)* ] [ $($done:tt)* ] [ $($prefix:tt)* ]
        $p1:tt $p2:tt $p3:tt $p4:tt = $f:expr $(, if $c:expr)? => $h:block $($rest:tt)*) => {
        $crate::select!(@munch { $biased } [ $($indices)* ]
            [ $($done)* ($index fut out [ $($prefix)* $p1 $p2 $p3 $p4 ] [ $f ] [ $($c)? ] [ $h ]) ] [] $($rest)*)
    };
    (@munch { $biased:tt } [ $index:tt $($indices:tt)* ] [ $($done:tt)* ] [ $($prefix:tt)* ]
        $p1:tt $p2:tt $p3:tt $p4:tt = $f:expr $(, if $c:expr)? => $h:expr, $($rest:tt)*) => {
        $crate::select!(@munch { $biased } [ $($indices)* ]
            [ $($done)* ($index fut out [ $($prefix)* $p1 $p2 $p3 $p4 ] [ $f ] [ $($c)? ] [ $h ]) ] [] $($rest)*)
    };
    (@munch { $biased:tt } [ $index:tt $($indices:tt)* ] [ $($done:tt)* ] [ $($prefix:tt)* ]
        $p1:tt $p2:tt $p3:tt $p4:tt = $f:expr $(, if $c:expr)? => $h:expr) => {
        $crate::select!(@munch { $biased } [ $($indices)* ]
            [ $($done)* ($index fut out [ $($prefix)* $p1 $p2 $p3 $p4 ] [ $f ] [ $($c)? ] [ $h ]) ] [])
    };

    // A longer pattern: set four of its token trees aside and try again.
    (@munch { $biased:tt } [ $($indices:tt)* ] [ $($done:tt)* ] [ $($prefix:tt)* ] $p1:tt $p2:tt $p3:tt $p4:tt $($rest:tt)*) => {
        $crate::select!(@munch { $biased } [ $($indices)* ] [ $($done)* ] [ $($prefix)* $p1 $p2 $p3 $p4 ] $($rest)*)
    };
    (@munch $($anything:tt)*) => {
        ::core::compile_error!(
            "`select!` expected branches of the form `pattern = future => handler,` \
             (with an optional `, if condition` before `=>`) and an optional `else => expression` last"
        )
    };

    // ===== Expansion =====
    (@emit { $biased:tt }
        [ $( ($index:tt $fut:ident $out:ident [ $($pat:tt)+ ] [ $f:expr ] [ $($c:expr)? ] [ $h:tt ]) )+ ]
        { $else:expr }
    ) => {{
        let mut disabled: u64 = 0;
        $(
            if !(true $(&& $c)?) {
                disabled |= 1u64 << $index;
            }
        )+
        $( let mut $out = $crate::macros::support::None; )+
        let count: u32 = [$($index),+].len() as u32;
        let chosen: $crate::macros::support::Option<u32> = {
            // Evaluated as plain `let`s first, so that a temporary in a
            // future expression (`&mut make_future()`) lives as long as the
            // future does.
            $( let $fut = $f; )+
            $(
                let mut $fut = $crate::macros::support::pin!(
                    $crate::macros::support::IntoFuture::into_future($fut)
                );
            )+
            $crate::macros::support::poll_fn(|cx| {
                let start: u32 = if $biased { 0 } else { $crate::macros::support::thread_rng_n(count) };
                let mut any_pending = false;
                for step in 0..count {
                    let branch = if start + step < count { start + step } else { start + step - count };
                    let bit = 1u64 << branch;
                    if disabled & bit != 0 {
                        continue;
                    }
                    match branch {
                        $(
                            $index => {
                                match $crate::macros::support::Future::poll($fut.as_mut(), cx) {
                                    $crate::macros::support::Poll::Ready(output) => {
                                        disabled |= bit;
                                        #[allow(unreachable_patterns, unused_variables, unused_mut)]
                                        match &output {
                                            $crate::__weft_select_pattern!([] [] $($pat)+) => {}
                                            _ => continue,
                                        }
                                        $out = $crate::macros::support::Some(output);
                                        return $crate::macros::support::Poll::Ready(
                                            $crate::macros::support::Some($index),
                                        );
                                    }
                                    $crate::macros::support::Poll::Pending => any_pending = true,
                                }
                            }
                        )+
                        _ => ::core::unreachable!("select! branch index out of range"),
                    }
                }
                if any_pending {
                    $crate::macros::support::Poll::Pending
                } else {
                    $crate::macros::support::Poll::Ready($crate::macros::support::None)
                }
            }).await
        };
        match chosen {
            $(
                $crate::macros::support::Some($index) => match $out {
                    $crate::macros::support::Some($($pat)+) => $h,
                    _ => ::core::unreachable!("select! output no longer matches its pattern"),
                },
            )+
            _ => $else,
        }
    }};

    // ===== Entry =====
    ($(biased;)? else => $else:expr $(,)?) => {{
        $else
    }};
    (biased; $($branches:tt)+) => {
        $crate::select!(@munch { true } [
            0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30 31
            32 33 34 35 36 37 38 39 40 41 42 43 44 45 46 47 48 49 50 51 52 53 54 55 56 57 58 59 60 61 62 63
        ] [] [] $($branches)+)
    };
    ($($branches:tt)+) => {
        $crate::select!(@munch { false } [
            0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30 31
            32 33 34 35 36 37 38 39 40 41 42 43 44 45 46 47 48 49 50 51 52 53 54 55 56 57 58 59 60 61 62 63
        ] [] [] $($branches)+)
    };
    () => {
        ::core::compile_error!("`select!` needs at least one branch")
    };
}

/// Rewrites a pattern without `mut` and `ref`, for checking by reference
/// whether an output matches (see the notes in `select.rs`). Not public API.
///
/// It walks the tokens one at a time, keeping a stack of the groups it is
/// inside: `[stack] [output so far] remaining input`. Entering `( ... )`,
/// `[ ... ]` or `{ ... }` pushes the output so far and the input after the
/// group; running out of input pops, wrapping the group's output in its
/// delimiters. Macro calls inside the pattern are kept as written.
#[doc(hidden)]
#[macro_export]
macro_rules! __weft_select_pattern {
    ([] [ $($out:tt)* ]) => {
        $($out)*
    };
    ([ { paren [ $($up:tt)* ] [ $($after:tt)* ] } $($stack:tt)* ] [ $($out:tt)* ]) => {
        $crate::__weft_select_pattern!([ $($stack)* ] [ $($up)* ( $($out)* ) ] $($after)*)
    };
    ([ { bracket [ $($up:tt)* ] [ $($after:tt)* ] } $($stack:tt)* ] [ $($out:tt)* ]) => {
        $crate::__weft_select_pattern!([ $($stack)* ] [ $($up)* [ $($out)* ] ] $($after)*)
    };
    ([ { brace [ $($up:tt)* ] [ $($after:tt)* ] } $($stack:tt)* ] [ $($out:tt)* ]) => {
        $crate::__weft_select_pattern!([ $($stack)* ] [ $($up)* { $($out)* } ] $($after)*)
    };
    ([ $($stack:tt)* ] [ $($out:tt)* ] mut $($rest:tt)*) => {
        $crate::__weft_select_pattern!([ $($stack)* ] [ $($out)* ] $($rest)*)
    };
    ([ $($stack:tt)* ] [ $($out:tt)* ] ref $($rest:tt)*) => {
        $crate::__weft_select_pattern!([ $($stack)* ] [ $($out)* ] $($rest)*)
    };
    ([ $($stack:tt)* ] [ $($out:tt)* ] $name:ident ! $args:tt $($rest:tt)*) => {
        $crate::__weft_select_pattern!([ $($stack)* ] [ $($out)* $name ! $args ] $($rest)*)
    };
    ([ $($stack:tt)* ] [ $($out:tt)* ] ( $($inner:tt)* ) $($rest:tt)*) => {
        $crate::__weft_select_pattern!([ { paren [ $($out)* ] [ $($rest)* ] } $($stack)* ] [] $($inner)*)
    };
    ([ $($stack:tt)* ] [ $($out:tt)* ] [ $($inner:tt)* ] $($rest:tt)*) => {
        $crate::__weft_select_pattern!([ { bracket [ $($out)* ] [ $($rest)* ] } $($stack)* ] [] $($inner)*)
    };
    ([ $($stack:tt)* ] [ $($out:tt)* ] { $($inner:tt)* } $($rest:tt)*) => {
        $crate::__weft_select_pattern!([ { brace [ $($out)* ] [ $($rest)* ] } $($stack)* ] [] $($inner)*)
    };
    ([ $($stack:tt)* ] [ $($out:tt)* ] $token:tt $($rest:tt)*) => {
        $crate::__weft_select_pattern!([ $($stack)* ] [ $($out)* $token ] $($rest)*)
    };
}
