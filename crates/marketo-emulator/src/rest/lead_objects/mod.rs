//! REST handlers of area B over the generic record store
//! (`state::lead_objects`): describe, query, sync, delete and field metadata
//! for companies, opportunities and roles, named accounts and lists and sales
//! persons; named account list membership. Program members and custom objects
//! have their own modules for their own rules.

pub(crate) mod custom_objects;
pub(crate) mod program_members;

use serde_json::{Map, Value, json};

use super::router::{Route, get, post};
use super::{ApiError, ApiResult, Ctx, input_array, lead_ok, reason};
use crate::state::State;
use crate::state::lead_objects::{
    COMPANY, Filter, NAMED_ACCOUNT, NAMED_ACCOUNT_LIST, OPPORTUNITY, OPPORTUNITY_ROLE, ObjectStore,
    Record, SALES_PERSON, page, text,
};

/// The store of a kind, 1013 when there is none (an unknown custom object type).
pub(crate) fn store<'a>(st: &'a State, kind: &str) -> Result<&'a ObjectStore, ApiError> {
    st.lead_objects
        .store(kind)
        .ok_or_else(|| ApiError::new("1013", format!("Object '{kind}' not found")))
}

/// Success with paging members.
pub(crate) fn paged_ok(result: Vec<Value>, next: Option<String>) -> Value {
    let mut v = lead_ok(result);
    v["moreResult"] = next.is_some().into();
    if let Some(t) = next {
        v["nextPageToken"] = t.into();
    }
    v
}

/// `batchSize` (default and maximum 300) and `nextPageToken`, from the query or a JSON body.
fn paging(ctx: &Ctx, body: Option<&Value>) -> Result<(usize, Option<String>), ApiError> {
    let batch: i64 = match body.and_then(|b| b.get("batchSize")) {
        Some(v) => v
            .as_i64()
            .or_else(|| v.as_str().and_then(|s| s.parse().ok()))
            .unwrap_or(0),
        None => ctx.query.int("batchSize")?.unwrap_or(300),
    };
    if !(1..=300).contains(&batch) {
        return Err(ApiError::new(
            "1003",
            format!("Invalid batchSize {batch}: it must be between 1 and 300"),
        ));
    }
    let token = body
        .and_then(|b| b.get("nextPageToken"))
        .and_then(Value::as_str)
        .or_else(|| ctx.query.non_empty("nextPageToken"))
        .map(str::to_owned);
    Ok((usize::try_from(batch).unwrap_or(300), token))
}

/// A list member of a JSON body: an array of strings or comma-separated text.
fn body_list(v: Option<&Value>) -> Option<Vec<String>> {
    match v? {
        Value::Array(a) => Some(a.iter().filter_map(text).collect()),
        Value::String(s) => Some(
            s.split(',')
                .map(|x| x.trim().to_owned())
                .filter(|x| !x.is_empty())
                .collect(),
        ),
        _ => None,
    }
}

/// A query request: `GET` parameters, or `POST ?_method=GET` with a JSON body
/// (`filterType`, `fields`, and `input` keys or `filterValues`).
pub(crate) struct QueryReq {
    pub(crate) filter_type: String,
    pub(crate) filter: Filter,
    pub(crate) fields: Option<Vec<String>>,
    pub(crate) batch: usize,
    pub(crate) token: Option<String>,
}

pub(crate) fn query_req(ctx: &Ctx, values_required: bool) -> Result<QueryReq, ApiError> {
    let body = ctx.json()?;
    let (batch, token) = paging(ctx, body.as_ref())?;
    if let Some(b) = &body {
        let filter_type = b
            .get("filterType")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        if filter_type.is_empty() {
            return Err(ApiError::new("701", "filterType cannot be blank"));
        }
        let filter = match b.get("input").and_then(Value::as_array) {
            Some(keys) => {
                Filter::Keys(keys.iter().filter_map(|k| k.as_object().cloned()).collect())
            }
            None => Filter::Values(
                filter_type.clone(),
                body_list(b.get("filterValues")).unwrap_or_default(),
            ),
        };
        return Ok(QueryReq {
            filter_type,
            filter,
            fields: body_list(b.get("fields")),
            batch,
            token,
        });
    }
    let filter_type = ctx.query.required("filterType")?.to_owned();
    let values = ctx.query.list("filterValues");
    if values_required && values.is_empty() {
        return Err(ApiError::new("701", "filterValues cannot be blank"));
    }
    let fields = Some(ctx.query.list("fields")).filter(|f| !f.is_empty());
    Ok(QueryReq {
        filter: Filter::Values(filter_type.clone(), values),
        filter_type,
        fields,
        batch,
        token,
    })
}

