//! The model's types → Rust items: field types, enums (the shared emitter
//! plus yaserde text impls) and subtype choices. Structs are in
//! [`super::emit_structs`].

use std::collections::BTreeSet;

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::emit::{PREFIX, doc, ident};
use super::emit_decode::{emit_choice_decoder, emit_enum_decoder};
use super::model::{Builtin, Card, Choice, Enum, Field, FieldType, Model, Struct};
use crate::codegen::enums::{self, EnumItem};

/// The Rust type of `ty`, as named from the types module.
pub(super) fn base_type(ty: &FieldType) -> TokenStream {
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

/// The Rust type of field `f` (`T`, `Option<T>` or `Vec<T>`) as on the
/// wire: a list wrapper stays a wrapper. Named types are prefixed with
/// `path` (`super::` from a nested module).
pub(super) fn wire_field_type(f: &Field, path: &TokenStream) -> TokenStream {
    let base = match &f.ty {
        FieldType::Named(n) => {
            let id = ident(n);
            quote!(#path #id)
        }
        builtin => base_type(builtin),
    };
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

/// An enumeration: the shared enum item, with yaserde impls that write
/// the value as text and read any text (an unknown value into the
/// catch-all variant).
pub(super) fn emit_enum(e: &Enum) -> TokenStream {
    let name = ident(&e.rust);
    let type_name = &e.rust;
    let mut item = EnumItem::new(name.clone(), e.doc.clone(), e.values.clone());
    let decode = item.from_str_call(quote!(text.trim()));
    let decoder = emit_enum_decoder(&name, &item.from_str_call(quote!(text)));
    item.codec = quote! {
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
                let text = ::marketo_soap::xml::read_text(reader)?;
                ::std::result::Result::Ok(#decode)
            }
        }

        #decoder
    };
    enums::emit(&item)
}

/// A type with subtypes: an enum of its concrete types, written and read
/// with `xsi:type`.
pub(super) fn emit_choice(c: &Choice, namespace: &str, base_struct: Option<&str>) -> TokenStream {
    let name = ident(&c.rust);
    let docs = doc(&c.doc);
    let xml = &c.xml;
    let type_name = &c.rust;
    let variants: Vec<Ident> = c.variants.iter().map(|v| ident(&v.rust)).collect();
    let structs: Vec<Ident> = c.variants.iter().map(|v| ident(&v.struct_name)).collect();
    let xsi: Vec<&String> = c.variants.iter().map(|v| &v.xsi_type).collect();
    let decoder = emit_choice_decoder(c, base_struct);
    let vdocs = c
        .variants
        .iter()
        .map(|v| doc(&format!("Sent as `xsi:type=\"{PREFIX}:{}\"`.", v.xsi_type)));
    let untyped = base_struct.and_then(|base| {
        let v = c
            .variants
            .iter()
            .find(|v| v.struct_name == base)
            .map(|v| ident(&v.rust))?;
        Some(quote!(::std::option::Option::None => ::std::result::Result::Ok(Self::#v(::yaserde::YaDeserialize::deserialize(reader)?)),))
    });
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq)]
        #[allow(clippy::large_enum_variant)]
        #[non_exhaustive]
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

        #decoder

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
