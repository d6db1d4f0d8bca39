//! Smart campaigns (asset side: by name, create, update, clone, delete,
//! activate, deactivate) and static lists seen as assets.
//!
//! A new or cloned campaign gets its own smart list (marked used by it);
//! deleting the campaign deletes that smart list. Asset static lists are the
//! lead database's lists (`State::lists`), whose asset metadata (folder,
//! description, times) lives in the asset store under the same id; a list
//! created on the lead side is shown with defaults until updated here.

use std::collections::BTreeSet;

use serde_json::{Map, Value, json};
use time::OffsetDateTime;

use super::super::campaigns::campaign_json;
use super::super::router::{Route, get, post};
use super::super::{ApiError, ApiResult, Ctx, asset_ok, paging};
use super::{folder_param, path_id};
use crate::state::{
    Asset, AssetKey, AssetKind, DEMO_TIME, FolderKind, FolderRef, SmartCampaign, State, StaticList,
    campaign_user,
};
use crate::util::asset_datetime;

fn no_campaign(id: i32) -> ApiError {
    ApiError::new("702", format!("Smart campaign {id} not found"))
}

fn check_campaign_name(
    st: &State,
    name: &str,
    folder: FolderRef,
    except: Option<i32>,
) -> Result<(), ApiError> {
    if st
        .campaigns
        .values()
        .any(|c| c.name == name && c.folder == folder && Some(c.id) != except)
    {
        return Err(ApiError::new(
            "709",
            format!("A smart campaign named '{name}' already exists there"),
        ));
    }
    Ok(())
}

/// Gives campaign `id` a smart list (a copy of `rules`).
fn attach_smart_list(st: &mut State, c: &SmartCampaign, rules: Value, now: OffsetDateTime) {
    let sl = Asset {
        id: 0,
        kind: AssetKind::SmartList,
        name: c.name.clone(),
        description: None,
        folder: c.folder,
        workspace: "Default".into(),
        created_at: now,
        updated_at: now,
        meta: Map::new(),
        content: rules,
        approved: None,
        has_draft: false,
        refs: Vec::new(),
        approved_refs: Vec::new(),
        version: 1,
    };
    let key = st.assets.insert_new(sl);
    st.assets.mark_used(key, campaign_user(c.id));
}

fn new_campaign(st: &mut State, ctx: &Ctx, source: Option<i32>) -> ApiResult {
    let form = ctx.form()?;
    let name = form.required("name")?.to_owned();
    let folder = folder_param(&form, "folder")?
        .ok_or_else(|| ApiError::new("701", "folder cannot be blank"))?;
    if let Some(d) = form.get("description")
        && d.chars().count() > 2000
    {
        return Err(ApiError::new(
            "1003",
            "description: at most 2000 characters",
        ));
    }
    let src = match source {
        Some(id) => Some(
            st.campaigns
                .get(&id)
                .cloned()
                .ok_or_else(|| no_campaign(id))?,
        ),
        None => None,
    };
    st.asset_parent(folder)?;
    check_campaign_name(st, &name, folder, None)?;
    let id = st.next_campaign_id;
    st.next_campaign_id += 1;
    let now = ctx.now;
    let description = form.get("description").map(str::to_owned);
    let c = SmartCampaign {
        id,
        name,
        description: description
            .or_else(|| src.as_ref().map(|s| s.description.clone()))
            .unwrap_or_default(),
        campaign_type: src
            .as_ref()
            .map_or_else(|| "batch".to_owned(), |s| s.campaign_type.clone()),
        is_active: false,
        is_requestable: false,
        program_id: (folder.kind == FolderKind::Program).then_some(folder.id),
        folder,
        status: if src.is_some() {
            "Inactive"
        } else {
            "Never Run"
        }
        .to_owned(),
        created_at: now,
        updated_at: now,
    };
    let rules = src
        .as_ref()
        .and_then(|s| {
            let key = st
                .assets
                .used_by_external(&campaign_user(s.id))
                .into_iter()
                .next()?;
            Some(st.assets.get(key.kind, key.id).ok()?.content.clone())
        })
        .unwrap_or_else(|| json!({"filterMatchType": "all", "triggers": [], "filters": []}));
    attach_smart_list(st, &c, rules, now);
    st.campaigns.insert(id, c);
    let c = &st.campaigns[&id];
    Ok(asset_ok(vec![campaign_json(st, c)]))
}

