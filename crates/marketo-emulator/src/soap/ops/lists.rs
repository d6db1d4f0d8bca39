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

/// Most lead keys one listOperation call may carry (the page: "a limit of 1000 leads per call").
const LIST_OPERATION_MAX: usize = 1000;

/// The outcome of listOperation for one lead key, computed before anything changes.
struct Member {
    key_type: String,
    key_value: String,
    lead: Option<i64>,
    /// Whether the operation succeeds (ISMEMBEROFLIST: whether the lead is a member).
    ok: bool,
    /// Why the operation fails for this lead (ADDTOLIST and REMOVEFROMLIST only).
    failure: Option<SoapError>,
}

/// Resolves one `leadKey` of a listOperation: only `IDNUM` is accepted.
fn list_member(st: &State, list_id: i32, op: &str, lk: Node<'_, '_>) -> Member {
    let key_type = text(lk, "keyType").unwrap_or_default();
    let key_value = text(lk, "keyValue").unwrap_or_default();
    let lead = if key_type == "IDNUM" {
        find_leads(st, &key_type, &key_value).map(|ids| ids.first().copied())
    } else {
        Err(SoapError::with(
            "20102",
            format!("listOperation keys leads by IDNUM, not '{key_type}'"),
        ))
    };
    let member = |id: i64| {
        st.lists
            .get(&list_id)
            .is_some_and(|l| l.members.contains(&id))
    };
    let (lead, ok, failure) = match lead {
        Err(e) => (None, false, Some(e)),
        Ok(None) => (
            None,
            false,
            Some(SoapError::with(
                "20103",
                format!("No lead matches {key_type} '{key_value}'"),
            )),
        ),
        Ok(Some(id)) => match op {
            "REMOVEFROMLIST" if !member(id) => (
                Some(id),
                false,
                Some(SoapError::with(
                    "20110",
                    format!("Lead {id} is not in the list"),
                )),
            ),
            "ISMEMBEROFLIST" => (Some(id), member(id), None),
            _ => (Some(id), true, None),
        },
    };
    // Not being a member is an answer of ISMEMBEROFLIST, not a failure.
    let failure = if op == "ISMEMBEROFLIST" && lead.is_some() {
        None
    } else {
        failure
    };
    Member {
        key_type,
        key_value,
        lead,
        ok,
        failure,
    }
}

/// listOperation: ADDTOLIST, REMOVEFROMLIST or ISMEMBEROFLIST on a static list named by
/// `MKTOLISTNAME`. With `strict=true` any failing lead faults the call and nothing changes;
/// otherwise every lead that can be done is done and the others get status `false`.
/// `skipActivityLog=true` (2_2) records no activity.
pub(super) fn list_operation(st: &mut State, p: Node<'_, '_>) -> R {
    let op = required(p, "listOperation")?;
    if !matches!(
        op.as_str(),
        "ADDTOLIST" | "REMOVEFROMLIST" | "ISMEMBEROFLIST"
    ) {
        return Err(SoapError::with(
            "20110",
            format!("Unknown listOperation '{op}'"),
        ));
    }
    let key = child(p, "listKey").ok_or_else(|| SoapError::with("20109", "listKey is required"))?;
    let kt = required(key, "keyType")?;
    let list_name = required(key, "keyValue")?;
    if kt != "MKTOLISTNAME" {
        return Err(SoapError::with(
            "20110",
            format!("List key type '{kt}' is not supported"),
        ));
    }
    let list_id = st
        .lists
        .values()
        .find(|l| l.name == list_name)
        .map(|l| l.id)
        .ok_or_else(|| SoapError::with("20111", format!("List '{list_name}' not found")))?;
    let strict = bool_of(p, "strict")?.unwrap_or(false);
    let skip_log = bool_of(p, "skipActivityLog")?.unwrap_or(false);
    let members = child(p, "listMemberList")
        .ok_or_else(|| SoapError::with("20109", "listMemberList is required"))?;
    let keys: Vec<Node<'_, '_>> = children(members, "leadKey").collect();
    if keys.len() > LIST_OPERATION_MAX {
        return Err(SoapError::with(
            "20110",
            format!("At most {LIST_OPERATION_MAX} leads per listOperation call"),
        ));
    }
    let outcomes: Vec<Member> = keys
        .into_iter()
        .map(|lk| list_member(st, list_id, &op, lk))
        .collect();
    if strict && let Some(e) = outcomes.iter().find_map(|m| m.failure.clone()) {
        return Err(e);
    }
    let now = st.now();
    for m in outcomes.iter().filter(|m| m.failure.is_none()) {
        let Some(id) = m.lead else { continue };
        let changed = match (op.as_str(), st.lists.get_mut(&list_id)) {
            ("ADDTOLIST", Some(l)) => l.members.insert(id),
            ("REMOVEFROMLIST", Some(l)) => l.members.remove(&id),
            _ => false,
        };
        if changed && !skip_log {
            let (type_id, name) = if op == "ADDTOLIST" {
                (24, Some(list_name.clone()))
            } else {
                (25, None)
            };
            let list = Some(i64::from(list_id));
            st.push_activity(id, now, type_id, None, list, name, Vec::new());
        }
    }
    let mut w = W::new();
    w.open("result").leaf("success", "true").open("statusList");
    for m in outcomes {
        w.open("leadStatus")
            .open("leadKey")
            .leaf("keyType", &m.key_type)
            .leaf("keyValue", &m.key_value)
            .close("leadKey")
            .leaf("status", if m.ok { "true" } else { "false" })
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
    let campaign = text(p, "campaignName");
    if let Some(c) = &campaign {
        campaign_in_program(st, &program, c)?;
    }
    let columns: Vec<String> = header.split(',').map(|c| rest_field(c.trim())).collect();
    // "If you add in tokens for the leads, you must specify the Smart Campaign that uses them."
    if campaign.is_none() && columns.iter().any(|c| c.starts_with('{')) {
        return Err(SoapError::with(
            "20109",
            "campaignName is required when importFileHeader has My Token columns",
        ));
    }
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
