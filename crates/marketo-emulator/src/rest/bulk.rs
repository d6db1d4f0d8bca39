//! Bulk API: export jobs (leads, activities, program members, custom
//! objects) and import jobs (leads, program members, custom objects).
//!
//! The JSON calls are ordinary routes; the file downloads (export files,
//! import failures and warnings) are answered by [`file_response`] before
//! routing, since they are not JSON: `text/csv`, `Range` → 206 with
//! `Content-Range`, 404 with a plaintext message when there is no file.

use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::http::{HeaderMap, Method, Response, StatusCode, header};
use serde_json::Value;

use super::router::{Route, get, post};
use super::{ApiError, ApiResult, Ctx, Params, lead_ok};
use crate::faults::Download;
use crate::server::text_response;
use crate::state::State;
use crate::state::bulk::{BulkImport, ExportJob, ExportKind, ImportKind};
use crate::state::lead_objects::custom_key;

/// The largest import file Marketo accepts.
pub(crate) const MAX_IMPORT_BYTES: usize = 10 * 1024 * 1024;

macro_rules! export_routes {
    ($base:literal, $kind:expr) => {
        [
            get(concat!($base, ".json"), |s, c| list(s, c, $kind(c))),
            post(concat!($base, "/create.json"), |s, c| {
                create(s, c, $kind(c))
            }),
            post(concat!($base, "/{exportId}/enqueue.json"), |s, c| {
                enqueue(s, c, $kind(c))
            }),
            post(concat!($base, "/{exportId}/cancel.json"), |s, c| {
                cancel(s, c, $kind(c))
            }),
            get(concat!($base, "/{exportId}/status.json"), |s, c| {
                status(s, c, $kind(c))
            }),
        ]
    };
}

fn leads(_: &Ctx) -> ExportKind {
    ExportKind::Leads
}
fn activities(_: &Ctx) -> ExportKind {
    ExportKind::Activities
}
fn members(_: &Ctx) -> ExportKind {
    ExportKind::ProgramMembers
}
fn objects(c: &Ctx) -> ExportKind {
    ExportKind::CustomObjects(c.path.str("apiName").unwrap_or_default().to_owned())
}

const LEADS: [Route; 5] = export_routes!("/bulk/v1/leads/export", leads);
const ACTIVITIES: [Route; 5] = export_routes!("/bulk/v1/activities/export", activities);
const MEMBERS: [Route; 5] = export_routes!("/bulk/v1/program/members/export", members);
const OBJECTS: [Route; 5] = export_routes!("/bulk/v1/customobjects/{apiName}/export", objects);

pub(crate) const ROUTES: &[Route] = &[
    LEADS[0],
    LEADS[1],
    LEADS[2],
    LEADS[3],
    LEADS[4],
    ACTIVITIES[0],
    ACTIVITIES[1],
    ACTIVITIES[2],
    ACTIVITIES[3],
    ACTIVITIES[4],
    MEMBERS[0],
    MEMBERS[1],
    MEMBERS[2],
    MEMBERS[3],
    MEMBERS[4],
    OBJECTS[0],
    OBJECTS[1],
    OBJECTS[2],
    OBJECTS[3],
    OBJECTS[4],
    post("/bulk/v1/leads.json", |s, c| {
        import(s, c, ImportKind::Leads)
    }),
    get("/bulk/v1/leads/batch/{batchId}.json", import_status),
    post(
        "/bulk/v1/program/{programId}/members/import.json",
        |s, c| {
            let kind = ImportKind::ProgramMembers {
                program_id: c.path.int("programId")?,
                status: String::new(),
            };
            import(s, c, kind)
        },
    ),
    get(
        "/bulk/v1/program/members/import/{batchId}/status.json",
        import_status,
    ),
    post("/bulk/v1/customobjects/{apiName}/import.json", |s, c| {
        let name = c.path.str("apiName")?.to_owned();
        import(s, c, ImportKind::CustomObjects(name))
    }),
    get(
        "/bulk/v1/customobjects/{apiName}/import/{batchId}/status.json",
        import_status,
    ),
];

fn job_ok(job: &ExportJob) -> Value {
    lead_ok(vec![job.to_json()])
}

