//! The API-change report's verdicts, proved by compiling.
//!
//! `semver/base.yaml` is a small REST spec and `semver/base.wsdl` a small
//! WSDL (with `base.annotations.yaml`); `semver/user.rs` and
//! `semver/user_soap.rs` are downstream crates written against the code
//! generated from them, the way the generated API lets users write code
//! (constructors and setters, field reads, `match` with the wildcard
//! `#[non_exhaustive]` requires, every operation called). Each case
//! (`semver/rest_cases.rs`, `semver/soap_cases.rs`) edits a base spec in one
//! way. For each, the test
//!
//! 1. computes the report ([`xtask::report::diff`] of the two surfaces) and
//!    checks its verdict and the change it names;
//! 2. generates a crate from the changed spec, and a copy of the downstream
//!    crate depending on it, which must fail to compile exactly when the
//!    report says "breaking", with the expected compiler error; the
//!    generated crate itself must always compile.
//!
//! It also checks that the base API compiles with `user.rs`, and that code
//! a user cannot write (a struct literal, a `match` without a wildcard) does
//! not compile: that is what makes "added" changes safe.
//!
//! All crates (one generated and one downstream crate per case) are members
//! of one scratch workspace in `<target>/semver-compile/`, checked by a
//! single `cargo check --workspace --keep-going`, with their own target
//! directory and the workspace's `Cargo.lock` (cargo fetches what its cache
//! lacks, e.g. after `cargo test -p xtask` on a fresh clone). So
//! `marketo-rest`, `marketo-soap` and their dependencies are checked once,
//! and files are only rewritten when their contents change, so that a rerun
//! only checks what changed. `docs/codegen.md` lists the cases next to the
//! rules they prove.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use serde_json::Value;
use xtask::codegen::{self, GeneratedFile, SpecInput, Surface};
use xtask::report::{self, Change};

#[path = "semver/rest_cases.rs"]
mod rest_cases;
#[path = "semver/soap_cases.rs"]
mod soap_cases;

/// One kind of spec change.
pub struct Case {
    /// The name `docs/codegen.md` and the rule table in `report.rs` use.
    pub name: &'static str,
    /// The spec change.
    pub edit: fn(&str) -> String,
    /// Whether code written against the base must stop compiling.
    pub breaking: bool,
    /// The report's lines for the change, in order.
    pub changes: &'static [&'static str],
    /// The compiler error the downstream crate must fail with, if breaking.
    pub error: Option<&'static str>,
    /// SOAP only: the annotation file beside the changed WSDL, if not the
    /// base's.
    pub annotations: Option<&'static str>,
}

/// `text` with `from` replaced by `to`; `from` must occur.
pub fn replace(text: &str, from: &str, to: &str) -> String {
    assert!(text.contains(from), "the base spec has no {from:?}");
    text.replacen(from, to, 1)
}

type GenerateFn = fn(&SpecInput<'_>) -> Result<Vec<GeneratedFile>, codegen::CodegenError>;
type SurfaceFn = fn(&SpecInput<'_>) -> Result<Surface, codegen::CodegenError>;

/// A generator with its base spec, downstream code and cases.
struct Flavour {
    /// Prefix of its crates' names.
    prefix: &'static str,
    /// The base spec's file name under `tests/semver/`.
    spec: &'static str,
    /// The downstream code's file name under `tests/semver/`.
    user: &'static str,
    /// The name the downstream code uses for the generated crate.
    dep: &'static str,
    /// The runtime crate the generated code calls, and other dependencies.
    deps: fn(&Path) -> String,
    /// Generator.
    generate: GenerateFn,
    /// Its surface.
    surface: SurfaceFn,
    /// The cases.
    cases: &'static [Case],
    /// Code no user can write against the base.
    must_not_compile: &'static [(&'static str, &'static str, &'static str)],
    /// Whether the spec has an annotation file beside it (SOAP).
    annotated: bool,
}

