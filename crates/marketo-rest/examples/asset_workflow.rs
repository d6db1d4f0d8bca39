//! A marketing-operations workflow over the Asset API: launch an event from a
//! program template.
//!
//! ```sh
//! cargo run -p marketo-rest --example asset_workflow
//! ```
//!
//! It clones a program template into a folder, sets the new program's
//! tokens, approves the emails and landing pages the clone holds, and
//! activates its trigger campaigns — the steps teams script for every
//! webinar or event — then reads everything back and fails unless each step
//! took effect.
//!
//! Without `MARKETO_*` variables it starts the local emulator in-process and
//! first turns its demo program 1001 (which has an active trigger campaign)
//! into a template by creating a draft email and a draft landing page in it.
//! With `MARKETO_BASE_URL`, `MARKETO_CLIENT_ID` and `MARKETO_CLIENT_SECRET`
//! set it runs against that instance: `MARKETO_EXAMPLE_TEMPLATE_PROGRAM_ID`
//! names the program to clone and `MARKETO_EXAMPLE_FOLDER_ID` the folder for
//! the copy (which it leaves in place).

use std::error::Error;

use marketo_emulator::Emulator;
use marketo_rest::Client;
use marketo_rest::marketo_auth::RestCredentials;
use marketo_rest::params::{
    BrowseSmartCampaignsParams, GetEmailsParams, GetLandingPagesParams, GetTokensByFolderIdParams,
};
use marketo_rest::serde_json::json;
use marketo_rest::types::{
    CloneProgramRequest, CreateEmailRequest, CreateLandingPageRequest, CreateTokenRequest,
    FolderReference, FolderType, SmartCampaignType,
};

type BoxError = Box<dyn Error + Send + Sync>;

/// The client, the template program, the folder for the copy, and the
/// emulator when one was started (kept alive until the end).
struct Target {
    client: Client,
    template_id: i32,
    folder_id: i32,
    _emulator: Option<Emulator>,
}

fn env_id(name: &str) -> Result<i32, BoxError> {
    let value = std::env::var(name).map_err(|_| format!("set {name}"))?;
    Ok(value.parse().map_err(|e| format!("{name}: {e}"))?)
}

async fn connect() -> Result<Target, BoxError> {
    if std::env::var_os("MARKETO_BASE_URL").is_some() {
        return Ok(Target {
            client: Client::from_env()?,
            template_id: env_id("MARKETO_EXAMPLE_TEMPLATE_PROGRAM_ID")?,
            folder_id: env_id("MARKETO_EXAMPLE_FOLDER_ID")?,
            _emulator: None,
        });
    }
    let emulator = Emulator::start().await?;
    let creds = emulator.credentials();
    let client = Client::new(RestCredentials::new(
        &emulator.rest_base_url(),
        creds.client_id,
        creds.client_secret,
    )?)?;
    println!(
        "No MARKETO_BASE_URL: started the emulator at {}.",
        emulator.rest_base_url()
    );
    // Demo program 1001 becomes the template: a draft email on template
    // 7501 and a draft landing page on template 8801 (both approved).
    let program = FolderReference::new(1001, FolderType::Program);
    let email = CreateEmailRequest::new("Invitation", program.clone(), 7501)
        .subject("You are invited")
        .from_name("Events Team")
        .from_email("events@example.com")
        .reply_email("events@example.com");
    client.create_email(&email).await?;
    let page = CreateLandingPageRequest::new("Registration", program, 8801).title("Register");
    client.create_landing_pages(&page).await?;
    Ok(Target {
        client,
        template_id: 1001,
        folder_id: 10, // "Campaigns" in the emulator's demo data
        _emulator: Some(emulator),
    })
}

