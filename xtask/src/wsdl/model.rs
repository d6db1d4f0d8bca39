//! Raw items → the resolved model the emitter and the API surface read:
//! Rust names, field types, enumerations, subtype choices, operations.

use std::collections::{BTreeMap, BTreeSet};

use super::parse::{
    Occurs, Pos, QName, RawAttribute, RawComplex, RawElement, RawSimple, RawWsdl, TypeRef, XSD_NS,
};
use crate::codegen::Diagnostic;
use crate::codegen::naming::{Case, UniqueNames};

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
    /// Rust name.
    pub rust: String,
    /// XML name.
    pub xml: String,
    /// Type.
    pub ty: FieldType,
    /// Cardinality.
    pub card: Card,
    /// An XML attribute rather than a child element.
    pub attribute: bool,
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
    /// Variants: Rust name, wire value, documentation.
    pub values: Vec<(String, String, Option<String>)>,
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
    /// Variants: Rust variant name, Rust struct name, XML type name.
    pub variants: Vec<(String, String, String)>,
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
    /// Request: Rust type and XML element name.
    pub request: (String, String),
    /// Response: Rust type and XML element name.
    pub response: (String, String),
    /// Header element names bound to the input.
    pub headers: Vec<String>,
    /// Fault element names.
    pub faults: Vec<String>,
}

/// The resolved model of a WSDL.
#[derive(Debug, Clone)]
pub struct Model {
    /// Target namespace of the elements.
    pub namespace: String,
    /// Documentation of the definitions.
    pub doc: Option<String>,
    /// Service name, address and documentation.
    pub service: Option<(String, Option<String>, Option<String>)>,
    /// The port type's Rust trait name and documentation.
    pub port: (String, Option<String>),
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

/// What a named type became.
#[derive(Debug, Clone)]
enum Resolved {
    Builtin(Builtin),
    Named(String),
}

struct Builder<'a> {
    file: &'a str,
    wsdl: &'a RawWsdl,
    /// Named complex types by QName.
    complex: BTreeMap<QName, &'a RawComplex>,
    /// Named simple types by QName.
    simple: BTreeMap<QName, &'a RawSimple>,
    /// Top-level elements by QName.
    elements: BTreeMap<QName, &'a RawElement>,
    /// Rust names of named types.
    type_names: BTreeMap<QName, String>,
    /// Complex types with subtypes → the choice's Rust name.
    choice_of: BTreeMap<QName, String>,
    /// Direct subtypes of each type, in document order.
    subtypes: BTreeMap<QName, Vec<QName>>,
    names: UniqueNames,
    structs: Vec<Struct>,
    enums: Vec<Enum>,
    choices: Vec<Choice>,
}

fn doc_or(doc: &Option<String>, fallback: String) -> String {
    doc.clone().unwrap_or(fallback)
}

impl<'a> Builder<'a> {
    fn err(&self, pos: Pos, message: impl Into<String>) -> Diagnostic {
        Diagnostic::at(self.file, pos.line, pos.col, message)
    }

    fn qn(ns: &Option<String>, local: &str) -> QName {
        QName {
            ns: ns.clone(),
            local: local.to_owned(),
        }
    }

    fn index(&mut self) -> Result<(), Diagnostic> {
        for schema in &self.wsdl.schemas {
            for c in &schema.complex {
                let name = c.name.clone().unwrap_or_default();
                let q = Self::qn(&schema.target_ns, &name);
                if self.complex.insert(q.clone(), c).is_some() || self.simple.contains_key(&q) {
                    return Err(self.err(
                        c.pos,
                        format!("type `{name}` is defined twice; expected unique type names"),
                    ));
                }
            }
            for s in &schema.simple {
                let name = s.name.clone().unwrap_or_default();
                let q = Self::qn(&schema.target_ns, &name);
                if self.simple.insert(q.clone(), s).is_some() || self.complex.contains_key(&q) {
                    return Err(self.err(
                        s.pos,
                        format!("type `{name}` is defined twice; expected unique type names"),
                    ));
                }
            }
            for e in &schema.elements {
                let q = Self::qn(&schema.target_ns, &e.name);
                if self.elements.insert(q, e).is_some() {
                    return Err(self.err(
                        e.pos,
                        format!(
                            "element `{}` is defined twice; expected unique element names",
                            e.name
                        ),
                    ));
                }
            }
        }
        // Subtypes, and cycles in extension chains.
        for (q, c) in &self.complex {
            if let Some((base, pos)) = &c.base {
                if base.ns.as_deref() == Some(XSD_NS) || !self.complex.contains_key(base) {
                    return Err(self.err(*pos, format!("extension base `{}` is not a complex type of this WSDL; expected a named xs:complexType", base.local)));
                }
                self.subtypes
                    .entry(base.clone())
                    .or_default()
                    .push(q.clone());
            }
            let mut seen = BTreeSet::from([q.clone()]);
            let mut at = c;
            while let Some((base, _)) = &at.base {
                if !seen.insert(base.clone()) {
                    return Err(self.err(c.pos, format!("cyclic extension: type `{}` extends itself through `{}`; expected an acyclic type hierarchy", q.local, base.local)));
                }
                match self.complex.get(base) {
                    Some(next) => at = next,
                    None => break,
                }
            }
        }
        // Subtypes in document order (BTreeMap iteration sorted them by name).
        let order: Vec<QName> = self
            .wsdl
            .schemas
            .iter()
            .flat_map(|s| {
                s.complex
                    .iter()
                    .map(|c| Self::qn(&s.target_ns, c.name.as_deref().unwrap_or_default()))
            })
            .collect();
        for subs in self.subtypes.values_mut() {
            subs.sort_by_key(|q| order.iter().position(|o| o == q));
        }
        Ok(())
    }

