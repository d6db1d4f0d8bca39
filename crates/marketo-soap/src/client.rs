//! The SOAP side of a call: signing, the envelope, decoding the answer.
//!
//! The generated `Client` has one method per operation; each calls
//! [`ClientCore::call`], the single place a request is sent. It hands the
//! call to the shared [`Transport`], which
//! owns the HTTP client and its default timeouts
//! ([`DEFAULT_CONNECT_TIMEOUT`], [`DEFAULT_TIMEOUT`], the same as REST's),
//! the throttle, the retry loop, the `marketo_soap.call` tracing span and
//! the request counter — see [`marketo_transport`] for the pipeline and
//! [`marketo_resilience::outcome`] for what is retried (faults 20023 and
//! 20024, HTTP 429 and 5xx without a fault, transport failures by the
//! idempotency rule; 20016 "request expired" is signed afresh and sent
//! again once). Whether an operation may be repeated after a transport
//! failure is its [`Operation::idempotent`] flag, from the spec's
//! annotations, never from its name.
//!
//! What is SOAP's own: each HTTP exchange signs the
//! `AuthenticationHeader` afresh (so a retry never reuses an old
//! signature), adds `MktowsContextHeader` when a workspace is set, posts
//! the envelope with its `SOAPAction`, and maps the answer — a fault to
//! [`SoapError::Fault`], another non-2xx status to
//! [`SoapError::HttpStatus`], an undecodable body to [`SoapError::Decode`].

use std::fmt;
use std::time::Duration;

use marketo_auth::{ConfigError, SoapConfig};
use marketo_resilience::{RetryPolicy, Throttle};
use marketo_transport::{Api, Call, Exchange, Transport, TransportBuilder};
use reqwest::header::{CONTENT_TYPE, HeaderValue};
use url::Url;
use yaserde::YaSerialize;

use crate::decode::FromXml;

use crate::envelope::{Operation, RequestHeaders, decode_response, encode_request, find_fault};
use crate::error::SoapError;
use crate::xml::excerpt;

pub use marketo_transport::{DEFAULT_CONNECT_TIMEOUT, DEFAULT_TIMEOUT};

/// The content type of SOAP 1.1 requests.
pub const CONTENT_TYPE_XML: &str = "text/xml; charset=utf-8";

/// The runtime part of a client of the Marketo SOAP API (or of any service
/// generated from a document/literal WSDL with the same header
/// conventions): the shared [`Transport`] and the signing configuration.
///
/// Cheap to clone; clones share the throttle and the request counter.
#[derive(Clone)]
pub struct ClientCore {
    transport: Transport,
    config: SoapConfig,
    target_workspace: Option<String>,
}

impl fmt::Debug for ClientCore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // SoapConfig's Debug redacts the encryption key.
        f.debug_struct("ClientCore")
            .field("config", &self.config)
            .field("target_workspace", &self.target_workspace)
            .field("transport", &self.transport)
            .finish()
    }
}

/// Builds a [`ClientCore`] with resilience settings; see
/// [`ClientCore::builder`].
#[derive(Debug)]
pub struct ClientCoreBuilder {
    config: SoapConfig,
    transport: TransportBuilder,
    target_workspace: Option<String>,
}

impl ClientCoreBuilder {
    /// Sends through this `reqwest::Client` (proxies, TLS). Its own
    /// timeouts apply; [`timeout`](Self::timeout), when set, is also applied
    /// to each request, [`connect_timeout`](Self::connect_timeout) is not.
    pub fn http_client(mut self, http: reqwest::Client) -> Self {
        self.transport = self.transport.http_client(http);
        self
    }

    /// Acts in `workspace` (see [`ClientCore::with_target_workspace`]).
    pub fn target_workspace(mut self, workspace: impl Into<String>) -> Self {
        self.target_workspace = Some(workspace.into());
        self
    }

    /// Draws every call from `throttle` (default: a new
    /// [`Throttle::default()`] for this client). Give the REST client of the
    /// same instance a clone of it to share one budget.
    pub fn throttle(mut self, throttle: Throttle) -> Self {
        self.transport = self.transport.throttle(throttle);
        self
    }

    /// The retry policy (default [`RetryPolicy::default()`];
    /// [`RetryPolicy::never()`] switches retries off — an expired
    /// signature, 20016, is still renewed once).
    pub fn retry(mut self, retry: RetryPolicy) -> Self {
        self.transport = self.transport.retry(retry);
        self
    }

    /// How long establishing a connection may take (default
    /// [`DEFAULT_CONNECT_TIMEOUT`]).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.transport = self.transport.connect_timeout(timeout);
        self
    }

    /// How long one HTTP exchange may take (default [`DEFAULT_TIMEOUT`]).
    /// Each attempt has its own.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.transport = self.transport.timeout(timeout);
        self
    }

    /// The client.
    pub fn build(self) -> Result<ClientCore, ConfigError> {
        Ok(ClientCore {
            transport: self.transport.build()?,
            config: self.config,
            target_workspace: self.target_workspace,
        })
    }

    /// The generated [`Client`](crate::Client) over the built core.
    pub fn build_client(self) -> Result<crate::Client, ConfigError> {
        self.build().map(crate::Client::from_core)
    }
}

