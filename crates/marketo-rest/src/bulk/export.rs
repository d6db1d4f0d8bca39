//! Export jobs as one call returning a stream of typed rows.

use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use futures::Stream;
use serde::de::DeserializeOwned;
use time::OffsetDateTime;
use tokio::sync::mpsc;
use tracing::Instrument as _;

use super::{BulkError, MAX_WINDOW, Progress, decode, download};
use crate::types::{
    BulkDateRange, BulkExportActivityRequest, BulkExportCustomObjectRequest, BulkExportJob,
    BulkExportLeadRequest, BulkExportProgramMemberRequest, BulkExportStatus, BulkFileFormat,
};
use crate::{Client, FileResponse, RestError};

/// How an export waits and retries.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ExportOptions {
    /// First wait between status polls (doubled after each poll up to
    /// [`max_poll_interval`](Self::max_poll_interval)). Default 15 s.
    pub poll_interval: Duration,
    /// Longest wait between status polls. Default 60 s (Marketo updates a
    /// job's status at most once a minute).
    pub max_poll_interval: Duration,
    /// How long one job may take from creation to a completed file before
    /// [`BulkError::Timeout`]; the job is then cancelled. Default 6 hours.
    pub timeout: Duration,
    /// Wait before enqueueing again when the queue is full (1029 "Too many
    /// jobs in queue"). Default 60 s.
    pub queue_full_wait: Duration,
    /// Downloads resumed after a dropped connection or short body before
    /// [`BulkError::Incomplete`]. Default 5.
    pub max_resumes: u32,
    /// Rows read ahead of the consumer: split into CSV records, not yet
    /// deserialized (rounded up to whole batches of 256). Default 1024.
    pub row_buffer: usize,
}

impl Default for ExportOptions {
    fn default() -> Self {
        Self {
            poll_interval: Duration::from_secs(15),
            max_poll_interval: Duration::from_secs(60),
            timeout: Duration::from_secs(6 * 3600),
            queue_full_wait: Duration::from_secs(60),
            max_resumes: 5,
            row_buffer: 1024,
        }
    }
}

impl ExportOptions {
    /// The defaults.
    pub fn new() -> Self {
        Self::default()
    }

    /// With these status poll waits (first, longest).
    #[must_use]
    pub fn poll(mut self, first: Duration, longest: Duration) -> Self {
        self.poll_interval = first;
        self.max_poll_interval = longest.max(first);
        self
    }

    /// With this overall timeout per job.
    #[must_use]
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// With this wait when the queue is full.
    #[must_use]
    pub fn queue_full_wait(mut self, wait: Duration) -> Self {
        self.queue_full_wait = wait;
        self
    }

    /// With this many download resumes allowed.
    #[must_use]
    pub fn max_resumes(mut self, n: u32) -> Self {
        self.max_resumes = n;
        self
    }
}

/// One export job definition, of any of the four kinds.
#[derive(Debug, Clone)]
pub(crate) enum Job {
    Leads(BulkExportLeadRequest),
    Activities(BulkExportActivityRequest),
    ProgramMembers(BulkExportProgramMemberRequest),
    CustomObjects(String, BulkExportCustomObjectRequest),
}

type JobResult = Result<crate::Response<Vec<BulkExportJob>>, RestError>;

