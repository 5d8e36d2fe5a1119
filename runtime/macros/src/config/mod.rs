//! The options written inside `#[weft::main(...)]` and `#[weft::test(...)]`.
//!
//! Parsing collects every mistake it finds into one [`syn::Error`], so a user
//! who wrote two bad options sees both at once, each pointing at its own
//! tokens. Options that are fine on their own but contradict each other
//! (`worker_threads` with the current-thread flavor, `start_paused` with the
//! multi-thread flavor) are checked after all options are read.

use proc_macro2::{Span, TokenStream};
use syn::parse::Parser;
use syn::punctuated::Punctuated;
use syn::{Expr, ExprLit, Lit, Meta, MetaNameValue, Path, Token};

#[cfg(test)]
mod tests;

/// Which of the two attributes is being expanded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    /// `#[weft::main]`: multi-thread by default, no `#[test]`.
    Main,
    /// `#[weft::test]`: current-thread by default, adds `#[test]`.
    Test,
}

impl Kind {
    /// How the attribute is spelled, for error messages.
    pub(crate) fn attr_name(self) -> &'static str {
        match self {
            Kind::Main => "#[weft::main]",
            Kind::Test => "#[weft::test]",
        }
    }

    fn default_flavor(self) -> Flavor {
        match self {
            Kind::Main => Flavor::MultiThread,
            Kind::Test => Flavor::CurrentThread,
        }
    }
}

/// The scheduler the generated code builds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Flavor {
    /// `Builder::new_multi_thread()`.
    MultiThread,
    /// `Builder::new_current_thread()`.
    CurrentThread,
}

impl Flavor {
    fn from_name(name: &str) -> Option<Flavor> {
        match name {
            "multi_thread" => Some(Flavor::MultiThread),
            "current_thread" => Some(Flavor::CurrentThread),
            _ => None,
        }
    }
}

/// The option names the attributes accept, in the order the docs list them.
const OPTIONS: &str = "`flavor`, `worker_threads`, `start_paused`, `name`, `crate`";

/// Validated options: what the expansion needs and nothing else.
pub(crate) struct Config {
    pub(crate) flavor: Flavor,
    pub(crate) worker_threads: Option<usize>,
    pub(crate) start_paused: Option<bool>,
    /// The runtime's name (`Builder::name`); never blank.
    pub(crate) name: Option<String>,
    /// The path written in `crate = "..."`; `None` means `::weft`.
    pub(crate) crate_path: Option<Path>,
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // `syn::Path` has no `Debug` without syn's `extra-traits`; its
        // tokens say the same.
        let crate_path = self
            .crate_path
            .as_ref()
            .map(|p| quote::quote!(#p).to_string());
        f.debug_struct("Config")
            .field("flavor", &self.flavor)
            .field("worker_threads", &self.worker_threads)
            .field("start_paused", &self.start_paused)
            .field("name", &self.name)
            .field("crate_path", &crate_path)
            .finish()
    }
}

impl Config {
    /// The options of an attribute written without arguments.
    pub(crate) fn defaults(kind: Kind) -> Config {
        Config {
            flavor: kind.default_flavor(),
            worker_threads: None,
            start_paused: None,
            name: None,
            crate_path: None,
        }
    }

    /// Parses and checks the tokens between the attribute's parentheses.
    pub(crate) fn parse(kind: Kind, args: TokenStream) -> syn::Result<Config> {
        let metas = Punctuated::<Meta, Token![,]>::parse_terminated.parse2(args)?;
        let mut raw = RawOptions::default();
        let mut errors = Errors::default();
        for meta in metas {
            if let Err(e) = raw.add(kind, meta) {
                errors.push(e);
            }
        }
        match raw.finish(kind) {
            Ok(config) => errors.into_result(config),
            Err(e) => {
                errors.push(e);
                errors.into_result(Config::defaults(kind))
            }
        }
    }
}

/// Options as written, each with the span of its value, before the
/// cross-option checks.
#[derive(Default)]
struct RawOptions {
    flavor: Option<(Flavor, Span)>,
    worker_threads: Option<(usize, Span)>,
    start_paused: Option<(bool, Span)>,
    name: Option<(String, Span)>,
    crate_path: Option<(Path, Span)>,
}

impl RawOptions {
    fn add(&mut self, kind: Kind, meta: Meta) -> syn::Result<()> {
        match meta {
            Meta::NameValue(nv) => self.add_name_value(kind, nv),
            Meta::Path(path) => Err(bare_option_error(kind, &path)),
            Meta::List(list) => Err(syn::Error::new_spanned(
                &list,
                format!(
                    "options of {} are written `name = value`, not `name(...)`",
                    kind.attr_name()
                ),
            )),
        }
    }

