//! The content of emails (Asset API v1): header fields, editable sections,
//! modules, variables, dynamic content and the preview. Every edit replaces
//! the email's working content through the asset store, so editing an
//! approved email creates a draft. The content model is described in
//! `state/emails.rs`.

use serde_json::{Map, Value, json};

use super::assets::snippets::segments_of;
use super::emails::{refuse_predictive, status_str, version_param};
use super::router::{Route, get, post};
use super::{ApiError, ApiResult, Ctx, asset_ok, form_json};
use crate::state::emails::{sections_mut, template_modules};
use crate::state::{Asset, AssetKey, AssetKind, MetaUpdate, State, VersionFilter};
use crate::util::asset_datetime;

pub(crate) const ROUTES: &[Route] = &[
    get("/rest/asset/v1/email/{id}/content.json", content),
    post("/rest/asset/v1/email/{id}/content.json", update_headers),
    post(
        "/rest/asset/v1/email/{id}/content/rearrange.json",
        rearrange,
    ),
    post(
        "/rest/asset/v1/email/{id}/content/{moduleId}/add.json",
        add_module,
    ),
    post(
        "/rest/asset/v1/email/{id}/content/{moduleId}/delete.json",
        delete_module,
    ),
    post(
        "/rest/asset/v1/email/{id}/content/{moduleId}/duplicate.json",
        duplicate_module,
    ),
    post(
        "/rest/asset/v1/email/{id}/content/{moduleId}/rename.json",
        rename_module,
    ),
    post(
        "/rest/asset/v1/email/{id}/content/{htmlId}.json",
        update_section,
    ),
    get(
        "/rest/asset/v1/email/{id}/dynamicContent/{dynamicContentId}.json",
        dynamic_content,
    ),
    post(
        "/rest/asset/v1/email/{id}/dynamicContent/{dynamicContentId}.json",
        update_dynamic,
    ),
    get("/rest/asset/v1/email/{id}/fullContent.json", full_content),
    get("/rest/asset/v1/email/{id}/variables.json", variables),
    post(
        "/rest/asset/v1/email/{id}/variable/{name}.json",
        update_variable,
    ),
];

fn email(st: &State, id: i32) -> Result<&Asset, ApiError> {
    st.assets.get(AssetKind::Email, id)
}

fn id_ok(id: i32) -> ApiResult {
    Ok(asset_ok(vec![json!({"id": id})]))
}

/// Applies `edit` to a copy of the working content and stores it (a draft).
fn edit_content(
    st: &mut State,
    ctx: &Ctx,
    id: i32,
    refs: Option<Vec<AssetKey>>,
    edit: impl FnOnce(&mut Value) -> Result<(), ApiError>,
) -> Result<(), ApiError> {
    let mut c = email(st, id)?.content.clone();
    edit(&mut c)?;
    st.assets
        .update_content(AssetKind::Email, id, c, refs, ctx.now)?;
    Ok(())
}

/// The segments of a segmentation (702 when it does not exist), `Default` last
/// (id 0 when the segmentation does not list it).
fn segment_names(st: &State, seg: i32) -> Result<Vec<(i64, String)>, ApiError> {
    let mut segments = segments_of(st, seg)?;
    if !segments.iter().any(|(_, n)| n == "Default") {
        segments.push((0, "Default".to_owned()));
    }
    Ok(segments)
}

fn content(st: &mut State, ctx: &Ctx) -> ApiResult {
    let a = email(st, ctx.path.int("id")?)?;
    refuse_predictive(a)?;
    let v = version_param(&ctx.query)?;
    let sections = a
        .content_of(v)
        .get("sections")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    Ok(asset_ok(sections))
}

