//! What a REST call can fail with.

use marketo_resilience::outcome::{Action, Limit, Outcome, RestCode};
use marketo_transport::{CallError, TransportError};
use serde::{Deserialize, Deserializer, Serialize};

/// The largest number of characters of a response body kept in an error.
pub const EXCERPT_CHARS: usize = 200;

/// One `{code, message}` of a Marketo envelope's `errors`, or of a record's
/// `reasons`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiErrorItem {
    /// Marketo's code, e.g. `"601"` (sent as a string; numbers are accepted).
    #[serde(deserialize_with = "code_as_string")]
    pub code: String,
    /// Marketo's explanation.
    #[serde(default)]
    pub message: String,
}

impl ApiErrorItem {
    /// The code, typed (unknown codes are [`RestCode::Other`]).
    pub fn rest_code(&self) -> RestCode {
        RestCode::parse(&self.code)
    }
}

fn code_as_string<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    match serde_json::Value::deserialize(deserializer)? {
        serde_json::Value::String(code) => Ok(code),
        other => Ok(other.to_string()),
    }
}

/// Why a Marketo REST call failed. No variant carries a token, a client
/// secret or a request URL.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RestError {
    /// Marketo answered `success: false`.
    #[error("Marketo refused the call (requestId {request_id}): {}", summary(.errors))]
    Api {
        /// Marketo's `requestId` (empty if the answer had none).
        request_id: String,
        /// Every error of the envelope, in order.
        errors: Vec<ApiErrorItem>,
    },
    /// A get-by-id call found nothing: the answer had no `result` item, or
    /// Marketo answered 702 (no data) or 610 (resource not found).
    #[error("not found (requestId {request_id}): {message}")]
    NotFound {
        /// Marketo's `requestId` (empty if the answer had none).
        request_id: String,
        /// Marketo's message, or a description of the empty answer.
        message: String,
    },
    /// HTTP 413: the request body is larger than Marketo accepts (1 MB).
    #[error("request body too large (HTTP 413): {excerpt}")]
    PayloadTooLarge {
        /// A short excerpt of the response body.
        excerpt: String,
    },
    /// HTTP 414: the URI is longer than Marketo accepts (8 KB). GETs over
    /// [`MAX_URI_BYTES`](crate::client::MAX_URI_BYTES) are already sent as
    /// `POST …?_method=GET`, so this comes from other methods or servers.
    #[error("request URI too long (HTTP 414): {excerpt}")]
    UriTooLong {
        /// A short excerpt of the response body.
        excerpt: String,
    },
    /// Any other non-success HTTP status (5xx, 4xx).
    #[error("HTTP {status}: {excerpt}")]
    HttpStatus {
        /// The HTTP status code.
        status: u16,
        /// A short excerpt of the response body.
        excerpt: String,
    },
    /// The request could not be sent or its response not read (how, and
    /// whether the call was idempotent, decide a retry).
    #[error("transport error: {0}")]
    Transport(#[from] TransportError),
    /// The response body does not have the expected shape.
    #[error("cannot decode the response (HTTP {status}): {problem}; body starts: {excerpt}")]
    Decode {
        /// The HTTP status code.
        status: u16,
        /// What is wrong with it.
        problem: String,
        /// A short excerpt of the response body.
        excerpt: String,
    },
    /// No access token could be obtained.
    #[error(transparent)]
    Auth(#[from] marketo_auth::AuthError),
    /// The client is configured wrongly.
    #[error(transparent)]
    Config(#[from] marketo_auth::ConfigError),
    /// A request value could not be encoded.
    #[error("cannot encode the request: {0}")]
    Encode(String),
    /// The client-side throttle refused the call (the daily call budget is
    /// spent); no request was sent.
    #[error(transparent)]
    Throttle(#[from] marketo_resilience::ThrottleError),
    /// A page fetched on its own task (see
    /// [`OffsetStream`](crate::paging::OffsetStream)) did not finish: the
    /// runtime was shutting down.
    #[error("the page task was cancelled (the runtime is shutting down)")]
    Cancelled,
}

fn summary(errors: &[ApiErrorItem]) -> String {
    if errors.is_empty() {
        return "no error details".to_owned();
    }
    errors
        .iter()
        .map(|e| format!("{} {}", e.code, e.message))
        .collect::<Vec<_>>()
        .join("; ")
}

impl RestError {
    /// The first Marketo error code of an [`RestError::Api`] error.
    pub fn code(&self) -> Option<&str> {
        match self {
            Self::Api { errors, .. } => errors.first().map(|e| e.code.as_str()),
            _ => None,
        }
    }

    /// Every Marketo error code of an [`RestError::Api`] error.
    pub fn codes(&self) -> Vec<&str> {
        match self {
            Self::Api { errors, .. } => errors.iter().map(|e| e.code.as_str()).collect(),
            _ => Vec::new(),
        }
    }

    /// Whether a get-by-id call found nothing ([`RestError::NotFound`]).
    pub fn is_not_found(&self) -> bool {
        matches!(self, Self::NotFound { .. })
    }

    /// Marketo's `requestId`, when the answer had one.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Self::Api { request_id, .. } | Self::NotFound { request_id, .. }
                if !request_id.is_empty() =>
            {
                Some(request_id)
            }
            _ => None,
        }
    }

    /// Every Marketo error code of an [`RestError::Api`] error, typed.
    pub fn rest_codes(&self) -> Vec<RestCode> {
        match self {
            Self::Api { errors, .. } => errors.iter().map(ApiErrorItem::rest_code).collect(),
            _ => Vec::new(),
        }
    }

    /// The outcome the error stands for, classified by
    /// [`marketo_resilience::outcome`] (the one place the rules live).
    pub fn outcome(&self) -> Outcome {
        match self {
            Self::Api { .. } => Outcome::Rest(self.rest_codes()),
            Self::PayloadTooLarge { .. } => Outcome::Http(413),
            Self::UriTooLong { .. } => Outcome::Http(414),
            Self::HttpStatus { status, .. } => Outcome::Http(*status),
            Self::Transport(e) => e.outcome(),
            Self::Auth(e) => e.outcome(),
            Self::NotFound { .. }
            | Self::Decode { .. }
            | Self::Config(_)
            | Self::Encode(_)
            | Self::Throttle(_)
            | Self::Cancelled => Outcome::Invalid,
        }
    }

    /// What the client did after this error before returning it (see
    /// [`marketo_resilience::outcome`]): [`Action::Retry`] — it was retried
    /// until the retry policy was spent; [`Action::RefreshToken`] — the
    /// token was refreshed once and refused again; otherwise returned at once.
    pub fn action(&self) -> Action {
        self.outcome().action()
    }

    /// Whether sending the same call again later may succeed
    /// ([`Action::Retry`]): the transient codes, HTTP 429 and 5xx,
    /// transport failures that are safe to repeat (idempotent calls, or
    /// no connection), retryable token-request failures. Exactly the
    /// errors the client retries itself.
    pub fn is_retryable(&self) -> bool {
        self.action() == Action::Retry
    }

    /// Whether Marketo refused the call for one of its limits: the rate
    /// (606, HTTP 429), concurrency (615) or a daily quota (607, 1020).
    pub fn is_rate_limited(&self) -> bool {
        self.outcome().limit().is_some()
    }

    /// Which of Marketo's limits refused the call, if any.
    pub fn limit(&self) -> Option<Limit> {
        self.outcome().limit()
    }

    /// Whether a daily quota is spent ([`Action::QuotaExhausted`]: 607,
    /// 1020): nothing succeeds before it resets.
    pub fn is_quota_exhausted(&self) -> bool {
        self.action() == Action::QuotaExhausted
    }
}

impl CallError for RestError {
    fn outcome(&self) -> Outcome {
        RestError::outcome(self)
    }
}

/// The first [`EXCERPT_CHARS`] characters of `body`, lossily decoded, with
/// the value of any `access_token` member blanked.
pub fn excerpt(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let mut out: String = text.chars().take(EXCERPT_CHARS).collect();
    if text.chars().count() > EXCERPT_CHARS {
        out.push('…');
    }
    scrub_token(&out)
}

fn scrub_token(text: &str) -> String {
    let Some(at) = text.find("access_token") else {
        return text.to_owned();
    };
    let rest = &text[at..];
    // Skip `access_token": "` or `access_token=`, then blank up to the next
    // quote, `&` or whitespace.
    let value_start = rest.find([':', '=']).map(|i| i + 1).unwrap_or(rest.len());
    let after = &rest[value_start..];
    let lead = after.len() - after.trim_start_matches([' ', '"']).len();
    let value = &after[lead..];
    let end = value
        .find(|c: char| c == '"' || c == '&' || c.is_whitespace())
        .unwrap_or(value.len());
    format!(
        "{}{}{}{}",
        &text[..at + value_start],
        &after[..lead],
        crate::REDACTED,
        scrub_token(&value[end..])
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excerpts_are_short_and_scrubbed() {
        let body = br#"{"access_token":"abc-123","token_type":"bearer"}"#;
        let e = excerpt(body);
        assert!(!e.contains("abc-123"), "{e}");
        assert!(e.contains("token_type"), "{e}");
        let long = "x".repeat(1000);
        assert_eq!(excerpt(long.as_bytes()).chars().count(), EXCERPT_CHARS + 1);
        assert_eq!(
            scrub_token("a access_token=s3cr3t&b=1"),
            "a access_token=[REDACTED]&b=1"
        );
    }

    #[test]
    fn classifies_codes() {
        let api = |code: &str| RestError::Api {
            request_id: "r".into(),
            errors: vec![ApiErrorItem {
                code: code.into(),
                message: "m".into(),
            }],
        };
        assert!(api("606").is_rate_limited());
        assert!(api("606").is_retryable());
        assert!(api("607").is_rate_limited());
        assert!(!api("607").is_retryable());
        assert!(api("607").is_quota_exhausted());
        assert_eq!(api("601").action(), Action::RefreshToken);
        assert_eq!(api("719").rest_codes(), vec![RestCode::LockWaitTimeout]);
        assert!(api("719").is_retryable());
        assert!(!api("702").is_retryable());
        assert_eq!(api("702").code(), Some("702"));
        assert_eq!(api("702").request_id(), Some("r"));
        assert!(
            RestError::HttpStatus {
                status: 503,
                excerpt: String::new()
            }
            .is_retryable()
        );
    }

    #[test]
    fn numeric_codes_are_read_as_strings() {
        let item: ApiErrorItem = serde_json::from_str(r#"{"code":601,"message":"x"}"#).unwrap();
        assert_eq!(item.code, "601");
    }
}
