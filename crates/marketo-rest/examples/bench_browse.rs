//! Streams every program of a Marketo emulator and prints one result line,
//! for `scripts/bench-browse.sh` (see docs/BENCHMARKS.md).
//!
//! ```sh
//! EMU_REST=http://127.0.0.1:PORT MARKETO_CLIENT_ID=… MARKETO_CLIENT_SECRET=… \
//!   cargo run --release -p marketo-rest --example bench_browse -- \
//!   [--prefetch N] [--max-in-flight N] [--page-tasks true|false]
//! ```
//!
//! `--floor true` measures no client of ours but the floor under any
//! client on this machine: plain `reqwest` GETs of the same pages, 5 in
//! flight (a sliding window), each body only scanned to count its items
//! (to know the last page), no typed decoding, no throttle.
//!
//! Without options the stream runs with its defaults (prefetch = the
//! throttle's in-flight limit, pages polled and decoded by the stream's
//! task); `--prefetch 1` is one page at a time, `--page-tasks true` fetches
//! and decodes every page on a task of its own.
//!
//! Without `EMU_REST` it starts an emulator in-process (1,000 extra
//! programs, 5 ms latency) and checks that the stream returned every
//! program — a quick smoke run, as `scripts/test.sh` does.
//!
//! Before the run it resets the emulator's counters and rate windows
//! (`POST /__emulator/reset`) so that every client starts with a fresh
//! window; after it, it reads `GET /__emulator/stats`. Output (tab
//! separated): label, wall seconds, items, REST calls, 606s, 615s, the
//! largest number of calls in flight at the emulator.

use std::time::Instant;

use marketo_rest::futures::TryStreamExt;
use marketo_rest::marketo_auth::RestCredentials;
use marketo_rest::marketo_resilience::{Limits, Throttle};
use marketo_rest::params::BrowseProgramsParams;
use marketo_rest::serde_json::Value;
use marketo_rest::{ClientCore, reqwest};

const PAGE: i32 = 200;

fn env(name: &str) -> Result<String, Box<dyn std::error::Error>> {
    std::env::var(name).map_err(|_| format!("{name} is not set").into())
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut prefetch: Option<usize> = None;
    let mut page_tasks: Option<bool> = None;
    let mut floor = false;
    let mut max_in_flight: usize = Limits::default().max_in_flight;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let value = args.next().ok_or(format!("{arg} needs a value"))?;
        match arg.as_str() {
            "--prefetch" => prefetch = Some(value.parse()?),
            "--page-tasks" => page_tasks = Some(value.parse()?),
            "--floor" => floor = value.parse()?,
            "--max-in-flight" => max_in_flight = value.parse()?,
            other => return Err(format!("unknown argument {other}").into()),
        }
    }
    // An emulator of our own unless one is given.
    let (emulator, base, client_id, client_secret) = match std::env::var("EMU_REST") {
        Ok(base) => (
            None,
            base,
            env("MARKETO_CLIENT_ID")?,
            env("MARKETO_CLIENT_SECRET")?,
        ),
        Err(_) => {
            let emu = marketo_emulator::Emulator::start().await?;
            emu.add_programs(1_000);
            emu.set_latency(Some(std::time::Duration::from_millis(5)));
            let c = emu.credentials();
            let base = emu.rest_base_url();
            (Some(emu), base, c.client_id, c.client_secret)
        }
    };
    let expected = emulator.as_ref().map(|emu| emu.programs().len());
    let admin = reqwest::Client::new();
    admin
        .post(format!("{base}/__emulator/reset"))
        .send()
        .await?
        .error_for_status()?;

    let throttle = Throttle::new(Limits {
        max_in_flight,
        ..Limits::default()
    })?;
    let client = ClientCore::builder(RestCredentials::new(&base, client_id, client_secret)?)
        .throttle(throttle)
        .build_client()?;
    if floor {
        let (wall, items) = raw_floor(&base, &client, max_in_flight).await?;
        return report(
            &admin,
            &base,
            &format!("floor: plain reqwest, no decoding ({max_in_flight} in flight)"),
            wall,
            items,
        )
        .await;
    }
    let params = BrowseProgramsParams::new().max_return(PAGE);
    let started = Instant::now();
    let mut stream = client.browse_programs_stream(params);
    if let Some(pages) = prefetch {
        stream = stream.with_prefetch(pages);
    }
    if let Some(spawn) = page_tasks {
        stream = stream.with_page_tasks(spawn);
    }
    let programs: Vec<_> = stream.try_collect().await?;
    let wall = started.elapsed();

    let mut label = match prefetch {
        None => format!("marketo-rest, default settings ({max_in_flight} in flight)"),
        Some(n) => format!("marketo-rest, prefetch {n} ({max_in_flight} in flight)"),
    };
    if page_tasks == Some(true) {
        label.push_str(", pages on tasks of their own");
    }
    report(&admin, &base, &label, wall, programs.len()).await?;
    if let Some(expected) = expected
        && expected != programs.len()
    {
        return Err(format!("expected {expected} programs, streamed {}", programs.len()).into());
    }
    Ok(())
}

