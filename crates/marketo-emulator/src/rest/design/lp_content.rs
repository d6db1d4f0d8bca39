//! Content sections and dynamic content of landing pages (Asset API).
//!
//! Sections live in the page's working content (every change makes a draft
//! of an approved page). Rules: `type` must be one of the documented section
//! types (1003); Form, Snippet and DynamicContent values name an existing
//! form, snippet or segmentation (702), other id-valued types need an integer
//! (1003); rich text may not hold scripts (1003); a `contentId` already on the
//! page is 709; an unknown section, dynamic section or segment is 702.
//! Turning a section into `DynamicContent` creates one segment per segment of
//! the segmentation (plus `Default`), each holding the section's content.

use serde_json::{Value, json};

use super::super::assets;
use super::super::router::{Route, get, post};
use super::super::{ApiError, ApiResult, Ctx, Params, asset_ok};
use super::{array_of, base64, formatting, path_text, version_content};
use crate::state::{AssetKey, AssetKind, State};
use crate::util::asset_datetime;

const K: AssetKind = AssetKind::LandingPage;

/// The operations of this module.
pub(crate) const ROUTES: &[Route] = &[
    get("/rest/asset/v1/landingPage/{id}/content.json", get_content),
    post("/rest/asset/v1/landingPage/{id}/content.json", add_section),
    post(
        "/rest/asset/v1/landingPage/{id}/content/{contentId}.json",
        update_section,
    ),
    post(
        "/rest/asset/v1/landingPage/{id}/content/{contentId}/delete.json",
        delete_section,
    ),
    get(
        "/rest/asset/v1/landingPage/{id}/dynamicContent/{dynamicContentId}.json",
        get_dynamic,
    ),
    post(
        "/rest/asset/v1/landingPage/{id}/dynamicContent/{dynamicContentId}.json",
        update_dynamic,
    ),
];

/// The documented section types.
const TYPES: &[&str] = &[
    "DynamicContent",
    "Form",
    "HTML",
    "Image",
    "Rectangle",
    "RichText",
    "Snippet",
    "SocialButton",
    "Video",
];

fn section_type(form: &Params) -> Result<&'static str, ApiError> {
    let t = form.required("type")?;
    TYPES
        .iter()
        .find(|x| x.eq_ignore_ascii_case(t))
        .copied()
        .ok_or_else(|| ApiError::new("1003", format!("Invalid content type '{t}'")))
}

/// The stored `content` of a section of type `t` with form value `value`.
fn section_content(st: &State, t: &str, value: &str) -> Result<Value, ApiError> {
    let id = || {
        value
            .trim()
            .parse::<i32>()
            .map_err(|_| ApiError::new("1003", format!("Invalid value '{value}' for type {t}")))
    };
    match t {
        "HTML" => Ok(json!(value)),
        "RichText" => {
            let lower = value.to_ascii_lowercase();
            if ["<script", "<meta", "<link"]
                .iter()
                .any(|x| lower.contains(x))
            {
                return Err(ApiError::new(
                    "1003",
                    "Rich text may not hold scripts, meta or link tags",
                ));
            }
            Ok(json!(value))
        }
        "Rectangle" => Ok(json!("")),
        "Form" | "Snippet" => {
            let n = id()?;
            let kind = if t == "Form" {
                AssetKind::Form
            } else {
                AssetKind::Snippet
            };
            st.assets.get(kind, n)?;
            Ok(json!({"content": n.to_string(), "contentType": t,
                "contentUrl": format!("https://app-emulator.marketo.invalid/#{}{n}A1", if t == "Form" { "FO" } else { "SN" })}))
        }
        _ => {
            let n = id()?;
            Ok(json!({"content": n.to_string(), "contentType": t}))
        }
    }
}

/// The references of a page: its template, the forms and snippets of its sections.
fn page_refs(st: &State, id: i32, content: &Value) -> Result<Vec<AssetKey>, ApiError> {
    let a = st.assets.get(K, id)?;
    let mut refs: Vec<AssetKey> = a
        .refs
        .iter()
        .filter(|k| k.kind == AssetKind::LandingPageTemplate)
        .copied()
        .collect();
    for s in array_of(content, "sections") {
        let kind = match s["type"].as_str() {
            Some("Form") => AssetKind::Form,
            Some("Snippet") => AssetKind::Snippet,
            _ => continue,
        };
        if let Some(n) = s["content"]["content"]
            .as_str()
            .and_then(|x| x.parse::<i32>().ok())
        {
            let key = AssetKey::new(kind, n);
            if !refs.contains(&key) {
                refs.push(key);
            }
        }
    }
    Ok(refs)
}

