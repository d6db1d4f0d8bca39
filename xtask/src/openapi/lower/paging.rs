//! Paging: which operations page, and by what.
//!
//! An operation **pages by offset** when it answers an envelope with
//! `result` and has an integer query parameter `offset` (its page size is
//! the integer query parameter `maxReturn`, if any, whose schema's
//! `default` and `maximum` tell the stream when a page is the last); it
//! **pages by
//! token** when it has a string query parameter `nextPageToken`.

use super::*;

/// How an operation with these query parameters pages, if it does.
pub(super) fn paging_of(query: &[Param]) -> Option<Paging> {
    if let Some(p) = query
        .iter()
        .find(|p| p.name.wire == "offset" && matches!(p.ty, TypeRef::I32 | TypeRef::I64))
    {
        let page_size = query
            .iter()
            .find(|s| s.name.wire == "maxReturn" && matches!(s.ty, TypeRef::I32 | TypeRef::I64))
            .map(|s| PageSize {
                param: s.name.ident.clone(),
                optional: !s.required,
                bounds: s.bounds.clone(),
            });
        return Some(Paging::Offset {
            param: p.name.ident.clone(),
            wide: p.ty == TypeRef::I64,
            optional: !p.required,
            page_size,
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
