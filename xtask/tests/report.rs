//! The API-change report end to end: a throw-away git repository holds a
//! committed spec and generated directory; the spec is then edited in the
//! working tree and the report must name each change and mark it.
//!
//! The test changes the process's working directory, so it is the only test
//! of its binary, and runs its REST and SOAP scenarios one after the other.

use std::path::Path;
use std::process::Command;

use xtask::codegen::{self, Kind};
use xtask::report;

fn git(dir: &Path, args: &[&str]) {
    let status = Command::new("git")
        .args([
            "-c",
            "user.name=report-test",
            "-c",
            "user.email=report@test.invalid",
        ])
        .args(args)
        .current_dir(dir)
        .status()
        .expect("run git");
    assert!(status.success(), "git {args:?} failed");
}

#[test]
fn the_report_names_and_marks_each_change_against_the_last_regenerated_commit() {
    rest_scenario();
    soap_scenario_reads_the_annotations_of_both_sides();
}

fn rest_scenario() {
    let spec = std::fs::read_to_string(codegen::workspace_root().join("specs/marketo-rest.yaml"))
        .expect("read the REST spec");
    let dir = std::env::temp_dir().join(format!("xtask-report-test-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("specs")).unwrap();
    std::fs::create_dir_all(dir.join("out")).unwrap();
    std::fs::write(dir.join("specs/api.yaml"), &spec).unwrap();
    std::fs::write(dir.join("out/mod.rs"), "// generated\n").unwrap();
    git(&dir, &["init", "-q"]);
    git(&dir, &["add", "."]);
    git(&dir, &["commit", "-q", "-m", "generated"]);

    // A later commit edits the spec without regenerating: the baseline is
    // still the commit that last touched out/.
    let renamed = spec.replace("operationId: deleteProgram", "operationId: removeProgram");
    std::fs::write(dir.join("specs/api.yaml"), &renamed).unwrap();
    git(&dir, &["commit", "-q", "-am", "spec only"]);

    // And the working tree adds an enum value and a required request field,
    // and drops an idempotency override.
    let edit = |text: String, from: &str, to: &str| {
        assert!(text.contains(from), "the spec has no {from:?}");
        text.replace(from, to)
    };
    let edited = edit(
        renamed.clone(),
        "      operationId: updateProgram\n      x-marketo-idempotent: true\n",
        "      operationId: updateProgram\n",
    );
    let edited = edit(
        edited,
        "        - unlocked\n",
        "        - unlocked\n        - archived\n",
    );
    let edited = edit(
        edited,
        "      required:\n        - name\n        - folder\n      properties:\n        name:\n          type: string\n          maxLength: 255\n          description: Name of the copy",
        "      required:\n        - name\n        - folder\n        - reason\n      properties:\n        reason:\n          type: string\n          description: Why.\n        name:\n          type: string\n          maxLength: 255\n          description: Name of the copy",
    );
    std::fs::write(dir.join("specs/api.yaml"), &edited).unwrap();

    std::env::set_current_dir(&dir).unwrap();
    let job = codegen::job(
        Kind::Rest,
        "specs/api.yaml".into(),
        "out".into(),
        "test".into(),
    )
    .unwrap();
    let report = report::build(&[job]).expect("report");
    let text = report.to_string();
    let markdown = report.to_markdown();
    std::env::set_current_dir(std::env::temp_dir()).unwrap();
    let _ = std::fs::remove_dir_all(&dir);

    let changes = report.jobs[0].changes.as_ref().expect("changes");
    let find = |needle: &str| {
        changes
            .iter()
            .find(|c| c.what.contains(needle))
            .unwrap_or_else(|| panic!("no change mentioning {needle:?} in:\n{text}"))
    };
    assert!(find("operation `delete_program` (`deleteProgram`) removed").breaking);
    // Added operations carry their idempotency (POST: not idempotent).
    assert!(!find("operation `remove_program` (`removeProgram`) added, not idempotent").breaking);
    assert!(!find("value `archived` added").breaking);
    // A change of idempotency is shown, not breaking.
    assert!(!find("operation `update_program`: idempotent → not idempotent").breaking);
    let reason = find("`reason: String` added (required)");
    assert!(reason.breaking, "{text}");
    assert!(report.has_breaking());
    assert!(markdown.contains("| **breaking** |"), "{markdown}");
    assert!(text.contains("against specs/api.yaml at "), "{text}");
}

/// The SOAP generator also reads `<stem>.annotations.yaml` beside the WSDL:
/// the baseline's surface must come from the annotations committed with it,
/// so that only a real change of idempotency is reported.
fn soap_scenario_reads_the_annotations_of_both_sides() {
    let root = codegen::workspace_root();
    let wsdl = std::fs::read_to_string(root.join("specs/marketo-soap.wsdl")).expect("WSDL");
    let notes = std::fs::read_to_string(root.join("specs/marketo-soap.annotations.yaml"))
        .expect("annotations");
    let dir = std::env::temp_dir().join(format!("xtask-report-soap-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("specs")).unwrap();
    std::fs::create_dir_all(dir.join("out")).unwrap();
    std::fs::write(dir.join("specs/api.wsdl"), &wsdl).unwrap();
    std::fs::write(dir.join("specs/api.annotations.yaml"), &notes).unwrap();
    std::fs::write(dir.join("out/mod.rs"), "// generated\n").unwrap();
    git(&dir, &["init", "-q"]);
    git(&dir, &["add", "."]);
    git(&dir, &["commit", "-q", "-m", "generated"]);

    let from = "  getLead:\n    idempotent: true";
    assert!(
        notes.contains(from),
        "the annotations mark getLead idempotent"
    );
    let edited = notes.replace(from, "  getLead:\n    idempotent: false");
    std::fs::write(dir.join("specs/api.annotations.yaml"), edited).unwrap();

    std::env::set_current_dir(&dir).unwrap();
    let job = codegen::job(
        Kind::Soap,
        "specs/api.wsdl".into(),
        "out".into(),
        "test".into(),
    )
    .unwrap();
    let report = report::build(&[job]).expect("report");
    let text = report.to_string();
    std::env::set_current_dir(std::env::temp_dir()).unwrap();
    let _ = std::fs::remove_dir_all(&dir);

    let changes = report.jobs[0].changes.as_ref().expect("changes");
    let lines: Vec<(bool, &str)> = changes
        .iter()
        .map(|c| (c.breaking, c.what.as_str()))
        .collect();
    assert_eq!(
        lines,
        [(false, "operation `get_lead`: idempotent → not idempotent")],
        "{text}"
    );
}
