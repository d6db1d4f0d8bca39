//! The v2 endpoints of emails, email templates and fragments
//! (`/rest/asset/v2/{email,emailtemplate,fragment}`): JSON bodies, string
//! ids, one state-transition call for the lifecycle. The three kinds share
//! every handler; what differs (required members, metadata, initial
//! content) is in [`create_parts`] and [`update_parts`]. The `x-app-type`
//! header the pages ask for is accepted and ignored.

use serde_json::{Map, Value, json};

use super::emails::{email_parent, status_str};
use super::router::{Route, get, post};
use super::{ApiError, ApiResult, Ctx, Params, asset_ok};
use crate::state::emails::{email_content_from_template, text_header};
use crate::state::{
    Asset, AssetKey, AssetKind, AssetStatus, FolderKind, FolderRef, MetaUpdate, NewAsset, State,
    VersionFilter,
};

/// Default HTML of a template created without `data`.
const DEFAULT_TEMPLATE_HTML: &str =
    "<html><body><div class=\"mktEditable\" id=\"main\"></div></body></html>";

/// Declares the eight routes of one kind under `base`.
macro_rules! v2_routes {
    ($name:ident, $base:literal, $kind:expr) => {
        pub(crate) mod $name {
            use super::*;
            const K: AssetKind = $kind;
            fn create_h(st: &mut State, ctx: &Ctx) -> ApiResult {
                create(st, ctx, K)
            }
            fn filter_h(st: &mut State, ctx: &Ctx) -> ApiResult {
                filter(st, ctx, K)
            }
            fn transition_h(st: &mut State, ctx: &Ctx) -> ApiResult {
                transition(st, ctx, K)
            }
            fn clone_h(st: &mut State, ctx: &Ctx) -> ApiResult {
                clone(st, ctx, K)
            }
            fn used_by_h(st: &mut State, ctx: &Ctx) -> ApiResult {
                used_by(st, ctx, K)
            }
            fn by_id_h(st: &mut State, ctx: &Ctx) -> ApiResult {
                by_id(st, ctx, K)
            }
            fn update_h(st: &mut State, ctx: &Ctx) -> ApiResult {
                update(st, ctx, K)
            }
            fn delete_h(st: &mut State, ctx: &Ctx) -> ApiResult {
                delete(st, ctx, K)
            }
            pub(crate) const ROUTES: &[Route] = &[
                post($base, create_h),
                get(concat!($base, "/filter"), filter_h),
                post(concat!($base, "/state/transition"), transition_h),
                post(concat!($base, "/clone"), clone_h),
                post(concat!($base, "/usedby"), used_by_h),
                get(concat!($base, "/{id}"), by_id_h),
                post(concat!($base, "/{id}/update"), update_h),
                post(concat!($base, "/{id}/delete"), delete_h),
            ];
        }
    };
}

v2_routes!(email, "/rest/asset/v2/email", AssetKind::Email);
v2_routes!(
    email_template,
    "/rest/asset/v2/emailtemplate",
    AssetKind::EmailTemplate
);
v2_routes!(fragment, "/rest/asset/v2/fragment", AssetKind::Fragment);

/// The v2 JSON of an asset.
fn v2_json(a: &Asset) -> Value {
    json!({
        "id": a.id.to_string(),
        "name": a.name,
        "description": a.description,
        "status": status_str(a, None),
    })
}

fn body(ctx: &Ctx) -> Result<Value, ApiError> {
    ctx.json()?
        .filter(Value::is_object)
        .ok_or_else(|| ApiError::new("701", "A JSON object body is required"))
}

fn req_str<'a>(v: &'a Value, name: &str) -> Result<&'a str, ApiError> {
    v.get(name)
        .and_then(Value::as_str)
        .filter(|s| !s.trim().is_empty())
        .ok_or_else(|| ApiError::new("701", format!("{name} cannot be blank")))
}

/// A string id (`"1017"`, or a JSON number).
fn id_of(v: Option<&Value>, name: &str) -> Result<Option<i32>, ApiError> {
    match v {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => n
            .as_i64()
            .and_then(|i| i32::try_from(i).ok())
            .map(Some)
            .ok_or_else(|| bad_id(name)),
        Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
        Some(Value::String(s)) => s.trim().parse().map(Some).map_err(|_| bad_id(name)),
        Some(_) => Err(bad_id(name)),
    }
}

fn bad_id(name: &str) -> ApiError {
    ApiError::new("1003", format!("Invalid {name}: an id is expected"))
}

fn path_id(ctx: &Ctx) -> Result<i32, ApiError> {
    ctx.path.int("id")
}

