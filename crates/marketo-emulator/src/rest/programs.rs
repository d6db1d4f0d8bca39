//! Programs (Asset API).

use serde_json::{Value, json};

use super::router::{Route, get, post};
use super::{ApiError, ApiResult, Ctx, Params, asset_ok, form_json, paging};
use crate::state::{Cost, FolderKind, FolderRef, Program, State, Tag, internal_program_type};
use crate::util::{self, asset_datetime, parse_date, parse_datetime};

const MAX_NAME: usize = 255;

/// The JSON of a program.
pub(crate) fn program_json(st: &State, p: &Program, tags: bool, costs: bool) -> Value {
    let folder_name = match p.folder.kind {
        FolderKind::Folder => st.folders.get(&p.folder.id).map(|f| f.name.clone()),
        FolderKind::Program => st.programs.get(&p.folder.id).map(|f| f.name.clone()),
    };
    let prefix = match p.program_type.as_str() {
        "Email" => "EBP",
        "Engagement" => "NP",
        "Event" | "Event with Webinar" => "ME",
        _ => "PG",
    };
    let mut v = json!({
        "id": p.id,
        "name": p.name,
        "description": p.description,
        "createdAt": asset_datetime(p.created_at),
        "updatedAt": asset_datetime(p.updated_at),
        "url": format!("https://app-emulator.marketo.invalid/#{prefix}{}A1", p.id),
        "type": p.program_type,
        "channel": p.channel,
        "folder": {
            "type": p.folder.kind.as_str(),
            "value": p.folder.id,
            "folderName": folder_name.unwrap_or_default(),
        },
        "status": p.status,
        "workspace": p.workspace,
        "headStart": false,
    });
    if let Some(obj) = v.as_object_mut() {
        if tags {
            let t: Vec<Value> = p
                .tags
                .iter()
                .map(|t| json!({"tagType": t.tag_type, "tagValue": t.tag_value}))
                .collect();
            obj.insert(
                "tags".into(),
                if t.is_empty() {
                    Value::Null
                } else {
                    Value::from(t)
                },
            );
        }
        if costs {
            let c: Vec<Value> = p.costs.iter().map(cost_json).collect();
            obj.insert(
                "costs".into(),
                if c.is_empty() {
                    Value::Null
                } else {
                    Value::from(c)
                },
            );
        }
        if let Some(d) = p.start_date {
            obj.insert("startDate".into(), Value::from(asset_datetime(d)));
        }
        if let Some(d) = p.end_date {
            obj.insert("endDate".into(), Value::from(asset_datetime(d)));
        }
    }
    v
}

fn cost_json(c: &Cost) -> Value {
    let mut v = json!({"startDate": c.start_date, "cost": c.cost});
    if let (Some(note), Some(obj)) = (&c.note, v.as_object_mut()) {
        obj.insert("note".into(), Value::from(note.clone()));
    }
    v
}

fn no_program(id: i32) -> ApiError {
    ApiError::new("702", format!("Program with id {id} not found"))
}

/// Validates a folder reference given as JSON (`{"id":…,"type":"Folder"|"Program"}`).
pub(crate) fn parse_folder_ref(v: &Value) -> Result<FolderRef, ApiError> {
    let id = v
        .get("id")
        .and_then(Value::as_i64)
        .and_then(|i| i32::try_from(i).ok())
        .ok_or_else(|| ApiError::new("1003", "Invalid folder: 'id' must be an integer"))?;
    let kind = match v.get("type").and_then(Value::as_str) {
        Some(t) if t.eq_ignore_ascii_case("folder") => FolderKind::Folder,
        Some(t) if t.eq_ignore_ascii_case("program") => FolderKind::Program,
        _ => {
            return Err(ApiError::new(
                "1003",
                "Invalid folder: 'type' must be Folder or Program",
            ));
        }
    };
    Ok(FolderRef { id, kind })
}

