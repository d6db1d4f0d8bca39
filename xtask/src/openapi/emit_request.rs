//! The statements that build an operation's `request`: path, query and
//! header parameters, body.

use proc_macro2::TokenStream;
use quote::quote;

use super::emit_client::{ArgKind, arg_kind, types_prefix};
use super::emit_types::ty_tokens;
use super::model::*;

/// `let path = …; … let request = Request::new(…)…;` for `op`, from its
/// arguments (named as in the method's signature).
pub(super) fn request_statements(api: &Api, op: &Operation) -> TokenStream {
    let path = path_tokens(api, op);

    let has_query = op.query_params.iter().any(|p| !p.header);
    let has_headers = op.query_params.iter().any(|p| p.header);
    let query = if op.query_params.is_empty() {
        quote!()
    } else {
        let pushes = op.query_params.iter().map(|p| {
            let target = if p.header {
                quote!(headers)
            } else {
                quote!(query)
            };
            let name = &p.name.wire;
            let field = p.name.to_ident();
            // `&str`/`&[T]` arguments are references already.
            let value = if p.required {
                match arg_kind(&p.ty, api) {
                    ArgKind::Str | ArgKind::Slice => quote!(#field),
                    _ => quote!(&#field),
                }
            } else {
                quote!(value)
            };
            let push = match (&p.ty, p.style) {
                (TypeRef::Vec(_), QueryStyle::Exploded) => {
                    quote!(#target.push_each(#name, #value);)
                }
                (TypeRef::Vec(_), QueryStyle::Joined(separator)) => {
                    quote!(#target.push_joined(#name, #value, #separator);)
                }
                _ => quote!(#target.push(#name, #value);),
            };
            if p.required {
                push
            } else {
                quote! {
                    if let Some(value) = &params.#field {
                        #push
                    }
                }
            }
        });
        let query = has_query.then(|| quote!(let mut query = ::marketo_rest::Params::new();));
        let headers = has_headers.then(|| quote!(let mut headers = ::marketo_rest::Params::new();));
        quote! {
            #query
            #headers
            #( #pushes )*
        }
    };
    let with_query = match (has_query, has_headers) {
        (false, false) => quote!(),
        (true, false) => quote!(.with_query(query)),
        (false, true) => quote!(.with_headers(headers)),
        (true, true) => quote!(.with_query(query).with_headers(headers)),
    };

    let (body, with_body) = match &op.body {
        None => (quote!(), quote!()),
        Some(body) => {
            let encode = match (&body.encoding, &body.wrapper) {
                (BodyEncoding::Json, Some(wrapper)) => wrapped_json(wrapper),
                (BodyEncoding::Json, None) => quote!(::marketo_rest::Body::json(body)?),
                (BodyEncoding::Form(fields) | BodyEncoding::Multipart(fields), _) => {
                    let multipart = matches!(body.encoding, BodyEncoding::Multipart(_));
                    let pushes = fields.iter().map(|f| {
                        let name = &f.name.wire;
                        let field = f.name.to_ident();
                        let value = if f.optional {
                            quote!(value)
                        } else {
                            quote!(&body.#field)
                        };
                        let push = match f.value {
                            FormValue::Scalar => quote!(form.push(#name, #value);),
                            FormValue::Each => quote!(form.push_each(#name, #value);),
                            FormValue::Json => quote!(form.push_json(#name, #value)?;),
                            FormValue::File => quote!(form.push_file(#name, #value);),
                        };
                        if f.optional {
                            quote! {
                                if let Some(value) = &body.#field {
                                    #push
                                }
                            }
                        } else {
                            push
                        }
                    });
                    if multipart {
                        quote! {{
                            let mut form = ::marketo_rest::Multipart::new();
                            #( #pushes )*
                            ::marketo_rest::Body::Multipart(form)
                        }}
                    } else {
                        quote! {{
                            let mut form = ::marketo_rest::Params::new();
                            #( #pushes )*
                            ::marketo_rest::Body::Form(form)
                        }}
                    }
                }
            };
            let body_tokens = if body.required {
                quote!(let body = #encode;)
            } else {
                quote! {
                    let body = match body {
                        Some(body) => #encode,
                        None => ::marketo_rest::Body::None,
                    };
                }
            };
            (body_tokens, quote!(.with_body(body)))
        }
    };
    let method = proc_macro2::Ident::new(op.method.variant(), proc_macro2::Span::call_site());
    let idempotent = op.idempotent;
    quote! {
        #path
        #query
        #body
        let request = ::marketo_rest::Request::new(::marketo_rest::Method::#method, path) #with_query #with_body .with_idempotent(#idempotent);
    }
}

/// `let path = …;`: the path template with each `{param}` replaced by its
/// encoded value.
fn path_tokens(api: &Api, op: &Operation) -> TokenStream {
    // The path, with each `{param}` replaced by its encoded value.
    let mut pieces: Vec<TokenStream> = Vec::new();
    let mut rest = op.path.as_str();
    for param in &op.path_params {
        let marker = format!("{{{}}}", param.name.wire);
        if let Some(at) = rest.find(&marker) {
            let literal = &rest[..at];
            if !literal.is_empty() {
                pieces.push(quote!(#literal));
            }
            let arg = param.name.to_ident();
            let value = match arg_kind(&param.ty, api) {
                ArgKind::Str | ArgKind::Slice => quote!(#arg),
                _ => quote!(&#arg),
            };
            pieces.push(quote!(::marketo_rest::path_segment(#value).as_str()));
            rest = &rest[at + marker.len()..];
        }
    }
    if !rest.is_empty() {
        pieces.push(quote!(#rest));
    }
    if op.path_params.is_empty() {
        let path = &op.path;
        quote!(let path = String::from(#path);)
    } else {
        quote!(let path = [#(#pieces),*].concat();)
    }
}

/// Encodes the argument `body` inside its single-member wrapper
/// (`{"input": body}`), borrowing it.
fn wrapped_json(wrapper: &Wrapper) -> TokenStream {
    let member = &wrapper.member;
    let prefix = types_prefix();
    let ty = match &wrapper.ty {
        TypeRef::Vec(inner) => {
            let inner = ty_tokens(inner, &prefix);
            quote!([#inner])
        }
        ty => ty_tokens(ty, &prefix),
    };
    quote! {{
        #[derive(::marketo_rest::serde::Serialize)]
        #[serde(crate = "::marketo_rest::serde")]
        struct Wire<'a> {
            #[serde(rename = #member)]
            value: &'a #ty,
        }
        ::marketo_rest::Body::json(&Wire { value: body })?
    }}
}
