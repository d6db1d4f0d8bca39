//! Landing page redirect rules and landing page domains (Asset API).
//!
//! Rules are assets of the shared model ([`AssetKind::RedirectRule`]) that
//! reference the landing pages they name, so a page a rule names cannot be
//! unapproved or deleted (709). Rules: `hostname` must be one of
//! [`DOMAINS`] (709) and at most 255 characters (1003); `redirectFrom` is
//! `landingPageId` or `path`, `redirectTo` is `landingPageId` or `url`
//! (1003); named pages must exist (702); one rule per source and hostname
//! (709).

use serde_json::{Map, Value, json};

use super::super::router::{Route, get, post};
use super::super::{ApiError, ApiResult, Ctx, Params, asset_ok, form_json, paging};
use crate::state::{
    Asset, AssetKey, AssetKind, BrowseQuery, FolderKind, FolderRef, MetaUpdate, NewAsset, State,
};
use crate::util::asset_datetime;

const K: AssetKind = AssetKind::RedirectRule;

/// The branding domains and aliases of the emulated instance.
pub(crate) const DOMAINS: &[(&str, &str)] = &[
    ("lp.example.com", "domain"),
    ("go.example.com", "domain-alias"),
    ("info.example.org", "domain-alias"),
];

/// The operations of this module.
pub(crate) const ROUTES: &[Route] = &[
    get("/rest/asset/v1/redirectRules.json", browse),
    post("/rest/asset/v1/redirectRules.json", create),
    get("/rest/asset/v1/redirectRule/{id}.json", get_by_id),
    post("/rest/asset/v1/redirectRule/{id}.json", update),
    post("/rest/asset/v1/redirectRule/{id}/delete.json", delete),
    get("/rest/asset/v1/landingPageDomains.json", domains),
];

/// Where rules are filed in the asset model (they have no folder in the API).
const HOME: FolderRef = FolderRef {
    id: 21,
    kind: FolderKind::Folder,
};

/// A metadata member (null when absent).
fn meta<'a>(a: &'a Asset, key: &str) -> &'a Value {
    a.meta.get(key).unwrap_or(&Value::Null)
}

fn rule_json(a: &Asset) -> Value {
    let m = &a.meta;
    json!({
        "id": a.id,
        "redirectFromUrl": m.get("redirectFromUrl"),
        "hostname": m.get("hostname"),
        "redirectFrom": m.get("redirectFrom"),
        "redirectTo": m.get("redirectTo"),
        "redirectToUrl": m.get("redirectToUrl"),
        "createdAt": asset_datetime(a.created_at),
        "updatedAt": asset_datetime(a.updated_at),
    })
}

fn hostname(form: &Params) -> Result<Option<String>, ApiError> {
    let Some(h) = form.non_empty("hostname") else {
        return Ok(None);
    };
    if h.chars().count() > 255 {
        return Err(ApiError::new(
            "1003",
            "hostname is longer than 255 characters",
        ));
    }
    if !DOMAINS.iter().any(|(d, _)| d.eq_ignore_ascii_case(h)) {
        return Err(ApiError::new(
            "709",
            format!("Hostname '{h}' is not a branding domain or alias"),
        ));
    }
    Ok(Some(h.to_ascii_lowercase()))
}

/// One end of a rule: normalized `{type, value}`, its URL, and the page it names.
fn end(
    st: &State,
    v: &Value,
    host: &str,
    allowed: &[&str],
) -> Result<(Value, String, Option<i32>), ApiError> {
    let t = v["type"].as_str().unwrap_or("");
    if !allowed.contains(&t) {
        return Err(ApiError::new(
            "1003",
            format!("Invalid type '{t}': expected one of {}", allowed.join(", ")),
        ));
    }
    if t == "landingPageId" {
        let id = v["value"]
            .as_i64()
            .or_else(|| v["value"].as_str().and_then(|s| s.trim().parse().ok()))
            .and_then(|i| i32::try_from(i).ok())
            .ok_or_else(|| ApiError::new("1003", "landingPageId value must be an integer"))?;
        let lp = st.assets.get(AssetKind::LandingPage, id)?;
        let page = lp
            .meta_str("urlPageName")
            .filter(|s| !s.is_empty())
            .map_or_else(|| lp.name.replace(' ', "-"), str::to_owned);
        return Ok((
            json!({"type": t, "value": id}),
            format!("https://{host}/{page}.html"),
            Some(id),
        ));
    }
    let s = v["value"]
        .as_str()
        .filter(|s| !s.trim().is_empty())
        .ok_or_else(|| ApiError::new("701", format!("{t} value cannot be blank")))?;
    let url = if t == "path" {
        format!("https://{host}{s}")
    } else {
        s.to_owned()
    };
    Ok((json!({"type": t, "value": s}), url, None))
}

/// Applies the members a create/update form gives onto `meta`; returns the pages named.
fn apply(st: &State, form: &Params, meta: &mut Map<String, Value>) -> Result<(), ApiError> {
    if let Some(h) = hostname(form)? {
        meta.insert("hostname".into(), json!(h));
    }
    let host = meta
        .get("hostname")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_owned();
    let from = form_json(form, "redirectFrom")?.or_else(|| meta.get("redirectFrom").cloned());
    if let Some(f) = from {
        let (v, url, _) = end(st, &f, &host, &["landingPageId", "path"])?;
        meta.insert("redirectFrom".into(), v);
        meta.insert("redirectFromUrl".into(), json!(url));
    }
    let to = form_json(form, "redirectTo")?.or_else(|| meta.get("redirectTo").cloned());
    if let Some(t) = to {
        let (v, url, _) = end(st, &t, &host, &["landingPageId", "url"])?;
        meta.insert("redirectTo".into(), v);
        meta.insert("redirectToUrl".into(), json!(url));
    }
    Ok(())
}

