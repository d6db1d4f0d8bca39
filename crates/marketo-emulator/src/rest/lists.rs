//! Static list membership (Lead Database API).

use serde_json::{Value, json};

use super::router::{Route, delete, get, post};
use super::{ApiError, ApiResult, Ctx, input_array, lead_ok, reason};
use crate::state::State;

/// Lead ids from the JSON body (`{"input":[{"id":…}]}`) or, without a body, from the
/// `id` query parameters (repeated or comma-separated), which Marketo also accepts.
fn lead_ids_from_body(ctx: &Ctx) -> Result<Vec<i64>, ApiError> {
    let Some(body) = ctx.json()? else {
        let ids: Vec<i64> = ctx.query.int_list("id")?;
        if ids.is_empty() {
            return Err(ApiError::new("701", "input cannot be blank"));
        }
        if ids.len() > 300 {
            return Err(ApiError::new("1003", "At most 300 ids are allowed"));
        }
        return Ok(ids);
    };
    let input = input_array(&body, "leads")?;
    input
        .iter()
        .map(|l| {
            l.get("id")
                .and_then(super::lead_db::json_int)
                .ok_or_else(|| ApiError::new("1003", "Each lead needs an integer id"))
        })
        .collect()
}

fn list_exists(st: &State, id: i32) -> Result<(), ApiError> {
    if st.lists.contains_key(&id) {
        Ok(())
    } else {
        Err(ApiError::new("1013", format!("Static list {id} not found")))
    }
}

/// `POST /rest/v1/lists/{listId}/leads.json`.
pub(crate) fn add(st: &mut State, ctx: &Ctx, list_id: i32) -> ApiResult {
    list_exists(st, list_id)?;
    let ids = lead_ids_from_body(ctx)?;
    Ok(lead_ok(list_operation(st, list_id, &ids, Op::Add)))
}

/// `DELETE /rest/v1/lists/{listId}/leads.json`.
pub(crate) fn remove(st: &mut State, ctx: &Ctx, list_id: i32) -> ApiResult {
    list_exists(st, list_id)?;
    let ids = lead_ids_from_body(ctx)?;
    Ok(lead_ok(list_operation(st, list_id, &ids, Op::Remove)))
}

/// `GET /rest/v1/lists/{listId}/leads/ismember.json`.
pub(crate) fn is_member(st: &mut State, ctx: &Ctx, list_id: i32) -> ApiResult {
    list_exists(st, list_id)?;
    // `POST …/ismember.json?_method=GET` may carry the ids as a JSON `input`.
    let ids = lead_ids_from_body(ctx)?;
    Ok(lead_ok(list_operation(st, list_id, &ids, Op::IsMember)))
}

/// A list-membership operation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Op {
    Add,
    Remove,
    IsMember,
}

/// Applies `op` to each lead; one outcome per lead, in order.
pub(crate) fn list_operation(st: &mut State, list_id: i32, ids: &[i64], op: Op) -> Vec<Value> {
    let now = st.now();
    let mut out = Vec::with_capacity(ids.len());
    let mut activities = Vec::new();
    for id in ids {
        if !st.leads.contains_key(id) {
            out.push(json!({"id": id, "status": "skipped", "reasons": [reason("1004", "Lead not found")]}));
            continue;
        }
        let Some(list) = st.lists.get_mut(&list_id) else {
            continue;
        };
        let v = match op {
            Op::Add => {
                if list.members.insert(*id) {
                    activities.push((*id, 24));
                    st.lead_db.list_added.insert((list_id, *id), now);
                }
                json!({"id": id, "status": "added"})
            }
            Op::Remove => {
                if list.members.remove(id) {
                    activities.push((*id, 25));
                    st.lead_db.list_added.remove(&(list_id, *id));
                    json!({"id": id, "status": "removed"})
                } else {
                    json!({"id": id, "status": "skipped", "reasons": [reason("1015", "Lead not in list")]})
                }
            }
            Op::IsMember => {
                let status = if list.members.contains(id) {
                    "memberof"
                } else {
                    "notmemberof"
                };
                json!({"id": id, "status": status})
            }
        };
        out.push(v);
    }
    let name = st.lists.get(&list_id).map(|l| l.name.clone());
    for (lead, ty) in activities {
        st.push_activity(
            lead,
            now,
            ty,
            None,
            Some(i64::from(list_id)),
            name.clone(),
            Vec::new(),
        );
    }
    out
}

/// The operations of this module.
pub(crate) const ROUTES: &[Route] = &[
    post("/rest/v1/lists/{listId}/leads.json", |st, ctx| {
        add(st, ctx, ctx.path.int("listId")?)
    }),
    delete("/rest/v1/lists/{listId}/leads.json", |st, ctx| {
        remove(st, ctx, ctx.path.int("listId")?)
    }),
    get("/rest/v1/lists/{listId}/leads/ismember.json", |st, ctx| {
        is_member(st, ctx, ctx.path.int("listId")?)
    }),
];