/// The parent named by `appData`: a folder, a program (emails), or the
/// Design Studio root when only `workspaceId` is given.
fn parent_of(app: &Value, kind: AssetKind) -> Result<FolderRef, ApiError> {
    let folder = id_of(app.get("folderId"), "folderId")?;
    let program = id_of(app.get("programId"), "programId")?;
    let f = match (folder, program) {
        (Some(id), _) => FolderRef {
            id,
            kind: FolderKind::Folder,
        },
        (None, Some(id)) if kind == AssetKind::Email => FolderRef {
            id,
            kind: FolderKind::Program,
        },
        _ if app.get("workspaceId").is_some() => FolderRef {
            id: 2,
            kind: FolderKind::Folder,
        },
        _ => {
            return Err(ApiError::new(
                "701",
                "appData needs folderId or workspaceId",
            ));
        }
    };
    Ok(f)
}

/// Metadata, content and references of a new asset.
type CreateParts = (Map<String, Value>, Value, Vec<AssetKey>);

/// Metadata and content of a new asset of `kind` from a create body.
fn create_parts(st: &State, b: &Value, kind: AssetKind) -> Result<CreateParts, ApiError> {
    let mut meta = Map::new();
    let mut refs = Vec::new();
    let content = match kind {
        AssetKind::Email => {
            let headers = b
                .get("headers")
                .filter(|h| h.is_object())
                .ok_or_else(|| ApiError::new("701", "headers cannot be blank"))?;
            req_str(headers, "subject")?;
            let mut html = String::new();
            if let Some(t) = id_of(b.get("templateId"), "templateId")? {
                let tpl = st.assets.get(AssetKind::EmailTemplate, t)?;
                html = tpl.content_of(Some(VersionFilter::Approved))["html"]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned();
                refs.push(tpl.key());
                meta.insert("template".into(), Value::from(t));
            }
            email_meta(&mut meta, b);
            email_content_from_template(&html)
        }
        AssetKind::EmailTemplate => match b.get("data") {
            Some(Value::String(html)) => json!({"html": html}),
            Some(d) if d.get("html").is_some() => d.clone(),
            _ => json!({"html": DEFAULT_TEMPLATE_HTML}),
        },
        _ => {
            let settings = b
                .get("settings")
                .filter(|s| s.is_object())
                .ok_or_else(|| ApiError::new("701", "settings cannot be blank"))?;
            req_str(settings, "fragmentType")?;
            let channels = settings.get("supportedChannels").and_then(Value::as_array);
            if channels.is_none_or(Vec::is_empty) {
                return Err(ApiError::new("701", "supportedChannels cannot be blank"));
            }
            meta.insert("settings".into(), settings.clone());
            b.get("data").cloned().unwrap_or_else(|| json!({}))
        }
    };
    Ok((meta, content, refs))
}

/// Email metadata from the `headers` and `settings` of a v2 body.
fn email_meta(meta: &mut Map<String, Value>, b: &Value) {
    if let Some(h) = b.get("headers") {
        for (from, to) in [
            ("subject", "subject"),
            ("fromName", "fromName"),
            ("fromEmail", "fromEmail"),
            ("replyEmail", "replyEmail"),
        ] {
            if let Some(v) = h.get(from).and_then(Value::as_str) {
                meta.insert(to.into(), text_header(v));
            }
        }
        if let Some(p) = h.get("preheader") {
            meta.insert("preHeader".into(), p.clone());
        }
        if let Some(cc) = h.get("ccEmails") {
            meta.insert("ccEmails".into(), cc.clone());
        }
    }
    if let Some(s) = b.get("settings") {
        for (from, to) in [
            ("isOperational", "operational"),
            ("isTextOnly", "textOnly"),
            ("isWebPageView", "webView"),
            ("enableUrlTracking", "enableUrlTracking"),
        ] {
            if let Some(v) = s.get(from).and_then(Value::as_bool) {
                meta.insert(to.into(), Value::Bool(v));
            }
        }
    }
}

fn create(st: &mut State, ctx: &Ctx, kind: AssetKind) -> ApiResult {
    let b = body(ctx)?;
    let name = req_str(&b, "name")?.to_owned();
    let app = b
        .get("appData")
        .filter(|a| a.is_object())
        .ok_or_else(|| ApiError::new("701", "appData cannot be blank"))?;
    let folder = parent_of(app, kind)?;
    let workspace = email_parent(st, folder)?;
    let (meta, content, refs) = create_parts(st, &b, kind)?;
    let new = NewAsset {
        name,
        description: b
            .get("description")
            .and_then(Value::as_str)
            .map(str::to_owned),
        folder: Some(folder),
        workspace,
        meta,
        content,
        refs,
    };
    let a = st.assets.create(kind, new, ctx.now)?;
    Ok(asset_ok(vec![v2_json(a)]))
}

