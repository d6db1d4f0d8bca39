//! The model's types → Rust items: structs (with constructor and setters),
//! list wrappers' conversions, enums (the shared emitter plus yaserde text
//! impls) and subtype choices.

use std::collections::BTreeSet;

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::emit::{PREFIX, doc, ident};
use super::model::{Builtin, Card, Choice, Enum, Field, FieldType, Model, Struct};
use crate::codegen::enums::{self, EnumItem};

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

/// The Rust type of field `f` (`T`, `Option<T>` or `Vec<T>`).
pub(super) fn field_type(f: &Field) -> TokenStream {
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

/// The element type of a list wrapper (`ArrayOfX { x: Vec<X> }`: a type,
/// not a top-level element, whose only member is a repeated element).
pub(super) fn list_item(s: &Struct) -> Option<&Field> {
    match s.fields.as_slice() {
        [only] if s.root.is_none() && !only.attribute && only.card == Card::Many => Some(only),
        _ => None,
    }
}

/// The setter of field `f`: named after the field (`set_new` for a field
/// called `new`, which the constructor takes).
fn setter_name(f: &Field) -> Ident {
    if f.name.ident == "new" {
        ident("set_new")
    } else {
        ident(&f.name.ident)
    }
}

/// `new(required..)` and one setter per optional or repeated field.
fn constructor(s: &Struct) -> TokenStream {
    let name = ident(&s.rust);
    let required: Vec<&Field> = s.fields.iter().filter(|f| f.card == Card::One).collect();
    let args = required.iter().map(|f| {
        let id = ident(&f.name.ident);
        let ty = base_type(&f.ty);
        quote!(#id: impl ::std::convert::Into<#ty>)
    });
    let inits = s.fields.iter().map(|f| {
        let id = ident(&f.name.ident);
        match f.card {
            Card::One => quote!(#id: #id.into()),
            Card::Optional => quote!(#id: ::std::option::Option::None),
            Card::Many => quote!(#id: ::std::vec::Vec::new()),
        }
    });
    let new_doc = if required.is_empty() {
        format!("An empty `{}`; set its fields with the setters.", s.xml)
    } else {
        let listed: Vec<String> = required
            .iter()
            .map(|f| format!("`{}`", f.name.ident))
            .collect();
        format!(
            "A `{}` with its required fields ({}); the others are unset.",
            s.xml,
            listed.join(", ")
        )
    };
    let new_doc = doc(&new_doc);
    let setters = s.fields.iter().filter(|f| f.card != Card::One).map(|f| {
        let id = ident(&f.name.ident);
        let setter = setter_name(f);
        let ty = base_type(&f.ty);
        let (arg, value, text) = match f.card {
            Card::Many => (
                quote!(impl ::std::convert::Into<::std::vec::Vec<#ty>>),
                quote!(value.into()),
                format!("Sets `{}` (the `{}` elements).", f.name.ident, f.name.wire),
            ),
            _ => (
                quote!(impl ::std::convert::Into<#ty>),
                quote!(::std::option::Option::Some(value.into())),
                format!("Sets `{}`.", f.name.ident),
            ),
        };
        let d = doc(&text);
        quote! {
            #d
            #[must_use]
            pub fn #setter(mut self, value: #arg) -> Self {
                self.#id = #value;
                self
            }
        }
    });
    quote! {
        impl #name {
            #new_doc
            #[must_use]
            #[allow(clippy::new_without_default)]
            pub fn new(#( #args ),*) -> Self {
                Self { #( #inits, )* }
            }
            #( #setters )*
        }
    }
}

/// Conversions of a list wrapper `name { field: Vec<T> }` to and from
/// `Vec<T>`, so that users read and build it as a list.
fn list_impls(name: &Ident, item: &Field) -> TokenStream {
    let field = ident(&item.name.ident);
    let ty = base_type(&item.ty);
    quote! {
        impl ::std::convert::From<::std::vec::Vec<#ty>> for #name {
            fn from(value: ::std::vec::Vec<#ty>) -> Self {
                Self { #field: value }
            }
        }
        impl<const N: usize> ::std::convert::From<[#ty; N]> for #name {
            fn from(value: [#ty; N]) -> Self {
                Self { #field: value.into() }
            }
        }
        impl ::std::convert::From<#name> for ::std::vec::Vec<#ty> {
            fn from(value: #name) -> Self {
                value.#field
            }
        }
        impl ::std::iter::FromIterator<#ty> for #name {
            fn from_iter<I: ::std::iter::IntoIterator<Item = #ty>>(iter: I) -> Self {
                Self { #field: iter.into_iter().collect() }
            }
        }
        impl ::std::iter::IntoIterator for #name {
            type Item = #ty;
            type IntoIter = ::std::vec::IntoIter<#ty>;
            fn into_iter(self) -> Self::IntoIter {
                self.#field.into_iter()
            }
        }
        impl<'a> ::std::iter::IntoIterator for &'a #name {
            type Item = &'a #ty;
            type IntoIter = ::std::slice::Iter<'a, #ty>;
            fn into_iter(self) -> Self::IntoIter {
                self.#field.iter()
            }
        }
        impl ::std::ops::Deref for #name {
            type Target = [#ty];
            fn deref(&self) -> &[#ty] {
                &self.#field
            }
        }
    }
}

/// A struct, its constructor and setters, and for a list wrapper its
/// conversions.
pub(super) fn emit_struct(s: &Struct, default: bool) -> TokenStream {
    let name = ident(&s.rust);
    let mut text = s.doc.clone();
    if let Some(item) = list_item(s) {
        text.push_str(&format!(
            "\n\nA list of `{}`: built from a `Vec`, an array or an iterator, read as a slice.",
            item.ty.display()
        ));
    }
    let docs = doc(&text);
    let xml = &s.xml;
    let yaserde = match &s.root {
        Some(namespace) => {
            quote!(#[yaserde(rename = #xml, prefix = #PREFIX, namespaces = { #PREFIX = #namespace })])
        }
        None => quote!(#[yaserde(rename = #xml)]),
    };
    let default = default.then(|| quote!(Default,));
    let fields = s.fields.iter().map(|f| {
        let fname = ident(&f.name.ident);
        let ty = field_type(f);
        let fxml = &f.name.wire;
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
    let constructor = constructor(s);
    let lists = list_item(s).map(|item| list_impls(&name, item));
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, #default ::yaserde::YaSerialize, ::yaserde::YaDeserialize)]
        #yaserde
        #[non_exhaustive]
        pub struct #name { #( #fields )* }
        #constructor
        #lists
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
