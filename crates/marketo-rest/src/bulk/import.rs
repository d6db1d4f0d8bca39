//! Imports as one call (leads, program members, custom objects): upload
//! (split under the size limit when importing rows), poll, failures and
//! warnings as typed rows. One job runner serves the three kinds.

use std::path::Path;
use std::time::Duration;

use serde::Serialize;
use serde::de::DeserializeOwned;
use tracing::Instrument as _;

use super::{BulkError, MAX_IMPORT_BYTES, Progress};
use crate::types::{
    BulkImportCustomObjectsRequest, BulkImportJob, BulkImportLeadsRequest,
    BulkImportProgramMembersRequest, BulkImportStatus,
};
use crate::{Client, FilePart, RestError};

/// How an import is sent and waited for.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ImportOptions {
    /// Field that finds existing leads (Marketo's default: `email`; lead
    /// imports only).
    pub lookup_field: Option<String>,
    /// Static list the imported leads are added to (lead imports only).
    pub list_id: Option<i32>,
    /// Lead partition to import into (lead imports only).
    pub partition_name: Option<String>,
    /// First wait between status polls (doubled up to `max_poll_interval`). Default 5 s.
    pub poll_interval: Duration,
    /// Longest wait between status polls. Default 30 s.
    pub max_poll_interval: Duration,
    /// How long one job may take before [`BulkError::Timeout`]. Default 2 hours.
    pub timeout: Duration,
    /// Wait before uploading again when 10 imports are already queued
    /// (1016 "Too many imports"). Default 30 s.
    pub queue_full_wait: Duration,
    /// Largest file sent by [`Client::import_lead_rows`] (rows are split into
    /// several files under it). Default and maximum 10 MB.
    pub max_file_bytes: usize,
    /// Progress of the import (bytes sent, rows imported, job status).
    pub progress: Progress,
}

impl Default for ImportOptions {
    fn default() -> Self {
        Self {
            lookup_field: None,
            list_id: None,
            partition_name: None,
            poll_interval: Duration::from_secs(5),
            max_poll_interval: Duration::from_secs(30),
            timeout: Duration::from_secs(2 * 3600),
            queue_full_wait: Duration::from_secs(30),
            max_file_bytes: MAX_IMPORT_BYTES,
            progress: Progress::default(),
        }
    }
}

impl ImportOptions {
    /// The defaults.
    pub fn new() -> Self {
        Self::default()
    }

    /// Deduplicate on this field.
    #[must_use]
    pub fn lookup_field(mut self, field: impl Into<String>) -> Self {
        self.lookup_field = Some(field.into());
        self
    }

    /// Also add the leads to this static list.
    #[must_use]
    pub fn list_id(mut self, id: i32) -> Self {
        self.list_id = Some(id);
        self
    }

    /// With these status poll waits (first, longest).
    #[must_use]
    pub fn poll(mut self, first: Duration, longest: Duration) -> Self {
        self.poll_interval = first;
        self.max_poll_interval = longest.max(first);
        self
    }

    /// Split row imports into files of at most this many bytes (capped at 10 MB).
    #[must_use]
    pub fn max_file_bytes(mut self, n: usize) -> Self {
        self.max_file_bytes = n.min(MAX_IMPORT_BYTES);
        self
    }
}

/// A row of the import that failed or got a warning, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportIssue<T> {
    /// The row as imported.
    pub row: T,
    /// Marketo's reason.
    pub reason: String,
}

/// The end of one import job.
#[derive(Debug, Clone)]
pub struct ImportOutcome<T> {
    /// The job's final status (`Complete`).
    pub job: BulkImportJob,
    /// Rows that were not imported.
    pub failures: Vec<ImportIssue<T>>,
    /// Rows imported with a warning.
    pub warnings: Vec<ImportIssue<T>>,
}

/// What an import job imports into; one job runner serves every kind.
#[derive(Debug, Clone)]
enum Target {
    Leads,
    ProgramMembers { program_id: i32, status: String },
    CustomObjects(String),
}

/// One import's upload request, ready to send (again, while the queue is full).
enum Upload {
    Leads(BulkImportLeadsRequest),
    ProgramMembers(i32, BulkImportProgramMembersRequest),
    CustomObjects(String, BulkImportCustomObjectsRequest),
}

type JobsResult = Result<crate::Response<Vec<BulkImportJob>>, RestError>;

