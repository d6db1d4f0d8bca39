//! The small model the emitters work from: named types and operations,
//! every `$ref` resolved, every name already a Rust identifier.
//!
//! [`super::lower`] builds it from an `openapiv3` document; the emitters
//! and [`super::surface()`] only read it. Everything is kept in `Vec`s in the
//! order of the spec, so output is deterministic.

pub use crate::codegen::naming::Name;

/// What the generator takes from one OpenAPI document.
#[derive(Debug, Clone)]
pub struct Api {
    /// `info.title`.
    pub title: String,
    /// `info.description`, if any.
    pub description: Option<String>,
    /// Named types in the order of `components/schemas`, followed by the
    /// types named after the inline schemas they came from.
    pub types: Vec<TypeDef>,
    /// Operations grouped by their module, in order of first appearance.
    pub modules: Vec<OpModule>,
}

/// A named Rust type.
#[derive(Debug, Clone)]
pub struct TypeDef {
    /// The Rust identifier (unique in `types.rs`).
    pub ident: String,
    /// The doc comment.
    pub doc: String,
    /// Where the schema is, for diagnostics.
    pub pointer: String,
    /// What kind of type.
    pub kind: TypeKind,
}

/// The shapes a named type can take.
#[derive(Debug, Clone)]
pub enum TypeKind {
    /// A struct with named fields.
    Struct(StructDef),
    /// A string enum with a fallback variant that keeps unknown values.
    Enum(EnumDef),
    /// `pub type X = Y;`.
    Alias(TypeRef),
    /// A Marketo response envelope: `::marketo_rest::Envelope<T>`, where `T`
    /// is the type of `result` items (`None`: the envelope declares no
    /// `result`).
    Envelope(Option<TypeRef>),
}

/// A struct.
#[derive(Debug, Clone)]
pub struct StructDef {
    /// The declared properties, in spec order.
    pub fields: Vec<Field>,
    /// `additionalProperties`: the type of the extra members' values, kept
    /// in a flattened map.
    pub additional: Option<TypeRef>,
    /// Whether `Default` can be derived.
    pub default: bool,
}

/// One struct field.
#[derive(Debug, Clone)]
pub struct Field {
    /// The Rust identifier and the JSON member name.
    pub name: Name,
    /// The doc comment.
    pub doc: String,
    /// The field's type, without the `Option` of an optional field.
    pub ty: TypeRef,
    /// Whether the member must be present.
    pub required: bool,
    /// Whether the member may be `null`.
    pub nullable: bool,
    /// Whether the type must be boxed (a recursive by-value reference).
    pub boxed: bool,
}

impl Field {
    /// Whether the Rust field is an `Option`.
    pub fn optional(&self) -> bool {
        !self.required || self.nullable
    }
}

/// A string enum.
#[derive(Debug, Clone)]
pub struct EnumDef {
    /// The values in spec order.
    pub variants: Vec<Variant>,
}

/// One enum value.
#[derive(Debug, Clone)]
pub struct Variant {
    /// The Rust identifier and the value on the wire.
    pub name: Name,
}

/// A reference to a type, as written in a field, parameter or result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TypeRef {
    /// `String`.
    String,
    /// `bool`.
    Bool,
    /// `i32`.
    I32,
    /// `i64`.
    I64,
    /// `f32`.
    F32,
    /// `f64`.
    F64,
    /// `::marketo_rest::DateTime` (`format: date-time`).
    DateTime,
    /// `::marketo_rest::Date` (`format: date`).
    Date,
    /// `::marketo_rest::Json`: an untyped schema.
    Json,
    /// A named type of `types.rs`, by Rust identifier.
    Named(String),
    /// `::marketo_rest::FilePart` (`type: string, format: binary`): a file
    /// part of a `multipart/form-data` body.
    File,
    /// `Vec<T>`.
    Vec(Box<TypeRef>),
    /// `::marketo_rest::Map<T>` (string keys).
    Map(Box<TypeRef>),
}

