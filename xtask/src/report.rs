//! The API-change report: what a regeneration changes in the public API of
//! a generated crate, each change marked breaking or not.
//!
//! The report compares two [`Surface`]s, both derived by the generator's own
//! model (never from a text diff):
//!
//! * **old**: the spec (and the file the generator reads beside it: the
//!   SOAP annotations) as it was when the committed generated code was last
//!   regenerated — the spec file at the last commit that touched the job's
//!   output directory (`git log -1 -- <out>`). CI keeps the committed code
//!   fresh, so that spec is exactly what the committed code was generated
//!   from. This also covers a spec edit committed without regenerating.
//! * **new**: the spec in the working tree.
//!
//! Rules for "breaking" take the view of Rust code that uses the crate the
//! way the generated API allows: anything that can stop such code from
//! compiling is breaking. The rules rest on the shape every generator emits:
//! each struct is `#[non_exhaustive]` and built with `new(required fields)`
//! plus one setter per optional field, so nobody writes a struct literal or
//! an exhaustive struct pattern; each enum is `#[non_exhaustive]` with a
//! catch-all `Unknown(String)`, so every `match` has a wildcard arm and
//! unknown wire values decode. Types that only travel in responses are read,
//! never built, by users.
//!
//! `xtask/tests/semver_compile.rs` proves the rows it names, for REST and
//! SOAP: it generates a small crate before and after the change, builds a
//! downstream crate written against the "before" API, and checks that the
//! build fails exactly when this report says "breaking"
//! (`docs/codegen.md` lists the cases).
//!
//! | change | breaking? | compile case |
//! | --- | --- | --- |
//! | operation added | no | `operation_added` |
//! | operation removed | yes | `operation_removed` |
//! | type added | no | `operation_added` (its result type is new) |
//! | type removed | yes | `operation_removed` (REST: its params struct goes) |
//! | enum value added | no (`#[non_exhaustive]`, `Unknown(String)`) | `enum_value_added` |
//! | enum value removed | yes (the variant is gone) | `enum_value_removed` |
//! | optional field added, request or response type | no (a setter; `new` unchanged) | `optional_request_field_added` |
//! | required field added to a type users build (request, or both) | yes (`new` takes it) | `required_request_field_added` |
//! | field added to a response-only type, required or not | no (users only read it) | `response_field_added` |
//! | input added to an operation (path, required query, body, params struct) | yes (a new method argument) | `required_query_parameter_added` (REST) |
//! | optional query parameter added to an existing params struct | no (a setter) | `optional_query_parameter_added` (REST) |
//! | field or input removed | yes | `field_removed` |
//! | field, input or result type changed | yes | `field_type_changed` |
//! | optional ↔ required | yes (`T` ↔ `Option<T>`, and `new`'s arguments) | `optional_became_required` |
//! | request type no longer implements `Default` | yes | |
//! | operation's idempotency changed | no (retries only; shown) | `idempotency_changed` |
//!
//! Added operations are listed with their idempotency (whether the client
//! retries them after a transport failure), and a change of an operation's
//! idempotency is reported, not breaking.

use std::collections::BTreeMap;
use std::fmt::{self, Write as _};
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::codegen::surface::{Field, Operation, ShapeKind, Surface, TypeShape};
use crate::codegen::{CodegenError, Job, Kind, SpecInput};

/// One change in the public API.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// Whether code using the crate may stop compiling.
    pub breaking: bool,
    /// What changed, in a sentence naming the Rust items.
    pub what: String,
}

impl Change {
    fn new(breaking: bool, what: impl Into<String>) -> Self {
        Self {
            breaking,
            what: what.into(),
        }
    }
}

/// Every change from `old` to `new`, ordered: operations, then types, each
/// by name.
pub fn diff(old: &Surface, new: &Surface) -> Vec<Change> {
    let mut out = Vec::new();
    diff_operations(&old.operations, &new.operations, &mut out);
    diff_types(&old.types, &new.types, &mut out);
    out
}

fn diff_operations(
    old: &BTreeMap<String, Operation>,
    new: &BTreeMap<String, Operation>,
    out: &mut Vec<Change>,
) {
    for (name, op) in old {
        if !new.contains_key(name) {
            out.push(Change::new(
                true,
                format!("operation `{name}` (`{}`) removed", op.spec_name),
            ));
        }
    }
    for (name, new_op) in new {
        let Some(old_op) = old.get(name) else {
            out.push(Change::new(
                false,
                format!(
                    "operation `{name}` (`{}`) added, {}",
                    new_op.spec_name,
                    idempotency(new_op.idempotent)
                ),
            ));
            continue;
        };
        if old_op.idempotent != new_op.idempotent {
            out.push(Change::new(
                false,
                format!(
                    "operation `{name}`: {} → {}",
                    idempotency(old_op.idempotent),
                    idempotency(new_op.idempotent)
                ),
            ));
        }
        if old_op.output != new_op.output {
            out.push(Change::new(
                true,
                format!(
                    "operation `{name}`: result type `{}` → `{}`",
                    old_op.output, new_op.output
                ),
            ));
        }
        // Every input is a method argument (optional query parameters live
        // in the params struct, itself one argument): adding one, even an
        // optional body, changes the method's signature.
        diff_fields(
            &format!("operation `{name}`, input"),
            &old_op.inputs,
            &new_op.inputs,
            Added::AlwaysBreaks,
            out,
        );
    }
}

