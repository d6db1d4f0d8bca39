//! API areas → cargo features of the generated crate.
//!
//! Each operation belongs to one area, read from its path: `/rest/asset/…`
//! is the Asset API (feature `asset`), `/bulk/…` the Bulk API (`bulk`),
//! any other `/rest/…` the Lead Database API (`lead-database`). Anything
//! else (the identity endpoint) is in no area and always compiled.
//!
//! The emitters put `#[cfg(feature = "…")]` on each operation's method and
//! params struct, on a tag's module when all its operations share one area,
//! and on each named type reached only from operations of some areas (its
//! fields' types included), so a crate built with one feature compiles only
//! that area. See `docs/rest-codegen.md`, "Cargo features".

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::TokenStream;
use quote::quote;

use super::model::{Api, Operation, ResponseKind, TypeKind, TypeRef};

/// Every area feature, in the order the crate declares them.
pub const FEATURES: [&str; 3] = ["asset", "lead-database", "bulk"];

/// The feature of the operation's area; `None` for operations in no area.
pub fn area(op: &Operation) -> Option<&'static str> {
    let path = op.path.as_str();
    if path.starts_with("/rest/asset/") {
        Some("asset")
    } else if path.starts_with("/bulk/") {
        Some("bulk")
    } else if path.starts_with("/rest/") {
        Some("lead-database")
    } else {
        None
    }
}

/// The areas an item is used by: `None` in the set means "by an operation
/// in no area" (so always compiled).
pub type Areas = BTreeSet<Option<&'static str>>;

/// `#[cfg(…)]` for an item used by `areas`; nothing when one of them is
/// no area, or when nothing uses the item.
pub fn cfg(areas: &Areas) -> TokenStream {
    if areas.is_empty() || areas.contains(&None) {
        return quote!();
    }
    let features: Vec<&str> = areas.iter().flatten().copied().collect();
    match features.as_slice() {
        [one] => quote!(#[cfg(feature = #one)]),
        many => quote!(#[cfg(any( #( feature = #many ),* ))]),
    }
}

/// The `#[cfg]` of one operation's items.
pub fn op_cfg(op: &Operation) -> TokenStream {
    cfg(&Areas::from([area(op)]))
}

/// The areas of each named type (by identifier): those of the operations
/// that name it in a parameter, body or response, directly or through the
/// fields of other types.
pub fn type_areas(api: &Api) -> BTreeMap<String, Areas> {
    let defs: BTreeMap<&str, &TypeKind> = api
        .types
        .iter()
        .map(|t| (t.ident.as_str(), &t.kind))
        .collect();
    let mut out: BTreeMap<String, Areas> = BTreeMap::new();
    for op in api.modules.iter().flat_map(|m| &m.operations) {
        let mut start: Vec<&TypeRef> = Vec::new();
        start.extend(op.path_params.iter().map(|p| &p.ty));
        start.extend(op.query_params.iter().map(|p| &p.ty));
        if let Some(body) = &op.body {
            start.push(&body.ty);
            start.extend(body.wrapper.iter().map(|w| &w.ty));
        }
        match &op.response {
            ResponseKind::Envelope(Some(t)) | ResponseKind::Plain(t) => start.push(t),
            ResponseKind::Envelope(None) | ResponseKind::Empty | ResponseKind::File => {}
        }
        walk(start, area(op), &defs, &mut out);
    }
    // A type no operation uses is always compiled, and so is every type
    // it names.
    for def in &api.types {
        if !out.contains_key(&def.ident) {
            walk(referenced(&def.kind), None, &defs, &mut out);
        }
    }
    out
}

/// The types `kind` names directly.
fn referenced(kind: &TypeKind) -> Vec<&TypeRef> {
    match kind {
        TypeKind::Struct(s) => s
            .fields
            .iter()
            .map(|f| &f.ty)
            .chain(&s.additional)
            .collect(),
        TypeKind::Alias(t) | TypeKind::Envelope(Some(t)) => vec![t],
        TypeKind::Enum(_) | TypeKind::Envelope(None) => Vec::new(),
    }
}

/// Adds `area` to every named type reachable from `todo`.
fn walk<'a>(
    mut todo: Vec<&'a TypeRef>,
    area: Option<&'static str>,
    defs: &BTreeMap<&str, &'a TypeKind>,
    out: &mut BTreeMap<String, Areas>,
) {
    while let Some(ty) = todo.pop() {
        match ty {
            TypeRef::Named(name)
                if out.entry(name.clone()).or_default().insert(area)
                    && let Some(kind) = defs.get(name.as_str()) =>
            {
                todo.extend(referenced(kind));
            }
            TypeRef::Vec(t) | TypeRef::Map(t) => todo.push(t),
            _ => {}
        }
    }
}

/// `items` (one or more Rust items) each under `cfg`.
pub fn each_under(cfg: &TokenStream, items: TokenStream) -> TokenStream {
    if cfg.is_empty() {
        return items;
    }
    match syn::parse2::<syn::File>(items.clone()) {
        Ok(file) => {
            let items = file.items;
            quote!( #( #cfg #items )* )
        }
        // Not items: leave them for the renderer to report.
        Err(_) => items,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_area_is_one_feature_several_are_any_and_no_area_is_unconditional() {
        assert_eq!(
            cfg(&Areas::from([Some("asset")])).to_string(),
            quote!(#[cfg(feature = "asset")]).to_string()
        );
        assert_eq!(
            cfg(&Areas::from([Some("asset"), Some("bulk")])).to_string(),
            quote!(#[cfg(any(feature = "asset", feature = "bulk"))]).to_string()
        );
        assert!(cfg(&Areas::from([Some("asset"), None])).is_empty());
        assert!(cfg(&Areas::new()).is_empty());
    }
}
