//! Smart campaigns: browse and get (Asset API), schedule and trigger (Lead Database API).
//! The schedule/trigger core is shared with the SOAP operations.

use serde_json::{Value, json};
use time::OffsetDateTime;

use super::router::{Route, get, post};
use super::{ApiError, ApiResult, Ctx, asset_ok, form_json, lead_ok, paging};
use crate::rest::programs::parse_folder_ref;
use crate::state::{Api, ScheduleRecord, SmartCampaign, State, TriggerRecord};
use crate::util::{asset_datetime, parse_datetime};

pub(crate) fn campaign_json(st: &State, c: &SmartCampaign) -> Value {
    let smart_list = st
        .assets
        .used_by_external(&crate::state::campaign_user(c.id))
        .first()
        .map_or(c.id + 10_000, |k| k.id);
    let mut v = json!({
        "id": c.id,
        "name": c.name,
        "description": c.description,
        "createdAt": asset_datetime(c.created_at),
        "updatedAt": asset_datetime(c.updated_at),
        "folder": {"id": c.folder.id, "type": c.folder.kind.as_str()},
        "status": c.status,
        "type": c.campaign_type,
        "isSystem": false,
        "isActive": c.is_active,
        "isRequestable": c.is_requestable,
        "isCommunicationLimitEnabled": false,
        "recurrence": {"weekdayOnly": false},
        "qualificationRuleType": "once",
        "workspace": "Default",
        "smartListId": smart_list,
        "flowId": c.id + 20_000,
        "computedUrl": format!("https://app-emulator.marketo.invalid/#SC{}A1", c.id),
    });
    if let (Some(pid), Some(o)) = (c.program_id, v.as_object_mut())
        && st.programs.contains_key(&pid)
    {
        o.insert("parentProgramId".into(), Value::from(pid));
    }
    v
}

/// `GET /rest/asset/v1/smartCampaigns.json`.
pub(crate) fn browse(st: &mut State, ctx: &Ctx) -> ApiResult {
    let q = &ctx.query;
    let (max, offset) = paging(q)?;
    let earliest = q.date("earliestUpdatedAt")?;
    let latest = q.date("latestUpdatedAt")?;
    let folder = match form_json(q, "folder")? {
        Some(v) => Some(parse_folder_ref(&v)?),
        None => None,
    };
    let active = q.bool("isActive")?;
    let result = st
        .campaigns
        .values()
        .filter(|c| earliest.is_none_or(|e| c.updated_at >= e))
        .filter(|c| latest.is_none_or(|l| c.updated_at <= l))
        .filter(|c| folder.is_none_or(|f| c.folder == f))
        .filter(|c| active.is_none_or(|a| !a || (c.is_active && c.campaign_type == "trigger")))
        .skip(offset)
        .take(max)
        .map(|c| campaign_json(st, c))
        .collect();
    Ok(asset_ok(result))
}

/// `GET /rest/asset/v1/smartCampaign/{id}.json`.
pub(crate) fn get_by_id(st: &mut State, id: i32) -> ApiResult {
    let c = st
        .campaigns
        .get(&id)
        .ok_or_else(|| ApiError::new("702", format!("Smart campaign {id} not found")))?;
    Ok(asset_ok(vec![campaign_json(st, c)]))
}

/// Why a schedule or trigger was refused.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum CampaignError {
    NotFound(String),
    NotBatch,
    NotRequestable,
    RunAtTooFar,
    CloneLimit(u32),
    CloneName(String),
    NoProgramToClone,
}

impl CampaignError {
    /// The REST error for this refusal.
    pub(crate) fn rest(&self) -> ApiError {
        match self {
            CampaignError::NotFound(m) => ApiError::new("1013", m.clone()),
            CampaignError::NotBatch => {
                ApiError::new("1003", "Only batch campaigns can be scheduled")
            }
            CampaignError::NotRequestable => ApiError::new(
                "1003",
                "Campaign is not requestable: it needs an active 'Campaign is Requested' trigger",
            ),
            CampaignError::RunAtTooFar => ApiError::new(
                "1042",
                "runAt date cannot be more than 2 years in the future",
            ),
            CampaignError::CloneLimit(n) => ApiError::new(
                "1020",
                format!("Too many clones to program: {n} calls with cloneToProgramName a day"),
            ),
            CampaignError::CloneName(m) => ApiError::new("709", m.clone()),
            CampaignError::NoProgramToClone => {
                ApiError::new("1003", "The campaign is not in a program: nothing to clone")
            }
        }
    }
}