const REST: Flavour = Flavour {
    prefix: "rest",
    spec: "base.yaml",
    user: "user.rs",
    dep: "api",
    deps: |root| {
        format!(
            "marketo-rest = {{ path = {:?} }}\n",
            crate_path(root, "marketo-rest")
        )
    },
    generate: xtask::openapi::generate,
    surface: xtask::openapi::surface,
    cases: rest_cases::CASES,
    must_not_compile: rest_cases::MUST_NOT_COMPILE,
    annotated: false,
};

const SOAP: Flavour = Flavour {
    prefix: "soap",
    spec: "base.wsdl",
    user: "user_soap.rs",
    dep: "soap_api",
    // The generated SOAP code names `yaserde` itself: the workspace's.
    deps: |root| {
        let manifest = read(&root.join("Cargo.toml"));
        let yaserde = manifest
            .lines()
            .find(|l| l.starts_with("yaserde ="))
            .expect("the workspace depends on yaserde");
        format!(
            "marketo-soap = {{ path = {:?} }}\n{yaserde}\n",
            crate_path(root, "marketo-soap")
        )
    },
    generate: xtask::wsdl::generate,
    surface: xtask::wsdl::surface,
    cases: soap_cases::CASES,
    must_not_compile: soap_cases::MUST_NOT_COMPILE,
    annotated: true,
};

fn crate_path(root: &Path, name: &str) -> String {
    root.join("crates").join(name).display().to_string()
}

fn semver_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/semver")
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Writes `text` to `path` unless it already holds exactly that (so that
/// cargo sees unchanged crates as fresh).
fn write(path: &Path, text: &str) {
    if std::fs::read_to_string(path).is_ok_and(|old| old == text) {
        return;
    }
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).unwrap_or_else(|e| panic!("{}: {e}", parent.display()));
    }
    std::fs::write(path, text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
}

fn package(name: &str, deps: &str) -> String {
    format!(
        "[package]\nname = \"{name}\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n[dependencies]\n{deps}"
    )
}

/// What one downstream crate must do.
struct Check {
    /// What it is, for messages (`base.wsdl enum_value_added`).
    label: String,
    /// The generated crate's package.
    api: String,
    /// The downstream crate's package.
    user: String,
    /// `None`: must compile; `Some(code)`: must fail with that error.
    error: Option<&'static str>,
    /// The report's problems with the case, if any.
    report: Option<String>,
}

/// The scratch workspace, filled with crates before one `cargo check`.
struct Scratch {
    root: PathBuf,
    dir: PathBuf,
    members: Vec<String>,
    checks: Vec<Check>,
}

impl Scratch {
    fn new() -> Self {
        let root = codegen::workspace_root();
        // A relative CARGO_TARGET_DIR is taken from the workspace root.
        let target = std::env::var_os("CARGO_TARGET_DIR")
            .map(|dir| root.join(dir))
            .unwrap_or_else(|| root.join("target"));
        let dir = target.join("semver-compile");
        // The workspace's lock file: the same dependency versions.
        write(&dir.join("Cargo.lock"), &read(&root.join("Cargo.lock")));
        Self {
            root,
            dir,
            members: Vec::new(),
            checks: Vec::new(),
        }
    }

    /// A crate of the code generated from `spec`; returns its package name.
    fn generated(&mut self, flavour: &Flavour, name: &str, spec: &Path) -> String {
        let package_name = format!("{}_{name}_api", flavour.prefix);
        let dir = self.dir.join(&package_name);
        write(
            &dir.join("Cargo.toml"),
            &package(&package_name, &(flavour.deps)(&self.root)),
        );
        let input = SpecInput {
            path: spec,
            display: flavour.spec,
            command: "semver_compile",
        };
        let files = (flavour.generate)(&input).unwrap_or_else(|e| panic!("generate: {e}"));
        for file in files {
            // `mod.rs` is the crate root.
            let path = if file.path == "mod.rs" {
                "lib.rs".to_owned()
            } else {
                file.path
            };
            write(&dir.join("src").join(path), &file.contents);
        }
        self.members.push(package_name.clone());
        package_name
    }