fn diff_types(
    old: &BTreeMap<String, TypeShape>,
    new: &BTreeMap<String, TypeShape>,
    out: &mut Vec<Change>,
) {
    for name in old.keys() {
        if !new.contains_key(name) {
            out.push(Change::new(true, format!("type `{name}` removed")));
        }
    }
    for (name, new_ty) in new {
        let Some(old_ty) = old.get(name) else {
            out.push(Change::new(false, format!("type `{name}` added")));
            continue;
        };
        match (&old_ty.kind, &new_ty.kind) {
            (ShapeKind::Struct { fields: a }, ShapeKind::Struct { fields: b }) => {
                // Callers build a request type with `new(required fields)`
                // and setters: a new required field changes `new`, a new
                // optional one adds a setter. Response-only types are read.
                let built = old_ty.usage.input || new_ty.usage.input;
                let added = if built {
                    Added::BreaksIfRequired
                } else {
                    Added::NeverBreaks
                };
                diff_fields(&format!("type `{name}`, field"), a, b, added, out);
                if built && old_ty.default && !new_ty.default {
                    out.push(Change::new(
                        true,
                        format!("type `{name}` no longer implements `Default`"),
                    ));
                }
            }
            (ShapeKind::Enum { values: a }, ShapeKind::Enum { values: b }) => {
                for v in a.difference(b) {
                    out.push(Change::new(
                        true,
                        format!("enum `{name}`: value `{v}` removed"),
                    ));
                }
                for v in b.difference(a) {
                    out.push(Change::new(
                        false,
                        format!("enum `{name}`: value `{v}` added"),
                    ));
                }
            }
            (ShapeKind::Alias { target: a }, ShapeKind::Alias { target: b }) => {
                if a != b {
                    out.push(Change::new(
                        true,
                        format!("type `{name}`: alias of `{a}` → `{b}`"),
                    ));
                }
            }
            (a, b) => out.push(Change::new(
                true,
                format!("type `{name}`: {} → {}", shape_name(a), shape_name(b)),
            )),
        }
    }
}

fn shape_name(kind: &ShapeKind) -> &'static str {
    match kind {
        ShapeKind::Struct { .. } => "struct",
        ShapeKind::Enum { .. } => "enum",
        ShapeKind::Alias { .. } => "alias",
    }
}

fn optionality(f: &Field) -> &'static str {
    if f.required { "required" } else { "optional" }
}

fn idempotency(idempotent: bool) -> &'static str {
    if idempotent {
        "idempotent"
    } else {
        "not idempotent"
    }
}

/// Whether adding a field (or input) breaks callers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Added {
    /// Operation inputs: each is a method argument.
    AlwaysBreaks,
    /// Types callers build: `new` takes the required fields.
    BreaksIfRequired,
    /// Response-only types: callers only read them.
    NeverBreaks,
}

/// Fields of one struct (or inputs of one operation); `added` says when a
/// new one breaks callers. Removals, type changes and optionality changes
/// always do.
fn diff_fields(
    subject: &str,
    old: &BTreeMap<String, Field>,
    new: &BTreeMap<String, Field>,
    added: Added,
    out: &mut Vec<Change>,
) {
    for name in old.keys() {
        if !new.contains_key(name) {
            out.push(Change::new(true, format!("{subject} `{name}` removed")));
        }
    }
    for (name, b) in new {
        let Some(a) = old.get(name) else {
            let breaking = match added {
                Added::AlwaysBreaks => true,
                Added::BreaksIfRequired => b.required,
                Added::NeverBreaks => false,
            };
            out.push(Change::new(
                breaking,
                format!("{subject} `{name}: {}` added ({})", b.ty, optionality(b)),
            ));
            continue;
        };
        if a.ty != b.ty {
            out.push(Change::new(
                true,
                format!("{subject} `{name}`: type `{}` → `{}`", a.ty, b.ty),
            ));
        }
        if a.required != b.required {
            out.push(Change::new(
                true,
                format!(
                    "{subject} `{name}`: {} → {}",
                    optionality(a),
                    optionality(b)
                ),
            ));
        }
    }
}

