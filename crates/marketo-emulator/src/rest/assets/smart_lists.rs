//! Smart lists (Asset API).

use super as assets;
use super::super::router::{Route, get, post};
use crate::state::AssetKind;

const K: AssetKind = AssetKind::SmartList;

/// The operations of this module.
pub(crate) const ROUTES: &[Route] = &[
    get("/rest/asset/v1/smartLists.json", |st, ctx| {
        assets::browse(st, ctx, K)
    }),
    get("/rest/asset/v1/smartList/byName.json", |st, ctx| {
        assets::by_name(st, ctx, K)
    }),
    get("/rest/asset/v1/smartList/{id}.json", |st, ctx| {
        assets::get_by_id(st, ctx, K)
    }),
    post("/rest/asset/v1/smartList/{id}/clone.json", |st, ctx| {
        assets::clone(st, ctx, K)
    }),
    post("/rest/asset/v1/smartList/{id}/delete.json", |st, ctx| {
        assets::delete(st, ctx, K)
    }),
];
