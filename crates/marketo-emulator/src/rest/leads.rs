//! Leads (Lead Database API). The lookup and write core is shared with SOAP.

use serde_json::{Map, Value, json};

use super::router::{Route, get, post};
use super::{ApiError, ApiResult, Ctx, input_array, lead_ok, reason};
use crate::state::{LEAD_FIELDS, Lead, State};
use crate::util::{self, rfc3339};

const DEFAULT_FIELDS: &[&str] = &[
    "id",
    "email",
    "firstName",
    "lastName",
    "createdAt",
    "updatedAt",
];
pub(crate) const FILTER_TYPES: &[&str] = &[
    "id",
    "email",
    "cookies",
    "sfdcLeadId",
    "sfdcContactId",
    "externalId",
    "company",
    "phone",
];

/// The JSON of a lead with the given fields (default fields when `None`).
pub(crate) fn lead_json(l: &Lead, fields: &[String]) -> Value {
    let mut m = Map::new();
    m.insert("id".into(), Value::from(l.id));
    let list: Vec<&str> = if fields.is_empty() {
        DEFAULT_FIELDS.to_vec()
    } else {
        fields.iter().map(String::as_str).collect()
    };
    for f in list {
        let v = match f {
            "id" => continue,
            "createdAt" => Value::from(rfc3339(l.created_at)),
            "updatedAt" => Value::from(rfc3339(l.updated_at)),
            other => l.fields.get(other).cloned().unwrap_or(Value::Null),
        };
        m.insert(f.to_owned(), v);
    }
    Value::Object(m)
}

/// `GET /rest/v1/lead/{id}.json` (unknown id: success with an empty result).
pub(crate) fn get_by_id(st: &mut State, ctx: &Ctx, id: i64) -> ApiResult {
    let fields = ctx.query.list("fields");
    let result = st
        .leads
        .get(&id)
        .map(|l| vec![lead_json(l, &fields)])
        .unwrap_or_default();
    Ok(lead_ok(result))
}

fn encode_page_token(offset: usize) -> String {
    hex::encode(format!("leads:{offset}")).to_ascii_uppercase()
}

fn decode_page_token(t: &str) -> Option<usize> {
    let raw = hex::decode(t.to_ascii_lowercase()).ok()?;
    let s = String::from_utf8(raw).ok()?;
    s.strip_prefix("leads:")?.parse().ok()
}

/// `GET /rest/v1/leads.json`.
pub(crate) fn by_filter(st: &mut State, ctx: &Ctx) -> ApiResult {
    let q = &ctx.query;
    let filter_type = q.required("filterType")?;
    let values = q.list("filterValues");
    if values.is_empty() {
        return Err(ApiError::new("701", "filterValues cannot be blank"));
    }
    if values.len() > 300 {
        return Err(ApiError::new(
            "1003",
            "At most 300 filterValues are allowed",
        ));
    }
    if !FILTER_TYPES.contains(&filter_type) {
        return Err(ApiError::new(
            "1011",
            format!("Field '{filter_type}' not supported"),
        ));
    }
    let batch: i64 = q.int("batchSize")?.unwrap_or(300);
    if !(1..=300).contains(&batch) {
        return Err(ApiError::new("1003", "batchSize must be between 1 and 300"));
    }
    let batch = usize::try_from(batch).unwrap_or(300);
    let offset = match q.non_empty("nextPageToken") {
        None => 0,
        Some(t) => {
            decode_page_token(t).ok_or_else(|| ApiError::new("1003", "Invalid nextPageToken"))?
        }
    };
    let fields = q.list("fields");
    let matching: Vec<&Lead> = st
        .leads
        .values()
        .filter(|l| {
            l.field_text(filter_type)
                .is_some_and(|v| values.iter().any(|x| x.eq_ignore_ascii_case(&v)))
        })
        .collect();
    if matching.len() > 1000 {
        return Err(ApiError::new(
            "1003",
            "Too many results match the filter (more than 1000)",
        ));
    }
    let page: Vec<Value> = matching
        .iter()
        .skip(offset)
        .take(batch)
        .map(|l| lead_json(l, &fields))
        .collect();
    let mut v = lead_ok(page);
    if offset.saturating_add(batch) < matching.len()
        && let Some(o) = v.as_object_mut()
    {
        o.insert(
            "nextPageToken".into(),
            Value::from(encode_page_token(offset.saturating_add(batch))),
        );
        o.insert("moreResult".into(), Value::Bool(true));
    }
    Ok(v)
}

