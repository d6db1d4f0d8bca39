//! WSDL text → raw items: what the document says, with the position of every
//! item, before any reference is resolved. Anything the generator does not
//! support is reported here, at its line:column.

pub use super::raw::*;
use crate::codegen::Diagnostic;

type Node<'a, 'i> = roxmltree::Node<'a, 'i>;

struct Parser<'a> {
    file: &'a str,
    doc: &'a roxmltree::Document<'a>,
    lines: LineIndex<'a>,
}

/// Byte offset → line:column in one pass over the text, then a binary
/// search per lookup. (`roxmltree::Document::text_pos_at` rescans the text
/// from the start on every call, which made parsing quadratic in the size
/// of the WSDL: seconds for Marketo's.) Same numbering as roxmltree: both
/// 1-based, the column counted in characters.
struct LineIndex<'a> {
    text: &'a str,
    /// The byte offset where each line starts (the first is 0).
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    fn new(text: &'a str) -> Self {
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Self { text, starts }
    }

    fn pos(&self, offset: usize) -> Pos {
        let offset = offset.min(self.text.len());
        let line = self.starts.partition_point(|&s| s <= offset);
        let start = self.starts[line.saturating_sub(1)];
        let col = self
            .text
            .get(start..offset)
            .map_or(0, |t| t.chars().count());
        Pos {
            line: u32::try_from(line).unwrap_or(u32::MAX),
            col: u32::try_from(col + 1).unwrap_or(u32::MAX),
        }
    }
}

fn is(node: &Node<'_, '_>, ns: &str, local: &str) -> bool {
    node.is_element() && node.tag_name().namespace() == Some(ns) && node.tag_name().name() == local
}

fn elements<'a, 'i>(node: &Node<'a, 'i>) -> impl Iterator<Item = Node<'a, 'i>> {
    node.children().filter(|n| n.is_element())
}

/// Parses `text` (the WSDL named `file` in messages).
pub fn parse(file: &str, text: &str) -> Result<RawWsdl, Diagnostic> {
    let options = roxmltree::ParsingOptions {
        allow_dtd: false,
        ..Default::default()
    };
    let doc = roxmltree::Document::parse_with_options(text, options).map_err(|e| {
        let pos = e.pos();
        Diagnostic::at(
            file,
            pos.row,
            pos.col,
            format!("malformed XML: {e}; expected a well-formed WSDL 1.1 document"),
        )
    })?;
    let parser = Parser {
        file,
        doc: &doc,
        lines: LineIndex::new(text),
    };
    parser.definitions()
}

impl<'a> Parser<'a> {
    fn pos(&self, node: &Node<'_, '_>) -> Pos {
        self.lines.pos(node.range().start)
    }

    fn err(&self, node: &Node<'_, '_>, message: impl Into<String>) -> Diagnostic {
        let p = self.pos(node);
        Diagnostic::at(self.file, p.line, p.col, message)
    }

    fn attr(&self, node: &Node<'_, '_>, name: &str) -> Result<String, Diagnostic> {
        node.attribute(name).map(str::to_owned).ok_or_else(|| {
            self.err(
                node,
                format!(
                    "<{}> has no `{name}` attribute; expected one",
                    node.tag_name().name()
                ),
            )
        })
    }

    fn qname(&self, node: &Node<'_, '_>, value: &str) -> Result<QName, Diagnostic> {
        let (prefix, local) = match value.split_once(':') {
            Some((p, l)) => (Some(p), l),
            None => (None, value),
        };
        let ns = node.lookup_namespace_uri(prefix);
        match (prefix, ns) {
            (Some(p), None) => Err(self.err(
                node,
                format!("unknown namespace prefix `{p}` in `{value}`; expected a prefix declared with xmlns:{p}"),
            )),
            (_, ns) => Ok(QName {
                ns: ns.map(str::to_owned),
                local: local.to_owned(),
            }),
        }
    }

    fn qname_attr(&self, node: &Node<'_, '_>, name: &str) -> Result<QRef, Diagnostic> {
        let value = self.attr(node, name)?;
        Ok(QRef {
            name: self.qname(node, &value)?,
            pos: self.pos(node),
        })
    }

