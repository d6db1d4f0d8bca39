//! CSV decoding: a blocking thread splits the bytes (in through a bounded
//! channel) into records, sent in batches of [`ROWS_PER_BATCH`] through
//! another; the stream deserializes each record into the caller's type on
//! the consumer's own thread, and sends the emptied batch back to be
//! filled again. Memory stays bounded by the channels whatever the file
//! size, and a row's strings are allocated and freed by one thread (rows
//! made on the decoding thread and dropped on the consumer's spent half
//! their time in the allocator; see docs/BENCHMARKS.md).

use std::io::Read;
use std::sync::Arc;

use bytes::Bytes;
use tokio::sync::mpsc;

use super::{BulkError, Progress};

/// Byte chunks queued between the download and the decoder.
pub(crate) const BYTE_CHUNKS: usize = 16;

/// Records per message from the decoder to the consumer.
pub(crate) const ROWS_PER_BATCH: usize = 256;

/// Records of one file, in order, with the file's header row.
#[derive(Debug)]
pub(crate) struct Records {
    /// The header row (column names).
    pub(crate) headers: Arc<csv::StringRecord>,
    /// The 1-based row number of the first record.
    pub(crate) first_row: u64,
    /// The records, checked to be UTF-8 (once per record, not once per
    /// field as deserializing a `ByteRecord` would); Marketo's `null`
    /// already read as an empty field.
    pub(crate) records: Vec<csv::StringRecord>,
}

/// What the decoder sends: a batch of records, or the first error.
pub(crate) type Batch = Result<Records, BulkError>;

/// Where emptied record batches come back to the decoders of an export.
pub(crate) type Recycled = Arc<std::sync::Mutex<std::sync::mpsc::Receiver<Vec<csv::StringRecord>>>>;

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

/// Starts splitting the file whose bytes will arrive on the returned
/// sender into records; batches of them (or the first error) go to `out`.
/// The header row names the columns; Marketo's `null` reads as an empty
/// field (so `Option` fields are `None`). Batches sent back on `recycle`
/// are filled again instead of new ones.
pub(crate) fn spawn(
    delimiter: u8,
    out: mpsc::Sender<Batch>,
    recycle: Recycled,
    progress: Progress,
) -> (mpsc::Sender<Bytes>, tokio::task::JoinHandle<bool>) {
    let (tx, rx) = mpsc::channel(BYTE_CHUNKS);
    let handle = tokio::task::spawn_blocking(move || {
        let reader = ChannelReader {
            rx,
            current: Bytes::new(),
        };
        split(reader, delimiter, &out, &recycle, &progress)
    });
    (tx, handle)
}

/// Splits every row into records; `false` when the consumer went away or
/// the file is not valid CSV.
fn split(
    reader: impl Read,
    delimiter: u8,
    out: &mpsc::Sender<Batch>,
    recycle: &Recycled,
    progress: &Progress,
) -> bool {
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .buffer_capacity(64 * 1024)
        .from_reader(reader);
    let headers = match reader.headers() {
        Ok(h) => Arc::new(h.clone()),
        Err(e) => {
            let _ = out.blocking_send(Err(BulkError::Decode {
                row: 0,
                message: e.to_string(),
            }));
            return false;
        }
    };
    let mut row = 0_u64;
    let mut cleaned = csv::StringRecord::new();
    loop {
        let mut records = recycle
            .lock()
            .ok()
            .and_then(|r| r.try_recv().ok())
            .unwrap_or_default();
        let first_row = row + 1;
        let mut filled = 0;
        while filled < ROWS_PER_BATCH {
            if filled == records.len() {
                records.push(csv::StringRecord::new());
            }
            let record = &mut records[filled];
            match reader.read_record(record) {
                Ok(true) => {}
                Ok(false) => break,
                Err(e) => {
                    records.truncate(filled);
                    let sent =
                        records.is_empty() || send(out, &headers, first_row, records, progress);
                    if sent {
                        let _ = out.blocking_send(Err(BulkError::Decode {
                            row: row + 1,
                            message: e.to_string(),
                        }));
                    }
                    return false;
                }
            }
            // One substring search of the record's bytes first: most rows
            // hold no `null`, and checking every field costs more.
            if record.as_slice().contains("null") && record.iter().any(|f| f == "null") {
                cleaned.clear();
                for field in record.iter() {
                    cleaned.push_field(if field == "null" { "" } else { field });
                }
                std::mem::swap(record, &mut cleaned);
            }
            row += 1;
            filled += 1;
        }
        records.truncate(filled);
        if filled == 0 {
            return true;
        }
        let last = filled < ROWS_PER_BATCH;
        if !send(out, &headers, first_row, records, progress) {
            return false;
        }
        if last {
            return true;
        }
    }
}

