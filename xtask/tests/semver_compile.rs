//! The API-change report's verdicts, proved by compiling.
//!
//! `semver/base.yaml` is a small REST spec; `semver/user.rs` is a downstream
//! crate written against the code generated from it, the way the generated
//! API lets users write code (constructors and setters, field reads, `match`
//! with the wildcard `#[non_exhaustive]` requires, every operation called).
//! Each case edits the base spec in one way. For each, the test
//!
//! 1. computes the report ([`xtask::report::diff`] of the two surfaces) and
//!    checks its verdict and the change it names;
//! 2. generates the crate from the changed spec and `cargo check`s the
//!    downstream crate against it: it must fail exactly when the report says
//!    "breaking", with the expected compiler error, and the generated crate
//!    itself must always compile.
//!
//! It also checks that the base API compiles with `user.rs`, and that code
//! a user cannot write (a struct literal, a `match` without a wildcard) does
//! not compile: that is what makes "added" changes safe.
//!
//! The crates live in `<target>/semver-compile/` with their own target
//! directory, so `marketo-rest` and its dependencies are checked once and
//! later runs only check the two small crates per case. `docs/codegen.md`
//! lists the cases next to the rules they prove.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use xtask::codegen::{self, SpecInput};
use xtask::report::{self, Change};

/// One kind of spec change.
struct Case {
    /// The name `docs/codegen.md` and the rule table in `report.rs` use.
    name: &'static str,
    /// The spec change.
    edit: fn(&str) -> String,
    /// Whether code written against the base must stop compiling.
    breaking: bool,
    /// The report's lines for the change, in order.
    changes: &'static [&'static str],
    /// The compiler error the downstream crate must fail with, if breaking.
    error: Option<&'static str>,
}

/// `text` with `from` replaced by `to`; `from` must occur.
fn replace(text: &str, from: &str, to: &str) -> String {
    assert!(text.contains(from), "the base spec has no {from:?}");
    text.replacen(from, to, 1)
}

const NEW_WIDGET_REQUIRED: &str =
    "      description: A widget to create (request only).\n      required: [name]\n";
const NEW_WIDGET_NOTE: &str = "        note: {type: string, description: A note.}\n    Colour:";
const GET_WIDGET_FIELDS: &str = "        - {name: fields, in: query, required: false, description: Fields to answer., schema: {type: array, items: {type: string}}}\n";
const WIDGET_REQUIRED: &str = "      required: [id, name, colour]\n";