/// Metadata and content changes of an update body.
fn update_parts(a: &Asset, b: &Value) -> (Map<String, Value>, Option<Value>) {
    let mut meta = Map::new();
    let mut content = None;
    match a.kind {
        AssetKind::Email => email_meta(&mut meta, b),
        AssetKind::Fragment => {
            if let Some(s) = b.get("settings").and_then(Value::as_object) {
                let mut merged = a
                    .meta
                    .get("settings")
                    .and_then(Value::as_object)
                    .cloned()
                    .unwrap_or_default();
                merged.extend(s.clone());
                meta.insert("settings".into(), Value::Object(merged));
            }
            content = b.get("data").cloned();
        }
        _ => {
            content = match b.get("data") {
                Some(Value::String(html)) => Some(json!({"html": html})),
                Some(d) if d.get("html").is_some() => Some(d.clone()),
                _ => None,
            };
        }
    }
    (meta, content)
}

fn update(st: &mut State, ctx: &Ctx, kind: AssetKind) -> ApiResult {
    let id = path_id(ctx)?;
    let b = body(ctx)?;
    let a = st.assets.get(kind, id)?;
    let (meta, content) = update_parts(a, &b);
    let upd = MetaUpdate {
        name: b.get("name").and_then(Value::as_str).map(str::to_owned),
        description: b
            .get("description")
            .and_then(Value::as_str)
            .map(str::to_owned),
        meta,
    };
    st.assets.update_meta(kind, id, upd, ctx.now)?;
    if let Some(c) = content {
        st.assets.update_content(kind, id, c, None, ctx.now)?;
    }
    Ok(asset_ok(vec![json!({"id": id.to_string()})]))
}

fn by_id(st: &mut State, ctx: &Ctx, kind: AssetKind) -> ApiResult {
    let a = st.assets.get(kind, path_id(ctx)?)?;
    Ok(asset_ok(vec![v2_json(a)]))
}

fn delete(st: &mut State, ctx: &Ctx, kind: AssetKind) -> ApiResult {
    let id = path_id(ctx)?;
    st.assets.delete(kind, id)?;
    Ok(asset_ok(vec![json!({"id": id.to_string()})]))
}

fn transition(st: &mut State, ctx: &Ctx, kind: AssetKind) -> ApiResult {
    let b = body(ctx)?;
    let id = id_of(b.get("contentId"), "contentId")?
        .ok_or_else(|| ApiError::new("701", "contentId cannot be blank"))?;
    let action = req_str(&b, "action")?;
    let now = ctx.now;
    let a = match action {
        "approve" => {
            if kind == AssetKind::EmailTemplate {
                let html = st.assets.get(kind, id)?.content["html"]
                    .as_str()
                    .unwrap_or_default();
                if !crate::state::emails::template_is_valid(html) {
                    return Err(ApiError::new(
                        "709",
                        format!("Email template {id} has no editable section"),
                    ));
                }
            }
            st.assets.approve(kind, id, now)?
        }
        "unapprove" => st.assets.unapprove(kind, id, now)?,
        "discard" => st.assets.discard_draft(kind, id, now)?,
        "create_draft" => {
            let a = st.assets.get_mut(kind, id)?;
            if a.status() != AssetStatus::Approved {
                return Err(ApiError::new(
                    "709",
                    format!("{} {id} already has a draft", kind.label()),
                ));
            }
            a.has_draft = true;
            a.updated_at = now;
            a
        }
        other => {
            return Err(ApiError::new(
                "1003",
                format!("Invalid action '{other}': approve, unapprove, discard or create_draft"),
            ));
        }
    };
    Ok(asset_ok(vec![v2_json(a)]))
}

fn clone(st: &mut State, ctx: &Ctx, kind: AssetKind) -> ApiResult {
    let b = body(ctx)?;
    let id = id_of(b.get("assetId"), "assetId")?
        .ok_or_else(|| ApiError::new("701", "assetId cannot be blank"))?;
    let new_asset = b
        .get("newAsset")
        .filter(|n| n.is_object())
        .ok_or_else(|| ApiError::new("701", "newAsset cannot be blank"))?;
    let name = req_str(new_asset, "name")?.to_owned();
    let src_folder = st.assets.get(kind, id)?.folder;
    let folder = match new_asset.get("appData") {
        Some(app) if app.is_object() => parent_of(app, kind)?,
        _ => src_folder,
    };
    let workspace = email_parent(st, folder)?;
    let new = NewAsset {
        name,
        description: new_asset
            .get("description")
            .and_then(Value::as_str)
            .map(str::to_owned),
        folder: Some(folder),
        workspace,
        ..NewAsset::default()
    };
    let a = st.assets.clone_asset(kind, id, new, ctx.now)?;
    Ok(asset_ok(vec![v2_json(a)]))
}

