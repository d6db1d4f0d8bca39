//! The model's structs → Rust items: the struct, its constructor and
//! setters, a list wrapper's conversions, and for a struct with list fields
//! its wire twin.
//!
//! A field holding a list wrapper (`leadAttributeList: ArrayOfAttribute`)
//! reads as `Vec<Attribute>` (or `Option<Vec<Attribute>>`). The wire keeps
//! the wrapper element: such a struct is (de)serialized through a private
//! twin in `mod wire` with the wrapper types and yaserde's derive, and
//! converted field by field.

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::emit::{PREFIX, doc, ident};
use super::emit_decode::emit_struct_decoder;
use super::emit_types::{base_type, wire_field_type};
use super::model::{Builtin, Card, Field, FieldType, Model, Struct, flattened};

/// What emitting a struct needs to know about the whole model.
pub(super) struct StructContext {
    /// List wrappers by Rust name, with their item type.
    pub lists: BTreeMap<String, FieldType>,
    /// Structs that derive `Default`.
    pub defaults: BTreeSet<String>,
    /// The item element name of each list wrapper, by Rust name.
    item_names: BTreeMap<String, String>,
}

impl StructContext {
    /// The context of `model`.
    pub(super) fn new(model: &Model) -> Self {
        Self {
            lists: model.list_wrappers(),
            defaults: super::emit_types::defaultable(model),
            item_names: model
                .structs
                .iter()
                .filter_map(|s| Some((s.rust.clone(), s.list_item()?.name.wire.clone())))
                .collect(),
        }
    }

    /// The item element name of the list field `f` of `owner` reads as a
    /// list of (`attribute` for `leadAttributeList`), if it does.
    pub(super) fn list_item_name(&self, owner: &Struct, f: &Field) -> Option<&str> {
        self.list_of(owner, f)?;
        match &f.ty {
            FieldType::Named(n) => self.item_names.get(n).map(String::as_str),
            FieldType::Builtin(_) => None,
        }
    }

    /// The item type field `f` of `owner` reads as a list of, if it does.
    fn list_of(&self, owner: &Struct, f: &Field) -> Option<&FieldType> {
        flattened(&self.lists, owner, f)
    }

