//! `mod.rs` (the `Client` and module list) and one file per tag with the
//! params structs and an `impl Client` block of its operations.

use proc_macro2::TokenStream;
use quote::quote;

use super::emit_types::{BuilderField, builder_impl, doc_attrs, ident, inner_doc_attrs, ty_tokens};
use super::model::*;
use super::{areas, emit_request};

/// How a method argument is taken and re-passed by a stream's page fetch.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum ArgKind {
    /// `&str` (owned as `String`).
    Str,
    /// `&[T]` (owned as `Vec<T>`).
    Slice,
    /// Taken by value and `Copy`.
    Copy,
    /// Taken by value, cloned per page.
    Clone,
}

pub(super) fn arg_kind(ty: &TypeRef, api: &Api) -> ArgKind {
    match ty {
        TypeRef::String => ArgKind::Str,
        TypeRef::Vec(_) => ArgKind::Slice,
        TypeRef::Bool
        | TypeRef::I32
        | TypeRef::I64
        | TypeRef::F32
        | TypeRef::F64
        | TypeRef::DateTime
        | TypeRef::Date => ArgKind::Copy,
        TypeRef::Named(name) => {
            match api.types.iter().find(|t| &t.ident == name).map(|t| &t.kind) {
                Some(TypeKind::Alias(inner)) => match arg_kind(inner, api) {
                    ArgKind::Copy => ArgKind::Copy,
                    _ => ArgKind::Clone,
                },
                _ => ArgKind::Clone,
            }
        }
        TypeRef::Json | TypeRef::File | TypeRef::Map(_) => ArgKind::Clone,
    }
}

