//! The Redis-backed throttle against a real Redis server.
//!
//! Tests that need a server read its URL from `MARKETO_TEST_REDIS_URL` and
//! are skipped, with a printed notice, when it is unset (`.ci/run` starts a
//! server and sets it). The restart test starts its own server from the
//! `redis-server` binary named by `MARKETO_TEST_REDIS_SERVER`.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use marketo_resilience::{DailyBudget, Limits, RedisConfig, Throttle, ThrottleError, Unavailable};

fn redis_url(test: &str) -> Option<String> {
    let url = std::env::var("MARKETO_TEST_REDIS_URL").ok();
    if url.is_none() {
        println!("skipped {test}: MARKETO_TEST_REDIS_URL is not set (no Redis server)");
    }
    url
}

fn prefix(test: &str) -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    format!("test:{test}:{}:{nanos}", std::process::id())
}

/// 10 usable calls per 350 ms, 3 in flight.
fn small_limits() -> Limits {
    Limits {
        calls: 12,
        margin: 2,
        window: Duration::from_millis(300),
        window_margin: Duration::from_millis(50),
        max_in_flight: 3,
        daily_budget: None,
    }
}

const USABLE: usize = 10;
const WINDOW: Duration = Duration::from_millis(350);
/// Loopback round trips: a grant is observed slightly after Redis made it.
const TOLERANCE: Duration = Duration::from_millis(15);

/// Records call starts and the calls in flight as the callers see them.
#[derive(Default)]
struct Observed {
    starts: Mutex<Vec<Instant>>,
    current: AtomicUsize,
    max: AtomicUsize,
}

impl Observed {
    async fn call(&self, throttle: &Throttle, hold: Duration) -> Result<(), ThrottleError> {
        let permit = throttle.acquire().await?;
        self.starts.lock().unwrap().push(Instant::now());
        let now = self.current.fetch_add(1, Ordering::SeqCst) + 1;
        self.max.fetch_max(now, Ordering::SeqCst);
        tokio::time::sleep(hold).await;
        self.current.fetch_sub(1, Ordering::SeqCst);
        drop(permit);
        Ok(())
    }

    /// The shortest time spanned by `USABLE + 1` consecutive starts.
    fn tightest_window(&self) -> Duration {
        let mut starts = self.starts.lock().unwrap().clone();
        starts.sort();
        starts
            .windows(USABLE + 1)
            .map(|w| w[USABLE] - w[0])
            .min()
            .unwrap_or(Duration::MAX)
    }
}

/// Several throttles (one connection each, as separate processes would
/// have) drawing from one prefix keep the shared limits.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shared_limits_hold_across_throttles() {
    let Some(url) = redis_url("shared_limits_hold_across_throttles") else {
        return;
    };
    let config = RedisConfig::new(url).key_prefix(prefix("shared"));
    let observed = Arc::new(Observed::default());
    let mut tasks = Vec::new();
    for _ in 0..3 {
        let throttle = Throttle::redis(small_limits(), config.clone()).unwrap();
        for _ in 0..4 {
            let (throttle, observed) = (throttle.clone(), Arc::clone(&observed));
            tasks.push(tokio::spawn(async move {
                for _ in 0..4 {
                    observed
                        .call(&throttle, Duration::from_millis(15))
                        .await
                        .unwrap();
                }
            }));
        }
    }
    for task in tasks {
        task.await.unwrap();
    }
    assert_eq!(observed.starts.lock().unwrap().len(), 48);
    assert!(
        observed.max.load(Ordering::SeqCst) <= 3,
        "more than 3 in flight"
    );
    let tightest = observed.tightest_window();
    assert!(
        tightest + TOLERANCE >= WINDOW,
        "{} calls within {tightest:?} (< {WINDOW:?})",
        USABLE + 1
    );
}

