//! Times the SOAP wire path for `scripts/bench-soap.sh`: decoding a
//! `getMultipleLeads` response (generated decoders and the yaserde
//! reference, checked to agree) and signing + serializing a
//! `scheduleCampaign` request. Prints `name value` lines.
//!
//! ```text
//! cargo run --release -p marketo-soap --example soap_decode_bench -- \
//!     --leads 1000 --attributes 20 --runs 30 --calls 1000 --write body.xml
//! ```
//!
//! Sign + serialize is timed over `--calls` calls per run, at least 15
//! runs. Without arguments it runs a small smoke pass (50 leads, 3 runs,
//! 100 calls).

use std::hint::black_box;
use std::time::{Duration, Instant};

use marketo_auth::SoapCredentials;
use marketo_soap::envelope::{
    RequestHeaders, decode_response, decode_response_with_yaserde, encode_request,
};
use marketo_soap::operations;
use marketo_soap::types::SuccessGetMultipleLeads;

#[path = "../benches/support/mod.rs"]
mod support;

/// What to run, from the command line.
struct Args {
    leads: usize,
    attributes: usize,
    runs: usize,
    calls: u32,
    write: Option<String>,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        leads: 50,
        attributes: 20,
        runs: 3,
        calls: 100,
        write: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let value = it.next().ok_or_else(|| format!("{flag} needs a value"))?;
        let number = || {
            value
                .parse::<usize>()
                .map_err(|_| format!("{flag}: expected a positive number, found {value:?}"))
        };
        match flag.as_str() {
            "--leads" => args.leads = number()?,
            "--attributes" => args.attributes = number()?,
            "--runs" => args.runs = number()?.max(1),
            "--calls" => {
                args.calls = u32::try_from(number()?.max(1))
                    .map_err(|_| format!("--calls: at most {}", u32::MAX))?;
            }
            "--write" => args.write = Some(value.clone()),
            other => return Err(format!("unknown argument {other}")),
        }
    }
    Ok(args)
}

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

/// The CPU time this thread has used (Linux: `/proc/thread-self/schedstat`,
/// nanoseconds on CPU), or `None` where that file cannot be read.
fn thread_cpu() -> Option<Duration> {
    let text = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let nanos = text.split_whitespace().next()?.parse().ok()?;
    Some(Duration::from_nanos(nanos))
}

/// Wall time (median over `runs` calls of `f`) and CPU time (mean per
/// call; zero where it cannot be read).
fn time_runs<T>(runs: usize, mut f: impl FnMut() -> T) -> (Duration, Duration) {
    let cpu_start = thread_cpu();
    let samples = (0..runs)
        .map(|_| {
            let start = Instant::now();
            black_box(f());
            start.elapsed()
        })
        .collect();
    let cpu = match (cpu_start, thread_cpu()) {
        (Some(start), Some(end)) => (end.saturating_sub(start)) / u32::try_from(runs).unwrap_or(1),
        _ => Duration::ZERO,
    };
    (median(samples), cpu)
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = parse_args()?;
    let body = support::multiple_leads(args.leads, args.attributes);
    if let Some(path) = &args.write {
        std::fs::write(path, &body)?;
    }
    let op = &operations::GET_MULTIPLE_LEADS;
    let fast: SuccessGetMultipleLeads = decode_response(op, &body)?;
    let reference: SuccessGetMultipleLeads = decode_response_with_yaserde(op, &body)?;
    if fast != reference {
        return Err("the generated decoder and yaserde read the body differently".into());
    }
    let leads = fast.result.lead_record_list.as_ref().map_or(0, Vec::len);
    if leads != args.leads {
        return Err(format!("decoded {leads} leads, expected {}", args.leads).into());
    }
    println!("body_bytes {}", body.len());
    let (wall, cpu) = time_runs(args.runs, || {
        decode_response::<SuccessGetMultipleLeads>(op, black_box(&body))
    });
    println!("decode_ms {:.3}\ndecode_cpu_ms {:.3}", ms(wall), ms(cpu));
    let (wall, cpu) = time_runs(args.runs.min(10), || {
        decode_response_with_yaserde::<SuccessGetMultipleLeads>(op, black_box(&body))
    });
    println!(
        "decode_yaserde_ms {:.3}\ndecode_yaserde_cpu_ms {:.3}",
        ms(wall),
        ms(cpu)
    );

    let credentials = SoapCredentials::new("bench_user_01", "bench-encryption-key");
    let params = support::schedule_campaign();
    let batch = args.calls;
    let (wall, cpu) = time_runs(args.runs.max(15), || {
        for _ in 0..batch {
            let auth = credentials.sign_now();
            let headers = RequestHeaders {
                authentication: Some(&auth),
                target_workspace: None,
            };
            let envelope =
                encode_request(&operations::SCHEDULE_CAMPAIGN, &headers, black_box(&params));
            black_box(envelope.map_err(|e| e.to_string())).expect("scheduleCampaign encodes");
        }
    });
    let per_call = |d: Duration| d.as_secs_f64() * 1e6 / f64::from(batch);
    println!(
        "sign_serialize_us {:.2}\nsign_serialize_cpu_us {:.2}",
        per_call(wall),
        per_call(cpu)
    );
    Ok(())
}
