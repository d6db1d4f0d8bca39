//! Emails (Asset API v1): query, create, metadata, approval, clone, send
//! sample, CC fields. Content sections, modules, variables, dynamic content
//! and previews are in [`super::email_content`]; the records live in the
//! shared asset store, the area's rules in `state/emails.rs`.

use serde_json::{Value, json};

use super::programs::parse_folder_ref;
use super::router::{Route, get, post};
use super::{ApiError, ApiResult, Ctx, Params, asset_ok, form_json, no_assets, paging};
use crate::state::SentSample;
use crate::state::emails::{email_content_from_template, text_header};
use crate::state::{
    Asset, AssetKey, AssetKind, AssetStatus, BrowseQuery, FolderKind, FolderRef, MetaUpdate,
    NewAsset, State, VersionFilter,
};
use crate::util::asset_datetime;

pub(crate) const ROUTES: &[Route] = &[
    get("/rest/asset/v1/emails.json", browse),
    post("/rest/asset/v1/emails.json", create),
    get("/rest/asset/v1/email/byName.json", by_name),
    get("/rest/asset/v1/email/ccFields.json", cc_fields),
    get("/rest/asset/v1/email/{id}.json", by_id),
    post("/rest/asset/v1/email/{id}.json", update_meta),
    post("/rest/asset/v1/email/{id}/approveDraft.json", approve),
    post("/rest/asset/v1/email/{id}/unapprove.json", unapprove),
    post("/rest/asset/v1/email/{id}/discardDraft.json", discard),
    post("/rest/asset/v1/email/{id}/delete.json", delete),
    post("/rest/asset/v1/email/{id}/clone.json", clone),
    post("/rest/asset/v1/email/{id}/sendSample.json", send_sample),
];

/// Sender values an email gets when its create call leaves them out.
const DEFAULT_FROM_NAME: &str = "Demo Marketing";
const DEFAULT_FROM_EMAIL: &str = "marketing@example.com";

/// The `status` parameter of reads: `approved` or `draft` (1003 otherwise).
pub(crate) fn version_param(p: &Params) -> Result<Option<VersionFilter>, ApiError> {
    match p.non_empty("status") {
        None => Ok(None),
        Some(s) if s.eq_ignore_ascii_case("approved") => Ok(Some(VersionFilter::Approved)),
        Some(s) if s.eq_ignore_ascii_case("draft") => Ok(Some(VersionFilter::Draft)),
        Some(s) => Err(ApiError::new(
            "1003",
            format!("Invalid status '{s}': approved or draft expected"),
        )),
    }
}

/// A folder given as JSON text (`{"id":…,"type":…}`) in a query or form.
pub(crate) fn folder_param(p: &Params, name: &str) -> Result<Option<FolderRef>, ApiError> {
    form_json(p, name)?
        .map(|v| parse_folder_ref(&v))
        .transpose()
}

/// The status an email or template prints for the version asked for.
pub(crate) fn status_str(a: &Asset, v: Option<VersionFilter>) -> &'static str {
    match a.status() {
        AssetStatus::Draft => "draft",
        AssetStatus::ApprovedWithDraft if v == Some(VersionFilter::Draft) => "draft",
        _ => "approved",
    }
}

/// The `folder` member of email and template responses.
pub(crate) fn folder_json(st: &State, f: FolderRef) -> Value {
    json!({"type": f.kind.as_str(), "value": f.id, "folderName": st.parent_name(f)})
}

/// 709 when the asset has predictive content (content calls, approval).
pub(crate) fn refuse_predictive(a: &Asset) -> Result<(), ApiError> {
    if a.meta.get("predictiveContent") == Some(&Value::Bool(true)) {
        return Err(crate::state::emails::predictive(a.id));
    }
    Ok(())
}

/// Checks the parent of a new email or template: 710 when missing, 711 when
/// the folder holds another kind of asset. Returns the parent's workspace.
pub(crate) fn email_parent(st: &State, f: FolderRef) -> Result<String, ApiError> {
    let ws = st.asset_parent(f)?;
    if f.kind == FolderKind::Folder
        && let Some(folder) = st.folders.get(&f.id)
    {
        let t = folder.folder_type.as_str();
        if !(t.contains("Email") || t == "Marketing Folder" || t == "Zone") {
            return Err(ApiError::new(
                "711",
                format!("Folder {} ({t}) cannot hold emails", f.id),
            ));
        }
    }
    Ok(ws)
}

fn bool_meta(a: &Asset, key: &str) -> bool {
    a.meta.get(key).and_then(Value::as_bool).unwrap_or(false)
}

