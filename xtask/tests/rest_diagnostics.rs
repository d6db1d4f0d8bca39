//! Malformed or unsupported OpenAPI input → a located diagnostic (file,
//! JSON pointer or line:column, and what was expected), never a panic.
//! One spec per case under `tests/rest-diagnostics/`.

use std::path::Path;

use xtask::codegen::{CodegenError, Diagnostic, Location, SpecInput};

fn diagnose(case: &str) -> Diagnostic {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/rest-diagnostics")
        .join(format!("{case}.yaml"));
    let display = format!("xtask/tests/rest-diagnostics/{case}.yaml");
    let input = SpecInput {
        path: &path,
        display: &display,
        command: "c",
    };
    match xtask::openapi::generate(&input) {
        Err(CodegenError::Spec(d)) => {
            assert_eq!(d.file, display, "the diagnostic names the file");
            // The surface (for the change report) fails the same way.
            match xtask::openapi::surface(&input) {
                Err(CodegenError::Spec(again)) => assert_eq!(again, d),
                other => panic!("{case}: surface gave {other:?}"),
            }
            *d
        }
        // Several problems (a cycle is reported at each schema on it): the first.
        Err(CodegenError::Specs(mut all)) => {
            match xtask::openapi::surface(&input) {
                Err(CodegenError::Specs(again)) => assert_eq!(again, all),
                other => panic!("{case}: surface gave {other:?}"),
            }
            all.remove(0)
        }
        Err(other) => panic!("{case}: expected a spec diagnostic, got {other}"),
        Ok(_) => panic!("{case}: generated without complaint"),
    }
}

/// Asserts the pointer and that the message says each of `says`.
fn at_pointer(case: &str, pointer: &str, says: &[&str]) {
    let d = diagnose(case);
    assert_eq!(
        d.location,
        Location::Pointer(pointer.to_owned()),
        "{case}: {d}"
    );
    for text in says {
        assert!(
            d.message.contains(text),
            "{case}: `{}` lacks `{text}`",
            d.message
        );
    }
    assert!(
        d.to_string()
            .starts_with(&format!("xtask/tests/rest-diagnostics/{case}.yaml#/"))
    );
}

#[test]
fn missing_operation_id() {
    at_pointer(
        "missing_operation_id",
        "#/paths/~1rest~1asset~1v1~1programs.json/get",
        &[
            "missing `operationId`",
            "expected every operation to have one",
        ],
    );
}

#[test]
fn unsupported_media_type() {
    at_pointer(
        "unsupported_media_type",
        "#/paths/~1rest~1asset~1v1~1files.json/post/requestBody/content/application~1xml",
        &[
            "unsupported media type `application/xml`",
            "expected `application/json`, `application/x-www-form-urlencoded` or `multipart/form-data`",
        ],
    );
    at_pointer(
        "unsupported_response_media_type",
        "#/paths/~1report.xml/get/responses/200/content/application~1xml",
        &[
            "unsupported media type `application/xml`",
            "expected `application/json`, or a file",
        ],
    );
    // A flat envelope's extra member would be lost: a diagnostic.
    at_pointer(
        "flat_envelope_extra_member",
        "#/components/schemas/Page/properties/total",
        &["unexpected member `total`", "would lose `total`"],
    );
    // A file part only travels in a multipart body.
    at_pointer(
        "form_file_part",
        "#/paths/~1upload.json/post/requestBody/content/application~1x-www-form-urlencoded/encoding",
        &["form field `file` has type `FilePart`", "multipart only"],
    );
}

#[test]
fn dangling_ref() {
    at_pointer(
        "dangling_ref",
        "#/components/schemas/Program/properties/folder",
        &[
            "dangling `$ref`",
            "#/components/schemas/ProgramFolder",
            "expected one of #/components/schemas",
        ],
    );
}

#[test]
fn cyclic_schema_without_indirection() {
    at_pointer(
        "cyclic_schema",
        "#/components/schemas/Chicken",
        &[
            "cyclic schema without indirection",
            "Chicken.egg → Egg.chicken",
            "expected an array or an optional member",
        ],
    );
    at_pointer(
        "cyclic_ref_alias",
        "#/components/schemas/A",
        &["cyclic `$ref` chain"],
    );
}

#[test]
fn bad_yaml_syntax_has_line_and_column() {
    let d = diagnose("bad_yaml_syntax");
    match d.location {
        Location::LineCol { line, col } => {
            assert!(line >= 6, "line {line}");
            assert!(col >= 1, "col {col}");
        }
        other => panic!("expected line:col, got {other:?}"),
    }
    assert!(
        d.message.contains("not valid YAML or JSON"),
        "{}",
        d.message
    );
    assert!(
        d.to_string()
            .starts_with("xtask/tests/rest-diagnostics/bad_yaml_syntax.yaml:"),
        "{d}"
    );
}

