//! Landing page templates (Asset API): the generic lifecycle plus the HTML
//! content, the template type and the Munchkin setting.
//!
//! Rules beyond the shared model: approving needs HTML (709), and a guided
//! template needs at least one editable element (`class="mkto…"`, 709);
//! unapproving or deleting a template that a landing page uses is 709 (the
//! landing page references its template).

use serde_json::{Map, Value, json};

use super::super::assets::{self, Extra};
use super::super::router::{Route, get, post};
use super::super::{ApiError, ApiResult, Params, asset_ok};
use super::{form_or_multipart, version_content};
use crate::state::{Asset, AssetKind, State};

const K: AssetKind = AssetKind::LandingPageTemplate;

/// The operations of this module.
pub(crate) const ROUTES: &[Route] = &[
    get("/rest/asset/v1/landingPageTemplates.json", |st, ctx| {
        assets::browse(st, ctx, K)
    }),
    post("/rest/asset/v1/landingPageTemplates.json", |st, ctx| {
        assets::create_with(st, ctx, K, create_extra)
    }),
    get(
        "/rest/asset/v1/landingPageTemplate/byName.json",
        |st, ctx| assets::by_name(st, ctx, K),
    ),
    get("/rest/asset/v1/landingPageTemplate/{id}.json", |st, ctx| {
        assets::get_by_id(st, ctx, K)
    }),
    post("/rest/asset/v1/landingPageTemplate/{id}.json", |st, ctx| {
        assets::update_with(st, ctx, K, update_extra)
    }),
    get(
        "/rest/asset/v1/landingPageTemplate/{id}/content.json",
        get_content,
    ),
    post(
        "/rest/asset/v1/landingPageTemplate/{id}/content.json",
        update_content,
    ),
    post(
        "/rest/asset/v1/landingPageTemplate/{id}/approveDraft.json",
        approve,
    ),
    post(
        "/rest/asset/v1/landingPageTemplate/{id}/unapprove.json",
        |st, ctx| assets::unapprove(st, ctx, K),
    ),
    post(
        "/rest/asset/v1/landingPageTemplate/{id}/discardDraft.json",
        |st, ctx| assets::discard_draft(st, ctx, K),
    ),
    post(
        "/rest/asset/v1/landingPageTemplate/{id}/clone.json",
        |st, ctx| assets::clone(st, ctx, K),
    ),
    post(
        "/rest/asset/v1/landingPageTemplate/{id}/delete.json",
        |st, ctx| assets::delete(st, ctx, K),
    ),
];

/// `templateType`: `freeForm` (default) or `guided`, any case (1003 otherwise).
fn template_type(form: &Params) -> Result<Option<&'static str>, ApiError> {
    match form.non_empty("templateType") {
        None => Ok(None),
        Some(t) if t.eq_ignore_ascii_case("freeform") => Ok(Some("freeForm")),
        Some(t) if t.eq_ignore_ascii_case("guided") => Ok(Some("guided")),
        Some(t) => Err(ApiError::new(
            "1003",
            format!("Invalid templateType '{t}': freeForm or guided"),
        )),
    }
}

fn create_extra(_: &State, form: &Params) -> Result<Extra, ApiError> {
    let mut meta = Map::new();
    meta.insert(
        "templateType".into(),
        json!(template_type(form)?.unwrap_or("freeForm")),
    );
    meta.insert(
        "enableMunchkin".into(),
        json!(form.bool("enableMunchkin")?.unwrap_or(false)),
    );
    Ok(Extra {
        meta,
        content: json!({"html": ""}),
        refs: Vec::new(),
    })
}

fn update_extra(_: &State, form: &Params, _: &Asset) -> Result<Map<String, Value>, ApiError> {
    let mut meta = Map::new();
    if let Some(m) = form.bool("enableMunchkin")? {
        meta.insert("enableMunchkin".into(), json!(m));
    }
    Ok(meta)
}

/// The HTML of a template version.
pub(crate) fn html_of(content: &Value) -> &str {
    content.get("html").and_then(Value::as_str).unwrap_or("")
}

fn get_content(st: &mut State, ctx: &super::super::Ctx) -> ApiResult {
    let v = assets::version_param(&ctx.query)?;
    let a = st.assets.get(K, assets::path_id(ctx)?)?;
    let content = version_content(a, v)?;
    let status = match v {
        Some(crate::state::VersionFilter::Approved) => "approved",
        Some(crate::state::VersionFilter::Draft) => "draft",
        None if a.approved.is_some() => "approved",
        None => "draft",
    };
    Ok(asset_ok(vec![json!({
        "id": a.id,
        "content": html_of(content),
        "status": status,
        "templateType": a.meta.get("templateType"),
        "enableMunchkin": a.meta.get("enableMunchkin"),
    })]))
}

fn update_content(st: &mut State, ctx: &super::super::Ctx) -> ApiResult {
    let form = form_or_multipart(ctx)?;
    let id = assets::path_id(ctx)?;
    let html = form.required("content")?.to_owned();
    st.assets
        .update_content(K, id, json!({"html": html}), None, ctx.now)?;
    Ok(asset_ok(vec![json!({"id": id})]))
}

fn approve(st: &mut State, ctx: &super::super::Ctx) -> ApiResult {
    let a = st.assets.get(K, assets::path_id(ctx)?)?;
    let html = html_of(&a.content);
    if html.trim().is_empty() {
        return Err(ApiError::new(
            "709",
            format!("Landing page template {} has no content to approve", a.id),
        ));
    }
    if a.meta_str("templateType") == Some("guided") && !html.contains("class=\"mkto") {
        return Err(ApiError::new(
            "709",
            "A guided template needs at least one editable element (class=\"mkto…\")",
        ));
    }
    assets::approve(st, ctx, K)
}
