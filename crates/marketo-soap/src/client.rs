//! The SOAP client runtime: signing, the envelope, HTTP, error mapping,
//! throttling and retries.
//!
//! The generated code adds one method per operation (see
//! [`crate::MktowsPort`]); each calls [`ClientCore::call`], the single place a
//! request is sent. For each attempt it waits for a permit of the client's
//! [`Throttle`] (held during the HTTP exchange), signs the
//! `AuthenticationHeader` afresh (so a retry never reuses an old
//! signature), posts the envelope and classifies the answer. Retried, with
//! the [`RetryPolicy`]'s jittered exponential backoff: faults 20023 (rate
//! limit) and 20024 (concurrency limit), HTTP 5xx without a fault, and
//! transport errors — for the read operations (`get*`, `list*`,
//! `describe*`, which are idempotent) whatever the transport error, for the
//! others only when the connection could not be established (the request
//! then provably never reached Marketo). Never retried: other faults
//! (20015 daily quota included), undecodable bodies, and
//! [`SoapError::Throttle`] (the optional daily budget is spent; nothing was
//! sent).

use std::fmt;
use std::time::Duration;

use marketo_auth::{ConfigError, SoapConfig};
use marketo_resilience::{RetryPolicy, Throttle};
use reqwest::header::{CONTENT_TYPE, HeaderValue};
use tracing::Instrument;
use url::Url;
use yaserde::{YaDeserialize, YaSerialize};

use crate::envelope::{Operation, RequestHeaders, decode_response, encode_request, find_fault};
use crate::error::SoapError;
use crate::xml::excerpt;

/// The content type of SOAP 1.1 requests.
pub const CONTENT_TYPE_XML: &str = "text/xml; charset=utf-8";

/// The per-request timeout of the HTTP client [`ClientCore::builder`] builds.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);

/// The connect timeout of the HTTP client [`ClientCore::builder`] builds.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// A client of the Marketo SOAP API (or of any service generated from a
/// document/literal WSDL with the same header conventions).
///
/// Cheap to clone; clones share the throttle.
#[derive(Clone)]
pub struct ClientCore {
    http: reqwest::Client,
    config: SoapConfig,
    target_workspace: Option<String>,
    throttle: Throttle,
    retry: RetryPolicy,
    timeout: Option<Duration>,
}

impl fmt::Debug for ClientCore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // SoapConfig's Debug redacts the encryption key.
        f.debug_struct("ClientCore")
            .field("config", &self.config)
            .field("target_workspace", &self.target_workspace)
            .field("throttle", &self.throttle)
            .field("retry", &self.retry)
            .finish_non_exhaustive()
    }
}

/// Builds a [`ClientCore`] with resilience settings; see [`ClientCore::builder`].
#[derive(Debug)]
pub struct ClientCoreBuilder {
    config: SoapConfig,
    http: Option<reqwest::Client>,
    target_workspace: Option<String>,
    throttle: Option<Throttle>,
    retry: RetryPolicy,
    connect_timeout: Duration,
    timeout: Option<Duration>,
}

impl ClientCoreBuilder {
    /// Sends through this `reqwest::Client` (proxies, TLS). Its own
    /// timeouts apply; [`timeout`](Self::timeout), when set, is also applied
    /// to each request, [`connect_timeout`](Self::connect_timeout) is not.
    pub fn http_client(mut self, http: reqwest::Client) -> Self {
        self.http = Some(http);
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
        self.throttle = Some(throttle);
        self
    }

    /// The retry policy (default [`RetryPolicy::default()`];
    /// [`RetryPolicy::never()`] switches retries off).
    pub fn retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// How long establishing a connection may take (default
    /// [`DEFAULT_CONNECT_TIMEOUT`]).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// How long one HTTP exchange may take (default [`DEFAULT_TIMEOUT`]).
    /// Each attempt has its own.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// The client.
    pub fn build(self) -> Result<ClientCore, ConfigError> {
        let http = match self.http {
            Some(http) => http,
            None => reqwest::Client::builder()
                .connect_timeout(self.connect_timeout)
                .timeout(self.timeout.unwrap_or(DEFAULT_TIMEOUT))
                .build()
                .map_err(|e| ConfigError::HttpClient(e.to_string()))?,
        };
        Ok(ClientCore {
            http,
            config: self.config,
            target_workspace: self.target_workspace,
            throttle: self.throttle.unwrap_or_default(),
            retry: self.retry,
            timeout: self.timeout,
        })
    }
}

