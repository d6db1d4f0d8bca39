//! Per-operation facts a WSDL cannot say, read from
//! `<wsdl stem>.annotations.yaml` beside it (optional):
//!
//! ```yaml
//! operations:
//!   getLead:
//!     idempotent: true   # a pure read
//!   listOperation:
//!     idempotent: false  # adds and removes list members
//! ```
//!
//! An operation the file does not name is not idempotent (never retried
//! after a transport failure); an operation it names that the WSDL lacks
//! is an error located in the annotation file.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::codegen::{CodegenError, Diagnostic};

/// What the annotation file says about one operation.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OperationAnnotation {
    /// The operation may be sent again after a transport failure.
    #[serde(default)]
    pub idempotent: bool,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    operations: BTreeMap<String, OperationAnnotation>,
}

/// The annotations of a WSDL (empty when it has no annotation file).
#[derive(Debug, Clone, Default)]
pub struct Annotations {
    /// The annotation file as the user names it (for diagnostics).
    file: String,
    /// Its text (to locate names in diagnostics).
    text: String,
    /// By WSDL operation name.
    operations: BTreeMap<String, OperationAnnotation>,
}

/// The annotation file of the WSDL at `wsdl`: same folder, same stem,
/// `.annotations.yaml`.
pub fn path_for(wsdl: &Path) -> PathBuf {
    let stem = wsdl
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    wsdl.with_file_name(format!("{stem}.annotations.yaml"))
}

impl Annotations {
    /// No annotations: every operation is not idempotent.
    pub fn none() -> Self {
        Self::default()
    }

    /// Reads the annotation file of the WSDL at `wsdl` (shown as
    /// `wsdl_display`), if there is one.
    pub fn load(wsdl: &Path, wsdl_display: &str) -> Result<Self, CodegenError> {
        let path = path_for(wsdl);
        if !path.is_file() {
            return Ok(Self::none());
        }
        let text = std::fs::read_to_string(&path).map_err(|source| CodegenError::Io {
            path: path.clone(),
            source,
        })?;
        let display = path_for(Path::new(wsdl_display)).display().to_string();
        Ok(Self::from_str(&display, &text)?)
    }

    /// Parses annotation `text` (named `file` in diagnostics).
    pub fn from_str(file: &str, text: &str) -> Result<Self, Diagnostic> {
        let parsed: File = if text.trim().is_empty() {
            File::default()
        } else {
            serde_norway::from_str(text).map_err(|e| match e.location() {
                Some(at) => Diagnostic::at(
                    file,
                    u32::try_from(at.line()).unwrap_or(u32::MAX),
                    u32::try_from(at.column()).unwrap_or(u32::MAX),
                    format!(
                        "{e}; expected `operations:` mapping operation names to `idempotent: true|false`"
                    ),
                ),
                None => Diagnostic::in_file(
                    file,
                    format!(
                        "{e}; expected `operations:` mapping operation names to `idempotent: true|false`"
                    ),
                ),
            })?
        };
        Ok(Self {
            file: file.to_owned(),
            text: text.to_owned(),
            operations: parsed.operations,
        })
    }

    /// Whether operation `name` is idempotent (`false` when not annotated).
    pub fn idempotent(&self, name: &str) -> bool {
        self.operations.get(name).is_some_and(|a| a.idempotent)
    }

    /// Checks that every annotated operation is one of `known`.
    pub fn check(&self, known: &[&str]) -> Result<(), Diagnostic> {
        let Some(unknown) = self
            .operations
            .keys()
            .find(|name| !known.contains(&name.as_str()))
        else {
            return Ok(());
        };
        let message = format!(
            "annotation for unknown operation `{unknown}`; expected one of the WSDL's operations: {}",
            known.join(", ")
        );
        Err(match self.locate(unknown) {
            Some((line, col)) => Diagnostic::at(&self.file, line, col, message),
            None => Diagnostic::in_file(&self.file, message),
        })
    }

    /// The line and column of the key `name:` in the file.
    fn locate(&self, name: &str) -> Option<(u32, u32)> {
        self.text.lines().enumerate().find_map(|(i, line)| {
            let trimmed = line.trim_start();
            let key = trimmed
                .strip_prefix(name)
                .is_some_and(|rest| rest.trim_start().starts_with(':'));
            key.then(|| {
                let col = line.len() - trimmed.len() + 1;
                (
                    u32::try_from(i + 1).unwrap_or(u32::MAX),
                    u32::try_from(col).unwrap_or(u32::MAX),
                )
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "# why\noperations:\n  getLead:\n    idempotent: true # read\n  syncLead:\n    idempotent: false\n";

    #[test]
    fn reads_idempotency_and_defaults_to_false() {
        let a = Annotations::from_str("x.annotations.yaml", TEXT).unwrap();
        assert!(a.idempotent("getLead"));
        assert!(!a.idempotent("syncLead"));
        assert!(!a.idempotent("notAnnotated"));
        assert!(a.check(&["getLead", "syncLead", "other"]).is_ok());
    }

    #[test]
    fn an_unknown_operation_is_located() {
        let a = Annotations::from_str("x.annotations.yaml", TEXT).unwrap();
        let d = a.check(&["getLead"]).unwrap_err();
        assert_eq!(
            d.to_string(),
            "x.annotations.yaml:5:3: annotation for unknown operation `syncLead`; expected one of the WSDL's operations: getLead"
        );
    }

    #[test]
    fn a_malformed_file_is_located() {
        let d = Annotations::from_str("x.yaml", "operations:\n  getLead:\n    idempotnt: true\n")
            .unwrap_err();
        assert!(d.to_string().starts_with("x.yaml:3:"), "{d}");
        assert!(d.message.contains("idempotnt"), "{d}");
    }

    #[test]
    fn the_path_is_beside_the_wsdl() {
        assert_eq!(
            path_for(Path::new("specs/marketo-soap.wsdl")),
            PathBuf::from("specs/marketo-soap.annotations.yaml")
        );
    }
}