    /// The Rust type of field `f` of `owner` as users see it.
    pub(super) fn field_type(&self, owner: &Struct, f: &Field) -> TokenStream {
        match self.list_of(owner, f) {
            Some(item) => {
                let item = base_type(item);
                match f.card {
                    Card::Optional => quote!(Option<Vec<#item>>),
                    _ => quote!(Vec<#item>),
                }
            }
            None => wire_field_type(f, &TokenStream::new()),
        }
    }

    /// The type a constructor or setter takes for field `f` (`Into` of it).
    fn argument_type(&self, owner: &Struct, f: &Field) -> TokenStream {
        if let Some(item) = self.list_of(owner, f) {
            let item = base_type(item);
            return quote!(::std::vec::Vec<#item>);
        }
        let base = base_type(&f.ty);
        match f.card {
            Card::Many => quote!(::std::vec::Vec<#base>),
            _ => base,
        }
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
fn constructor(ctx: &StructContext, s: &Struct) -> TokenStream {
    let name = ident(&s.rust);
    let required: Vec<&Field> = s.fields.iter().filter(|f| f.card == Card::One).collect();
    let args = required.iter().map(|f| {
        let id = ident(&f.name.ident);
        let ty = ctx.argument_type(s, f);
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
    // A type may have many required elements; `new` takes them all.
    let many_args = (required.len() > 7).then(|| quote!(#[allow(clippy::too_many_arguments)]));
    let setters = s.fields.iter().filter(|f| f.card != Card::One).map(|f| {
        let id = ident(&f.name.ident);
        let setter = setter_name(f);
        let ty = ctx.argument_type(s, f);
        let (value, text) = match f.card {
            Card::Many => (
                quote!(value.into()),
                format!("Sets `{}` (the `{}` elements).", f.name.ident, f.name.wire),
            ),
            _ => (
                quote!(::std::option::Option::Some(value.into())),
                format!("Sets `{}`.", f.name.ident),
            ),
        };
        let d = doc(&text);
        quote! {
            #d
            #[must_use]
            pub fn #setter(mut self, value: impl ::std::convert::Into<#ty>) -> Self {
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
            #many_args
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

/// The struct-level yaserde attribute of `s`.
fn yaserde_attr(s: &Struct) -> TokenStream {
    let xml = &s.xml;
    match &s.root {
        Some(namespace) => {
            quote!(#[yaserde(rename = #xml, prefix = #PREFIX, namespaces = { #PREFIX = #namespace })])
        }
        None => quote!(#[yaserde(rename = #xml)]),
    }
}

/// The yaserde attribute of field `f`.
fn field_attr(f: &Field) -> TokenStream {
    let fxml = &f.name.wire;
    if f.attribute {
        quote!(#[yaserde(attribute = true, rename = #fxml)])
    } else if f.nil {
        // A nil element is dropped before decoding: absent reads as `None`.
        quote!(#[yaserde(rename = #fxml, default = "nil_absent")])
    } else {
        quote!(#[yaserde(rename = #fxml)])
    }
}

/// A struct emitted for the types module: the items, and the twin that
/// goes into the file's `mod wire` (if the struct has list fields).
pub(super) struct EmittedStruct {
    /// The struct, its impls.
    pub items: TokenStream,
    /// Its wire twin and conversions, inside `mod wire`.
    pub twin: Option<TokenStream>,
}

/// A struct, its constructor and setters, and for a list wrapper its
/// conversions; a struct with list fields gets a wire twin.
pub(super) fn emit_struct(ctx: &StructContext, s: &Struct) -> EmittedStruct {
    let name = ident(&s.rust);
    let mut text = s.doc.clone();
    if let Some(item) = s.list_item() {
        text.push_str(&format!(
            "\n\nA list of `{}`: built from a `Vec`, an array or an iterator, read as a slice.",
            item.ty.display()
        ));
    }
    let docs = doc(&text);
    let twinned = needs_twin(ctx, s);
    let default = ctx.defaults.contains(&s.rust).then(|| quote!(Default,));
    let fields = s.fields.iter().map(|f| {
        let fname = ident(&f.name.ident);
        let ty = ctx.field_type(s, f);
        let fxml = &f.name.wire;
        let text = match &f.doc {
            Some(d) => d.clone(),
            None if f.attribute => format!("The `{fxml}` attribute."),
            None => format!("The `{fxml}` element."),
        };
        let fdoc = doc(&text);
        let attr = (!twinned).then(|| field_attr(f));
        quote! { #fdoc #attr pub #fname: #ty, }
    });
    let (derive_yaserde, yaserde) = if twinned {
        (None, None)
    } else {
        (
            Some(quote!(::yaserde::YaSerialize, ::yaserde::YaDeserialize)),
            Some(yaserde_attr(s)),
        )
    };
    let constructor = constructor(ctx, s);
    let lists = s.list_item().map(|item| list_impls(&name, item));
    let via_twin = twinned.then(|| via_twin(&name));
    let decoder = emit_struct_decoder(ctx, s);
    let items = quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, #default #derive_yaserde)]
        #yaserde
        #[non_exhaustive]
        pub struct #name { #( #fields )* }
        #constructor
        #lists
        #via_twin
        #decoder
    };
    EmittedStruct {
        items,
        twin: twinned.then(|| twin(ctx, s)),
    }
}

/// Whether `s` is (de)serialized through a wire twin: it has a field read
/// as a list, or a required nillable field (written `xsi:nil` when unset).
fn needs_twin(ctx: &StructContext, s: &Struct) -> bool {
    s.fields
        .iter()
        .any(|f| f.nil || ctx.list_of(s, f).is_some())
}

/// yaserde impls of `name` through its twin `wire::name`.
fn via_twin(name: &Ident) -> TokenStream {
    quote! {
        impl ::yaserde::YaSerialize for #name {
            fn serialize<W: ::std::io::Write>(&self, writer: &mut ::yaserde::ser::Serializer<W>) -> ::std::result::Result<(), ::yaserde::Error> {
                ::yaserde::YaSerialize::serialize(&wire::#name::of(self), writer)
            }
            fn serialize_attributes(&self, attributes: ::marketo_soap::xml::Attributes, namespace: ::marketo_soap::xml::Namespace) -> ::std::result::Result<(::marketo_soap::xml::Attributes, ::marketo_soap::xml::Namespace), ::yaserde::Error> {
                ::yaserde::YaSerialize::serialize_attributes(&wire::#name::of(self), attributes, namespace)
            }
        }

        impl ::yaserde::YaDeserialize for #name {
            fn deserialize<R: ::std::io::Read>(reader: &mut ::yaserde::de::Deserializer<R>) -> ::std::result::Result<Self, ::yaserde::Error> {
                <wire::#name as ::yaserde::YaDeserialize>::deserialize(reader).map(wire::#name::into_public)
            }
        }
    }
}

/// The wire twin of `s` (its fields as on the wire, wrappers kept) and its
/// conversions from and to the public struct.
fn twin(ctx: &StructContext, s: &Struct) -> TokenStream {
    let name = ident(&s.rust);
    let yaserde = yaserde_attr(s);
    let up = quote!(super::);
    let fields = s.fields.iter().map(|f| {
        let fname = ident(&f.name.ident);
        let ty = twin_field_type(f, &up);
        let attr = field_attr(f);
        quote! { #attr pub(super) #fname: #ty, }
    });
    let to_wire = s.fields.iter().map(|f| {
        let fname = ident(&f.name.ident);
        let value = match (ctx.list_of(s, f), f.card) {
            (Some(_), Card::Optional) => {
                quote!(value.#fname.clone().map(::std::convert::From::from))
            }
            (Some(_), _) => quote!(::std::convert::From::from(value.#fname.clone())),
            (None, _) => quote!(value.#fname.clone()),
        };
        if f.nil {
            let wrapper = nil_wrapper(f);
            quote!(#fname: #wrapper::new(#value))
        } else {
            quote!(#fname: #value)
        }
    });
    let to_public = s.fields.iter().map(|f| {
        let fname = ident(&f.name.ident);
        let field = if f.nil {
            quote!(self.#fname.into_option())
        } else {
            quote!(self.#fname)
        };
        match (ctx.list_of(s, f), f.card) {
            (Some(_), Card::Optional) => {
                quote!(#fname: #field.map(::std::convert::From::from))
            }
            (Some(_), _) => quote!(#fname: ::std::convert::From::from(#field)),
            (None, _) => quote!(#fname: #field),
        }
    });
    quote! {
        #[derive(::yaserde::YaSerialize, ::yaserde::YaDeserialize)]
        #yaserde
        pub(super) struct #name { #( #fields )* }

        impl #name {
            pub(super) fn of(value: &super::#name) -> Self {
                Self { #( #to_wire, )* }
            }
            pub(super) fn into_public(self) -> super::#name {
                super::#name { #( #to_public, )* }
            }
        }
    }
}

/// The runtime wrapper a required nillable field `f` is held in on the
/// wire: `NilText` for built-in text values, `Nil` for values that write
/// their own element.
fn nil_wrapper(f: &Field) -> TokenStream {
    match &f.ty {
        FieldType::Builtin(b) if *b != Builtin::DateTime => quote!(::marketo_soap::xml::NilText),
        _ => quote!(::marketo_soap::xml::Nil),
    }
}

/// The type of field `f` in a wire twin: as on the wire, except that a
/// required nillable field is held in its [`nil_wrapper`].
fn twin_field_type(f: &Field, path: &TokenStream) -> TokenStream {
    if !f.nil {
        return wire_field_type(f, path);
    }
    let wrapper = nil_wrapper(f);
    let base = match &f.ty {
        FieldType::Named(n) => {
            let id = ident(n);
            quote!(#path #id)
        }
        builtin => base_type(builtin),
    };
    quote!(#wrapper<#base>)
}

/// The items of a types file (`structs.rs` or `elements.rs`) for
/// `structs`, with the twins in a private `mod wire`.
pub(super) fn emit_structs<'s>(
    ctx: &StructContext,
    structs: impl Iterator<Item = &'s Struct>,
) -> (Vec<TokenStream>, TokenStream) {
    let mut items = Vec::new();
    let mut twins = Vec::new();
    let mut nil = false;
    for s in structs {
        nil |= s.fields.iter().any(|f| f.nil);
        let e = emit_struct(ctx, s);
        items.push(e.items);
        twins.extend(e.twin);
    }
    let nil_absent = nil.then(|| {
        quote!(
            use ::marketo_soap::xml::nil_absent;
        )
    });
    let wire = (!twins.is_empty()).then(|| {
        quote! {
            /// The structs with list fields as written on the wire (list
            /// wrappers kept), (de)serialized by yaserde's derive.
            mod wire {
                // Fields are copied whatever their type.
                #![allow(clippy::clone_on_copy)]
                #nil_absent
                #( #twins )*
            }
        }
    });
    (items, wire.unwrap_or_default())
}
