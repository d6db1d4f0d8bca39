//! Bulk jobs over the generic record stores: program member and custom
//! object export files, and program member and custom object imports applied
//! to those stores (see `state/lead_objects`).

use std::collections::BTreeSet;

use serde_json::{Map, Value};
use time::OffsetDateTime;

use super::State;
use super::bulk::{BulkImport, date_range};
use super::lead_objects::{ObjectStore, PROGRAM_MEMBER, Record, custom_key, text};
use super::leads::LEAD_FIELDS;

/// The column header Marketo writes for a program member field when the job
/// names none (its export file example heads these standard fields with
/// their labels; every other field is headed by its API name).
pub(crate) fn member_header(field: &str) -> &str {
    match field {
        "membershipDate" => "Member Date",
        "program" => "Program",
        "statusName" => "Status",
        "leadId" => "Lead Id",
        "reachedSuccess" => "Success",
        other => other,
    }
}

/// A record field as an export cell (`null` when unset).
fn cell(store: &ObjectStore, r: &Record, field: &str) -> Option<String> {
    store.value(r, field).as_ref().and_then(text)
}

impl State {
    /// The lead ids of the static list a filter names (`staticListId` or
    /// `staticListName`), `None` when the filter names no list (an unknown
    /// list selects nothing).
    pub(super) fn listed_leads(&self, filter: &Value) -> Option<BTreeSet<i64>> {
        if let Some(id) = filter.get("staticListId") {
            let list = id
                .as_i64()
                .and_then(|id| self.lists.get(&i32::try_from(id).ok()?));
            return Some(list.map(|l| l.members.clone()).unwrap_or_default());
        }
        let name = filter.get("staticListName")?.as_str().unwrap_or_default();
        let list = self.lists.values().find(|l| l.name == name);
        Some(list.map(|l| l.members.clone()).unwrap_or_default())
    }

    /// The program members a program member export selects, as (columns,
    /// rows). Filters (ANDed): `programId` or `programIds` (then `programId`
    /// is the first column), `isExhausted`, `nurtureCadence`, `statusNames`
    /// (ORed), `updatedAt`. A field is a program member field or a lead field.
    pub(super) fn export_members(
        &self,
        fields: Vec<String>,
        filter: &Value,
    ) -> (Vec<String>, Vec<Vec<String>>) {
        let Some(store) = self.lead_objects.store(PROGRAM_MEMBER) else {
            return (fields, Vec::new());
        };
        let several = filter.get("programIds").is_some();
        let programs: Vec<String> = match filter.get("programIds").and_then(Value::as_array) {
            Some(ids) => ids.iter().filter_map(text).collect(),
            None => filter.get("programId").and_then(text).into_iter().collect(),
        };
        let exhausted = filter.get("isExhausted").and_then(Value::as_bool);
        let cadence = filter.get("nurtureCadence").and_then(Value::as_str);
        let statuses: Vec<&str> = filter
            .get("statusNames")
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let updated = date_range(filter, "updatedAt");
        let columns: Vec<String> = if several {
            std::iter::once("programId".to_owned())
                .chain(fields.iter().filter(|f| *f != "programId").cloned())
                .collect()
        } else {
            fields
        };
        let rows = store
            .records
            .values()
            .filter(|r| cell(store, r, "programId").is_some_and(|p| programs.contains(&p)))
            .filter(|r| {
                exhausted.is_none_or(|x| {
                    store.value(r, "isExhausted").and_then(|v| v.as_bool()) == Some(x)
                        || (!x && store.value(r, "isExhausted").is_none())
                })
            })
            .filter(|r| {
                cadence.is_none_or(|c| cell(store, r, "nurtureCadence").as_deref() == Some(c))
            })
            .filter(|r| {
                statuses.is_empty()
                    || cell(store, r, "statusName")
                        .is_some_and(|s| statuses.iter().any(|x| x.eq_ignore_ascii_case(&s)))
            })
            .filter(|r| updated.is_none_or(|(s, e)| r.updated_at >= s && r.updated_at <= e))
            .map(|r| {
                let lead = cell(store, r, "leadId")
                    .and_then(|id| id.parse::<i64>().ok())
                    .and_then(|id| self.leads.get(&id));
                columns
                    .iter()
                    .map(|f| {
                        let value = if store.ty.field(f).is_some() {
                            cell(store, r, f)
                        } else {
                            lead.and_then(|l| l.field_text(f))
                        };
                        value.unwrap_or_else(|| "null".to_owned())
                    })
                    .collect()
            })
            .collect();
        (columns, rows)
    }

    /// The records of custom object type `name` an export selects: those
    /// linked to a lead of the static list the filter names, or updated in
    /// its `updatedAt` range.
    pub(super) fn export_objects(
        &self,
        name: &str,
        fields: &[String],
        filter: &Value,
    ) -> Vec<Vec<String>> {
        let Some(store) = self.lead_objects.store(&custom_key(name)) else {
            return Vec::new();
        };
        let listed = self.listed_leads(filter);
        let updated = date_range(filter, "updatedAt");
        let linked_to_list = |r: &Record| {
            listed.as_ref().is_none_or(|leads| {
                store.ty.lead_fields.iter().any(|f| {
                    cell(store, r, f)
                        .and_then(|id| id.parse::<i64>().ok())
                        .is_some_and(|id| leads.contains(&id))
                })
            })
        };
        store
            .records
            .values()
            .filter(|r| linked_to_list(r))
            .filter(|r| updated.is_none_or(|(s, e)| r.updated_at >= s && r.updated_at <= e))
            .map(|r| {
                fields
                    .iter()
                    .map(|f| cell(store, r, f).unwrap_or_else(|| "null".to_owned()))
                    .collect()
            })
            .collect()
    }

