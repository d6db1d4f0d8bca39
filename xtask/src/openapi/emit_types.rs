//! `types.rs`: one Rust type per named schema.

use proc_macro2::TokenStream;
use quote::quote;

use super::model::*;

/// The lines of a doc comment for `text`: indentation is kept up to three
/// spaces (list continuations survive, indented code blocks cannot
/// appear), and fences without a language become `text` fences, so that
/// spec text never turns into a doctest.
fn doc_lines(text: &str) -> Vec<String> {
    let mut in_fence = false;
    text.trim()
        .lines()
        .map(|line| {
            let body = line.trim_start();
            let indent = (line.len() - body.len()).min(3);
            let mut body = body.trim_end().to_owned();
            if body.starts_with("```") {
                if !in_fence && body.trim_start_matches('`').trim().is_empty() {
                    body = "```text".to_owned();
                }
                in_fence = !in_fence;
            }
            if body.is_empty() {
                String::new()
            } else {
                format!(" {}{body}", " ".repeat(indent))
            }
        })
        .collect()
}

/// `#[doc = "…"]` lines for `text` (see `doc_lines`).
pub fn doc_attrs(text: &str) -> TokenStream {
    let lines = doc_lines(text);
    quote! { #( #[doc = #lines] )* }
}

/// `#![doc = "…"]` (inner) lines for `text`.
pub fn inner_doc_attrs(text: &str) -> TokenStream {
    let lines = doc_lines(text);
    quote! { #( #![doc = #lines] )* }
}

/// An identifier from generated text (raw for keywords).
pub fn ident(text: &str) -> proc_macro2::Ident {
    match text.strip_prefix("r#") {
        Some(raw) => proc_macro2::Ident::new_raw(raw, proc_macro2::Span::call_site()),
        None => proc_macro2::Ident::new(text, proc_macro2::Span::call_site()),
    }
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
    let items = api.types.iter().map(type_def);
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
        TypeKind::Enum(e) => enum_def(&name, &doc, e),
    }
}

fn struct_def(name: &proc_macro2::Ident, doc: &TokenStream, def: &StructDef) -> TokenStream {
    let none = quote!();
    let fields = def.fields.iter().map(|f| {
        let doc = doc_attrs(&f.doc);
        let field = ident(&f.ident);
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
        let plain = f.ident.strip_prefix("r#").unwrap_or(&f.ident);
        if plain != f.name {
            let rename = &f.name;
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
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, #default ::marketo_rest::serde::Serialize, ::marketo_rest::serde::Deserialize)]
        #[serde(crate = "::marketo_rest::serde")]
        pub struct #name {
            #( #fields )*
            #additional
        }
    }
}

fn enum_def(name: &proc_macro2::Ident, doc: &TokenStream, def: &EnumDef) -> TokenStream {
    let variants: Vec<proc_macro2::Ident> = def.variants.iter().map(|v| ident(&v.ident)).collect();
    let values: Vec<&str> = def.variants.iter().map(|v| v.value.as_str()).collect();
    let variant_docs = def.variants.iter().map(|v| {
        let text = if v.value.is_empty() {
            " The empty string.".to_owned()
        } else {
            format!(" `{}`.", v.value)
        };
        quote!(#[doc = #text])
    });
    quote! {
        #doc
        ///
        /// Unknown values are kept in `Other`, so a value Marketo adds later
        /// does not break deserialization.
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum #name {
            #( #variant_docs #variants, )*
            /// A value this version of the spec does not list, as sent.
            Other(String),
        }

        impl #name {
            /// The value as written on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #( Self::#variants => #values, )*
                    Self::Other(value) => value,
                }
            }
        }

        impl From<&str> for #name {
            fn from(value: &str) -> Self {
                match value {
                    #( #values => Self::#variants, )*
                    other => Self::Other(other.to_owned()),
                }
            }
        }

        impl ::core::fmt::Display for #name {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::marketo_rest::ParamValue for #name {
            fn to_param(&self) -> String {
                self.as_str().to_owned()
            }
        }

        impl ::marketo_rest::serde::Serialize for #name {
            fn serialize<S: ::marketo_rest::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::marketo_rest::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::marketo_rest::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = <::std::borrow::Cow<'de, str> as ::marketo_rest::serde::Deserialize>::deserialize(deserializer)?;
                Ok(Self::from(value.as_ref()))
            }
        }
    }
}
