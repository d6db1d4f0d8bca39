//! File answers (`text/csv` and other non-JSON bodies): the body as a
//! stream of byte chunks, with the status and `Content-Range` of a ranged
//! request.

use std::fmt;

use marketo_transport::TransportError;

use crate::RestError;

/// `Content-Range: bytes <first>-<last>/<total>` of a 206 answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ContentRange {
    /// The offset of the first byte sent.
    pub first: u64,
    /// The offset of the last byte sent (inclusive).
    pub last: u64,
    /// The size of the whole file, when the server says (`*` otherwise).
    pub total: Option<u64>,
}

impl ContentRange {
    /// Parses `bytes 0-99/1234` (or `bytes 0-99/*`).
    pub fn parse(text: &str) -> Option<Self> {
        let rest = text.trim().strip_prefix("bytes")?.trim_start();
        let (range, total) = rest.split_once('/')?;
        let (first, last) = range.split_once('-')?;
        let total = match total.trim() {
            "*" => None,
            t => Some(t.parse().ok()?),
        };
        Some(Self {
            first: first.trim().parse().ok()?,
            last: last.trim().parse().ok()?,
            total,
        })
    }
}

/// A file answer whose body has not been read yet.
pub struct FileResponse {
    status: u16,
    content_range: Option<ContentRange>,
    content_length: Option<u64>,
    response: reqwest::Response,
}

impl fmt::Debug for FileResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FileResponse")
            .field("status", &self.status)
            .field("content_range", &self.content_range)
            .field("content_length", &self.content_length)
            .finish_non_exhaustive()
    }
}

impl FileResponse {
    pub(crate) fn new(response: reqwest::Response) -> Self {
        let content_range = response
            .headers()
            .get(reqwest::header::CONTENT_RANGE)
            .and_then(|v| v.to_str().ok())
            .and_then(ContentRange::parse);
        Self {
            status: response.status().as_u16(),
            content_range,
            content_length: response.content_length(),
            response,
        }
    }

    /// The HTTP status: 200 for the whole file, 206 for a `Range` request
    /// the server honoured.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// `Content-Range` of a 206 answer.
    pub fn content_range(&self) -> Option<ContentRange> {
        self.content_range
    }

    /// The number of body bytes announced (`Content-Length`), if any.
    pub fn content_length(&self) -> Option<u64> {
        self.content_length
    }

    /// The offset in the file of the first body byte (the start of
    /// `Content-Range`, else 0).
    pub fn offset(&self) -> u64 {
        self.content_range.map_or(0, |r| r.first)
    }

    /// The next chunk of the body; `None` at its end. A connection lost
    /// mid-body is [`RestError::Transport`].
    pub async fn chunk(&mut self) -> Result<Option<bytes::Bytes>, RestError> {
        self.response
            .chunk()
            .await
            .map_err(|e| RestError::Transport(TransportError::new(e, true)))
    }

    /// The whole body in memory (for small files; large ones are better
    /// read with [`chunk`](Self::chunk) or the bulk runtime).
    pub async fn bytes(mut self) -> Result<Vec<u8>, RestError> {
        let mut out = Vec::new();
        while let Some(chunk) = self.chunk().await? {
            out.extend_from_slice(&chunk);
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_ranges_parse() {
        assert_eq!(
            ContentRange::parse("bytes 10-19/100"),
            Some(ContentRange {
                first: 10,
                last: 19,
                total: Some(100)
            })
        );
        assert_eq!(ContentRange::parse("bytes 0-0/*").unwrap().total, None);
        assert_eq!(ContentRange::parse("items 1-2/3"), None);
    }
}