    /// Rust names for named types, in document order.
    fn name_types(&mut self, absorbed: &BTreeSet<QName>) {
        for schema in &self.wsdl.schemas {
            for c in &schema.complex {
                let q = Self::qn(&schema.target_ns, c.name.as_deref().unwrap_or_default());
                if absorbed.contains(&q) {
                    continue; // its element's struct stands for it
                }
                let has_subtypes = self.subtypes.contains_key(&q);
                let rust = self.names.ident(&q.local, Case::Pascal).to_string();
                if has_subtypes {
                    self.choice_of.insert(q.clone(), rust.clone());
                    if !c.is_abstract {
                        // The base's own struct.
                        let own = self.names.ident(&format!("{}Base", q.local), Case::Pascal);
                        self.type_names.insert(q, own.to_string());
                    }
                } else {
                    self.type_names.insert(q, rust);
                }
            }
            for s in &schema.simple {
                let q = Self::qn(&schema.target_ns, s.name.as_deref().unwrap_or_default());
                if !s.values.is_empty() {
                    let rust = self.names.ident(&q.local, Case::Pascal).to_string();
                    self.type_names.insert(q, rust);
                }
            }
        }
    }

    /// The built-in a simple type without enumerations restricts.
    fn simple_base(&self, s: &RawSimple, depth: usize) -> Result<Builtin, Diagnostic> {
        let (base, pos) = &s.base;
        if base.ns.as_deref() == Some(XSD_NS) {
            return Builtin::from_xsd(&base.local).ok_or_else(|| {
                self.err(*pos, format!("unsupported built-in type `xs:{}`; expected one of string, int, long, short, byte, boolean, float, double, decimal, dateTime, date, time, base64Binary, integer, anyURI, anySimpleType", base.local))
            });
        }
        match self.simple.get(base) {
            Some(next) if depth < 32 => self.simple_base(next, depth + 1),
            Some(_) => Err(self.err(
                *pos,
                "cyclic simple type restriction; expected an acyclic chain",
            )),
            None => Err(self.err(
                *pos,
                format!(
                    "unknown simple type `{}`; expected a built-in or a simple type of this WSDL",
                    base.local
                ),
            )),
        }
    }

    fn resolve_named(&self, q: &QName, pos: Pos, attribute: bool) -> Result<Resolved, Diagnostic> {
        if q.ns.as_deref() == Some(XSD_NS) {
            return Builtin::from_xsd(&q.local).map(Resolved::Builtin).ok_or_else(|| {
                self.err(pos, format!("unsupported built-in type `xs:{}`; expected one of string, int, long, short, byte, boolean, float, double, decimal, dateTime, date, time, base64Binary, integer, anyURI, anySimpleType", q.local))
            });
        }
        if let Some(s) = self.simple.get(q) {
            if s.values.is_empty() {
                return self.simple_base(s, 0).map(Resolved::Builtin);
            }
            if attribute {
                return Err(self.err(pos, format!("unsupported enumeration type `{}` on an attribute; expected a built-in simple type", q.local)));
            }
            return Ok(Resolved::Named(self.type_names[q].clone()));
        }
        if attribute && self.complex.contains_key(q) {
            return Err(self.err(
                pos,
                format!(
                    "attribute of complex type `{}`; expected a simple type",
                    q.local
                ),
            ));
        }
        if let Some(choice) = self.choice_of.get(q) {
            return Ok(Resolved::Named(choice.clone()));
        }
        if let Some(name) = self.type_names.get(q) {
            return Ok(Resolved::Named(name.clone()));
        }
        Err(self.err(pos, format!("unknown type `{}`; expected a built-in XML Schema type or a type defined in this WSDL", q.local)))
    }

