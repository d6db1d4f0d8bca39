//! The small model the emitters work from: named types and operations,
//! every `$ref` resolved, every name already a Rust identifier.
//!
//! [`super::lower`] builds it from an `openapiv3` document; the emitters
//! only read it. Everything is kept in a `Vec` in the order of the spec,
//! so output is deterministic.

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
    /// Operations grouped by their module, in the order of `paths`.
    pub modules: Vec<OpModule>,
}

/// A named Rust type.
#[derive(Debug, Clone)]
pub struct TypeDef {
    /// The Rust identifier (unique in `types.rs`).
    pub ident: String,
    /// The doc comment.
    pub doc: String,
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
    /// is the type of `result` items (`serde_json::Value` when `result`
    /// is not declared).
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
    /// The identifier of the flattened map field, if any.
    pub additional_ident: String,
}

/// One struct field.
#[derive(Debug, Clone)]
pub struct Field {
    /// The JSON member name.
    pub name: String,
    /// The Rust identifier.
    pub ident: String,
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

/// A string enum.
#[derive(Debug, Clone)]
pub struct EnumDef {
    /// The values in spec order.
    pub variants: Vec<Variant>,
    /// The identifier of the fallback variant holding unknown values.
    pub other_ident: String,
}

/// One enum value.
#[derive(Debug, Clone)]
pub struct Variant {
    /// The value on the wire.
    pub value: String,
    /// The Rust identifier.
    pub ident: String,
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
    /// `::marketo_rest::SecretString` (`format: password`, parameters only).
    Secret,
    /// `serde_json::Value`: an untyped schema.
    Json,
    /// A named type of `types.rs`, by Rust identifier.
    Named(String),
    /// `Vec<T>`.
    Vec(Box<TypeRef>),
    /// `BTreeMap<String, T>`.
    Map(Box<TypeRef>),
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
    /// The params struct holding the query parameters, when the operation
    /// has optional ones; otherwise they are method arguments.
    pub params_struct: Option<String>,
    /// The request body.
    pub body: Option<Body>,
    /// What a success answers.
    pub response: ResponseKind,
    /// Whether the call carries the bearer token (`security: []` turns it off).
    pub auth: bool,
    /// How the operation pages, if it does.
    pub paging: Option<Paging>,
}

/// How a query parameter is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QueryStyle {
    /// `name=value`, arrays as repeated `name=a&name=b` (`form`, `explode: true`).
    Exploded,
    /// Arrays comma-joined into one value (`form`, `explode: false`).
    CommaSeparated,
}

/// A path or query parameter.
#[derive(Debug, Clone)]
pub struct Param {
    /// The name on the wire.
    pub name: String,
    /// The Rust identifier.
    pub ident: String,
    /// The doc comment.
    pub doc: String,
    /// Its type (without `Option`).
    pub ty: TypeRef,
    /// Whether it must be given.
    pub required: bool,
    /// How it is written into the query string.
    pub style: QueryStyle,
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
}

/// How a body travels.
#[derive(Debug, Clone)]
pub enum BodyEncoding {
    /// `application/json`.
    Json,
    /// `application/x-www-form-urlencoded`: one entry per field, in order.
    Form(Vec<FormField>),
}

/// One field of a form body.
#[derive(Debug, Clone)]
pub struct FormField {
    /// The form key (the JSON member name).
    pub name: String,
    /// The struct field's identifier.
    pub ident: String,
    /// Whether the value is sent as JSON text (`encoding` says
    /// `contentType: application/json`).
    pub json: bool,
}

/// What a successful call answers.
#[derive(Debug, Clone)]
pub enum ResponseKind {
    /// The Marketo envelope with `result` items of this type
    /// (`serde_json::Value` when it declares no `result`).
    Envelope(TypeRef),
    /// A JSON document of this type, not enveloped.
    Plain(TypeRef),
    /// No body.
    Empty,
}

/// How an operation pages.
#[derive(Debug, Clone)]
pub enum Paging {
    /// By the `offset` query parameter (Asset API).
    Offset {
        /// The offset parameter's identifier in the params struct.
        offset: String,
        /// Whether that field is optional (`Option<_>`).
        optional: bool,
    },
    /// By the `nextPageToken` query parameter (Lead Database API).
    Token {
        /// The token parameter's identifier in the params struct.
        token: String,
        /// Whether that field is optional (`Option<_>`).
        optional: bool,
    },
}