fn update_headers(st: &mut State, ctx: &Ctx) -> ApiResult {
    let id = ctx.path.int("id")?;
    let form = ctx.form()?;
    email(st, id)?;
    let mut meta = Map::new();
    for (field, key) in [
        ("subject", "subject"),
        ("fromEmail", "fromEmail"),
        ("fromName", "fromName"),
        ("replyTO", "replyEmail"),
        ("replyEmail", "replyEmail"),
    ] {
        let Some(v) = form_json(&form, field)? else {
            continue;
        };
        let ty = v.get("type").and_then(Value::as_str).unwrap_or("");
        let value = v.get("value").cloned().unwrap_or(Value::Null);
        match ty {
            "Text" => {}
            "DynamicContent" => {
                let seg = value
                    .as_i64()
                    .or_else(|| value.as_str().and_then(|s| s.parse().ok()))
                    .and_then(|s| i32::try_from(s).ok())
                    .ok_or_else(|| {
                        ApiError::new("1003", format!("Invalid segmentation id in {field}"))
                    })?;
                segment_names(st, seg)?;
            }
            _ => {
                return Err(ApiError::new(
                    "1003",
                    format!("Invalid type '{ty}' in {field}: Text or DynamicContent expected"),
                ));
            }
        }
        meta.insert(key.into(), json!({"type": ty, "value": value}));
    }
    if let Some(b) = form.bool("isOpenTrackingDisabled")? {
        meta.insert("isOpenTrackingDisabled".into(), Value::Bool(b));
    }
    let upd = MetaUpdate {
        meta,
        ..MetaUpdate::default()
    };
    st.assets.update_meta(AssetKind::Email, id, upd, ctx.now)?;
    id_ok(id)
}

