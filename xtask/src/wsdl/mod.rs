//! The WSDL 1.1 (document/literal) → SOAP client generator.
//!
//! Stages: [`parse`] reads the XML into raw items with their positions,
//! [`build`] resolves names and types into the [`model`] in passes (with
//! [`annotations`] read from beside the WSDL), [`emit`] writes the Rust
//! modules. See `docs/soap-codegen.md` for the mapping and the supported
//! constructs.

pub mod annotations;
pub mod build;
pub mod diff;
pub mod emit;
mod emit_client;
mod emit_decode;
mod emit_structs;
mod emit_types;
pub mod model;
mod operations;
pub mod parse;
pub mod raw;
mod resolve;

use std::collections::{BTreeMap, BTreeSet};

use crate::codegen::surface::{self, ShapeKind, TypeShape, Usage};
use crate::codegen::{CodegenError, GeneratedFile, SpecInput, Surface};
use annotations::Annotations;
use model::{Card, FieldType, Model};

/// Reads and resolves the WSDL named by `input`, with its annotation file
/// (`<stem>.annotations.yaml` beside it) when there is one.
pub fn load(input: &SpecInput<'_>) -> Result<Model, CodegenError> {
    let text = std::fs::read_to_string(input.path).map_err(|source| CodegenError::Io {
        path: input.path.to_path_buf(),
        source,
    })?;
    let annotations = Annotations::load(input.path, input.display)?;
    model_with_annotations(input.display, &text, &annotations)
}

/// Parses and resolves WSDL `text` (named `file` in diagnostics), without
/// annotations.
pub fn model_from_str(file: &str, text: &str) -> Result<Model, CodegenError> {
    model_with_annotations(file, text, &Annotations::none())
}

/// Parses and resolves WSDL `text` (named `file` in diagnostics) with the
/// given per-operation `annotations`.
pub fn model_with_annotations(
    file: &str,
    text: &str,
    annotations: &Annotations,
) -> Result<Model, CodegenError> {
    let raw = parse::parse(file, text)?;
    Ok(build::build(file, &raw, annotations)?)
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

/// Field `f` of `owner` as users see it: a list wrapper reads as a `Vec`.
fn shown_field(
    lists: &BTreeMap<String, FieldType>,
    owner: &model::Struct,
    f: &model::Field,
) -> surface::Field {
    match model::flattened(lists, owner, f) {
        Some(item) => surface::Field {
            ty: format!("Vec<{}>", item.display()),
            required: f.card == Card::One,
        },
        None => shown(&f.ty, f.card),
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
        entry.extend(c.variants.iter().map(|v| v.struct_name.as_str()));
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
    let lists = model.list_wrappers();
    let mut out = Surface::default();
    for op in &model.operations {
        out.operations.insert(
            op.method.clone(),
            surface::Operation {
                spec_name: op.name.clone(),
                inputs: BTreeMap::from([(
                    "params".to_owned(),
                    surface::Field {
                        ty: op.request.rust.clone(),
                        required: true,
                    },
                )]),
                output: match (
                    &op.result,
                    model.elements.iter().find(|s| s.rust == op.response.rust),
                ) {
                    (Some(result), Some(owner)) => shown_field(&lists, owner, result).ty,
                    _ => op.response.rust.clone(),
                },
                idempotent: op.idempotent,
            },
        );
    }
    for s in model.structs.iter().chain(&model.elements) {
        let fields = s
            .fields
            .iter()
            .map(|f| (f.name.ident.clone(), shown_field(&lists, s, f)))
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
                    values: e.values.iter().map(|v| v.name.wire.clone()).collect(),
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
                    values: c.variants.iter().map(|v| v.xsi_type.clone()).collect(),
                },
                usage: usage(&c.rust),
                default: false,
            },
        );
    }
    out
}
