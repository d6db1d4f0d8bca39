//! Paging: which operations page, and by what.
//!
//! An operation **pages by offset** when it answers an envelope with
//! `result` and has an integer query parameter `offset`; it **pages by
//! token** when it has a string query parameter `nextPageToken`.

use super::*;

/// How an operation with these query parameters pages, if it does.
pub(super) fn paging_of(query: &[Param]) -> Option<Paging> {
    if let Some(p) = query
        .iter()
        .find(|p| p.name.wire == "offset" && matches!(p.ty, TypeRef::I32 | TypeRef::I64))
    {
        return Some(Paging::Offset {
            param: p.name.ident.clone(),
            wide: p.ty == TypeRef::I64,
            optional: !p.required,
        });
    }
    query
        .iter()
        .find(|p| p.name.wire == "nextPageToken" && p.ty == TypeRef::String)
        .map(|p| Paging::Token {
            param: p.name.ident.clone(),
            optional: !p.required,
        })
}