/// `GET /rest/asset/v1/smartCampaign/byName.json`.
fn campaign_by_name(st: &mut State, ctx: &Ctx) -> ApiResult {
    let name = ctx.query.required("name")?;
    let found: Vec<Value> = st
        .campaigns
        .values()
        .filter(|c| c.name == name)
        .take(1)
        .map(|c| campaign_json(st, c))
        .collect();
    Ok(asset_ok(found))
}

/// `POST /rest/asset/v1/smartCampaign/{id}.json`: `name`, `description`.
fn update_campaign(st: &mut State, ctx: &Ctx) -> ApiResult {
    let id = path_id(ctx)?;
    let form = ctx.form()?;
    let c = st
        .campaigns
        .get(&id)
        .cloned()
        .ok_or_else(|| no_campaign(id))?;
    if let Some(n) = form.non_empty("name") {
        check_campaign_name(st, n, c.folder, Some(id))?;
    }
    let now = ctx.now;
    let c = st.campaigns.get_mut(&id).ok_or_else(|| no_campaign(id))?;
    if let Some(n) = form.non_empty("name") {
        c.name = n.to_owned();
    }
    if let Some(d) = form.get("description") {
        c.description = d.to_owned();
    }
    c.updated_at = now;
    let c = &st.campaigns[&id];
    Ok(asset_ok(vec![campaign_json(st, c)]))
}

/// `POST /rest/asset/v1/smartCampaign/{id}/delete.json`.
fn delete_campaign(st: &mut State, ctx: &Ctx) -> ApiResult {
    let id = path_id(ctx)?;
    let c = st.campaigns.get(&id).ok_or_else(|| no_campaign(id))?;
    if c.is_active {
        return Err(ApiError::new(
            "709",
            format!("Smart campaign {id} is active: deactivate it first"),
        ));
    }
    let owner = campaign_user(id);
    for key in st.assets.used_by_external(&owner) {
        st.assets.unmark_used(key, &owner);
        let _ = st.assets.delete(key.kind, key.id);
    }
    st.campaigns.remove(&id);
    Ok(asset_ok(vec![json!({"id": id})]))
}

/// `POST /rest/asset/v1/smartCampaign/{id}/activate.json` and `deactivate.json`.
fn set_active(st: &mut State, ctx: &Ctx, active: bool) -> ApiResult {
    let id = path_id(ctx)?;
    let now = ctx.now;
    let c = st.campaigns.get_mut(&id).ok_or_else(|| no_campaign(id))?;
    if active {
        if c.campaign_type != "trigger" {
            return Err(ApiError::new(
                "709",
                format!("Smart campaign {id} has no trigger and cannot be activated"),
            ));
        }
        if c.is_active {
            return Err(ApiError::new(
                "709",
                format!("Smart campaign {id} is already active"),
            ));
        }
        c.status = "Active".into();
    } else {
        if !c.is_active {
            return Err(ApiError::new(
                "709",
                format!("Smart campaign {id} is not active"),
            ));
        }
        c.status = "Inactive".into();
        c.is_requestable = false;
    }
    c.is_active = active;
    c.updated_at = now;
    Ok(asset_ok(vec![json!({"id": id})]))
}

// ----- static lists -----

const SL: AssetKind = AssetKind::StaticList;

