//! Errors of the token provider.

use std::time::Duration;

use marketo_resilience::outcome::{Outcome, TransportFailure};

use crate::ConfigError;

/// Why an access token could not be obtained.
///
/// No variant carries a secret: response excerpts are scrubbed of the client
/// secret and of any `access_token` value, and transport errors are stripped
/// of the request URL (which holds the client secret in its query).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum AuthError {
    /// The identity endpoint rejected the client id or secret (HTTP 401, or
    /// an OAuth `invalid_client`/`unauthorized` error).
    #[error("Marketo rejected the client credentials (HTTP {status}): {excerpt}")]
    InvalidCredentials {
        /// The HTTP status code.
        status: u16,
        /// A short, secret-free excerpt of the response body.
        excerpt: String,
    },
    /// The identity endpoint answered with an unexpected HTTP status.
    #[error("the identity endpoint answered HTTP {status}: {excerpt}")]
    UnexpectedStatus {
        /// The HTTP status code.
        status: u16,
        /// A short, secret-free excerpt of the response body.
        excerpt: String,
    },
    /// The response body was not JSON, or lacked a usable field.
    #[error("malformed token response (HTTP {status}, {problem}): {excerpt}")]
    MalformedResponse {
        /// The HTTP status code.
        status: u16,
        /// What was wrong (`not JSON: …`, `missing access_token`, …).
        problem: String,
        /// A short, secret-free excerpt of the response body.
        excerpt: String,
    },
    /// The identity endpoint did not answer within the request timeout.
    #[error("the token request timed out after {0:?}")]
    Timeout(Duration),
    /// The request could not be sent or its response not read.
    #[error("the token request failed: {0}")]
    Transport(#[source] reqwest::Error),
    /// The provider was configured wrongly.
    #[error(transparent)]
    Config(#[from] ConfigError),
}

impl AuthError {
    /// The outcome the failure stands for, classified by
    /// [`marketo_resilience::outcome`]: token requests are reads
    /// (idempotent), so transport failures and timeouts are retried, as are
    /// HTTP 429 and 5xx; bad credentials and malformed bodies are not.
    pub fn outcome(&self) -> Outcome {
        match self {
            Self::Timeout(_) => Outcome::Transport {
                failure: TransportFailure::TimedOut,
                idempotent: true,
            },
            Self::Transport(e) => Outcome::Transport {
                failure: TransportFailure::from_flags(e.is_connect(), e.is_timeout()),
                idempotent: true,
            },
            Self::UnexpectedStatus { status, .. } => Outcome::Http(*status),
            Self::InvalidCredentials { .. } | Self::MalformedResponse { .. } | Self::Config(_) => {
                Outcome::Invalid
            }
        }
    }

    /// Whether asking again later may succeed (see [`AuthError::outcome`]).
    pub fn is_retryable(&self) -> bool {
        self.outcome().is_retryable()
    }
}
