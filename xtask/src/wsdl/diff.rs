//! A semantic diff of two WSDL documents: what a client generated from one
//! would see differently in the other. Compared are the schema types
//! (complex types' base, abstractness, element order, each element's type,
//! occurrence, nillability and choice membership, attributes; simple types'
//! base and enumeration values), the top-level elements, and the operations
//! (input, output and fault elements, `soapAction`, header parts). Names are
//! compared by local name (both documents describe one namespace); prefixes,
//! documentation, comments and layout are ignored.
//!
//! `cargo xtask wsdl-diff LEFT RIGHT` prints the differences; the tests
//! diff `specs/marketo-soap.wsdl` against Marketo's published WSDL
//! (`specs/reference/marketo-mktows-2_3.wsdl`).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::Path;

use super::parse::{
    self, Occurs, RawComplex, RawElement, RawSchema, RawSimple, RawWsdl, TypeRef, XSD_NS,
};
use crate::codegen::CodegenError;

/// What differs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Aspect {
    /// The item is only in the left document.
    OnlyLeft,
    /// The item is only in the right document.
    OnlyRight,
    /// The kind of item (complex vs simple type).
    Kind,
    /// A complex type's extension base or abstractness.
    Base,
    /// The order of the elements both sides have.
    Order,
    /// An element's or attribute's type.
    Type,
    /// `minOccurs`/`maxOccurs`.
    Occurs,
    /// `nillable`.
    Nillable,
    /// Whether an element stands in an `xs:choice`.
    Choice,
    /// Whether an attribute is required.
    Required,
    /// A simple type's enumeration values.
    Values,
    /// An operation's input element.
    Input,
    /// An operation's output element.
    Output,
    /// An operation's fault elements.
    Faults,
    /// An operation's `soapAction`.
    SoapAction,
    /// An operation's header parts (element and part name).
    Headers,
}

/// One difference: where, what, and each side's value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Difference {
    /// The item: `type LeadRecord`, `type LeadRecord/Email`,
    /// `element paramsGetLead`, `operation getLead`.
    pub path: String,
    /// What differs.
    pub aspect: Aspect,
    /// The left document's value (empty when it has no such item).
    pub left: String,
    /// The right document's value.
    pub right: String,
}

impl fmt::Display for Difference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.aspect {
            Aspect::OnlyLeft => write!(f, "{}: only in left ({})", self.path, self.left),
            Aspect::OnlyRight => write!(f, "{}: only in right ({})", self.path, self.right),
            aspect => write!(
                f,
                "{}: {aspect:?}: left {} / right {}",
                self.path, self.left, self.right
            ),
        }
    }
}

/// Reads both files and diffs them.
pub fn diff_files(left: &Path, right: &Path) -> Result<Vec<Difference>, CodegenError> {
    let read = |p: &Path| -> Result<RawWsdl, CodegenError> {
        let text = std::fs::read_to_string(p).map_err(|source| CodegenError::Io {
            path: p.to_path_buf(),
            source,
        })?;
        Ok(parse::parse(&p.to_string_lossy(), &text)?)
    };
    Ok(diff(&read(left)?, &read(right)?))
}

/// Parses both texts and diffs them.
pub fn diff_str(left: &str, right: &str) -> Result<Vec<Difference>, CodegenError> {
    let l = parse::parse("left", left)?;
    let r = parse::parse("right", right)?;
    Ok(diff(&l, &r))
}

/// The differences between two parsed documents, left's order first.
pub fn diff(left: &RawWsdl, right: &RawWsdl) -> Vec<Difference> {
    let mut d = Diff::default();
    let (l, r) = (Items::of(left), Items::of(right));
    keyed(&mut d, "type", &l.types, &r.types, |d, path, a, b| {
        d.item(path, a, b)
    });
    keyed(
        &mut d,
        "element",
        &l.elements,
        &r.elements,
        |d, path, a, b| d.element(path, a, b, false),
    );
    let (lo, ro) = (operations(left), operations(right));
    keyed(&mut d, "operation", &lo, &ro, |d, path, a, b| {
        d.operation(path, a, b)
    });
    d.out
}

