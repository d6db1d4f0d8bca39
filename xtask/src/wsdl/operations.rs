//! The last pass of [`super::build`]: the binding's operations, each with
//! its request and response elements, headers, faults and idempotency.

use std::collections::{BTreeMap, BTreeSet};

use super::annotations::Annotations;
use super::model::{ElementRef, Operation, Struct};
use super::parse::{
    Pos, QName, QRef, RawBinding, RawBindingOp, RawMessage, RawPortOp, RawPortType, RawWsdl,
};
use super::resolve::Builder;
use crate::codegen::Diagnostic;
use crate::codegen::naming::{Case, UniqueNames};

/// The methods of the generated `Client` besides the operations.
pub(super) const CLIENT_METHODS: [&str; 4] = ["new", "from_env", "from_core", "core"];

/// What the operations pass produces.
pub(super) struct Operations<'a> {
    /// The port type the binding implements.
    pub port: &'a RawPortType,
    /// The operations, in binding order.
    pub operations: Vec<Operation>,
    /// Elements sent (request bodies, headers).
    pub input_roots: BTreeSet<String>,
    /// Elements received (response bodies, faults).
    pub output_roots: BTreeSet<String>,
}

/// Looks up messages and elements for the operations pass.
struct Lookup<'b, 'a> {
    b: &'b Builder<'a>,
    element_names: &'b BTreeMap<QName, String>,
}

impl Lookup<'_, '_> {
    fn message(&self, q: &QName, pos: Pos) -> Result<&RawMessage, Diagnostic> {
        self.b
            .wsdl
            .messages
            .iter()
            .find(|m| m.name == q.local)
            .ok_or_else(|| {
                self.b.err(
                    pos,
                    format!(
                        "unknown message `{}`; expected a wsdl:message of this document",
                        q.local
                    ),
                )
            })
    }

    fn element(&self, q: &QName, pos: Pos) -> Result<ElementRef, Diagnostic> {
        self.element_names
            .get(q)
            .map(|rust| ElementRef {
                rust: rust.clone(),
                xml: q.local.clone(),
            })
            .ok_or_else(|| {
                self.b.err(
                    pos,
                    format!(
                        "unknown element `{}`; expected a top-level xs:element of this WSDL",
                        q.local
                    ),
                )
            })
    }

    /// The one body element of the input or output message `io` of `pop`.
    fn body(
        &self,
        pop: &RawPortOp,
        io: &Option<QRef>,
        what: &str,
        parts: Option<&Vec<String>>,
    ) -> Result<ElementRef, Diagnostic> {
        let QRef { name: mq, pos } = io.as_ref().ok_or_else(|| {
            self.b.err(
                pop.pos,
                format!(
                    "operation `{}` has no {what}; expected wsdl:{what} message=…",
                    pop.name
                ),
            )
        })?;
        let m = self.message(mq, *pos)?;
        let candidates: Vec<_> = m
            .parts
            .iter()
            .filter(|p| parts.is_none_or(|ps| ps.contains(&p.name)))
            .collect();
        let [part] = candidates.as_slice() else {
            return Err(self.b.err(
                *pos,
                format!(
                    "message `{}` has {} body parts; expected exactly one (document/literal)",
                    m.name,
                    candidates.len()
                ),
            ));
        };
        let eq = part.element.as_ref().ok_or_else(|| {
            self.b.err(
                part.pos,
                format!("part `{}` has no element; expected element=…", part.name),
            )
        })?;
        self.element(eq, part.pos)
    }

    /// The header elements bound to the input of `bop`.
    fn headers(&self, bop: &RawBindingOp) -> Result<Vec<ElementRef>, Diagnostic> {
        let mut headers = Vec::new();
        for h in &bop.headers {
            let m = self.message(&h.message, h.pos)?;
            let part = m.parts.iter().find(|p| p.name == h.part).ok_or_else(|| {
                self.b.err(
                    h.pos,
                    format!(
                        "message `{}` has no part `{}`; expected a part of that message",
                        m.name, h.part
                    ),
                )
            })?;
            let eq = part.element.as_ref().ok_or_else(|| {
                self.b.err(
                    part.pos,
                    format!("part `{}` has no element; expected element=…", part.name),
                )
            })?;
            headers.push(self.element(eq, part.pos)?);
        }
        Ok(headers)
    }

