//! The identity endpoint and bearer-token checks.

use std::sync::Arc;

use axum::body::Body;
use axum::http::request::Parts;
use axum::http::{Method, Response, StatusCode, header};
use serde_json::json;

use super::{ApiError, Params, json_response, message_for};
use crate::server::Shared;
use crate::state::{IssuedToken, State};
use crate::util;

/// `GET`/`POST /identity/oauth/token`.
pub(crate) async fn token(shared: &Arc<Shared>, parts: &Parts, body: Body) -> Response<Body> {
    if parts.method != Method::GET && parts.method != Method::POST {
        return unauthorized("invalid_request", "HTTP method not supported");
    }
    let mut params = Params::parse(parts.uri.query().unwrap_or("").as_bytes());
    if parts.method == Method::POST {
        let form = parts
            .headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|c| {
                c.to_ascii_lowercase()
                    .starts_with("application/x-www-form-urlencoded")
            });
        if let Ok(bytes) = axum::body::to_bytes(body, 64 * 1024).await
            && form
        {
            params.extend(Params::parse(&bytes));
        }
    }
    let mut st = shared.lock();
    st.stats.token_requests += 1;
    if params.get("grant_type") != Some("client_credentials") {
        return unauthorized("invalid_request", "Missing or unsupported grant type");
    }
    let creds = &st.config.credentials;
    let ok = params.get("client_id") == Some(creds.client_id.as_str())
        && params.get("client_secret") == Some(creds.client_secret.as_str());
    if !ok {
        return unauthorized("invalid_client", "Bad client credentials");
    }
    let now = st.now();
    let lifetime =
        time::Duration::try_from(st.config.token_lifetime).unwrap_or(time::Duration::hours(1));
    // Same token and remaining lifetime while one is valid.
    if let Some(cur) = st.current_token.clone()
        && let Some(t) = st.tokens.get(&cur)
        && t.expires_at > now
    {
        let remaining = (t.expires_at - now).whole_seconds().max(0);
        return json_response(
            StatusCode::OK,
            &json!({
                "access_token": cur,
                "token_type": "bearer",
                "expires_in": remaining,
                "scope": "api.user@emulator.invalid",
            }),
        );
    }
    let token = util::new_token();
    st.tokens.insert(
        token.clone(),
        IssuedToken {
            expires_at: now + lifetime,
        },
    );
    st.current_token = Some(token.clone());
    st.stats.tokens_issued += 1;
    // A fresh token reports one second less than its lifetime, as Marketo does (3599).
    let expires_in = (lifetime.whole_seconds() - 1).max(0);
    json_response(
        StatusCode::OK,
        &json!({
            "access_token": token,
            "token_type": "bearer",
            "expires_in": expires_in,
            "scope": "api.user@emulator.invalid",
        }),
    )
}

fn unauthorized(error: &str, description: &str) -> Response<Body> {
    json_response(
        StatusCode::UNAUTHORIZED,
        &json!({"error": error, "error_description": description}),
    )
}

/// Checks the bearer token of a REST call: 600 missing, 601 unknown, 602 expired.
/// The `access_token` query parameter is not accepted (it counts as missing).
pub(crate) fn check_bearer(st: &State, bearer: Option<&str>) -> Result<(), ApiError> {
    let Some(token) = bearer else {
        return Err(ApiError::new("600", message_for("600")));
    };
    match st.tokens.get(token) {
        None => Err(ApiError::new("601", message_for("601"))),
        Some(t) if t.expires_at <= st.now() => Err(ApiError::new("602", message_for("602"))),
        Some(_) => Ok(()),
    }
}