    /// A downstream crate of `source` using `api`, with what it must do.
    fn downstream(&mut self, flavour: &Flavour, api: &str, name: &str, source: &str, check: Check) {
        let package_name = format!("{}_{name}_user", flavour.prefix);
        let dir = self.dir.join(&package_name);
        let dep = format!(
            "{} = {{ path = \"../{api}\", package = \"{api}\" }}\n",
            flavour.dep
        );
        write(&dir.join("Cargo.toml"), &package(&package_name, &dep));
        write(&dir.join("src/lib.rs"), source);
        self.members.push(package_name.clone());
        self.checks.push(Check {
            user: package_name,
            api: api.to_owned(),
            ..check
        });
    }

    /// Checks every crate at once; returns, per package, whether it was
    /// checked successfully and its compiler errors (rendered).
    fn check_all(&self) -> BTreeMap<String, (bool, Vec<String>)> {
        let members: Vec<String> = self.members.iter().map(|m| format!("{m:?}")).collect();
        write(
            &self.dir.join("Cargo.toml"),
            &format!(
                "[workspace]\nmembers = [{}]\nresolver = \"2\"\n",
                members.join(", ")
            ),
        );
        let output = Command::new(env!("CARGO"))
            .args([
                "check",
                "--workspace",
                "--keep-going",
                "--message-format=json-diagnostic-short",
            ])
            .current_dir(&self.dir)
            .env("CARGO_TARGET_DIR", self.dir.join("target"))
            .env_remove("RUSTFLAGS")
            .env_remove("CARGO_ENCODED_RUSTFLAGS")
            .env_remove("CARGO_BUILD_RUSTFLAGS")
            .output()
            .expect("run cargo");
        let mut results: BTreeMap<String, (bool, Vec<String>)> = BTreeMap::new();
        for line in String::from_utf8_lossy(&output.stdout).lines() {
            let Ok(msg) = serde_json::from_str::<Value>(line) else {
                continue;
            };
            let Some(target) = msg["target"]["name"].as_str() else {
                continue;
            };
            let entry = results.entry(target.to_owned()).or_default();
            match msg["reason"].as_str() {
                Some("compiler-artifact") => entry.0 = true,
                Some("compiler-message") if msg["message"]["level"] == "error" => {
                    let code = msg["message"]["code"]["code"].as_str().unwrap_or("");
                    let text = msg["message"]["rendered"].as_str().unwrap_or("").trim();
                    entry.1.push(format!("[{code}] {text}"));
                }
                _ => {}
            }
        }
        // The whole run failing for another reason (a manifest, a fetch)
        // leaves the downstream crates unchecked: say why.
        let stderr = String::from_utf8_lossy(&output.stderr);
        let checked = self.checks.iter().any(|c| results.contains_key(&c.user));
        assert!(checked, "cargo checked nothing:\n{stderr}");
        results
    }
}

/// Writes `spec` as `dir/name` (with its annotation file for a WSDL).
fn write_spec(dir: &Path, name: &str, spec: &str, annotations: Option<&str>) -> PathBuf {
    let path = dir.join(name);
    write(&path, spec);
    if let Some(text) = annotations {
        write(&xtask::wsdl::annotations::path_for(&path), text);
    }
    path
}

fn surface(flavour: &Flavour, path: &Path) -> Surface {
    let input = SpecInput {
        path,
        display: flavour.spec,
        command: "semver_compile",
    };
    (flavour.surface)(&input).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// What is wrong with the report for `case`, if anything.
fn report_problem(case: &Case, changes: &[Change]) -> Option<String> {
    let reported = changes.iter().any(|c| c.breaking);
    let lines: Vec<&str> = changes.iter().map(|c| c.what.as_str()).collect();
    (reported != case.breaking || lines != case.changes).then(|| {
        format!(
            "the report says {} with {lines:?}; expected {} with {:?}",
            verdict(reported),
            verdict(case.breaking),
            case.changes
        )
    })
}

fn verdict(breaking: bool) -> &'static str {
    if breaking { "breaking" } else { "ok" }
}

