//! Lead upserts of any size over `syncLeads`.
//!
//! [`Client::sync_leads_batched`](crate::Client::sync_leads_batched) takes
//! any number of leads, sends them 300 a call (Marketo's maximum, or a
//! smaller [`SyncLeadsBatched::batch_size`]), with as many calls in flight
//! as the client's throttle allows, and answers one outcome per lead **in
//! input order**: the lead's `SyncLeadResult` (created, updated, or skipped
//! with its reasons), or the error of the call that carried it.
//!
//! Nothing is lost or sent twice: every lead is in exactly one call;
//! `syncLeads` is not idempotent (`createDuplicate` would create a second
//! lead, and the spec leaves it unmarked), so the transport never repeats a
//! call whose request may have reached Marketo; what it does repeat — calls
//! refused before execution (606, 615, 6xx), and every call waits for the
//! throttle first — cannot write twice. A call whose `result` does not hold
//! one record per lead sent is reported for each of its leads as
//! [`LeadSyncError::ResultCount`] rather than matched up by guess.

use std::sync::Arc;

use futures::StreamExt;
use tracing::Instrument;

use crate::RestError;
use crate::types::{Lead, SyncAction, SyncLeadResult, SyncLeadsRequest};

/// Marketo's limit of leads per `syncLeads` call.
pub const MAX_BATCH: usize = 300;

/// Options of [`Client::sync_leads_batched`](crate::Client::sync_leads_batched):
/// the request options of `syncLeads`, the batch size and the concurrency.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct SyncLeadsBatched {
    /// What the sync may do (`createOrUpdate` when unset).
    pub action: Option<SyncAction>,
    /// The dedupe field (`email` when unset).
    pub lookup_field: Option<String>,
    /// The partition to create leads in.
    pub partition_name: Option<String>,
    /// Leads per call: 1 to 300 (300 when unset or out of range).
    pub batch_size: Option<usize>,
    /// Calls in flight at once (the throttle's `max_in_flight` when unset).
    /// The throttle still bounds every call.
    pub in_flight: Option<usize>,
}

impl SyncLeadsBatched {
    /// Default options: upsert on `email`, 300 leads a call, as many calls
    /// in flight as the throttle allows.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets [`action`](Self::action).
    #[must_use]
    pub fn action(mut self, value: SyncAction) -> Self {
        self.action = Some(value);
        self
    }

    /// Sets [`lookup_field`](Self::lookup_field).
    #[must_use]
    pub fn lookup_field(mut self, value: impl Into<String>) -> Self {
        self.lookup_field = Some(value.into());
        self
    }

    /// Sets [`partition_name`](Self::partition_name).
    #[must_use]
    pub fn partition_name(mut self, value: impl Into<String>) -> Self {
        self.partition_name = Some(value.into());
        self
    }

    /// Sets [`batch_size`](Self::batch_size).
    #[must_use]
    pub fn batch_size(mut self, value: usize) -> Self {
        self.batch_size = Some(value);
        self
    }

    /// Sets [`in_flight`](Self::in_flight).
    #[must_use]
    pub fn in_flight(mut self, value: usize) -> Self {
        self.in_flight = Some(value);
        self
    }

    fn request(&self, leads: Vec<Lead>) -> SyncLeadsRequest {
        let mut request = SyncLeadsRequest::new(leads);
        request.action = self.action.clone();
        request.lookup_field = self.lookup_field.clone();
        request.partition_name = self.partition_name.clone();
        request
    }
}

/// Why one lead of a batched sync has no `SyncLeadResult`.
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum LeadSyncError {
    /// The call carrying the lead failed as a whole (shared by its leads).
    #[error("syncLeads call {batch} failed: {error}")]
    Call {
        /// The 0-based index of the call.
        batch: usize,
        /// The call's error.
        error: Arc<RestError>,
    },
    /// The call succeeded but its `result` did not hold one record per lead.
    #[error("syncLeads call {batch} sent {sent} leads and got {received} results")]
    ResultCount {
        /// The 0-based index of the call.
        batch: usize,
        /// Leads sent.
        sent: usize,
        /// Records received.
        received: usize,
    },
}

impl LeadSyncError {
    /// Whether repeating the lead's sync may succeed (the call's error is
    /// transient; see [`RestError::is_retryable`]).
    pub fn is_retryable(&self) -> bool {
        match self {
            LeadSyncError::Call { error, .. } => error.is_retryable(),
            LeadSyncError::ResultCount { .. } => false,
        }
    }
}

/// The outcome of one lead of a batched sync.
pub type LeadSyncOutcome = Result<SyncLeadResult, LeadSyncError>;

impl crate::Client {
    /// Creates or updates any number of leads through `syncLeads`, 300 a
    /// call with as many calls in flight as the throttle allows; one
    /// outcome per lead, in input order (see the [module docs](crate::batch)).
    pub async fn sync_leads_batched(
        &self,
        leads: Vec<Lead>,
        options: &SyncLeadsBatched,
    ) -> Vec<LeadSyncOutcome> {
        let size = options
            .batch_size
            .filter(|n| (1..=MAX_BATCH).contains(n))
            .unwrap_or(MAX_BATCH);
        let in_flight = options
            .in_flight
            .unwrap_or_else(|| crate::paging::default_prefetch(self.core().throttle()))
            .max(1);
        let total = leads.len();
        let mut batches = Vec::with_capacity(total.div_ceil(size));
        let mut rest = leads.into_iter();
        loop {
            let chunk: Vec<Lead> = rest.by_ref().take(size).collect();
            if chunk.is_empty() {
                break;
            }
            batches.push(chunk);
        }
        let span = tracing::info_span!("sync_leads_batched", leads = total, calls = batches.len());
        async move {
            let calls = futures::stream::iter(batches.into_iter().enumerate())
                .map(|(batch, chunk)| {
                    let request = options.request(chunk);
                    async move {
                        let sent = request.input.len();
                        let outcome = self.sync_leads(&request).await;
                        (batch, sent, outcome)
                    }
                })
                .buffered(in_flight);
            let mut out = Vec::with_capacity(total);
            futures::pin_mut!(calls);
            while let Some((batch, sent, outcome)) = calls.next().await {
                out.extend(outcomes(batch, sent, outcome));
            }
            out
        }
        .instrument(span)
        .await
    }
}

/// The per-lead outcomes of one call that carried `sent` leads.
fn outcomes(
    batch: usize,
    sent: usize,
    outcome: Result<crate::Response<Vec<SyncLeadResult>>, RestError>,
) -> Vec<LeadSyncOutcome> {
    match outcome {
        Ok(response) if response.value.len() == sent => {
            response.value.into_iter().map(Ok).collect()
        }
        Ok(response) => {
            let e = LeadSyncError::ResultCount {
                batch,
                sent,
                received: response.value.len(),
            };
            vec![Err(e); sent]
        }
        Err(error) => {
            tracing::warn!(batch, %error, "syncLeads call failed");
            let e = LeadSyncError::Call {
                batch,
                error: Arc::new(error),
            };
            vec![Err(e); sent]
        }
    }
}
