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
    let token = q.required("nextPageToken")?;
    let pos = decode(token).ok_or_else(|| ApiError::new("1003", "Invalid nextPageToken"))?;
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
    let list_members = match q.int::<i32>("listId")? {
        None => None,
        Some(id) => Some(
            st.lists
                .get(&id)
                .map(|l| l.members.clone())
                .ok_or_else(|| ApiError::new("1013", format!("Static list {id} not found")))?,
        ),
    };
    let batch: i64 = q.int("batchSize")?.unwrap_or(300);
    if !(1..=300).contains(&batch) {
        return Err(ApiError::new("1003", "batchSize must be between 1 and 300"));
    }
    let batch = usize::try_from(batch).unwrap_or(300);
    let mut matching = st
        .activities
        .iter()
        .filter(|a| after(a, pos))
        .filter(|a| types.contains(&a.type_id))
        .filter(|a| lead_ids.is_empty() || lead_ids.contains(&a.lead_id))
        .filter(|a| list_members.as_ref().is_none_or(|m| m.contains(&a.lead_id)));
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
                let _ = t;
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
            Value::from(page.into_iter().map(activity_json).collect::<Vec<_>>()),
        );
    }
    Ok(v)
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
];
