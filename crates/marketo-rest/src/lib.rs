//! Typed async client for the Marketo REST API.
//!
//! The operations and types are generated from `specs/marketo-rest.yaml`
//! by `cargo xtask codegen` into [`generated`]; the runtime beside it is
//! hand-written:
//!
//! * [`Client`] (generated) wraps [`ClientCore`]: one async method per
//!   operation (`get_program_by_id`, `browse_programs`, …), plus
//!   `…_stream` methods for paged operations. Every call goes through
//!   [`ClientCore::send`] and the transport shared with `marketo-soap`
//!   ([`marketo_transport`]): the client's
//!   [`Throttle`](marketo_resilience::Throttle) (Marketo's 100 calls per
//!   20 s and concurrency limits), `Authorization: Bearer` from
//!   [`marketo_auth::TokenProvider`] (refreshed once on 601/602), and
//!   retries per its [`RetryPolicy`](marketo_resilience::RetryPolicy) of
//!   what [`marketo_resilience::outcome`] classifies as transient; see
//!   [`client`]. Configure both with [`ClientCore::builder`].
//! * Enveloped operations return [`Response<Vec<T>>`](Response): the
//!   `result` items in `value`, plus `request_id`, `warnings` and the
//!   paging members. `success: false` is [`RestError::Api`]. Get-by-id
//!   operations (marked `x-marketo-result: single` in the spec) return
//!   [`Response<T>`](Response), which derefs to the item; nothing found is
//!   [`RestError::NotFound`].
//! * Generated types live in [`types`] and [`params`]. Structs are
//!   `#[non_exhaustive]`: build them with `new(<required fields>)` and one
//!   setter per optional field. Enums are `#[non_exhaustive]` and keep
//!   values the spec does not list in `Unknown(String)`.
//! * [`paging`]: streams across pages that expose their position; offset
//!   streams can prefetch pages concurrently
//!   ([`OffsetStream::with_prefetch`](paging::OffsetStream::with_prefetch)).
//! * [`datetime`]: Marketo's `2015-05-21T22:45:13Z+0000` as well as RFC 3339.
//! * [`batch`] (feature `lead-database`): `Client::sync_leads_batched`
//!   upserts any number of leads, 300 a call with as many calls in flight as
//!   the throttle allows, one outcome per lead in input order.
//!
//! ```no_run
//! use marketo_rest::{Client, params::BrowseProgramsParams};
//! use marketo_rest::futures::TryStreamExt;
//!
//! # async fn run() -> Result<(), marketo_rest::RestError> {
//! let client = Client::from_env()?;
//! let program = client.get_program_by_id(1001).await?;
//! println!("{} (requestId {})", program.name, program.request_id);
//! let all: Vec<_> = client
//!     .browse_programs_stream(BrowseProgramsParams::new().max_return(200))
//!     .try_collect()
//!     .await?;
//! println!("{} programs", all.len());
//! # Ok(())
//! # }
//! ```
//!
//! Generated code names this crate as `::marketo_rest`, so the output of
//! `cargo xtask codegen rest --spec your.yaml --out src/your_api` compiles in
//! any crate that depends on `marketo-rest` (see `docs/rest-codegen.md`).

extern crate self as marketo_rest;

#[cfg(feature = "lead-database")]
pub mod batch;
#[cfg(feature = "bulk")]
pub mod bulk;
pub mod client;
pub mod datetime;
pub mod envelope;
pub mod error;
pub mod file;
pub mod multipart;
// Generated code is formatted by prettyplease; `cargo fmt` must not touch it
// (`cargo xtask codegen --check` compares it byte for byte).
#[rustfmt::skip]
pub mod generated;
pub mod paging;
pub mod request;

pub use client::{ClientCore, ClientCoreBuilder};
pub use envelope::{Envelope, Response};
pub use error::{ApiErrorItem, RestError};
pub use file::{ContentRange, FileResponse};
pub use generated::{Client, params, types};
pub use multipart::{FilePart, Multipart};
pub use request::{Body, Method, ParamValue, Params, Request, path_segment};

/// Re-exported for generated code and for consuming streams.
pub use futures;
/// Re-exported for generated code (`Client::new` takes its `RestCredentials`).
pub use marketo_auth;
/// Re-exported for configuring clients ([`Throttle`](marketo_resilience::Throttle),
/// [`RetryPolicy`](marketo_resilience::RetryPolicy)).
pub use marketo_resilience;
/// Re-exported: the call pipeline shared with `marketo-soap`.
pub use marketo_transport;
/// Re-exported for generated code (`Client::with_http_client`).
pub use reqwest;
/// Re-exported for generated code (`#[serde(crate = "::marketo_rest::serde")]`).
pub use serde;
/// Re-exported for generated code and callers.
pub use serde_json;
/// Re-exported for generated code and callers.
pub use time;

/// `format: date-time`.
pub type DateTime = time::OffsetDateTime;
/// `format: date`.
pub type Date = time::Date;
/// An untyped JSON value.
pub type Json = serde_json::Value;
/// `additionalProperties`: extra members by name.
pub type Map<V> = std::collections::BTreeMap<String, V>;

/// What replaces a secret in messages.
pub const REDACTED: &str = marketo_auth::REDACTED;

/// The README's examples, compiled as doctests.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
