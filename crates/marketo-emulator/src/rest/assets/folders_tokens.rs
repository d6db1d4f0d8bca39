//! Folder create/update/delete/contents, My Tokens of folders and programs,
//! and program tags (Asset API).

use serde_json::{Value, json};

use super::super::folders::folder_json;
use super::super::programs::program_json;
use super::super::router::{Route, get, post};
use super::super::{ApiError, ApiResult, Ctx, Params, asset_ok, paging};
use super::{folder_param, path_id};
use crate::state::{Folder, FolderKind, FolderRef, MyToken, State, Tag, internal_program_type};

const TOKEN_TYPES: [&str; 6] = [
    "date",
    "number",
    "rich text",
    "score",
    "sfdc campaign",
    "text",
];

fn folder_kind(
    p: &Params,
    name: &str,
    default: Option<FolderKind>,
) -> Result<FolderKind, ApiError> {
    match p.non_empty(name) {
        None => default.ok_or_else(|| ApiError::new("701", format!("{name} cannot be blank"))),
        Some(t) if t.eq_ignore_ascii_case("folder") => Ok(FolderKind::Folder),
        Some(t) if t.eq_ignore_ascii_case("program") => Ok(FolderKind::Program),
        Some(t) => Err(ApiError::new("1003", format!("Invalid {name} '{t}'"))),
    }
}

fn no_folder(id: i32) -> ApiError {
    ApiError::new("702", format!("Folder {id} not found"))
}

fn sibling_taken(st: &State, parent: Option<i32>, name: &str, except: Option<i32>) -> bool {
    st.folders
        .values()
        .any(|f| f.parent == parent && f.name == name && Some(f.id) != except)
}

/// `POST /rest/asset/v1/folders.json`: `name`, `parent`, `description`.
fn create_folder(st: &mut State, ctx: &Ctx) -> ApiResult {
    let form = ctx.form()?;
    let name = form.required("name")?.to_owned();
    let parent = folder_param(&form, "parent")?
        .ok_or_else(|| ApiError::new("701", "parent cannot be blank"))?;
    if let Some(d) = form.get("description")
        && d.chars().count() > 2000
    {
        return Err(ApiError::new(
            "1003",
            "description: at most 2000 characters",
        ));
    }
    if parent.kind == FolderKind::Program {
        st.asset_parent(parent)?;
        return Err(ApiError::new(
            "711",
            "The emulator keeps folders under folders only",
        ));
    }
    let p =
        st.folders.get(&parent.id).cloned().ok_or_else(|| {
            ApiError::new("710", format!("Parent folder {} not found", parent.id))
        })?;
    if sibling_taken(st, Some(p.id), &name, None) {
        return Err(ApiError::new(
            "709",
            format!("A folder named '{name}' already exists in folder {}", p.id),
        ));
    }
    let id = st.folders.keys().max().copied().unwrap_or(100).max(100) + 1;
    let folder_type = match (p.folder_type.as_str(), p.holds_programs) {
        ("Zone", true) => "Marketing Folder".to_owned(),
        ("Zone", false) => "Folder".to_owned(),
        (t, _) => t.to_owned(),
    };
    let f = Folder {
        id,
        name,
        description: form.get("description").map(str::to_owned),
        parent: Some(p.id),
        folder_type,
        holds_programs: p.holds_programs,
        is_system: false,
        is_archive: false,
        workspace: p.workspace.clone(),
        created_at: ctx.now,
        updated_at: ctx.now,
    };
    let v = folder_json(st, &f);
    st.folders.insert(id, f);
    Ok(asset_ok(vec![v]))
}

