//! The Marketo bindings generator.
//!
//! Data flows one way: spec → model → tokens → formatted file.
//!
//! * [`codegen`] — what every generator shares: jobs, the `@generated`
//!   header, rendering with `prettyplease`, writing and freshness checks,
//!   naming, and located diagnostics.
//! * [`wsdl`] — WSDL 1.1 document/literal → `marketo-soap`.
//! * [`openapi`] — OpenAPI 3.0 → `marketo-rest`.

pub mod codegen;
pub mod openapi;
pub mod wsdl;