/// Sends one batch; `false` when the consumer went away.
fn send(
    out: &mpsc::Sender<Batch>,
    headers: &Arc<csv::StringRecord>,
    first_row: u64,
    records: Vec<csv::StringRecord>,
    progress: &Progress,
) -> bool {
    progress.add_rows(records.len() as u64);
    let batch = Records {
        headers: Arc::clone(headers),
        first_row,
        records,
    };
    out.blocking_send(Ok(batch)).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(data: &[u8]) -> (bool, Vec<Batch>) {
        let (tx, mut rx) = mpsc::channel(100);
        let (_keep, recycle) = std::sync::mpsc::sync_channel(1);
        let recycle = Arc::new(std::sync::Mutex::new(recycle));
        let ok = split(data, b',', &tx, &recycle, &Progress::default());
        drop(tx);
        let mut got = Vec::new();
        while let Ok(b) = rx.try_recv() {
            got.push(b);
        }
        (ok, got)
    }

    #[test]
    fn records_come_with_nulls_read_as_empty() {
        let (ok, got) = run(b"id,email\n1,a@x\n2,null\n3,nullable@x\n");
        assert!(ok);
        assert_eq!(got.len(), 1, "one batch");
        let batch = got.into_iter().next().unwrap().unwrap();
        assert_eq!(batch.first_row, 1);
        assert_eq!(&batch.headers[1], "email");
        assert_eq!(&batch.records[0][1], "a@x");
        assert_eq!(&batch.records[1][1], "");
        assert_eq!(
            &batch.records[2][1], "nullable@x",
            "only a whole `null` field"
        );
    }

    #[test]
    fn a_row_that_is_not_utf8_is_an_error_with_its_number() {
        let (ok, got) = run(b"id,email\n1,a@x\n2,\xff@x\n");
        assert!(!ok);
        let mut got = got.into_iter();
        assert_eq!(got.next().unwrap().unwrap().records.len(), 1);
        match got.next().unwrap() {
            Err(BulkError::Decode { row, message }) => {
                assert_eq!(row, 2);
                assert!(message.contains("UTF-8"), "{message}");
            }
            other => panic!(
                "expected a decode error, got {:?}",
                other.map(|r| r.records.len())
            ),
        }
    }

    #[test]
    fn records_come_in_batches_and_malformed_csv_after_the_good_ones() {
        let mut data = b"id,email\n".to_vec();
        for i in 0..ROWS_PER_BATCH + 3 {
            data.extend_from_slice(format!("{i},a{i}@x\n").as_bytes());
        }
        data.extend_from_slice(b"1,2,3\n");
        let (ok, got) = run(&data);
        assert!(!ok);
        let mut got = got.into_iter();
        assert_eq!(got.next().unwrap().unwrap().records.len(), ROWS_PER_BATCH);
        let rest = got.next().unwrap().unwrap();
        assert_eq!(rest.first_row, ROWS_PER_BATCH as u64 + 1);
        assert_eq!(rest.records.len(), 3);
        match got.next().unwrap() {
            Err(BulkError::Decode { row, .. }) => assert_eq!(row, ROWS_PER_BATCH as u64 + 4),
            other => panic!(
                "expected a decode error, got {:?}",
                other.map(|r| r.records.len())
            ),
        }
    }
}