fn find<'a>(st: &'a mut State, c: &Ctx, kind: &ExportKind) -> Result<&'a mut ExportJob, ApiError> {
    let id = c.path.str("exportId")?;
    st.bulk
        .exports
        .get_mut(id)
        .filter(|j| &j.kind == kind)
        .ok_or_else(|| ApiError::new("1003", format!("Export job '{id}' not found")))
}

fn list(st: &mut State, c: &Ctx, kind: ExportKind) -> ApiResult {
    st.advance_bulk();
    let states = c.query.list("status");
    let batch: usize = c.query.int("batchSize")?.unwrap_or(300).clamp(1, 300);
    let start: usize = c
        .query
        .non_empty("nextPageToken")
        .and_then(|t| t.parse().ok())
        .unwrap_or(0);
    let jobs: Vec<Value> = st
        .bulk
        .exports
        .values()
        .filter(|j| j.kind == kind)
        .filter(|j| states.is_empty() || states.iter().any(|s| s == j.status))
        .map(ExportJob::to_json)
        .collect();
    let page: Vec<Value> = jobs.iter().skip(start).take(batch).cloned().collect();
    let mut v = lead_ok(page);
    if start + batch < jobs.len() {
        v["moreResult"] = Value::Bool(true);
        v["nextPageToken"] = Value::from((start + batch).to_string());
    }
    Ok(v)
}

/// Checks a date range filter: both ends, at most 31 days.
fn check_range(filter: &Value, name: &str) -> Result<(), ApiError> {
    let Some(range) = filter.get(name) else {
        return Ok(());
    };
    let at = |k: &str| {
        range
            .get(k)
            .and_then(Value::as_str)
            .and_then(crate::util::parse_datetime)
            .ok_or_else(|| ApiError::new("1003", format!("Invalid {name}.{k}")))
    };
    let (start, end) = (at("startAt")?, at("endAt")?);
    if end < start || end - start > time::Duration::days(31) {
        return Err(ApiError::new(
            "1003",
            format!("{name} filter date range must be 31 days or fewer"),
        ));
    }
    Ok(())
}

/// A program member export filter: `programId` or `programIds` (not both,
/// at most 10, each a program), and `statusNames` each a status of one of
/// the programs' channels.
fn check_member_filter(st: &State, filter: &Value) -> Result<(), ApiError> {
    let ids: Vec<i32> = match (filter.get("programId"), filter.get("programIds")) {
        (Some(_), Some(_)) => {
            return Err(ApiError::new(
                "1003",
                "programId and programIds cannot be used together",
            ));
        }
        (None, None) => {
            return Err(ApiError::new(
                "1003",
                "programId or programIds filter is required",
            ));
        }
        (Some(one), None) => vec![one.clone()],
        (None, Some(many)) => many.as_array().cloned().unwrap_or_default(),
    }
    .iter()
    .map(|v| {
        v.as_i64()
            .and_then(|n| i32::try_from(n).ok())
            .ok_or_else(|| ApiError::new("1003", format!("Invalid program id {v}")))
    })
    .collect::<Result<_, _>>()?;
    if ids.is_empty() || ids.len() > 10 {
        return Err(ApiError::new(
            "1003",
            "programIds takes 1 to 10 program ids",
        ));
    }
    if let Some(id) = ids.iter().find(|id| !st.programs.contains_key(id)) {
        return Err(ApiError::new("1003", format!("Program '{id}' not found")));
    }
    let names = filter.get("statusNames").and_then(Value::as_array);
    for name in names.into_iter().flatten() {
        let name = name.as_str().unwrap_or_default();
        if !ids.iter().any(|id| st.program_status(*id, name).is_some()) {
            return Err(ApiError::new(
                "1003",
                format!("Invalid Data: status name '{name}'"),
            ));
        }
    }
    Ok(())
}

