//! Schemas → named types: components, inline objects and enums, `allOf`
//! merging, `$ref` resolution.

use super::*;
use crate::codegen::naming::STRUCT_METHODS;

impl<'a> Lowerer<'a> {
    pub(super) fn component_kind(
        &mut self,
        name: &str,
        ident: &str,
        schema: &'a Schema,
        pointer: &Pointer,
    ) -> Result<TypeKind> {
        if self.envelope_bases.contains(name) {
            return Ok(TypeKind::Envelope(None));
        }
        if let Some(item) = self.envelope_item(schema, pointer, ident)? {
            return Ok(TypeKind::Envelope(item));
        }
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(s)) if !s.enumeration.is_empty() => {
                Ok(TypeKind::Enum(self.enum_def(&s.enumeration, pointer)?))
            }
            SchemaKind::AllOf { all_of } if all_of.len() == 1 => match of(&all_of[0]) {
                SchemaOrRef::Ref(reference) => Ok(TypeKind::Alias(
                    self.ref_type(reference, &pointer.push("allOf").push("0"))?,
                )),
                SchemaOrRef::Item(_) => {
                    Ok(TypeKind::Struct(self.struct_of(ident, schema, pointer)?))
                }
            },
            SchemaKind::AllOf { .. } => {
                Ok(TypeKind::Struct(self.struct_of(ident, schema, pointer)?))
            }
            _ if is_struct(schema) => Ok(TypeKind::Struct(self.struct_of(ident, schema, pointer)?)),
            _ => Ok(TypeKind::Alias(self.schema_type(schema, ident, pointer)?)),
        }
    }

    /// `Some(item)` when `schema` is `allOf: [$ref envelope, {result…}]`.
    pub(super) fn envelope_item(
        &mut self,
        schema: &'a Schema,
        pointer: &Pointer,
        hint: &str,
    ) -> Result<Option<Option<TypeRef>>> {
        let SchemaKind::AllOf { all_of } = &schema.schema_kind else {
            return self.flat_envelope_item(schema, pointer, hint);
        };
        let has_base = all_of.iter().any(|part| match part {
            ReferenceOr::Reference { reference } => self.envelope_target(reference),
            ReferenceOr::Item(_) => false,
        });
        if !has_base {
            return Ok(None);
        }
        let mut item = None;
        for (i, part) in all_of.iter().enumerate() {
            let part_pointer = pointer.push("allOf").push(&i.to_string());
            match part {
                ReferenceOr::Reference { reference } if self.envelope_target(reference) => {}
                ReferenceOr::Reference { .. } => {
                    return Err(self.diag(
                        &part_pointer,
                        "an envelope `allOf` may combine the envelope `$ref` only with an inline object declaring `result`",
                    ));
                }
                ReferenceOr::Item(part) => {
                    let props = match &part.schema_kind {
                        SchemaKind::Type(Type::Object(o)) => &o.properties,
                        SchemaKind::Any(a) => &a.properties,
                        _ => {
                            return Err(self.diag(
                                &part_pointer,
                                "expected an object schema declaring `result` beside the envelope `$ref`",
                            ));
                        }
                    };
                    for (prop, prop_schema) in props {
                        let prop_pointer = part_pointer.push("properties").push(prop);
                        if prop != "result" {
                            return Err(self.diag(
                                &prop_pointer,
                                format!("unexpected envelope member `{prop}`; an envelope extension may only declare `result` (an array)"),
                            ));
                        }
                        let items = match of_boxed(prop_schema) {
                            SchemaOrRef::Item(Schema {
                                schema_kind: SchemaKind::Type(Type::Array(a)),
                                ..
                            }) => a.items.as_ref(),
                            _ => {
                                return Err(self.diag(
                                    &prop_pointer,
                                    "the envelope's `result` must be an inline `type: array` with `items`",
                                ));
                            }
                        };
                        let ty = match items {
                            Some(items) => self.boxed_type(
                                items,
                                &format!("{hint}Item"),
                                &prop_pointer.push("items"),
                            )?,
                            None => TypeRef::Json,
                        };
                        item = Some(ty);
                    }
                }
            }
        }
        Ok(Some(item))
    }

    /// `Some(item)` when `schema` is a flat envelope: an object with
    /// `requestId`, `success` and `result` (an array of `item`), as most
    /// published Marketo specs write it. A member that is not one of the
    /// envelope's is a diagnostic (it would otherwise be lost).
    fn flat_envelope_item(
        &mut self,
        schema: &'a Schema,
        pointer: &Pointer,
        hint: &str,
    ) -> Result<Option<Option<TypeRef>>> {
        if !is_object_with(schema, &["requestId", "success", "result"]) {
            return Ok(None);
        }
        let props = match &schema.schema_kind {
            SchemaKind::Type(Type::Object(o)) => &o.properties,
            SchemaKind::Any(a) => &a.properties,
            _ => return Ok(None),
        };
        let mut item = None;
        for (prop, prop_schema) in props {
            let prop_pointer = pointer.push("properties").push(prop);
            match prop.as_str() {
                "requestId" | "success" | "errors" | "warnings" | "moreResult"
                | "nextPageToken" => {}
                "result" => {
                    let items = match of_boxed(prop_schema) {
                        SchemaOrRef::Item(Schema {
                            schema_kind: SchemaKind::Type(Type::Array(a)),
                            ..
                        }) => a.items.as_ref(),
                        _ => {
                            return Err(self.diag(
                                &prop_pointer,
                                "the envelope's `result` must be an inline `type: array` with `items`; the generator cannot type it otherwise and will not drop it",
                            ));
                        }
                    };
                    item = Some(match items {
                        Some(items) => self.boxed_type(
                            items,
                            &format!("{hint}Item"),
                            &prop_pointer.push("items"),
                        )?,
                        None => TypeRef::Json,
                    });
                }
                other => {
                    return Err(self.diag(
                        &prop_pointer,
                        format!("unexpected member `{other}` in an envelope (an object with `requestId`, `success` and `result`); expected only `requestId`, `success`, `errors`, `warnings`, `moreResult`, `nextPageToken` and `result`, since the client returns `result` and would lose `{other}`"),
                    ));
                }
            }
        }
        Ok(Some(item))
    }

    pub(super) fn enum_def(&self, values: &[Option<String>], pointer: &Pointer) -> Result<EnumDef> {
        let mut names = UniqueNames::new();
        let mut seen = BTreeSet::new();
        let mut variants = Vec::new();
        for (i, value) in values.iter().enumerate() {
            // `null` in an enum stands for `nullable`; it has no variant.
            let Some(value) = value else { continue };
            if !seen.insert(value.clone()) {
                return Err(self.diag(
                    &pointer.push("enum").push(&i.to_string()),
                    format!("duplicate enum value `{value}`; expected each value once"),
                ));
            }
            variants.push(Variant {
                name: names.name(value, Case::Pascal),
            });
        }
        Ok(EnumDef { variants })
    }

    /// Properties of `schema`, merged over `allOf`.
    pub(super) fn merge(
        &self,
        schema: &'a Schema,
        pointer: &Pointer,
        merged: &mut Merged<'a>,
        depth: usize,
    ) -> Result<()> {
        if depth > 32 {
            return Err(self.diag(
                pointer,
                "cyclic `allOf`: a schema includes itself; expected an acyclic `allOf` chain",
            ));
        }
        match &schema.schema_kind {
            SchemaKind::AllOf { all_of } => {
                for (i, part) in all_of.iter().enumerate() {
                    let part_pointer = pointer.push("allOf").push(&i.to_string());
                    match of(part) {
                        SchemaOrRef::Ref(reference) => {
                            let (target, target_pointer) =
                                self.resolve(reference, &part_pointer)?;
                            self.merge(target, &target_pointer, merged, depth + 1)?;
                        }
                        SchemaOrRef::Item(part) => {
                            self.merge(part, &part_pointer, merged, depth + 1)?
                        }
                    }
                }
                Ok(())
            }
            SchemaKind::Type(Type::Object(o)) => {
                self.merge_props(
                    &o.properties,
                    &o.required,
                    o.additional_properties.as_ref(),
                    pointer,
                    merged,
                );
                Ok(())
            }
            SchemaKind::Any(a) if a.typ.is_none() || a.typ.as_deref() == Some("object") => {
                self.merge_props(
                    &a.properties,
                    &a.required,
                    a.additional_properties.as_ref(),
                    pointer,
                    merged,
                );
                Ok(())
            }
            _ => Err(self.diag(
                pointer,
                "`allOf` part is not an object schema; expected objects or `$ref`s to objects",
            )),
        }
    }

    pub(super) fn merge_props(
        &self,
        props: &'a IndexMap<String, ReferenceOr<Box<Schema>>>,
        required: &[String],
        additional: Option<&'a AdditionalProperties>,
        pointer: &Pointer,
        merged: &mut Merged<'a>,
    ) {
        for (name, schema) in props {
            let prop_pointer = pointer.push("properties").push(name);
            if let Some(existing) = merged.props.iter_mut().find(|p| p.name == name) {
                existing.schema = of_boxed(schema);
                existing.pointer = prop_pointer;
            } else {
                merged.props.push(Prop {
                    name,
                    schema: of_boxed(schema),
                    pointer: prop_pointer,
                    required: false,
                });
            }
        }
        merged.required.extend(required.iter().cloned());
        if let Some(additional) = additional {
            merged.additional = Some((additional, pointer.push("additionalProperties")));
        }
    }

    pub(super) fn struct_of(
        &mut self,
        owner: &str,
        schema: &'a Schema,
        pointer: &Pointer,
    ) -> Result<StructDef> {
        let mut merged = Merged::default();
        self.merge(schema, pointer, &mut merged, 0)?;
        for prop in &mut merged.props {
            prop.required = merged.required.contains(prop.name);
        }
        let mut names = UniqueNames::new();
        for reserved in STRUCT_METHODS {
            names.reserve(reserved);
        }
        if merged.additional.is_some() {
            names.reserve("additional_properties");
            names.reserve("additional_property");
        }
        let mut fields = Vec::new();
        for prop in &merged.props {
            let name = names.name(prop.name, Case::Snake);
            let hint = format!("{owner}{}", sanitize(prop.name, Case::Pascal));
            let ty = match prop.schema {
                SchemaOrRef::Ref(reference) => self.ref_type(reference, &prop.pointer)?,
                SchemaOrRef::Item(schema) => self.schema_type(schema, &hint, &prop.pointer)?,
            };
            self.check_nested_dates(&ty, &prop.pointer)?;
            let (description, nullable) = match prop.schema {
                SchemaOrRef::Item(s) => {
                    (s.schema_data.description.as_deref(), s.schema_data.nullable)
                }
                // A `$ref` member carries no description of its own: use the
                // referenced schema's.
                SchemaOrRef::Ref(reference) => (
                    self.resolve(reference, &prop.pointer)
                        .ok()
                        .and_then(|(target, _)| target.schema_data.description.as_deref()),
                    false,
                ),
            };
            fields.push(Field {
                name,
                doc: doc_or(description, || format!("`{}`.", prop.name)),
                ty,
                required: prop.required,
                nullable,
                boxed: false,
            });
        }
        let additional = match &merged.additional {
            None | Some((AdditionalProperties::Any(false), _)) => None,
            Some((AdditionalProperties::Any(true), _)) => Some(TypeRef::Json),
            Some((AdditionalProperties::Schema(schema), at)) => {
                let ty = match of(schema) {
                    SchemaOrRef::Ref(reference) => self.ref_type(reference, at)?,
                    SchemaOrRef::Item(schema) => {
                        self.schema_type(schema, &format!("{owner}Value"), at)?
                    }
                };
                self.check_nested_dates(&TypeRef::Map(Box::new(ty.clone())), at)?;
                Some(ty)
            }
        };
        Ok(StructDef {
            fields,
            additional,
            default: false,
        })
    }

    /// Date-times and dates are supported as members, not inside arrays or
    /// maps (the runtime's serde adapters work on the value itself).
    pub(super) fn check_nested_dates(&self, ty: &TypeRef, pointer: &Pointer) -> Result<()> {
        if let TypeRef::Vec(inner) | TypeRef::Map(inner) = ty {
            if matches!(**inner, TypeRef::DateTime | TypeRef::Date) {
                return Err(self.diag(
                    pointer,
                    "arrays and maps of `format: date-time`/`date` are not supported; expected a date-time member, or plain strings",
                ));
            }
            return self.check_nested_dates(inner, pointer);
        }
        Ok(())
    }

    /// The schema a local `$ref` names, with its pointer.
    pub(super) fn resolve(&self, reference: &str, at: &Pointer) -> Result<(&'a Schema, Pointer)> {
        let mut reference = reference.to_owned();
        for _ in 0..32 {
            let name = self.schema_ref_name(&reference, at)?;
            match &self.schemas[&name] {
                ReferenceOr::Item(schema) => return Ok((schema, schemas_pointer(&name))),
                ReferenceOr::Reference { reference: next } => reference = next.clone(),
            }
        }
        Err(self.diag(at, "cyclic `$ref` chain; expected it to end at a schema"))
    }

    /// The component name of a `#/components/schemas/<name>` reference that exists.
    pub(super) fn schema_ref_name(&self, reference: &str, at: &Pointer) -> Result<String> {
        let Some(name) = reference.strip_prefix("#/components/schemas/") else {
            return Err(self.diag(
                at,
                format!("`$ref: {reference}` is not supported; expected a local reference `#/components/schemas/<name>`"),
            ));
        };
        let name = unescape(name);
        if !self.schemas.contains_key(&name) {
            return Err(self.diag(
                at,
                format!("dangling `$ref`: `{reference}` names no schema; expected one of #/components/schemas"),
            ));
        }
        Ok(name)
    }

    /// The type a `$ref` stands for.
    pub(super) fn ref_type(&self, reference: &str, at: &Pointer) -> Result<TypeRef> {
        let name = self.schema_ref_name(reference, at)?;
        let (target, _) = self.resolve(reference, at)?;
        if let SchemaKind::Type(Type::String(s)) = &target.schema_kind
            && s.enumeration.is_empty()
        {
            match string_type(&s.format) {
                TypeRef::String => {}
                other => return Ok(other),
            }
        }
        Ok(TypeRef::Named(self.component_idents[&name].clone()))
    }

    pub(super) fn boxed_type(
        &mut self,
        schema: &'a ReferenceOr<Box<Schema>>,
        hint: &str,
        at: &Pointer,
    ) -> Result<TypeRef> {
        match of_boxed(schema) {
            SchemaOrRef::Ref(reference) => self.ref_type(reference, at),
            SchemaOrRef::Item(schema) => self.schema_type(schema, hint, at),
        }
    }

    pub(super) fn plain_type(
        &mut self,
        schema: &'a ReferenceOr<Schema>,
        hint: &str,
        at: &Pointer,
    ) -> Result<TypeRef> {
        match of(schema) {
            SchemaOrRef::Ref(reference) => self.ref_type(reference, at),
            SchemaOrRef::Item(schema) => self.schema_type(schema, hint, at),
        }
    }

    /// The type of an inline schema; objects and enums become named types
    /// called `hint`.
    pub(super) fn schema_type(
        &mut self,
        schema: &'a Schema,
        hint: &str,
        at: &Pointer,
    ) -> Result<TypeRef> {
        let doc = || {
            doc_or(schema.schema_data.description.as_deref(), || {
                format!("Inline schema at `{}`.", at.as_str())
            })
        };
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(s)) if !s.enumeration.is_empty() => {
                let def = self.enum_def(&s.enumeration, at)?;
                Ok(self.add_inline(hint, doc(), at, TypeKind::Enum(def)))
            }
            SchemaKind::Type(Type::String(s)) => Ok(string_type(&s.format)),
            SchemaKind::Type(Type::Integer(i)) => Ok(match &i.format {
                VariantOrUnknownOrEmpty::Item(IntegerFormat::Int32) => TypeRef::I32,
                _ => TypeRef::I64,
            }),
            SchemaKind::Type(Type::Number(n)) => Ok(match &n.format {
                VariantOrUnknownOrEmpty::Item(NumberFormat::Float) => TypeRef::F32,
                _ => TypeRef::F64,
            }),
            SchemaKind::Type(Type::Boolean(_)) => Ok(TypeRef::Bool),
            SchemaKind::Type(Type::Array(a)) => match &a.items {
                Some(items) => {
                    let inner =
                        self.boxed_type(items, &format!("{hint}Item"), &at.push("items"))?;
                    Ok(TypeRef::Vec(Box::new(inner)))
                }
                None => Ok(TypeRef::Vec(Box::new(TypeRef::Json))),
            },
            SchemaKind::Type(Type::Object(o)) if o.properties.is_empty() => {
                match &o.additional_properties {
                    Some(AdditionalProperties::Schema(inner)) => {
                        let inner = self.plain_type(
                            inner,
                            &format!("{hint}Value"),
                            &at.push("additionalProperties"),
                        )?;
                        Ok(TypeRef::Map(Box::new(inner)))
                    }
                    Some(AdditionalProperties::Any(true)) => {
                        Ok(TypeRef::Map(Box::new(TypeRef::Json)))
                    }
                    _ => Ok(TypeRef::Json),
                }
            }
            SchemaKind::AllOf { all_of } if all_of.len() == 1 => match of(&all_of[0]) {
                SchemaOrRef::Ref(reference) => {
                    self.ref_type(reference, &at.push("allOf").push("0"))
                }
                SchemaOrRef::Item(_) => self.inline_struct(schema, hint, doc(), at),
            },
            SchemaKind::Type(Type::Object(_)) | SchemaKind::AllOf { .. } => {
                self.inline_struct(schema, hint, doc(), at)
            }
            SchemaKind::Any(a) if !a.properties.is_empty() => {
                self.inline_struct(schema, hint, doc(), at)
            }
            SchemaKind::Any(a) if a.items.is_some() => match &a.items {
                Some(items) => {
                    let inner =
                        self.boxed_type(items, &format!("{hint}Item"), &at.push("items"))?;
                    Ok(TypeRef::Vec(Box::new(inner)))
                }
                None => Ok(TypeRef::Json),
            },
            SchemaKind::Any(_) => Ok(TypeRef::Json),
            SchemaKind::OneOf { .. } => Err(self.diag(
                at,
                "`oneOf` is not supported; expected a single type, `allOf` or a `$ref`",
            )),
            SchemaKind::AnyOf { .. } => Err(self.diag(
                at,
                "`anyOf` is not supported; expected a single type, `allOf` or a `$ref`",
            )),
            SchemaKind::Not { .. } => Err(self.diag(
                at,
                "`not` is not supported; expected a single type, `allOf` or a `$ref`",
            )),
        }
    }

    pub(super) fn inline_struct(
        &mut self,
        schema: &'a Schema,
        hint: &str,
        doc: String,
        at: &Pointer,
    ) -> Result<TypeRef> {
        let ident = self.type_names.ident(hint, Case::Pascal).to_string();
        let def = self.struct_of(&ident, schema, at)?;
        self.inline.push(TypeDef {
            ident: ident.clone(),
            doc,
            pointer: at.as_str().to_owned(),
            kind: TypeKind::Struct(def),
        });
        Ok(TypeRef::Named(ident))
    }

    pub(super) fn add_inline(
        &mut self,
        hint: &str,
        doc: String,
        at: &Pointer,
        kind: TypeKind,
    ) -> TypeRef {
        let ident = self.type_names.ident(hint, Case::Pascal).to_string();
        self.inline.push(TypeDef {
            ident: ident.clone(),
            doc,
            pointer: at.as_str().to_owned(),
            kind,
        });
        TypeRef::Named(ident)
    }

    /// The kind of the named type `ident`, among those lowered so far.
    pub(super) fn kind_of(&self, ident: &str) -> Option<&TypeKind> {
        self.components
            .iter()
            .chain(&self.inline)
            .find(|t| t.ident == ident)
            .map(|t| &t.kind)
    }

    /// Whether a value of `ty` is one parameter value.
    pub(super) fn is_scalar(&self, ty: &TypeRef) -> bool {
        ty.is_scalar(&|name| match self.kind_of(name) {
            Some(TypeKind::Enum(_)) => true,
            Some(TypeKind::Alias(inner)) => self.is_scalar(inner),
            _ => false,
        })
    }
}
