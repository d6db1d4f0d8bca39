//! Fields of forms (Asset API): available fields, the field list, add /
//! update / remove, fieldsets, rich text, visibility rules and positions.
//!
//! The field list is the form's working content (changes make a draft of an
//! approved form). Rules: `fieldId` must be an available field (702) not yet
//! on the form, fieldsets included (709); program member fields need a form
//! in a program (709); an unknown field or fieldset is 702; rich text may not
//! hold scripts, meta or link tags (1003); visibility rules are `alwaysShow`,
//! `show` or `hide` (1003) over other fields of the form (1003); a rearrange
//! must list every field exactly once (1003), in columns 0 to 2 (1003), each
//! position used once per level (1003), and only fieldsets (or `Profiling`)
//! may hold a `fieldList` (1003).

use std::collections::BTreeSet;

use serde_json::{Value, json};

use super::super::assets;
use super::super::router::{Route, get, post};
use super::super::{ApiError, ApiResult, Ctx, Params, asset_ok, form_json, paging};
use super::forms::{in_program, text_field};
use super::{array_of, base64, form_or_multipart, path_text, version_content};
use crate::state::{AssetKind, State};

const K: AssetKind = AssetKind::Form;

/// Lead fields a form can hold: (id, data type, max length).
pub(crate) const LEAD_FORM_FIELDS: &[(&str, &str, Option<u32>)] = &[
    ("AnnualRevenue", "currency", None),
    ("City", "string", Some(255)),
    ("Company", "string", Some(255)),
    ("Country", "string", Some(255)),
    ("Email", "email", None),
    ("FirstName", "string", Some(255)),
    ("LastName", "string", Some(255)),
    ("MobilePhone", "phone", None),
    ("NumberOfEmployees", "int", None),
    ("Phone", "phone", None),
    ("PostalCode", "string", Some(255)),
    ("Salutation", "picklist", None),
    ("Title", "string", Some(255)),
    ("Website", "url", None),
];

/// Program member custom fields a form in a program can hold.
pub(crate) const MEMBER_FORM_FIELDS: &[(&str, &str, Option<u32>)] = &[
    ("pMCFCustomField01", "string", Some(255)),
    ("pMCFCustomField02", "string", Some(255)),
];

/// The operations of this module.
pub(crate) const ROUTES: &[Route] = &[
    get("/rest/asset/v1/form/fields.json", |_, ctx| {
        available(ctx, LEAD_FORM_FIELDS)
    }),
    get("/rest/asset/v1/form/programMemberFields.json", |_, ctx| {
        available(ctx, MEMBER_FORM_FIELDS)
    }),
    get("/rest/asset/v1/form/{id}/fields.json", list_fields),
    post("/rest/asset/v1/form/{id}/fields.json", add_field),
    post(
        "/rest/asset/v1/form/{id}/field/{fieldId}.json",
        update_field,
    ),
    post(
        "/rest/asset/v1/form/{id}/field/{fieldId}/delete.json",
        delete_field,
    ),
    post("/rest/asset/v1/form/{id}/fieldSet.json", add_fieldset),
    post(
        "/rest/asset/v1/form/{id}/fieldSet/{fieldSetId}/field/{fieldId}/delete.json",
        delete_from_fieldset,
    ),
    post(
        "/rest/asset/v1/form/{formId}/field/{fieldId}/visibility.json",
        visibility,
    ),
    post("/rest/asset/v1/form/{id}/richText.json", rich_text),
    post("/rest/asset/v1/form/{id}/reArrange.json", rearrange),
];

fn available(ctx: &Ctx, list: &[(&str, &str, Option<u32>)]) -> ApiResult {
    let (max, offset) = paging(&ctx.query)?;
    let result = list
        .iter()
        .skip(offset)
        .take(max)
        .map(|(id, t, len)| {
            let mut v = json!({"id": id, "isRequired": false, "dataType": t});
            if let Some(l) = len {
                v["maxLength"] = json!(l);
            }
            v
        })
        .collect();
    Ok(asset_ok(result))
}

/// Every field id of a field list, fieldset members included.
fn all_ids(fields: &[Value]) -> Vec<String> {
    let mut out = Vec::new();
    for f in fields {
        if let Some(id) = f["id"].as_str() {
            out.push(id.to_owned());
        }
        out.extend(all_ids(&array_of(f, "fieldList")));
    }
    out
}