/// The report of one job.
#[derive(Debug, Clone)]
pub struct JobReport {
    /// The job (`soap`, `rest`).
    pub name: String,
    /// The crate directory the job writes into.
    pub out: PathBuf,
    /// What the old surface was taken from (`specs/x.wsdl at 1a2b3c4`).
    pub baseline: String,
    /// The changes, or why none could be computed.
    pub changes: Result<Vec<Change>, String>,
}

/// The report of a whole run.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// One entry per job.
    pub jobs: Vec<JobReport>,
}

impl Report {
    /// Whether any job has a breaking change.
    pub fn has_breaking(&self) -> bool {
        self.jobs
            .iter()
            .any(|j| matches!(&j.changes, Ok(c) if c.iter().any(|c| c.breaking)))
    }

    /// The report as Markdown, for a pull-request comment.
    pub fn to_markdown(&self) -> String {
        let mut s = String::from("## API changes\n");
        for job in &self.jobs {
            let _ = write!(
                s,
                "\n### `{}` ({})\n\nBaseline: {}.\n\n",
                job.name,
                job.out.display(),
                job.baseline
            );
            match &job.changes {
                Err(why) => {
                    let _ = writeln!(s, "No report: {why}");
                }
                Ok(changes) if changes.is_empty() => s.push_str("No changes to the public API.\n"),
                Ok(changes) => {
                    let breaking = changes.iter().filter(|c| c.breaking).count();
                    let _ = writeln!(
                        s,
                        "{} change(s), {breaking} breaking.\n\n| | change |\n| --- | --- |",
                        changes.len()
                    );
                    for c in changes {
                        let mark = if c.breaking { "**breaking**" } else { "ok" };
                        let _ = writeln!(s, "| {mark} | {} |", c.what.replace('|', "\\|"));
                    }
                }
            }
        }
        s
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, job) in self.jobs.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(
                f,
                "API changes in {} (against {}): ",
                job.name, job.baseline
            )?;
            match &job.changes {
                Err(why) => write!(f, "not available: {why}")?,
                Ok(changes) if changes.is_empty() => write!(f, "none")?,
                Ok(changes) => {
                    let breaking = changes.iter().filter(|c| c.breaking).count();
                    write!(f, "{} change(s), {breaking} breaking", changes.len())?;
                    for c in changes {
                        let mark = if c.breaking { "BREAKING" } else { "ok      " };
                        write!(f, "\n  {mark} {}", c.what)?;
                    }
                }
            }
        }
        Ok(())
    }
}

/// Builds the report of every job: the working tree's spec against the
/// spec the committed generated code came from. A job whose baseline cannot
/// be found (no git, no commit yet) gets an explanation instead of changes;
/// a malformed working-tree spec is an error.
pub fn build(jobs: &[Job]) -> Result<Report, CodegenError> {
    let mut report = Report::default();
    for job in jobs {
        let display = job.spec.to_string_lossy().replace('\\', "/");
        let new = (job.surface)(&SpecInput {
            path: &job.spec,
            display: &display,
            command: &job.command,
        })?;
        let (baseline, changes) = match baseline(job) {
            Err(why) => ("nothing".to_owned(), Err(why)),
            Ok(old) => {
                let baseline = format!("{display} at {}", old.commit);
                // The usual case: the spec has not changed since the code
                // was generated, so there is nothing to load twice.
                let changes = if unchanged(job, &old) {
                    Ok(Vec::new())
                } else {
                    old_surface(job, &display, &old)
                        .map(|old| diff(&old, &new))
                        .map_err(|e| format!("the committed spec does not load: {e}"))
                };
                (baseline, changes)
            }
        };
        report.jobs.push(JobReport {
            name: job.name.to_owned(),
            out: job.out.clone(),
            baseline,
            changes,
        });
    }
    Ok(report)
}

/// Whether the job's inputs in the working tree are byte for byte those of
/// its baseline (then the two surfaces are equal without deriving both).
fn unchanged(job: &Job, old: &Baseline) -> bool {
    let read = |path: &Path| std::fs::read_to_string(path).ok();
    let companion_now = companion(job.kind, &job.spec).and_then(|p| read(&p));
    read(&job.spec).as_deref() == Some(old.spec.as_str()) && companion_now == old.companion
}

/// The file beside a spec that its generator also reads: the SOAP
/// generator's annotations (`<stem>.annotations.yaml`, idempotency).
fn companion(kind: Kind, spec: &Path) -> Option<PathBuf> {
    match kind {
        Kind::Soap => Some(crate::wsdl::annotations::path_for(spec)),
        Kind::Rest => None,
    }
}

/// The inputs of a job as of the last commit that touched its output.
struct Baseline {
    /// That commit's short hash.
    commit: String,
    /// The spec's text then.
    spec: String,
    /// The companion file's text then, if the job has one and it existed.
    companion: Option<String>,
}