/// Prints the result line with the emulator's counters.
async fn report(
    admin: &reqwest::Client,
    base: &str,
    label: &str,
    wall: std::time::Duration,
    items: usize,
) -> Result<(), Box<dyn std::error::Error>> {
    let stats: Value = admin
        .get(format!("{base}/__emulator/stats"))
        .send()
        .await?
        .json()
        .await?;
    println!(
        "{label}\t{:.3}\t{items}\t{}\t{}\t{}\t{}",
        wall.as_secs_f64(),
        stats["rest"]["calls"],
        stats["errorCounts"]["606"].as_u64().unwrap_or(0),
        stats["errorCounts"]["615"].as_u64().unwrap_or(0),
        stats["rest"]["maxConcurrent"],
    );
    Ok(())
}

/// The `--floor` run: the same pages with plain `reqwest`, `in_flight` at
/// a time, until a short page; only the item count of each body is read.
async fn raw_floor(
    base: &str,
    client: &marketo_rest::Client,
    in_flight: usize,
) -> Result<(std::time::Duration, usize), Box<dyn std::error::Error>> {
    use marketo_rest::futures::StreamExt;
    use marketo_rest::futures::stream::FuturesOrdered;

    #[derive(marketo_rest::serde::Deserialize)]
    #[serde(crate = "marketo_rest::serde")]
    struct Count {
        #[serde(default)]
        result: Vec<marketo_rest::serde::de::IgnoredAny>,
    }
    // A token first, as the client's own first call would fetch it.
    let token = client.core().token_provider().token().await?;
    let http = reqwest::Client::new();
    let page = |offset: usize| {
        let request = http
            .get(format!("{base}/rest/asset/v1/programs.json"))
            .query(&[("maxReturn", PAGE as usize), ("offset", offset)])
            .header(
                marketo_rest::marketo_auth::AccessToken::header_name(),
                token.bearer_header(),
            );
        async move {
            let body = request.send().await?.error_for_status()?.bytes().await?;
            let count: Count = marketo_rest::serde_json::from_slice(&body)?;
            Ok::<_, Box<dyn std::error::Error>>(count.result.len())
        }
    };
    let started = Instant::now();
    let (mut items, mut next, mut pending) = (0, 0, FuturesOrdered::new());
    // The first page alone, as the stream does; then `in_flight` at a time.
    let first = page(0).await?;
    items += first;
    next += PAGE as usize;
    let mut last = first < PAGE as usize;
    while !last {
        while pending.len() < in_flight {
            pending.push_back(page(next));
            next += PAGE as usize;
        }
        let Some(count) = pending.next().await else {
            break;
        };
        let count = count?;
        items += count;
        last = count < PAGE as usize;
    }
    Ok((started.elapsed(), items))
}
