//! The model → Rust modules, each rendered by [`render::render`]:
//!
//! | file | holds |
//! | --- | --- |
//! | `mod.rs` | `NAMESPACE`, `SERVICE_ADDRESS`, `pub use client::Client`, `pub mod types`, `pub mod operations` |
//! | `client.rs` | the generated `Client` (`super::emit_client`) |
//! | `operations.rs` | the operation descriptors |
//! | `types/mod.rs` | re-exports the three files below |
//! | `types/structs.rs` | complex types and subtype choices (+ `mod wire`, see `super::emit_structs`) |
//! | `types/enums.rs` | enumerations |
//! | `types/elements.rs` | top-level elements (`params*`, `success*`, headers) (+ `mod wire`) |

use super::emit_structs::StructContext;
pub(crate) use super::emit_types::defaultable;

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use super::emit_client::{emit_client, emit_operations};
use super::emit_structs::emit_structs;
use super::emit_types::{emit_choice, emit_enum};
use super::model::Model;
use crate::codegen::docs::{doc_attrs, inner_doc_attrs};
use crate::codegen::{CodegenError, GeneratedFile, SpecInput, render};

/// The prefix generated code binds the target namespace to (the runtime's
/// `xml::TARGET_PREFIX`).
pub(super) const PREFIX: &str = "ns1";

/// An identifier token from text the naming module made (never a keyword).
pub(super) fn ident(text: &str) -> Ident {
    Ident::new(text, Span::call_site())
}

/// `#[doc = " line"]` attributes for `text`.
pub(super) fn doc(text: &str) -> TokenStream {
    doc_attrs(text)
}

fn emit_mod(model: &Model, spec: &str) -> TokenStream {
    let mut text = format!("Bindings generated from `{spec}`.");
    if let Some(d) = &model.doc {
        text.push_str(&format!("\n\n{d}"));
    }
    text.push_str(
        "\n\n[`Client`] has one async method per operation; [`types`] holds \
         every request, response and header type; [`operations`] the \
         descriptors the runtime sends with.",
    );
    let module_doc = inner_doc_attrs(&text);
    let namespace = &model.namespace;
    let service = model.service.as_ref().map(|service| {
        let mut d = format!("The address of service `{}` in the WSDL.", service.name);
        if let Some(sdoc) = &service.doc {
            d.push_str(&format!("\n\n{sdoc}"));
        }
        let d = doc(&d);
        service
            .address
            .as_ref()
            .map(|a| quote!(#d pub const SERVICE_ADDRESS: &str = #a;))
    });
    quote! {
        #module_doc
        // The including module may share a name with a submodule.
        #![allow(clippy::module_inception)]

        /// The target namespace of the request, response and header elements.
        pub const NAMESPACE: &str = #namespace;
        #service

        mod client;
        pub mod operations;
        pub mod types;

        // Unused when the including module is private (a test crate).
        #[allow(unused_imports)]
        pub use client::Client;
    }
}

fn emit_types_mod() -> TokenStream {
    let module_doc = inner_doc_attrs(
        "Every type of the WSDL: complex types and their subtype choices,\nenumerations, and the top-level elements sent and received.",
    );
    quote! {
        #module_doc

        mod elements;
        mod enums;
        mod structs;

        // A WSDL may have no enumeration (an empty module), and the
        // including module may be private.
        #[allow(unused_imports)]
        pub use elements::*;
        #[allow(unused_imports)]
        pub use enums::*;
        #[allow(unused_imports)]
        pub use structs::*;
    }
}

/// The generated files for `model`.
pub fn emit(model: &Model, input: &SpecInput<'_>) -> Result<Vec<GeneratedFile>, CodegenError> {
    let ctx = StructContext::new(model);
    let ns = &model.namespace;
    let (structs, structs_wire) = emit_structs(&ctx, model.structs.iter());
    let choices = model.choices.iter().map(|c| {
        let base = model
            .structs
            .iter()
            .find(|s| s.xml == c.xml && c.variants.iter().any(|v| v.struct_name == s.rust))
            .map(|s| s.rust.as_str());
        emit_choice(c, ns, base)
    });
    // yaserde's derive names locals after the fields (`__type__value` for
    // `type_`), which the snake-case lint flags.
    let structs = quote! {
        #![allow(non_snake_case)]
        #[allow(unused_imports)]
        use super::*;
        #( #choices )*
        #( #structs )*
        #structs_wire
    };
    let enums = model.enums.iter().map(emit_enum);
    let enums = quote! { #( #enums )* };
    let (elements, elements_wire) = emit_structs(&ctx, model.elements.iter());
    let elements = quote! {
        #![allow(non_snake_case)]
        #[allow(unused_imports)]
        use super::*;
        #( #elements )*
        #elements_wire
    };
    let files = [
        ("mod.rs", emit_mod(model, input.display)),
        ("client.rs", emit_client(model, &ctx)),
        ("operations.rs", emit_operations(model)),
        ("types/mod.rs", emit_types_mod()),
        ("types/structs.rs", structs),
        ("types/enums.rs", enums),
        ("types/elements.rs", elements),
    ];
    files
        .into_iter()
        .map(|(path, tokens)| {
            Ok(GeneratedFile {
                path: path.to_owned(),
                contents: render::render(path, input.command, input.display, tokens)?,
            })
        })
        .collect()
}
