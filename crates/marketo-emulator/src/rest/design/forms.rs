//! Forms (Asset API): metadata and lifecycle through the shared model, plus
//! thank-you (follow-up) rules, the submit button and used-by.
//!
//! Form-level settings (styling, known visitor, thank-you rules, button) are
//! metadata; the field list is the content (see [`super::form_fields`]). A
//! new form holds First Name, Last Name and Email. Rules: thank-you rules
//! need exactly one default (709), a known `followupType` (1003) and, for
//! `lp`, an existing landing page (702); turning progressive profiling on
//! adds the `Profiling` box to the fields.

use serde_json::{Map, Value, json};

use super::super::assets::{self, Extra};
use super::super::router::{Route, get, post};
use super::super::{ApiError, ApiResult, Ctx, Params, asset_ok, form_json, paging};
use super::array_of;
use crate::state::{Asset, AssetKind, FolderKind, State};
use crate::util::asset_datetime;

const K: AssetKind = AssetKind::Form;

/// The operations of this module.
pub(crate) const ROUTES: &[Route] = &[
    get("/rest/asset/v1/forms.json", |st, ctx| {
        assets::browse(st, ctx, K)
    }),
    post("/rest/asset/v1/forms.json", |st, ctx| {
        assets::create_with(st, ctx, K, create_extra)
    }),
    get("/rest/asset/v1/form/byName.json", |st, ctx| {
        assets::by_name(st, ctx, K)
    }),
    get("/rest/asset/v1/form/{id}.json", |st, ctx| {
        assets::get_by_id(st, ctx, K)
    }),
    post("/rest/asset/v1/form/{id}.json", update),
    get("/rest/asset/v1/form/{id}/usedBy.json", used_by),
    post("/rest/asset/v1/form/{id}/approveDraft.json", |st, ctx| {
        assets::approve(st, ctx, K)
    }),
    post("/rest/asset/v1/form/{id}/unapprove.json", |st, ctx| {
        assets::unapprove(st, ctx, K)
    }),
    post("/rest/asset/v1/form/{id}/discardDraft.json", |st, ctx| {
        assets::discard_draft(st, ctx, K)
    }),
    post("/rest/asset/v1/form/{id}/clone.json", |st, ctx| {
        assets::clone(st, ctx, K)
    }),
    post("/rest/asset/v1/form/{id}/delete.json", |st, ctx| {
        assets::delete(st, ctx, K)
    }),
    get("/rest/asset/v1/form/{id}/thankYouPage.json", get_thank_you),
    post(
        "/rest/asset/v1/form/{id}/thankYouPage.json",
        update_thank_you,
    ),
    post("/rest/asset/v1/form/{id}/submitButton.json", submit_button),
];

/// A field as a new form holds it.
pub(crate) fn text_field(id: &str, label: &str, data_type: &str, row: usize) -> Value {
    let mut f = json!({
        "id": id, "label": label, "dataType": data_type,
        "validationMessage": "This field is required.",
        "rowNumber": row, "columnNumber": 0, "required": false, "formPrefill": true,
        "visibilityRules": {"ruleType": "alwaysShow"},
    });
    if data_type == "text" {
        f["maxLength"] = json!(255);
    }
    f
}

/// The fields of a new form.
pub(crate) fn default_fields() -> Value {
    json!({"fields": [
        text_field("FirstName", "First Name:", "text", 0),
        text_field("LastName", "Last Name:", "text", 1),
        text_field("Email", "Email Address:", "email", 2),
    ]})
}

/// The progressive profiling box.
fn profiling_field(row: usize) -> Value {
    json!({"id": "Profiling", "dataType": "profiling", "rowNumber": row, "columnNumber": 0, "fieldList": []})
}

const TEXT_META: &[&str] = &[
    "theme",
    "labelPosition",
    "fontFamily",
    "fontSize",
    "customcss",
];

fn locale_for(language: &str) -> &'static str {
    match language.to_ascii_lowercase().as_str() {
        "french" => "fr_FR",
        "german" => "de_DE",
        "spanish" => "es_ES",
        _ => "en_US",
    }
}

fn settings(form: &Params, meta: &mut Map<String, Value>) -> Result<(), ApiError> {
    for k in TEXT_META {
        if let Some(v) = form.non_empty(k) {
            meta.insert((*k).into(), json!(v));
        }
    }
    if let Some(l) = form.non_empty("language") {
        meta.insert("language".into(), json!(l));
        meta.insert("locale".into(), json!(locale_for(l)));
    }
    if let Some(l) = form.non_empty("locale") {
        meta.insert("locale".into(), json!(l));
    }
    if let Some(p) = form.bool("progressiveProfiling")? {
        meta.insert("progressiveProfiling".into(), json!(p));
    }
    Ok(())
}

fn create_extra(_: &State, form: &Params) -> Result<Extra, ApiError> {
    let mut meta = Map::new();
    for (k, v) in [
        ("theme", json!("simple")),
        ("language", json!("English")),
        ("locale", json!("en_US")),
        ("progressiveProfiling", json!(false)),
        ("labelPosition", json!("left")),
        ("fontFamily", json!("Helvetica")),
        ("fontSize", json!("13px")),
        ("knownVisitor", json!({"type": "form", "template": null})),
        (
            "thankYouList",
            json!([{"followupType": "none", "followupValue": null, "default": true}]),
        ),
        ("buttonLocation", json!(120)),
        ("buttonStyle", json!("simple")),
        ("buttonLabel", json!("Submit")),
        ("waitingLabel", json!("Please Wait")),
    ] {
        meta.insert(k.into(), v);
    }
    settings(form, &mut meta)?;
    let mut content = default_fields();
    if meta.get("progressiveProfiling") == Some(&json!(true))
        && let Some(f) = content["fields"].as_array_mut()
    {
        f.push(profiling_field(3));
    }
    Ok(Extra {
        meta,
        content,
        refs: Vec::new(),
    })
}

