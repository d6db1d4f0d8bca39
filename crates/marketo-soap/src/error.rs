//! The errors of a SOAP call.

/// Marketo's error codes that mean "try again later": 20023 (too many
/// requests in the period) and 20024 (too many concurrent requests).
pub const RETRYABLE_CODES: [&str; 2] = ["20023", "20024"];

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
    /// The request could not be sent or the response not received.
    #[error("transport error: {0}")]
    Transport(#[source] reqwest::Error),
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

    /// Whether sending the same request again later may succeed: Marketo's
    /// rate and concurrency limits (20023, 20024), transport failures, and
    /// server errors (5xx) without a fault.
    pub fn is_retryable(&self) -> bool {
        match self {
            Self::Fault { .. } => self.code().is_some_and(|c| RETRYABLE_CODES.contains(&c)),
            Self::Transport(_) => true,
            Self::HttpStatus { status, .. } => status.is_server_error(),
            Self::Decode { .. } | Self::Encode(_) | Self::Throttle(_) => false,
        }
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
