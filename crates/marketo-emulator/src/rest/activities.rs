//! Activities: paging token, activity log, activity types (Lead Database API).

use serde_json::{Map, Value, json};
use time::OffsetDateTime;

use super::router::{Route, get};
use super::{ApiError, ApiResult, Ctx, lead_ok};
use crate::state::{Activity, ActivityType, State};
use crate::util::{self, parse_datetime, rfc3339};

/// Position in the activity log that a paging token stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Position {
    /// Activities at or after this time.
    Since(OffsetDateTime),
    /// Activities with an id greater than this one.
    After(i64),
}

/// Encodes a position as an opaque token.
pub(crate) fn encode(p: Position) -> String {
    let raw = match p {
        Position::Since(t) => format!("t:{}", t.unix_timestamp()),
        Position::After(id) => format!("a:{id}"),
    };
    hex::encode(raw).to_ascii_uppercase()
}

/// Decodes a token from [`encode`].
pub(crate) fn decode(token: &str) -> Option<Position> {
    let raw = String::from_utf8(hex::decode(token.trim().to_ascii_lowercase()).ok()?).ok()?;
    if let Some(t) = raw.strip_prefix("t:") {
        return OffsetDateTime::from_unix_timestamp(t.parse().ok()?)
            .ok()
            .map(Position::Since);
    }
    raw.strip_prefix("a:")?.parse().ok().map(Position::After)
}

/// Whether an activity comes after a position.
pub(crate) fn after(a: &Activity, p: Position) -> bool {
    match p {
        Position::Since(t) => a.date >= t,
        Position::After(id) => a.id > id,
    }
}

fn activity_json(a: &Activity) -> Value {
    let mut m = Map::new();
    m.insert("id".into(), Value::from(a.id));
    m.insert("marketoGUID".into(), Value::from(a.marketo_guid.clone()));
    m.insert("leadId".into(), Value::from(a.lead_id));
    m.insert("activityDate".into(), Value::from(rfc3339(a.date)));
    m.insert("activityTypeId".into(), Value::from(a.type_id));
    if let Some(c) = a.campaign_id {
        m.insert("campaignId".into(), Value::from(c));
    }
    if let Some(v) = a.primary_value_id {
        m.insert("primaryAttributeValueId".into(), Value::from(v));
    }
    if let Some(v) = &a.primary_value {
        m.insert("primaryAttributeValue".into(), Value::from(v.clone()));
    }
    let attrs: Vec<Value> = a
        .attributes
        .iter()
        .filter(|(_, v)| !v.is_null())
        .map(|(n, v)| json!({"name": n, "value": v}))
        .collect();
    m.insert("attributes".into(), Value::from(attrs));
    Value::Object(m)
}

/// `GET /rest/v1/activities/pagingtoken.json`.
pub(crate) fn paging_token(_st: &mut State, ctx: &Ctx) -> ApiResult {
    let since = ctx.query.required("sinceDatetime")?;
    let t = parse_datetime(since)
        .ok_or_else(|| ApiError::new("1003", format!("Invalid sinceDatetime '{since}'")))?;
    Ok(json!({
        "requestId": util::request_id(),
        "success": true,
        "nextPageToken": encode(Position::Since(t)),
    }))
}

/// `GET /rest/v1/activities.json`.
pub(crate) fn get_activities(st: &mut State, ctx: &Ctx) -> ApiResult {
    let q = &ctx.query;
    let pos = token_of(q)?;
    let types: Vec<i32> = q.int_list("activityTypeIds")?;
    if types.is_empty() {
        return Err(ApiError::new("701", "activityTypeIds cannot be blank"));
    }
    if types.len() > 10 {
        return Err(ApiError::new(
            "1003",
            "At most 10 activityTypeIds are allowed",
        ));
    }
    let lead_ids: Vec<i64> = q.int_list("leadIds")?;
    if lead_ids.len() > 30 {
        return Err(ApiError::new("1003", "At most 30 leadIds are allowed"));
    }
    let list_members = list_filter(st, q)?;
    let asset_ids: Vec<i64> = q.int_list("assetIds")?;
    let matching = |a: &Activity| {
        types.contains(&a.type_id)
            && (asset_ids.is_empty() || a.primary_value_id.is_some_and(|v| asset_ids.contains(&v)))
            && (lead_ids.is_empty() || lead_ids.contains(&a.lead_id))
            && list_members.as_ref().is_none_or(|m| m.contains(&a.lead_id))
    };
    feed(st, q, pos, matching, activity_json)
}

