//! What the errors' helpers claim is exactly what the clients did.
//!
//! For every REST code, SOAP fault code, HTTP status and transport failure
//! the emulator can produce, a call is made against it and the requests
//! the emulator saw are counted: an error whose [`Action`] is `Retry` must
//! have been sent `MAX_ATTEMPTS` times, `RefreshToken` twice (one renewed
//! credential), anything else once. The action must also be the one
//! `marketo_resilience::outcome` gives for the code injected, so the
//! helpers, the retry loops and the table cannot drift apart.

use std::time::Duration;

use marketo_emulator::{Emulator, Fault};
use marketo_resilience::outcome::{REST_CODES, RestCode, SOAP_CODES, SoapCode};
use marketo_resilience::{Action, RetryPolicy};
use marketo_rest::marketo_auth::RestCredentials;
use marketo_rest::{ClientCore as RestCore, Method, Request, RestError};
use marketo_soap::{ClientCore as SoapCore, Operation, SoapConfig, SoapError};
// The generated request/response types of one SOAP operation.
use marketo_soap::operations::GET_CHANNELS;
use marketo_soap::types::{ParamsGetChannels, SuccessGetChannels};

const MAX_ATTEMPTS: u32 = 3;

/// More than any call can consume: every attempt meets the fault.
const TIMES: u32 = 10;

fn quick_retry() -> RetryPolicy {
    RetryPolicy {
        max_attempts: MAX_ATTEMPTS,
        min_delay: Duration::from_millis(1),
        max_delay: Duration::from_millis(4),
        max_elapsed: Duration::from_secs(10),
        jitter: false,
    }
}

/// The requests a call must have sent after failing with `action`.
fn expected_requests(action: Action) -> u64 {
    match action {
        Action::Retry => u64::from(MAX_ATTEMPTS),
        Action::RefreshToken => 2,
        _ => 1,
    }
}

fn rest_client(emu: &Emulator, timeout: Duration) -> RestCore {
    rest_client_at(emu, &emu.rest_base_url(), timeout)
}

fn rest_client_at(emu: &Emulator, base: &str, timeout: Duration) -> RestCore {
    let c = emu.credentials();
    let credentials = RestCredentials::new(base, c.client_id, c.client_secret).unwrap();
    RestCore::builder(credentials)
        .retry(quick_retry())
        .timeout(timeout)
        .build()
        .unwrap()
}

fn soap_client(emu: &Emulator, timeout: Duration) -> SoapCore {
    let c = emu.credentials();
    let config = SoapConfig::new(&emu.soap_endpoint(), c.user_id, c.encryption_key).unwrap();
    SoapCore::builder(config)
        .retry(quick_retry())
        .timeout(timeout)
        .build()
        .unwrap()
}

/// A read (idempotent) or a write (not idempotent) REST request.
fn rest_request(idempotent: bool) -> Request {
    match idempotent {
        true => Request::new(Method::Get, "/rest/asset/v1/channels.json"),
        false => Request::new(Method::Post, "/rest/asset/v1/program/1001/approve.json"),
    }
    .with_idempotent(idempotent)
}

/// Sends one REST call; returns its error and the requests the emulator saw.
async fn rest_call(emu: &Emulator, client: &RestCore, idempotent: bool) -> (RestError, u64) {
    let before = emu.stats().rest.calls;
    let result = client
        .send_envelope::<serde_json::Value>("outcomeProbe", rest_request(idempotent))
        .await;
    emu.clear_faults();
    let error = result.expect_err("the injected fault makes the call fail");
    (error, emu.stats().rest.calls - before)
}

/// Sends one SOAP call; returns its error and the requests the emulator saw.
async fn soap_call(emu: &Emulator, client: &SoapCore, idempotent: bool) -> (SoapError, u64) {
    let op = Operation {
        idempotent,
        ..GET_CHANNELS
    };
    let before = emu.stats().soap.calls;
    let result = client
        .call::<_, SuccessGetChannels>(&op, &ParamsGetChannels::default())
        .await;
    emu.clear_faults();
    let error = result.expect_err("the injected fault makes the call fail");
    (error, emu.stats().soap.calls - before)
}

