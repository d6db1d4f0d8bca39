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
//! directory and the workspace's `Cargo.lock` (cargo fetches what its cache
//! lacks, e.g. after `cargo test -p xtask` on a fresh clone), so
//! `marketo-rest`, `marketo-soap` and their dependencies are checked once
//! and later runs only check two small crates per case. `docs/codegen.md`
//! lists the cases next to the rules they prove.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

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

/// A generator with its base spec, downstream code and cases.
struct Flavour {
    /// The base spec's file name under `tests/semver/`.
    spec: &'static str,
    /// The downstream code's file name under `tests/semver/`.
    user: &'static str,
    /// The generated crate's package (a member of the scratch workspace).
    api: &'static str,
    /// The downstream crate's package.
    user_pkg: &'static str,
    /// Generator.
    generate: fn(&SpecInput<'_>) -> Result<Vec<GeneratedFile>, codegen::CodegenError>,
    /// Its surface.
    surface: fn(&SpecInput<'_>) -> Result<Surface, codegen::CodegenError>,
    /// The cases.
    cases: &'static [Case],
    /// Code no user can write against the base.
    must_not_compile: &'static [(&'static str, &'static str, &'static str)],
    /// Whether the spec has an annotation file beside it (SOAP).
    annotated: bool,
}

const REST: Flavour = Flavour {
    spec: "base.yaml",
    user: "user.rs",
    api: "api",
    user_pkg: "user",
    generate: xtask::openapi::generate,
    surface: xtask::openapi::surface,
    cases: rest_cases::CASES,
    must_not_compile: rest_cases::MUST_NOT_COMPILE,
    annotated: false,
};

const SOAP: Flavour = Flavour {
    spec: "base.wsdl",
    user: "user_soap.rs",
    api: "soap-api",
    user_pkg: "soap-user",
    generate: xtask::wsdl::generate,
    surface: xtask::wsdl::surface,
    cases: soap_cases::CASES,
    must_not_compile: soap_cases::MUST_NOT_COMPILE,
    annotated: true,
};

