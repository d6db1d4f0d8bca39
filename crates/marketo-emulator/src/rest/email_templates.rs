//! Email templates (Asset API v1): query, metadata, HTML, approval, clone,
//! delete, and the emails that use a template. The records live in the
//! shared asset store; emails reference their template, so a used template
//! can be neither unapproved nor deleted (709).

use serde_json::{Value, json};

use super::emails::{email_parent, folder_json, folder_param, status_str, version_param};
use super::router::{Route, get, post};
use super::{ApiError, ApiResult, Ctx, asset_ok, no_assets, paging};
use crate::state::emails::template_is_valid;
use crate::state::{
    Asset, AssetKey, AssetKind, BrowseQuery, MetaUpdate, NewAsset, State, VersionFilter,
};
use crate::util::asset_datetime;

pub(crate) const ROUTES: &[Route] = &[
    get("/rest/asset/v1/emailTemplates.json", browse),
    get("/rest/asset/v1/emailTemplate/byName.json", by_name),
    get("/rest/asset/v1/emailTemplate/{id}.json", by_id),
    post("/rest/asset/v1/emailTemplate/{id}.json", update_meta),
    get("/rest/asset/v1/emailTemplate/{id}/content.json", content),
    // Without the suffix, as marketorestpython calls it (Marketo accepts both).
    get("/rest/asset/v1/emailTemplate/{id}/content", content),
    get("/rest/asset/v1/emailTemplates/{id}/usedBy.json", used_by),
    post(
        "/rest/asset/v1/emailTemplate/{id}/approveDraft.json",
        approve,
    ),
    post(
        "/rest/asset/v1/emailTemplate/{id}/unapprove.json",
        unapprove,
    ),
    post(
        "/rest/asset/v1/emailTemplate/{id}/discardDraft.json",
        discard,
    ),
    post("/rest/asset/v1/emailTemplate/{id}/delete.json", delete),
    post("/rest/asset/v1/emailTemplate/{id}/clone.json", clone),
];

const KIND: AssetKind = AssetKind::EmailTemplate;

/// The JSON of an email template (v1).
pub(crate) fn template_json(st: &State, a: &Asset, v: Option<VersionFilter>) -> Value {
    json!({
        "id": a.id,
        "name": a.name,
        "description": a.description,
        "createdAt": asset_datetime(a.created_at),
        "updatedAt": asset_datetime(a.updated_at),
        "url": format!("https://app-emulator.marketo.invalid/#ET{}B2", a.id),
        "folder": folder_json(st, a.folder),
        "status": status_str(a, v),
        "workspace": a.workspace,
        "version": 1,
    })
}

fn one(st: &State, id: i32) -> ApiResult {
    let a = st.assets.get(KIND, id)?;
    Ok(asset_ok(vec![template_json(st, a, None)]))
}

fn browse(st: &mut State, ctx: &Ctx) -> ApiResult {
    let status = version_param(&ctx.query)?;
    let (max, offset) = paging(&ctx.query)?;
    let q = BrowseQuery {
        status,
        folder: None,
        offset,
        max,
        ..BrowseQuery::default()
    };
    let page = st
        .assets
        .browse(KIND, &q)
        .into_iter()
        .map(|a| template_json(st, a, status))
        .collect();
    Ok(asset_ok(page))
}

fn by_name(st: &mut State, ctx: &Ctx) -> ApiResult {
    let name = ctx.query.required("name")?;
    let status = version_param(&ctx.query)?;
    match st
        .assets
        .by_name(KIND, name, None)
        .filter(|a| status.is_none_or(|s| a.has_version(s)))
    {
        Some(a) => Ok(asset_ok(vec![template_json(st, a, status)])),
        None => Ok(no_assets()),
    }
}

fn by_id(st: &mut State, ctx: &Ctx) -> ApiResult {
    let a = st.assets.get(KIND, ctx.path.int("id")?)?;
    let status = version_param(&ctx.query)?;
    Ok(asset_ok(vec![template_json(st, a, status)]))
}

fn update_meta(st: &mut State, ctx: &Ctx) -> ApiResult {
    let id = ctx.path.int("id")?;
    let form = ctx.form()?;
    let upd = MetaUpdate {
        name: form.non_empty("name").map(str::to_owned),
        description: form.get("description").map(str::to_owned),
        ..MetaUpdate::default()
    };
    st.assets.update_meta(KIND, id, upd, ctx.now)?;
    one(st, id)
}

fn content(st: &mut State, ctx: &Ctx) -> ApiResult {
    let a = st.assets.get(KIND, ctx.path.int("id")?)?;
    let v = version_param(&ctx.query)?;
    let html = a.content_of(v)["html"].as_str().unwrap_or_default();
    Ok(asset_ok(vec![
        json!({"id": a.id, "status": status_str(a, v), "content": html}),
    ]))
}

fn used_by(st: &mut State, ctx: &Ctx) -> ApiResult {
    let id = ctx.path.int("id")?;
    let (max, offset) = paging(&ctx.query)?;
    st.assets.get(KIND, id)?;
    let page = st
        .assets
        .referencing(AssetKey::new(KIND, id))
        .into_iter()
        .filter(|a| a.kind == AssetKind::Email)
        .skip(offset)
        .take(max)
        .map(|a| {
            json!({
                "id": a.id,
                "name": format!("{}.{}", st.parent_name(a.folder), a.name),
                "type": "Email",
                "status": status_str(a, None),
                "updatedAt": asset_datetime(a.updated_at),
            })
        })
        .collect();
    Ok(asset_ok(page))
}

fn approve(st: &mut State, ctx: &Ctx) -> ApiResult {
    let id = ctx.path.int("id")?;
    let a = st.assets.get(KIND, id)?;
    if !template_is_valid(a.content["html"].as_str().unwrap_or_default()) {
        return Err(ApiError::new(
            "709",
            format!("Email template {id} has no editable section"),
        ));
    }
    st.assets.approve(KIND, id, ctx.now)?;
    one(st, id)
}

fn unapprove(st: &mut State, ctx: &Ctx) -> ApiResult {
    let id = ctx.path.int("id")?;
    st.assets.unapprove(KIND, id, ctx.now)?;
    one(st, id)
}

fn discard(st: &mut State, ctx: &Ctx) -> ApiResult {
    let id = ctx.path.int("id")?;
    st.assets.discard_draft(KIND, id, ctx.now)?;
    one(st, id)
}

fn delete(st: &mut State, ctx: &Ctx) -> ApiResult {
    let id = ctx.path.int("id")?;
    st.assets.delete(KIND, id)?;
    Ok(asset_ok(vec![json!({"id": id})]))
}

fn clone(st: &mut State, ctx: &Ctx) -> ApiResult {
    let id = ctx.path.int("id")?;
    let form = ctx.form()?;
    let name = form.required("name")?.to_owned();
    let folder = folder_param(&form, "folder")?
        .ok_or_else(|| ApiError::new("701", "folder cannot be blank"))?;
    st.assets.get(KIND, id)?;
    let workspace = email_parent(st, folder)?;
    let new = NewAsset {
        name,
        description: form.non_empty("description").map(str::to_owned),
        folder: Some(folder),
        workspace,
        ..NewAsset::default()
    };
    let copy = st.assets.clone_asset(KIND, id, new, ctx.now)?.id;
    one(st, copy)
}
