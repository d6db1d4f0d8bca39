//! The SOAP client against the emulator enforcing Marketo's limits:
//! throttling under load, a throttle shared with the REST client, injected
//! faults, fresh signatures on retries (issue 6).

use std::time::{Duration, Instant};

use marketo_emulator::{Emulator, Fault, Limits as EmuLimits};
use marketo_resilience::{Limits, RetryPolicy, Throttle};
use marketo_rest::ClientCore;
use marketo_rest::marketo_auth::RestCredentials;
use marketo_soap::types::{ParamsGetChannels, ParamsScheduleCampaign};
use marketo_soap::{Client as SoapClient, ClientCore as SoapCore, SoapConfig};

const WINDOW: Duration = Duration::from_secs(1);

fn quick_retry() -> RetryPolicy {
    RetryPolicy {
        max_attempts: 5,
        min_delay: Duration::from_millis(5),
        max_delay: Duration::from_millis(40),
        max_elapsed: Duration::from_secs(10),
        jitter: true,
    }
}

fn scaled_limits() -> EmuLimits {
    let mut limits = EmuLimits::default();
    limits.rest.window = WINDOW;
    limits.soap.window = WINDOW;
    limits
}

fn scaled_throttle() -> Throttle {
    Throttle::new(Limits {
        window: WINDOW,
        // Scaled like the window (1 s per 20 s by default).
        window_margin: WINDOW / 5,
        ..Limits::default()
    })
    .unwrap()
}

fn soap_client(emu: &Emulator, throttle: Throttle, retry: RetryPolicy) -> SoapClient {
    let c = emu.credentials();
    let config = SoapConfig::new(&emu.soap_endpoint(), c.user_id, c.encryption_key).unwrap();
    SoapClient::from_core(
        SoapCore::builder(config)
            .throttle(throttle)
            .retry(retry)
            .timeout(Duration::from_secs(10))
            .build()
            .unwrap(),
    )
}

