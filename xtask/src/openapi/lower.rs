//! `openapiv3` document → [`super::model::Api`]: `$ref`s resolved, inline schemas
//! named, the Marketo envelope and paging recognised, names made Rust
//! identifiers. Anything the generator does not support is a located
//! [`Diagnostic`], never a panic.
//!
//! Rules (documented in `docs/rest-codegen.md`):
//! * An **envelope schema** is an object with `requestId` and `success`
//!   properties. A schema that is `allOf: [$ref envelope, {properties:
//!   {result: {type: array, items: X}}}]` is `Envelope<X>`; a bare `$ref` to
//!   the envelope is an envelope without `result`.
//! * An operation **pages by offset** when it answers an envelope with
//!   `result` and has an integer query parameter `offset`; it **pages by
//!   token** when it has a string query parameter `nextPageToken`.
//! * An operation with `security: []` or `x-codegen-skip: true` is not
//!   generated (Marketo's identity endpoint; `marketo-auth` does that).

use std::collections::{BTreeMap, BTreeSet};

use indexmap::IndexMap;
use openapiv3::{
    AdditionalProperties, IntegerFormat, NumberFormat, OpenAPI, Operation as OaOperation,
    Parameter, ParameterSchemaOrContent, PathStyle, QueryStyle as OaQueryStyle, ReferenceOr,
    RequestBody, Response, Schema, SchemaKind, StatusCode, StringFormat, Type,
    VariantOrUnknownOrEmpty,
};

use super::model::*;
use super::parse::Pointer;
use crate::codegen::naming::{Case, UniqueNames, sanitize};
use crate::codegen::{CodegenError, Diagnostic};

type Result<T> = std::result::Result<T, CodegenError>;

/// Methods of the generated `Client` that operations must not take.
const CLIENT_METHODS: [&str; 6] = [
    "new",
    "with_http_client",
    "with_token_provider",
    "from_env",
    "from_core",
    "core",
];

/// Locals of generated method bodies; no argument may take these names.
const LOCALS: [&str; 12] = [
    "self", "params", "body", "path", "query", "request", "form", "value", "client", "start",
    "position", "token",
];

/// Prelude names generated code uses unqualified; no generated type may
/// take them.
const PRELUDE: [&str; 11] = [
    "Option", "Some", "None", "String", "Vec", "Box", "Result", "Ok", "Err", "Into", "From",
];

/// A schema or a reference to one, whatever box it came in.
enum SchemaOrRef<'a> {
    Ref(&'a str),
    Item(&'a Schema),
}

fn of(r: &ReferenceOr<Schema>) -> SchemaOrRef<'_> {
    match r {
        ReferenceOr::Reference { reference } => SchemaOrRef::Ref(reference),
        ReferenceOr::Item(s) => SchemaOrRef::Item(s),
    }
}

fn of_boxed(r: &ReferenceOr<Box<Schema>>) -> SchemaOrRef<'_> {
    match r {
        ReferenceOr::Reference { reference } => SchemaOrRef::Ref(reference),
        ReferenceOr::Item(s) => SchemaOrRef::Item(s),
    }
}

/// One property on its way into a struct.
struct Prop<'a> {
    name: &'a str,
    schema: SchemaOrRef<'a>,
    pointer: Pointer,
    required: bool,
}

/// The properties of an object schema, merged over `allOf`.
#[derive(Default)]
struct Merged<'a> {
    props: Vec<Prop<'a>>,
    required: BTreeSet<String>,
    additional: Option<(&'a AdditionalProperties, Pointer)>,
}

struct Lowerer<'a> {
    file: &'a str,
    schemas: &'a IndexMap<String, ReferenceOr<Schema>>,
    doc: &'a OpenAPI,
    type_names: UniqueNames,
    component_idents: BTreeMap<String, String>,
    envelope_bases: BTreeSet<String>,
    components: Vec<TypeDef>,
    inline: Vec<TypeDef>,
}

/// Lowers a parsed document; `file` names it in diagnostics.
pub fn lower(doc: &OpenAPI, file: &str) -> Result<Api> {
    static EMPTY: std::sync::OnceLock<IndexMap<String, ReferenceOr<Schema>>> =
        std::sync::OnceLock::new();
    let schemas = match &doc.components {
        Some(components) => &components.schemas,
        None => EMPTY.get_or_init(IndexMap::new),
    };
    let mut lowerer = Lowerer {
        file,
        schemas,
        doc,
        type_names: UniqueNames::new(),
        component_idents: BTreeMap::new(),
        envelope_bases: BTreeSet::new(),
        components: Vec::new(),
        inline: Vec::new(),
    };
    lowerer.run()
}