fn old_surface(job: &Job, display: &str, old: &Baseline) -> Result<Surface, CodegenError> {
    let ext = job
        .spec
        .extension()
        .map(|e| e.to_string_lossy().into_owned())
        .unwrap_or_default();
    let dir = std::env::temp_dir().join(format!("xtask-report-{}", std::process::id()));
    let path = dir.join(format!("{}-{}.{ext}", job.name, old.commit));
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| CodegenError::Io { path, source }
    };
    std::fs::create_dir_all(&dir).map_err(io(&dir))?;
    std::fs::write(&path, &old.spec).map_err(io(&path))?;
    if let (Some(beside), Some(text)) = (companion(job.kind, &path), &old.companion) {
        std::fs::write(&beside, text).map_err(io(&beside))?;
    }
    let shown = format!("{display}@{}", old.commit);
    let result = (job.surface)(&SpecInput {
        path: &path,
        display: &shown,
        command: &job.command,
    });
    let _ = std::fs::remove_dir_all(&dir);
    result
}

/// The job's spec (and companion file) at the last commit that touched
/// its output directory, in the git repository that holds that directory.
/// Every failure is a sentence for the report (git's own messages, e.g.
/// `fatal: not a git repository`, are never printed).
fn baseline(job: &Job) -> Result<Baseline, String> {
    let cwd = std::env::current_dir().map_err(|e| format!("no current directory: {e}"))?;
    let absolute = |p: &Path| crate::codegen::paths::resolve(&cwd.join(p));
    let out = absolute(&job.out);
    let spec_path = absolute(&job.spec);
    let dir = out
        .ancestors()
        .find(|a| a.is_dir())
        .ok_or_else(|| format!("{} has no existing directory above it", job.out.display()))?;
    let top = git(dir, &["rev-parse", "--show-toplevel"]).map_err(|e| match e {
        GitError::NotRun(why) => why,
        GitError::Failed(_) => format!(
            "{} is not inside a git repository, so there is no committed baseline",
            job.out.display()
        ),
    })?;
    let top = PathBuf::from(top.trim());
    let top = std::fs::canonicalize(&top).unwrap_or(top);
    let out_rel = match relative(&top, &out)? {
        rel if rel.is_empty() => ".".to_owned(),
        rel => rel,
    };
    let commit = git(&top, &["log", "-1", "--format=%h", "--", &out_rel])
        .map_err(|e| format!("cannot read the history of {out_rel}: {e}"))?;
    let commit = commit.trim().to_owned();
    if commit.is_empty() {
        return Err(format!(
            "no commit contains {} yet (first generation)",
            job.out.display()
        ));
    }
    let spec_rel = relative(&top, &spec_path)?;
    let spec = git(&top, &["show", &format!("{commit}:{spec_rel}")])
        .map_err(|_| format!("{spec_rel} did not exist at {commit}"))?;
    // A companion that did not exist then is simply absent.
    let companion = match companion(job.kind, &spec_path) {
        Some(path) => relative(&top, &path)
            .ok()
            .and_then(|rel| git(&top, &["show", &format!("{commit}:{rel}")]).ok()),
        None => None,
    };
    Ok(Baseline {
        commit,
        spec,
        companion,
    })
}

/// `path` (absolute, resolved) relative to the repository root `top`, with
/// `/` separators.
fn relative(top: &Path, path: &Path) -> Result<String, String> {
    let rel = path.strip_prefix(top).map_err(|_| {
        format!(
            "{} is outside the git repository {} of the output directory",
            path.display(),
            top.display()
        )
    })?;
    Ok(rel.to_string_lossy().replace('\\', "/"))
}

/// Why a git command gave no answer.
#[derive(Debug)]
enum GitError {
    /// git could not be started.
    NotRun(String),
    /// git ran and failed (its message, without the `fatal:` prefix).
    Failed(String),
}

impl fmt::Display for GitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NotRun(why) | Self::Failed(why) => f.write_str(why),
        }
    }
}

/// Runs git in `dir` quietly: its output and errors are captured, never
/// printed.
fn git(dir: &Path, args: &[&str]) -> Result<String, GitError> {
    let output = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .stdin(std::process::Stdio::null())
        .output()
        .map_err(|e| GitError::NotRun(format!("cannot run git: {e}")))?;
    if !output.status.success() {
        let err = String::from_utf8_lossy(&output.stderr);
        let line = err.lines().next().unwrap_or("git failed").trim();
        let line = line
            .strip_prefix("fatal:")
            .or_else(|| line.strip_prefix("error:"))
            .unwrap_or(line)
            .trim();
        return Err(GitError::Failed(line.to_owned()));
    }
    String::from_utf8(output.stdout)
        .map_err(|_| GitError::Failed("git printed non-UTF-8 output".to_owned()))
}

#[cfg(test)]
mod tests;
