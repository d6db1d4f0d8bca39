//! The OpenAPI 3.0 → REST client generator.
//!
//! spec file → [`parse`] (`openapiv3`, located syntax and shape errors) →
//! [`lower`] (the [`model`](mod@model): `$ref`s resolved, envelope and paging
//! recognised) → [`emit_types`] / [`emit_client`] (tokens) →
//! [`crate::codegen::render`] (prettyplease, `@generated` header).
//!
//! Output, relative to the job's output directory: `mod.rs` (the `Client`,
//! the module list, `params`), `types.rs` (every named type), and one file
//! per tag (`programs.rs`, …) with that tag's params structs and an
//! `impl Client` block. See `docs/rest-codegen.md`.

pub mod emit_client;
pub mod emit_types;
pub mod lower;
pub mod model;
pub mod parse;

use std::collections::{BTreeMap, BTreeSet};

use crate::codegen::render::render;
use crate::codegen::surface::{self, ShapeKind, TypeShape, Usage};
use crate::codegen::{CodegenError, GeneratedFile, SpecInput, Surface};
use model::{Api, ResponseKind, TypeKind, TypeRef};

/// Reads and lowers the spec named by `input`.
pub fn model(input: &SpecInput<'_>) -> Result<Api, CodegenError> {
    let doc = parse::load(input)?;
    lower::lower(&doc, input.display)
}

/// Generates the REST client modules from the OpenAPI document named by `input`.
pub fn generate(input: &SpecInput<'_>) -> Result<Vec<GeneratedFile>, CodegenError> {
    let api = model(input)?;
    generate_from(&api, input)
}

/// Generates the files of an already lowered model.
pub fn generate_from(api: &Api, input: &SpecInput<'_>) -> Result<Vec<GeneratedFile>, CodegenError> {
    let mut files = Vec::new();
    let mut add = |path: String, tokens| -> Result<(), CodegenError> {
        let contents = render(&path, input.command, input.display, tokens)?;
        files.push(GeneratedFile { path, contents });
        Ok(())
    };
    add("mod.rs".to_owned(), emit_client::mod_file(api))?;
    add("types.rs".to_owned(), emit_types::types_file(api))?;
    for module in &api.modules {
        add(
            format!("{}.rs", module.ident),
            emit_client::module_file(api, module),
        )?;
    }
    Ok(files)
}

/// The public API [`generate`] would produce from the spec named by `input`.
pub fn surface(input: &SpecInput<'_>) -> Result<Surface, CodegenError> {
    Ok(surface_of(&model(input)?))
}