/// The `folder` query value naming a program.
fn in_program(id: i32) -> String {
    json!({"id": id, "type": "Program"}).to_string()
}

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    let Target {
        client,
        template_id,
        folder_id,
        _emulator: _running,
    } = connect().await?;
    let stamp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)?
        .as_secs();

    // 1. Clone the template into the folder.
    let name = format!("Webinar {stamp}");
    let clone = CloneProgramRequest::new(
        name.clone(),
        FolderReference::new(folder_id, FolderType::Folder),
    )
    .description("Cloned from the template by the asset_workflow example");
    let program = client.clone_program(template_id, &clone).await?;
    let program_id = program
        .value
        .first()
        .ok_or("the clone answered no program")?
        .id;
    println!("1. cloned program {template_id} into {folder_id}: {name} ({program_id})");

    // 2. Set the program's tokens.
    for (token, kind, value) in [
        ("webinarTitle", "text", "Typed Marketo clients in Rust"),
        ("webinarDate", "date", "2027-01-21"),
    ] {
        let request = CreateTokenRequest::new(token, kind, value, FolderType::Program);
        client.create_token(program_id, &request).await?;
    }
    let tokens = client
        .get_tokens_by_folder_id(
            program_id,
            GetTokensByFolderIdParams::new().folder_type(FolderType::Program),
        )
        .await?;
    let count = tokens
        .value
        .iter()
        .map(|t| t.tokens.as_ref().map_or(0, Vec::len))
        .sum::<usize>();
    println!("2. set 2 tokens; the program now has {count}");

    // 3. Approve the emails and landing pages of the copy.
    let emails = client
        .get_emails(
            GetEmailsParams::new()
                .folder(in_program(program_id))
                .max_return(200),
        )
        .await?;
    for email in &emails.value {
        client.approve_email_draft(email.id).await?;
        println!("3. approved email {} ({})", email.id, email.name);
    }
    let pages = client
        .get_landing_pages(
            GetLandingPagesParams::new()
                .folder(in_program(program_id))
                .max_return(200),
        )
        .await?;
    for page in &pages.value {
        client.approve_landing_page_draft(page.id).await?;
        println!("3. approved landing page {} ({})", page.id, page.name);
    }
    if emails.value.is_empty() || pages.value.is_empty() {
        return Err("the copy holds no email or no landing page to approve".into());
    }

    // 4. Activate its trigger campaigns.
    let campaigns = client
        .browse_smart_campaigns(BrowseSmartCampaignsParams::new().folder(in_program(program_id)))
        .await?;
    let triggers: Vec<_> = campaigns
        .value
        .iter()
        .filter(|c| c.type_ == SmartCampaignType::Trigger)
        .collect();
    for campaign in &triggers {
        if campaign.is_active == Some(true) {
            println!("4. trigger campaign {} is already active", campaign.id);
        } else {
            client.activate_smart_campaign(campaign.id).await?;
            println!(
                "4. activated trigger campaign {} ({})",
                campaign.id, campaign.name
            );
        }
    }

    // Read back: every email and page approved, every trigger active.
    for email in client
        .get_emails(
            GetEmailsParams::new()
                .folder(in_program(program_id))
                .max_return(200),
        )
        .await?
        .value
    {
        if email.status.as_deref() != Some("approved") {
            return Err(format!("email {} is {:?}", email.id, email.status).into());
        }
    }
    for page in client
        .get_landing_pages(
            GetLandingPagesParams::new()
                .folder(in_program(program_id))
                .max_return(200),
        )
        .await?
        .value
    {
        if page.status.as_deref() != Some("approved") {
            return Err(format!("landing page {} is {:?}", page.id, page.status).into());
        }
    }
    for campaign in client
        .browse_smart_campaigns(BrowseSmartCampaignsParams::new().folder(in_program(program_id)))
        .await?
        .value
    {
        if campaign.type_ == SmartCampaignType::Trigger && campaign.is_active != Some(true) {
            return Err(format!("campaign {} is not active", campaign.id).into());
        }
    }
    println!(
        "Done: {name} is ready ({} trigger campaign(s) live).",
        triggers.len()
    );
    Ok(())
}
