//! Generator fixtures: each folder under `tests/soap/` holds an
//! `input.wsdl` and the `expected/` output. `UPDATE_EXPECT=1` rewrites the
//! expectations. (The workspace test crate compiles every `expected/` and
//! round-trips each case's `example.xml`.)

use std::path::{Path, PathBuf};

use xtask::codegen::{GeneratedFile, Mode, SpecInput, files};

fn cases() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/soap");
    let mut cases: Vec<PathBuf> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("input.wsdl").is_file())
        .collect();
    cases.sort();
    cases
}

fn generate(case: &Path) -> Vec<GeneratedFile> {
    let name = case.file_name().unwrap().to_string_lossy().into_owned();
    let display = format!("xtask/tests/soap/{name}/input.wsdl");
    let command =
        format!("cargo xtask codegen soap --wsdl {display} --out xtask/tests/soap/{name}/expected");
    let input = SpecInput {
        path: &case.join("input.wsdl"),
        display: &display,
        command: &command,
    };
    xtask::wsdl::generate(&input).unwrap_or_else(|e| panic!("{name}: {e}"))
}

#[test]
fn every_case_generates_its_expected_output() {
    let update = std::env::var_os("UPDATE_EXPECT").is_some();
    let cases = cases();
    assert!(cases.len() >= 7, "fixture cases missing: {cases:?}");
    let mut stale = Vec::new();
    for case in cases {
        let files = generate(&case);
        let mode = if update { Mode::Write } else { Mode::Check };
        let report = files::sync(&case.join("expected"), &files, mode).unwrap();
        stale.extend(report.stale);
    }
    assert!(
        stale.is_empty(),
        "generated output differs from expected/ (run with UPDATE_EXPECT=1 to accept):\n{}",
        stale.join("\n")
    );
}

#[test]
fn generating_twice_gives_identical_bytes() {
    for case in cases() {
        assert_eq!(generate(&case), generate(&case), "{}", case.display());
    }
}

#[test]
fn the_marketo_wsdl_yields_all_operations_and_a_surface() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let input = SpecInput {
        path: &root.join("specs/marketo-soap.wsdl"),
        display: "specs/marketo-soap.wsdl",
        command: "cargo xtask codegen",
    };
    let surface = xtask::wsdl::surface(&input).unwrap();
    assert_eq!(surface.operations.len(), 23);
    let op = &surface.operations["schedule_campaign"];
    assert_eq!(op.spec_name, "scheduleCampaign");
    assert_eq!(op.inputs["params"].ty, "ParamsScheduleCampaign");
    // `successScheduleCampaign { result }`: the method returns the result.
    assert_eq!(op.output, "ResultScheduleCampaign");
    let xtask::codegen::surface::ShapeKind::Struct { fields } =
        &surface.types["ParamsScheduleCampaign"].kind
    else {
        panic!("not a struct")
    };
    let names: Vec<&str> = fields.keys().map(String::as_str).collect();
    assert_eq!(
        names,
        [
            "campaign_name",
            "campaign_run_at",
            "clone_to_program_name",
            "program_name",
            "program_token_list"
        ]
    );
    assert_eq!(fields["campaign_run_at"].ty, "DateTime");
    // `ArrayOfAttrib` reads as a `Vec` in the Rust API.
    assert_eq!(fields["program_token_list"].ty, "Vec<Attrib>");
    assert!(!fields["campaign_run_at"].required);
    assert!(fields["program_name"].required);
    let attrib = &surface.types["Attrib"];
    assert!(attrib.usage.input && attrib.usage.output);
    let selector = &surface.types["LeadSelector"];
    assert!(selector.usage.input && !selector.usage.output);
    let xtask::codegen::surface::ShapeKind::Enum { values } = &surface.types["LeadKeyRef"].kind
    else {
        panic!("not an enum")
    };
    assert!(values.contains("IDNUM"));
    // Keywords get a trailing `_`, never `r#`.
    let xtask::codegen::surface::ShapeKind::Struct { fields } = &surface.types["Tag"].kind else {
        panic!("not a struct")
    };
    assert!(fields.contains_key("type_"), "{fields:?}");
}