/// Paging of the v2 calls: `pageIndex` (from 0) and `pageSize` (default 20, at most 200).
fn page_of(p_index: Option<i64>, p_size: Option<i64>) -> Result<(usize, usize), ApiError> {
    let size = p_size.unwrap_or(20);
    let index = p_index.unwrap_or(0);
    if !(1..=200).contains(&size) || index < 0 {
        return Err(ApiError::new(
            "1003",
            "pageIndex must be at least 0 and pageSize between 1 and 200",
        ));
    }
    let size = usize::try_from(size).unwrap_or(20);
    Ok((size, usize::try_from(index).unwrap_or(0) * size))
}

fn used_by(st: &mut State, ctx: &Ctx, kind: AssetKind) -> ApiResult {
    let b = body(ctx)?;
    let id = id_of(b.get("assetId"), "assetId")?
        .ok_or_else(|| ApiError::new("701", "assetId cannot be blank"))?;
    let ty = b.get("type").and_then(Value::as_str).unwrap_or("all");
    let (size, skip) = page_of(
        b.get("pageIndex").and_then(Value::as_i64),
        b.get("pageSize").and_then(Value::as_i64),
    )?;
    st.assets.get(kind, id)?;
    let page = st
        .assets
        .referencing(AssetKey::new(kind, id))
        .into_iter()
        .map(|a| (kind_name(a.kind), a))
        .filter(|(k, _)| ty.eq_ignore_ascii_case("all") || ty.eq_ignore_ascii_case(k))
        .skip(skip)
        .take(size)
        .map(|(k, a)| json!({"id": a.id.to_string(), "name": a.name, "type": k, "status": status_str(a, None)}))
        .collect();
    Ok(asset_ok(page))
}

fn kind_name(k: AssetKind) -> &'static str {
    match k {
        AssetKind::Email => "email",
        AssetKind::EmailTemplate => "emailtemplate",
        AssetKind::Fragment => "fragment",
        AssetKind::LandingPage => "landingpage",
        _ => "asset",
    }
}

fn matches_filter(a: &Asset, q: &Params, kind: AssetKind) -> Result<bool, ApiError> {
    let mut folders: Vec<i32> = q.int_list("folderIds")?;
    if let Some(f) = q.int::<i32>("folderId")? {
        folders.push(f);
    }
    let in_folders = a.folder.kind == FolderKind::Folder && folders.contains(&a.folder.id);
    if !folders.is_empty() && !in_folders {
        return Ok(false);
    }
    let statuses = q.list("status");
    if !statuses.is_empty()
        && !statuses
            .iter()
            .any(|s| s.eq_ignore_ascii_case(status_str(a, None)))
    {
        return Ok(false);
    }
    if let Some(n) = q.non_empty("name")
        && !a.name.to_lowercase().contains(&n.to_lowercase())
    {
        return Ok(false);
    }
    if kind == AssetKind::Email
        && let Some(t) = q.int::<i64>("templateId")?
        && a.meta.get("template").and_then(Value::as_i64) != Some(t)
    {
        return Ok(false);
    }
    if kind == AssetKind::Fragment
        && let Some(t) = q.non_empty("fragmentType")
        && a.meta
            .get("settings")
            .and_then(|s| s.get("fragmentType"))
            .and_then(Value::as_str)
            != Some(t)
    {
        return Ok(false);
    }
    let range = [
        ("createdAtStart", a.created_at, true),
        ("createdAtEnd", a.created_at, false),
        ("modifiedAtStart", a.updated_at, true),
        ("modifiedAtEnd", a.updated_at, false),
    ];
    for (p, t, start) in range {
        if let Some(bound) = q.date(p)?
            && ((start && t < bound) || (!start && t > bound))
        {
            return Ok(false);
        }
    }
    Ok(true)
}

fn filter(st: &mut State, ctx: &Ctx, kind: AssetKind) -> ApiResult {
    let q = &ctx.query;
    q.required("workspaceId")?;
    let (size, skip) = page_of(q.int("pageIndex")?, q.int("pageSize")?)?;
    let mut found = Vec::new();
    for a in st.assets.all(kind) {
        if matches_filter(a, q, kind)? {
            found.push(a);
        }
    }
    match q.non_empty("sortKey") {
        Some("name") => found.sort_by(|x, y| x.name.cmp(&y.name)),
        Some("createdAt") => found.sort_by_key(|a| a.created_at),
        Some("updatedAt" | "modifiedAt") => found.sort_by_key(|a| a.updated_at),
        _ => {}
    }
    if q.non_empty("sortOrder")
        .is_some_and(|o| o.eq_ignore_ascii_case("desc"))
    {
        found.reverse();
    }
    let page = found
        .into_iter()
        .skip(skip)
        .take(size)
        .map(v2_json)
        .collect();
    Ok(asset_ok(page))
}