/// `POST /rest/asset/v1/folder/{id}.json`: `type`, `name`, `description`, `isArchive`.
fn update_folder(st: &mut State, ctx: &Ctx) -> ApiResult {
    let id = path_id(ctx)?;
    let form = ctx.form()?;
    if folder_kind(&form, "type", None)? == FolderKind::Program {
        return Err(ApiError::new(
            "709",
            "Programs cannot be updated with this call",
        ));
    }
    let mut f = st.folders.get(&id).cloned().ok_or_else(|| no_folder(id))?;
    if f.is_system {
        return Err(ApiError::new(
            "709",
            format!("Folder {id} is a system folder"),
        ));
    }
    if let Some(n) = form.non_empty("name") {
        if sibling_taken(st, f.parent, n, Some(id)) {
            return Err(ApiError::new(
                "709",
                format!("A folder named '{n}' already exists there"),
            ));
        }
        f.name = n.to_owned();
    }
    if let Some(d) = form.get("description") {
        f.description = Some(d.to_owned());
    }
    if let Some(a) = form.bool("isArchive")? {
        f.is_archive = a;
    }
    f.updated_at = ctx.now;
    let v = folder_json(st, &f);
    st.folders.insert(id, f);
    Ok(asset_ok(vec![v]))
}

/// What a folder or program directly holds, as `(id, type)`.
fn contents(st: &State, r: FolderRef) -> Vec<(i32, String)> {
    let mut out: Vec<(i32, String)> = Vec::new();
    if r.kind == FolderKind::Folder {
        out.extend(
            st.folders
                .values()
                .filter(|f| f.parent == Some(r.id))
                .map(|f| (f.id, "Folder".to_owned())),
        );
    }
    out.extend(
        st.programs
            .values()
            .filter(|p| p.folder == r)
            .map(|p| (p.id, "Program".to_owned())),
    );
    out.extend(
        st.campaigns
            .values()
            .filter(|c| c.folder == r)
            .map(|c| (c.id, "Smart Campaign".to_owned())),
    );
    if r.kind == FolderKind::Program {
        out.extend(
            st.lists
                .values()
                .filter(|l| {
                    l.program_id == Some(r.id)
                        && st
                            .assets
                            .get(crate::state::AssetKind::StaticList, l.id)
                            .is_err()
                })
                .map(|l| (l.id, "Static List".to_owned())),
        );
    }
    for kind in crate::state::AssetKind::ALL {
        out.extend(
            st.assets
                .all(kind)
                .filter(|a| a.folder == r)
                .map(|a| (a.id, kind.label().to_owned())),
        );
    }
    out
}

/// `GET /rest/asset/v1/folder/{id}/content.json`: `type`, paging.
fn get_contents(st: &mut State, ctx: &Ctx) -> ApiResult {
    let id = path_id(ctx)?;
    let kind = folder_kind(&ctx.query, "type", None)?;
    let (max, offset) = paging(&ctx.query)?;
    let r = FolderRef { id, kind };
    st.asset_parent(r).map_err(|_| no_folder(id))?;
    let result = contents(st, r)
        .into_iter()
        .skip(offset)
        .take(max)
        .map(|(id, ty)| json!({"id": id, "type": ty}))
        .collect();
    Ok(asset_ok(result))
}

/// `POST /rest/asset/v1/folder/{id}/delete.json`: only an empty, non-system folder.
fn delete_folder(st: &mut State, ctx: &Ctx) -> ApiResult {
    let id = path_id(ctx)?;
    let f = st.folders.get(&id).ok_or_else(|| no_folder(id))?;
    if f.is_system {
        return Err(ApiError::new(
            "709",
            format!("Folder {id} is a system folder"),
        ));
    }
    let r = FolderRef {
        id,
        kind: FolderKind::Folder,
    };
    if !contents(st, r).is_empty() {
        return Err(ApiError::new("709", format!("Folder {id} is not empty")));
    }
    st.folders.remove(&id);
    Ok(asset_ok(vec![json!({"id": id})]))
}