/// Schedules a batch campaign; records it. Returns the id of the campaign scheduled.
pub(crate) fn schedule_core(
    st: &mut State,
    api: Api,
    campaign_id: i32,
    run_at: Option<OffsetDateTime>,
    clone_to: Option<String>,
    tokens: Vec<(String, String)>,
) -> Result<i32, CampaignError> {
    let now = st.now();
    let c = st
        .campaigns
        .get(&campaign_id)
        .cloned()
        .ok_or_else(|| CampaignError::NotFound(format!("Campaign {campaign_id} not found")))?;
    if c.campaign_type != "batch" {
        return Err(CampaignError::NotBatch);
    }
    let run_at = run_at.unwrap_or(now + time::Duration::minutes(5));
    if run_at > now + time::Duration::days(730) {
        return Err(CampaignError::RunAtTooFar);
    }
    let program_name = c
        .program_id
        .and_then(|p| st.programs.get(&p))
        .map(|p| p.name.clone());
    let mut cloned_program_id = None;
    let mut scheduled = campaign_id;
    if let Some(name) = &clone_to {
        let day = crate::limits::quota_day(now);
        let (limit, counter) = match api {
            Api::Rest => (st.config.limits.rest_clones_per_day, st.rest_clones),
            Api::Soap => (st.config.limits.soap_clones_per_day, st.soap_clones),
        };
        let used = if counter.0 == day { counter.1 } else { 0 };
        if used >= limit {
            return Err(CampaignError::CloneLimit(limit));
        }
        let Some(pid) = c.program_id else {
            return Err(CampaignError::NoProgramToClone);
        };
        if name.trim().is_empty() || name.chars().count() > 255 {
            return Err(CampaignError::CloneName(
                "cloneToProgramName must have 1 to 255 characters".into(),
            ));
        }
        if st.program_names.contains_key(name) {
            return Err(CampaignError::CloneName(format!(
                "Program name '{name}' is already in use"
            )));
        }
        let folder = st
            .programs
            .get(&pid)
            .map(|p| p.folder)
            .ok_or(CampaignError::NoProgramToClone)?;
        let new_pid = st
            .clone_program(pid, name, folder, None)
            .ok_or(CampaignError::NoProgramToClone)?;
        cloned_program_id = Some(new_pid);
        if let Some(copy) = st
            .campaigns
            .values()
            .find(|x| x.program_id == Some(new_pid) && x.name == c.name)
        {
            scheduled = copy.id;
        }
        let entry = (day, used + 1);
        match api {
            Api::Rest => st.rest_clones = entry,
            Api::Soap => st.soap_clones = entry,
        }
    }
    if let Some(sc) = st.campaigns.get_mut(&scheduled) {
        sc.status = "Single Run".into();
        sc.updated_at = now;
    }
    st.schedules.push(ScheduleRecord {
        api,
        campaign_id,
        campaign_name: c.name.clone(),
        program_name,
        run_at,
        clone_to_program_name: clone_to,
        cloned_program_id,
        scheduled_campaign_id: scheduled,
        tokens,
        requested_at: now,
    });
    Ok(scheduled)
}

/// Runs leads through a requestable trigger campaign; records it.
pub(crate) fn trigger_core(
    st: &mut State,
    api: Api,
    campaign_id: i32,
    lead_ids: Vec<i64>,
    tokens: Vec<(String, String)>,
) -> Result<(), CampaignError> {
    let now = st.now();
    let c = st
        .campaigns
        .get(&campaign_id)
        .ok_or_else(|| CampaignError::NotFound(format!("Campaign {campaign_id} not found")))?;
    if !c.is_requestable || !c.is_active {
        return Err(CampaignError::NotRequestable);
    }
    st.triggers.push(TriggerRecord {
        api,
        campaign_id,
        lead_ids,
        tokens,
        requested_at: now,
    });
    Ok(())
}

