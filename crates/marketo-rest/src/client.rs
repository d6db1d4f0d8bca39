//! The transport every generated method goes through.
//!
//! [`ClientCore::send`] is the single path of every call. A GET whose path
//! and query exceed [`MAX_URI_BYTES`] (Marketo answers 414 beyond 8 KB) is
//! sent the way Marketo documents instead: `POST …?_method=GET` with the
//! parameters as a form body (still treated as a read). For each attempt
//! it takes a bearer token from the [`TokenProvider`], waits for a permit of
//! the [`Throttle`] (held during the HTTP exchange), sends the request and
//! classifies the answer:
//!
//! * 601/602 (token refused): the token is invalidated — only if it is still
//!   the cached one, so N concurrent refusals cause one token request — and
//!   the call is sent again at once, once per call;
//! * retried with the [`RetryPolicy`]'s jittered exponential backoff:
//!   Marketo 604, 606, 608, 611, 615, 713 (when every error of the envelope
//!   is one of them), HTTP 429 and 5xx, failed token requests that may
//!   succeed later, and transport errors — for a non-idempotent call (POST,
//!   PATCH) only when the connection could not be established, as the
//!   request then provably never reached Marketo (GET, PUT and DELETE are
//!   idempotent);
//! * never retried: 607 (daily quota), every other API error, undecodable
//!   bodies, HTTP 4xx, and [`RestError::Throttle`] (the optional daily
//!   budget is spent; no request was made).
//!
//! Each call runs in a `tracing` span named `marketo_rest.call` with the
//! operation name, the HTTP method, the attempt number, the time spent
//! waiting for the throttle (`throttle_wait_ms`), the HTTP status and, once
//! known, Marketo's `requestId`; tokens and secrets never reach a log or an
//! error.

use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use marketo_auth::{AccessToken, ConfigError, RestCredentials, TokenProvider};
use marketo_resilience::{RetryPolicy, Throttle};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use tracing::Instrument as _;
use url::Url;

use crate::envelope::{Envelope, Response};
use crate::error::{ApiErrorItem, RestError, excerpt};
use crate::request::{Body, Method, Request};

/// The per-request timeout of the HTTP client [`ClientCore::new`] builds.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);

/// The connect timeout of the HTTP client [`ClientCore::new`] builds.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// The longest path and query Marketo accepts (HTTP 414 beyond): longer
/// GETs are sent as `POST …?_method=GET` with the parameters in a form body.
pub const MAX_URI_BYTES: usize = 8 * 1024;

/// Error codes after which the token is refreshed and the call sent again.
const TOKEN_REFUSED: [&str; 2] = ["601", "602"];

/// Marketo codes after which the same call is sent again after a delay: the
/// call was not executed (timeouts, rate and concurrency limits, temporary
/// unavailability, lock timeouts). 607 (daily quota) is not among them.
pub const RETRIED_CODES: [&str; 6] = ["604", "606", "608", "611", "615", "713"];

/// The runtime part of a REST client: HTTP client, token provider, base
/// URL, throttle and retry policy. Cheap to clone (clones share the token
/// cache and the throttle).
///
/// Generated code wraps it in a `Client` whose methods are the spec's
/// operations; use that (`marketo_rest::Client`, or
/// `Client::from_core(ClientCore::builder(credentials)….build()?)`) rather
/// than this directly.
#[derive(Clone)]
pub struct ClientCore {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    tokens: TokenProvider,
    throttle: Throttle,
    retry: RetryPolicy,
    timeout: Option<Duration>,
    attempts: AtomicU64,
}

impl fmt::Debug for ClientCore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientCore")
            .field("base_url", &self.base_url().as_str())
            .field("tokens", &self.inner.tokens)
            .field("throttle", &self.inner.throttle)
            .field("retry", &self.inner.retry)
            .finish_non_exhaustive()
    }
}

/// Builds a [`ClientCore`] with resilience settings; see
/// [`ClientCore::builder`].
#[derive(Debug)]
pub struct ClientCoreBuilder {
    credentials: RestCredentials,
    http: Option<reqwest::Client>,
    tokens: Option<TokenProvider>,
    throttle: Option<Throttle>,
    retry: RetryPolicy,
    connect_timeout: Duration,
    timeout: Option<Duration>,
}

