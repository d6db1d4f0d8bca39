//! Helpers shared by the emulator's integration tests (plain reqwest, no project client).
#![allow(dead_code)]

use marketo_emulator::Emulator;
use serde_json::Value;

/// A started emulator with an HTTP client and a token.
pub struct Ctx {
    pub emu: Emulator,
    pub http: reqwest::Client,
    pub token: String,
}

pub async fn token(emu: &Emulator, http: &reqwest::Client) -> String {
    let c = emu.credentials();
    let v: Value = http
        .get(format!("{}/identity/oauth/token", emu.rest_base_url()))
        .query(&[
            ("grant_type", "client_credentials"),
            ("client_id", c.client_id.as_str()),
            ("client_secret", c.client_secret.as_str()),
        ])
        .send()
        .await
        .expect("token request")
        .json()
        .await
        .expect("token json");
    v["access_token"].as_str().expect("access_token").to_owned()
}

pub async fn start() -> Ctx {
    start_with(Emulator::builder()).await
}

pub async fn start_with(b: marketo_emulator::EmulatorBuilder) -> Ctx {
    let emu = b.start().await.expect("start emulator");
    let http = reqwest::Client::new();
    let token = token(&emu, &http).await;
    Ctx { emu, http, token }
}

impl Ctx {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.emu.rest_base_url(), path)
    }

    /// `GET path` with the token, the response as it comes.
    pub async fn get_response(&self, path: &str) -> reqwest::Response {
        self.http
            .get(self.url(path))
            .bearer_auth(&self.token)
            .send()
            .await
            .expect("send")
    }

    pub async fn get(&self, path: &str, query: &[(&str, &str)]) -> Value {
        self.http
            .get(self.url(path))
            .bearer_auth(&self.token)
            .query(query)
            .send()
            .await
            .expect("send")
            .json()
            .await
            .expect("json")
    }

    pub async fn post_form(&self, path: &str, form: &[(&str, &str)]) -> Value {
        self.http
            .post(self.url(path))
            .bearer_auth(&self.token)
            .form(form)
            .send()
            .await
            .expect("send")
            .json()
            .await
            .expect("json")
    }

    pub async fn post_json(&self, path: &str, body: &Value) -> Value {
        self.http
            .post(self.url(path))
            .bearer_auth(&self.token)
            .json(body)
            .send()
            .await
            .expect("send")
            .json()
            .await
            .expect("json")
    }
}

/// The first error code of an envelope.
pub fn error_code(v: &Value) -> Option<&str> {
    v["errors"][0]["code"].as_str()
}

/// Asserts a failed envelope with this code.
#[track_caller]
pub fn assert_error(v: &Value, code: &str) {
    assert_eq!(v["success"], Value::Bool(false), "expected failure: {v}");
    assert_eq!(error_code(v), Some(code), "unexpected error: {v}");
}

/// Asserts success and returns the result array.
#[track_caller]
pub fn ok_result(v: &Value) -> Vec<Value> {
    assert_eq!(v["success"], Value::Bool(true), "expected success: {v}");
    v["result"].as_array().cloned().unwrap_or_default()
}
