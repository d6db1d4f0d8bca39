//! `examples.rs`: which Rust type decodes each operation's answer and JSON
//! request body, as a table a test harness can walk.
//!
//! The file is written next to the client but is not a module of it
//! (`mod.rs` does not declare it): the workspace's example-fixture test
//! (`tests/tests/rest_examples.rs`) includes it with `#[path]` and decodes
//! every documented example under `tests/fixtures/rest-examples/` with the
//! type the generated method would use. It is regenerated and checked for
//! freshness like the rest of the output, so a spec change that moves an
//! operation to another type is seen by the fixtures at once.

use proc_macro2::TokenStream;
use quote::quote;

use super::emit_types::ty_tokens;
use super::model::{Api, BodyEncoding, ResponseKind, TypeRef};

/// The tokens of `examples.rs`.
pub fn examples_file(api: &Api) -> TokenStream {
    let prefix = quote!(::marketo_rest::types::);
    let mut ids = Vec::new();
    let mut responses = Vec::new();
    let mut requests = Vec::new();
    for op in api.modules.iter().flat_map(|m| &m.operations) {
        let id = &op.id;
        ids.push(quote!(#id));
        let response = match &op.response {
            ResponseKind::Envelope(item) => {
                let item = ty_tokens(item.as_ref().unwrap_or(&TypeRef::Json), &prefix);
                Some(quote!(v.visit::<#item>(Shape::Envelope)))
            }
            ResponseKind::Plain(ty) => {
                let ty = ty_tokens(ty, &prefix);
                Some(quote!(v.visit::<#ty>(Shape::Plain)))
            }
            // No JSON body: a file (CSV, bytes) or nothing.
            ResponseKind::Empty | ResponseKind::File => None,
        };
        if let Some(visit) = response {
            responses.push(quote!(#id => #visit,));
        }
        if let Some(body) = &op.body
            && matches!(body.encoding, BodyEncoding::Json)
        {
            let ty = ty_tokens(&body.ty, &prefix);
            requests.push(quote!(#id => v.visit::<#ty>(Shape::Plain),));
        }
    }
    quote! {
        //! The Rust type of each operation's answer and JSON request body,
        //! for tests that decode documented examples (see
        //! `tests/tests/rest_examples.rs`). Not a module of the client.

        /// How a documented answer is wrapped.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Shape {
            /// Marketo's envelope, whose `result` items have the visited type.
            Envelope,
            /// A JSON document of the visited type.
            Plain,
        }

        /// Receives the type an operation decodes with.
        pub trait TypeVisitor {
            /// What the visit returns.
            type Output;
            /// Called with the operation's type.
            fn visit<T>(self, shape: Shape) -> Self::Output
            where
                T: ::marketo_rest::serde::de::DeserializeOwned + ::marketo_rest::serde::Serialize;
        }

        /// Every `operationId` of the spec that has a generated method.
        pub const OPERATIONS: &[&str] = &[ #( #ids ),* ];

        /// Visits the type of `operation_id`'s success answer; `None` for an
        /// unknown operation or one whose answer has no body.
        pub fn response<V: TypeVisitor>(operation_id: &str, v: V) -> Option<V::Output> {
            Some(match operation_id {
                #( #responses )*
                _ => return None,
            })
        }

        /// Visits the type of `operation_id`'s JSON request body; `None` for an
        /// unknown operation or one without a JSON body.
        pub fn request<V: TypeVisitor>(operation_id: &str, v: V) -> Option<V::Output> {
            Some(match operation_id {
                #( #requests )*
                _ => return None,
            })
        }
    }
}