fn fields_of(st: &State, id: i32) -> Result<Vec<Value>, ApiError> {
    Ok(array_of(&st.assets.get(K, id)?.content, "fields"))
}

fn save(st: &mut State, ctx: &Ctx, id: i32, fields: Vec<Value>) -> Result<(), ApiError> {
    st.assets
        .update_content(K, id, json!({"fields": fields}), None, ctx.now)?;
    Ok(())
}

fn next_row(fields: &[Value]) -> i64 {
    fields
        .iter()
        .filter_map(|f| f["rowNumber"].as_i64())
        .max()
        .map_or(0, |r| r + 1)
}

fn list_fields(st: &mut State, ctx: &Ctx) -> ApiResult {
    let v = assets::version_param(&ctx.query)?;
    let a = st.assets.get(K, assets::path_id(ctx)?)?;
    Ok(asset_ok(array_of(version_content(a, v)?, "fields")))
}

/// Sets the properties a field form carries.
fn apply_props(f: &mut Value, form: &Params) -> Result<(), ApiError> {
    for k in [
        "label",
        "instructions",
        "hintText",
        "defaultValue",
        "validationMessage",
        "maskInput",
    ] {
        if let Some(v) = form.get(k) {
            f[k] = json!(v);
        }
    }
    for k in ["labelWidth", "fieldWidth", "maxLength", "visibleLines"] {
        if let Some(v) = form.int::<i64>(k)? {
            f[k] = json!(v);
        }
    }
    for k in [
        "required",
        "formPrefill",
        "initiallyChecked",
        "labelToRight",
    ] {
        if let Some(v) = form.bool(k)? {
            f[k] = json!(v);
        }
    }
    if let Some(t) = form.non_empty("fieldType") {
        f["dataType"] = json!(t);
    }
    let mut meta = f["fieldMetaData"].as_object().cloned().unwrap_or_default();
    for k in ["minValue", "maxValue"] {
        if let Some(v) = form.non_empty(k) {
            let n: f64 = v.trim().parse().map_err(|_| {
                ApiError::new(
                    "1001",
                    format!("Invalid value '{v}'. Required of type 'Number'"),
                )
            })?;
            meta.insert(k.into(), json!(n));
        }
    }
    if let Some(v) = form_json(form, "values")? {
        meta.insert("values".into(), v);
    }
    if let Some(m) = form.bool("multiSelect")? {
        meta.insert("multiSelect".into(), json!(m));
    }
    if !meta.is_empty() {
        f["fieldMetaData"] = Value::Object(meta);
    }
    Ok(())
}

fn add_field(st: &mut State, ctx: &Ctx) -> ApiResult {
    let form = ctx.form()?;
    let id = assets::path_id(ctx)?;
    let field_id = form.required("fieldId")?.to_owned();
    let a = st.assets.get(K, id)?;
    let member = MEMBER_FORM_FIELDS.iter().find(|(n, ..)| *n == field_id);
    let def = LEAD_FORM_FIELDS
        .iter()
        .find(|(n, ..)| *n == field_id)
        .or(member)
        .ok_or_else(|| ApiError::new("702", format!("Field '{field_id}' not found")))?;
    if member.is_some() && !in_program(a) {
        return Err(ApiError::new(
            "709",
            "Program member fields need a form in a program",
        ));
    }
    let mut fields = fields_of(st, id)?;
    if all_ids(&fields).contains(&field_id) {
        return Err(ApiError::new(
            "709",
            format!("Field '{field_id}' is already on the form"),
        ));
    }
    let data_type = match def.1 {
        "string" => "text",
        "int" | "currency" => "number",
        "picklist" => "select",
        t => t,
    };
    let row = usize::try_from(next_row(&fields)).unwrap_or(0);
    let mut f = text_field(&field_id, &format!("{field_id}:"), data_type, row);
    if let Some(l) = def.2 {
        f["maxLength"] = json!(l);
    }
    apply_props(&mut f, &form)?;
    fields.push(f.clone());
    save(st, ctx, id, fields)?;
    Ok(asset_ok(vec![f]))
}

/// The field `fid` of a list (fieldset members included), mutable.
fn find_mut<'a>(fields: &'a mut [Value], fid: &str) -> Option<&'a mut Value> {
    for f in fields {
        if f["id"] == json!(fid) {
            return Some(f);
        }
        if let Some(inner) = f.get_mut("fieldList").and_then(Value::as_array_mut)
            && let Some(x) = find_mut(inner, fid)
        {
            return Some(x);
        }
    }
    None
}