fn create(st: &mut State, c: &Ctx, kind: ExportKind) -> ApiResult {
    st.advance_bulk();
    let body = c
        .json()?
        .ok_or_else(|| ApiError::new("1003", "A JSON body is required"))?;
    let has_fields = body["fields"].as_array().is_some_and(|a| !a.is_empty());
    if !has_fields && kind != ExportKind::Activities {
        return Err(ApiError::new("1003", "fields is required"));
    }
    let filter = body
        .get("filter")
        .filter(|f| f.is_object())
        .ok_or_else(|| ApiError::new("1003", "filter is required"))?;
    for name in ["smartListId", "smartListName"] {
        if filter.get(name).is_some() {
            return Err(ApiError::new(
                "1035",
                "Unsupported filter type for target subscription",
            ));
        }
    }
    for name in ["createdAt", "updatedAt"] {
        check_range(filter, name)?;
    }
    match &kind {
        ExportKind::Activities if filter.get("createdAt").is_none() => {
            return Err(ApiError::new("1003", "createdAt filter is required"));
        }
        ExportKind::ProgramMembers => check_member_filter(st, filter)?,
        _ => {}
    }
    let format = body["format"].as_str().unwrap_or("CSV").to_owned();
    if !matches!(format.as_str(), "CSV" | "TSV" | "SSV") {
        return Err(ApiError::new("1003", format!("Invalid format '{format}'")));
    }
    let now = st.now();
    if st.bulk.quota_exhausted(now) {
        return Err(ApiError::new("1029", "Export daily quota exceeded"));
    }
    let id = st.bulk.new_export_id();
    let job = ExportJob {
        id: id.clone(),
        kind,
        status: "Created",
        request: body,
        format,
        created_at: now,
        queued_at: None,
        started_at: None,
        finished_at: None,
        file: None,
        records: 0,
        checksum: None,
        error: None,
    };
    let v = job_ok(&job);
    st.bulk.exports.insert(id, job);
    Ok(v)
}

fn enqueue(st: &mut State, c: &Ctx, kind: ExportKind) -> ApiResult {
    st.advance_bulk();
    let now = st.now();
    let busy = st
        .bulk
        .exports
        .values()
        .filter(|j| matches!(j.status, "Queued" | "Processing"))
        .count();
    let max = st.bulk.settings.max_queued;
    let exhausted = st.bulk.quota_exhausted(now);
    let job = find(st, c, &kind)?;
    if job.status != "Created" {
        return Err(ApiError::new(
            "1003",
            format!("Job is in state {}, not Created", job.status),
        ));
    }
    if exhausted {
        return Err(ApiError::new("1029", "Export daily quota exceeded"));
    }
    if busy >= max {
        return Err(ApiError::new("1029", "Too many jobs in queue"));
    }
    job.status = "Queued";
    job.queued_at = Some(now);
    // The answer says Queued; the job starts as soon as a slot is free.
    let answer = job_ok(job);
    st.advance_bulk();
    Ok(answer)
}

fn cancel(st: &mut State, c: &Ctx, kind: ExportKind) -> ApiResult {
    st.advance_bulk();
    let now = st.now();
    let job = find(st, c, &kind)?;
    if matches!(job.status, "Completed" | "Failed" | "Cancelled") {
        return Err(ApiError::new(
            "1003",
            format!("Job is in state {} and cannot be cancelled", job.status),
        ));
    }
    job.status = "Cancelled";
    job.finished_at = Some(now);
    let v = job_ok(job);
    st.advance_bulk();
    Ok(v)
}

fn status(st: &mut State, c: &Ctx, kind: ExportKind) -> ApiResult {
    st.advance_bulk();
    let job = find(st, c, &kind)?;
    Ok(job_ok(job))
}

// ----- imports -----

/// The parts of a `multipart/form-data` body as (name, content), read by
/// `rest/multipart.rs` (612 when the body is not multipart).
fn multipart_parts(ctx: &Ctx) -> Result<Vec<(String, Bytes)>, ApiError> {
    let parts =
        super::multipart::parts(ctx).map_err(|_| ApiError::new("612", "Invalid Content Type"))?;
    Ok(parts.into_iter().map(|p| (p.name, p.data)).collect())
}

