//! Limits (606/615/607), counters, and every kind of injected fault.

mod common;

use std::time::Duration;

use common::{assert_error, ok_result, start, start_with};
use marketo_emulator::{Emulator, Fault, FaultError, Limits};
use serde_json::Value;

const TYPES: &str = "/rest/v1/activities/types.json";

#[tokio::test]
async fn rate_limit_606_after_100_calls_in_20_seconds() {
    let ctx = start().await;
    for i in 0..100 {
        let v = ctx.get(TYPES, &[]).await;
        assert_eq!(v["success"], true, "call {i}: {v}");
    }
    assert_error(&ctx.get(TYPES, &[]).await, "606");
    // Token calls do not count.
    let _ = common::token(&ctx.emu, &ctx.http).await;
    let stats = ctx.emu.stats();
    assert_eq!(stats.rest.calls, 101);
    assert_eq!(stats.rest.executed, 100);
    assert_eq!(stats.rest.max_calls_in_window, 101);
    assert_eq!(stats.errors("606"), 1);
    // The window slides: 20 s later calls succeed again.
    ctx.emu.advance(Duration::from_secs(21));
    ok_result(&ctx.get(TYPES, &[]).await);
}

#[tokio::test]
async fn concurrency_615_with_latency() {
    let ctx = start().await;
    ctx.emu.set_latency(Some(Duration::from_millis(1000)));
    let mut tasks = Vec::new();
    for _ in 0..14 {
        let http = ctx.http.clone();
        let url = ctx.url(TYPES);
        let token = ctx.token.clone();
        tasks.push(tokio::spawn(async move {
            let v: Value = http
                .get(url)
                .bearer_auth(token)
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            v
        }));
    }
    let mut ok = 0;
    let mut limited = 0;
    for t in tasks {
        let v = t.await.unwrap();
        match common::error_code(&v) {
            None => ok += 1,
            Some("615") => limited += 1,
            Some(other) => panic!("unexpected {other}: {v}"),
        }
    }
    // All 14 normally overlap (10 served, 4 refused); a very slow machine may serialise some.
    assert_eq!(ok + limited, 14);
    assert!(ok >= 10, "{ok} served");
    assert!(limited >= 1, "no call was refused");
    let stats = ctx.emu.stats();
    assert!(stats.rest.max_concurrent > 10, "{stats:?}");
    assert_eq!(stats.errors("615"), limited);
}

#[tokio::test]
async fn counters_prove_a_polite_client_stayed_within_limits() {
    let ctx = start().await;
    ctx.emu.set_latency(Some(Duration::from_millis(20)));
    let sem = std::sync::Arc::new(tokio::sync::Semaphore::new(5));
    let mut tasks = Vec::new();
    for _ in 0..40 {
        let (http, url, token, sem) = (
            ctx.http.clone(),
            ctx.url(TYPES),
            ctx.token.clone(),
            sem.clone(),
        );
        tasks.push(tokio::spawn(async move {
            let _p = sem.acquire().await.unwrap();
            let v: Value = http
                .get(url)
                .bearer_auth(token)
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            v["success"] == true
        }));
    }
    for t in tasks {
        assert!(t.await.unwrap());
    }
    let s = ctx.emu.stats();
    assert!(s.rest.max_concurrent <= 5, "{s:?}");
    assert_eq!(s.rest.max_calls_in_window, 40);
    assert!(s.error_counts.is_empty(), "{s:?}");
}

#[tokio::test]
async fn daily_quota_607_and_reset_next_day() {
    let mut limits = Limits::default();
    limits.rest.daily_quota = Some(3);
    let ctx = start_with(Emulator::builder().limits(limits)).await;
    for _ in 0..3 {
        ok_result(&ctx.get(TYPES, &[]).await);
    }
    assert_error(&ctx.get(TYPES, &[]).await, "607");
    assert_eq!(ctx.emu.rest_quota_used(), 3);
    ctx.emu.advance(Duration::from_secs(24 * 3600));
    // The token has expired by then; get a new one.
    let token = common::token(&ctx.emu, &ctx.http).await;
    let v: Value = ctx
        .http
        .get(ctx.url(TYPES))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(v["success"], true, "{v}");
}

#[tokio::test]
async fn injected_error_codes_come_back_then_stop() {
    let ctx = start().await;
    for code in ["604", "606", "608", "611", "615", "713"] {
        ctx.emu.inject(Fault::RestError(code.into()), 2);
        assert_error(&ctx.get(TYPES, &[]).await, code);
        assert_error(&ctx.get(TYPES, &[]).await, code);
        ok_result(&ctx.get(TYPES, &[]).await);
        assert_eq!(ctx.emu.stats().errors(code), 2);
    }
    assert_eq!(ctx.emu.pending_faults(), 0);
}

