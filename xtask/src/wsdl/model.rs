//! The resolved model the emitter and the API surface read: Rust names,
//! field types, enumerations, subtype choices, operations. Built from the
//! raw items by the passes in [`super::build`].

use std::collections::{BTreeMap, BTreeSet};

pub use crate::codegen::enums::EnumValue;
use crate::codegen::naming::Name;

/// An XML Schema built-in type and its Rust type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Builtin {
    /// `String`.
    String,
    /// `i8`.
    I8,
    /// `i16`.
    I16,
    /// `i32`.
    I32,
    /// `i64`.
    I64,
    /// `u8`.
    U8,
    /// `u16`.
    U16,
    /// `u32`.
    U32,
    /// `u64`.
    U64,
    /// `bool`.
    Bool,
    /// `f32`.
    F32,
    /// `f64`.
    F64,
    /// `::marketo_soap::DateTime`.
    DateTime,
}

impl Builtin {
    /// The built-in named `local` in the XML Schema namespace.
    pub fn from_xsd(local: &str) -> Option<Self> {
        Some(match local {
            "string" | "normalizedString" | "token" | "anyURI" | "anySimpleType" | "date"
            | "time" | "decimal" | "base64Binary" | "hexBinary" | "duration" | "QName"
            | "language" | "NMTOKEN" | "Name" | "NCName" | "ID" => Self::String,
            "byte" => Self::I8,
            "short" => Self::I16,
            "int" => Self::I32,
            "long" | "integer" | "nonNegativeInteger" | "positiveInteger" | "negativeInteger"
            | "nonPositiveInteger" => Self::I64,
            "unsignedByte" => Self::U8,
            "unsignedShort" => Self::U16,
            "unsignedInt" => Self::U32,
            "unsignedLong" => Self::U64,
            "boolean" => Self::Bool,
            "float" => Self::F32,
            "double" => Self::F64,
            "dateTime" => Self::DateTime,
            _ => return None,
        })
    }

    /// The Rust type as written in generated code.
    pub fn rust(self) -> &'static str {
        match self {
            Self::String => "String",
            Self::I8 => "i8",
            Self::I16 => "i16",
            Self::I32 => "i32",
            Self::I64 => "i64",
            Self::U8 => "u8",
            Self::U16 => "u16",
            Self::U32 => "u32",
            Self::U64 => "u64",
            Self::Bool => "bool",
            Self::F32 => "f32",
            Self::F64 => "f64",
            Self::DateTime => "::marketo_soap::DateTime",
        }
    }

    /// The Rust type as a user reads it (for the API surface).
    pub fn display(self) -> &'static str {
        match self {
            Self::DateTime => "DateTime",
            other => other.rust(),
        }
    }
}

/// The type of a field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldType {
    /// A built-in.
    Builtin(Builtin),
    /// A generated type, by Rust name.
    Named(String),
}

impl FieldType {
    /// The Rust type as a user reads it.
    pub fn display(&self) -> String {
        match self {
            Self::Builtin(b) => b.display().to_owned(),
            Self::Named(n) => n.clone(),
        }
    }
}

/// How a field holds its values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Card {
    /// Exactly one: `T`.
    One,
    /// Zero or one: `Option<T>`.
    Optional,
    /// Any number: `Vec<T>`.
    Many,
}

/// A field of a struct.
#[derive(Debug, Clone)]
pub struct Field {
    /// Rust field name and XML element or attribute name.
    pub name: Name,
    /// Type.
    pub ty: FieldType,
    /// Cardinality.
    pub card: Card,
    /// An XML attribute rather than a child element.
    pub attribute: bool,
    /// A required (`minOccurs` ≥ 1) nillable element outside a choice: an
    /// `Option` whose `None` is written as `xsi:nil="true"`, not omitted.
    pub nil: bool,
    /// Documentation.
    pub doc: Option<String>,
}

/// A generated struct (complex type or top-level element).
#[derive(Debug, Clone)]
pub struct Struct {
    /// Rust name.
    pub rust: String,
    /// The XML name (type name, or element name for top-level elements).
    pub xml: String,
    /// Documentation.
    pub doc: String,
    /// Fields, base fields first.
    pub fields: Vec<Field>,
    /// A top-level element: written qualified with this namespace (its
    /// schema's target namespace).
    pub root: Option<String>,
}

/// A generated enumeration.
#[derive(Debug, Clone)]
pub struct Enum {
    /// Rust name.
    pub rust: String,
    /// XML type name.
    pub xml: String,
    /// Documentation.
    pub doc: String,
    /// Its values, in the order of the spec.
    pub values: Vec<EnumValue>,
}

