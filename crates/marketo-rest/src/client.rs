//! The REST side of a call: encoding a [`Request`], decoding its answer.
//!
//! [`ClientCore::send`] is the single path of every call. It hands the
//! request to the shared [`Transport`], which
//! owns the HTTP client and its default timeouts
//! ([`DEFAULT_CONNECT_TIMEOUT`], [`DEFAULT_TIMEOUT`]), the throttle, the
//! retry loop, the bearer token (refreshed once after 601/602), the
//! `marketo_rest.call` tracing span and the request counter — see
//! [`marketo_transport`] for the pipeline and
//! [`marketo_resilience::outcome`] for what is retried. Whether a request
//! may be repeated after a transport failure is its
//! [`idempotent`](Request::idempotent) flag, set by the generated code from
//! the spec (default: the HTTP method).
//!
//! What is REST's own: a GET whose path and query exceed [`MAX_URI_BYTES`]
//! (Marketo answers 414 beyond 8 KB) is sent the way Marketo documents
//! instead, `POST …?_method=GET` with the parameters as a form body (still a
//! read); statuses 413 and 414 become [`RestError::PayloadTooLarge`] and
//! [`RestError::UriTooLong`], other non-2xx statuses
//! [`RestError::HttpStatus`]; an envelope with `success: false` is
//! [`RestError::Api`], its `requestId` recorded on the span.

use std::fmt;
use std::time::Duration;

use marketo_auth::{ConfigError, RestCredentials, TokenProvider};
use marketo_resilience::outcome::RestCode;
use marketo_resilience::{RetryPolicy, Throttle};
use marketo_transport::{Api, Call, Exchange, Received, Transport, TransportBuilder};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use url::Url;

use crate::envelope::{Envelope, Response};
use crate::error::{ApiErrorItem, RestError, excerpt};
use crate::file::FileResponse;
use crate::paging::Page;
use crate::request::{Body, Method, Request};

pub use marketo_transport::{DEFAULT_CONNECT_TIMEOUT, DEFAULT_TIMEOUT};

/// The longest path and query Marketo accepts (HTTP 414 beyond): longer
/// GETs are sent as `POST …?_method=GET` with the parameters in a form body.
pub const MAX_URI_BYTES: usize = 8 * 1024;

/// The runtime part of a REST client: the shared [`Transport`] (HTTP
/// client, throttle, retry policy) and the token provider. Cheap to clone
/// (clones share the token cache, the throttle and the request counter).
///
/// Generated code wraps it in a `Client` whose methods are the spec's
/// operations; use that (`marketo_rest::Client`, or
/// `Client::from_core(ClientCore::builder(credentials)….build()?)`) rather
/// than this directly.
#[derive(Clone)]
pub struct ClientCore {
    transport: Transport,
    tokens: TokenProvider,
}

impl fmt::Debug for ClientCore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientCore")
            .field("base_url", &self.base_url().as_str())
            .field("tokens", &self.tokens)
            .field("transport", &self.transport)
            .finish()
    }
}

/// Builds a [`ClientCore`] with resilience settings; see
/// [`ClientCore::builder`].
#[derive(Debug)]
pub struct ClientCoreBuilder {
    credentials: RestCredentials,
    transport: TransportBuilder,
    tokens: Option<TokenProvider>,
}

impl ClientCoreBuilder {
    /// Sends through this `reqwest::Client` (also used for token requests).
    /// Its own timeouts apply; [`timeout`](Self::timeout), when set, is also
    /// applied to each request, [`connect_timeout`](Self::connect_timeout)
    /// is not (it can only be set when the client is built here).
    pub fn http_client(mut self, http: reqwest::Client) -> Self {
        self.transport = self.transport.http_client(http);
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
        self.transport = self.transport.throttle(throttle);
        self
    }

    /// The retry policy (default: [`RetryPolicy::default()`]; use
    /// [`RetryPolicy::never()`] to switch retries off — 601/602 still cause
    /// one token refresh).
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

    /// How long one HTTP exchange may take, from sending to the end of the
    /// body (default [`DEFAULT_TIMEOUT`]). Each attempt has its own.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.transport = self.transport.timeout(timeout);
        self
    }

    /// The client.
    pub fn build(self) -> Result<ClientCore, ConfigError> {
        let transport = self.transport.build()?;
        let tokens = match self.tokens {
            Some(tokens) => tokens,
            None => TokenProvider::builder(self.credentials)
                .http_client(transport.http().clone())
                .build()?,
        };
        Ok(ClientCore { transport, tokens })
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
    /// `warnings`.
    #[serde(default)]
    pub warnings: Vec<String>,
    /// `moreResult`.
    #[serde(rename = "moreResult", default)]
    pub more_result: Option<bool>,
    /// `nextPageToken`.
    #[serde(rename = "nextPageToken", default)]
    pub next_page_token: Option<String>,
    /// The number of items in `result`, counted without decoding them: 0
    /// when `result` is absent or null, `None` when it is not a list (or
    /// when the body could not be read as an envelope at all).
    #[serde(
        rename = "result",
        default = "no_items",
        deserialize_with = "count_items"
    )]
    pub result_items: Option<usize>,
}

