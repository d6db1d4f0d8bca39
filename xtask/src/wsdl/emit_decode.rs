//! Schema-driven decoders: a `marketo_soap::decode::FromXml` impl per
//! struct, choice and enumeration, reading the public type straight from a
//! parsed element (no wire twin, no event stream). The runtime helpers
//! they call (`one`, `many`, `list`, `required`, …) hold the rules; the
//! generated code only says which element goes to which field and how
//! often it occurs.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::emit::ident;
use super::emit_structs::StructContext;
use super::model::{Card, Choice, Field, Struct};

/// The local holding field `f` while its element is looked for.
fn local(f: &Field) -> Ident {
    ident(&format!("field_{}", f.name.ident))
}

/// `impl FromXml` for struct `s`, read into its public form (list
/// wrappers flattened, nillable fields as `None`).
pub(super) fn emit_struct_decoder(ctx: &StructContext, s: &Struct) -> TokenStream {
    let name = ident(&s.rust);
    let d = quote!(::marketo_soap::decode);
    let mut locals = Vec::new();
    let mut arms = Vec::new();
    let mut inits = Vec::new();
    for f in &s.fields {
        let fname = ident(&f.name.ident);
        let var = local(f);
        let wire = &f.name.wire;
        if f.attribute {
            locals.push(quote!(let #var = #d::attribute(node, #wire)?;));
        } else if let Some(item) = ctx.list_item_name(s, f) {
            locals.push(quote!(let mut #var = ::std::option::Option::None;));
            arms.push(quote!(#wire => #d::list(&mut #var, child, #item)?,));
        } else if f.card == Card::Many {
            locals.push(quote!(let mut #var = ::std::vec::Vec::new();));
            arms.push(quote!(#wire => #d::many(&mut #var, child)?,));
        } else {
            locals.push(quote!(let mut #var = ::std::option::Option::None;));
            arms.push(quote!(#wire => #d::one(&mut #var, child)?,));
        }
        inits.push(match f.card {
            Card::One if f.attribute => {
                quote!(#fname: #d::required_attribute(#var, node, #wire)?)
            }
            Card::One => quote!(#fname: #d::required(#var, node, #wire)?),
            Card::Optional | Card::Many => quote!(#fname: #var),
        });
    }
    let walk = (!arms.is_empty()).then(|| {
        quote! {
            for child in node.children() {
                if !child.is_element() {
                    continue;
                }
                match child.tag_name().name() {
                    #( #arms )*
                    _ => {}
                }
            }
        }
    });
    quote! {
        impl #d::FromXml for #name {
            // One element field makes a one-arm match; a type with no
            // element fields does not look at `node`'s children.
            #[allow(unused_variables, clippy::single_match)]
            fn from_xml(node: #d::Node<'_, '_>) -> ::std::result::Result<Self, #d::DecodeError> {
                #( #locals )*
                #walk
                ::std::result::Result::Ok(Self { #( #inits, )* })
            }
        }
    }
}

/// `impl FromXml` for a choice: the variant its `xsi:type` names (the
/// base type's when it has none and the base is concrete).
pub(super) fn emit_choice_decoder(c: &Choice, base_struct: Option<&str>) -> TokenStream {
    let name = ident(&c.rust);
    let d = quote!(::marketo_soap::decode);
    let type_name = &c.rust;
    let variants: Vec<Ident> = c.variants.iter().map(|v| ident(&v.rust)).collect();
    let xsi: Vec<&String> = c.variants.iter().map(|v| &v.xsi_type).collect();
    let untyped = base_struct.and_then(|base| {
        let v = c.variants.iter().find(|v| v.struct_name == base)?;
        let v = ident(&v.rust);
        Some(quote!(::std::option::Option::None => ::std::result::Result::Ok(Self::#v(#d::FromXml::from_xml(node)?)),))
    });
    quote! {
        impl #d::FromXml for #name {
            fn from_xml(node: #d::Node<'_, '_>) -> ::std::result::Result<Self, #d::DecodeError> {
                match #d::xsi_type(node) {
                    #( ::std::option::Option::Some(#xsi) => ::std::result::Result::Ok(Self::#variants(#d::FromXml::from_xml(node)?)), )*
                    #untyped
                    _ => ::std::result::Result::Err(#d::unknown_subtype(node, #type_name, &[ #( #xsi ),* ])),
                }
            }
        }
    }
}

/// `impl FromText` and `impl FromXml` for enumeration `name`, whose text
/// is converted by `decode` (an expression of `text`).
pub(super) fn emit_enum_decoder(name: &Ident, decode: &TokenStream) -> TokenStream {
    let d = quote!(::marketo_soap::decode);
    quote! {
        impl #d::FromText for #name {
            fn from_text(text: &str) -> ::std::result::Result<Self, ::std::string::String> {
                ::std::result::Result::Ok(#decode)
            }
        }

        impl #d::FromXml for #name {
            fn from_xml(node: #d::Node<'_, '_>) -> ::std::result::Result<Self, #d::DecodeError> {
                #d::from_text_node(node)
            }
        }
    }
}
