//! CSV decoding on a blocking thread: bytes in through a bounded channel,
//! typed rows out through another, so memory stays bounded by the two
//! channels whatever the file size.

use std::io::Read;

use bytes::Bytes;
use serde::de::DeserializeOwned;
use tokio::sync::mpsc;

use super::{BulkError, Progress};

/// Byte chunks queued between the download and the decoder.
pub(crate) const BYTE_CHUNKS: usize = 16;

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
/// each row (or the first error) goes to `out`. The header row names the
/// columns; Marketo's `null` reads as an empty field (so `Option` fields
/// are `None`).
pub(crate) fn spawn<T>(
    delimiter: u8,
    out: mpsc::Sender<Result<T, BulkError>>,
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
    out: &mpsc::Sender<Result<T, BulkError>>,
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
    let mut row = 0_u64;
    loop {
        match reader.read_byte_record(&mut record) {
            Ok(true) => {}
            Ok(false) => return true,
            Err(e) => {
                let _ = out.blocking_send(Err(BulkError::Decode {
                    row: row + 1,
                    message: e.to_string(),
                }));
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
        let item = source
            .deserialize::<T>(Some(&headers))
            .map_err(|e| BulkError::Decode {
                row,
                message: e.to_string(),
            });
        let failed = item.is_err();
        if out.blocking_send(item).is_err() || failed {
            return false;
        }
        progress.add_rows(1);
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
        let first = rx.try_recv().unwrap().unwrap();
        assert_eq!(first.email.as_deref(), Some("a@x"));
        assert_eq!(rx.try_recv().unwrap().unwrap().email, None);
    }
}
