use proc_macro2::TokenStream;
use quote::quote;

use super::{Config, Flavor, Kind};

fn parse(kind: Kind, args: TokenStream) -> Config {
    match Config::parse(kind, args) {
        Ok(config) => config,
        Err(e) => panic!("unexpected error: {e}"),
    }
}

fn error(kind: Kind, args: TokenStream) -> Vec<String> {
    match Config::parse(kind, args) {
        Ok(config) => panic!("expected an error, got {config:?}"),
        Err(e) => e.into_iter().map(|e| e.to_string()).collect(),
    }
}

#[test]
fn main_defaults_to_multi_thread_and_test_to_current_thread() {
    let main = parse(Kind::Main, quote!());
    assert_eq!(main.flavor, Flavor::MultiThread);
    assert_eq!(main.worker_threads, None);
    assert_eq!(main.start_paused, None);
    assert_eq!(main.name, None);
    assert!(main.crate_path.is_none());

    let test = parse(Kind::Test, quote!());
    assert_eq!(test.flavor, Flavor::CurrentThread);
}

#[test]
fn reads_every_option() {
    let c = parse(
        Kind::Main,
        quote!(
            flavor = "multi_thread",
            worker_threads = 3,
            name = "my runtime",
            crate = "my::weft",
        ),
    );
    assert_eq!(c.flavor, Flavor::MultiThread);
    assert_eq!(c.worker_threads, Some(3));
    assert_eq!(c.name.as_deref(), Some("my runtime"));
    let path = c.crate_path.expect("crate path");
    assert_eq!(quote!(#path).to_string(), quote!(my::weft).to_string());

    let c = parse(
        Kind::Main,
        quote!(flavor = "current_thread", start_paused = true),
    );
    assert_eq!(c.flavor, Flavor::CurrentThread);
    assert_eq!(c.start_paused, Some(true));

    let c = parse(Kind::Test, quote!(start_paused = false));
    assert_eq!(c.start_paused, Some(false));
}

#[test]
fn unknown_option_is_named_with_the_accepted_ones() {
    let errs = error(Kind::Main, quote!(threads = 4));
    assert_eq!(errs.len(), 1);
    assert!(errs[0].contains("unknown option `threads`"), "{errs:?}");
    assert!(errs[0].contains("`worker_threads`"), "{errs:?}");
}

#[test]
fn unknown_flavor_lists_the_flavors() {
    let errs = error(Kind::Test, quote!(flavor = "single_thread"));
    assert!(
        errs[0].contains("unknown runtime flavor `single_thread`"),
        "{errs:?}"
    );
    assert!(errs[0].contains("\"current_thread\""), "{errs:?}");
}

#[test]
fn worker_threads_needs_multi_thread() {
    let errs = error(Kind::Test, quote!(worker_threads = 2));
    assert!(
        errs[0].contains("only applies to the multi-thread runtime"),
        "{errs:?}"
    );
    assert!(
        errs[0].contains("#[weft::test(flavor = \"multi_thread\")]"),
        "{errs:?}"
    );

    let c = parse(
        Kind::Test,
        quote!(flavor = "multi_thread", worker_threads = 2),
    );
    assert_eq!(c.worker_threads, Some(2));
}

#[test]
fn start_paused_needs_current_thread() {
    let errs = error(Kind::Main, quote!(start_paused = true));
    assert!(
        errs[0].contains("needs the current-thread runtime"),
        "{errs:?}"
    );
    assert!(
        errs[0].contains("#[weft::main(flavor = \"current_thread\")]"),
        "{errs:?}"
    );
}

#[test]
fn rejects_zero_workers_and_wrong_literal_kinds() {
    assert!(error(Kind::Main, quote!(worker_threads = 0))[0].contains("at least 1"));
    assert!(error(Kind::Main, quote!(worker_threads = "4"))[0].contains("takes an integer"));
    assert!(error(Kind::Test, quote!(start_paused = 1))[0].contains("`true` or `false`"));
    assert!(error(Kind::Main, quote!(flavor = multi_thread))[0].contains("must be a literal"));
    assert!(error(Kind::Main, quote!(flavor = 1))[0].contains("takes a string"));
    assert!(error(Kind::Main, quote!(crate = "not a path"))[0].contains("must name a path"));
}

#[test]
fn repeated_option_is_an_error() {
    let errs = error(Kind::Main, quote!(worker_threads = 2, worker_threads = 3));
    assert!(
        errs[0].contains("`worker_threads` is given more than once"),
        "{errs:?}"
    );
}

#[test]
fn bare_words_get_a_suggestion() {
    let errs = error(Kind::Main, quote!(current_thread));
    assert!(
        errs[0].contains("#[weft::main(flavor = \"current_thread\")]"),
        "{errs:?}"
    );
    let errs = error(Kind::Main, quote!(start_paused));
    assert!(errs[0].contains("`start_paused` needs a value"), "{errs:?}");
    let errs = error(Kind::Main, quote!(flavor("current_thread")));
    assert!(errs[0].contains("`name = value`"), "{errs:?}");
}

#[test]
fn reports_all_mistakes_at_once() {
    let errs = error(
        Kind::Test,
        quote!(bogus = 1, flavor = "fast", worker_threads = 2),
    );
    // Unknown option, unknown flavor, and worker_threads on the (default)
    // current-thread flavor.
    assert_eq!(errs.len(), 3, "{errs:?}");
}

#[test]
fn malformed_argument_list_is_a_parse_error() {
    assert!(Config::parse(Kind::Main, quote!(flavor = = "x")).is_err());
}

#[test]
fn name_takes_a_string_that_is_not_blank() {
    let c = parse(Kind::Test, quote!(name = "x"));
    assert_eq!(c.name.as_deref(), Some("x"));
    for blank in [quote!(name = ""), quote!(name = " \t")] {
        let errs = error(Kind::Test, blank);
        assert!(errs[0].contains("`name` must have a character"), "{errs:?}");
    }
    assert!(error(Kind::Main, quote!(name = 1))[0].contains("`name` takes a string"));
    assert!(error(Kind::Main, quote!(name))[0].contains("`name` needs a value"));
    let errs = error(Kind::Main, quote!(name = "a", name = "b"));
    assert!(errs[0].contains("`name` is given more than once"), "{errs:?}");
    let errs = error(Kind::Main, quote!(label = "a"));
    assert!(errs[0].contains("`name`"), "the accepted options list it: {errs:?}");
}