impl ClientCore {
    /// A builder for a client with resilience settings (throttle, retry
    /// policy, timeouts).
    ///
    /// ```no_run
    /// use marketo_soap::{ClientCore, SoapConfig};
    /// use marketo_soap::marketo_resilience::{RetryPolicy, Throttle};
    ///
    /// # fn run(rest_throttle: Throttle) -> Result<(), Box<dyn std::error::Error>> {
    /// // Share the REST client's throttle: one budget per Marketo instance.
    /// let client = ClientCore::builder(SoapConfig::from_env()?)
    ///     .throttle(rest_throttle.clone())
    ///     .retry(RetryPolicy { max_attempts: 4, ..RetryPolicy::default() })
    ///     .timeout(std::time::Duration::from_secs(30))
    ///     .build()?;
    /// # let _ = client; Ok(()) }
    /// ```
    pub fn builder(config: SoapConfig) -> ClientCoreBuilder {
        ClientCoreBuilder {
            config,
            transport: Transport::builder(),
            target_workspace: None,
        }
    }

    /// A client for `config` with its own HTTP client
    /// ([`DEFAULT_CONNECT_TIMEOUT`], [`DEFAULT_TIMEOUT`] per request), its
    /// own throttle and the default retry policy.
    pub fn new(config: SoapConfig) -> Result<Self, ConfigError> {
        Self::builder(config).build()
    }

    /// A client for `config` that sends through `http` (timeouts, proxies
    /// and TLS are the caller's), with its own throttle and the default
    /// retry policy.
    pub fn with_http_client(http: reqwest::Client, config: SoapConfig) -> Self {
        Self {
            transport: Transport::with_http_client(http),
            config,
            target_workspace: None,
        }
    }

    /// A client configured from `MARKETO_SOAP_ENDPOINT`,
    /// `MARKETO_SOAP_USER_ID` and `MARKETO_SOAP_ENCRYPTION_KEY`, with the
    /// defaults of [`ClientCore::new`].
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::new(SoapConfig::from_env()?)
    }

    /// The transport every call goes through.
    pub fn transport(&self) -> &Transport {
        &self.transport
    }

    /// The throttle every call of this client (and of its clones) draws from.
    pub fn throttle(&self) -> &Throttle {
        self.transport.throttle()
    }

    /// The retry policy.
    pub fn retry_policy(&self) -> &RetryPolicy {
        self.transport.retry_policy()
    }

    /// HTTP requests sent so far by this client and its clones.
    pub fn requests_sent(&self) -> u64 {
        self.transport.requests_sent()
    }

    /// Acts in `workspace`: operations bound to `MktowsContextHeader`
    /// (`syncLead`) send it with `targetWorkspace`.
    pub fn with_target_workspace(mut self, workspace: impl Into<String>) -> Self {
        self.target_workspace = Some(workspace.into());
        self
    }

    /// The workspace set with [`ClientCore::with_target_workspace`].
    pub fn target_workspace(&self) -> Option<&str> {
        self.target_workspace.as_deref()
    }

    /// The endpoint requests are posted to.
    pub fn endpoint(&self) -> &Url {
        &self.config.endpoint
    }

    /// Sends `params` as operation `op` and reads its response through the
    /// [`Transport`]: each HTTP exchange signs the `AuthenticationHeader`
    /// afresh, posts the envelope with `SOAPAction`, and maps faults, HTTP
    /// errors and undecodable bodies to [`SoapError`]; retries what
    /// [`marketo_resilience::outcome`] says.
    pub async fn call<Req, Resp>(&self, op: &Operation, params: &Req) -> Result<Resp, SoapError>
    where
        Req: YaSerialize + Sync,
        Resp: FromXml + Send,
    {
        let call = Call {
            api: Api::Soap,
            operation: op.name,
            method: "POST",
            idempotent: op.idempotent,
        };
        let exchange = SoapExchange {
            core: self,
            op,
            params,
            response: std::marker::PhantomData::<fn() -> Resp>,
        };
        self.transport.send(call, &exchange).await
    }
}

/// SOAP's encoding and decoding of one call.
struct SoapExchange<'a, Req, Resp> {
    core: &'a ClientCore,
    op: &'a Operation,
    params: &'a Req,
    response: std::marker::PhantomData<fn() -> Resp>,
}

impl<Req, Resp> Exchange for SoapExchange<'_, Req, Resp>
where
    Req: YaSerialize + Sync,
    Resp: FromXml + Send,
{
    type Output = Resp;
    type Error = SoapError;

    fn request(&self, http: &reqwest::Client) -> Result<reqwest::RequestBuilder, SoapError> {
        let auth = self.core.config.credentials.sign_now();
        let headers = RequestHeaders {
            authentication: Some(&auth),
            target_workspace: self.core.target_workspace.as_deref(),
        };
        let envelope = encode_request(self.op, &headers, self.params)?;
        Ok(http
            .post(self.core.config.endpoint.clone())
            .header(CONTENT_TYPE, HeaderValue::from_static(CONTENT_TYPE_XML))
            .header("SOAPAction", format!("\"{}\"", self.op.soap_action))
            .body(envelope))
    }

    fn read(&self, status: u16, body: Vec<u8>) -> Result<Resp, SoapError> {
        let body = String::from_utf8_lossy(&body);
        let status = reqwest::StatusCode::from_u16(status)
            .unwrap_or(reqwest::StatusCode::INTERNAL_SERVER_ERROR);
        if !status.is_success() {
            return Err(find_fault(&body).unwrap_or_else(|| SoapError::HttpStatus {
                status,
                excerpt: excerpt(&body, 200),
            }));
        }
        decode_response(self.op, &body)
    }
}
