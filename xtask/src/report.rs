//! The API-change report: what a regeneration changes in the public API of
//! a generated crate, each change marked breaking or not.
//!
//! The report compares two [`Surface`]s, both derived by the generator's own
//! model (never from a text diff):
//!
//! * **old**: the spec as it was when the committed generated code was last
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
use crate::codegen::{CodegenError, Job, SpecInput};

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
        let (baseline, changes) = match baseline_spec(&job.spec, &job.out) {
            Err(why) => ("nothing".to_owned(), Err(why)),
            Ok((commit, text)) => {
                let baseline = format!("{display} at {commit}");
                let changes = old_surface(job, &display, &commit, &text)
                    .map(|old| diff(&old, &new))
                    .map_err(|e| format!("the committed spec does not load: {e}"));
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

fn old_surface(
    job: &Job,
    display: &str,
    commit: &str,
    text: &str,
) -> Result<Surface, CodegenError> {
    let ext = job
        .spec
        .extension()
        .map(|e| e.to_string_lossy().into_owned())
        .unwrap_or_default();
    let dir = std::env::temp_dir().join(format!("xtask-report-{}", std::process::id()));
    let path = dir.join(format!("{}-{commit}.{ext}", job.name));
    let io = |source| CodegenError::Io {
        path: path.clone(),
        source,
    };
    std::fs::create_dir_all(&dir).map_err(io)?;
    std::fs::write(&path, text).map_err(io)?;
    let shown = format!("{display}@{commit}");
    let result = (job.surface)(&SpecInput {
        path: &path,
        display: &shown,
        command: &job.command,
    });
    let _ = std::fs::remove_dir_all(&dir);
    result
}

/// The spec's text at the last commit that touched `out`, with that
/// commit's short hash.
fn baseline_spec(spec: &Path, out: &Path) -> Result<(String, String), String> {
    let commit = git(&["log", "-1", "--format=%h", "--", &out.to_string_lossy()])?;
    let commit = commit.trim().to_owned();
    if commit.is_empty() {
        return Err(format!(
            "no commit contains {} yet (first generation)",
            out.display()
        ));
    }
    let top = git(&["rev-parse", "--show-toplevel"])?;
    let top = PathBuf::from(top.trim());
    let spec_abs = std::fs::canonicalize(spec).map_err(|e| format!("{}: {e}", spec.display()))?;
    let top = std::fs::canonicalize(&top).unwrap_or(top);
    let rel = spec_abs
        .strip_prefix(&top)
        .map_err(|_| format!("{} is outside the git repository", spec.display()))?;
    let rel = rel.to_string_lossy().replace('\\', "/");
    let text = git(&["show", &format!("{commit}:{rel}")])
        .map_err(|e| format!("{rel} did not exist at {commit}: {e}"))?;
    Ok((commit, text))
}

fn git(args: &[&str]) -> Result<String, String> {
    let output = Command::new("git")
        .args(args)
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    if !output.status.success() {
        let err = String::from_utf8_lossy(&output.stderr);
        return Err(err.lines().next().unwrap_or("git failed").trim().to_owned());
    }
    String::from_utf8(output.stdout).map_err(|_| "git printed non-UTF-8 output".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codegen::surface::Usage;

    fn field(ty: &str, required: bool) -> Field {
        Field {
            ty: ty.to_owned(),
            required,
        }
    }

    fn strukt(fields: &[(&str, Field)], input: bool, output: bool) -> TypeShape {
        TypeShape {
            kind: ShapeKind::Struct {
                fields: fields
                    .iter()
                    .map(|(n, f)| ((*n).to_owned(), f.clone()))
                    .collect(),
            },
            usage: Usage { input, output },
            default: true,
        }
    }

    fn surface(types: &[(&str, TypeShape)], ops: &[(&str, Operation)]) -> Surface {
        Surface {
            operations: ops
                .iter()
                .map(|(n, o)| ((*n).to_owned(), o.clone()))
                .collect(),
            types: types
                .iter()
                .map(|(n, t)| ((*n).to_owned(), t.clone()))
                .collect(),
        }
    }

    fn op(output: &str, inputs: &[(&str, Field)]) -> Operation {
        Operation {
            spec_name: "x".to_owned(),
            inputs: inputs
                .iter()
                .map(|(n, f)| ((*n).to_owned(), f.clone()))
                .collect(),
            output: output.to_owned(),
            idempotent: true,
        }
    }

    fn flags(changes: &[Change]) -> Vec<(bool, &str)> {
        changes
            .iter()
            .map(|c| (c.breaking, c.what.as_str()))
            .collect()
    }

    #[test]
    fn identical_surfaces_have_no_changes() {
        let s = surface(
            &[("A", strukt(&[("x", field("String", true))], true, true))],
            &[("get_a", op("A", &[("id", field("i64", true))]))],
        );
        assert!(diff(&s, &s).is_empty());
    }

    #[test]
    fn required_request_field_added_is_breaking_optional_response_field_is_not() {
        let old = surface(
            &[
                ("Req", strukt(&[], true, false)),
                ("Resp", strukt(&[], false, true)),
            ],
            &[],
        );
        let new = surface(
            &[
                (
                    "Req",
                    strukt(&[("must", field("String", true))], true, false),
                ),
                (
                    "Resp",
                    strukt(&[("extra", field("i32", false))], false, true),
                ),
            ],
            &[],
        );
        assert_eq!(
            flags(&diff(&old, &new)),
            vec![
                (true, "type `Req`, field `must: String` added (required)"),
                (false, "type `Resp`, field `extra: i32` added (optional)"),
            ]
        );
    }

    #[test]
    fn optional_request_field_added_is_not_breaking() {
        let old = surface(&[("Req", strukt(&[], true, false))], &[]);
        let new = surface(
            &[(
                "Req",
                strukt(&[("maybe", field("String", false))], true, false),
            )],
            &[],
        );
        assert_eq!(
            flags(&diff(&old, &new)),
            vec![(false, "type `Req`, field `maybe: String` added (optional)")]
        );
    }

    #[test]
    fn any_field_added_to_a_response_only_type_is_not_breaking() {
        let old = surface(&[("Resp", strukt(&[], false, true))], &[]);
        let new = surface(
            &[(
                "Resp",
                strukt(
                    &[("id", field("i64", true)), ("note", field("String", false))],
                    false,
                    true,
                ),
            )],
            &[],
        );
        assert_eq!(
            flags(&diff(&old, &new)),
            vec![
                (false, "type `Resp`, field `id: i64` added (required)"),
                (false, "type `Resp`, field `note: String` added (optional)"),
            ]
        );
    }

    #[test]
    fn a_type_both_sent_and_received_is_built_so_a_required_field_breaks() {
        let old = surface(&[("Both", strukt(&[], true, true))], &[]);
        let new = surface(
            &[("Both", strukt(&[("id", field("i64", true))], true, true))],
            &[],
        );
        assert_eq!(
            flags(&diff(&old, &new)),
            vec![(true, "type `Both`, field `id: i64` added (required)")]
        );
    }

    #[test]
    fn a_request_type_losing_default_is_breaking_a_response_type_is_not() {
        let mut req = strukt(&[], true, false);
        let mut resp = strukt(&[], false, true);
        let old = surface(&[("Req", req.clone()), ("Resp", resp.clone())], &[]);
        req.default = false;
        resp.default = false;
        let new = surface(&[("Req", req), ("Resp", resp)], &[]);
        assert_eq!(
            flags(&diff(&old, &new)),
            vec![(true, "type `Req` no longer implements `Default`")]
        );
    }

    #[test]
    fn field_becoming_required_or_changing_type_is_breaking() {
        let old = surface(
            &[(
                "Req",
                strukt(
                    &[("a", field("String", false)), ("b", field("i32", true))],
                    true,
                    false,
                ),
            )],
            &[],
        );
        let new = surface(
            &[(
                "Req",
                strukt(
                    &[("a", field("String", true)), ("b", field("i64", true))],
                    true,
                    false,
                ),
            )],
            &[],
        );
        assert_eq!(
            flags(&diff(&old, &new)),
            vec![
                (true, "type `Req`, field `a`: optional → required"),
                (true, "type `Req`, field `b`: type `i32` → `i64`"),
            ]
        );
    }

    #[test]
    fn removals_are_breaking_additions_are_not() {
        let e = |vals: &[&str]| TypeShape {
            kind: ShapeKind::Enum {
                values: vals.iter().map(|v| (*v).to_owned()).collect(),
            },
            usage: Usage {
                input: true,
                output: true,
            },
            default: false,
        };
        let old = surface(
            &[
                ("Gone", strukt(&[], false, true)),
                ("Status", e(&["on", "off"])),
            ],
            &[("old_op", op("Gone", &[]))],
        );
        let new = surface(
            &[
                ("Fresh", strukt(&[], false, true)),
                ("Status", e(&["on", "paused"])),
            ],
            &[("new_op", op("Fresh", &[]))],
        );
        assert_eq!(
            flags(&diff(&old, &new)),
            vec![
                (true, "operation `old_op` (`x`) removed"),
                (false, "operation `new_op` (`x`) added, idempotent"),
                (true, "type `Gone` removed"),
                (false, "type `Fresh` added"),
                (true, "enum `Status`: value `off` removed"),
                (false, "enum `Status`: value `paused` added"),
            ]
        );
    }

    #[test]
    fn operation_inputs_and_output() {
        let old = surface(&[], &[("get", op("A", &[("id", field("i64", true))]))]);
        let new = surface(
            &[],
            &[(
                "get",
                op(
                    "B",
                    &[
                        ("id", field("i64", true)),
                        ("name", field("String", true)),
                        ("tags", field("bool", false)),
                    ],
                ),
            )],
        );
        assert_eq!(
            flags(&diff(&old, &new)),
            vec![
                (true, "operation `get`: result type `A` → `B`"),
                (
                    true,
                    "operation `get`, input `name: String` added (required)"
                ),
                (true, "operation `get`, input `tags: bool` added (optional)"),
            ]
        );
    }

    #[test]
    fn idempotency_is_listed_for_added_operations_and_its_change_reported() {
        let mut post = op("A", &[]);
        post.idempotent = false;
        let old = surface(&[], &[("list_operation", op("A", &[]))]);
        let new = surface(
            &[],
            &[("list_operation", post.clone()), ("create", post.clone())],
        );
        assert_eq!(
            flags(&diff(&old, &new)),
            vec![
                (false, "operation `create` (`x`) added, not idempotent"),
                (
                    false,
                    "operation `list_operation`: idempotent → not idempotent"
                ),
            ]
        );
    }

    #[test]
    fn markdown_marks_breaking_changes_and_escapes_pipes() {
        let report = Report {
            jobs: vec![JobReport {
                name: "rest".into(),
                out: "crates/x/src/generated".into(),
                baseline: "specs/x.yaml at abc1234".into(),
                changes: Ok(vec![
                    Change::new(true, "type `A` removed"),
                    Change::new(false, "a | b"),
                ]),
            }],
        };
        let md = report.to_markdown();
        assert!(md.contains("2 change(s), 1 breaking."), "{md}");
        assert!(md.contains("| **breaking** | type `A` removed |"), "{md}");
        assert!(md.contains("| ok | a \\| b |"), "{md}");
        assert!(report.has_breaking());
    }
}
