//! The public API surface of a generated crate, as a user of the crate sees
//! it: operations with their inputs and output, named types with their
//! fields or values, and whether each type travels in requests, responses
//! or both.
//!
//! Every generator derives a [`Surface`] from its model. Two surfaces — the
//! committed spec's and the working tree's — are compared by
//! `cargo xtask codegen` into the API-change report. Names are the Rust names
//! a user writes (`schedule_campaign`, `ParamsScheduleCampaign`,
//! `campaign_run_at`); types are rendered as the Rust type a user sees
//! (`Option<Vec<Attrib>>` is written as `Vec<Attrib>` with
//! `required: false`). Everything is kept in `BTreeMap`s so the surface and
//! the report are ordered and deterministic.

use std::collections::{BTreeMap, BTreeSet};

/// The public API of one generated crate.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Surface {
    /// Operations by Rust method name.
    pub operations: BTreeMap<String, Operation>,
    /// Named types by Rust type name.
    pub types: BTreeMap<String, TypeShape>,
}

/// One client method.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Operation {
    /// The operation's name in the spec (`scheduleCampaign`,
    /// `getProgramById`).
    pub spec_name: String,
    /// Inputs by Rust name: path, query and body parameters for REST; the
    /// request element's type for SOAP (a single input named `params`).
    pub inputs: BTreeMap<String, Field>,
    /// The Rust type of a successful result.
    pub output: String,
    /// Whether repeating the call has the same effect as making it once, so
    /// that the client may retry it after a transport failure. From the
    /// spec: for REST the HTTP method (GET, PUT, DELETE yes; POST, PATCH
    /// no) unless the operation says otherwise with `x-marketo-idempotent`;
    /// for SOAP the operation's entry in the annotations file next to the
    /// WSDL (no entry: not idempotent).
    pub idempotent: bool,
}

/// A named type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypeShape {
    /// Its shape.
    pub kind: ShapeKind,
    /// Where values of the type travel.
    pub usage: Usage,
    /// Whether the type implements `Default`. Every generated struct is
    /// `#[non_exhaustive]` and built with `new(required fields)` plus
    /// setters, so fields never depend on it; a request type that stops
    /// implementing it breaks callers who wrote `X::default()`.
    pub default: bool,
}

/// The shapes a named type can take.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ShapeKind {
    /// A struct: fields by Rust name.
    Struct {
        /// The fields.
        fields: BTreeMap<String, Field>,
    },
    /// A string enumeration: the values as written on the wire.
    Enum {
        /// The values.
        values: BTreeSet<String>,
    },
    /// A type alias or newtype over `target`.
    Alias {
        /// The Rust type aliased.
        target: String,
    },
}

/// A field of a struct or an input of an operation.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Field {
    /// The Rust type without the outer `Option` (`Vec<Attrib>`,
    /// `OffsetDateTime`, `String`).
    pub ty: String,
    /// Whether a value must be present (not an `Option`).
    pub required: bool,
}

/// Where values of a type travel; both may be true.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Usage {
    /// The type is (part of) what a caller sends.
    pub input: bool,
    /// The type is (part of) what a caller receives.
    pub output: bool,
}