fn refs_of(meta: &Map<String, Value>) -> Vec<AssetKey> {
    ["redirectFrom", "redirectTo"]
        .iter()
        .filter_map(|k| meta.get(*k))
        .filter(|e| e["type"] == "landingPageId")
        .filter_map(|e| e["value"].as_i64().and_then(|i| i32::try_from(i).ok()))
        .map(|i| AssetKey::new(AssetKind::LandingPage, i))
        .collect()
}

/// 709 when another rule has the same hostname and source.
fn check_unique(
    st: &State,
    meta: &Map<String, Value>,
    except: Option<i32>,
) -> Result<(), ApiError> {
    let clash = st.assets.all(K).any(|r| {
        Some(r.id) != except
            && r.meta.get("hostname") == meta.get("hostname")
            && r.meta.get("redirectFrom") == meta.get("redirectFrom")
    });
    if clash {
        return Err(ApiError::new(
            "709",
            "A redirect rule for this hostname and source already exists",
        ));
    }
    Ok(())
}

fn create(st: &mut State, ctx: &Ctx) -> ApiResult {
    let form = ctx.form()?;
    form.required("hostname")?;
    form.required("redirectFrom")?;
    form.required("redirectTo")?;
    let mut meta = Map::new();
    apply(st, &form, &mut meta)?;
    check_unique(st, &meta, None)?;
    let refs = refs_of(&meta);
    let name = format!(
        "{} {}",
        meta.get("hostname").unwrap_or(&Value::Null),
        meta.get("redirectFrom").unwrap_or(&Value::Null)
    );
    let new = NewAsset {
        name,
        description: None,
        folder: Some(HOME),
        workspace: "Default".to_owned(),
        meta,
        content: Value::Null,
        refs,
    };
    let a = st.assets.create(K, new, ctx.now)?;
    Ok(asset_ok(vec![rule_json(a)]))
}

fn get_by_id(st: &mut State, ctx: &Ctx) -> ApiResult {
    let a = st.assets.get(K, ctx.path.int("id")?)?;
    Ok(asset_ok(vec![rule_json(a)]))
}

fn update(st: &mut State, ctx: &Ctx) -> ApiResult {
    let form = ctx.form()?;
    let id: i32 = ctx.path.int("id")?;
    if ["hostname", "redirectFrom", "redirectTo"]
        .iter()
        .all(|k| form.non_empty(k).is_none())
    {
        return Err(ApiError::new(
            "701",
            "one of hostname, redirectFrom, redirectTo is required",
        ));
    }
    let mut meta = st.assets.get(K, id)?.meta.clone();
    apply(st, &form, &mut meta)?;
    check_unique(st, &meta, Some(id))?;
    let refs = refs_of(&meta);
    st.assets
        .update_content(K, id, Value::Null, Some(refs), ctx.now)?;
    let upd = MetaUpdate {
        meta,
        ..MetaUpdate::default()
    };
    let a = st.assets.update_meta(K, id, upd, ctx.now)?;
    Ok(asset_ok(vec![rule_json(a)]))
}

fn delete(st: &mut State, ctx: &Ctx) -> ApiResult {
    let id: i32 = ctx.path.int("id")?;
    st.assets.delete(K, id)?;
    Ok(asset_ok(vec![json!({"id": id})]))
}

fn browse(st: &mut State, ctx: &Ctx) -> ApiResult {
    let q = &ctx.query;
    let (max, offset) = paging(q)?;
    let host = q.non_empty("hostname").map(str::to_ascii_lowercase);
    let to_lp: Option<i64> = q.int("redirectToLandingPageId")?;
    let to_path = q.non_empty("redirectToPath");
    let query = BrowseQuery {
        earliest_updated_at: q.date("earliestUpdatedAt")?,
        latest_updated_at: q.date("latestUpdatedAt")?,
        offset,
        max,
        ..BrowseQuery::default()
    };
    let keep = |r: &Asset| {
        host.as_deref().is_none_or(|h| meta(r, "hostname") == h)
            && to_lp.is_none_or(|p| {
                meta(r, "redirectTo")["type"] == "landingPageId"
                    && meta(r, "redirectTo")["value"].as_i64() == Some(p)
            })
            && to_path.is_none_or(|p| {
                meta(r, "redirectToUrl")
                    .as_str()
                    .is_some_and(|u| u.ends_with(p))
            })
    };
    let result = st
        .assets
        .browse_where(K, &query, keep)
        .into_iter()
        .map(rule_json)
        .collect();
    Ok(asset_ok(result))
}

fn domains(_: &mut State, ctx: &Ctx) -> ApiResult {
    let (max, offset) = paging(&ctx.query)?;
    let result = DOMAINS
        .iter()
        .skip(offset)
        .take(max)
        .map(|(h, t)| json!({"hostname": h, "type": t}))
        .collect();
    Ok(asset_ok(result))
}