fn no_items() -> Option<usize> {
    Some(0)
}

/// Counts the items of `result` while skipping over them (the head is
/// read from every answer, so this costs no extra pass).
fn count_items<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<usize>, D::Error> {
    use serde::de::{IgnoredAny, MapAccess, SeqAccess, Visitor};
    struct Count;
    impl<'de> Visitor<'de> for Count {
        type Value = Option<usize>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("the result list")
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
            let mut n = 0;
            while seq.next_element::<IgnoredAny>()?.is_some() {
                n += 1;
            }
            Ok(Some(n))
        }
        fn visit_unit<E>(self) -> Result<Self::Value, E> {
            Ok(Some(0))
        }
        fn visit_none<E>(self) -> Result<Self::Value, E> {
            Ok(Some(0))
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
            Ok(None)
        }
        fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_str<E>(self, _: &str) -> Result<Self::Value, E> {
            Ok(None)
        }
    }
    d.deserialize_any(Count)
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
            transport: Transport::builder(),
            tokens: None,
        }
    }

    /// A client with its own HTTP client ([`DEFAULT_CONNECT_TIMEOUT`],
    /// [`DEFAULT_TIMEOUT`] per request), token provider and throttle, and
    /// the default retry policy.
    pub fn new(credentials: RestCredentials) -> Result<Self, ConfigError> {
        Self::builder(credentials).build()
    }

    /// A client sending through the caller's `reqwest::Client` (also used
    /// for token requests; its timeouts apply), with its own throttle and
    /// the default retry policy.
    pub fn with_http_client(
        http: reqwest::Client,
        credentials: RestCredentials,
    ) -> Result<Self, ConfigError> {
        Self::builder(credentials).http_client(http).build()
    }

    /// A client sharing an existing token provider (and its token cache),
    /// sending through `http` (its timeouts apply), with its own throttle
    /// and the default retry policy.
    pub fn with_token_provider(http: reqwest::Client, tokens: TokenProvider) -> Self {
        Self {
            transport: Transport::with_http_client(http),
            tokens,
        }
    }

    /// A client from `MARKETO_BASE_URL`, `MARKETO_CLIENT_ID` and
    /// `MARKETO_CLIENT_SECRET`, with the defaults of [`ClientCore::new`].
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::new(RestCredentials::from_env()?)
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

    /// HTTP requests sent so far by this client and its clones (token
    /// requests excluded).
    pub fn requests_sent(&self) -> u64 {
        self.transport.requests_sent()
    }

    /// The instance base URL.
    pub fn base_url(&self) -> &Url {
        self.tokens.credentials().base_url()
    }

    /// The token provider.
    pub fn token_provider(&self) -> &TokenProvider {
        &self.tokens
    }

    /// Sends `request` and decodes a Marketo envelope whose `result` items
    /// are `T`. `success: false` becomes [`RestError::Api`].
    pub async fn send_envelope<T: DeserializeOwned>(
        &self,
        operation: &'static str,
        request: Request,
    ) -> Result<Response<Vec<T>>, RestError> {
        let raw = self.send(operation, &request, true).await?;
        decode_page(raw)
    }

    /// Sends `request` (one page of a paged call) and hands the answer
    /// over as a [`Page`] of `T` whose items are decoded later
    /// ([`Page::decode`]); its item count, `moreResult`, `nextPageToken`
    /// and warnings are known at once. `success: false` becomes
    /// [`RestError::Api`] here, as for [`send_envelope`](Self::send_envelope).
    pub async fn send_page<T: DeserializeOwned>(
        &self,
        operation: &'static str,
        request: Request,
    ) -> Result<Page<T>, RestError> {
        let raw = self.send(operation, &request, true).await?;
        Page::from_raw(raw, decode_page::<T>)
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
                if errors.iter().any(|e| {
                    matches!(
                        e.rest_code(),
                        RestCode::NoDataFound | RestCode::ResourceNotFound
                    )
                }) =>
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

    /// Sends `request` and hands back a file answer (`text/csv`, …) unread,
    /// as a [`FileResponse`]. A JSON answer in its place (Marketo's
    /// envelope with `success: false`, e.g. a job whose file is not ready)
    /// is [`RestError::Api`]; a non-2xx status is an error as for any call.
    pub async fn send_file(
        &self,
        operation: &'static str,
        request: Request,
        auth: bool,
    ) -> Result<FileResponse, RestError> {
        let call = Call {
            api: Api::Rest,
            operation,
            method: request.method.as_str(),
            idempotent: request.idempotent,
        };
        let exchange = FileExchange(RestExchange {
            base_url: self.base_url(),
            request: &request,
        });
        match auth {
            true => {
                self.transport
                    .send_with_token(call, &self.tokens, &exchange)
                    .await
            }
            false => self.transport.send(call, &exchange).await,
        }
    }

    /// The single path of every call (see the [module docs](self)):
    /// through the [`Transport`] — throttling, the bearer token, one
    /// refresh-and-resend after 601/602, retries with backoff, tracing —
    /// with REST's encoding and decoding. `auth: false` sends no bearer
    /// token.
    ///
    /// An envelope with `success: false` is [`RestError::Api`]; any other
    /// 2xx answer is returned as it came for the caller to decode.
    pub async fn send(
        &self,
        operation: &'static str,
        request: &Request,
        auth: bool,
    ) -> Result<RawResponse, RestError> {
        let call = Call {
            api: Api::Rest,
            operation,
            method: request.method.as_str(),
            idempotent: request.idempotent,
        };
        let exchange = RestExchange {
            base_url: self.base_url(),
            request,
        };
        match auth {
            true => {
                self.transport
                    .send_with_token(call, &self.tokens, &exchange)
                    .await
            }
            false => self.transport.send(call, &exchange).await,
        }
    }
}