/// Reads `[{"name":…,"value":…}]` tokens (1003 on a bad item).
fn parse_tokens(v: Option<&Value>) -> Result<Vec<(String, String)>, ApiError> {
    let Some(v) = v else { return Ok(Vec::new()) };
    let arr = v
        .as_array()
        .ok_or_else(|| ApiError::new("1003", "tokens must be an array"))?;
    if arr.len() > 100 {
        return Err(ApiError::new("1003", "At most 100 tokens"));
    }
    arr.iter()
        .map(|t| {
            let name = t.get("name").and_then(Value::as_str);
            let value = t.get("value").map(|v| match v {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            });
            match (name, value) {
                (Some(n), Some(_)) if !(n.starts_with("{{my.") && n.ends_with("}}")) => {
                    Err(ApiError::new(
                        "1003",
                        format!("Token name '{n}' must use the {{{{my.name}}}} form"),
                    ))
                }
                (Some(n), Some(v)) => Ok((n.to_owned(), v)),
                _ => Err(ApiError::new("1003", "Each token needs a name and a value")),
            }
        })
        .collect()
}

/// `POST /rest/v1/campaigns/{id}/schedule.json`.
pub(crate) fn schedule(st: &mut State, ctx: &Ctx, id: i32) -> ApiResult {
    let body = ctx.json()?;
    let input = body.as_ref().and_then(|b| b.get("input"));
    if let Some(b) = &body
        && !b.is_object()
    {
        return Err(ApiError::new("1003", "The body must be a JSON object"));
    }
    let run_at = match input.and_then(|i| i.get("runAt")) {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(
            parse_datetime(s)
                .ok_or_else(|| ApiError::new("1003", format!("Invalid runAt '{s}'")))?,
        ),
        Some(_) => return Err(ApiError::new("1003", "runAt must be a date-time string")),
    };
    let clone_to = match input.and_then(|i| i.get("cloneToProgramName")) {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(_) => return Err(ApiError::new("1003", "cloneToProgramName must be a string")),
    };
    let tokens = parse_tokens(input.and_then(|i| i.get("tokens")))?;
    let scheduled =
        schedule_core(st, Api::Rest, id, run_at, clone_to, tokens).map_err(|e| e.rest())?;
    Ok(lead_ok(vec![json!({"id": scheduled})]))
}

/// `POST /rest/v1/campaigns/{id}/trigger.json`.
pub(crate) fn trigger(st: &mut State, ctx: &Ctx, id: i32) -> ApiResult {
    let body = ctx
        .json()?
        .ok_or_else(|| ApiError::new("609", "Invalid JSON: a body is required"))?;
    let input = body
        .get("input")
        .ok_or_else(|| ApiError::new("701", "input cannot be blank"))?;
    let leads = input
        .get("leads")
        .and_then(Value::as_array)
        .ok_or_else(|| ApiError::new("701", "leads cannot be blank"))?;
    if leads.is_empty() || leads.len() > 100 {
        return Err(ApiError::new("1003", "Between 1 and 100 leads are allowed"));
    }
    let ids = leads
        .iter()
        .map(|l| {
            l.get("id")
                .and_then(Value::as_i64)
                .ok_or_else(|| ApiError::new("1003", "Each lead needs an integer id"))
        })
        .collect::<Result<Vec<i64>, ApiError>>()?;
    let tokens = parse_tokens(input.get("tokens"))?;
    trigger_core(st, Api::Rest, id, ids, tokens).map_err(|e| e.rest())?;
    Ok(lead_ok(vec![json!({"id": id})]))
}

/// The operations of this module.
pub(crate) const ROUTES: &[Route] = &[
    get("/rest/asset/v1/smartCampaigns.json", browse),
    get("/rest/asset/v1/smartCampaign/{id}.json", |st, ctx| {
        get_by_id(st, ctx.path.int("id")?)
    }),
    post("/rest/v1/campaigns/{id}/schedule.json", |st, ctx| {
        schedule(st, ctx, ctx.path.int("id")?)
    }),
    post("/rest/v1/campaigns/{id}/trigger.json", |st, ctx| {
        trigger(st, ctx, ctx.path.int("id")?)
    }),
];
