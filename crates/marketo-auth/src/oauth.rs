//! The REST OAuth 2.0 client-credentials token, cached and refreshed.
//!
//! [`TokenProvider::token`] returns the cached token while it is fresh and
//! fetches a new one from `GET {base}/identity/oauth/token` otherwise. The
//! cache sits behind an async mutex held across the fetch, so any number of
//! tasks asking at once cause exactly one HTTP request (single flight).
//!
//! **When a token is refreshed.** A token is used until `expires_in` minus a
//! safety margin (default 60 s). Marketo answers a refresh made while a token
//! is still valid with the *same* token and its remaining lifetime, and has
//! been seen answering `expires_in: 0`; a token whose lifetime is shorter
//! than twice the margin is therefore reused for half its lifetime, and every
//! token is reused for at least a minimum interval (default 1 s). So a short
//! or zero lifetime costs at most one token request per interval, never a
//! storm.
//!
//! **After a 601/602.** A caller whose request was refused with 601 (invalid)
//! or 602 (expired) calls [`TokenProvider::invalidate`] with the token it
//! used: the cache is emptied only if it still holds that very token, so a
//! newer token fetched by another task meanwhile is kept.

use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use reqwest::header::{self, HeaderValue};
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use tokio::sync::Mutex;
use tokio::time::Instant;

use crate::config::{ConfigError, RestCredentials};
use crate::error::AuthError;
use crate::{REDACTED, redact};

/// Default safety margin before expiry at which a token is refreshed.
pub const DEFAULT_REFRESH_MARGIN: Duration = Duration::from_secs(60);
/// Default minimum time a fetched token is reused, whatever its lifetime.
pub const DEFAULT_MIN_REUSE: Duration = Duration::from_secs(1);
/// Default timeout of one token request.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// A Marketo REST access token.
///
/// Cheap to clone. `Debug` and `Display` never show the token itself.
#[derive(Clone)]
pub struct AccessToken {
    secret: SecretString,
    token_type: String,
    scope: Option<String>,
    expires_at: Instant,
    generation: u64,
}

impl AccessToken {
    /// The token. Prefer [`AccessToken::bearer_header`] for requests.
    pub fn secret(&self) -> &SecretString {
        &self.secret
    }

    /// The value of the `Authorization` header, `Bearer <token>`, marked
    /// sensitive so that HTTP libraries do not log it.
    pub fn bearer_header(&self) -> HeaderValue {
        let mut value = HeaderValue::from_str(&format!("Bearer {}", self.secret.expose_secret()))
            // Tokens are checked to be visible ASCII when fetched.
            .unwrap_or_else(|_| HeaderValue::from_static("Bearer"));
        value.set_sensitive(true);
        value
    }

    /// The header name to send [`AccessToken::bearer_header`] under.
    pub fn header_name() -> header::HeaderName {
        header::AUTHORIZATION
    }

    /// The token type reported by Marketo (`bearer`).
    pub fn token_type(&self) -> &str {
        &self.token_type
    }

    /// The scope reported by Marketo: the API user owning the service.
    pub fn scope(&self) -> Option<&str> {
        self.scope.as_deref()
    }

    /// When Marketo said the token expires.
    pub fn expires_at(&self) -> Instant {
        self.expires_at
    }

    /// The remaining lifetime (zero once expired).
    pub fn expires_in(&self) -> Duration {
        self.expires_at.saturating_duration_since(Instant::now())
    }
}

impl fmt::Debug for AccessToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AccessToken")
            .field("token", &REDACTED)
            .field("token_type", &self.token_type)
            .field("scope", &self.scope)
            .field("expires_in", &self.expires_in())
            .finish()
    }
}

impl fmt::Display for AccessToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} token {REDACTED} (expires in {} s)",
            self.token_type,
            self.expires_in().as_secs()
        )
    }
}

/// A cached token and when to stop handing it out.
struct Cached {
    token: AccessToken,
    refresh_at: Instant,
}

/// Configures a [`TokenProvider`].
#[must_use]
pub struct TokenProviderBuilder {
    credentials: RestCredentials,
    http: Option<reqwest::Client>,
    timeout: Duration,
    refresh_margin: Duration,
    min_reuse: Duration,
}

impl TokenProviderBuilder {
    /// Uses the caller's HTTP client (proxies, TLS roots, connection pool).
    pub fn http_client(mut self, http: reqwest::Client) -> Self {
        self.http = Some(http);
        self
    }

    /// Timeout of each token request (default 30 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// How long before expiry a token is refreshed (default 60 s).
    pub fn refresh_margin(mut self, margin: Duration) -> Self {
        self.refresh_margin = margin;
        self
    }

