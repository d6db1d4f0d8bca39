//! Bulk API jobs: the export queue shared by every export type (10 queued or
//! processing, 2 processing, a daily byte quota), export files written from
//! the emulator's own records, and import jobs applied to the lead database.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};
use time::OffsetDateTime;

use super::{LEAD_FIELDS, State};
use crate::util::rfc3339;

/// Knobs of the Bulk API emulation (see [`crate::Emulator::set_bulk_settings`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BulkSettings {
    /// How long (emulator clock) a job stays `Processing` / `Queued` before
    /// it completes. Default: zero (done at the next call).
    pub processing_time: Duration,
    /// Export bytes allowed per day (Central Time). Default 500 MB.
    pub daily_quota_bytes: u64,
    /// Export jobs queued or processing at once. Default 10.
    pub max_queued: usize,
    /// Export jobs processing at once. Default 2.
    pub max_processing: usize,
    /// How long a completed file is kept. Default seven days.
    pub file_retention: Duration,
}

impl Default for BulkSettings {
    fn default() -> Self {
        Self {
            processing_time: Duration::ZERO,
            daily_quota_bytes: 500 * 1024 * 1024,
            max_queued: 10,
            max_processing: 2,
            file_retention: Duration::from_secs(7 * 24 * 3600),
        }
    }
}

/// What an export job exports.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum ExportKind {
    Leads,
    Activities,
    ProgramMembers,
    CustomObjects(String),
}

/// An export job.
#[derive(Clone, Debug)]
pub(crate) struct ExportJob {
    pub(crate) id: String,
    pub(crate) kind: ExportKind,
    pub(crate) status: &'static str,
    pub(crate) request: Value,
    pub(crate) format: String,
    pub(crate) created_at: OffsetDateTime,
    pub(crate) queued_at: Option<OffsetDateTime>,
    pub(crate) started_at: Option<OffsetDateTime>,
    pub(crate) finished_at: Option<OffsetDateTime>,
    pub(crate) file: Option<Arc<Vec<u8>>>,
    pub(crate) records: u64,
    pub(crate) checksum: Option<String>,
    pub(crate) error: Option<String>,
}

impl ExportJob {
    pub(crate) fn to_json(&self) -> Value {
        let mut v = json!({
            "exportId": self.id,
            "format": self.format,
            "status": self.status,
            "createdAt": rfc3339(self.created_at),
        });
        let o = v.as_object_mut().expect("object");
        for (k, t) in [
            ("queuedAt", self.queued_at),
            ("startedAt", self.started_at),
            ("finishedAt", self.finished_at),
        ] {
            if let Some(t) = t {
                o.insert(k.into(), Value::from(rfc3339(t)));
            }
        }
        if self.status == "Completed" {
            o.insert("numberOfRecords".into(), Value::from(self.records));
            let size = self.file.as_ref().map_or(0, |f| f.len());
            o.insert("fileSize".into(), Value::from(size));
            if let Some(c) = &self.checksum {
                o.insert("fileChecksum".into(), Value::from(c.clone()));
            }
        }
        if let Some(e) = &self.error {
            o.insert("errorMsg".into(), Value::from(e.clone()));
        }
        v
    }
}

/// What an import job imports.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum ImportKind {
    Leads,
    /// Leads made members of a program with a status.
    ProgramMembers {
        program_id: i32,
        status: String,
    },
    /// Records of a custom object type (API name).
    CustomObjects(String),
}

/// An import job (leads, program members, custom objects).
#[derive(Clone, Debug)]
pub(crate) struct BulkImport {
    pub(crate) id: i32,
    pub(crate) kind: ImportKind,
    pub(crate) status: &'static str,
    pub(crate) created_at: OffsetDateTime,
    pub(crate) rows: Vec<Vec<String>>,
    pub(crate) header: Vec<String>,
    pub(crate) delimiter: u8,
    pub(crate) lookup_field: String,
    pub(crate) list_id: Option<i32>,
    pub(crate) processed: u64,
    pub(crate) failures: Vec<(Vec<String>, String)>,
    pub(crate) warnings: Vec<(Vec<String>, String)>,
    pub(crate) message: String,
}