/// Whether the client sends a failed call again (see the module docs).
fn should_retry(error: &SoapError, op: &Operation) -> bool {
    match error {
        SoapError::Transport(e) => op.idempotent || e.is_connect(),
        SoapError::Fault { .. } | SoapError::HttpStatus { .. } => error.is_retryable(),
        _ => false,
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
            http: None,
            target_workspace: None,
            throttle: None,
            retry: RetryPolicy::default(),
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            timeout: None,
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
            http,
            config,
            target_workspace: None,
            throttle: Throttle::default(),
            retry: RetryPolicy::default(),
            timeout: None,
        }
    }

    /// The throttle every call of this client (and of its clones) draws from.
    pub fn throttle(&self) -> &Throttle {
        &self.throttle
    }

    /// The retry policy.
    pub fn retry_policy(&self) -> &RetryPolicy {
        &self.retry
    }

    /// A client configured from `MARKETO_SOAP_ENDPOINT`,
    /// `MARKETO_SOAP_USER_ID` and `MARKETO_SOAP_ENCRYPTION_KEY`.
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::new(SoapConfig::from_env()?)
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

    /// Sends `params` as operation `op` and reads its response: for each
    /// attempt takes a throttle permit, signs the `AuthenticationHeader`
    /// afresh, posts the envelope with `SOAPAction`, and maps faults, HTTP
    /// errors and undecodable bodies to [`SoapError`]; retries what the
    /// [module docs](self) list.
    pub async fn call<Req, Resp>(&self, op: &Operation, params: &Req) -> Result<Resp, SoapError>
    where
        Req: YaSerialize,
        Resp: YaDeserialize,
    {
        let span = tracing::info_span!(
            "marketo_soap.call",
            operation = op.name,
            attempt = tracing::field::Empty,
            throttle_wait_ms = tracing::field::Empty,
            status = tracing::field::Empty,
        );
        let waited = std::sync::Mutex::new(Duration::ZERO);
        self.retry
            .run(
                |attempt| {
                    tracing::Span::current().record("attempt", attempt);
                    self.attempt(op, params, &waited)
                },
                |error| should_retry(error, op),
            )
            .instrument(span)
            .await
    }

    async fn attempt<Req, Resp>(
        &self,
        op: &Operation,
        params: &Req,
        waited: &std::sync::Mutex<Duration>,
    ) -> Result<Resp, SoapError>
    where
        Req: YaSerialize,
        Resp: YaDeserialize,
    {
        let span = tracing::Span::current();
        let permit = self.throttle.acquire().await?;
        let total = {
            let mut total = waited.lock().unwrap_or_else(|p| p.into_inner());
            *total += permit.waited();
            *total
        };
        span.record(
            "throttle_wait_ms",
            u64::try_from(total.as_millis()).unwrap_or(u64::MAX),
        );
        let auth = self.config.credentials.sign_now();
        let headers = RequestHeaders {
            authentication: Some(&auth),
            target_workspace: self.target_workspace.as_deref(),
        };
        let envelope = encode_request(op, &headers, params)?;
        let mut request = self
            .http
            .post(self.config.endpoint.clone())
            .header(CONTENT_TYPE, HeaderValue::from_static(CONTENT_TYPE_XML))
            .header("SOAPAction", format!("\"{}\"", op.soap_action))
            .body(envelope);
        if let Some(timeout) = self.timeout {
            request = request.timeout(timeout);
        }
        let response = request.send().await.map_err(SoapError::Transport)?;
        let status = response.status();
        span.record("status", status.as_u16());
        let body = response.text().await.map_err(SoapError::Transport)?;
        drop(permit);
        tracing::debug!(status = status.as_u16(), bytes = body.len(), "response");
        let result = if !status.is_success() {
            Err(find_fault(&body).unwrap_or_else(|| SoapError::HttpStatus {
                status,
                excerpt: excerpt(&body, 200),
            }))
        } else {
            decode_response(op, &body)
        };
        if let Err(e) = &result {
            tracing::debug!(error = %e, "call failed");
        }
        result
    }
}