    /// The least time a fetched token is reused, however short its
    /// lifetime (default 1 s). Bounds the token request rate.
    pub fn min_reuse(mut self, min_reuse: Duration) -> Self {
        self.min_reuse = min_reuse;
        self
    }

    /// Builds the provider.
    pub fn build(self) -> Result<TokenProvider, ConfigError> {
        let http = match self.http {
            Some(http) => http,
            None => reqwest::Client::builder()
                .build()
                .map_err(|e| ConfigError::HttpClient(e.without_url().to_string()))?,
        };
        Ok(TokenProvider {
            inner: Arc::new(Inner {
                token_url: self.credentials.token_url(),
                credentials: self.credentials,
                http,
                timeout: self.timeout,
                refresh_margin: self.refresh_margin,
                min_reuse: self.min_reuse,
                cache: Mutex::new(None),
                generation: AtomicU64::new(0),
                requests: AtomicU64::new(0),
            }),
        })
    }
}

/// Fetches, caches and refreshes REST access tokens. Cheap to clone: clones
/// share one cache.
#[derive(Clone)]
pub struct TokenProvider {
    inner: Arc<Inner>,
}

struct Inner {
    credentials: RestCredentials,
    token_url: url::Url,
    http: reqwest::Client,
    timeout: Duration,
    refresh_margin: Duration,
    min_reuse: Duration,
    cache: Mutex<Option<Cached>>,
    generation: AtomicU64,
    requests: AtomicU64,
}

/// The identity endpoint's JSON, every field optional so that a missing one
/// is reported by name rather than as a parse error.
#[derive(Deserialize)]
struct TokenResponse {
    access_token: Option<String>,
    token_type: Option<String>,
    expires_in: Option<i64>,
    scope: Option<String>,
    error: Option<String>,
}

impl TokenProvider {
    /// A provider with default settings and its own HTTP client.
    pub fn new(credentials: RestCredentials) -> Result<Self, ConfigError> {
        Self::builder(credentials).build()
    }

    /// A builder for non-default settings.
    pub fn builder(credentials: RestCredentials) -> TokenProviderBuilder {
        TokenProviderBuilder {
            credentials,
            http: None,
            timeout: DEFAULT_TIMEOUT,
            refresh_margin: DEFAULT_REFRESH_MARGIN,
            min_reuse: DEFAULT_MIN_REUSE,
        }
    }

    /// A provider reading [`RestCredentials::from_env`].
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::new(RestCredentials::from_env()?)
    }

    /// The credentials this provider uses.
    pub fn credentials(&self) -> &RestCredentials {
        &self.inner.credentials
    }

    /// A fresh token: the cached one, or a new one fetched now.
    ///
    /// Concurrent callers share a single fetch.
    pub async fn token(&self) -> Result<AccessToken, AuthError> {
        let mut cache = self.inner.cache.lock().await;
        if let Some(cached) = cache.as_ref()
            && Instant::now() < cached.refresh_at
        {
            return Ok(cached.token.clone());
        }
        let fresh = self.inner.fetch().await?;
        let token = fresh.token.clone();
        *cache = Some(fresh);
        Ok(token)
    }

    /// `Bearer <token>` for the `Authorization` header, from [`TokenProvider::token`].
    pub async fn authorization_header(&self) -> Result<HeaderValue, AuthError> {
        Ok(self.token().await?.bearer_header())
    }

    /// Forgets `token` after Marketo refused it (601 invalid, 602 expired),
    /// so that the next [`TokenProvider::token`] fetches a new one. Does
    /// nothing if the cache already holds a newer token.
    pub async fn invalidate(&self, token: &AccessToken) {
        let mut cache = self.inner.cache.lock().await;
        if cache
            .as_ref()
            .is_some_and(|cached| cached.token.generation == token.generation)
        {
            tracing::debug!("invalidating the cached Marketo access token");
            *cache = None;
        }
    }

    /// How many token requests this provider (and its clones) has sent.
    pub fn requests_sent(&self) -> u64 {
        self.inner.requests.load(Ordering::Relaxed)
    }
}

impl fmt::Debug for TokenProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenProvider")
            .field("credentials", &self.inner.credentials)
            .field("timeout", &self.inner.timeout)
            .field("refresh_margin", &self.inner.refresh_margin)
            .field("min_reuse", &self.inner.min_reuse)
            .finish_non_exhaustive()
    }
}