fn semver_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/semver")
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn write(path: &Path, text: &str) {
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

/// The scratch workspace: for each generator a generated crate and a
/// downstream crate, with their own target directory.
struct Scratch {
    dir: PathBuf,
}

impl Scratch {
    fn new() -> Self {
        let root = codegen::workspace_root();
        // A relative CARGO_TARGET_DIR is taken from the workspace root.
        let target = std::env::var_os("CARGO_TARGET_DIR")
            .map(|dir| root.join(dir))
            .unwrap_or_else(|| root.join("target"));
        let dir = target.join("semver-compile");
        let path = |krate: &str| {
            format!(
                "{:?}",
                root.join("crates").join(krate).display().to_string()
            )
        };
        // The generated SOAP code names `yaserde` itself: the workspace's.
        let manifest = read(&root.join("Cargo.toml"));
        let yaserde = manifest
            .lines()
            .find(|l| l.starts_with("yaserde ="))
            .expect("the workspace depends on yaserde");
        let files = [
            (
                "Cargo.toml",
                "[workspace]\nmembers = [\"api\", \"user\", \"soap-api\", \"soap-user\"]\nresolver = \"2\"\n".to_owned(),
            ),
            ("api/Cargo.toml", package("api", &format!("marketo-rest = {{ path = {} }}\n", path("marketo-rest")))),
            ("user/Cargo.toml", package("user", "api = { path = \"../api\" }\n")),
            (
                "soap-api/Cargo.toml",
                package("soap-api", &format!("marketo-soap = {{ path = {} }}\n{yaserde}\n", path("marketo-soap"))),
            ),
            ("soap-user/Cargo.toml", package("soap-user", "soap-api = { path = \"../soap-api\" }\n")),
        ];
        for (path, text) in files {
            write(&dir.join(path), &text);
        }
        // Every member needs a target before the first check of any.
        for member in ["api", "user", "soap-api", "soap-user"] {
            let lib = dir.join(member).join("src/lib.rs");
            if !lib.is_file() {
                write(&lib, "");
            }
        }
        // The workspace's lock file: the same dependency versions, offline.
        write(&dir.join("Cargo.lock"), &read(&root.join("Cargo.lock")));
        Self { dir }
    }

    /// Replaces the sources of `flavour`'s generated crate with the code
    /// generated from `spec` (`mod.rs` becomes `lib.rs`).
    fn generate(&self, flavour: &Flavour, spec: &Path) {
        let src = self.dir.join(flavour.api).join("src");
        let _ = std::fs::remove_dir_all(&src);
        let input = SpecInput {
            path: spec,
            display: flavour.spec,
            command: "semver_compile",
        };
        let files = (flavour.generate)(&input).unwrap_or_else(|e| panic!("generate: {e}"));
        for file in files {
            let path = if file.path == "mod.rs" {
                "lib.rs".to_owned()
            } else {
                file.path
            };
            write(&src.join(path), &file.contents);
        }
    }

    /// Sets the source of `flavour`'s downstream crate.
    fn user(&self, flavour: &Flavour, source: &str) {
        write(&self.dir.join(flavour.user_pkg).join("src/lib.rs"), source);
    }

    /// `cargo check` of `flavour`'s downstream crate: `Ok` or the
    /// compiler's messages. The generated crate itself must build.
    fn check(&self, flavour: &Flavour) -> Result<(), String> {
        let output = Command::new(env!("CARGO"))
            .args(["check", "--quiet", "--message-format=short"])
            .args(["-p", flavour.user_pkg])
            .current_dir(&self.dir)
            .env("CARGO_TARGET_DIR", self.dir.join("target"))
            .env_remove("RUSTFLAGS")
            .env_remove("CARGO_ENCODED_RUSTFLAGS")
            .env_remove("CARGO_BUILD_RUSTFLAGS")
            .output()
            .expect("run cargo");
        let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
        assert!(
            !stderr.contains(&format!("could not compile `{}`", flavour.api)),
            "the generated crate itself does not build:\n{stderr}"
        );
        if output.status.success() {
            Ok(())
        } else {
            assert!(
                stderr.contains(&format!("could not compile `{}`", flavour.user_pkg)),
                "cargo failed before compiling the downstream crate:\n{stderr}"
            );
            Err(stderr)
        }
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

/// Runs every case of `flavour`; returns what went wrong, one entry per
/// case.
fn run(flavour: &Flavour, scratch: &Scratch, started: Instant) -> Vec<String> {
    let base = read(&semver_dir().join(flavour.spec));
    let ext = flavour.spec.rsplit('.').next().unwrap_or("spec");
    let base_annotations = flavour.annotated.then(|| {
        read(&xtask::wsdl::annotations::path_for(
            &semver_dir().join(flavour.spec),
        ))
    });
    let specs = scratch.dir.join("specs").join(flavour.api);
    let base_path = write_spec(&specs, flavour.spec, &base, base_annotations.as_deref());
    let base_surface = surface(flavour, &base_path);
    scratch.generate(flavour, &base_path);
    for (what, source, code) in flavour.must_not_compile {
        scratch.user(flavour, source);
        let err = scratch
            .check(flavour)
            .err()
            .unwrap_or_else(|| panic!("{}: {what} compiles against the base API", flavour.spec));
        assert!(err.contains(code), "{what}: expected {code}:\n{err}");
    }
    scratch.user(flavour, &read(&semver_dir().join(flavour.user)));
    if let Err(err) = scratch.check(flavour) {
        panic!(
            "{} does not compile against the base API:\n{err}",
            flavour.user
        );
    }
    eprintln!("{}: base checked ({:?})", flavour.spec, started.elapsed());

    let mut wrong = Vec::new();
    for case in flavour.cases {
        let changed = (case.edit)(&base);
        let annotations = case.annotations.or(base_annotations.as_deref());
        let path = write_spec(
            &specs,
            &format!("{}.{ext}", case.name),
            &changed,
            annotations,
        );
        let changes: Vec<Change> = report::diff(&base_surface, &surface(flavour, &path));
        let reported = changes.iter().any(|c| c.breaking);
        let listed = changes
            .iter()
            .map(|c| c.what.as_str())
            .eq(case.changes.iter().copied());
        scratch.generate(flavour, &path);
        let compiled = scratch.check(flavour);
        let error_ok = match (&compiled, case.error) {
            (Err(err), Some(code)) => err.contains(code),
            (Ok(()), None) => true,
            _ => false,
        };
        let verdict = |breaking: bool| if breaking { "breaking" } else { "ok" };
        eprintln!(
            "{} {}: report {}, downstream {} ({:?})",
            flavour.spec,
            case.name,
            verdict(reported),
            if compiled.is_ok() {
                "compiles"
            } else {
                "fails"
            },
            started.elapsed()
        );
        if reported != case.breaking || !listed || compiled.is_ok() == case.breaking || !error_ok {
            wrong.push(format!(
                "{} {}: expected {}, report says {} with {:?}; downstream {}",
                flavour.spec,
                case.name,
                verdict(case.breaking),
                verdict(reported),
                changes.iter().map(|c| &c.what).collect::<Vec<_>>(),
                match &compiled {
                    Ok(()) => "compiles".to_owned(),
                    Err(err) => format!("fails (expected error {:?}):\n{err}", case.error),
                }
            ));
        }
    }
    wrong
}

#[test]
fn the_report_says_breaking_exactly_when_downstream_code_stops_compiling() {
    let started = Instant::now();
    let scratch = Scratch::new();
    let mut wrong = run(&REST, &scratch, started);
    wrong.extend(run(&SOAP, &scratch, started));
    eprintln!("all cases in {:?}", started.elapsed());
    assert!(wrong.is_empty(), "{}", wrong.join("\n\n"));
}
