//! Static list operations: listOperation, importToList and getImportToListStatus.

use roxmltree::Node;
use serde_json::{Map, Value};

use super::campaigns::campaign_in_program;
use super::leads::{find_leads, rest_field};
use super::{R, bool_of, required, strings};
use crate::rest::leads::known_field;
use crate::soap::SoapError;
use crate::soap::xml::{W, child, children, text};
use crate::state::{ImportJob, State};
use crate::util::soap_datetime;

pub(super) fn list_operation(st: &mut State, p: Node<'_, '_>) -> R {
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

pub(super) fn import_to_list(st: &mut State, p: Node<'_, '_>) -> R {
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

pub(super) fn get_import_to_list_status(st: &mut State, p: Node<'_, '_>) -> R {
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