/// An abstract (or extended) type: one of its concrete types, named with
/// `xsi:type`.
#[derive(Debug, Clone)]
pub struct Choice {
    /// Rust name.
    pub rust: String,
    /// XML type name.
    pub xml: String,
    /// Documentation.
    pub doc: String,
    /// The concrete types, in document order.
    pub variants: Vec<Variant>,
}

/// One concrete type of a [`Choice`].
#[derive(Debug, Clone)]
pub struct Variant {
    /// Rust variant name.
    pub rust: String,
    /// The Rust struct it holds.
    pub struct_name: String,
    /// The XML type name written as `xsi:type`.
    pub xsi_type: String,
}

/// A top-level element used as a message body or header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ElementRef {
    /// Rust struct name.
    pub rust: String,
    /// XML element name.
    pub xml: String,
}

/// An operation.
#[derive(Debug, Clone)]
pub struct Operation {
    /// WSDL name.
    pub name: String,
    /// Rust method name.
    pub method: String,
    /// Rust constant name of its descriptor.
    pub constant: String,
    /// Documentation.
    pub doc: Option<String>,
    /// `soapAction`.
    pub soap_action: String,
    /// The request body element.
    pub request: ElementRef,
    /// The response body element.
    pub response: ElementRef,
    /// The response element's only child (Marketo's `successX { result }`):
    /// the method returns this field's value instead of the wrapper.
    pub result: Option<Field>,
    /// Header element names bound to the input.
    pub headers: Vec<String>,
    /// Fault element names.
    pub faults: Vec<String>,
    /// Safe to send again after a transport failure (from the annotation
    /// file beside the WSDL; `false` when it says nothing).
    pub idempotent: bool,
}

/// The WSDL's service.
#[derive(Debug, Clone)]
pub struct Service {
    /// Its name.
    pub name: String,
    /// `soap:address/@location`.
    pub address: Option<String>,
    /// Documentation.
    pub doc: Option<String>,
}

/// The port type the binding implements.
#[derive(Debug, Clone)]
pub struct Port {
    /// Its WSDL name.
    pub name: String,
    /// Documentation.
    pub doc: Option<String>,
}

/// The resolved model of a WSDL.
#[derive(Debug, Clone)]
pub struct Model {
    /// Target namespace of the elements.
    pub namespace: String,
    /// Documentation of the definitions.
    pub doc: Option<String>,
    /// The service, if the WSDL has one.
    pub service: Option<Service>,
    /// The port type.
    pub port: Port,
    /// Complex types.
    pub structs: Vec<Struct>,
    /// Subtype choices.
    pub choices: Vec<Choice>,
    /// Enumerations.
    pub enums: Vec<Enum>,
    /// Top-level elements.
    pub elements: Vec<Struct>,
    /// Operations, in binding order.
    pub operations: Vec<Operation>,
    /// Elements used as request bodies or headers (Rust names).
    pub input_roots: BTreeSet<String>,
    /// Elements used as response bodies or faults (Rust names).
    pub output_roots: BTreeSet<String>,
}

impl Struct {
    /// The member of a list wrapper (`ArrayOfX { x: Vec<X> }`: a type, not
    /// a top-level element, whose only member is a repeated element).
    pub fn list_item(&self) -> Option<&Field> {
        match self.fields.as_slice() {
            [only] if self.root.is_none() && !only.attribute && only.card == Card::Many => {
                Some(only)
            }
            _ => None,
        }
    }
}

impl Model {
    /// The list wrappers whose fields read as `Vec<item>` in other types,
    /// by Rust name, with their item type. A wrapper of wrappers
    /// (`ArrayOfKeyList { keyList: ArrayOfAttribute* }`) is not flattened.
    pub fn list_wrappers(&self) -> BTreeMap<String, FieldType> {
        let all: BTreeMap<&str, &Field> = self
            .structs
            .iter()
            .filter_map(|s| Some((s.rust.as_str(), s.list_item()?)))
            .collect();
        all.iter()
            .filter(|(_, item)| match &item.ty {
                FieldType::Named(n) => !all.contains_key(n.as_str()),
                FieldType::Builtin(_) => true,
            })
            .map(|(name, item)| ((*name).to_owned(), item.ty.clone()))
            .collect()
    }
}

/// The item type field `f` of struct `owner` reads as a list of: when the
/// field holds one list wrapper of `lists` (`T` or `Option<T>`, see
/// [`Model::list_wrappers`]) and `owner` is not a wrapper itself.
pub fn flattened<'m>(
    lists: &'m BTreeMap<String, FieldType>,
    owner: &Struct,
    f: &Field,
) -> Option<&'m FieldType> {
    if owner.list_item().is_some() || f.card == Card::Many {
        return None;
    }
    match &f.ty {
        FieldType::Named(n) => lists.get(n),
        FieldType::Builtin(_) => None,
    }
}
