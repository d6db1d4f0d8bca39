//! Landing pages (Asset API): metadata and lifecycle through the shared
//! model, plus variables and the rendered preview.
//!
//! A page references its template, and the forms and snippets of its
//! sections: approving it needs them approved (709), and while the page uses
//! them they cannot be unapproved or deleted (709). Redirect rules naming the
//! page reference it in turn. A new page starts with the editable elements
//! (sections) and variables of its template's HTML.

use serde_json::{Map, Value, json};

use super::super::assets::{self, Extra};
use super::super::router::{Route, get, post};
use super::super::{ApiError, ApiResult, Ctx, Params, asset_ok, form_json};
use super::lp_templates::html_of;
use super::{array_of, path_text, version_content};
use crate::state::{AssetKey, AssetKind, State, VersionFilter};

const K: AssetKind = AssetKind::LandingPage;

/// Host of the emulator's landing pages.
pub(crate) const LP_HOST: &str = "lp.example.com";

/// The operations of this module.
pub(crate) const ROUTES: &[Route] = &[
    get("/rest/asset/v1/landingPages.json", |st, ctx| {
        assets::browse(st, ctx, K)
    }),
    post("/rest/asset/v1/landingPages.json", |st, ctx| {
        let r = assets::create_with(st, ctx, K, create_extra)?;
        with_urls(st, &r)
    }),
    get("/rest/asset/v1/landingPage/byName.json", |st, ctx| {
        assets::by_name(st, ctx, K)
    }),
    get("/rest/asset/v1/landingPage/{id}.json", |st, ctx| {
        assets::get_by_id(st, ctx, K)
    }),
    post("/rest/asset/v1/landingPage/{id}.json", |st, ctx| {
        let r = assets::update_with(st, ctx, K, update_extra)?;
        with_urls(st, &r)
    }),
    post(
        "/rest/asset/v1/landingPage/{id}/approveDraft.json",
        |st, ctx| assets::approve(st, ctx, K),
    ),
    post(
        "/rest/asset/v1/landingPage/{id}/unapprove.json",
        |st, ctx| assets::unapprove(st, ctx, K),
    ),
    post(
        "/rest/asset/v1/landingPage/{id}/discardDraft.json",
        |st, ctx| assets::discard_draft(st, ctx, K),
    ),
    post("/rest/asset/v1/landingPage/{id}/clone.json", clone),
    post("/rest/asset/v1/landingPage/{id}/delete.json", |st, ctx| {
        assets::delete(st, ctx, K)
    }),
    get("/rest/asset/v1/landingPage/{id}/variables.json", variables),
    post(
        "/rest/asset/v1/landingPage/{id}/variable/{variableId}.json",
        update_variable,
    ),
    get("/rest/asset/v1/landingPage/{id}/fullContent.json", preview),
];

/// String metadata members of create and update calls.
const TEXT_META: &[&str] = &[
    "title",
    "keywords",
    "robots",
    "customHeadHTML",
    "facebookOgTags",
    "urlPageName",
    "styleOverRide",
];

fn meta_from(form: &Params, meta: &mut Map<String, Value>) -> Result<(), ApiError> {
    for k in TEXT_META {
        if let Some(v) = form.get(k) {
            meta.insert((*k).into(), json!(v));
        }
    }
    // Marketo's parameter is `prefillForm` on some pages, `formPrefill` on others.
    let prefill = match form.bool("formPrefill")? {
        Some(b) => Some(b),
        None => form.bool("prefillForm")?,
    };
    if let Some(b) = prefill {
        meta.insert("formPrefill".into(), json!(b));
    }
    if let Some(b) = form.bool("mobileEnabled")? {
        meta.insert("mobileEnabled".into(), json!(b));
    }
    Ok(())
}