/// The asset view of a lead-database list.
fn list_json(st: &State, l: &StaticList) -> Value {
    let meta = st.assets.get(SL, l.id).ok();
    let folder = meta.map(|a| a.folder).unwrap_or(match l.program_id {
        Some(p) => FolderRef {
            id: p,
            kind: FolderKind::Program,
        },
        None => FolderRef {
            id: 1,
            kind: FolderKind::Folder,
        },
    });
    let mut v = json!({
        "id": l.id,
        "name": l.name,
        "createdAt": asset_datetime(meta.map_or(DEMO_TIME, |a| a.created_at)),
        "updatedAt": asset_datetime(meta.map_or(DEMO_TIME, |a| a.updated_at)),
        "folder": {"id": folder.id, "type": folder.kind.as_str()},
        "computedUrl": format!("https://app-emulator.marketo.invalid/#ST{}A1", l.id),
        "workspace": meta.map_or("Default", |a| a.workspace.as_str()),
    });
    if let (Some(d), Some(o)) = (meta.and_then(|a| a.description.clone()), v.as_object_mut()) {
        o.insert("description".into(), json!(d));
    }
    v
}

fn list_meta(st: &State, l: &StaticList) -> Asset {
    if let Ok(a) = st.assets.get(SL, l.id) {
        return a.clone();
    }
    Asset {
        id: l.id,
        kind: SL,
        name: l.name.clone(),
        description: None,
        folder: l.program_id.map_or(
            FolderRef {
                id: 1,
                kind: FolderKind::Folder,
            },
            |p| FolderRef {
                id: p,
                kind: FolderKind::Program,
            },
        ),
        workspace: "Default".into(),
        created_at: DEMO_TIME,
        updated_at: DEMO_TIME,
        meta: Map::new(),
        content: Value::Null,
        approved: None,
        has_draft: false,
        refs: Vec::new(),
        approved_refs: Vec::new(),
        version: 1,
    }
}

fn no_list(id: i32) -> ApiError {
    ApiError::new("702", format!("Static list {id} not found"))
}

fn list_name_taken(st: &State, name: &str, except: Option<i32>) -> Result<(), ApiError> {
    if st
        .lists
        .values()
        .any(|l| l.name == name && Some(l.id) != except)
    {
        return Err(ApiError::new(
            "709",
            format!("Static list name '{name}' is already in use"),
        ));
    }
    Ok(())
}

/// `GET /rest/asset/v1/staticLists.json`.
fn browse_lists(st: &mut State, ctx: &Ctx) -> ApiResult {
    let q = &ctx.query;
    let (max, offset) = paging(q)?;
    let folder = folder_param(q, "folder")?;
    let earliest = q.date("earliestUpdatedAt")?;
    let latest = q.date("latestUpdatedAt")?;
    let result = st
        .lists
        .values()
        .map(|l| (l, list_meta(st, l)))
        .filter(|(_, m)| folder.is_none_or(|f| m.folder == f))
        .filter(|(_, m)| earliest.is_none_or(|e| m.updated_at >= e))
        .filter(|(_, m)| latest.is_none_or(|e| m.updated_at <= e))
        .skip(offset)
        .take(max)
        .map(|(l, _)| list_json(st, l))
        .collect();
    Ok(asset_ok(result))
}

/// `GET /rest/asset/v1/staticList/{id}.json`.
fn list_by_id(st: &mut State, ctx: &Ctx) -> ApiResult {
    let id = path_id(ctx)?;
    let l = st.lists.get(&id).ok_or_else(|| no_list(id))?;
    Ok(asset_ok(vec![list_json(st, l)]))
}

/// `GET /rest/asset/v1/staticList/byName.json`.
fn list_by_name(st: &mut State, ctx: &Ctx) -> ApiResult {
    let name = ctx.query.required("name")?;
    let found = st
        .lists
        .values()
        .find(|l| l.name == name)
        .map(|l| list_json(st, l));
    Ok(asset_ok(found.into_iter().collect()))
}

