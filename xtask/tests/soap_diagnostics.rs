//! Malformed or unsupported WSDLs give located errors (file, line:column,
//! what was expected), never panics.

use xtask::codegen::{CodegenError, Diagnostic, Location};

const FILE: &str = "bad.wsdl";

/// A WSDL around `schema` with one operation `op` (`paramsOp` → `successOp`);
/// `tail` replaces the messages, port type and binding when given.
fn wsdl(schema: &str, tail: Option<&str>) -> String {
    let default_tail = r#"  <wsdl:message name="paramsOp"><wsdl:part name="p" element="tns:paramsOp"/></wsdl:message>
  <wsdl:message name="successOp"><wsdl:part name="p" element="tns:successOp"/></wsdl:message>
  <wsdl:portType name="Port">
    <wsdl:operation name="op">
      <wsdl:input message="tns:paramsOp"/>
      <wsdl:output message="tns:successOp"/>
    </wsdl:operation>
  </wsdl:portType>
  <wsdl:binding name="Binding" type="tns:Port">
    <soap:binding style="document" transport="http://schemas.xmlsoap.org/soap/http"/>
    <wsdl:operation name="op">
      <soap:operation soapAction="urn:t#op"/>
      <wsdl:input><soap:body use="literal"/></wsdl:input>
      <wsdl:output><soap:body use="literal"/></wsdl:output>
    </wsdl:operation>
  </wsdl:binding>"#;
    format!(
        r#"<?xml version="1.0"?>
<wsdl:definitions targetNamespace="urn:t" xmlns:tns="urn:t"
    xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/"
    xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/"
    xmlns:xs="http://www.w3.org/2001/XMLSchema">
  <wsdl:types>
    <xs:schema targetNamespace="urn:t">
{schema}
    </xs:schema>
  </wsdl:types>
{}
</wsdl:definitions>
"#,
        tail.unwrap_or(default_tail)
    )
}

const OK_ELEMENTS: &str = r#"      <xs:element name="paramsOp"><xs:complexType><xs:sequence><xs:element name="a" type="xs:string"/></xs:sequence></xs:complexType></xs:element>
      <xs:element name="successOp"><xs:complexType><xs:sequence><xs:element name="ok" type="xs:boolean"/></xs:sequence></xs:complexType></xs:element>"#;

fn diagnose(text: &str) -> Diagnostic {
    match xtask::wsdl::model_from_str(FILE, text) {
        Err(CodegenError::Spec(d)) => *d,
        Err(other) => panic!("not a spec error: {other}"),
        Ok(_) => panic!("accepted:\n{text}"),
    }
}

/// Asserts the diagnostic is at `line:col` and its message has every part.
fn assert_at(text: &str, line: u32, col: u32, parts: &[&str]) {
    let d = diagnose(text);
    assert_eq!(d.file, FILE);
    assert_eq!(d.location, Location::LineCol { line, col }, "{d}");
    for part in parts {
        assert!(d.message.contains(part), "{d}\nmissing: {part}");
    }
    assert!(
        d.to_string().starts_with(&format!("{FILE}:{line}:{col}: ")),
        "{d}"
    );
}

/// The 1-based line of the first line of `text` containing `needle`, and
/// the column where that line's tag starts.
fn locate(text: &str, needle: &str) -> (u32, u32) {
    let (i, line) = text
        .lines()
        .enumerate()
        .find(|(_, l)| l.contains(needle))
        .unwrap_or_else(|| panic!("{needle} not in text"));
    let at = line.find(needle).unwrap();
    let col = if needle.starts_with('<') {
        at + 1
    } else {
        line[..at].rfind('<').unwrap() + 1
    };
    (i as u32 + 1, col as u32)
}

#[test]
fn the_fixture_wsdl_itself_is_valid() {
    assert!(xtask::wsdl::model_from_str(FILE, &wsdl(OK_ELEMENTS, None)).is_ok());
}

#[test]
fn unknown_xsd_construct() {
    let schema = format!(
        "{OK_ELEMENTS}\n      <xs:complexType name=\"Wild\"><xs:sequence><xs:any/></xs:sequence></xs:complexType>"
    );
    let text = wsdl(&schema, None);
    let (line, col) = locate(&text, "<xs:any/>");
    assert_at(
        &text,
        line,
        col,
        &["unsupported <xs:any>", "expected xs:element"],
    );
}

