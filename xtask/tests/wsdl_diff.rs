//! The semantic WSDL diff (`xtask::wsdl::diff`): each aspect on small
//! synthetic pairs, and `specs/marketo-soap.wsdl` against Marketo's
//! published 2_3 WSDL: every difference must be an entry of the commented
//! allowlist `specs/marketo-soap.allowlist`, and every entry must occur.

use std::path::Path;

use xtask::wsdl::diff::{Aspect, Difference, diff_files, diff_str};

/// A one-operation WSDL with `schema` as its types and `extra` in the
/// `getThing` binding input (headers).
fn wsdl(schema: &str, fault: bool, action: &str, header_part: &str) -> String {
    let fault_msg = if fault {
        r#"<wsdl:fault name="oops" message="tns:oops"/>"#
    } else {
        ""
    };
    format!(
        r#"<?xml version="1.0"?>
<wsdl:definitions targetNamespace="urn:t" xmlns:tns="urn:t"
    xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/"
    xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/"
    xmlns:xs="http://www.w3.org/2001/XMLSchema">
  <wsdl:types><xs:schema targetNamespace="urn:t">
    {schema}
    <xs:element name="paramsGetThing"><xs:complexType><xs:sequence>
      <xs:element name="id" type="xs:int"/>
    </xs:sequence></xs:complexType></xs:element>
    <xs:element name="successGetThing"><xs:complexType><xs:sequence>
      <xs:element name="ok" type="xs:boolean"/>
    </xs:sequence></xs:complexType></xs:element>
    <xs:element name="AuthHeader"><xs:complexType><xs:sequence>
      <xs:element name="user" type="xs:string"/>
    </xs:sequence></xs:complexType></xs:element>
    <xs:element name="oopsDetail"><xs:complexType><xs:sequence>
      <xs:element name="code" type="xs:string"/>
    </xs:sequence></xs:complexType></xs:element>
  </xs:schema></wsdl:types>
  <wsdl:message name="paramsGetThing"><wsdl:part name="paramsGetThing" element="tns:paramsGetThing"/></wsdl:message>
  <wsdl:message name="successGetThing"><wsdl:part name="successGetThing" element="tns:successGetThing"/></wsdl:message>
  <wsdl:message name="auth"><wsdl:part name="{header_part}" element="tns:AuthHeader"/></wsdl:message>
  <wsdl:message name="oops"><wsdl:part name="detail" element="tns:oopsDetail"/></wsdl:message>
  <wsdl:portType name="P">
    <wsdl:operation name="getThing">
      <wsdl:input message="tns:paramsGetThing"/>
      <wsdl:output message="tns:successGetThing"/>
      {fault_msg}
    </wsdl:operation>
  </wsdl:portType>
  <wsdl:binding name="B" type="tns:P">
    <soap:binding style="document" transport="http://schemas.xmlsoap.org/soap/http"/>
    <wsdl:operation name="getThing">
      <soap:operation soapAction="{action}" style="document"/>
      <wsdl:input>
        <soap:header message="tns:auth" part="{header_part}" use="literal"/>
        <soap:body use="literal" parts="paramsGetThing"/>
      </wsdl:input>
      <wsdl:output><soap:body use="literal"/></wsdl:output>
    </wsdl:operation>
  </wsdl:binding>
  <wsdl:service name="S"><wsdl:port name="P" binding="tns:B">
    <soap:address location="http://localhost/x"/>
  </wsdl:port></wsdl:service>
</wsdl:definitions>"#
    )
}

const LEFT: &str = r#"
    <xs:complexType name="Range"><xs:sequence>
      <xs:element name="oldest" type="xs:dateTime"/>
      <xs:element name="latest" type="xs:dateTime" minOccurs="0"/>
      <xs:element name="tag" type="xs:string" minOccurs="0"/>
      <xs:element name="note" type="xs:string"/>
    </xs:sequence><xs:attribute name="lang" type="xs:string"/></xs:complexType>
    <xs:complexType name="Gone"><xs:sequence><xs:element name="x" type="xs:int"/></xs:sequence></xs:complexType>
    <xs:simpleType name="Colour"><xs:restriction base="xs:string">
      <xs:enumeration value="RED"/><xs:enumeration value="BLUE"/>
    </xs:restriction></xs:simpleType>"#;

const RIGHT: &str = r#"
    <xs:complexType name="Range"><xs:sequence>
      <xs:element name="latest" type="xs:dateTime" minOccurs="0"/>
      <xs:element name="oldest" type="xs:dateTime"/>
      <xs:element name="tag" type="xs:string" minOccurs="0" nillable="true"/>
      <xs:element name="note" type="xs:long" maxOccurs="unbounded"/>
      <xs:element name="extra" type="xs:string"/>
    </xs:sequence><xs:attribute name="lang" type="xs:string" use="required"/></xs:complexType>
    <xs:simpleType name="Colour"><xs:restriction base="xs:string">
      <xs:enumeration value="RED"/><xs:enumeration value="GREEN"/>
    </xs:restriction></xs:simpleType>"#;

fn find<'d>(diffs: &'d [Difference], path: &str, aspect: Aspect) -> &'d Difference {
    diffs
        .iter()
        .find(|d| d.path == path && d.aspect == aspect)
        .unwrap_or_else(|| {
            let all: Vec<String> = diffs.iter().map(ToString::to_string).collect();
            panic!("no {aspect:?} at {path}; found:\n{}", all.join("\n"))
        })
}