    /// The text of `xs:annotation/xs:documentation` (or `wsdl:documentation`).
    fn documentation(&self, node: &Node<'_, '_>) -> Option<String> {
        let texts: Vec<String> = elements(node)
            .flat_map(|child| {
                if is(&child, XSD_NS, "annotation") {
                    elements(&child)
                        .filter(|d| is(d, XSD_NS, "documentation"))
                        .collect::<Vec<_>>()
                } else if is(&child, WSDL_NS, "documentation") {
                    vec![child]
                } else {
                    vec![]
                }
            })
            .map(|d| {
                d.descendants()
                    .filter(|n| n.is_text())
                    .filter_map(|n| n.text())
                    .collect::<String>()
            })
            .map(|t| t.split_whitespace().collect::<Vec<_>>().join(" "))
            .filter(|t| !t.is_empty())
            .collect();
        (!texts.is_empty()).then(|| texts.join("\n\n"))
    }

    fn unsupported(&self, node: &Node<'_, '_>, context: &str, expected: &str) -> Diagnostic {
        let prefix = node
            .lookup_prefix(node.tag_name().namespace().unwrap_or_default())
            .filter(|p| !p.is_empty())
            .map(|p| format!("{p}:"))
            .unwrap_or_default();
        self.err(
            node,
            format!(
                "unsupported <{prefix}{}> in {context}; expected {expected}",
                node.tag_name().name()
            ),
        )
    }

    fn definitions(&self) -> Result<RawWsdl, Diagnostic> {
        let root = self.doc.root_element();
        if !is(&root, WSDL_NS, "definitions") {
            return Err(self.err(
                &root,
                format!(
                    "root element <{}> is not a WSDL 1.1 definitions element; expected <wsdl:definitions xmlns:wsdl=\"{WSDL_NS}\">",
                    root.tag_name().name()
                ),
            ));
        }
        let mut wsdl = RawWsdl {
            target_ns: self.attr(&root, "targetNamespace")?,
            doc: self.documentation(&root),
            ..Default::default()
        };
        for child in elements(&root) {
            if child.tag_name().namespace() != Some(WSDL_NS) {
                continue; // extensibility elements (policies, …) do not shape the API
            }
            match child.tag_name().name() {
                "documentation" => {}
                "types" => {
                    for schema in elements(&child) {
                        if is(&schema, XSD_NS, "schema") {
                            wsdl.schemas.push(self.schema(&schema)?);
                        } else if !is(&schema, WSDL_NS, "documentation") {
                            return Err(self.unsupported(&schema, "wsdl:types", "xs:schema"));
                        }
                    }
                }
                "message" => wsdl.messages.push(self.message(&child)?),
                "portType" => wsdl.port_types.push(self.port_type(&child)?),
                "binding" => {
                    if let Some(binding) = self.binding(&child)? {
                        wsdl.bindings.push(binding);
                    }
                }
                "service" => wsdl.services.extend(self.service(&child)?),
                "import" => {
                    return Err(self.unsupported(
                        &child,
                        "wsdl:definitions",
                        "a self-contained WSDL (inline the imported document)",
                    ));
                }
                _ => {
                    return Err(self.unsupported(
                        &child,
                        "wsdl:definitions",
                        "types, message, portType, binding or service",
                    ));
                }
            }
        }
        Ok(wsdl)
    }

    fn schema(&self, node: &Node<'_, '_>) -> Result<RawSchema, Diagnostic> {
        if let Some(form) = node.attribute("elementFormDefault")
            && form != "unqualified"
        {
            return Err(self.err(
                node,
                format!("unsupported elementFormDefault=\"{form}\"; expected the default (unqualified local elements)"),
            ));
        }
        let mut schema = RawSchema {
            target_ns: node.attribute("targetNamespace").map(str::to_owned),
            ..Default::default()
        };
        for child in elements(node) {
            if child.tag_name().namespace() != Some(XSD_NS) {
                return Err(self.unsupported(&child, "xs:schema", "an XML Schema item"));
            }
            match child.tag_name().name() {
                "annotation" => {}
                "element" => schema.elements.push(self.element(&child, false)?),
                "complexType" => schema.complex.push(self.complex(&child, true)?),
                "simpleType" => schema.simple.push(self.simple(&child, true)?),
                "import" if child.attribute("schemaLocation").is_none() => {}
                _ => {
                    return Err(self.unsupported(
                        &child,
                        "xs:schema",
                        "xs:element, xs:complexType, xs:simpleType or xs:annotation",
                    ));
                }
            }
        }
        Ok(schema)
    }

