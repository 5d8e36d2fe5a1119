use proc_macro2::TokenStream;
use quote::quote;

use super::expand;
use crate::config::Kind;

/// The expansion as text without whitespace, so tests can look for
/// fragments without caring how tokens are spaced.
fn expanded(kind: Kind, args: TokenStream, item: TokenStream) -> String {
    squash(&expand(kind, args, item).to_string())
}

fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

fn has(haystack: &str, needle: &str) -> bool {
    haystack.contains(&squash(needle))
}

#[test]
fn main_builds_a_multi_thread_runtime_and_blocks_on_the_body() {
    let out = expanded(
        Kind::Main,
        quote!(),
        quote!(
            async fn main() {
                work().await;
            }
        ),
    );
    assert!(has(&out, "fn main()"), "{out}");
    assert!(!has(&out, "async fn"), "{out}");
    assert!(has(&out, "let body = async { work().await; };"), "{out}");
    assert!(
        has(
            &out,
            "::weft::runtime::Builder::new_multi_thread().enable_all().build()"
        ),
        "{out}"
    );
    assert!(has(&out, ".block_on(body)"), "{out}");
    assert!(!has(&out, "test"), "{out}");
    assert!(!has(&out, "compile_error"), "{out}");
}

#[test]
fn options_become_builder_calls_in_order() {
    let out = expanded(
        Kind::Main,
        quote!(worker_threads = 3, crate = "::other::weft"),
        quote!(
            async fn main() {}
        ),
    );
    assert!(
        has(&out, "::other::weft::runtime::Builder::new_multi_thread().worker_threads(3).enable_all().build()"),
        "{out}"
    );

    let out = expanded(
        Kind::Test,
        quote!(start_paused = true),
        quote!(
            async fn t() {}
        ),
    );
    assert!(
        has(
            &out,
            "Builder::new_current_thread().enable_all().start_paused(true).build()"
        ),
        "{out}"
    );

    let out = expanded(
        Kind::Test,
        quote!(start_paused = true, name = "ingest \"A\""),
        quote!(
            async fn t() {}
        ),
    );
    assert!(
        has(
            &out,
            r#"Builder::new_current_thread().enable_all().start_paused(true).name("ingest \"A\"").build()"#
        ),
        "{out}"
    );
}

#[test]
fn test_adds_the_test_attribute_and_keeps_the_others() {
    let out = expanded(
        Kind::Test,
        quote!(),
        quote!(
            #[should_panic]
            async fn t() -> Result<(), E> {
                Ok(())
            }
        ),
    );
    assert!(
        has(
            &out,
            "#[should_panic] #[::core::prelude::v1::test] fn t() -> Result<(), E>"
        ),
        "{out}"
    );
    assert!(
        has(
            &out,
            "Pin<&mut dyn ::core::future::Future<Output = Result<(), E>>>"
        ),
        "{out}"
    );
}

#[test]
fn main_checks_the_body_type_against_the_return_type() {
    let out = expanded(
        Kind::Main,
        quote!(),
        quote!(
            async fn main() -> Result<(), E> {
                Ok(())
            }
        ),
    );
    assert!(
        has(
            &out,
            "let _: &dyn ::core::future::Future<Output = Result<(), E>> = &body;"
        ),
        "{out}"
    );

    // `impl Trait` and `!` cannot be named as an output type: no check.
    let out = expanded(
        Kind::Main,
        quote!(),
        quote!(
            async fn run() -> impl Sized {
                1
            }
        ),
    );
    assert!(!has(&out, "dyn"), "{out}");
    let out = expanded(
        Kind::Test,
        quote!(),
        quote!(
            async fn t() -> Box<dyn Fn() -> impl Sized> {
                todo!()
            }
        ),
    );
    assert!(!has(&out, "Pin<"), "{out}");
}

#[test]
fn inner_attributes_move_to_the_function() {
    let out = expanded(
        Kind::Main,
        quote!(),
        quote!(
            async fn main() {
                #![allow(unused)]
                let x = 1;
            }
        ),
    );
    assert!(has(&out, "#[allow(unused)] fn main()"), "{out}");
    assert!(has(&out, "async { let x = 1; }"), "{out}");
}

#[test]
fn body_with_a_syntax_error_still_expands() {
    let out = expanded(Kind::Main, quote!(), quote!(async fn main() { let = ; }));
    assert!(has(&out, "async { let = ; }"), "{out}");
    assert!(!has(&out, "compile_error"), "{out}");
}

#[test]
fn not_async_is_an_error_but_the_function_is_kept() {
    let out = expanded(
        Kind::Main,
        quote!(),
        quote!(
            fn main() {}
        ),
    );
    assert!(has(&out, "can only be used on an `async fn`"), "{out}");
    assert!(has(&out, "fn main()"), "{out}");
    assert!(has(&out, "block_on(body)"), "{out}");
}

#[test]
fn main_takes_no_arguments_but_other_functions_may() {
    let out = expanded(
        Kind::Main,
        quote!(),
        quote!(
            async fn main(x: u32) {}
        ),
    );
    assert!(has(&out, "`main` cannot take arguments"), "{out}");

    let out = expanded(
        Kind::Main,
        quote!(),
        quote!(
            async fn add(a: u32, b: u32) -> u32 {
                a + b
            }
        ),
    );
    assert!(!has(&out, "compile_error"), "{out}");
    assert!(has(&out, "fn add(a: u32, b: u32) -> u32"), "{out}");
}

#[test]
fn test_takes_no_arguments() {
    let out = expanded(
        Kind::Test,
        quote!(),
        quote!(
            async fn t(x: u32) {}
        ),
    );
    assert!(has(&out, "a test function cannot take arguments"), "{out}");
}

#[test]
fn a_second_test_attribute_is_an_error() {
    for attr in [
        quote!(#[test]),
        quote!(#[::core::prelude::v1::test]),
        quote!(#[std::prelude::rust_2021::test]),
    ] {
        let out = expanded(Kind::Test, quote!(), quote!(#attr async fn t() {}));
        assert!(has(&out, "already adds `#[test]`"), "{out}");
    }
    let out = expanded(
        Kind::Test,
        quote!(),
        quote!(
            #[my::test]
            async fn t() {}
        ),
    );
    assert!(!has(&out, "compile_error"), "{out}");
}

#[test]
fn option_errors_keep_the_function_with_default_options() {
    let out = expanded(
        Kind::Test,
        quote!(flavor = "fast"),
        quote!(
            async fn t() {}
        ),
    );
    assert!(has(&out, "unknown runtime flavor `fast`"), "{out}");
    assert!(has(&out, "#[::core::prelude::v1::test] fn t()"), "{out}");
    assert!(has(&out, "Builder::new_current_thread()"), "{out}");
}

#[test]
fn signature_and_option_errors_are_reported_together() {
    let out = expand(
        Kind::Main,
        quote!(bogus = 1),
        quote!(
            fn main(x: u8) {}
        ),
    );
    let text = out.to_string();
    assert_eq!(text.matches("compile_error").count(), 3, "{text}");
}

#[test]
fn something_other_than_a_function_is_returned_with_an_error() {
    let out = expanded(
        Kind::Main,
        quote!(),
        quote!(
            struct NotAFunction;
        ),
    );
    assert!(has(&out, "struct NotAFunction;"), "{out}");
    assert!(has(&out, "compile_error"), "{out}");
}