fn marketo_input(root: &Path) -> SpecInput<'_> {
    SpecInput {
        path: root,
        display: "specs/marketo-soap.wsdl",
        command: "cargo xtask codegen",
    }
}

#[test]
fn idempotency_comes_from_the_annotation_file() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs/marketo-soap.wsdl");
    let model = xtask::wsdl::load(&marketo_input(&path)).unwrap();
    let idempotent = |name: &str| {
        model
            .operations
            .iter()
            .find(|o| o.name == name)
            .unwrap_or_else(|| panic!("no operation {name}"))
            .idempotent
    };
    for read in [
        "getLead",
        "getMultipleLeads",
        "getLeadActivity",
        "describeMObject",
        "getTags",
    ] {
        assert!(idempotent(read), "{read} is a pure read");
    }
    for write in [
        "listOperation",
        "syncLead",
        "syncMultipleLeads",
        "requestCampaign",
        "scheduleCampaign",
        "importToList",
        "mergeLeads",
        "deleteMObjects",
        "deleteCustomObjects",
    ] {
        assert!(!idempotent(write), "{write} writes");
    }
    // Every operation is annotated explicitly (none falls back silently).
    let text =
        std::fs::read_to_string(path.with_file_name("marketo-soap.annotations.yaml")).unwrap();
    for op in &model.operations {
        assert!(
            text.contains(&format!("  {}:\n", op.name)),
            "{} not annotated",
            op.name
        );
    }
}

#[test]
fn without_an_annotation_an_operation_is_not_idempotent() {
    let wsdl = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/soap/enums/input.wsdl");
    let model = xtask::wsdl::load(&marketo_input(&wsdl)).unwrap();
    assert!(model.operations.iter().all(|o| !o.idempotent));
    let wsdl = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/soap/header_parts/input.wsdl");
    let model = xtask::wsdl::load(&marketo_input(&wsdl)).unwrap();
    assert!(model.operations.iter().all(|o| o.idempotent));
}

#[test]
fn an_annotation_for_an_unknown_operation_is_a_located_error() {
    let wsdl = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/soap/enums/input.wsdl");
    let text = std::fs::read_to_string(&wsdl).unwrap();
    let annotations = xtask::wsdl::annotations::Annotations::from_str(
        "input.annotations.yaml",
        "operations:\n  setColour:\n    idempotent: true\n  setColor:\n    idempotent: true\n",
    )
    .unwrap();
    let err = xtask::wsdl::model_with_annotations("input.wsdl", &text, &annotations).unwrap_err();
    assert_eq!(
        err.to_string(),
        "input.annotations.yaml:4:3: annotation for unknown operation `setColor`; expected one of the WSDL's operations: setColour"
    );
}

/// Types no operation uses are generated like the others (a WSDL's types
/// are part of its interface; `docs/soap-codegen.md`), with no usage.
#[test]
fn types_no_operation_uses_are_generated() {
    let wsdl = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/soap/unused_types/input.wsdl");
    let input = SpecInput {
        path: &wsdl,
        display: "input.wsdl",
        command: "cargo xtask codegen",
    };
    let surface = xtask::wsdl::surface(&input).unwrap();
    assert_eq!(surface.operations.len(), 1);
    for unused in [
        "ArchiveNotice",
        "Note",
        "Shape",
        "Circle",
        "Reason",
        "Drawing",
    ] {
        let shape = surface
            .types
            .get(unused)
            .unwrap_or_else(|| panic!("{unused} not generated: {:?}", surface.types.keys()));
        assert!(
            !shape.usage.input && !shape.usage.output,
            "{unused} is used by no operation"
        );
    }
    assert!(surface.types["UpdateContact"].usage.input);
    let files = generate(wsdl.parent().unwrap());
    let structs = files
        .iter()
        .find(|f| f.path.ends_with("types/structs.rs"))
        .expect("types/structs.rs");
    assert!(structs.contents.contains("pub struct Circle"));
    assert!(structs.contents.contains("pub enum Shape"));
}