impl BulkImport {
    pub(crate) fn to_json(&self) -> Value {
        let mut v = json!({
            "batchId": self.id,
            "importId": self.id.to_string(),
            "status": self.status,
        });
        if matches!(self.status, "Complete" | "Failed") {
            let o = v.as_object_mut().expect("object");
            let count = match self.kind {
                ImportKind::CustomObjects(_) => "numOfObjectsProcessed",
                _ => "numOfLeadsProcessed",
            };
            o.insert(count.into(), Value::from(self.processed));
            o.insert(
                "numOfRowsFailed".into(),
                Value::from(self.failures.len() as u64),
            );
            o.insert(
                "numOfRowsWithWarning".into(),
                Value::from(self.warnings.len() as u64),
            );
            o.insert("message".into(), Value::from(self.message.clone()));
            if let ImportKind::CustomObjects(object) = &self.kind {
                o.insert("operation".into(), Value::from("import"));
                o.insert("objectApiName".into(), Value::from(object.clone()));
            }
        }
        v
    }

    /// Applies every row with `apply` (given the header and the row): a row
    /// of the wrong width, or one `apply` refuses, goes to the failures with
    /// its reason; an applied row counts, and goes to the warnings with the
    /// warning `apply` answers, if any.
    pub(crate) fn each_row(
        &mut self,
        mut apply: impl FnMut(&[String], &[String]) -> Result<Option<String>, String>,
    ) {
        let header = std::mem::take(&mut self.header);
        for row in std::mem::take(&mut self.rows) {
            let result = if row.len() == header.len() {
                apply(&header, &row)
            } else {
                Err("1003 Invalid data: wrong number of columns".into())
            };
            match result {
                Err(reason) => self.failures.push((row, reason)),
                Ok(warning) => {
                    if let Some(w) = warning {
                        self.warnings.push((row, w));
                    }
                    self.processed += 1;
                }
            }
        }
        self.header = header;
    }

    /// The failures or warnings file: the import's columns plus the reason.
    pub(crate) fn report(&self, failures: bool) -> Vec<u8> {
        let (column, rows) = if failures {
            ("Import Failure Reason", &self.failures)
        } else {
            ("Import Warning Reason", &self.warnings)
        };
        let mut out = Vec::new();
        let mut header = self.header.clone();
        header.push(column.to_owned());
        write_row(&mut out, &header, self.delimiter);
        for (row, reason) in rows {
            let mut row = row.clone();
            row.push(reason.clone());
            write_row(&mut out, &row, self.delimiter);
        }
        out
    }
}

/// The Bulk API's jobs.
#[derive(Debug, Default)]
pub(crate) struct BulkStore {
    pub(crate) settings: BulkSettings,
    pub(crate) exports: BTreeMap<String, ExportJob>,
    pub(crate) imports: BTreeMap<i32, BulkImport>,
    pub(crate) next_export: u64,
    pub(crate) next_import: i32,
    /// (Central Time day, bytes exported that day).
    pub(crate) quota: (i64, u64),
}

/// The Central Time day of `t` (the quota resets at midnight there).
fn quota_day(t: OffsetDateTime) -> i64 {
    i64::from((t - time::Duration::hours(6)).date().to_julian_day())
}

impl BulkStore {
    /// Bytes exported so far on `now`'s day.
    pub(crate) fn quota_used(&self, now: OffsetDateTime) -> u64 {
        if self.quota.0 == quota_day(now) {
            self.quota.1
        } else {
            0
        }
    }

    pub(crate) fn quota_exhausted(&self, now: OffsetDateTime) -> bool {
        self.quota_used(now) >= self.settings.daily_quota_bytes
    }

    pub(crate) fn new_export_id(&mut self) -> String {
        self.next_export += 1;
        let n = self.next_export;
        format!(
            "{:08x}-e4b1-4c2d-9a7f-{:012x}",
            n * 2_654_435_761 % 0xffff_ffff,
            n
        )
    }
}

