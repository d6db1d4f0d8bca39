//! Lead imports as one call: upload, poll, failures and warnings as typed rows.

use std::path::Path;
use std::time::Duration;

use serde::Serialize;
use serde::de::DeserializeOwned;
use tracing::Instrument as _;

use super::{BulkError, MAX_IMPORT_BYTES, Progress};
use crate::types::{BulkImportJob, BulkImportLeadsRequest, BulkImportStatus};
use crate::{Client, FilePart, RestError};

/// How a lead import is sent and waited for.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ImportOptions {
    /// Field that finds existing leads (Marketo's default: `email`).
    pub lookup_field: Option<String>,
    /// Static list the imported leads are added to.
    pub list_id: Option<i32>,
    /// Lead partition to import into.
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
        let path = path.as_ref();
        let len = std::fs::metadata(path)
            .map_err(|e| BulkError::Input(format!("{}: {e}", path.display())))?
            .len();
        if len > MAX_IMPORT_BYTES as u64 {
            return Err(BulkError::Input(format!(
                "{} is {len} bytes; Marketo takes at most {MAX_IMPORT_BYTES} per import (use import_lead_rows to split rows)",
                path.display()
            )));
        }
        self.import_part(FilePart::from_path(path), len, options)
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
                outcomes.push(self.import_bytes(bytes, options).await?);
            }
            if file.is_empty() {
                file.extend_from_slice(&head);
            }
            file.extend_from_slice(&line);
        }
        if !file.is_empty() {
            outcomes.push(self.import_bytes(file, options).await?);
        }
        Ok(outcomes)
    }

    async fn import_bytes<T: DeserializeOwned>(
        &self,
        bytes: Vec<u8>,
        options: &ImportOptions,
    ) -> Result<ImportOutcome<T>, BulkError> {
        let len = bytes.len() as u64;
        self.import_part(FilePart::from_bytes("leads.csv", bytes), len, options)
            .await
    }

    async fn import_part<T: DeserializeOwned>(
        &self,
        file: FilePart,
        len: u64,
        options: &ImportOptions,
    ) -> Result<ImportOutcome<T>, BulkError> {
        let span =
            tracing::info_span!("marketo_rest.bulk_import", batch_id = tracing::field::Empty);
        async {
            let started = tokio::time::Instant::now();
            let mut request = BulkImportLeadsRequest::new(file);
            request.lookup_field = options.lookup_field.clone();
            request.list_id = options.list_id;
            request.partition_name = options.partition_name.clone();
            let job = loop {
                match self.import_leads(&request).await {
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
            let mut wait = options.poll_interval;
            let done = loop {
                let status = self.get_import_lead_status(id).await?.value;
                progress.set_job(&id.to_string(), status.status.as_str());
                match status.status {
                    BulkImportStatus::Complete => break status,
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
            };
            progress.add_rows(u64::try_from(done.num_of_leads_processed.unwrap_or(0)).unwrap_or(0));
            let failures = match done.num_of_rows_failed.unwrap_or(0) {
                0 => Vec::new(),
                _ => issues(&self.get_import_lead_failures(id).await?.bytes().await?)?,
            };
            let warnings = match done.num_of_rows_with_warning.unwrap_or(0) {
                0 => Vec::new(),
                _ => issues(&self.get_import_lead_warnings(id).await?.bytes().await?)?,
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