/// The helpers agree with the action and the action with the requests sent.
fn assert_rest_consistent(what: &str, error: &RestError, requests: u64) {
    let action = error.action();
    assert_eq!(
        requests,
        expected_requests(action),
        "{what}: {action} but {requests} requests ({error})"
    );
    assert_eq!(error.is_retryable(), action == Action::Retry, "{what}");
    assert_eq!(
        error.is_quota_exhausted(),
        action == Action::QuotaExhausted,
        "{what}"
    );
}

fn assert_soap_consistent(what: &str, error: &SoapError, requests: u64) {
    let action = error.action();
    assert_eq!(
        requests,
        expected_requests(action),
        "{what}: {action} but {requests} requests ({error})"
    );
    assert_eq!(error.is_retryable(), action == Action::Retry, "{what}");
    assert_eq!(
        error.is_quota_exhausted(),
        action == Action::QuotaExhausted,
        "{what}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_rest_code_is_handled_as_classified() {
    let emu = Emulator::start().await.unwrap();
    let client = rest_client(&emu, Duration::from_secs(10));
    for code in REST_CODES {
        for idempotent in [true, false] {
            emu.inject(Fault::RestError(code.as_str().to_owned()), TIMES);
            let (error, requests) = rest_call(&emu, &client, idempotent).await;
            let what = format!("REST {code} (idempotent: {idempotent})");
            assert_eq!(error.rest_codes(), vec![code.clone()], "{what}: {error}");
            assert_eq!(error.action(), code.action(), "{what}");
            assert_eq!(error.is_rate_limited(), code.limit().is_some(), "{what}");
            assert_rest_consistent(&what, &error, requests);
        }
    }
    // Spot checks written from the error-code page.
    assert_eq!(RestCode::LockWaitTimeout.action(), Action::Retry);
    assert_eq!(RestCode::DailyQuotaReached.action(), Action::QuotaExhausted);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_soap_code_is_handled_as_classified() {
    let emu = Emulator::start().await.unwrap();
    let client = soap_client(&emu, Duration::from_secs(10));
    for code in SOAP_CODES {
        for idempotent in [true, false] {
            emu.inject(Fault::SoapFault(code.as_str().to_owned()), TIMES);
            let (error, requests) = soap_call(&emu, &client, idempotent).await;
            let what = format!("SOAP {code} (idempotent: {idempotent})");
            assert_eq!(error.soap_code(), Some(code.clone()), "{what}: {error}");
            assert_eq!(error.action(), code.action(), "{what}");
            assert_eq!(error.is_rate_limited(), code.limit().is_some(), "{what}");
            assert_soap_consistent(&what, &error, requests);
        }
    }
    assert_eq!(SoapCode::RequestExpired.action(), Action::RefreshToken);
}

const STATUSES: [u16; 12] = [400, 401, 403, 404, 409, 413, 414, 429, 500, 502, 503, 504];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn http_statuses_are_retried_alike_by_both_clients() {
    let emu = Emulator::start().await.unwrap();
    let rest = rest_client(&emu, Duration::from_secs(10));
    let soap = soap_client(&emu, Duration::from_secs(10));
    for status in STATUSES {
        let retried = status == 429 || status >= 500;
        for idempotent in [true, false] {
            emu.inject(Fault::HttpStatus(status), TIMES);
            let (error, requests) = rest_call(&emu, &rest, idempotent).await;
            let what = format!("REST HTTP {status} (idempotent: {idempotent})");
            assert_eq!(error.is_retryable(), retried, "{what}: {error}");
            assert_rest_consistent(&what, &error, requests);

            emu.inject(Fault::HttpStatus(status), TIMES);
            let (error, requests) = soap_call(&emu, &soap, idempotent).await;
            let what = format!("SOAP HTTP {status} (idempotent: {idempotent})");
            assert_eq!(error.is_retryable(), retried, "{what}: {error}");
            assert_soap_consistent(&what, &error, requests);
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn transport_failures_are_retried_by_idempotency() {
    let emu = Emulator::start().await.unwrap();
    let rest = rest_client(&emu, Duration::from_secs(10));
    let soap = soap_client(&emu, Duration::from_secs(10));
    for fault in [
        Fault::DropConnection,
        Fault::TruncatedBody,
        Fault::MalformedBody,
    ] {
        for idempotent in [true, false] {
            emu.inject(fault.clone(), TIMES);
            let (error, requests) = rest_call(&emu, &rest, idempotent).await;
            let what = format!("REST {fault:?} (idempotent: {idempotent})");
            assert_rest_consistent(&what, &error, requests);
            if fault == Fault::DropConnection {
                assert_eq!(error.is_retryable(), idempotent, "{what}: {error}");
            }

            emu.inject(fault.clone(), TIMES);
            let (error, requests) = soap_call(&emu, &soap, idempotent).await;
            let what = format!("SOAP {fault:?} (idempotent: {idempotent})");
            assert_soap_consistent(&what, &error, requests);
            if fault == Fault::DropConnection {
                assert_eq!(error.is_retryable(), idempotent, "{what}: {error}");
            }
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn timeouts_are_retried_only_for_idempotent_calls() {
    let emu = Emulator::start().await.unwrap();
    let rest = rest_client(&emu, Duration::from_millis(100));
    let soap = soap_client(&emu, Duration::from_millis(100));
    // A token first, so that the latency only meets the calls.
    rest.token_provider().token().await.unwrap();
    emu.set_latency(Some(Duration::from_millis(400)));
    for idempotent in [true, false] {
        let before = emu.stats().rest.calls;
        let error = rest
            .send_envelope::<serde_json::Value>("outcomeProbe", rest_request(idempotent))
            .await
            .unwrap_err();
        let requests = emu.stats().rest.calls - before;
        let what = format!("REST timeout (idempotent: {idempotent})");
        assert!(
            matches!(&error, RestError::Transport(e) if e.is_timeout()),
            "{what}: {error:?}"
        );
        assert_eq!(error.is_retryable(), idempotent, "{what}");
        assert_rest_consistent(&what, &error, requests);

        let op = Operation {
            idempotent,
            ..GET_CHANNELS
        };
        let before = emu.stats().soap.calls;
        let error = soap
            .call::<_, SuccessGetChannels>(&op, &ParamsGetChannels::default())
            .await
            .unwrap_err();
        let requests = emu.stats().soap.calls - before;
        let what = format!("SOAP timeout (idempotent: {idempotent})");
        assert_eq!(error.is_retryable(), idempotent, "{what}: {error}");
        assert_soap_consistent(&what, &error, requests);
    }
}

#[tokio::test]
async fn a_refused_connection_is_retried_even_for_writes() {
    let emu = Emulator::start().await.unwrap();
    // A port nobody listens on: the request provably never reached a server.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let rest = rest_client_at(&emu, &base, Duration::from_secs(2));
    // Without a token (a token request would fail first, to the same port).
    let error = rest
        .send("outcomeProbe", &rest_request(false), false)
        .await
        .unwrap_err();
    assert!(
        matches!(&error, RestError::Transport(e) if e.is_connect()),
        "{error:?}"
    );
    assert!(error.is_retryable());
    assert_eq!(rest.requests_sent(), u64::from(MAX_ATTEMPTS));

    let c = emu.credentials();
    let soap = SoapCore::builder(SoapConfig::new(&base, c.user_id, c.encryption_key).unwrap())
        .retry(quick_retry())
        .build()
        .unwrap();
    let op = Operation {
        idempotent: false,
        ..GET_CHANNELS
    };
    let error = soap
        .call::<_, SuccessGetChannels>(&op, &ParamsGetChannels::default())
        .await
        .unwrap_err();
    assert!(error.is_retryable(), "{error:?}");
    assert_eq!(soap.requests_sent(), u64::from(MAX_ATTEMPTS));
}
