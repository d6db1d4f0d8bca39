//! Lead fields: describe (v1, v2) and the field schema (browse, get, create, update).

use serde_json::{Value, json};

use super::{opt_str, req_str, token_page};
use crate::rest::router::{Route, get, post};
use crate::rest::{ApiError, ApiResult, Ctx, lead_ok, reason};
use crate::state::{CustomLeadField, LEAD_FIELDS, State};

/// One field definition: (id, API name, display name, data type, length, read-only, custom).
struct FieldDef {
    id: i32,
    name: String,
    display: String,
    data_type: String,
    length: Option<i32>,
    read_only: bool,
    custom: Option<CustomLeadField>,
}

/// `firstName` → `First Name`.
fn display_name(api: &str) -> String {
    let mut out = String::new();
    for (i, c) in api.chars().enumerate() {
        if i == 0 {
            out.extend(c.to_uppercase());
        } else if c.is_uppercase() {
            out.push(' ');
            out.push(c);
        } else {
            out.push(c);
        }
    }
    out
}

fn standard_type(name: &str) -> (&'static str, Option<i32>) {
    match name {
        "email" => ("email", Some(255)),
        "leadScore" => ("integer", None),
        "unsubscribed" | "doNotCall" => ("boolean", None),
        "website" => ("url", Some(255)),
        "phone" | "mobilePhone" => ("phone", Some(255)),
        "address" => ("text", None),
        _ => ("string", Some(255)),
    }
}

/// Every lead field: `id`, the standard ones, the time stamps, then the custom ones.
fn all_fields(st: &State) -> Vec<FieldDef> {
    let mut out = vec![FieldDef {
        id: 1,
        name: "id".into(),
        display: "Id".into(),
        data_type: "integer".into(),
        length: None,
        read_only: true,
        custom: None,
    }];
    for (i, name) in LEAD_FIELDS.iter().enumerate() {
        let (ty, len) = standard_type(name);
        out.push(FieldDef {
            id: 2 + i32::try_from(i).unwrap_or(0),
            name: (*name).to_owned(),
            display: display_name(name),
            data_type: ty.into(),
            length: len,
            read_only: false,
            custom: None,
        });
    }
    for (n, name) in ["createdAt", "updatedAt"].into_iter().enumerate() {
        out.push(FieldDef {
            id: 100 + i32::try_from(n).unwrap_or(0),
            name: name.into(),
            display: display_name(name),
            data_type: "datetime".into(),
            length: None,
            read_only: true,
            custom: None,
        });
    }
    for (n, f) in st.lead_db.custom_fields.iter().enumerate() {
        out.push(FieldDef {
            id: 1000 + i32::try_from(n).unwrap_or(0),
            name: f.name.clone(),
            display: f.display_name.clone(),
            data_type: f.data_type.clone(),
            length: (f.data_type == "string").then_some(255),
            read_only: false,
            custom: Some(f.clone()),
        });
    }
    out
}

fn describe(st: &mut State, _ctx: &Ctx) -> ApiResult {
    let result = all_fields(st)
        .into_iter()
        .map(|f| {
            let mut v = json!({
                "id": f.id,
                "displayName": f.display,
                "dataType": f.data_type,
                "rest": {"name": f.name, "readOnly": f.read_only},
                "soap": {"name": display_name(&f.name).replace(' ', ""), "readOnly": f.read_only},
            });
            if let (Some(l), Some(o)) = (f.length, v.as_object_mut()) {
                o.insert("length".into(), Value::from(l));
            }
            v
        })
        .collect();
    Ok(lead_ok(result))
}

fn describe2(st: &mut State, _ctx: &Ctx) -> ApiResult {
    let fields: Vec<Value> = all_fields(st)
        .into_iter()
        .map(|f| {
            json!({
                "name": f.name,
                "displayName": f.display,
                "dataType": f.data_type,
                "length": f.length,
                "updateable": !f.read_only,
                "crmManaged": false,
            })
        })
        .collect();
    let searchable: Vec<Value> = crate::rest::leads::FILTER_TYPES
        .iter()
        .map(|f| json!([f]))
        .collect();
    Ok(lead_ok(vec![json!({
        "name": "Lead",
        "description": "Marketo lead object",
        "idField": "id",
        "dedupeFields": ["email"],
        "searchableFields": searchable,
        "fields": fields,
    })]))
}

fn schema_json(f: &FieldDef) -> Value {
    let c = f.custom.as_ref();
    json!({
        "name": f.name,
        "displayName": f.display,
        "description": c.and_then(|c| c.description.clone()),
        "dataType": f.data_type,
        "length": f.length,
        "isHidden": c.is_some_and(|c| c.is_hidden),
        "isHtmlEncodingInEmail": c.is_none_or(|c| c.is_html_encoding_in_email),
        "isSensitive": c.is_some_and(|c| c.is_sensitive) || f.name == "email",
        "isCustom": c.is_some(),
        "isApiCreated": c.is_some(),
    })
}