    /// The fault elements of `pop`.
    fn faults(&self, pop: &RawPortOp) -> Result<Vec<ElementRef>, Diagnostic> {
        let mut faults = Vec::new();
        for fault in &pop.faults {
            let m = self.message(&fault.name, fault.pos)?;
            for part in &m.parts {
                if let Some(eq) = &part.element {
                    faults.push(self.element(eq, part.pos)?);
                }
            }
        }
        Ok(faults)
    }
}

/// The binding the first service port names (or the only binding).
fn binding<'a>(file: &str, wsdl: &'a RawWsdl) -> Result<&'a RawBinding, Diagnostic> {
    match wsdl.services.first() {
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
    })
}

/// Builds the operations of the binding; `elements` are the element
/// structs (for the response's `result` field).
pub(super) fn build_operations<'a>(
    b: &Builder<'a>,
    element_names: &BTreeMap<QName, String>,
    elements: &[Struct],
    annotations: &Annotations,
) -> Result<Operations<'a>, Diagnostic> {
    let wsdl = b.wsdl;
    let binding = binding(b.file, wsdl)?;
    let QRef {
        name: port_q,
        pos: port_pos,
    } = &binding.port_type;
    let port = wsdl
        .port_types
        .iter()
        .find(|p| p.name == port_q.local)
        .ok_or_else(|| {
            b.err(
                *port_pos,
                format!(
                    "unknown port type `{}`; expected a wsdl:portType of this document",
                    port_q.local
                ),
            )
        })?;
    let lookup = Lookup { b, element_names };
    let mut methods = UniqueNames::new();
    // The generated client's own methods.
    for taken in CLIENT_METHODS {
        methods.reserve(taken);
    }
    let mut constants = UniqueNames::new();
    let mut out = Operations {
        port,
        operations: Vec::new(),
        input_roots: BTreeSet::new(),
        output_roots: BTreeSet::new(),
    };
    for bop in &binding.ops {
        let pop = port.ops.iter().find(|o| o.name == bop.name).ok_or_else(|| {
            b.err(
                bop.pos,
                format!(
                    "binding operation `{}` is not in port type `{}`; expected a matching wsdl:operation",
                    bop.name, port.name
                ),
            )
        })?;
        let request = lookup.body(pop, &pop.input, "input", bop.body_parts.as_ref())?;
        let response = lookup.body(pop, &pop.output, "output", None)?;
        let headers = lookup.headers(bop)?;
        let faults = lookup.faults(pop)?;
        out.input_roots.insert(request.rust.clone());
        out.input_roots
            .extend(headers.iter().map(|h| h.rust.clone()));
        out.output_roots.insert(response.rust.clone());
        out.output_roots
            .extend(faults.iter().map(|f| f.rust.clone()));
        let result = elements
            .iter()
            .find(|s| s.rust == response.rust)
            .and_then(|s| match s.fields.as_slice() {
                [only] if !only.attribute => Some(only.clone()),
                _ => None,
            });
        out.operations.push(Operation {
            name: bop.name.clone(),
            method: methods.text(&bop.name, Case::Snake),
            constant: constants.text(&bop.name, Case::Snake).to_uppercase(),
            doc: pop.doc.clone(),
            soap_action: bop.soap_action.clone(),
            request,
            response,
            result,
            headers: headers.into_iter().map(|h| h.xml).collect(),
            faults: faults.into_iter().map(|f| f.xml).collect(),
            idempotent: annotations.idempotent(&bop.name),
        });
    }
    let names: Vec<&str> = out.operations.iter().map(|o| o.name.as_str()).collect();
    annotations.check(&names)?;
    Ok(out)
}
