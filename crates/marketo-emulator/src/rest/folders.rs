//! Folders (Asset API). Programs also appear as folders of type `Program`.

use serde_json::{Value, json};

use super::router::{Route, get};
use super::{ApiError, ApiResult, Ctx, asset_ok, form_json, paging};
use crate::rest::programs::parse_folder_ref;
use crate::state::{Folder, FolderKind, FolderRef, Program, State};
use crate::util::asset_datetime;

pub(crate) fn folder_json(st: &State, f: &Folder) -> Value {
    let mut v = json!({
        "id": f.id,
        "name": f.name,
        "description": f.description,
        "createdAt": asset_datetime(f.created_at),
        "updatedAt": asset_datetime(f.updated_at),
        "url": if f.is_system { Value::Null } else {
            Value::from(format!("https://app-emulator.marketo.invalid/#MF{}A1", f.id))
        },
        "folderId": {"id": f.id, "type": "Folder"},
        "folderType": f.folder_type,
        "path": st.folder_path(f.id),
        "isArchive": f.is_archive,
        "isSystem": f.is_system,
        "accessZoneId": 1,
        "workspace": f.workspace,
    });
    // A root area has no parent: the member is left out.
    if let (Some(p), Some(o)) = (f.parent, v.as_object_mut()) {
        o.insert("parent".into(), json!({"id": p, "type": "Folder"}));
    }
    v
}

fn program_folder_json(st: &State, p: &Program) -> Value {
    let parent_path = match p.folder.kind {
        FolderKind::Folder => st.folder_path(p.folder.id),
        FolderKind::Program => String::new(),
    };
    json!({
        "id": p.id,
        "name": p.name,
        "description": p.description,
        "createdAt": asset_datetime(p.created_at),
        "updatedAt": asset_datetime(p.updated_at),
        "url": format!("https://app-emulator.marketo.invalid/#PG{}A1", p.id),
        "folderId": {"id": p.id, "type": "Program"},
        "folderType": "Program",
        "parent": {"id": p.folder.id, "type": p.folder.kind.as_str()},
        "path": format!("{parent_path}/{}", p.name),
        "isArchive": false,
        "isSystem": false,
        "accessZoneId": 1,
        "workspace": p.workspace,
    })
}

/// Entries (folders, then programs) under `root` down to `max_depth`, root included.
fn collect(st: &State, root: FolderRef, max_depth: u32, out: &mut Vec<Value>) {
    match root.kind {
        FolderKind::Program => {
            if let Some(p) = st.programs.get(&root.id) {
                out.push(program_folder_json(st, p));
            }
        }
        FolderKind::Folder => {
            let mut level = vec![root.id];
            if let Some(f) = st.folders.get(&root.id) {
                out.push(folder_json(st, f));
            }
            for _ in 0..max_depth {
                let mut next = Vec::new();
                for parent in &level {
                    for f in st.folders.values().filter(|f| f.parent == Some(*parent)) {
                        out.push(folder_json(st, f));
                        next.push(f.id);
                    }
                    for p in st
                        .programs
                        .values()
                        .filter(|p| p.folder.kind == FolderKind::Folder && p.folder.id == *parent)
                    {
                        out.push(program_folder_json(st, p));
                    }
                }
                if next.is_empty() {
                    break;
                }
                level = next;
            }
        }
    }
}

/// `GET /rest/asset/v1/folders.json`.
pub(crate) fn browse(st: &mut State, ctx: &Ctx) -> ApiResult {
    let q = &ctx.query;
    let (max, offset) = paging(q)?;
    let max_depth: i64 = q.int("maxDepth")?.unwrap_or(2);
    if max_depth < 0 {
        return Err(ApiError::new("1003", "maxDepth must not be negative"));
    }
    let max_depth = u32::try_from(max_depth.min(64)).unwrap_or(2);
    let workspace = q.non_empty("workSpace");
    let mut out = Vec::new();
    match form_json(q, "root")? {
        Some(v) => {
            let root = parse_folder_ref(&v)?;
            let exists = match root.kind {
                FolderKind::Folder => st.folders.contains_key(&root.id),
                FolderKind::Program => st.programs.contains_key(&root.id),
            };
            if !exists {
                return Err(ApiError::new(
                    "702",
                    format!("Folder {} not found", root.id),
                ));
            }
            collect(st, root, max_depth, &mut out);
        }
        None => {
            let roots: Vec<i32> = st
                .folders
                .values()
                .filter(|f| f.parent.is_none())
                .map(|f| f.id)
                .collect();
            for r in roots {
                collect(
                    st,
                    FolderRef {
                        id: r,
                        kind: FolderKind::Folder,
                    },
                    max_depth,
                    &mut out,
                );
            }
        }
    }
    let result = out
        .into_iter()
        .filter(|v| workspace.is_none_or(|w| v.get("workspace").and_then(Value::as_str) == Some(w)))
        .skip(offset)
        .take(max)
        .collect();
    Ok(asset_ok(result))
}

/// `GET /rest/asset/v1/folder/byName.json`.
pub(crate) fn by_name(st: &mut State, ctx: &Ctx) -> ApiResult {
    let q = &ctx.query;
    let name = q.required("name")?;
    let kind = match q.non_empty("type") {
        None => None,
        Some(t) if t.eq_ignore_ascii_case("folder") => Some(FolderKind::Folder),
        Some(t) if t.eq_ignore_ascii_case("program") => Some(FolderKind::Program),
        Some(t) => return Err(ApiError::new("1003", format!("Invalid type '{t}'"))),
    };
    let root: Option<i32> = q.int("root")?;
    let workspace = q.non_empty("workSpace");
    let under_root = |mut id: Option<i32>| -> bool {
        let Some(r) = root else { return true };
        let mut guard = 0;
        while let Some(i) = id {
            if i == r {
                return true;
            }
            guard += 1;
            if guard > 64 {
                break;
            }
            id = st.folders.get(&i).and_then(|f| f.parent);
        }
        false
    };
    let mut out = Vec::new();
    if kind != Some(FolderKind::Program) {
        for f in st.folders.values().filter(|f| f.name == name) {
            if under_root(Some(f.id)) && workspace.is_none_or(|w| f.workspace == w) {
                out.push(folder_json(st, f));
            }
        }
    }
    if kind != Some(FolderKind::Folder)
        && let Some(p) = st.program_by_name(name)
        && under_root(Some(p.folder.id))
        && workspace.is_none_or(|w| p.workspace == w)
    {
        out.push(program_folder_json(st, p));
    }
    Ok(asset_ok(out))
}

/// `GET /rest/asset/v1/folder/{id}.json`.
pub(crate) fn get_by_id(st: &mut State, ctx: &Ctx, id: i32) -> ApiResult {
    let ty = ctx.query.required("type")?;
    let found = if ty.eq_ignore_ascii_case("folder") {
        st.folders.get(&id).map(|f| folder_json(st, f))
    } else if ty.eq_ignore_ascii_case("program") {
        st.programs.get(&id).map(|p| program_folder_json(st, p))
    } else {
        return Err(ApiError::new("1003", format!("Invalid type '{ty}'")));
    };
    let v = found.ok_or_else(|| ApiError::new("702", format!("Folder {id} not found")))?;
    Ok(asset_ok(vec![v]))
}

/// The operations of this module.
pub(crate) const ROUTES: &[Route] = &[
    get("/rest/asset/v1/folders.json", browse),
    get("/rest/asset/v1/folder/byName.json", by_name),
    get("/rest/asset/v1/folder/{id}.json", |st, ctx| {
        get_by_id(st, ctx, ctx.path.int("id")?)
    }),
];