/// Checks that a folder exists (710) and can hold programs (711).
fn program_parent(st: &State, f: FolderRef) -> Result<FolderRef, ApiError> {
    match f.kind {
        FolderKind::Folder => match st.folders.get(&f.id) {
            None => Err(ApiError::new(
                "710",
                format!("Parent folder {} not found", f.id),
            )),
            Some(folder) if !folder.holds_programs => Err(ApiError::new(
                "711",
                format!("Folder {} cannot contain programs", f.id),
            )),
            Some(_) => Ok(f),
        },
        FolderKind::Program => {
            if st.programs.contains_key(&f.id) {
                Err(ApiError::new(
                    "711",
                    "A program cannot be created inside another program",
                ))
            } else {
                Err(ApiError::new(
                    "710",
                    format!("Parent folder {} not found", f.id),
                ))
            }
        }
    }
}

fn required_folder(form: &Params) -> Result<FolderRef, ApiError> {
    let v =
        form_json(form, "folder")?.ok_or_else(|| ApiError::new("701", "folder cannot be blank"))?;
    parse_folder_ref(&v)
}

fn check_name(st: &State, name: &str, except: Option<i32>) -> Result<(), ApiError> {
    if name.chars().count() > MAX_NAME {
        return Err(ApiError::new(
            "1003",
            format!("Name is too long: at most {MAX_NAME} characters"),
        ));
    }
    if let Some(id) = st.program_names.get(name)
        && Some(*id) != except
    {
        return Err(ApiError::new(
            "709",
            format!("Program name '{name}' is already in use"),
        ));
    }
    Ok(())
}

fn parse_tags(st: &State, form: &Params, program_type: &str) -> Result<Option<Vec<Tag>>, ApiError> {
    let Some(v) = form_json(form, "tags")? else {
        return Ok(None);
    };
    let arr = v
        .as_array()
        .ok_or_else(|| ApiError::new("1003", "Invalid tags: an array is expected"))?;
    let internal = internal_program_type(program_type).unwrap_or("program");
    let mut out = Vec::new();
    for item in arr {
        let tag_type = item.get("tagType").and_then(Value::as_str);
        let tag_value = item.get("tagValue").and_then(Value::as_str);
        let (Some(tag_type), Some(tag_value)) = (tag_type, tag_value) else {
            return Err(ApiError::new(
                "1003",
                "Invalid tags: each tag needs tagType and tagValue",
            ));
        };
        let Some(tt) = st.tag_types.iter().find(|t| t.name == tag_type) else {
            return Err(ApiError::new(
                "1003",
                format!("Invalid tag type '{tag_type}'"),
            ));
        };
        if !tt.applicable_program_types.iter().any(|a| a == internal) {
            return Err(ApiError::new(
                "1003",
                format!("Tag type '{tag_type}' does not apply to {program_type} programs"),
            ));
        }
        if !tt.values.iter().any(|v| v == tag_value) {
            return Err(ApiError::new(
                "1003",
                format!("Invalid tag value '{tag_value}' for tag type '{tag_type}'"),
            ));
        }
        out.push(Tag {
            tag_type: tag_type.to_owned(),
            tag_value: tag_value.to_owned(),
        });
    }
    Ok(Some(out))
}

fn parse_costs(form: &Params) -> Result<Option<Vec<Cost>>, ApiError> {
    let Some(v) = form_json(form, "costs")? else {
        return Ok(None);
    };
    let arr = v
        .as_array()
        .ok_or_else(|| ApiError::new("1003", "Invalid costs: an array is expected"))?;
    let mut out = Vec::new();
    for item in arr {
        let start = item
            .get("startDate")
            .and_then(Value::as_str)
            .ok_or_else(|| ApiError::new("1003", "Invalid costs: startDate is required"))?;
        if parse_date(start).is_none() {
            return Err(ApiError::new(
                "1003",
                format!("Invalid costs: bad startDate '{start}' (yyyy-MM-dd expected)"),
            ));
        }
        let cost = item
            .get("cost")
            .and_then(|c| {
                c.as_i64()
                    .or_else(|| c.as_str().and_then(|s| s.parse().ok()))
            })
            .ok_or_else(|| ApiError::new("1003", "Invalid costs: cost must be an integer"))?;
        let note = item.get("note").and_then(Value::as_str).map(str::to_owned);
        out.push(Cost {
            start_date: start.to_owned(),
            cost,
            note,
        });
    }
    Ok(Some(out))
}

