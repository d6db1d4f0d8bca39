//! Program CRUD and paging with the REST client.
//!
//! ```sh
//! cargo run -p marketo-rest --example programs
//! ```
//!
//! Without `MARKETO_*` variables it starts the local emulator in-process (with
//! its demo data and 450 extra programs, so that browsing spans pages) and
//! needs no credentials. With `MARKETO_BASE_URL`, `MARKETO_CLIENT_ID` and
//! `MARKETO_CLIENT_SECRET` set it runs against that instance instead; then
//! `MARKETO_EXAMPLE_FOLDER_ID` must name a Marketing Activities folder where it
//! may create (and afterwards delete) two programs.
//!
//! It creates a program, reads it by id and by name, updates it, pages through
//! every program, clones it and deletes both. Any failure exits non-zero.

use std::error::Error;

use marketo_emulator::Emulator;
use marketo_rest::Client;
use marketo_rest::futures::TryStreamExt;
use marketo_rest::marketo_auth::RestCredentials;
use marketo_rest::params::{BrowseProgramsParams, GetChannelsParams, GetProgramByNameParams};
use marketo_rest::time::OffsetDateTime;
use marketo_rest::types::{
    CloneProgramRequest, Cost, CreateProgramRequest, FolderReference, FolderType, ProgramType,
    UpdateProgramRequest,
};

type BoxError = Box<dyn Error + Send + Sync>;

/// The client, the folder to work in, and the emulator when one was started
/// (kept alive until the end).
struct Target {
    client: Client,
    folder_id: i32,
    _emulator: Option<Emulator>,
}

async fn connect() -> Result<Target, BoxError> {
    if std::env::var_os("MARKETO_BASE_URL").is_some() {
        let client = Client::from_env()?;
        let folder_id = std::env::var("MARKETO_EXAMPLE_FOLDER_ID")
            .map_err(|_| "set MARKETO_EXAMPLE_FOLDER_ID to a folder the example may use")?
            .parse()
            .map_err(|e| format!("MARKETO_EXAMPLE_FOLDER_ID: {e}"))?;
        println!("Using the instance at MARKETO_BASE_URL, folder {folder_id}.");
        return Ok(Target {
            client,
            folder_id,
            _emulator: None,
        });
    }
    let emulator = Emulator::start().await?;
    emulator.add_programs(450);
    let creds = emulator.credentials();
    let client = Client::new(RestCredentials::new(
        &emulator.rest_base_url(),
        creds.client_id,
        creds.client_secret,
    )?)?;
    println!(
        "No MARKETO_BASE_URL: started the emulator at {} (demo data + 450 programs).",
        emulator.rest_base_url()
    );
    Ok(Target {
        client,
        folder_id: 10, // "Campaigns" in the emulator's demo data
        _emulator: Some(emulator),
    })
}

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    // Keep the emulator (if any) running until the end.
    let Target {
        client,
        folder_id,
        _emulator: _running,
    } = connect().await?;

    // A channel that Default programs may use.
    let channels = client.get_channels(GetChannelsParams::default()).await?;
    let channel = channels
        .value
        .iter()
        .find(|c| c.applicable_program_type.eq_ignore_ascii_case("program"))
        .ok_or("no channel for Default programs")?
        .name
        .clone();

    // Create.
    let stamp = OffsetDateTime::now_utc().unix_timestamp();
    let name = format!("marketo-rs example {stamp}");
    let created = client
        .create_program(
            &CreateProgramRequest::new(
                name.clone(),
                FolderReference::new(folder_id, FolderType::Folder),
                ProgramType::Default,
                channel.clone(),
            )
            .description("Created by the marketo-rest programs example"),
        )
        .await?;
    let id = created
        .value
        .first()
        .ok_or("create returned no program")?
        .id;
    println!(
        "created program {id} {name:?} in folder {folder_id}, channel {channel:?} (requestId {})",
        created.request_id
    );

    // Read by id: the program itself (an unknown id is `RestError::NotFound`).
    let program = client.get_program_by_id(id).await?;
    println!(
        "get by id: {} type {} status {:?} created {} (requestId {})",
        program.name,
        program.type_.as_str(),
        program.status.as_str(),
        program.created_at,
        program.request_id
    );

    // Update: a description and a period cost.
    client
        .update_program(
            id,
            &UpdateProgramRequest::new()
                .description("Updated by the example")
                .costs(vec![
                    Cost::new(OffsetDateTime::now_utc().date(), 250).note("example cost"),
                ]),
        )
        .await?;
    let by_name = client
        .get_program_by_name(&name, GetProgramByNameParams::default().include_costs(true))
        .await?;
    let updated = by_name
        .value
        .first()
        .ok_or("get by name returned nothing")?;
    println!(
        "updated: description {:?}, costs {:?}",
        updated.description.as_deref().unwrap_or_default(),
        updated
            .costs
            .iter()
            .flatten()
            .map(|c| (c.start_date.to_string(), c.cost))
            .collect::<Vec<_>>()
    );

    // Page through every program, 200 a page.
    let first_page = client
        .browse_programs(BrowseProgramsParams::default().max_return(200))
        .await?;
    println!(
        "browse: first page holds {} programs",
        first_page.value.len()
    );
    let mut stream = client.browse_programs_stream(BrowseProgramsParams::default().max_return(200));
    let mut count = 0_usize;
    let mut found = false;
    while let Some(p) = stream.try_next().await? {
        count += 1;
        found |= p.id == id;
    }
    println!(
        "browse stream: {count} programs in all (stopped at offset {}), ours among them: {found}",
        stream.offset()
    );
    if !found {
        return Err("the new program was not found while browsing".into());
    }

    // Clone, then clean up.
    let cloned = client
        .clone_program(
            id,
            &CloneProgramRequest::new(
                format!("{name} (clone)"),
                FolderReference::new(folder_id, FolderType::Folder),
            ),
        )
        .await?;
    let clone_id = cloned.value.first().ok_or("clone returned nothing")?.id;
    println!("cloned into program {clone_id}");

    for delete in [clone_id, id] {
        client.delete_program(delete).await?;
        println!("deleted program {delete}");
    }
    match client.get_program_by_id(id).await {
        Err(e) if e.is_not_found() => println!("get after delete: not found, as expected"),
        Ok(_) => return Err("the program is still there after delete".into()),
        Err(e) => return Err(e.into()),
    }
    println!("done");
    Ok(())
}
