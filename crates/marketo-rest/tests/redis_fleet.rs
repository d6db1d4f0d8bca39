//! A fleet of worker processes sharing Marketo's limits through one Redis
//! throttle, against one emulator with the limits on (the window scaled
//! from 20 s to 1 s so the run is short).
//!
//! Needs a Redis server: its URL is read from `MARKETO_TEST_REDIS_URL`; the
//! tests are skipped, with a printed notice, when it is unset (`.ci/run`
//! starts a server and sets it). The workers are this test binary itself,
//! started again to run only the ignored `fleet_worker` entry point.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use marketo_emulator::{Emulator, Limits as EmulatorLimits};
use marketo_rest::ClientCore;
use marketo_rest::marketo_auth::RestCredentials;
use marketo_rest::marketo_resilience::{Limits, RedisConfig, Throttle};
use marketo_rest::params::GetChannelsParams;

const PROCESSES: usize = 4;
const TASKS: usize = 25;
const CALLS_PER_TASK: usize = 20;
const WINDOW: Duration = Duration::from_secs(1);
const LEASE: Duration = Duration::from_millis(1500);

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
    format!("fleet:{test}:{}:{nanos}", std::process::id())
}

/// Starts a worker: this test binary, running only [`fleet_worker`].
fn worker(redis: &str, prefix: &str, base_url: &str, mode: &str) -> Child {
    worker_making(redis, prefix, base_url, mode, CALLS_PER_TASK)
}

/// [`worker`], with `calls` calls per task.
fn worker_making(redis: &str, prefix: &str, base_url: &str, mode: &str, calls: usize) -> Child {
    Command::new(std::env::current_exe().expect("the test knows its path"))
        .env("REDIS_WORKER_CALLS", calls.to_string())
        .args(["--ignored", "--exact", "fleet_worker", "--nocapture"])
        .env("REDIS_WORKER_BASE_URL", base_url)
        .env("REDIS_WORKER_REDIS_URL", redis)
        .env("REDIS_WORKER_PREFIX", prefix)
        .env("REDIS_WORKER_MODE", mode)
        .stdout(Stdio::piped())
        .spawn()
        .expect("the test binary starts again")
}

/// The lines a worker printed after `prefix`.
fn reported(stdout: &[u8], prefix: &str) -> Vec<String> {
    String::from_utf8_lossy(stdout)
        .lines()
        .filter_map(|l| l.strip_prefix(prefix).map(str::to_owned))
        .collect()
}

/// The throttle every worker uses: Marketo's limits on the scaled window.
fn fleet_throttle(redis: String, prefix: String) -> Throttle {
    let limits = Limits {
        window: WINDOW,
        window_margin: WINDOW / 10,
        max_in_flight: 10,
        ..Limits::default()
    };
    let config = RedisConfig::new(redis).key_prefix(prefix).lease(LEASE);
    Throttle::redis(limits, config).expect("valid limits")
}

/// One worker process of the fleet (run by the tests in a child process,
/// never on its own: it is ignored and needs its `REDIS_WORKER_*` settings).
/// `hold` mode takes every in-flight slot and sleeps until killed; `work`
/// mode makes [`TASKS`] × [`CALLS_PER_TASK`] `getChannels` calls.
#[test]
#[ignore = "a worker process of the fleet tests, started by them"]
fn fleet_worker() {
    let env = |name: &str| std::env::var(format!("REDIS_WORKER_{name}")).expect(name);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let throttle = fleet_throttle(env("REDIS_URL"), env("PREFIX"));
        if env("MODE") == "hold" {
            let mut held = Vec::new();
            for _ in 0..throttle.limits().max_in_flight {
                held.push(throttle.acquire().await.unwrap());
            }
            println!("holding {}", held.len());
            tokio::time::sleep(Duration::from_secs(3600)).await;
            return;
        }
        let credentials = RestCredentials::new(
            &env("BASE_URL"),
            marketo_emulator::DEFAULT_CLIENT_ID,
            marketo_emulator::DEFAULT_CLIENT_SECRET,
        )
        .unwrap();
        let client = ClientCore::builder(credentials)
            .throttle(throttle)
            .build_client()
            .unwrap();
        let calls: usize = env("CALLS").parse().unwrap();
        let tasks: Vec<_> = (0..TASKS)
            .map(|_| {
                let client = client.clone();
                tokio::spawn(async move {
                    for _ in 0..calls {
                        client
                            .get_channels(GetChannelsParams::default())
                            .await
                            .unwrap();
                    }
                })
            })
            .collect();
        for task in tasks {
            task.await.unwrap();
        }
        println!("done {}", TASKS * calls);
    });
}

/// Marketo's limits, with the 20 s window scaled down to [`WINDOW`].
async fn emulator() -> Emulator {
    let mut limits = EmulatorLimits::default();
    limits.rest.window = WINDOW;
    limits.rest.daily_quota = None;
    let emulator = Emulator::builder().limits(limits).start().await.unwrap();
    emulator.set_latency(Some(Duration::from_millis(30)));
    emulator
}