impl Job {
    fn kind(&self) -> &'static str {
        match self {
            Job::Leads(_) => "leads",
            Job::Activities(_) => "activities",
            Job::ProgramMembers(_) => "program members",
            Job::CustomObjects(..) => "custom objects",
        }
    }

    fn format(&self) -> Option<&BulkFileFormat> {
        match self {
            Job::Leads(r) => r.format.as_ref(),
            Job::Activities(r) => r.format.as_ref(),
            Job::ProgramMembers(r) => r.format.as_ref(),
            Job::CustomObjects(_, r) => r.format.as_ref(),
        }
    }

    fn delimiter(&self) -> u8 {
        match self.format() {
            Some(BulkFileFormat::Tsv) => b'\t',
            Some(BulkFileFormat::Ssv) => b';',
            _ => b',',
        }
    }

    /// The date range to split, and a setter for one window of it.
    fn range(&self) -> Option<BulkDateRange> {
        match self {
            Job::Leads(r) => r.filter.created_at.clone().or(r.filter.updated_at.clone()),
            Job::Activities(r) => Some(r.filter.created_at.clone()),
            Job::ProgramMembers(r) => r.filter.updated_at.clone(),
            Job::CustomObjects(_, r) => r.filter.updated_at.clone(),
        }
    }

    fn with_range(&self, range: BulkDateRange) -> Job {
        let mut job = self.clone();
        match &mut job {
            Job::Leads(r) => {
                if r.filter.created_at.is_some() {
                    r.filter.created_at = Some(range);
                } else {
                    r.filter.updated_at = Some(range);
                }
            }
            Job::Activities(r) => r.filter.created_at = range,
            Job::ProgramMembers(r) => r.filter.updated_at = Some(range),
            Job::CustomObjects(_, r) => r.filter.updated_at = Some(range),
        }
        job
    }

    /// One job per window of at most 31 days (the window ends one second
    /// before the next starts, so no record is exported twice).
    pub(crate) fn windows(&self) -> Vec<Job> {
        let Some(range) = self.range() else {
            return vec![self.clone()];
        };
        split(range.start_at, range.end_at)
            .into_iter()
            .map(|(start, end)| self.with_range(BulkDateRange::new(start, end)))
            .collect()
    }

    async fn create(&self, c: &Client) -> JobResult {
        match self {
            Job::Leads(r) => c.create_export_lead_job(r).await,
            Job::Activities(r) => c.create_export_activity_job(r).await,
            Job::ProgramMembers(r) => c.create_export_program_member_job(r).await,
            Job::CustomObjects(name, r) => c.create_export_custom_object_job(name, r).await,
        }
    }

    async fn enqueue(&self, c: &Client, id: &str) -> JobResult {
        match self {
            Job::Leads(_) => c.enqueue_export_lead_job(id).await,
            Job::Activities(_) => c.enqueue_export_activity_job(id).await,
            Job::ProgramMembers(_) => c.enqueue_export_program_member_job(id).await,
            Job::CustomObjects(name, _) => c.enqueue_export_custom_object_job(name, id).await,
        }
    }

    async fn cancel(&self, c: &Client, id: &str) -> JobResult {
        match self {
            Job::Leads(_) => c.cancel_export_lead_job(id).await,
            Job::Activities(_) => c.cancel_export_activity_job(id).await,
            Job::ProgramMembers(_) => c.cancel_export_program_member_job(id).await,
            Job::CustomObjects(name, _) => c.cancel_export_custom_object_job(name, id).await,
        }
    }

    async fn status(&self, c: &Client, id: &str) -> Result<BulkExportJob, RestError> {
        let response = match self {
            Job::Leads(_) => c.get_export_lead_job_status(id).await,
            Job::Activities(_) => c.get_export_activity_job_status(id).await,
            Job::ProgramMembers(_) => c.get_export_program_member_job_status(id).await,
            Job::CustomObjects(name, _) => c.get_export_custom_object_job_status(name, id).await,
        };
        response.map(|r| r.value)
    }

    pub(crate) async fn file(
        &self,
        c: &Client,
        id: &str,
        range: Option<String>,
    ) -> Result<FileResponse, RestError> {
        use crate::params::*;
        match self {
            Job::Leads(_) => {
                let mut p = GetExportLeadFileParams::new();
                p.range = range;
                c.get_export_lead_file(id, p).await
            }
            Job::Activities(_) => {
                let mut p = GetExportActivityFileParams::new();
                p.range = range;
                c.get_export_activity_file(id, p).await
            }
            Job::ProgramMembers(_) => {
                let mut p = GetExportProgramMemberFileParams::new();
                p.range = range;
                c.get_export_program_member_file(id, p).await
            }
            Job::CustomObjects(name, _) => {
                let mut p = GetExportCustomObjectFileParams::new();
                p.range = range;
                c.get_export_custom_object_file(name, id, p).await
            }
        }
    }
}

