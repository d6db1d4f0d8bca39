//! The REST cases of `semver_compile.rs`: edits of `base.yaml`.

use super::{Case, replace};

const NEW_WIDGET_REQUIRED: &str =
    "      description: A widget to create (request only).\n      required: [name]\n";
const NEW_WIDGET_NOTE: &str = "        note: {type: string, description: A note.}\n    Colour:";
const GET_WIDGET_FIELDS: &str = "        - {name: fields, in: query, required: false, description: Fields to answer., schema: {type: array, items: {type: string}}}\n";
const WIDGET_REQUIRED: &str = "      required: [id, name, colour]\n";

pub const CASES: &[Case] = &[
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
        annotations: None,
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
        annotations: None,
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
        annotations: None,
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
        annotations: None,
    },
    Case {
        name: "enum_value_added",
        edit: |s| replace(s, "enum: [red, green]", "enum: [red, green, blue]"),
        breaking: false,
        changes: &["enum `Colour`: value `blue` added"],
        error: None,
        annotations: None,
    },
    Case {
        name: "enum_value_removed",
        edit: |s| replace(s, "enum: [red, green]", "enum: [red]"),
        breaking: true,
        changes: &["enum `Colour`: value `green` removed"],
        error: Some("E0599"),
        annotations: None,
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
        annotations: None,
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
        annotations: None,
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
        annotations: None,
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
        annotations: None,
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
        annotations: None,
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
        annotations: None,
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
        annotations: None,
    },
];

pub const MUST_NOT_COMPILE: &[(&str, &str, &str)] = &[
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