    fn occurs(&self, node: &Node<'_, '_>) -> Result<Occurs, Diagnostic> {
        let min = match node.attribute("minOccurs") {
            None => 1,
            Some(v) => v.trim().parse().map_err(|_| {
                self.err(
                    node,
                    format!("invalid minOccurs=\"{v}\"; expected a non-negative integer"),
                )
            })?,
        };
        let max = match node.attribute("maxOccurs") {
            None => Some(1),
            Some("unbounded") => None,
            Some(v) => Some(v.trim().parse().map_err(|_| {
                self.err(
                    node,
                    format!(
                        "invalid maxOccurs=\"{v}\"; expected a non-negative integer or unbounded"
                    ),
                )
            })?),
        };
        Ok(Occurs { min, max })
    }

    fn element(&self, node: &Node<'_, '_>, local: bool) -> Result<RawElement, Diagnostic> {
        if node.attribute("ref").is_some() {
            return Err(self.err(
                node,
                "unsupported xs:element ref=…; expected a local element with name and type",
            ));
        }
        if let Some(form) = node.attribute("form")
            && form != "unqualified"
        {
            return Err(self.err(
                node,
                format!("unsupported form=\"{form}\"; expected unqualified local elements"),
            ));
        }
        let name = self.attr(node, "name")?;
        let mut anonymous = None;
        for child in elements(node) {
            match (child.tag_name().namespace(), child.tag_name().name()) {
                (Some(XSD_NS), "annotation") => {}
                (Some(XSD_NS), "complexType") => {
                    anonymous = Some(TypeRef::Complex(Box::new(self.complex(&child, false)?)));
                }
                (Some(XSD_NS), "simpleType") => {
                    anonymous = Some(TypeRef::Simple(Box::new(self.simple(&child, false)?)));
                }
                _ => {
                    return Err(self.unsupported(
                        &child,
                        "xs:element",
                        "xs:annotation, xs:complexType or xs:simpleType",
                    ));
                }
            }
        }
        let ty = match (node.attribute("type"), anonymous) {
            (Some(t), None) => TypeRef::Named(QRef {
                name: self.qname(node, t)?,
                pos: self.pos(node),
            }),
            (None, Some(anon)) => anon,
            (Some(_), Some(_)) => {
                return Err(self.err(
                    node,
                    format!("element `{name}` has both a type attribute and an anonymous type; expected one"),
                ));
            }
            (None, None) => {
                return Err(self.err(
                    node,
                    format!("element `{name}` has no type (xs:anyType is unsupported); expected a type attribute or an anonymous type"),
                ));
            }
        };
        let occurs = if local {
            self.occurs(node)?
        } else {
            Occurs {
                min: 1,
                max: Some(1),
            }
        };
        Ok(RawElement {
            name,
            pos: self.pos(node),
            ty,
            occurs,
            nillable: node.attribute("nillable") == Some("true"),
            doc: self.documentation(node),
        })
    }

    fn attribute(&self, node: &Node<'_, '_>) -> Result<RawAttribute, Diagnostic> {
        if node.attribute("ref").is_some() {
            return Err(self.err(
                node,
                "unsupported xs:attribute ref=…; expected an attribute with name and type",
            ));
        }
        let name = self.attr(node, "name")?;
        let mut ty = node
            .attribute("type")
            .map(|t| {
                self.qname(node, t).map(|name| {
                    TypeRef::Named(QRef {
                        name,
                        pos: self.pos(node),
                    })
                })
            })
            .transpose()?;
        for child in elements(node) {
            if is(&child, XSD_NS, "simpleType") {
                ty = Some(TypeRef::Simple(Box::new(self.simple(&child, false)?)));
            } else if !is(&child, XSD_NS, "annotation") {
                return Err(self.unsupported(&child, "xs:attribute", "xs:simpleType"));
            }
        }
        let ty = ty.ok_or_else(|| {
            self.err(
                node,
                format!("attribute `{name}` has no type; expected a type attribute"),
            )
        })?;
        Ok(RawAttribute {
            name,
            pos: self.pos(node),
            ty,
            required: node.attribute("use") == Some("required"),
            doc: self.documentation(node),
        })
    }

