//! The REST client against the emulator enforcing Marketo's limits:
//! throttling under load, token refresh under concurrency, every injected
//! fault, the daily budget and page prefetch (issues 6 and 16).

use std::sync::Arc;
use std::time::Duration;

use futures::{StreamExt, TryStreamExt};
use marketo_emulator::{Emulator, Fault, Limits as EmuLimits};
use marketo_resilience::{DailyBudget, Limits, RetryPolicy, Throttle, ThrottleError};
use marketo_rest::marketo_auth::RestCredentials;
use marketo_rest::params::BrowseProgramsParams;
use marketo_rest::{Client, ClientCore, RestError};

/// The emulator's and the client's scaled rate window: 100 calls per
/// second instead of per 20 s, so that 1,000 calls take about 10 s.
const WINDOW: Duration = Duration::from_secs(1);

/// Quick retries for fault tests: 5 attempts, milliseconds apart.
fn quick_retry() -> RetryPolicy {
    RetryPolicy {
        max_attempts: 5,
        min_delay: Duration::from_millis(5),
        max_delay: Duration::from_millis(40),
        max_elapsed: Duration::from_secs(10),
        jitter: true,
    }
}

/// An emulator with Marketo's limits, the rate window scaled to [`WINDOW`].
async fn emulator() -> Emulator {
    let mut limits = EmuLimits::default();
    limits.rest.window = WINDOW;
    limits.soap.window = WINDOW;
    Emulator::builder().limits(limits).start().await.unwrap()
}

/// The client's limits matching the emulator's: 100 − 2 calls per
/// [`WINDOW`] (+ 200 ms for network timing), 5 in flight.
fn scaled_throttle() -> Throttle {
    Throttle::new(Limits {
        window: WINDOW,
        // Scaled like the window (1 s per 20 s by default).
        window_margin: WINDOW / 5,
        ..Limits::default()
    })
    .unwrap()
}

fn credentials(emu: &Emulator) -> RestCredentials {
    let c = emu.credentials();
    RestCredentials::new(&emu.rest_base_url(), c.client_id, c.client_secret).unwrap()
}