fn strip_tags(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

fn update_section(st: &mut State, ctx: &Ctx) -> ApiResult {
    let id = ctx.path.int("id")?;
    let html_id = ctx.path.str("htmlId")?.to_owned();
    let form = ctx.form()?;
    let a = email(st, id)?;
    refuse_predictive(a)?;
    let mut refs = a.refs.clone();
    let ty = form.required("type")?.to_owned();
    let value = form.get("value").unwrap_or("").to_owned();
    let new_section = match ty.as_str() {
        "Text" => {
            let text = form
                .get("textValue")
                .map_or_else(|| strip_tags(&value), str::to_owned);
            json!({"contentType": "Text", "value": [{"type": "HTML", "value": value}, {"type": "Text", "value": text}]})
        }
        "DynamicContent" => {
            let seg: i32 = value
                .trim()
                .parse()
                .map_err(|_| ApiError::new("1003", "value must be the id of a segmentation"))?;
            let names = segment_names(st, seg)?;
            let dc_id = format!("{html_id}-dc");
            let now = asset_datetime(ctx.now);
            let items: Vec<Value> = names
                .iter()
                .enumerate()
                .map(|(i, (sid, n))| json!({"id": i + 1, "segmentId": sid, "segmentName": n, "type": "HTML", "content": ""}))
                .collect();
            let dc = json!({"id": dc_id, "segmentation": seg, "createdAt": now, "updatedAt": now, "content": items});
            let mut c = a.content.clone();
            if let Some(o) = c.as_object_mut() {
                o.entry("dynamic")
                    .or_insert_with(|| json!({}))
                    .as_object_mut()
                    .map(|d| d.insert(dc_id.clone(), dc));
            }
            st.assets
                .update_content(AssetKind::Email, id, c, None, ctx.now)?;
            json!({"contentType": "DynamicContent", "value": dc_id})
        }
        "Snippet" => {
            let sid: i32 = value
                .trim()
                .parse()
                .map_err(|_| ApiError::new("1003", "value must be the id of a snippet"))?;
            st.assets.get(AssetKind::Snippet, sid)?;
            refs.push(AssetKey::new(AssetKind::Snippet, sid));
            json!({"contentType": "Snippet", "value": sid.to_string()})
        }
        other => {
            return Err(ApiError::new(
                "1003",
                format!("Invalid type '{other}': Text, DynamicContent or Snippet expected"),
            ));
        }
    };
    edit_content(st, ctx, id, Some(refs), |c| {
        let s = sections_mut(c)
            .iter_mut()
            .find(|s| s["htmlId"] == html_id.as_str() && s["contentType"] != "Module")
            .ok_or_else(|| ApiError::new("702", format!("Section '{html_id}' not found")))?;
        s["contentType"] = new_section["contentType"].clone();
        s["value"] = new_section["value"].clone();
        Ok(())
    })?;
    id_ok(id)
}

/// Renumbers the modules of a content in their current `index` order (0, 1, ...).
fn renumber(sections: &mut [Value]) {
    let mut idx: Vec<(i64, usize)> = sections
        .iter()
        .enumerate()
        .filter(|(_, s)| s["contentType"] == "Module")
        .map(|(i, s)| (s["index"].as_i64().unwrap_or(0), i))
        .collect();
    idx.sort();
    for (n, (_, i)) in idx.into_iter().enumerate() {
        sections[i]["index"] = Value::from(n);
    }
}

fn module_index(sections: &[Value], module: &str) -> Result<i64, ApiError> {
    sections
        .iter()
        .find(|s| s["contentType"] == "Module" && s["htmlId"] == module)
        .and_then(|s| s["index"].as_i64())
        .ok_or_else(|| ApiError::new("702", format!("Module '{module}' not found")))
}

/// Shifts the modules at or after `from` one place down.
fn make_room(sections: &mut [Value], from: i64) {
    for s in sections.iter_mut().filter(|s| s["contentType"] == "Module") {
        let i = s["index"].as_i64().unwrap_or(0);
        if i >= from {
            s["index"] = Value::from(i + 1);
        }
    }
}

fn unique_id(sections: &[Value], base: &str) -> String {
    if !sections.iter().any(|s| s["htmlId"] == base) {
        return base.to_owned();
    }
    (1..)
        .map(|n| format!("{base}{n}"))
        .find(|c| !sections.iter().any(|s| s["htmlId"] == c.as_str()))
        .unwrap_or_else(|| base.to_owned())
}

fn add_module(st: &mut State, ctx: &Ctx) -> ApiResult {
    let id = ctx.path.int("id")?;
    let module = ctx.path.str("moduleId")?.to_owned();
    let form = ctx.form()?;
    let index: i64 = form
        .int("index")?
        .ok_or_else(|| ApiError::new("701", "index cannot be blank"))?;
    let a = email(st, id)?;
    let template_html = a
        .refs
        .iter()
        .find(|k| k.kind == AssetKind::EmailTemplate)
        .and_then(|k| st.assets.get(k.kind, k.id).ok())
        .and_then(|t| {
            t.content_of(Some(VersionFilter::Approved))["html"]
                .as_str()
                .map(str::to_owned)
        })
        .unwrap_or_default();
    if !template_modules(&template_html).contains(&module) {
        return Err(ApiError::new(
            "702",
            format!("Module '{module}' is not a module of the email's template"),
        ));
    }
    edit_content(st, ctx, id, None, |c| {
        let sections = sections_mut(c);
        let at = index.max(0);
        make_room(sections, at);
        let new_id = unique_id(sections, &module);
        sections.push(json!({"htmlId": new_id, "contentType": "Module", "index": at, "parentHtmlId": "template-wrapper", "isLocked": false}));
        renumber(sections);
        Ok(())
    })?;
    id_ok(id)
}

fn delete_module(st: &mut State, ctx: &Ctx) -> ApiResult {
    let id = ctx.path.int("id")?;
    let module = ctx.path.str("moduleId")?.to_owned();
    edit_content(st, ctx, id, None, |c| {
        let sections = sections_mut(c);
        module_index(sections, &module)?;
        sections.retain(|s| s["htmlId"] != module.as_str() && s["parentHtmlId"] != module.as_str());
        renumber(sections);
        Ok(())
    })?;
    id_ok(id)
}

fn duplicate_module(st: &mut State, ctx: &Ctx) -> ApiResult {
    let id = ctx.path.int("id")?;
    let module = ctx.path.str("moduleId")?.to_owned();
    edit_content(st, ctx, id, None, |c| {
        let sections = sections_mut(c);
        let at = module_index(sections, &module)? + 1;
        let new_id = unique_id(sections, &module);
        let children: Vec<Value> = sections
            .iter()
            .filter(|s| s["parentHtmlId"] == module.as_str())
            .cloned()
            .collect();
        make_room(sections, at);
        sections.push(json!({"htmlId": new_id, "contentType": "Module", "index": at, "parentHtmlId": "template-wrapper", "isLocked": false}));
        for mut ch in children {
            let base = ch["htmlId"].as_str().unwrap_or("section").to_owned();
            ch["htmlId"] = Value::from(unique_id(sections, &base));
            ch["parentHtmlId"] = Value::from(new_id.clone());
            sections.push(ch);
        }
        renumber(sections);
        Ok(())
    })?;
    id_ok(id)
}

fn rename_module(st: &mut State, ctx: &Ctx) -> ApiResult {
    let id = ctx.path.int("id")?;
    let module = ctx.path.str("moduleId")?.to_owned();
    let form = ctx.form()?;
    let name = form.required("name")?.to_owned();
    edit_content(st, ctx, id, None, |c| {
        let sections = sections_mut(c);
        module_index(sections, &module)?;
        if name != module && sections.iter().any(|s| s["htmlId"] == name.as_str()) {
            return Err(ApiError::new(
                "709",
                format!("Module id '{name}' is already in use"),
            ));
        }
        for s in sections.iter_mut() {
            if s["htmlId"] == module.as_str() {
                s["htmlId"] = Value::from(name.clone());
            } else if s["parentHtmlId"] == module.as_str() {
                s["parentHtmlId"] = Value::from(name.clone());
            }
        }
        Ok(())
    })?;
    id_ok(id)
}

fn rearrange(st: &mut State, ctx: &Ctx) -> ApiResult {
    let id = ctx.path.int("id")?;
    let form = ctx.form()?;
    let positions = form_json(&form, "positions")?
        .ok_or_else(|| ApiError::new("701", "positions cannot be blank"))?;
    let positions = positions
        .as_array()
        .ok_or_else(|| ApiError::new("1003", "positions must be an array"))?
        .iter()
        .map(|p| {
            let idx = p.get("index").and_then(Value::as_i64);
            let m = p.get("moduleId").and_then(Value::as_str);
            idx.zip(m.map(str::to_owned))
                .ok_or_else(|| ApiError::new("1003", "each position needs index and moduleId"))
        })
        .collect::<Result<Vec<_>, _>>()?;
    edit_content(st, ctx, id, None, |c| {
        let sections = sections_mut(c);
        let modules: Vec<String> = sections
            .iter()
            .filter(|s| s["contentType"] == "Module")
            .filter_map(|s| s["htmlId"].as_str().map(str::to_owned))
            .collect();
        let mut given: Vec<&String> = positions.iter().map(|(_, m)| m).collect();
        given.sort();
        given.dedup();
        let mut indexes: Vec<i64> = positions.iter().map(|(i, _)| *i).collect();
        indexes.sort_unstable();
        indexes.dedup();
        let count = i64::try_from(modules.len()).unwrap_or(0);
        if given.len() != modules.len()
            || positions.len() != modules.len()
            || !modules.iter().all(|m| given.contains(&m))
            || indexes.len() != modules.len()
            || indexes.iter().any(|i| *i < 0 || *i >= count)
        {
            return Err(ApiError::new(
                "1003",
                "positions must place every module of the email exactly once",
            ));
        }
        for (i, m) in &positions {
            if let Some(s) = sections
                .iter_mut()
                .find(|s| s["contentType"] == "Module" && s["htmlId"] == m.as_str())
            {
                s["index"] = Value::from(*i);
            }
        }
        Ok(())
    })?;
    id_ok(id)
}

fn variables(st: &mut State, ctx: &Ctx) -> ApiResult {
    let a = email(st, ctx.path.int("id")?)?;
    let v = version_param(&ctx.query)?;
    let vars = a
        .content_of(v)
        .get("variables")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    Ok(asset_ok(vars))
}

fn update_variable(st: &mut State, ctx: &Ctx) -> ApiResult {
    let id = ctx.path.int("id")?;
    let name = ctx.path.str("name")?.to_owned();
    let form = ctx.form()?;
    let value = form
        .get("value")
        .ok_or_else(|| ApiError::new("701", "value cannot be blank"))?
        .to_owned();
    let module = form.non_empty("moduleId").map(str::to_owned);
    let mut out = Value::Null;
    edit_content(st, ctx, id, None, |c| {
        if let Some(m) = &module {
            module_index(sections_mut(c), m)?;
        }
        let vars = c
            .get_mut("variables")
            .and_then(Value::as_array_mut)
            .ok_or_else(|| ApiError::new("702", format!("Variable '{name}' not found")))?;
        let pos = vars.iter().position(|v| {
            v["name"] == name.as_str()
                && match &module {
                    Some(m) => v["moduleId"] == m.as_str(),
                    None => v["moduleScope"] != true,
                }
        });
        let var = match (pos, &module) {
            (Some(p), _) => &mut vars[p],
            // A module-local variable appears the first time it is set for that module.
            (None, Some(m)) if vars.iter().any(|v| v["name"] == name.as_str()) => {
                vars.push(json!({"name": name, "value": "", "moduleScope": true, "moduleId": m}));
                vars.last_mut().expect("just pushed")
            }
            _ => {
                return Err(ApiError::new("702", format!("Variable '{name}' not found")));
            }
        };
        var["value"] = Value::from(value.clone());
        out = var.clone();
        Ok(())
    })?;
    Ok(asset_ok(vec![out]))
}

fn dynamic_section<'a>(
    a: &'a Asset,
    v: Option<VersionFilter>,
    dc: &str,
) -> Result<&'a Value, ApiError> {
    a.content_of(v)
        .get("dynamic")
        .and_then(|d| d.get(dc))
        .ok_or_else(|| ApiError::new("702", format!("Dynamic content '{dc}' not found")))
}