/// The editable elements and variables of a template's HTML.
pub(crate) fn template_parts(html: &str) -> (Vec<Value>, Vec<Value>) {
    let mut sections = Vec::new();
    let mut variables = Vec::new();
    let mut rest = html;
    while let Some(pos) = rest.find("class=\"mkto") {
        let start = rest[..pos].rfind('<').unwrap_or(0);
        let end = rest[pos..].find('>').map_or(rest.len(), |e| pos + e + 1);
        let tag = &rest[start..end];
        let attr = |name: &str| {
            let key = format!(" {name}=\"");
            tag.find(&key).and_then(|i| {
                let v = &tag[i + key.len()..];
                v.find('"').map(|e| v[..e].to_owned())
            })
        };
        let class = attr("class").unwrap_or_default();
        let id = attr("id").unwrap_or_default();
        let kind = class.split_whitespace().next().unwrap_or("");
        let section = match kind {
            "mktoText" => Some("RichText"),
            "mktoImg" => Some("Image"),
            "mktoForm" => Some("Form"),
            "mktoSnippet" => Some("Snippet"),
            "mktoVideo" => Some("Video"),
            _ => None,
        };
        let var = match kind {
            "mktoString" => Some("string"),
            "mktoColor" => Some("color"),
            "mktoBoolean" => Some("boolean"),
            _ => None,
        };
        if let Some(t) = section {
            let index = sections.len() + 1;
            sections.push(json!({"id": id, "type": t, "index": index, "content": "", "formattingOptions": {}}));
        } else if let Some(t) = var {
            variables
                .push(json!({"id": id, "value": attr("default").unwrap_or_default(), "type": t}));
        }
        rest = &rest[end.max(pos + 1)..];
    }
    (sections, variables)
}

fn create_extra(st: &State, form: &Params) -> Result<Extra, ApiError> {
    let template: i32 = form
        .int("template")?
        .ok_or_else(|| ApiError::new("701", "template cannot be blank"))?;
    let t = st.assets.get(AssetKind::LandingPageTemplate, template)?;
    let html = html_of(t.content_of(Some(VersionFilter::Approved)));
    let (sections, variables) = template_parts(html);
    let mut meta = Map::new();
    meta.insert("template".into(), json!(template));
    meta.insert("robots".into(), json!("index, nofollow"));
    meta.insert("formPrefill".into(), json!(false));
    meta.insert("mobileEnabled".into(), json!(false));
    meta_from(form, &mut meta)?;
    Ok(Extra {
        meta,
        content: json!({"sections": sections, "variables": variables, "dynamic": {}}),
        refs: vec![AssetKey::new(AssetKind::LandingPageTemplate, template)],
    })
}

fn update_extra(
    _: &State,
    form: &Params,
    _: &crate::state::Asset,
) -> Result<Map<String, Value>, ApiError> {
    let mut meta = Map::new();
    meta_from(form, &mut meta)?;
    Ok(meta)
}

/// Sets `URL` and `computedUrl` of the page a create/update/clone answer
/// names, and answers with the page again.
fn with_urls(st: &mut State, answer: &Value) -> ApiResult {
    let id = answer
        .pointer("/result/0/id")
        .and_then(Value::as_i64)
        .and_then(|i| i32::try_from(i).ok())
        .ok_or_else(|| ApiError::new("611", "System error"))?;
    let a = st.assets.get_mut(K, id)?;
    let page = a
        .meta_str("urlPageName")
        .filter(|s| !s.is_empty())
        .map_or_else(|| a.name.replace(' ', "-"), str::to_owned);
    a.meta.insert(
        "URL".into(),
        json!(format!("https://{LP_HOST}/lp/123-ABC-456/{page}.html")),
    );
    a.meta.insert(
        "computedUrl".into(),
        json!(format!("https://app-emulator.marketo.invalid/#LP{id}A1")),
    );
    let a = st.assets.get(K, id)?;
    Ok(asset_ok(vec![assets::asset_json(st, a, None)]))
}

/// Clone: the generic clone; `template`, when sent, must be the source's (709).
fn clone(st: &mut State, ctx: &Ctx) -> ApiResult {
    let form = ctx.form()?;
    let src = st.assets.get(K, assets::path_id(ctx)?)?;
    if let Some(t) = form.int::<i64>("template")?
        && src.meta.get("template").and_then(Value::as_i64) != Some(t)
    {
        return Err(ApiError::new(
            "709",
            format!(
                "Template {t} is not the template of landing page {}",
                src.id
            ),
        ));
    }
    let r = assets::clone(st, ctx, K)?;
    with_urls(st, &r)
}

