//! Snippets (Asset API): the generic lifecycle of the shared asset model plus
//! content and dynamic content.
//!
//! Content is a JSON object: `HTML` and `Text` (strings), or `segmentation`
//! (the id of a segmentation, for dynamic content) with `dynamic` (segment
//! id → `{type, value}`). A dynamic snippet references its segmentation, so
//! the segmentation cannot be unapproved or deleted while it is used.

use serde_json::{Map, Value, json};

use super::super::router::{Route, get, post};
use super::super::{ApiError, ApiResult, Ctx, asset_ok};
use super::{self as assets, path_id, version_param};
use crate::state::{AssetKey, AssetKind, State};
use crate::util::asset_datetime;

const K: AssetKind = AssetKind::Snippet;

/// `GET /rest/asset/v1/snippet/{id}/content.json`.
fn get_content(st: &mut State, ctx: &Ctx) -> ApiResult {
    let v = version_param(&ctx.query)?;
    let a = st.assets.get(K, path_id(ctx)?)?;
    let c = a.content_of(v);
    let mut out = Vec::new();
    if let Some(seg) = c.get("segmentation") {
        out.push(json!({"type": "DynamicContent", "content": seg.to_string()}));
    } else if let Some(h) = c.get("HTML") {
        out.push(json!({"type": "HTML", "content": h}));
    }
    if let Some(t) = c.get("Text") {
        out.push(json!({"type": "Text", "content": t}));
    }
    Ok(asset_ok(out))
}

/// The segments of a segmentation: (id, name).
pub(crate) fn segments_of(st: &State, segmentation: i32) -> Result<Vec<(i64, String)>, ApiError> {
    let s = st.assets.get(AssetKind::Segmentation, segmentation)?;
    Ok(s.content
        .get("segments")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|x| Some((x.get("id")?.as_i64()?, x.get("name")?.as_str()?.to_owned())))
                .collect()
        })
        .unwrap_or_default())
}

/// `POST /rest/asset/v1/snippet/{id}/content.json`: `type`, `content`.
fn update_content(st: &mut State, ctx: &Ctx) -> ApiResult {
    let id = path_id(ctx)?;
    let form = ctx.form()?;
    let ty = form.required("type")?;
    let value = form.required("content")?;
    let current = st.assets.get(K, id)?.content.clone();
    let mut c: Map<String, Value> = current.as_object().cloned().unwrap_or_default();
    let mut refs = None;
    match ty {
        "HTML" => {
            c.remove("segmentation");
            c.remove("dynamic");
            c.insert("HTML".into(), json!(value));
            refs = Some(Vec::new());
        }
        "Text" => {
            c.insert("Text".into(), json!(value));
        }
        "DynamicContent" => {
            let seg: i32 = value.trim().parse().map_err(|_| {
                ApiError::new(
                    "1003",
                    "content must be a segmentation id for DynamicContent",
                )
            })?;
            let segments = segments_of(st, seg)?;
            let base = c.get("HTML").cloned().unwrap_or(json!(""));
            let dynamic: Map<String, Value> = segments
                .iter()
                .map(|(sid, _)| (sid.to_string(), json!({"type": "HTML", "value": base})))
                .collect();
            c.insert("segmentation".into(), json!(seg));
            c.insert("dynamic".into(), Value::Object(dynamic));
            refs = Some(vec![AssetKey::new(AssetKind::Segmentation, seg)]);
        }
        other => {
            return Err(ApiError::new(
                "1003",
                format!("Invalid content type '{other}': HTML, Text or DynamicContent"),
            ));
        }
    }
    st.assets
        .update_content(K, id, Value::Object(c), refs, ctx.now)?;
    Ok(asset_ok(vec![json!({"id": id})]))
}

