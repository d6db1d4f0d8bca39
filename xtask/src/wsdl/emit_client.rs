//! The operations → `client.rs` (the generated `Client` with one async
//! method per operation) and `operations.rs` (the descriptors the runtime
//! sends with).

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::emit::{doc, ident};
use super::emit_structs::StructContext;
use super::model::{Model, Operation};

fn operation_doc(op: &Operation) -> String {
    let mut text = op
        .doc
        .clone()
        .unwrap_or_else(|| format!("Calls the `{}` operation.", op.name));
    let returns = match &op.result {
        Some(result) => format!("the `{}` of `{}`", result.name.wire, op.response.xml),
        None => format!("`{}`", op.response.xml),
    };
    text.push_str(&format!(
        "\n\nSends `{}` with SOAPAction `{}`; returns {returns}.",
        op.request.xml, op.soap_action
    ));
    text.push_str(if op.idempotent {
        "\nIdempotent: retried after a transport failure."
    } else {
        "\nNot idempotent: not retried after a transport failure once the request may have been sent."
    });
    if !op.headers.is_empty() {
        let headers: Vec<String> = op.headers.iter().map(|h| format!("`{h}`")).collect();
        text.push_str(&format!("\nHeaders: {}.", headers.join(", ")));
    }
    if !op.faults.is_empty() {
        let faults: Vec<String> = op.faults.iter().map(|h| format!("`{h}`")).collect();
        text.push_str(&format!(
            "\nA fault ({}) is returned as `SoapError::Fault`.",
            faults.join(", ")
        ));
    }
    text
}

fn constant(op: &Operation) -> Ident {
    format_ident!("{}", op.constant)
}

/// One method of the client.
fn method(model: &Model, ctx: &StructContext, op: &Operation) -> TokenStream {
    let docs = doc(&operation_doc(op));
    let name = ident(&op.method);
    let request = ident(&op.request.rust);
    let response = ident(&op.response.rust);
    let c = constant(op);
    let call = quote!(self.core.call::<#request, #response>(&operations::#c, &params).await);
    let response_struct = model.elements.iter().find(|s| s.rust == op.response.rust);
    match (&op.result, response_struct) {
        (Some(result), Some(owner)) => {
            let field = ident(&result.name.ident);
            let ty = ctx.field_type(owner, result);
            quote! {
                #docs
                pub async fn #name(&self, params: #request) -> ::std::result::Result<#ty, ::marketo_soap::SoapError> {
                    #call.map(|response| response.#field)
                }
            }
        }
        _ => quote! {
            #docs
            pub async fn #name(&self, params: #request) -> ::std::result::Result<#response, ::marketo_soap::SoapError> {
                #call
            }
        },
    }
}

/// `client.rs`: the generated client.
pub(super) fn emit_client(model: &Model, ctx: &StructContext) -> TokenStream {
    let port = &model.port.name;
    let mut text = model
        .port
        .doc
        .clone()
        .unwrap_or_else(|| format!("A client of the `{port}` port type."));
    text.push_str(&format!(
        "\n\nOne async method per operation of `{port}`; each sends its request \
         through the [`marketo_soap::ClientCore`] it wraps (signing, \
         throttle, retry, tracing)."
    ));
    let client_doc = doc(&text);
    let methods = model.operations.iter().map(|op| method(model, ctx, op));
    quote! {
        use super::operations;
        #[allow(unused_imports)]
        use super::types::*;

        #client_doc
        #[derive(Debug, Clone)]
        pub struct Client {
            core: ::marketo_soap::ClientCore,
        }

        impl Client {
            /// A client for `config` with the default transport settings
            /// (timeouts, throttle, retry policy); see
            /// [`marketo_soap::ClientCore::new`].
            pub fn new(config: ::marketo_soap::SoapConfig) -> ::std::result::Result<Self, ::marketo_soap::ConfigError> {
                ::marketo_soap::ClientCore::new(config).map(Self::from_core)
            }

            /// A client configured from the `MARKETO_SOAP_*` environment
            /// variables; see [`marketo_soap::ClientCore::from_env`].
            pub fn from_env() -> ::std::result::Result<Self, ::marketo_soap::ConfigError> {
                ::marketo_soap::ClientCore::from_env().map(Self::from_core)
            }

            /// A client over an already built core (custom HTTP client,
            /// throttle, retry policy or workspace: see
            /// [`marketo_soap::ClientCore::builder`]).
            pub fn from_core(core: ::marketo_soap::ClientCore) -> Self {
                Self { core }
            }

            /// The runtime this client sends through.
            pub fn core(&self) -> &::marketo_soap::ClientCore {
                &self.core
            }

            #( #methods )*
        }
    }
}

/// `operations.rs`: one descriptor per operation.
pub(super) fn emit_operations(model: &Model) -> TokenStream {
    let namespace = &model.namespace;
    let descriptors = model.operations.iter().map(|o| {
        let c = constant(o);
        let name = &o.name;
        let action = &o.soap_action;
        let response = &o.response.xml;
        let headers = &o.headers;
        let idempotent = o.idempotent;
        let d = doc(&format!("The `{name}` operation."));
        quote! {
            #d
            pub const #c: ::marketo_soap::Operation = ::marketo_soap::Operation {
                name: #name,
                soap_action: #action,
                namespace: #namespace,
                response_element: #response,
                headers: &[ #( #headers ),* ],
                idempotent: #idempotent,
            };
        }
    });
    let module_doc = crate::codegen::docs::inner_doc_attrs(
        "What the client sends for each operation: name, `soapAction`, namespace,\nresponse element, header parts and idempotency.",
    );
    quote! {
        #module_doc
        #( #descriptors )*
    }
}
