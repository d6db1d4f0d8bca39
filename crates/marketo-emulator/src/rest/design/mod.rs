//! Area F of the Asset API: landing pages (content sections, dynamic
//! content, variables, preview), landing page templates, redirect rules and
//! domains, and forms (fields, fieldsets, rich text, visibility rules,
//! thank-you pages, submit button).
//!
//! Every asset lives in the shared asset model ([`crate::state::AssetStore`])
//! and goes through its generic handlers ([`super::assets`]); the modules
//! here add what is particular to each kind. Content shapes (the `content`
//! JSON of each kind's assets):
//!
//! - landing page: `{"sections": [section…], "variables": [variable…],
//!   "dynamic": {dynamicContentId: {segmentation, segments}}}`; `refs` are the
//!   template, and the forms and snippets its sections embed;
//! - landing page template: `{"html": "…"}`;
//! - form: `{"fields": [field…]}` (fields as the API prints them);
//! - redirect rule: metadata only (`refs`: the landing pages it names).

pub(crate) mod form_fields;
pub(crate) mod forms;
pub(crate) mod landing_pages;
pub(crate) mod lp_content;
pub(crate) mod lp_templates;
pub(crate) mod redirect_rules;

use serde_json::{Map, Value};

use super::{ApiError, Ctx, Params};
use crate::state::{Asset, VersionFilter};

/// A path placeholder, percent-decoded.
pub(crate) fn path_text(ctx: &Ctx, name: &str) -> Result<String, ApiError> {
    Ok(percent_decode(ctx.path.str(name)?))
}

/// Decodes `%XX` escapes (a path segment: `+` stays `+`).
fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%'
            && i + 2 < b.len()
            && let (Some(h), Some(l)) = (hex(b[i + 1]), hex(b[i + 2]))
        {
            let v = h * 16 + l;
            out.push(v);
            i += 3;
            continue;
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex(c: u8) -> Option<u8> {
    char::from(c)
        .to_digit(16)
        .and_then(|d| u8::try_from(d).ok())
}

/// Base64 (URL-safe alphabet, with padding), for opaque ids such as `RVMtNDg=`.
pub(crate) fn base64(s: &str) -> String {
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let b = s.as_bytes();
    let mut out = String::new();
    for chunk in b.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |acc, (i, &c)| acc | (u32::from(c) << (16 - 8 * i)));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(T[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// The content of the version a `status` parameter asks for (702 when the
/// asset lacks that version).
pub(crate) fn version_content(a: &Asset, v: Option<VersionFilter>) -> Result<&Value, ApiError> {
    if let Some(ver) = v
        && !a.has_version(ver)
    {
        return Err(ApiError::new(
            "702",
            format!("{} {} has no such version", a.kind.label(), a.id),
        ));
    }
    Ok(a.content_of(v))
}

/// The formatting members a content-section call may carry, in Marketo's names.
const FORMAT_KEYS: &[&str] = &[
    "backgroundColor",
    "borderColor",
    "borderStyle",
    "borderWidth",
    "height",
    "width",
    "left",
    "top",
    "opacity",
    "hideDesktop",
    "hideMobile",
    "imageOpenNewWindow",
    "linkUrl",
];

/// The formatting options of a content-section form (`zIndex`, or `layer` as
/// some clients send it, and the members of [`FORMAT_KEYS`]).
pub(crate) fn formatting(form: &Params) -> Result<Map<String, Value>, ApiError> {
    let mut m = Map::new();
    let z: Option<i64> = match form.int("zIndex")? {
        Some(z) => Some(z),
        None => form.int("layer")?,
    };
    if let Some(z) = z {
        m.insert("zIndex".into(), Value::from(z));
    }
    for k in FORMAT_KEYS {
        if let Some(v) = form.non_empty(k) {
            let v = match *k {
                "hideDesktop" | "hideMobile" | "imageOpenNewWindow" => {
                    Value::Bool(form.bool(k)?.unwrap_or(false))
                }
                _ => Value::from(v),
            };
            m.insert((*k).into(), v);
        }
    }
    Ok(m)
}

/// The JSON array member `key` of an object (empty when absent).
pub(crate) fn array_of(v: &Value, key: &str) -> Vec<Value> {
    v.get(key)
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default()
}

/// The parameters of a POST that may come as a form or as
/// `multipart/form-data` (template content, rich text): each part's `name`
/// and its text, after the query string's parameters.
pub(crate) fn form_or_multipart(ctx: &Ctx) -> Result<Params, ApiError> {
    if !super::multipart::is_multipart(ctx) {
        return ctx.form();
    }
    let parts =
        super::multipart::parts(ctx).map_err(|_| ApiError::new("612", "Invalid Content Type"))?;
    let mut params = Params(ctx.query.0.clone());
    for p in parts {
        params.0.insert(0, (p.name.clone(), p.text()));
    }
    Ok(params)
}