/// `[start, end]` cut into windows of at most [`MAX_WINDOW`].
fn split(start: OffsetDateTime, end: OffsetDateTime) -> Vec<(OffsetDateTime, OffsetDateTime)> {
    let mut out = Vec::new();
    let mut from = start;
    while end - from > MAX_WINDOW {
        let next = from + MAX_WINDOW;
        out.push((from, next - time::Duration::SECOND));
        from = next;
    }
    out.push((from, end));
    out
}

/// Whether an API error is Marketo's 1029 and which kind.
fn code_1029(e: &RestError) -> Option<bool> {
    match e {
        RestError::Api { errors, .. } => errors.iter().find(|e| e.code == "1029").map(|e| {
            // true: the daily quota; false: the queue is full.
            e.message.to_ascii_lowercase().contains("quota")
        }),
        _ => None,
    }
}

fn message_of(e: &RestError) -> String {
    match e {
        RestError::Api { errors, .. } => errors
            .iter()
            .map(|e| format!("{} {}", e.code, e.message))
            .collect::<Vec<_>>()
            .join("; "),
        other => other.to_string(),
    }
}

/// Creates, enqueues, polls one job; answers the completed job.
async fn run_job(
    client: &Client,
    job: &Job,
    progress: &Progress,
    options: &ExportOptions,
) -> Result<BulkExportJob, BulkError> {
    let started = tokio::time::Instant::now();
    let created = match job.create(client).await {
        Ok(r) => r.value.into_iter().next(),
        Err(e) if code_1029(&e) == Some(true) => {
            return Err(BulkError::DailyQuotaExceeded {
                message: message_of(&e),
            });
        }
        Err(e) => return Err(e.into()),
    };
    let Some(created) = created else {
        return Err(RestError::Decode {
            status: 200,
            problem: "create answered no job".into(),
            excerpt: String::new(),
        }
        .into());
    };
    let id = created.export_id.clone();
    tracing::Span::current().record("export_id", id.as_str());
    progress.set_job(&id, created.status.as_str());
    // Enqueue, waiting while the queue is full.
    loop {
        match job.enqueue(client, &id).await {
            Ok(r) => {
                if let Some(j) = r.value.first() {
                    progress.set_job(&id, j.status.as_str());
                }
                break;
            }
            Err(e) => match code_1029(&e) {
                Some(true) => {
                    let _ = job.cancel(client, &id).await;
                    return Err(BulkError::DailyQuotaExceeded {
                        message: message_of(&e),
                    });
                }
                Some(false) if started.elapsed() + options.queue_full_wait < options.timeout => {
                    tracing::debug!(export_id = %id, "export queue full; waiting");
                    tokio::time::sleep(options.queue_full_wait).await;
                }
                Some(false) => {
                    let _ = job.cancel(client, &id).await;
                    return Err(BulkError::Timeout {
                        job_id: id,
                        waited: started.elapsed(),
                        status: "Created (export queue full)".to_owned(),
                    });
                }
                None => {
                    let _ = job.cancel(client, &id).await;
                    return Err(e.into());
                }
            },
        }
    }
    // Poll with a doubling, bounded wait.
    let mut wait = options.poll_interval;
    loop {
        let status = job.status(client, &id).await?;
        progress.set_job(&id, status.status.as_str());
        match status.status {
            BulkExportStatus::Completed => return Ok(status),
            BulkExportStatus::Failed => {
                return Err(BulkError::JobFailed {
                    job_id: id,
                    message: status.error_msg.unwrap_or_default(),
                });
            }
            BulkExportStatus::Cancelled | BulkExportStatus::Canceled => {
                return Err(BulkError::JobCancelled { job_id: id });
            }
            _ => {}
        }
        if started.elapsed() + wait > options.timeout {
            let _ = job.cancel(client, &id).await;
            return Err(BulkError::Timeout {
                job_id: id,
                waited: started.elapsed(),
                status: status.status.as_str().to_owned(),
            });
        }
        tokio::time::sleep(wait).await;
        wait = (wait * 2).min(options.max_poll_interval);
    }
}