fn schemas_pointer(name: &str) -> Pointer {
    Pointer::root()
        .push("components")
        .push("schemas")
        .push(name)
}

fn doc_or(text: Option<&str>, fallback: impl FnOnce() -> String) -> String {
    match text.map(str::trim) {
        Some(text) if !text.is_empty() => text.to_owned(),
        _ => fallback(),
    }
}

fn is_object_with(schema: &Schema, members: &[&str]) -> bool {
    let props = match &schema.schema_kind {
        SchemaKind::Type(Type::Object(o)) => &o.properties,
        SchemaKind::Any(a) => &a.properties,
        _ => return false,
    };
    members.iter().all(|m| props.contains_key(*m))
}

impl<'a> Lowerer<'a> {
    fn diag(&self, pointer: &Pointer, message: impl Into<String>) -> CodegenError {
        Diagnostic::at_pointer(self.file, pointer.as_str(), message).into()
    }

    fn run(&mut self) -> Result<Api> {
        // Prelude names the generated code uses unqualified.
        for reserved in PRELUDE {
            self.type_names.reserve(reserved);
        }
        for (name, schema) in self.schemas {
            let ident = self.type_names.ident(name, Case::Pascal).to_string();
            self.component_idents.insert(name.clone(), ident);
            if let ReferenceOr::Item(schema) = schema
                && is_object_with(schema, &["requestId", "success"])
            {
                self.envelope_bases.insert(name.clone());
            }
        }
        for (name, schema) in self.schemas {
            let pointer = schemas_pointer(name);
            let ident = self.component_idents[name].clone();
            let (doc, kind) = match schema {
                ReferenceOr::Reference { reference } => {
                    let kind = match self.envelope_target(reference) {
                        true => TypeKind::Envelope(None),
                        false => TypeKind::Alias(self.ref_type(reference, &pointer)?),
                    };
                    (
                        format!("The `{name}` schema (an alias of `{reference}`)."),
                        kind,
                    )
                }
                ReferenceOr::Item(schema) => {
                    let doc = doc_or(schema.schema_data.description.as_deref(), || {
                        format!("The `{name}` schema.")
                    });
                    (doc, self.component_kind(name, &ident, schema, &pointer)?)
                }
            };
            self.components.push(TypeDef {
                ident,
                doc,
                pointer: pointer.as_str().to_owned(),
                kind,
            });
        }
        let modules = self.operations()?;
        let mut types = std::mem::take(&mut self.components);
        types.append(&mut self.inline);
        self.break_cycles(&mut types)?;
        derive_defaults(&mut types);
        Ok(Api {
            title: self.doc.info.title.clone(),
            description: self.doc.info.description.clone(),
            types,
            modules,
        })
    }

    /// Whether `reference` names an envelope base schema.
    fn envelope_target(&self, reference: &str) -> bool {
        reference
            .strip_prefix("#/components/schemas/")
            .is_some_and(|name| self.envelope_bases.contains(&unescape(name)))
    }