    /// The Rust type of an element's or attribute's type; anonymous types
    /// become types named after `owner` and the item.
    fn resolve(
        &mut self,
        ty: &TypeRef,
        owner: &str,
        item: &str,
        attribute: bool,
    ) -> Result<FieldType, Diagnostic> {
        match ty {
            TypeRef::Named(q, pos) => Ok(match self.resolve_named(q, *pos, attribute)? {
                Resolved::Builtin(b) => FieldType::Builtin(b),
                Resolved::Named(n) => FieldType::Named(n),
            }),
            TypeRef::Simple(s) => {
                if s.values.is_empty() {
                    return self.simple_base(s, 0).map(FieldType::Builtin);
                }
                if attribute {
                    return Err(self.err(
                        s.pos,
                        "unsupported enumeration on an attribute; expected a built-in simple type",
                    ));
                }
                let rust = self
                    .names
                    .ident(&format!("{owner}_{item}"), Case::Pascal)
                    .to_string();
                let e = self.build_enum(s, &rust, item);
                self.enums.push(e);
                Ok(FieldType::Named(rust))
            }
            TypeRef::Complex(c) => {
                if c.base.is_some() {
                    // Anonymous types cannot be named in xsi:type; their
                    // base's fields are inlined like any extension.
                }
                let rust = self
                    .names
                    .ident(&format!("{owner}_{item}"), Case::Pascal)
                    .to_string();
                let s = self.build_struct(c, &rust, item, None)?;
                self.structs.push(s);
                Ok(FieldType::Named(rust))
            }
        }
    }

    fn build_enum(&self, s: &RawSimple, rust: &str, xml: &str) -> Enum {
        let mut variants = UniqueNames::new();
        let values = s
            .values
            .iter()
            .map(|(value, doc)| {
                (
                    variants.ident(value, Case::Pascal).to_string(),
                    value.clone(),
                    doc.clone(),
                )
            })
            .collect();
        Enum {
            rust: rust.to_owned(),
            xml: xml.to_owned(),
            doc: doc_or(&s.doc, format!("The `{xml}` enumeration.")),
            values,
        }
    }

    fn field(
        &mut self,
        owner: &str,
        fields: &mut UniqueNames,
        element: &RawElement,
        forced_optional: bool,
    ) -> Result<Field, Diagnostic> {
        let Occurs { min, max } = element.occurs;
        if max == Some(0) {
            return Err(self.err(
                element.pos,
                format!(
                    "element `{}` with maxOccurs=\"0\"; expected at least one occurrence",
                    element.name
                ),
            ));
        }
        let card = if max.is_none_or(|m| m > 1) {
            Card::Many
        } else if min == 0 || element.nillable || forced_optional {
            Card::Optional
        } else {
            Card::One
        };
        Ok(Field {
            rust: fields.ident(&element.name, Case::Snake).to_string(),
            xml: element.name.clone(),
            ty: self.resolve(&element.ty, owner, &element.name, false)?,
            card,
            attribute: false,
            doc: element.doc.clone(),
        })
    }

    fn attribute_field(
        &mut self,
        owner: &str,
        fields: &mut UniqueNames,
        a: &RawAttribute,
    ) -> Result<Field, Diagnostic> {
        Ok(Field {
            rust: fields.ident(&a.name, Case::Snake).to_string(),
            xml: a.name.clone(),
            ty: self.resolve(&a.ty, owner, &a.name, true)?,
            card: if a.required {
                Card::One
            } else {
                Card::Optional
            },
            attribute: true,
            doc: a.doc.clone(),
        })
    }

