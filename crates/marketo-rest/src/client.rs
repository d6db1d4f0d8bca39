//! The transport every generated method goes through.
//!
//! [`ClientCore::send`] is the single path of every call: it takes a bearer
//! token from the [`TokenProvider`], sends the request, and when Marketo
//! refuses the token (601 invalid, 602 expired) it invalidates exactly that
//! token and sends the call once more with a fresh one. Retries with
//! back-off and throttling belong here too, so that they apply to every
//! call alike. Each call runs in a `tracing` span named `marketo_rest.call`
//! with the operation name and, once known, Marketo's `requestId`; tokens
//! never reach a log or an error.

use std::fmt;
use std::sync::Arc;

use marketo_auth::{AccessToken, RestCredentials, TokenProvider};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use tracing::Instrument as _;
use url::Url;

use crate::envelope::{Envelope, Response};
use crate::error::{ApiErrorItem, RestError, excerpt};
use crate::request::{Body, Method, Request};

/// The per-request timeout of the HTTP client [`ClientCore::new`] builds.
pub const DEFAULT_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(60);

/// Error codes after which the token is refreshed and the call sent again.
const TOKEN_REFUSED: [&str; 2] = ["601", "602"];

/// The runtime part of a REST client: HTTP client, token provider and base
/// URL. Cheap to clone (clones share the token cache).
///
/// Generated code wraps it in a `Client` whose methods are the spec's
/// operations; use that (`marketo_rest::Client`) rather than this directly.
#[derive(Clone)]
pub struct ClientCore {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    tokens: TokenProvider,
}

impl fmt::Debug for ClientCore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientCore")
            .field("base_url", &self.base_url().as_str())
            .field("tokens", &self.inner.tokens)
            .finish_non_exhaustive()
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
}

impl ClientCore {
    /// A client with its own HTTP client (a [`DEFAULT_TIMEOUT`] per
    /// request) and token provider.
    pub fn new(credentials: RestCredentials) -> Result<Self, RestError> {
        let http = reqwest::Client::builder()
            .timeout(DEFAULT_TIMEOUT)
            .build()
            .map_err(|e| RestError::Transport(e.without_url()))?;
        Self::with_http_client(http, credentials)
    }

    /// A client sending through the caller's `reqwest::Client` (also used
    /// for token requests).
    pub fn with_http_client(
        http: reqwest::Client,
        credentials: RestCredentials,
    ) -> Result<Self, RestError> {
        let tokens = TokenProvider::builder(credentials)
            .http_client(http.clone())
            .build()?;
        Ok(Self::with_token_provider(http, tokens))
    }

    /// A client sharing an existing token provider (and its token cache).
    pub fn with_token_provider(http: reqwest::Client, tokens: TokenProvider) -> Self {
        Self {
            inner: Arc::new(Inner { http, tokens }),
        }
    }

    /// A client from `MARKETO_BASE_URL`, `MARKETO_CLIENT_ID` and
    /// `MARKETO_CLIENT_SECRET`.
    pub fn from_env() -> Result<Self, RestError> {
        Self::new(RestCredentials::from_env()?)
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

    /// The single path of every call: authorization, one refresh-and-retry
    /// after 601/602, tracing. `auth: false` sends no bearer token.
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
            request_id = tracing::field::Empty,
            status = tracing::field::Empty,
        );
        let call = async {
            let mut retried = false;
            loop {
                let token = match auth {
                    true => Some(self.inner.tokens.token().await?),
                    false => None,
                };
                let raw = self.send_once(request, token.as_ref()).await?;
                let span = tracing::Span::current();
                span.record("status", raw.status);
                if let Some(id) = &raw.head.request_id {
                    span.record("request_id", id.as_str());
                }
                if let Some(token) = &token
                    && !retried
                    && raw.head.refuses_token()
                {
                    tracing::debug!(
                        "Marketo refused the access token; refreshing it and retrying once"
                    );
                    self.inner.tokens.invalidate(token).await;
                    retried = true;
                    continue;
                }
                if raw.head.success == Some(false) {
                    tracing::debug!(codes = ?raw.head.errors.iter().map(|e| &e.code).collect::<Vec<_>>(), "call failed");
                } else {
                    tracing::debug!("call succeeded");
                }
                return Ok(raw);
            }
        };
        call.instrument(span).await
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
        let method = match request.method {
            Method::Get => reqwest::Method::GET,
            Method::Post => reqwest::Method::POST,
            Method::Put => reqwest::Method::PUT,
            Method::Patch => reqwest::Method::PATCH,
            Method::Delete => reqwest::Method::DELETE,
        };
        let mut builder = self.inner.http.request(method, url);
        if let Some(token) = token {
            builder = builder.header(AccessToken::header_name(), token.bearer_header());
        }
        builder = match &request.body {
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
