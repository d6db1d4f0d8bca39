//! The token provider against a real HTTP server on 127.0.0.1.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use axum::Router;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use marketo_auth::{AuthError, ExposeSecret, RestCredentials, TokenProvider};
use serde::Deserialize;

const CLIENT_ID: &str = "client-id-1";
const CLIENT_SECRET: &str = "very-secret-client-secret";

/// How the fake identity endpoint answers.
#[derive(Clone, Copy)]
enum Behaviour {
    /// A fresh token per call with this `expires_in`.
    Tokens { expires_in: i64 },
    /// HTTP 401 with an OAuth error body that echoes the secret.
    Unauthorized,
    /// HTTP 200 with this body.
    Body(&'static str),
    /// Answers after this delay.
    Slow(Duration),
}

struct Server {
    calls: AtomicUsize,
    behaviour: Behaviour,
    delay: Duration,
}

#[derive(Deserialize)]
struct TokenQuery {
    grant_type: String,
    client_id: String,
    client_secret: String,
}

async fn token(
    State(server): State<Arc<Server>>,
    headers: HeaderMap,
    Query(q): Query<TokenQuery>,
) -> Response {
    let n = server.calls.fetch_add(1, Ordering::SeqCst) + 1;
    assert!(headers.get("authorization").is_none());
    tokio::time::sleep(server.delay).await;
    if q.grant_type != "client_credentials"
        || q.client_id != CLIENT_ID
        || q.client_secret != CLIENT_SECRET
    {
        return (StatusCode::UNAUTHORIZED, "{\"error\":\"unauthorized\"}").into_response();
    }
    match server.behaviour {
        Behaviour::Tokens { expires_in } => axum::Json(serde_json::json!({
            "access_token": format!("token-{n}:ab"),
            "token_type": "bearer",
            "expires_in": expires_in,
            "scope": "api@example.com",
        }))
        .into_response(),
        Behaviour::Unauthorized => (
            StatusCode::UNAUTHORIZED,
            format!(
                "{{\"error\":\"unauthorized\",\"error_description\":\"Bad client credentials {}\"}}",
                q.client_secret
            ),
        )
            .into_response(),
        Behaviour::Body(body) => (StatusCode::OK, body).into_response(),
        Behaviour::Slow(delay) => {
            tokio::time::sleep(delay).await;
            (StatusCode::OK, "{}").into_response()
        }
    }
}

/// Starts the fake identity endpoint; returns its base URL and state.
async fn start(behaviour: Behaviour, delay: Duration) -> (String, Arc<Server>) {
    let server = Arc::new(Server {
        calls: AtomicUsize::new(0),
        behaviour,
        delay,
    });
    let app = Router::new()
        .route("/identity/oauth/token", get(token))
        .with_state(server.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (format!("http://{addr}"), server)
}

fn credentials(base: &str) -> RestCredentials {
    RestCredentials::new(base, CLIENT_ID, CLIENT_SECRET).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_concurrent_requests_make_one_http_call() {
    let (base, server) = start(
        Behaviour::Tokens { expires_in: 3599 },
        Duration::from_millis(200),
    )
    .await;
    let provider = TokenProvider::new(credentials(&base)).unwrap();
    let tasks: Vec<_> = (0..50)
        .map(|_| {
            let provider = provider.clone();
            tokio::spawn(async move { provider.token().await })
        })
        .collect();
    for task in tasks {
        let token = task.await.unwrap().unwrap();
        assert_eq!(token.secret().expose_secret(), "token-1:ab");
        assert_eq!(token.scope(), Some("api@example.com"));
    }
    assert_eq!(server.calls.load(Ordering::SeqCst), 1);
    assert_eq!(provider.requests_sent(), 1);
}

#[tokio::test]
async fn bearer_header_is_sensitive_and_carries_the_token() {
    let (base, _server) = start(Behaviour::Tokens { expires_in: 3599 }, Duration::ZERO).await;
    let provider = TokenProvider::new(credentials(&base)).unwrap();
    let header = provider.authorization_header().await.unwrap();
    assert_eq!(header.to_str().unwrap(), "Bearer token-1:ab");
    assert!(header.is_sensitive());
}

#[tokio::test]
async fn token_is_cached_then_refreshed_before_expiry() {
    // expires_in 2 s with a 1 s margin: refreshed after 1 s, never after 2 s.
    let (base, server) = start(Behaviour::Tokens { expires_in: 2 }, Duration::ZERO).await;
    let provider = TokenProvider::builder(credentials(&base))
        .refresh_margin(Duration::from_secs(1))
        .min_reuse(Duration::from_millis(100))
        .build()
        .unwrap();
    let first = provider.token().await.unwrap();
    for _ in 0..10 {
        assert_eq!(
            provider.token().await.unwrap().secret().expose_secret(),
            "token-1:ab"
        );
    }
    assert_eq!(server.calls.load(Ordering::SeqCst), 1);
    assert!(first.expires_in() <= Duration::from_secs(2));

    tokio::time::sleep(Duration::from_millis(1100)).await;
    let second = provider.token().await.unwrap();
    assert_eq!(second.secret().expose_secret(), "token-2:ab");
    assert_eq!(server.calls.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn zero_lifetime_does_not_cause_a_refresh_storm() {
    let (base, server) = start(Behaviour::Tokens { expires_in: 0 }, Duration::ZERO).await;
    let provider = TokenProvider::builder(credentials(&base))
        .min_reuse(Duration::from_millis(300))
        .build()
        .unwrap();
    for _ in 0..200 {
        provider.token().await.unwrap();
    }
    assert_eq!(server.calls.load(Ordering::SeqCst), 1);
    tokio::time::sleep(Duration::from_millis(350)).await;
    for _ in 0..200 {
        provider.token().await.unwrap();
    }
    assert_eq!(server.calls.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn invalidating_the_current_token_forces_a_refresh() {
    let (base, server) = start(Behaviour::Tokens { expires_in: 3599 }, Duration::ZERO).await;
    let provider = TokenProvider::new(credentials(&base)).unwrap();
    let first = provider.token().await.unwrap();
    provider.invalidate(&first).await;
    let second = provider.token().await.unwrap();
    assert_eq!(second.secret().expose_secret(), "token-2:ab");
    assert_eq!(server.calls.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn invalidating_an_old_token_keeps_the_newer_one() {
    let (base, server) = start(Behaviour::Tokens { expires_in: 3599 }, Duration::ZERO).await;
    let provider = TokenProvider::new(credentials(&base)).unwrap();
    let old = provider.token().await.unwrap();
    provider.invalidate(&old).await;
    let newer = provider.token().await.unwrap();
    // A second task that also held `old` reports it too late: nothing happens.
    provider.invalidate(&old).await;
    let again = provider.token().await.unwrap();
    assert_eq!(
        again.secret().expose_secret(),
        newer.secret().expose_secret()
    );
    assert_eq!(server.calls.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn http_401_is_invalid_credentials_without_the_secret() {
    let (base, _server) = start(Behaviour::Unauthorized, Duration::ZERO).await;
    let provider = TokenProvider::new(credentials(&base)).unwrap();
    let err = provider.token().await.unwrap_err();
    assert!(
        matches!(err, AuthError::InvalidCredentials { status: 401, .. }),
        "{err:?}"
    );
    assert!(!err.is_retryable());
    for shown in [format!("{err}"), format!("{err:?}")] {
        assert!(!shown.contains(CLIENT_SECRET), "{shown}");
        assert!(
            shown.contains("Bad client credentials [REDACTED]"),
            "{shown}"
        );
    }
}

#[tokio::test]
async fn wrong_secret_is_refused_by_the_server() {
    let (base, _server) = start(Behaviour::Tokens { expires_in: 3599 }, Duration::ZERO).await;
    let creds = RestCredentials::new(&base, CLIENT_ID, "wrong").unwrap();
    let err = TokenProvider::new(creds)
        .unwrap()
        .token()
        .await
        .unwrap_err();
    assert!(
        matches!(err, AuthError::InvalidCredentials { status: 401, .. }),
        "{err:?}"
    );
}

#[tokio::test]
async fn garbage_and_incomplete_bodies_are_typed_errors() {
    let cases: [(&'static str, &str, &str); 4] = [
        (
            "<html>Service Unavailable</html>",
            "not a JSON token response",
            "<html>Service Unavailable",
        ),
        (
            r#"{"access_token":"leaky-token","token_type":"bearer"}"#,
            "missing expires_in",
            r#""token_type":"bearer""#,
        ),
        (
            r#"{"token_type":"bearer","expires_in":3599}"#,
            "missing access_token",
            "3599",
        ),
        (
            r#"{"access_token":"leaky-token","tok"#,
            "not a JSON token response",
            "[REDACTED]",
        ),
    ];
    for (body, problem_part, excerpt_part) in cases {
        let (base, _server) = start(Behaviour::Body(body), Duration::ZERO).await;
        let err = TokenProvider::new(credentials(&base))
            .unwrap()
            .token()
            .await
            .unwrap_err();
        let AuthError::MalformedResponse {
            status,
            problem,
            excerpt,
        } = &err
        else {
            panic!("{body}: expected MalformedResponse, got {err:?}");
        };
        assert_eq!(*status, 200);
        assert!(problem.contains(problem_part), "{body}: {problem}");
        assert!(excerpt.contains(excerpt_part), "{body}: {excerpt}");
        for shown in [format!("{err}"), format!("{err:?}")] {
            assert!(!shown.contains("leaky-token"), "{shown}");
            assert!(!shown.contains(CLIENT_SECRET), "{shown}");
        }
    }
}

#[tokio::test]
async fn a_server_slower_than_the_timeout_is_a_timeout() {
    let (base, _server) = start(Behaviour::Slow(Duration::from_secs(5)), Duration::ZERO).await;
    let provider = TokenProvider::builder(credentials(&base))
        .timeout(Duration::from_millis(200))
        .build()
        .unwrap();
    let started = std::time::Instant::now();
    let err = provider.token().await.unwrap_err();
    assert!(
        matches!(err, AuthError::Timeout(d) if d == Duration::from_millis(200)),
        "{err:?}"
    );
    assert!(err.is_retryable());
    assert!(started.elapsed() < Duration::from_secs(3));
}

#[tokio::test]
async fn a_failed_fetch_is_not_cached() {
    let (base, server) = start(Behaviour::Body("nope"), Duration::ZERO).await;
    let provider = TokenProvider::new(credentials(&base)).unwrap();
    assert!(provider.token().await.is_err());
    assert!(provider.token().await.is_err());
    assert_eq!(server.calls.load(Ordering::SeqCst), 2);
}