impl State {
    /// Moves every job along the emulator clock: queued exports start when
    /// a processing slot is free, processing ones complete after the
    /// processing time (their file written from the current records),
    /// expired files are dropped, queued imports are applied.
    pub(crate) fn advance_bulk(&mut self) {
        let now = self.now();
        let wait = time::Duration::try_from(self.bulk.settings.processing_time)
            .unwrap_or(time::Duration::MAX);
        let retention = time::Duration::try_from(self.bulk.settings.file_retention)
            .unwrap_or(time::Duration::MAX);
        // Complete processing jobs whose time has come.
        let done: Vec<String> = self
            .bulk
            .exports
            .values()
            .filter(|j| j.status == "Processing" && j.started_at.is_some_and(|s| s + wait <= now))
            .map(|j| j.id.clone())
            .collect();
        for id in done {
            self.complete_export(&id, now);
        }
        // Start queued jobs, oldest first, while slots are free.
        loop {
            let processing = self
                .bulk
                .exports
                .values()
                .filter(|j| j.status == "Processing")
                .count();
            if processing >= self.bulk.settings.max_processing {
                break;
            }
            let next = self
                .bulk
                .exports
                .values()
                .filter(|j| j.status == "Queued")
                .min_by_key(|j| (j.queued_at, j.id.clone()))
                .map(|j| j.id.clone());
            let Some(id) = next else { break };
            let job = self.bulk.exports.get_mut(&id).expect("job");
            job.status = "Processing";
            job.started_at = Some(now);
            if wait.is_zero() {
                self.complete_export(&id, now);
            }
        }
        for job in self.bulk.exports.values_mut() {
            if job.finished_at.is_some_and(|f| f + retention <= now) {
                job.file = None;
            }
        }
        let ready: Vec<i32> = self
            .bulk
            .imports
            .values()
            .filter(|j| j.status == "Queued" && j.created_at + wait <= now)
            .map(|j| j.id)
            .collect();
        for id in ready {
            self.apply_import(id);
        }
    }

    fn complete_export(&mut self, id: &str, now: OffsetDateTime) {
        let Some(job) = self.bulk.exports.get(id).cloned() else {
            return;
        };
        let (rows, file) = self.export_file(&job);
        let checksum = format!("sha256:{}", hex::encode(Sha256::digest(&file)));
        let size = file.len() as u64;
        let day = quota_day(now);
        if self.bulk.quota.0 != day {
            self.bulk.quota = (day, 0);
        }
        self.bulk.quota.1 += size;
        let job = self.bulk.exports.get_mut(id).expect("job");
        job.status = "Completed";
        job.finished_at = Some(now);
        job.records = rows;
        job.checksum = Some(checksum);
        job.file = Some(Arc::new(file));
    }

