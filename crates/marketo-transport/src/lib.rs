//! The call pipeline shared by the Marketo REST and SOAP clients.
//!
//! `marketo-rest` and `marketo-soap` keep only what differs between the two
//! APIs — encoding a request and decoding its answer, their error types —
//! and send every call through a [`Transport`]: the HTTP client with its
//! default timeouts, the [`Throttle`], the retry loop, the credential
//! refresh, the tracing span and the request counter. The rules live here
//! and in [`marketo_resilience::outcome`] once; the clients' docs refer to
//! them.
//!
//! # One call
//!
//! [`Transport::send`] (SOAP, and REST calls without a token) and
//! [`Transport::send_with_token`] (REST) run the call's attempts with the
//! [`RetryPolicy`]. Each attempt:
//!
//! 1. takes a bearer token from the [`TokenProvider`] (REST; cached, one
//!    token request at a time);
//! 2. waits for a [`Throttle`] permit, held during the HTTP exchange, so
//!    retries are throttled like first attempts;
//! 3. builds the request with [`Exchange::request`] (SOAP signs it there,
//!    so every attempt carries a fresh signature), adds the token and the
//!    per-request timeout, sends it and reads the body;
//! 4. releases the permit — the exchange with Marketo is over, so the next
//!    call may start while this one's answer is decoded;
//! 5. hands status and body to [`Exchange::read`], which decodes them or
//!    returns the runtime's error.
//!
//! The error's [`Outcome`] decides what happens next
//! ([`marketo_resilience::outcome`] has the table):
//! [`Action::RefreshToken`] drops the token (only if it is still the cached
//! one, so N concurrent refusals cause one token request) and sends again
//! at once — once per attempt; [`Action::Retry`] sends again after the
//! policy's backoff; anything else is returned.
//!
//! # Defaults
//!
//! Every constructor of both clients, `from_env` included, builds its HTTP
//! client with [`DEFAULT_CONNECT_TIMEOUT`] (10 s) and [`DEFAULT_TIMEOUT`]
//! (60 s per HTTP exchange, each attempt its own), a new
//! [`Throttle::default()`] and [`RetryPolicy::default()`]. A caller's own
//! `reqwest::Client` keeps its timeouts; a timeout set on the builder is
//! applied to each request as well.
//!
//! # Tracing
//!
//! Each call runs in one span, `marketo_rest.call` or `marketo_soap.call`,
//! with the same fields: `operation`, `method`, `attempt`,
//! `throttle_wait_ms` (summed over the attempts), `status` and, when the
//! REST envelope has one, `request_id`. Tokens, signatures and secrets
//! never reach a span, a log line or an error.

use std::fmt;
use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use marketo_auth::{AccessToken, AuthError, ConfigError, TokenProvider};
use marketo_resilience::outcome::TransportFailure;
use marketo_resilience::{Action, Outcome, RetryPolicy, Throttle, ThrottleError};
use tracing::Instrument as _;

pub use marketo_auth;
pub use marketo_resilience;
pub use reqwest;

/// The per-request timeout of the HTTP clients the constructors build: one
/// HTTP exchange, from sending to the end of the body (each attempt its own).
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);

/// The connect timeout of the HTTP clients the constructors build.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// An HTTP client with these timeouts (the one both clients build).
pub fn http_client(
    connect_timeout: Duration,
    timeout: Duration,
) -> Result<reqwest::Client, ConfigError> {
    reqwest::Client::builder()
        .connect_timeout(connect_timeout)
        .timeout(timeout)
        .build()
        .map_err(|e| ConfigError::HttpClient(e.without_url().to_string()))
}

/// Which API a call belongs to: names its span.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Api {
    /// `marketo_rest.call`.
    Rest,
    /// `marketo_soap.call`.
    Soap,
}

/// What the transport knows about a call besides its bytes.
#[derive(Debug, Clone, Copy)]
pub struct Call {
    /// The API (span name).
    pub api: Api,
    /// The operation's name in the spec (`getProgramById`, `getLead`).
    pub operation: &'static str,
    /// The HTTP method, as logged.
    pub method: &'static str,
    /// Whether sending it twice has the same effect as once (from the
    /// spec); decides retries after transport failures.
    pub idempotent: bool,
}