impl ClientCoreBuilder {
    /// Sends through this `reqwest::Client` (also used for token requests).
    /// Its own timeouts apply; [`timeout`](Self::timeout), when set, is also
    /// applied to each request, [`connect_timeout`](Self::connect_timeout)
    /// is not (it can only be set when the client is built here).
    pub fn http_client(mut self, http: reqwest::Client) -> Self {
        self.http = Some(http);
        self
    }

    /// Shares an existing token provider (and its token cache).
    pub fn token_provider(mut self, tokens: TokenProvider) -> Self {
        self.tokens = Some(tokens);
        self
    }

    /// Draws every call from `throttle` (default: a new
    /// [`Throttle::default()`] for this client — 98 calls per sliding 20 s,
    /// 5 in flight). Give the same throttle (a clone) to every client of one
    /// Marketo instance, the SOAP client included, so they share its budget.
    pub fn throttle(mut self, throttle: Throttle) -> Self {
        self.throttle = Some(throttle);
        self
    }

    /// The retry policy (default: [`RetryPolicy::default()`]; use
    /// [`RetryPolicy::never()`] to switch retries off — 601/602 still cause
    /// one token refresh).
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

    /// How long one HTTP exchange may take, from sending to the end of the
    /// body (default [`DEFAULT_TIMEOUT`]). Each attempt has its own.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// The client.
    pub fn build(self) -> Result<ClientCore, ConfigError> {
        let timeout = self.timeout;
        let http = match self.http {
            Some(http) => http,
            None => reqwest::Client::builder()
                .connect_timeout(self.connect_timeout)
                .timeout(timeout.unwrap_or(DEFAULT_TIMEOUT))
                .build()
                .map_err(|e| ConfigError::HttpClient(e.without_url().to_string()))?,
        };
        let tokens = match self.tokens {
            Some(tokens) => tokens,
            None => TokenProvider::builder(self.credentials)
                .http_client(http.clone())
                .build()?,
        };
        Ok(ClientCore {
            inner: Arc::new(Inner {
                http,
                tokens,
                throttle: self.throttle.unwrap_or_default(),
                retry: self.retry,
                timeout,
                attempts: AtomicU64::new(0),
            }),
        })
    }

    /// The generated [`Client`](crate::Client) over the built core.
    pub fn build_client(self) -> Result<crate::Client, ConfigError> {
        self.build().map(crate::Client::from_core)
    }
}

/// A response as it came off the wire, with the envelope members the
/// transport looks at.
#[derive(Debug, Clone)]
pub struct RawResponse {
    /// The HTTP status (always 2xx: other statuses are errors).
    pub status: u16,
    /// The body.
    pub body: Vec<u8>,
    /// The envelope's `requestId`, `success` and `errors`, if the body has them.
    pub head: Head,
}

/// The members of an envelope every call checks.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Head {
    /// `requestId`.
    #[serde(rename = "requestId", default)]
    pub request_id: Option<String>,
    /// `success`.
    #[serde(default)]
    pub success: Option<bool>,
    /// `errors`.
    #[serde(default)]
    pub errors: Vec<ApiErrorItem>,
}

impl Head {
    fn refuses_token(&self) -> bool {
        self.success == Some(false)
            && self
                .errors
                .iter()
                .any(|e| TOKEN_REFUSED.contains(&e.code.as_str()))
    }

    /// `success: false` with only codes of [`RETRIED_CODES`].
    fn is_transient_failure(&self) -> bool {
        self.success == Some(false)
            && !self.errors.is_empty()
            && self
                .errors
                .iter()
                .all(|e| RETRIED_CODES.contains(&e.code.as_str()))
    }
}

/// Whether the client sends a failed call again (see the module docs).
fn should_retry(error: &RestError, idempotent: bool) -> bool {
    match error {
        RestError::Api { errors, .. } => {
            !errors.is_empty()
                && errors
                    .iter()
                    .all(|e| RETRIED_CODES.contains(&e.code.as_str()))
        }
        RestError::HttpStatus { status, .. } => *status >= 500 || *status == 429,
        RestError::Transport(e) => idempotent || e.is_connect(),
        RestError::Auth(e) => e.is_retryable(),
        _ => false,
    }
}

