//! Upserts N leads into a Marketo emulator with `sync_leads_batched` and
//! prints one result line, for `scripts/bench-upsert.sh` (see
//! docs/BENCHMARKS.md).
//!
//! ```sh
//! EMU_REST=http://127.0.0.1:PORT MARKETO_CLIENT_ID=… MARKETO_CLIENT_SECRET=… \
//!   cargo run --release -p marketo-rest --example bench_upsert -- [--leads N] [--max-in-flight N]
//! ```
//!
//! Without `EMU_REST` it starts an emulator in-process (Marketo's limits,
//! 5 ms latency) and upserts 3,000 leads — a quick smoke run.
//!
//! It resets the emulator's counters and rate windows first
//! (`POST /__emulator/reset`) and reads `GET /__emulator/stats` after.
//! Output (tab separated): label, wall seconds, leads, leads with a
//! created/updated result, REST calls, 606s, 615s, the largest number of
//! calls in flight at the emulator.

use std::time::Instant;

use marketo_rest::batch::SyncLeadsBatched;
use marketo_rest::marketo_auth::RestCredentials;
use marketo_rest::marketo_resilience::{Limits, Throttle};
use marketo_rest::serde_json::Value;
use marketo_rest::types::Lead;
use marketo_rest::{ClientCore, reqwest};

fn env(name: &str) -> Result<String, Box<dyn std::error::Error>> {
    std::env::var(name).map_err(|_| format!("{name} is not set").into())
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut leads: usize = 3_000;
    let mut max_in_flight: usize = Limits::default().max_in_flight;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let value = args.next().ok_or(format!("{arg} needs a value"))?;
        match arg.as_str() {
            "--leads" => leads = value.parse()?,
            "--max-in-flight" => max_in_flight = value.parse()?,
            other => return Err(format!("unknown argument {other}").into()),
        }
    }
    let (emulator, base, client_id, client_secret) = match std::env::var("EMU_REST") {
        Ok(base) => (
            None,
            base,
            env("MARKETO_CLIENT_ID")?,
            env("MARKETO_CLIENT_SECRET")?,
        ),
        Err(_) => {
            let emu = marketo_emulator::Emulator::start().await?;
            emu.set_latency(Some(std::time::Duration::from_millis(5)));
            let c = emu.credentials();
            let base = emu.rest_base_url();
            (Some(emu), base, c.client_id, c.client_secret)
        }
    };
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
    let input: Vec<Lead> = (0..leads)
        .map(|i| {
            Lead::new()
                .email(format!("bench-rust-{i}@example.com"))
                .first_name(format!("Bench {i}"))
                .last_name("Rust")
        })
        .collect();
    let started = Instant::now();
    let out = client
        .sync_leads_batched(input, &SyncLeadsBatched::new())
        .await;
    let wall = started.elapsed();
    let synced = out.iter().filter(|o| o.is_ok()).count();
    let stats: Value = admin
        .get(format!("{base}/__emulator/stats"))
        .send()
        .await?
        .json()
        .await?;
    println!(
        "marketo-rest sync_leads_batched ({max_in_flight} in flight)\t{:.3}\t{leads}\t{synced}\t{}\t{}\t{}\t{}",
        wall.as_secs_f64(),
        stats["rest"]["calls"],
        stats["errorCounts"]["606"].as_u64().unwrap_or(0),
        stats["errorCounts"]["615"].as_u64().unwrap_or(0),
        stats["rest"]["maxConcurrent"],
    );
    if let Some(emu) = emulator {
        let expected = leads;
        let found = emu
            .leads()
            .iter()
            .filter(|l| l.email().is_some_and(|e| e.starts_with("bench-rust-")))
            .count();
        if found != expected || synced != expected {
            return Err(
                format!("expected {expected} leads, synced {synced}, found {found}").into(),
            );
        }
    }
    Ok(())
}