    /// A program member import: each row's lead is created or updated (found
    /// by `email`), then made a member of the program with `status` (an
    /// existing member takes the status), its program member fields set.
    pub(super) fn import_member_rows(
        &mut self,
        job: &mut BulkImport,
        program_id: i32,
        status: &str,
    ) -> Result<(), String> {
        let Some(target) = self.program_status(program_id, status) else {
            return Err(format!(
                "Import failed: status '{status}' not found for program {program_id}"
            ));
        };
        let member_fields: Vec<String> = self
            .lead_objects
            .store(PROGRAM_MEMBER)
            .map(|s| {
                s.ty.fields
                    .iter()
                    .filter(|f| f.updateable)
                    .map(|f| f.name.clone())
                    .collect()
            })
            .unwrap_or_default();
        if let Some(field) = job
            .header
            .iter()
            .find(|h| !LEAD_FIELDS.contains(&h.as_str()) && !member_fields.contains(h))
        {
            return Err(format!("Import failed: field '{field}' not found"));
        }
        let now = self.now();
        job.each_row(|header, row| {
            let (lead_cells, member_cells): (Vec<_>, Vec<_>) = header
                .iter()
                .zip(row)
                .partition(|(h, _)| LEAD_FIELDS.contains(&h.as_str()));
            let (lead, warning) = self.upsert_import_lead(&lead_cells, "email")?;
            let extra: Map<String, Value> = member_cells
                .iter()
                .filter(|(_, v)| !v.is_empty())
                .map(|(h, v)| ((*h).clone(), Value::from(v.as_str())))
                .collect();
            self.write_membership(program_id, lead, &target, extra, now);
            Ok(warning)
        });
        Ok(())
    }

    /// A custom object import: every dedupe field must be a column (else each
    /// row fails with `missing.dedupe.fields`), every column a field of the
    /// type; each row is created or updated by its dedupe fields.
    pub(super) fn import_object_rows(
        &mut self,
        job: &mut BulkImport,
        name: &str,
    ) -> Result<(), String> {
        let kind = custom_key(name);
        let Some(store) = self.lead_objects.store(&kind) else {
            return Err(format!("Import failed: custom object '{name}' not found"));
        };
        let ty = store.ty.clone();
        if !ty.dedupe.iter().all(|d| job.header.contains(d)) {
            job.each_row(|_, _| Err("missing.dedupe.fields".into()));
            return Ok(());
        }
        if let Some(field) = job.header.iter().find(|h| ty.field(h).is_none()) {
            return Err(format!("Import failed: field '{field}' not found"));
        }
        let now = self.now();
        job.each_row(|header, row| {
            self.upsert_object_row(&kind, header, row, now)
                .map(|()| None)
        });
        Ok(())
    }

    /// One custom object import row through the store's create-or-update.
    fn upsert_object_row(
        &mut self,
        kind: &str,
        header: &[String],
        row: &[String],
        now: OffsetDateTime,
    ) -> Result<(), String> {
        let store = self.lead_objects.store(kind).ok_or("type not found")?;
        let mut record = Map::new();
        for (h, v) in header.iter().zip(row) {
            let Some(def) = store.ty.field(h) else {
                continue;
            };
            let value = match (def.data_type.as_str(), v.trim()) {
                (_, "") if store.ty.dedupe.contains(h) => {
                    return Err("missing.dedupe.fields".into());
                }
                (_, "") => continue,
                ("integer", t) => t.parse::<i64>().ok().map(Value::from),
                ("float" | "currency", t) => t.parse::<f64>().ok().map(Value::from),
                ("boolean", t) => t.parse::<bool>().ok().map(Value::from),
                (_, t) => Some(Value::from(t)),
            };
            let value =
                value.ok_or_else(|| format!("Invalid data type in field {}", def.display_name))?;
            record.insert(def.name.clone(), value);
        }
        for f in &store.ty.lead_fields {
            let lead = record.get(f).and_then(text);
            if lead.is_some_and(|l| !l.parse().is_ok_and(|id| self.leads.contains_key(&id))) {
                return Err("1004 Lead not found".into());
            }
        }
        let lo = &mut self.lead_objects;
        let mut next = lo.next;
        let store = lo.store_mut(kind).ok_or("type not found")?;
        let result = store
            .sync(
                "createOrUpdate",
                "dedupeFields",
                &[Value::Object(record)],
                &[],
                &mut next,
                now,
            )
            .map_err(|e| format!("{} {}", e.code, e.message))?;
        lo.next = next;
        match result.first() {
            Some(r) if r["status"] == "skipped" => {
                let why = &r["reasons"][0];
                Err(format!(
                    "{} {}",
                    why["code"].as_str().unwrap_or_default(),
                    why["message"].as_str().unwrap_or_default()
                ))
            }
            _ => Ok(()),
        }
    }
}
