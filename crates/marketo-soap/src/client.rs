//! The SOAP client runtime: signing, the envelope, HTTP and error mapping.
//!
//! The generated code adds one method per operation (see
//! [`crate::MktowsPort`]); each calls [`Client::call`], the single place a
//! request is sent, so that retries or throttling can be added there.

use std::fmt;

use marketo_auth::{ConfigError, SoapConfig};
use reqwest::header::{CONTENT_TYPE, HeaderValue};
use tracing::Instrument;
use url::Url;
use yaserde::{YaDeserialize, YaSerialize};

use crate::envelope::{Operation, RequestHeaders, decode_response, encode_request, find_fault};
use crate::error::SoapError;
use crate::xml::excerpt;

/// The content type of SOAP 1.1 requests.
pub const CONTENT_TYPE_XML: &str = "text/xml; charset=utf-8";

/// A client of the Marketo SOAP API (or of any service generated from a
/// document/literal WSDL with the same header conventions).
#[derive(Clone)]
pub struct Client {
    http: reqwest::Client,
    config: SoapConfig,
    target_workspace: Option<String>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // SoapConfig's Debug redacts the encryption key.
        f.debug_struct("Client")
            .field("config", &self.config)
            .field("target_workspace", &self.target_workspace)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// A client for `config` with a default `reqwest` client.
    pub fn new(config: SoapConfig) -> Self {
        Self::with_http_client(reqwest::Client::new(), config)
    }

    /// A client for `config` that sends through `http` (timeouts, proxies
    /// and TLS are the caller's).
    pub fn with_http_client(http: reqwest::Client, config: SoapConfig) -> Self {
        Self {
            http,
            config,
            target_workspace: None,
        }
    }

    /// A client configured from `MARKETO_SOAP_ENDPOINT`,
    /// `MARKETO_SOAP_USER_ID` and `MARKETO_SOAP_ENCRYPTION_KEY`.
    pub fn from_env() -> Result<Self, ConfigError> {
        Ok(Self::new(SoapConfig::from_env()?))
    }

    /// Acts in `workspace`: operations bound to `MktowsContextHeader`
    /// (`syncLead`) send it with `targetWorkspace`.
    pub fn with_target_workspace(mut self, workspace: impl Into<String>) -> Self {
        self.target_workspace = Some(workspace.into());
        self
    }

    /// The workspace set with [`Client::with_target_workspace`].
    pub fn target_workspace(&self) -> Option<&str> {
        self.target_workspace.as_deref()
    }

    /// The endpoint requests are posted to.
    pub fn endpoint(&self) -> &Url {
        &self.config.endpoint
    }

    /// Sends `params` as operation `op` and reads its response: signs the
    /// `AuthenticationHeader` afresh, posts the envelope with `SOAPAction`,
    /// and maps faults, HTTP errors and undecodable bodies to [`SoapError`].
    pub async fn call<Req, Resp>(&self, op: &Operation, params: &Req) -> Result<Resp, SoapError>
    where
        Req: YaSerialize,
        Resp: YaDeserialize,
    {
        let span = tracing::debug_span!("marketo_soap.call", operation = op.name);
        async {
            let auth = self.config.credentials.sign_now();
            let headers = RequestHeaders {
                authentication: Some(&auth),
                target_workspace: self.target_workspace.as_deref(),
            };
            let envelope = encode_request(op, &headers, params)?;
            let response = self
                .http
                .post(self.config.endpoint.clone())
                .header(CONTENT_TYPE, HeaderValue::from_static(CONTENT_TYPE_XML))
                .header("SOAPAction", format!("\"{}\"", op.soap_action))
                .body(envelope)
                .send()
                .await
                .map_err(SoapError::Transport)?;
            let status = response.status();
            let body = response.text().await.map_err(SoapError::Transport)?;
            tracing::debug!(status = status.as_u16(), bytes = body.len(), "response");
            if !status.is_success() {
                return Err(find_fault(&body).unwrap_or_else(|| SoapError::HttpStatus {
                    status,
                    excerpt: excerpt(&body, 200),
                }));
            }
            decode_response(op, &body)
        }
        .instrument(span)
        .await
    }
}