    /// The file of a job from the records as they are now: (rows, bytes).
    fn export_file(&self, job: &ExportJob) -> (u64, Vec<u8>) {
        let delimiter = match job.format.as_str() {
            "TSV" => b'\t',
            "SSV" => b';',
            _ => b',',
        };
        let fields: Vec<String> = job.request["fields"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(Value::as_str)
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default();
        let filter = &job.request["filter"];
        let (fields, rows): (Vec<String>, Vec<Vec<String>>) = match &job.kind {
            ExportKind::Leads => (fields.clone(), self.export_leads(&fields, filter)),
            ExportKind::Activities => {
                let fields = if fields.is_empty() {
                    ACTIVITY_COLUMNS.iter().map(|s| (*s).to_owned()).collect()
                } else {
                    fields
                };
                let rows = self.export_activities(&fields, filter);
                (fields, rows)
            }
            ExportKind::ProgramMembers => self.export_members(fields, filter),
            ExportKind::CustomObjects(name) => {
                let rows = self.export_objects(name, &fields, filter);
                (fields, rows)
            }
        };
        let headers = &job.request["columnHeaderNames"];
        let header: Vec<String> = fields
            .iter()
            .map(|f| {
                let default = match job.kind {
                    ExportKind::ProgramMembers => super::bulk_records::member_header(f),
                    _ => f,
                };
                headers
                    .get(f)
                    .and_then(Value::as_str)
                    .unwrap_or(default)
                    .to_owned()
            })
            .collect();
        let mut out = Vec::with_capacity(64 * (rows.len() + 1));
        write_row(&mut out, &header, delimiter);
        for row in &rows {
            write_row(&mut out, row, delimiter);
        }
        (rows.len() as u64, out)
    }

    fn export_leads(&self, fields: &[String], filter: &Value) -> Vec<Vec<String>> {
        let created = date_range(filter, "createdAt");
        let updated = date_range(filter, "updatedAt");
        let listed = self.listed_leads(filter);
        self.leads
            .values()
            .filter(|l| created.is_none_or(|(s, e)| l.created_at >= s && l.created_at <= e))
            .filter(|l| updated.is_none_or(|(s, e)| l.updated_at >= s && l.updated_at <= e))
            .filter(|l| listed.as_ref().is_none_or(|m| m.contains(&l.id)))
            .map(|l| {
                fields
                    .iter()
                    .map(|f| match f.as_str() {
                        "createdAt" => rfc3339(l.created_at),
                        "updatedAt" => rfc3339(l.updated_at),
                        _ => l.field_text(f).unwrap_or_else(|| "null".to_owned()),
                    })
                    .collect()
            })
            .collect()
    }

    fn export_activities(&self, fields: &[String], filter: &Value) -> Vec<Vec<String>> {
        let range = date_range(filter, "createdAt");
        let types: Vec<i64> = filter
            .get("activityTypeIds")
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(Value::as_i64).collect())
            .unwrap_or_default();
        self.activities
            .iter()
            .filter(|a| range.is_none_or(|(s, e)| a.date >= s && a.date <= e))
            .filter(|a| types.is_empty() || types.contains(&i64::from(a.type_id)))
            .map(|a| {
                fields
                    .iter()
                    .map(|f| {
                        let opt = |v: Option<String>| v.unwrap_or_else(|| "null".to_owned());
                        match f.as_str() {
                            "marketoGUID" => a.marketo_guid.clone(),
                            "leadId" => a.lead_id.to_string(),
                            "activityDate" => rfc3339(a.date),
                            "activityTypeId" => a.type_id.to_string(),
                            "campaignId" => opt(a.campaign_id.map(|c| c.to_string())),
                            "primaryAttributeValueId" => {
                                opt(a.primary_value_id.map(|c| c.to_string()))
                            }
                            "primaryAttributeValue" => opt(a.primary_value.clone()),
                            "attributes" => {
                                let map: Map<String, Value> =
                                    a.attributes.iter().cloned().collect();
                                Value::Object(map).to_string()
                            }
                            _ => "null".to_owned(),
                        }
                    })
                    .collect()
            })
            .collect()
    }

    /// Applies a queued import to its store: leads to the lead database,
    /// program members to the program member store (their leads created or
    /// updated first), custom objects to the type's record store. A file whose
    /// columns cannot be imported fails the job; a row that cannot be imported
    /// goes to the failures file with its reason.
    fn apply_import(&mut self, id: i32) {
        let Some(mut job) = self.bulk.imports.remove(&id) else {
            return;
        };
        let outcome = match job.kind.clone() {
            ImportKind::Leads => self.import_lead_rows(&mut job),
            ImportKind::ProgramMembers { program_id, status } => {
                self.import_member_rows(&mut job, program_id, &status)
            }
            ImportKind::CustomObjects(name) => self.import_object_rows(&mut job, &name),
        };
        let unit = match job.kind {
            ImportKind::Leads => String::new(),
            _ => format!(" ({} members)", job.processed),
        };
        match outcome {
            Err(message) => {
                job.status = "Failed";
                job.message = message;
            }
            Ok(()) => {
                job.status = "Complete";
                job.message = if job.failures.is_empty() {
                    format!("Import succeeded, {} records imported{unit}", job.processed)
                } else {
                    format!(
                        "Import completed with errors, {} records imported{unit}, {} failed",
                        job.processed,
                        job.failures.len()
                    )
                };
            }
        }
        self.bulk.imports.insert(id, job);
    }

