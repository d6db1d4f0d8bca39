//! The SOAP operations of the WSDL, answered from the in-memory state.
//!
//! Each function reads its `params<Op>` element and returns the XML inside
//! `success<Op>` (children unqualified, in the WSDL's sequence order).

use roxmltree::Node;
use serde_json::{Map, Value};
use time::OffsetDateTime;

use super::SoapError;
use super::xml::{self, W, child, children, raw_text, text};
use crate::rest::activities::{Position, after, decode, encode};
use crate::rest::campaigns::{CampaignError, schedule_core, trigger_core};
use crate::rest::leads::{SyncOutcome, known_field, merge_core, sync_one};
use crate::state::{Activity, Api, CustomObject, ImportJob, Lead, MObject, State};
use crate::util::{parse_datetime, soap_datetime};

type R = Result<String, SoapError>;

/// Runs one operation (`op` is the element name without `params`, e.g. `GetLead`).
pub(crate) fn dispatch(st: &mut State, op: &str, p: Node<'_, '_>) -> R {
    match op {
        "GetLead" => get_lead(st, p),
        "GetMultipleLeads" => get_multiple_leads(st, p),
        "GetLeadActivity" => get_lead_activity(st, p),
        "GetLeadChanges" => get_lead_changes(st, p),
        "SyncLead" => sync_lead(st, p),
        "SyncMultipleLeads" => sync_multiple_leads(st, p),
        "MergeLeads" => merge_leads(st, p),
        "ListOperation" => list_operation(st, p),
        "GetCampaignsForSource" => get_campaigns_for_source(st, p),
        "RequestCampaign" => request_campaign(st, p),
        "ScheduleCampaign" => schedule_campaign(st, p),
        "ImportToList" => import_to_list(st, p),
        "GetImportToListStatus" => get_import_to_list_status(st, p),
        "GetChannels" => get_channels(st, p),
        "GetTags" => get_tags(st, p),
        "SyncCustomObjects" => sync_custom_objects(st, p),
        "GetCustomObjects" => get_custom_objects(st, p),
        "DeleteCustomObjects" => delete_custom_objects(st, p),
        "DescribeMObject" => describe_mobject(p),
        "ListMObjects" => Ok(list_mobjects()),
        "GetMObjects" => get_mobjects(st, p),
        "SyncMObjects" => sync_mobjects(st, p),
        "DeleteMObjects" => delete_mobjects(st, p),
        other => Err(SoapError::with(
            "20019",
            format!("Operation params{other} is not defined in the WSDL"),
        )),
    }
}

// ----- shared helpers -----

fn required(n: Node<'_, '_>, name: &str) -> Result<String, SoapError> {
    text(n, name).ok_or_else(|| SoapError::with("20109", format!("{name} is required")))
}

fn bool_of(n: Node<'_, '_>, name: &str) -> Result<Option<bool>, SoapError> {
    match text(n, name).as_deref() {
        None => Ok(None),
        Some("true") | Some("1") => Ok(Some(true)),
        Some("false") | Some("0") => Ok(Some(false)),
        Some(v) => Err(SoapError::with(
            "20110",
            format!("{name}: '{v}' is not a boolean"),
        )),
    }
}

fn int_of(n: Node<'_, '_>, name: &str) -> Result<Option<i64>, SoapError> {
    match text(n, name) {
        None => Ok(None),
        Some(v) => v
            .parse()
            .map(Some)
            .map_err(|_| SoapError::with("20110", format!("{name}: '{v}' is not an integer"))),
    }
}

fn date_of(n: Node<'_, '_>, name: &str) -> Result<Option<OffsetDateTime>, SoapError> {
    match text(n, name) {
        None => Ok(None),
        Some(v) => parse_datetime(&v)
            .map(Some)
            .ok_or_else(|| SoapError::with("20110", format!("{name}: '{v}' is not a dateTime"))),
    }
}

/// `stringItem`s of an ArrayOfString child.
fn strings(n: Node<'_, '_>, name: &str) -> Vec<String> {
    child(n, name)
        .map(|a| {
            children(a, "stringItem")
                .filter_map(xml::text_of)
                .map(|s| s.trim().to_owned())
                .filter(|s| !s.is_empty())
                .collect()
        })
        .unwrap_or_default()
}

/// `attrib {name, value}` pairs of an ArrayOfAttrib child.
fn attribs(n: Node<'_, '_>, name: &str) -> Vec<(String, String)> {
    child(n, name)
        .map(|a| {
            children(a, "attrib")
                .filter_map(|at| {
                    Some((text(at, "name")?, raw_text(at, "value").unwrap_or_default()))
                })
                .collect()
        })
        .unwrap_or_default()
}

/// `attribute {attrName, attrValue}` pairs of an ArrayOfAttribute node.
fn attributes_of(a: Node<'_, '_>) -> Vec<(String, String, Option<String>)> {
    children(a, "attribute")
        .filter_map(|at| {
            Some((
                text(at, "attrName")?,
                raw_text(at, "attrValue").unwrap_or_default(),
                text(at, "attrType"),
            ))
        })
        .collect()
}

/// REST field name → SOAP attribute name (`firstName` → `FirstName`).
fn soap_field(name: &str) -> String {
    let mut c = name.chars();
    match c.next() {
        Some(f) => f.to_ascii_uppercase().to_string() + c.as_str(),
        None => String::new(),
    }
}

/// SOAP attribute name → REST field name (`FirstName` → `firstName`).
fn rest_field(name: &str) -> String {
    let mut c = name.chars();
    match c.next() {
        Some(f) => f.to_ascii_lowercase().to_string() + c.as_str(),
        None => String::new(),
    }
}

fn key_field(key_type: &str) -> Result<&'static str, SoapError> {
    match key_type {
        "IDNUM" => Ok("id"),
        "EMAIL" => Ok("email"),
        "COOKIE" => Ok("cookies"),
        "SFDCLEADID" => Ok("sfdcLeadId"),
        "SFDCCONTACTID" => Ok("sfdcContactId"),
        other => Err(SoapError::with(
            "20102",
            format!("Lead key type '{other}' is not supported"),
        )),
    }
}

/// Leads matching a key (`IDNUM`, `EMAIL`, ...).
fn find_leads(st: &State, key_type: &str, value: &str) -> Result<Vec<i64>, SoapError> {
    let field = key_field(key_type)?;
    if field == "id" {
        let id: i64 = value
            .parse()
            .map_err(|_| SoapError::with("20102", format!("IDNUM '{value}' is not a number")))?;
        return Ok(if st.leads.contains_key(&id) {
            vec![id]
        } else {
            Vec::new()
        });
    }
    if field == "cookies" {
        return Ok(st
            .leads
            .values()
            .filter(|l| l.field_text("cookies").is_some_and(|c| c.contains(value)))
            .map(|l| l.id)
            .collect());
    }
    Ok(st.lead_by_field(field, value))
}