    fn add_name_value(&mut self, kind: Kind, nv: MetaNameValue) -> syn::Result<()> {
        let name = option_name(kind, &nv.path)?;
        let lit = match &nv.value {
            Expr::Lit(ExprLit { lit, .. }) => lit,
            other => {
                return Err(syn::Error::new_spanned(
                    other,
                    format!("the value of `{name}` must be a literal"),
                ))
            }
        };
        let span = lit.span();
        match name.as_str() {
            "flavor" => {
                let text = expect_str(lit, "flavor", "\"multi_thread\"")?;
                let flavor = Flavor::from_name(&text).ok_or_else(|| {
                    syn::Error::new(
                        span,
                        format!(
                            "unknown runtime flavor `{text}`; \
                             the flavors are \"multi_thread\" and \"current_thread\""
                        ),
                    )
                })?;
                set_once(&mut self.flavor, "flavor", flavor, span)
            }
            "worker_threads" => {
                let n = expect_usize(lit, "worker_threads")?;
                if n == 0 {
                    return Err(syn::Error::new(span, "`worker_threads` must be at least 1"));
                }
                set_once(&mut self.worker_threads, "worker_threads", n, span)
            }
            "start_paused" => {
                let paused = match lit {
                    Lit::Bool(b) => b.value,
                    _ => {
                        return Err(syn::Error::new(
                            span,
                            "`start_paused` takes `true` or `false`",
                        ))
                    }
                };
                set_once(&mut self.start_paused, "start_paused", paused, span)
            }
            "name" => {
                let name = expect_str(lit, "name", "\"my-runtime\"")?;
                if name.trim().is_empty() {
                    return Err(syn::Error::new(
                        span,
                        "`name` must have a character that is not whitespace",
                    ));
                }
                set_once(&mut self.name, "name", name, span)
            }
            "crate" => {
                let text = expect_str(lit, "crate", "\"::weft\"")?;
                let path = syn::parse_str::<Path>(&text).map_err(|_| {
                    syn::Error::new(
                        span,
                        format!("`crate` must name a path such as \"::weft\"; `{text}` is not one"),
                    )
                })?;
                set_once(&mut self.crate_path, "crate", path, span)
            }
            other => Err(syn::Error::new_spanned(
                &nv.path,
                format!(
                    "unknown option `{other}` for {}; expected one of {OPTIONS}",
                    kind.attr_name()
                ),
            )),
        }
    }

    fn finish(self, kind: Kind) -> syn::Result<Config> {
        let flavor = self.flavor.map_or(kind.default_flavor(), |(f, _)| f);
        let mut errors = Errors::default();
        if let (Flavor::CurrentThread, Some((_, span))) = (flavor, &self.worker_threads) {
            errors.push(syn::Error::new(
                *span,
                format!(
                    "`worker_threads` only applies to the multi-thread runtime; \
                     write `{}` or remove `worker_threads`",
                    with_flavor(kind, "multi_thread")
                ),
            ));
        }
        if let (Flavor::MultiThread, Some((_, span))) = (flavor, &self.start_paused) {
            errors.push(syn::Error::new(
                *span,
                format!(
                    "`start_paused` needs the current-thread runtime; \
                     write `{}` or remove `start_paused`",
                    with_flavor(kind, "current_thread")
                ),
            ));
        }
        errors.into_result(Config {
            flavor,
            worker_threads: self.worker_threads.map(|(n, _)| n),
            start_paused: self.start_paused.map(|(b, _)| b),
            name: self.name.map(|(n, _)| n),
            crate_path: self.crate_path.map(|(p, _)| p),
        })
    }
}

/// Several errors reported together.
#[derive(Default)]
struct Errors(Option<syn::Error>);

impl Errors {
    fn push(&mut self, e: syn::Error) {
        match &mut self.0 {
            Some(all) => all.combine(e),
            None => self.0 = Some(e),
        }
    }

    fn into_result<T>(self, ok: T) -> syn::Result<T> {
        match self.0 {
            Some(e) => Err(e),
            None => Ok(ok),
        }
    }
}

/// `#[weft::test(flavor = "...")]`, for messages that suggest a fix.
fn with_flavor(kind: Kind, flavor: &str) -> String {
    let name = kind
        .attr_name()
        .trim_start_matches("#[")
        .trim_end_matches(']');
    format!("#[{name}(flavor = \"{flavor}\")]")
}

fn option_name(kind: Kind, path: &Path) -> syn::Result<String> {
    path.get_ident().map(|i| i.to_string()).ok_or_else(|| {
        syn::Error::new_spanned(
            path,
            format!(
                "expected an option name of {}: one of {OPTIONS}",
                kind.attr_name()
            ),
        )
    })
}

/// The error for an option written without `= value`.
fn bare_option_error(kind: Kind, path: &Path) -> syn::Error {
    let name = match option_name(kind, path) {
        Ok(name) => name,
        Err(e) => return e,
    };
    let msg = match name.as_str() {
        "multi_thread" | "current_thread" => {
            format!("to choose the flavor, write `{}`", with_flavor(kind, &name))
        }
        "flavor" | "worker_threads" | "start_paused" | "name" | "crate" => {
            format!("`{name}` needs a value: `{name} = ...`")
        }
        _ => format!(
            "unknown option `{name}` for {}; expected one of {OPTIONS}",
            kind.attr_name()
        ),
    };
    syn::Error::new_spanned(path, msg)
}

fn set_once<T>(slot: &mut Option<(T, Span)>, name: &str, value: T, span: Span) -> syn::Result<()> {
    if slot.is_some() {
        return Err(syn::Error::new(
            span,
            format!("`{name}` is given more than once"),
        ));
    }
    *slot = Some((value, span));
    Ok(())
}

fn expect_str(lit: &Lit, name: &str, example: &str) -> syn::Result<String> {
    match lit {
        Lit::Str(s) => Ok(s.value()),
        _ => Err(syn::Error::new(
            lit.span(),
            format!("`{name}` takes a string, such as `{name} = {example}`"),
        )),
    }
}

fn expect_usize(lit: &Lit, name: &str) -> syn::Result<usize> {
    match lit {
        Lit::Int(int) => int.base10_parse::<usize>().map_err(|e| {
            syn::Error::new(lit.span(), format!("`{name}` must be a whole number: {e}"))
        }),
        _ => Err(syn::Error::new(
            lit.span(),
            format!("`{name}` takes an integer, such as `{name} = 4`"),
        )),
    }
}
