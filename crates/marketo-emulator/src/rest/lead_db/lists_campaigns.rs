//! Static lists and smart campaigns as the Lead Database API shows them, and the
//! leads of a static list.

use serde_json::{Value, json};

use super::token_page;
use crate::rest::leads::lead_json;
use crate::rest::router::{Route, get};
use crate::rest::{ApiError, ApiResult, Ctx, Params, lead_ok};
use crate::state::{DEMO_TIME, SmartCampaign, State, StaticList};
use crate::util::rfc3339;

const WORKSPACE: &str = "Default";

fn program_name(st: &State, id: Option<i32>) -> Option<String> {
    id.and_then(|p| st.programs.get(&p)).map(|p| p.name.clone())
}

fn list_json(st: &State, l: &StaticList) -> Value {
    json!({
        "id": l.id,
        "name": l.name,
        "description": "",
        "programName": program_name(st, l.program_id),
        "workspaceName": WORKSPACE,
        "createdAt": rfc3339(DEMO_TIME),
        "updatedAt": rfc3339(DEMO_TIME),
    })
}

/// The `id`, `name`, `programName` and `workspaceName` filters of the browse calls.
struct Filters {
    ids: Vec<i32>,
    names: Vec<String>,
    programs: Vec<String>,
    workspaces: Vec<String>,
}

impl Filters {
    fn read(q: &Params) -> Result<Self, ApiError> {
        Ok(Filters {
            ids: q.int_list("id")?,
            names: q.list("name"),
            programs: q.list("programName"),
            workspaces: q.list("workspaceName"),
        })
    }

    fn keep(&self, id: i32, name: &str, program: Option<&str>) -> bool {
        (self.ids.is_empty() || self.ids.contains(&id))
            && (self.names.is_empty() || self.names.iter().any(|n| n == name))
            && (self.programs.is_empty()
                || program.is_some_and(|p| self.programs.iter().any(|n| n == p)))
            && (self.workspaces.is_empty() || self.workspaces.iter().any(|w| w == WORKSPACE))
    }
}

fn get_lists(st: &mut State, ctx: &Ctx) -> ApiResult {
    let f = Filters::read(&ctx.query)?;
    let items = st
        .lists
        .values()
        .filter(|l| f.keep(l.id, &l.name, program_name(st, l.program_id).as_deref()))
        .map(|l| list_json(st, l))
        .collect();
    token_page(&ctx.query, items)
}

fn get_list(st: &mut State, ctx: &Ctx) -> ApiResult {
    let id: i32 = ctx.path.int("id")?;
    let l = st
        .lists
        .get(&id)
        .ok_or_else(|| ApiError::new("1013", format!("Static list {id} not found")))?;
    Ok(lead_ok(vec![list_json(st, l)]))
}

fn leads_of_list(st: &mut State, ctx: &Ctx) -> ApiResult {
    let id: i32 = ctx.path.int("listId")?;
    let l = st
        .lists
        .get(&id)
        .ok_or_else(|| ApiError::new("1013", format!("Static list {id} not found")))?;
    let fields = ctx.query.list("fields");
    let items = l
        .members
        .iter()
        .filter_map(|m| st.leads.get(m))
        .map(|lead| lead_json(lead, &fields))
        .collect();
    token_page(&ctx.query, items)
}

fn campaign_json(st: &State, c: &SmartCampaign) -> Value {
    json!({
        "id": c.id,
        "name": c.name,
        "description": c.description,
        "type": c.campaign_type,
        "programName": program_name(st, c.program_id),
        "programId": c.program_id,
        "workspaceName": WORKSPACE,
        "createdAt": rfc3339(c.created_at),
        "updatedAt": rfc3339(c.updated_at),
        "active": c.is_active,
    })
}

fn get_campaigns(st: &mut State, ctx: &Ctx) -> ApiResult {
    let f = Filters::read(&ctx.query)?;
    let triggerable = ctx.query.bool("isTriggerable")?;
    let items = st
        .campaigns
        .values()
        .filter(|c| f.keep(c.id, &c.name, program_name(st, c.program_id).as_deref()))
        .filter(|c| triggerable.is_none_or(|t| !t || (c.is_active && c.is_requestable)))
        .map(|c| campaign_json(st, c))
        .collect();
    token_page(&ctx.query, items)
}

fn get_campaign(st: &mut State, ctx: &Ctx) -> ApiResult {
    let id: i32 = ctx.path.int("id")?;
    let c = st
        .campaigns
        .get(&id)
        .ok_or_else(|| ApiError::new("1013", format!("Campaign {id} not found")))?;
    Ok(lead_ok(vec![campaign_json(st, c)]))
}

/// The operations of this module.
pub(crate) const ROUTES: &[Route] = &[
    get("/rest/v1/lists.json", get_lists),
    get("/rest/v1/lists/{id}.json", get_list),
    get("/rest/v1/lists/{listId}/leads.json", leads_of_list),
    get("/rest/v1/list/{listId}/leads.json", leads_of_list),
    get("/rest/v1/campaigns.json", get_campaigns),
    get("/rest/v1/campaigns/{id}.json", get_campaign),
];