/// Resolves a `leadKey` element to one lead id (20101/20102/20103).
fn resolve_lead_key(st: &State, key: Option<Node<'_, '_>>) -> Result<i64, SoapError> {
    let key = key.ok_or_else(|| SoapError::of("20101"))?;
    let kt = text(key, "keyType").ok_or_else(|| SoapError::of("20101"))?;
    let kv = raw_text(key, "keyValue")
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
        .ok_or_else(|| SoapError::of("20101"))?;
    find_leads(st, &kt, &kv)?
        .first()
        .copied()
        .ok_or_else(|| SoapError::with("20103", format!("No lead matches {kt} '{kv}'")))
}

fn value_text(v: &Value) -> Option<String> {
    match v {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        other => Some(other.to_string()),
    }
}

fn value_type(v: &Value) -> &'static str {
    match v {
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() => "integer",
        Value::Number(_) => "float",
        _ => "string",
    }
}

/// Writes a `leadRecord`.
fn write_lead(w: &mut W, tag: &str, l: &Lead, include: &[String]) {
    w.open(tag);
    w.leaf("Id", l.id.to_string());
    w.opt("Email", l.email());
    w.open("leadAttributeList");
    let mut attrs: Vec<(String, String, &'static str)> = l
        .fields
        .iter()
        .filter_map(|(k, v)| Some((soap_field(k), value_text(v)?, value_type(v))))
        .collect();
    attrs.push(("CreatedAt".into(), soap_datetime(l.created_at), "datetime"));
    attrs.push(("UpdatedAt".into(), soap_datetime(l.updated_at), "datetime"));
    for (name, value, ty) in attrs {
        if !include.is_empty() && !include.iter().any(|i| i.eq_ignore_ascii_case(&name)) {
            continue;
        }
        w.open("attribute")
            .leaf("attrName", &name)
            .leaf("attrType", ty)
            .leaf("attrValue", &value)
            .close("attribute");
    }
    w.close("leadAttributeList");
    w.close(tag);
}

/// Reads a `leadRecord` into (Id, fields).
fn read_lead(n: Node<'_, '_>) -> Result<(Option<i64>, Map<String, Value>), SoapError> {
    let id = int_of(n, "Id")?;
    let mut fields = Map::new();
    if let Some(e) = text(n, "Email") {
        fields.insert("email".into(), Value::from(e));
    }
    if let Some(list) = child(n, "leadAttributeList") {
        for (name, value, ty) in attributes_of(list) {
            let field = rest_field(&name);
            if field == "id" || !known_field(&field) {
                return Err(SoapError::with(
                    "20105",
                    format!("Lead attribute '{name}' does not exist"),
                ));
            }
            let v = match ty.as_deref() {
                Some("integer") => value
                    .trim()
                    .parse::<i64>()
                    .map(Value::from)
                    .unwrap_or(Value::from(value)),
                Some("boolean") => Value::from(value.trim() == "true" || value.trim() == "1"),
                _ if field == "leadScore" => value
                    .trim()
                    .parse::<i64>()
                    .map(Value::from)
                    .unwrap_or(Value::from(value)),
                _ => Value::from(value),
            };
            fields.insert(field, v);
        }
    }
    Ok((id, fields))
}

fn write_activity(w: &mut W, tag: &str, st: &State, a: &Activity, person: bool) {
    let type_name = st
        .activity_types
        .iter()
        .find(|t| t.id == a.type_id)
        .map(|t| t.name.clone())
        .unwrap_or_else(|| format!("Activity {}", a.type_id));
    w.open(tag);
    w.leaf("id", a.id.to_string());
    w.leaf("marketoGUID", &a.marketo_guid);
    w.leaf("activityDateTime", soap_datetime(a.date));
    w.leaf("activityType", &type_name);
    w.opt("mktgAssetName", a.primary_value.as_deref());
    w.open("activityAttributes");
    for (n, v) in &a.attributes {
        if let Some(v) = value_text(v) {
            w.open("attribute")
                .leaf("attrName", n)
                .leaf("attrValue", &v)
                .close("attribute");
        }
    }
    w.close("activityAttributes");
    if let Some(c) = a.campaign_id.and_then(|c| st.campaigns.get(&c)) {
        w.leaf("campaign", &c.name);
    }
    if person && let Some(l) = st.leads.get(&a.lead_id) {
        let name = [l.field_text("firstName"), l.field_text("lastName")]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ");
        if !name.is_empty() {
            w.leaf("personName", &name);
        }
    }
    w.leaf("mktPersonId", a.lead_id.to_string());
    w.close(tag);
}

/// Activity type ids selected by an `activityFilter` (None: all).
fn activity_filter(st: &State, p: Node<'_, '_>) -> Result<Option<Vec<i32>>, SoapError> {
    let Some(f) = child(p, "activityFilter") else {
        return Ok(None);
    };
    let names = |tag: &str| -> Vec<String> {
        child(f, tag)
            .map(|a| {
                children(a, "activityType")
                    .filter_map(xml::text_of)
                    .map(|s| s.trim().to_owned())
                    .collect()
            })
            .unwrap_or_default()
    };
    let include = names("includeTypes");
    let exclude = names("excludeTypes");
    let ids = |list: &[String]| -> Vec<i32> {
        st.activity_types
            .iter()
            .filter(|t| list.iter().any(|n| *n == t.soap_name || *n == t.name))
            .map(|t| t.id)
            .collect()
    };
    let all: Vec<i32> = st.activity_types.iter().map(|t| t.id).collect();
    let mut selected = if include.is_empty() {
        all
    } else {
        ids(&include)
    };
    let ex = ids(&exclude);
    selected.retain(|i| !ex.contains(i));
    Ok(Some(selected))
}

fn batch_size(p: Node<'_, '_>, default: usize, max: usize) -> Result<usize, SoapError> {
    match int_of(p, "batchSize")? {
        None => Ok(default),
        Some(n) if n >= 1 => Ok(usize::try_from(n).unwrap_or(max).min(max)),
        Some(n) => Err(SoapError::with(
            "20110",
            format!("batchSize {n} is not positive"),
        )),
    }
}

fn write_position(w: &mut W, tag: &str, pos: Position) {
    w.open(tag).leaf("offset", encode(pos)).close(tag);
}

/// A start position: `offset` (a token) or `oldestCreatedAt`.
fn read_position(
    p: Node<'_, '_>,
    tag: &str,
) -> Result<(Position, Option<OffsetDateTime>), SoapError> {
    let Some(sp) = child(p, tag) else {
        return Ok((Position::After(0), None));
    };
    let latest = date_of(sp, "latestCreatedAt")?;
    if let Some(off) = text(sp, "offset") {
        let pos = decode(&off).ok_or_else(|| SoapError::of("20122"))?;
        return Ok((pos, latest));
    }
    if let Some(t) = date_of(sp, "oldestCreatedAt")? {
        return Ok((Position::Since(t), latest));
    }
    if let Some(t) = date_of(sp, "activityCreatedAt")? {
        return Ok((Position::Since(t), latest));
    }
    Ok((Position::After(0), latest))
}

// ----- leads -----

fn get_lead(st: &mut State, p: Node<'_, '_>) -> R {
    let key = child(p, "leadKey").ok_or_else(|| SoapError::of("20101"))?;
    let kt = text(key, "keyType").ok_or_else(|| SoapError::of("20101"))?;
    let kv = text(key, "keyValue").ok_or_else(|| SoapError::of("20101"))?;
    let ids = find_leads(st, &kt, &kv)?;
    if ids.is_empty() {
        return Err(SoapError::with(
            "20103",
            format!("No lead matches {kt} '{kv}'"),
        ));
    }
    let mut w = W::new();
    w.open("result")
        .leaf("count", ids.len().to_string())
        .open("leadRecordList");
    for id in ids {
        if let Some(l) = st.leads.get(&id) {
            write_lead(&mut w, "leadRecord", l, &[]);
        }
    }
    w.close("leadRecordList").close("result");
    Ok(w.out)
}

fn get_multiple_leads(st: &mut State, p: Node<'_, '_>) -> R {
    let sel = child(p, "leadSelector")
        .ok_or_else(|| SoapError::with("20109", "leadSelector is required"))?;
    let declared = sel
        .attribute((xml::XSI_NS, "type"))
        .map(|t| t.rsplit(':').next().unwrap_or(t).to_owned());
    let kind = declared.unwrap_or_else(|| {
        if child(sel, "keyType").is_some() {
            "LeadKeySelector".into()
        } else if child(sel, "oldestUpdatedAt").is_some() {
            "LastUpdateAtSelector".into()
        } else {
            "StaticListSelector".into()
        }
    });
    let mut ids: Vec<i64> = match kind.as_str() {
        "LeadKeySelector" => {
            let kt = required(sel, "keyType")?;
            // Marketo reads at most 100 keys and ignores the rest.
            let values: Vec<String> = strings(sel, "keyValues").into_iter().take(100).collect();
            let mut out = Vec::new();
            for v in values {
                for id in find_leads(st, &kt, &v)? {
                    if !out.contains(&id) {
                        out.push(id);
                    }
                }
            }
            out
        }
        "StaticListSelector" => {
            let list = match (int_of(sel, "staticListId")?, text(sel, "staticListName")) {
                (Some(id), _) => i32::try_from(id).ok().and_then(|id| st.lists.get(&id)),
                (None, Some(name)) => st.lists.values().find(|l| l.name == name),
                (None, None) => {
                    return Err(SoapError::with(
                        "20109",
                        "staticListId or staticListName is required",
                    ));
                }
            };
            list.ok_or_else(|| SoapError::of("20111"))?
                .members
                .iter()
                .copied()
                .collect()
        }
        "LastUpdateAtSelector" => {
            let oldest = date_of(sel, "oldestUpdatedAt")?
                .ok_or_else(|| SoapError::with("20109", "oldestUpdatedAt is required"))?;
            let latest = date_of(sel, "latestUpdatedAt")?;
            if let Some(l) = latest
                && l - oldest > time::Duration::days(30)
            {
                return Err(SoapError::of("20022"));
            }
            st.leads
                .values()
                .filter(|l| l.updated_at >= oldest && latest.is_none_or(|x| l.updated_at <= x))
                .map(|l| l.id)
                .collect()
        }
        other => {
            return Err(SoapError::with(
                "20110",
                format!("Unknown lead selector '{other}'"),
            ));
        }
    };
    if let Some(since) = date_of(p, "lastUpdatedAt")? {
        ids.retain(|id| st.leads.get(id).is_some_and(|l| l.updated_at >= since));
    }
    let offset: usize = match text(p, "streamPosition") {
        None => 0,
        Some(s) => match decode(&s) {
            Some(Position::After(n)) => usize::try_from(n).unwrap_or(0),
            _ => return Err(SoapError::of("20122")),
        },
    };
    let batch = batch_size(p, 100, 100)?;
    let include = strings(p, "includeAttributes");
    let page: Vec<i64> = ids.iter().skip(offset).take(batch).copied().collect();
    let remaining = ids.len().saturating_sub(offset.saturating_add(page.len()));
    let next = i64::try_from(offset.saturating_add(page.len())).unwrap_or(0);
    let mut w = W::new();
    w.open("result")
        .leaf("returnCount", page.len().to_string())
        .leaf("remainingCount", remaining.to_string())
        .leaf("newStreamPosition", encode(Position::After(next)));
    w.open("leadRecordList");
    for id in page {
        if let Some(l) = st.leads.get(&id) {
            write_lead(&mut w, "leadRecord", l, &include);
        }
    }
    w.close("leadRecordList").close("result");
    Ok(w.out)
}

fn get_lead_activity(st: &mut State, p: Node<'_, '_>) -> R {
    let lead = resolve_lead_key(st, child(p, "leadKey"))?;
    let types = activity_filter(st, p)?;
    let (pos, latest) = read_position(p, "startPosition")?;
    let batch = batch_size(p, 100, 1000)?;
    let matching: Vec<&Activity> = st
        .activities
        .iter()
        .filter(|a| a.lead_id == lead && after(a, pos))
        .filter(|a| latest.is_none_or(|l| a.date <= l))
        .filter(|a| types.as_ref().is_none_or(|t| t.contains(&a.type_id)))
        .collect();
    let page: Vec<&Activity> = matching.iter().take(batch).copied().collect();
    let remaining = matching.len() - page.len();
    let next = page.last().map(|a| Position::After(a.id)).unwrap_or(pos);
    let mut w = W::new();
    w.leaf("returnCount", page.len().to_string())
        .leaf("remainingCount", remaining.to_string());
    write_position(&mut w, "newStartPosition", next);
    w.open("activityRecordList");
    for a in page {
        write_activity(&mut w, "activityRecord", st, a, true);
    }
    w.close("activityRecordList");
    Ok(format!("<leadActivityList>{}</leadActivityList>", w.out))
}

fn get_lead_changes(st: &mut State, p: Node<'_, '_>) -> R {
    if child(p, "startPosition").is_none() {
        return Err(SoapError::with("20109", "startPosition is required"));
    }
    let (pos, latest) = read_position(p, "startPosition")?;
    let mut types = activity_filter(st, p)?;
    let names = strings(p, "activityNameFilter");
    if !names.is_empty() {
        let by_name: Vec<i32> = st
            .activity_types
            .iter()
            .filter(|t| names.contains(&t.name))
            .map(|t| t.id)
            .collect();
        types = Some(match types {
            Some(t) => t.into_iter().filter(|i| by_name.contains(i)).collect(),
            None => by_name,
        });
    }
    let lead_filter: Option<Vec<i64>> = match child(p, "leadSelector") {
        None => None,
        Some(sel) => {
            let kt = text(sel, "keyType");
            match kt {
                Some(kt) => {
                    let values = strings(sel, "keyValues");
                    if values.len() > 100 {
                        return Err(SoapError::with(
                            "20110",
                            "A LeadKeySelector holds at most 100 keys",
                        ));
                    }
                    let mut ids = Vec::new();
                    for v in values {
                        ids.extend(find_leads(st, &kt, &v)?);
                    }
                    Some(ids)
                }
                None => match (int_of(sel, "staticListId")?, text(sel, "staticListName")) {
                    (Some(id), _) => Some(
                        i32::try_from(id)
                            .ok()
                            .and_then(|id| st.lists.get(&id))
                            .ok_or_else(|| SoapError::of("20111"))?
                            .members
                            .iter()
                            .copied()
                            .collect(),
                    ),
                    (None, Some(name)) => Some(
                        st.lists
                            .values()
                            .find(|l| l.name == name)
                            .ok_or_else(|| SoapError::of("20111"))?
                            .members
                            .iter()
                            .copied()
                            .collect(),
                    ),
                    (None, None) => None,
                },
            }
        }
    };
    let batch = batch_size(p, 100, 1000)?;
    let matching: Vec<&Activity> = st
        .activities
        .iter()
        .filter(|a| after(a, pos))
        .filter(|a| latest.is_none_or(|l| a.date <= l))
        .filter(|a| types.as_ref().is_none_or(|t| t.contains(&a.type_id)))
        .filter(|a| {
            lead_filter
                .as_ref()
                .is_none_or(|ids| ids.contains(&a.lead_id))
        })
        .collect();
    let page: Vec<&Activity> = matching.iter().take(batch).copied().collect();
    let remaining = matching.len() - page.len();
    let next = page.last().map(|a| Position::After(a.id)).unwrap_or(pos);
    let mut w = W::new();
    w.open("result")
        .leaf("returnCount", page.len().to_string())
        .leaf("remainingCount", remaining.to_string());
    write_position(&mut w, "newStartPosition", next);
    w.open("leadChangeRecordList");
    for a in page {
        write_activity(&mut w, "leadChangeRecord", st, a, false);
    }
    w.close("leadChangeRecordList").close("result");
    Ok(w.out)
}

/// Creates or updates one lead from a SOAP record.
fn sync_record(
    st: &mut State,
    id: Option<i64>,
    fields: Map<String, Value>,
    dedup: bool,
) -> Result<(i64, &'static str), SoapError> {
    if let Some(id) = id {
        if !st.leads.contains_key(&id) {
            return Err(SoapError::with("20103", format!("Lead {id} not found")));
        }
        st.update_lead(id, fields);
        return Ok((id, "UPDATED"));
    }
    let action = if dedup {
        "createOrUpdate"
    } else {
        "createDuplicate"
    };
    let lookup = if fields.contains_key("email") {
        "email"
    } else {
        "id"
    };
    let action = if lookup == "id" {
        "createDuplicate"
    } else {
        action
    };
    match sync_one(st, action, lookup, &fields) {
        SyncOutcome::Created(id) => Ok((id, "CREATED")),
        SyncOutcome::Updated(id) => Ok((id, "UPDATED")),
        SyncOutcome::Skipped(_, msg) => Err(SoapError::with("20106", msg)),
    }
}

fn sync_lead(st: &mut State, p: Node<'_, '_>) -> R {
    let rec = child(p, "leadRecord").ok_or_else(|| SoapError::of("20104"))?;
    let return_lead = bool_of(p, "returnLead")?.unwrap_or(false);
    let (id, fields) = read_lead(rec)?;
    let (lead_id, status) = sync_record(st, id, fields, true)?;
    let mut w = W::new();
    w.open("result").leaf("leadId", lead_id.to_string());
    w.open("syncStatus")
        .leaf("leadId", lead_id.to_string())
        .leaf("status", status)
        .close("syncStatus");
    if return_lead && let Some(l) = st.leads.get(&lead_id) {
        write_lead(&mut w, "leadRecord", l, &[]);
    }
    w.close("result");
    Ok(w.out)
}

fn sync_multiple_leads(st: &mut State, p: Node<'_, '_>) -> R {
    let list = child(p, "leadRecordList").ok_or_else(|| SoapError::of("20104"))?;
    let dedup = bool_of(p, "dedupEnabled")?.unwrap_or(true);
    let records: Vec<Node<'_, '_>> = children(list, "leadRecord").collect();
    if records.is_empty() {
        return Err(SoapError::of("20104"));
    }
    if records.len() > 300 {
        return Err(SoapError::with(
            "20110",
            "At most 300 lead records per call",
        ));
    }
    let mut w = W::new();
    w.open("result").open("syncStatusList");
    for r in records {
        let outcome = read_lead(r).and_then(|(id, f)| sync_record(st, id, f, dedup));
        w.open("syncStatus");
        match outcome {
            Ok((id, status)) => {
                w.leaf("leadId", id.to_string()).leaf("status", status);
            }
            Err(e) => {
                w.leaf("leadId", "0")
                    .leaf("status", "FAILED")
                    .leaf("error", format!("{} ({})", e.message, e.code));
            }
        }
        w.close("syncStatus");
    }
    w.close("syncStatusList").close("result");
    Ok(w.out)
}

/// Resolves an ArrayOfAttribute lead key (`attrName` = key type).
fn resolve_key_list(st: &State, n: Node<'_, '_>) -> Result<i64, SoapError> {
    let attrs = attributes_of(n);
    let (kt, kv, _) = attrs.first().ok_or_else(|| SoapError::of("20101"))?;
    find_leads(st, kt, kv.trim())?
        .first()
        .copied()
        .ok_or_else(|| SoapError::with("20103", format!("No lead matches {kt} '{kv}'")))
}

fn merge_leads(st: &mut State, p: Node<'_, '_>) -> R {
    let win = child(p, "winningLeadKeyList").ok_or_else(|| SoapError::of("20101"))?;
    let winner = resolve_key_list(st, win)?;
    let losing = child(p, "losingLeadKeyLists").ok_or_else(|| SoapError::of("20101"))?;
    let mut losers = Vec::new();
    for kl in children(losing, "keyList") {
        losers.push(resolve_key_list(st, kl)?);
    }
    if losers.is_empty() {
        return Err(SoapError::of("20101"));
    }
    bool_of(p, "mergeInSales")?;
    let mut w = W::new();
    w.open("result").open("mergeStatus");
    w.leaf("winningLeadId", winner.to_string());
    w.open("losingLeadIdList");
    for l in &losers {
        w.leaf("integerItem", l.to_string());
    }
    w.close("losingLeadIdList");
    match merge_core(st, winner, &losers) {
        Ok(()) => {
            w.leaf("status", "MERGED");
        }
        Err(e) => {
            w.leaf("status", "FAILED").leaf("error", e.message);
        }
    }
    w.close("mergeStatus").close("result");
    Ok(w.out)
}

fn list_operation(st: &mut State, p: Node<'_, '_>) -> R {
    let op = required(p, "listOperation")?;
    let key = child(p, "listKey").ok_or_else(|| SoapError::with("20109", "listKey is required"))?;
    let kt = required(key, "keyType")?;
    let kv = required(key, "keyValue")?;
    if kt != "MKTOLISTNAME" {
        return Err(SoapError::with(
            "20110",
            format!("List key type '{kt}' is not supported"),
        ));
    }
    let list_id = st
        .lists
        .values()
        .find(|l| l.name == kv)
        .map(|l| l.id)
        .ok_or_else(|| SoapError::with("20111", format!("List '{kv}' not found")))?;
    let strict = bool_of(p, "strict")?.unwrap_or(false);
    let members = child(p, "listMemberList")
        .ok_or_else(|| SoapError::with("20109", "listMemberList is required"))?;
    let now = st.now();
    let mut statuses = Vec::new();
    for lk in children(members, "leadKey") {
        let kt = text(lk, "keyType").unwrap_or_default();
        let kv = text(lk, "keyValue").unwrap_or_default();
        let lead = find_leads(st, &kt, &kv)?.first().copied();
        let ok = match (lead, op.as_str()) {
            (None, _) => {
                if strict {
                    return Err(SoapError::with(
                        "20103",
                        format!("No lead matches {kt} '{kv}'"),
                    ));
                }
                false
            }
            (Some(id), "ADDTOLIST") => {
                if let Some(l) = st.lists.get_mut(&list_id)
                    && l.members.insert(id)
                {
                    st.push_activity(
                        id,
                        now,
                        24,
                        None,
                        Some(i64::from(list_id)),
                        Some(kv.clone()),
                        Vec::new(),
                    );
                }
                true
            }
            (Some(id), "REMOVEFROMLIST") => {
                let removed = st
                    .lists
                    .get_mut(&list_id)
                    .is_some_and(|l| l.members.remove(&id));
                if removed {
                    st.push_activity(
                        id,
                        now,
                        25,
                        None,
                        Some(i64::from(list_id)),
                        None,
                        Vec::new(),
                    );
                } else if strict {
                    return Err(SoapError::with(
                        "20110",
                        format!("Lead {id} is not in the list"),
                    ));
                }
                removed
            }
            (Some(id), "ISMEMBEROFLIST") => st
                .lists
                .get(&list_id)
                .is_some_and(|l| l.members.contains(&id)),
            (Some(_), other) => {
                return Err(SoapError::with(
                    "20110",
                    format!("Unknown listOperation '{other}'"),
                ));
            }
        };
        statuses.push((kt, kv, ok));
    }
    let mut w = W::new();
    w.open("result").leaf("success", "true").open("statusList");
    for (kt, kv, ok) in statuses {
        w.open("leadStatus")
            .open("leadKey")
            .leaf("keyType", &kt)
            .leaf("keyValue", &kv)
            .close("leadKey")
            .leaf("status", if ok { "true" } else { "false" })
            .close("leadStatus");
    }
    w.close("statusList").close("result");
    Ok(w.out)
}

// ----- campaigns -----

fn get_campaigns_for_source(st: &mut State, p: Node<'_, '_>) -> R {
    let source = required(p, "source")?;
    if source != "MKTOWS" && source != "SALES" {
        return Err(SoapError::with(
            "20110",
            format!("Unknown source '{source}'"),
        ));
    }
    let name = text(p, "name");
    let exact = bool_of(p, "exactName")?.unwrap_or(false);
    let found: Vec<_> = st
        .campaigns
        .values()
        .filter(|c| c.is_requestable && c.is_active)
        .filter(|c| match &name {
            None => true,
            Some(n) if exact => c.name == *n,
            Some(n) => c.name.to_lowercase().contains(&n.to_lowercase()),
        })
        .collect();
    let mut w = W::new();
    w.open("result")
        .leaf("returnCount", found.len().to_string());
    w.open("campaignRecordList");
    for c in found {
        w.open("campaignRecord")
            .leaf("id", c.id.to_string())
            .leaf("name", &c.name)
            .leaf("description", &c.description)
            .close("campaignRecord");
    }
    w.close("campaignRecordList").close("result");
    Ok(w.out)
}

fn campaign_error(e: CampaignError) -> SoapError {
    match e {
        CampaignError::NotFound(m) => SoapError::with("20113", m),
        CampaignError::NotBatch => {
            SoapError::with("20110", "Only batch campaigns can be scheduled")
        }
        CampaignError::NotRequestable => SoapError::with(
            "20110",
            "Campaign is not requestable: it needs an active 'Campaign is Requested' (Web Service API) trigger",
        ),
        CampaignError::RunAtTooFar => {
            SoapError::with("20110", "campaignRunAt cannot be more than 2 years ahead")
        }
        CampaignError::CloneLimit(n) => SoapError::with(
            "20110",
            format!("cloneToProgramName may be used {n} times a day; the limit is reached"),
        ),
        CampaignError::CloneName(m) => SoapError::with("20110", m),
        CampaignError::NoProgramToClone => SoapError::with(
            "20110",
            "The campaign is not in a program: nothing to clone",
        ),
    }
}

/// Campaign id of `campaignName` inside `programName` (20113 when either is unknown).
fn campaign_in_program(st: &State, program: &str, campaign: &str) -> Result<i32, SoapError> {
    let pid = st
        .program_by_name(program)
        .map(|p| p.id)
        .ok_or_else(|| SoapError::with("20113", format!("Program '{program}' not found")))?;
    st.campaigns
        .values()
        .find(|c| c.program_id == Some(pid) && c.name == campaign)
        .map(|c| c.id)
        .ok_or_else(|| {
            SoapError::with(
                "20113",
                format!("Campaign '{campaign}' not found in program '{program}'"),
            )
        })
}

fn request_campaign(st: &mut State, p: Node<'_, '_>) -> R {
    let source = required(p, "source")?;
    if source != "MKTOWS" && source != "SALES" {
        return Err(SoapError::with(
            "20110",
            format!("Unknown source '{source}'"),
        ));
    }
    let id = match int_of(p, "campaignId")? {
        Some(id) => i32::try_from(id).map_err(|_| SoapError::of("20113"))?,
        None => {
            let program = text(p, "programName");
            let campaign = text(p, "campaignName");
            match (program, campaign) {
                (Some(pn), Some(cn)) => campaign_in_program(st, &pn, &cn)?,
                _ => {
                    return Err(SoapError::with(
                        "20109",
                        "campaignId, or programName and campaignName, are required",
                    ));
                }
            }
        }
    };
    let list =
        child(p, "leadList").ok_or_else(|| SoapError::with("20109", "leadList is required"))?;
    let mut leads = Vec::new();
    // Marketo reads at most 100 lead keys and ignores the rest.
    for lk in children(list, "leadKey").take(100) {
        leads.push(resolve_lead_key(st, Some(lk))?);
    }
    if leads.is_empty() {
        return Err(SoapError::with(
            "20109",
            "leadList must name at least one lead",
        ));
    }
    let tokens = attribs(p, "programTokenList");
    trigger_core(st, Api::Soap, id, leads, tokens).map_err(campaign_error)?;
    Ok("<result><success>true</success></result>".into())
}

fn schedule_campaign(st: &mut State, p: Node<'_, '_>) -> R {
    let program = required(p, "programName")?;
    let campaign = required(p, "campaignName")?;
    let clone_to = text(p, "cloneToProgramName");
    let run_at = date_of(p, "campaignRunAt")?;
    let tokens = attribs(p, "programTokenList");
    let id = campaign_in_program(st, &program, &campaign)?;
    schedule_core(st, Api::Soap, id, run_at, clone_to, tokens).map_err(campaign_error)?;
    Ok("<result><success>true</success></result>".into())
}

// ----- import to list -----

fn import_to_list(st: &mut State, p: Node<'_, '_>) -> R {
    let program = required(p, "programName")?;
    let header = required(p, "importFileHeader")?;
    let mode = required(p, "importListMode")?;
    let list_name = required(p, "listName")?;
    let clear = bool_of(p, "clearList")?.unwrap_or(false);
    if mode != "UPSERTLEADS" && mode != "LISTONLY" {
        return Err(SoapError::with(
            "20110",
            format!("Unknown importListMode '{mode}'"),
        ));
    }
    let pid = st
        .program_by_name(&program)
        .map(|p| p.id)
        .ok_or_else(|| SoapError::with("20110", format!("Program '{program}' not found")))?;
    if let Some(c) = text(p, "campaignName") {
        campaign_in_program(st, &program, &c)?;
    }
    let columns: Vec<String> = header.split(',').map(|c| rest_field(c.trim())).collect();
    for c in &columns {
        if !known_field(c) && !c.starts_with('{') {
            return Err(SoapError::with("20105", format!("Unknown column '{c}'")));
        }
    }
    let list_id = match st
        .lists
        .values()
        .find(|l| l.name == list_name && l.program_id == Some(pid))
    {
        Some(l) => l.id,
        None => {
            let id = st.next_list_id;
            st.next_list_id += 1;
            st.lists.insert(
                id,
                crate::state::StaticList {
                    id,
                    name: list_name.clone(),
                    program_id: Some(pid),
                    members: Default::default(),
                },
            );
            id
        }
    };
    if clear && let Some(l) = st.lists.get_mut(&list_id) {
        l.members.clear();
    }
    let (mut ok, mut failed) = (0u32, 0u32);
    for row in strings(p, "importFileRows") {
        let values: Vec<&str> = row.split(',').map(str::trim).collect();
        let mut fields = Map::new();
        for (c, v) in columns.iter().zip(values) {
            if known_field(c) && c != "id" && !v.is_empty() {
                fields.insert(c.clone(), Value::from(v));
            }
        }
        let lead = match fields.get("email").and_then(Value::as_str) {
            None => None,
            Some(e) => {
                let found = st.lead_by_field("email", e).first().copied();
                match (found, mode.as_str()) {
                    (Some(id), "UPSERTLEADS") => {
                        st.update_lead(id, fields);
                        Some(id)
                    }
                    (Some(id), _) => Some(id),
                    (None, "UPSERTLEADS") => Some(st.create_lead(fields)),
                    (None, _) => None,
                }
            }
        };
        match lead {
            Some(id) => {
                ok += 1;
                if let Some(l) = st.lists.get_mut(&list_id) {
                    l.members.insert(id);
                }
            }
            None => failed += 1,
        }
    }
    let now = st.now();
    st.imports.insert(
        (program, list_name),
        ImportJob {
            rows_imported: ok,
            rows_failed: failed,
            started: now,
        },
    );
    Ok("<result><importStatus>PROCESSING</importStatus></result>".into())
}

fn get_import_to_list_status(st: &mut State, p: Node<'_, '_>) -> R {
    let program = required(p, "programName")?;
    let list = required(p, "listName")?;
    let job = st
        .imports
        .get(&(program.clone(), list.clone()))
        .ok_or_else(|| {
            SoapError::with("20110", format!("No import into '{list}' of '{program}'"))
        })?;
    let mut w = W::new();
    w.open("result")
        .leaf("status", "COMPLETE")
        .leaf("startedTime", soap_datetime(job.started))
        .leaf("endedTime", soap_datetime(job.started))
        .leaf("estimatedTime", "0")
        .leaf(
            "estimatedRows",
            (job.rows_imported + job.rows_failed).to_string(),
        )
        .leaf("rowsImported", job.rows_imported.to_string())
        .leaf("rowsFailed", job.rows_failed.to_string())
        .leaf("rowsIgnored", "0")
        .leaf(
            "importSummary",
            format!(
                "{} rows imported, {} failed",
                job.rows_imported, job.rows_failed
            ),
        )
        .close("result");
    Ok(w.out)
}

// ----- channels and tags -----

fn get_channels(st: &mut State, p: Node<'_, '_>) -> R {
    let wanted = child(p, "tag")
        .map(|t| strings(t, "values"))
        .unwrap_or_default();
    let mut w = W::new();
    w.open("result").open("tags");
    for c in st
        .channels
        .iter()
        .filter(|c| wanted.is_empty() || wanted.contains(&c.name))
    {
        w.open("tagStatus")
            .leaf("tagValue", &c.name)
            .open("statusList");
        for s in &c.statuses {
            w.open("progressionStatusItem").open("progressionStatus");
            for (n, v) in [
                ("name", s.name.clone()),
                ("step", s.step.to_string()),
                ("success", s.success.to_string()),
            ] {
                w.open("attrib")
                    .leaf("name", n)
                    .leaf("value", v)
                    .close("attrib");
            }
            w.close("progressionStatus").close("progressionStatusItem");
        }
        w.close("statusList").close("tagStatus");
    }
    w.close("tags").close("result");
    Ok(w.out)
}

fn get_tags(st: &mut State, p: Node<'_, '_>) -> R {
    let wanted: Vec<String> = child(p, "tagList")
        .map(|l| children(l, "tag").filter_map(|t| text(t, "type")).collect())
        .unwrap_or_default();
    let mut all: Vec<(String, Vec<String>)> = vec![(
        "Channel".into(),
        st.channels.iter().map(|c| c.name.clone()).collect(),
    )];
    all.extend(
        st.tag_types
            .iter()
            .map(|t| (t.name.clone(), t.values.clone())),
    );
    let mut w = W::new();
    w.open("result").open("tagList");
    for (ty, values) in all
        .iter()
        .filter(|(t, _)| wanted.is_empty() || wanted.contains(t))
    {
        w.open("tag").leaf("type", ty).open("values");
        for v in values {
            w.leaf("stringItem", v);
        }
        w.close("values").close("tag");
    }
    w.close("tagList").close("result");
    Ok(w.out)
}

// ----- custom objects -----

fn pairs(n: Option<Node<'_, '_>>) -> Vec<(String, String)> {
    n.map(|a| {
        attributes_of(a)
            .into_iter()
            .map(|(k, v, _)| (k, v))
            .collect()
    })
    .unwrap_or_default()
}

fn write_pairs(w: &mut W, tag: &str, pairs: &[(String, String)]) {
    w.open(tag);
    for (k, v) in pairs {
        w.open("attribute")
            .leaf("attrName", k)
            .leaf("attrValue", v)
            .close("attribute");
    }
    w.close(tag);
}

fn sync_custom_objects(st: &mut State, p: Node<'_, '_>) -> R {
    let ty = required(p, "objTypeName")?;
    let op = required(p, "operation")?;
    if !matches!(op.as_str(), "INSERT" | "UPDATE" | "UPSERT") {
        return Err(SoapError::with(
            "20110",
            format!("Unknown operation '{op}'"),
        ));
    }
    let list = child(p, "customObjList")
        .ok_or_else(|| SoapError::with("20109", "customObjList is required"))?;
    let mut w = W::new();
    w.open("result").open("syncCustomObjStatusList");
    for obj in children(list, "customObj") {
        let keys = pairs(child(obj, "customObjKeyList"));
        let attrs = pairs(child(obj, "customObjAttributeList"));
        let store = st.custom_objects.entry(ty.clone()).or_default();
        let existing = store.iter().position(|o| o.keys == keys);
        let (status, error) = match (existing, op.as_str()) {
            (_, _) if keys.is_empty() => ("FAILED", Some("customObjKeyList is required")),
            (Some(_), "INSERT") => ("FAILED", Some("Object already exists")),
            (None, "UPDATE") => ("FAILED", Some("Object not found")),
            (Some(i), _) => {
                if let Some(o) = store.get_mut(i) {
                    for (k, v) in &attrs {
                        match o.attributes.iter_mut().find(|(x, _)| x == k) {
                            Some(e) => e.1 = v.clone(),
                            None => o.attributes.push((k.clone(), v.clone())),
                        }
                    }
                }
                ("UPDATED", None)
            }
            (None, _) => {
                store.push(CustomObject {
                    keys: keys.clone(),
                    attributes: attrs,
                });
                ("CREATED", None)
            }
        };
        w.open("syncCustomObjStatus").leaf("objTypeName", &ty);
        write_pairs(&mut w, "customObjKeyList", &keys);
        w.leaf("status", status).opt("error", error);
        w.close("syncCustomObjStatus");
    }
    w.close("syncCustomObjStatusList").close("result");
    Ok(w.out)
}

fn get_custom_objects(st: &mut State, p: Node<'_, '_>) -> R {
    let ty = required(p, "objTypeName")?;
    let keys = pairs(child(p, "customObjKeyList"));
    let include = strings(p, "includeAttributes");
    let offset: usize = match text(p, "streamPosition") {
        None => 0,
        Some(s) => match decode(&s) {
            Some(Position::After(n)) => usize::try_from(n).unwrap_or(0),
            _ => return Err(SoapError::of("20122")),
        },
    };
    let batch = batch_size(p, 100, 1000)?;
    let empty = Vec::new();
    let all = st.custom_objects.get(&ty).unwrap_or(&empty);
    let matching: Vec<&CustomObject> = all
        .iter()
        .filter(|o| keys.iter().all(|k| o.keys.contains(k)))
        .collect();
    let page: Vec<&CustomObject> = matching.iter().skip(offset).take(batch).copied().collect();
    let remaining = matching
        .len()
        .saturating_sub(offset.saturating_add(page.len()));
    let mut w = W::new();
    w.open("result")
        .leaf("objTypeName", &ty)
        .leaf("returnCount", page.len().to_string())
        .leaf("remainingCount", remaining.to_string())
        .leaf(
            "newStreamPosition",
            encode(Position::After(
                i64::try_from(offset.saturating_add(page.len())).unwrap_or(0),
            )),
        )
        .open("customObjList");
    for o in page {
        w.open("customObj");
        write_pairs(&mut w, "customObjKeyList", &o.keys);
        let attrs: Vec<(String, String)> = o
            .attributes
            .iter()
            .filter(|(k, _)| include.is_empty() || include.contains(k))
            .cloned()
            .collect();
        write_pairs(&mut w, "customObjAttributeList", &attrs);
        w.close("customObj");
    }
    w.close("customObjList").close("result");
    Ok(w.out)
}

fn delete_custom_objects(st: &mut State, p: Node<'_, '_>) -> R {
    let ty = required(p, "objTypeName")?;
    let lists = child(p, "customObjKeyLists")
        .ok_or_else(|| SoapError::with("20109", "customObjKeyLists is required"))?;
    let mut w = W::new();
    w.open("result").open("deleteCustomObjStatusList");
    for kl in children(lists, "keyList") {
        let keys = pairs(Some(kl));
        let store = st.custom_objects.entry(ty.clone()).or_default();
        let before = store.len();
        store.retain(|o| o.keys != keys);
        let deleted = store.len() < before;
        w.open("syncCustomObjStatus").leaf("objTypeName", &ty);
        write_pairs(&mut w, "customObjKeyList", &keys);
        if deleted {
            w.leaf("status", "DELETED");
        } else {
            w.leaf("status", "FAILED").leaf("error", "Object not found");
        }
        w.close("syncCustomObjStatus");
    }
    w.close("deleteCustomObjStatusList").close("result");
    Ok(w.out)
}

// ----- MObjects -----

const MOBJECT_TYPES: &[&str] = &["Opportunity", "OpportunityPersonRole", "Program"];

fn mobject_fields(name: &str) -> Option<&'static [(&'static str, &'static str)]> {
    match name {
        "Opportunity" => Some(&[
            ("Id", "integer"),
            ("Name", "string"),
            ("Amount", "currency"),
            ("Stage", "string"),
            ("CloseDate", "date"),
            ("ExternalKey", "string"),
        ]),
        "OpportunityPersonRole" => Some(&[
            ("Id", "integer"),
            ("OpportunityId", "integer"),
            ("PersonId", "integer"),
            ("Role", "string"),
            ("IsPrimary", "boolean"),
        ]),
        "Program" => Some(&[("Id", "integer"), ("Name", "string"), ("Type", "string")]),
        _ => None,
    }
}