/// The import's target checked: the program and its status, or an approved
/// custom object type.
fn check_import_kind(
    st: &State,
    kind: ImportKind,
    fields: &Params,
) -> Result<ImportKind, ApiError> {
    match kind {
        ImportKind::ProgramMembers { program_id, .. } => {
            let status = fields
                .non_empty("programMemberStatus")
                .ok_or_else(|| ApiError::new("1003", "programMemberStatus is required"))?;
            if !st.programs.contains_key(&program_id) {
                return Err(ApiError::new(
                    "1013",
                    format!("Program '{program_id}' not found"),
                ));
            }
            let status = st.program_status(program_id, status).ok_or_else(|| {
                ApiError::new(
                    "1003",
                    format!("Invalid programMemberStatus '{status}' for program {program_id}"),
                )
            })?;
            Ok(ImportKind::ProgramMembers {
                program_id,
                status: status.name,
            })
        }
        ImportKind::CustomObjects(name) if st.lead_objects.store(&custom_key(&name)).is_none() => {
            Err(ApiError::new(
                "1013",
                format!("Custom object type '{name}' not found"),
            ))
        }
        other => Ok(other),
    }
}

fn import(st: &mut State, c: &Ctx, kind: ImportKind) -> ApiResult {
    st.advance_bulk();
    let parts = multipart_parts(c)?;
    let mut fields = Params(c.query.0.clone());
    let mut file = None;
    for (name, content) in parts {
        if name == "file" {
            file = Some(content);
        } else {
            fields
                .0
                .push((name, String::from_utf8_lossy(&content).into_owned()));
        }
    }
    let file = file.ok_or_else(|| ApiError::new("1003", "File is required"))?;
    if file.len() > MAX_IMPORT_BYTES {
        return Err(ApiError::new("1003", "File size exceeds 10 MB"));
    }
    let kind = check_import_kind(st, kind, &fields)?;
    let busy = st
        .bulk
        .imports
        .values()
        .filter(|j| matches!(j.status, "Queued" | "Importing"))
        .count();
    if busy >= st.bulk.settings.max_queued {
        return Err(ApiError::new("1016", "Too many imports"));
    }
    let delimiter = match fields.get("format").map(str::to_ascii_lowercase).as_deref() {
        None | Some("csv") => b',',
        Some("tsv") => b'\t',
        Some("ssv") => b';',
        Some(other) => return Err(ApiError::new("1003", format!("Invalid format '{other}'"))),
    };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .from_reader(&file[..]);
    // Custom object columns are taken as sent (Marketo's example: " vin" is
    // not the dedupe field `vin`); lead columns are trimmed.
    let trim = !matches!(kind, ImportKind::CustomObjects(_));
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| ApiError::new("1003", format!("Invalid file: {e}")))?
        .iter()
        .map(|h| if trim { h.trim() } else { h }.to_owned())
        .collect();
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| ApiError::new("1003", format!("Invalid file: {e}")))?;
        rows.push(record.iter().map(str::to_owned).collect());
    }
    st.bulk.next_import += 1;
    let id = 1000 + st.bulk.next_import;
    let job = BulkImport {
        id,
        kind,
        status: "Queued",
        created_at: st.now(),
        rows,
        header,
        delimiter,
        lookup_field: fields
            .non_empty("lookupField")
            .unwrap_or("email")
            .to_owned(),
        list_id: fields.int("listId")?,
        processed: 0,
        failures: Vec::new(),
        warnings: Vec::new(),
        message: String::new(),
    };
    let v = lead_ok(vec![job.to_json()]);
    st.bulk.imports.insert(id, job);
    Ok(v)
}

fn import_status(st: &mut State, c: &Ctx) -> ApiResult {
    st.advance_bulk();
    let id: i32 = c.path.int("batchId")?;
    let job = st
        .bulk
        .imports
        .get(&id)
        .ok_or_else(|| ApiError::new("1003", format!("Import job {id} not found")))?;
    Ok(lead_ok(vec![job.to_json()]))
}

// ----- files -----

