//! Reading an OpenAPI document: YAML (or JSON, which YAML reads too) →
//! `openapiv3::OpenAPI`, with every failure located in the file.

use std::fmt::Write as _;
use std::fs;

use openapiv3::OpenAPI;
use serde_norway::Value;

use crate::codegen::{CodegenError, Diagnostic, SpecInput};

/// A JSON pointer into the document being read, e.g.
/// `#/paths/~1rest~1v1~1leads.json/get`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pointer(String);

impl Pointer {
    /// The document root, `#`.
    pub fn root() -> Self {
        Self("#".to_owned())
    }

    /// This pointer with one more segment (escaped as RFC 6901 says).
    pub fn push(&self, segment: &str) -> Self {
        let mut out = self.0.clone();
        out.push('/');
        out.push_str(&segment.replace('~', "~0").replace('/', "~1"));
        Self(out)
    }

    /// The pointer of a `$ref` target inside this document, if `reference`
    /// is a local one (`#/components/...`).
    pub fn from_ref(reference: &str) -> Option<Self> {
        reference
            .starts_with("#/")
            .then(|| Self(reference.to_owned()))
    }

    /// The pointer text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Reads and deserializes the spec named by `input`.
pub fn load(input: &SpecInput<'_>) -> Result<OpenAPI, CodegenError> {
    let text = fs::read_to_string(input.path).map_err(|source| CodegenError::Io {
        path: input.path.to_path_buf(),
        source,
    })?;
    parse_str(&text, input.display)
}

/// Deserializes a document held in memory; `file` names it in diagnostics.
pub fn parse_str(text: &str, file: &str) -> Result<OpenAPI, CodegenError> {
    let value: Value = serde_norway::from_str(text).map_err(|e| {
        let message = format!("not valid YAML or JSON: {e}");
        match e.location() {
            Some(at) => Diagnostic::at(
                file,
                u32::try_from(at.line()).unwrap_or(u32::MAX),
                u32::try_from(at.column()).unwrap_or(u32::MAX),
                message,
            ),
            None => Diagnostic::in_file(file, message),
        }
    })?;
    let Value::Mapping(root) = &value else {
        return Err(Diagnostic::in_file(file, "the document is not a YAML/JSON object").into());
    };
    match root.get("openapi") {
        Some(Value::String(version)) if version.starts_with("3.0.") || version == "3.0" => {}
        Some(Value::String(version)) => {
            return Err(Diagnostic::at_pointer(
                file,
                Pointer::root().push("openapi").as_str(),
                format!("OpenAPI version {version} is not supported; expected 3.0.x"),
            )
            .into());
        }
        _ => {
            return Err(Diagnostic::at_pointer(
                file,
                Pointer::root().push("openapi").as_str(),
                "missing `openapi: 3.0.x`; only OpenAPI 3.0 documents are supported (Swagger 2.0 and 3.1 are not)",
            )
            .into());
        }
    }
    serde_path_to_error::deserialize::<_, OpenAPI>(value.clone()).map_err(|e| {
        let mut pointer = path_pointer(e.path());
        let mut message = e.inner().to_string();
        // `paths` and schemas are flattened maps, where the path stops;
        // find the entry at fault by reading each on its own.
        if let Some((deeper, inner)) = refine(root, &pointer) {
            pointer = deeper;
            message = inner;
        }
        Diagnostic::at_pointer(
            file,
            pointer.as_str(),
            format!("not a valid OpenAPI 3.0 document: {message}"),
        )
        .into()
    })
}

/// A deeper location of a shape error reported at `pointer`, found by
/// deserializing the entries of `paths` (each path item, each operation)
/// or of `components/schemas` one by one.
fn refine(root: &serde_norway::Mapping, pointer: &Pointer) -> Option<(Pointer, String)> {
    fn first_error<T: serde::de::DeserializeOwned>(
        base: &Pointer,
        entries: &serde_norway::Mapping,
        keep: fn(&str) -> bool,
    ) -> Option<(Pointer, String, Value, Pointer)> {
        for (key, value) in entries {
            let Value::String(key) = key else { continue };
            if !keep(key) {
                continue;
            }
            if let Err(e) = serde_path_to_error::deserialize::<_, T>(value.clone()) {
                let entry = base.push(key);
                let mut at = entry.clone();
                for segment in path_pointer(e.path())
                    .as_str()
                    .trim_start_matches('#')
                    .split('/')
                    .skip(1)
                {
                    at = Pointer(format!("{}/{segment}", at.as_str()));
                }
                return Some((at, e.inner().to_string(), value.clone(), entry));
            }
        }
        None
    }
    let text = pointer.as_str();
    if text.starts_with("#/paths") {
        let Some(Value::Mapping(paths)) = root.get("paths") else {
            return None;
        };
        let base = Pointer::root().push("paths");
        let (at, message, item, entry) =
            first_error::<openapiv3::PathItem>(&base, paths, |_| true)?;
        // Inside a path item, look at each operation on its own too.
        if let Value::Mapping(item) = &item
            && let Some((op_at, op_message, _, _)) =
                first_error::<openapiv3::Operation>(&entry, item, |key| {
                    matches!(
                        key,
                        "get" | "put" | "post" | "delete" | "options" | "head" | "patch" | "trace"
                    )
                })
        {
            return Some((op_at, op_message));
        }
        return Some((at, message));
    }
    if text.starts_with("#/components") {
        let Some(Value::Mapping(components)) = root.get("components") else {
            return None;
        };
        let Some(Value::Mapping(schemas)) = components.get("schemas") else {
            return None;
        };
        let base = Pointer::root().push("components").push("schemas");
        let (at, message, _, _) = first_error::<openapiv3::Schema>(&base, schemas, |_| true)?;
        return Some((at, message));
    }
    None
}

/// The JSON pointer of a `serde_path_to_error` path. Segments the path
/// cannot name (inside untagged or flattened data) end it early, so the
/// pointer names the closest enclosing object.
fn path_pointer(path: &serde_path_to_error::Path) -> Pointer {
    let mut pointer = Pointer::root();
    for segment in path.iter() {
        pointer = match segment {
            serde_path_to_error::Segment::Seq { index } => {
                let mut text = String::new();
                let _ = write!(text, "{index}");
                pointer.push(&text)
            }
            serde_path_to_error::Segment::Map { key } => pointer.push(key),
            serde_path_to_error::Segment::Enum { .. } => continue,
            serde_path_to_error::Segment::Unknown => break,
        };
    }
    pointer
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointers_escape_slashes_and_tildes() {
        let p = Pointer::root()
            .push("paths")
            .push("/rest/asset/v1/programs.json")
            .push("a~b");
        assert_eq!(p.as_str(), "#/paths/~1rest~1asset~1v1~1programs.json/a~0b");
    }

    #[test]
    fn syntax_errors_carry_line_and_column() {
        let err = parse_str("openapi: 3.0.3\ninfo: [\n", "x.yaml").unwrap_err();
        let text = err.to_string();
        assert!(text.starts_with("x.yaml:"), "{text}");
        assert!(text.contains("not valid YAML"), "{text}");
    }

    #[test]
    fn other_versions_are_refused_at_the_version() {
        let err = parse_str(
            "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\n",
            "x.yaml",
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "x.yaml#/openapi: OpenAPI version 3.1.0 is not supported; expected 3.0.x"
        );
    }

    #[test]
    fn shape_errors_are_located() {
        let err = parse_str(
            "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /x:\n    get:\n      tags: 5\n      responses: {}\n",
            "x.yaml",
        )
        .unwrap_err();
        let text = err.to_string();
        assert!(text.starts_with("x.yaml#/paths/~1x/get"), "{text}");
    }
}
