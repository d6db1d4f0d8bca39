//! The Marketo bindings generator.
//!
//! Data flows one way: spec → model → tokens → formatted file.
//!
//! * [`codegen`] — what every generator shares: jobs, the `@generated`
//!   header, rendering with `prettyplease`, writing and freshness checks,
//!   naming, and located diagnostics.

pub mod codegen;
