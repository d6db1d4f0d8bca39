//! Custom activity types (draft/approve life cycle, attributes) and adding
//! custom activities.

use serde_json::{Value, json};

use super::{json_int, opt_str, req_str};
use crate::rest::router::{Route, get, post};
use crate::rest::{ApiError, ApiResult, Ctx, input_array, lead_ok, reason};
use crate::state::{CustomActivityType, CustomAttribute, CustomTypeVersion, State};
use crate::util::{parse_datetime, rfc3339};

/// At most this many custom activity types, and attributes a type.
const MAX_TYPES: usize = 10;
const MAX_ATTRIBUTES: usize = 20;

fn attr_json(a: &CustomAttribute) -> Value {
    json!({"apiName": a.api_name, "name": a.name, "description": a.description, "dataType": a.data_type})
}

fn type_json(t: &CustomActivityType, draft: bool) -> Value {
    let v = if draft {
        t.draft.as_ref().or(t.approved.as_ref())
    } else {
        t.approved.as_ref().or(t.draft.as_ref())
    };
    let mut out = json!({
        "id": t.id,
        "apiName": t.api_name,
        "createdAt": rfc3339(t.created_at),
        "updatedAt": rfc3339(t.updated_at),
        "status": t.status(),
    });
    if let (Some(v), Some(o)) = (v, out.as_object_mut()) {
        o.insert("name".into(), Value::from(v.name.clone()));
        o.insert("description".into(), json!(v.description));
        o.insert("triggerName".into(), Value::from(v.trigger_name.clone()));
        o.insert("filterName".into(), Value::from(v.filter_name.clone()));
        o.insert("primaryAttribute".into(), attr_json(&v.primary));
        o.insert(
            "attributes".into(),
            Value::from(v.attributes.iter().map(attr_json).collect::<Vec<_>>()),
        );
    }
    out
}

fn parse_attr(v: &Value, primary: bool) -> Result<CustomAttribute, ApiError> {
    Ok(CustomAttribute {
        api_name: req_str(v, "apiName")?.to_owned(),
        name: opt_str(v, "name").unwrap_or_default(),
        description: opt_str(v, "description"),
        data_type: match opt_str(v, "dataType") {
            Some(t) => t,
            None if primary => "string".into(),
            None => return Err(ApiError::new("701", "dataType cannot be blank")),
        },
    })
}

fn body(ctx: &Ctx) -> Result<Value, ApiError> {
    ctx.json()?
        .ok_or_else(|| ApiError::new("609", "Invalid JSON"))
}

fn find<'a>(st: &'a mut State, ctx: &Ctx) -> Result<&'a mut CustomActivityType, ApiError> {
    let api = ctx.path.str("apiName")?;
    st.lead_db
        .custom_types
        .get_mut(api)
        .ok_or_else(|| ApiError::new("702", format!("Custom activity type '{api}' not found")))
}

fn list_types(st: &mut State, _ctx: &Ctx) -> ApiResult {
    Ok(lead_ok(
        st.lead_db
            .custom_types
            .values()
            .map(|t| type_json(t, false))
            .collect(),
    ))
}

fn describe(st: &mut State, ctx: &Ctx) -> ApiResult {
    let draft = ctx.query.bool("draft")?.unwrap_or(false);
    let t = find(st, ctx)?;
    Ok(lead_ok(vec![type_json(t, draft)]))
}

fn create(st: &mut State, ctx: &Ctx) -> ApiResult {
    let b = body(ctx)?;
    let api = req_str(&b, "apiName")?.to_owned();
    let version = CustomTypeVersion {
        name: req_str(&b, "name")?.to_owned(),
        description: opt_str(&b, "description"),
        trigger_name: req_str(&b, "triggerName")?.to_owned(),
        filter_name: req_str(&b, "filterName")?.to_owned(),
        primary: parse_attr(
            b.get("primaryAttribute")
                .ok_or_else(|| ApiError::new("701", "primaryAttribute cannot be blank"))?,
            true,
        )?,
        attributes: Vec::new(),
    };
    if !api.chars().all(|c| c.is_ascii_alphanumeric()) || api.len() > 255 {
        return Err(ApiError::new("1003", format!("Invalid apiName '{api}'")));
    }
    let clash = st.lead_db.custom_types.values().any(|t| {
        t.api_name == api
            || [&t.approved, &t.draft].into_iter().flatten().any(|v| {
                v.name == version.name
                    || v.trigger_name == version.trigger_name
                    || v.filter_name == version.filter_name
            })
    });
    if clash {
        return Err(ApiError::new(
            "709",
            "A custom activity type with that name already exists",
        ));
    }
    if st.lead_db.custom_types.len() >= MAX_TYPES {
        return Err(ApiError::new(
            "1003",
            "At most 10 custom activity types are allowed",
        ));
    }
    let id = st.lead_db.next_custom_type_id;
    st.lead_db.next_custom_type_id += 1;
    let t = CustomActivityType {
        id,
        api_name: api.clone(),
        approved: None,
        draft: Some(version),
        created_at: ctx.now,
        updated_at: ctx.now,
    };
    let out = type_json(&t, true);
    st.lead_db.custom_types.insert(api, t);
    Ok(lead_ok(vec![out]))
}