/// A request that got no HTTP answer (or whose body could not be read),
/// with how it failed and whether the call was idempotent.
#[derive(Debug)]
pub struct TransportError {
    error: reqwest::Error,
    failure: TransportFailure,
    idempotent: bool,
}

impl TransportError {
    /// Wraps `error` (its URL removed) of a call that is `idempotent` or not.
    pub fn new(error: reqwest::Error, idempotent: bool) -> Self {
        let failure = TransportFailure::from_flags(error.is_connect(), error.is_timeout());
        Self {
            error: error.without_url(),
            failure,
            idempotent,
        }
    }

    /// How the request failed.
    pub fn failure(&self) -> TransportFailure {
        self.failure
    }

    /// Whether the call was idempotent.
    pub fn is_idempotent(&self) -> bool {
        self.idempotent
    }

    /// The connection could not be established.
    pub fn is_connect(&self) -> bool {
        self.failure == TransportFailure::Connect
    }

    /// The exchange timed out.
    pub fn is_timeout(&self) -> bool {
        self.error.is_timeout()
    }

    /// The outcome it stands for.
    pub fn outcome(&self) -> Outcome {
        Outcome::Transport {
            failure: self.failure,
            idempotent: self.idempotent,
        }
    }

    /// The HTTP library's error.
    pub fn get_ref(&self) -> &reqwest::Error {
        &self.error
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.error, f)
    }
}

impl std::error::Error for TransportError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        std::error::Error::source(&self.error)
    }
}

/// What the transport needs of a runtime's error type.
pub trait CallError: std::error::Error + From<TransportError> + From<ThrottleError> + Send {
    /// What the failure was (classified by [`marketo_resilience::outcome`]).
    fn outcome(&self) -> Outcome;

    /// What the client does after it.
    fn action(&self) -> Action {
        self.outcome().action()
    }
}

/// One runtime's encoding and decoding of a call.
pub trait Exchange: Sync {
    /// The decoded answer.
    type Output: Send;
    /// The runtime's error.
    type Error: CallError;

    /// The request of one attempt, without credentials or timeout (the
    /// transport adds the bearer token and the per-request timeout). Called
    /// once per HTTP exchange: a signature made here is fresh.
    fn request(&self, http: &reqwest::Client) -> Result<reqwest::RequestBuilder, Self::Error>;

    /// Decodes the answer (any status) or returns the error it stands for.
    /// Called after the throttle permit is released.
    fn read(&self, status: u16, body: Vec<u8>) -> Result<Self::Output, Self::Error>;

    /// Takes the answer of one HTTP exchange, while the throttle permit is
    /// held. The default reads the whole body, to be decoded by
    /// [`read`](Self::read) once the permit is released; an exchange whose
    /// answer is a stream (a file download) overrides it to hand the body
    /// over unread as [`Received::Output`].
    fn receive(
        &self,
        call: Call,
        response: reqwest::Response,
    ) -> impl Future<Output = Result<Received<Self::Output>, Self::Error>> + Send {
        async move {
            let status = response.status().as_u16();
            let body = response
                .bytes()
                .await
                .map_err(|e| TransportError::new(e, call.idempotent))?;
            tracing::debug!(status, bytes = body.len(), "response");
            Ok(Received::Body {
                status,
                body: body.to_vec(),
            })
        }
    }
}

/// What [`Exchange::receive`] took of an answer.
#[derive(Debug)]
pub enum Received<O> {
    /// The whole body, for [`Exchange::read`] to decode.
    Body {
        /// The HTTP status.
        status: u16,
        /// The body.
        body: Vec<u8>,
    },
    /// The output itself (for example a download left unread).
    Output(O),
}

/// Builds a [`Transport`]; see [`Transport::builder`].
#[derive(Debug, Default)]
pub struct TransportBuilder {
    http: Option<reqwest::Client>,
    throttle: Option<Throttle>,
    retry: Option<RetryPolicy>,
    connect_timeout: Option<Duration>,
    timeout: Option<Duration>,
}

impl TransportBuilder {
    /// Sends through this `reqwest::Client`. Its own timeouts apply;
    /// [`timeout`](Self::timeout), when set, is also applied to each
    /// request, [`connect_timeout`](Self::connect_timeout) is not (it can
    /// only be set on a client built here).
    pub fn http_client(mut self, http: reqwest::Client) -> Self {
        self.http = Some(http);
        self
    }