const CASES: &[Case] = &[
    Case {
        name: "operation_added",
        edit: |s| {
            replace(
                s,
                "components:\n  schemas:\n",
                "  /widgets/{id}/delete.json:\n    post:\n      operationId: deleteWidget\n      tags: [Widgets]\n      summary: Delete a widget\n      description: A delete.\n      parameters:\n        - {name: id, in: path, required: true, description: Widget id., schema: {type: integer, format: int32}}\n      responses:\n        '200':\n          description: The widget deleted.\n          content:\n            application/json:\n              schema: {$ref: '#/components/schemas/Receipt'}\ncomponents:\n  schemas:\n    Receipt:\n      type: object\n      description: A new type.\n      properties:\n        done: {type: boolean, description: Done.}\n",
            )
        },
        breaking: false,
        changes: &[
            "operation `delete_widget` (`deleteWidget`) added, not idempotent",
            "type `Receipt` added",
        ],
        error: None,
    },
    Case {
        name: "operation_removed",
        edit: |s| {
            let start = s.find("  /widgets/{id}.json:").expect("getWidget");
            let end = s.find("  /widgets.json:").expect("createWidget");
            format!("{}{}", &s[..start], &s[end..])
        },
        breaking: true,
        changes: &[
            "operation `get_widget` (`getWidget`) removed",
            "type `GetWidgetParams` removed",
        ],
        error: Some("E0599"),
    },
    Case {
        name: "required_request_field_added",
        edit: |s| {
            let s = replace(
                s,
                NEW_WIDGET_REQUIRED,
                "      description: A widget to create (request only).\n      required: [name, size]\n",
            );
            replace(
                &s,
                NEW_WIDGET_NOTE,
                "        note: {type: string, description: A note.}\n        size: {type: integer, format: int32, description: Size.}\n    Colour:",
            )
        },
        breaking: true,
        changes: &["type `NewWidget`, field `size: i32` added (required)"],
        error: Some("E0061"),
    },
    Case {
        name: "optional_request_field_added",
        edit: |s| {
            replace(
                s,
                NEW_WIDGET_NOTE,
                "        note: {type: string, description: A note.}\n        size: {type: integer, format: int32, description: Size.}\n    Colour:",
            )
        },
        breaking: false,
        changes: &["type `NewWidget`, field `size: i32` added (optional)"],
        error: None,
    },
    Case {
        name: "enum_value_added",
        edit: |s| replace(s, "enum: [red, green]", "enum: [red, green, blue]"),
        breaking: false,
        changes: &["enum `Colour`: value `blue` added"],
        error: None,
    },
    Case {
        name: "enum_value_removed",
        edit: |s| replace(s, "enum: [red, green]", "enum: [red]"),
        breaking: true,
        changes: &["enum `Colour`: value `green` removed"],
        error: Some("E0599"),
    },
    Case {
        name: "response_field_added",
        edit: |s| {
            let s = replace(
                s,
                WIDGET_REQUIRED,
                "      required: [id, name, colour, size]\n",
            );
            replace(
                &s,
                "        note: {type: string, description: A note.}\n    NewWidget:",
                "        note: {type: string, description: A note.}\n        size: {type: integer, format: int32, description: Size.}\n        tags: {type: array, items: {type: string}, description: Tags.}\n    NewWidget:",
            )
        },
        breaking: false,
        changes: &[
            "type `Widget`, field `size: i32` added (required)",
            "type `Widget`, field `tags: Vec<String>` added (optional)",
        ],
        error: None,
    },
    Case {
        name: "field_type_changed",
        edit: |s| {
            replace(
                s,
                "        id: {type: integer, format: int32, description: Id.}",
                "        id: {type: integer, format: int64, description: Id.}",
            )
        },
        breaking: true,
        changes: &["type `Widget`, field `id`: type `i32` → `i64`"],
        error: Some("E0308"),
    },
    Case {
        name: "field_removed",
        edit: |s| {
            replace(
                s,
                "        note: {type: string, description: A note.}\n    NewWidget:",
                "    NewWidget:",
            )
        },
        breaking: true,
        changes: &["type `Widget`, field `note` removed"],
        error: Some("E0609"),
    },
    Case {
        name: "optional_became_required",
        edit: |s| {
            replace(
                s,
                NEW_WIDGET_REQUIRED,
                "      description: A widget to create (request only).\n      required: [name, note]\n",
            )
        },
        breaking: true,
        changes: &["type `NewWidget`, field `note`: optional → required"],
        error: Some("E0061"),
    },
    Case {
        name: "optional_query_parameter_added",
        edit: |s| {
            let added = format!(
                "{GET_WIDGET_FIELDS}        - {{name: limit, in: query, required: false, description: At most., schema: {{type: integer, format: int32}}}}\n"
            );
            replace(s, GET_WIDGET_FIELDS, &added)
        },
        breaking: false,
        changes: &["type `GetWidgetParams`, field `limit: i32` added (optional)"],
        error: None,
    },
    Case {
        name: "required_query_parameter_added",
        edit: |s| {
            let added = format!(
                "{GET_WIDGET_FIELDS}        - {{name: owner, in: query, required: true, description: Owner., schema: {{type: string}}}}\n"
            );
            replace(s, GET_WIDGET_FIELDS, &added)
        },
        breaking: true,
        changes: &["operation `get_widget`, input `owner: String` added (required)"],
        error: Some("E0061"),
    },
    Case {
        name: "idempotency_changed",
        edit: |s| {
            replace(
                s,
                "      operationId: createWidget\n",
                "      operationId: createWidget\n      x-marketo-idempotent: true\n",
            )
        },
        breaking: false,
        changes: &["operation `create_widget`: not idempotent → idempotent"],
        error: None,
    },
];

/// Code a user cannot write against the base API, each with the error it
/// must fail with: the reason additions above are safe.
const MUST_NOT_COMPILE: &[(&str, &str, &str)] = &[
    (
        "a struct literal of a generated struct",
        "pub fn f() -> api::types::NewWidget {\n    api::types::NewWidget { name: String::new(), colour: None, note: None }\n}\n",
        "E0639",
    ),
    (
        "a match on a generated enum without a wildcard",
        "pub fn f(c: &api::types::Colour) -> u8 {\n    match c {\n        api::types::Colour::Red => 1,\n        api::types::Colour::Green => 2,\n        api::types::Colour::Unknown(_) => 3,\n    }\n}\n",
        "E0004",
    ),
];

fn xtask_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The scratch workspace: `api` (the generated code) and `user`
/// (downstream code), with its own target directory.
struct Scratch {
    dir: PathBuf,
}

