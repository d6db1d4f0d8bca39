//! Fault injection: faults queued by tests and consumed by the next matching calls.
//!
//! A [`Fault`] is checked when it is injected ([`Fault::check`]): a REST or
//! SOAP code the emulator does not know, or an HTTP status that is not an
//! error status, is a [`FaultError`], never replaced by another code. The
//! queue holds the checked form ([`Armed`]), so the handlers have nothing to
//! guess.

use std::collections::VecDeque;
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::http::{Response, StatusCode, header};

use crate::server::{drop_response, text_response};

/// A fault the emulator can be told to produce.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Fault {
    /// REST API calls answer HTTP 200 with this Marketo error code
    /// (e.g. "604", "606", "608", "611", "615", "713", "601", "602", "607"):
    /// any code of Marketo's REST error-code page, else [`FaultError::UnknownRestCode`].
    RestError(String),
    /// SOAP calls answer HTTP 500 with a fault of this code (e.g. "20023", "20024"):
    /// any code of Marketo's SOAP error code table, else [`FaultError::UnknownSoapCode`].
    SoapFault(String),
    /// REST and SOAP calls answer with this HTTP status (e.g. 502, 503) and a short
    /// text body: an error status (400 to 599), else [`FaultError::NotAnErrorStatus`].
    HttpStatus(u16),
    /// REST and SOAP calls get their connection closed without any response.
    DropConnection,
    /// REST and SOAP calls get a correct status but a body cut in half.
    TruncatedBody,
    /// REST and SOAP calls get a correct status but a body that is not JSON / XML.
    MalformedBody,
    /// The next Bulk API file downloads (export files, import failures and
    /// warnings) send half their body, then the connection is cut. Other
    /// calls are not affected.
    DownloadDropped,
    /// The next Bulk API file downloads send half their body and end
    /// cleanly (no `Content-Length`): a short body. Other calls are not affected.
    DownloadTruncated,
}

/// Why a [`Fault`] cannot be injected.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum FaultError {
    /// [`Fault::RestError`] with a code that is not on Marketo's REST error-code page.
    #[error(
        "unknown REST error code {0:?}: the emulator injects the codes of Marketo's \
         REST error-code page (500, 502, 600-616, 701-719, 1001-1079)"
    )]
    UnknownRestCode(String),
    /// [`Fault::SoapFault`] with a code that is not in Marketo's SOAP error code table.
    #[error(
        "unknown SOAP fault code {0:?}: the emulator injects the codes of Marketo's \
         SOAP error code table (10001, 20011-20024, 20101-20123)"
    )]
    UnknownSoapCode(String),
    /// [`Fault::HttpStatus`] with a status outside 400 to 599.
    #[error("HTTP status {0} cannot be injected: a fault status is from 400 to 599")]
    NotAnErrorStatus(u16),
}

impl Fault {
    /// Checks that the emulator can produce this fault as given (the
    /// check [`Emulator::try_inject`](crate::Emulator::try_inject) makes).
    pub fn check(&self) -> Result<(), FaultError> {
        self.arm().map(|_| ())
    }

    /// The checked form of the fault.
    pub(crate) fn arm(&self) -> Result<Armed, FaultError> {
        Ok(match self {
            Fault::RestError(code) => {
                let (code, message) = crate::rest::codes::known(code)
                    .ok_or_else(|| FaultError::UnknownRestCode(code.clone()))?;
                Armed::RestError { code, message }
            }
            Fault::SoapFault(code) => Armed::SoapFault(
                crate::soap::codes::known(code)
                    .ok_or_else(|| FaultError::UnknownSoapCode(code.clone()))?,
            ),
            Fault::HttpStatus(status) => Armed::HttpStatus(
                StatusCode::from_u16(*status)
                    .ok()
                    .filter(|s| s.is_client_error() || s.is_server_error())
                    .ok_or(FaultError::NotAnErrorStatus(*status))?,
            ),
            Fault::DropConnection => Armed::DropConnection,
            Fault::TruncatedBody => Armed::Mangle(Mangle::Truncate),
            Fault::MalformedBody => Armed::Mangle(Mangle::Garbage),
            Fault::DownloadDropped => Armed::Download(Download::Drop),
            Fault::DownloadTruncated => Armed::Download(Download::Truncate),
        })
    }
}

/// How a response body is spoiled.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Mangle {
    /// Cut in half.
    Truncate,
    /// Replaced by text that does not parse.
    Garbage,
}

impl Mangle {
    /// The response with its body spoiled; `garbage` replaces it for [`Mangle::Garbage`].
    pub(crate) async fn apply(
        self,
        resp: Response<Body>,
        garbage: &'static [u8],
    ) -> Response<Body> {
        let (parts, body) = resp.into_parts();
        let bytes = axum::body::to_bytes(body, usize::MAX)
            .await
            .unwrap_or_default();
        let new = match self {
            Mangle::Truncate => bytes.slice(..bytes.len() / 2),
            Mangle::Garbage => Bytes::from_static(garbage),
        };
        let mut r = Response::from_parts(parts, Body::from(new));
        r.headers_mut().remove(header::CONTENT_LENGTH);
        r
    }
}

/// A checked fault, as queued.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Armed {
    /// A REST error envelope with this known code and its message.
    RestError {
        code: &'static str,
        message: &'static str,
    },
    /// A SOAP fault with this known code.
    SoapFault(&'static str),
    /// This error status with a short text body.
    HttpStatus(StatusCode),
    /// The connection closed without a response.
    DropConnection,
    /// The body spoiled.
    Mangle(Mangle),
    /// A Bulk API file download cut short.
    Download(Download),
}