fn list_mobjects() -> String {
    let mut w = W::new();
    w.open("result");
    for t in MOBJECT_TYPES {
        w.leaf("objects", *t);
    }
    w.close("result");
    w.out
}

fn describe_mobject(p: Node<'_, '_>) -> R {
    let name = required(p, "objectName")?;
    let fields = mobject_fields(&name)
        .ok_or_else(|| SoapError::with("20110", format!("Unknown MObject '{name}'")))?;
    let updated = soap_datetime(crate::state::DEMO_TIME);
    let mut w = W::new();
    w.open("result").open("metadata");
    w.leaf("name", &name)
        .leaf("description", format!("{name} object"))
        .leaf("isCustom", "false")
        .leaf("isVirtual", "false")
        .open("fieldList");
    for (f, ty) in fields {
        w.open("field")
            .leaf("name", *f)
            .leaf("displayName", *f)
            .leaf("sourceObject", &name)
            .leaf("dataType", *ty)
            .leaf(
                "isReadonly",
                if *f == "Id" || name == "Program" {
                    "true"
                } else {
                    "false"
                },
            )
            .leaf("isUpdateBlocked", "false")
            .leaf("isName", if *f == "Name" { "true" } else { "false" })
            .leaf("isPrimaryKey", if *f == "Id" { "true" } else { "false" })
            .leaf("isCustom", "false")
            .leaf("isDynamic", "false")
            .leaf("updatedAt", &updated)
            .close("field");
    }
    w.close("fieldList").leaf("updatedAt", &updated);
    w.close("metadata").close("result");
    Ok(w.out)
}

