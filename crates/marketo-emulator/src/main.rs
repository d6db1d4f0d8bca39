//! `marketo-emulator`: runs the local Marketo emulator until Ctrl-C.

use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

use clap::Parser;
use marketo_emulator::{
    Config, Credentials, DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, DEFAULT_ENCRYPTION_KEY,
    DEFAULT_USER_ID, Emulator, Limits,
};

/// A local, in-memory Marketo (REST and SOAP) for offline testing.
#[derive(Debug, Parser)]
#[command(name = "marketo-emulator", version, about)]
struct Args {
    /// Port to listen on (0: any free port).
    #[arg(long, env = "MARKETO_EMULATOR_PORT", default_value_t = 8080)]
    port: u16,
    /// Address to listen on.
    #[arg(long, env = "MARKETO_EMULATOR_HOST", default_value = "127.0.0.1")]
    host: IpAddr,
    /// REST client id.
    #[arg(long, env = "MARKETO_EMULATOR_CLIENT_ID", default_value = DEFAULT_CLIENT_ID)]
    client_id: String,
    /// REST client secret.
    #[arg(long, env = "MARKETO_EMULATOR_CLIENT_SECRET", default_value = DEFAULT_CLIENT_SECRET, hide_default_value = false)]
    client_secret: String,
    /// SOAP user id (mktowsUserId).
    #[arg(long, env = "MARKETO_EMULATOR_USER_ID", default_value = DEFAULT_USER_ID)]
    user_id: String,
    /// SOAP encryption key.
    #[arg(long, env = "MARKETO_EMULATOR_ENCRYPTION_KEY", default_value = DEFAULT_ENCRYPTION_KEY)]
    encryption_key: String,
    /// Start without the demo data set.
    #[arg(long, env = "MARKETO_EMULATOR_NO_DEMO_DATA")]
    no_demo_data: bool,
    /// Switch off the rate, concurrency and quota limits.
    #[arg(long, env = "MARKETO_EMULATOR_NO_LIMITS")]
    no_limits: bool,
    /// REST daily quota (calls per day).
    #[arg(long, env = "MARKETO_EMULATOR_DAILY_QUOTA")]
    daily_quota: Option<u64>,
    /// Service time of every API call, in milliseconds: each is answered no
    /// earlier than this long after it arrived (its processing included).
    #[arg(long, env = "MARKETO_EMULATOR_LATENCY_MS")]
    latency_ms: Option<u64>,
    /// Extra programs to seed at start (`Seeded Program 1`..`N`, Default/Content, folder 1).
    #[arg(long, env = "MARKETO_EMULATOR_PROGRAMS", default_value_t = 0)]
    programs: usize,
    /// Extra leads to seed at start (`bulk<id>@example.com`, 20 exportable
    /// fields filled; see `Emulator::add_bulk_leads`), for Bulk API volume runs.
    #[arg(long, env = "MARKETO_EMULATOR_LEADS", default_value_t = 0)]
    leads: usize,
    /// Access token lifetime in seconds.
    #[arg(long, env = "MARKETO_EMULATOR_TOKEN_LIFETIME", default_value_t = 3600)]
    token_lifetime: u64,
}

/// Worker threads at least: calls take the emulator's state lock (briefly,
/// a few milliseconds for a large page), and a worker waiting for it
/// cannot take in other calls. With more workers than cores, arriving
/// calls are still taken in — and their latency starts — on time.
const MIN_WORKERS: usize = 8;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(cores.max(MIN_WORKERS))
        .enable_all()
        .build()?
        .block_on(run())
}

async fn run() -> Result<(), Box<dyn std::error::Error>> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
        )
        .with_writer(std::io::stderr)
        .init();
    let args = Args::parse();
    let mut limits = if args.no_limits {
        Limits::unlimited()
    } else {
        Limits::default()
    };
    if let Some(q) = args.daily_quota {
        limits.rest.daily_quota = Some(q);
    }
    let config = Config {
        credentials: Credentials {
            client_id: args.client_id,
            client_secret: args.client_secret,
            user_id: args.user_id,
            encryption_key: args.encryption_key,
        },
        limits,
        token_lifetime: Duration::from_secs(args.token_lifetime),
        demo_data: !args.no_demo_data,
        ..Config::default()
    };
    let emu = Emulator::builder()
        .config(config)
        .addr(SocketAddr::new(args.host, args.port))
        .start()
        .await?;
    if args.programs > 0 {
        emu.add_programs(args.programs);
    }
    if args.leads > 0 {
        emu.add_bulk_leads(args.leads);
    }
    if let Some(ms) = args.latency_ms {
        emu.set_latency(Some(Duration::from_millis(ms)));
    }
    let c = emu.credentials();
    // The credentials are the emulator's own test values, printed on purpose.
    println!("Marketo emulator running");
    println!("REST base URL:  {}", emu.rest_base_url());
    println!(
        "Identity URL:   {}/identity/oauth/token",
        emu.rest_base_url()
    );
    println!("SOAP endpoint:  {}", emu.soap_endpoint());
    println!("WSDL:           {}", emu.wsdl_url());
    println!("client_id:      {}", c.client_id);
    println!("client_secret:  {}", c.client_secret);
    println!("mktowsUserId:   {}", c.user_id);
    println!("encryption key: {}", c.encryption_key);
    println!("Press Ctrl-C to stop.");
    tokio::signal::ctrl_c().await?;
    drop(emu);
    Ok(())
}