/// The draft to change: the pending one, or a copy of the approved version.
fn draft_of(t: &mut CustomActivityType) -> &mut CustomTypeVersion {
    if t.draft.is_none() {
        t.draft = t.approved.clone();
    }
    t.draft.get_or_insert_with(empty_version)
}

fn empty_version() -> CustomTypeVersion {
    CustomTypeVersion {
        name: String::new(),
        description: None,
        trigger_name: String::new(),
        filter_name: String::new(),
        primary: CustomAttribute {
            api_name: String::new(),
            name: String::new(),
            description: None,
            data_type: "string".into(),
        },
        attributes: Vec::new(),
    }
}

fn update(st: &mut State, ctx: &Ctx) -> ApiResult {
    let b = body(ctx)?;
    let primary = match b.get("primaryAttribute") {
        Some(p) => Some(parse_attr(p, true)?),
        None => None,
    };
    let t = find(st, ctx)?;
    t.updated_at = ctx.now;
    let d = draft_of(t);
    if let Some(v) = opt_str(&b, "name") {
        d.name = v;
    }
    if let Some(v) = opt_str(&b, "description") {
        d.description = Some(v);
    }
    if let Some(v) = opt_str(&b, "triggerName") {
        d.trigger_name = v;
    }
    if let Some(v) = opt_str(&b, "filterName") {
        d.filter_name = v;
    }
    if let Some(p) = primary {
        d.primary = p;
    }
    Ok(lead_ok(vec![type_json(t, true)]))
}

fn approve(st: &mut State, ctx: &Ctx) -> ApiResult {
    let t = find(st, ctx)?;
    let Some(d) = t.draft.take() else {
        return Err(ApiError::new(
            "709",
            "The custom activity type has no draft to approve",
        ));
    };
    t.approved = Some(d.clone());
    t.updated_at = ctx.now;
    let (id, api, out) = (t.id, t.api_name.clone(), type_json(t, false));
    st.publish_custom_type(id, &d, &api);
    Ok(lead_ok(vec![out]))
}

fn discard(st: &mut State, ctx: &Ctx) -> ApiResult {
    let t = find(st, ctx)?;
    if t.approved.is_none() || t.draft.is_none() {
        return Err(ApiError::new(
            "709",
            "The custom activity type has no draft to discard",
        ));
    }
    t.draft = None;
    Ok(lead_ok(vec![type_json(t, false)]))
}

fn remove(st: &mut State, ctx: &Ctx) -> ApiResult {
    let id = find(st, ctx)?.id;
    if st.activities.iter().any(|a| a.type_id == id) {
        return Err(ApiError::new(
            "709",
            "Activities of this type exist: it cannot be deleted",
        ));
    }
    let api = ctx.path.str("apiName")?;
    let t = st.lead_db.custom_types.remove(api);
    st.activity_types.retain(|a| a.id != id);
    Ok(lead_ok(vec![
        json!({"id": id, "apiName": api, "status": "deleted", "name": t.and_then(|t| t.approved.or(t.draft)).map(|v| v.name)}),
    ]))
}

/// What an attribute call does.
#[derive(Clone, Copy, PartialEq, Eq)]
enum AttrOp {
    Create,
    Update,
    Delete,
}