fn dynamic_content(st: &mut State, ctx: &Ctx) -> ApiResult {
    let a = email(st, ctx.path.int("id")?)?;
    let dc = ctx.path.str("dynamicContentId")?;
    let v = version_param(&ctx.query)?;
    Ok(asset_ok(vec![dynamic_section(a, v, dc)?.clone()]))
}

fn update_dynamic(st: &mut State, ctx: &Ctx) -> ApiResult {
    let id = ctx.path.int("id")?;
    let dc = ctx.path.str("dynamicContentId")?.to_owned();
    let form = ctx.form()?;
    let segment = form.required("segment")?.to_owned();
    let value = form.get("value").unwrap_or("").to_owned();
    let ty = form.required("type")?.to_owned();
    if ty != "HTML" && ty != "Text" {
        return Err(ApiError::new(
            "1003",
            format!("Invalid type '{ty}': HTML or Text expected"),
        ));
    }
    dynamic_section(email(st, id)?, None, &dc)?;
    let now = asset_datetime(ctx.now);
    edit_content(st, ctx, id, None, |c| {
        let section = &mut c["dynamic"][dc.as_str()];
        let item = section["content"]
            .as_array_mut()
            .and_then(|items| {
                items
                    .iter_mut()
                    .find(|i| i["segmentName"] == segment.as_str())
            })
            .ok_or_else(|| ApiError::new("1003", format!("Invalid segment '{segment}'")))?;
        item["type"] = Value::from(ty.clone());
        item["content"] = Value::from(value.clone());
        section["updatedAt"] = Value::from(now.clone());
        Ok(())
    })?;
    id_ok(id)
}

