//! A full run of both clients against the emulator — load, faults, retries,
//! a forced token expiry — captured with a `tracing` subscriber writing into
//! a buffer: the spans carry operation, attempt, requestId and throttle
//! wait, and no client secret, encryption key or access token appears.
//! (Its own test binary: the subscriber is global.)

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use marketo_emulator::{Credentials, Emulator, Fault, Limits as EmuLimits};
use marketo_resilience::{Limits, RetryPolicy, Throttle};
use marketo_rest::ClientCore;
use marketo_rest::marketo_auth::RestCredentials;
use marketo_soap::SoapConfig;
use marketo_soap::types::ParamsGetChannels;
use secrecy::ExposeSecret;

const CLIENT_SECRET: &str = "trace-client-secret-4d1f9a";
const ENCRYPTION_KEY: &str = "trace-encryption-key-77c0e2";

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_run_logs_no_secret() {
    let captured = Captured::default();
    let writer = captured.clone();
    tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_span_events(tracing_subscriber::fmt::format::FmtSpan::CLOSE)
        .with_writer(move || writer.clone())
        .init();

    let mut limits = EmuLimits::default();
    limits.rest.window = Duration::from_secs(1);
    limits.soap.window = Duration::from_secs(1);
    let emu = Emulator::builder()
        .limits(limits)
        .credentials(Credentials {
            client_secret: CLIENT_SECRET.into(),
            encryption_key: ENCRYPTION_KEY.into(),
            ..Credentials::default()
        })
        .start()
        .await
        .unwrap();
    let throttle = Throttle::new(Limits {
        window: Duration::from_secs(1),
        window_margin: Duration::from_millis(200),
        ..Limits::default()
    })
    .unwrap();
    let retry = RetryPolicy {
        min_delay: Duration::from_millis(5),
        max_delay: Duration::from_millis(40),
        ..RetryPolicy::default()
    };
    let c = emu.credentials();
    let rest = ClientCore::builder(
        RestCredentials::new(&emu.rest_base_url(), c.client_id.clone(), CLIENT_SECRET).unwrap(),
    )
    .throttle(throttle.clone())
    .retry(retry.clone())
    .build_client()
    .unwrap();
    let soap = marketo_soap::Client::from_core(
        marketo_soap::ClientCore::builder(
            SoapConfig::new(&emu.soap_endpoint(), c.user_id.clone(), ENCRYPTION_KEY).unwrap(),
        )
        .throttle(throttle)
        .retry(retry)
        .build()
        .unwrap(),
    );

    let mut tokens = BTreeSet::new();
    // Load past one window, with faults on the way.
    emu.inject(Fault::RestError("606".into()), 2);
    emu.inject(Fault::HttpStatus(503), 1);
    emu.inject(Fault::SoapFault("20023".into()), 1);
    let mut tasks = Vec::new();
    for _ in 0..10 {
        let rest = rest.clone();
        let soap = soap.clone();
        tasks.push(tokio::spawn(async move {
            for _ in 0..8 {
                rest.get_program_by_id(1001).await.unwrap();
                soap.get_channels(ParamsGetChannels::default())
                    .await
                    .unwrap();
            }
        }));
    }
    for task in tasks {
        task.await.unwrap();
    }
    tokens.insert(
        rest.core()
            .token_provider()
            .token()
            .await
            .unwrap()
            .secret()
            .expose_secret()
            .to_owned(),
    );
    // A forced expiry: 602, a refresh, a new token.
    emu.expire_tokens();
    rest.get_program_by_id(1001).await.unwrap();
    emu.inject(Fault::RestError("601".into()), 1);
    rest.get_program_by_id(1001).await.unwrap();
    // Errors too.
    let _ = rest.get_program_by_id(424_242).await.unwrap_err();
    emu.inject(Fault::RestError("607".into()), 1);
    let _ = rest.get_program_by_id(1001).await.unwrap_err();
    tokens.insert(
        rest.core()
            .token_provider()
            .token()
            .await
            .unwrap()
            .secret()
            .expose_secret()
            .to_owned(),
    );
    assert_eq!(tokens.len(), 2, "the expiry made a new token");
    assert_eq!(emu.stats().errors("602"), 1);

    let logs = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    // What the spans carry.
    assert!(logs.contains("marketo_rest.call"), "{logs}");
    assert!(logs.contains("marketo_soap.call"), "{logs}");
    assert!(logs.contains(r#"operation="getProgramById""#), "{logs}");
    assert!(logs.contains("operation=\"getChannels\""), "{logs}");
    assert!(logs.contains("attempt=2"), "retries are visible");
    assert!(logs.contains("throttle_wait_ms="), "{logs}");
    assert!(logs.contains("request_id="), "{logs}");
    assert!(logs.contains("retrying"), "{logs}");
    assert!(logs.contains("refreshing it and retrying once"), "{logs}");
    // What they never carry.
    assert!(!logs.contains(CLIENT_SECRET), "client secret in the logs");
    assert!(!logs.contains(ENCRYPTION_KEY), "encryption key in the logs");
    for token in &tokens {
        assert!(
            !logs.contains(token.as_str()),
            "an access token in the logs"
        );
    }
}