fn browse_schema(st: &mut State, ctx: &Ctx) -> ApiResult {
    let items = all_fields(st).iter().map(schema_json).collect();
    token_page(&ctx.query, items)
}

fn get_schema(st: &mut State, ctx: &Ctx) -> ApiResult {
    let name = ctx.path.str("fieldApiName")?;
    let f = all_fields(st)
        .into_iter()
        .find(|f| f.name == name)
        .ok_or_else(|| ApiError::new("1006", format!("Field '{name}' not found")))?;
    Ok(lead_ok(vec![schema_json(&f)]))
}

fn valid_api_name(n: &str) -> bool {
    n.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && n.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

fn flag(v: &Value, name: &str, default: bool) -> bool {
    v.get(name).and_then(Value::as_bool).unwrap_or(default)
}

fn create_fields(st: &mut State, ctx: &Ctx) -> ApiResult {
    let body = ctx
        .json()?
        .ok_or_else(|| ApiError::new("609", "Invalid JSON"))?;
    let input = body
        .get("input")
        .and_then(Value::as_array)
        .ok_or_else(|| ApiError::new("701", "input cannot be blank"))?;
    if input.is_empty() || input.len() > 100 {
        return Err(ApiError::new(
            "1003",
            "input must hold between 1 and 100 fields",
        ));
    }
    let mut result = Vec::new();
    for item in input {
        let name = opt_str(item, "name").unwrap_or_default();
        let outcome = (|| {
            let display = req_str(item, "displayName")?.to_owned();
            req_str(item, "name")?;
            let data_type = req_str(item, "dataType")?.to_owned();
            if !valid_api_name(&name) {
                return Err(ApiError::new(
                    "1003",
                    format!("Invalid field name '{name}'"),
                ));
            }
            let clash = all_fields(st)
                .iter()
                .any(|f| f.name.eq_ignore_ascii_case(&name) || f.display == display);
            if clash {
                return Err(ApiError::new(
                    "1009",
                    format!("Field '{name}' already exists"),
                ));
            }
            st.lead_db.custom_fields.push(CustomLeadField {
                name: name.clone(),
                display_name: display,
                description: opt_str(item, "description"),
                data_type,
                is_hidden: flag(item, "isHidden", false),
                is_html_encoding_in_email: flag(item, "isHtmlEncodingInEmail", true),
                is_sensitive: flag(item, "isSensitive", false),
            });
            Ok(())
        })();
        result.push(match outcome {
            Ok(()) => json!({"name": name, "status": "created"}),
            Err(e) => {
                json!({"name": name, "status": "skipped", "reasons": [reason(e.code, &e.message)]})
            }
        });
    }
    Ok(lead_ok(result))
}

fn update_field(st: &mut State, ctx: &Ctx) -> ApiResult {
    let name = ctx.path.str("fieldApiName")?.to_owned();
    let body = ctx
        .json()?
        .ok_or_else(|| ApiError::new("609", "Invalid JSON"))?;
    let item = match body
        .get("input")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
    {
        Some([one]) => one.clone(),
        Some(_) => return Err(ApiError::new("1003", "input must hold exactly one field")),
        None => return Err(ApiError::new("701", "input cannot be blank")),
    };
    if !all_fields(st).iter().any(|f| f.name == name) {
        return Err(ApiError::new("1006", format!("Field '{name}' not found")));
    }
    let Some(f) = st.lead_db.custom_fields.iter_mut().find(|f| f.name == name) else {
        return Err(ApiError::new(
            "1003",
            format!("Standard field '{name}' cannot be updated"),
        ));
    };
    if let Some(d) = opt_str(&item, "displayName") {
        f.display_name = d;
    }
    if let Some(d) = opt_str(&item, "description") {
        f.description = Some(d);
    }
    f.is_hidden = flag(&item, "isHidden", f.is_hidden);
    f.is_html_encoding_in_email = flag(&item, "isHtmlEncodingInEmail", f.is_html_encoding_in_email);
    f.is_sensitive = flag(&item, "isSensitive", f.is_sensitive);
    Ok(lead_ok(vec![json!({"name": name, "status": "updated"})]))
}

/// The operations of this module.
pub(crate) const ROUTES: &[Route] = &[
    get("/rest/v1/leads/describe.json", describe),
    get("/rest/v1/leads/describe2.json", describe2),
    get("/rest/v1/leads/schema/fields.json", browse_schema),
    post("/rest/v1/leads/schema/fields.json", create_fields),
    get(
        "/rest/v1/leads/schema/fields/{fieldApiName}.json",
        get_schema,
    ),
    post(
        "/rest/v1/leads/schema/fields/{fieldApiName}.json",
        update_field,
    ),
];
