//! The model → Rust modules (`mod.rs`, `types.rs`, `enums.rs`,
//! `elements.rs`, `client.rs`), each rendered by [`render::render`].

use std::collections::BTreeSet;

use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote};

use super::model::{Builtin, Card, Choice, Enum, Field, FieldType, Model, Operation, Struct};
use crate::codegen::{CodegenError, GeneratedFile, SpecInput, render};

/// The prefix generated code binds the target namespace to (the runtime's
/// `xml::TARGET_PREFIX`).
const PREFIX: &str = "ns1";

fn ident(text: &str) -> Ident {
    match text.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(text, Span::call_site()),
    }
}

/// `#[doc = " line"]` attributes for `text`.
fn doc(text: &str) -> TokenStream {
    let lines: Vec<String> = text.lines().map(|l| format!(" {}", l.trim_end())).collect();
    quote! { #( #[doc = #lines] )* }
}

fn inner_doc(text: &str) -> TokenStream {
    let lines: Vec<String> = text.lines().map(|l| format!(" {}", l.trim_end())).collect();
    quote! { #( #![doc = #lines] )* }
}

fn base_type(ty: &FieldType) -> TokenStream {
    match ty {
        FieldType::Builtin(Builtin::DateTime) => quote!(::marketo_soap::DateTime),
        FieldType::Builtin(b) => {
            let id = ident(b.rust());
            quote!(#id)
        }
        FieldType::Named(n) => {
            let id = ident(n);
            quote!(#id)
        }
    }
}

fn field_type(f: &Field) -> TokenStream {
    let base = base_type(&f.ty);
    match f.card {
        Card::One => base,
        Card::Optional => quote!(Option<#base>),
        Card::Many => quote!(Vec<#base>),
    }
}

/// Structs whose every field has a `Default` (fixpoint over named types).
pub(crate) fn defaultable(model: &Model) -> BTreeSet<String> {
    let all: Vec<&Struct> = model.structs.iter().chain(&model.elements).collect();
    let mut ok: BTreeSet<String> = BTreeSet::new();
    loop {
        let before = ok.len();
        for s in &all {
            let fine = s.fields.iter().all(|f| {
                f.card != Card::One
                    || match &f.ty {
                        FieldType::Builtin(Builtin::DateTime) => false,
                        FieldType::Builtin(_) => true,
                        FieldType::Named(n) => ok.contains(n),
                    }
            });
            if fine {
                ok.insert(s.rust.clone());
            }
        }
        if ok.len() == before {
            return ok;
        }
    }
}

fn emit_struct(s: &Struct, default: bool) -> TokenStream {
    let name = ident(&s.rust);
    let docs = doc(&s.doc);
    let xml = &s.xml;
    let yaserde = match &s.root {
        Some(namespace) => {
            quote!(#[yaserde(rename = #xml, prefix = #PREFIX, namespaces = { #PREFIX = #namespace })])
        }
        None => quote!(#[yaserde(rename = #xml)]),
    };
    let default = default.then(|| quote!(Default,));
    let fields = s.fields.iter().map(|f| {
        let fname = ident(&f.rust);
        let ty = field_type(f);
        let fxml = &f.xml;
        let text = match &f.doc {
            Some(d) => d.clone(),
            None if f.attribute => format!("The `{fxml}` attribute."),
            None => format!("The `{fxml}` element."),
        };
        let fdoc = doc(&text);
        let attr = if f.attribute {
            quote!(#[yaserde(attribute = true, rename = #fxml)])
        } else {
            quote!(#[yaserde(rename = #fxml)])
        };
        quote! { #fdoc #attr pub #fname: #ty, }
    });
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, #default ::yaserde::YaSerialize, ::yaserde::YaDeserialize)]
        #yaserde
        pub struct #name { #( #fields )* }
    }
}

fn emit_enum(e: &Enum) -> TokenStream {
    let name = ident(&e.rust);
    let type_name = &e.rust;
    let docs = doc(&e.doc);
    let variants: Vec<Ident> = e.values.iter().map(|(v, _, _)| ident(v)).collect();
    let values: Vec<&String> = e.values.iter().map(|(_, w, _)| w).collect();
    let vdocs = e.values.iter().map(|(_, w, d)| {
        let text = match d {
            Some(d) => format!("`{w}`: {d}"),
            None => format!("`{w}`."),
        };
        doc(&text)
    });
    quote! {
        #docs
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum #name { #( #vdocs #variants, )* }

        impl #name {
            /// Every value, in the order of the spec.
            pub const VALUES: &'static [Self] = &[ #( Self::#variants ),* ];
            /// The values as written on the wire, in the order of the spec.
            pub const WIRE_VALUES: &'static [&'static str] = &[ #( #values ),* ];

            /// The value as written on the wire.
            pub fn as_str(&self) -> &'static str {
                match self { #( Self::#variants => #values, )* }
            }
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::std::str::FromStr for #name {
            type Err = ::marketo_soap::xml::UnknownValue;
            fn from_str(s: &str) -> ::std::result::Result<Self, Self::Err> {
                match s {
                    #( #values => ::std::result::Result::Ok(Self::#variants), )*
                    other => ::std::result::Result::Err(::marketo_soap::xml::UnknownValue::new(#type_name, other, Self::WIRE_VALUES)),
                }
            }
        }

        impl ::yaserde::YaSerialize for #name {
            fn serialize<W: ::std::io::Write>(&self, writer: &mut ::yaserde::ser::Serializer<W>) -> ::std::result::Result<(), ::yaserde::Error> {
                ::marketo_soap::xml::write_text(writer, #type_name, self.as_str())
            }
            fn serialize_attributes(&self, attributes: ::marketo_soap::xml::Attributes, namespace: ::marketo_soap::xml::Namespace) -> ::std::result::Result<(::marketo_soap::xml::Attributes, ::marketo_soap::xml::Namespace), ::yaserde::Error> {
                ::std::result::Result::Ok((attributes, namespace))
            }
        }

        impl ::yaserde::YaDeserialize for #name {
            fn deserialize<R: ::std::io::Read>(reader: &mut ::yaserde::de::Deserializer<R>) -> ::std::result::Result<Self, ::yaserde::Error> {
                ::marketo_soap::xml::read_text(reader)?.trim().parse().map_err(::yaserde::Error::custom)
            }
        }
    }
}

fn emit_choice(c: &Choice, namespace: &str, base_struct: Option<&str>) -> TokenStream {
    let name = ident(&c.rust);
    let docs = doc(&c.doc);
    let xml = &c.xml;
    let type_name = &c.rust;
    let variants: Vec<Ident> = c.variants.iter().map(|(v, _, _)| ident(v)).collect();
    let structs: Vec<Ident> = c.variants.iter().map(|(_, s, _)| ident(s)).collect();
    let xsi: Vec<&String> = c.variants.iter().map(|(_, _, x)| x).collect();
    let vdocs = c
        .variants
        .iter()
        .map(|(_, _, x)| doc(&format!("Sent as `xsi:type=\"{PREFIX}:{x}\"`.")));
    let untyped = match base_struct {
        Some(base) => {
            let v = c
                .variants
                .iter()
                .find(|(_, s, _)| s == base)
                .map(|(v, _, _)| ident(v));
            v.map(|v| quote!(::std::option::Option::None => ::std::result::Result::Ok(Self::#v(::yaserde::YaDeserialize::deserialize(reader)?)),))
        }
        None => None,
    };
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq)]
        #[allow(clippy::large_enum_variant)]
        pub enum #name { #( #vdocs #variants(#structs), )* }

        #(
            impl ::std::convert::From<#structs> for #name {
                fn from(value: #structs) -> Self { Self::#variants(value) }
            }
        )*

        impl ::yaserde::YaSerialize for #name {
            fn serialize<W: ::std::io::Write>(&self, writer: &mut ::yaserde::ser::Serializer<W>) -> ::std::result::Result<(), ::yaserde::Error> {
                match self {
                    #( Self::#variants(value) => ::marketo_soap::xml::write_typed(writer, #xml, #namespace, #xsi, value), )*
                }
            }
            fn serialize_attributes(&self, attributes: ::marketo_soap::xml::Attributes, namespace: ::marketo_soap::xml::Namespace) -> ::std::result::Result<(::marketo_soap::xml::Attributes, ::marketo_soap::xml::Namespace), ::yaserde::Error> {
                ::std::result::Result::Ok((attributes, namespace))
            }
        }

        impl ::yaserde::YaDeserialize for #name {
            fn deserialize<R: ::std::io::Read>(reader: &mut ::yaserde::de::Deserializer<R>) -> ::std::result::Result<Self, ::yaserde::Error> {
                match ::marketo_soap::xml::peek_xsi_type(reader)?.as_deref() {
                    #( ::std::option::Option::Some(#xsi) => ::std::result::Result::Ok(Self::#variants(::yaserde::YaDeserialize::deserialize(reader)?)), )*
                    #untyped
                    other => ::std::result::Result::Err(::marketo_soap::xml::unknown_subtype(#type_name, other, &[ #( #xsi ),* ])),
                }
            }
        }
    }
}

fn operation_doc(op: &Operation) -> String {
    let mut text = op
        .doc
        .clone()
        .unwrap_or_else(|| format!("Calls the `{}` operation.", op.name));
    text.push_str(&format!(
        "\n\nSends `{}` with SOAPAction `{}`; returns `{}`.",
        op.request.1, op.soap_action, op.response.1
    ));
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

fn emit_client(model: &Model) -> TokenStream {
    let (port, port_doc) = &model.port;
    let trait_name = ident(port);
    let trait_doc = doc(&format!(
        "{}\n\nThe operations as methods of [`::marketo_soap::Client`]; bring this trait into scope to call them.",
        port_doc
            .clone()
            .unwrap_or_else(|| format!("The `{port}` port type."))
    ));
    let namespace = &model.namespace;
    let methods: Vec<Ident> = model.operations.iter().map(|o| ident(&o.method)).collect();
    let constants: Vec<Ident> = model
        .operations
        .iter()
        .map(|o| format_ident!("{}", o.constant))
        .collect();
    let requests: Vec<Ident> = model
        .operations
        .iter()
        .map(|o| ident(&o.request.0))
        .collect();
    let responses: Vec<Ident> = model
        .operations
        .iter()
        .map(|o| ident(&o.response.0))
        .collect();
    let docs: Vec<TokenStream> = model
        .operations
        .iter()
        .map(|o| doc(&operation_doc(o)))
        .collect();
    let descriptors = model.operations.iter().zip(&constants).map(|(o, c)| {
        let name = &o.name;
        let action = &o.soap_action;
        let response = &o.response.1;
        let headers = &o.headers;
        let d = doc(&format!("The `{name}` operation."));
        quote! {
            #d
            pub const #c: ::marketo_soap::Operation = ::marketo_soap::Operation {
                name: #name,
                soap_action: #action,
                namespace: #namespace,
                response_element: #response,
                headers: &[ #( #headers ),* ],
            };
        }
    });
    quote! {
        #[allow(unused_imports)]
        use super::*;

        #trait_doc
        pub trait #trait_name {
            #(
                #docs
                fn #methods(&self, params: #requests) -> impl ::std::future::Future<Output = ::std::result::Result<#responses, ::marketo_soap::SoapError>> + Send;
            )*
        }

        impl #trait_name for ::marketo_soap::Client {
            #(
                async fn #methods(&self, params: #requests) -> ::std::result::Result<#responses, ::marketo_soap::SoapError> {
                    self.call(&operations::#constants, &params).await
                }
            )*
        }

        /// What the client sends for each operation.
        pub mod operations {
            #( #descriptors )*
        }
    }
}

fn emit_mod(model: &Model, spec: &str) -> TokenStream {
    let mut text = format!("Bindings generated from `{spec}`.");
    if let Some(d) = &model.doc {
        text.push_str(&format!("\n\n{d}"));
    }
    let module_doc = inner_doc(&text);
    let namespace = &model.namespace;
    let service = model.service.as_ref().map(|(name, address, sdoc)| {
        let mut d = format!("The address of service `{name}` in the WSDL.");
        if let Some(sdoc) = sdoc {
            d.push_str(&format!("\n\n{sdoc}"));
        }
        let d = doc(&d);
        address
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
        mod elements;
        mod enums;
        mod types;

        #[allow(unused_imports)]
        pub use client::*;
        #[allow(unused_imports)]
        pub use elements::*;
        #[allow(unused_imports)]
        pub use enums::*;
        #[allow(unused_imports)]
        pub use types::*;
    }
}

/// The generated files for `model`.
pub fn emit(model: &Model, input: &SpecInput<'_>) -> Result<Vec<GeneratedFile>, CodegenError> {
    let default = defaultable(model);
    let ns = &model.namespace;
    let structs = model
        .structs
        .iter()
        .map(|s| emit_struct(s, default.contains(&s.rust)));
    let choices = model.choices.iter().map(|c| {
        let base = model
            .structs
            .iter()
            .find(|s| s.xml == c.xml && c.variants.iter().any(|(_, st, _)| st == &s.rust))
            .map(|s| s.rust.as_str());
        emit_choice(c, ns, base)
    });
    let types = quote! {
        #[allow(unused_imports)]
        use super::*;
        #( #choices )*
        #( #structs )*
    };
    let enums = model.enums.iter().map(emit_enum);
    let enums = quote! { #( #enums )* };
    let elements = model
        .elements
        .iter()
        .map(|s| emit_struct(s, default.contains(&s.rust)));
    let elements = quote! {
        #[allow(unused_imports)]
        use super::*;
        #( #elements )*
    };
    let files = [
        ("mod.rs", emit_mod(model, input.display)),
        ("types.rs", types),
        ("enums.rs", enums),
        ("elements.rs", elements),
        ("client.rs", emit_client(model)),
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