impl Inner {
    async fn fetch(&self) -> Result<Cached, AuthError> {
        self.requests.fetch_add(1, Ordering::Relaxed);
        let secret = self.credentials.client_secret().expose_secret();
        tracing::debug!(
            client_id = self.credentials.client_id(),
            "requesting a Marketo access token"
        );
        let response = self
            .http
            .get(self.token_url.clone())
            .query(&[
                ("grant_type", "client_credentials"),
                ("client_id", self.credentials.client_id()),
                ("client_secret", secret),
            ])
            .timeout(self.timeout)
            .send()
            .await
            .map_err(|e| self.transport_error(e))?;
        let status = response.status().as_u16();
        let body = response
            .bytes()
            .await
            .map_err(|e| self.transport_error(e))?;
        let excerpt = || redact::excerpt(&body, &[secret]);

        if status == 401 {
            return Err(AuthError::InvalidCredentials {
                status,
                excerpt: excerpt(),
            });
        }
        let parsed: Result<TokenResponse, _> = serde_json::from_slice(&body);
        if !(200..300).contains(&status) {
            // OAuth servers answer bad credentials with 400 `invalid_client`.
            let oauth_error = parsed.ok().and_then(|r| r.error);
            if matches!(
                oauth_error.as_deref(),
                Some("invalid_client" | "unauthorized")
            ) {
                return Err(AuthError::InvalidCredentials {
                    status,
                    excerpt: excerpt(),
                });
            }
            return Err(AuthError::UnexpectedStatus {
                status,
                excerpt: excerpt(),
            });
        }
        let malformed = |problem: String| AuthError::MalformedResponse {
            status,
            problem,
            excerpt: excerpt(),
        };
        let parsed = parsed.map_err(|e| malformed(format!("not a JSON token response: {e}")))?;
        if let Some(error) = parsed.error {
            return Err(AuthError::InvalidCredentials {
                status,
                excerpt: redact::excerpt(error.as_bytes(), &[secret]),
            });
        }
        let access_token = parsed
            .access_token
            .filter(|t| !t.is_empty())
            .ok_or_else(|| malformed("missing access_token".to_owned()))?;
        if !access_token.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(malformed("access_token is not printable ASCII".to_owned()));
        }
        let expires_in = parsed
            .expires_in
            .ok_or_else(|| malformed("missing expires_in".to_owned()))?;
        let expires_in = u64::try_from(expires_in)
            .map(Duration::from_secs)
            .map_err(|_| malformed(format!("negative expires_in {expires_in}")))?;
        let token_type = parsed
            .token_type
            .ok_or_else(|| malformed("missing token_type".to_owned()))?;
        if !token_type.eq_ignore_ascii_case("bearer") {
            return Err(malformed(format!(
                "token_type {token_type:?} is not bearer"
            )));
        }

        let now = Instant::now();
        let reuse_for = self.reuse_period(expires_in);
        tracing::debug!(
            expires_in_s = expires_in.as_secs(),
            reuse_for_ms = reuse_for.as_millis() as u64,
            "received a Marketo access token"
        );
        Ok(Cached {
            token: AccessToken {
                secret: SecretString::from(access_token),
                token_type,
                scope: parsed.scope,
                expires_at: now + expires_in,
                generation: self.generation.fetch_add(1, Ordering::Relaxed) + 1,
            },
            refresh_at: now + reuse_for,
        })
    }

    /// How long a token with `expires_in` left is handed out before a refresh.
    fn reuse_period(&self, expires_in: Duration) -> Duration {
        let before_margin = if expires_in > self.refresh_margin * 2 {
            expires_in - self.refresh_margin
        } else {
            expires_in / 2
        };
        before_margin.max(self.min_reuse)
    }

    fn transport_error(&self, error: reqwest::Error) -> AuthError {
        if error.is_timeout() {
            AuthError::Timeout(self.timeout)
        } else {
            // The URL carries the client secret in its query: drop it.
            AuthError::Transport(error.without_url())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn provider(margin: u64, min_reuse_ms: u64) -> TokenProvider {
        let creds = RestCredentials::new("http://127.0.0.1:9", "id", "secret").unwrap();
        TokenProvider::builder(creds)
            .refresh_margin(Duration::from_secs(margin))
            .min_reuse(Duration::from_millis(min_reuse_ms))
            .build()
            .unwrap()
    }

    #[test]
    fn reuse_period_keeps_margin_for_long_lived_tokens() {
        let p = provider(60, 1000);
        assert_eq!(
            p.inner.reuse_period(Duration::from_secs(3599)),
            Duration::from_secs(3539)
        );
    }

    #[test]
    fn reuse_period_halves_short_lifetimes_and_never_drops_below_minimum() {
        let p = provider(60, 1000);
        assert_eq!(
            p.inner.reuse_period(Duration::from_secs(100)),
            Duration::from_secs(50)
        );
        assert_eq!(
            p.inner.reuse_period(Duration::from_secs(1)),
            Duration::from_secs(1)
        );
        assert_eq!(p.inner.reuse_period(Duration::ZERO), Duration::from_secs(1));
    }
}