    /// The members of a sequence, all or choice (nested groups flattened;
    /// members of a choice become optional).
    fn particle(
        &self,
        node: &Node<'_, '_>,
        in_choice: bool,
        out: &mut Vec<RawMember>,
    ) -> Result<(), Diagnostic> {
        let group = node.tag_name().name();
        let occurs = self.occurs(node)?;
        if occurs.max != Some(1) {
            return Err(self.err(
                node,
                format!("unsupported repeated xs:{group} (maxOccurs other than 1); expected repetition on the elements inside it"),
            ));
        }
        let in_choice = in_choice || group == "choice" || occurs.min == 0;
        for child in elements(node) {
            match (child.tag_name().namespace(), child.tag_name().name()) {
                (Some(XSD_NS), "annotation") => {}
                (Some(XSD_NS), "element") => out.push(RawMember {
                    element: self.element(&child, true)?,
                    in_choice,
                }),
                (Some(XSD_NS), "sequence" | "choice") => self.particle(&child, in_choice, out)?,
                _ => {
                    return Err(self.unsupported(
                        &child,
                        &format!("xs:{group}"),
                        "xs:element, xs:sequence or xs:choice",
                    ));
                }
            }
        }
        Ok(())
    }

    /// The content model (groups and attributes) of `node`.
    fn content(&self, node: &Node<'_, '_>, out: &mut RawComplex) -> Result<(), Diagnostic> {
        for child in elements(node) {
            match (child.tag_name().namespace(), child.tag_name().name()) {
                (Some(XSD_NS), "annotation") => {}
                (Some(XSD_NS), "sequence" | "all" | "choice") => {
                    self.particle(&child, false, &mut out.members)?;
                }
                (Some(XSD_NS), "attribute") => out.attributes.push(self.attribute(&child)?),
                _ => {
                    return Err(self.unsupported(
                        &child,
                        "a complex type",
                        "xs:sequence, xs:all, xs:choice, xs:attribute or xs:complexContent/xs:extension",
                    ));
                }
            }
        }
        Ok(())
    }

    fn complex(&self, node: &Node<'_, '_>, named: bool) -> Result<RawComplex, Diagnostic> {
        let name = if named {
            Some(self.attr(node, "name")?)
        } else {
            None
        };
        if node.attribute("mixed") == Some("true") {
            return Err(self.err(
                node,
                "unsupported mixed content (mixed=\"true\"); expected element-only content",
            ));
        }
        let mut out = RawComplex {
            name,
            pos: self.pos(node),
            is_abstract: node.attribute("abstract") == Some("true"),
            base: None,
            members: Vec::new(),
            attributes: Vec::new(),
            doc: self.documentation(node),
        };
        let complex_content = elements(node).find(|c| is(c, XSD_NS, "complexContent"));
        match complex_content {
            None => self.content(node, &mut out)?,
            Some(cc) => {
                if let Some(other) = elements(node)
                    .find(|c| !is(c, XSD_NS, "annotation") && !is(c, XSD_NS, "complexContent"))
                {
                    return Err(self.unsupported(
                        &other,
                        "a complex type with xs:complexContent",
                        "nothing beside xs:complexContent",
                    ));
                }
                let mut derivation = None;
                for child in elements(&cc) {
                    if is(&child, XSD_NS, "extension") {
                        derivation = Some(child);
                    } else if !is(&child, XSD_NS, "annotation") {
                        return Err(self.unsupported(&child, "xs:complexContent", "xs:extension"));
                    }
                }
                let ext = derivation.ok_or_else(|| {
                    self.err(
                        &cc,
                        "xs:complexContent without xs:extension; expected xs:extension base=…",
                    )
                })?;
                out.base = Some(self.qname_attr(&ext, "base")?);
                self.content(&ext, &mut out)?;
            }
        }
        Ok(out)
    }