    fn import_lead_rows(&mut self, job: &mut BulkImport) -> Result<(), String> {
        if let Some(field) = job
            .header
            .iter()
            .find(|h| h.as_str() != "id" && !LEAD_FIELDS.contains(&h.as_str()))
        {
            return Err(format!("Import failed: field '{field}' not found"));
        }
        let (lookup, list_id) = (job.lookup_field.clone(), job.list_id);
        job.each_row(|header, row| {
            let cells: Vec<(&String, &String)> = header.iter().zip(row).collect();
            let (lead, warning) = self.upsert_import_lead(&cells, &lookup)?;
            if let Some(list) = list_id.and_then(|l| self.lists.get_mut(&l)) {
                list.members.insert(lead);
            }
            Ok(warning)
        });
        Ok(())
    }

    /// Creates or updates the lead of one import row (`cells`: column name
    /// and value, lead fields only), found by `lookup`: its id and a warning,
    /// or the reason the row failed.
    pub(super) fn upsert_import_lead(
        &mut self,
        cells: &[(&String, &String)],
        lookup: &str,
    ) -> Result<(i64, Option<String>), String> {
        let key = cells
            .iter()
            .find(|(h, _)| h.as_str() == lookup)
            .map(|(_, v)| v.trim())
            .filter(|v| !v.is_empty())
            .ok_or_else(|| format!("1002 Missing value for the lookup field '{lookup}'"))?;
        let mut fields = Map::new();
        for (h, v) in cells {
            if h.as_str() == "id" || v.is_empty() {
                continue;
            }
            let value = if LEAD_INTEGER_FIELDS.contains(&h.as_str()) {
                let n: i64 = v
                    .trim()
                    .parse()
                    .map_err(|_| format!("Invalid data type in field {h}"))?;
                Value::from(n)
            } else {
                Value::from(v.as_str())
            };
            fields.insert((*h).clone(), value);
        }
        let warning = fields
            .get("email")
            .and_then(Value::as_str)
            .filter(|e| !e.contains('@'))
            .map(|_| "Invalid email address".to_owned());
        let existing = if lookup == "id" {
            key.parse::<i64>()
                .ok()
                .filter(|i| self.leads.contains_key(i))
        } else {
            self.lead_by_field(lookup, key).first().copied()
        };
        let lead = match existing {
            Some(lead) => {
                self.update_lead(lead, fields);
                lead
            }
            None if lookup == "id" => return Err("1004 Lead not found".into()),
            None => self.create_lead(fields),
        };
        Ok((lead, warning))
    }
}

/// Lead fields holding integers (a row with text there fails).
const LEAD_INTEGER_FIELDS: &[&str] = &["leadScore"];

/// The `{startAt, endAt}` range a filter holds under `name`, when valid.
pub(super) fn date_range(filter: &Value, name: &str) -> Option<(OffsetDateTime, OffsetDateTime)> {
    let r = filter.get(name)?;
    let start = crate::util::parse_datetime(r.get("startAt")?.as_str()?)?;
    let end = crate::util::parse_datetime(r.get("endAt")?.as_str()?)?;
    Some((start, end))
}

/// The default columns of an activity export.
pub(crate) const ACTIVITY_COLUMNS: &[&str] = &[
    "marketoGUID",
    "leadId",
    "activityDate",
    "activityTypeId",
    "campaignId",
    "primaryAttributeValueId",
    "primaryAttributeValue",
    "attributes",
];

/// One delimited row, quoted where needed (RFC 4180), ending in `\n`.
pub(crate) fn write_row(out: &mut Vec<u8>, row: &[String], delimiter: u8) {
    for (i, value) in row.iter().enumerate() {
        if i > 0 {
            out.push(delimiter);
        }
        let quote = value
            .bytes()
            .any(|b| b == delimiter || b == b'"' || b == b'\n' || b == b'\r');
        if quote {
            out.push(b'"');
            for b in value.bytes() {
                if b == b'"' {
                    out.push(b'"');
                }
                out.push(b);
            }
            out.push(b'"');
        } else {
            out.extend_from_slice(value.as_bytes());
        }
    }
    out.push(b'\n');
}
