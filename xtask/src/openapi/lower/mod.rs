//! `openapiv3` document → [`super::model::Api`]: `$ref`s resolved, inline schemas
//! named, the Marketo envelope and paging recognised, names made Rust
//! identifiers. Anything the generator does not support is a located
//! [`Diagnostic`], never a panic.
//!
//! Rules (documented in `docs/rest-codegen.md`):
//! * An **envelope schema** is an object with `requestId` and `success`
//!   properties. A schema that is `allOf: [$ref envelope, {properties:
//!   {result: {type: array, items: X}}}]` is `Envelope<X>`; a bare `$ref` to
//!   the envelope is an envelope without `result`. A flat object with
//!   `requestId`, `success` and `result: {type: array, items: X}` (and only
//!   the envelope's other members) is `Envelope<X>` too; any other member
//!   beside them is a diagnostic, never dropped.
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

mod bodies;
mod cycles;
pub mod extensions;
mod operations;
mod paging;
mod schemas;

use super::model::*;
use super::parse::Pointer;
use crate::codegen::naming::{Case, PRELUDE_TYPES, UniqueNames, sanitize};
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

/// Locals of generated method bodies that live beside the arguments; no
/// argument may take these names (one that does gets a suffix). `value` and
/// `form` are not among them: they are only bound inside blocks that read
/// `params` or `body` and never an argument, so an argument of that name
/// (Marketo's `value` of a variable) keeps it.
const LOCALS: [&str; 11] = [
    "self", "params", "body", "path", "query", "headers", "request", "client", "start", "position",
    "token",
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
    /// Problems found so far; lowering goes on past each so that one run
    /// reports them all.
    errors: Vec<Diagnostic>,
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
        errors: Vec::new(),
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

    /// Records a spec problem and goes on; any other error stops the run.
    fn keep(&mut self, error: CodegenError) -> Result<()> {
        match error {
            CodegenError::Spec(d) => {
                self.errors.push(*d);
                Ok(())
            }
            CodegenError::Specs(all) => {
                self.errors.extend(all);
                Ok(())
            }
            other => Err(other),
        }
    }

    fn run(&mut self) -> Result<Api> {
        // Prelude names the generated code uses unqualified.
        for reserved in PRELUDE_TYPES {
            self.type_names.reserve(reserved);
        }
        for (name, schema) in self.schemas {
            let ident = self.type_names.ident(name, Case::Pascal).to_string();
            self.component_idents.insert(name.clone(), ident);
            // A flat envelope (with its own `result`) is not a base: it is
            // `Envelope<item>` itself (see `flat_envelope_item`).
            if let ReferenceOr::Item(schema) = schema
                && is_object_with(schema, &["requestId", "success"])
                && !is_object_with(schema, &["result"])
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
                        false => match self.ref_type(reference, &pointer) {
                            Ok(ty) => TypeKind::Alias(ty),
                            Err(e) => {
                                self.keep(e)?;
                                continue;
                            }
                        },
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
                    match self.component_kind(name, &ident, schema, &pointer) {
                        Ok(kind) => (doc, kind),
                        Err(e) => {
                            self.keep(e)?;
                            continue;
                        }
                    }
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
        match self.errors.len() {
            0 => {}
            1 => return Err(self.errors.remove(0).into()),
            _ => return Err(CodegenError::Specs(std::mem::take(&mut self.errors))),
        }
        let mut types = std::mem::take(&mut self.components);
        types.append(&mut self.inline);
        self.break_cycles(&mut types)?;
        cycles::derive_defaults(&mut types);
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
}

fn is_struct(schema: &Schema) -> bool {
    match &schema.schema_kind {
        SchemaKind::Type(Type::Object(o)) => !o.properties.is_empty(),
        SchemaKind::Any(a) => !a.properties.is_empty(),
        _ => false,
    }
}

fn param_key(p: &Parameter) -> (String, &'static str) {
    match p {
        Parameter::Query { parameter_data, .. } => (parameter_data.name.clone(), "query"),
        Parameter::Path { parameter_data, .. } => (parameter_data.name.clone(), "path"),
        Parameter::Header { parameter_data, .. } => (parameter_data.name.clone(), "header"),
        Parameter::Cookie { parameter_data, .. } => (parameter_data.name.clone(), "cookie"),
    }
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
    Multipart,
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
    } else if essence == "multipart/form-data" {
        Some(MediaKind::Multipart)
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
        VariantOrUnknownOrEmpty::Item(StringFormat::Binary) => TypeRef::File,
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
        assert_eq!(
            media_kind("multipart/form-data"),
            Some(MediaKind::Multipart)
        );
        assert_eq!(media_kind("application/xml"), None);
    }
}