#[tokio::test]
async fn daily_budget_is_shared() {
    let Some(url) = redis_url("daily_budget_is_shared") else {
        return;
    };
    let limits = Limits {
        daily_budget: Some(DailyBudget::new(5)),
        ..Limits::unlimited()
    };
    let config = RedisConfig::new(url)
        .key_prefix(prefix("budget"))
        .hold_after_reset(false);
    let a = Throttle::redis(limits.clone(), config.clone()).unwrap();
    let b = Throttle::redis(limits, config).unwrap();
    for i in 0..5 {
        let t = if i % 2 == 0 { &a } else { &b };
        drop(t.acquire().await.unwrap());
    }
    assert_eq!(b.budget_used(), 4);
    assert!(matches!(
        b.acquire().await,
        Err(ThrottleError::DailyBudgetExhausted { limit: 5, .. })
    ));
    assert!(a.acquire().await.is_err());
}

/// A holder whose runtime dies (as a killed process would) stops renewing
/// its leases; its slots come back once the lease runs out, not before.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dead_holder_slots_come_back_within_the_lease() {
    let Some(url) = redis_url("dead_holder_slots_come_back_within_the_lease") else {
        return;
    };
    let lease = Duration::from_millis(600);
    let config = RedisConfig::new(url)
        .key_prefix(prefix("lease"))
        .lease(lease)
        .hold_after_reset(false);
    let limits = Limits {
        max_in_flight: 3,
        ..Limits::unlimited()
    };
    let dead_config = config.clone();
    let dead_limits = limits.clone();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async {
            let throttle = Throttle::redis(dead_limits, dead_config).unwrap();
            for _ in 0..3 {
                std::mem::forget(throttle.acquire().await.unwrap());
            }
        });
        rt.shutdown_background();
    })
    .join()
    .unwrap();
    let held_since = Instant::now();
    let throttle = Throttle::redis(limits, config).unwrap();
    let first = throttle.acquire().await.unwrap();
    let waited = held_since.elapsed();
    assert!(
        waited >= lease / 2,
        "a slot came back after {waited:?}, before the lease ran out"
    );
    assert!(
        waited <= lease + Duration::from_millis(300),
        "the slots took {waited:?} to come back (lease {lease:?})"
    );
    let second = throttle.acquire().await.unwrap();
    let third = throttle.acquire().await.unwrap();
    assert!(held_since.elapsed() <= lease + Duration::from_millis(300));
    drop((first, second, third));
}

/// Fail closed: with Redis unreachable, no call is admitted and the caller
/// gets `Unavailable` after the configured wait.
#[tokio::test]
async fn fail_closed_when_redis_is_unreachable() {
    let config = RedisConfig::new("redis://127.0.0.1:1/")
        .on_unavailable(Unavailable::Wait(Duration::from_millis(300)))
        .op_timeout(Duration::from_millis(200));
    let throttle = Throttle::redis(Limits::unlimited(), config).unwrap();
    let started = Instant::now();
    let outcome = throttle.acquire().await;
    assert!(
        matches!(outcome, Err(ThrottleError::Unavailable(_))),
        "{outcome:?}"
    );
    assert!(started.elapsed() >= Duration::from_millis(300));
    assert_eq!(throttle.stats().admitted, 0);
}

/// Local share: with Redis unreachable, calls go through `1/processes` of
/// the limits in this process.
#[tokio::test]
async fn local_share_when_redis_is_unreachable() {
    let limits = Limits {
        calls: 10,
        margin: 0,
        window: Duration::from_secs(5),
        window_margin: Duration::ZERO,
        max_in_flight: 4,
        daily_budget: None,
    };
    let config = RedisConfig::new("redis://127.0.0.1:1/")
        .on_unavailable(Unavailable::LocalShare { processes: 2 })
        .op_timeout(Duration::from_millis(200));
    let throttle = Throttle::redis(limits, config).unwrap();
    let mut held = Vec::new();
    for _ in 0..2 {
        held.push(throttle.acquire().await.unwrap());
    }
    // 2 of 4 in flight: the third waits.
    assert!(
        tokio::time::timeout(Duration::from_millis(200), throttle.acquire())
            .await
            .is_err()
    );
    held.clear();
    for _ in 0..3 {
        drop(throttle.acquire().await.unwrap());
    }
    // 5 of 10 per window: the sixth waits for the window.
    assert!(
        tokio::time::timeout(Duration::from_millis(200), throttle.acquire())
            .await
            .is_err()
    );
    let stats = throttle.stats();
    assert_eq!((stats.admitted, stats.fallback), (5, 5));
}