fn update_extra(_: &State, form: &Params, _: &Asset) -> Result<Map<String, Value>, ApiError> {
    let mut meta = Map::new();
    settings(form, &mut meta)?;
    Ok(meta)
}

/// Update metadata; switching progressive profiling adds or drops the `Profiling` box.
fn update(st: &mut State, ctx: &Ctx) -> ApiResult {
    let id = assets::path_id(ctx)?;
    let answer = assets::update_with(st, ctx, K, update_extra)?;
    let a = st.assets.get(K, id)?;
    let on = a.meta.get("progressiveProfiling") == Some(&json!(true));
    let mut content = a.content.clone();
    let fields = array_of(&content, "fields");
    let has = fields.iter().any(|f| f["dataType"] == "profiling");
    if on != has {
        let mut fields: Vec<Value> = fields
            .into_iter()
            .filter(|f| f["dataType"] != "profiling")
            .collect();
        if on {
            fields.push(profiling_field(fields.len()));
        }
        content["fields"] = Value::from(fields);
        st.assets.update_content(K, id, content, None, ctx.now)?;
    }
    Ok(answer)
}

/// The kind names used-by answers print.
fn type_name(kind: AssetKind) -> &'static str {
    match kind {
        AssetKind::LandingPage => "Landing Page",
        AssetKind::SmartList => "Smart List",
        AssetKind::Email => "Email",
        _ => kind.label(),
    }
}

fn used_by(st: &mut State, ctx: &Ctx) -> ApiResult {
    let (max, offset) = paging(&ctx.query)?;
    let key = st.assets.get(K, assets::path_id(ctx)?)?.key();
    let result = st
        .assets
        .referencing(key)
        .into_iter()
        .skip(offset)
        .take(max)
        .map(|a| {
            let status = if a.approved.is_some() {
                "approved"
            } else {
                "draft"
            };
            json!({"id": a.id, "name": a.name, "type": type_name(a.kind),
                "status": status, "updatedAt": asset_datetime(a.updated_at)})
        })
        .collect();
    Ok(asset_ok(result))
}

fn get_thank_you(st: &mut State, ctx: &Ctx) -> ApiResult {
    let a = st.assets.get(K, assets::path_id(ctx)?)?;
    Ok(asset_ok(vec![json!({
        "id": a.id,
        "thankYouList": a.meta.get("thankYouList").cloned().unwrap_or_else(|| json!([])),
    })]))
}

/// Checks a list of follow-up rules.
fn check_rules(st: &State, rules: &[Value]) -> Result<(), ApiError> {
    let defaults = rules.iter().filter(|r| r["default"] == json!(true)).count();
    if defaults != 1 {
        return Err(ApiError::new(
            "709",
            "Exactly one thank-you rule must be the default",
        ));
    }
    for r in rules {
        match r["followupType"].as_str() {
            Some("lp") => {
                let id = r["followupValue"]
                    .as_i64()
                    .or_else(|| r["followupValue"].as_str().and_then(|s| s.parse().ok()))
                    .and_then(|i| i32::try_from(i).ok())
                    .ok_or_else(|| {
                        ApiError::new("1003", "followupValue must be a landing page id")
                    })?;
                st.assets.get(AssetKind::LandingPage, id)?;
            }
            Some("url" | "none") => {}
            other => {
                return Err(ApiError::new(
                    "1003",
                    format!("Invalid followupType {other:?}: lp, url or none"),
                ));
            }
        }
    }
    Ok(())
}

fn update_thank_you(st: &mut State, ctx: &Ctx) -> ApiResult {
    let form = ctx.form()?;
    let id = assets::path_id(ctx)?;
    st.assets.get(K, id)?;
    let rules = form_json(&form, "thankyou")?
        .ok_or_else(|| ApiError::new("701", "thankyou cannot be blank"))?;
    let list = rules
        .as_array()
        .cloned()
        .ok_or_else(|| ApiError::new("1003", "thankyou must be a JSON array"))?;
    check_rules(st, &list)?;
    let mut meta = Map::new();
    meta.insert("thankYouList".into(), Value::from(list.clone()));
    let upd = crate::state::MetaUpdate {
        meta,
        ..Default::default()
    };
    st.assets.update_meta(K, id, upd, ctx.now)?;
    Ok(asset_ok(vec![json!({"id": id, "thankYouList": list})]))
}

/// Destructive: members not sent go back to their defaults.
fn submit_button(st: &mut State, ctx: &Ctx) -> ApiResult {
    let form = ctx.form()?;
    let id = assets::path_id(ctx)?;
    let mut meta = Map::new();
    meta.insert(
        "buttonLocation".into(),
        json!(form.int::<i64>("buttonPosition")?.unwrap_or(120)),
    );
    meta.insert(
        "buttonStyle".into(),
        json!(form.non_empty("buttonStyle").unwrap_or("simple")),
    );
    meta.insert(
        "buttonLabel".into(),
        json!(form.non_empty("label").unwrap_or("Submit")),
    );
    meta.insert(
        "waitingLabel".into(),
        json!(form.non_empty("waitingLabel").unwrap_or("Please Wait")),
    );
    let upd = crate::state::MetaUpdate {
        meta,
        ..Default::default()
    };
    let a = st.assets.update_meta(K, id, upd, ctx.now)?.clone();
    Ok(asset_ok(vec![assets::asset_json(st, &a, None)]))
}

/// Whether a form lives in a program (program member fields need it).
pub(crate) fn in_program(a: &Asset) -> bool {
    a.folder.kind == FolderKind::Program
}
