//! Program members: describe (both paths), query (by field or update window),
//! status sync, data sync, delete, and the member field schema. Members live in
//! the generic store (kind `programMember`, keyed by `leadId` and `programId`);
//! status changes go through `State::set_program_status`, which the Leads API's
//! program calls share.

use serde_json::{Value, json};

use super::super::router::{Route, get, post};
use super::super::{ApiError, ApiResult, Ctx, input_array, lead_ok, reason};
use super::{describe, query_req, render_page, run_query, schema_field, schema_fields};
use crate::state::State;
use crate::state::lead_objects::membership::{StatusChange, member_key};
use crate::state::lead_objects::{FieldDef, PROGRAM_MEMBER, text};

/// Custom program member fields an instance may have.
const MAX_CUSTOM_FIELDS: usize = 20;

pub(crate) fn program(st: &State, ctx: &Ctx) -> Result<i32, ApiError> {
    let id: i32 = ctx.path.int("programId")?;
    if st.programs.contains_key(&id) {
        Ok(id)
    } else {
        Err(ApiError::new("1013", format!("Program '{id}' not found")))
    }
}

fn lead_of(item: &Value) -> Option<i64> {
    item.get("leadId")
        .and_then(text)
        .and_then(|t| t.parse().ok())
}

fn describe_members(st: &mut State, _: &Ctx) -> ApiResult {
    describe(st, PROGRAM_MEMBER)
}

fn query(st: &mut State, ctx: &Ctx) -> ApiResult {
    let pid = program(st, ctx)?;
    let q = query_req(ctx, false)?;
    let s = super::store(st, PROGRAM_MEMBER)?;
    let scope = pid.to_string();
    if q.filter_type != "updatedAt" {
        return run_query(s, &q, Some(("programId", &scope)));
    }
    let (start, end) = match (ctx.query.date("startAt")?, ctx.query.date("endAt")?) {
        (Some(a), Some(b)) => (a, b),
        _ => return Err(ApiError::new("701", "startAt and endAt cannot be blank")),
    };
    if end < start || end - start > time::Duration::days(7) {
        return Err(ApiError::new(
            "1003",
            "The date range must be at most 7 days",
        ));
    }
    let recs: Vec<_> = s
        .records
        .values()
        .filter(|r| r.fields.get("programId").and_then(text) == Some(scope.clone()))
        .filter(|r| r.updated_at >= start && r.updated_at <= end)
        .collect();
    render_page(s, &recs, &q)
}

/// Sync Program Member Status.
fn sync_status(st: &mut State, ctx: &Ctx) -> ApiResult {
    let pid = program(st, ctx)?;
    let body = ctx
        .json()?
        .ok_or_else(|| ApiError::new("701", "input cannot be blank"))?;
    let status = body
        .get("statusName")
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
        .ok_or_else(|| ApiError::new("701", "statusName cannot be blank"))?;
    let input = input_array(&body, "leads")?;
    let target = st.program_status(pid, status).ok_or_else(|| {
        ApiError::new(
            "1003",
            format!("Invalid status '{status}' for the program's channel"),
        )
    })?;
    let mut out = Vec::with_capacity(input.len());
    for (seq, item) in input.iter().enumerate() {
        let Some(lead) = lead_of(item).filter(|id| st.leads.contains_key(id)) else {
            out.push(json!({"seq": seq, "status": "skipped", "reasons": [reason("1004", "Lead not found")]}));
            continue;
        };
        let v = match st.set_program_status(pid, lead, &target, ctx.now) {
            StatusChange::AlreadyPast => {
                json!({"seq": seq, "status": "skipped", "reasons": [reason("1037", "Lead skipped because it is already in or past this status")]})
            }
            StatusChange::Updated => json!({"seq": seq, "status": "updated", "leadId": lead}),
            StatusChange::Created => json!({"seq": seq, "status": "created", "leadId": lead}),
        };
        out.push(v);
    }
    Ok(lead_ok(out))
}

/// Sync Program Member Data: updateable fields of existing members.
fn sync_data(st: &mut State, ctx: &Ctx) -> ApiResult {
    let pid = program(st, ctx)?;
    let body = ctx
        .json()?
        .ok_or_else(|| ApiError::new("701", "input cannot be blank"))?;
    let input = input_array(&body, "members")?;
    let now = ctx.now;
    let s = st
        .lead_objects
        .store_mut(PROGRAM_MEMBER)
        .expect("program member store");
    let mut out = Vec::new();
    for (seq, item) in input.iter().enumerate() {
        let skip = |code: &str, msg: &str| json!({"seq": seq, "status": "skipped", "reasons": [reason(code, msg)]});
        let Some(lead) = lead_of(item) else {
            out.push(skip(
                "1003",
                "Value for required field 'leadId' not specified",
            ));
            continue;
        };
        let Some(&n) = s.find_key(&member_key(pid, lead)).first() else {
            out.push(skip("1013", "Membership not found"));
            continue;
        };
        let values: Vec<(String, Value)> = item
            .as_object()
            .into_iter()
            .flatten()
            .filter(|(k, _)| !matches!(k.as_str(), "leadId" | "seq"))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        if let Some((bad, _)) = values
            .iter()
            .find(|(k, _)| !s.ty.field(k).is_some_and(|f| f.updateable))
        {
            out.push(skip(
                "1006",
                &format!("Field '{bad}' not found or not updateable"),
            ));
            continue;
        }
        let r = s.records.get_mut(&n).expect("member");
        for (k, v) in values {
            r.fields.insert(k, v);
        }
        r.updated_at = now;
        out.push(json!({"seq": seq, "status": "updated", "leadId": lead}));
    }
    Ok(lead_ok(out))
}