    /// The fields of `c`, its bases' first.
    fn fields_of(
        &mut self,
        c: &RawComplex,
        owner: &str,
        names: &mut UniqueNames,
        out: &mut Vec<Field>,
        depth: usize,
    ) -> Result<(), Diagnostic> {
        if let Some((base, pos)) = &c.base {
            let Some(base_type) = self.complex.get(base).copied() else {
                return Err(self.err(*pos, format!("extension base `{}` is not a complex type of this WSDL; expected a named xs:complexType", base.local)));
            };
            if depth > 64 {
                return Err(self.err(*pos, "cyclic extension; expected an acyclic type hierarchy"));
            }
            self.fields_of(base_type, owner, names, out, depth + 1)?;
        }
        for member in &c.members {
            let f = self.field(owner, names, &member.element, member.in_choice)?;
            out.push(f);
        }
        for a in &c.attributes {
            let f = self.attribute_field(owner, names, a)?;
            out.push(f);
        }
        Ok(())
    }

    fn build_struct(
        &mut self,
        c: &RawComplex,
        rust: &str,
        xml: &str,
        root: Option<String>,
    ) -> Result<Struct, Diagnostic> {
        let mut names = UniqueNames::new();
        let mut fields = Vec::new();
        self.fields_of(c, rust, &mut names, &mut fields, 0)?;
        Ok(Struct {
            rust: rust.to_owned(),
            xml: xml.to_owned(),
            doc: doc_or(&c.doc, format!("The `{xml}` complex type.")),
            fields,
            root,
        })
    }
}

