//! Downloading an export file with `Range` resumption and checksum check.

use bytes::Bytes;
use sha2::{Digest, Sha256};
use tokio::sync::mpsc;

use super::export::Job;
use super::{BulkError, ExportOptions, Progress};
use crate::Client;
use crate::types::BulkExportJob;

/// Sends every byte of the file of the completed job `done` to `tx` exactly once, in
/// order: after a dropped connection or a body shorter than the file, asks
/// again from the first missing byte (`Range: bytes=N-`). Checks the SHA-256
/// against its `fileChecksum` (`sha256:<hex>`) when given.
pub(crate) async fn download(
    client: &Client,
    job: &Job,
    done: &BulkExportJob,
    tx: &mpsc::Sender<Bytes>,
    progress: &Progress,
    options: &ExportOptions,
) -> Result<(), BulkError> {
    let export_id = done.export_id.as_str();
    let size = done.file_size.and_then(|s| u64::try_from(s).ok());
    let checksum = done.file_checksum.as_deref();
    let mut received = 0_u64;
    let mut expected = size;
    let mut hasher = Sha256::new();
    let mut attempts = 0_u32;
    loop {
        attempts += 1;
        let range = (received > 0).then(|| format!("bytes={received}-"));
        if range.is_some() {
            progress.add_resume();
            tracing::debug!(export_id, received, "resuming download");
        }
        let mut clean_end = false;
        match job.file(client, export_id, range).await {
            Ok(mut file) => {
                if received > 0 && file.status() != 206 {
                    // The server sent the whole file again: skip what we have.
                    tracing::debug!(export_id, "range not honoured; skipping received bytes");
                }
                let mut skip = if received > 0 && file.status() != 206 {
                    received
                } else {
                    0
                };
                if let Some(total) = file.content_range().and_then(|r| r.total) {
                    expected.get_or_insert(total);
                } else if received == 0
                    && let Some(len) = file.content_length()
                {
                    expected.get_or_insert(len);
                }
                if let Some(total) = expected {
                    progress.set_total(total);
                }
                loop {
                    match file.chunk().await {
                        Ok(Some(mut chunk)) => {
                            if skip > 0 {
                                let n =
                                    usize::try_from(skip).unwrap_or(usize::MAX).min(chunk.len());
                                let _ = chunk.split_to(n);
                                skip -= n as u64;
                            }
                            if chunk.is_empty() {
                                continue;
                            }
                            received += chunk.len() as u64;
                            progress.add_bytes(chunk.len() as u64);
                            hasher.update(&chunk);
                            if tx.send(chunk).await.is_err() {
                                // The rows are no longer wanted.
                                return Ok(());
                            }
                        }
                        Ok(None) => {
                            clean_end = true;
                            break;
                        }
                        Err(e) => {
                            tracing::debug!(export_id, received, error = %e, "download interrupted");
                            break;
                        }
                    }
                }
            }
            Err(e) if attempts > options.max_resumes => return Err(e.into()),
            Err(e) => tracing::debug!(export_id, error = %e, "download request failed"),
        }
        let complete = match expected {
            Some(total) => received >= total,
            None => clean_end,
        };
        if complete {
            break;
        }
        if attempts > options.max_resumes {
            return Err(BulkError::Incomplete {
                job_id: export_id.to_owned(),
                attempts,
                received,
                expected,
            });
        }
    }
    if let Some(expected) = checksum.and_then(|c| c.strip_prefix("sha256:")) {
        let actual = hex(&hasher.finalize());
        if !actual.eq_ignore_ascii_case(expected) {
            return Err(BulkError::Checksum {
                job_id: export_id.to_owned(),
                expected: expected.to_owned(),
                actual,
            });
        }
    }
    Ok(())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