/// The public API of a lowered model.
pub fn surface_of(api: &Api) -> Surface {
    let mut out = Surface::default();
    // Where each named type travels.
    let mut inputs = BTreeSet::new();
    let mut outputs = BTreeSet::new();
    for module in &api.modules {
        for op in &module.operations {
            let mut fields = BTreeMap::new();
            for p in op.path_params.iter().chain(&op.query_params) {
                reach(&p.ty, api, &mut inputs);
                if p.required {
                    fields.insert(
                        p.name.ident.clone(),
                        surface::Field {
                            ty: p.ty.rust(),
                            required: true,
                        },
                    );
                }
            }
            if let Some(name) = &op.params_struct {
                inputs.insert(name.clone());
                fields.insert(
                    "params".to_owned(),
                    surface::Field {
                        ty: name.clone(),
                        required: true,
                    },
                );
                let struct_fields = op
                    .query_params
                    .iter()
                    .filter(|p| !p.required)
                    .map(|p| {
                        (
                            p.name.ident.clone(),
                            surface::Field {
                                ty: p.ty.rust(),
                                required: false,
                            },
                        )
                    })
                    .collect();
                out.types.insert(
                    name.clone(),
                    TypeShape {
                        kind: ShapeKind::Struct {
                            fields: struct_fields,
                        },
                        usage: Usage {
                            input: true,
                            output: false,
                        },
                        default: true,
                    },
                );
            }
            if let Some(body) = &op.body {
                let ty = body.wrapper.as_ref().map_or(&body.ty, |w| &w.ty);
                reach(ty, api, &mut inputs);
                fields.insert(
                    "body".to_owned(),
                    surface::Field {
                        ty: ty.rust(),
                        required: body.required,
                    },
                );
            }
            let output = match &op.response {
                ResponseKind::Envelope(Some(item)) if op.single => {
                    reach(item, api, &mut outputs);
                    format!("Response<{}>", item.rust())
                }
                ResponseKind::Envelope(Some(item)) => {
                    reach(item, api, &mut outputs);
                    format!("Response<Vec<{}>>", item.rust())
                }
                ResponseKind::Envelope(None) => "Response<()>".to_owned(),
                ResponseKind::Plain(ty) => {
                    reach(ty, api, &mut outputs);
                    ty.rust()
                }
                ResponseKind::Empty => "()".to_owned(),
            };
            let idempotent = op.idempotent;
            out.operations.insert(
                op.ident.clone(),
                surface::Operation {
                    spec_name: op.id.clone(),
                    inputs: fields.clone(),
                    output: output.clone(),
                    idempotent,
                },
            );
            if let (Some(stream), ResponseKind::Envelope(Some(item))) =
                (&op.stream_ident, &op.response)
            {
                let kind = match op.paging {
                    Some(model::Paging::Token { .. }) => "CursorStream",
                    _ => "OffsetStream",
                };
                out.operations.insert(
                    stream.clone(),
                    surface::Operation {
                        spec_name: op.id.clone(),
                        inputs: fields,
                        output: format!("{kind}<{}>", item.rust()),
                        idempotent,
                    },
                );
            }
        }
    }
    for def in &api.types {
        // Envelope aliases carry their result type.
        if let TypeKind::Envelope(Some(item)) = &def.kind
            && outputs.contains(&def.ident)
        {
            reach(item, api, &mut outputs);
        }
    }
    for def in &api.types {
        let kind = match &def.kind {
            TypeKind::Struct(s) => {
                let mut fields: BTreeMap<String, surface::Field> = s
                    .fields
                    .iter()
                    .map(|f| {
                        let ty = if f.boxed {
                            format!("Box<{}>", f.ty.rust())
                        } else {
                            f.ty.rust()
                        };
                        (
                            f.name.ident.clone(),
                            surface::Field {
                                ty,
                                required: !f.optional(),
                            },
                        )
                    })
                    .collect();
                if let Some(extra) = &s.additional {
                    fields.insert(
                        "additional_properties".to_owned(),
                        surface::Field {
                            ty: format!("Map<{}>", extra.rust()),
                            required: true,
                        },
                    );
                }
                ShapeKind::Struct { fields }
            }
            TypeKind::Enum(e) => ShapeKind::Enum {
                values: e.variants.iter().map(|v| v.name.wire.clone()).collect(),
            },
            TypeKind::Alias(target) => ShapeKind::Alias {
                target: target.rust(),
            },
            TypeKind::Envelope(item) => ShapeKind::Alias {
                target: format!(
                    "Envelope<{}>",
                    item.as_ref().map_or("Json".to_owned(), TypeRef::rust)
                ),
            },
        };
        out.types.insert(
            def.ident.clone(),
            TypeShape {
                kind,
                usage: Usage {
                    input: inputs.contains(&def.ident),
                    output: outputs.contains(&def.ident),
                },
                default: matches!(&def.kind, TypeKind::Struct(s) if s.default),
            },
        );
    }
    out
}

/// Adds every named type reachable from `ty` to `seen`.
fn reach(ty: &TypeRef, api: &Api, seen: &mut BTreeSet<String>) {
    match ty {
        TypeRef::Vec(inner) | TypeRef::Map(inner) => reach(inner, api, seen),
        TypeRef::Named(name) => {
            if !seen.insert(name.clone()) {
                return;
            }
            let Some(def) = api.types.iter().find(|t| &t.ident == name) else {
                return;
            };
            match &def.kind {
                TypeKind::Struct(s) => {
                    for f in &s.fields {
                        reach(&f.ty, api, seen);
                    }
                    if let Some(extra) = &s.additional {
                        reach(extra, api, seen);
                    }
                }
                TypeKind::Alias(target) | TypeKind::Envelope(Some(target)) => {
                    reach(target, api, seen)
                }
                TypeKind::Enum(_) | TypeKind::Envelope(None) => {}
            }
        }
        _ => {}
    }
}
