//! Generic Asset API handlers over the shared asset model
//! ([`crate::state::AssetStore`]), parameterized by [`AssetKind`]:
//!
//! ```ignore
//! get("/rest/asset/v1/snippets.json", |st, ctx| assets::browse(st, ctx, AssetKind::Snippet)),
//! get("/rest/asset/v1/snippet/{id}.json", |st, ctx| assets::get_by_id(st, ctx, AssetKind::Snippet)),
//! ```
//!
//! Each handler reads the documented common parameters (`id` path
//! parameter, `status`, `name`, `folder`, `description`, `offset`,
//! `maxReturn`) and answers with Marketo's common asset shape
//! ([`asset_json`]): `id`, `name`, `description`, `createdAt`, `updatedAt`,
//! `url`, `folder {type, value, folderName}`, `status` (approvable kinds),
//! `workspace`, `version`, then the kind's metadata members. Kind modules
//! with extra create/update parameters use [`create_with`] and
//! [`update_with`], giving a function that turns the form into metadata,
//! content and references.

pub(crate) mod campaigns_lists;
pub(crate) mod files;
pub(crate) mod folders_tokens;
pub(crate) mod smart_lists;
pub(crate) mod snippets;

use serde_json::{Map, Value, json};

use super::{ApiError, ApiResult, Ctx, Params, asset_ok, form_json, paging};
use crate::rest::programs::parse_folder_ref;
use crate::state::{
    Asset, AssetKey, AssetKind, BrowseQuery, FolderRef, MetaUpdate, NewAsset, State, VersionFilter,
};
use crate::util::asset_datetime;

/// What a kind adds to a create call: metadata, content, references.
#[derive(Debug, Default)]
pub(crate) struct Extra {
    pub(crate) meta: Map<String, Value>,
    pub(crate) content: Value,
    pub(crate) refs: Vec<AssetKey>,
}

/// A kind's reading of a create form.
pub(crate) type CreateExtra = fn(&State, &Params) -> Result<Extra, ApiError>;

/// A kind's reading of an update form: metadata members to set.
pub(crate) type UpdateExtra = fn(&State, &Params, &Asset) -> Result<Map<String, Value>, ApiError>;

/// The `#XX` code of a kind's Marketo UI URL.
fn url_code(kind: AssetKind) -> &'static str {
    match kind {
        AssetKind::Email => "EM",
        AssetKind::EmailTemplate => "ET",
        AssetKind::Fragment => "FR",
        AssetKind::Snippet => "SN",
        AssetKind::LandingPage => "LP",
        AssetKind::LandingPageTemplate => "LT",
        AssetKind::RedirectRule => "RR",
        AssetKind::Form => "FO",
        AssetKind::File => "FI",
        AssetKind::SmartList => "SL",
        AssetKind::Segmentation => "SG",
        AssetKind::StaticList => "ST",
    }
}

/// The UI URL of an asset.
pub(crate) fn asset_url(kind: AssetKind, id: i32) -> String {
    format!(
        "https://app-emulator.marketo.invalid/#{}{id}A1",
        url_code(kind)
    )
}

/// The parent of an asset: `{id, type}` for smart lists and static lists,
/// `{type, value, folderName}` for the others (as the pages show them).
pub(crate) fn folder_json(st: &State, kind: AssetKind, f: FolderRef) -> Value {
    if matches!(kind, AssetKind::SmartList | AssetKind::StaticList) {
        return json!({"id": f.id, "type": f.kind.as_str()});
    }
    json!({
        "type": f.kind.as_str(),
        "value": f.id,
        "folderName": st.parent_name(f),
    })
}

/// The status text of the version shown.
fn status_text(a: &Asset, v: Option<VersionFilter>) -> &'static str {
    let approved = match v {
        Some(VersionFilter::Approved) => true,
        Some(VersionFilter::Draft) => false,
        None => a.approved.is_some(),
    };
    match (approved, a.kind == AssetKind::EmailTemplate) {
        (true, false) => "approved",
        (false, false) => "draft",
        (true, true) => "Approved",
        (false, true) => "Draft",
    }
}