/// `GET /rest/asset/v1/snippet/{id}/dynamicContent.json`.
fn get_dynamic(st: &mut State, ctx: &Ctx) -> ApiResult {
    let v = version_param(&ctx.query)?;
    let a = st.assets.get(K, path_id(ctx)?)?;
    let c = a.content_of(v).clone();
    let seg = c
        .get("segmentation")
        .and_then(Value::as_i64)
        .and_then(|s| i32::try_from(s).ok())
        .ok_or_else(|| ApiError::new("709", format!("Snippet {} has no dynamic content", a.id)))?;
    let (id, created, updated) = (a.id, a.created_at, a.updated_at);
    let items: Vec<Value> = segments_of(st, seg)?
        .into_iter()
        .map(|(sid, name)| {
            let var = c.get("dynamic").and_then(|d| d.get(sid.to_string()));
            json!({
                "id": format!("{id}-{sid}"),
                "segmentId": sid,
                "segmentName": name,
                "content": var.and_then(|x| x.get("value")).cloned().unwrap_or(json!("")),
                "type": var.and_then(|x| x.get("type")).cloned().unwrap_or(json!("HTML")),
            })
        })
        .collect();
    Ok(asset_ok(vec![json!({
        "id": id,
        "segmentation": seg,
        "createdAt": asset_datetime(created),
        "updatedAt": asset_datetime(updated),
        "content": items,
    })]))
}

/// `POST /rest/asset/v1/snippet/{id}/dynamicContent/{segmentId}.json`: `type`, `value`.
fn update_dynamic(st: &mut State, ctx: &Ctx) -> ApiResult {
    let id = path_id(ctx)?;
    let seg_id: i64 = ctx.path.int("segmentId")?;
    let form = ctx.form()?;
    let ty = form.required("type")?;
    if !matches!(ty, "HTML" | "Text") {
        return Err(ApiError::new(
            "1003",
            format!("Invalid type '{ty}': HTML or Text"),
        ));
    }
    let value = form.get("value").unwrap_or("").to_owned();
    let mut c = st.assets.get(K, id)?.content.clone();
    let seg = c
        .get("segmentation")
        .and_then(Value::as_i64)
        .and_then(|s| i32::try_from(s).ok())
        .ok_or_else(|| ApiError::new("709", format!("Snippet {id} has no dynamic content")))?;
    if !segments_of(st, seg)?.iter().any(|(s, _)| *s == seg_id) {
        return Err(ApiError::new(
            "702",
            format!("Segment {seg_id} not found in segmentation {seg}"),
        ));
    }
    if let Some(d) = c.get_mut("dynamic").and_then(Value::as_object_mut) {
        d.insert(seg_id.to_string(), json!({"type": ty, "value": value}));
    }
    st.assets.update_content(K, id, c, None, ctx.now)?;
    Ok(asset_ok(vec![json!({"id": id})]))
}

/// The operations of this module.
pub(crate) const ROUTES: &[Route] = &[
    get("/rest/asset/v1/snippets.json", |st, ctx| {
        assets::browse(st, ctx, K)
    }),
    post("/rest/asset/v1/snippets.json", |st, ctx| {
        assets::create_with(st, ctx, K, |_, _| {
            Ok(assets::Extra {
                content: json!({"HTML": ""}),
                ..assets::Extra::default()
            })
        })
    }),
    get("/rest/asset/v1/snippet/{id}.json", |st, ctx| {
        assets::get_by_id(st, ctx, K)
    }),
    post("/rest/asset/v1/snippet/{id}.json", |st, ctx| {
        assets::update(st, ctx, K)
    }),
    post(
        "/rest/asset/v1/snippet/{id}/approveDraft.json",
        |st, ctx| assets::approve(st, ctx, K),
    ),
    // The snippets page shows the unapproved snippet in `result`, not `{id}`.
    post("/rest/asset/v1/snippet/{id}/unapprove.json", |st, ctx| {
        assets::unapprove(st, ctx, K)?;
        assets::get_by_id(st, ctx, K)
    }),
    post(
        "/rest/asset/v1/snippet/{id}/discardDraft.json",
        |st, ctx| assets::discard_draft(st, ctx, K),
    ),
    post("/rest/asset/v1/snippet/{id}/clone.json", |st, ctx| {
        assets::clone(st, ctx, K)
    }),
    post("/rest/asset/v1/snippet/{id}/delete.json", |st, ctx| {
        assets::delete(st, ctx, K)
    }),
    get("/rest/asset/v1/snippet/{id}/content.json", get_content),
    post("/rest/asset/v1/snippet/{id}/content.json", update_content),
    get(
        "/rest/asset/v1/snippet/{id}/dynamicContent.json",
        get_dynamic,
    ),
    post(
        "/rest/asset/v1/snippet/{id}/dynamicContent/{segmentId}.json",
        update_dynamic,
    ),
];
