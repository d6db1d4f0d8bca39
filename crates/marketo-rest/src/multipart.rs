//! `multipart/form-data` bodies: text parts and file parts, the files
//! streamed from disk (never read into memory) or sent from shared bytes
//! (never copied).

use std::fmt;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::RestError;
use crate::request::ParamValue;

/// A file part of a `multipart/form-data` body (`type: string, format:
/// binary` in the spec).
#[derive(Clone, PartialEq, Eq)]
pub struct FilePart {
    file_name: String,
    content_type: String,
    source: Source,
}

#[derive(Clone, PartialEq, Eq)]
enum Source {
    Path(PathBuf),
    Bytes(bytes::Bytes),
}

impl fmt::Debug for FilePart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("FilePart");
        d.field("file_name", &self.file_name)
            .field("content_type", &self.content_type);
        match &self.source {
            Source::Path(path) => d.field("path", path),
            Source::Bytes(bytes) => d.field("bytes", &bytes.len()),
        };
        d.finish()
    }
}

impl FilePart {
    /// The file at `path`, streamed when the request is sent (opened again
    /// for each attempt). The part's file name is the path's last component.
    pub fn from_path(path: impl Into<PathBuf>) -> Self {
        let path = path.into();
        let file_name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "file".to_owned());
        Self {
            content_type: content_type_of(&file_name).to_owned(),
            file_name,
            source: Source::Path(path),
        }
    }

    /// In-memory content (shared, not copied, by each attempt).
    pub fn from_bytes(file_name: impl Into<String>, bytes: impl Into<bytes::Bytes>) -> Self {
        let file_name = file_name.into();
        Self {
            content_type: content_type_of(&file_name).to_owned(),
            file_name,
            source: Source::Bytes(bytes.into()),
        }
    }

    /// With this content type (default: from the file name's extension,
    /// `text/csv` for `.csv`, `application/octet-stream` otherwise).
    #[must_use]
    pub fn content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = content_type.into();
        self
    }

    /// The file name sent with the part.
    pub fn file_name(&self) -> &str {
        &self.file_name
    }

    /// The path, for a part read from disk.
    pub fn path(&self) -> Option<&Path> {
        match &self.source {
            Source::Path(path) => Some(path),
            Source::Bytes(_) => None,
        }
    }

    fn to_part(&self) -> Result<reqwest::multipart::Part, RestError> {
        let part = match &self.source {
            Source::Bytes(bytes) => reqwest::multipart::Part::stream_with_length(
                reqwest::Body::from(bytes.clone()),
                bytes.len() as u64,
            ),
            Source::Path(path) => {
                let file = std::fs::File::open(path).map_err(|e| {
                    RestError::Encode(format!("file part `{}`: {e}", path.display()))
                })?;
                let len = file
                    .metadata()
                    .map_err(|e| RestError::Encode(format!("file part `{}`: {e}", path.display())))?
                    .len();
                let stream = tokio_util::io::ReaderStream::new(tokio::fs::File::from_std(file));
                reqwest::multipart::Part::stream_with_length(
                    reqwest::Body::wrap_stream(stream),
                    len,
                )
            }
        };
        part.file_name(self.file_name.clone())
            .mime_str(&self.content_type)
            .map_err(|e| RestError::Encode(format!("file part content type: {e}")))
    }
}

/// Serialized as its file name (a file part has no JSON form).
impl Serialize for FilePart {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.file_name)
    }
}

/// Read back as a path (the inverse of nothing on the wire; for symmetry
/// with the generated types' derives).
impl<'de> serde::Deserialize<'de> for FilePart {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Self::from_path)
    }
}

fn content_type_of(file_name: &str) -> &'static str {
    let lower = file_name.to_ascii_lowercase();
    if lower.ends_with(".csv") {
        "text/csv"
    } else if lower.ends_with(".tsv") {
        "text/tab-separated-values"
    } else {
        "application/octet-stream"
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Value {
    Text(String),
    File(FilePart),
}

/// The parts of a `multipart/form-data` body, in order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Multipart {
    parts: Vec<(String, Value)>,
}

impl Multipart {
    /// No parts.
    pub fn new() -> Self {
        Self::default()
    }

    /// A text part.
    pub fn push<V: ParamValue + ?Sized>(&mut self, name: &str, value: &V) {
        self.parts
            .push((name.to_owned(), Value::Text(value.to_param())));
    }

    /// One text part per item.
    pub fn push_each<V: ParamValue>(&mut self, name: &str, values: &[V]) {
        for value in values {
            self.push(name, value);
        }
    }

    /// A text part holding JSON.
    pub fn push_json<V: Serialize + ?Sized>(
        &mut self,
        name: &str,
        value: &V,
    ) -> Result<(), RestError> {
        let text = serde_json::to_string(value)
            .map_err(|e| RestError::Encode(format!("multipart field `{name}`: {e}")))?;
        self.parts.push((name.to_owned(), Value::Text(text)));
        Ok(())
    }

    /// A file part.
    pub fn push_file(&mut self, name: &str, file: &FilePart) {
        self.parts
            .push((name.to_owned(), Value::File(file.clone())));
    }

    /// The form for one HTTP exchange (files opened now).
    pub(crate) fn to_form(&self) -> Result<reqwest::multipart::Form, RestError> {
        let mut form = reqwest::multipart::Form::new();
        for (name, value) in &self.parts {
            form = match value {
                Value::Text(text) => form.text(name.clone(), text.clone()),
                Value::File(file) => form.part(name.clone(), file.to_part()?),
            };
        }
        Ok(form)
    }
}
