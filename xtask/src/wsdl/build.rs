//! Raw items → [`Model`], in passes:
//!
//! 1. `Builder::index`: named types and elements by QName, subtypes,
//!    duplicate and cycle checks;
//! 2. `absorbed`: the named complex types only one element uses (that
//!    element's struct stands for them);
//! 3. `name_elements` then `Builder::name_types`: Rust names, elements
//!    first so that `paramsFoo` keeps `ParamsFoo`;
//! 4. `build_types`: enums, structs and subtype choices;
//! 5. `build_elements`: one struct per top-level element;
//! 6. `super::operations::build_operations`: the binding's operations,
//!    their bodies, headers, faults and idempotency.

use std::collections::{BTreeMap, BTreeSet};

use super::annotations::Annotations;
use super::model::{Choice, Model, Port, Service, Struct, Variant};
use super::operations::{self, Operations};
use super::parse::{QName, QRef, RawComplex, RawElement, RawSchema, RawWsdl, TypeRef};
use super::resolve::{Builder, doc_or};
use crate::codegen::Diagnostic;
use crate::codegen::naming::{Case, UniqueNames};

/// Resolves `wsdl` (read from `file`) into a [`Model`], with the
/// per-operation `annotations` read from beside it.
pub fn build(file: &str, wsdl: &RawWsdl, annotations: &Annotations) -> Result<Model, Diagnostic> {
    let mut b = Builder::new(file, wsdl);
    b.index()?;
    let absorbed = absorbed(&b);
    let element_names = name_elements(&mut b, &absorbed);
    b.name_types(&absorbed);
    build_types(&mut b, &absorbed)?;
    let elements = build_elements(&mut b, &element_names)?;
    let Operations {
        port,
        operations,
        input_roots,
        output_roots,
    } = operations::build_operations(&b, &element_names, &elements, annotations)?;
    let service = wsdl.services.first().map(|s| Service {
        name: s.service.clone(),
        address: s.address.clone(),
        doc: s.doc.clone(),
    });
    Ok(Model {
        namespace: wsdl
            .schemas
            .iter()
            .find_map(|s| s.target_ns.clone())
            .unwrap_or_else(|| wsdl.target_ns.clone()),
        doc: wsdl.doc.clone(),
        service,
        port: Port {
            name: port.name.clone(),
            doc: port.doc.clone(),
        },
        structs: b.structs,
        choices: b.choices,
        enums: b.enums,
        elements,
        operations,
        input_roots,
        output_roots,
    })
}

/// Counts how often each named type is referenced: by a field or a base
/// (twice, so that it keeps its own struct) or by an element (once).
fn count_refs(c: &RawComplex, referenced: &mut BTreeMap<QName, usize>) {
    if let Some(QRef { name: base, .. }) = &c.base {
        *referenced.entry(base.clone()).or_default() += 2;
    }
    for m in &c.members {
        match &m.element.ty {
            TypeRef::Named(QRef { name: q, .. }) => *referenced.entry(q.clone()).or_default() += 2,
            TypeRef::Complex(inner) => count_refs(inner, referenced),
            TypeRef::Simple(_) => {}
        }
    }
}

/// Pass 2: types referenced by a field, a base, or more than one element
/// get their own struct; a type only one element uses is that element's
/// struct.
fn absorbed(b: &Builder<'_>) -> BTreeSet<QName> {
    let mut referenced: BTreeMap<QName, usize> = BTreeMap::new();
    for schema in &b.wsdl.schemas {
        for c in &schema.complex {
            count_refs(c, &mut referenced);
        }
        for e in &schema.elements {
            match &e.ty {
                TypeRef::Named(QRef { name: q, .. }) => {
                    *referenced.entry(q.clone()).or_default() += 1
                }
                TypeRef::Complex(c) => count_refs(c, &mut referenced),
                TypeRef::Simple(_) => {}
            }
        }
    }
    referenced
        .into_iter()
        .filter(|(q, n)| *n == 1 && b.complex.contains_key(q) && !b.subtypes.contains_key(q))
        .map(|(q, _)| q)
        .collect()
}

/// Pass 3a: Rust names of the top-level elements; an element whose type
/// keeps its own struct is `<Element>Element`.
fn name_elements(b: &mut Builder<'_>, absorbed: &BTreeSet<QName>) -> BTreeMap<QName, String> {
    let mut names = BTreeMap::new();
    for schema in &b.wsdl.schemas {
        for e in &schema.elements {
            let takes_type_name = match &e.ty {
                TypeRef::Named(QRef { name: q, .. }) => absorbed.contains(q),
                _ => true,
            };
            let rust = if takes_type_name {
                b.names.ident(&e.name, Case::Pascal).to_string()
            } else {
                b.names
                    .ident(&format!("{}Element", e.name), Case::Pascal)
                    .to_string()
            };
            names.insert(Builder::qn(&schema.target_ns, &e.name), rust);
        }
    }
    names
}