fn compare(actual: &str, op: &str, expected: &str) -> bool {
    let ord = match (actual.parse::<f64>(), expected.parse::<f64>()) {
        (Ok(a), Ok(b)) => a.partial_cmp(&b),
        _ => Some(actual.cmp(expected)),
    };
    let Some(ord) = ord else { return false };
    match op {
        "EQ" => ord.is_eq(),
        "NE" => ord.is_ne(),
        "LT" => ord.is_lt(),
        "LE" => ord.is_le(),
        "GT" => ord.is_gt(),
        "GE" => ord.is_ge(),
        _ => false,
    }
}

fn get_mobjects(st: &mut State, p: Node<'_, '_>) -> R {
    let ty = required(p, "type")?;
    if mobject_fields(&ty).is_none() {
        return Err(SoapError::with("20110", format!("Unknown MObject '{ty}'")));
    }
    let objects: Vec<MObject> = if ty == "Program" {
        st.programs
            .values()
            .map(|p| MObject {
                mobj_type: "Program".into(),
                id: p.id,
                attributes: vec![
                    ("Name".into(), p.name.clone()),
                    ("Type".into(), p.program_type.clone()),
                ],
            })
            .collect()
    } else {
        st.mobjects
            .values()
            .filter(|o| o.mobj_type == ty)
            .cloned()
            .collect()
    };
    let id = int_of(p, "id")?;
    let criteria: Vec<(String, String, String)> = child(p, "mObjCriteriaList")
        .map(|l| {
            children(l, "mObjCriteria")
                .filter_map(|c| {
                    Some((
                        text(c, "attrName")?,
                        text(c, "comparison")?,
                        raw_text(c, "attrValue").unwrap_or_default(),
                    ))
                })
                .collect()
        })
        .unwrap_or_default();
    let get_attr = |o: &MObject, name: &str| -> Option<String> {
        if name == "Id" {
            return Some(o.id.to_string());
        }
        o.attributes
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    };
    let matching: Vec<&MObject> = objects
        .iter()
        .filter(|o| id.is_none_or(|i| i64::from(o.id) == i))
        .filter(|o| {
            criteria
                .iter()
                .all(|(n, op, v)| get_attr(o, n).is_some_and(|a| compare(&a, op, v)))
        })
        .collect();
    let offset: usize = match text(p, "streamPosition") {
        None => 0,
        Some(s) => match decode(&s) {
            Some(Position::After(n)) => usize::try_from(n).unwrap_or(0),
            _ => return Err(SoapError::of("20122")),
        },
    };
    let page: Vec<&MObject> = matching.iter().skip(offset).take(100).copied().collect();
    let has_more = offset.saturating_add(page.len()) < matching.len();
    let mut w = W::new();
    w.open("result")
        .leaf("returnCount", page.len().to_string())
        .leaf("hasMore", has_more.to_string())
        .leaf(
            "newStreamPosition",
            encode(Position::After(
                i64::try_from(offset.saturating_add(page.len())).unwrap_or(0),
            )),
        )
        .open("mObjectList");
    for o in page {
        w.open("mObject")
            .leaf("type", &o.mobj_type)
            .leaf("id", o.id.to_string());
        w.open("attribList");
        for (k, v) in &o.attributes {
            w.open("attrib")
                .leaf("name", k)
                .leaf("value", v)
                .close("attrib");
        }
        w.close("attribList").close("mObject");
    }
    w.close("mObjectList").close("result");
    Ok(w.out)
}

