//! The public API of a lowered model, for the API-change report
//! ([`crate::codegen::surface`]).

use std::collections::{BTreeMap, BTreeSet};

use super::model::{Api, Operation, ResponseKind, TypeDef, TypeKind, TypeRef};
use crate::codegen::Surface;
use crate::codegen::surface::{self, ShapeKind, TypeShape, Usage};

/// The public API of a lowered model.
pub fn surface_of(api: &Api) -> Surface {
    let mut out = Surface::default();
    // Where each named type travels.
    let mut inputs = BTreeSet::new();
    let mut outputs = BTreeSet::new();
    for module in &api.modules {
        for op in &module.operations {
            operation(api, op, &mut out, &mut inputs, &mut outputs);
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
        out.types
            .insert(def.ident.clone(), type_shape(def, &inputs, &outputs));
    }
    out
}

/// Adds `op` (and its stream method) to `out`, and the types it takes and
/// answers to `inputs`/`outputs`.
fn operation(
    api: &Api,
    op: &Operation,
    out: &mut Surface,
    inputs: &mut BTreeSet<String>,
    outputs: &mut BTreeSet<String>,
) {
    let mut fields = BTreeMap::new();
    for p in op.path_params.iter().chain(&op.query_params) {
        reach(&p.ty, api, inputs);
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
        reach(ty, api, inputs);
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
            reach(item, api, outputs);
            format!("Response<{}>", item.rust())
        }
        ResponseKind::Envelope(Some(item)) => {
            reach(item, api, outputs);
            format!("Response<Vec<{}>>", item.rust())
        }
        ResponseKind::Envelope(None) => "Response<()>".to_owned(),
        ResponseKind::Plain(ty) => {
            reach(ty, api, outputs);
            ty.rust()
        }
        ResponseKind::Empty => "()".to_owned(),
        ResponseKind::File => "FileResponse".to_owned(),
    };
    out.operations.insert(
        op.ident.clone(),
        surface::Operation {
            spec_name: op.id.clone(),
            inputs: fields.clone(),
            output: output.clone(),
            idempotent: op.idempotent,
        },
    );
    if let (Some(stream), ResponseKind::Envelope(Some(item))) = (&op.stream_ident, &op.response) {
        let kind = match op.paging {
            Some(super::model::Paging::Token { .. }) => "CursorStream",
            _ => "OffsetStream",
        };
        out.operations.insert(
            stream.clone(),
            surface::Operation {
                spec_name: op.id.clone(),
                inputs: fields,
                output: format!("{kind}<{}>", item.rust()),
                idempotent: op.idempotent,
            },
        );
    }
}

/// The shape of one named type.
fn type_shape(def: &TypeDef, inputs: &BTreeSet<String>, outputs: &BTreeSet<String>) -> TypeShape {
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
    TypeShape {
        kind,
        usage: Usage {
            input: inputs.contains(&def.ident),
            output: outputs.contains(&def.ident),
        },
        default: matches!(&def.kind, TypeKind::Struct(s) if s.default),
    }
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