/// Runs every window of `job`, sending rows to `out`.
async fn drive(
    client: Client,
    job: Job,
    out: mpsc::Sender<decode::Batch>,
    recycled: decode::Recycled,
    progress: Progress,
    options: ExportOptions,
) {
    for window in job.windows() {
        let span = tracing::info_span!(
            "marketo_rest.bulk_job",
            kind = window.kind(),
            export_id = tracing::field::Empty,
        );
        let result = async {
            let done = run_job(&client, &window, &progress, &options).await?;
            let (tx, decoder) = decode::spawn(
                window.delimiter(),
                out.clone(),
                Arc::clone(&recycled),
                progress.clone(),
            );
            let downloaded =
                download::download(&client, &window, &done, &tx, &progress, &options).await;
            drop(tx);
            let decoded = decoder.await.unwrap_or(false);
            downloaded.map(|()| decoded)
        }
        .instrument(span)
        .await;
        match result {
            Ok(true) => {}
            // The consumer went away or a row failed (already reported).
            Ok(false) => return,
            Err(e) => {
                let _ = out.send(Err(e)).await;
                return;
            }
        }
    }
}

/// The rows of an export, decoded as they download. Ends after the last row
/// of the last window; an error is yielded once, then the stream ends.
/// Dropping it stops the download.
pub struct ExportStream<T> {
    rx: mpsc::Receiver<decode::Batch>,
    /// The batch being yielded and the index of its next record.
    batch: Option<(decode::Records, usize)>,
    /// Emptied batches go back to the decoder.
    recycle: std::sync::mpsc::SyncSender<Vec<csv::StringRecord>>,
    /// Whether the stream yielded its error (it then ends).
    failed: bool,
    rows: std::marker::PhantomData<fn() -> T>,
    progress: Progress,
    task: tokio::task::JoinHandle<()>,
}

impl<T> std::fmt::Debug for ExportStream<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ExportStream")
            .field("progress", &self.progress.snapshot())
            .finish_non_exhaustive()
    }
}

impl<T> ExportStream<T> {
    /// Bytes, rows and job status so far.
    pub fn progress(&self) -> Progress {
        self.progress.clone()
    }
}

impl<T> Drop for ExportStream<T> {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl<T: DeserializeOwned> Stream for ExportStream<T> {
    type Item = Result<T, BulkError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        loop {
            if this.failed {
                return Poll::Ready(None);
            }
            if let Some((records, next)) = &mut this.batch {
                if let Some(record) = records.records.get(*next) {
                    let row = records.first_row + *next as u64;
                    *next += 1;
                    let item = record
                        .deserialize::<T>(Some(&records.headers))
                        .map_err(|e| BulkError::Decode {
                            row,
                            message: e.to_string(),
                        });
                    if item.is_err() {
                        // The first error ends the stream and the export.
                        this.failed = true;
                        this.task.abort();
                    }
                    return Poll::Ready(Some(item));
                }
                if let Some((records, _)) = this.batch.take() {
                    // The decoder may fill it again; if it has enough, drop it.
                    let _ = this.recycle.try_send(records.records);
                }
            }
            match this.rx.poll_recv(cx) {
                Poll::Ready(Some(Ok(batch))) => this.batch = Some((batch, 0)),
                Poll::Ready(Some(Err(e))) => return Poll::Ready(Some(Err(e))),
                Poll::Ready(None) => return Poll::Ready(None),
                Poll::Pending => return Poll::Pending,
            }
        }
    }
}

impl<T> Unpin for ExportStream<T> {}

fn start<T>(client: &Client, job: Job, options: ExportOptions) -> ExportStream<T>
where
    T: DeserializeOwned + Send + 'static,
{
    let batches = options.row_buffer.div_ceil(decode::ROWS_PER_BATCH).max(1);
    let (tx, rx) = mpsc::channel(batches);
    // Room for every batch that can be away from the decoder at once.
    let (recycle, recycled) = std::sync::mpsc::sync_channel(batches + 2);
    let recycled = Arc::new(std::sync::Mutex::new(recycled));
    let progress = Progress::default();
    let task = tokio::spawn(drive(
        client.clone(),
        job,
        tx,
        recycled,
        progress.clone(),
        options,
    ));
    ExportStream {
        rx,
        batch: None,
        recycle,
        failed: false,
        rows: std::marker::PhantomData,
        progress,
        task,
    }
}