    fn simple(&self, node: &Node<'_, '_>, named: bool) -> Result<RawSimple, Diagnostic> {
        let name = if named {
            Some(self.attr(node, "name")?)
        } else {
            None
        };
        let mut restriction = None;
        for child in elements(node) {
            match (child.tag_name().namespace(), child.tag_name().name()) {
                (Some(XSD_NS), "annotation") => {}
                (Some(XSD_NS), "restriction") => restriction = Some(child),
                _ => {
                    return Err(self.unsupported(
                        &child,
                        "xs:simpleType",
                        "xs:restriction (xs:list and xs:union are not supported)",
                    ));
                }
            }
        }
        let restriction = restriction.ok_or_else(|| {
            self.err(
                node,
                "xs:simpleType without xs:restriction; expected xs:restriction base=…",
            )
        })?;
        let base = self.qname_attr(&restriction, "base")?;
        let mut values = Vec::new();
        for facet in elements(&restriction) {
            if is(&facet, XSD_NS, "enumeration") {
                values.push(RawEnumValue {
                    value: self.attr(&facet, "value")?,
                    doc: self.documentation(&facet),
                });
            } else if is(&facet, XSD_NS, "simpleType") {
                return Err(self.unsupported(
                    &facet,
                    "xs:restriction",
                    "a base attribute and facets",
                ));
            }
            // Other facets (length, pattern, …) constrain values but do not
            // change the Rust type.
        }
        Ok(RawSimple {
            name,
            pos: self.pos(node),
            base,
            values,
            doc: self.documentation(node),
        })
    }

    fn message(&self, node: &Node<'_, '_>) -> Result<RawMessage, Diagnostic> {
        let mut parts = Vec::new();
        for part in elements(node).filter(|p| is(p, WSDL_NS, "part")) {
            let name = self.attr(&part, "name")?;
            if part.attribute("type").is_some() {
                return Err(self.err(
                    &part,
                    format!("unsupported part `{name}` with type=… (RPC style); expected element=… (document/literal)"),
                ));
            }
            let element = part
                .attribute("element")
                .map(|e| self.qname(&part, e))
                .transpose()?;
            parts.push(RawPart {
                name,
                element,
                pos: self.pos(&part),
            });
        }
        Ok(RawMessage {
            name: self.attr(node, "name")?,
            parts,
        })
    }

    fn port_type(&self, node: &Node<'_, '_>) -> Result<RawPortType, Diagnostic> {
        let mut ops = Vec::new();
        for op in elements(node).filter(|o| is(o, WSDL_NS, "operation")) {
            let mut raw = RawPortOp {
                name: self.attr(&op, "name")?,
                pos: self.pos(&op),
                input: None,
                output: None,
                faults: Vec::new(),
                doc: self.documentation(&op),
            };
            for io in elements(&op) {
                if io.tag_name().namespace() != Some(WSDL_NS) {
                    continue;
                }
                match io.tag_name().name() {
                    "input" => raw.input = Some(self.qname_attr(&io, "message")?),
                    "output" => raw.output = Some(self.qname_attr(&io, "message")?),
                    "fault" => raw.faults.push(self.qname_attr(&io, "message")?),
                    _ => {}
                }
            }
            ops.push(raw);
        }
        Ok(RawPortType {
            name: self.attr(node, "name")?,
            ops,
            doc: self.documentation(node),
        })
    }

    fn check_literal(&self, node: &Node<'_, '_>) -> Result<(), Diagnostic> {
        match node.attribute("use") {
            Some("literal") | None => Ok(()),
            Some(other) => Err(self.err(
                node,
                format!(
                    "unsupported non-literal binding use=\"{other}\"; expected use=\"literal\""
                ),
            )),
        }
    }