impl ClientCore {
    /// A builder for a client with resilience settings (throttle, retry
    /// policy, timeouts).
    ///
    /// ```no_run
    /// use marketo_rest::marketo_auth::RestCredentials;
    /// use marketo_rest::{Client, ClientCore};
    /// use marketo_resilience::{Limits, RetryPolicy, Throttle};
    ///
    /// # fn run() -> Result<(), Box<dyn std::error::Error>> {
    /// // One throttle per Marketo instance, shared by all its clients.
    /// let throttle = Throttle::new(Limits { max_in_flight: 8, ..Limits::default() })?;
    /// let client: Client = ClientCore::builder(RestCredentials::from_env()?)
    ///     .throttle(throttle.clone())
    ///     .retry(RetryPolicy { max_attempts: 4, ..RetryPolicy::default() })
    ///     .connect_timeout(std::time::Duration::from_secs(5))
    ///     .timeout(std::time::Duration::from_secs(30))
    ///     .build_client()?;
    /// # let _ = client; Ok(()) }
    /// ```
    pub fn builder(credentials: RestCredentials) -> ClientCoreBuilder {
        ClientCoreBuilder {
            credentials,
            http: None,
            tokens: None,
            throttle: None,
            retry: RetryPolicy::default(),
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            timeout: None,
        }
    }

    /// A client with its own HTTP client ([`DEFAULT_CONNECT_TIMEOUT`],
    /// [`DEFAULT_TIMEOUT`] per request), token provider and throttle, and
    /// the default retry policy.
    pub fn new(credentials: RestCredentials) -> Result<Self, ConfigError> {
        Self::builder(credentials).build()
    }

    /// A client sending through the caller's `reqwest::Client` (also used
    /// for token requests), with its own throttle and the default retry
    /// policy.
    pub fn with_http_client(
        http: reqwest::Client,
        credentials: RestCredentials,
    ) -> Result<Self, ConfigError> {
        Self::builder(credentials).http_client(http).build()
    }

    /// A client sharing an existing token provider (and its token cache),
    /// with its own throttle and the default retry policy.
    pub fn with_token_provider(http: reqwest::Client, tokens: TokenProvider) -> Self {
        Self {
            inner: Arc::new(Inner {
                http,
                tokens,
                throttle: Throttle::default(),
                retry: RetryPolicy::default(),
                timeout: None,
                attempts: AtomicU64::new(0),
            }),
        }
    }