/// The JSON of an email (v1).
pub(crate) fn email_json(st: &State, a: &Asset, v: Option<VersionFilter>) -> Value {
    let header = |k: &str| a.meta.get(k).cloned().unwrap_or(Value::Null);
    json!({
        "id": a.id,
        "name": a.name,
        "description": a.description,
        "createdAt": asset_datetime(a.created_at),
        "updatedAt": asset_datetime(a.updated_at),
        "url": format!("https://app-emulator.marketo.invalid/#EM{}A1", a.id),
        "subject": header("subject"),
        "fromName": header("fromName"),
        "fromEmail": header("fromEmail"),
        "replyEmail": header("replyEmail"),
        "folder": folder_json(st, a.folder),
        "operational": bool_meta(a, "operational"),
        "textOnly": bool_meta(a, "textOnly"),
        "publishToMSI": bool_meta(a, "publishToMSI"),
        "webView": bool_meta(a, "webView"),
        "status": status_str(a, v),
        "template": a.meta.get("template").cloned().unwrap_or(Value::Null),
        "workspace": a.workspace,
        "isOpenTrackingDisabled": bool_meta(a, "isOpenTrackingDisabled"),
        "version": 1,
        "autoCopyToText": bool_meta(a, "autoCopyToText"),
        "ccFields": a.meta.get("ccFields").cloned().unwrap_or(Value::Null),
        "preHeader": a.meta.get("preHeader").cloned().unwrap_or(Value::Null),
    })
}

fn email(st: &State, id: i32) -> Result<&Asset, ApiError> {
    st.assets.get(AssetKind::Email, id)
}

fn one(st: &State, id: i32) -> ApiResult {
    let a = email(st, id)?;
    Ok(asset_ok(vec![email_json(st, a, None)]))
}

fn id_ok(id: i32) -> ApiResult {
    Ok(asset_ok(vec![json!({"id": id})]))
}

fn browse(st: &mut State, ctx: &Ctx) -> ApiResult {
    let q = &ctx.query;
    let (max, offset) = paging(q)?;
    let query = BrowseQuery {
        status: version_param(q)?,
        folder: folder_param(q, "folder")?,
        earliest_updated_at: q.date("earliestUpdatedAt")?,
        latest_updated_at: q.date("latestUpdatedAt")?,
        offset,
        max,
    };
    let page: Vec<Value> = st
        .assets
        .browse(AssetKind::Email, &query)
        .into_iter()
        .map(|a| email_json(st, a, query.status))
        .collect();
    Ok(asset_ok(page))
}

fn by_name(st: &mut State, ctx: &Ctx) -> ApiResult {
    let name = ctx.query.required("name")?;
    let folder = folder_param(&ctx.query, "folder")?;
    match st.assets.by_name(AssetKind::Email, name, folder) {
        Some(a) => Ok(asset_ok(vec![email_json(st, a, None)])),
        None => Ok(no_assets()),
    }
}

fn by_id(st: &mut State, ctx: &Ctx) -> ApiResult {
    one(st, ctx.path.int("id")?)
}

fn cc_fields(_: &mut State, _: &Ctx) -> ApiResult {
    Ok(asset_ok(vec![
        json!({"attributeId": "157", "objectName": "lead", "displayName": "Lead Owner Email Address", "apiName": "leadOwnerEmailAddress"}),
        json!({"attributeId": "396", "objectName": "company", "displayName": "Account Owner Email Address", "apiName": "accountOwnerEmailAddress"}),
    ]))
}

fn create(st: &mut State, ctx: &Ctx) -> ApiResult {
    let form = ctx.form()?;
    let name = form.required("name")?.to_owned();
    let folder = folder_param(&form, "folder")?
        .ok_or_else(|| ApiError::new("701", "folder cannot be blank"))?;
    let template_id: i32 = form
        .int("template")?
        .ok_or_else(|| ApiError::new("701", "template cannot be blank"))?;
    let workspace = email_parent(st, folder)?;
    let tpl = st.assets.get(AssetKind::EmailTemplate, template_id)?;
    let html = tpl
        .content_of(Some(VersionFilter::Approved))
        .get("html")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    let mut new = NewAsset {
        name,
        description: form.non_empty("description").map(str::to_owned),
        folder: Some(folder),
        workspace,
        content: email_content_from_template(&html),
        refs: vec![AssetKey::new(AssetKind::EmailTemplate, template_id)],
        ..NewAsset::default()
    };
    let m = &mut new.meta;
    m.insert(
        "subject".into(),
        text_header(form.get("subject").unwrap_or("")),
    );
    m.insert(
        "fromName".into(),
        text_header(form.non_empty("fromName").unwrap_or(DEFAULT_FROM_NAME)),
    );
    for k in ["fromEmail", "replyEmail"] {
        m.insert(
            k.into(),
            text_header(form.non_empty(k).unwrap_or(DEFAULT_FROM_EMAIL)),
        );
    }
    for k in ["operational", "isOpenTrackingDisabled"] {
        m.insert(k.into(), Value::Bool(form.bool(k)?.unwrap_or(false)));
    }
    m.insert("template".into(), Value::from(template_id));
    let id = st.assets.create(AssetKind::Email, new, ctx.now)?.id;
    one(st, id)
}