#[test]
fn identical_documents_have_no_differences() {
    let text = wsdl(LEFT, true, "urn:get", "authentication");
    assert_eq!(diff_str(&text, &text).unwrap(), []);
    // Prefixes and layout do not count.
    let renamed = text
        .replace("xmlns:xs=", "xmlns:xsd=")
        .replace("<xs:", "<xsd:")
        .replace("</xs:", "</xsd:")
        .replace("\"xs:", "\"xsd:");
    assert_eq!(diff_str(&text, &renamed).unwrap(), []);
}

#[test]
fn each_aspect_of_types_is_reported() {
    let diffs = diff_str(
        &wsdl(LEFT, false, "", "authentication"),
        &wsdl(RIGHT, false, "", "authentication"),
    )
    .unwrap();
    let order = find(&diffs, "type Range", Aspect::Order);
    assert_eq!(order.left, "oldest, latest, tag, note");
    assert_eq!(order.right, "latest, oldest, tag, note");
    let nil = find(&diffs, "type Range/tag", Aspect::Nillable);
    assert_eq!((nil.left.as_str(), nil.right.as_str()), ("false", "true"));
    let ty = find(&diffs, "type Range/note", Aspect::Type);
    assert_eq!(
        (ty.left.as_str(), ty.right.as_str()),
        ("xs:string", "xs:long")
    );
    let occ = find(&diffs, "type Range/note", Aspect::Occurs);
    assert_eq!(
        (occ.left.as_str(), occ.right.as_str()),
        ("1..1", "1..unbounded")
    );
    let extra = find(&diffs, "type Range/extra", Aspect::OnlyRight);
    assert_eq!(extra.right, "extra: xs:string [1..1]");
    find(&diffs, "type Range/@lang", Aspect::Required);
    find(&diffs, "type Gone", Aspect::OnlyLeft);
    let values = find(&diffs, "type Colour", Aspect::Values);
    assert_eq!(
        (values.left.as_str(), values.right.as_str()),
        ("+[BLUE]", "+[GREEN]")
    );
    // Nothing else: each difference is counted once.
    assert_eq!(diffs.len(), 8, "{diffs:#?}");
}

#[test]
fn operations_headers_faults_and_actions_are_compared() {
    let diffs = diff_str(
        &wsdl(LEFT, true, "urn:get", "authentication"),
        &wsdl(LEFT, false, "", "AuthenticationHeader"),
    )
    .unwrap();
    let faults = find(&diffs, "operation getThing", Aspect::Faults);
    assert_eq!(
        (faults.left.as_str(), faults.right.as_str()),
        ("oopsDetail", "")
    );
    let action = find(&diffs, "operation getThing", Aspect::SoapAction);
    assert_eq!(action.left, "urn:get");
    let headers = find(&diffs, "operation getThing", Aspect::Headers);
    assert_eq!(headers.left, "AuthHeader (part authentication)");
    assert_eq!(headers.right, "AuthHeader (part AuthenticationHeader)");
    assert_eq!(diffs.len(), 3, "{diffs:#?}");
}

/// The entries of `specs/marketo-soap.allowlist`: one difference per line
/// (as `Difference` displays it); `#` comments and blank lines skipped.
fn allowlist(root: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(root.join("specs/marketo-soap.allowlist"))
        .expect("read specs/marketo-soap.allowlist");
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_owned)
        .collect()
}

#[test]
fn our_spec_differs_from_marketos_published_wsdl_only_by_the_allowlist() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let ours = root.join("specs/marketo-soap.wsdl");
    let theirs = root.join("specs/reference/marketo-mktows-2_3.wsdl");
    let diffs: Vec<String> = diff_files(&ours, &theirs)
        .unwrap()
        .iter()
        .map(ToString::to_string)
        .collect();
    let allowed = allowlist(&root);
    let unexpected: Vec<&String> = diffs.iter().filter(|d| !allowed.contains(d)).collect();
    let stale: Vec<&String> = allowed.iter().filter(|a| !diffs.contains(a)).collect();
    assert!(
        unexpected.is_empty() && stale.is_empty(),
        "specs/marketo-soap.wsdl (left) against Marketo's 2_3 WSDL (right):\n\
         differences not in specs/marketo-soap.allowlist:\n  {}\n\
         allowlist entries that no longer occur:\n  {}",
        unexpected
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join("\n  "),
        stale
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join("\n  "),
    );
    // Each entry is listed once, so the count is the allowlist's.
    assert_eq!(diffs.len(), allowed.len(), "{diffs:#?}");
    // The reverse diff has as many differences, sides swapped.
    assert_eq!(diff_files(&theirs, &ours).unwrap().len(), diffs.len());
}

#[test]
fn the_command_prints_the_differences_and_exits_by_them() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let run = |left: &str, right: &str| {
        std::process::Command::new(env!("CARGO_BIN_EXE_xtask"))
            .args(["wsdl-diff", left, right])
            .current_dir(&root)
            .output()
            .expect("run xtask")
    };
    let same = run("specs/marketo-soap.wsdl", "specs/marketo-soap.wsdl");
    assert_eq!(same.status.code(), Some(0));
    // Two fixtures: `updateContact` differs, `setColour` only on one side.
    let differ = run(
        "xtask/tests/soap/nillable/input.wsdl",
        "xtask/tests/soap/unused_types/input.wsdl",
    );
    assert_eq!(differ.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&differ.stdout);
    assert!(
        stdout.contains(
            "element updateContact/phone: only in left (phone: xs:string [1..1] nillable)"
        ),
        "{stdout}"
    );
    assert!(
        stdout.contains("type Circle: only in right (type)"),
        "{stdout}"
    );
    assert!(stdout.contains(" difference(s) between "), "{stdout}");
    let missing = run("specs/marketo-soap.wsdl", "specs/none.wsdl");
    assert_eq!(missing.status.code(), Some(2));
}