/// The tokens visible on a folder or program: its own, then inherited ones not overridden.
fn visible_tokens(st: &State, r: FolderRef) -> Vec<MyToken> {
    let mut out: Vec<MyToken> = st.assets.tokens(r).to_vec();
    let mut parent = match r.kind {
        FolderKind::Program => st.programs.get(&r.id).map(|p| p.folder),
        FolderKind::Folder => st
            .folders
            .get(&r.id)
            .and_then(|f| f.parent)
            .map(|p| FolderRef {
                id: p,
                kind: FolderKind::Folder,
            }),
    };
    let mut guard = 0;
    while let Some(p) = parent {
        guard += 1;
        if guard > 64 {
            break;
        }
        for t in st.assets.tokens(p) {
            if !out.iter().any(|o| o.name == t.name) {
                out.push(t.clone());
            }
        }
        parent = match p.kind {
            FolderKind::Folder => st
                .folders
                .get(&p.id)
                .and_then(|f| f.parent)
                .map(|x| FolderRef {
                    id: x,
                    kind: FolderKind::Folder,
                }),
            FolderKind::Program => st.programs.get(&p.id).map(|x| x.folder),
        };
    }
    out
}

fn tokens_json(st: &State, r: FolderRef, tokens: &[MyToken]) -> Value {
    let code = match r.kind {
        FolderKind::Folder => "MF",
        FolderKind::Program => "PG",
    };
    let _ = st;
    json!({
        "folder": {"type": r.kind.as_str(), "value": r.id},
        "tokens": tokens.iter().map(|t| json!({
            "name": t.name,
            "type": t.token_type,
            "value": t.value,
            "computedUrl": format!("https://app-emulator.marketo.invalid/#{code}{}C3", r.id),
        })).collect::<Vec<_>>(),
    })
}

fn token_owner(st: &State, ctx: &Ctx, p: &Params) -> Result<FolderRef, ApiError> {
    let r = FolderRef {
        id: path_id(ctx)?,
        kind: folder_kind(p, "folderType", Some(FolderKind::Folder))?,
    };
    st.asset_parent(r).map_err(|_| no_folder(r.id))?;
    Ok(r)
}

/// `GET /rest/asset/v1/folder/{id}/tokens.json`.
fn get_tokens(st: &mut State, ctx: &Ctx) -> ApiResult {
    let r = token_owner(st, ctx, &ctx.query)?;
    let tokens = visible_tokens(st, r);
    Ok(asset_ok(vec![tokens_json(st, r, &tokens)]))
}

/// `POST /rest/asset/v1/folder/{id}/tokens.json`: `name`, `type`, `value`, `folderType`.
fn create_token(st: &mut State, ctx: &Ctx) -> ApiResult {
    let form = ctx.form()?;
    let r = token_owner(st, ctx, &form)?;
    let name = form.required("name")?.to_owned();
    if name.chars().count() > 50 {
        return Err(ApiError::new("1003", "Token name: at most 50 characters"));
    }
    let ty = form.required("type")?.to_ascii_lowercase();
    if !TOKEN_TYPES.contains(&ty.as_str()) {
        return Err(ApiError::new("1003", format!("Invalid token type '{ty}'")));
    }
    let value = form.required("value")?.to_owned();
    if ty == "date" && crate::util::parse_date(&value).is_none() {
        return Err(ApiError::new(
            "1003",
            "A date token needs a yyyy-MM-dd value",
        ));
    }
    if (ty == "number" && value.parse::<f64>().is_err())
        || (ty == "score" && value.parse::<i32>().is_err())
    {
        return Err(ApiError::new(
            "1003",
            format!("Invalid {ty} value '{value}'"),
        ));
    }
    let t = MyToken {
        name: name.clone(),
        token_type: ty,
        value: value.clone(),
    };
    st.assets.set_token(r, t.clone());
    if r.kind == FolderKind::Program
        && let Some(p) = st.programs.get_mut(&r.id)
    {
        p.tokens.insert(format!("{{{{my.{name}}}}}"), value);
    }
    Ok(asset_ok(vec![tokens_json(st, r, &[t])]))
}