    /// A client from `MARKETO_BASE_URL`, `MARKETO_CLIENT_ID` and
    /// `MARKETO_CLIENT_SECRET`.
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::new(RestCredentials::from_env()?)
    }

    /// The throttle every call of this client (and of its clones) draws from.
    pub fn throttle(&self) -> &Throttle {
        &self.inner.throttle
    }

    /// The retry policy.
    pub fn retry_policy(&self) -> &RetryPolicy {
        &self.inner.retry
    }

    /// HTTP requests sent so far by this client and its clones (token
    /// requests excluded).
    pub fn requests_sent(&self) -> u64 {
        self.inner.attempts.load(Ordering::Relaxed)
    }

    /// The instance base URL.
    pub fn base_url(&self) -> &Url {
        self.inner.tokens.credentials().base_url()
    }

    /// The token provider.
    pub fn token_provider(&self) -> &TokenProvider {
        &self.inner.tokens
    }

    /// Sends `request` and decodes a Marketo envelope whose `result` items
    /// are `T`. `success: false` becomes [`RestError::Api`].
    pub async fn send_envelope<T: DeserializeOwned>(
        &self,
        operation: &'static str,
        request: Request,
    ) -> Result<Response<Vec<T>>, RestError> {
        let raw = self.send(operation, &request, true).await?;
        api_failure(&raw)?;
        let envelope: Envelope<T> = decode(&raw)?;
        envelope.into_response()
    }

    /// Sends `request` (a get-by-id call) and decodes a Marketo envelope
    /// whose `result` holds exactly one `T`. An empty or absent `result`,
    /// or Marketo code 702 (no data) or 610 (not found), is
    /// [`RestError::NotFound`]; more than one item is [`RestError::Decode`].
    pub async fn send_one<T: DeserializeOwned>(
        &self,
        operation: &'static str,
        request: Request,
    ) -> Result<Response<T>, RestError> {
        let response = match self.send_envelope::<T>(operation, request).await {
            Ok(response) => response,
            Err(RestError::Api { request_id, errors })
                if errors.iter().any(|e| e.code == "702" || e.code == "610") =>
            {
                let message = errors
                    .iter()
                    .map(|e| format!("{} {}", e.code, e.message))
                    .collect::<Vec<_>>()
                    .join("; ");
                return Err(RestError::NotFound {
                    request_id,
                    message,
                });
            }
            Err(e) => return Err(e),
        };
        let count = response.value.len();
        let request_id = response.request_id.clone();
        let mut items = response.value.into_iter();
        match (items.next(), count) {
            (Some(item), 1) => Ok(Response {
                value: item,
                request_id: response.request_id,
                warnings: response.warnings,
                more_result: response.more_result,
                next_page_token: response.next_page_token,
            }),
            (None, _) => Err(RestError::NotFound {
                request_id,
                message: match response.warnings.first() {
                    Some(warning) => warning.clone(),
                    None => "the answer holds no result".to_owned(),
                },
            }),
            _ => Err(RestError::Decode {
                status: 200,
                problem: format!("expected one result item, got {count}"),
                excerpt: String::new(),
            }),
        }
    }

    /// Sends `request` and checks a Marketo envelope that declares no
    /// `result` (its paging members are kept).
    pub async fn send_envelope_empty(
        &self,
        operation: &'static str,
        request: Request,
    ) -> Result<Response<()>, RestError> {
        self.send_envelope::<serde_json::Value>(operation, request)
            .await
            .map(|response| response.map(|_| ()))
    }

    /// Sends `request` and decodes a JSON body that is not enveloped.
    pub async fn send_json<T: DeserializeOwned>(
        &self,
        operation: &'static str,
        request: Request,
        auth: bool,
    ) -> Result<T, RestError> {
        let raw = self.send(operation, &request, auth).await?;
        decode(&raw)
    }

    /// Sends `request` and ignores the body.
    pub async fn send_no_content(
        &self,
        operation: &'static str,
        request: Request,
        auth: bool,
    ) -> Result<(), RestError> {
        self.send(operation, &request, auth).await.map(|_| ())
    }

    /// The single path of every call: throttling, authorization, one
    /// refresh-and-retry after 601/602, retries with backoff, tracing (see
    /// the [module docs](self)). `auth: false` sends no bearer token.
    ///
    /// A retryable `success: false` that is still refused after the last
    /// attempt is returned as [`RestError::Api`]; any other envelope is
    /// returned as it came for the caller to decode.
    pub async fn send(
        &self,
        operation: &'static str,
        request: &Request,
        auth: bool,
    ) -> Result<RawResponse, RestError> {
        let span = tracing::info_span!(
            "marketo_rest.call",
            operation,
            method = request.method.as_str(),
            attempt = tracing::field::Empty,
            throttle_wait_ms = tracing::field::Empty,
            request_id = tracing::field::Empty,
            status = tracing::field::Empty,
        );
        let waited = std::sync::Mutex::new(Duration::ZERO);
        let call = self.inner.retry.run(
            |attempt| {
                tracing::Span::current().record("attempt", attempt);
                self.attempt(request, auth, &waited)
            },
            |error| should_retry(error, request.idempotent),
        );
        call.instrument(span).await
    }

    /// One attempt: at most two HTTP exchanges (the second after a refused
    /// token), each holding a throttle permit.
    async fn attempt(
        &self,
        request: &Request,
        auth: bool,
        waited: &std::sync::Mutex<Duration>,
    ) -> Result<RawResponse, RestError> {
        let span = tracing::Span::current();
        let mut refreshed = false;
        loop {
            let token = match auth {
                true => Some(self.inner.tokens.token().await?),
                false => None,
            };
            let permit = self.inner.throttle.acquire().await?;
            let total = {
                let mut total = waited.lock().unwrap_or_else(|p| p.into_inner());
                *total += permit.waited();
                *total
            };
            span.record(
                "throttle_wait_ms",
                u64::try_from(total.as_millis()).unwrap_or(u64::MAX),
            );
            self.inner.attempts.fetch_add(1, Ordering::Relaxed);
            let sent = self.send_once(request, token.as_ref()).await;
            drop(permit);
            let raw = match sent {
                Ok(raw) => raw,
                Err(e) => {
                    if let RestError::HttpStatus { status, .. } = &e {
                        span.record("status", *status);
                    }
                    tracing::debug!(error = %e, "call failed");
                    return Err(e);
                }
            };
            span.record("status", raw.status);
            if let Some(id) = &raw.head.request_id {
                span.record("request_id", id.as_str());
            }
            if let Some(token) = &token
                && !refreshed
                && raw.head.refuses_token()
            {
                tracing::debug!(
                    "Marketo refused the access token; refreshing it and retrying once"
                );
                self.inner.tokens.invalidate(token).await;
                refreshed = true;
                continue;
            }
            if raw.head.success == Some(false) {
                let codes: Vec<&str> = raw.head.errors.iter().map(|e| e.code.as_str()).collect();
                tracing::debug!(?codes, "call failed");
                if raw.head.is_transient_failure() {
                    return Err(RestError::Api {
                        request_id: raw.head.request_id.clone().unwrap_or_default(),
                        errors: raw.head.errors.clone(),
                    });
                }
            } else {
                tracing::debug!("call succeeded");
            }
            return Ok(raw);
        }
    }

    async fn send_once(
        &self,
        request: &Request,
        token: Option<&AccessToken>,
    ) -> Result<RawResponse, RestError> {
        let mut url = self.base_url().clone();
        let path = format!("{}{}", url.path().trim_end_matches('/'), request.path);
        url.set_path(&path);
        if !request.query.is_empty() {
            url.set_query(Some(&request.query.to_urlencoded()));
        }
        // Marketo answers 414 to a URI over 8 KB; its documented way round is
        // a POST with `_method=GET` in the query and the parameters as a
        // form body. Do that before sending rather than after a 414.
        let long_get = request.method == Method::Get
            && matches!(request.body, Body::None)
            && url[url::Position::BeforePath..].len() > MAX_URI_BYTES;
        if long_get {
            url.set_query(Some("_method=GET"));
            return self
                .send_built(
                    reqwest::Method::POST,
                    url,
                    token,
                    &Body::Form(request.query.clone()),
                )
                .await;
        }
        let method = match request.method {
            Method::Get => reqwest::Method::GET,
            Method::Post => reqwest::Method::POST,
            Method::Put => reqwest::Method::PUT,
            Method::Patch => reqwest::Method::PATCH,
            Method::Delete => reqwest::Method::DELETE,
        };
        self.send_built(method, url, token, &request.body).await
    }

    async fn send_built(
        &self,
        method: reqwest::Method,
        url: Url,
        token: Option<&AccessToken>,
        body: &Body,
    ) -> Result<RawResponse, RestError> {
        let mut builder = self.inner.http.request(method, url);
        if let Some(timeout) = self.inner.timeout {
            builder = builder.timeout(timeout);
        }
        if let Some(token) = token {
            builder = builder.header(AccessToken::header_name(), token.bearer_header());
        }
        builder = match body {
            Body::None => builder,
            Body::Json(bytes) => builder
                .header(reqwest::header::CONTENT_TYPE, "application/json")
                .body(bytes.clone()),
            Body::Form(params) => builder
                .header(
                    reqwest::header::CONTENT_TYPE,
                    "application/x-www-form-urlencoded",
                )
                .body(params.to_urlencoded()),
        };
        let response = builder
            .send()
            .await
            .map_err(|e| RestError::Transport(e.without_url()))?;
        let status = response.status().as_u16();
        let body = response
            .bytes()
            .await
            .map_err(|e| RestError::Transport(e.without_url()))?
            .to_vec();
        match status {
            200..=299 => {}
            413 => {
                return Err(RestError::PayloadTooLarge {
                    excerpt: excerpt(&body),
                });
            }
            414 => {
                return Err(RestError::UriTooLong {
                    excerpt: excerpt(&body),
                });
            }
            _ => {
                return Err(RestError::HttpStatus {
                    status,
                    excerpt: excerpt(&body),
                });
            }
        }
        let head = serde_json::from_slice(&body).unwrap_or_default();
        Ok(RawResponse { status, body, head })
    }
}

/// `success: false` as [`RestError::Api`], read from the envelope head so
/// that a failure is reported even when its body would not decode as `T`.
fn api_failure(raw: &RawResponse) -> Result<(), RestError> {
    if raw.head.success == Some(false) {
        return Err(RestError::Api {
            request_id: raw.head.request_id.clone().unwrap_or_default(),
            errors: raw.head.errors.clone(),
        });
    }
    Ok(())
}

fn decode<T: DeserializeOwned>(raw: &RawResponse) -> Result<T, RestError> {
    serde_json::from_slice(&raw.body).map_err(|e| RestError::Decode {
        status: raw.status,
        problem: e.to_string(),
        excerpt: excerpt(&raw.body),
    })
}
