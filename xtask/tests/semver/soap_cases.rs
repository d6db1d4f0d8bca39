//! The SOAP cases of `semver_compile.rs`: edits of `base.wsdl` (and of
//! `base.annotations.yaml` beside it).

use super::{Case, replace};

/// The request element's optional `colour` (the response type's is required).
const PARAMS_COLOUR: &str =
    "            <xs:element name=\"colour\" type=\"tns:Colour\" minOccurs=\"0\"/>\n";
/// The response type's required `colour`.
const WIDGET_COLOUR: &str = "          <xs:element name=\"colour\" type=\"tns:Colour\"/>\n";
/// The response type's optional `note` (ten spaces: the request's has twelve).
const WIDGET_NOTE: &str =
    "\n          <xs:element name=\"note\" type=\"xs:string\" minOccurs=\"0\"/>";
/// The request element's optional `note`.
const PARAMS_NOTE: &str =
    "            <xs:element name=\"note\" type=\"xs:string\" minOccurs=\"0\"/>\n";

/// `base.wsdl` with a `deleteWidget` operation and its two elements.
fn add_delete_widget(s: &str) -> String {
    let s = replace(
        s,
        "    </xs:schema>",
        "      <xs:element name=\"paramsDeleteWidget\">\n        <xs:complexType>\n          <xs:sequence>\n            <xs:element name=\"id\" type=\"xs:int\"/>\n          </xs:sequence>\n        </xs:complexType>\n      </xs:element>\n      <xs:element name=\"successDeleteWidget\">\n        <xs:complexType>\n          <xs:sequence>\n            <xs:element name=\"result\" type=\"xs:boolean\"/>\n          </xs:sequence>\n        </xs:complexType>\n      </xs:element>\n    </xs:schema>",
    );
    let s = replace(
        &s,
        "  <wsdl:portType",
        "  <wsdl:message name=\"paramsDeleteWidget\">\n    <wsdl:part name=\"paramsDeleteWidget\" element=\"tns:paramsDeleteWidget\"/>\n  </wsdl:message>\n  <wsdl:message name=\"successDeleteWidget\">\n    <wsdl:part name=\"successDeleteWidget\" element=\"tns:successDeleteWidget\"/>\n  </wsdl:message>\n  <wsdl:portType",
    );
    let s = replace(
        &s,
        "  </wsdl:portType>",
        "    <wsdl:operation name=\"deleteWidget\">\n      <wsdl:documentation>Deletes a widget.</wsdl:documentation>\n      <wsdl:input message=\"tns:paramsDeleteWidget\"/>\n      <wsdl:output message=\"tns:successDeleteWidget\"/>\n    </wsdl:operation>\n  </wsdl:portType>",
    );
    replace(
        &s,
        "  </wsdl:binding>",
        "    <wsdl:operation name=\"deleteWidget\">\n      <soap:operation soapAction=\"urn:example:semver#deleteWidget\" style=\"document\"/>\n      <wsdl:input><soap:body use=\"literal\" parts=\"paramsDeleteWidget\"/></wsdl:input>\n      <wsdl:output><soap:body use=\"literal\"/></wsdl:output>\n    </wsdl:operation>\n  </wsdl:binding>",
    )
}

/// `text` without the first `<wsdl:operation name="getWidget">` block.
fn drop_get_widget_once(text: &str) -> String {
    let start = text
        .find("    <wsdl:operation name=\"getWidget\">")
        .expect("getWidget");
    let end = start
        + text[start..]
            .find("    </wsdl:operation>\n")
            .expect("its end")
        + "    </wsdl:operation>\n".len();
    format!("{}{}", &text[..start], &text[end..])
}