/// An asset in Marketo's common shape, `version` choosing the status shown.
pub(crate) fn asset_json(st: &State, a: &Asset, version: Option<VersionFilter>) -> Value {
    let mut o = Map::new();
    o.insert("id".into(), json!(a.id));
    o.insert("name".into(), json!(a.name));
    o.insert("description".into(), json!(a.description));
    o.insert("createdAt".into(), json!(asset_datetime(a.created_at)));
    o.insert("updatedAt".into(), json!(asset_datetime(a.updated_at)));
    o.insert("url".into(), json!(asset_url(a.kind, a.id)));
    o.insert("folder".into(), folder_json(st, a.kind, a.folder));
    if a.kind.approvable() {
        o.insert("status".into(), json!(status_text(a, version)));
    }
    o.insert("workspace".into(), json!(a.workspace));
    if a.kind.approvable() {
        o.insert("version".into(), json!(a.version));
    }
    for (k, v) in &a.meta {
        o.insert(k.clone(), v.clone());
    }
    Value::Object(o)
}

/// The `status` parameter (`approved` / `draft`), 1003 otherwise.
pub(crate) fn version_param(p: &Params) -> Result<Option<VersionFilter>, ApiError> {
    match p.non_empty("status") {
        None => Ok(None),
        Some(s) if s.eq_ignore_ascii_case("approved") => Ok(Some(VersionFilter::Approved)),
        Some(s) if s.eq_ignore_ascii_case("draft") => Ok(Some(VersionFilter::Draft)),
        Some(s) => Err(ApiError::new("1003", format!("Invalid status '{s}'"))),
    }
}

/// A folder parameter given as JSON text (`{"id":…,"type":"Folder"|"Program"}`).
pub(crate) fn folder_param(p: &Params, name: &str) -> Result<Option<FolderRef>, ApiError> {
    form_json(p, name)?
        .map(|v| parse_folder_ref(&v))
        .transpose()
}

/// The `id` path parameter.
pub(crate) fn path_id(ctx: &Ctx) -> Result<i32, ApiError> {
    ctx.path.int("id")
}

/// One asset as a result, 702 when it lacks the version asked for.
fn one(st: &State, a: &Asset, v: Option<VersionFilter>) -> ApiResult {
    if let Some(ver) = v
        && !a.has_version(ver)
    {
        return Err(ApiError::new(
            "702",
            format!(
                "{} {} has no {} version",
                a.kind.label(),
                a.id,
                status_text(a, v)
            ),
        ));
    }
    Ok(asset_ok(vec![asset_json(st, a, v)]))
}

/// `GET …/{kind}s.json`: `status`, `folder`, `offset`, `maxReturn`.
pub(crate) fn browse(st: &mut State, ctx: &Ctx, kind: AssetKind) -> ApiResult {
    let (max, offset) = paging(&ctx.query)?;
    let q = BrowseQuery {
        status: version_param(&ctx.query)?,
        folder: folder_param(&ctx.query, "folder")?,
        offset,
        max,
        ..BrowseQuery::default()
    };
    let result = st
        .assets
        .browse(kind, &q)
        .into_iter()
        .map(|a| asset_json(st, a, q.status))
        .collect();
    Ok(asset_ok(result))
}

/// `GET …/{kind}/{id}.json`: `status`.
pub(crate) fn get_by_id(st: &mut State, ctx: &Ctx, kind: AssetKind) -> ApiResult {
    let v = version_param(&ctx.query)?;
    let a = st.assets.get(kind, path_id(ctx)?)?;
    one(st, a, v)
}

/// `GET …/{kind}/byName.json`: `name`, `folder`, `status`; no match is the
/// "No assets found" warning.
pub(crate) fn by_name(st: &mut State, ctx: &Ctx, kind: AssetKind) -> ApiResult {
    let name = ctx.query.required("name")?;
    let folder = folder_param(&ctx.query, "folder")?;
    let v = version_param(&ctx.query)?;
    match st.assets.by_name(kind, name, folder) {
        Some(a) if v.is_none_or(|ver| a.has_version(ver)) => one(st, a, v),
        _ => Ok(asset_ok(Vec::new())),
    }
}

#[allow(dead_code, reason = "for kind modules without extra create parameters")]
fn no_extra(_: &State, _: &Params) -> Result<Extra, ApiError> {
    Ok(Extra::default())
}

/// `POST …/{kind}s.json` with only the common parameters.
#[allow(dead_code, reason = "for kind modules without extra create parameters")]
pub(crate) fn create(st: &mut State, ctx: &Ctx, kind: AssetKind) -> ApiResult {
    create_with(st, ctx, kind, no_extra)
}

