//! Smart lists (Asset API), with the smart lists of smart campaigns and email
//! programs; segmentations and their segments.
//!
//! A campaign's smart list is a smart-list asset marked used by the campaign
//! ([`campaign_user`]), an email program's by the program ([`program_user`]):
//! neither can be deleted while its owner exists.

use serde_json::{Value, json};

use super::super::router::{Route, get, post};
use super::super::{ApiError, ApiResult, Ctx, asset_ok, paging};
use super::{self as assets, asset_json, folder_param, path_id, version_param};
use crate::state::{
    Asset, AssetKind, BrowseQuery, State, VersionFilter, campaign_user, program_user,
};
use crate::util::asset_datetime;

const K: AssetKind = AssetKind::SmartList;

/// A smart list, with its rules when asked.
fn smart_list_json(st: &State, a: &Asset, rules: bool) -> Value {
    let mut v = asset_json(st, a, None);
    if rules && let Some(o) = v.as_object_mut() {
        o.insert("rules".into(), a.content.clone());
    }
    v
}

fn include_rules(ctx: &Ctx) -> Result<bool, ApiError> {
    Ok(ctx.query.bool("includeRules")?.unwrap_or(false))
}

/// `GET /rest/asset/v1/smartLists.json`.
fn browse(st: &mut State, ctx: &Ctx) -> ApiResult {
    let q = &ctx.query;
    let (max, offset) = paging(q)?;
    let query = BrowseQuery {
        folder: folder_param(q, "folder")?,
        earliest_updated_at: q.date("earliestUpdatedAt")?,
        latest_updated_at: q.date("latestUpdatedAt")?,
        offset,
        max,
        ..BrowseQuery::default()
    };
    let result = st
        .assets
        .browse(K, &query)
        .into_iter()
        .map(|a| smart_list_json(st, a, false))
        .collect();
    Ok(asset_ok(result))
}

/// `GET /rest/asset/v1/smartList/{id}.json`.
fn get_by_id(st: &mut State, ctx: &Ctx) -> ApiResult {
    let a = st.assets.get(K, path_id(ctx)?)?;
    Ok(asset_ok(vec![smart_list_json(st, a, include_rules(ctx)?)]))
}

/// The smart list an external owner uses.
fn owned_list(st: &State, ctx: &Ctx, owner: &str, what: &str) -> ApiResult {
    let key = st
        .assets
        .used_by_external(owner)
        .into_iter()
        .find(|k| k.kind == K)
        .ok_or_else(|| ApiError::new("702", format!("No smart list found for {what}")))?;
    let a = st.assets.get(K, key.id)?;
    Ok(asset_ok(vec![smart_list_json(st, a, include_rules(ctx)?)]))
}

/// `GET /rest/asset/v1/smartCampaign/{id}/smartList.json`.
fn by_campaign(st: &mut State, ctx: &Ctx) -> ApiResult {
    let id = path_id(ctx)?;
    if !st.campaigns.contains_key(&id) {
        return Err(ApiError::new(
            "702",
            format!("Smart campaign {id} not found"),
        ));
    }
    owned_list(st, ctx, &campaign_user(id), &format!("smart campaign {id}"))
}

/// `GET /rest/asset/v1/program/{id}/smartList.json` (email programs only).
fn by_program(st: &mut State, ctx: &Ctx) -> ApiResult {
    let id = path_id(ctx)?;
    let p = st
        .programs
        .get(&id)
        .ok_or_else(|| ApiError::new("702", format!("Program {id} not found")))?;
    if p.program_type != "Email" {
        return Err(ApiError::new(
            "709",
            format!("Program {id} is not an email program"),
        ));
    }
    owned_list(st, ctx, &program_user(id), &format!("program {id}"))
}

/// `GET /rest/asset/v1/smartList/{id}/clone.json`: the parent must be a program or a folder.
fn clone(st: &mut State, ctx: &Ctx) -> ApiResult {
    let r = assets::clone(st, ctx, K)?;
    Ok(r)
}

/// `GET /rest/asset/v1/segmentation/{id}/segments.json`.
fn segments(st: &mut State, ctx: &Ctx) -> ApiResult {
    let (max, offset) = paging(&ctx.query)?;
    let v = version_param(&ctx.query)?;
    let a = st.assets.get(AssetKind::Segmentation, path_id(ctx)?)?;
    if let Some(ver) = v
        && !a.has_version(ver)
    {
        return Ok(asset_ok(Vec::new()));
    }
    let status = match (v, &a.approved) {
        (Some(VersionFilter::Draft), _) | (None, None) => "draft",
        _ => "approved",
    };
    let result = a
        .content_of(v)
        .get("segments")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default()
        .into_iter()
        .skip(offset)
        .take(max)
        .map(|s| {
            json!({
                "id": s.get("id"),
                "name": s.get("name"),
                "description": s.get("description"),
                "createdAt": asset_datetime(a.created_at),
                "updatedAt": asset_datetime(a.updated_at),
                "url": assets::asset_url(AssetKind::Segmentation, a.id),
                "status": status,
                "segmentationId": a.id,
            })
        })
        .collect();
    Ok(asset_ok(result))
}

/// The operations of this module.
pub(crate) const ROUTES: &[Route] = &[
    get("/rest/asset/v1/smartLists.json", browse),
    get("/rest/asset/v1/smartList/byName.json", |st, ctx| {
        assets::by_name(st, ctx, K)
    }),
    get("/rest/asset/v1/smartList/{id}.json", get_by_id),
    post("/rest/asset/v1/smartList/{id}/clone.json", clone),
    post("/rest/asset/v1/smartList/{id}/delete.json", |st, ctx| {
        assets::delete(st, ctx, K)
    }),
    get(
        "/rest/asset/v1/smartCampaign/{id}/smartList.json",
        by_campaign,
    ),
    get("/rest/asset/v1/program/{id}/smartList.json", by_program),
    get("/rest/asset/v1/segmentation.json", |st, ctx| {
        assets::browse(st, ctx, AssetKind::Segmentation)
    }),
    get("/rest/asset/v1/segmentation/{id}/segments.json", segments),
];