/// `POST /rest/asset/v1/staticLists.json`: `name`, `folder`, `description`.
fn create_list(st: &mut State, ctx: &Ctx) -> ApiResult {
    let form = ctx.form()?;
    let name = form.required("name")?.to_owned();
    let folder = folder_param(&form, "folder")?
        .ok_or_else(|| ApiError::new("701", "folder cannot be blank"))?;
    let workspace = st.asset_parent(folder)?;
    list_name_taken(st, &name, None)?;
    let id = st
        .next_list_id
        .max(st.lists.keys().max().map_or(0, |m| m + 1));
    st.next_list_id = id + 1;
    let l = StaticList {
        id,
        name: name.clone(),
        program_id: (folder.kind == FolderKind::Program).then_some(folder.id),
        members: BTreeSet::new(),
    };
    let mut meta = list_meta(st, &l);
    meta.folder = folder;
    meta.workspace = workspace;
    meta.description = form.get("description").map(str::to_owned);
    meta.created_at = ctx.now;
    meta.updated_at = ctx.now;
    st.assets.insert(meta);
    st.lists.insert(id, l);
    let l = &st.lists[&id];
    Ok(asset_ok(vec![list_json(st, l)]))
}

/// `POST /rest/asset/v1/staticList/{id}.json`: `name`, `description`.
fn update_list(st: &mut State, ctx: &Ctx) -> ApiResult {
    let id = path_id(ctx)?;
    let form = ctx.form()?;
    let l = st.lists.get(&id).cloned().ok_or_else(|| no_list(id))?;
    let mut meta = list_meta(st, &l);
    if let Some(n) = form.non_empty("name") {
        list_name_taken(st, n, Some(id))?;
        meta.name = n.to_owned();
        if let Some(x) = st.lists.get_mut(&id) {
            x.name = n.to_owned();
        }
    }
    if let Some(d) = form.get("description") {
        meta.description = Some(d.to_owned());
    }
    meta.updated_at = ctx.now;
    st.assets.insert(meta);
    let l = &st.lists[&id];
    Ok(asset_ok(vec![list_json(st, l)]))
}

/// `POST /rest/asset/v1/staticList/{id}/delete.json`: refused while used.
fn delete_list(st: &mut State, ctx: &Ctx) -> ApiResult {
    let id = path_id(ctx)?;
    if !st.lists.contains_key(&id) {
        return Err(no_list(id));
    }
    st.assets.check_unused(AssetKey::new(SL, id), "delete")?;
    let _ = st.assets.delete(SL, id);
    st.lists.remove(&id);
    Ok(asset_ok(vec![json!({"id": id})]))
}

/// The operations of this module.
pub(crate) const ROUTES: &[Route] = &[
    get("/rest/asset/v1/smartCampaign/byName.json", campaign_by_name),
    post("/rest/asset/v1/smartCampaigns.json", |st, ctx| {
        new_campaign(st, ctx, None)
    }),
    post("/rest/asset/v1/smartCampaign/{id}.json", update_campaign),
    post("/rest/asset/v1/smartCampaign/{id}/clone.json", |st, ctx| {
        new_campaign(st, ctx, Some(path_id(ctx)?))
    }),
    post(
        "/rest/asset/v1/smartCampaign/{id}/delete.json",
        delete_campaign,
    ),
    post(
        "/rest/asset/v1/smartCampaign/{id}/activate.json",
        |st, ctx| set_active(st, ctx, true),
    ),
    post(
        "/rest/asset/v1/smartCampaign/{id}/deactivate.json",
        |st, ctx| set_active(st, ctx, false),
    ),
    get("/rest/asset/v1/staticLists.json", browse_lists),
    post("/rest/asset/v1/staticLists.json", create_list),
    get("/rest/asset/v1/staticList/byName.json", list_by_name),
    get("/rest/asset/v1/staticList/{id}.json", list_by_id),
    post("/rest/asset/v1/staticList/{id}.json", update_list),
    post("/rest/asset/v1/staticList/{id}/delete.json", delete_list),
];