fn sync_mobjects(st: &mut State, p: Node<'_, '_>) -> R {
    let op = required(p, "operation")?;
    if !matches!(op.as_str(), "INSERT" | "UPDATE" | "UPSERT") {
        return Err(SoapError::with(
            "20110",
            format!("Unknown operation '{op}'"),
        ));
    }
    let list = child(p, "mObjectList")
        .ok_or_else(|| SoapError::with("20109", "mObjectList is required"))?;
    let mut w = W::new();
    w.open("result").open("mObjStatusList");
    for o in children(list, "mObject") {
        let ty = text(o, "type").unwrap_or_default();
        let id = int_of(o, "id")?.and_then(|i| i32::try_from(i).ok());
        let attrs = attribs(o, "attribList");
        let writable = ty == "Opportunity" || ty == "OpportunityPersonRole";
        let existing = id.filter(|i| st.mobjects.get(i).is_some_and(|m| m.mobj_type == ty));
        let (out_id, status, error) = if !writable {
            (
                id.unwrap_or(0),
                "FAILED",
                Some(format!("MObject type '{ty}' cannot be written")),
            )
        } else {
            match (existing, op.as_str()) {
                (Some(i), "INSERT") => (i, "FAILED", Some("Object already exists".to_owned())),
                (None, "UPDATE") => (
                    id.unwrap_or(0),
                    "FAILED",
                    Some("Object not found".to_owned()),
                ),
                (Some(i), _) => {
                    if let Some(m) = st.mobjects.get_mut(&i) {
                        for (k, v) in attrs {
                            match m.attributes.iter_mut().find(|(x, _)| *x == k) {
                                Some(e) => e.1 = v,
                                None => m.attributes.push((k, v)),
                            }
                        }
                    }
                    (i, "UPDATED", None)
                }
                (None, _) => {
                    let new_id = st.next_mobject_id;
                    st.next_mobject_id += 1;
                    st.mobjects.insert(
                        new_id,
                        MObject {
                            mobj_type: ty.clone(),
                            id: new_id,
                            attributes: attrs,
                        },
                    );
                    (new_id, "CREATED", None)
                }
            }
        };
        w.open("mObjStatus")
            .leaf("id", out_id.to_string())
            .leaf("status", status)
            .opt("error", error)
            .close("mObjStatus");
    }
    w.close("mObjStatusList").close("result");
    Ok(w.out)
}

fn delete_mobjects(st: &mut State, p: Node<'_, '_>) -> R {
    let list = child(p, "mObjectList")
        .ok_or_else(|| SoapError::with("20109", "mObjectList is required"))?;
    let mut w = W::new();
    w.open("result").open("mObjStatusList");
    for o in children(list, "mObject") {
        let ty = text(o, "type").unwrap_or_default();
        let id = int_of(o, "id")?
            .and_then(|i| i32::try_from(i).ok())
            .unwrap_or(0);
        let ok = st.mobjects.get(&id).is_some_and(|m| m.mobj_type == ty);
        if ok {
            st.mobjects.remove(&id);
        }
        w.open("mObjStatus").leaf("id", id.to_string());
        if ok {
            w.leaf("status", "DELETED");
        } else {
            w.leaf("status", "FAILED").leaf("error", "Object not found");
        }
        w.close("mObjStatus");
    }
    w.close("mObjStatusList").close("result");
    Ok(w.out)
}