pub const CASES: &[Case] = &[
    Case {
        name: "operation_added",
        edit: add_delete_widget,
        breaking: false,
        changes: &[
            "operation `delete_widget` (`deleteWidget`) added, not idempotent",
            "type `ParamsDeleteWidget` added",
            "type `SuccessDeleteWidget` added",
        ],
        error: None,
        annotations: None,
    },
    Case {
        name: "operation_removed",
        // From the port type and the binding; the annotations name it no more.
        edit: |s| drop_get_widget_once(&drop_get_widget_once(s)),
        breaking: true,
        changes: &["operation `get_widget` (`getWidget`) removed"],
        error: Some("E0599"),
        annotations: Some("operations: {}\n"),
    },
    Case {
        name: "required_request_field_added",
        edit: |s| {
            let added =
                format!("{PARAMS_COLOUR}            <xs:element name=\"size\" type=\"xs:int\"/>\n");
            replace(s, PARAMS_COLOUR, &added)
        },
        breaking: true,
        changes: &["type `ParamsCreateWidget`, field `size: i32` added (required)"],
        error: Some("E0061"),
        annotations: None,
    },
    Case {
        name: "optional_request_field_added",
        edit: |s| {
            let added = format!(
                "{PARAMS_COLOUR}            <xs:element name=\"size\" type=\"xs:int\" minOccurs=\"0\"/>\n"
            );
            replace(s, PARAMS_COLOUR, &added)
        },
        breaking: false,
        changes: &["type `ParamsCreateWidget`, field `size: i32` added (optional)"],
        error: None,
        annotations: None,
    },
    Case {
        name: "enum_value_added",
        edit: |s| {
            replace(
                s,
                "<xs:enumeration value=\"GREEN\"/>",
                "<xs:enumeration value=\"GREEN\"/>\n          <xs:enumeration value=\"BLUE\"/>",
            )
        },
        breaking: false,
        changes: &["enum `Colour`: value `BLUE` added"],
        error: None,
        annotations: None,
    },
    Case {
        name: "enum_value_removed",
        edit: |s| replace(s, "\n          <xs:enumeration value=\"GREEN\"/>", ""),
        breaking: true,
        changes: &["enum `Colour`: value `GREEN` removed"],
        error: Some("E0599"),
        annotations: None,
    },
    Case {
        name: "response_field_added",
        edit: |s| {
            let added = format!(
                "{WIDGET_COLOUR}          <xs:element name=\"size\" type=\"xs:int\"/>\n          <xs:element name=\"tags\" type=\"xs:string\" minOccurs=\"0\" maxOccurs=\"unbounded\"/>\n"
            );
            replace(s, WIDGET_COLOUR, &added)
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
                "          <xs:element name=\"id\" type=\"xs:int\"/>\n          <xs:element name=\"name\"",
                "          <xs:element name=\"id\" type=\"xs:long\"/>\n          <xs:element name=\"name\"",
            )
        },
        breaking: true,
        changes: &["type `Widget`, field `id`: type `i32` → `i64`"],
        error: Some("E0308"),
        annotations: None,
    },
    Case {
        name: "field_removed",
        edit: |s| replace(s, WIDGET_NOTE, ""),
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
                PARAMS_NOTE,
                "            <xs:element name=\"note\" type=\"xs:string\"/>\n",
            )
        },
        breaking: true,
        changes: &["type `ParamsCreateWidget`, field `note`: optional → required"],
        error: Some("E0061"),
        annotations: None,
    },
    Case {
        name: "idempotency_changed",
        edit: |s| s.to_owned(),
        breaking: false,
        changes: &["operation `create_widget`: not idempotent → idempotent"],
        error: None,
        annotations: Some(
            "operations:\n  getWidget:\n    idempotent: true\n  createWidget:\n    idempotent: true\n",
        ),
    },
];

/// Code a user cannot write against the base API, each with the error it
/// must fail with: the reason additions are safe.
pub const MUST_NOT_COMPILE: &[(&str, &str, &str)] = &[
    (
        "a struct literal of a generated request element",
        "pub fn f() -> soap_api::types::ParamsCreateWidget {\n    soap_api::types::ParamsCreateWidget { name: String::new(), colour: None, note: None }\n}\n",
        "E0639",
    ),
    (
        "a match on a generated enum without a wildcard",
        "pub fn f(c: &soap_api::types::Colour) -> u8 {\n    match c {\n        soap_api::types::Colour::Red => 1,\n        soap_api::types::Colour::Green => 2,\n        soap_api::types::Colour::Unknown(_) => 3,\n    }\n}\n",
        "E0004",
    ),
];