fn parse_date_field(form: &Params, name: &str) -> Result<Option<time::OffsetDateTime>, ApiError> {
    match form.non_empty(name) {
        None => Ok(None),
        Some(v) => parse_datetime(v)
            .map(Some)
            .ok_or_else(|| ApiError::new("1003", format!("Invalid date-time for {name}: '{v}'"))),
    }
}

/// `GET /rest/asset/v1/programs.json`.
pub(crate) fn browse(st: &mut State, ctx: &Ctx) -> ApiResult {
    let q = &ctx.query;
    let (max, offset) = paging(q)?;
    let status = q.non_empty("status");
    if let Some(s) = status
        && !matches!(s, "on" | "off" | "unlocked")
    {
        return Err(ApiError::new(
            "1003",
            format!("Invalid status filter '{s}'"),
        ));
    }
    let earliest = q.date("earliestUpdatedAt")?;
    let latest = q.date("latestUpdatedAt")?;
    let filter_type = q.non_empty("filterType");
    let filter_values = q.list("filterValues");
    if let Some(ft) = filter_type {
        if !matches!(ft, "id" | "programId" | "folderId" | "workspace") {
            return Err(ApiError::new("1003", format!("Invalid filterType '{ft}'")));
        }
        if filter_values.is_empty() {
            return Err(ApiError::new("701", "filterValues cannot be blank"));
        }
    }
    let result: Vec<Value> = st
        .programs
        .values()
        .filter(|p| status.is_none_or(|s| p.status == s))
        .filter(|p| earliest.is_none_or(|e| p.updated_at >= e))
        .filter(|p| latest.is_none_or(|l| p.updated_at <= l))
        .filter(|p| match filter_type {
            Some("id") | Some("programId") => filter_values.iter().any(|v| *v == p.id.to_string()),
            Some("folderId") => filter_values.iter().any(|v| *v == p.folder.id.to_string()),
            Some("workspace") => filter_values.contains(&p.workspace),
            _ => true,
        })
        .skip(offset)
        .take(max)
        .map(|p| program_json(st, p, false, false))
        .collect();
    Ok(asset_ok(result))
}

/// `POST /rest/asset/v1/programs.json`.
pub(crate) fn create(st: &mut State, ctx: &Ctx) -> ApiResult {
    let form = ctx.form()?;
    let name = form.required("name")?.to_owned();
    let folder = required_folder(&form)?;
    let program_type = form.required("type")?.to_owned();
    let channel = form.required("channel")?.to_owned();
    let Some(internal) = internal_program_type(&program_type) else {
        return Err(ApiError::new(
            "1003",
            format!("Invalid program type '{program_type}'"),
        ));
    };
    if !st
        .channels
        .iter()
        .any(|c| c.name == channel && c.applicable_program_type == internal)
    {
        return Err(ApiError::new(
            "1003",
            format!("Invalid channel '{channel}' for program type '{program_type}'"),
        ));
    }
    check_name(st, &name, None)?;
    let folder = program_parent(st, folder)?;
    let tags = parse_tags(st, &form, &program_type)?.unwrap_or_default();
    let costs = parse_costs(&form)?.unwrap_or_default();
    let (start, end) = if program_type == "Email" {
        (
            parse_date_field(&form, "startDate")?,
            parse_date_field(&form, "endDate")?,
        )
    } else {
        (None, None)
    };
    let now = ctx.now;
    let id = st.next_program_id;
    st.next_program_id += 1;
    let status = match program_type.as_str() {
        "Engagement" => "off",
        "Email" => "unlocked",
        _ => "",
    };
    let folder_ws = st
        .folders
        .get(&folder.id)
        .map(|f| f.workspace.clone())
        .unwrap_or_else(|| "Default".into());
    let p = Program {
        id,
        name,
        description: form.get("description").unwrap_or("").to_owned(),
        program_type,
        channel,
        folder,
        status: status.to_owned(),
        workspace: folder_ws,
        tags,
        costs,
        start_date: start,
        end_date: end,
        tokens: Default::default(),
        created_at: now,
        updated_at: now,
    };
    let v = program_json(st, &p, true, true);
    st.insert_program(p);
    Ok(asset_ok(vec![v]))
}

