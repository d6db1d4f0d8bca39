//! The multipart uploads of emails and email templates (Asset API v1):
//! Create Email Template, Update Email Template Content and Update Email Full
//! Content. The body is read by `rest/multipart.rs` (613 when it is not
//! multipart).

use serde_json::{Value, json};

use super::assets::files::multipart;
use super::email_templates::template_json;
use super::emails::{email_parent, status_str};
use super::lenient_json;
use super::multipart::Part;
use super::programs::parse_folder_ref;
use super::router::{Route, post};
use super::{ApiError, ApiResult, Ctx, asset_ok};
use crate::state::emails::email_content_from_template;
use crate::state::{AssetKind, NewAsset, State};

pub(crate) const ROUTES: &[Route] = &[
    post("/rest/asset/v1/emailTemplates.json", create_template),
    post(
        "/rest/asset/v1/emailTemplate/{id}/content.json",
        template_content,
    ),
    post(
        "/rest/asset/v1/emails/{id}/fullContent.json",
        email_full_content,
    ),
    // The path marketorestpython uses.
    post(
        "/rest/asset/v1/email/{id}/fullContent.json",
        email_full_content,
    ),
];

fn text_part<'a>(parts: &'a [Part], name: &str) -> Option<&'a Part> {
    parts.iter().find(|p| p.name == name)
}

/// A text field: a part of the body, else the query string (some clients send
/// the fields there and only the file in the body).
fn text_of(ctx: &Ctx, parts: &[Part], name: &str) -> Option<String> {
    text_part(parts, name)
        .map(|p| p.text().trim().to_owned())
        .or_else(|| ctx.query.get(name).map(|v| v.trim().to_owned()))
        .filter(|s| !s.is_empty())
}

/// The `content` part: an HTML document sent as a file (701 when missing).
fn html_content(parts: &[Part]) -> Result<String, ApiError> {
    let p = text_part(parts, "content")
        .ok_or_else(|| ApiError::new("701", "content cannot be blank"))?;
    let html = p.text();
    if html.trim().is_empty() {
        return Err(ApiError::new("701", "content cannot be blank"));
    }
    Ok(html)
}

fn create_template(st: &mut State, ctx: &Ctx) -> ApiResult {
    let parts = multipart(ctx)?;
    let name =
        text_of(ctx, &parts, "name").ok_or_else(|| ApiError::new("701", "name cannot be blank"))?;
    let folder_text = text_of(ctx, &parts, "folder")
        .ok_or_else(|| ApiError::new("701", "folder cannot be blank"))?;
    let folder_json = lenient_json::parse(&folder_text)
        .map_err(|e| ApiError::new("609", format!("Invalid JSON in 'folder': {e}")))?;
    let folder = parse_folder_ref(&folder_json)?;
    let html = html_content(&parts)?;
    let workspace = email_parent(st, folder)?;
    let new = NewAsset {
        name,
        description: text_of(ctx, &parts, "description"),
        folder: Some(folder),
        workspace,
        content: json!({"html": html}),
        ..NewAsset::default()
    };
    let id = st.assets.create(AssetKind::EmailTemplate, new, ctx.now)?.id;
    let a = st.assets.get(AssetKind::EmailTemplate, id)?;
    Ok(asset_ok(vec![template_json(st, a, None)]))
}

fn template_content(st: &mut State, ctx: &Ctx) -> ApiResult {
    let id = ctx.path.int("id")?;
    let parts = multipart(ctx)?;
    let html = html_content(&parts)?;
    let a = st.assets.update_content(
        AssetKind::EmailTemplate,
        id,
        json!({"html": html}),
        None,
        ctx.now,
    )?;
    Ok(asset_ok(vec![
        json!({"id": id, "status": status_str(a, None), "content": html}),
    ]))
}

/// Replaces the whole HTML of an email no longer linked to its template
/// (709 while it is linked, or when the document holds a script).
fn email_full_content(st: &mut State, ctx: &Ctx) -> ApiResult {
    let id = ctx.path.int("id")?;
    let parts = multipart(ctx)?;
    let html = html_content(&parts)?;
    let a = st.assets.get(AssetKind::Email, id)?;
    if !a.meta.get("template").is_none_or(Value::is_null) {
        return Err(ApiError::new(
            "709",
            format!("Email {id} is linked to its template; only unlinked emails can be replaced"),
        ));
    }
    if html.to_ascii_lowercase().contains("<script") {
        return Err(ApiError::new("709", "The content must not contain scripts"));
    }
    let mut content = email_content_from_template(&html);
    content["html"] = Value::from(html);
    st.assets
        .update_content(AssetKind::Email, id, content, None, ctx.now)?;
    Ok(asset_ok(vec![json!({"id": id})]))
}