/// Outcome of writing one lead record.
#[derive(Debug, PartialEq)]
pub(crate) enum SyncOutcome {
    Created(i64),
    Updated(i64),
    Skipped(&'static str, String),
}

/// Whether a name is a lead field the emulator knows.
pub(crate) fn known_field(name: &str) -> bool {
    name == "id" || LEAD_FIELDS.contains(&name)
}

/// Whether a name is a lead field of this instance: a known one or a custom
/// field created through the field schema API.
pub(crate) fn known_field_in(st: &State, name: &str) -> bool {
    known_field(name) || st.lead_db.has_field(name)
}

/// Writes one lead record according to `action` and `lookup_field`.
pub(crate) fn sync_one(
    st: &mut State,
    action: &str,
    lookup_field: &str,
    record: &Map<String, Value>,
) -> SyncOutcome {
    if let Some(bad) = record.keys().find(|k| !known_field_in(st, k)) {
        return SyncOutcome::Skipped("1006", format!("Field '{bad}' not found"));
    }
    let mut fields = record.clone();
    let id_given = fields.remove("id");
    let key_value = match lookup_field {
        "id" => id_given.as_ref().map(|v| match v {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        }),
        f => fields.get(f).and_then(|v| match v {
            Value::Null => None,
            Value::String(s) => Some(s.clone()),
            other => Some(other.to_string()),
        }),
    };
    let matches: Vec<i64> = match &key_value {
        Some(k) if lookup_field == "id" => k
            .parse::<i64>()
            .ok()
            .filter(|id| st.leads.contains_key(id))
            .into_iter()
            .collect(),
        Some(k) => st.lead_by_field(lookup_field, k),
        None => Vec::new(),
    };
    match action {
        "createOnly" => {
            if id_given.is_some() {
                return SyncOutcome::Skipped("1003", "id is not allowed with createOnly".into());
            }
            if !matches.is_empty() {
                return SyncOutcome::Skipped("1005", "Lead already exists".into());
            }
            SyncOutcome::Created(st.create_lead(fields))
        }
        "createDuplicate" => SyncOutcome::Created(st.create_lead(fields)),
        "updateOnly" => match matches.as_slice() {
            [] => SyncOutcome::Skipped("1004", "Lead not found".into()),
            [one] => {
                st.update_lead(*one, fields);
                SyncOutcome::Updated(*one)
            }
            _ => SyncOutcome::Skipped("1007", "Multiple leads match the lookup criteria".into()),
        },
        _ => match matches.as_slice() {
            [] => {
                if lookup_field == "id" && key_value.is_some() {
                    return SyncOutcome::Skipped("1004", "Lead not found".into());
                }
                SyncOutcome::Created(st.create_lead(fields))
            }
            [one] => {
                st.update_lead(*one, fields);
                SyncOutcome::Updated(*one)
            }
            _ => SyncOutcome::Skipped("1007", "Multiple leads match the lookup criteria".into()),
        },
    }
}

/// `POST /rest/v1/leads.json`.
pub(crate) fn sync(st: &mut State, ctx: &Ctx) -> ApiResult {
    let body = ctx
        .json()?
        .ok_or_else(|| ApiError::new("609", "Invalid JSON: a body is required"))?;
    let action = match body.get("action") {
        None | Some(Value::Null) => "createOrUpdate",
        Some(Value::String(s)) => s.as_str(),
        Some(_) => return Err(ApiError::new("1003", "action must be a string")),
    };
    if !matches!(
        action,
        "createOnly" | "updateOnly" | "createOrUpdate" | "createDuplicate"
    ) {
        return Err(ApiError::new("1003", format!("Invalid action '{action}'")));
    }
    let lookup = match body.get("lookupField") {
        None | Some(Value::Null) => "email",
        Some(Value::String(s)) => s.as_str(),
        Some(_) => return Err(ApiError::new("1003", "lookupField must be a string")),
    };
    if !known_field_in(st, lookup) {
        return Err(ApiError::new(
            "1011",
            format!("Field '{lookup}' not supported"),
        ));
    }
    let input = input_array(&body, "records")?;
    let action = action.to_owned();
    let lookup = lookup.to_owned();
    let mut result = Vec::with_capacity(input.len());
    for rec in input {
        let outcome = match rec.as_object() {
            Some(m) => sync_one(st, &action, &lookup, m),
            None => SyncOutcome::Skipped("1003", "Each input record must be an object".into()),
        };
        result.push(match outcome {
            SyncOutcome::Created(id) => json!({"id": id, "status": "created"}),
            SyncOutcome::Updated(id) => json!({"id": id, "status": "updated"}),
            SyncOutcome::Skipped(code, msg) => {
                json!({"status": "skipped", "reasons": [reason(code, &msg)]})
            }
        });
    }
    Ok(lead_ok(result))
}

/// Merges `losers` into `winner`; ids must exist and differ.
pub(crate) fn merge_core(st: &mut State, winner: i64, losers: &[i64]) -> Result<(), ApiError> {
    if !st.leads.contains_key(&winner) {
        return Err(ApiError::new("1004", format!("Lead {winner} not found")));
    }
    for l in losers {
        if *l == winner {
            return Err(ApiError::new("1003", "A lead cannot be merged into itself"));
        }
        if !st.leads.contains_key(l) {
            return Err(ApiError::new("1004", format!("Lead {l} not found")));
        }
    }
    let now = st.now();
    for l in losers {
        let Some(loser) = st.leads.remove(l) else {
            continue;
        };
        if let Some(w) = st.leads.get_mut(&winner) {
            for (k, v) in loser.fields {
                let empty = match w.fields.get(&k) {
                    None | Some(Value::Null) => true,
                    Some(Value::String(s)) => s.is_empty(),
                    _ => false,
                };
                if empty {
                    w.fields.insert(k, v);
                }
            }
            w.updated_at = now;
        }
        st.index_lead(winner);
        for list in st.lists.values_mut() {
            if list.members.remove(l) {
                list.members.insert(winner);
            }
        }
        st.lead_db.merge_lead(*l, winner);
        for a in st.activities.iter_mut().filter(|a| a.lead_id == *l) {
            a.lead_id = winner;
        }
    }
    st.lead_objects.on_leads_merged(winner, losers);
    let merged: Vec<String> = losers.iter().map(i64::to_string).collect();
    st.push_activity(
        winner,
        now,
        32,
        None,
        Some(winner),
        Some(winner.to_string()),
        vec![("Merge IDs".into(), Value::from(merged.join(",")))],
    );
    Ok(())
}

/// `POST /rest/v1/leads/{id}/merge.json`.
pub(crate) fn merge(st: &mut State, ctx: &Ctx, id: i64) -> ApiResult {
    let q = &ctx.query;
    let mut losers: Vec<i64> = q.int_list("leadIds")?;
    if let Some(one) = q.int::<i64>("leadId")? {
        losers.push(one);
    }
    if losers.is_empty() {
        return Err(ApiError::new("701", "leadId cannot be blank"));
    }
    if losers.len() > 25 {
        return Err(ApiError::new("1003", "At most 25 leadIds are allowed"));
    }
    q.bool("mergeInCRM")?;
    merge_core(st, id, &losers)?;
    Ok(json!({"requestId": util::request_id(), "success": true}))
}

/// The operations of this module.
pub(crate) const ROUTES: &[Route] = &[
    get("/rest/v1/lead/{id}.json", |st, ctx| {
        get_by_id(st, ctx, ctx.path.int("id")?)
    }),
    get("/rest/v1/leads.json", by_filter),
    post("/rest/v1/leads.json", sync),
    post("/rest/v1/leads/{id}/merge.json", |st, ctx| {
        merge(st, ctx, ctx.path.int("id")?)
    }),
];