/// Resolves `wsdl` (read from `file`) into a [`Model`].
pub fn build(file: &str, wsdl: &RawWsdl) -> Result<Model, Diagnostic> {
    let mut b = Builder {
        file,
        wsdl,
        complex: BTreeMap::new(),
        simple: BTreeMap::new(),
        elements: BTreeMap::new(),
        type_names: BTreeMap::new(),
        choice_of: BTreeMap::new(),
        subtypes: BTreeMap::new(),
        names: UniqueNames::new(),
        structs: Vec::new(),
        enums: Vec::new(),
        choices: Vec::new(),
    };
    b.index()?;

    // Types referenced by a field, a base, or more than one element get their
    // own struct; a type only one element uses is that element's struct.
    let mut referenced: BTreeMap<QName, usize> = BTreeMap::new();
    fn walk_refs(c: &RawComplex, referenced: &mut BTreeMap<QName, usize>) {
        if let Some((base, _)) = &c.base {
            *referenced.entry(base.clone()).or_default() += 2;
        }
        for m in &c.members {
            match &m.element.ty {
                TypeRef::Named(q, _) => *referenced.entry(q.clone()).or_default() += 2,
                TypeRef::Complex(inner) => walk_refs(inner, referenced),
                TypeRef::Simple(_) => {}
            }
        }
    }
    for schema in &wsdl.schemas {
        for c in &schema.complex {
            walk_refs(c, &mut referenced);
        }
        for e in &schema.elements {
            match &e.ty {
                TypeRef::Named(q, _) => *referenced.entry(q.clone()).or_default() += 1,
                TypeRef::Complex(c) => walk_refs(c, &mut referenced),
                TypeRef::Simple(_) => {}
            }
        }
    }
    let absorbed: BTreeSet<QName> = referenced
        .iter()
        .filter(|(q, n)| **n == 1 && b.complex.contains_key(*q) && !b.subtypes.contains_key(*q))
        .map(|(q, _)| q.clone())
        .collect();

    // Element names first, so that `paramsFoo` takes `ParamsFoo` from the
    // type it absorbs.
    let mut element_names: BTreeMap<QName, String> = BTreeMap::new();
    for schema in &wsdl.schemas {
        for e in &schema.elements {
            let takes_type_name = match &e.ty {
                TypeRef::Named(q, _) => absorbed.contains(q),
                _ => true,
            };
            let rust = if takes_type_name {
                b.names.ident(&e.name, Case::Pascal).to_string()
            } else {
                b.names
                    .ident(&format!("{}Element", e.name), Case::Pascal)
                    .to_string()
            };
            element_names.insert(Builder::qn(&schema.target_ns, &e.name), rust);
        }
    }
    b.name_types(&absorbed);

    // Named complex types, simple types, choices.
    for schema in &wsdl.schemas {
        for s in &schema.simple {
            if s.values.is_empty() {
                b.simple_base(s, 0)?;
                continue;
            }
            let q = Builder::qn(&schema.target_ns, s.name.as_deref().unwrap_or_default());
            let rust = b.type_names[&q].clone();
            let e = b.build_enum(s, &rust, &q.local);
            b.enums.push(e);
        }
        for c in &schema.complex {
            let q = Builder::qn(&schema.target_ns, c.name.as_deref().unwrap_or_default());
            if absorbed.contains(&q) {
                continue;
            }
            if let Some(choice) = b.choice_of.get(&q).cloned() {
                let mut variants = Vec::new();
                let mut variant_names = UniqueNames::new();
                let mut stack = vec![q.clone()];
                let mut all = Vec::new();
                while let Some(t) = stack.pop() {
                    all.push(t.clone());
                    if let Some(subs) = b.subtypes.get(&t) {
                        stack.extend(subs.iter().rev().cloned());
                    }
                }
                for t in all {
                    let Some(raw) = b.complex.get(&t) else {
                        continue;
                    };
                    if raw.is_abstract {
                        continue;
                    }
                    // A subtype that itself has subtypes is represented by
                    // its own struct here (its `Base` struct).
                    let Some(struct_name) = b.type_names.get(&t).cloned() else {
                        continue;
                    };
                    variants.push((
                        variant_names.ident(&t.local, Case::Pascal).to_string(),
                        struct_name,
                        t.local.clone(),
                    ));
                }
                if variants.is_empty() {
                    return Err(b.err(c.pos, format!("abstract type `{}` has no concrete subtype; expected at least one xs:extension of it", q.local)));
                }
                b.choices.push(Choice {
                    rust: choice,
                    xml: q.local.clone(),
                    doc: doc_or(
                        &c.doc,
                        format!("The `{}` type or one of its subtypes.", q.local),
                    ),
                    variants,
                });
            }
            if let Some(rust) = b.type_names.get(&q).cloned() {
                let s = b.build_struct(c, &rust, &q.local, None)?;
                b.structs.push(s);
            }
        }
    }

    // Top-level elements.
    let mut elements = Vec::new();
    for schema in &wsdl.schemas {
        for e in &schema.elements {
            let q = Builder::qn(&schema.target_ns, &e.name);
            let rust = element_names[&q].clone();
            let mut s = match &e.ty {
                TypeRef::Complex(c) => b.build_struct(c, &rust, &e.name, None)?,
                TypeRef::Named(tq, pos) => match b.complex.get(tq).copied() {
                    Some(c) if !c.is_abstract => b.build_struct(c, &rust, &e.name, None)?,
                    Some(_) => return Err(b.err(
                        *pos,
                        format!(
                            "element `{}` of abstract type `{}`; expected a concrete complex type",
                            e.name, tq.local
                        ),
                    )),
                    None => {
                        b.resolve_named(tq, *pos, false)?;
                        return Err(b.err(e.pos, format!("unsupported top-level element `{}` of simple type `{}`; expected a complex type", e.name, tq.local)));
                    }
                },
                TypeRef::Simple(s) => {
                    return Err(b.err(s.pos, format!("unsupported top-level element `{}` of simple type; expected a complex type", e.name)));
                }
            };
            s.doc = match (&e.doc, &e.ty) {
                (Some(d), _) => d.clone(),
                (None, TypeRef::Named(tq, _)) => b
                    .complex
                    .get(tq)
                    .and_then(|c| c.doc.clone())
                    .unwrap_or_else(|| format!("The `{}` element.", e.name)),
                (None, _) => format!("The `{}` element.", e.name),
            };
            s.root = Some(
                schema
                    .target_ns
                    .clone()
                    .unwrap_or_else(|| wsdl.target_ns.clone()),
            );
            elements.push(s);
        }
    }

    // Operations.
    let msg = |q: &QName| wsdl.messages.iter().find(|m| m.name == q.local);
    let binding = match wsdl.services.first() {
        Some(port) => wsdl
            .bindings
            .iter()
            .find(|bd| bd.name == port.binding.local),
        None => wsdl.bindings.first(),
    }
    .ok_or_else(|| {
        Diagnostic::in_file(
            file,
            "no SOAP 1.1 binding found; expected a wsdl:binding with a soap:binding child",
        )
    })?;
    let port_type = wsdl
        .port_types
        .iter()
        .find(|p| p.name == binding.port_type.0.local)
        .ok_or_else(|| {
            b.err(
                binding.port_type.1,
                format!(
                    "unknown port type `{}`; expected a wsdl:portType of this document",
                    binding.port_type.0.local
                ),
            )
        })?;
    let element_rust = |q: &QName, pos: Pos| -> Result<(String, String), Diagnostic> {
        element_names
            .get(q)
            .map(|r| (r.clone(), q.local.clone()))
            .ok_or_else(|| {
                Diagnostic::at(
                    file,
                    pos.line,
                    pos.col,
                    format!(
                        "unknown element `{}`; expected a top-level xs:element of this WSDL",
                        q.local
                    ),
                )
            })
    };
    let mut methods = UniqueNames::new();
    let mut constants = UniqueNames::new();
    let mut operations = Vec::new();
    let mut input_roots = BTreeSet::new();
    let mut output_roots = BTreeSet::new();
    for bop in &binding.ops {
        let pop = port_type.ops.iter().find(|o| o.name == bop.name).ok_or_else(|| {
            b.err(bop.pos, format!("binding operation `{}` is not in port type `{}`; expected a matching wsdl:operation", bop.name, port_type.name))
        })?;
        let body = |io: &Option<(QName, Pos)>,
                    what: &str,
                    parts: Option<&Vec<String>>|
         -> Result<(String, String), Diagnostic> {
            let (mq, pos) = io.as_ref().ok_or_else(|| {
                b.err(
                    pop.pos,
                    format!(
                        "operation `{}` has no {what}; expected wsdl:{what} message=…",
                        pop.name
                    ),
                )
            })?;
            let m = msg(mq).ok_or_else(|| {
                b.err(
                    *pos,
                    format!(
                        "unknown message `{}`; expected a wsdl:message of this document",
                        mq.local
                    ),
                )
            })?;
            let candidates: Vec<_> = m
                .parts
                .iter()
                .filter(|p| parts.is_none_or(|ps| ps.contains(&p.name)))
                .collect();
            let [part] = candidates.as_slice() else {
                return Err(b.err(
                    *pos,
                    format!(
                        "message `{}` has {} body parts; expected exactly one (document/literal)",
                        m.name,
                        candidates.len()
                    ),
                ));
            };
            let eq = part.element.as_ref().ok_or_else(|| {
                b.err(
                    part.pos,
                    format!("part `{}` has no element; expected element=…", part.name),
                )
            })?;
            element_rust(eq, part.pos)
        };
        let request = body(&pop.input, "input", bop.body_parts.as_ref())?;
        let response = body(&pop.output, "output", None)?;
        let mut headers = Vec::new();
        for h in &bop.headers {
            let m = msg(&h.message).ok_or_else(|| {
                b.err(
                    h.pos,
                    format!(
                        "unknown message `{}`; expected a wsdl:message of this document",
                        h.message.local
                    ),
                )
            })?;
            let part = m.parts.iter().find(|p| p.name == h.part).ok_or_else(|| {
                b.err(
                    h.pos,
                    format!(
                        "message `{}` has no part `{}`; expected a part of that message",
                        m.name, h.part
                    ),
                )
            })?;
            let eq = part.element.as_ref().ok_or_else(|| {
                b.err(
                    part.pos,
                    format!("part `{}` has no element; expected element=…", part.name),
                )
            })?;
            let (rust, xml) = element_rust(eq, part.pos)?;
            input_roots.insert(rust);
            headers.push(xml);
        }
        let mut faults = Vec::new();
        for (fq, pos) in &pop.faults {
            let m = msg(fq).ok_or_else(|| {
                b.err(
                    *pos,
                    format!(
                        "unknown message `{}`; expected a wsdl:message of this document",
                        fq.local
                    ),
                )
            })?;
            for part in &m.parts {
                if let Some(eq) = &part.element {
                    let (rust, xml) = element_rust(eq, part.pos)?;
                    output_roots.insert(rust);
                    faults.push(xml);
                }
            }
        }
        input_roots.insert(request.0.clone());
        output_roots.insert(response.0.clone());
        operations.push(Operation {
            name: bop.name.clone(),
            method: methods.ident(&bop.name, Case::Snake).to_string(),
            constant: constants
                .ident(&bop.name, Case::Snake)
                .to_string()
                .trim_start_matches("r#")
                .to_uppercase(),
            doc: pop.doc.clone(),
            soap_action: bop.soap_action.clone(),
            request,
            response,
            headers,
            faults,
        });
    }
    let service = wsdl
        .services
        .first()
        .map(|s| (s.service.clone(), s.address.clone(), s.doc.clone()));
    Ok(Model {
        namespace: wsdl
            .schemas
            .iter()
            .find_map(|s| s.target_ns.clone())
            .unwrap_or_else(|| wsdl.target_ns.clone()),
        doc: wsdl.doc.clone(),
        service,
        port: (
            b.names.ident(&port_type.name, Case::Pascal).to_string(),
            port_type.doc.clone(),
        ),
        structs: b.structs,
        choices: b.choices,
        enums: b.enums,
        elements,
        operations,
        input_roots,
        output_roots,
    })
}