fn full_content(st: &mut State, ctx: &Ctx) -> ApiResult {
    let a = email(st, ctx.path.int("id")?)?;
    let v = version_param(&ctx.query)?;
    let text = match ctx.query.non_empty("type") {
        None => false,
        Some(t) if t.eq_ignore_ascii_case("html") => false,
        Some(t) if t.eq_ignore_ascii_case("text") => true,
        Some(t) => {
            return Err(ApiError::new(
                "1003",
                format!("Invalid type '{t}': HTML or Text expected"),
            ));
        }
    };
    if let Some(l) = ctx.query.int::<i64>("leadId")?
        && !st.leads.contains_key(&l)
    {
        return Err(ApiError::new("1013", format!("Lead {l} not found")));
    }
    // The approved version of an approved email unless the draft is asked for.
    let version = v.or(a.approved.as_ref().map(|_| VersionFilter::Approved));
    let c = a.content_of(version);
    let mut parts = Vec::new();
    for s in c["sections"].as_array().into_iter().flatten() {
        let part = match s["contentType"].as_str() {
            Some("Text") => s["value"][if text { 1 } else { 0 }]["value"]
                .as_str()
                .unwrap_or_default()
                .to_owned(),
            Some("DynamicContent") => {
                let dc = s["value"].as_str().unwrap_or_default();
                c["dynamic"][dc]["content"]
                    .as_array()
                    .and_then(|i| i.iter().find(|x| x["segmentName"] == "Default"))
                    .and_then(|x| x["content"].as_str())
                    .unwrap_or_default()
                    .to_owned()
            }
            _ => continue,
        };
        parts.push(if text {
            part
        } else {
            format!(
                "<div id=\"{}\">{part}</div>",
                s["htmlId"].as_str().unwrap_or("")
            )
        });
    }
    let body = if text {
        parts.join("\n")
    } else {
        format!("<html><body>{}</body></html>", parts.join(""))
    };
    let status = status_str(a, version);
    Ok(asset_ok(vec![
        json!({"id": a.id, "status": status, "content": body}),
    ]))
}

