//! The admin endpoints outside the Marketo API: stats as JSON, and a reset
//! that gives the next client a fresh rate window.

mod common;

use marketo_emulator::{ApiLimits, Emulator, Limits};
use serde_json::Value;

#[tokio::test]
async fn stats_and_reset_over_http() {
    let mut limits = Limits::default();
    limits.rest = ApiLimits {
        rate: Some(3),
        ..limits.rest
    };
    let ctx = common::start_with(Emulator::builder().limits(limits)).await;
    let base = ctx.emu.rest_base_url();
    let get = |path: &'static str| {
        ctx.http
            .get(format!("{base}{path}"))
            .bearer_auth(&ctx.token)
            .send()
    };
    let mut codes = Vec::new();
    for _ in 0..4 {
        let v: Value = get("/rest/asset/v1/channels.json")
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        codes.push(v["errors"][0]["code"].as_str().unwrap_or("ok").to_owned());
    }
    assert_eq!(codes, ["ok", "ok", "ok", "606"]);

    let stats: Value = get("/__emulator/stats")
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(stats["rest"]["calls"], 4);
    assert_eq!(stats["rest"]["executed"], 3);
    assert_eq!(stats["rest"]["maxCallsInWindow"], 4);
    assert_eq!(stats["errorCounts"]["606"], 1);
    assert_eq!(stats["tokenRequests"], 1);
    // The admin call is not an API call.
    assert_eq!(ctx.emu.stats().rest.calls, 4);

    let reset: Value = ctx
        .http
        .post(format!("{base}/__emulator/reset"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(reset["rest"]["calls"], 0);
    assert_eq!(reset["errorCounts"], serde_json::json!({}));
    // A fresh window: the next call passes the rate limit at once.
    let v: Value = get("/rest/asset/v1/channels.json")
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(v["success"], true, "{v}");
    assert_eq!(ctx.emu.stats().rest.executed, 1);
}