/// `POST …/{kind}s.json`: `name`, `folder` (required), `description`, and the kind's own.
pub(crate) fn create_with(
    st: &mut State,
    ctx: &Ctx,
    kind: AssetKind,
    extra: CreateExtra,
) -> ApiResult {
    let form = ctx.form()?;
    let name = form.required("name")?.to_owned();
    let folder = folder_param(&form, "folder")?
        .ok_or_else(|| ApiError::new("701", "folder cannot be blank"))?;
    let workspace = st.asset_parent(folder)?;
    let Extra {
        meta,
        content,
        refs,
    } = extra(st, &form)?;
    let new = NewAsset {
        name,
        description: form.get("description").map(str::to_owned),
        folder: Some(folder),
        workspace,
        meta,
        content,
        refs,
    };
    let a = st.assets.create(kind, new, ctx.now)?.clone();
    Ok(asset_ok(vec![asset_json(st, &a, None)]))
}

fn no_update(_: &State, _: &Params, _: &Asset) -> Result<Map<String, Value>, ApiError> {
    Ok(Map::new())
}

/// `POST …/{kind}/{id}.json` with only `name` and `description`.
pub(crate) fn update(st: &mut State, ctx: &Ctx, kind: AssetKind) -> ApiResult {
    update_with(st, ctx, kind, no_update)
}

/// `POST …/{kind}/{id}.json`: `name`, `description`, and the kind's own metadata.
pub(crate) fn update_with(
    st: &mut State,
    ctx: &Ctx,
    kind: AssetKind,
    extra: UpdateExtra,
) -> ApiResult {
    let form = ctx.form()?;
    let id = path_id(ctx)?;
    let current = st.assets.get(kind, id)?;
    let meta = extra(st, &form, current)?;
    let upd = MetaUpdate {
        name: form.non_empty("name").map(str::to_owned),
        description: form.get("description").map(str::to_owned),
        meta,
    };
    let a = st.assets.update_meta(kind, id, upd, ctx.now)?.clone();
    Ok(asset_ok(vec![asset_json(st, &a, None)]))
}

/// `POST …/{kind}/{id}/approveDraft.json`: the approved asset.
pub(crate) fn approve(st: &mut State, ctx: &Ctx, kind: AssetKind) -> ApiResult {
    let a = st.assets.approve(kind, path_id(ctx)?, ctx.now)?.clone();
    Ok(asset_ok(vec![asset_json(
        st,
        &a,
        Some(VersionFilter::Approved),
    )]))
}

/// `POST …/{kind}/{id}/unapprove.json`: `{id}`.
pub(crate) fn unapprove(st: &mut State, ctx: &Ctx, kind: AssetKind) -> ApiResult {
    let id = path_id(ctx)?;
    st.assets.unapprove(kind, id, ctx.now)?;
    Ok(asset_ok(vec![json!({"id": id})]))
}

/// `POST …/{kind}/{id}/discardDraft.json`: `{id}`.
pub(crate) fn discard_draft(st: &mut State, ctx: &Ctx, kind: AssetKind) -> ApiResult {
    let id = path_id(ctx)?;
    st.assets.discard_draft(kind, id, ctx.now)?;
    Ok(asset_ok(vec![json!({"id": id})]))
}

/// `POST …/{kind}/{id}/clone.json`: `name`, `folder` (required), `description`.
pub(crate) fn clone(st: &mut State, ctx: &Ctx, kind: AssetKind) -> ApiResult {
    let form = ctx.form()?;
    let id = path_id(ctx)?;
    st.assets.get(kind, id)?;
    let name = form.required("name")?.to_owned();
    let folder = folder_param(&form, "folder")?
        .ok_or_else(|| ApiError::new("701", "folder cannot be blank"))?;
    let workspace = st.asset_parent(folder)?;
    let new = NewAsset {
        name,
        description: form.get("description").map(str::to_owned),
        folder: Some(folder),
        workspace,
        ..NewAsset::default()
    };
    let a = st.assets.clone_asset(kind, id, new, ctx.now)?.clone();
    Ok(asset_ok(vec![asset_json(st, &a, None)]))
}

/// `POST …/{kind}/{id}/delete.json`: `{id}`.
pub(crate) fn delete(st: &mut State, ctx: &Ctx, kind: AssetKind) -> ApiResult {
    let id = path_id(ctx)?;
    st.assets.delete(kind, id)?;
    Ok(asset_ok(vec![json!({"id": id})]))
}

#[allow(
    dead_code,
    reason = "for the kind modules with a used-by endpoint (forms, emails)"
)]
/// The assets using an asset, each as `{id, type, name}` (no result: the warning).
pub(crate) fn used_by(st: &mut State, ctx: &Ctx, kind: AssetKind) -> ApiResult {
    let id = path_id(ctx)?;
    let key = st.assets.get(kind, id)?.key();
    let result = st
        .assets
        .referencing(key)
        .into_iter()
        .map(|a| json!({"id": a.id, "type": a.kind.label(), "name": a.name}))
        .collect();
    Ok(asset_ok(result))
}
