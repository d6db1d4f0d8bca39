//! The report's rules, one test per rule or pair of rules.

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
