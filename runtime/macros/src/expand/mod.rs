//! Turning `async fn` plus options into a plain `fn` that runs the body on a
//! runtime.
//!
//! For
//!
//! ```text
//! #[weft::main(worker_threads = 2)]
//! async fn main() -> R { BODY }
//! ```
//!
//! the output is, in outline,
//!
//! ```text
//! fn main() -> R {
//!     let body = async { BODY };
//!     return ::weft::runtime::Builder::new_multi_thread()
//!         .worker_threads(2)
//!         .enable_all()
//!         .build()
//!         .expect("...")
//!         .block_on(body);
//! }
//! ```
//!
//! The body stays one `async` block holding the user's statements as written,
//! so spans, `?`, `return` and editor support behave as in any async block.
//! `body` is a mixed-site identifier: user code cannot see or shadow it.
//!
//! When the options or the signature are wrong, the function is still
//! emitted (expanded with default options) next to the `compile_error!`, so
//! that one mistake in the attribute does not turn every use of the function
//! into a second error.

use proc_macro2::extra::DelimSpan;
use proc_macro2::{Delimiter, Group, Ident, Literal, Span, TokenStream, TokenTree};
use quote::{quote, quote_spanned, ToTokens};
use syn::{ReturnType, Type};

use crate::config::{Config, Flavor, Kind};
use crate::item::ItemFn;

#[cfg(test)]
mod tests;

/// Expands `#[weft::main]` (`kind == Main`) or `#[weft::test]`.
pub(crate) fn expand(kind: Kind, args: TokenStream, item: TokenStream) -> TokenStream {
    let func: ItemFn = match syn::parse2(item.clone()) {
        Ok(func) => func,
        Err(e) => {
            // Not a function we understand: hand the tokens back unchanged
            // so the compiler reports whatever else is wrong with them.
            let mut out = item;
            out.extend(e.into_compile_error());
            return out;
        }
    };
    let signature = check_signature(kind, &func);
    let config = Config::parse(kind, args);
    match (signature, config) {
        (Ok(()), Ok(config)) => generate(kind, func, &config),
        (signature, config) => {
            let mut error: Option<syn::Error> = None;
            for e in [signature.err(), config.err()].into_iter().flatten() {
                match &mut error {
                    Some(all) => all.combine(e),
                    None => error = Some(e),
                }
            }
            let mut out = generate(kind, func, &Config::defaults(kind));
            if let Some(e) = error {
                out.extend(e.into_compile_error());
            }
            out
        }
    }
}

/// What the attribute requires of the function itself.
fn check_signature(kind: Kind, func: &ItemFn) -> syn::Result<()> {
    let sig = &func.sig;
    let mut errors: Vec<syn::Error> = Vec::new();
    if sig.asyncness.is_none() {
        errors.push(syn::Error::new_spanned(
            sig.fn_token,
            format!(
                "{} can only be used on an `async fn`; write `async fn {}`",
                kind.attr_name(),
                sig.ident
            ),
        ));
    }
    if !sig.inputs.is_empty() {
        match kind {
            Kind::Main if sig.ident == "main" => errors.push(syn::Error::new_spanned(
                &sig.inputs,
                "`main` cannot take arguments; read command-line arguments with `std::env::args()`",
            )),
            Kind::Main => {}
            Kind::Test => errors.push(syn::Error::new_spanned(
                &sig.inputs,
                "a test function cannot take arguments",
            )),
        }
    }
    if kind == Kind::Test {
        if let Some(attr) = func.attrs.iter().find(|a| is_test_attr(a)) {
            errors.push(syn::Error::new_spanned(
                attr,
                "`#[weft::test]` already adds `#[test]`; remove this one",
            ));
        }
    }
    let mut errors = errors.into_iter();
    match errors.next() {
        None => Ok(()),
        Some(mut first) => {
            first.extend(errors);
            Err(first)
        }
    }
}

/// `#[test]`, `#[core::prelude::v1::test]`, `#[::std::prelude::rust_2021::test]`, ...
fn is_test_attr(attr: &syn::Attribute) -> bool {
    let syn::Meta::Path(path) = &attr.meta else {
        return false;
    };
    let segments: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
    match segments.as_slice() {
        [only] => path.leading_colon.is_none() && only == "test",
        [root, prelude, _, test] => {
            (root == "core" || root == "std") && prelude == "prelude" && test == "test"
        }
        _ => false,
    }
}

