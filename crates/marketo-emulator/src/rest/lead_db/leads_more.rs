//! Leads: partitions, delete, push, submit form, associate, and a lead's lists
//! and campaigns (program membership is in `lead_programs`).

use serde_json::{Map, Value, json};

use super::{json_int, opt_str, req_str, token_page};
use crate::rest::leads::{SyncOutcome, sync_one};
use crate::rest::router::{Route, delete, get, post};
use crate::rest::{ApiError, ApiResult, Ctx, input_array, lead_ok, reason};
use crate::state::State;
use crate::util::{self, rfc3339};

fn partitions(st: &mut State, _ctx: &Ctx) -> ApiResult {
    let result = st
        .lead_db
        .partitions
        .iter()
        .map(|p| json!({"id": p.id, "name": p.name, "description": p.description}))
        .collect();
    Ok(lead_ok(result))
}

/// A skipped per-lead result with one reason (and the lead id when known).
pub(crate) fn skipped(id: Option<i64>, code: &str, msg: &str) -> Value {
    let mut v = json!({"status": "skipped", "reasons": [reason(code, msg)]});
    if let (Some(id), Some(o)) = (id, v.as_object_mut()) {
        o.insert("id".into(), Value::from(id));
    }
    v
}

fn update_partitions(st: &mut State, ctx: &Ctx) -> ApiResult {
    let body = ctx
        .json()?
        .ok_or_else(|| ApiError::new("609", "Invalid JSON"))?;
    let input = input_array(&body, "leads")?;
    let mut result = Vec::with_capacity(input.len());
    for item in input {
        let id = item.get("id").and_then(json_int);
        let name = item.get("partitionName").and_then(Value::as_str);
        let v = match (id, name) {
            (None, _) => skipped(None, "1003", "id is required"),
            (Some(id), _) if !st.leads.contains_key(&id) => {
                skipped(Some(id), "1004", "Lead not found")
            }
            (Some(id), None) => skipped(Some(id), "1003", "partitionName is required"),
            (Some(id), Some(name)) => match st.lead_db.partitions.iter().find(|p| p.name == name) {
                None => skipped(Some(id), "1013", &format!("Partition '{name}' not found")),
                Some(p) => {
                    let pid = p.id;
                    if pid == 1 {
                        st.lead_db.lead_partition.remove(&id);
                    } else {
                        st.lead_db.lead_partition.insert(id, pid);
                    }
                    json!({"id": id, "status": "updated"})
                }
            },
        };
        result.push(v);
    }
    Ok(lead_ok(result))
}

/// `POST /rest/v1/leads/delete.json` and `DELETE /rest/v1/leads.json`.
fn delete_leads(st: &mut State, ctx: &Ctx) -> ApiResult {
    let ids: Vec<Option<i64>> = match ctx.json()? {
        Some(body) => input_array(&body, "leads")?
            .iter()
            .map(|l| l.get("id").and_then(json_int))
            .collect(),
        None => {
            let ids: Vec<i64> = ctx.query.int_list("id")?;
            if ids.is_empty() {
                return Err(ApiError::new("701", "input cannot be blank"));
            }
            ids.into_iter().map(Some).collect()
        }
    };
    if ids.len() > 300 {
        return Err(ApiError::new("1003", "At most 300 ids are allowed"));
    }
    let result = ids
        .into_iter()
        .map(|id| match id {
            None => skipped(None, "1003", "Each lead needs an integer id"),
            Some(id) if st.delete_lead(id) => json!({"id": id, "status": "deleted"}),
            Some(id) => skipped(Some(id), "1004", "Lead not found"),
        })
        .collect();
    Ok(lead_ok(result))
}

fn outcome_json(o: SyncOutcome) -> Value {
    match o {
        SyncOutcome::Created(id) => json!({"id": id, "status": "created"}),
        SyncOutcome::Updated(id) => json!({"id": id, "status": "updated"}),
        SyncOutcome::Skipped(code, msg) => skipped(None, code, &msg),
    }
}

fn outcome_id(o: &SyncOutcome) -> Option<i64> {
    match o {
        SyncOutcome::Created(id) | SyncOutcome::Updated(id) => Some(*id),
        SyncOutcome::Skipped(..) => None,
    }
}

fn push(st: &mut State, ctx: &Ctx) -> ApiResult {
    let body = ctx
        .json()?
        .ok_or_else(|| ApiError::new("609", "Invalid JSON"))?;
    let program_name = req_str(&body, "programName")?.to_owned();
    let program_id = *st
        .program_names
        .get(&program_name)
        .ok_or_else(|| ApiError::new("1013", format!("Program '{program_name}' not found")))?;
    let lookup = opt_str(&body, "lookupField").unwrap_or_else(|| "email".into());
    if !crate::rest::leads::known_field_in(st, &lookup) {
        return Err(ApiError::new(
            "1011",
            format!("Field '{lookup}' not supported"),
        ));
    }
    let source = opt_str(&body, "source");
    let why = opt_str(&body, "reason");
    let input = input_array(&body, "records")?.clone();
    let now = ctx.now;
    let mut result = Vec::with_capacity(input.len());
    for rec in &input {
        let outcome = match rec.as_object() {
            Some(m) => sync_one(st, "createOrUpdate", &lookup, m),
            None => SyncOutcome::Skipped("1003", "Each input record must be an object".into()),
        };
        if let Some(id) = outcome_id(&outcome) {
            st.push_activity(
                id,
                now,
                145,
                None,
                Some(i64::from(program_id)),
                Some(program_name.clone()),
                vec![
                    (
                        "Source".into(),
                        source.clone().map_or(Value::Null, Value::from),
                    ),
                    (
                        "Reason".into(),
                        why.clone().map_or(Value::Null, Value::from),
                    ),
                ],
            );
            st.join_program(program_id, id, now);
        }
        result.push(outcome_json(outcome));
    }
    Ok(lead_ok(result))
}