/// Starts `redis-server` on `port` without persistence (a restart loses
/// the state, the worst case).
fn start_server(bin: &str, port: u16) -> std::process::Child {
    std::process::Command::new(bin)
        .args(["--port", &port.to_string(), "--bind", "127.0.0.1"])
        .args(["--save", "", "--appendonly", "no"])
        .stdout(std::process::Stdio::null())
        .spawn()
        .expect("redis-server starts")
}

/// Redis restarted mid-run, losing its state: with the default rule (fail
/// closed, hold one window after a reset) every call completes and no
/// window holds more than the limit, across the restart too.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redis_restart_loses_no_call_and_keeps_the_window() {
    let Ok(bin) = std::env::var("MARKETO_TEST_REDIS_SERVER") else {
        println!("skipped: MARKETO_TEST_REDIS_SERVER (a redis-server binary) is not set");
        return;
    };
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .unwrap()
        .port();
    let mut server = start_server(&bin, port);
    let config = RedisConfig::new(format!("redis://127.0.0.1:{port}/"))
        .key_prefix(prefix("restart"))
        .op_timeout(Duration::from_millis(200))
        .on_unavailable(Unavailable::Wait(Duration::from_secs(15)));
    // A window longer than the outage, so that calls before and after the
    // restart could share one.
    let window = Duration::from_millis(1500);
    let limits = Limits {
        window: window - Duration::from_millis(50),
        ..small_limits()
    };
    let observed = Arc::new(Observed::default());
    let mut tasks = Vec::new();
    for _ in 0..2 {
        let throttle = Throttle::redis(limits.clone(), config.clone()).unwrap();
        for _ in 0..3 {
            let (throttle, observed) = (throttle.clone(), Arc::clone(&observed));
            tasks.push(tokio::spawn(async move {
                for _ in 0..5 {
                    observed
                        .call(&throttle, Duration::from_millis(10))
                        .await
                        .unwrap();
                }
            }));
        }
    }
    // Mid-run: kill the server, leave it down, start a fresh one.
    // Right after the first full window's calls, while the next ones wait.
    while observed.starts.lock().unwrap().len() < USABLE {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    tokio::time::sleep(Duration::from_millis(100)).await;
    let before = observed.starts.lock().unwrap().len();
    server.kill().unwrap();
    server.wait().unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    let mut server = start_server(&bin, port);
    // A process starting now finds the window empty; only the hold keeps
    // it from calling within a window of the calls before the restart.
    let late = Throttle::redis(limits.clone(), config.clone()).unwrap();
    let late_observed = Arc::clone(&observed);
    tasks.push(tokio::spawn(async move {
        for _ in 0..5 {
            late_observed
                .call(&late, Duration::from_millis(10))
                .await
                .unwrap();
        }
    }));
    for task in tasks {
        task.await.unwrap();
    }
    server.kill().unwrap();
    server.wait().unwrap();
    assert!(
        before > 0 && before < 35,
        "restarted mid-run ({before} calls before)"
    );
    assert_eq!(observed.starts.lock().unwrap().len(), 35);
    assert!(observed.max.load(Ordering::SeqCst) <= 3);
    let tightest = observed.tightest_window();
    assert!(
        tightest + TOLERANCE >= window,
        "{} calls within {tightest:?} across the restart",
        USABLE + 1
    );
}
