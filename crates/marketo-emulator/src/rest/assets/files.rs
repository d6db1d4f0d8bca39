//! Files of Design Studio (Asset API): browse, by id, by name, and the two
//! multipart uploads (create, replace content; the body is read by
//! `rest/multipart.rs`). The emulator keeps each file's name, MIME type and
//! size, not its bytes.

use serde_json::{Value, json};

use super::super::multipart::{Part, parts};
use super::super::router::{Route, get, post};
use super::super::{ApiError, ApiResult, Ctx, Params, asset_ok, paging};
use super::{asset_json, folder_param, path_id};
use crate::state::{Asset, AssetKind, BrowseQuery, FolderKind, NewAsset, State};

const K: AssetKind = AssetKind::File;

fn bad_multipart() -> ApiError {
    ApiError::new("613", "Invalid multipart request")
}

/// The parts of a `multipart/form-data` body (613 when it is not one).
pub(crate) fn multipart(ctx: &Ctx) -> Result<Vec<Part>, ApiError> {
    parts(ctx).map_err(|_| bad_multipart())
}

/// The text fields of the parts after the query parameters, and the `file` part.
fn upload(ctx: &Ctx) -> Result<(Params, Part), ApiError> {
    let parts = multipart(ctx)?;
    let mut params = ctx.query.clone();
    let mut file = None;
    for p in parts {
        if p.name == "file" {
            file = Some(p);
        } else {
            params.0.push((p.name.clone(), p.text()));
        }
    }
    let file = file.ok_or_else(|| ApiError::new("701", "file cannot be blank"))?;
    Ok((params, file))
}

fn file_meta(a: &mut Asset, f: &Part) {
    let mime = f
        .content_type
        .clone()
        .unwrap_or_else(|| "application/octet-stream".into());
    a.meta.insert("mimeType".into(), Value::from(mime));
    a.meta.insert("size".into(), Value::from(f.data.len()));
}

/// `POST /rest/asset/v1/files.json` (multipart): `name`, `folder`, `description`, `insertOnly`, `file`.
fn create(st: &mut State, ctx: &Ctx) -> ApiResult {
    let (params, file) = upload(ctx)?;
    let name = params
        .non_empty("name")
        .map(str::to_owned)
        .ok_or_else(|| ApiError::new("701", "name cannot be blank"))?;
    let folder = folder_param(&params, "folder")?
        .ok_or_else(|| ApiError::new("701", "folder cannot be blank"))?;
    let workspace = st.asset_parent(folder)?;
    let insert_only = params.bool("insertOnly")?.unwrap_or(false);
    let existing = st.assets.by_name(K, &name, Some(folder)).map(|a| a.id);
    let id = match existing {
        Some(_) if insert_only => {
            return Err(ApiError::new(
                "709",
                format!("File '{name}' already exists"),
            ));
        }
        Some(id) => id,
        None => {
            let new = NewAsset {
                name,
                description: params.get("description").map(str::to_owned),
                folder: Some(folder),
                workspace,
                ..NewAsset::default()
            };
            st.assets.create(K, new, ctx.now)?.id
        }
    };
    let a = st.assets.get_mut(K, id)?;
    file_meta(a, &file);
    a.updated_at = ctx.now;
    let a = st.assets.get(K, id)?;
    Ok(asset_ok(vec![file_json(st, a)]))
}

/// `POST /rest/asset/v1/file/{id}/content.json` (multipart): `file`.
fn update_content(st: &mut State, ctx: &Ctx) -> ApiResult {
    let id = path_id(ctx)?;
    st.assets.get(K, id)?;
    let (_, file) = upload(ctx)?;
    let a = st.assets.get_mut(K, id)?;
    file_meta(a, &file);
    a.updated_at = ctx.now;
    let a = st.assets.get(K, id)?;
    Ok(asset_ok(vec![file_json(st, a)]))
}

/// A file: the common members plus size, MIME type and public URL; `folder` as `{id, type, name}`.
fn file_json(st: &State, a: &Asset) -> Value {
    let mut v = asset_json(st, a, None);
    if let Some(o) = v.as_object_mut() {
        let folder_type = match a.folder.kind {
            FolderKind::Folder => st
                .folders
                .get(&a.folder.id)
                .map(|f| f.folder_type.clone())
                .unwrap_or_else(|| "Folder".into()),
            FolderKind::Program => "Program".into(),
        };
        o.insert(
            "folder".into(),
            json!({"id": a.folder.id, "type": folder_type, "name": st.parent_name(a.folder)}),
        );
        o.insert(
            "url".into(),
            json!(format!(
                "https://emulator.marketo.invalid/rs/000-EMU-000/images/{}",
                a.name
            )),
        );
    }
    v
}

/// `GET /rest/asset/v1/files.json`.
fn files(st: &mut State, ctx: &Ctx) -> ApiResult {
    let (max, offset) = paging(&ctx.query)?;
    let q = BrowseQuery {
        folder: folder_param(&ctx.query, "folder")?,
        offset,
        max,
        ..BrowseQuery::default()
    };
    let result = st
        .assets
        .browse(AssetKind::File, &q)
        .into_iter()
        .map(|a| file_json(st, a))
        .collect();
    Ok(asset_ok(result))
}

/// `GET /rest/asset/v1/file/{id}.json`.
fn file_by_id(st: &mut State, ctx: &Ctx) -> ApiResult {
    let a = st.assets.get(K, path_id(ctx)?)?;
    Ok(asset_ok(vec![file_json(st, a)]))
}

/// `GET /rest/asset/v1/file/byName.json`.
fn file_by_name(st: &mut State, ctx: &Ctx) -> ApiResult {
    let name = ctx.query.required("name")?;
    let found = st.assets.by_name(K, name, None).map(|a| file_json(st, a));
    Ok(asset_ok(found.into_iter().collect()))
}

/// The operations of this module.
pub(crate) const ROUTES: &[Route] = &[
    get("/rest/asset/v1/files.json", files),
    post("/rest/asset/v1/files.json", create),
    get("/rest/asset/v1/file/byName.json", file_by_name),
    get("/rest/asset/v1/file/{id}.json", file_by_id),
    post("/rest/asset/v1/file/{id}/content.json", update_content),
];
