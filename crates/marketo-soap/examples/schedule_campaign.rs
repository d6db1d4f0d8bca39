//! Schedule a batch campaign through the SOAP API (`scheduleCampaign`).
//!
//! ```sh
//! cargo run -p marketo-soap --example schedule_campaign
//! ```
//!
//! Without `MARKETO_*` variables it starts the local emulator in-process and
//! needs no credentials; it schedules the demo data's "Demo Batch Campaign" of
//! "Demo Default Program" an hour from now with a program token, and shows what
//! the emulator recorded. With `MARKETO_SOAP_ENDPOINT`, `MARKETO_SOAP_USER_ID`
//! and `MARKETO_SOAP_ENCRYPTION_KEY` set it calls that endpoint instead, for the
//! program and campaign named by `MARKETO_EXAMPLE_PROGRAM` and
//! `MARKETO_EXAMPLE_CAMPAIGN` (note: Adobe retired the SOAP API on
//! 2026-07-31; `marketo-rest`'s `schedule_campaign_rest` example does the same
//! through REST).
//!
//! Set `MARKETO_EXAMPLE_CLONE_TO` to also clone the program under that name
//! (`cloneToProgramName`, at most 10 calls a day). Any failure exits non-zero.

use std::error::Error;

use marketo_emulator::Emulator;
use marketo_soap::types::{Attrib, ParamsScheduleCampaign};
use marketo_soap::{Client, SoapConfig};
use time::{Duration, OffsetDateTime};

type BoxError = Box<dyn Error + Send + Sync>;

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    let mut emulator = None;
    let (client, program, campaign) = if std::env::var_os("MARKETO_SOAP_ENDPOINT").is_some() {
        let program = std::env::var("MARKETO_EXAMPLE_PROGRAM")
            .map_err(|_| "set MARKETO_EXAMPLE_PROGRAM to the program's name")?;
        let campaign = std::env::var("MARKETO_EXAMPLE_CAMPAIGN")
            .map_err(|_| "set MARKETO_EXAMPLE_CAMPAIGN to the batch campaign's name")?;
        println!("Using the SOAP endpoint at MARKETO_SOAP_ENDPOINT.");
        (Client::from_env()?, program, campaign)
    } else {
        let emu = Emulator::start().await?;
        let creds = emu.credentials();
        let client = Client::new(SoapConfig::new(
            &emu.soap_endpoint(),
            creds.user_id,
            creds.encryption_key,
        )?)?;
        println!(
            "No MARKETO_SOAP_ENDPOINT: started the emulator at {}.",
            emu.soap_endpoint()
        );
        emulator = Some(emu);
        (
            client,
            "Demo Default Program".to_owned(),
            "Demo Batch Campaign".to_owned(),
        )
    };
    let clone_to = std::env::var("MARKETO_EXAMPLE_CLONE_TO").ok();

    let run_at = OffsetDateTime::now_utc().replace_nanosecond(0)? + Duration::hours(1);
    let tokens = vec![Attrib::new(
        "{{my.message}}",
        "Sent by the marketo-soap example",
    )];
    println!(
        "scheduleCampaign: {campaign:?} of {program:?} at {run_at}, tokens {:?}{}",
        tokens
            .iter()
            .map(|t| (t.name.as_str(), t.value.as_str()))
            .collect::<Vec<_>>(),
        clone_to
            .as_deref()
            .map(|c| format!(", cloned to {c:?}"))
            .unwrap_or_default()
    );
    let mut params = ParamsScheduleCampaign::new(program, campaign)
        .campaign_run_at(run_at)
        .program_token_list(tokens);
    if let Some(clone_to) = clone_to {
        params = params.clone_to_program_name(clone_to);
    }
    let done = client
        .schedule_campaign(params)
        .await
        .map_err(|e| match e.code() {
            Some(code) => format!("scheduleCampaign failed with Marketo error {code}: {e}"),
            None => format!("scheduleCampaign failed: {e}"),
        })?;
    println!("success: {}", done.success);
    if !done.success {
        return Err("Marketo did not schedule the campaign".into());
    }

    if let Some(emu) = &emulator {
        for s in emu.schedules() {
            println!(
                "the emulator recorded: campaign {} ({}) at {}, tokens {:?}, clone {:?}",
                s.scheduled_campaign_id,
                s.campaign_name,
                s.run_at,
                s.tokens,
                s.clone_to_program_name
            );
        }
    }
    Ok(())
}
