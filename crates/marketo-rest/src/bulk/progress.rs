//! Observable progress of a bulk job, for a progress bar.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

/// A live view of a job's progress; cheap to clone, read from any task.
#[derive(Debug, Clone, Default)]
pub struct Progress {
    inner: Arc<Inner>,
}

#[derive(Debug, Default)]
struct Inner {
    bytes: AtomicU64,
    rows: AtomicU64,
    resumes: AtomicU64,
    total_bytes: AtomicU64,
    state: Mutex<(String, String)>,
}

/// Progress at one instant.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProgressSnapshot {
    /// The current job's id (export id or import batch id).
    pub job_id: String,
    /// Its last known status (`Created`, `Queued`, `Processing`, `Completed`, …).
    pub status: String,
    /// File bytes received (or sent) so far, all windows together.
    pub bytes: u64,
    /// Size of the current file when known (else 0).
    pub total_bytes: u64,
    /// Rows decoded (or imported) so far.
    pub rows: u64,
    /// Downloads resumed with `Range`.
    pub resumes: u64,
}

impl Progress {
    /// Now.
    pub fn snapshot(&self) -> ProgressSnapshot {
        let state = self.inner.state.lock().unwrap_or_else(|p| p.into_inner());
        ProgressSnapshot {
            job_id: state.0.clone(),
            status: state.1.clone(),
            bytes: self.inner.bytes.load(Ordering::Relaxed),
            total_bytes: self.inner.total_bytes.load(Ordering::Relaxed),
            rows: self.inner.rows.load(Ordering::Relaxed),
            resumes: self.inner.resumes.load(Ordering::Relaxed),
        }
    }

    pub(crate) fn set_job(&self, job_id: &str, status: &str) {
        let mut state = self.inner.state.lock().unwrap_or_else(|p| p.into_inner());
        *state = (job_id.to_owned(), status.to_owned());
    }

    pub(crate) fn add_bytes(&self, n: u64) {
        self.inner.bytes.fetch_add(n, Ordering::Relaxed);
    }

    pub(crate) fn set_total(&self, n: u64) {
        self.inner.total_bytes.store(n, Ordering::Relaxed);
    }

    pub(crate) fn add_rows(&self, n: u64) {
        self.inner.rows.fetch_add(n, Ordering::Relaxed);
    }

    pub(crate) fn add_resume(&self) {
        self.inner.resumes.fetch_add(1, Ordering::Relaxed);
    }
}