impl TypeRef {
    /// The Rust type as a user reads it (`Vec<Program>`, `OffsetDateTime`).
    pub fn rust(&self) -> String {
        match self {
            Self::String => "String".into(),
            Self::Bool => "bool".into(),
            Self::I32 => "i32".into(),
            Self::I64 => "i64".into(),
            Self::F32 => "f32".into(),
            Self::F64 => "f64".into(),
            Self::DateTime => "OffsetDateTime".into(),
            Self::Date => "Date".into(),
            Self::Json => "Json".into(),
            Self::Named(name) => name.clone(),
            Self::File => "FilePart".into(),
            Self::Vec(inner) => format!("Vec<{}>", inner.rust()),
            Self::Map(inner) => format!("Map<{}>", inner.rust()),
        }
    }

    /// Whether the value is one query/path/form parameter value (a scalar
    /// or a string enum; `enums` says which named types are enums or
    /// scalar aliases).
    pub fn is_scalar(&self, scalar_named: &dyn Fn(&str) -> bool) -> bool {
        match self {
            Self::String
            | Self::Bool
            | Self::I32
            | Self::I64
            | Self::F32
            | Self::F64
            | Self::DateTime
            | Self::Date => true,
            Self::Named(name) => scalar_named(name),
            Self::Json | Self::File | Self::Vec(_) | Self::Map(_) => false,
        }
    }
}

/// The operations of one tag, emitted into one module.
#[derive(Debug, Clone)]
pub struct OpModule {
    /// The module identifier (snake case).
    pub ident: String,
    /// The module doc (the tag's description).
    pub doc: String,
    /// The operations.
    pub operations: Vec<Operation>,
}

/// The HTTP methods the generator emits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// GET.
    Get,
    /// POST.
    Post,
    /// PUT.
    Put,
    /// PATCH.
    Patch,
    /// DELETE.
    Delete,
}

impl Method {
    /// The upper-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Get => "GET",
            Self::Post => "POST",
            Self::Put => "PUT",
            Self::Patch => "PATCH",
            Self::Delete => "DELETE",
        }
    }

    /// The variant of `::marketo_rest::Method`.
    pub fn variant(self) -> &'static str {
        match self {
            Self::Get => "Get",
            Self::Post => "Post",
            Self::Put => "Put",
            Self::Patch => "Patch",
            Self::Delete => "Delete",
        }
    }
}

/// One operation.
#[derive(Debug, Clone)]
pub struct Operation {
    /// The `operationId`.
    pub id: String,
    /// The method identifier (snake case).
    pub ident: String,
    /// The doc comment (summary, description, method and path).
    pub doc: String,
    /// The HTTP method.
    pub method: Method,
    /// The path template, e.g. `/rest/asset/v1/program/{id}.json`.
    pub path: String,
    /// Path parameters, in path order.
    pub path_params: Vec<Param>,
    /// Query parameters, in spec order.
    pub query_params: Vec<Param>,
    /// The params struct holding the optional query parameters, if any.
    pub params_struct: Option<String>,
    /// The request body.
    pub body: Option<Body>,
    /// What a success answers.
    pub response: ResponseKind,
    /// Whether the call carries the bearer token.
    pub auth: bool,
    /// How the operation pages, if it does.
    pub paging: Option<Paging>,
    /// The identifier of the streaming method of a paged operation.
    pub stream_ident: Option<String>,
    /// Whether the call is safe to repeat after a transport failure (from
    /// the HTTP method, or `x-marketo-idempotent`).
    pub idempotent: bool,
    /// Whether the envelope holds exactly one item (`x-marketo-result:
    /// single`): the method returns `Response<T>`, not `Response<Vec<T>>`.
    pub single: bool,
}

/// How an array query parameter is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QueryStyle {
    /// One `name=value` per item (`explode: true`).
    Exploded,
    /// Items joined by this separator into one value (`form`: `,`,
    /// `spaceDelimited`: ` `, `pipeDelimited`: `|`; `explode: false`).
    Joined(&'static str),
}

