//! Area A of the Lead Database API beyond the SOAP successors: lead describe,
//! partitions, delete, push, submit form, associate, memberships, the lead field
//! schema, custom activity types, static lists and campaigns (Lead Database
//! view) and usage statistics.

pub(crate) mod custom_activities;
pub(crate) mod fields;
pub(crate) mod lead_programs;
pub(crate) mod leads_more;
pub(crate) mod lists_campaigns;
pub(crate) mod usage;

use serde_json::Value;

use super::{ApiError, ApiResult, Params, lead_ok};

/// An integer from JSON: a number, or a string holding one (`{"id": "3005"}`),
/// which Marketo accepts too.
pub(crate) fn json_int(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn encode_token(offset: usize) -> String {
    hex::encode(format!("page:{offset}")).to_ascii_uppercase()
}

fn decode_token(t: &str) -> Option<usize> {
    let raw = String::from_utf8(hex::decode(t.trim().to_ascii_lowercase()).ok()?).ok()?;
    raw.strip_prefix("page:")?.parse().ok()
}

/// `batchSize` (default and at most 300; 1003 outside 1..=300).
pub(crate) fn batch_size(q: &Params) -> Result<usize, ApiError> {
    let batch: i64 = q.int("batchSize")?.unwrap_or(300);
    if !(1..=300).contains(&batch) {
        return Err(ApiError::new("1003", "batchSize must be between 1 and 300"));
    }
    Ok(usize::try_from(batch).unwrap_or(300))
}

/// One page of `items` by `batchSize` and `nextPageToken` (Lead Database paging):
/// `moreResult` tells whether another page follows, and its token is set then.
pub(crate) fn token_page(q: &Params, items: Vec<Value>) -> ApiResult {
    let batch = batch_size(q)?;
    let offset = match q.non_empty("nextPageToken") {
        None => 0,
        Some(t) => decode_token(t).ok_or_else(|| ApiError::new("1003", "Invalid nextPageToken"))?,
    };
    let total = items.len();
    let page: Vec<Value> = items.into_iter().skip(offset).take(batch).collect();
    let mut v = lead_ok(page);
    let next = offset.saturating_add(batch);
    if let Some(o) = v.as_object_mut() {
        o.insert("moreResult".into(), Value::Bool(next < total));
        if next < total {
            o.insert("nextPageToken".into(), Value::from(encode_token(next)));
        }
    }
    Ok(v)
}

/// A required string member of a JSON object (701 when absent or empty).
pub(crate) fn req_str<'a>(v: &'a Value, name: &str) -> Result<&'a str, ApiError> {
    v.get(name)
        .and_then(Value::as_str)
        .filter(|s| !s.trim().is_empty())
        .ok_or_else(|| ApiError::new("701", format!("{name} cannot be blank")))
}

/// An optional string member.
pub(crate) fn opt_str(v: &Value, name: &str) -> Option<String> {
    v.get(name).and_then(Value::as_str).map(str::to_owned)
}