/// Waits for the workers; each must have made all its calls.
async fn finish(workers: Vec<Child>, calls: usize) {
    let outputs = tokio::task::spawn_blocking(move || {
        workers
            .into_iter()
            .map(|w| w.wait_with_output().unwrap())
            .collect::<Vec<_>>()
    })
    .await
    .unwrap();
    for out in &outputs {
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success(), "a worker failed: {stdout}");
        assert_eq!(
            reported(&out.stdout, "done "),
            [(TASKS * calls).to_string()]
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn four_processes_share_the_limits() {
    let Some(redis) = redis_url("four_processes_share_the_limits") else {
        return;
    };
    let emulator = emulator().await;
    let prefix = prefix("share");
    let started = Instant::now();
    let workers: Vec<Child> = (0..PROCESSES)
        .map(|_| worker(&redis, &prefix, &emulator.rest_base_url(), "work"))
        .collect();
    let outputs = tokio::task::spawn_blocking(move || {
        workers
            .into_iter()
            .map(|w| w.wait_with_output().unwrap())
            .collect::<Vec<_>>()
    })
    .await
    .unwrap();
    let elapsed = started.elapsed();
    let total = PROCESSES * TASKS * CALLS_PER_TASK;
    for out in &outputs {
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success(), "a worker failed: {stdout}");
        assert_eq!(
            reported(&out.stdout, "done "),
            [(TASKS * CALLS_PER_TASK).to_string()]
        );
    }
    let stats = emulator.stats();
    println!(
        "{total} calls by {PROCESSES} processes × {TASKS} tasks in {elapsed:?}: \
         max {} calls in a {WINDOW:?} window, max {} in flight",
        stats.rest.max_calls_in_window, stats.rest.max_concurrent
    );
    assert_eq!(stats.rest.calls, total as u64, "every call made once");
    assert_eq!(stats.rest.executed, total as u64);
    assert!(stats.rest.max_calls_in_window <= 100, "{stats:?}");
    assert!(stats.rest.max_concurrent <= 10, "{stats:?}");
    assert_eq!(stats.errors("606") + stats.errors("615"), 0, "{stats:?}");
    // The shared limit is what paces the fleet: 2,000 calls at ≤ 98 per
    // 1.1 s cannot take less than 20 windows.
    assert!(elapsed >= WINDOW * 20, "{elapsed:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_killed_workers_slots_come_back_within_the_lease() {
    let Some(redis) = redis_url("a_killed_workers_slots_come_back_within_the_lease") else {
        return;
    };
    let prefix = prefix("kill");
    let mut holder = worker(&redis, &prefix, "http://127.0.0.1:9", "hold");
    let stdout = BufReader::new(holder.stdout.take().unwrap());
    let holding = stdout
        .lines()
        .map_while(Result::ok)
        .find_map(|l| l.strip_prefix("holding ").map(str::to_owned));
    assert_eq!(holding.as_deref(), Some("10"), "the worker took every slot");
    holder.kill().unwrap();
    holder.wait().unwrap();
    let killed_at = Instant::now();
    let throttle = fleet_throttle(redis, prefix);
    let mut permits = Vec::new();
    for _ in 0..10 {
        permits.push(throttle.acquire().await.unwrap());
    }
    let back = killed_at.elapsed();
    println!("a killed worker's 10 slots came back after {back:?} (lease {LEASE:?})");
    assert!(
        back >= LEASE / 3,
        "slots back before the lease ran out: {back:?}"
    );
    assert!(
        back <= LEASE + Duration::from_millis(500),
        "slots back after {back:?}"
    );
}

/// Starts `redis-server` on `port` without persistence (a restart loses
/// the state: the worst case).
fn redis_server(bin: &str, port: u16) -> Child {
    Command::new(bin)
        .args(["--port", &port.to_string(), "--bind", "127.0.0.1"])
        .args(["--save", "", "--appendonly", "no"])
        .stdout(Stdio::null())
        .spawn()
        .expect("redis-server starts")
}

/// Redis killed mid-run and started again empty: with the default rule
/// (fail closed, one window's hold after a reset) every call is made exactly
/// once and the emulator sees the limits kept across the restart.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_redis_restart_mid_run_loses_no_call() {
    let Ok(bin) = std::env::var("MARKETO_TEST_REDIS_SERVER") else {
        println!("skipped: MARKETO_TEST_REDIS_SERVER (a redis-server binary) is not set");
        return;
    };
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .unwrap()
        .port();
    let mut server = redis_server(&bin, port);
    tokio::time::sleep(Duration::from_millis(300)).await;
    let redis = format!("redis://127.0.0.1:{port}/");
    let emulator = emulator().await;
    let prefix = prefix("restart");
    let calls = 6;
    let workers: Vec<Child> = (0..PROCESSES)
        .map(|_| worker_making(&redis, &prefix, &emulator.rest_base_url(), "work", calls))
        .collect();
    tokio::time::sleep(Duration::from_secs(3)).await;
    let before = emulator.stats().rest.calls;
    server.kill().unwrap();
    server.wait().unwrap();
    tokio::time::sleep(Duration::from_secs(1)).await;
    let mut server = redis_server(&bin, port);
    finish(workers, calls).await;
    server.kill().unwrap();
    server.wait().unwrap();
    let total = (PROCESSES * TASKS * calls) as u64;
    let stats = emulator.stats();
    println!(
        "Redis restarted after {before} of {total} calls: max {} calls in a window, max {} in flight",
        stats.rest.max_calls_in_window, stats.rest.max_concurrent
    );
    assert!(before > 0 && before < total, "restarted mid-run");
    assert_eq!(stats.rest.calls, total, "no call lost or made twice");
    assert!(stats.rest.max_calls_in_window <= 100, "{stats:?}");
    assert!(stats.rest.max_concurrent <= 10, "{stats:?}");
    assert_eq!(stats.errors("606") + stats.errors("615"), 0, "{stats:?}");
}
