//! `types.rs`: one Rust type per named schema.

use proc_macro2::TokenStream;
use quote::quote;

use super::model::*;
use crate::codegen::enums::{self, EnumItem, EnumValue};
use crate::codegen::naming;

pub use crate::codegen::docs::{doc_attrs, inner_doc_attrs};

/// An identifier from generated text (never raw: see `codegen::naming`).
pub fn ident(text: &str) -> proc_macro2::Ident {
    naming::ident_of(text)
}

/// The tokens of `ty`; `prefix` qualifies named types (`super::types::`).
pub fn ty_tokens(ty: &TypeRef, prefix: &TokenStream) -> TokenStream {
    match ty {
        TypeRef::String => quote!(String),
        TypeRef::Bool => quote!(bool),
        TypeRef::I32 => quote!(i32),
        TypeRef::I64 => quote!(i64),
        TypeRef::F32 => quote!(f32),
        TypeRef::F64 => quote!(f64),
        TypeRef::DateTime => quote!(::marketo_rest::DateTime),
        TypeRef::Date => quote!(::marketo_rest::Date),
        TypeRef::Json => quote!(::marketo_rest::Json),
        TypeRef::File => quote!(::marketo_rest::FilePart),
        TypeRef::Named(name) => {
            let name = ident(name);
            quote!(#prefix #name)
        }
        TypeRef::Vec(inner) => {
            let inner = ty_tokens(inner, prefix);
            quote!(Vec<#inner>)
        }
        TypeRef::Map(inner) => {
            let inner = ty_tokens(inner, prefix);
            quote!(::marketo_rest::Map<#inner>)
        }
    }
}

/// The whole `types.rs`.
pub fn types_file(api: &Api) -> TokenStream {
    let doc = inner_doc_attrs(&format!(
        "Types of the {} ({} schemas), generated from `components/schemas` and the inline schemas of the spec.",
        api.title,
        api.types.len()
    ));
    let areas = super::areas::type_areas(api);
    let items = api.types.iter().map(|def| {
        let cfg = areas
            .get(&def.ident)
            .map(super::areas::cfg)
            .unwrap_or_default();
        super::areas::each_under(&cfg, type_def(def))
    });
    quote! {
        #doc
        #( #items )*
    }
}

fn type_def(def: &TypeDef) -> TokenStream {
    let doc = doc_attrs(&def.doc);
    let name = ident(&def.ident);
    let none = quote!();
    match &def.kind {
        TypeKind::Alias(ty) => {
            let ty = ty_tokens(ty, &none);
            quote! { #doc pub type #name = #ty; }
        }
        TypeKind::Envelope(item) => {
            let item = match item {
                Some(item) => ty_tokens(item, &none),
                None => quote!(::marketo_rest::Json),
            };
            quote! { #doc pub type #name = ::marketo_rest::Envelope<#item>; }
        }
        TypeKind::Struct(s) => struct_def(&name, &doc, s),
        TypeKind::Enum(e) => enum_def(&name, &def.doc, e),
    }
}

fn struct_def(name: &proc_macro2::Ident, doc: &TokenStream, def: &StructDef) -> TokenStream {
    let none = quote!();
    let fields = def.fields.iter().map(|f| {
        let doc = doc_attrs(&f.doc);
        let field = f.name.to_ident();
        let mut inner = ty_tokens(&f.ty, &none);
        if f.boxed {
            inner = quote!(Box<#inner>);
        }
        let ty = if f.optional() {
            quote!(Option<#inner>)
        } else {
            inner
        };
        let mut attrs: Vec<TokenStream> = Vec::new();
        if f.name.renamed() {
            let rename = &f.name.wire;
            attrs.push(quote!(rename = #rename));
        }
        if f.optional() {
            attrs.push(quote!(default));
        }
        let with = match (&f.ty, f.optional()) {
            (TypeRef::DateTime, false) => Some("::marketo_rest::datetime"),
            (TypeRef::DateTime, true) => Some("::marketo_rest::datetime::option"),
            (TypeRef::Date, false) => Some("::marketo_rest::datetime::date"),
            (TypeRef::Date, true) => Some("::marketo_rest::datetime::date::option"),
            _ => None,
        };
        if let Some(with) = with {
            attrs.push(quote!(with = #with));
        }
        if !f.required {
            attrs.push(quote!(skip_serializing_if = "Option::is_none"));
        }
        let serde = if attrs.is_empty() {
            quote!()
        } else {
            quote!(#[serde( #(#attrs),* )])
        };
        quote! {
            #doc
            #serde
            pub #field: #ty,
        }
    });
    let additional = def.additional.as_ref().map(|ty| {
        let ty = ty_tokens(ty, &none);
        quote! {
            /// Members not declared in the schema, by name.
            #[serde(flatten)]
            pub additional_properties: ::marketo_rest::Map<#ty>,
        }
    });
    let default = if def.default {
        quote!(Default,)
    } else {
        quote!()
    };
    let builder = struct_builder(name, def);
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, #default ::marketo_rest::serde::Serialize, ::marketo_rest::serde::Deserialize)]
        #[serde(crate = "::marketo_rest::serde")]
        #[non_exhaustive]
        pub struct #name {
            #( #fields )*
            #additional
        }

        #builder
    }
}

/// One field of a generated struct, as the builder sees it.
pub struct BuilderField {
    /// The field.
    pub ident: proc_macro2::Ident,
    /// The wire name (for docs).
    pub wire: String,
    /// The type without `Option`/`Box`.
    pub ty: TokenStream,
    /// Whether the field is an `Option` (set by a setter, else a `new` argument).
    pub optional: bool,
    /// Whether the value is boxed.
    pub boxed: bool,
}

/// `impl X { new(required…), setter per optional field }` for a
/// `#[non_exhaustive]` struct, which users cannot build with a literal.
/// `extra` initialises fields that are not in `fields` (e.g.
/// `additional_properties`).
pub fn builder_impl(
    name: &proc_macro2::Ident,
    fields: &[BuilderField],
    extra: TokenStream,
) -> TokenStream {
    let required: Vec<&BuilderField> = fields.iter().filter(|f| !f.optional).collect();
    let args = required.iter().map(|f| {
        let (ident, ty) = (&f.ident, &f.ty);
        quote!(#ident: impl Into<#ty>)
    });
    let inits = fields.iter().map(|f| {
        let ident = &f.ident;
        match (f.optional, f.boxed) {
            (true, _) => quote!(#ident: None,),
            (false, false) => quote!(#ident: #ident.into(),),
            (false, true) => quote!(#ident: Box::new(#ident.into()),),
        }
    });
    let setters = fields.iter().filter(|f| f.optional).map(|f| {
        let (ident, ty) = (&f.ident, &f.ty);
        let value = if f.boxed {
            quote!(Box::new(value.into()))
        } else {
            quote!(value.into())
        };
        let doc = if f.ident == f.wire.as_str() {
            format!(" Sets `{}`.", f.ident)
        } else {
            format!(" Sets `{}` (`{}` on the wire).", f.ident, f.wire)
        };
        quote! {
            #[doc = #doc]
            #[must_use]
            pub fn #ident(mut self, value: impl Into<#ty>) -> Self {
                self.#ident = Some(#value);
                self
            }
        }
    });
    let new_doc = if required.is_empty() {
        format!(" A `{name}` with every field unset; set them with the setters.")
    } else {
        let names: Vec<String> = required.iter().map(|f| format!("`{}`", f.ident)).collect();
        format!(
            " A `{name}` from its required fields ({}); the optional ones start unset, see the setters.",
            names.join(", ")
        )
    };
    let allow = if required.len() > 7 {
        quote!(#[allow(clippy::too_many_arguments)])
    } else {
        quote!()
    };
    quote! {
        impl #name {
            #[doc = #new_doc]
            #allow
            pub fn new(#( #args ),*) -> Self {
                Self {
                    #( #inits )*
                    #extra
                }
            }

            #( #setters )*
        }
    }
}

fn struct_builder(name: &proc_macro2::Ident, def: &StructDef) -> TokenStream {
    let none = quote!();
    let fields: Vec<BuilderField> = def
        .fields
        .iter()
        .map(|f| BuilderField {
            ident: f.name.to_ident(),
            wire: f.name.wire.clone(),
            ty: ty_tokens(&f.ty, &none),
            optional: f.optional(),
            boxed: f.boxed,
        })
        .collect();
    let Some(value) = &def.additional else {
        return builder_impl(name, &fields, quote!());
    };
    let builder = builder_impl(
        name,
        &fields,
        quote!(additional_properties: ::marketo_rest::Map::new(),),
    );
    let value = ty_tokens(value, &none);
    quote! {
        #builder

        impl #name {
            /// Sets the undeclared member `name` (kept in `additional_properties`).
            #[must_use]
            pub fn additional_property(mut self, name: impl Into<String>, value: impl Into<#value>) -> Self {
                self.additional_properties.insert(name.into(), value.into());
                self
            }
        }
    }
}

fn enum_def(name: &proc_macro2::Ident, doc: &str, def: &EnumDef) -> TokenStream {
    let values = def
        .variants
        .iter()
        .map(|v| EnumValue {
            name: v.name.clone(),
            doc: None,
        })
        .collect();
    let mut item = EnumItem::new(name.clone(), doc, values);
    let serde = quote!(::marketo_rest::serde);
    let codec = enums::serde_codec(name, &serde);
    item.codec = quote! {
        #codec

        impl ::marketo_rest::ParamValue for #name {
            fn to_param(&self) -> String {
                self.as_str().to_owned()
            }
        }
    };
    enums::emit(&item)
}
