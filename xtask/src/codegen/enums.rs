//! The one emitter for a generated string enum, shared by both generators.
//!
//! Every generated enum is `#[non_exhaustive]`, lists the spec's values as
//! unit variants and keeps any other value in a catch-all variant
//! (`Unknown(String)`, or `UnknownValue(String)` when the spec lists a value
//! called `Unknown`; see [`naming::enum_catch_all`]). It has `as_str()`
//! (the wire value), `Display`, `FromStr` (never fails: `Err =
//! Infallible`), `From<&str>` and `From<String>`, and the constant
//! `WIRE_VALUES`. Decoding therefore never fails on a value Marketo adds
//! later; the wire encoding itself is the generator's part: it passes its
//! impls (serde for REST, yaserde for SOAP) through [`EnumItem::codec`],
//! usually built on `as_str()` and [`EnumItem::from_str_call`].

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::docs::doc_attrs;
use super::naming::{self, Name};

/// One known value of an enum.
#[derive(Debug, Clone)]
pub struct EnumValue {
    /// The variant identifier (Pascal case) and the value on the wire.
    pub name: Name,
    /// What the spec says about the value, if anything.
    pub doc: Option<String>,
}

/// Everything the emitter needs for one enum.
#[derive(Debug, Clone)]
pub struct EnumItem {
    /// The type's identifier.
    pub ident: Ident,
    /// The type's doc comment (spec text).
    pub doc: String,
    /// The known values, in spec order.
    pub values: Vec<EnumValue>,
    /// Extra attributes on the enum (e.g. a derive of the generator's codec).
    pub attrs: TokenStream,
    /// Extra impls (the generator's wire codec), emitted after the item.
    pub codec: TokenStream,
}

impl EnumItem {
    /// An enum item without extra attributes or codec.
    pub fn new(ident: Ident, doc: impl Into<String>, values: Vec<EnumValue>) -> Self {
        Self {
            ident,
            doc: doc.into(),
            values,
            attrs: TokenStream::new(),
            codec: TokenStream::new(),
        }
    }

    /// The catch-all variant's identifier.
    pub fn catch_all(&self) -> Ident {
        let name = naming::enum_catch_all(self.values.iter().map(|v| v.name.ident.as_str()));
        naming::ident_of(&name)
    }

    /// Tokens of an expression decoding the `&str` expression `text` into
    /// this enum (never fails).
    pub fn from_str_call(&self, text: TokenStream) -> TokenStream {
        let name = &self.ident;
        quote!(<#name as ::core::convert::From<&str>>::from(#text))
    }
}

/// The enum item and its inherent and conversion impls, followed by
/// [`EnumItem::codec`].
pub fn emit(item: &EnumItem) -> TokenStream {
    let name = &item.ident;
    let doc = doc_attrs(&item.doc);
    let attrs = &item.attrs;
    let codec = &item.codec;
    let catch_all = item.catch_all();
    let variants: Vec<Ident> = item.values.iter().map(|v| v.name.to_ident()).collect();
    let values: Vec<&str> = item.values.iter().map(|v| v.name.wire.as_str()).collect();
    let variant_docs = item.values.iter().map(|v| {
        let shown = if v.name.wire.is_empty() {
            "The empty string".to_owned()
        } else {
            format!("`{}`", v.name.wire)
        };
        let text = match v.doc.as_deref().map(str::trim) {
            Some(d) if !d.is_empty() => format!("{shown}: {d}"),
            _ => format!("{shown}."),
        };
        doc_attrs(&text)
    });
    let catch_all_doc = format!(
        " A value this version of the spec does not list, kept as sent (never one of the listed values: `{name}::from` maps those to their variants)."
    );
    quote! {
        #doc
        ///
        /// Marketo may add values: the enum is `#[non_exhaustive]` and an
        /// unlisted value decodes into the catch-all variant instead of failing.
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        #attrs
        pub enum #name {
            #( #variant_docs #variants, )*
            #[doc = #catch_all_doc]
            #catch_all(String),
        }

        impl #name {
            /// The listed values as written on the wire, in the order of the spec.
            pub const WIRE_VALUES: &'static [&'static str] = &[ #( #values ),* ];

            /// The value as written on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #( Self::#variants => #values, )*
                    Self::#catch_all(value) => value.as_str(),
                }
            }
        }

        impl ::core::convert::From<&str> for #name {
            fn from(value: &str) -> Self {
                match value {
                    #( #values => Self::#variants, )*
                    other => Self::#catch_all(::std::borrow::ToOwned::to_owned(other)),
                }
            }
        }

        impl ::core::convert::From<::std::string::String> for #name {
            fn from(value: ::std::string::String) -> Self {
                match value.as_str() {
                    #( #values => Self::#variants, )*
                    _ => Self::#catch_all(value),
                }
            }
        }

        impl ::core::str::FromStr for #name {
            type Err = ::core::convert::Infallible;
            fn from_str(value: &str) -> ::core::result::Result<Self, Self::Err> {
                ::core::result::Result::Ok(Self::from(value))
            }
        }

        impl ::core::fmt::Display for #name {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        #codec
    }
}

/// Serde impls for an enum emitted by [`emit`]: serialize as `as_str()`,
/// deserialize any string (unknown values into the catch-all). `serde` is
/// the path of the serde crate as generated code reaches it
/// (`::marketo_rest::serde`).
pub fn serde_codec(name: &Ident, serde: &TokenStream) -> TokenStream {
    quote! {
        impl #serde::Serialize for #name {
            fn serialize<S: #serde::Serializer>(&self, serializer: S) -> ::core::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> #serde::Deserialize<'de> for #name {
            fn deserialize<D: #serde::Deserializer<'de>>(deserializer: D) -> ::core::result::Result<Self, D::Error> {
                let value = <::std::borrow::Cow<'de, str> as #serde::Deserialize>::deserialize(deserializer)?;
                ::core::result::Result::Ok(Self::from(value.as_ref()))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codegen::naming::Case;

    fn item(values: &[&str]) -> EnumItem {
        EnumItem::new(
            naming::ident_of("Status"),
            "A status.",
            values
                .iter()
                .map(|v| EnumValue {
                    name: Name::new(v, Case::Pascal),
                    doc: None,
                })
                .collect(),
        )
    }

    #[test]
    fn emits_a_non_exhaustive_enum_with_a_catch_all() {
        let text = emit(&item(&["on", "off"])).to_string();
        assert!(text.contains("# [non_exhaustive]"), "{text}");
        assert!(text.contains("Unknown (String)"), "{text}");
        assert!(text.contains("type Err = :: core :: convert :: Infallible"));
        syn::parse2::<syn::File>(emit(&item(&["on", "off"]))).expect("valid Rust");
    }

    #[test]
    fn the_catch_all_is_renamed_when_a_value_is_called_unknown() {
        let e = item(&["unknown", "known"]);
        assert_eq!(e.catch_all().to_string(), "UnknownValue");
        assert!(emit(&e).to_string().contains("UnknownValue (String)"));
    }
}