#[test]
fn simple_content_is_unsupported() {
    let schema = format!(
        "{OK_ELEMENTS}\n      <xs:complexType name=\"Money\">\n        <xs:simpleContent/>\n      </xs:complexType>"
    );
    let text = wsdl(&schema, None);
    let (line, col) = locate(&text, "<xs:simpleContent/>");
    assert_at(
        &text,
        line,
        col,
        &["unsupported <xs:simpleContent>", "expected"],
    );
}

#[test]
fn dangling_type_reference() {
    let schema = OK_ELEMENTS.replace(
        r#"<xs:element name="a" type="xs:string"/>"#,
        "\n<xs:element name=\"a\" type=\"tns:Nowhere\"/>",
    );
    let text = wsdl(&schema, None);
    let (line, col) = locate(&text, "tns:Nowhere");
    assert_at(
        &text,
        line,
        col,
        &["unknown type `Nowhere`", "expected a built-in"],
    );
}

#[test]
fn missing_message() {
    let text = wsdl(OK_ELEMENTS, None).replace(
        r#"<wsdl:output message="tns:successOp"/>"#,
        r#"<wsdl:output message="tns:successGone"/>"#,
    );
    let (line, col) = locate(&text, "tns:successGone");
    assert_at(
        &text,
        line,
        col,
        &["unknown message `successGone`", "expected a wsdl:message"],
    );
}

#[test]
fn bad_xml_syntax() {
    let text = wsdl(OK_ELEMENTS, None).replace("</wsdl:types>", "</wsdl:typos>");
    let (line, _) = locate(&text, "</wsdl:typos>");
    let d = diagnose(&text);
    match d.location {
        Location::LineCol { line: l, .. } => assert_eq!(l, line, "{d}"),
        other => panic!("{other:?}"),
    }
    assert!(d.message.contains("malformed XML"), "{d}");
    assert!(d.message.contains("expected a well-formed WSDL"), "{d}");
}

#[test]
fn cyclic_extension() {
    let schema = format!(
        "{OK_ELEMENTS}
      <xs:complexType name=\"A\"><xs:complexContent><xs:extension base=\"tns:B\"><xs:sequence/></xs:extension></xs:complexContent></xs:complexType>
      <xs:complexType name=\"B\"><xs:complexContent><xs:extension base=\"tns:A\"><xs:sequence/></xs:extension></xs:complexContent></xs:complexType>"
    );
    let text = wsdl(&schema, None);
    let (line, col) = locate(&text, "name=\"A\"");
    assert_at(
        &text,
        line,
        col,
        &["cyclic extension", "expected an acyclic type hierarchy"],
    );
}

#[test]
fn non_literal_binding() {
    let text = wsdl(OK_ELEMENTS, None).replace(
        r#"<wsdl:input><soap:body use="literal"/></wsdl:input>"#,
        r#"<wsdl:input><soap:body use="encoded"/></wsdl:input>"#,
    );
    let (line, col) = locate(&text, "use=\"encoded\"");
    assert_at(
        &text,
        line,
        col,
        &[
            "non-literal binding use=\"encoded\"",
            "expected use=\"literal\"",
        ],
    );
}

#[test]
fn rpc_style_binding() {
    let text = wsdl(OK_ELEMENTS, None).replace(r#"style="document""#, r#"style="rpc""#);
    let (line, col) = locate(&text, "style=\"rpc\"");
    assert_at(
        &text,
        line,
        col,
        &["style=\"rpc\"", "expected style=\"document\""],
    );
}

#[test]
fn unknown_namespace_prefix() {
    let schema = OK_ELEMENTS.replace(
        r#"<xs:element name="a" type="xs:string"/>"#,
        "\n<xs:element name=\"a\" type=\"zz:Thing\"/>",
    );
    let text = wsdl(&schema, None);
    let (line, col) = locate(&text, "zz:Thing");
    assert_at(&text, line, col, &["unknown namespace prefix `zz`"]);
}

#[test]
fn not_a_wsdl() {
    let d = diagnose("<html/>");
    assert_eq!(d.location, Location::LineCol { line: 1, col: 1 });
    assert!(d.message.contains("expected <wsdl:definitions"), "{d}");
}
