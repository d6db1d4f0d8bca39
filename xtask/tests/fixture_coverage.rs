//! Every generator fixture is compiled by some test.
//!
//! `rest_fixtures.rs` and `soap_fixtures.rs` in this directory only compare
//! the generator's output with `expected/`; whether that output compiles is
//! checked by the workspace test crate (`tests/tests/*.rs`), which includes
//! each case's `expected/mod.rs` as a module:
//!
//! ```text
//! #[path = "../../xtask/tests/rest/enums/expected/mod.rs"]
//! mod enums;
//! ```
//!
//! A case folder that no such declaration names would never be compiled, so
//! expected output that does not build could be committed unnoticed. This
//! test lists every folder under `xtask/tests/rest/` and `xtask/tests/soap/`
//! and fails naming each one that is not a complete case (spec and
//! `expected/mod.rs`) or that no test file of `tests/tests/` declares as a
//! module (commented-out or `#[cfg]`-gated declarations do not count).

use std::collections::BTreeSet;
use std::path::{Component, Path, PathBuf};

/// The fixture kinds: folder under `xtask/tests/` and each case's spec file.
const KINDS: [(&str, &str); 2] = [("rest", "openapi.yaml"), ("soap", "input.wsdl")];

/// The workspace root.
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives in the workspace")
        .to_path_buf()
}

/// `path` with `.` and `..` resolved lexically.
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

/// The files that `source` (at `file`) includes with `#[path = "…"]` on a
/// `mod` declaration that is not gated by `#[cfg]`, resolved to absolute
/// paths.
fn included_modules(file: &Path, source: &str) -> Vec<PathBuf> {
    let dir = file.parent().unwrap_or(Path::new("."));
    let mut found = Vec::new();
    let mut attrs: Vec<&str> = Vec::new();
    for line in source.lines().map(str::trim) {
        if line.starts_with("#[") {
            attrs.push(line);
            continue;
        }
        let is_mod = line
            .strip_prefix("pub ")
            .unwrap_or(line)
            .strip_prefix("mod ")
            .is_some_and(|rest| rest.ends_with(';'));
        if is_mod && !attrs.iter().any(|a| a.starts_with("#[cfg")) {
            for attr in &attrs {
                let path = attr
                    .strip_prefix("#[path = \"")
                    .and_then(|rest| rest.strip_suffix("\"]"));
                if let Some(path) = path {
                    found.push(normalize(&dir.join(path)));
                }
            }
        }
        attrs.clear();
    }
    found
}

/// Every problem with the fixtures under `fixtures` (`xtask/tests`) given
/// the modules the test sources include: one line per folder.
fn problems(fixtures: &Path, included: &BTreeSet<PathBuf>) -> Vec<String> {
    let mut out = Vec::new();
    for (kind, spec) in KINDS {
        let dir = fixtures.join(kind);
        let mut cases: Vec<PathBuf> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.is_dir())
            .collect();
        cases.sort();
        for case in cases {
            let name = format!("xtask/tests/{kind}/{}", case.file_name().unwrap().display());
            let module = normalize(&case.join("expected/mod.rs"));
            if !case.join(spec).is_file() {
                out.push(format!(
                    "{name}: no {spec}, so the fixture test skips the folder"
                ));
            } else if !module.is_file() {
                out.push(format!("{name}: no expected/mod.rs"));
            } else if !included.contains(&module) {
                out.push(format!(
                    "{name}: no test compiles it; add `#[path = \"../../{name}/expected/mod.rs\"] mod …;` to tests/tests/{kind}_fixtures.rs"
                ));
            }
        }
    }
    out
}

/// The modules every test file of the workspace test crate includes.
fn included_by_workspace_tests() -> BTreeSet<PathBuf> {
    let tests = root().join("tests");
    let manifest = std::fs::read_to_string(tests.join("Cargo.toml")).expect("tests/Cargo.toml");
    assert!(
        !manifest.contains("autotests = false"),
        "tests/Cargo.toml turns off test discovery; this check assumes every tests/tests/*.rs is a test"
    );
    let dir = tests.join("tests");
    let mut included = BTreeSet::new();
    for entry in std::fs::read_dir(&dir).expect("tests/tests") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|e| e == "rs") {
            let source = std::fs::read_to_string(&path).expect("read test source");
            included.extend(included_modules(&normalize(&path), &source));
        }
    }
    included
}

#[test]
fn every_fixture_folder_is_compiled_by_a_test() {
    let problems = problems(
        &normalize(&root().join("xtask/tests")),
        &included_by_workspace_tests(),
    );
    assert!(
        problems.is_empty(),
        "fixture folders that no test compiles:\n{}",
        problems.join("\n")
    );
}

#[test]
fn the_check_names_a_folder_whose_declaration_is_missing_gated_or_commented() {
    let fixtures = normalize(&root().join("xtask/tests"));
    let file = root().join("tests/tests/rest_fixtures.rs");
    let source = std::fs::read_to_string(&file).expect("rest_fixtures.rs");
    let all: BTreeSet<PathBuf> = included_by_workspace_tests();
    let enums = normalize(&fixtures.join("rest/enums/expected/mod.rs"));
    assert!(all.contains(&enums), "the enums case is included today");
    // Whatever else is wrong today is not this check's subject.
    let before = problems(&fixtures, &all);

    for (what, edited) in [
        ("removed", source.replace("mod enums;", "")),
        (
            "gated",
            source.replace("mod enums;", "#[cfg(any())]\nmod enums;"),
        ),
        (
            "commented",
            source.replace(
                "#[path = \"../../xtask/tests/rest/enums/expected/mod.rs\"]",
                "// #[path = \"../../xtask/tests/rest/enums/expected/mod.rs\"]",
            ),
        ),
    ] {
        assert_ne!(edited, source, "the {what} edit applies");
        let mut included: BTreeSet<PathBuf> = all
            .iter()
            .filter(|p| !p.starts_with(fixtures.join("rest")))
            .cloned()
            .collect();
        included.extend(included_modules(&normalize(&file), &edited));
        let problems: Vec<String> = problems(&fixtures, &included)
            .into_iter()
            .filter(|p| !before.contains(p))
            .collect();
        assert_eq!(
            problems.len(),
            1,
            "{what}: {problems:?} (only the enums case is affected)"
        );
        assert!(
            problems[0].starts_with("xtask/tests/rest/enums: no test compiles it"),
            "{what}: {problems:?}"
        );
    }
}
