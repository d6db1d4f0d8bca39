//! Authentication for the Marketo APIs.
//!
//! This crate is the hand-written foundation under the generated
//! `marketo-soap` and `marketo-rest` clients. It has two independent parts:
//!
//! * **SOAP request signing** ([`soap`]): every SOAP call carries an
//!   `AuthenticationHeader` whose `requestSignature` is the lowercase hex
//!   HMAC-SHA1 of `requestTimestamp + mktowsUserId`, keyed with the account's
//!   encryption key. [`SoapCredentials::sign_now`] produces a fresh header for
//!   each call; [`SoapCredentials::sign_at`] takes an explicit timestamp.
//! * **REST OAuth** ([`oauth`]): a [`TokenProvider`] fetches client-credentials
//!   access tokens from `{base}/identity/oauth/token`, caches them, refreshes
//!   them before they expire, makes a single HTTP request however many tasks
//!   ask at once, and hands out the value for the `Authorization: Bearer`
//!   header.
//!
//! Secrets (the client secret, the encryption key and access tokens) are held
//! in [`secrecy`] types: their `Debug` output is redacted, and no error or log
//! line of this crate contains them.
//!
//! # Example
//!
//! ```no_run
//! use marketo_auth::{RestCredentials, SoapCredentials, TokenProvider};
//!
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! // REST: a cached, self-refreshing access token.
//! let credentials = RestCredentials::new(
//!     "https://123-ABC-456.mktorest.com",
//!     "my-client-id",
//!     "my-client-secret",
//! )?;
//! let tokens = TokenProvider::new(credentials)?;
//! let token = tokens.token().await?;
//! let header = token.bearer_header(); // `Authorization: Bearer …`, marked sensitive
//! # let _ = header;
//!
//! // SOAP: sign the AuthenticationHeader of one call.
//! let soap = SoapCredentials::new("demo17_1_809224544BFABAE58E5D27", "my-encryption-key");
//! let signed = soap.sign_now();
//! assert_eq!(signed.request_signature.len(), 40);
//! # Ok(())
//! # }
//! ```
//!
//! Both kinds of credentials can also be read from the environment:
//! [`RestCredentials::from_env`] (`MARKETO_BASE_URL`, `MARKETO_CLIENT_ID`,
//! `MARKETO_CLIENT_SECRET`) and [`SoapConfig::from_env`]
//! (`MARKETO_SOAP_ENDPOINT`, `MARKETO_SOAP_USER_ID`,
//! `MARKETO_SOAP_ENCRYPTION_KEY`).

mod config;
mod error;
pub mod oauth;
mod redact;
pub mod soap;

pub use config::{ConfigError, RestCredentials, SoapConfig, env_vars};
pub use error::AuthError;
pub use oauth::{AccessToken, TokenProvider, TokenProviderBuilder};
pub use secrecy::{ExposeSecret, SecretString};
pub use soap::{EncryptionKey, SignedAuthenticationHeader, SoapCredentials};

/// The marker printed in place of a secret by every `Debug` and `Display`
/// implementation of this crate.
pub const REDACTED: &str = "[REDACTED]";
