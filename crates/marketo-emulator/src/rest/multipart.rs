//! The one `multipart/form-data` reader of the REST side (file uploads,
//! email template uploads, landing page template content, bulk imports).
//!
//! The media type of `Ctx::content_type` is lower-cased but its parameters
//! are kept as sent: a boundary is compared byte for byte (RFC 2046), so
//! `boundary=AbC` only matches `--AbC` in the body.

use bytes::Bytes;

use super::Ctx;

/// One part of a multipart body.
#[derive(Debug, Clone)]
pub(crate) struct Part {
    /// The `name` of its `Content-Disposition`.
    pub(crate) name: String,
    /// Its own `Content-Type` header.
    pub(crate) content_type: Option<String>,
    /// Its content (a slice of the request body, not a copy).
    pub(crate) data: Bytes,
}

impl Part {
    /// The content as text (invalid UTF-8 replaced).
    pub(crate) fn text(&self) -> String {
        String::from_utf8_lossy(&self.data).into_owned()
    }
}

/// Why a body could not be read as multipart.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Malformed {
    /// The request's content type is not `multipart/form-data`.
    NotMultipart,
    /// Multipart, but without a boundary, without parts, or with a part
    /// lacking its header block or its `name`.
    BadBody,
}

/// Whether the request claims a `multipart/form-data` body.
pub(crate) fn is_multipart(ctx: &Ctx) -> bool {
    ctx.content_type
        .as_deref()
        .is_some_and(|ct| ct.starts_with("multipart/form-data"))
}

/// The `boundary` parameter of a content type, as sent (the parameter name
/// is matched case-insensitively, its value is not changed).
fn boundary(content_type: &str) -> Option<&str> {
    content_type.split(';').skip(1).find_map(|p| {
        let (name, value) = p.split_once('=')?;
        name.trim()
            .eq_ignore_ascii_case("boundary")
            .then(|| value.trim().trim_matches('"'))
            .filter(|b| !b.is_empty())
    })
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// The parts of the request's body, in order.
pub(crate) fn parts(ctx: &Ctx) -> Result<Vec<Part>, Malformed> {
    if !is_multipart(ctx) {
        return Err(Malformed::NotMultipart);
    }
    let ct = ctx.content_type.as_deref().unwrap_or_default();
    let delimiter = format!("--{}", boundary(ct).ok_or(Malformed::BadBody)?).into_bytes();
    let body = &ctx.body;
    let mut starts = Vec::new();
    let mut at = 0;
    while let Some(i) = find(&body[at..], &delimiter) {
        starts.push(at + i);
        at += i + delimiter.len();
    }
    let mut parts = Vec::new();
    for pair in starts.windows(2) {
        let chunk = body.slice(pair[0] + delimiter.len()..pair[1]);
        parts.push(part(chunk)?);
    }
    if parts.is_empty() {
        return Err(Malformed::BadBody);
    }
    Ok(parts)
}

/// One part: its header block, a blank line, its content (the line break
/// before the next delimiter belongs to the delimiter).
fn part(chunk: Bytes) -> Result<Part, Malformed> {
    let chunk = match chunk.strip_prefix(b"\r\n") {
        Some(_) => chunk.slice(2..),
        None => chunk,
    };
    let chunk = match chunk.strip_suffix(b"\r\n") {
        Some(_) => chunk.slice(..chunk.len() - 2),
        None => chunk,
    };
    let split = find(&chunk, b"\r\n\r\n").ok_or(Malformed::BadBody)?;
    let head = String::from_utf8_lossy(&chunk[..split]).into_owned();
    let mut name = None;
    let mut content_type = None;
    for line in head.lines() {
        let Some((header, value)) = line.split_once(':') else {
            continue;
        };
        if header.trim().eq_ignore_ascii_case("content-disposition") {
            for attr in value.split(';').map(str::trim) {
                if let Some(v) = attr.strip_prefix("name=") {
                    name = Some(v.trim_matches('"').to_owned());
                }
            }
        } else if header.trim().eq_ignore_ascii_case("content-type") {
            content_type = Some(value.trim().to_owned());
        }
    }
    Ok(Part {
        name: name.ok_or(Malformed::BadBody)?,
        content_type,
        data: chunk.slice(split + 4..),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rest::{Params, PathParams};

    fn ctx(content_type: &str, body: &str) -> Ctx {
        Ctx {
            path: PathParams::default(),
            query: Params::default(),
            content_type: Some(content_type.to_owned()),
            body: Bytes::from(body.to_owned()),
            now: time::OffsetDateTime::UNIX_EPOCH,
        }
    }

    const BODY: &str = "--XyZ\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\nhello\r\n\
        --XyZ\r\ncontent-disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\n\
        Content-Type: text/plain\r\n\r\nline1\r\nline2\r\n--XyZ--\r\n";

    #[test]
    fn a_boundary_with_capitals_is_matched_as_sent() {
        let parts = parts(&ctx("multipart/form-data; Boundary=XyZ", BODY)).expect("parts");
        assert_eq!(parts.len(), 2);
        assert_eq!(
            (parts[0].name.as_str(), parts[0].text()),
            ("name", "hello".into())
        );
        assert_eq!(parts[1].name, "file");
        assert_eq!(parts[1].content_type.as_deref(), Some("text/plain"));
        assert_eq!(parts[1].text(), "line1\r\nline2");
    }

    #[test]
    fn another_case_of_the_boundary_is_not_a_delimiter() {
        let got = parts(&ctx("multipart/form-data; boundary=xyz", BODY));
        assert_eq!(got.unwrap_err(), Malformed::BadBody);
    }

    #[test]
    fn other_bodies_are_refused() {
        assert_eq!(
            parts(&ctx("application/json", BODY)).unwrap_err(),
            Malformed::NotMultipart
        );
        assert_eq!(
            parts(&ctx("multipart/form-data", BODY)).unwrap_err(),
            Malformed::BadBody
        );
        let no_name = "--b\r\nContent-Disposition: form-data\r\n\r\nx\r\n--b--";
        assert_eq!(
            parts(&ctx("multipart/form-data; boundary=b", no_name)).unwrap_err(),
            Malformed::BadBody
        );
    }
}