/// Pass 4: enums, structs and subtype choices of the named types.
fn build_types(b: &mut Builder<'_>, absorbed: &BTreeSet<QName>) -> Result<(), Diagnostic> {
    let wsdl = b.wsdl;
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
                let choice = build_choice(b, c, &q, choice)?;
                b.choices.push(choice);
            }
            if let Some(rust) = b.type_names.get(&q).cloned() {
                let s = b.build_struct(c, &rust, &q.local, None)?;
                b.structs.push(s);
            }
        }
    }
    Ok(())
}

/// The choice of `q` (a type with subtypes): one variant per concrete type
/// in its hierarchy, depth first in document order.
fn build_choice(
    b: &Builder<'_>,
    c: &RawComplex,
    q: &QName,
    rust: String,
) -> Result<Choice, Diagnostic> {
    let mut variant_names = UniqueNames::new();
    let mut stack = vec![q.clone()];
    let mut all = Vec::new();
    while let Some(t) = stack.pop() {
        all.push(t.clone());
        if let Some(subs) = b.subtypes.get(&t) {
            stack.extend(subs.iter().rev().cloned());
        }
    }
    let mut variants = Vec::new();
    for t in all {
        let Some(raw) = b.complex.get(&t) else {
            continue;
        };
        if raw.is_abstract {
            continue;
        }
        // A subtype that itself has subtypes is represented by its own
        // struct here (its `Base` struct).
        let Some(struct_name) = b.type_names.get(&t).cloned() else {
            continue;
        };
        variants.push(Variant {
            rust: variant_names.ident(&t.local, Case::Pascal).to_string(),
            struct_name,
            xsi_type: t.local.clone(),
        });
    }
    if variants.is_empty() {
        return Err(b.err(
            c.pos,
            format!(
                "abstract type `{}` has no concrete subtype; expected at least one xs:extension of it",
                q.local
            ),
        ));
    }
    Ok(Choice {
        rust,
        xml: q.local.clone(),
        doc: doc_or(
            &c.doc,
            format!("The `{}` type or one of its subtypes.", q.local),
        ),
        variants,
    })
}

/// Pass 5: one struct per top-level element, written qualified.
fn build_elements(
    b: &mut Builder<'_>,
    element_names: &BTreeMap<QName, String>,
) -> Result<Vec<Struct>, Diagnostic> {
    let wsdl = b.wsdl;
    let mut elements = Vec::new();
    for schema in &wsdl.schemas {
        for e in &schema.elements {
            let rust = element_names[&Builder::qn(&schema.target_ns, &e.name)].clone();
            let mut s = element_struct(b, e, &rust)?;
            s.doc = match (&e.doc, &e.ty) {
                (Some(d), _) => d.clone(),
                (None, TypeRef::Named(QRef { name: tq, .. })) => b
                    .complex
                    .get(tq)
                    .and_then(|c| c.doc.clone())
                    .unwrap_or_else(|| format!("The `{}` element.", e.name)),
                (None, _) => format!("The `{}` element.", e.name),
            };
            s.root = Some(root_namespace(schema, wsdl));
            elements.push(s);
        }
    }
    Ok(elements)
}

fn root_namespace(schema: &RawSchema, wsdl: &RawWsdl) -> String {
    schema
        .target_ns
        .clone()
        .unwrap_or_else(|| wsdl.target_ns.clone())
}

/// The struct of top-level element `e`, named `rust`.
fn element_struct(b: &mut Builder<'_>, e: &RawElement, rust: &str) -> Result<Struct, Diagnostic> {
    match &e.ty {
        TypeRef::Complex(c) => b.build_struct(c, rust, &e.name, None),
        TypeRef::Named(QRef { name: tq, pos }) => match b.complex.get(tq).copied() {
            Some(c) if !c.is_abstract => b.build_struct(c, rust, &e.name, None),
            Some(_) => Err(b.err(
                *pos,
                format!(
                    "element `{}` of abstract type `{}`; expected a concrete complex type",
                    e.name, tq.local
                ),
            )),
            None => {
                b.resolve_named(tq, *pos, false)?;
                Err(b.err(
                    e.pos,
                    format!(
                        "unsupported top-level element `{}` of simple type `{}`; expected a complex type",
                        e.name, tq.local
                    ),
                ))
            }
        },
        TypeRef::Simple(s) => Err(b.err(
            s.pos,
            format!(
                "unsupported top-level element `{}` of simple type; expected a complex type",
                e.name
            ),
        )),
    }
}