impl Client {
    /// Exports leads: create → enqueue → poll → download → decode, as rows
    /// of `T` (a `serde` struct whose members are the column headers, e.g.
    /// the field names). A `createdAt`/`updatedAt` range longer than 31 days
    /// runs as several jobs, one after the other. See the
    /// [`bulk`](crate::bulk) module.
    ///
    /// ```no_run
    /// # async fn run(client: marketo_rest::Client) -> Result<(), marketo_rest::bulk::BulkError> {
    /// use futures::TryStreamExt as _;
    /// use marketo_rest::bulk::ExportOptions;
    /// use marketo_rest::types::{BulkDateRange, BulkExportLeadFilter, BulkExportLeadRequest};
    /// use marketo_rest::time::macros::datetime;
    ///
    /// #[derive(serde::Deserialize)]
    /// #[serde(rename_all = "camelCase")]
    /// struct Row { id: i64, email: Option<String> }
    ///
    /// let range = BulkDateRange::new(datetime!(2024-01-01 0:00 UTC), datetime!(2024-06-30 0:00 UTC));
    /// let request = BulkExportLeadRequest::new(
    ///     vec!["id".to_owned(), "email".to_owned()],
    ///     BulkExportLeadFilter::new().created_at(range),
    /// );
    /// let mut rows = client.export_leads::<Row>(request, ExportOptions::new());
    /// while let Some(row) = rows.try_next().await? {
    ///     println!("{} {:?}", row.id, row.email);
    /// }
    /// # Ok(()) }
    /// ```
    pub fn export_leads<T>(
        &self,
        request: BulkExportLeadRequest,
        options: ExportOptions,
    ) -> ExportStream<T>
    where
        T: DeserializeOwned + Send + 'static,
    {
        start(self, Job::Leads(request), options)
    }

    /// Exports activities as rows of `T` (see [`Self::export_leads`]); the
    /// `createdAt` range is split into windows of 31 days.
    pub fn export_activities<T>(
        &self,
        request: BulkExportActivityRequest,
        options: ExportOptions,
    ) -> ExportStream<T>
    where
        T: DeserializeOwned + Send + 'static,
    {
        start(self, Job::Activities(request), options)
    }

    /// Exports program members as rows of `T` (see [`Self::export_leads`]).
    pub fn export_program_members<T>(
        &self,
        request: BulkExportProgramMemberRequest,
        options: ExportOptions,
    ) -> ExportStream<T>
    where
        T: DeserializeOwned + Send + 'static,
    {
        start(self, Job::ProgramMembers(request), options)
    }

    /// Exports the records of custom object type `api_name` as rows of `T`
    /// (see [`Self::export_leads`]).
    pub fn export_custom_objects<T>(
        &self,
        api_name: &str,
        request: BulkExportCustomObjectRequest,
        options: ExportOptions,
    ) -> ExportStream<T>
    where
        T: DeserializeOwned + Send + 'static,
    {
        start(
            self,
            Job::CustomObjects(api_name.to_owned(), request),
            options,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn long_ranges_split_into_windows() {
        let w = split(
            datetime!(2024-01-01 0:00 UTC),
            datetime!(2024-03-15 0:00 UTC),
        );
        assert_eq!(w.len(), 3);
        assert_eq!(w[0].1, datetime!(2024-01-31 23:59:59 UTC));
        assert_eq!(w[1].0, datetime!(2024-02-01 0:00 UTC));
        assert_eq!(w[2].1, datetime!(2024-03-15 0:00 UTC));
        assert!(w.iter().all(|(s, e)| *e - *s <= MAX_WINDOW));
        assert_eq!(
            split(
                datetime!(2024-01-01 0:00 UTC),
                datetime!(2024-01-05 0:00 UTC)
            )
            .len(),
            1
        );
    }
}