fn variables(st: &mut State, ctx: &Ctx) -> ApiResult {
    let v = assets::version_param(&ctx.query)?;
    let a = st.assets.get(K, assets::path_id(ctx)?)?;
    Ok(asset_ok(array_of(version_content(a, v)?, "variables")))
}

fn update_variable(st: &mut State, ctx: &Ctx) -> ApiResult {
    let form = ctx.form()?;
    let id = assets::path_id(ctx)?;
    let var = path_text(ctx, "variableId")?;
    let value = form
        .get("value")
        .ok_or_else(|| ApiError::new("701", "value cannot be blank"))?
        .to_owned();
    let mut content = st.assets.get(K, id)?.content.clone();
    let item = content
        .get_mut("variables")
        .and_then(Value::as_array_mut)
        .and_then(|vs| vs.iter_mut().find(|x| x["id"] == json!(var)))
        .ok_or_else(|| ApiError::new("702", format!("Variable '{var}' not found")))?;
    item["value"] = json!(value);
    let out = item.clone();
    st.assets.update_content(K, id, content, None, ctx.now)?;
    Ok(asset_ok(vec![out]))
}

/// The text a section shows in a preview.
fn section_html(s: &Value, segment: Option<i64>, dynamic: &Value) -> String {
    let content = &s["content"];
    match s["type"].as_str().unwrap_or("") {
        "DynamicContent" => {
            let dc = content["content"].as_str().unwrap_or("");
            let segs = array_of(&dynamic[dc], "segments");
            let pick = segs
                .iter()
                .find(|g| segment.is_some() && g["segmentId"].as_i64() == segment)
                .or_else(|| segs.iter().find(|g| g["segmentName"] == "Default"));
            pick.and_then(|g| g["content"].as_str())
                .unwrap_or("")
                .to_owned()
        }
        "Form" => format!(
            "<form id=\"mktoForm_{}\"></form>",
            content["content"].as_str().unwrap_or("")
        ),
        _ => content.as_str().unwrap_or("").to_owned(),
    }
}

/// `fullContent.json`: the template's HTML with variables replaced and the
/// sections placed before `</body>`. `leadId` must name a lead (702);
/// `segmentation` picks the segment dynamic sections show.
fn preview(st: &mut State, ctx: &Ctx) -> ApiResult {
    let id = assets::path_id(ctx)?;
    if let Some(lead) = ctx.query.int::<i64>("leadId")?
        && !st.leads.contains_key(&lead)
    {
        return Err(ApiError::new("702", format!("Lead {lead} not found")));
    }
    let segment = form_json(&ctx.query, "segmentation")?.and_then(|v| {
        v.as_array()
            .and_then(|a| a.first())
            .and_then(|s| s["segmentId"].as_i64())
    });
    let a = st.assets.get(K, id)?;
    let content = a.content_of(Some(VersionFilter::Approved)).clone();
    let template = a.meta.get("template").and_then(Value::as_i64).unwrap_or(0);
    let t = st
        .assets
        .get(
            AssetKind::LandingPageTemplate,
            i32::try_from(template).unwrap_or(0),
        )
        .map(|t| html_of(t.content_of(Some(VersionFilter::Approved))).to_owned())
        .unwrap_or_default();
    let mut html = if t.is_empty() {
        "<!DOCTYPE html>\n<html><head></head><body></body></html>".to_owned()
    } else {
        t
    };
    for v in array_of(&content, "variables") {
        let key = format!("${{{}}}", v["id"].as_str().unwrap_or(""));
        html = html.replace(&key, v["value"].as_str().unwrap_or(""));
    }
    let mut sections = array_of(&content, "sections");
    sections.sort_by_key(|s| s["index"].as_i64().unwrap_or(0));
    let body: String = sections
        .iter()
        .map(|s| section_html(s, segment, &content["dynamic"]))
        .collect::<Vec<_>>()
        .join("\n");
    html = match html.rfind("</body>") {
        Some(i) => format!("{}{body}\n{}", &html[..i], &html[i..]),
        None => format!("{html}{body}"),
    };
    Ok(asset_ok(vec![json!({"id": id, "content": html})]))
}