/// `GET /rest/asset/v1/program/{id}.json`.
pub(crate) fn get_by_id(st: &mut State, id: i32) -> ApiResult {
    let p = st.programs.get(&id).ok_or_else(|| no_program(id))?;
    Ok(asset_ok(vec![program_json(st, p, true, true)]))
}

/// `GET /rest/asset/v1/program/byName.json`.
pub(crate) fn by_name(st: &mut State, ctx: &Ctx) -> ApiResult {
    let name = ctx.query.required("name")?;
    let tags = ctx.query.bool("includeTags")?.unwrap_or(false);
    let costs = ctx.query.bool("includeCosts")?.unwrap_or(false);
    let p = st
        .program_by_name(name)
        .ok_or_else(|| ApiError::new("702", format!("Program '{name}' not found")))?;
    Ok(asset_ok(vec![program_json(st, p, tags, costs)]))
}

/// `GET /rest/asset/v1/program/byTag.json` (random order).
pub(crate) fn by_tag(st: &mut State, ctx: &Ctx) -> ApiResult {
    let tag_type = ctx.query.required("tagType")?;
    let tag_value = ctx.query.required("tagValue")?;
    let (max, offset) = paging(&ctx.query)?;
    let mut matching: Vec<&Program> = st
        .programs
        .values()
        .filter(|p| {
            p.tags
                .iter()
                .any(|t| t.tag_type == tag_type && t.tag_value == tag_value)
        })
        .collect();
    util::shuffle(&mut matching);
    let result = matching
        .into_iter()
        .skip(offset)
        .take(max)
        .map(|p| program_json(st, p, true, false))
        .collect();
    Ok(asset_ok(result))
}

/// `POST /rest/asset/v1/program/{id}.json`.
pub(crate) fn update(st: &mut State, ctx: &Ctx, id: i32) -> ApiResult {
    let form = ctx.form()?;
    let current = st
        .programs
        .get(&id)
        .cloned()
        .ok_or_else(|| no_program(id))?;
    for (field, value) in [
        ("type", &current.program_type),
        ("channel", &current.channel),
    ] {
        if let Some(v) = form.non_empty(field)
            && v != value.as_str()
        {
            return Err(ApiError::new(
                "1003",
                format!("Program {field} cannot be changed after creation"),
            ));
        }
    }
    let mut p = current;
    if let Some(name) = form.non_empty("name") {
        check_name(st, name, Some(id))?;
        p.name = name.to_owned();
    }
    if let Some(d) = form.get("description") {
        p.description = d.to_owned();
    }
    if let Some(tags) = parse_tags(st, &form, &p.program_type)? {
        for t in tags {
            match p.tags.iter_mut().find(|x| x.tag_type == t.tag_type) {
                Some(existing) => existing.tag_value = t.tag_value,
                None => p.tags.push(t),
            }
        }
    }
    let destructive = form.bool("costsDestructiveUpdate")?.unwrap_or(false);
    let costs = parse_costs(&form)?;
    if destructive {
        p.costs = costs.unwrap_or_default();
    } else if let Some(c) = costs {
        p.costs.extend(c);
    }
    let start = parse_date_field(&form, "startDate")?;
    let end = parse_date_field(&form, "endDate")?;
    if start.is_some() || end.is_some() {
        if p.program_type != "Email" {
            return Err(ApiError::new(
                "1003",
                "startDate and endDate apply to Email programs only",
            ));
        }
        if start.is_some() {
            p.start_date = start;
        }
        if end.is_some() {
            p.end_date = end;
        }
    }
    p.updated_at = ctx.now;
    let v = program_json(st, &p, true, true);
    st.insert_program(p);
    Ok(asset_ok(vec![v]))
}