    /// Draws every call from `throttle` (default: a new
    /// [`Throttle::default()`]). Give a clone of one throttle to every
    /// client of a Marketo instance, REST and SOAP, so they share its budget.
    pub fn throttle(mut self, throttle: Throttle) -> Self {
        self.throttle = Some(throttle);
        self
    }

    /// The retry policy (default [`RetryPolicy::default()`];
    /// [`RetryPolicy::never()`] switches retries off — a refused token or
    /// an expired SOAP signature is still renewed once).
    pub fn retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = Some(retry);
        self
    }

    /// How long establishing a connection may take (default
    /// [`DEFAULT_CONNECT_TIMEOUT`]).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// How long one HTTP exchange may take (default [`DEFAULT_TIMEOUT`]).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// The transport; fails only if the HTTP client cannot be built.
    pub fn build(self) -> Result<Transport, ConfigError> {
        let http = match self.http {
            Some(http) => http,
            None => http_client(
                self.connect_timeout.unwrap_or(DEFAULT_CONNECT_TIMEOUT),
                self.timeout.unwrap_or(DEFAULT_TIMEOUT),
            )?,
        };
        Ok(Transport::assemble(
            http,
            self.throttle.unwrap_or_default(),
            self.retry.unwrap_or_default(),
            self.timeout,
        ))
    }
}

/// The call pipeline of one client: HTTP client, throttle, retry policy,
/// per-request timeout and request counter. Cheap to clone; clones share
/// the throttle and the counter.
#[derive(Clone)]
pub struct Transport {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    throttle: Throttle,
    retry: RetryPolicy,
    timeout: Option<Duration>,
    requests: AtomicU64,
}

impl fmt::Debug for Transport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Transport")
            .field("throttle", &self.inner.throttle)
            .field("retry", &self.inner.retry)
            .field("timeout", &self.inner.timeout)
            .field("requests_sent", &self.requests_sent())
            .finish_non_exhaustive()
    }
}

impl Transport {
    /// A builder (defaults: see the [crate docs](crate#defaults)).
    pub fn builder() -> TransportBuilder {
        TransportBuilder::default()
    }

    /// A transport over the caller's HTTP client (its timeouts apply), with
    /// a new default throttle and the default retry policy.
    pub fn with_http_client(http: reqwest::Client) -> Self {
        Self::assemble(http, Throttle::default(), RetryPolicy::default(), None)
    }

    fn assemble(
        http: reqwest::Client,
        throttle: Throttle,
        retry: RetryPolicy,
        timeout: Option<Duration>,
    ) -> Self {
        Self {
            inner: Arc::new(Inner {
                http,
                throttle,
                retry,
                timeout,
                requests: AtomicU64::new(0),
            }),
        }
    }

    /// The HTTP client (REST's token provider shares it).
    pub fn http(&self) -> &reqwest::Client {
        &self.inner.http
    }

    /// The throttle every call draws from.
    pub fn throttle(&self) -> &Throttle {
        &self.inner.throttle
    }

    /// The retry policy.
    pub fn retry_policy(&self) -> &RetryPolicy {
        &self.inner.retry
    }

    /// HTTP requests sent so far by this transport and its clones (token
    /// requests excluded).
    pub fn requests_sent(&self) -> u64 {
        self.inner.requests.load(Ordering::Relaxed)
    }

    /// Runs `call` without a bearer token (see the [crate docs](crate)).
    pub async fn send<X: Exchange>(&self, call: Call, exchange: &X) -> Result<X::Output, X::Error> {
        self.run(call, &NoToken, exchange).await
    }

    /// Runs `call` with a bearer token from `tokens` (see the
    /// [crate docs](crate)).
    pub async fn send_with_token<X>(
        &self,
        call: Call,
        tokens: &TokenProvider,
        exchange: &X,
    ) -> Result<X::Output, X::Error>
    where
        X: Exchange,
        X::Error: From<AuthError>,
    {
        self.run(call, &Bearer(tokens), exchange).await
    }

