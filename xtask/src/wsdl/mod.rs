//! The WSDL 1.1 (document/literal) → SOAP client generator.
//!
//! Stages: [`parse`] reads the XML into raw items with their positions,
//! [`model`] resolves names and types, [`emit`] writes the Rust modules.
//! See `docs/soap-codegen.md` for the mapping and the supported constructs.

pub mod emit;
pub mod model;
pub mod parse;

use std::collections::{BTreeMap, BTreeSet};

use crate::codegen::surface::{self, ShapeKind, TypeShape, Usage};
use crate::codegen::{CodegenError, GeneratedFile, SpecInput, Surface};
use model::{Card, FieldType, Model};

/// Reads and resolves the WSDL named by `input`.
pub fn load(input: &SpecInput<'_>) -> Result<Model, CodegenError> {
    let text = std::fs::read_to_string(input.path).map_err(|source| CodegenError::Io {
        path: input.path.to_path_buf(),
        source,
    })?;
    model_from_str(input.display, &text)
}

/// Parses and resolves WSDL `text` (named `file` in diagnostics).
pub fn model_from_str(file: &str, text: &str) -> Result<Model, CodegenError> {
    let raw = parse::parse(file, text)?;
    Ok(model::build(file, &raw)?)
}

/// Generates the SOAP client modules from the WSDL named by `input`.
pub fn generate(input: &SpecInput<'_>) -> Result<Vec<GeneratedFile>, CodegenError> {
    let model = load(input)?;
    emit::emit(&model, input)
}

/// The public API [`generate`] would produce from the spec named by `input`.
pub fn surface(input: &SpecInput<'_>) -> Result<Surface, CodegenError> {
    Ok(surface_of(&load(input)?))
}

fn shown(ty: &FieldType, card: Card) -> surface::Field {
    let base = ty.display();
    surface::Field {
        ty: match card {
            Card::Many => format!("Vec<{base}>"),
            _ => base,
        },
        required: card == Card::One,
    }
}

/// The named types each type refers to (fields, subtypes).
fn references(model: &Model) -> BTreeMap<&str, Vec<&str>> {
    let mut refs: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for s in model.structs.iter().chain(&model.elements) {
        let entry = refs.entry(s.rust.as_str()).or_default();
        for f in &s.fields {
            if let FieldType::Named(n) = &f.ty {
                entry.push(n.as_str());
            }
        }
    }
    for c in &model.choices {
        let entry = refs.entry(c.rust.as_str()).or_default();
        entry.extend(c.variants.iter().map(|(_, s, _)| s.as_str()));
    }
    refs
}

fn reachable<'m>(
    refs: &BTreeMap<&'m str, Vec<&'m str>>,
    roots: impl Iterator<Item = &'m str>,
) -> BTreeSet<&'m str> {
    let mut seen = BTreeSet::new();
    let mut stack: Vec<&str> = roots.collect();
    while let Some(t) = stack.pop() {
        if seen.insert(t)
            && let Some(next) = refs.get(t)
        {
            stack.extend(next.iter().copied());
        }
    }
    seen
}

/// The public API of the code generated from `model`.
pub fn surface_of(model: &Model) -> Surface {
    let refs = references(model);
    let input = reachable(&refs, model.input_roots.iter().map(String::as_str));
    let output = reachable(&refs, model.output_roots.iter().map(String::as_str));
    let usage = |name: &str| Usage {
        input: input.contains(name),
        output: output.contains(name),
    };
    let defaults = emit::defaultable(model);
    let mut out = Surface::default();
    for op in &model.operations {
        out.operations.insert(
            op.method.trim_start_matches("r#").to_owned(),
            surface::Operation {
                spec_name: op.name.clone(),
                inputs: BTreeMap::from([(
                    "params".to_owned(),
                    surface::Field {
                        ty: op.request.0.clone(),
                        required: true,
                    },
                )]),
                output: op.response.0.clone(),
                // Not idempotent until the annotations next to the WSDL say so.
                idempotent: false,
            },
        );
    }
    for s in model.structs.iter().chain(&model.elements) {
        let fields = s
            .fields
            .iter()
            .map(|f| {
                (
                    f.rust.trim_start_matches("r#").to_owned(),
                    shown(&f.ty, f.card),
                )
            })
            .collect();
        out.types.insert(
            s.rust.clone(),
            TypeShape {
                kind: ShapeKind::Struct { fields },
                usage: usage(&s.rust),
                default: defaults.contains(&s.rust),
            },
        );
    }
    for e in &model.enums {
        out.types.insert(
            e.rust.clone(),
            TypeShape {
                kind: ShapeKind::Enum {
                    values: e.values.iter().map(|(_, w, _)| w.clone()).collect(),
                },
                usage: usage(&e.rust),
                default: false,
            },
        );
    }
    for c in &model.choices {
        out.types.insert(
            c.rust.clone(),
            TypeShape {
                kind: ShapeKind::Enum {
                    values: c.variants.iter().map(|(_, _, x)| x.clone()).collect(),
                },
                usage: usage(&c.rust),
                default: false,
            },
        );
    }
    out
}