/// Stores new working content for a page, references recomputed.
fn save(st: &mut State, ctx: &Ctx, id: i32, content: Value) -> Result<(), ApiError> {
    let refs = page_refs(st, id, &content)?;
    st.assets
        .update_content(K, id, content, Some(refs), ctx.now)?;
    Ok(())
}

fn get_content(st: &mut State, ctx: &Ctx) -> ApiResult {
    let v = assets::version_param(&ctx.query)?;
    let a = st.assets.get(K, assets::path_id(ctx)?)?;
    let mut sections = array_of(version_content(a, v)?, "sections");
    sections.sort_by_key(|s| s["index"].as_i64().unwrap_or(0));
    Ok(asset_ok(sections))
}

fn sections_mut(content: &mut Value) -> &mut Vec<Value> {
    if !content["sections"].is_array() {
        content["sections"] = json!([]);
    }
    content["sections"]
        .as_array_mut()
        .expect("sections was just made an array")
}

fn add_section(st: &mut State, ctx: &Ctx) -> ApiResult {
    let form = ctx.form()?;
    let id = assets::path_id(ctx)?;
    let t = section_type(&form)?;
    if t == "DynamicContent" {
        return Err(ApiError::new(
            "1003",
            "Add the section first, then update its type to DynamicContent",
        ));
    }
    let value = form.get("value").unwrap_or("");
    if value.is_empty() && t != "Rectangle" {
        return Err(ApiError::new("701", "value cannot be blank"));
    }
    let stored = section_content(st, t, value)?;
    let mut content = st.assets.get(K, id)?.content.clone();
    let sections = sections_mut(&mut content);
    let next_num = sections
        .iter()
        .filter_map(|s| s["id"].as_str().and_then(|x| x.parse::<i64>().ok()))
        .max()
        .unwrap_or(1000)
        + 1;
    let sid = form
        .non_empty("contentId")
        .map_or_else(|| next_num.to_string(), str::to_owned);
    if sections.iter().any(|s| s["id"] == json!(sid)) {
        return Err(ApiError::new(
            "709",
            format!("Content section '{sid}' already exists"),
        ));
    }
    let index = match form.int::<i64>("index")? {
        Some(i) => i,
        None => {
            sections
                .iter()
                .filter_map(|s| s["index"].as_i64())
                .max()
                .unwrap_or(0)
                + 1
        }
    };
    sections.push(json!({
        "id": sid, "type": t, "index": index, "content": stored,
        "formattingOptions": formatting(&form)?,
    }));
    save(st, ctx, id, content)?;
    Ok(asset_ok(vec![json!({"id": sid})]))
}

/// The segments of a segmentation, `Default` first (the content's own
/// `Default` when it lists one, else one made up for the page).
fn segments_of(st: &State, seg: i32) -> Result<Vec<(i64, String)>, ApiError> {
    let s = st.assets.get(AssetKind::Segmentation, seg)?;
    let list = match &s.content {
        Value::Array(a) => a.clone(),
        other => array_of(other, "segments"),
    };
    let mut out: Vec<(i64, String)> = list
        .iter()
        .enumerate()
        .map(|(i, x)| {
            let id = x["id"]
                .as_i64()
                .unwrap_or(i64::from(seg) * 10 + 1 + i as i64);
            (id, x["name"].as_str().unwrap_or("Segment").to_owned())
        })
        .collect();
    let default = match out.iter().position(|(_, n)| n == "Default") {
        Some(i) => out.remove(i),
        None => (i64::from(seg) * 10, "Default".to_owned()),
    };
    out.insert(0, default);
    Ok(out)
}