fn not_on_form(fid: &str) -> ApiError {
    ApiError::new("702", format!("Field '{fid}' not found on the form"))
}

fn update_field(st: &mut State, ctx: &Ctx) -> ApiResult {
    let form = ctx.form()?;
    let id = assets::path_id(ctx)?;
    let fid = path_text(ctx, "fieldId")?;
    let mut fields = fields_of(st, id)?;
    let f = find_mut(&mut fields, &fid).ok_or_else(|| not_on_form(&fid))?;
    apply_props(f, &form)?;
    let out = f.clone();
    save(st, ctx, id, fields)?;
    Ok(asset_ok(vec![out]))
}

fn delete_field(st: &mut State, ctx: &Ctx) -> ApiResult {
    let id = assets::path_id(ctx)?;
    let fid = path_text(ctx, "fieldId")?;
    let mut fields = fields_of(st, id)?;
    let pos = fields
        .iter()
        .position(|f| f["id"] == json!(fid))
        .ok_or_else(|| not_on_form(&fid))?;
    fields.remove(pos);
    save(st, ctx, id, fields)?;
    Ok(asset_ok(vec![json!({"id": fid})]))
}

fn add_fieldset(st: &mut State, ctx: &Ctx) -> ApiResult {
    let form = ctx.form()?;
    let id = assets::path_id(ctx)?;
    let label = form.required("label")?.to_owned();
    let mut fields = fields_of(st, id)?;
    let n = fields
        .iter()
        .filter(|f| f["dataType"] == "fieldset")
        .count()
        + 1;
    let f = json!({
        "id": base64(&format!("FieldSet_{id}_{n}")), "label": label, "dataType": "fieldset",
        "rowNumber": next_row(&fields), "columnNumber": 0,
        "visibilityRules": {"ruleType": "alwaysShow"}, "fieldList": [],
    });
    fields.push(f.clone());
    save(st, ctx, id, fields)?;
    Ok(asset_ok(vec![f]))
}

fn delete_from_fieldset(st: &mut State, ctx: &Ctx) -> ApiResult {
    let id = assets::path_id(ctx)?;
    let set = path_text(ctx, "fieldSetId")?;
    let fid = path_text(ctx, "fieldId")?;
    let mut fields = fields_of(st, id)?;
    let fs = fields
        .iter_mut()
        .find(|f| f["id"] == json!(set) && f["fieldList"].is_array())
        .ok_or_else(|| ApiError::new("702", format!("Fieldset '{set}' not found")))?;
    let list = fs["fieldList"]
        .as_array_mut()
        .ok_or_else(|| ApiError::new("702", format!("Fieldset '{set}' not found")))?;
    let pos = list
        .iter()
        .position(|f| f["id"] == json!(fid))
        .ok_or_else(|| not_on_form(&fid))?;
    list.remove(pos);
    save(st, ctx, id, fields)?;
    Ok(asset_ok(vec![json!({"id": fid})]))
}

fn visibility(st: &mut State, ctx: &Ctx) -> ApiResult {
    let form = ctx.form()?;
    let id: i32 = ctx.path.int("formId")?;
    let fid = path_text(ctx, "fieldId")?;
    let rule = form_json(&form, "visibilityRule")?
        .ok_or_else(|| ApiError::new("701", "visibilityRule cannot be blank"))?;
    let rule_type = rule["ruleType"].as_str().unwrap_or("");
    if !["alwaysShow", "show", "hide"].contains(&rule_type) {
        return Err(ApiError::new(
            "1003",
            format!("Invalid ruleType '{rule_type}': alwaysShow, show or hide"),
        ));
    }
    let mut fields = fields_of(st, id)?;
    let ids = all_ids(&fields);
    let rules = array_of(&rule, "rules");
    for r in &rules {
        let subject = r["subjectField"].as_str().unwrap_or("");
        if subject == fid || !ids.iter().any(|i| i == subject) {
            return Err(ApiError::new(
                "1003",
                format!("Invalid subjectField '{subject}': another field of the form"),
            ));
        }
    }
    let f = find_mut(&mut fields, &fid).ok_or_else(|| not_on_form(&fid))?;
    let mut stored = json!({"ruleType": rule_type});
    if rule_type != "alwaysShow" {
        stored["rules"] = Value::from(rules.clone());
    }
    f["visibilityRules"] = stored;
    save(st, ctx, id, fields)?;
    Ok(asset_ok(vec![
        json!({"formFieldId": fid, "ruleType": rule_type, "rules": rules}),
    ]))
}

