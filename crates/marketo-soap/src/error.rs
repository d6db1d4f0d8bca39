//! The errors of a SOAP call.

use marketo_resilience::outcome::{Action, Limit, Outcome, SoapCode};
use marketo_transport::{CallError, TransportError};

/// Marketo's error details from the `detail` of a SOAP fault.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceException {
    /// Exception class name, e.g. `mktServiceException`.
    pub name: String,
    /// Human-readable message.
    pub message: String,
    /// Marketo's error code, e.g. `20016` (request expired).
    pub code: String,
}

impl ServiceException {
    /// The code, typed (unknown codes are [`SoapCode::Other`]).
    pub fn soap_code(&self) -> SoapCode {
        SoapCode::parse(&self.code)
    }
}

/// Everything a SOAP call can fail with.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SoapError {
    /// The server answered with a SOAP fault.
    #[error(
        "SOAP fault {fault_code}: {fault_string}{}",
        service_exception.as_ref().map(|e| format!(" (Marketo error {})", e.code)).unwrap_or_default()
    )]
    Fault {
        /// `faultcode`, e.g. `SOAP-ENV:Client`.
        fault_code: String,
        /// `faultstring`.
        fault_string: String,
        /// Marketo's `serviceException` from the fault detail, when present.
        service_exception: Option<ServiceException>,
    },
    /// The request could not be sent or the response not received (how,
    /// and whether the operation is idempotent, decide a retry).
    #[error("transport error: {0}")]
    Transport(#[from] TransportError),
    /// A non-success HTTP status without a SOAP fault in the body.
    #[error("HTTP status {status} without a SOAP fault: {excerpt}")]
    HttpStatus {
        /// The status.
        status: reqwest::StatusCode,
        /// The start of the body.
        excerpt: String,
    },
    /// The response is not the XML expected.
    #[error("cannot decode the response: {problem}; body starts: {excerpt}")]
    Decode {
        /// What is wrong.
        problem: String,
        /// The start of the body.
        excerpt: String,
    },
    /// The request could not be written as XML.
    #[error("cannot encode the request: {0}")]
    Encode(String),
    /// The client-side throttle refused the call (the daily call budget is
    /// spent); nothing was sent.
    #[error(transparent)]
    Throttle(#[from] marketo_resilience::ThrottleError),
}

impl SoapError {
    /// Marketo's error code of a fault (`20016`, …), if any.
    pub fn code(&self) -> Option<&str> {
        match self {
            Self::Fault {
                service_exception: Some(e),
                ..
            } => Some(e.code.as_str()),
            _ => None,
        }
    }

    /// Marketo's error code of a fault, typed.
    pub fn soap_code(&self) -> Option<SoapCode> {
        match self {
            Self::Fault {
                service_exception: Some(e),
                ..
            } => Some(e.soap_code()),
            _ => None,
        }
    }

    /// The outcome the error stands for, classified by
    /// [`marketo_resilience::outcome`] (the one place the rules live): a
    /// fault by its code (whatever the HTTP status), other statuses by the
    /// status.
    pub fn outcome(&self) -> Outcome {
        match self {
            Self::Fault { .. } => Outcome::Soap(self.soap_code()),
            Self::Transport(e) => e.outcome(),
            Self::HttpStatus { status, .. } => Outcome::Http(status.as_u16()),
            Self::Decode { .. } | Self::Encode(_) | Self::Throttle(_) => Outcome::Invalid,
        }
    }

    /// What the client did after this error before returning it:
    /// [`Action::Retry`] — it was retried until the retry policy was
    /// spent; [`Action::RefreshToken`] (20016) — signed afresh once and
    /// refused again; otherwise returned at once.
    pub fn action(&self) -> Action {
        self.outcome().action()
    }

    /// Whether sending the same request again later may succeed
    /// ([`Action::Retry`]): faults 20023, 20024 and the internal errors,
    /// HTTP 429 and 5xx without a fault, transport failures that are safe
    /// to repeat. Exactly the errors the client retries itself.
    pub fn is_retryable(&self) -> bool {
        self.action() == Action::Retry
    }

    /// Whether Marketo refused the call for one of its limits: the rate
    /// (20023, HTTP 429), concurrency (20024) or the daily quota (20015).
    pub fn is_rate_limited(&self) -> bool {
        self.outcome().limit().is_some()
    }

    /// Which of Marketo's limits refused the call, if any.
    pub fn limit(&self) -> Option<Limit> {
        self.outcome().limit()
    }

    /// Whether the daily quota is spent (20015).
    pub fn is_quota_exhausted(&self) -> bool {
        self.action() == Action::QuotaExhausted
    }
}

impl CallError for SoapError {
    fn outcome(&self) -> Outcome {
        SoapError::outcome(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fault(code: &str) -> SoapError {
        SoapError::Fault {
            fault_code: "SOAP-ENV:Client".into(),
            fault_string: "x".into(),
            service_exception: Some(ServiceException {
                name: "mktServiceException".into(),
                message: "m".into(),
                code: code.into(),
            }),
        }
    }

    #[test]
    fn retryable_codes_and_statuses() {
        assert!(fault("20023").is_retryable());
        assert!(fault("20024").is_retryable());
        assert!(!fault("20016").is_retryable());
        assert_eq!(fault("20016").action(), Action::RefreshToken);
        assert!(fault("20015").is_quota_exhausted());
        assert_eq!(
            fault("20024").soap_code(),
            Some(SoapCode::ConcurrencyLimitExceeded)
        );
        assert_eq!(fault("20016").code(), Some("20016"));
        assert!(fault("20016").to_string().contains("Marketo error 20016"));
        let status = |s: u16| SoapError::HttpStatus {
            status: reqwest::StatusCode::from_u16(s).unwrap(),
            excerpt: String::new(),
        };
        assert!(status(503).is_retryable());
        assert!(!status(404).is_retryable());
        assert!(
            !SoapError::Decode {
                problem: "p".into(),
                excerpt: "e".into()
            }
            .is_retryable()
        );
    }
}