fn update_section(st: &mut State, ctx: &Ctx) -> ApiResult {
    let form = ctx.form()?;
    let id = assets::path_id(ctx)?;
    let sid = path_text(ctx, "contentId")?;
    let t = section_type(&form)?;
    let value = form.get("value").unwrap_or("").to_owned();
    let fmt = formatting(&form)?;
    let index = form.int::<i64>("index")?;
    let mut content = st.assets.get(K, id)?.content.clone();
    let pos = array_of(&content, "sections")
        .iter()
        .position(|s| s["id"] == json!(sid))
        .ok_or_else(|| ApiError::new("702", format!("Content section '{sid}' not found")))?;
    let old = content["sections"][pos].clone();
    let stored = if t == "DynamicContent" {
        let seg: i32 = value
            .trim()
            .parse()
            .map_err(|_| ApiError::new("1003", format!("Invalid segmentation id '{value}'")))?;
        let segments = segments_of(st, seg)?;
        let dc = base64(&format!("LP{id}-{sid}"));
        let base_type = old["type"].as_str().unwrap_or("HTML").to_owned();
        let base = old["content"].clone();
        let day = asset_datetime(ctx.now)[..10].to_owned();
        content["dynamic"][&dc] = json!({
            "createdAt": day, "updatedAt": day, "segmentation": seg,
            "segments": segments.iter().map(|(i, n)| json!({
                "segmentId": i, "segmentName": n, "type": base_type, "content": base,
            })).collect::<Vec<_>>(),
        });
        json!({"content": dc, "contentType": "DynamicContent", "segmentation": seg})
    } else {
        section_content(st, t, &value)?
    };
    let s = &mut content["sections"][pos];
    s["type"] = json!(t);
    s["content"] = stored;
    if let Some(i) = index {
        s["index"] = json!(i);
    }
    if let Some(o) = s["formattingOptions"].as_object_mut() {
        o.extend(fmt);
    } else {
        s["formattingOptions"] = Value::Object(fmt);
    }
    save(st, ctx, id, content)?;
    Ok(asset_ok(vec![json!({"id": sid})]))
}

fn delete_section(st: &mut State, ctx: &Ctx) -> ApiResult {
    let id = assets::path_id(ctx)?;
    let sid = path_text(ctx, "contentId")?;
    let mut content = st.assets.get(K, id)?.content.clone();
    let sections = sections_mut(&mut content);
    let pos = sections
        .iter()
        .position(|s| s["id"] == json!(sid))
        .ok_or_else(|| ApiError::new("702", format!("Content section '{sid}' not found")))?;
    let gone = sections.remove(pos);
    if let Some(dc) = gone["content"]["content"].as_str()
        && gone["type"] == "DynamicContent"
        && let Some(d) = content["dynamic"].as_object_mut()
    {
        d.remove(dc);
    }
    save(st, ctx, id, content)?;
    Ok(asset_ok(vec![json!({"id": sid})]))
}

fn get_dynamic(st: &mut State, ctx: &Ctx) -> ApiResult {
    let v = assets::version_param(&ctx.query)?;
    let dc = path_text(ctx, "dynamicContentId")?;
    let a = st.assets.get(K, assets::path_id(ctx)?)?;
    let d = version_content(a, v)?["dynamic"]
        .get(&dc)
        .cloned()
        .ok_or_else(|| ApiError::new("702", format!("Dynamic content '{dc}' not found")))?;
    Ok(asset_ok(vec![d]))
}

fn update_dynamic(st: &mut State, ctx: &Ctx) -> ApiResult {
    let form = ctx.form()?;
    let id = assets::path_id(ctx)?;
    let dc = path_text(ctx, "dynamicContentId")?;
    let segment = form.required("segment")?.to_owned();
    let value = form
        .get("value")
        .ok_or_else(|| ApiError::new("701", "value cannot be blank"))?
        .to_owned();
    let mut content = st.assets.get(K, id)?.content.clone();
    let d = content["dynamic"]
        .get_mut(&dc)
        .ok_or_else(|| ApiError::new("702", format!("Dynamic content '{dc}' not found")))?;
    d["updatedAt"] = json!(asset_datetime(ctx.now)[..10].to_owned());
    let seg = d["segments"]
        .as_array_mut()
        .and_then(|a| a.iter_mut().find(|s| s["segmentName"] == json!(segment)))
        .ok_or_else(|| ApiError::new("702", format!("Segment '{segment}' not found")))?;
    seg["content"] = json!(value);
    if let Some(t) = form.non_empty("type") {
        seg["type"] = json!(t);
    }
    save(st, ctx, id, content)?;
    Ok(asset_ok(vec![json!({"id": id})]))
}