fn rich_text(st: &mut State, ctx: &Ctx) -> ApiResult {
    let form = form_or_multipart(ctx)?;
    let id = assets::path_id(ctx)?;
    let text = form.required("text")?.to_owned();
    let lower = text.to_ascii_lowercase();
    if ["<script", "<meta", "<link"]
        .iter()
        .any(|x| lower.contains(x))
    {
        return Err(ApiError::new(
            "1003",
            "Rich text may not hold scripts, meta or link tags",
        ));
    }
    let mut fields = fields_of(st, id)?;
    let n = fields
        .iter()
        .filter(|f| f["dataType"] == "htmltext")
        .count()
        + 1;
    let f = json!({
        "id": base64(&format!("HtmlText_{id}_{n}")), "labelWidth": 260, "dataType": "htmltext",
        "rowNumber": next_row(&fields), "columnNumber": 0,
        "visibilityRules": {"ruleType": "alwaysShow"}, "text": text,
    });
    fields.push(f.clone());
    save(st, ctx, id, fields)?;
    Ok(asset_ok(vec![f]))
}

fn bad(msg: impl Into<String>) -> ApiError {
    ApiError::new("1003", msg)
}

/// Builds a field list from positions, taking the fields out of `pool`.
fn place(
    positions: &[Value],
    pool: &mut Vec<Value>,
    seen: &mut BTreeSet<String>,
) -> Result<Vec<Value>, ApiError> {
    let mut used = BTreeSet::new();
    let mut out = Vec::new();
    for p in positions {
        let name = p["fieldName"]
            .as_str()
            .ok_or_else(|| bad("fieldName is required"))?;
        let row = p["rowNumber"]
            .as_i64()
            .ok_or_else(|| bad("rowNumber is required"))?;
        let col = p["columnNumber"]
            .as_i64()
            .ok_or_else(|| bad("columnNumber is required"))?;
        if !(0..=2).contains(&col) || row < 0 {
            return Err(bad(format!("Invalid position of '{name}'")));
        }
        if !used.insert((row, col)) || !seen.insert(name.to_owned()) {
            return Err(bad(format!("Position or field '{name}' given twice")));
        }
        let i = pool
            .iter()
            .position(|f| f["id"] == json!(name))
            .ok_or_else(|| bad(format!("Field '{name}' is not on the form")))?;
        let mut f = pool.remove(i);
        f["rowNumber"] = json!(row);
        f["columnNumber"] = json!(col);
        if let Some(inner) = p.get("fieldList").and_then(Value::as_array) {
            if !matches!(f["dataType"].as_str(), Some("fieldset" | "profiling")) {
                return Err(bad(format!("'{name}' is not a fieldset")));
            }
            f["fieldList"] = Value::from(place(inner, pool, seen)?);
        } else if f["fieldList"].is_array() {
            f["fieldList"] = json!([]);
        }
        out.push(f);
    }
    Ok(out)
}

fn rearrange(st: &mut State, ctx: &Ctx) -> ApiResult {
    let form = ctx.form()?;
    let id = assets::path_id(ctx)?;
    let positions = form_json(&form, "positions")?
        .ok_or_else(|| ApiError::new("701", "positions cannot be blank"))?;
    let positions = positions
        .as_array()
        .cloned()
        .ok_or_else(|| bad("positions must be a JSON array"))?;
    // Flatten: every field (fieldset members too) becomes available for placing.
    let mut pool = Vec::new();
    let mut stack = fields_of(st, id)?;
    while let Some(mut f) = stack.pop() {
        if let Some(inner) = f.get_mut("fieldList").and_then(Value::as_array_mut) {
            stack.append(inner);
        }
        pool.push(f);
    }
    let mut seen = BTreeSet::new();
    let fields = place(&positions, &mut pool, &mut seen)?;
    if let Some(left) = pool.first() {
        return Err(bad(format!(
            "positions must list every field; '{}' is missing",
            left["id"].as_str().unwrap_or("")
        )));
    }
    save(st, ctx, id, fields)?;
    Ok(asset_ok(vec![json!({"id": id})]))
}