#[test]
fn wrong_openapi_version() {
    at_pointer(
        "wrong_openapi_version",
        "#/openapi",
        &["OpenAPI version 3.1.0 is not supported", "expected 3.0.x"],
    );
    at_pointer(
        "swagger_2",
        "#/openapi",
        &["missing `openapi: 3.0.x`", "Swagger 2.0"],
    );
}

#[test]
fn unsupported_parameter_style() {
    at_pointer(
        "unsupported_parameter_style",
        "#/paths/~1rest~1v1~1leads.json/get/parameters/0",
        &[
            "unsupported parameter style `deepObject` for `filter`",
            "expected `form`",
        ],
    );
    at_pointer(
        "unsupported_path_style",
        "#/paths/~1rest~1v1~1lead~1{id}.json/get/parameters/0",
        &[
            "unsupported parameter style `label` for path parameter `id`",
            "expected `simple`",
        ],
    );
}

#[test]
fn other_unsupported_constructs() {
    at_pointer(
        "header_parameter",
        "#/paths/~1x/get/parameters/0",
        &[
            "cookie parameters are not supported",
            "expected `in: query`, `in: path` or `in: header`",
        ],
    );
    at_pointer(
        "one_of",
        "#/components/schemas/Pet/properties/kind",
        &["`oneOf` is not supported", "expected a single type"],
    );
    at_pointer(
        "form_object_without_encoding",
        "#/paths/~1rest~1asset~1v1~1programs.json/post/requestBody/content/application~1x-www-form-urlencoded/encoding",
        &["form field `folder`", "contentType: application/json"],
    );
    at_pointer(
        "undeclared_path_parameter",
        "#/paths/~1rest~1asset~1v1~1program~1{id}.json/get",
        &["`{id}`", "expected one"],
    );
    at_pointer(
        "object_query_parameter",
        "#/paths/~1x/get/parameters/0/schema",
        &[
            "query parameter `where`",
            "expected a scalar, a string enum, or an array of them",
        ],
    );
    at_pointer(
        "shape_error",
        "#/paths/~1x/get/tags",
        &["not a valid OpenAPI 3.0 document", "expected a sequence"],
    );
}

#[test]
fn every_case_file_is_exercised() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/rest-diagnostics");
    let count = std::fs::read_dir(dir).expect("dir").count();
    assert_eq!(count, 24, "add new case files to a test above");
}

#[test]
fn idempotent_extension_must_be_a_bool() {
    at_pointer(
        "bad_idempotent_extension",
        "#/paths/~1x/post/x-marketo-idempotent",
        &[
            "x-marketo-idempotent",
            "\"yes\"",
            "expected `true` or `false`",
        ],
    );
}

#[test]
fn single_result_needs_an_envelope_with_result() {
    at_pointer(
        "single_result_without_envelope",
        "#/paths/~1x~1{id}/get/x-marketo-result",
        &["x-marketo-result: single", "not an envelope"],
    );
}

#[test]
fn result_extension_knows_only_single() {
    at_pointer(
        "unknown_result_extension",
        "#/paths/~1x/get/x-marketo-result",
        &["\"many\"", "expected `single`"],
    );
}

/// One run reports every problem of a spec, each with its pointer, in
/// document order (schemas, then operations).
#[test]
fn every_problem_is_reported_in_one_run() {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/rest-diagnostics/several_problems.yaml");
    let display = "xtask/tests/rest-diagnostics/several_problems.yaml";
    let input = SpecInput {
        path: &path,
        display,
        command: "c",
    };
    let all = match xtask::openapi::generate(&input) {
        Err(CodegenError::Specs(all)) => all,
        other => panic!("expected several diagnostics, got {other:?}"),
    };
    let pointers: Vec<Location> = all.iter().map(|d| d.location.clone()).collect();
    assert_eq!(
        pointers,
        [
            Location::Pointer("#/components/schemas/Pet".into()),
            Location::Pointer("#/paths/~1a/get".into()),
            Location::Pointer("#/paths/~1b/get/parameters/0".into()),
            Location::Pointer("#/paths/~1c/get/responses/200/content/application~1xml".into()),
        ]
    );
    assert!(all.iter().all(|d| d.file == display));
    let text = CodegenError::Specs(all).to_string();
    assert!(text.starts_with("4 problems in the spec:"), "{text}");
}