fn update_meta(st: &mut State, ctx: &Ctx) -> ApiResult {
    let id = ctx.path.int("id")?;
    let form = ctx.form()?;
    let mut upd = MetaUpdate {
        name: form.non_empty("name").map(str::to_owned),
        description: form.get("description").map(str::to_owned),
        ..MetaUpdate::default()
    };
    // Settings some clients send with the metadata.
    if let Some(p) = form.get("preHeader") {
        upd.meta.insert("preHeader".into(), Value::from(p));
    }
    for (field, key) in [
        ("operational", "operational"),
        ("published", "publishToMSI"),
        ("textOnly", "textOnly"),
        ("webView", "webView"),
    ] {
        if let Some(b) = form.bool(field)? {
            upd.meta.insert(key.into(), Value::Bool(b));
        }
    }
    st.assets.update_meta(AssetKind::Email, id, upd, ctx.now)?;
    one(st, id)
}

fn approve(st: &mut State, ctx: &Ctx) -> ApiResult {
    let id = ctx.path.int("id")?;
    st.assets.approve(AssetKind::Email, id, ctx.now)?;
    id_ok(id)
}

fn unapprove(st: &mut State, ctx: &Ctx) -> ApiResult {
    let id = ctx.path.int("id")?;
    st.assets.unapprove(AssetKind::Email, id, ctx.now)?;
    id_ok(id)
}

fn discard(st: &mut State, ctx: &Ctx) -> ApiResult {
    let id = ctx.path.int("id")?;
    st.assets.discard_draft(AssetKind::Email, id, ctx.now)?;
    id_ok(id)
}

fn delete(st: &mut State, ctx: &Ctx) -> ApiResult {
    let id = ctx.path.int("id")?;
    st.assets.delete(AssetKind::Email, id)?;
    id_ok(id)
}

fn clone(st: &mut State, ctx: &Ctx) -> ApiResult {
    let id = ctx.path.int("id")?;
    let form = ctx.form()?;
    let name = form.required("name")?.to_owned();
    let folder = folder_param(&form, "folder")?
        .ok_or_else(|| ApiError::new("701", "folder cannot be blank"))?;
    let src = email(st, id)?.clone();
    let workspace = email_parent(st, folder)?;
    let mut new = NewAsset {
        name,
        description: form.non_empty("description").map(str::to_owned),
        folder: Some(folder),
        workspace,
        ..NewAsset::default()
    };
    if let Some(op) = form.bool("operational")? {
        new.meta.insert("operational".into(), Value::Bool(op));
    }
    let copy = st
        .assets
        .clone_asset(AssetKind::Email, id, new, ctx.now)?
        .id;
    // The approved version is copied when there is one.
    if let Some(live) = src.approved {
        let c = st.assets.get_mut(AssetKind::Email, copy)?;
        c.content = live;
        c.refs = src.approved_refs;
    }
    one(st, copy)
}

fn send_sample(st: &mut State, ctx: &Ctx) -> ApiResult {
    let id = ctx.path.int("id")?;
    let form = ctx.form()?;
    email(st, id)?;
    let address = form.required("emailAddress")?.trim().to_owned();
    if !address.contains('@') {
        return Err(ApiError::new(
            "1003",
            format!("Invalid email address '{address}'"),
        ));
    }
    let lead_id: Option<i64> = form.int("leadId")?;
    if let Some(l) = lead_id
        && !st.leads.contains_key(&l)
    {
        return Err(ApiError::new("1013", format!("Lead {l} not found")));
    }
    let text_only = form.bool("textOnly")?.unwrap_or(false);
    st.email_samples.push(SentSample {
        email_id: id,
        email_address: address,
        lead_id,
        text_only,
        sent_at: ctx.now,
    });
    id_ok(id)
}