/// A named schema type.
enum Item<'w> {
    Complex(&'w RawComplex),
    Simple(&'w RawSimple),
}

/// The named types and top-level elements of a document, in order.
struct Items<'w> {
    types: Vec<(String, Item<'w>)>,
    elements: Vec<(String, &'w RawElement)>,
}

impl<'w> Items<'w> {
    fn of(w: &'w RawWsdl) -> Self {
        let schemas: &[RawSchema] = &w.schemas;
        let mut types = Vec::new();
        let mut elements = Vec::new();
        for s in schemas {
            for c in &s.complex {
                types.push((c.name.clone().unwrap_or_default(), Item::Complex(c)));
            }
            for t in &s.simple {
                types.push((t.name.clone().unwrap_or_default(), Item::Simple(t)));
            }
            for e in &s.elements {
                elements.push((e.name.clone(), e));
            }
        }
        Self { types, elements }
    }
}

/// An operation as a client sees it.
#[derive(Debug, Default)]
struct Op {
    input: String,
    output: String,
    faults: Vec<String>,
    soap_action: String,
    headers: Vec<String>,
}

/// The element names of message `name`'s parts (`part` only, if given).
fn message_elements(w: &RawWsdl, name: &str, part: Option<&str>) -> Vec<String> {
    w.messages
        .iter()
        .filter(|m| m.name == name)
        .flat_map(|m| &m.parts)
        .filter(|p| part.is_none_or(|want| p.name == want))
        .map(|p| match &p.element {
            Some(e) => e.local.clone(),
            None => format!("(part {} without element)", p.name),
        })
        .collect()
}

fn operations(w: &RawWsdl) -> Vec<(String, Op)> {
    let mut out = Vec::new();
    for pt in &w.port_types {
        for op in &pt.ops {
            let msg = |q: &Option<parse::QRef>| {
                q.as_ref()
                    .map(|q| message_elements(w, &q.name.local, None).join(", "))
                    .unwrap_or_default()
            };
            let binding = w
                .bindings
                .iter()
                .filter(|b| b.port_type.name.local == pt.name)
                .flat_map(|b| &b.ops)
                .find(|b| b.name == op.name);
            let headers = binding
                .map(|b| {
                    b.headers
                        .iter()
                        .map(|h| {
                            let elements = message_elements(w, &h.message.local, Some(&h.part));
                            format!("{} (part {})", elements.join(", "), h.part)
                        })
                        .collect()
                })
                .unwrap_or_default();
            let mut faults: Vec<String> = op
                .faults
                .iter()
                .flat_map(|f| message_elements(w, &f.name.local, None))
                .collect();
            faults.sort();
            out.push((
                op.name.clone(),
                Op {
                    input: msg(&op.input),
                    output: msg(&op.output),
                    faults,
                    soap_action: binding.map(|b| b.soap_action.clone()).unwrap_or_default(),
                    headers,
                },
            ));
        }
    }
    out
}

/// Walks two keyed lists: `both` for items on both sides, an `Only*`
/// difference for the others.
fn keyed<T>(
    d: &mut Diff,
    what: &str,
    left: &[(String, T)],
    right: &[(String, T)],
    mut both: impl FnMut(&mut Diff, &str, &T, &T),
) {
    let r: BTreeMap<&str, &T> = right.iter().map(|(k, v)| (k.as_str(), v)).collect();
    let l: BTreeSet<&str> = left.iter().map(|(k, _)| k.as_str()).collect();
    for (name, a) in left {
        let path = format!("{what} {name}");
        match r.get(name.as_str()) {
            Some(b) => both(d, &path, a, b),
            None => d.push(&path, Aspect::OnlyLeft, what, ""),
        }
    }
    for (name, _) in right.iter().filter(|(k, _)| !l.contains(k.as_str())) {
        d.push(&format!("{what} {name}"), Aspect::OnlyRight, "", what);
    }
}

/// A type reference as text: `xs:string`, `LeadRecord`, `(anonymous)`.
fn type_name(t: &TypeRef) -> String {
    match t {
        TypeRef::Named(q) if q.name.ns.as_deref() == Some(XSD_NS) => format!("xs:{}", q.name.local),
        TypeRef::Named(q) => q.name.local.clone(),
        TypeRef::Complex(_) => "(anonymous complex type)".to_owned(),
        TypeRef::Simple(_) => "(anonymous simple type)".to_owned(),
    }
}

fn occurs(o: Occurs) -> String {
    match o.max {
        Some(max) => format!("{}..{max}", o.min),
        None => format!("{}..unbounded", o.min),
    }
}

#[derive(Default)]
struct Diff {
    out: Vec<Difference>,
}

impl Diff {
    fn push(&mut self, path: &str, aspect: Aspect, left: &str, right: &str) {
        self.out.push(Difference {
            path: path.to_owned(),
            aspect,
            left: left.to_owned(),
            right: right.to_owned(),
        });
    }

    fn check(&mut self, path: &str, aspect: Aspect, left: String, right: String) {
        if left != right {
            self.push(path, aspect, &left, &right);
        }
    }

    fn item(&mut self, path: &str, a: &Item<'_>, b: &Item<'_>) {
        match (a, b) {
            (Item::Complex(a), Item::Complex(b)) => self.complex(path, a, b),
            (Item::Simple(a), Item::Simple(b)) => self.simple(path, a, b),
            (Item::Complex(_), Item::Simple(_)) => {
                self.push(path, Aspect::Kind, "complex type", "simple type")
            }
            (Item::Simple(_), Item::Complex(_)) => {
                self.push(path, Aspect::Kind, "simple type", "complex type")
            }
        }
    }

    fn simple(&mut self, path: &str, a: &RawSimple, b: &RawSimple) {
        self.check(path, Aspect::Base, base(a), base(b));
        let av: Vec<&str> = a.values.iter().map(|v| v.value.as_str()).collect();
        let bv: Vec<&str> = b.values.iter().map(|v| v.value.as_str()).collect();
        let only = |x: &[&str], y: &[&str]| -> Vec<String> {
            x.iter()
                .filter(|v| !y.contains(v))
                .map(|v| (*v).to_owned())
                .collect()
        };
        let (left_only, right_only) = (only(&av, &bv), only(&bv, &av));
        if !left_only.is_empty() || !right_only.is_empty() {
            self.push(
                path,
                Aspect::Values,
                &format!("+[{}]", left_only.join(", ")),
                &format!("+[{}]", right_only.join(", ")),
            );
        }
    }

    fn complex(&mut self, path: &str, a: &RawComplex, b: &RawComplex) {
        let base = |c: &RawComplex| {
            let mut s = c
                .base
                .as_ref()
                .map(|q| format!("extends {}", q.name.local))
                .unwrap_or_else(|| "no base".to_owned());
            if c.is_abstract {
                s.push_str(", abstract");
            }
            s
        };
        self.check(path, Aspect::Base, base(a), base(b));
        let an: Vec<&str> = a.members.iter().map(|m| m.element.name.as_str()).collect();
        let bn: Vec<&str> = b.members.iter().map(|m| m.element.name.as_str()).collect();
        let common_a: Vec<&str> = an.iter().copied().filter(|n| bn.contains(n)).collect();
        let common_b: Vec<&str> = bn.iter().copied().filter(|n| an.contains(n)).collect();
        self.check(
            path,
            Aspect::Order,
            common_a.join(", "),
            common_b.join(", "),
        );
        for m in &a.members {
            let sub = format!("{path}/{}", m.element.name);
            match b.members.iter().find(|o| o.element.name == m.element.name) {
                Some(o) => {
                    self.element(&sub, &m.element, &o.element, true);
                    let choice = |c: bool| if c { "in a choice" } else { "in the sequence" };
                    self.check(
                        &sub,
                        Aspect::Choice,
                        choice(m.in_choice).to_owned(),
                        choice(o.in_choice).to_owned(),
                    );
                }
                None => self.push(&sub, Aspect::OnlyLeft, &describe(&m.element), ""),
            }
        }
        for o in b
            .members
            .iter()
            .filter(|o| !an.contains(&o.element.name.as_str()))
        {
            let sub = format!("{path}/{}", o.element.name);
            self.push(&sub, Aspect::OnlyRight, "", &describe(&o.element));
        }
        for at in &a.attributes {
            let sub = format!("{path}/@{}", at.name);
            match b.attributes.iter().find(|o| o.name == at.name) {
                Some(o) => {
                    self.check(&sub, Aspect::Type, type_name(&at.ty), type_name(&o.ty));
                    self.check(
                        &sub,
                        Aspect::Required,
                        at.required.to_string(),
                        o.required.to_string(),
                    );
                }
                None => self.push(&sub, Aspect::OnlyLeft, &type_name(&at.ty), ""),
            }
        }
        for o in b
            .attributes
            .iter()
            .filter(|o| !a.attributes.iter().any(|at| at.name == o.name))
        {
            let sub = format!("{path}/@{}", o.name);
            self.push(&sub, Aspect::OnlyRight, "", &type_name(&o.ty));
        }
    }

    /// Two elements of one name: type (recursing into anonymous types),
    /// and for local elements occurrence and nillability.
    fn element(&mut self, path: &str, a: &RawElement, b: &RawElement, local: bool) {
        match (&a.ty, &b.ty) {
            (TypeRef::Complex(x), TypeRef::Complex(y)) => self.complex(path, x, y),
            (TypeRef::Simple(x), TypeRef::Simple(y)) => self.simple(path, x, y),
            (x, y) => self.check(path, Aspect::Type, type_name(x), type_name(y)),
        }
        if local {
            self.check(path, Aspect::Occurs, occurs(a.occurs), occurs(b.occurs));
        }
        self.check(
            path,
            Aspect::Nillable,
            a.nillable.to_string(),
            b.nillable.to_string(),
        );
    }

    fn operation(&mut self, path: &str, a: &Op, b: &Op) {
        self.check(path, Aspect::Input, a.input.clone(), b.input.clone());
        self.check(path, Aspect::Output, a.output.clone(), b.output.clone());
        self.check(
            path,
            Aspect::Faults,
            a.faults.join(", "),
            b.faults.join(", "),
        );
        self.check(
            path,
            Aspect::SoapAction,
            a.soap_action.clone(),
            b.soap_action.clone(),
        );
        self.check(
            path,
            Aspect::Headers,
            a.headers.join(", "),
            b.headers.join(", "),
        );
    }
}

fn base(s: &RawSimple) -> String {
    if s.base.name.ns.as_deref() == Some(XSD_NS) {
        format!("xs:{}", s.base.name.local)
    } else {
        s.base.name.local.clone()
    }
}

/// An element in one line: `name: type [min..max] nillable`.
fn describe(e: &RawElement) -> String {
    let nil = if e.nillable { " nillable" } else { "" };
    format!(
        "{}: {} [{}]{nil}",
        e.name,
        type_name(&e.ty),
        occurs(e.occurs)
    )
}
