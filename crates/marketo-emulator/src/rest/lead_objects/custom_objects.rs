//! Custom objects: records of approved types through the generic store, and
//! the type admin (draft / approved versions, fields, links).

use serde_json::Value;

use super::super::router::{Route, get, post};
use super::super::{ApiError, ApiResult, Ctx, input_array, lead_ok};
use super::{delete, query, store, sync};
use crate::state::State;
use crate::state::lead_objects::custom_key;
use crate::state::lead_objects::custom_types::FIELD_DATA_TYPES;

fn kind(ctx: &Ctx) -> Result<String, ApiError> {
    Ok(custom_key(ctx.path.str("name")?))
}

fn api(ctx: &Ctx) -> Result<&str, ApiError> {
    ctx.path.str("apiName")
}

fn results(v: Value) -> Value {
    lead_ok(v.as_array().cloned().unwrap_or_default())
}

fn list(st: &mut State, ctx: &Ctx) -> ApiResult {
    let names = ctx.query.list("names");
    let out = st
        .lead_objects
        .co_types
        .keys()
        .filter(|n| names.is_empty() || names.contains(n))
        .filter_map(|n| st.lead_objects.store(&custom_key(n)))
        .map(|s| s.ty.describe(false))
        .collect();
    Ok(lead_ok(out))
}

fn describe(st: &mut State, ctx: &Ctx) -> ApiResult {
    let s = store(st, &kind(ctx)?)?;
    Ok(lead_ok(vec![s.ty.describe(true)]))
}

fn get_records(st: &mut State, ctx: &Ctx) -> ApiResult {
    query(st, ctx, &kind(ctx)?)
}

fn sync_records(st: &mut State, ctx: &Ctx) -> ApiResult {
    let k = kind(ctx)?;
    store(st, &k)?;
    sync(st, ctx, &k)
}

fn delete_records(st: &mut State, ctx: &Ctx) -> ApiResult {
    let k = kind(ctx)?;
    store(st, &k)?;
    delete(st, ctx, &k)
}

fn state_param(ctx: &Ctx) -> Result<Option<&str>, ApiError> {
    match ctx.query.non_empty("state") {
        None => Ok(None),
        Some(s @ ("draft" | "approved" | "approvedWithDraft")) => Ok(Some(s)),
        Some(s) => Err(ApiError::new("1003", format!("Invalid state '{s}'"))),
    }
}

fn list_types(st: &mut State, ctx: &Ctx) -> ApiResult {
    let names = ctx.query.list("names");
    let state = state_param(ctx)?;
    let out = st
        .lead_objects
        .co_types
        .values()
        .filter(|t| names.is_empty() || names.contains(&t.api_name))
        .filter_map(|t| t.json(state))
        .collect();
    Ok(lead_ok(out))
}

fn describe_type(st: &mut State, ctx: &Ctx) -> ApiResult {
    let name = api(ctx)?;
    let state = state_param(ctx)?;
    let t =
        st.lead_objects.co_types.get(name).ok_or_else(|| {
            ApiError::new("1013", format!("Custom object type '{name}' not found"))
        })?;
    let v = t.json(state).ok_or_else(|| {
        ApiError::new(
            "1013",
            format!("Custom object type '{name}' has no such version"),
        )
    })?;
    Ok(lead_ok(vec![v]))
}

fn body(ctx: &Ctx) -> Result<Value, ApiError> {
    ctx.json()?
        .ok_or_else(|| ApiError::new("701", "body cannot be blank"))
}

fn sync_type(st: &mut State, ctx: &Ctx) -> ApiResult {
    let b = body(ctx)?;
    st.lead_objects.sync_co_type(&b, ctx.now).map(results)
}

fn approve(st: &mut State, ctx: &Ctx) -> ApiResult {
    st.lead_objects
        .approve_co_type(api(ctx)?, ctx.now)
        .map(results)
}

fn discard(st: &mut State, ctx: &Ctx) -> ApiResult {
    st.lead_objects.discard_co_type(api(ctx)?).map(results)
}

fn delete_type(st: &mut State, ctx: &Ctx) -> ApiResult {
    st.lead_objects.delete_co_type(api(ctx)?).map(results)
}

fn add_fields(st: &mut State, ctx: &Ctx) -> ApiResult {
    let b = body(ctx)?;
    let input = input_array(&b, "fields")?;
    st.lead_objects.add_co_fields(api(ctx)?, input).map(results)
}

fn update_field(st: &mut State, ctx: &Ctx) -> ApiResult {
    let b = body(ctx)?;
    let field = match ctx.path.str("fieldApiName") {
        Ok(f) => f.to_owned(),
        Err(_) => ctx.query.required("fieldApiName")?.to_owned(),
    };
    let map = b.as_object().cloned().unwrap_or_default();
    st.lead_objects
        .update_co_field(api(ctx)?, &field, &map)
        .map(results)
}

fn delete_fields(st: &mut State, ctx: &Ctx) -> ApiResult {
    let b = body(ctx)?;
    let input = input_array(&b, "fields")?;
    st.lead_objects
        .delete_co_fields(api(ctx)?, input)
        .map(results)
}

fn data_types(_: &mut State, _: &Ctx) -> ApiResult {
    Ok(lead_ok(
        FIELD_DATA_TYPES.iter().map(|t| Value::from(*t)).collect(),
    ))
}

fn linkable(st: &mut State, _: &Ctx) -> ApiResult {
    Ok(lead_ok(st.lead_objects.linkable_objects()))
}

fn dependents(st: &mut State, ctx: &Ctx) -> ApiResult {
    st.lead_objects.co_dependents(api(ctx)?).map(lead_ok)
}

/// Update Field is served at the guide's path (field in the path) and at the
/// endpoint reference's (field as the `fieldApiName` query parameter).
pub(crate) const ROUTES: &[Route] = &[
    get("/rest/v1/customobjects.json", list),
    get("/rest/v1/customobjects/{name}/describe.json", describe),
    get("/rest/v1/customobjects/{name}.json", get_records),
    post("/rest/v1/customobjects/{name}.json", sync_records),
    post("/rest/v1/customobjects/{name}/delete.json", delete_records),
    get("/rest/v1/customobjects/schema.json", list_types),
    post("/rest/v1/customobjects/schema.json", sync_type),
    get(
        "/rest/v1/customobjects/schema/{apiName}/describe.json",
        describe_type,
    ),
    post(
        "/rest/v1/customobjects/schema/{apiName}/approve.json",
        approve,
    ),
    post(
        "/rest/v1/customobjects/schema/{apiName}/discardDraft.json",
        discard,
    ),
    post(
        "/rest/v1/customobjects/schema/{apiName}/delete.json",
        delete_type,
    ),
    post(
        "/rest/v1/customobjects/schema/{apiName}/addField.json",
        add_fields,
    ),
    post(
        "/rest/v1/customobjects/schema/{apiName}/{fieldApiName}/updateField.json",
        update_field,
    ),
    post(
        "/rest/v1/customobjects/schema/{apiName}/updateField.json",
        update_field,
    ),
    post(
        "/rest/v1/customobjects/schema/{apiName}/deleteField.json",
        delete_fields,
    ),
    get(
        "/rest/v1/customobjects/schema/fieldDataTypes.json",
        data_types,
    ),
    get(
        "/rest/v1/customobjects/schema/linkableObjects.json",
        linkable,
    ),
    get(
        "/rest/v1/customobjects/schema/{apiName}/dependentAssets.json",
        dependents,
    ),
];