impl Target {
    fn kind(&self) -> &'static str {
        match self {
            Target::Leads => "leads",
            Target::ProgramMembers { .. } => "program members",
            Target::CustomObjects(_) => "custom objects",
        }
    }

    fn file_name(&self) -> &'static str {
        match self {
            Target::Leads => "leads.csv",
            Target::ProgramMembers { .. } => "members.csv",
            Target::CustomObjects(_) => "objects.csv",
        }
    }

    fn upload(&self, file: FilePart, options: &ImportOptions) -> Upload {
        match self {
            Target::Leads => {
                let mut r = BulkImportLeadsRequest::new(file);
                r.lookup_field = options.lookup_field.clone();
                r.list_id = options.list_id;
                r.partition_name = options.partition_name.clone();
                Upload::Leads(r)
            }
            Target::ProgramMembers { program_id, status } => Upload::ProgramMembers(
                *program_id,
                BulkImportProgramMembersRequest::new(file, status.clone()),
            ),
            Target::CustomObjects(name) => {
                Upload::CustomObjects(name.clone(), BulkImportCustomObjectsRequest::new(file))
            }
        }
    }

    async fn status(&self, c: &Client, id: i32) -> Result<BulkImportJob, RestError> {
        let r = match self {
            Target::Leads => c.get_import_lead_status(id).await,
            Target::ProgramMembers { .. } => c.get_import_program_member_status(id).await,
            Target::CustomObjects(name) => c.get_import_custom_object_status(name, id).await,
        };
        r.map(|r| r.value)
    }

    /// The failures (`true`) or warnings file of a job.
    async fn report(&self, c: &Client, id: i32, failures: bool) -> Result<Vec<u8>, BulkError> {
        let file = match (self, failures) {
            (Target::Leads, true) => c.get_import_lead_failures(id).await,
            (Target::Leads, false) => c.get_import_lead_warnings(id).await,
            (Target::ProgramMembers { .. }, true) => c.get_import_program_member_failures(id).await,
            (Target::ProgramMembers { .. }, false) => {
                c.get_import_program_member_warnings(id).await
            }
            (Target::CustomObjects(name), true) => {
                c.get_import_custom_object_failures(name, id).await
            }
            (Target::CustomObjects(name), false) => {
                c.get_import_custom_object_warnings(name, id).await
            }
        };
        Ok(file?.bytes().await?.to_vec())
    }
}

impl Upload {
    async fn send(&self, c: &Client) -> JobsResult {
        match self {
            Upload::Leads(r) => c.import_leads(r).await,
            Upload::ProgramMembers(id, r) => c.import_program_members(*id, r).await,
            Upload::CustomObjects(name, r) => c.import_custom_objects(name, r).await,
        }
    }
}

impl Client {
    /// Imports the lead file at `path` (CSV, first row the field names; at
    /// most 10 MB, streamed from disk), waits for the job, and returns it with
    /// its failures and warnings decoded as rows of `T`. A job that ends
    /// `Failed` is [`BulkError::JobFailed`].
    pub async fn import_leads_file<T: DeserializeOwned>(
        &self,
        path: impl AsRef<Path>,
        options: &ImportOptions,
    ) -> Result<ImportOutcome<T>, BulkError> {
        self.import_file_to(&Target::Leads, path.as_ref(), options)
            .await
    }

    /// Imports `rows` (serialized as CSV with a header row), split into as
    /// many files as needed to stay under
    /// [`max_file_bytes`](ImportOptions::max_file_bytes), one job after the
    /// other; answers one outcome per file.
    pub async fn import_lead_rows<T, I>(
        &self,
        rows: I,
        options: &ImportOptions,
    ) -> Result<Vec<ImportOutcome<T>>, BulkError>
    where
        T: Serialize + DeserializeOwned,
        I: IntoIterator<Item = T>,
    {
        self.import_rows_to(&Target::Leads, rows, options).await
    }

    /// Imports the program member file at `path` into program `program_id`
    /// with status `status` (e.g. `On List`): each row's lead is created or
    /// updated by `email`, then made a member. The file holds lead fields and
    /// custom program member fields (CSV, header row, at most 10 MB). Waits
    /// for the job; failures and warnings come back as rows of `T`.
    pub async fn import_program_members_file<T: DeserializeOwned>(
        &self,
        program_id: i32,
        status: &str,
        path: impl AsRef<Path>,
        options: &ImportOptions,
    ) -> Result<ImportOutcome<T>, BulkError> {
        let target = Target::ProgramMembers {
            program_id,
            status: status.to_owned(),
        };
        self.import_file_to(&target, path.as_ref(), options).await
    }