impl Scratch {
    fn new() -> Self {
        let root = codegen::workspace_root();
        let target = std::env::var_os("CARGO_TARGET_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|| root.join("target"));
        let dir = target.join("semver-compile");
        let rest = root.join("crates/marketo-rest");
        let files = [
            (
                "Cargo.toml",
                "[workspace]\nmembers = [\"api\", \"user\"]\nresolver = \"2\"\n".to_owned(),
            ),
            (
                "api/Cargo.toml",
                format!(
                    "[package]\nname = \"api\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n[dependencies]\nmarketo-rest = {{ path = {:?} }}\n",
                    rest.display().to_string()
                ),
            ),
            (
                "user/Cargo.toml",
                "[package]\nname = \"user\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n[dependencies]\napi = { path = \"../api\" }\n".to_owned(),
            ),
        ];
        for (path, text) in files {
            write(&dir.join(path), &text);
        }
        // The workspace's lock file: the same dependency versions, offline.
        let lock = std::fs::read_to_string(root.join("Cargo.lock")).expect("Cargo.lock");
        write(&dir.join("Cargo.lock"), &lock);
        Self { dir }
    }

    /// Replaces the `api` crate's sources with the code generated from
    /// `spec` (`mod.rs` becomes `lib.rs`).
    fn generate(&self, spec: &Path) {
        let src = self.dir.join("api/src");
        let _ = std::fs::remove_dir_all(&src);
        let input = SpecInput {
            path: spec,
            display: "base.yaml",
            command: "semver_compile",
        };
        let files = xtask::openapi::generate(&input).unwrap_or_else(|e| panic!("generate: {e}"));
        for file in files {
            let path = if file.path == "mod.rs" {
                "lib.rs".to_owned()
            } else {
                file.path
            };
            write(&src.join(path), &file.contents);
        }
    }

    /// Sets the downstream crate's source.
    fn user(&self, source: &str) {
        write(&self.dir.join("user/src/lib.rs"), source);
    }

    /// `cargo check -p user`: `Ok` or the compiler's messages.
    fn check(&self) -> Result<(), String> {
        let output = Command::new(env!("CARGO"))
            .args(["check", "--offline", "--quiet", "--message-format=short"])
            .args(["-p", "user"])
            .current_dir(&self.dir)
            .env("CARGO_TARGET_DIR", self.dir.join("target"))
            .env_remove("RUSTFLAGS")
            .env_remove("CARGO_ENCODED_RUSTFLAGS")
            .env_remove("CARGO_BUILD_RUSTFLAGS")
            .output()
            .expect("run cargo");
        let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
        assert!(
            !stderr.contains("could not compile `api`") && !stderr.contains("error: failed to"),
            "the generated crate itself does not build:\n{stderr}"
        );
        if output.status.success() {
            Ok(())
        } else {
            Err(stderr)
        }
    }
}

fn write(path: &Path, text: &str) {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).unwrap_or_else(|e| panic!("{}: {e}", parent.display()));
    }
    std::fs::write(path, text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
}

/// The report between the base spec and `changed`, each spec written to
/// `dir` first.
fn report(dir: &Path, base: &str, changed: &str) -> Vec<Change> {
    let surface = |name: &str, text: &str| {
        let path = dir.join(name);
        write(&path, text);
        let input = SpecInput {
            path: &path,
            display: name,
            command: "semver_compile",
        };
        xtask::openapi::surface(&input).unwrap_or_else(|e| panic!("{name}: {e}"))
    };
    report::diff(
        &surface("base.yaml", base),
        &surface("changed.yaml", changed),
    )
}

#[test]
fn the_report_says_breaking_exactly_when_downstream_code_stops_compiling() {
    let started = Instant::now();
    let base = std::fs::read_to_string(xtask_dir().join("tests/semver/base.yaml")).expect("base");
    let user = std::fs::read_to_string(xtask_dir().join("tests/semver/user.rs")).expect("user");
    let scratch = Scratch::new();
    let specs = scratch.dir.join("specs");

    let base_path = specs.join("base.yaml");
    write(&base_path, &base);
    scratch.generate(&base_path);
    for (what, source, code) in MUST_NOT_COMPILE {
        scratch.user(source);
        let err = scratch
            .check()
            .err()
            .unwrap_or_else(|| panic!("{what} compiles against the base API"));
        assert!(err.contains(code), "{what}: expected {code}:\n{err}");
    }
    scratch.user(&user);
    if let Err(err) = scratch.check() {
        panic!("user.rs does not compile against the base API:\n{err}");
    }
    eprintln!("base checked in {:?}", started.elapsed());

    let mut wrong = Vec::new();
    for case in CASES {
        let changed = (case.edit)(&base);
        let changes = report(&specs, &base, &changed);
        let reported = changes.iter().any(|c| c.breaking);
        let listed = changes
            .iter()
            .map(|c| c.what.as_str())
            .eq(case.changes.iter().copied());
        let changed_path = specs.join(format!("{}.yaml", case.name));
        write(&changed_path, &changed);
        scratch.generate(&changed_path);
        let compiled = scratch.check();
        let error_ok = match (&compiled, case.error) {
            (Err(err), Some(code)) => err.contains(code),
            (Ok(()), None) => true,
            _ => false,
        };
        eprintln!(
            "{}: report {}, downstream {} ({:?})",
            case.name,
            if reported { "breaking" } else { "ok" },
            if compiled.is_ok() {
                "compiles"
            } else {
                "fails"
            },
            started.elapsed()
        );
        if reported != case.breaking || !listed || compiled.is_ok() == case.breaking || !error_ok {
            wrong.push(format!(
                "{}: expected {}, report says {} with {:?}; downstream {}",
                case.name,
                if case.breaking { "breaking" } else { "ok" },
                if reported { "breaking" } else { "ok" },
                changes.iter().map(|c| &c.what).collect::<Vec<_>>(),
                match &compiled {
                    Ok(()) => "compiles".to_owned(),
                    Err(err) => format!("fails (expected error {:?}):\n{err}", case.error),
                }
            ));
        }
    }
    eprintln!("all cases in {:?}", started.elapsed());
    assert!(wrong.is_empty(), "{}", wrong.join("\n\n"));
}
