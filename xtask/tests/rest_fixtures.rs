//! Every case under `tests/rest/<case>/` (one construct each): the
//! generator's output for `openapi.yaml` must equal `expected/`.
//! `UPDATE_EXPECT=1 cargo test -p xtask --test rest_fixtures` rewrites it.
//! The workspace test crate (`tests/tests/rest_fixtures.rs`) compiles every
//! `expected/` and round-trips each case's `example.json`.

use std::path::{Path, PathBuf};

use xtask::codegen::files::{self, Mode};
use xtask::codegen::{self, GeneratedFile, SpecInput};

fn cases() -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/rest");
    let mut cases: Vec<String> = std::fs::read_dir(&dir)
        .expect("tests/rest exists")
        .filter_map(|e| e.ok())
        .filter(|e| e.path().join("openapi.yaml").is_file())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    cases.sort();
    cases
}

fn generate(case: &str) -> (PathBuf, Vec<GeneratedFile>) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let spec = root.join("tests/rest").join(case).join("openapi.yaml");
    let display = format!("xtask/tests/rest/{case}/openapi.yaml");
    let command =
        format!("cargo xtask codegen rest --spec {display} --out xtask/tests/rest/{case}/expected");
    let input = SpecInput {
        path: &spec,
        display: &display,
        command: &command,
    };
    let files = xtask::openapi::generate(&input)
        .unwrap_or_else(|e| panic!("case {case} does not generate: {e}"));
    (root.join("tests/rest").join(case).join("expected"), files)
}

#[test]
fn every_case_matches_its_expected_output() {
    let cases = cases();
    assert!(cases.len() >= 10, "cases: {cases:?}");
    let update = std::env::var_os("UPDATE_EXPECT").is_some();
    let mut stale = Vec::new();
    for case in &cases {
        let (dir, generated) = generate(case);
        let mode = if update { Mode::Write } else { Mode::Check };
        let report = files::sync(&dir, &generated, mode).expect("sync");
        stale.extend(report.stale);
        assert!(
            dir.join("../example.json").is_file(),
            "case {case} has no example.json"
        );
    }
    assert!(
        stale.is_empty(),
        "expected output differs (rerun with UPDATE_EXPECT=1 and review the diff):\n{}",
        stale.join("\n")
    );
}

#[test]
fn generating_twice_gives_the_same_bytes() {
    for case in cases() {
        let (_, first) = generate(&case);
        let (_, second) = generate(&case);
        assert_eq!(first, second, "case {case}");
    }
}

#[test]
fn the_identity_endpoint_is_not_a_client_method() {
    let root = codegen::workspace_root();
    let spec = root.join("specs/marketo-rest.yaml");
    let input = SpecInput {
        path: &spec,
        display: "specs/marketo-rest.yaml",
        command: "c",
    };
    let surface = xtask::openapi::surface(&input).expect("surface");
    assert!(!surface.operations.contains_key("get_identity_token"));
    assert!(surface.operations.contains_key("get_program_by_id"));
    assert!(surface.operations.contains_key("browse_programs_stream"));
    let op = &surface.operations["get_program_by_id"];
    assert_eq!(op.spec_name, "getProgramById");
    assert_eq!(op.output, "Response<Program>");
    assert_eq!(op.inputs["id"].ty, "i32");
    let program = &surface.types["Program"];
    assert!(program.usage.output && !program.usage.input);
    assert!(surface.types["CreateProgramRequest"].usage.input);
    assert!(surface.types["FolderType"].usage.input && surface.types["FolderType"].usage.output);
}

#[test]
fn idempotency_comes_from_the_method_unless_the_spec_says_otherwise() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let spec = root.join("tests/rest/api_shape/openapi.yaml");
    let input = SpecInput {
        path: &spec,
        display: "api_shape",
        command: "c",
    };
    let api = xtask::openapi::model(&input).expect("model");
    let ops: Vec<(&str, bool, bool)> = api
        .modules
        .iter()
        .flat_map(|m| &m.operations)
        .map(|op| (op.id.as_str(), op.idempotent, op.single))
        .collect();
    assert_eq!(
        ops,
        [
            ("getGadgetById", true, true),
            ("runGadget", false, false),
            ("findGadgets", true, false),
            ("takeNextGadget", false, false),
        ]
    );
    // The Marketo spec: by-id lookups are single, the marked POSTs idempotent.
    let spec = codegen::workspace_root().join("specs/marketo-rest.yaml");
    let input = SpecInput {
        path: &spec,
        display: "specs/marketo-rest.yaml",
        command: "c",
    };
    let api = xtask::openapi::model(&input).expect("model");
    let find = |id: &str| {
        api.modules
            .iter()
            .flat_map(|m| &m.operations)
            .find(|op| op.id == id)
            .unwrap_or_else(|| panic!("{id}"))
    };
    for id in [
        "getProgramById",
        "getFolderById",
        "getSmartCampaignById",
        "getLeadById",
    ] {
        assert!(find(id).single, "{id}");
    }
    assert!(find("updateProgram").idempotent && find("addLeadsToList").idempotent);
    assert!(!find("syncLeads").idempotent && !find("scheduleCampaign").idempotent);
    assert!(find("removeLeadsFromList").idempotent && find("browsePrograms").idempotent);
}