fn schedule() -> ParamsScheduleCampaign {
    ParamsScheduleCampaign::new("Demo Default Program", "Demo Batch Campaign")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_hundred_soap_calls_from_thirty_tasks_stay_within_the_limits() {
    let emu = Emulator::builder()
        .limits(scaled_limits())
        .start()
        .await
        .unwrap();
    let client = soap_client(&emu, scaled_throttle(), RetryPolicy::default());
    let mut tasks = Vec::new();
    for _ in 0..30 {
        let client = client.clone();
        tasks.push(tokio::spawn(async move {
            for _ in 0..10 {
                let channels = client.get_channels(ParamsGetChannels::default()).await?;
                assert!(!channels.tags.is_empty());
            }
            Ok::<_, marketo_soap::SoapError>(())
        }));
    }
    for task in tasks {
        task.await.unwrap().unwrap();
    }
    let stats = emu.stats();
    assert_eq!(stats.soap.calls, 300, "{stats:?}");
    assert_eq!(stats.soap.executed, 300);
    assert_eq!(
        stats.errors("20023") + stats.errors("20024"),
        0,
        "{stats:?}"
    );
    assert!(stats.soap.max_calls_in_window <= 100, "{stats:?}");
    assert!(stats.soap.max_concurrent <= 10, "{stats:?}");
    assert_eq!(client.core().throttle().stats().admitted, 300);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rest_and_soap_clients_can_share_one_throttle() {
    let emu = Emulator::builder()
        .limits(scaled_limits())
        .start()
        .await
        .unwrap();
    let throttle = scaled_throttle();
    let soap = soap_client(&emu, throttle.clone(), quick_retry());
    let c = emu.credentials();
    let rest = ClientCore::builder(
        RestCredentials::new(&emu.rest_base_url(), c.client_id, c.client_secret).unwrap(),
    )
    .throttle(throttle.clone())
    .build_client()
    .unwrap();
    let started = Instant::now();
    let soap_calls = async {
        for _ in 0..100 {
            soap.get_channels(ParamsGetChannels::default())
                .await
                .unwrap();
        }
    };
    let rest_calls = async {
        for _ in 0..100 {
            rest.get_program_by_id(1001).await.unwrap();
        }
    };
    tokio::join!(soap_calls, rest_calls);
    // 200 calls through one budget of 98 per window need three windows.
    assert!(started.elapsed() >= 2 * WINDOW, "{:?}", started.elapsed());
    assert_eq!(throttle.stats().admitted, 200);
    let stats = emu.stats();
    assert_eq!((stats.rest.calls, stats.soap.calls), (100, 100));
}

#[tokio::test]
async fn transient_soap_faults_end_in_success() {
    let emu = Emulator::builder()
        .limits(scaled_limits())
        .start()
        .await
        .unwrap();
    let client = soap_client(&emu, scaled_throttle(), quick_retry());
    for fault in [
        Fault::SoapFault("20023".into()),
        Fault::SoapFault("20024".into()),
        Fault::HttpStatus(502),
        Fault::HttpStatus(503),
        Fault::DropConnection,
    ] {
        emu.reset_stats();
        emu.inject(fault.clone(), 2);
        client
            .get_channels(ParamsGetChannels::default())
            .await
            .unwrap_or_else(|e| panic!("{fault:?}: {e}"));
        assert_eq!(emu.pending_faults(), 0, "{fault:?}");
        assert_eq!(emu.stats().soap.executed, 1, "{fault:?}");
    }
    // A write operation is retried after 20023 (not executed) too.
    emu.reset_stats();
    emu.inject(Fault::SoapFault("20023".into()), 2);
    let done = client.schedule_campaign(schedule()).await.unwrap();
    assert!(done.success);
    assert_eq!(emu.schedules().len(), 1);
}

#[tokio::test]
async fn other_soap_failures_are_typed_and_not_retried() {
    let emu = Emulator::builder()
        .limits(scaled_limits())
        .start()
        .await
        .unwrap();
    let client = soap_client(&emu, scaled_throttle(), quick_retry());
    // 20015: the daily quota.
    emu.inject(Fault::SoapFault("20015".into()), 3);
    let err = client
        .get_channels(ParamsGetChannels::default())
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("20015"));
    assert_eq!(emu.stats().soap.calls, 1);
    emu.clear_faults();

    // A dropped connection on a write operation: not retried.
    emu.reset_stats();
    emu.inject(Fault::DropConnection, 1);
    let err = client.schedule_campaign(schedule()).await.unwrap_err();
    assert!(
        matches!(err, marketo_soap::SoapError::Transport(_)),
        "{err:?}"
    );
    assert!(emu.schedules().is_empty());
    assert_eq!(emu.stats().dropped_connections, 1);

    // A garbage body: a typed decode error.
    emu.reset_stats();
    emu.inject(Fault::MalformedBody, 1);
    let err = client
        .get_channels(ParamsGetChannels::default())
        .await
        .unwrap_err();
    assert!(
        matches!(err, marketo_soap::SoapError::Decode { .. }),
        "{err:?}"
    );
    assert_eq!(emu.stats().soap.calls, 1);
}

#[tokio::test]
async fn each_retry_is_signed_afresh() {
    // The emulator accepts a signature for 1 s; the retry comes 2.5 s after
    // the first attempt, so a reused signature would fail with 20016.
    let emu = Emulator::builder()
        .limits(scaled_limits())
        .signature_window(Duration::from_secs(1))
        .start()
        .await
        .unwrap();
    let retry = RetryPolicy {
        max_attempts: 2,
        min_delay: Duration::from_millis(2500),
        max_delay: Duration::from_millis(2500),
        max_elapsed: Duration::from_secs(10),
        jitter: false,
    };
    let client = soap_client(&emu, scaled_throttle(), retry);
    emu.inject(Fault::SoapFault("20023".into()), 1);
    client
        .get_channels(ParamsGetChannels::default())
        .await
        .unwrap();
    let stats = emu.stats();
    assert_eq!(stats.soap.calls, 2);
    assert_eq!(stats.errors("20016"), 0, "{stats:?}");
}