/// Adds `flavour`'s crates to the scratch workspace: the base with the
/// downstream code and the must-not-compile probes, then each case.
fn add(flavour: &Flavour, scratch: &mut Scratch) {
    let base = read(&semver_dir().join(flavour.spec));
    let ext = flavour.spec.rsplit('.').next().unwrap_or("spec");
    let base_annotations = flavour.annotated.then(|| {
        read(&xtask::wsdl::annotations::path_for(
            &semver_dir().join(flavour.spec),
        ))
    });
    let specs = scratch.dir.join("specs").join(flavour.prefix);
    let base_path = write_spec(&specs, flavour.spec, &base, base_annotations.as_deref());
    let base_surface = surface(flavour, &base_path);
    let user = read(&semver_dir().join(flavour.user));
    let check = |label: String, error, report| Check {
        label,
        api: String::new(),
        user: String::new(),
        error,
        report,
    };

    let api = scratch.generated(flavour, "base", &base_path);
    let label = format!("{} with {}", flavour.spec, flavour.user);
    scratch.downstream(flavour, &api, "base", &user, check(label, None, None));
    for (i, (what, source, code)) in flavour.must_not_compile.iter().enumerate() {
        let label = format!("{}: {what}", flavour.spec);
        let name = format!("probe{i}");
        scratch.downstream(flavour, &api, &name, source, check(label, Some(code), None));
    }
    for case in flavour.cases {
        assert_eq!(
            case.breaking,
            case.error.is_some(),
            "{}: a breaking case names the compiler error it expects, another none",
            case.name
        );
        let changed = (case.edit)(&base);
        let annotations = case.annotations.or(base_annotations.as_deref());
        let path = write_spec(
            &specs,
            &format!("{}.{ext}", case.name),
            &changed,
            annotations,
        );
        let changes = report::diff(&base_surface, &surface(flavour, &path));
        let api = scratch.generated(flavour, case.name, &path);
        let label = format!("{} {}", flavour.spec, case.name);
        let problem = report_problem(case, &changes);
        scratch.downstream(
            flavour,
            &api,
            case.name,
            &user,
            check(label, case.error, problem),
        );
    }
}

#[test]
fn the_report_says_breaking_exactly_when_downstream_code_stops_compiling() {
    let started = Instant::now();
    let mut scratch = Scratch::new();
    add(&REST, &mut scratch);
    add(&SOAP, &mut scratch);
    let results = scratch.check_all();
    eprintln!(
        "{} crates checked in {:?}",
        scratch.members.len(),
        started.elapsed()
    );

    let mut wrong = Vec::new();
    for check in &scratch.checks {
        let outcome = |package: &str| results.get(package).cloned().unwrap_or_default();
        let (api_ok, api_errors) = outcome(&check.api);
        let (user_ok, user_errors) = outcome(&check.user);
        let mut problems: Vec<String> = check.report.iter().cloned().collect();
        if !api_ok {
            problems.push(format!(
                "the generated crate does not build:\n{}",
                api_errors.join("\n")
            ));
        } else {
            match (check.error, user_ok) {
                (None, true) => {}
                (None, false) => problems.push(format!(
                    "the downstream crate does not compile:\n{}",
                    user_errors.join("\n")
                )),
                (Some(code), _)
                    if user_errors
                        .iter()
                        .any(|e| e.starts_with(&format!("[{code}]"))) => {}
                (Some(code), true) => {
                    problems.push(format!("the downstream crate compiles; expected {code}"))
                }
                (Some(code), false) => problems.push(format!(
                    "the downstream crate fails, but not with {code}:\n{}",
                    user_errors.join("\n")
                )),
            }
        }
        let outcome = if user_ok { "compiles" } else { "fails" };
        eprintln!("{}: downstream {outcome}", check.label);
        if !problems.is_empty() {
            wrong.push(format!("{}: {}", check.label, problems.join("\n")));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n\n"));
}