/// How a Bulk API file download is cut short.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Download {
    /// Half the body, then the connection is reset.
    Drop,
    /// Half the body, then a clean end.
    Truncate,
}

impl Download {
    /// A body sending half of `bytes`, then failing or ending.
    pub(crate) fn body(self, bytes: Bytes) -> Response<Body> {
        let half = bytes.slice(..bytes.len() / 2);
        let fail = self == Download::Drop;
        let chunks: Vec<Result<Bytes, std::io::Error>> = if fail {
            vec![
                Ok(half),
                Err(std::io::Error::new(
                    std::io::ErrorKind::ConnectionReset,
                    "injected: download dropped",
                )),
            ]
        } else {
            vec![Ok(half)]
        };
        Response::new(Body::from_stream(futures_util::stream::iter(chunks)))
    }
}

impl Armed {
    /// The answer that replaces the call for faults that are the same for REST
    /// and SOAP (a dropped connection, an HTTP status), else `None`.
    pub(crate) fn transport_response(&self) -> Option<Response<Body>> {
        match self {
            Armed::DropConnection => Some(drop_response()),
            Armed::HttpStatus(status) => Some(text_response(
                *status,
                &format!(
                    "{} {} (injected)",
                    status.as_u16(),
                    status.canonical_reason().unwrap_or("Error")
                ),
            )),
            _ => None,
        }
    }

    fn applies_to(&self, kind: CallKind) -> bool {
        match self {
            Armed::RestError { .. } => kind == CallKind::Rest,
            Armed::SoapFault(_) => kind == CallKind::Soap,
            Armed::Download(_) => false,
            _ => true,
        }
    }
}

/// Which kind of call a fault applies to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum CallKind {
    /// A REST call other than the identity endpoint.
    Rest,
    /// A SOAP call.
    Soap,
}

/// Queue of pending faults plus the fixed latency.
#[derive(Debug, Default)]
pub(crate) struct FaultState {
    queue: VecDeque<(Armed, u32)>,
    pub(crate) latency: Option<Duration>,
}

impl FaultState {
    pub(crate) fn push(&mut self, fault: Armed, times: u32) {
        if times > 0 {
            self.queue.push_back((fault, times));
        }
    }

    pub(crate) fn clear(&mut self) {
        self.queue.clear();
        self.latency = None;
    }

    /// Takes the first queued download fault (only Bulk API file downloads do).
    pub(crate) fn take_download(&mut self) -> Option<Download> {
        let idx = self
            .queue
            .iter()
            .position(|(f, _)| matches!(f, Armed::Download(_)))?;
        let entry = self.queue.get_mut(idx)?;
        let Armed::Download(fault) = entry.0 else {
            return None;
        };
        entry.1 -= 1;
        if entry.1 == 0 {
            self.queue.remove(idx);
        }
        Some(fault)
    }

    /// Takes the first queued fault that applies to this kind of call.
    pub(crate) fn take(&mut self, kind: CallKind) -> Option<Armed> {
        let idx = self.queue.iter().position(|(f, _)| f.applies_to(kind))?;
        let entry = self.queue.get_mut(idx)?;
        let fault = entry.0.clone();
        entry.1 -= 1;
        if entry.1 == 0 {
            self.queue.remove(idx);
        }
        Some(fault)
    }

    pub(crate) fn pending(&self) -> u32 {
        self.queue.iter().map(|(_, n)| *n).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_codes_arm() {
        assert_eq!(
            Fault::RestError("606".into()).arm(),
            Ok(Armed::RestError {
                code: "606",
                message: "Max rate limit '100' exceeded with in '20' secs"
            })
        );
        assert_eq!(
            Fault::SoapFault("20024".into()).arm(),
            Ok(Armed::SoapFault("20024"))
        );
        assert_eq!(
            Fault::HttpStatus(429).arm(),
            Ok(Armed::HttpStatus(StatusCode::TOO_MANY_REQUESTS))
        );
        assert_eq!(Fault::MalformedBody.check(), Ok(()));
    }

    #[test]
    fn unknown_codes_are_errors() {
        assert_eq!(
            Fault::RestError("799".into()).check(),
            Err(FaultError::UnknownRestCode("799".into()))
        );
        // A SOAP code is not a REST code, and the other way round.
        assert_eq!(
            Fault::RestError("20023".into()).check(),
            Err(FaultError::UnknownRestCode("20023".into()))
        );
        assert_eq!(
            Fault::SoapFault("606".into()).check(),
            Err(FaultError::UnknownSoapCode("606".into()))
        );
        assert_eq!(
            Fault::SoapFault("20099".into()).check(),
            Err(FaultError::UnknownSoapCode("20099".into()))
        );
        for status in [0, 99, 200, 302, 600, 1000] {
            assert_eq!(
                Fault::HttpStatus(status).check(),
                Err(FaultError::NotAnErrorStatus(status)),
                "{status}"
            );
        }
        let msg = FaultError::UnknownSoapCode("20099".into()).to_string();
        assert!(msg.contains("\"20099\""), "{msg}");
    }

    #[test]
    fn faults_apply_to_their_kind_of_call_only() {
        let mut q = FaultState::default();
        q.push(Armed::SoapFault("20023"), 1);
        q.push(Armed::DropConnection, 0);
        assert_eq!(q.pending(), 1);
        assert_eq!(q.take(CallKind::Rest), None);
        assert_eq!(q.take(CallKind::Soap), Some(Armed::SoapFault("20023")));
        assert_eq!(q.take(CallKind::Soap), None);
    }
}
