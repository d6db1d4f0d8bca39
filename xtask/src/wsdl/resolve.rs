//! The resolution helpers the passes of [`super::build`] share: the index
//! of named items, type resolution, and the struct and enum builders.

use std::collections::{BTreeMap, BTreeSet};

use super::model::{Builtin, Card, Choice, Enum, EnumValue, Field, FieldType, Struct};
use super::parse::{
    Occurs, Pos, QName, QRef, RawAttribute, RawComplex, RawElement, RawSimple, RawWsdl, TypeRef,
    XSD_NS,
};
use crate::codegen::Diagnostic;
use crate::codegen::naming::{self, Case, UniqueNames};

/// What a named type became.
#[derive(Debug, Clone)]
pub(super) enum Resolved {
    Builtin(Builtin),
    Named(String),
}

/// The index of a WSDL's named items, and the types built so far. The
/// passes in [`super::build`] fill it in order.
pub(super) struct Builder<'a> {
    pub(super) file: &'a str,
    pub(super) wsdl: &'a RawWsdl,
    /// Named complex types by QName.
    pub(super) complex: BTreeMap<QName, &'a RawComplex>,
    /// Named simple types by QName.
    pub(super) simple: BTreeMap<QName, &'a RawSimple>,
    /// Top-level elements by QName.
    pub(super) elements: BTreeMap<QName, &'a RawElement>,
    /// Rust names of named types.
    pub(super) type_names: BTreeMap<QName, String>,
    /// Complex types with subtypes → the choice's Rust name.
    pub(super) choice_of: BTreeMap<QName, String>,
    /// Direct subtypes of each type, in document order.
    pub(super) subtypes: BTreeMap<QName, Vec<QName>>,
    pub(super) names: UniqueNames,
    pub(super) structs: Vec<Struct>,
    pub(super) enums: Vec<Enum>,
    pub(super) choices: Vec<Choice>,
}

pub(super) fn doc_or(doc: &Option<String>, fallback: String) -> String {
    doc.clone().unwrap_or(fallback)
}

impl<'a> Builder<'a> {
    /// An empty builder over `wsdl` (read from `file`).
    pub(super) fn new(file: &'a str, wsdl: &'a RawWsdl) -> Self {
        let mut names = UniqueNames::new();
        // Generated code names these unqualified.
        for taken in naming::PRELUDE_TYPES {
            names.reserve(taken);
        }
        Self {
            file,
            wsdl,
            complex: BTreeMap::new(),
            simple: BTreeMap::new(),
            elements: BTreeMap::new(),
            type_names: BTreeMap::new(),
            choice_of: BTreeMap::new(),
            subtypes: BTreeMap::new(),
            names,
            structs: Vec::new(),
            enums: Vec::new(),
            choices: Vec::new(),
        }
    }

    pub(super) fn err(&self, pos: Pos, message: impl Into<String>) -> Diagnostic {
        Diagnostic::at(self.file, pos.line, pos.col, message)
    }

    pub(super) fn qn(ns: &Option<String>, local: &str) -> QName {
        QName {
            ns: ns.clone(),
            local: local.to_owned(),
        }
    }

    pub(super) fn index(&mut self) -> Result<(), Diagnostic> {
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
            if let Some(QRef { name: base, pos }) = &c.base {
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
            while let Some(QRef { name: base, .. }) = &at.base {
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
    pub(super) fn name_types(&mut self, absorbed: &BTreeSet<QName>) {
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
    pub(super) fn simple_base(&self, s: &RawSimple, depth: usize) -> Result<Builtin, Diagnostic> {
        let QRef { name: base, pos } = &s.base;
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

    pub(super) fn resolve_named(
        &self,
        q: &QName,
        pos: Pos,
        attribute: bool,
    ) -> Result<Resolved, Diagnostic> {
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
            TypeRef::Named(QRef { name: q, pos }) => {
                Ok(match self.resolve_named(q, *pos, attribute)? {
                    Resolved::Builtin(b) => FieldType::Builtin(b),
                    Resolved::Named(n) => FieldType::Named(n),
                })
            }
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

    pub(super) fn build_enum(&self, s: &RawSimple, rust: &str, xml: &str) -> Enum {
        let mut variants = UniqueNames::new();
        let values = s
            .values
            .iter()
            .map(|v| EnumValue {
                name: variants.name(&v.value, Case::Pascal),
                doc: v.doc.clone(),
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
            name: fields.name(&element.name, Case::Snake),
            ty: self.resolve(&element.ty, owner, &element.name, false)?,
            card,
            attribute: false,
            nil: card == Card::Optional && min >= 1 && element.nillable && !forced_optional,
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
            name: fields.name(&a.name, Case::Snake),
            ty: self.resolve(&a.ty, owner, &a.name, true)?,
            card: if a.required {
                Card::One
            } else {
                Card::Optional
            },
            attribute: true,
            nil: false,
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
        if let Some(QRef { name: base, pos }) = &c.base {
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

    pub(super) fn build_struct(
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