#[cfg(test)]
mod tests {
    use axum::body::Bytes;
    use axum::http::Method;
    use serde_json::{Value, json};

    use super::super::{Ctx, Params, ROUTER};
    use crate::config::Config;
    use crate::state::{Asset, AssetKind, DEMO_TIME, FolderKind, FolderRef, State};

    fn call(st: &mut State, method: &Method, path: &str, form: &str) -> Result<Value, String> {
        let (handler, params) = ROUTER.find(method, path).map_err(|e| e.message)?;
        let ctx = Ctx {
            path: params,
            query: Params::default(),
            content_type: Some("application/x-www-form-urlencoded".to_owned()),
            body: Bytes::from(form.to_owned()),
            now: st.now(),
        };
        handler(st, &ctx).map_err(|e| e.code.to_owned())
    }

    /// Dynamic content needs a segmentation, which the demo data of this area does not seed.
    #[test]
    fn a_section_becomes_dynamic_content_with_one_entry_per_segment() {
        let mut st = State::new(Config::default());
        st.assets.insert(Asset {
            id: 11_901,
            kind: AssetKind::Segmentation,
            name: "Region".to_owned(),
            description: None,
            folder: FolderRef {
                id: 20,
                kind: FolderKind::Folder,
            },
            workspace: "Default".to_owned(),
            created_at: DEMO_TIME,
            updated_at: DEMO_TIME,
            meta: serde_json::Map::new(),
            content: json!({"segments": [{"id": 11_902, "name": "Southwest"}, {"id": 11_903, "name": "Northeast"}]}),
            approved: None,
            has_draft: false,
            refs: Vec::new(),
            approved_refs: Vec::new(),
            version: 1,
        });
        let post = Method::POST;
        let get = Method::GET;
        let section = "/rest/asset/v1/email/7002/content/headline.json";
        assert_eq!(
            call(&mut st, &post, section, "type=DynamicContent&value=987").unwrap_err(),
            "702"
        );
        call(&mut st, &post, section, "type=DynamicContent&value=11901").unwrap();
        let dc = "/rest/asset/v1/email/7002/dynamicContent/headline-dc.json";
        call(
            &mut st,
            &post,
            dc,
            "segment=Southwest&type=HTML&value=%3Cb%3ESW%3C%2Fb%3E",
        )
        .unwrap();
        assert_eq!(
            call(&mut st, &post, dc, "segment=Nowhere&type=HTML&value=x").unwrap_err(),
            "1003"
        );
        assert_eq!(
            call(&mut st, &post, dc, "segment=Southwest&type=Bogus&value=x").unwrap_err(),
            "1003"
        );
        let got = call(&mut st, &get, dc, "").unwrap();
        let items = got["result"][0]["content"].as_array().unwrap();
        let names: Vec<&str> = items
            .iter()
            .filter_map(|i| i["segmentName"].as_str())
            .collect();
        assert_eq!(names, ["Southwest", "Northeast", "Default"]);
        assert_eq!(items[0]["content"], "<b>SW</b>");
        assert_eq!(got["result"][0]["segmentation"], 11_901);
        // The header fields may be dynamic too.
        let headers = "/rest/asset/v1/email/7002/content.json";
        let subject = "subject=%7B%22type%22%3A%22DynamicContent%22%2C%22value%22%3A11901%7D";
        call(&mut st, &post, headers, subject).unwrap();
        let bad = "subject=%7B%22type%22%3A%22DynamicContent%22%2C%22value%22%3A5%7D";
        assert_eq!(call(&mut st, &post, headers, bad).unwrap_err(), "702");
    }
}
