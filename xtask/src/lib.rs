//! The Marketo bindings generator.
//!
//! Data flows one way: spec → model → tokens → formatted file.
//!
//! * [`codegen`] — what every generator shares: jobs, the `@generated`
//!   header, rendering with `prettyplease`, writing and freshness checks,
//!   naming, and located diagnostics.
//! * [`wsdl`] — WSDL 1.1 document/literal → `marketo-soap`.
//! * [`openapi`] — OpenAPI 3.0 → `marketo-rest`.
//! * [`report`] — the API-change report between the committed and the
//!   working-tree specs, from the generators' models.

pub mod codegen;
pub mod openapi;
pub mod report;
pub mod wsdl;