/// `POST /rest/asset/v1/program/{id}/approve.json` and `unapprove.json`.
pub(crate) fn approve(st: &mut State, ctx: &Ctx, id: i32, approve: bool) -> ApiResult {
    let now = ctx.now;
    let p = st.programs.get_mut(&id).ok_or_else(|| no_program(id))?;
    if p.program_type != "Email" {
        return Err(ApiError::new(
            "709",
            format!(
                "Only Email programs can be {}d; program {id} is a {} program",
                if approve { "approve" } else { "unapprove" },
                p.program_type
            ),
        ));
    }
    if approve {
        if p.status == "locked" {
            return Err(ApiError::new("709", "Program is already approved"));
        }
        if p.start_date.is_none() || p.end_date.is_none() {
            return Err(ApiError::new(
                "709",
                "Cannot approve: the program needs a startDate and an endDate",
            ));
        }
        p.status = "locked".into();
    } else {
        if p.status != "locked" {
            return Err(ApiError::new("709", "Program is not approved"));
        }
        p.status = "unlocked".into();
    }
    p.updated_at = now;
    Ok(asset_ok(vec![json!({"id": id})]))
}

/// `POST /rest/asset/v1/program/{id}/clone.json`.
pub(crate) fn clone(st: &mut State, ctx: &Ctx, id: i32) -> ApiResult {
    let form = ctx.form()?;
    if !st.programs.contains_key(&id) {
        return Err(no_program(id));
    }
    let name = form.required("name")?.to_owned();
    let folder = required_folder(&form)?;
    check_name(st, &name, None)?;
    let folder = program_parent(st, folder)?;
    let description = form.get("description").map(str::to_owned);
    let new_id = st
        .clone_program(id, &name, folder, description)
        .ok_or_else(|| no_program(id))?;
    let p = st.programs.get(&new_id).ok_or_else(|| no_program(new_id))?;
    Ok(asset_ok(vec![program_json(st, p, true, true)]))
}

/// `POST /rest/asset/v1/program/{id}/delete.json`.
pub(crate) fn delete(st: &mut State, id: i32) -> ApiResult {
    st.remove_program(id).ok_or_else(|| no_program(id))?;
    Ok(asset_ok(vec![json!({"id": id})]))
}

/// The operations of this module.
pub(crate) const ROUTES: &[Route] = &[
    get("/rest/asset/v1/programs.json", browse),
    post("/rest/asset/v1/programs.json", create),
    get("/rest/asset/v1/program/byName.json", by_name),
    get("/rest/asset/v1/program/byTag.json", by_tag),
    get("/rest/asset/v1/program/{id}.json", |st, ctx| {
        get_by_id(st, ctx.path.int("id")?)
    }),
    post("/rest/asset/v1/program/{id}.json", |st, ctx| {
        update(st, ctx, ctx.path.int("id")?)
    }),
    post("/rest/asset/v1/program/{id}/approve.json", |st, ctx| {
        approve(st, ctx, ctx.path.int("id")?, true)
    }),
    post("/rest/asset/v1/program/{id}/unapprove.json", |st, ctx| {
        approve(st, ctx, ctx.path.int("id")?, false)
    }),
    post("/rest/asset/v1/program/{id}/clone.json", |st, ctx| {
        clone(st, ctx, ctx.path.int("id")?)
    }),
    post("/rest/asset/v1/program/{id}/delete.json", |st, ctx| {
        delete(st, ctx.path.int("id")?)
    }),
];