/// REST's encoding and decoding of one request.
struct RestExchange<'a> {
    base_url: &'a Url,
    request: &'a Request,
}

impl Exchange for RestExchange<'_> {
    type Output = RawResponse;
    type Error = RestError;

    fn request(&self, http: &reqwest::Client) -> Result<reqwest::RequestBuilder, RestError> {
        let request = self.request;
        let mut url = self.base_url.clone();
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
            let form = Body::Form(request.query.clone());
            return with_body(http.request(reqwest::Method::POST, url), &form);
        }
        let method = match request.method {
            Method::Get => reqwest::Method::GET,
            Method::Post => reqwest::Method::POST,
            Method::Put => reqwest::Method::PUT,
            Method::Patch => reqwest::Method::PATCH,
            Method::Delete => reqwest::Method::DELETE,
        };
        let mut builder = http.request(method, url);
        for (name, value) in request.headers.pairs() {
            builder = builder.header(name.as_str(), value.as_str());
        }
        with_body(builder, &request.body)
    }

    fn read(&self, status: u16, body: Vec<u8>) -> Result<RawResponse, RestError> {
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
        let head: Head = serde_json::from_slice(&body).unwrap_or_default();
        if let Some(id) = &head.request_id {
            tracing::Span::current().record("request_id", id.as_str());
        }
        if head.success == Some(false) {
            return Err(RestError::Api {
                request_id: head.request_id.unwrap_or_default(),
                errors: head.errors,
            });
        }
        Ok(RawResponse { status, body, head })
    }
}

/// A download: a 2xx answer that is not JSON is handed over unread.
struct FileExchange<'a>(RestExchange<'a>);

impl Exchange for FileExchange<'_> {
    type Output = FileResponse;
    type Error = RestError;

    fn request(&self, http: &reqwest::Client) -> Result<reqwest::RequestBuilder, RestError> {
        self.0.request(http)
    }

    fn read(&self, status: u16, body: Vec<u8>) -> Result<FileResponse, RestError> {
        // Only reached for answers that are errors or JSON: a JSON answer
        // that is not an error still names no file.
        self.0.read(status, body)?;
        Err(RestError::Decode {
            status,
            problem: "expected a file, got a JSON document".to_owned(),
            excerpt: String::new(),
        })
    }

    async fn receive(
        &self,
        call: Call,
        response: reqwest::Response,
    ) -> Result<Received<FileResponse>, RestError> {
        let status = response.status().as_u16();
        let json = response
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|ct| ct.trim_start().starts_with("application/json"));
        if (200..300).contains(&status) && !json {
            return Ok(Received::Output(FileResponse::new(response)));
        }
        let body = response
            .bytes()
            .await
            .map_err(|e| marketo_transport::TransportError::new(e, call.idempotent))?;
        Ok(Received::Body {
            status,
            body: body.to_vec(),
        })
    }
}

fn with_body(
    builder: reqwest::RequestBuilder,
    body: &Body,
) -> Result<reqwest::RequestBuilder, RestError> {
    Ok(match body {
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
        Body::Multipart(parts) => builder.multipart(parts.to_form()?),
    })
}

/// Decodes an envelope into its items (a page's, or any call's).
fn decode_page<T: DeserializeOwned>(raw: RawResponse) -> Result<Response<Vec<T>>, RestError> {
    decode::<Envelope<T>>(&raw)?.into_response()
}

fn decode<T: DeserializeOwned>(raw: &RawResponse) -> Result<T, RestError> {
    serde_json::from_slice(&raw.body).map_err(|e| RestError::Decode {
        status: raw.status,
        problem: e.to_string(),
        excerpt: excerpt(&raw.body),
    })
}
