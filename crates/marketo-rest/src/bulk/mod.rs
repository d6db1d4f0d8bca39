//! Bulk extract and import as one call each: jobs as a library.
//!
//! [`Client::export_leads`](crate::Client::export_leads) (and
//! `export_activities`, `export_program_members`, `export_custom_objects`)
//! creates the export job, enqueues it (waiting while the queue is full),
//! polls its status with a bounded backoff, downloads the file — resuming
//! with `Range` after a dropped connection or a short body, checking the
//! SHA-256 Marketo publishes — and decodes it into a [`Stream`] of typed
//! rows with `csv` and `serde`, in bounded memory whatever the file size.
//! A date range longer than Marketo's 31 days is split into windows, one job
//! each, run one after the other.
//!
//! Imports of leads ([`Client::import_leads_file`](crate::Client::import_leads_file),
//! [`Client::import_lead_rows`](crate::Client::import_lead_rows) from typed
//! rows), program members
//! ([`Client::import_program_members_file`](crate::Client::import_program_members_file),
//! [`Client::import_program_member_rows`](crate::Client::import_program_member_rows))
//! and custom objects
//! ([`Client::import_custom_objects_file`](crate::Client::import_custom_objects_file),
//! [`Client::import_custom_object_rows`](crate::Client::import_custom_object_rows))
//! upload (rows split into files under the 10 MB limit), poll until the job
//! is done, and return the failures and warnings as typed rows. See
//! `docs/bulk.md`.
//!
//! [`Stream`]: futures::Stream

mod decode;
mod download;
mod error;
mod export;
mod import;
mod progress;

pub use error::BulkError;
pub use export::{ExportOptions, ExportStream};
pub use import::{ImportIssue, ImportOptions, ImportOutcome};
pub use progress::{Progress, ProgressSnapshot};

/// The longest date range one export job may filter on (Marketo: 31 days).
pub const MAX_WINDOW: time::Duration = time::Duration::days(31);

/// The largest import file Marketo accepts (10 MB).
pub const MAX_IMPORT_BYTES: usize = 10 * 1024 * 1024;
