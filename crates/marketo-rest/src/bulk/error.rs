//! What can go wrong with a bulk job.

use crate::RestError;

/// A bulk export or import that did not deliver.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BulkError {
    /// A call failed (after the transport's retries).
    #[error(transparent)]
    Rest(#[from] RestError),
    /// The job ended `Failed`.
    #[error("bulk job {job_id} failed: {message}")]
    JobFailed {
        /// The export id or import batch id.
        job_id: String,
        /// Marketo's message.
        message: String,
    },
    /// The job was cancelled (by someone else) before it completed.
    #[error("bulk job {job_id} was cancelled")]
    JobCancelled {
        /// The export id.
        job_id: String,
    },
    /// The job did not finish within [`ExportOptions::timeout`](super::ExportOptions::timeout).
    #[error("bulk job {job_id} did not finish within {waited:?} (last status {status})")]
    Timeout {
        /// The export id or import batch id.
        job_id: String,
        /// How long it was waited for.
        waited: std::time::Duration,
        /// The last status seen.
        status: String,
    },
    /// The daily export quota (500 MB by default, shared by all export
    /// types) is used up; it resets at midnight US Central Time.
    #[error("the daily bulk export quota is exhausted (Marketo 1029: {message})")]
    DailyQuotaExceeded {
        /// Marketo's message.
        message: String,
    },
    /// The download could not be completed after the allowed resumes.
    #[error(
        "download of {job_id} incomplete after {attempts} attempts: {received} of {expected:?} bytes"
    )]
    Incomplete {
        /// The export id.
        job_id: String,
        /// Attempts made.
        attempts: u32,
        /// Bytes received.
        received: u64,
        /// Bytes announced, if known.
        expected: Option<u64>,
    },
    /// The file's SHA-256 differs from the job's `fileChecksum`.
    #[error("file of {job_id}: checksum {actual} differs from the job's {expected}")]
    Checksum {
        /// The export id.
        job_id: String,
        /// `fileChecksum` of the job.
        expected: String,
        /// What the received bytes hash to.
        actual: String,
    },
    /// A row did not decode into the requested type.
    #[error("row {row}: {message}")]
    Decode {
        /// 1-based data row number (the header is row 0).
        row: u64,
        /// What was wrong.
        message: String,
    },
    /// A row to import could not be written as CSV, or a file could not be read.
    #[error("import input: {0}")]
    Input(String),
}
