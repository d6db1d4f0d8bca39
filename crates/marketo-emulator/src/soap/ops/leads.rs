//! Lead operations: getLead, getMultipleLeads, syncLead, syncMultipleLeads, mergeLeads,
//! and the lead record helpers they share.

use roxmltree::Node;
use serde_json::{Map, Value};

use super::{
    R, attributes_of, batch_size, bool_of, date_of, int_of, required, strings, value_text,
    value_type,
};
use crate::rest::activities::{Position, decode, encode};
use crate::rest::leads::{SyncOutcome, known_field, merge_core, sync_one};
use crate::soap::SoapError;
use crate::soap::xml::{self, W, child, children, raw_text, text};
use crate::state::{Lead, State};
use crate::util::soap_datetime;

/// REST field name → SOAP attribute name (`firstName` → `FirstName`).
fn soap_field(name: &str) -> String {
    let mut c = name.chars();
    match c.next() {
        Some(f) => f.to_ascii_uppercase().to_string() + c.as_str(),
        None => String::new(),
    }
}

/// SOAP attribute name → REST field name (`FirstName` → `firstName`).
pub(super) fn rest_field(name: &str) -> String {
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
pub(super) fn find_leads(st: &State, key_type: &str, value: &str) -> Result<Vec<i64>, SoapError> {
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
pub(super) fn resolve_lead_key(st: &State, key: Option<Node<'_, '_>>) -> Result<i64, SoapError> {
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
    // "Lead attributes that are of string data type and are empty will not be returned."
    attrs.retain(|(_, value, ty)| !(*ty == "string" && value.is_empty()));
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

/// A `leadRecord` as read from a request.
struct LeadInput {
    /// `Id`: the Marketo id, the key that takes precedence.
    id: Option<i64>,
    /// `ForeignSysPersonId` (kept in the emulator's `externalId` field), a unique key.
    foreign_id: Option<String>,
    /// `Email`, given as the record's key element.
    email: Option<String>,
    /// `leadAttributeList`, by REST field name.
    fields: Map<String, Value>,
}

/// Reads a `leadRecord`. `ForeignSysPersonId` needs `ForeignSysType` (CUSTOM, SFDC or
/// NETSUITE): 20109 without it, 20110 for another value.
fn read_lead(n: Node<'_, '_>) -> Result<LeadInput, SoapError> {
    let id = int_of(n, "Id")?;
    let email = text(n, "Email");
    let foreign_id = text(n, "ForeignSysPersonId");
    if foreign_id.is_some() {
        match text(n, "ForeignSysType").as_deref() {
            None => {
                return Err(SoapError::with(
                    "20109",
                    "ForeignSysType is required with ForeignSysPersonId",
                ));
            }
            Some("CUSTOM" | "SFDC" | "NETSUITE") => {}
            Some(other) => {
                return Err(SoapError::with(
                    "20110",
                    format!("ForeignSysType '{other}' is not CUSTOM, SFDC or NETSUITE"),
                ));
            }
        }
    }
    let mut fields = Map::new();
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
    Ok(LeadInput {
        id,
        foreign_id,
        email,
        fields,
    })
}

pub(super) fn get_lead(st: &mut State, p: Node<'_, '_>) -> R {
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

pub(super) fn get_multiple_leads(st: &mut State, p: Node<'_, '_>) -> R {
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

/// How a sync call treats a lead record's keys.
#[derive(Clone, Copy)]
struct SyncRules {
    /// Whether an unmatched record is matched by email (syncMultipleLeads `dedupEnabled`).
    dedup: bool,
    /// Whether the `Email` element updates a lead matched by another key (syncLead: yes;
    /// syncMultipleLeads: only when the email is also in the attribute list).
    email_updates: bool,
}

/// Creates or updates one lead from a SOAP record: the Marketo `Id` takes precedence, then
/// `ForeignSysPersonId`, then the `marketoCookie` (syncLead), then `Email`. A record with none
/// of them → 20101 "Lead Key Required".
fn sync_record(
    st: &mut State,
    rec: LeadInput,
    cookie: Option<&str>,
    rules: SyncRules,
) -> Result<(i64, &'static str), SoapError> {
    let LeadInput {
        id,
        foreign_id,
        email,
        mut fields,
    } = rec;
    if id.is_none() && foreign_id.is_none() && email.is_none() && cookie.is_none() {
        return Err(SoapError::with(
            "20101",
            "The lead record needs Id, Email or ForeignSysPersonId",
        ));
    }
    if let Some(f) = &foreign_id {
        fields.insert("externalId".into(), Value::from(f.as_str()));
    }
    let by_foreign = foreign_id
        .as_deref()
        .and_then(|f| st.lead_by_field("externalId", f).first().copied());
    let by_cookie = cookie.and_then(|c| find_leads(st, "COOKIE", c).ok()?.first().copied());
    let matched = match id {
        Some(id) if !st.leads.contains_key(&id) => {
            return Err(SoapError::with("20103", format!("Lead {id} not found")));
        }
        Some(id) => Some(id),
        None => by_foreign.or(by_cookie),
    };
    if let Some(lead) = matched {
        if let Some(e) = email
            && rules.email_updates
        {
            fields.entry("email").or_insert(Value::from(e));
        }
        st.update_lead(lead, fields);
        return Ok((lead, "UPDATED"));
    }
    if let Some(e) = email {
        fields.entry("email").or_insert(Value::from(e));
    }
    // A new ForeignSysPersonId is a new lead; otherwise dedupe by email when asked.
    let action = if rules.dedup && foreign_id.is_none() && fields.contains_key("email") {
        "createOrUpdate"
    } else {
        "createDuplicate"
    };
    match sync_one(st, action, "email", &fields) {
        SyncOutcome::Created(id) => Ok((id, "CREATED")),
        SyncOutcome::Updated(id) => Ok((id, "UPDATED")),
        SyncOutcome::Skipped(_, msg) => Err(SoapError::with("20106", msg)),
    }
}

/// syncLead: `returnLead` is required (20109 without it); `marketoCookie` matches an
/// anonymous lead by its Munchkin cookie.
pub(super) fn sync_lead(st: &mut State, p: Node<'_, '_>) -> R {
    let rec = child(p, "leadRecord").ok_or_else(|| SoapError::of("20104"))?;
    let return_lead = bool_of(p, "returnLead")?
        .ok_or_else(|| SoapError::with("20109", "returnLead is required"))?;
    let cookie = text(p, "marketoCookie");
    let rules = SyncRules {
        dedup: true,
        email_updates: true,
    };
    let (lead_id, status) = sync_record(st, read_lead(rec)?, cookie.as_deref(), rules)?;
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

pub(super) fn sync_multiple_leads(st: &mut State, p: Node<'_, '_>) -> R {
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
        let rules = SyncRules {
            dedup,
            email_updates: false,
        };
        let outcome = read_lead(r).and_then(|rec| sync_record(st, rec, None, rules));
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

pub(super) fn merge_leads(st: &mut State, p: Node<'_, '_>) -> R {
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