/// The whole `mod.rs`.
pub fn mod_file(api: &Api) -> TokenStream {
    let mut text = format!("{}: the generated client.", api.title);
    if let Some(description) = &api.description {
        text.push_str("\n\n");
        text.push_str(description);
    }
    let doc = inner_doc_attrs(&text);
    let modules = api.modules.iter().map(|m| {
        let module = ident(&m.ident);
        let used: areas::Areas = m.operations.iter().map(areas::area).collect();
        let cfg = areas::cfg(&used);
        quote!(#cfg pub mod #module;)
    });
    let params = api.modules.iter().flat_map(|m| {
        let module = ident(&m.ident);
        m.operations.iter().filter_map(move |op| {
            op.params_struct.as_ref().map(|p| {
                let p = ident(p);
                let cfg = areas::op_cfg(op);
                quote!(#cfg pub use super::#module::#p;)
            })
        })
    });
    let title = format!(
        " A client of the {}: one async method per operation, grouped by tag into the modules beside this one.",
        api.title
    );
    quote! {
        #doc

        pub mod types;
        #( #modules )*

        /// The params structs of operations with optional query parameters.
        pub mod params {
            #( #params )*
        }

        #[doc = #title]
        ///
        /// Cheap to clone; clones share the token cache.
        #[derive(Debug, Clone)]
        pub struct Client {
            core: ::marketo_rest::ClientCore,
        }

        impl Client {
            /// A client with its own HTTP client and token provider.
            pub fn new(credentials: ::marketo_rest::marketo_auth::RestCredentials) -> Result<Self, ::marketo_rest::marketo_auth::ConfigError> {
                ::marketo_rest::ClientCore::new(credentials).map(Self::from_core)
            }

            /// A client sending through the caller's `reqwest::Client` (token requests too).
            pub fn with_http_client(http: ::marketo_rest::reqwest::Client, credentials: ::marketo_rest::marketo_auth::RestCredentials) -> Result<Self, ::marketo_rest::marketo_auth::ConfigError> {
                ::marketo_rest::ClientCore::with_http_client(http, credentials).map(Self::from_core)
            }

            /// A client from `MARKETO_BASE_URL`, `MARKETO_CLIENT_ID` and `MARKETO_CLIENT_SECRET`.
            pub fn from_env() -> Result<Self, ::marketo_rest::marketo_auth::ConfigError> {
                ::marketo_rest::ClientCore::from_env().map(Self::from_core)
            }

            /// A client over an existing transport.
            pub fn from_core(core: ::marketo_rest::ClientCore) -> Self {
                Self { core }
            }

            /// The transport every call goes through.
            pub fn core(&self) -> &::marketo_rest::ClientCore {
                &self.core
            }
        }
    }
}

/// One operation module.
pub fn module_file(api: &Api, module: &OpModule) -> TokenStream {
    let doc = inner_doc_attrs(&module.doc);
    // One `impl` block per area, each under its feature.
    let mut by_area: Vec<(Option<&str>, Vec<TokenStream>)> = Vec::new();
    for op in &module.operations {
        let tokens = {
            let method = method(api, op);
            let stream = stream_method(api, op);
            quote! { #method #stream }
        };
        let area = areas::area(op);
        match by_area.iter_mut().find(|(a, _)| *a == area) {
            Some((_, methods)) => methods.push(tokens),
            None => by_area.push((area, vec![tokens])),
        }
    }
    let structs = module
        .operations
        .iter()
        .filter_map(|op| params_struct(op).map(|s| areas::each_under(&areas::op_cfg(op), s)));
    let impls = by_area.into_iter().map(|(area, methods)| {
        let cfg = areas::cfg(&areas::Areas::from([area]));
        quote! {
            #cfg
            impl super::Client {
                #( #methods )*
            }
        }
    });
    quote! {
        #doc
        #( #structs )*
        #( #impls )*
    }
}

pub(super) fn types_prefix() -> TokenStream {
    quote!(super::types::)
}

fn params_struct(op: &Operation) -> Option<TokenStream> {
    let name = ident(op.params_struct.as_ref()?);
    let prefix = types_prefix();
    let doc = format!(
        " Optional query parameters of `{}` (`{}`).",
        op.ident, op.id
    );
    let optional: Vec<&Param> = op.query_params.iter().filter(|p| !p.required).collect();
    let fields = optional.iter().map(|p| {
        let doc = doc_attrs(&p.doc);
        let field = p.name.to_ident();
        let ty = ty_tokens(&p.ty, &prefix);
        quote! { #doc pub #field: Option<#ty>, }
    });
    let builder_fields: Vec<BuilderField> = optional
        .iter()
        .map(|p| BuilderField {
            ident: p.name.to_ident(),
            wire: p.name.wire.clone(),
            ty: ty_tokens(&p.ty, &prefix),
            optional: true,
            boxed: false,
        })
        .collect();
    let builder = builder_impl(&name, &builder_fields, quote!());
    Some(quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, Default, PartialEq)]
        #[non_exhaustive]
        pub struct #name {
            #( #fields )*
        }

        #builder
    })
}