fn submit_form(st: &mut State, ctx: &Ctx) -> ApiResult {
    let body = ctx
        .json()?
        .ok_or_else(|| ApiError::new("609", "Invalid JSON"))?;
    let form_id = body
        .get("formId")
        .and_then(json_int)
        .ok_or_else(|| ApiError::new("701", "formId cannot be blank"))?;
    let program_id = match body.get("programId") {
        None | Some(Value::Null) => None,
        Some(v) => {
            let id = json_int(v)
                .and_then(|i| i32::try_from(i).ok())
                .ok_or_else(|| ApiError::new("1003", "programId must be an integer"))?;
            if !st.programs.contains_key(&id) {
                return Err(ApiError::new("1013", format!("Program {id} not found")));
            }
            Some(id)
        }
    };
    let input = input_array(&body, "submissions")?.clone();
    if input.len() != 1 {
        return Err(ApiError::new(
            "1003",
            "input must hold exactly one submission",
        ));
    }
    let item = &input[0];
    let fields: Map<String, Value> = item
        .get("leadFormFields")
        .and_then(Value::as_object)
        .cloned()
        .ok_or_else(|| ApiError::new("701", "leadFormFields cannot be blank"))?;
    if fields
        .get("email")
        .and_then(Value::as_str)
        .is_none_or(str::is_empty)
    {
        return Err(ApiError::new("701", "email cannot be blank"));
    }
    let outcome = sync_one(st, "createOrUpdate", "email", &fields);
    if let Some(id) = outcome_id(&outcome) {
        let page = item
            .get("visitorData")
            .and_then(|v| v.get("pageURL"))
            .cloned()
            .unwrap_or(Value::Null);
        st.push_activity(
            id,
            ctx.now,
            2,
            None,
            Some(form_id),
            Some(format!("Form {form_id}")),
            vec![("Webpage URL".into(), page)],
        );
        if let Some(p) = program_id {
            st.join_program(p, id, ctx.now);
        }
        if let Some(c) = item.get("cookie").and_then(Value::as_str) {
            st.lead_db.cookies.insert(c.to_owned(), id);
        }
    }
    Ok(lead_ok(vec![outcome_json(outcome)]))
}

fn associate(st: &mut State, ctx: &Ctx) -> ApiResult {
    let id: i64 = ctx.path.int("id")?;
    let cookie = ctx.query.required("cookie")?.to_owned();
    if !st.leads.contains_key(&id) {
        return Err(ApiError::new("1004", format!("Lead {id} not found")));
    }
    st.lead_db.cookies.insert(cookie, id);
    Ok(json!({"requestId": util::request_id(), "success": true}))
}

pub(crate) fn known_lead(st: &State, ctx: &Ctx) -> Result<i64, ApiError> {
    let id: i64 = ctx.path.int("leadId")?;
    if st.leads.contains_key(&id) {
        Ok(id)
    } else {
        Err(ApiError::new("1004", format!("Lead {id} not found")))
    }
}

fn lists_of_lead(st: &mut State, ctx: &Ctx) -> ApiResult {
    let id = known_lead(st, ctx)?;
    let items = st
        .lists
        .values()
        .filter(|l| l.members.contains(&id))
        .map(|l| {
            let at = st
                .lead_db
                .list_added
                .get(&(l.id, id))
                .copied()
                .unwrap_or(crate::state::DEMO_TIME);
            json!({"listId": l.id, "createdAt": rfc3339(at), "updatedAt": rfc3339(at)})
        })
        .collect();
    token_page(&ctx.query, items)
}

fn campaigns_of_lead(st: &mut State, ctx: &Ctx) -> ApiResult {
    let id = known_lead(st, ctx)?;
    let items = st
        .lead_db
        .campaign_members
        .iter()
        .filter(|((_, lead), _)| *lead == id)
        .map(|((c, _), (a, b))| {
            json!({"smartCampaignId": c, "createdAt": rfc3339(*a), "updatedAt": rfc3339(*b)})
        })
        .collect();
    token_page(&ctx.query, items)
}

/// The operations of this module.
pub(crate) const ROUTES: &[Route] = &[
    get("/rest/v1/leads/partitions.json", partitions),
    post("/rest/v1/leads/partitions.json", update_partitions),
    post("/rest/v1/leads/delete.json", delete_leads),
    delete("/rest/v1/leads.json", delete_leads),
    post("/rest/v1/leads/push.json", push),
    post("/rest/v1/leads/submitForm.json", submit_form),
    post("/rest/v1/leads/{id}/associate.json", associate),
    get("/rest/v1/leads/{leadId}/listMembership.json", lists_of_lead),
    get(
        "/rest/v1/leads/{leadId}/smartCampaignMembership.json",
        campaigns_of_lead,
    ),
];