    /// Imports `rows` as members of program `program_id` with `status`, split
    /// into files under [`max_file_bytes`](ImportOptions::max_file_bytes) like
    /// [`Self::import_lead_rows`]; one outcome per file.
    pub async fn import_program_member_rows<T, I>(
        &self,
        program_id: i32,
        status: &str,
        rows: I,
        options: &ImportOptions,
    ) -> Result<Vec<ImportOutcome<T>>, BulkError>
    where
        T: Serialize + DeserializeOwned,
        I: IntoIterator<Item = T>,
    {
        let target = Target::ProgramMembers {
            program_id,
            status: status.to_owned(),
        };
        self.import_rows_to(&target, rows, options).await
    }

    /// Imports the file at `path` into custom object type `api_name`
    /// (columns: the type's field API names, the dedupe fields among them;
    /// each row created or updated by them). Waits for the job; failures and
    /// warnings come back as rows of `T`.
    pub async fn import_custom_objects_file<T: DeserializeOwned>(
        &self,
        api_name: &str,
        path: impl AsRef<Path>,
        options: &ImportOptions,
    ) -> Result<ImportOutcome<T>, BulkError> {
        let target = Target::CustomObjects(api_name.to_owned());
        self.import_file_to(&target, path.as_ref(), options).await
    }

    /// Imports `rows` into custom object type `api_name`, split into files
    /// under [`max_file_bytes`](ImportOptions::max_file_bytes) like
    /// [`Self::import_lead_rows`]; one outcome per file.
    pub async fn import_custom_object_rows<T, I>(
        &self,
        api_name: &str,
        rows: I,
        options: &ImportOptions,
    ) -> Result<Vec<ImportOutcome<T>>, BulkError>
    where
        T: Serialize + DeserializeOwned,
        I: IntoIterator<Item = T>,
    {
        let target = Target::CustomObjects(api_name.to_owned());
        self.import_rows_to(&target, rows, options).await
    }

    async fn import_file_to<T: DeserializeOwned>(
        &self,
        target: &Target,
        path: &Path,
        options: &ImportOptions,
    ) -> Result<ImportOutcome<T>, BulkError> {
        let len = std::fs::metadata(path)
            .map_err(|e| BulkError::Input(format!("{}: {e}", path.display())))?
            .len();
        if len > MAX_IMPORT_BYTES as u64 {
            return Err(BulkError::Input(format!(
                "{} is {len} bytes; Marketo takes at most {MAX_IMPORT_BYTES} per import (import rows to have them split)",
                path.display()
            )));
        }
        self.import_part(target, FilePart::from_path(path), len, options)
            .await
    }

    async fn import_rows_to<T, I>(
        &self,
        target: &Target,
        rows: I,
        options: &ImportOptions,
    ) -> Result<Vec<ImportOutcome<T>>, BulkError>
    where
        T: Serialize + DeserializeOwned,
        I: IntoIterator<Item = T>,
    {
        let limit = options.max_file_bytes.clamp(1, MAX_IMPORT_BYTES);
        let mut outcomes = Vec::new();
        let mut header: Option<Vec<u8>> = None;
        let mut file: Vec<u8> = Vec::new();
        for row in rows {
            let (head, line) = encode_row(&row)?;
            let head = header.get_or_insert(head).clone();
            if head.len() + line.len() > limit {
                return Err(BulkError::Input(format!(
                    "one row is {} bytes, more than the file limit {limit}",
                    line.len()
                )));
            }
            if !file.is_empty() && file.len() + line.len() > limit {
                let bytes = std::mem::take(&mut file);
                outcomes.push(self.import_bytes(target, bytes, options).await?);
            }
            if file.is_empty() {
                file.extend_from_slice(&head);
            }
            file.extend_from_slice(&line);
        }
        if !file.is_empty() {
            outcomes.push(self.import_bytes(target, file, options).await?);
        }
        Ok(outcomes)
    }

    async fn import_bytes<T: DeserializeOwned>(
        &self,
        target: &Target,
        bytes: Vec<u8>,
        options: &ImportOptions,
    ) -> Result<ImportOutcome<T>, BulkError> {
        let len = bytes.len() as u64;
        let file = FilePart::from_bytes(target.file_name(), bytes);
        self.import_part(target, file, len, options).await
    }

