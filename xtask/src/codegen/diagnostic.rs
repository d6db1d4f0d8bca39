//! Errors of the generator, located in the spec that caused them.

use std::fmt;
use std::path::PathBuf;

use super::COMMAND;

/// Where in a spec a problem is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// The file as a whole.
    File,
    /// A position in an XML file, both 1-based.
    LineCol {
        /// Line.
        line: u32,
        /// Column.
        col: u32,
    },
    /// A JSON pointer into an OpenAPI document, e.g.
    /// `#/paths/~1rest~1asset~1v1~1programs.json/get`.
    Pointer(String),
}

/// A located problem with a spec: what was found, where, and what was expected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The spec file, as the user named it.
    pub file: String,
    /// Where in it.
    pub location: Location,
    /// What is wrong, and what was expected.
    pub message: String,
}

impl Diagnostic {
    /// A problem at `line:col` of an XML file.
    pub fn at(file: &str, line: u32, col: u32, message: impl Into<String>) -> Self {
        Self {
            file: file.to_owned(),
            location: Location::LineCol { line, col },
            message: message.into(),
        }
    }

    /// A problem at a JSON pointer of an OpenAPI document.
    pub fn at_pointer(file: &str, pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            file: file.to_owned(),
            location: Location::Pointer(pointer.into()),
            message: message.into(),
        }
    }

    /// A problem with the file as a whole.
    pub fn in_file(file: &str, message: impl Into<String>) -> Self {
        Self {
            file: file.to_owned(),
            location: Location::File,
            message: message.into(),
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.location {
            Location::File => write!(f, "{}: {}", self.file, self.message),
            Location::LineCol { line, col } => {
                write!(f, "{}:{line}:{col}: {}", self.file, self.message)
            }
            Location::Pointer(pointer) => write!(f, "{}{pointer}: {}", self.file, self.message),
        }
    }
}

/// Everything that can stop a generator run.
#[derive(Debug, thiserror::Error)]
pub enum CodegenError {
    /// The spec is malformed or uses something the generator does not support.
    #[error("{0}")]
    Spec(Box<Diagnostic>),
    /// Several problems in one spec, each located (one run reports them
    /// all, in the order of the document).
    #[error(
        "{} problems in the spec:\n{}",
        .0.len(),
        .0.iter().map(|d| format!("  {d}")).collect::<Vec<_>>().join("\n")
    )]
    Specs(Vec<Diagnostic>),
    /// Reading or writing a file failed.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// The generator produced tokens that are not valid Rust (a generator bug).
    #[error("internal error: generated {file} is not valid Rust: {message}")]
    Render {
        /// The output file being rendered.
        file: String,
        /// The parser's message.
        message: String,
    },
    /// `--check` found files that differ from what the specs produce.
    #[error(
        "generated code is out of date; run `{COMMAND}` and commit the result:\n{}",
        files.iter().map(|f| format!("  {f}")).collect::<Vec<_>>().join("\n")
    )]
    Stale {
        /// Each stale file with what is wrong with it.
        files: Vec<String>,
    },
}

impl From<Diagnostic> for CodegenError {
    fn from(d: Diagnostic) -> Self {
        Self::Spec(Box::new(d))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diagnostics_name_file_and_location() {
        assert_eq!(
            Diagnostic::at("specs/a.wsdl", 3, 7, "unknown type `tns:Foo`").to_string(),
            "specs/a.wsdl:3:7: unknown type `tns:Foo`"
        );
        assert_eq!(
            Diagnostic::at_pointer("specs/a.yaml", "#/paths/~1x/get", "missing operationId")
                .to_string(),
            "specs/a.yaml#/paths/~1x/get: missing operationId"
        );
    }
}