/// What `Ok` holds, and the call on the transport.
fn output(op: &Operation) -> (TokenStream, TokenStream) {
    let prefix = types_prefix();
    let id = &op.id;
    let auth = op.auth;
    match &op.response {
        ResponseKind::Envelope(Some(item)) if op.single => {
            let item = ty_tokens(item, &prefix);
            (
                quote!(::marketo_rest::Response<#item>),
                quote!(self.core.send_one::<#item>(#id, request).await),
            )
        }
        ResponseKind::Envelope(Some(item)) => {
            let item = ty_tokens(item, &prefix);
            (
                quote!(::marketo_rest::Response<Vec<#item>>),
                quote!(self.core.send_envelope::<#item>(#id, request).await),
            )
        }
        ResponseKind::Envelope(None) => (
            quote!(::marketo_rest::Response<()>),
            quote!(self.core.send_envelope_empty(#id, request).await),
        ),
        ResponseKind::Plain(ty) => {
            let ty = ty_tokens(ty, &prefix);
            (
                quote!(#ty),
                quote!(self.core.send_json::<#ty>(#id, request, #auth).await),
            )
        }
        ResponseKind::Empty => (
            quote!(()),
            quote!(self.core.send_no_content(#id, request, #auth).await),
        ),
        ResponseKind::File => (
            quote!(::marketo_rest::FileResponse),
            quote!(self.core.send_file(#id, request, #auth).await),
        ),
    }
}

/// The arguments after `&self`: (name, signature type, kind).
fn args(api: &Api, op: &Operation) -> Vec<(proc_macro2::Ident, TokenStream, Option<ArgKind>)> {
    let prefix = types_prefix();
    let mut out = Vec::new();
    for p in op
        .path_params
        .iter()
        .chain(op.query_params.iter().filter(|p| p.required))
    {
        let kind = arg_kind(&p.ty, api);
        let ty = match (&p.ty, kind) {
            (_, ArgKind::Str) => quote!(&str),
            (TypeRef::Vec(inner), ArgKind::Slice) => {
                let inner = ty_tokens(inner, &prefix);
                quote!(&[#inner])
            }
            (ty, _) => ty_tokens(ty, &prefix),
        };
        out.push((p.name.to_ident(), ty, Some(kind)));
    }
    if let Some(name) = &op.params_struct {
        let name = ident(name);
        out.push((ident("params"), quote!(#name), Some(ArgKind::Clone)));
    }
    if let Some(body) = &op.body {
        match &body.wrapper {
            Some(Wrapper {
                ty: TypeRef::Vec(inner),
                ..
            }) => {
                let inner = ty_tokens(inner, &prefix);
                out.push((ident("body"), quote!(&[#inner]), Some(ArgKind::Slice)));
            }
            Some(wrapper) => {
                let ty = ty_tokens(&wrapper.ty, &prefix);
                let ty = if body.required {
                    quote!(&#ty)
                } else {
                    quote!(Option<&#ty>)
                };
                out.push((ident("body"), ty, None));
            }
            None => {
                let ty = ty_tokens(&body.ty, &prefix);
                let ty = if body.required {
                    quote!(&#ty)
                } else {
                    quote!(Option<&#ty>)
                };
                out.push((ident("body"), ty, None));
            }
        }
    }
    out
}

fn args_doc(op: &Operation) -> String {
    let mut lines = Vec::new();
    for p in op
        .path_params
        .iter()
        .chain(op.query_params.iter().filter(|p| p.required))
    {
        let first = p.doc.lines().next().unwrap_or_default();
        lines.push(format!("* `{}`: {first}", p.name.ident));
    }
    if let Some(name) = &op.params_struct {
        lines.push(format!(
            "* `params`: the optional query parameters ([`{name}`])."
        ));
    }
    if let Some(body) = &op.body {
        let line = match &body.wrapper {
            Some(wrapper) => format!(
                "* `body`: {} (sent as `{{\"{}\": …}}`)",
                wrapper
                    .doc
                    .lines()
                    .next()
                    .unwrap_or_default()
                    .trim_end_matches('.'),
                wrapper.member
            ),
            None => format!("* `body`: {}", body.doc.lines().next().unwrap_or_default()),
        };
        lines.push(line);
    }
    if lines.is_empty() {
        String::new()
    } else {
        format!("\n\n# Arguments\n\n{}", lines.join("\n"))
    }
}

fn method(api: &Api, op: &Operation) -> TokenStream {
    let doc = doc_attrs(&format!("{}{}", op.doc, args_doc(op)));
    let name = ident(&op.ident);
    let args = args(api, op);
    let sig: Vec<_> = args
        .iter()
        .map(|(name, ty, _)| quote!(#name: #ty))
        .collect();
    let (ok, call) = output(op);
    let allow = if args.len() > 6 {
        quote!(#[allow(clippy::too_many_arguments)])
    } else {
        quote!()
    };
    let build = emit_request::request_statements(api, op);
    if stream_parts(op).is_none() {
        return quote! {
            #doc
            #allow
            pub async fn #name(&self, #( #sig ),*) -> Result<#ok, ::marketo_rest::RestError> {
                #build
                #call
            }
        };
    }
    // A streamed operation builds its request in a function of its own,
    // which the stream's page fetch shares.
    let request_fn = request_fn_ident(op);
    let names = args.iter().map(|(name, _, _)| name);
    quote! {
        #doc
        #allow
        pub async fn #name(&self, #( #sig ),*) -> Result<#ok, ::marketo_rest::RestError> {
            let request = Self::#request_fn(#( #names ),*)?;
            #call
        }
        #[doc = " The request of one page, shared by the call and its stream."]
        #allow
        fn #request_fn(#( #sig ),*) -> Result<::marketo_rest::Request, ::marketo_rest::RestError> {
            #build
            Ok(request)
        }
    }
}

/// What a `*_stream` method of `op` is made of, if it gets one: its
/// paging, its name and the type of its items.
fn stream_parts(op: &Operation) -> Option<(&Paging, &str, &TypeRef)> {
    match (&op.paging, &op.stream_ident, &op.response) {
        (Some(paging), Some(name), ResponseKind::Envelope(Some(item))) => {
            Some((paging, name.as_str(), item))
        }
        _ => None,
    }
}

/// The function building a streamed operation's request.
fn request_fn_ident(op: &Operation) -> proc_macro2::Ident {
    ident(&format!("{}_request", op.ident))
}

fn stream_method(api: &Api, op: &Operation) -> TokenStream {
    let Some((paging, stream_ident, item)) = stream_parts(op) else {
        return quote!();
    };
    let prefix = types_prefix();
    let item = ty_tokens(item, &prefix);
    let name = ident(stream_ident);
    let request_fn = request_fn_ident(op);
    let id = &op.id;
    let args = args(api, op);
    let sig = args.iter().map(|(name, ty, _)| quote!(#name: #ty));
    let (paging_param, paging_optional) = match paging {
        Paging::Offset {
            param, optional, ..
        }
        | Paging::Token { param, optional } => (param.as_str(), *optional),
    };
    let paging_ident = ident(paging_param);

    let body_required = op.body.as_ref().is_some_and(|b| b.required);
    // Owned copies of the arguments, captured by the page fetch.
    let mut captures = Vec::new();
    let mut per_page = Vec::new();
    let mut pass = Vec::new();
    for (arg, _, kind) in &args {
        let is_paging = !paging_optional && *arg == paging_ident;
        match kind {
            _ if is_paging => {}
            Some(ArgKind::Str) => captures.push(quote!(let #arg = #arg.to_owned();)),
            Some(ArgKind::Slice) => captures.push(quote!(let #arg = #arg.to_vec();)),
            Some(ArgKind::Copy) => {}
            Some(ArgKind::Clone) => {}
            None if body_required => captures.push(quote!(let #arg = #arg.clone();)),
            None => captures.push(quote!(let #arg = #arg.cloned();)),
        }
        if is_paging {
            match paging {
                Paging::Offset { wide: true, .. } => pass.push(quote!(position)),
                Paging::Offset { wide: false, .. } => {
                    pass.push(quote!(i32::try_from(position).unwrap_or(i32::MAX)))
                }
                Paging::Token { .. } => {
                    per_page.push(quote!(let token = position.unwrap_or_default();));
                    pass.push(quote!(&token));
                }
            }
            continue;
        }
        if *arg == ident("params") {
            let set = match paging {
                Paging::Offset { wide: true, .. } if paging_optional => {
                    quote!(params.#paging_ident = Some(position);)
                }
                Paging::Offset { wide: false, .. } if paging_optional => quote!(
                    params.#paging_ident = Some(i32::try_from(position).unwrap_or(i32::MAX));
                ),
                Paging::Token { .. } if paging_optional => quote!(params.#paging_ident = position;),
                _ => quote!(),
            };
            let binding = if set.is_empty() {
                quote!(let params = params.clone();)
            } else {
                quote!(let mut params = params.clone();)
            };
            per_page.push(quote!(#binding #set));
            pass.push(quote!(params));
            continue;
        }
        match kind {
            Some(ArgKind::Str) | Some(ArgKind::Slice) => {
                per_page.push(quote!(let #arg = #arg.clone();));
                pass.push(quote!(&#arg));
            }
            Some(ArgKind::Copy) => pass.push(quote!(#arg)),
            Some(ArgKind::Clone) => {
                per_page.push(quote!(let #arg = #arg.clone();));
                pass.push(quote!(#arg));
            }
            None if body_required => {
                per_page.push(quote!(let #arg = #arg.clone();));
                pass.push(quote!(&#arg));
            }
            None => {
                per_page.push(quote!(let #arg = #arg.clone();));
                pass.push(quote!(#arg.as_ref()));
            }
        }
    }
    let (stream_ty, start, doc) = match paging {
        Paging::Offset { wide, .. } => {
            let start = match (paging_optional, wide) {
                (true, _) => quote!(params.#paging_ident.map_or(0, i64::from)),
                (false, true) => quote!(#paging_ident),
                (false, false) => quote!(i64::from(#paging_ident)),
            };
            (
                quote!(::marketo_rest::paging::OffsetStream<#item>),
                start,
                format!(
                    " Streams the items of [`Self::{}`] page by page (by `offset`, starting at the one given), ending on a short or empty page, with as many pages in flight as the client's throttle allows (see `OffsetStream`). `offset()` on the stream gives the position to resume from.",
                    op.ident
                ),
            )
        }
        Paging::Token { .. } => {
            let start = if paging_optional {
                quote!(params.#paging_ident.clone())
            } else {
                quote!(Some(#paging_ident.to_owned()))
            };
            (
                quote!(::marketo_rest::paging::CursorStream<#item>),
                start,
                format!(
                    " Streams the items of [`Self::{}`] page by page (by `nextPageToken`, starting at the one given), while `moreResult` is true (see `CursorStream` for the exact end). `next_page_token()` on the stream gives the position to resume from.",
                    op.ident
                ),
            )
        }
    };
    let new = match paging {
        Paging::Offset { .. } => quote!(::marketo_rest::paging::OffsetStream::of_pages),
        Paging::Token { .. } => quote!(::marketo_rest::paging::CursorStream::of_pages),
    };
    let (setup, tuning) = offset_tuning(paging);
    let allow = if args.len() > 6 {
        quote!(#[allow(clippy::too_many_arguments)])
    } else {
        quote!()
    };
    quote! {
        #[doc = #doc]
        #allow
        pub fn #name(&self, #( #sig ),*) -> #stream_ty {
            let client = self.clone();
            let start = #start;
            #setup
            #( #captures )*
            #new(start, move |position| {
                let client = client.clone();
                #( #per_page )*
                let request = Self::#request_fn(#( #pass ),*);
                Box::pin(async move { client.core().send_page::<#item>(#id, request?).await })
            })
            #tuning
        }
    }
}

/// For an offset stream: the statements computing its page size and
/// prefetch (before the arguments are moved into the page fetch), and the
/// builder calls applying them. The page size is `maxReturn`, else the
/// schema's `default`, capped at its `maximum` (so that a page shorter than
/// it is the last one); the prefetch is the throttle's in-flight limit.
fn offset_tuning(paging: &Paging) -> (TokenStream, TokenStream) {
    let Paging::Offset { page_size, .. } = paging else {
        return (quote!(), quote!());
    };
    let prefetch = quote!(
        let prefetch = ::marketo_rest::paging::default_prefetch(self.core().throttle());
    );
    let Some(size) = page_size else {
        return (prefetch, quote!(.with_prefetch(prefetch)));
    };
    let param = ident(&size.param);
    let given = if size.optional {
        quote!(params.#param.map(i64::from))
    } else {
        quote!(Some(i64::from(#param)))
    };
    let default = size.bounds.default.map(|d| {
        let d = proc_macro2::Literal::i64_unsuffixed(d);
        quote!(.or(Some(#d)))
    });
    let cap = size.bounds.maximum.map(|m| {
        let m = proc_macro2::Literal::i64_unsuffixed(m);
        quote!(.map(|size| size.min(#m)))
    });
    (
        quote!(
            #prefetch
            let page_size = #given #default #cap .unwrap_or(0);
        ),
        quote!(.with_page_size(page_size).with_prefetch(prefetch)),
    )
}
