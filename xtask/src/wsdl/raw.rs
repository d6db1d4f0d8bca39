//! The raw items [`super::parse`] reads from a WSDL: what the document
//! says, with the position of every item, before any reference is
//! resolved.

/// XML Schema.
pub const XSD_NS: &str = "http://www.w3.org/2001/XMLSchema";
/// WSDL 1.1.
pub const WSDL_NS: &str = "http://schemas.xmlsoap.org/wsdl/";
/// The WSDL 1.1 SOAP 1.1 binding.
pub const SOAP_NS: &str = "http://schemas.xmlsoap.org/wsdl/soap/";
/// The WSDL 1.1 SOAP 1.2 binding (not supported).
pub const SOAP12_NS: &str = "http://schemas.xmlsoap.org/wsdl/soap12/";

/// A 1-based line and column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Pos {
    /// Line.
    pub line: u32,
    /// Column.
    pub col: u32,
}

/// A resolved qualified name.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct QName {
    /// Namespace URI (`None` for no namespace).
    pub ns: Option<String>,
    /// Local name.
    pub local: String,
}

impl std::fmt::Display for QName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.ns {
            Some(ns) => write!(f, "{{{ns}}}{}", self.local),
            None => f.write_str(&self.local),
        }
    }
}

/// How many times an element may occur.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Occurs {
    /// `minOccurs`.
    pub min: u32,
    /// `maxOccurs` (`None` = unbounded).
    pub max: Option<u32>,
}

/// A qualified name read from an attribute, with where it was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QRef {
    /// The resolved name.
    pub name: QName,
    /// Where the attribute's element is.
    pub pos: Pos,
}

/// One `xs:enumeration` of a simple type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawEnumValue {
    /// `value`.
    pub value: String,
    /// `xs:documentation`.
    pub doc: Option<String>,
}

/// The type of an element or attribute.
#[derive(Debug, Clone)]
pub enum TypeRef {
    /// `type="prefix:Name"`.
    Named(QRef),
    /// An anonymous `xs:complexType` child.
    Complex(Box<RawComplex>),
    /// An anonymous `xs:simpleType` child.
    Simple(Box<RawSimple>),
}

/// An `xs:element` (top-level or local).
#[derive(Debug, Clone)]
pub struct RawElement {
    /// `name`.
    pub name: String,
    /// Where.
    pub pos: Pos,
    /// Its type.
    pub ty: TypeRef,
    /// Occurrence.
    pub occurs: Occurs,
    /// `nillable="true"`.
    pub nillable: bool,
    /// `xs:documentation`.
    pub doc: Option<String>,
}

/// An `xs:attribute`.
#[derive(Debug, Clone)]
pub struct RawAttribute {
    /// `name`.
    pub name: String,
    /// Where.
    pub pos: Pos,
    /// Its type.
    pub ty: TypeRef,
    /// `use="required"`.
    pub required: bool,
    /// `xs:documentation`.
    pub doc: Option<String>,
}

/// A member of a complex type's content.
#[derive(Debug, Clone)]
pub struct RawMember {
    /// The element.
    pub element: RawElement,
    /// It stands in an `xs:choice`: at most one member is present.
    pub in_choice: bool,
}

/// An `xs:complexType`.
#[derive(Debug, Clone)]
pub struct RawComplex {
    /// `name` (`None` when anonymous).
    pub name: Option<String>,
    /// Where.
    pub pos: Pos,
    /// `abstract="true"`.
    pub is_abstract: bool,
    /// `complexContent/extension/@base`.
    pub base: Option<QRef>,
    /// Elements, in document order.
    pub members: Vec<RawMember>,
    /// Attributes.
    pub attributes: Vec<RawAttribute>,
    /// `xs:documentation`.
    pub doc: Option<String>,
}