fn generate(kind: Kind, func: ItemFn, config: &Config) -> TokenStream {
    let span = func.last_statement_span();
    let body_ident = Ident::new("body", Span::mixed_site().located_at(span));
    // The runtime path and the calls on it carry the location of the last
    // statement: a body whose value has the wrong type is then reported
    // there, where the fix is, not at the attribute.
    let krate = match &config.crate_path {
        Some(path) => respan(path.to_token_stream(), span),
        None => quote_spanned!(span=> ::weft),
    };

    let mut builder = match config.flavor {
        Flavor::MultiThread => {
            quote_spanned!(span=> #krate::runtime::Builder::new_multi_thread())
        }
        Flavor::CurrentThread => {
            quote_spanned!(span=> #krate::runtime::Builder::new_current_thread())
        }
    };
    if let Some(n) = config.worker_threads {
        let n = Literal::usize_unsuffixed(n);
        builder = quote_spanned!(span=> #builder.worker_threads(#n));
    }
    builder = quote_spanned!(span=> #builder.enable_all());
    if let Some(paused) = config.start_paused {
        builder = quote_spanned!(span=> #builder.start_paused(#paused));
    }
    if let Some(name) = &config.name {
        let mut name = Literal::string(name);
        name.set_span(span);
        builder = quote_spanned!(span=> #builder.name(#name));
    }
    let run = quote_spanned! {span=>
        #[allow(
            clippy::expect_used,
            clippy::diverging_sub_expression,
            clippy::needless_return,
            clippy::unwrap_in_result
        )]
        {
            return #builder
                .build()
                .expect("failed to build the weft runtime")
                .block_on(#body_ident);
        }
    };

    let ItemFn {
        attrs,
        vis,
        mut sig,
        brace_span,
        body,
    } = func;
    let output = match &sig.output {
        ReturnType::Default => Some(quote!(())),
        ReturnType::Type(_, ty) if nameable_as_output(ty) => Some(ty.to_token_stream()),
        ReturnType::Type(..) => None,
    };
    // Tests are many and each `block_on::<F>` is a new instantiation; going
    // through `Pin<&mut dyn Future>` makes them all share one. `main` exists
    // once, so it only gets a check that the body's type is the return type,
    // which gives a clearer error than the `block_on` call would.
    let prepare = match (kind, output) {
        (Kind::Test, Some(output)) => quote! {
            let #body_ident: ::core::pin::Pin<&mut dyn ::core::future::Future<Output = #output>> =
                ::core::pin::pin!(#body_ident);
        },
        (Kind::Main, Some(output)) => quote_spanned! {span=>
            if false {
                let _: &dyn ::core::future::Future<Output = #output> = &#body_ident;
            }
        },
        (_, None) => TokenStream::new(),
    };
    let test_attr = match kind {
        Kind::Test => quote!(#[::core::prelude::v1::test]),
        Kind::Main => TokenStream::new(),
    };
    sig.asyncness = None;

    let async_body = braces(body, &brace_span);
    let fn_body = braces(
        quote! {
            let #body_ident = async #async_body;
            #prepare
            #run
        },
        &brace_span,
    );

    quote! {
        #(#attrs)*
        #test_attr
        #vis #sig #fn_body
    }
}

/// Whether `ty` can be written as `dyn Future<Output = ty>`: not `!` (still
/// unstable there) and no `impl Trait` inside.
fn nameable_as_output(ty: &Type) -> bool {
    fn mentions_impl(tokens: TokenStream) -> bool {
        tokens.into_iter().any(|tt| match tt {
            TokenTree::Ident(ident) => ident == "impl",
            TokenTree::Group(group) => mentions_impl(group.stream()),
            _ => false,
        })
    }
    !matches!(ty, Type::Never(_)) && !mentions_impl(ty.to_token_stream())
}

/// `tokens` with every span moved to `span`.
fn respan(tokens: TokenStream, span: Span) -> TokenStream {
    tokens
        .into_iter()
        .map(|mut tt| {
            if let TokenTree::Group(group) = &tt {
                let mut inner = Group::new(group.delimiter(), respan(group.stream(), span));
                inner.set_span(span);
                tt = TokenTree::Group(inner);
            } else {
                tt.set_span(span);
            }
            tt
        })
        .collect()
}

/// `{ tokens }`, with the braces at the user's braces.
fn braces(tokens: TokenStream, span: &DelimSpan) -> Group {
    let mut group = Group::new(Delimiter::Brace, tokens);
    group.set_span(span.join());
    group
}