/// The answer of a Bulk API file download (export file, import failures or
/// warnings), or `None` when `path` is no such download.
pub(crate) fn file_response(
    st: &mut State,
    method: &Method,
    path: &str,
    headers: &HeaderMap,
) -> Option<Response<Body>> {
    if method != Method::GET || !path.starts_with("/bulk/v1/") {
        return None;
    }
    let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
    let last = *segments.last()?;
    if !matches!(last, "file.json" | "failures.json" | "warnings.json") {
        return None;
    }
    st.advance_bulk();
    let id = segments.get(segments.len().checked_sub(2)?)?;
    let bytes: Option<Arc<Vec<u8>>> = match last {
        "file.json" => st
            .bulk
            .exports
            .get(*id)
            .filter(|j| j.status == "Completed")
            .and_then(|j| j.file.clone()),
        _ => id
            .parse::<i32>()
            .ok()
            .and_then(|id| st.bulk.imports.get(&id))
            .filter(|j| matches!(j.status, "Complete" | "Failed"))
            .map(|j| Arc::new(j.report(last == "failures.json"))),
    };
    let Some(bytes) = bytes else {
        return Some(text_response(StatusCode::NOT_FOUND, "File not found"));
    };
    let fault = st.faults.take_download();
    Some(ranged(&bytes, headers, fault))
}

/// `bytes` whole (200) or the part `Range` names (206), spoiled by `fault`.
fn ranged(bytes: &Arc<Vec<u8>>, headers: &HeaderMap, fault: Option<Download>) -> Response<Body> {
    let total = bytes.len();
    let range = headers
        .get(header::RANGE)
        .and_then(|v| v.to_str().ok())
        .map(|r| parse_range(r, total));
    let (status, first, last) = match range {
        None => (StatusCode::OK, 0, total),
        Some(Some((first, last))) => (StatusCode::PARTIAL_CONTENT, first, last + 1),
        Some(None) => {
            let mut r = text_response(StatusCode::RANGE_NOT_SATISFIABLE, "Range not satisfiable");
            r.headers_mut().insert(
                header::CONTENT_RANGE,
                header::HeaderValue::from_str(&format!("bytes */{total}")).expect("header"),
            );
            return r;
        }
    };
    let full = Bytes::from_owner(ArcBytes(Arc::clone(bytes)));
    let body = full.slice(first..last);
    let len = body.len();
    let mut r = match fault {
        None => Response::new(Body::from(body)),
        Some(fault) => fault.body(body),
    };
    *r.status_mut() = status;
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        header::HeaderValue::from_static("text/csv;charset=UTF-8"),
    );
    h.insert(
        header::ACCEPT_RANGES,
        header::HeaderValue::from_static("bytes"),
    );
    if fault.is_none() {
        h.insert(header::CONTENT_LENGTH, header::HeaderValue::from(len));
    }
    if status == StatusCode::PARTIAL_CONTENT {
        let value = format!("bytes {first}-{}/{total}", last - 1);
        h.insert(
            header::CONTENT_RANGE,
            header::HeaderValue::from_str(&value).expect("header"),
        );
    }
    r
}

struct ArcBytes(Arc<Vec<u8>>);

impl AsRef<[u8]> for ArcBytes {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

/// `bytes=a-b`, `bytes=a-`, `bytes=-n` → (first, last) inclusive; `None`
/// when unsatisfiable.
fn parse_range(text: &str, total: usize) -> Option<(usize, usize)> {
    let spec = text.trim().strip_prefix("bytes=")?;
    let (a, b) = spec.split_once('-')?;
    let (a, b) = (a.trim(), b.trim());
    let (first, last) = if a.is_empty() {
        let n: usize = b.parse().ok()?;
        (total.checked_sub(n.min(total))?, total.checked_sub(1)?)
    } else {
        let first: usize = a.parse().ok()?;
        let last = if b.is_empty() {
            total.checked_sub(1)?
        } else {
            b.parse::<usize>().ok()?.min(total.checked_sub(1)?)
        };
        (first, last)
    };
    (first <= last && first < total).then_some((first, last))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges() {
        assert_eq!(parse_range("bytes=0-9", 100), Some((0, 9)));
        assert_eq!(parse_range("bytes=90-", 100), Some((90, 99)));
        assert_eq!(parse_range("bytes=-10", 100), Some((90, 99)));
        assert_eq!(parse_range("bytes=100-", 100), None);
        assert_eq!(parse_range("bytes=5-500", 100), Some((5, 99)));
    }
}