    /// Uploads one file (waiting while 10 imports are queued), polls the job
    /// until it is done, and fetches its failures and warnings.
    async fn import_part<T: DeserializeOwned>(
        &self,
        target: &Target,
        file: FilePart,
        len: u64,
        options: &ImportOptions,
    ) -> Result<ImportOutcome<T>, BulkError> {
        let span = tracing::info_span!(
            "marketo_rest.bulk_import",
            kind = target.kind(),
            batch_id = tracing::field::Empty
        );
        async {
            let started = tokio::time::Instant::now();
            let upload = target.upload(file, options);
            let job = loop {
                match upload.send(self).await {
                    Ok(r) => break r.value.into_iter().next(),
                    Err(RestError::Api { errors, .. })
                        if errors.iter().any(|e| e.code == "1016")
                            && started.elapsed() + options.queue_full_wait < options.timeout =>
                    {
                        tokio::time::sleep(options.queue_full_wait).await;
                    }
                    Err(e) => return Err(e.into()),
                }
            };
            let Some(job) = job else {
                return Err(BulkError::Input("the import answered no job".into()));
            };
            let id = job.batch_id;
            tracing::Span::current().record("batch_id", id);
            let progress = &options.progress;
            progress.add_bytes(len);
            progress.set_job(&id.to_string(), job.status.as_str());
            let done = poll_import(self, target, id, started, options).await?;
            let processed = done
                .num_of_leads_processed
                .or(done.num_of_objects_processed)
                .unwrap_or(0);
            progress.add_rows(u64::try_from(processed).unwrap_or(0));
            let failures = match done.num_of_rows_failed.unwrap_or(0) {
                0 => Vec::new(),
                _ => issues(&target.report(self, id, true).await?)?,
            };
            let warnings = match done.num_of_rows_with_warning.unwrap_or(0) {
                0 => Vec::new(),
                _ => issues(&target.report(self, id, false).await?)?,
            };
            Ok(ImportOutcome {
                job: done,
                failures,
                warnings,
            })
        }
        .instrument(span)
        .await
    }
}

/// Polls an import job with a doubling, bounded wait until it is `Complete`.
async fn poll_import(
    client: &Client,
    target: &Target,
    id: i32,
    started: tokio::time::Instant,
    options: &ImportOptions,
) -> Result<BulkImportJob, BulkError> {
    let mut wait = options.poll_interval;
    loop {
        let status = target.status(client, id).await?;
        options
            .progress
            .set_job(&id.to_string(), status.status.as_str());
        match status.status {
            BulkImportStatus::Complete => return Ok(status),
            BulkImportStatus::Failed => {
                return Err(BulkError::JobFailed {
                    job_id: id.to_string(),
                    message: status.message.unwrap_or_default(),
                });
            }
            _ => {}
        }
        if started.elapsed() + wait > options.timeout {
            return Err(BulkError::Timeout {
                job_id: id.to_string(),
                waited: started.elapsed(),
                status: status.status.as_str().to_owned(),
            });
        }
        tokio::time::sleep(wait).await;
        wait = (wait * 2).min(options.max_poll_interval);
    }
}

/// The header line and the data line of one row.
fn encode_row<T: Serialize>(row: &T) -> Result<(Vec<u8>, Vec<u8>), BulkError> {
    let mut with_header = csv::Writer::from_writer(Vec::new());
    with_header
        .serialize(row)
        .map_err(|e| BulkError::Input(e.to_string()))?;
    let all = with_header
        .into_inner()
        .map_err(|e| BulkError::Input(e.to_string()))?;
    let mut bare = csv::WriterBuilder::new()
        .has_headers(false)
        .from_writer(Vec::new());
    bare.serialize(row)
        .map_err(|e| BulkError::Input(e.to_string()))?;
    let line = bare
        .into_inner()
        .map_err(|e| BulkError::Input(e.to_string()))?;
    let head = all[..all.len() - line.len()].to_vec();
    Ok((head, line))
}

/// Rows of a failures or warnings file: the import's columns, then the reason.
fn issues<T: DeserializeOwned>(bytes: &[u8]) -> Result<Vec<ImportIssue<T>>, BulkError> {
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(bytes);
    let headers = reader
        .headers()
        .map_err(|e| BulkError::Decode {
            row: 0,
            message: e.to_string(),
        })?
        .clone();
    let reason_at = headers
        .iter()
        .position(|h| h.contains("Reason"))
        .unwrap_or(headers.len().saturating_sub(1));
    let columns: csv::StringRecord = headers
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != reason_at)
        .map(|(_, h)| h)
        .collect();
    let mut out = Vec::new();
    for (n, record) in reader.records().enumerate() {
        let row = n as u64 + 1;
        let record = record.map_err(|e| BulkError::Decode {
            row,
            message: e.to_string(),
        })?;
        let reason = record.get(reason_at).unwrap_or_default().to_owned();
        let values: csv::StringRecord = record
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != reason_at)
            .map(|(_, v)| v)
            .collect();
        let row_value = values
            .deserialize::<T>(Some(&columns))
            .map_err(|e| BulkError::Decode {
                row,
                message: e.to_string(),
            })?;
        out.push(ImportIssue {
            row: row_value,
            reason,
        });
    }
    Ok(out)
}
