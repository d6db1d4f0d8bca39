//! Channels and tag types (Asset API).

use serde_json::{Value, json};

use super::router::{Route, get};
use super::{ApiError, ApiResult, Ctx, asset_ok, paging};
use crate::state::{Channel, State, TagType};
use crate::util::asset_datetime;

fn channel_json(c: &Channel) -> Value {
    let statuses: Vec<Value> = c
        .statuses
        .iter()
        .map(|s| {
            json!({
                "name": s.name,
                "step": s.step,
                "description": Value::Null,
                "hidden": false,
                "success": s.success,
            })
        })
        .collect();
    json!({
        "id": c.id,
        "name": c.name,
        "applicableProgramType": c.applicable_program_type,
        "progressionStatuses": statuses,
        "createdAt": asset_datetime(c.created_at),
        "updatedAt": asset_datetime(c.created_at),
    })
}

fn tag_type_json(t: &TagType, with_values: bool) -> Value {
    let mut v = json!({
        "tagType": t.name,
        "applicableProgramTypes": format!("[{}]", t.applicable_program_types.join(",")),
        "required": t.required,
    });
    if with_values && let Some(o) = v.as_object_mut() {
        o.insert(
            "allowableValues".into(),
            Value::from(format!("[{}]", t.values.join(", "))),
        );
    }
    v
}

/// `GET /rest/asset/v1/channels.json`.
pub(crate) fn browse(st: &mut State, ctx: &Ctx) -> ApiResult {
    let (max, offset) = paging(&ctx.query)?;
    Ok(asset_ok(
        st.channels
            .iter()
            .skip(offset)
            .take(max)
            .map(channel_json)
            .collect(),
    ))
}

/// `GET /rest/asset/v1/channel/byName.json`.
pub(crate) fn by_name(st: &mut State, ctx: &Ctx) -> ApiResult {
    let name = ctx.query.required("name")?;
    let c = st
        .channels
        .iter()
        .find(|c| c.name == name)
        .ok_or_else(|| ApiError::new("702", format!("Channel '{name}' not found")))?;
    Ok(asset_ok(vec![channel_json(c)]))
}

/// `GET /rest/asset/v1/tagTypes.json`.
pub(crate) fn tag_types(st: &mut State, ctx: &Ctx) -> ApiResult {
    let (max, offset) = paging(&ctx.query)?;
    Ok(asset_ok(
        st.tag_types
            .iter()
            .skip(offset)
            .take(max)
            .map(|t| tag_type_json(t, false))
            .collect(),
    ))
}

/// `GET /rest/asset/v1/tagType/byName.json`.
pub(crate) fn tag_type_by_name(st: &mut State, ctx: &Ctx) -> ApiResult {
    let name = ctx.query.required("name")?;
    let t = st
        .tag_types
        .iter()
        .find(|t| t.name == name)
        .ok_or_else(|| ApiError::new("702", format!("Tag type '{name}' not found")))?;
    Ok(asset_ok(vec![tag_type_json(t, true)]))
}

/// The operations of this module.
pub(crate) const ROUTES: &[Route] = &[
    get("/rest/asset/v1/channels.json", browse),
    get("/rest/asset/v1/channel/byName.json", by_name),
    get("/rest/asset/v1/tagTypes.json", tag_types),
    get("/rest/asset/v1/tagType/byName.json", tag_type_by_name),
];