/// `POST /rest/asset/v1/folder/{id}/tokens/delete.json`: `name`, `type`, `folderType`.
fn delete_token(st: &mut State, ctx: &Ctx) -> ApiResult {
    let form = ctx.form()?;
    let r = token_owner(st, ctx, &form)?;
    let name = form.required("name")?.to_owned();
    let ty = form.required("type")?.to_ascii_lowercase();
    if !st.assets.remove_token(r, &name, &ty) {
        return Err(ApiError::new(
            "702",
            format!("Token '{name}' of type {ty} not found"),
        ));
    }
    if r.kind == FolderKind::Program
        && let Some(p) = st.programs.get_mut(&r.id)
    {
        p.tokens.remove(&format!("{{{{my.{name}}}}}"));
    }
    Ok(asset_ok(vec![json!({"id": r.id})]))
}

/// `POST /rest/asset/v1/program/{id}/tag/{tagType}.json`: `tagValue`.
fn update_tag(st: &mut State, ctx: &Ctx) -> ApiResult {
    let id = path_id(ctx)?;
    let tag_type = ctx.path.str("tagType")?.to_owned();
    let form = ctx.form()?;
    let value = form.required("tagValue")?.to_owned();
    let p = st
        .programs
        .get(&id)
        .ok_or_else(|| ApiError::new("702", format!("Program {id} not found")))?;
    let internal = internal_program_type(&p.program_type).unwrap_or("program");
    let tt = st
        .tag_types
        .iter()
        .find(|t| t.name == tag_type)
        .ok_or_else(|| ApiError::new("702", format!("Tag type '{tag_type}' not found")))?;
    if !tt.applicable_program_types.iter().any(|a| a == internal) {
        return Err(ApiError::new(
            "1003",
            format!("Tag type '{tag_type}' does not apply to this program"),
        ));
    }
    if !tt.values.contains(&value) {
        return Err(ApiError::new(
            "1003",
            format!("Invalid tag value '{value}' for tag type '{tag_type}'"),
        ));
    }
    let now = ctx.now;
    let p = st
        .programs
        .get_mut(&id)
        .ok_or_else(|| ApiError::new("702", "Program not found"))?;
    match p.tags.iter_mut().find(|t| t.tag_type == tag_type) {
        Some(t) => t.tag_value = value,
        None => p.tags.push(Tag {
            tag_type,
            tag_value: value,
        }),
    }
    p.updated_at = now;
    let p = p.clone();
    Ok(asset_ok(vec![program_json(st, &p, true, false)]))
}

/// `POST /rest/asset/v1/program/{id}/tag/{tagType}/delete.json`.
fn delete_tag(st: &mut State, ctx: &Ctx) -> ApiResult {
    let id = path_id(ctx)?;
    let tag_type = ctx.path.str("tagType")?.to_owned();
    let required = st
        .tag_types
        .iter()
        .any(|t| t.name == tag_type && t.required);
    let now = ctx.now;
    let p = st
        .programs
        .get_mut(&id)
        .ok_or_else(|| ApiError::new("702", format!("Program {id} not found")))?;
    if !p.tags.iter().any(|t| t.tag_type == tag_type) {
        return Err(ApiError::new(
            "702",
            format!("Program {id} has no tag '{tag_type}'"),
        ));
    }
    if required {
        return Err(ApiError::new(
            "709",
            format!("Tag type '{tag_type}' is required"),
        ));
    }
    p.tags.retain(|t| t.tag_type != tag_type);
    p.updated_at = now;
    let p = p.clone();
    Ok(asset_ok(vec![program_json(st, &p, true, false)]))
}

/// The operations of this module.
pub(crate) const ROUTES: &[Route] = &[
    post("/rest/asset/v1/folders.json", create_folder),
    post("/rest/asset/v1/folder/{id}.json", update_folder),
    get("/rest/asset/v1/folder/{id}/content.json", get_contents),
    post("/rest/asset/v1/folder/{id}/delete.json", delete_folder),
    get("/rest/asset/v1/folder/{id}/tokens.json", get_tokens),
    post("/rest/asset/v1/folder/{id}/tokens.json", create_token),
    post(
        "/rest/asset/v1/folder/{id}/tokens/delete.json",
        delete_token,
    ),
    post("/rest/asset/v1/program/{id}/tag/{tagType}.json", update_tag),
    post(
        "/rest/asset/v1/program/{id}/tag/{tagType}/delete.json",
        delete_tag,
    ),
];
