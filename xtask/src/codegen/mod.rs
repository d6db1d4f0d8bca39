//! Machinery shared by every generator: jobs, rendering, the `@generated`
//! header, writing and checking files, naming and diagnostics.
//!
//! A generator is a function from a spec file to a list of
//! [`GeneratedFile`]s (paths relative to its output directory). [`run`]
//! renders nothing itself: it hands each job's files to [`files::sync`],
//! which writes them, or in [`Mode::Check`] compares them with what is on
//! disk and lists every stale, missing or leftover file.

pub mod diagnostic;
pub mod docs;
pub mod enums;
pub mod files;
pub mod naming;
pub mod paths;
pub mod render;
pub mod surface;

use std::fmt;
use std::path::{Path, PathBuf};

pub use diagnostic::{CodegenError, Diagnostic, Location};
pub use files::{GeneratedFile, Mode, SyncReport};
pub use surface::Surface;

/// The command that regenerates the committed bindings; named in headers
/// and in every "out of date" message.
pub const COMMAND: &str = "cargo xtask codegen";

/// A generator: reads the spec described by its input and returns the files
/// to write under the job's output directory.
pub type GenerateFn = fn(&SpecInput<'_>) -> Result<Vec<GeneratedFile>, CodegenError>;

/// A generator's view of the public API it would generate from a spec
/// (for the API-change report).
pub type SurfaceFn = fn(&SpecInput<'_>) -> Result<Surface, CodegenError>;

/// What a generator is given.
#[derive(Debug, Clone, Copy)]
pub struct SpecInput<'a> {
    /// The spec file to read.
    pub path: &'a Path,
    /// How to name the spec in headers and diagnostics (a relative path).
    pub display: &'a str,
    /// The command line that runs this job, for the `@generated` header.
    pub command: &'a str,
}

/// One spec → one output directory.
#[derive(Debug, Clone)]
pub struct Job {
    /// Short name (`soap`, `rest`).
    pub name: &'static str,
    /// Which generator.
    pub kind: Kind,
    /// The spec file.
    pub spec: PathBuf,
    /// The directory the generated files belong to (it holds nothing else).
    pub out: PathBuf,
    /// The command line that runs this job.
    pub command: String,
    /// The generator.
    pub generate: GenerateFn,
    /// The public API the generator derives from the spec.
    pub surface: SurfaceFn,
}

impl Job {
    /// Runs the generator and writes (or checks) its files.
    pub fn run(&self, mode: Mode) -> Result<SyncReport, CodegenError> {
        let files = self.generate_files()?;
        files::sync(&self.out, &files, mode)
    }

    /// Runs the generator without touching the disk.
    pub fn generate_files(&self) -> Result<Vec<GeneratedFile>, CodegenError> {
        let display = self.spec.to_string_lossy().replace('\\', "/");
        let input = SpecInput {
            path: &self.spec,
            display: &display,
            command: &self.command,
        };
        (self.generate)(&input)
    }
}

/// The kinds of spec the generator reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A document/literal WSDL 1.1 → a SOAP client.
    Soap,
    /// An OpenAPI 3.0 document → a REST client.
    Rest,
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Soap => "SOAP",
            Self::Rest => "REST",
        })
    }
}

/// A job of `kind` from `spec` into `out`, if this build has that generator.
pub fn job(kind: Kind, spec: PathBuf, out: PathBuf, command: String) -> Option<Job> {
    let (name, generate, surface): (&'static str, GenerateFn, SurfaceFn) = match kind {
        Kind::Soap => ("soap", crate::wsdl::generate, crate::wsdl::surface),
        Kind::Rest => ("rest", crate::openapi::generate, crate::openapi::surface),
    };
    Some(Job {
        name,
        kind,
        spec,
        out,
        command,
        generate,
        surface,
    })
}

/// The jobs of `cargo xtask codegen`: every generator this build has,
/// on the workspace's own specs (paths relative to the workspace root).
pub fn default_jobs() -> Vec<Job> {
    [
        (
            Kind::Soap,
            "specs/marketo-soap.wsdl",
            "crates/marketo-soap/src/generated",
        ),
        (
            Kind::Rest,
            "specs/marketo-rest.yaml",
            "crates/marketo-rest/src/generated",
        ),
    ]
    .into_iter()
    .filter_map(|(kind, spec, out)| job(kind, spec.into(), out.into(), COMMAND.to_owned()))
    .collect()
}

/// The workspace root (the parent of this crate's directory).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

/// What a run did, printed by the command line.
#[derive(Debug, Default)]
pub struct Summary {
    reports: Vec<(String, SyncReport)>,
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.reports.is_empty() {
            return write!(f, "nothing to generate: this build has no generator yet");
        }
        for (i, (name, report)) in self.reports.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{name}: {report}")?;
        }
        Ok(())
    }
}

/// Runs every job; in [`Mode::Check`] fails with [`CodegenError::Stale`]
/// naming every out-of-date file of every job.
pub fn run(jobs: &[Job], mode: Mode) -> Result<Summary, CodegenError> {
    let mut summary = Summary::default();
    let mut stale = Vec::new();
    for job in jobs {
        let report = job.run(mode)?;
        stale.extend(report.stale.iter().cloned());
        summary.reports.push((job.name.to_owned(), report));
    }
    if mode == Mode::Check && !stale.is_empty() {
        return Err(CodegenError::Stale { files: stale });
    }
    Ok(summary)
}