    fn binding(&self, node: &Node<'_, '_>) -> Result<Option<RawBinding>, Diagnostic> {
        let soap = elements(node).find(|c| c.tag_name().name() == "binding");
        match soap {
            Some(b) if b.tag_name().namespace() == Some(SOAP_NS) => {
                if let Some(style) = b.attribute("style")
                    && style != "document"
                {
                    return Err(self.err(
                        &b,
                        format!(
                            "unsupported binding style=\"{style}\"; expected style=\"document\""
                        ),
                    ));
                }
            }
            Some(b) if b.tag_name().namespace() == Some(SOAP12_NS) => {
                return Err(self.err(
                    &b,
                    "unsupported SOAP 1.2 binding; expected a SOAP 1.1 binding (xmlns=\"http://schemas.xmlsoap.org/wsdl/soap/\")",
                ));
            }
            // HTTP or other bindings are not for this generator.
            _ => return Ok(None),
        }
        let mut ops = Vec::new();
        for op in elements(node).filter(|o| is(o, WSDL_NS, "operation")) {
            let mut raw = RawBindingOp {
                name: self.attr(&op, "name")?,
                pos: self.pos(&op),
                soap_action: String::new(),
                body_parts: None,
                headers: Vec::new(),
            };
            for child in elements(&op) {
                if is(&child, SOAP_NS, "operation") {
                    raw.soap_action = child.attribute("soapAction").unwrap_or_default().to_owned();
                    if let Some(style) = child.attribute("style")
                        && style != "document"
                    {
                        return Err(self.err(
                            &child,
                            format!("unsupported operation style=\"{style}\"; expected style=\"document\""),
                        ));
                    }
                } else if is(&child, WSDL_NS, "input") || is(&child, WSDL_NS, "output") {
                    let input = child.tag_name().name() == "input";
                    for ext in elements(&child) {
                        if is(&ext, SOAP_NS, "body") {
                            self.check_literal(&ext)?;
                            if input && let Some(parts) = ext.attribute("parts") {
                                raw.body_parts =
                                    Some(parts.split_whitespace().map(str::to_owned).collect());
                            }
                        } else if is(&ext, SOAP_NS, "header") {
                            self.check_literal(&ext)?;
                            if input {
                                raw.headers.push(RawHeader {
                                    message: self.qname_attr(&ext, "message")?.name,
                                    part: self.attr(&ext, "part")?,
                                    pos: self.pos(&ext),
                                });
                            }
                        }
                    }
                } else if is(&child, WSDL_NS, "fault") {
                    for ext in elements(&child).filter(|e| is(e, SOAP_NS, "fault")) {
                        self.check_literal(&ext)?;
                    }
                }
            }
            ops.push(raw);
        }
        Ok(Some(RawBinding {
            name: self.attr(node, "name")?,
            pos: self.pos(node),
            port_type: self.qname_attr(node, "type")?,
            ops,
        }))
    }

    fn service(&self, node: &Node<'_, '_>) -> Result<Vec<RawServicePort>, Diagnostic> {
        let name = self.attr(node, "name")?;
        let doc = self.documentation(node);
        let mut ports = Vec::new();
        for port in elements(node).filter(|p| is(p, WSDL_NS, "port")) {
            let address = elements(&port)
                .find(|a| is(a, SOAP_NS, "address"))
                .and_then(|a| a.attribute("location"))
                .map(str::to_owned);
            ports.push(RawServicePort {
                service: name.clone(),
                binding: self.qname_attr(&port, "binding")?.name,
                address,
                doc: doc.clone(),
            });
        }
        Ok(ports)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_index_numbers_positions_like_roxmltree() {
        let text = "<a>\n  <b é=\"x\"/>\r\n\n<ü>é</ü>\n</a>";
        let doc = roxmltree::Document::parse(text).unwrap();
        let lines = LineIndex::new(text);
        for node in doc.descendants() {
            let start = node.range().start;
            let expected = doc.text_pos_at(start);
            let got = lines.pos(start);
            assert_eq!(
                (got.line, got.col),
                (expected.row, expected.col),
                "at {start}"
            );
        }
        let end = doc.text_pos_at(text.len());
        let got = lines.pos(text.len() + 5);
        assert_eq!((got.line, got.col), (end.row, end.col));
    }
}