/// Runs a query on a store (`scope`: a field every result must have, e.g. the program).
pub(crate) fn run_query(s: &ObjectStore, q: &QueryReq, scope: Option<(&str, &str)>) -> ApiResult {
    if let Some(f) = &q.fields {
        s.check_fields(f)?;
    }
    let recs = s.select(&q.filter, scope)?;
    render_page(s, &recs, q)
}

/// One page of selected records, rendered with the query's fields.
pub(crate) fn render_page(s: &ObjectStore, recs: &[&Record], q: &QueryReq) -> ApiResult {
    let (items, next) = page(recs, q.batch, q.token.as_deref())?;
    let result = items
        .iter()
        .enumerate()
        .map(|(i, r)| s.render(r, q.fields.as_deref(), i))
        .collect();
    Ok(paged_ok(result, next))
}

/// A skip reason per input record for links the generic store cannot check:
/// leads (roles, custom object link fields) and the opportunity of a role.
pub(crate) fn link_checks(st: &State, kind: &str, input: &[Value]) -> Vec<Option<Value>> {
    let Some(s) = st.lead_objects.store(kind) else {
        return Vec::new();
    };
    input
        .iter()
        .map(|rec| {
            for f in &s.ty.lead_fields {
                if let Some(v) = rec.get(f).and_then(text) {
                    let known = v.parse::<i64>().is_ok_and(|id| st.leads.contains_key(&id));
                    if !known {
                        return Some(reason("1004", "Lead not found"));
                    }
                }
            }
            if kind == OPPORTUNITY_ROLE
                && let Some(o) = rec.get("externalOpportunityId")
            {
                let mut key = Map::new();
                key.insert("externalOpportunityId".into(), o.clone());
                if st
                    .lead_objects
                    .store(OPPORTUNITY)
                    .is_some_and(|s| s.find_key(&key).is_empty())
                {
                    return Some(reason("1013", "Opportunity not found"));
                }
            }
            None
        })
        .collect()
}

pub(crate) fn describe(st: &State, kind: &str) -> ApiResult {
    Ok(lead_ok(vec![store(st, kind)?.ty.describe(true)]))
}

pub(crate) fn query(st: &State, ctx: &Ctx, kind: &str) -> ApiResult {
    let q = query_req(ctx, true)?;
    run_query(store(st, kind)?, &q, None)
}

pub(crate) fn sync(st: &mut State, ctx: &Ctx, kind: &str) -> ApiResult {
    let body = ctx
        .json()?
        .ok_or_else(|| ApiError::new("701", "input cannot be blank"))?;
    let input = input_array(&body, "records")?;
    let pre = link_checks(st, kind, input);
    let now = ctx.now;
    let lo = &mut st.lead_objects;
    let mut next = lo.next;
    let first_new = next;
    let s = lo
        .store_mut(kind)
        .ok_or_else(|| ApiError::new("1013", format!("Object '{kind}' not found")))?;
    let action = body
        .get("action")
        .and_then(Value::as_str)
        .unwrap_or(s.ty.default_action);
    let dedupe_by = body
        .get("dedupeBy")
        .and_then(Value::as_str)
        .unwrap_or("dedupeFields");
    let out = s.sync(action, dedupe_by, input, &pre, &mut next, now)?;
    if kind == NAMED_ACCOUNT_LIST {
        // New lists are plain (`default`) lists.
        for r in s.records.values_mut().filter(|r| r.num >= first_new) {
            r.fields.entry("type").or_insert_with(|| "default".into());
            r.fields.entry("updateable").or_insert(Value::Bool(true));
        }
    }
    lo.next = next;
    Ok(lead_ok(out))
}

pub(crate) fn delete(st: &mut State, ctx: &Ctx, kind: &str) -> ApiResult {
    let body = ctx
        .json()?
        .ok_or_else(|| ApiError::new("701", "input cannot be blank"))?;
    let input = input_array(&body, "records")?;
    let delete_by = body
        .get("deleteBy")
        .and_then(Value::as_str)
        .unwrap_or("dedupeFields");
    let lo = &mut st.lead_objects;
    let s = lo
        .store_mut(kind)
        .ok_or_else(|| ApiError::new("1013", format!("Object '{kind}' not found")))?;
    let (out, gone) = s.delete(delete_by, input)?;
    for r in &gone {
        match kind {
            NAMED_ACCOUNT => lo.list_members.values_mut().for_each(|m| {
                m.remove(&r.guid);
            }),
            NAMED_ACCOUNT_LIST => {
                lo.list_members.remove(&r.guid);
            }
            OPPORTUNITY => {
                let ext = r.fields.get("externalOpportunityId").and_then(text);
                if let Some(roles) = lo.store_mut(OPPORTUNITY_ROLE) {
                    roles
                        .records
                        .retain(|_, x| x.fields.get("externalOpportunityId").and_then(text) != ext);
                }
            }
            _ => {}
        }
    }
    Ok(lead_ok(out))
}