fn delete_members(st: &mut State, ctx: &Ctx) -> ApiResult {
    let pid = program(st, ctx)?;
    let body = ctx
        .json()?
        .ok_or_else(|| ApiError::new("701", "input cannot be blank"))?;
    let input = input_array(&body, "leads")?;
    let s = st
        .lead_objects
        .store_mut(PROGRAM_MEMBER)
        .expect("program member store");
    let out = input.iter().enumerate().map(|(seq, item)| {
        let found = lead_of(item).and_then(|l| s.find_key(&member_key(pid, l)).first().copied().map(|n| (l, n)));
        match found {
            Some((lead, n)) => {
                s.records.remove(&n);
                json!({"seq": seq, "status": "deleted", "leadId": lead})
            }
            None => json!({"seq": seq, "status": "skipped", "reasons": [reason("1037", "Lead not in program")]}),
        }
    }).collect();
    Ok(lead_ok(out))
}

fn fields(st: &mut State, ctx: &Ctx) -> ApiResult {
    schema_fields(st, ctx, PROGRAM_MEMBER)
}

fn field(st: &mut State, ctx: &Ctx) -> ApiResult {
    schema_field(st, ctx, PROGRAM_MEMBER)
}

fn valid_name(s: &str) -> bool {
    s.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Create Program Member Fields.
fn create_fields(st: &mut State, ctx: &Ctx) -> ApiResult {
    let body = ctx
        .json()?
        .ok_or_else(|| ApiError::new("701", "input cannot be blank"))?;
    let input = input_array(&body, "fields")?;
    let s = st
        .lead_objects
        .store_mut(PROGRAM_MEMBER)
        .expect("program member store");
    let mut out = Vec::new();
    for item in input {
        let get = |k: &str| {
            item.get(k)
                .and_then(Value::as_str)
                .map(str::trim)
                .filter(|v| !v.is_empty())
        };
        let name = get("name").unwrap_or_default().to_owned();
        let skip = |code: &str, msg: &str| json!({"name": name, "status": "skipped", "reasons": [reason(code, msg)]});
        let (Some(display), Some(data_type)) = (get("displayName"), get("dataType")) else {
            out.push(skip("1003", "name, displayName and dataType are required"));
            continue;
        };
        if !valid_name(&name) {
            out.push(skip("1006", &format!("Invalid field name '{name}'")));
            continue;
        }
        if s.ty.fields.iter().any(|f| {
            f.name.eq_ignore_ascii_case(&name) || f.display_name.eq_ignore_ascii_case(display)
        }) {
            out.push(skip("1006", &format!("Field '{name}' already exists")));
            continue;
        }
        if s.ty.fields.iter().filter(|f| f.custom).count() >= MAX_CUSTOM_FIELDS {
            out.push(skip(
                "1003",
                "At most 20 custom program member fields are allowed",
            ));
            continue;
        }
        let mut f = FieldDef::new(&name, display, data_type, true);
        f.custom = true;
        f.description = get("description").map(str::to_owned);
        f.hidden = item
            .get("isHidden")
            .and_then(Value::as_bool)
            .unwrap_or(false);
        if matches!(data_type, "string" | "integer") {
            s.ty.searchable.push(vec![name.clone()]);
        }
        s.ty.fields.push(f);
        out.push(json!({"name": name, "status": "created"}));
    }
    Ok(lead_ok(out))
}

/// Update Program Member Field.
fn update_field(st: &mut State, ctx: &Ctx) -> ApiResult {
    let name = ctx.path.str("fieldApiName")?.to_owned();
    let body = ctx
        .json()?
        .ok_or_else(|| ApiError::new("701", "input cannot be blank"))?;
    let input = input_array(&body, "fields")?;
    let s = st
        .lead_objects
        .store_mut(PROGRAM_MEMBER)
        .expect("program member store");
    let f =
        s.ty.fields
            .iter_mut()
            .find(|f| f.name.eq_ignore_ascii_case(&name))
            .ok_or_else(|| ApiError::new("702", format!("Field '{name}' not found")))?;
    if !f.custom {
        return Ok(lead_ok(vec![
            json!({"name": f.name, "status": "skipped", "reasons": [reason("1006", "Standard fields cannot be updated")]}),
        ]));
    }
    let item = &input[0];
    if let Some(v) = item.get("displayName").and_then(Value::as_str) {
        f.display_name = v.to_owned();
    }
    if let Some(v) = item.get("description").and_then(Value::as_str) {
        f.description = Some(v.to_owned());
    }
    if let Some(v) = item.get("isHidden").and_then(Value::as_bool) {
        f.hidden = v;
    }
    Ok(lead_ok(vec![json!({"name": f.name, "status": "updated"})]))
}

pub(crate) const ROUTES: &[Route] = &[
    get("/rest/v1/programs/members/describe.json", describe_members),
    // The older path the endpoint reference lists under Leads.
    get("/rest/v1/program/members/describe.json", describe_members),
    get("/rest/v1/programs/{programId}/members.json", query),
    post("/rest/v1/programs/{programId}/members.json", sync_data),
    post(
        "/rest/v1/programs/{programId}/members/status.json",
        sync_status,
    ),
    post(
        "/rest/v1/programs/{programId}/members/delete.json",
        delete_members,
    ),
    get("/rest/v1/programs/members/schema/fields.json", fields),
    post(
        "/rest/v1/programs/members/schema/fields.json",
        create_fields,
    ),
    get(
        "/rest/v1/programs/members/schema/fields/{fieldApiName}.json",
        field,
    ),
    post(
        "/rest/v1/programs/members/schema/fields/{fieldApiName}.json",
        update_field,
    ),
];