    fn component_kind(
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
    fn envelope_item(
        &mut self,
        schema: &'a Schema,
        pointer: &Pointer,
        hint: &str,
    ) -> Result<Option<Option<TypeRef>>> {
        let SchemaKind::AllOf { all_of } = &schema.schema_kind else {
            return Ok(None);
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

    fn enum_def(&self, values: &[Option<String>], pointer: &Pointer) -> Result<EnumDef> {
        let mut names = UniqueNames::new();
        names.reserve("Other");
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
            let ident = names.ident(value, Case::Pascal).to_string();
            variants.push(Variant {
                value: value.clone(),
                ident,
            });
        }
        Ok(EnumDef { variants })
    }

    /// Properties of `schema`, merged over `allOf`.
    fn merge(
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

    fn merge_props(
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

    fn struct_of(
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
        if merged.additional.is_some() {
            names.reserve("additional_properties");
        }
        let mut fields = Vec::new();
        for prop in &merged.props {
            let ident = names.ident(prop.name, Case::Snake).to_string();
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
                name: prop.name.to_owned(),
                ident,
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
    fn check_nested_dates(&self, ty: &TypeRef, pointer: &Pointer) -> Result<()> {
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
    fn resolve(&self, reference: &str, at: &Pointer) -> Result<(&'a Schema, Pointer)> {
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
    fn schema_ref_name(&self, reference: &str, at: &Pointer) -> Result<String> {
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
    fn ref_type(&self, reference: &str, at: &Pointer) -> Result<TypeRef> {
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

    fn boxed_type(
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

    fn plain_type(
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
    fn schema_type(&mut self, schema: &'a Schema, hint: &str, at: &Pointer) -> Result<TypeRef> {
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

    fn inline_struct(
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

    fn add_inline(&mut self, hint: &str, doc: String, at: &Pointer, kind: TypeKind) -> TypeRef {
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
    fn kind_of(&self, ident: &str) -> Option<&TypeKind> {
        self.components
            .iter()
            .chain(&self.inline)
            .find(|t| t.ident == ident)
            .map(|t| &t.kind)
    }

    /// Whether a value of `ty` is one parameter value.
    fn is_scalar(&self, ty: &TypeRef) -> bool {
        ty.is_scalar(&|name| match self.kind_of(name) {
            Some(TypeKind::Enum(_)) => true,
            Some(TypeKind::Alias(inner)) => self.is_scalar(inner),
            _ => false,
        })
    }

    fn operations(&mut self) -> Result<Vec<OpModule>> {
        let mut modules: Vec<OpModule> = Vec::new();
        let mut module_names = UniqueNames::new();
        for reserved in ["types", "params", "mod"] {
            module_names.reserve(reserved);
        }
        let mut module_of_tag: BTreeMap<String, usize> = BTreeMap::new();
        let mut seen_ids: BTreeMap<String, Pointer> = BTreeMap::new();
        let mut method_names = UniqueNames::new();
        for reserved in CLIENT_METHODS {
            method_names.reserve(reserved);
        }
        let doc = self.doc;
        for (path, item) in &doc.paths.paths {
            let path_pointer = Pointer::root().push("paths").push(path);
            let item = match item {
                ReferenceOr::Item(item) => item,
                ReferenceOr::Reference { .. } => {
                    return Err(self.diag(
                        &path_pointer,
                        "`$ref` path items are not supported; expected the path item inline",
                    ));
                }
            };
            for (name, op) in [
                ("options", &item.options),
                ("head", &item.head),
                ("trace", &item.trace),
            ] {
                if op.is_some() {
                    return Err(self.diag(
                        &path_pointer.push(name),
                        format!("the `{name}` method is not supported; expected get, put, post, patch or delete"),
                    ));
                }
            }
            let methods = [
                (Method::Get, &item.get),
                (Method::Put, &item.put),
                (Method::Post, &item.post),
                (Method::Delete, &item.delete),
                (Method::Patch, &item.patch),
            ];
            for (method, op) in methods {
                let Some(op) = op else { continue };
                let op_pointer = path_pointer.push(&method.as_str().to_lowercase());
                if skipped(op) {
                    continue;
                }
                let Some(id) = op
                    .operation_id
                    .as_deref()
                    .filter(|id| !id.trim().is_empty())
                else {
                    return Err(self.diag(
                        &op_pointer,
                        "missing `operationId`; expected every operation to have one (it names the Rust method)",
                    ));
                };
                if let Some(first) = seen_ids.get(id) {
                    return Err(self.diag(
                        &op_pointer,
                        format!("duplicate `operationId` `{id}` (first at {}); expected each operationId once", first.as_str()),
                    ));
                }
                seen_ids.insert(id.to_owned(), op_pointer.clone());
                let ident = method_names.ident(id, Case::Snake).to_string();
                let mut operation = self.operation(
                    id,
                    ident,
                    method,
                    path,
                    &item.parameters,
                    op,
                    &op_pointer,
                    &path_pointer,
                )?;
                if operation.paging.is_some() {
                    operation.stream_ident = Some(
                        method_names
                            .ident(&format!("{}_stream", operation.ident), Case::Snake)
                            .to_string(),
                    );
                }
                let tag = op
                    .tags
                    .first()
                    .cloned()
                    .unwrap_or_else(|| "default".to_owned());
                let index = match module_of_tag.get(&tag) {
                    Some(index) => *index,
                    None => {
                        let tag_doc = doc
                            .tags
                            .iter()
                            .find(|t| t.name == tag)
                            .and_then(|t| t.description.as_deref());
                        modules.push(OpModule {
                            ident: module_names.ident(&tag, Case::Snake).to_string(),
                            doc: doc_or(tag_doc, || format!("Operations tagged `{tag}`.")),
                            operations: Vec::new(),
                        });
                        module_of_tag.insert(tag.clone(), modules.len() - 1);
                        modules.len() - 1
                    }
                };
                modules[index].operations.push(operation);
            }
        }
        Ok(modules)
    }

    #[allow(clippy::too_many_arguments)]
    fn operation(
        &mut self,
        id: &str,
        ident: String,
        method: Method,
        path: &str,
        path_level: &'a [ReferenceOr<Parameter>],
        op: &'a OaOperation,
        op_pointer: &Pointer,
        path_pointer: &Pointer,
    ) -> Result<Operation> {
        let pascal = sanitize(id, Case::Pascal);
        let mut arg_names = UniqueNames::new();
        // Argument names must not shadow the locals of generated methods.
        for reserved in LOCALS {
            arg_names.reserve(reserved);
        }
        // Path-level parameters, overridden by operation-level ones.
        let mut all: Vec<(&'a Parameter, Pointer)> = Vec::new();
        for (i, p) in path_level.iter().enumerate() {
            let at = path_pointer.push("parameters").push(&i.to_string());
            all.push((self.parameter(p, &at)?, at));
        }
        for (i, p) in op.parameters.iter().enumerate() {
            let at = op_pointer.push("parameters").push(&i.to_string());
            let param = self.parameter(p, &at)?;
            let key = param_key(param);
            all.retain(|(existing, _)| param_key(existing) != key);
            all.push((param, at));
        }
        let mut path_params = Vec::new();
        let mut query_params = Vec::new();
        for (param, at) in all {
            let (data, location) = match param {
                Parameter::Query { parameter_data, .. } => (parameter_data, "query"),
                Parameter::Path { parameter_data, .. } => (parameter_data, "path"),
                Parameter::Header { .. } | Parameter::Cookie { .. } => {
                    return Err(self.diag(
                        &at,
                        "header and cookie parameters are not supported; expected `in: query` or `in: path`",
                    ));
                }
            };
            let schema = match &data.format {
                ParameterSchemaOrContent::Schema(schema) => schema,
                ParameterSchemaOrContent::Content(_) => {
                    return Err(self.diag(
                        &at,
                        format!(
                            "parameter `{}` uses `content`; expected a `schema`",
                            data.name
                        ),
                    ));
                }
            };
            let hint = format!("{pascal}{}", sanitize(&data.name, Case::Pascal));
            let ty = self.plain_type(schema, &hint, &at.push("schema"))?;
            let style = match param {
                Parameter::Query { style, .. } => {
                    let explode = data.explode.unwrap_or(matches!(style, OaQueryStyle::Form));
                    // `explode` defaults to true for `form` only.
                    let separator = match style {
                        OaQueryStyle::Form => ",",
                        OaQueryStyle::SpaceDelimited => " ",
                        OaQueryStyle::PipeDelimited => "|",
                        OaQueryStyle::DeepObject => {
                            return Err(self.diag(
                                &at,
                                format!("unsupported parameter style `deepObject` for `{}`; expected `form` (with `explode: true` or `false`), `spaceDelimited` or `pipeDelimited`", data.name),
                            ));
                        }
                    };
                    if explode {
                        QueryStyle::Exploded
                    } else {
                        QueryStyle::Joined(separator)
                    }
                }
                Parameter::Path { style, .. } => {
                    let name = match style {
                        PathStyle::Simple => None,
                        PathStyle::Label => Some("label"),
                        PathStyle::Matrix => Some("matrix"),
                    };
                    if let Some(name) = name {
                        return Err(self.diag(
                            &at,
                            format!("unsupported parameter style `{name}` for path parameter `{}`; expected `simple`", data.name),
                        ));
                    }
                    QueryStyle::Exploded
                }
                Parameter::Header { .. } | Parameter::Cookie { .. } => QueryStyle::Exploded,
            };
            let ok = match (&ty, location) {
                (_, "path") => self.is_scalar(&ty),
                (TypeRef::Vec(inner), _) => self.is_scalar(inner),
                _ => self.is_scalar(&ty),
            };
            if !ok {
                let expected = match location {
                    "path" => "a scalar or a string enum",
                    _ => "a scalar, a string enum, or an array of them",
                };
                return Err(self.diag(
                    &at.push("schema"),
                    format!(
                        "{location} parameter `{}` has type `{}`; expected {expected}",
                        data.name,
                        ty.rust()
                    ),
                ));
            }
            let param = Param {
                name: data.name.clone(),
                ident: arg_names.ident(&data.name, Case::Snake).to_string(),
                doc: doc_or(data.description.as_deref(), || format!("`{}`.", data.name)),
                ty,
                required: data.required || location == "path",
                style,
            };
            match location {
                "path" => path_params.push(param),
                _ => query_params.push(param),
            }
        }
        let path_params = self.order_path_params(path, path_params, op_pointer)?;
        let params_struct = query_params.iter().any(|p| !p.required).then(|| {
            self.type_names
                .ident(&format!("{pascal}Params"), Case::Pascal)
                .to_string()
        });
        let body = match &op.request_body {
            None => None,
            Some(body) => Some(self.body(body, &pascal, &op_pointer.push("requestBody"))?),
        };
        let response = self.response(op, &pascal, op_pointer)?;
        let paging = match &response {
            ResponseKind::Envelope(Some(_)) => paging_of(&query_params),
            _ => None,
        };
        let mut doc = String::new();
        if let Some(summary) = op
            .summary
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            doc.push_str(summary);
            if !summary.ends_with('.') {
                doc.push('.');
            }
            doc.push_str("\n\n");
        }
        if let Some(description) = op
            .description
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            doc.push_str(description);
            doc.push_str("\n\n");
        }
        doc.push_str(&format!("`{} {path}` (`{id}`).", method.as_str()));
        Ok(Operation {
            id: id.to_owned(),
            ident,
            doc,
            method,
            path: path.to_owned(),
            path_params,
            query_params,
            params_struct,
            body,
            response,
            auth: true,
            paging,
            stream_ident: None,
        })
    }

    fn parameter(&self, p: &'a ReferenceOr<Parameter>, at: &Pointer) -> Result<&'a Parameter> {
        match p {
            ReferenceOr::Item(p) => Ok(p),
            ReferenceOr::Reference { reference } => {
                let found = reference
                    .strip_prefix("#/components/parameters/")
                    .and_then(|name| {
                        self.doc
                            .components
                            .as_ref()?
                            .parameters
                            .get(&unescape(name))
                    });
                match found {
                    Some(ReferenceOr::Item(p)) => Ok(p),
                    _ => Err(self.diag(
                        at,
                        format!("dangling `$ref`: `{reference}`; expected a parameter defined inline under #/components/parameters"),
                    )),
                }
            }
        }
    }

    /// Path parameters in the order of the template; each `{name}` must
    /// be declared and each declared one used.
    fn order_path_params(
        &self,
        path: &str,
        mut params: Vec<Param>,
        at: &Pointer,
    ) -> Result<Vec<Param>> {
        let mut ordered = Vec::new();
        for name in template_names(path) {
            match params.iter().position(|p| p.name == name) {
                Some(i) => ordered.push(params.remove(i)),
                None => {
                    return Err(self.diag(
                        at,
                        format!("the path has `{{{name}}}` but no `in: path` parameter `{name}`; expected one"),
                    ));
                }
            }
        }
        if let Some(extra) = params.first() {
            return Err(self.diag(
                at,
                format!("path parameter `{}` does not appear in the path `{path}`; expected `{{{}}}` in it", extra.name, extra.name),
            ));
        }
        Ok(ordered)
    }

    fn body(
        &mut self,
        body: &'a ReferenceOr<RequestBody>,
        pascal: &str,
        at: &Pointer,
    ) -> Result<Body> {
        let body = match body {
            ReferenceOr::Item(body) => body,
            ReferenceOr::Reference { reference } => {
                let found = reference
                    .strip_prefix("#/components/requestBodies/")
                    .and_then(|name| {
                        self.doc
                            .components
                            .as_ref()?
                            .request_bodies
                            .get(&unescape(name))
                    });
                match found {
                    Some(ReferenceOr::Item(body)) => body,
                    _ => {
                        return Err(self.diag(
                            at,
                            format!("dangling `$ref`: `{reference}`; expected a request body defined inline under #/components/requestBodies"),
                        ));
                    }
                }
            }
        };
        let content_pointer = at.push("content");
        let mut chosen = None;
        for (media, content) in &body.content {
            match media_kind(media) {
                Some(kind) => {
                    chosen = Some((kind, media, content));
                    break;
                }
                None => {
                    if chosen.is_none() && body.content.len() == 1 {
                        return Err(self.diag(
                            &content_pointer.push(media),
                            format!("unsupported media type `{media}`; expected `application/json` or `application/x-www-form-urlencoded`"),
                        ));
                    }
                }
            }
        }
        let Some((kind, media, content)) = chosen else {
            let listed: Vec<&str> = body.content.keys().map(String::as_str).collect();
            return Err(self.diag(
                &content_pointer,
                format!("no supported media type among {listed:?}; expected `application/json` or `application/x-www-form-urlencoded`"),
            ));
        };
        let media_pointer = content_pointer.push(media);
        let Some(schema) = &content.schema else {
            return Err(self.diag(
                &media_pointer,
                "the request body has no `schema`; expected one",
            ));
        };
        let ty = self.plain_type(
            schema,
            &format!("{pascal}Request"),
            &media_pointer.push("schema"),
        )?;
        let encoding = match kind {
            MediaKind::Json => BodyEncoding::Json,
            MediaKind::Form => {
                let fields = match &ty {
                    TypeRef::Named(name) => match self.kind_of(name) {
                        Some(TypeKind::Struct(def)) => def.fields.clone(),
                        _ => Vec::new(),
                    },
                    _ => Vec::new(),
                };
                if fields.is_empty()
                    && !matches!(&ty, TypeRef::Named(name) if matches!(self.kind_of(name), Some(TypeKind::Struct(_))))
                {
                    return Err(self.diag(
                        &media_pointer.push("schema"),
                        "a form body must be an object schema; expected `type: object` with `properties`",
                    ));
                }
                for name in content.encoding.keys() {
                    if !fields.iter().any(|f| &f.name == name) {
                        return Err(self.diag(
                            &media_pointer.push("encoding").push(name),
                            format!("`encoding` names `{name}`, which is not a property of the body; expected a property name"),
                        ));
                    }
                }
                let mut form = Vec::new();
                for field in &fields {
                    let json = content
                        .encoding
                        .get(&field.name)
                        .and_then(|e| e.content_type.as_deref())
                        .is_some_and(|ct| media_kind(ct) == Some(MediaKind::Json));
                    let value = if json {
                        FormValue::Json
                    } else if self.is_scalar(&field.ty) {
                        FormValue::Scalar
                    } else if matches!(&field.ty, TypeRef::Vec(inner) if self.is_scalar(inner)) {
                        FormValue::Each
                    } else {
                        return Err(self.diag(
                            &media_pointer.push("encoding"),
                            format!(
                                "form field `{}` has type `{}`; expected a scalar, an array of scalars, or `encoding: {{{}: {{contentType: application/json}}}}`",
                                field.name,
                                field.ty.rust(),
                                field.name
                            ),
                        ));
                    };
                    form.push(FormField {
                        name: field.name.clone(),
                        ident: field.ident.clone(),
                        optional: field.optional(),
                        value,
                    });
                }
                BodyEncoding::Form(form)
            }
        };
        Ok(Body {
            ty,
            required: body.required,
            doc: doc_or(body.description.as_deref(), || {
                "The request body.".to_owned()
            }),
            encoding,
        })
    }

    fn response(
        &mut self,
        op: &'a OaOperation,
        pascal: &str,
        op_pointer: &Pointer,
    ) -> Result<ResponseKind> {
        let responses_pointer = op_pointer.push("responses");
        let success = op.responses.responses.iter().find(|(code, _)| match code {
            StatusCode::Code(code) => (200..300).contains(code),
            StatusCode::Range(range) => *range == 2,
        });
        let Some((code, response)) = success else {
            return Err(self.diag(
                &responses_pointer,
                "no success response; expected a `200` (or other 2xx) response",
            ));
        };
        let code = match code {
            StatusCode::Code(code) => code.to_string(),
            StatusCode::Range(_) => "2XX".to_owned(),
        };
        let at = responses_pointer.push(&code);
        let response: &'a Response = match response {
            ReferenceOr::Item(response) => response,
            ReferenceOr::Reference { reference } => {
                let found = reference
                    .strip_prefix("#/components/responses/")
                    .and_then(|name| self.doc.components.as_ref()?.responses.get(&unescape(name)));
                match found {
                    Some(ReferenceOr::Item(response)) => response,
                    _ => {
                        return Err(self.diag(
                            &at,
                            format!("dangling `$ref`: `{reference}`; expected a response defined inline under #/components/responses"),
                        ));
                    }
                }
            }
        };
        let Some((media, content)) = response.content.first() else {
            return Ok(ResponseKind::Empty);
        };
        let media_pointer = at.push("content").push(media);
        if media_kind(media) != Some(MediaKind::Json) {
            return Err(self.diag(
                &media_pointer,
                format!(
                    "unsupported media type `{media}`; expected `application/json` for responses"
                ),
            ));
        }
        let Some(schema) = &content.schema else {
            return Ok(ResponseKind::Plain(TypeRef::Json));
        };
        let schema_pointer = media_pointer.push("schema");
        match schema {
            ReferenceOr::Reference { reference } => {
                if self.envelope_target(reference) {
                    return Ok(ResponseKind::Envelope(None));
                }
                let ty = self.ref_type(reference, &schema_pointer)?;
                if let TypeRef::Named(name) = &ty
                    && let Some(TypeKind::Envelope(item)) = self.kind_of(name)
                {
                    return Ok(ResponseKind::Envelope(item.clone()));
                }
                Ok(ResponseKind::Plain(ty))
            }
            ReferenceOr::Item(schema) => {
                let hint = format!("{pascal}Response");
                if let Some(item) = self.envelope_item(schema, &schema_pointer, &hint)? {
                    return Ok(ResponseKind::Envelope(item));
                }
                Ok(ResponseKind::Plain(self.schema_type(
                    schema,
                    &hint,
                    &schema_pointer,
                )?))
            }
        }
    }

    /// Boxes by-value recursive fields where an optional field makes that
    /// possible; a cycle of required members has no finite value.
    fn break_cycles(&self, types: &mut [TypeDef]) -> Result<()> {
        loop {
            let Some(cycle) = find_cycle(types) else {
                return Ok(());
            };
            // `cycle`: (type index, field index) edges.
            let optional = cycle.iter().find(|(t, f)| match &types[*t].kind {
                TypeKind::Struct(def) => def.fields[*f].optional(),
                _ => false,
            });
            match optional {
                Some(&(t, f)) => {
                    if let TypeKind::Struct(def) = &mut types[t].kind {
                        def.fields[f].boxed = true;
                    }
                }
                None => {
                    let names: Vec<String> = cycle
                        .iter()
                        .map(|(t, f)| match &types[*t].kind {
                            TypeKind::Struct(def) => {
                                format!("{}.{}", types[*t].ident, def.fields[*f].name)
                            }
                            _ => types[*t].ident.clone(),
                        })
                        .collect();
                    let (first, _) = cycle[0];
                    return Err(Diagnostic::at_pointer(
                        self.file,
                        types[first].pointer.clone(),
                        format!(
                            "cyclic schema without indirection: {} are all required, so no finite value exists; expected an array or an optional member on the cycle",
                            names.join(" → ")
                        ),
                    )
                    .into());
                }
            }
        }
    }
}

/// A by-value cycle among struct fields that are not yet boxed, as
/// (type index, field index) edges.
fn find_cycle(types: &[TypeDef]) -> Option<Vec<(usize, usize)>> {
    let index: BTreeMap<&str, usize> = types
        .iter()
        .enumerate()
        .map(|(i, t)| (t.ident.as_str(), i))
        .collect();
    let edges = |t: usize| -> Vec<(usize, usize)> {
        match &types[t].kind {
            TypeKind::Struct(def) => def
                .fields
                .iter()
                .enumerate()
                .filter(|(_, f)| !f.boxed)
                .filter_map(|(fi, f)| match &f.ty {
                    TypeRef::Named(name) => index.get(name.as_str()).map(|&target| (fi, target)),
                    _ => None,
                })
                .collect(),
            TypeKind::Alias(TypeRef::Named(name)) => index
                .get(name.as_str())
                .map(|&target| vec![(usize::MAX, target)])
                .unwrap_or_default(),
            _ => Vec::new(),
        }
    };
    // 0 = unvisited, 1 = on the stack, 2 = done.
    let mut state = vec![0u8; types.len()];
    fn visit(
        t: usize,
        state: &mut [u8],
        stack: &mut Vec<(usize, usize)>,
        edges: &dyn Fn(usize) -> Vec<(usize, usize)>,
    ) -> Option<Vec<(usize, usize)>> {
        state[t] = 1;
        for (field, target) in edges(t) {
            stack.push((t, field));
            if state[target] == 1 {
                let start = stack.iter().position(|(s, _)| *s == target).unwrap_or(0);
                return Some(stack[start..].to_vec());
            }
            if state[target] == 0
                && let Some(cycle) = visit(target, state, stack, edges)
            {
                return Some(cycle);
            }
            stack.pop();
        }
        state[t] = 2;
        None
    }
    for t in 0..types.len() {
        if state[t] == 0 {
            let mut stack = Vec::new();
            if let Some(cycle) = visit(t, &mut state, &mut stack, &edges) {
                // Alias edges (field index usize::MAX) cannot be boxed.
                return Some(cycle);
            }
        }
    }
    None
}

/// Marks structs whose every required field has a default value.
fn derive_defaults(types: &mut [TypeDef]) {
    let mut default: BTreeMap<String, bool> = types
        .iter()
        .map(|t| (t.ident.clone(), matches!(t.kind, TypeKind::Struct(_))))
        .collect();
    loop {
        let mut changed = false;
        for t in types.iter() {
            let TypeKind::Struct(def) = &t.kind else {
                continue;
            };
            if !default[&t.ident] {
                continue;
            }
            let ok = def
                .fields
                .iter()
                .all(|f| f.optional() || has_default(&f.ty, types, &default));
            if !ok {
                default.insert(t.ident.clone(), false);
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    for t in types.iter_mut() {
        if let TypeKind::Struct(def) = &mut t.kind {
            def.default = default[&t.ident];
        }
    }
}

fn has_default(ty: &TypeRef, types: &[TypeDef], default: &BTreeMap<String, bool>) -> bool {
    match ty {
        TypeRef::String
        | TypeRef::Bool
        | TypeRef::I32
        | TypeRef::I64
        | TypeRef::F32
        | TypeRef::F64 => true,
        TypeRef::Json | TypeRef::Vec(_) | TypeRef::Map(_) => true,
        TypeRef::DateTime | TypeRef::Date => false,
        TypeRef::Named(name) => match types.iter().find(|t| &t.ident == name).map(|t| &t.kind) {
            Some(TypeKind::Struct(_)) => default.get(name).copied().unwrap_or(false),
            Some(TypeKind::Alias(inner)) => has_default(inner, types, default),
            _ => false,
        },
    }
}

fn is_struct(schema: &Schema) -> bool {
    match &schema.schema_kind {
        SchemaKind::Type(Type::Object(o)) => !o.properties.is_empty(),
        SchemaKind::Any(a) => !a.properties.is_empty(),
        _ => false,
    }
}

fn skipped(op: &OaOperation) -> bool {
    let no_security = op.security.as_ref().is_some_and(Vec::is_empty);
    let skip = op
        .extensions
        .get("x-codegen-skip")
        .is_some_and(|v| v == &serde_json::Value::Bool(true));
    no_security || skip
}

fn param_key(p: &Parameter) -> (String, &'static str) {
    match p {
        Parameter::Query { parameter_data, .. } => (parameter_data.name.clone(), "query"),
        Parameter::Path { parameter_data, .. } => (parameter_data.name.clone(), "path"),
        Parameter::Header { parameter_data, .. } => (parameter_data.name.clone(), "header"),
        Parameter::Cookie { parameter_data, .. } => (parameter_data.name.clone(), "cookie"),
    }
}

fn paging_of(query: &[Param]) -> Option<Paging> {
    if let Some(p) = query
        .iter()
        .find(|p| p.name == "offset" && matches!(p.ty, TypeRef::I32 | TypeRef::I64))
    {
        return Some(Paging::Offset {
            param: p.ident.clone(),
            wide: p.ty == TypeRef::I64,
            optional: !p.required,
        });
    }
    query
        .iter()
        .find(|p| p.name == "nextPageToken" && p.ty == TypeRef::String)
        .map(|p| Paging::Token {
            param: p.ident.clone(),
            optional: !p.required,
        })
}

/// The `{name}`s of a path template, in order.
pub fn template_names(path: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut rest = path;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) => {
                names.push(after[..close].to_owned());
                rest = &after[close + 1..];
            }
            None => break,
        }
    }
    names
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum MediaKind {
    Json,
    Form,
}

fn media_kind(media: &str) -> Option<MediaKind> {
    let essence = media
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    if essence == "application/json"
        || (essence.starts_with("application/") && essence.ends_with("+json"))
    {
        Some(MediaKind::Json)
    } else if essence == "application/x-www-form-urlencoded" {
        Some(MediaKind::Form)
    } else {
        None
    }
}

/// RFC 6901 unescaping of one pointer segment.
fn unescape(segment: &str) -> String {
    segment.replace("~1", "/").replace("~0", "~")
}

/// The Rust type of a string schema by its `format`: `date-time` and
/// Marketo's own `marketo-date-time` (`2015-05-21T22:45:13Z+0000`, not
/// RFC 3339, so JSON Schema validators must not check it as `date-time`)
/// are date-times read leniently by the runtime; `date` is a date.
fn string_type(format: &VariantOrUnknownOrEmpty<StringFormat>) -> TypeRef {
    match format {
        VariantOrUnknownOrEmpty::Item(StringFormat::DateTime) => TypeRef::DateTime,
        VariantOrUnknownOrEmpty::Unknown(f) if f == MARKETO_DATE_TIME => TypeRef::DateTime,
        VariantOrUnknownOrEmpty::Item(StringFormat::Date) => TypeRef::Date,
        _ => TypeRef::String,
    }
}

/// The `format` of Marketo's Asset API time stamps.
pub const MARKETO_DATE_TIME: &str = "marketo-date-time";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn template_names_in_order() {
        assert_eq!(template_names("/a/{x}/b/{y}.json"), ["x", "y"]);
        assert!(template_names("/a").is_empty());
    }

    #[test]
    fn media_kinds() {
        assert_eq!(
            media_kind("application/json; charset=utf-8"),
            Some(MediaKind::Json)
        );
        assert_eq!(
            media_kind("application/x-www-form-urlencoded"),
            Some(MediaKind::Form)
        );
        assert_eq!(media_kind("multipart/form-data"), None);
    }
}
