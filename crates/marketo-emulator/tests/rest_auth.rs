//! Identity endpoint and bearer-token rules.

mod common;

use std::time::Duration;

use common::{assert_error, ok_result, start};
use marketo_emulator::Emulator;
use serde_json::Value;

#[tokio::test]
async fn token_is_issued_reused_and_expires() {
    let emu = Emulator::start().await.expect("start");
    let http = reqwest::Client::new();
    let c = emu.credentials();
    let url = format!("{}/identity/oauth/token", emu.rest_base_url());
    let q = [
        ("grant_type", "client_credentials"),
        ("client_id", c.client_id.as_str()),
        ("client_secret", c.client_secret.as_str()),
    ];
    let first: Value = http
        .get(&url)
        .query(&q)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(first["token_type"], "bearer");
    assert_eq!(first["expires_in"], 3599);
    let tok = first["access_token"].as_str().unwrap().to_owned();

    emu.advance(Duration::from_secs(600));
    // POST works too and hands out the same token with its remaining lifetime.
    let again: Value = http
        .post(&url)
        .query(&q)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(again["access_token"], tok.as_str());
    let left = again["expires_in"].as_i64().unwrap();
    assert!((2995..=3000).contains(&left), "remaining lifetime {left}");

    emu.advance(Duration::from_secs(3000));
    let fresh: Value = http
        .get(&url)
        .query(&q)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_ne!(fresh["access_token"], tok.as_str());
    let stats = emu.stats();
    assert_eq!(stats.token_requests, 3);
    assert_eq!(stats.tokens_issued, 2);
}

#[tokio::test]
async fn bad_credentials_get_401() {
    let emu = Emulator::start().await.expect("start");
    let http = reqwest::Client::new();
    let c = emu.credentials();
    let resp = http
        .get(format!("{}/identity/oauth/token", emu.rest_base_url()))
        .query(&[
            ("grant_type", "client_credentials"),
            ("client_id", c.client_id.as_str()),
            ("client_secret", "wrong"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 401);
    let body = resp.text().await.unwrap();
    assert!(!body.contains(&c.client_secret));
}

#[tokio::test]
async fn bearer_header_is_required() {
    let ctx = start().await;
    let path = "/rest/asset/v1/programs.json";
    // Missing → 600.
    let v: Value = ctx
        .http
        .get(ctx.url(path))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_error(&v, "600");
    // The access_token query parameter is refused (treated as missing).
    let v: Value = ctx
        .http
        .get(ctx.url(path))
        .query(&[("access_token", ctx.token.as_str())])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_error(&v, "600");
    // Unknown → 601.
    let v: Value = ctx
        .http
        .get(ctx.url(path))
        .bearer_auth("not-a-token")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_error(&v, "601");
    // Valid → success.
    ok_result(&ctx.get(path, &[]).await);
    // Expired → 602.
    ctx.emu.advance(Duration::from_secs(3601));
    assert_error(&ctx.get(path, &[]).await, "602");
}

#[tokio::test]
async fn forced_expiry_gives_602_then_a_new_token() {
    let ctx = start().await;
    ctx.emu.expire_tokens();
    assert_error(&ctx.get("/rest/v1/activities/types.json", &[]).await, "602");
    let fresh = common::token(&ctx.emu, &ctx.http).await;
    assert_ne!(fresh, ctx.token);
    let stats = ctx.emu.stats();
    assert_eq!(stats.errors("602"), 1);
}

#[tokio::test]
async fn debug_output_holds_no_secret() {
    let ctx = start().await;
    let c = ctx.emu.credentials();
    for text in [
        format!("{:?}", ctx.emu),
        format!("{c:?}"),
        format!("{:?}", ctx.emu.stats()),
    ] {
        assert!(!text.contains(&c.client_secret), "{text}");
        assert!(!text.contains(&c.encryption_key), "{text}");
        assert!(!text.contains(&ctx.token), "{text}");
    }
}

#[tokio::test]
async fn clock_can_start_at_a_given_time() {
    let t = time::macros::datetime!(2025-06-01 12:00:00 UTC);
    let emu = Emulator::builder()
        .start_at(t)
        .start()
        .await
        .expect("start");
    let drift = emu.now() - t;
    assert!(
        drift >= time::Duration::ZERO && drift < time::Duration::seconds(5),
        "{drift}"
    );
    emu.advance(Duration::from_secs(3600));
    assert!(emu.now() - t >= time::Duration::hours(1));
}