/// An `xs:simpleType` restriction.
#[derive(Debug, Clone)]
pub struct RawSimple {
    /// `name` (`None` when anonymous).
    pub name: Option<String>,
    /// Where.
    pub pos: Pos,
    /// `restriction/@base`.
    pub base: QRef,
    /// Enumeration values with their documentation.
    pub values: Vec<RawEnumValue>,
    /// `xs:documentation`.
    pub doc: Option<String>,
}

/// A message part.
#[derive(Debug, Clone)]
pub struct RawPart {
    /// `name`.
    pub name: String,
    /// `element` (document style).
    pub element: Option<QName>,
    /// Where.
    pub pos: Pos,
}

/// A `wsdl:message`.
#[derive(Debug, Clone)]
pub struct RawMessage {
    /// `name`.
    pub name: String,
    /// Its parts.
    pub parts: Vec<RawPart>,
}

/// A `wsdl:portType/wsdl:operation`.
#[derive(Debug, Clone)]
pub struct RawPortOp {
    /// `name`.
    pub name: String,
    /// Where.
    pub pos: Pos,
    /// `input/@message`.
    pub input: Option<QRef>,
    /// `output/@message`.
    pub output: Option<QRef>,
    /// `fault/@message`s.
    pub faults: Vec<QRef>,
    /// `wsdl:documentation`.
    pub doc: Option<String>,
}

/// A `wsdl:portType`.
#[derive(Debug, Clone)]
pub struct RawPortType {
    /// `name`.
    pub name: String,
    /// Its operations.
    pub ops: Vec<RawPortOp>,
    /// `wsdl:documentation`.
    pub doc: Option<String>,
}

/// A `soap:header` of a binding input.
#[derive(Debug, Clone)]
pub struct RawHeader {
    /// `message`.
    pub message: QName,
    /// `part`.
    pub part: String,
    /// Where.
    pub pos: Pos,
}

/// A `wsdl:binding/wsdl:operation`.
#[derive(Debug, Clone)]
pub struct RawBindingOp {
    /// `name`.
    pub name: String,
    /// Where.
    pub pos: Pos,
    /// `soap:operation/@soapAction`.
    pub soap_action: String,
    /// `soap:body/@parts` of the input, if given.
    pub body_parts: Option<Vec<String>>,
    /// Header parts of the input.
    pub headers: Vec<RawHeader>,
}

/// A `wsdl:binding` with a SOAP 1.1 binding.
#[derive(Debug, Clone)]
pub struct RawBinding {
    /// `name`.
    pub name: String,
    /// Where.
    pub pos: Pos,
    /// `type` (the port type).
    pub port_type: QRef,
    /// Operations.
    pub ops: Vec<RawBindingOp>,
}

/// A `wsdl:service` port.
#[derive(Debug, Clone)]
pub struct RawServicePort {
    /// The service's `name`.
    pub service: String,
    /// `binding`.
    pub binding: QName,
    /// `soap:address/@location`.
    pub address: Option<String>,
    /// The service's documentation.
    pub doc: Option<String>,
}

/// One schema's top-level items.
#[derive(Debug, Clone, Default)]
pub struct RawSchema {
    /// `targetNamespace`.
    pub target_ns: Option<String>,
    /// Top-level elements.
    pub elements: Vec<RawElement>,
    /// Named complex types.
    pub complex: Vec<RawComplex>,
    /// Named simple types.
    pub simple: Vec<RawSimple>,
}

/// Everything read from a WSDL file.
#[derive(Debug, Clone, Default)]
pub struct RawWsdl {
    /// `definitions/@targetNamespace`.
    pub target_ns: String,
    /// `definitions/wsdl:documentation`.
    pub doc: Option<String>,
    /// Embedded schemas.
    pub schemas: Vec<RawSchema>,
    /// Messages.
    pub messages: Vec<RawMessage>,
    /// Port types.
    pub port_types: Vec<RawPortType>,
    /// SOAP bindings.
    pub bindings: Vec<RawBinding>,
    /// Service ports.
    pub services: Vec<RawServicePort>,
}