/// Get … Fields: field metadata, paged by token.
pub(crate) fn schema_fields(st: &State, ctx: &Ctx, kind: &str) -> ApiResult {
    let s = store(st, kind)?;
    let (batch, token) = paging(ctx, None)?;
    let all: Vec<Value> = s.ty.fields.iter().map(|f| f.schema(true)).collect();
    let (items, next) = page(&all, batch, token.as_deref())?;
    Ok(paged_ok(items, next))
}

/// Get … Field by Name (702 for an unknown name).
pub(crate) fn schema_field(st: &State, ctx: &Ctx, kind: &str) -> ApiResult {
    let name = ctx.path.str("fieldApiName")?;
    let f = store(st, kind)?
        .ty
        .field(name)
        .ok_or_else(|| ApiError::new("702", format!("Field '{name}' not found")))?;
    Ok(lead_ok(vec![f.schema(true)]))
}

/// Handlers of one standard kind.
macro_rules! kind_handlers {
    ($m:ident, $kind:expr) => {
        mod $m {
            use super::*;
            #[allow(dead_code)]
            pub(super) fn describe(st: &mut State, _: &Ctx) -> ApiResult {
                super::describe(st, $kind)
            }
            pub(super) fn query(st: &mut State, ctx: &Ctx) -> ApiResult {
                super::query(st, ctx, $kind)
            }
            pub(super) fn sync(st: &mut State, ctx: &Ctx) -> ApiResult {
                super::sync(st, ctx, $kind)
            }
            pub(super) fn delete(st: &mut State, ctx: &Ctx) -> ApiResult {
                super::delete(st, ctx, $kind)
            }
            #[allow(dead_code)]
            pub(super) fn fields(st: &mut State, ctx: &Ctx) -> ApiResult {
                super::schema_fields(st, ctx, $kind)
            }
            #[allow(dead_code)]
            pub(super) fn field(st: &mut State, ctx: &Ctx) -> ApiResult {
                super::schema_field(st, ctx, $kind)
            }
        }
    };
}

kind_handlers!(company, COMPANY);
kind_handlers!(opportunity, OPPORTUNITY);
kind_handlers!(role, OPPORTUNITY_ROLE);
kind_handlers!(account, NAMED_ACCOUNT);
kind_handlers!(account_list, NAMED_ACCOUNT_LIST);
kind_handlers!(person, SALES_PERSON);

/// The list named in the path (1013 when unknown).
fn named_list(st: &State, ctx: &Ctx) -> Result<String, ApiError> {
    let id = ctx.path.str("id")?;
    let known = st
        .lead_objects
        .store(NAMED_ACCOUNT_LIST)
        .is_some_and(|s| s.records.values().any(|r| r.guid == id));
    if known {
        Ok(id.to_owned())
    } else {
        Err(ApiError::new(
            "1013",
            format!("Named account list '{id}' not found"),
        ))
    }
}

fn list_members(st: &mut State, ctx: &Ctx) -> ApiResult {
    let list = named_list(st, ctx)?;
    let (batch, token) = paging(ctx, None)?;
    let fields = Some(ctx.query.list("fields")).filter(|f| !f.is_empty());
    let s = store(st, NAMED_ACCOUNT)?;
    if let Some(f) = &fields {
        s.check_fields(f)?;
    }
    let members = st
        .lead_objects
        .list_members
        .get(&list)
        .cloned()
        .unwrap_or_default();
    let recs: Vec<_> = s
        .records
        .values()
        .filter(|r| members.contains(&r.guid))
        .collect();
    let (items, next) = page(&recs, batch, token.as_deref())?;
    let default = [
        "name".to_owned(),
        "createdAt".to_owned(),
        "updatedAt".to_owned(),
    ];
    let result = items
        .iter()
        .enumerate()
        .map(|(i, r)| s.render(r, Some(fields.as_deref().unwrap_or(&default)), i))
        .collect();
    Ok(paged_ok(result, next))
}

