//! CSV decoding on a blocking thread: bytes in through a bounded channel,
//! typed rows out through another in batches of [`ROWS_PER_BATCH`], so
//! memory stays bounded by the two channels whatever the file size. (One
//! message per row cost more than the decoding: a wake-up of the consumer
//! per row; see docs/BENCHMARKS.md.)

use std::io::Read;

use bytes::Bytes;
use serde::de::DeserializeOwned;
use tokio::sync::mpsc;

use super::{BulkError, Progress};

/// Byte chunks queued between the download and the decoder.
pub(crate) const BYTE_CHUNKS: usize = 16;

/// Rows per message from the decoder to the consumer.
pub(crate) const ROWS_PER_BATCH: usize = 256;

/// What the decoder sends: a batch of rows, or the first error.
pub(crate) type Batch<T> = Result<Vec<T>, BulkError>;

/// A `Read` over chunks arriving on a channel (blocking).
struct ChannelReader {
    rx: mpsc::Receiver<Bytes>,
    current: Bytes,
}

impl Read for ChannelReader {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        while self.current.is_empty() {
            match self.rx.blocking_recv() {
                Some(chunk) => self.current = chunk,
                None => return Ok(0),
            }
        }
        let n = buf.len().min(self.current.len());
        buf[..n].copy_from_slice(&self.current[..n]);
        let _ = self.current.split_to(n);
        Ok(n)
    }
}

/// Starts decoding the file whose bytes will arrive on the returned sender;
/// the rows, in batches (or the first error), go to `out`. The header row names the
/// columns; Marketo's `null` reads as an empty field (so `Option` fields
/// are `None`).
pub(crate) fn spawn<T>(
    delimiter: u8,
    out: mpsc::Sender<Batch<T>>,
    progress: Progress,
) -> (mpsc::Sender<Bytes>, tokio::task::JoinHandle<bool>)
where
    T: DeserializeOwned + Send + 'static,
{
    let (tx, rx) = mpsc::channel(BYTE_CHUNKS);
    let handle = tokio::task::spawn_blocking(move || {
        decode(
            ChannelReader {
                rx,
                current: Bytes::new(),
            },
            delimiter,
            &out,
            &progress,
        )
    });
    (tx, handle)
}

/// Decodes every row; `false` when the consumer went away or a row failed.
fn decode<T: DeserializeOwned>(
    reader: impl Read,
    delimiter: u8,
    out: &mpsc::Sender<Batch<T>>,
    progress: &Progress,
) -> bool {
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .buffer_capacity(64 * 1024)
        .from_reader(reader);
    let headers = match reader.byte_headers() {
        Ok(h) => h.clone(),
        Err(e) => {
            let _ = out.blocking_send(Err(BulkError::Decode {
                row: 0,
                message: e.to_string(),
            }));
            return false;
        }
    };
    let mut record = csv::ByteRecord::new();
    let mut cleaned = csv::ByteRecord::new();
    let mut batch = Vec::with_capacity(ROWS_PER_BATCH);
    let mut row = 0_u64;
    // Sends the rows decoded so far; `false` when the consumer went away.
    let flush = |batch: &mut Vec<T>| {
        if batch.is_empty() {
            return true;
        }
        let full = std::mem::replace(batch, Vec::with_capacity(ROWS_PER_BATCH));
        progress.add_rows(full.len() as u64);
        out.blocking_send(Ok(full)).is_ok()
    };
    loop {
        match reader.read_byte_record(&mut record) {
            Ok(true) => {}
            Ok(false) => return flush(&mut batch),
            Err(e) => {
                if flush(&mut batch) {
                    let _ = out.blocking_send(Err(BulkError::Decode {
                        row: row + 1,
                        message: e.to_string(),
                    }));
                }
                return false;
            }
        }
        row += 1;
        let source = if record.iter().any(|f| f == b"null") {
            cleaned.clear();
            for field in &record {
                cleaned.push_field(if field == b"null" { b"" } else { field });
            }
            &cleaned
        } else {
            &record
        };
        match source.deserialize::<T>(Some(&headers)) {
            Ok(item) => batch.push(item),
            Err(e) => {
                if flush(&mut batch) {
                    let _ = out.blocking_send(Err(BulkError::Decode {
                        row,
                        message: e.to_string(),
                    }));
                }
                return false;
            }
        }
        if batch.len() == ROWS_PER_BATCH && !flush(&mut batch) {
            return false;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize, PartialEq)]
    struct Row {
        id: i64,
        email: Option<String>,
    }

    #[test]
    fn rows_decode_with_nulls() {
        let (tx, mut rx) = mpsc::channel(10);
        let data: &[u8] = b"id,email\n1,a@x\n2,null\n";
        assert!(decode::<Row>(data, b',', &tx, &Progress::default()));
        drop(tx);
        let rows = rx.try_recv().unwrap().unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].email.as_deref(), Some("a@x"));
        assert_eq!(rows[1].email, None);
        assert!(rx.try_recv().is_err(), "one batch");
    }

    #[test]
    fn rows_come_in_batches_and_a_bad_row_after_the_good_ones() {
        let (tx, mut rx) = mpsc::channel(10);
        let mut data = b"id,email\n".to_vec();
        for i in 0..ROWS_PER_BATCH + 3 {
            data.extend_from_slice(format!("{i},a{i}@x\n").as_bytes());
        }
        data.extend_from_slice(b"oops,b@x\n");
        assert!(!decode::<Row>(&data[..], b',', &tx, &Progress::default()));
        drop(tx);
        assert_eq!(rx.try_recv().unwrap().unwrap().len(), ROWS_PER_BATCH);
        let rest = rx.try_recv().unwrap().unwrap();
        assert_eq!(
            rest.iter().map(|r| r.id).collect::<Vec<_>>(),
            vec![256, 257, 258]
        );
        match rx.try_recv().unwrap() {
            Err(BulkError::Decode { row, .. }) => assert_eq!(row, ROWS_PER_BATCH as u64 + 4),
            other => panic!("expected a decode error, got {:?}", other.map(|r| r.len())),
        }
    }
}