#[tokio::test]
async fn injected_http_status_drop_and_garbage() {
    let ctx = start().await;
    ctx.emu.inject(Fault::HttpStatus(502), 1);
    ctx.emu.inject(Fault::HttpStatus(503), 1);
    let r = ctx.get_response(TYPES).await;
    assert_eq!(r.status(), 502);
    let r = ctx.get_response(TYPES).await;
    assert_eq!(r.status(), 503);

    ctx.emu.inject(Fault::DropConnection, 1);
    let err = ctx
        .http
        .get(ctx.url(TYPES))
        .bearer_auth(&ctx.token)
        .send()
        .await;
    assert!(err.is_err(), "connection should have been dropped: {err:?}");
    assert_eq!(ctx.emu.stats().dropped_connections, 1);

    ctx.emu.inject(Fault::TruncatedBody, 1);
    let body = ctx.get_response(TYPES).await.text().await.unwrap();
    assert!(
        serde_json::from_str::<Value>(&body).is_err(),
        "truncated body parsed: {body}"
    );
    assert!(body.starts_with('{'));

    ctx.emu.inject(Fault::MalformedBody, 1);
    let r = ctx.get_response(TYPES).await;
    assert_eq!(r.status(), 200);
    assert!(serde_json::from_str::<Value>(&r.text().await.unwrap()).is_err());

    ok_result(&ctx.get(TYPES, &[]).await);
    let s = ctx.emu.stats();
    assert_eq!(s.http_statuses.get(&502), Some(&1));
    assert_eq!(s.http_statuses.get(&503), Some(&1));
}

#[tokio::test]
async fn injected_latency_is_applied() {
    let ctx = start().await;
    ctx.emu.set_latency(Some(Duration::from_millis(600)));
    let t = std::time::Instant::now();
    ok_result(&ctx.get(TYPES, &[]).await);
    assert!(t.elapsed() >= Duration::from_millis(600));
    ctx.emu.clear_faults();
    let t = std::time::Instant::now();
    ok_result(&ctx.get(TYPES, &[]).await);
    assert!(t.elapsed() < Duration::from_millis(600));
}

#[tokio::test]
async fn unlimited_config_switches_limits_off() {
    let ctx = start_with(Emulator::builder().limits(Limits::unlimited())).await;
    for _ in 0..120 {
        ok_result(&ctx.get(TYPES, &[]).await);
    }
}

#[tokio::test]
async fn documented_codes_come_back_unchanged_with_their_message() {
    let ctx = start().await;
    for (code, message) in [
        ("502", "Bad Gateway"),
        ("719", "Lock wait timeout exception"),
        ("1029", "Too many jobs in queue"),
    ] {
        ctx.emu
            .try_inject(Fault::RestError(code.into()), 1)
            .unwrap();
        let v = ctx.get(TYPES, &[]).await;
        assert_error(&v, code);
        assert_eq!(v["errors"][0]["message"], message, "{v}");
    }
    ctx.emu.inject(Fault::HttpStatus(503), 1);
    let r = ctx.get_response(TYPES).await;
    assert_eq!(r.status(), 503);
    assert_eq!(
        r.text().await.unwrap(),
        "503 Service Unavailable (injected)"
    );
}

#[tokio::test]
async fn unknown_fault_codes_are_errors_and_nothing_is_queued() {
    let ctx = start().await;
    let cases = [
        (
            Fault::RestError("799".into()),
            FaultError::UnknownRestCode("799".into()),
        ),
        (
            Fault::RestError("20023".into()),
            FaultError::UnknownRestCode("20023".into()),
        ),
        (
            Fault::SoapFault("20099".into()),
            FaultError::UnknownSoapCode("20099".into()),
        ),
        (
            Fault::SoapFault("606".into()),
            FaultError::UnknownSoapCode("606".into()),
        ),
        (Fault::HttpStatus(200), FaultError::NotAnErrorStatus(200)),
        (Fault::HttpStatus(1000), FaultError::NotAnErrorStatus(1000)),
    ];
    for (fault, expected) in cases {
        assert_eq!(fault.check(), Err(expected.clone()));
        assert_eq!(ctx.emu.try_inject(fault, 3), Err(expected));
    }
    assert_eq!(ctx.emu.pending_faults(), 0);
    // No substitute fault either: the next call is answered normally.
    ok_result(&ctx.get(TYPES, &[]).await);
    assert!(ctx.emu.stats().error_counts.is_empty());
}

#[tokio::test]
#[should_panic(expected = "unknown REST error code \"799\"")]
async fn inject_panics_on_an_unknown_code() {
    let emu = Emulator::start().await.expect("start");
    emu.inject(Fault::RestError("799".into()), 1);
}