fn change_members(st: &mut State, ctx: &Ctx, add: bool) -> ApiResult {
    let list = named_list(st, ctx)?;
    let body = ctx
        .json()?
        .ok_or_else(|| ApiError::new("701", "input cannot be blank"))?;
    let input = input_array(&body, "named accounts")?;
    let accounts: Vec<String> = store(st, NAMED_ACCOUNT)?
        .records
        .values()
        .map(|r| r.guid.clone())
        .collect();
    let members = st.lead_objects.list_members.entry(list).or_default();
    let out = input
        .iter()
        .enumerate()
        .map(|(seq, item)| {
            let guid = item.get("marketoGUID").and_then(Value::as_str).unwrap_or_default().to_owned();
            let ok = if add {
                accounts.contains(&guid) && {
                    members.insert(guid.clone());
                    true
                }
            } else {
                members.remove(&guid)
            };
            if ok {
                json!({"seq": seq, "marketoGUID": guid, "status": if add { "added" } else { "removed" }})
            } else {
                let msg = if add { "Named account not found" } else { "Named account not in list" };
                json!({"seq": seq, "status": "skipped", "reasons": [reason("1013", msg)]})
            }
        })
        .collect();
    Ok(lead_ok(out))
}

fn add_members(st: &mut State, ctx: &Ctx) -> ApiResult {
    change_members(st, ctx, true)
}

fn remove_members(st: &mut State, ctx: &Ctx) -> ApiResult {
    change_members(st, ctx, false)
}

/// Every path is served as the endpoint reference spells it and, for named
/// account lists, in the camelCase of the guide's examples too.
pub(crate) const ROUTES: &[Route] = &[
    get("/rest/v1/companies/describe.json", company::describe),
    get("/rest/v1/companies.json", company::query),
    post("/rest/v1/companies.json", company::sync),
    post("/rest/v1/companies/delete.json", company::delete),
    get("/rest/v1/companies/schema/fields.json", company::fields),
    get(
        "/rest/v1/companies/schema/fields/{fieldApiName}.json",
        company::field,
    ),
    get(
        "/rest/v1/opportunities/describe.json",
        opportunity::describe,
    ),
    get("/rest/v1/opportunities.json", opportunity::query),
    post("/rest/v1/opportunities.json", opportunity::sync),
    post("/rest/v1/opportunities/delete.json", opportunity::delete),
    get(
        "/rest/v1/opportunities/schema/fields.json",
        opportunity::fields,
    ),
    get(
        "/rest/v1/opportunities/schema/fields/{fieldApiName}.json",
        opportunity::field,
    ),
    get("/rest/v1/opportunities/roles/describe.json", role::describe),
    get("/rest/v1/opportunities/roles.json", role::query),
    post("/rest/v1/opportunities/roles.json", role::sync),
    post("/rest/v1/opportunities/roles/delete.json", role::delete),
    get("/rest/v1/namedaccounts/describe.json", account::describe),
    get("/rest/v1/namedaccounts.json", account::query),
    post("/rest/v1/namedaccounts.json", account::sync),
    post("/rest/v1/namedaccounts/delete.json", account::delete),
    get("/rest/v1/namedaccounts/schema/fields.json", account::fields),
    get(
        "/rest/v1/namedaccounts/schema/fields/{fieldApiName}.json",
        account::field,
    ),
    get("/rest/v1/namedaccountlists.json", account_list::query),
    post("/rest/v1/namedaccountlists.json", account_list::sync),
    post(
        "/rest/v1/namedaccountlists/delete.json",
        account_list::delete,
    ),
    get("/rest/v1/namedAccountLists.json", account_list::query),
    post("/rest/v1/namedAccountLists.json", account_list::sync),
    post(
        "/rest/v1/namedAccountLists/delete.json",
        account_list::delete,
    ),
    get(
        "/rest/v1/namedaccountlist/{id}/namedaccounts.json",
        list_members,
    ),
    post(
        "/rest/v1/namedaccountlist/{id}/namedaccounts.json",
        add_members,
    ),
    post(
        "/rest/v1/namedaccountlist/{id}/namedaccounts/remove.json",
        remove_members,
    ),
    get(
        "/rest/v1/namedAccountList/{id}/namedAccounts.json",
        list_members,
    ),
    post(
        "/rest/v1/namedAccountList/{id}/namedAccounts.json",
        add_members,
    ),
    post(
        "/rest/v1/namedAccountList/{id}/namedAccounts/remove.json",
        remove_members,
    ),
    get("/rest/v1/salespersons/describe.json", person::describe),
    get("/rest/v1/salespersons.json", person::query),
    post("/rest/v1/salespersons.json", person::sync),
    post("/rest/v1/salespersons/delete.json", person::delete),
];
