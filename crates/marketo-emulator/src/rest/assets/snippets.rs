//! Snippets (Asset API): the generic lifecycle of the shared asset model.

use super as assets;
use super::super::router::{Route, get, post};
use crate::state::AssetKind;

const K: AssetKind = AssetKind::Snippet;

/// The operations of this module.
pub(crate) const ROUTES: &[Route] = &[
    get("/rest/asset/v1/snippets.json", |st, ctx| {
        assets::browse(st, ctx, K)
    }),
    post("/rest/asset/v1/snippets.json", |st, ctx| {
        assets::create(st, ctx, K)
    }),
    get("/rest/asset/v1/snippet/{id}.json", |st, ctx| {
        assets::get_by_id(st, ctx, K)
    }),
    post("/rest/asset/v1/snippet/{id}.json", |st, ctx| {
        assets::update(st, ctx, K)
    }),
    post(
        "/rest/asset/v1/snippet/{id}/approveDraft.json",
        |st, ctx| assets::approve(st, ctx, K),
    ),
    post("/rest/asset/v1/snippet/{id}/unapprove.json", |st, ctx| {
        assets::unapprove(st, ctx, K)
    }),
    post(
        "/rest/asset/v1/snippet/{id}/discardDraft.json",
        |st, ctx| assets::discard_draft(st, ctx, K),
    ),
    post("/rest/asset/v1/snippet/{id}/clone.json", |st, ctx| {
        assets::clone(st, ctx, K)
    }),
    post("/rest/asset/v1/snippet/{id}/delete.json", |st, ctx| {
        assets::delete(st, ctx, K)
    }),
];