/// One page of the activity log after `pos`: the activities `keep` accepts,
/// rendered by `render`, `batchSize` at a time, with the next token.
fn feed(
    st: &State,
    q: &super::Params,
    pos: Position,
    keep: impl Fn(&Activity) -> bool,
    render: impl Fn(&Activity) -> Value,
) -> ApiResult {
    let batch = super::lead_db::batch_size(q)?;
    let mut matching = st
        .activities
        .iter()
        .filter(|a| after(a, pos))
        .filter(|a| keep(a));
    let page: Vec<&Activity> = matching.by_ref().take(batch).collect();
    let more = matching.next().is_some();
    let next = match page.last() {
        Some(last) => Position::After(last.id),
        None => match pos {
            Position::After(id) => Position::After(id),
            Position::Since(t) => {
                // Nothing yet: keep a position just before the first activity at or after t.
                let before = st
                    .activities
                    .iter()
                    .filter(|a| a.date < t)
                    .map(|a| a.id)
                    .max()
                    .unwrap_or(0);
                Position::After(before)
            }
        },
    };
    let mut v = json!({
        "requestId": util::request_id(),
        "success": true,
        "nextPageToken": encode(next),
        "moreResult": more,
    });
    if !page.is_empty()
        && let Some(o) = v.as_object_mut()
    {
        o.insert(
            "result".into(),
            Value::from(page.into_iter().map(render).collect::<Vec<_>>()),
        );
    }
    Ok(v)
}

fn token_of(q: &super::Params) -> Result<Position, ApiError> {
    let token = q.required("nextPageToken")?;
    decode(token).ok_or_else(|| ApiError::new("1003", "Invalid nextPageToken"))
}

/// The members of the `listId` static list, if given (1013 for an unknown list).
fn list_filter(
    st: &State,
    q: &super::Params,
) -> Result<Option<std::collections::BTreeSet<i64>>, ApiError> {
    match q.int::<i32>("listId")? {
        None => Ok(None),
        Some(id) => st
            .lists
            .get(&id)
            .map(|l| Some(l.members.clone()))
            .ok_or_else(|| ApiError::new("1013", format!("Static list {id} not found"))),
    }
}

/// `GET /rest/v1/activities/leadchanges.json`: New Lead (12) and Change Data Value
/// (13) activities of the requested fields, each with its field changes.
pub(crate) fn lead_changes(st: &mut State, ctx: &Ctx) -> ApiResult {
    let q = &ctx.query;
    let pos = token_of(q)?;
    let fields = q.list("fields");
    if fields.is_empty() {
        return Err(ApiError::new("701", "fields cannot be blank"));
    }
    let lead_ids: Vec<i64> = q.int_list("leadIds")?;
    if lead_ids.len() > 30 {
        return Err(ApiError::new("1003", "At most 30 leadIds are allowed"));
    }
    let members = list_filter(st, q)?;
    let keep = |a: &Activity| {
        (a.type_id == 12
            || (a.type_id == 13 && a.primary_value.as_ref().is_some_and(|f| fields.contains(f))))
            && (lead_ids.is_empty() || lead_ids.contains(&a.lead_id))
            && members.as_ref().is_none_or(|m| m.contains(&a.lead_id))
    };
    let render = |a: &Activity| {
        let attr = |n: &str| {
            a.attributes
                .iter()
                .find(|(k, _)| k == n)
                .map_or(Value::Null, |(_, v)| v.clone())
        };
        let changes: Vec<Value> = match &a.primary_value {
            Some(f) if a.type_id == 13 => {
                vec![
                    json!({"name": f, "newValue": attr("New Value"), "oldValue": attr("Old Value")}),
                ]
            }
            _ => Vec::new(),
        };
        json!({
            "id": a.id,
            "marketoGUID": a.marketo_guid,
            "leadId": a.lead_id,
            "activityDate": crate::util::asset_datetime(a.date),
            "activityTypeId": a.type_id,
            "fields": changes,
            "attributes": [{"name": "Source", "value": "Web service API"}],
        })
    };
    feed(st, q, pos, keep, render)
}

/// `GET /rest/v1/activities/deletedleads.json`: Delete Lead (37) activities.
pub(crate) fn deleted_leads(st: &mut State, ctx: &Ctx) -> ApiResult {
    let pos = token_of(&ctx.query)?;
    feed(st, &ctx.query, pos, |a| a.type_id == 37, activity_json)
}

fn type_json(t: &ActivityType) -> Value {
    let mut v = json!({
        "id": t.id,
        "name": t.name,
        "apiName": t.api_name,
        "description": t.description,
        "attributes": t.attributes.iter().map(|(n, d)| json!({"name": n, "dataType": d})).collect::<Vec<_>>(),
    });
    if let (Some((n, d)), Some(o)) = (&t.primary, v.as_object_mut()) {
        o.insert("primaryAttribute".into(), json!({"name": n, "dataType": d}));
    }
    v
}

/// `GET /rest/v1/activities/types.json`.
pub(crate) fn types(st: &mut State) -> ApiResult {
    Ok(lead_ok(st.activity_types.iter().map(type_json).collect()))
}

/// The operations of this module.
pub(crate) const ROUTES: &[Route] = &[
    get("/rest/v1/activities/pagingtoken.json", paging_token),
    get("/rest/v1/activities.json", get_activities),
    get("/rest/v1/activities/types.json", |st, _| types(st)),
    get("/rest/v1/activities/leadchanges.json", lead_changes),
    get("/rest/v1/activities/deletedleads.json", deleted_leads),
];