fn attributes(st: &mut State, ctx: &Ctx, op: AttrOp) -> ApiResult {
    let b = body(ctx)?;
    let items = b
        .get("attributes")
        .and_then(Value::as_array)
        .filter(|a| !a.is_empty())
        .ok_or_else(|| ApiError::new("701", "attributes cannot be blank"))?
        .clone();
    let t = find(st, ctx)?;
    let mut d = draft_of(t).clone();
    for item in &items {
        let api = req_str(item, "apiName")?.to_owned();
        let pos = d.attributes.iter().position(|a| a.api_name == api);
        match (op, pos) {
            (AttrOp::Create, Some(_)) => {
                return Err(ApiError::new(
                    "709",
                    format!("Attribute '{api}' already exists"),
                ));
            }
            (AttrOp::Create, None) => d.attributes.push(parse_attr(item, false)?),
            (AttrOp::Update | AttrOp::Delete, None) => {
                return Err(ApiError::new(
                    "1006",
                    format!("Attribute '{api}' not found"),
                ));
            }
            (AttrOp::Update, Some(i)) => {
                let a = &mut d.attributes[i];
                if let Some(v) = opt_str(item, "name") {
                    a.name = v;
                }
                if let Some(v) = opt_str(item, "description") {
                    a.description = Some(v);
                }
                if let Some(v) = opt_str(item, "dataType") {
                    a.data_type = v;
                }
            }
            (AttrOp::Delete, Some(i)) => {
                d.attributes.remove(i);
            }
        }
    }
    if d.attributes.len() > MAX_ATTRIBUTES {
        return Err(ApiError::new("1003", "At most 20 attributes are allowed"));
    }
    t.draft = Some(d);
    t.updated_at = ctx.now;
    Ok(lead_ok(vec![type_json(t, true)]))
}

fn add_one(st: &mut State, item: &Value) -> Result<i64, ApiError> {
    let lead = item
        .get("leadId")
        .and_then(json_int)
        .ok_or_else(|| ApiError::new("701", "leadId cannot be blank"))?;
    let type_id = item
        .get("activityTypeId")
        .and_then(json_int)
        .and_then(|i| i32::try_from(i).ok())
        .ok_or_else(|| ApiError::new("701", "activityTypeId cannot be blank"))?;
    let date = item
        .get("activityDate")
        .and_then(Value::as_str)
        .and_then(parse_datetime)
        .ok_or_else(|| ApiError::new("1003", "activityDate must be a date-time"))?;
    let primary = req_str(item, "primaryAttributeValue")?.to_owned();
    let version = st
        .lead_db
        .custom_types
        .values()
        .find(|t| t.id == type_id)
        .and_then(|t| t.approved.clone())
        .ok_or_else(|| {
            ApiError::new(
                "1003",
                format!("Activity type {type_id} is not an approved custom type"),
            )
        })?;
    if !st.leads.contains_key(&lead) {
        return Err(ApiError::new("1004", "Lead not found"));
    }
    let mut attrs = Vec::new();
    for a in item
        .get("attributes")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let key = opt_str(a, "apiName")
            .or_else(|| opt_str(a, "name"))
            .unwrap_or_default();
        let def = version
            .attributes
            .iter()
            .find(|d| d.api_name == key || d.name == key)
            .ok_or_else(|| ApiError::new("1006", format!("Attribute '{key}' not found")))?;
        attrs.push((
            def.name.clone(),
            a.get("value").cloned().unwrap_or(Value::Null),
        ));
    }
    let id = st.next_activity_id;
    st.push_activity(lead, date, type_id, None, None, Some(primary), attrs);
    Ok(id)
}

fn add_activities(st: &mut State, ctx: &Ctx) -> ApiResult {
    let b = body(ctx)?;
    let input = input_array(&b, "activities")?.clone();
    let result = input
        .iter()
        .map(|item| match add_one(st, item) {
            Ok(id) => json!({"id": id, "marketoGUID": id.to_string(), "status": "added"}),
            Err(e) => json!({"status": "skipped", "errors": [reason(e.code, &e.message)]}),
        })
        .collect();
    Ok(lead_ok(result))
}

/// The operations of this module.
pub(crate) const ROUTES: &[Route] = &[
    get("/rest/v1/activities/external/types.json", list_types),
    post("/rest/v1/activities/external/type.json", create),
    post("/rest/v1/activities/external/type/{apiName}.json", update),
    get(
        "/rest/v1/activities/external/type/{apiName}/describe.json",
        describe,
    ),
    post(
        "/rest/v1/activities/external/type/{apiName}/approve.json",
        approve,
    ),
    post(
        "/rest/v1/activities/external/type/{apiName}/discardDraft.json",
        discard,
    ),
    post(
        "/rest/v1/activities/external/type/{apiName}/delete.json",
        remove,
    ),
    post(
        "/rest/v1/activities/external/type/{apiName}/attributes/create.json",
        |st, ctx| attributes(st, ctx, AttrOp::Create),
    ),
    post(
        "/rest/v1/activities/external/type/{apiName}/attributes/update.json",
        |st, ctx| attributes(st, ctx, AttrOp::Update),
    ),
    post(
        "/rest/v1/activities/external/type/{apiName}/attributes/delete.json",
        |st, ctx| attributes(st, ctx, AttrOp::Delete),
    ),
    post("/rest/v1/activities/external.json", add_activities),
];