/// A path or query parameter.
#[derive(Debug, Clone)]
pub struct Param {
    /// The Rust identifier and the name on the wire.
    pub name: Name,
    /// The doc comment.
    pub doc: String,
    /// Its type (without `Option`).
    pub ty: TypeRef,
    /// Whether it must be given.
    pub required: bool,
    /// How an array is written into the query string.
    pub style: QueryStyle,
    /// An integer parameter's `default` and `maximum`, when the schema
    /// states them inline.
    pub bounds: IntBounds,
    /// Whether it is an `in: header` parameter (kept with the query
    /// parameters for the argument list and the params struct, but sent as
    /// an HTTP header).
    pub header: bool,
}

/// The `default` and `maximum` of an inline integer schema.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IntBounds {
    /// `default`.
    pub default: Option<i64>,
    /// `maximum` (inclusive).
    pub maximum: Option<i64>,
}

/// A request body.
#[derive(Debug, Clone)]
pub struct Body {
    /// The body's type (a named struct for form bodies).
    pub ty: TypeRef,
    /// Whether it must be sent.
    pub required: bool,
    /// The doc of the body argument.
    pub doc: String,
    /// How it is encoded.
    pub encoding: BodyEncoding,
    /// `Some` when the body is a JSON object with one required member
    /// (`{"input": X}`): the method takes `X` and wraps it on the wire.
    pub wrapper: Option<Wrapper>,
}

/// A single-member JSON body, flattened in the Rust API.
#[derive(Debug, Clone)]
pub struct Wrapper {
    /// The member's name on the wire (`input`).
    pub member: String,
    /// The member's type: what the method takes.
    pub ty: TypeRef,
    /// The member's doc.
    pub doc: String,
}

/// How a body travels.
#[derive(Debug, Clone)]
pub enum BodyEncoding {
    /// `application/json`.
    Json,
    /// `application/x-www-form-urlencoded`: one entry per field, in order.
    Form(Vec<FormField>),
    /// `multipart/form-data`: one part per field, in order; file fields
    /// (`format: binary`) are streamed.
    Multipart(Vec<FormField>),
}

/// How one form field is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormValue {
    /// A scalar: its text.
    Scalar,
    /// An array of scalars: one entry per item.
    Each,
    /// JSON text (`encoding` says `contentType: application/json`).
    Json,
    /// A file part (`type: string, format: binary`), multipart only.
    File,
}

/// One field of a form body.
#[derive(Debug, Clone)]
pub struct FormField {
    /// The struct field's identifier and the form key (the JSON member name).
    pub name: Name,
    /// Whether the struct field is an `Option`.
    pub optional: bool,
    /// How the value is written.
    pub value: FormValue,
}

/// What a successful call answers.
#[derive(Debug, Clone)]
pub enum ResponseKind {
    /// The Marketo envelope with `result` items of this type (`None`: no
    /// `result` declared).
    Envelope(Option<TypeRef>),
    /// A JSON document of this type, not enveloped.
    Plain(TypeRef),
    /// No body.
    Empty,
    /// A file that is not JSON (`text/csv`, `application/octet-stream`, …):
    /// `::marketo_rest::FileResponse`, the body as a byte stream with the
    /// status (200, or 206 for a `Range` request) and `Content-Range`.
    File,
}

/// The page-size parameter of an offset-paged operation (`maxReturn`).
#[derive(Debug, Clone)]
pub struct PageSize {
    /// The parameter's identifier.
    pub param: String,
    /// Whether it lives in the params struct (optional).
    pub optional: bool,
    /// The page size when the parameter is not given, and the largest the
    /// server honours (from the schema's `default` and `maximum`).
    pub bounds: IntBounds,
}

/// How an operation pages.
#[derive(Debug, Clone)]
pub enum Paging {
    /// By an integer `offset` query parameter (Asset API).
    Offset {
        /// The parameter's identifier.
        param: String,
        /// Whether it is an `i64` (else `i32`).
        wide: bool,
        /// Whether it lives in the params struct (optional).
        optional: bool,
        /// The page-size parameter (`maxReturn`), if the operation has one.
        page_size: Option<PageSize>,
    },
    /// By the `nextPageToken` query parameter (Lead Database API).
    Token {
        /// The parameter's identifier.
        param: String,
        /// Whether it lives in the params struct (optional).
        optional: bool,
    },
}
