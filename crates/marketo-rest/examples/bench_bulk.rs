//! Exports every lead of a Marketo emulator with `Client::export_leads`
//! (20 fields, typed rows) and prints one result line, for
//! `scripts/bench-bulk.sh` (see docs/BENCHMARKS.md).
//!
//! ```sh
//! EMU_REST=http://127.0.0.1:PORT MARKETO_CLIENT_ID=… MARKETO_CLIENT_SECRET=… \
//!   cargo run --release -p marketo-rest --example bench_bulk
//! ```
//!
//! Output (tab separated): label, wall seconds (create to last row), seconds
//! of the download-and-decode phase (from the moment the job is seen
//! `Completed` to the last row: what the client does, without the
//! emulator's job processing), rows, bytes, rows/s and MB/s of that phase,
//! peak resident memory of this process in MB (`VmHWM`).
//!
//! Without `EMU_REST` it starts an emulator in-process with 2,000 extra
//! leads and checks that the export returned every lead — a quick smoke
//! run, as `scripts/test.sh` does.

use std::time::{Duration, Instant};

use marketo_rest::Client;
use marketo_rest::bulk::ExportOptions;
use marketo_rest::futures::TryStreamExt;
use marketo_rest::marketo_auth::RestCredentials;
use marketo_rest::time::OffsetDateTime;
use marketo_rest::types::{BulkDateRange, BulkExportLeadFilter, BulkExportLeadRequest};
use serde::Deserialize;

/// The 20 exported fields.
const FIELDS: [&str; 20] = [
    "id",
    "email",
    "firstName",
    "lastName",
    "company",
    "title",
    "phone",
    "city",
    "state",
    "country",
    "postalCode",
    "industry",
    "leadSource",
    "leadStatus",
    "website",
    "address",
    "leadScore",
    "cookies",
    "createdAt",
    "updatedAt",
];

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code)]
struct Row {
    id: i64,
    email: Option<String>,
    first_name: Option<String>,
    last_name: Option<String>,
    company: Option<String>,
    title: Option<String>,
    phone: Option<String>,
    city: Option<String>,
    state: Option<String>,
    country: Option<String>,
    postal_code: Option<String>,
    industry: Option<String>,
    lead_source: Option<String>,
    lead_status: Option<String>,
    website: Option<String>,
    address: Option<String>,
    lead_score: Option<i64>,
    cookies: Option<String>,
    created_at: Option<String>,
    updated_at: Option<String>,
}

fn peak_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // An emulator of our own unless one is given.
    let (emulator, credentials) = match std::env::var("EMU_REST") {
        Ok(base) => (
            None,
            RestCredentials::new(
                &base,
                std::env::var("MARKETO_CLIENT_ID")?,
                std::env::var("MARKETO_CLIENT_SECRET")?,
            )?,
        ),
        Err(_) => {
            let emu = marketo_emulator::Emulator::start().await?;
            // The demo leads were created long ago: only these 2,000 are in
            // the export's 30-day window.
            emu.add_bulk_leads(2_000);
            let c = emu.credentials();
            let credentials =
                RestCredentials::new(&emu.rest_base_url(), c.client_id, c.client_secret)?;
            (Some(emu), credentials)
        }
    };
    let client = Client::new(credentials)?;
    let now = OffsetDateTime::now_utc();
    let request = BulkExportLeadRequest::new(
        FIELDS.map(str::to_owned).to_vec(),
        BulkExportLeadFilter::new().created_at(BulkDateRange::new(
            now - marketo_rest::time::Duration::days(30),
            now + marketo_rest::time::Duration::days(1),
        )),
    );
    // Poll as often as the Python side (every 200 ms) so that both wait alike.
    let options = ExportOptions::new().poll(Duration::from_millis(200), Duration::from_millis(200));
    let started = Instant::now();
    let stream = client.export_leads::<Row>(request, options);
    let progress = stream.progress();
    // The instant the job is seen completed: the download starts then.
    let watcher = {
        let progress = progress.clone();
        tokio::spawn(async move {
            while progress.snapshot().status != "Completed" {
                tokio::time::sleep(Duration::from_millis(1)).await;
            }
            Instant::now()
        })
    };
    let rows = stream
        .try_fold(0_u64, |n, row| async move {
            std::hint::black_box(&row);
            Ok(n + 1)
        })
        .await?;
    let finished = Instant::now();
    let secs = (finished - started).as_secs_f64();
    let completed = watcher.await?;
    let phase = (finished - completed).as_secs_f64();
    let bytes = progress.snapshot().bytes;
    println!(
        "rust export_leads\t{secs:.2}\t{phase:.2}\t{rows}\t{bytes}\t{:.0}\t{:.1}\t{:.1}",
        rows as f64 / phase,
        bytes as f64 / phase / 1e6,
        peak_mb()
    );
    if emulator.is_some() && rows != 2_000 {
        return Err(format!("expected the 2000 new leads, exported {rows}").into());
    }
    Ok(())
}