fn client(emu: &Emulator, throttle: Throttle, retry: RetryPolicy) -> Client {
    ClientCore::builder(credentials(emu))
        .throttle(throttle)
        .retry(retry)
        .timeout(Duration::from_secs(10))
        .build_client()
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_calls_from_fifty_tasks_stay_within_the_limits() {
    let emu = emulator().await;
    let client = client(&emu, scaled_throttle(), RetryPolicy::default());
    let mut tasks = Vec::new();
    for task in 0..50 {
        let client = client.clone();
        tasks.push(tokio::spawn(async move {
            let mut ok = 0;
            for i in 0..20 {
                // Alternate operations; every one is a counted REST call.
                let result = if (task + i) % 2 == 0 {
                    client.get_program_by_id(1001).await.map(|_| 1)
                } else {
                    client
                        .get_channels(Default::default())
                        .await
                        .map(|r| r.value.len())
                };
                match result {
                    Ok(n) if n > 0 => ok += 1,
                    Ok(_) => panic!("empty result"),
                    Err(e) => panic!("call failed: {e}"),
                }
            }
            ok
        }));
    }
    let mut succeeded = 0;
    for task in tasks {
        succeeded += task.await.unwrap();
    }
    assert_eq!(succeeded, 1000);

    let stats = emu.stats();
    assert_eq!(stats.rest.calls, 1000, "no call was retried: {stats:?}");
    assert_eq!(stats.rest.executed, 1000);
    assert_eq!(stats.errors("606"), 0, "{stats:?}");
    assert_eq!(stats.errors("615"), 0, "{stats:?}");
    assert!(stats.rest.max_calls_in_window <= 100, "{stats:?}");
    // The emulator counts a call in flight until its handler ends, which
    // can overlap the client's next call by a moment: Marketo's limit is 10.
    assert!(stats.rest.max_concurrent <= 10, "{stats:?}");
    assert_eq!(stats.token_requests, 1, "one token for all tasks");
    let throttle = client.core().throttle().stats();
    assert_eq!(throttle.admitted, 1000);
    assert!(throttle.max_in_flight <= 5);
    assert!(
        throttle.waited > Duration::ZERO,
        "1,000 calls need ten windows"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tokens_expired_mid_run_cost_exactly_one_token_request() {
    let emu = emulator().await;
    // 10 in flight: up to 10 calls meet the expired token at once.
    let throttle = Throttle::new(Limits {
        max_in_flight: 10,
        window: WINDOW,
        window_margin: WINDOW / 5,
        ..Limits::default()
    })
    .unwrap();
    let client = client(&emu, throttle, RetryPolicy::never());
    // A first round gets the token.
    client.get_program_by_id(1001).await.unwrap();
    assert_eq!(emu.stats().token_requests, 1);
    let barrier = Arc::new(tokio::sync::Barrier::new(21));
    let mut tasks = Vec::new();
    for _ in 0..20 {
        let client = client.clone();
        let barrier = barrier.clone();
        tasks.push(tokio::spawn(async move {
            barrier.wait().await;
            for _ in 0..5 {
                client.get_program_by_id(1001).await?;
            }
            Ok::<_, RestError>(())
        }));
    }
    // Every token issued so far is expired before the tasks start: their
    // first calls (up to 10 at once) all meet 602.
    emu.expire_tokens();
    barrier.wait().await;
    for task in tasks {
        task.await.unwrap().unwrap();
    }
    let stats = emu.stats();
    assert!(stats.errors("602") >= 1, "{stats:?}");
    assert_eq!(stats.token_requests, 2, "one refresh for all: {stats:?}");
    assert_eq!(stats.rest.executed, 101);
}

#[tokio::test]
async fn each_transient_fault_ends_in_success_after_retries() {
    let emu = emulator().await;
    let client = client(&emu, scaled_throttle(), quick_retry());
    client.get_program_by_id(1001).await.unwrap();
    let faults = [
        Fault::RestError("604".into()),
        Fault::RestError("606".into()),
        Fault::RestError("608".into()),
        Fault::RestError("611".into()),
        Fault::RestError("615".into()),
        Fault::RestError("713".into()),
        Fault::HttpStatus(502),
        Fault::HttpStatus(503),
        Fault::HttpStatus(500),
        Fault::DropConnection,
    ];
    for fault in faults {
        emu.reset_stats();
        emu.inject(fault.clone(), 2);
        let program = client
            .get_program_by_id(1001)
            .await
            .unwrap_or_else(|e| panic!("{fault:?}: {e}"));
        assert_eq!(program.id, 1001);
        assert_eq!(emu.pending_faults(), 0, "{fault:?}");
        assert_eq!(emu.stats().rest.executed, 1, "{fault:?}");
    }
    // A POST (approveProgram) is retried after 6xx codes too: not executed.
    emu.reset_stats();
    emu.inject(Fault::RestError("606".into()), 2);
    let err = client.approve_program(1001).await.unwrap_err();
    // Approving a Default program is refused with 709 — after the retries.
    assert_eq!(err.code(), Some("709"), "{err}");
    assert_eq!(emu.stats().rest.calls, 3);
}

#[tokio::test]
async fn tokens_refused_by_injection_are_refreshed_once_per_call() {
    let emu = emulator().await;
    let client = client(&emu, scaled_throttle(), quick_retry());
    client.get_program_by_id(1001).await.unwrap();
    for code in ["601", "602"] {
        emu.reset_stats();
        emu.inject(Fault::RestError(code.into()), 1);
        client.get_program_by_id(1001).await.unwrap();
        let stats = emu.stats();
        assert_eq!(stats.rest.calls, 2, "{code}");
        assert_eq!(stats.token_requests, 1, "{code}: one refresh");
    }
}

#[tokio::test]
async fn faults_that_are_not_transient_come_back_typed_and_unretried() {
    let emu = emulator().await;
    let client = client(&emu, scaled_throttle(), quick_retry());
    client.get_program_by_id(1001).await.unwrap();

    // 607: the daily quota — never retried.
    emu.reset_stats();
    emu.inject(Fault::RestError("607".into()), 3);
    let err = client.get_program_by_id(1001).await.unwrap_err();
    assert_eq!(err.code(), Some("607"));
    assert!(err.is_rate_limited());
    assert_eq!(emu.stats().rest.calls, 1, "607 is not retried");
    emu.clear_faults();

    // A garbage or truncated body: a typed decode error (not retried: the
    // call was answered, it may have been executed).
    for fault in [Fault::MalformedBody, Fault::TruncatedBody] {
        emu.reset_stats();
        emu.inject(fault.clone(), 1);
        let err = client.get_program_by_id(1001).await.unwrap_err();
        assert!(
            matches!(err, RestError::Decode { .. }),
            "{fault:?}: {err:?}"
        );
        assert_eq!(emu.stats().rest.calls, 1);
    }

    // Attempts are bounded: 606 six times with five attempts.
    emu.reset_stats();
    emu.inject(Fault::RestError("606".into()), 6);
    let err = client.get_program_by_id(1001).await.unwrap_err();
    assert_eq!(err.code(), Some("606"));
    assert_eq!(emu.stats().rest.calls, 5);
    emu.clear_faults();

    // A dropped connection on a POST may have executed the call: not
    // retried, a typed transport error.
    emu.reset_stats();
    emu.inject(Fault::DropConnection, 1);
    let err = client.approve_program(1005).await.unwrap_err();
    assert!(matches!(err, RestError::Transport(_)), "{err:?}");
    assert_eq!(emu.stats().dropped_connections, 1);
    assert_eq!(emu.stats().rest.executed, 0);

    // An API error other than the transient ones: not retried.
    emu.reset_stats();
    let err = client
        .get_program_by_name("No Such Program", Default::default())
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some("702"));
    assert_eq!(emu.stats().rest.calls, 1);
}

#[tokio::test]
async fn a_post_whose_connection_is_refused_is_retried() {
    // Nothing listens: the connection cannot be made, so even a POST is
    // retried (it provably never reached the server). The token request
    // fails first here, so take the token from a live emulator, then stop it.
    let emu = emulator().await;
    // No pooled connection: each attempt must connect anew.
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(0)
        .build()
        .unwrap();
    let client = ClientCore::builder(credentials(&emu))
        .http_client(http)
        .throttle(scaled_throttle())
        .retry(quick_retry())
        .build_client()
        .unwrap();
    client.get_program_by_id(1001).await.unwrap();
    drop(emu);
    tokio::time::sleep(Duration::from_millis(50)).await;
    let before = client.core().requests_sent();
    let err = client.approve_program(1005).await.unwrap_err();
    match &err {
        RestError::Transport(e) => assert!(e.is_connect(), "{e:?}"),
        other => panic!("expected a transport error, got {other:?}"),
    }
    assert_eq!(client.core().requests_sent() - before, 5, "all attempts");
}

#[tokio::test]
async fn the_daily_budget_fails_fast_without_a_call() {
    let emu = emulator().await;
    let throttle = Throttle::new(Limits {
        daily_budget: Some(DailyBudget::new(3)),
        ..Limits::default()
    })
    .unwrap();
    let client = client(&emu, throttle.clone(), quick_retry());
    for _ in 0..3 {
        client.get_program_by_id(1001).await.unwrap();
    }
    let err = client.get_program_by_id(1001).await.unwrap_err();
    assert!(
        matches!(
            err,
            RestError::Throttle(ThrottleError::DailyBudgetExhausted { limit: 3, .. })
        ),
        "{err:?}"
    );
    assert_eq!(emu.stats().rest.calls, 3, "no call made");
    assert_eq!(throttle.budget_used(), 3);
}

#[tokio::test]
async fn clones_and_other_clients_share_one_throttle() {
    let emu = emulator().await;
    let throttle = scaled_throttle();
    let a = client(&emu, throttle.clone(), quick_retry());
    let b = client(&emu, throttle.clone(), quick_retry());
    let a2 = a.clone();
    a.get_program_by_id(1001).await.unwrap();
    a2.get_program_by_id(1001).await.unwrap();
    b.get_program_by_id(1001).await.unwrap();
    assert_eq!(throttle.stats().admitted, 3);
    // A client built without a throttle has its own.
    let own = ClientCore::builder(credentials(&emu)).build().unwrap();
    assert_eq!(own.throttle().stats().admitted, 0);
    assert_eq!(own.throttle().limits(), &Limits::default());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn default_streams_prefetch_within_the_throttle_and_stop_at_the_short_page() {
    let emu = emulator().await;
    emu.add_programs(2_000);
    emu.set_latency(Some(Duration::from_millis(20)));
    let throttle = scaled_throttle();
    let client = client(&emu, throttle.clone(), quick_retry());
    let params = BrowseProgramsParams::new().max_return(200);
    let sequential: Vec<i32> = client
        .browse_programs_stream(params.clone())
        .with_prefetch(1)
        .map_ok(|p| p.id)
        .try_collect()
        .await
        .unwrap();
    let sequential_stats = emu.stats();
    assert_eq!(sequential_stats.rest.max_concurrent, 1);
    // 11 pages, the last one short: no call past it.
    assert_eq!(sequential_stats.rest.calls, 11);

    emu.reset_stats();
    let before = throttle.stats();
    assert_eq!(before.max_in_flight, 1, "{before:?}");
    // Default settings: the throttle's 5 in flight.
    let mut stream = client.browse_programs_stream(params);
    let mut prefetched = Vec::new();
    let mut offsets = vec![stream.offset()];
    while let Some(p) = stream.try_next().await.unwrap() {
        prefetched.push(p.id);
        offsets.push(stream.offset());
    }
    let stats = emu.stats();
    assert_eq!(prefetched.len(), 2_005, "2,000 seeded + 5 demo programs");
    assert_eq!(prefetched, sequential, "same items, same order");
    let unique: std::collections::BTreeSet<_> = prefetched.iter().collect();
    assert_eq!(unique.len(), prefetched.len(), "no duplicates");
    assert_eq!(
        offsets,
        (0..=2_005).collect::<Vec<i64>>(),
        "offset() follows every item"
    );
    // Five exchanges at once on the client's side; at most five at the
    // emulator, which answers each no earlier than 20 ms after it arrived
    // but works on one call at a time, so a slow (debug) build may see
    // fewer overlap there.
    assert_eq!(throttle.stats().max_in_flight, 5, "{:?}", throttle.stats());
    assert!((2..=5).contains(&stats.rest.max_concurrent), "{stats:?}");
    // 11 pages, plus at most 4 requested beyond the end and dropped.
    assert!((11..=15).contains(&stats.rest.calls), "{stats:?}");
    assert_eq!(stats.errors("606") + stats.errors("615"), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn streams_sharing_a_throttle_never_exceed_its_in_flight_limit() {
    let emu = emulator().await;
    emu.add_programs(1_200);
    emu.set_latency(Some(Duration::from_millis(20)));
    let throttle = Throttle::new(Limits {
        window: WINDOW,
        window_margin: WINDOW / 5,
        max_in_flight: 3,
        ..Limits::default()
    })
    .unwrap();
    let client = client(&emu, throttle, quick_retry());
    let params = BrowseProgramsParams::new().max_return(100);
    // Three streams at once, one asking for more pages than the throttle
    // allows (on tasks of their own).
    let (a, b, c) = tokio::join!(
        client
            .browse_programs_stream(params.clone())
            .map_ok(|p| p.id)
            .try_collect::<Vec<_>>(),
        client
            .browse_programs_stream(params.clone())
            .with_prefetch(10)
            .with_page_tasks(true)
            .map_ok(|p| p.id)
            .try_collect::<Vec<_>>(),
        client
            .browse_programs_stream(params.clone().offset(600))
            .map_ok(|p| p.id)
            .try_collect::<Vec<_>>(),
    );
    let (a, b, c) = (a.unwrap(), b.unwrap(), c.unwrap());
    assert_eq!(a.len(), 1_205);
    assert_eq!(a, b);
    assert_eq!(c, a[600..]);
    let stats = emu.stats();
    assert_eq!(stats.rest.max_concurrent, 3, "{stats:?}");
    assert_eq!(stats.errors("606") + stats.errors("615"), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failing_page_surfaces_once_and_the_stream_resumes_from_its_offset() {
    let emu = emulator().await;
    emu.add_programs(1_000);
    let client = client(&emu, scaled_throttle(), RetryPolicy::never());
    let params = BrowseProgramsParams::new().max_return(100);
    let all: Vec<i32> = client
        .browse_programs_stream(params.clone())
        .map_ok(|p| p.id)
        .try_collect()
        .await
        .unwrap();
    // The first page is fetched alone; then a page fails (not retryable).
    let mut stream = client.browse_programs_stream(params.clone());
    let mut got = Vec::new();
    got.push(stream.try_next().await.unwrap().unwrap().id);
    emu.inject(Fault::RestError("611".into()), 1);
    let err = loop {
        match stream.next().await {
            Some(Ok(p)) => got.push(p.id),
            Some(Err(e)) => break e,
            None => panic!("the stream ended without the error"),
        }
    };
    assert_eq!(err.code(), Some("611"), "{err}");
    assert!(stream.next().await.is_none(), "an error ends the stream");
    assert_eq!(got, all[..got.len()], "items before the error, in order");
    let resume_at = stream.offset();
    assert_eq!(resume_at, i64::try_from(got.len()).unwrap());
    let rest: Vec<i32> = client
        .browse_programs_stream(params.offset(i32::try_from(resume_at).unwrap()))
        .map_ok(|p| p.id)
        .try_collect()
        .await
        .unwrap();
    got.extend(rest);
    assert_eq!(got, all, "no gap, no duplicate after resuming");
}

#[tokio::test]
async fn timeouts_are_retried_for_reads_only() {
    let emu = emulator().await;
    emu.set_latency(Some(Duration::from_millis(400)));
    let client = ClientCore::builder(credentials(&emu))
        .throttle(scaled_throttle())
        .retry(RetryPolicy {
            max_attempts: 3,
            ..quick_retry()
        })
        .connect_timeout(Duration::from_secs(2))
        .timeout(Duration::from_millis(100))
        .build_client()
        .unwrap();
    // A GET that times out is sent again (3 attempts), then fails typed.
    let err = client.get_program_by_id(1001).await.unwrap_err();
    match &err {
        RestError::Transport(e) => assert!(e.is_timeout(), "{e:?}"),
        other => panic!("expected a timeout, got {other:?}"),
    }
    assert_eq!(client.core().requests_sent(), 3);
    // A POST that times out may have been executed: not sent again.
    let err = client.approve_program(1005).await.unwrap_err();
    assert!(
        matches!(err, RestError::Transport(ref e) if e.is_timeout()),
        "{err:?}"
    );
    assert_eq!(client.core().requests_sent(), 4);
    // With the latency gone, the same client succeeds.
    emu.set_latency(None);
    client.get_program_by_id(1001).await.unwrap();
}
