//! The function the attribute sits on, parsed only as far as the expansion
//! needs.
//!
//! The signature is parsed with `syn`; the body is kept as the tokens the
//! user wrote. Not parsing the statements means a body with a syntax error
//! still expands (the compiler then reports that error at its real place),
//! and editors keep completing inside the function while it is half typed.

use proc_macro2::extra::DelimSpan;
use proc_macro2::{Span, TokenStream, TokenTree};
use syn::parse::{Parse, ParseStream};
use syn::{braced, AttrStyle, Attribute, Signature, Visibility};

/// A free function: attributes, visibility, signature and raw body.
pub(crate) struct ItemFn {
    /// Outer attributes, followed by the body's inner attributes turned into
    /// outer ones (a block expression cannot carry `#![...]`).
    pub(crate) attrs: Vec<Attribute>,
    pub(crate) vis: Visibility,
    pub(crate) sig: Signature,
    /// The braces around the body.
    pub(crate) brace_span: DelimSpan,
    /// The statements of the body, untouched.
    pub(crate) body: TokenStream,
}

impl Parse for ItemFn {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let mut attrs = input.call(Attribute::parse_outer)?;
        let vis: Visibility = input.parse()?;
        let sig: Signature = input.parse()?;
        let content;
        let brace = braced!(content in input);
        for mut attr in content.call(Attribute::parse_inner)? {
            attr.style = AttrStyle::Outer;
            attrs.push(attr);
        }
        let body: TokenStream = content.parse()?;
        Ok(ItemFn {
            attrs,
            vis,
            sig,
            brace_span: brace.span,
            body,
        })
    }
}

impl ItemFn {
    /// The span of the first token of the body's last statement, or of the
    /// closing brace for an empty body.
    ///
    /// The generated `block_on` call carries this span, so when the body's
    /// value does not match the return type the compiler points at the
    /// user's last statement rather than at the attribute.
    pub(crate) fn last_statement_span(&self) -> Span {
        let mut start = None;
        let mut after_semicolon = true;
        for tt in self.body.clone() {
            let is_semicolon = matches!(&tt, TokenTree::Punct(p) if p.as_char() == ';');
            if after_semicolon && !is_semicolon {
                start = Some(tt.span());
            }
            after_semicolon = is_semicolon;
        }
        start.unwrap_or_else(|| self.brace_span.close())
    }
}
