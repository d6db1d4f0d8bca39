//! Schedule the same batch campaign as `marketo-soap`'s `schedule_campaign`
//! example, through REST: the migration path from SOAP `scheduleCampaign`.
//!
//! ```sh
//! cargo run -p marketo-rest --example schedule_campaign_rest
//! ```
//!
//! SOAP names the campaign by program name and campaign name; REST wants the
//! campaign's id. So the example looks the program up by name
//! (`getProgramByName`), finds its campaign by name among the smart campaigns
//! (`browseSmartCampaigns`, filtered by `parentProgramId`), then calls
//! `POST /rest/v1/campaigns/{id}/schedule.json` with `runAt`, the program
//! `tokens` and, optionally, `cloneToProgramName` (20 calls a day on REST).
//!
//! Without `MARKETO_*` variables it starts the local emulator in-process (no
//! credentials needed) and uses the demo data's "Demo Batch Campaign" of "Demo
//! Default Program". With `MARKETO_BASE_URL`, `MARKETO_CLIENT_ID` and
//! `MARKETO_CLIENT_SECRET` set it runs against that instance, for the program
//! and campaign named by `MARKETO_EXAMPLE_PROGRAM` and
//! `MARKETO_EXAMPLE_CAMPAIGN`. Set `MARKETO_EXAMPLE_CLONE_TO` to clone the
//! program under that name. Any failure exits non-zero.

use std::error::Error;

use marketo_emulator::Emulator;
use marketo_rest::futures::TryStreamExt;
use marketo_rest::marketo_auth::RestCredentials;
use marketo_rest::params::{BrowseSmartCampaignsParams, GetProgramByNameParams};
use marketo_rest::time::{Duration, OffsetDateTime};
use marketo_rest::types::{ScheduleCampaignData, SmartCampaignType, Token};
use marketo_rest::{Client, RestError};

type BoxError = Box<dyn Error + Send + Sync>;

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    let mut emulator = None;
    let (client, program_name, campaign_name) = if std::env::var_os("MARKETO_BASE_URL").is_some() {
        let program = std::env::var("MARKETO_EXAMPLE_PROGRAM")
            .map_err(|_| "set MARKETO_EXAMPLE_PROGRAM to the program's name")?;
        let campaign = std::env::var("MARKETO_EXAMPLE_CAMPAIGN")
            .map_err(|_| "set MARKETO_EXAMPLE_CAMPAIGN to the batch campaign's name")?;
        println!("Using the instance at MARKETO_BASE_URL.");
        (Client::from_env()?, program, campaign)
    } else {
        let emu = Emulator::start().await?;
        let creds = emu.credentials();
        let client = Client::new(RestCredentials::new(
            &emu.rest_base_url(),
            creds.client_id,
            creds.client_secret,
        )?)?;
        println!(
            "No MARKETO_BASE_URL: started the emulator at {}.",
            emu.rest_base_url()
        );
        emulator = Some(emu);
        (
            client,
            "Demo Default Program".to_owned(),
            "Demo Batch Campaign".to_owned(),
        )
    };
    let clone_to = std::env::var("MARKETO_EXAMPLE_CLONE_TO").ok();

    // SOAP's programName → the program's id.
    let programs = client
        .get_program_by_name(&program_name, GetProgramByNameParams::default())
        .await?;
    let program = programs
        .value
        .first()
        .ok_or_else(|| format!("no program named {program_name:?}"))?;
    println!("program {:?} has id {}", program.name, program.id);

    // SOAP's campaignName → the campaign's id, among the program's campaigns.
    let campaign = client
        .browse_smart_campaigns_stream(BrowseSmartCampaignsParams::default().max_return(200))
        .try_filter(|c| {
            std::future::ready(c.parent_program_id == Some(program.id) && c.name == campaign_name)
        })
        .try_next()
        .await?
        .ok_or_else(|| format!("no campaign {campaign_name:?} in {program_name:?}"))?;
    println!(
        "campaign {:?} has id {} (type {})",
        campaign.name,
        campaign.id,
        campaign.type_.as_str()
    );
    if campaign.type_ != SmartCampaignType::Batch {
        return Err("only batch campaigns can be scheduled".into());
    }

    // SOAP's campaignRunAt, programTokenList and cloneToProgramName.
    let run_at = OffsetDateTime::now_utc().replace_nanosecond(0)? + Duration::hours(1);
    let tokens = vec![Token::new(
        "{{my.message}}",
        "Sent by the marketo-rest example",
    )];
    let mut schedule = ScheduleCampaignData::new().run_at(run_at).tokens(tokens);
    if let Some(program) = &clone_to {
        schedule = schedule.clone_to_program_name(program.as_str());
    }
    let scheduled = client
        .schedule_campaign(campaign.id, Some(&schedule))
        .await
        .map_err(|e| match &e {
            RestError::Api { .. } => format!(
                "schedule failed with Marketo error {}: {e}",
                e.code().unwrap_or("?")
            ),
            _ => format!("schedule failed: {e}"),
        })?;
    let id = scheduled
        .value
        .first()
        .ok_or("schedule returned no campaign")?
        .id;
    println!(
        "scheduled campaign {id} at {run_at}{} (requestId {})",
        clone_to
            .as_deref()
            .map(|c| format!(" in a clone named {c:?}"))
            .unwrap_or_default(),
        scheduled.request_id
    );

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
