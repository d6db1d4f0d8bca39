//! The Leads API's side of program membership: a program's leads, a lead's
//! programs, and Change Lead Program Status. They read and write the program
//! member records (`state::lead_objects::membership`), the same ones the
//! program member API serves.

use serde_json::json;

use super::leads_more::{known_lead, skipped};
use super::{json_int, req_str, token_page};
use crate::rest::lead_objects::program_members::program;
use crate::rest::leads::lead_json;
use crate::rest::router::{Route, get, post};
use crate::rest::{ApiError, ApiResult, Ctx, input_array, lead_ok};
use crate::state::State;
use crate::state::lead_objects::membership::{StatusChange, membership_json};

/// Get Leads by Program Id: each member lead with its `membership`.
fn leads_by_program(st: &mut State, ctx: &Ctx) -> ApiResult {
    let pid = program(st, ctx)?;
    let fields = ctx.query.list("fields");
    let items = st
        .lead_objects
        .program_members(pid)
        .into_iter()
        .filter_map(|(lead, r)| {
            let mut v = lead_json(st.leads.get(&lead)?, &fields);
            if let Some(o) = v.as_object_mut() {
                o.insert("membership".into(), membership_json(pid, r));
            }
            Some(v)
        })
        .collect();
    token_page(&ctx.query, items)
}

/// Get Programs by Lead Id, optionally only the programs named by
/// `filterType=programId` and `filterValues`.
fn programs_of_lead(st: &mut State, ctx: &Ctx) -> ApiResult {
    let id = known_lead(st, ctx)?;
    let only: Option<Vec<i32>> = match ctx.query.non_empty("filterType") {
        None => None,
        Some(f) if f.eq_ignore_ascii_case("programId") => {
            let ids: Vec<i32> = ctx.query.int_list("filterValues")?;
            if ids.is_empty() {
                return Err(ApiError::new("701", "filterValues cannot be blank"));
            }
            if ids.len() > 300 {
                return Err(ApiError::new(
                    "1003",
                    "filterValues may hold at most 300 values",
                ));
            }
            Some(ids)
        }
        Some(f) => {
            return Err(ApiError::new(
                "1003",
                format!("Invalid filterType '{f}': only programId is supported"),
            ));
        }
    };
    let items = st
        .lead_objects
        .lead_programs(id)
        .into_iter()
        .filter(|(p, _)| only.as_ref().is_none_or(|ids| ids.contains(p)))
        .map(|(p, r)| membership_json(p, r))
        .collect();
    token_page(&ctx.query, items)
}

/// Change Lead Program Status: `{"status": …, "input": [{"id": …}]}`. A status
/// the program's channel does not have skips every lead with 1025; otherwise
/// each lead joins with the status or moves forward to it (1037 when it is
/// already there or past it), and an unknown lead is 1004.
fn change_status(st: &mut State, ctx: &Ctx) -> ApiResult {
    let pid = program(st, ctx)?;
    let body = ctx
        .json()?
        .ok_or_else(|| ApiError::new("701", "input cannot be blank"))?;
    let status = req_str(&body, "status")?.to_owned();
    let input = input_array(&body, "leads")?;
    let target = st.program_status(pid, &status);
    let mut out = Vec::with_capacity(input.len());
    for item in input {
        let id = item.get("id").and_then(json_int);
        let v = match (id, &target) {
            (None, _) => skipped(None, "1003", "Each lead needs an integer id"),
            (Some(id), _) if !st.leads.contains_key(&id) => {
                skipped(Some(id), "1004", "Lead not found")
            }
            (Some(id), None) => skipped(
                Some(id),
                "1025",
                &format!("Program status '{status}' not found"),
            ),
            (Some(id), Some(t)) => match st.set_program_status(pid, id, t, ctx.now) {
                StatusChange::AlreadyPast => skipped(
                    Some(id),
                    "1037",
                    "Lead skipped because it is already in or past this status",
                ),
                StatusChange::Updated => json!({"id": id, "status": "updated"}),
                StatusChange::Created => json!({"id": id, "status": "created"}),
            },
        };
        out.push(v);
    }
    Ok(lead_ok(out))
}

/// The operations of this module.
pub(crate) const ROUTES: &[Route] = &[
    get("/rest/v1/leads/programs/{programId}.json", leads_by_program),
    post(
        "/rest/v1/leads/programs/{programId}/status.json",
        change_status,
    ),
    get(
        "/rest/v1/leads/{leadId}/programMembership.json",
        programs_of_lead,
    ),
];
