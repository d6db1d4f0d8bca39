//! No secret appears in the `Debug` or `Display` output of any config,
//! token or error type.

use std::fmt::{Debug, Display};
use std::time::Duration;

use axum::Router;
use axum::routing::get;
use marketo_auth::{
    AuthError, ConfigError, EncryptionKey, REDACTED, RestCredentials, SoapConfig, SoapCredentials,
    TokenProvider,
};

const CLIENT_SECRET: &str = "cs-5f1e0c2a-secret";
const ENCRYPTION_KEY: &str = "ek-9a8b7c6d-secret";
const TOKEN: &str = "tk-0d1e2f3a-secret:int";

fn assert_hidden(what: &str, value: &(impl Debug + Display)) {
    for shown in [
        format!("{value:?}"),
        format!("{value}"),
        format!("{value:#?}"),
    ] {
        for secret in [CLIENT_SECRET, ENCRYPTION_KEY, TOKEN] {
            assert!(!shown.contains(secret), "{what} shows a secret: {shown}");
        }
    }
}

fn assert_redacted(what: &str, value: &(impl Debug + Display)) {
    assert_hidden(what, value);
    assert!(format!("{value:?}").contains(REDACTED), "{what}: {value:?}");
}

#[tokio::test]
async fn no_type_shows_a_secret() {
    let rest = RestCredentials::new("http://127.0.0.1:1", "client", CLIENT_SECRET).unwrap();
    assert_redacted("RestCredentials", &rest);
    let soap = SoapCredentials::new("user", ENCRYPTION_KEY);
    assert_redacted("SoapCredentials", &soap);
    assert_redacted("EncryptionKey", &EncryptionKey::new(ENCRYPTION_KEY));
    let config =
        SoapConfig::new("http://127.0.0.1:1/soap/mktows/2_9", "user", ENCRYPTION_KEY).unwrap();
    assert_redacted("SoapConfig", &config);
    let signed = soap.sign_now();
    assert!(format!("{signed:?}").contains(REDACTED));
    assert!(!format!("{signed:?}").contains(&signed.request_signature));

    // A real token from a server.
    let app = Router::new().route(
        "/identity/oauth/token",
        get(|| async {
            axum::Json(serde_json::json!({
                "access_token": TOKEN, "token_type": "bearer", "expires_in": 3599, "scope": "s"
            }))
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    let provider =
        TokenProvider::new(RestCredentials::new(&base, "client", CLIENT_SECRET).unwrap()).unwrap();
    let token = provider.token().await.unwrap();
    assert_redacted("AccessToken", &token);
    let debug = format!("{provider:?}");
    assert!(
        !debug.contains(CLIENT_SECRET) && !debug.contains(TOKEN),
        "{debug}"
    );

    // Errors: a transport error (its URL would carry the secret), a timeout,
    // and configuration errors.
    let unreachable = RestCredentials::new("http://127.0.0.1:1", "client", CLIENT_SECRET).unwrap();
    let err = TokenProvider::builder(unreachable)
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap()
        .token()
        .await
        .unwrap_err();
    assert!(matches!(err, AuthError::Transport(_)), "{err:?}");
    assert_hidden("AuthError::Transport", &err);
    let mut source = std::error::Error::source(&err);
    while let Some(inner) = source {
        assert!(
            !format!("{inner:?}{inner}").contains(CLIENT_SECRET),
            "{inner:?}"
        );
        source = inner.source();
    }
    assert_hidden(
        "AuthError::Timeout",
        &AuthError::Timeout(Duration::from_secs(1)),
    );
    assert_hidden(
        "ConfigError",
        &ConfigError::Empty {
            what: "client secret",
        },
    );
}