    async fn run<X: Exchange, A: Credentials<X::Error>>(
        &self,
        call: Call,
        auth: &A,
        exchange: &X,
    ) -> Result<X::Output, X::Error> {
        let span = match call.api {
            Api::Rest => tracing::info_span!(
                "marketo_rest.call",
                operation = call.operation,
                method = call.method,
                attempt = tracing::field::Empty,
                throttle_wait_ms = tracing::field::Empty,
                request_id = tracing::field::Empty,
                status = tracing::field::Empty,
            ),
            Api::Soap => tracing::info_span!(
                "marketo_soap.call",
                operation = call.operation,
                method = call.method,
                attempt = tracing::field::Empty,
                throttle_wait_ms = tracing::field::Empty,
                request_id = tracing::field::Empty,
                status = tracing::field::Empty,
            ),
        };
        let waited = Mutex::new(Duration::ZERO);
        let attempts = self.inner.retry.run(
            |attempt| {
                tracing::Span::current().record("attempt", attempt);
                self.attempt(call, auth, exchange, &waited)
            },
            |error: &X::Error| error.action() == Action::Retry,
        );
        attempts.instrument(span).await
    }

    /// One attempt: at most two HTTP exchanges (the second after a refused
    /// credential), each holding a throttle permit.
    async fn attempt<X: Exchange, A: Credentials<X::Error>>(
        &self,
        call: Call,
        auth: &A,
        exchange: &X,
        waited: &Mutex<Duration>,
    ) -> Result<X::Output, X::Error> {
        let mut renewed = false;
        loop {
            let token = auth.token().await?;
            let permit = self.inner.throttle.acquire().await?;
            let total = {
                let mut total = waited.lock().unwrap_or_else(|p| p.into_inner());
                *total += permit.waited();
                *total
            };
            tracing::Span::current().record(
                "throttle_wait_ms",
                u64::try_from(total.as_millis()).unwrap_or(u64::MAX),
            );
            let received = self.exchange(call, exchange, token.as_ref()).await;
            // The exchange with Marketo is over: decoding needs no permit.
            drop(permit);
            let result = received.and_then(|received| match received {
                Received::Body { status, body } => exchange.read(status, body),
                Received::Output(output) => Ok(output),
            });
            let error = match result {
                Ok(output) => {
                    tracing::debug!("call succeeded");
                    return Ok(output);
                }
                Err(error) => error,
            };
            let action = error.action();
            tracing::debug!(error = %error, action = action.as_str(), "call failed");
            if action == Action::RefreshToken && !renewed {
                tracing::debug!("credential refused; refreshing it and retrying once");
                auth.refused(token.as_ref()).await;
                renewed = true;
                continue;
            }
            return Err(error);
        }
    }

    /// One HTTP exchange.
    async fn exchange<X: Exchange>(
        &self,
        call: Call,
        exchange: &X,
        token: Option<&AccessToken>,
    ) -> Result<Received<X::Output>, X::Error> {
        let mut request = exchange.request(&self.inner.http)?;
        if let Some(timeout) = self.inner.timeout {
            request = request.timeout(timeout);
        }
        if let Some(token) = token {
            request = request.header(AccessToken::header_name(), token.bearer_header());
        }
        self.inner.requests.fetch_add(1, Ordering::Relaxed);
        let response = request
            .send()
            .await
            .map_err(|e| TransportError::new(e, call.idempotent))?;
        let status = response.status().as_u16();
        tracing::Span::current().record("status", status);
        exchange.receive(call, response).await
    }
}

/// Where the credential of each HTTP exchange comes from.
trait Credentials<E>: Sync {
    /// The token to send, if any.
    fn token(&self) -> impl Future<Output = Result<Option<AccessToken>, E>> + Send;
    /// The credential sent was refused: renew it.
    fn refused(&self, token: Option<&AccessToken>) -> impl Future<Output = ()> + Send;
}

/// No token: SOAP signs in [`Exchange::request`], so sending again renews
/// the signature.
struct NoToken;

impl<E> Credentials<E> for NoToken {
    async fn token(&self) -> Result<Option<AccessToken>, E> {
        Ok(None)
    }

    async fn refused(&self, _token: Option<&AccessToken>) {}
}

/// A bearer token from a provider.
struct Bearer<'a>(&'a TokenProvider);

impl<E: From<AuthError>> Credentials<E> for Bearer<'_> {
    async fn token(&self) -> Result<Option<AccessToken>, E> {
        Ok(Some(self.0.token().await?))
    }

    async fn refused(&self, token: Option<&AccessToken>) {
        if let Some(token) = token {
            self.0.invalidate(token).await;
        }
    }
}
