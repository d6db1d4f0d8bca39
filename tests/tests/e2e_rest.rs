//! End to end: the generated REST client (`marketo-rest`) against the
//! in-process emulator (`marketo-emulator`).
//!
//! Every operation of `specs/marketo-rest.yaml` is called at least once (the
//! identity endpoint through the client's token provider on every test), and
//! what the client reports is checked against the emulator's own state, which
//! the tests read directly (`emu.programs()`, `emu.schedules()`, …). Expected
//! API errors must come back as `RestError::Api` with Marketo's code.

use std::collections::BTreeSet;
use std::fmt::Debug;
use std::time::Duration;

use futures::TryStreamExt;
use marketo_auth::RestCredentials;
use marketo_emulator::{Api, Emulator, Fault, Limits};
use marketo_rest::marketo_resilience::RetryPolicy;
use marketo_rest::params::{
    BrowseFoldersParams, BrowseProgramsParams, BrowseSmartCampaignsParams, GetChannelsParams,
    GetFolderByNameParams, GetLeadActivitiesParams, GetLeadByIdParams, GetLeadsByFilterTypeParams,
    GetProgramByNameParams, GetProgramsByTagParams, GetTagTypesParams, MergeLeadsParams,
};
use marketo_rest::types::{
    CloneProgramRequest, Cost, CreateProgramRequest, FolderReference, FolderType, Lead, LeadId,
    ListMembershipStatus, ProgramType, ScheduleCampaignData, SmartCampaignType, SyncAction,
    SyncLeadsRequest, SyncStatus, Tag, Token, TriggerCampaignData, UpdateProgramRequest,
};
use marketo_rest::{Client, ClientCore, RestError};
use time::OffsetDateTime;
use time::macros::{date, datetime};

const NO_ASSETS: &str = "No assets found for the given search criteria.";

/// An emulator with the demo data and no rate limits (these tests make many
/// calls in a row; the limits have their own tests), and a client for it.
async fn setup() -> (Emulator, Client) {
    let emu = Emulator::builder()
        .limits(Limits::unlimited())
        .start()
        .await
        .expect("emulator starts");
    let client = client_for(&emu);
    (emu, client)
}

fn client_for(emu: &Emulator) -> Client {
    let creds = emu.credentials();
    let credentials =
        RestCredentials::new(&emu.rest_base_url(), creds.client_id, creds.client_secret)
            .expect("valid credentials");
    Client::new(credentials).expect("client")
}

/// The Marketo error code of a call expected to fail with `RestError::Api`.
#[track_caller]
fn api_code<T: Debug>(result: Result<T, RestError>) -> String {
    match result {
        Err(RestError::Api { request_id, errors }) => {
            assert!(!request_id.is_empty(), "an API error carries the requestId");
            assert!(!errors.is_empty(), "an API error carries its errors");
            errors[0].code.clone()
        }
        other => panic!("expected RestError::Api, got {other:?}"),
    }
}

/// Asserts that a get-by-id found nothing: `RestError::NotFound`.
#[track_caller]
fn assert_not_found<T: Debug>(result: Result<T, RestError>) {
    match result {
        Err(err @ RestError::NotFound { .. }) => {
            assert!(err.is_not_found());
            assert!(!err.is_retryable());
        }
        other => panic!("expected RestError::NotFound, got {other:?}"),
    }
}

fn folder(id: i32) -> FolderReference {
    FolderReference::new(id, FolderType::Folder)
}

fn tag(tag_type: &str, tag_value: &str) -> Tag {
    Tag::new(tag_type, tag_value)
}

fn token(name: &str, value: &str) -> Token {
    Token::new(name, value)
}

fn lead_ids(ids: &[i64]) -> Vec<LeadId> {
    ids.iter().map(|&id| LeadId::new(id)).collect()
}

fn emulator_costs(emu: &Emulator, id: i32) -> Vec<(String, i64)> {
    emu.program(id)
        .expect("program exists in the emulator")
        .costs
        .into_iter()
        .map(|c| (c.start_date, c.cost))
        .collect()
}

#[tokio::test]
async fn program_lifecycle_create_get_update_clone_delete() {
    let (emu, client) = setup().await;

    // create
    let request =
        CreateProgramRequest::new("E2E Program", folder(10), ProgramType::Default, "Content")
            .description("created by the e2e test")
            .costs(vec![Cost::new(date!(2024 - 01 - 01), 100).note("launch")])
            .tags(vec![tag("Region", "EMEA")]);
    let created = client.create_program(&request).await.expect("create");
    assert!(!created.request_id.is_empty());
    assert_eq!(created.value.len(), 1);
    let id = created.value[0].id;
    assert_eq!(created.value[0].name, "E2E Program");
    let stored = emu.program(id).expect("the emulator holds the new program");
    assert_eq!(stored.name, "E2E Program");
    assert_eq!(stored.program_type, "Default");
    assert_eq!(stored.channel, "Content");
    assert_eq!(stored.folder.id, 10);
    assert_eq!(stored.description, "created by the e2e test");
    assert_eq!(stored.tags.len(), 1);
    assert_eq!(emulator_costs(&emu, id), vec![("2024-01-01".into(), 100)]);

    // the same name again, a folder that cannot hold programs, a missing folder
    assert_eq!(api_code(client.create_program(&request).await), "709");
    let mut bad = request.clone();
    bad.name = "E2E In Design Studio".into();
    bad.folder = folder(20);
    assert_eq!(api_code(client.create_program(&bad).await), "711");
    bad.folder = folder(999_999);
    assert_eq!(api_code(client.create_program(&bad).await), "710");
    assert!(emu.program_by_name("E2E In Design Studio").is_none());

    // get by id: tags and costs included
    let program = client.get_program_by_id(id).await.expect("get by id");
    assert!(!program.request_id.is_empty());
    assert_eq!(program.id, id);
    assert_eq!(program.name, "E2E Program");
    assert_eq!(program.type_, ProgramType::Default);
    assert_eq!(program.channel, "Content");
    assert_eq!(program.folder.value, 10);
    assert_eq!(program.folder.type_, FolderType::Folder);
    assert_eq!(program.tags.as_deref(), Some(&[tag("Region", "EMEA")][..]));
    let costs = program.costs.as_deref().expect("costs by id");
    assert_eq!(costs.len(), 1);
    assert_eq!(costs[0].cost, 100);
    assert_eq!(costs[0].start_date, date!(2024 - 01 - 01));
    assert_not_found(client.get_program_by_id(999_999).await);

    // get by name, with and without tags and costs
    let with = client
        .get_program_by_name(
            "E2E Program",
            GetProgramByNameParams::default()
                .include_tags(true)
                .include_costs(true),
        )
        .await
        .expect("get by name");
    assert_eq!(with.value.len(), 1);
    assert_eq!(with.value[0].id, id);
    assert_eq!(
        with.value[0].tags.as_deref(),
        Some(&[tag("Region", "EMEA")][..])
    );
    assert_eq!(with.value[0].costs.as_ref().map(Vec::len), Some(1));
    let without = client
        .get_program_by_name("E2E Program", GetProgramByNameParams::default())
        .await
        .expect("get by name, plain");
    assert_eq!(without.value[0].id, id);
    assert!(without.value[0].tags.as_ref().is_none_or(Vec::is_empty));
    assert!(without.value[0].costs.as_ref().is_none_or(Vec::is_empty));
    assert_eq!(
        api_code(
            client
                .get_program_by_name("No Such Program", GetProgramByNameParams::default())
                .await
        ),
        "702"
    );

    // get by tag: the demo programs tagged Region=EMEA (1001, 1003) and ours
    let by_tag = client
        .get_programs_by_tag("Region", "EMEA", GetProgramsByTagParams::default())
        .await
        .expect("by tag");
    let ids: BTreeSet<i32> = by_tag.value.iter().map(|p| p.id).collect();
    assert_eq!(ids, BTreeSet::from([1001, 1003, id]));
    let streamed: Vec<_> = client
        .get_programs_by_tag_stream(
            "Region",
            "EMEA",
            GetProgramsByTagParams::default().max_return(200),
        )
        .try_collect()
        .await
        .expect("by tag stream");
    let streamed: BTreeSet<i32> = streamed.iter().map(|p| p.id).collect();
    assert_eq!(streamed, ids);

    // update: name and description; costs appended, then replaced, then cleared
    let updated = client
        .update_program(
            id,
            &UpdateProgramRequest::new()
                .name("E2E Program Renamed")
                .description("updated")
                .costs(vec![Cost::new(date!(2024 - 02 - 01), 200)]),
        )
        .await
        .expect("update");
    assert_eq!(updated.value[0].name, "E2E Program Renamed");
    let stored = emu.program(id).expect("still there");
    assert_eq!(stored.name, "E2E Program Renamed");
    assert_eq!(stored.description, "updated");
    assert_eq!(
        emulator_costs(&emu, id),
        vec![("2024-01-01".into(), 100), ("2024-02-01".into(), 200)]
    );
    client
        .update_program(
            id,
            &UpdateProgramRequest::new()
                .costs(vec![Cost::new(date!(2024 - 03 - 01), 300).note("replaced")])
                .costs_destructive_update(true),
        )
        .await
        .expect("destructive update");
    assert_eq!(emulator_costs(&emu, id), vec![("2024-03-01".into(), 300)]);
    client
        .update_program(
            id,
            &UpdateProgramRequest::new().costs_destructive_update(true),
        )
        .await
        .expect("clearing update");
    assert_eq!(emulator_costs(&emu, id), Vec::new());
    let after = client
        .get_program_by_id(id)
        .await
        .expect("get after update");
    assert!(after.costs.as_ref().is_none_or(Vec::is_empty));
    assert_eq!(
        api_code(
            client
                .update_program(999_999, &UpdateProgramRequest::default())
                .await
        ),
        "702"
    );
    // renaming onto an existing name
    assert_eq!(
        api_code(
            client
                .update_program(id, &UpdateProgramRequest::new().name("Demo Event Program"))
                .await
        ),
        "709"
    );

    // clone
    let clone_request =
        CloneProgramRequest::new("E2E Program Clone", folder(13)).description("a copy");
    let cloned = client
        .clone_program(id, &clone_request)
        .await
        .expect("clone");
    let clone_id = cloned.value[0].id;
    assert_ne!(clone_id, id);
    assert_eq!(cloned.value[0].name, "E2E Program Clone");
    let stored_clone = emu.program(clone_id).expect("clone in the emulator");
    assert_eq!(stored_clone.folder.id, 13);
    assert_eq!(stored_clone.program_type, "Default");
    assert_eq!(stored_clone.channel, "Content");
    assert_eq!(
        api_code(client.clone_program(id, &clone_request).await),
        "709",
        "clone names are unique"
    );
    let long = CloneProgramRequest::new("x".repeat(256), folder(13));
    assert_eq!(api_code(client.clone_program(id, &long).await), "1003");
    let max = CloneProgramRequest::new("y".repeat(255), folder(13));
    let max_clone = client
        .clone_program(id, &max)
        .await
        .expect("255 characters are fine");
    assert_eq!(max_clone.value[0].name.chars().count(), 255);

    // delete
    let deleted = client.delete_program(clone_id).await.expect("delete");
    assert_eq!(deleted.value[0].id, i64::from(clone_id));
    assert!(emu.program(clone_id).is_none());
    assert_not_found(client.get_program_by_id(clone_id).await);
    assert_eq!(api_code(client.delete_program(clone_id).await), "702");
    assert!(emu.program(id).is_some(), "the original survives");
}

#[tokio::test]
async fn approve_and_unapprove_only_email_programs() {
    let (emu, client) = setup().await;

    // Demo program 1005 is an Email program with start and end dates.
    let before = emu.program(1005).expect("demo email program").status;
    let approved = client.approve_program(1005).await.expect("approve");
    assert_eq!(approved.value[0].id, 1005);
    let during = emu.program(1005).expect("still there").status;
    assert_ne!(before, during, "approval changes the program's status");
    assert_eq!(
        api_code(client.approve_program(1005).await),
        "709",
        "already approved"
    );
    let unapproved = client.unapprove_program(1005).await.expect("unapprove");
    assert_eq!(unapproved.value[0].id, 1005);
    assert_eq!(emu.program(1005).expect("still there").status, before);
    assert_eq!(
        api_code(client.unapprove_program(1005).await),
        "709",
        "not approved"
    );

    // Any other program type is refused, with the typed error.
    for id in [1001, 1002, 1003, 1004] {
        let err = client
            .approve_program(id)
            .await
            .expect_err("only Email programs can be approved");
        assert!(matches!(err, RestError::Api { .. }), "{err:?}");
        assert_eq!(err.code(), Some("709"));
        assert!(!err.is_retryable());
        assert_eq!(api_code(client.unapprove_program(id).await), "709");
    }
    assert_eq!(api_code(client.approve_program(999_999).await), "702");
}

#[tokio::test]
async fn browse_programs_pages_and_streams() {
    let (emu, client) = setup().await;
    emu.add_programs(450);
    let all: BTreeSet<i32> = emu.programs().iter().map(|p| p.id).collect();
    assert_eq!(all.len(), 455, "five demo programs and 450 seeded ones");

    let first = client
        .browse_programs(BrowseProgramsParams::default())
        .await
        .expect("first page");
    assert_eq!(first.value.len(), 20, "maxReturn defaults to 20");

    let page = client
        .browse_programs(BrowseProgramsParams::default().max_return(200).offset(400))
        .await
        .expect("last page");
    assert_eq!(page.value.len(), 55);

    let past = client
        .browse_programs(BrowseProgramsParams::default().max_return(200).offset(600))
        .await
        .expect("past the end is not an error");
    assert!(past.value.is_empty());
    assert!(past.warnings.iter().any(|w| w == NO_ASSETS), "{past:?}");

    assert_eq!(
        api_code(
            client
                .browse_programs(BrowseProgramsParams::default().max_return(201))
                .await
        ),
        "1003"
    );

    let mut stream = client.browse_programs_stream(BrowseProgramsParams::default().max_return(200));
    let mut seen = Vec::new();
    while let Some(program) = stream.try_next().await.expect("stream page") {
        seen.push(program.id);
    }
    assert_eq!(seen.len(), 455, "every program exactly once");
    assert_eq!(seen.iter().copied().collect::<BTreeSet<_>>(), all);
    assert!(stream.offset() >= 455);

    // A stream can start in the middle.
    let tail: Vec<_> = client
        .browse_programs_stream(BrowseProgramsParams::default().max_return(100).offset(450))
        .try_collect()
        .await
        .expect("tail");
    assert_eq!(tail.len(), 5);
}

#[tokio::test]
async fn channels_and_tag_types() {
    let (_emu, client) = setup().await;

    let channels = client
        .get_channels(GetChannelsParams::default())
        .await
        .expect("channels");
    let names: Vec<&str> = channels.value.iter().map(|c| c.name.as_str()).collect();
    for expected in [
        "Content",
        "Online Advertising",
        "Tradeshow",
        "Webinar",
        "Nurture",
        "Email Send",
    ] {
        assert!(names.contains(&expected), "{expected} in {names:?}");
    }
    let streamed: Vec<_> = client
        .get_channels_stream(GetChannelsParams::default().max_return(2))
        .try_collect()
        .await
        .expect("channel stream");
    assert_eq!(streamed.len(), channels.value.len());

    let webinar = client
        .get_channel_by_name("Webinar")
        .await
        .expect("channel by name");
    assert_eq!(webinar.value.len(), 1);
    assert_eq!(webinar.value[0].id, 4);
    assert!(!webinar.value[0].progression_statuses.is_empty());
    assert_eq!(
        api_code(client.get_channel_by_name("No Such Channel").await),
        "702"
    );

    let tag_types = client
        .get_tag_types(GetTagTypesParams::default())
        .await
        .expect("tag types");
    let names: BTreeSet<&str> = tag_types
        .value
        .iter()
        .map(|t| t.tag_type.as_str())
        .collect();
    assert!(names.contains("Region") && names.contains("Product Line"));
    let streamed: Vec<_> = client
        .get_tag_types_stream(GetTagTypesParams::default().max_return(1))
        .try_collect()
        .await
        .expect("tag type stream");
    assert_eq!(streamed.len(), tag_types.value.len());

    let region = client
        .get_tag_type_by_name("Region")
        .await
        .expect("tag type by name");
    assert_eq!(region.value[0].tag_type, "Region");
    let allowed = region.value[0]
        .allowable_values
        .as_deref()
        .expect("allowable values");
    assert!(allowed.contains("EMEA"), "{allowed}");
    assert_eq!(
        api_code(client.get_tag_type_by_name("No Such Tag").await),
        "702"
    );
}

#[tokio::test]
async fn folders_by_id_by_name_and_browse() {
    let (emu, client) = setup().await;

    let campaigns = client
        .get_folder_by_id(10, FolderType::Folder)
        .await
        .expect("folder by id");
    assert_eq!(campaigns.name, "Campaigns");
    assert_eq!(campaigns.id, 10);

    let program_folder = client
        .get_folder_by_id(1001, FolderType::Program)
        .await
        .expect("program seen as a folder");
    assert_eq!(program_folder.name, "Demo Default Program");
    assert_not_found(client.get_folder_by_id(999_999, FolderType::Folder).await);

    let events = client
        .get_folder_by_name("Events", GetFolderByNameParams::default())
        .await
        .expect("folder by name");
    assert_eq!(events.value.len(), 1);
    assert_eq!(events.value[0].id, 11);
    assert_eq!(
        events.value[0].parent.as_ref().map(|p| p.id),
        Some(10),
        "Events is in Campaigns"
    );

    // Everything under Marketing Activities, in one call and page by page.
    let params = BrowseFoldersParams::default()
        .root(r#"{"id":1,"type":"Folder"}"#)
        .max_depth(5);
    let browsed = client
        .browse_folders(params.clone().max_return(200))
        .await
        .expect("browse folders");
    let ids: BTreeSet<i32> = browsed.value.iter().map(|f| f.id).collect();
    for expected in [10, 11, 12, 13, 14, 15] {
        assert!(ids.contains(&expected), "{expected} in {ids:?}");
    }
    assert!(!ids.contains(&20), "Design Studio folders are elsewhere");
    let streamed: Vec<_> = client
        .browse_folders_stream(params.max_return(3))
        .try_collect()
        .await
        .expect("browse folders stream");
    let streamed: BTreeSet<i32> = streamed.iter().map(|f| f.id).collect();
    assert_eq!(streamed, ids);

    // A root that is not JSON is an API error, not a crash.
    let code = api_code(
        client
            .browse_folders(BrowseFoldersParams::default().root("{\"id\": 1,"))
            .await,
    );
    assert_eq!(code, "609");
    assert!(!emu.folders().is_empty());
}

#[tokio::test]
async fn smart_campaigns_get_browse_schedule_trigger() {
    let (emu, client) = setup().await;

    let batch = client
        .get_smart_campaign_by_id(2001)
        .await
        .expect("campaign by id");
    assert_eq!(batch.name, "Demo Batch Campaign");
    assert_eq!(batch.type_, SmartCampaignType::Batch);
    assert_not_found(client.get_smart_campaign_by_id(999_999).await);

    let all = client
        .browse_smart_campaigns(BrowseSmartCampaignsParams::default().max_return(200))
        .await
        .expect("browse campaigns");
    assert_eq!(all.value.len(), emu.campaigns().len());
    let streamed: Vec<_> = client
        .browse_smart_campaigns_stream(BrowseSmartCampaignsParams::default().max_return(3))
        .try_collect()
        .await
        .expect("campaign stream");
    assert_eq!(
        streamed.iter().map(|c| c.id).collect::<BTreeSet<_>>(),
        all.value.iter().map(|c| c.id).collect::<BTreeSet<_>>()
    );
    let active = client
        .browse_smart_campaigns(BrowseSmartCampaignsParams::default().is_active(true))
        .await
        .expect("active campaigns");
    assert!(!active.value.is_empty());
    assert!(active.value.iter().all(|c| c.is_active == Some(true)));
    assert!(active.value.iter().any(|c| c.id == 2002));
    assert!(active.value.iter().all(|c| c.id != 2001));

    // schedule with runAt, cloneToProgramName and tokens
    let run_at = emu.now().replace_nanosecond(0).expect("valid") + Duration::from_secs(3600);
    let scheduled = client
        .schedule_campaign(
            2001,
            Some(
                &ScheduleCampaignData::new()
                    .run_at(run_at)
                    .clone_to_program_name("E2E Scheduled Clone")
                    .tokens(vec![
                        token("{{my.message}}", "Hello from REST"),
                        token("{{my.offer}}", "10% off"),
                    ]),
            ),
        )
        .await
        .expect("schedule");
    let schedules = emu.schedules();
    assert_eq!(schedules.len(), 1);
    let record = &schedules[0];
    assert_eq!(record.api, Api::Rest);
    assert_eq!(record.campaign_id, 2001);
    assert_eq!(record.run_at, run_at);
    assert_eq!(
        record.clone_to_program_name.as_deref(),
        Some("E2E Scheduled Clone")
    );
    assert_eq!(
        record.tokens,
        vec![
            ("{{my.message}}".to_owned(), "Hello from REST".to_owned()),
            ("{{my.offer}}".to_owned(), "10% off".to_owned()),
        ]
    );
    let clone_id = record.cloned_program_id.expect("a clone was made");
    assert_eq!(
        emu.program(clone_id).expect("clone exists").name,
        "E2E Scheduled Clone"
    );
    assert_ne!(record.scheduled_campaign_id, 2001, "the clone's copy runs");
    // The answer names the campaign that was scheduled: the clone's copy.
    assert_eq!(
        scheduled.value[0].id,
        i64::from(record.scheduled_campaign_id)
    );
    let copy = client
        .get_smart_campaign_by_id(record.scheduled_campaign_id)
        .await
        .expect("the copy is a campaign");
    assert_eq!(copy.name, "Demo Batch Campaign");
    assert_eq!(copy.parent_program_id, Some(clone_id));

    // schedule without a body: runAt defaults to about five minutes from now
    let now = emu.now();
    client
        .schedule_campaign(2003, None)
        .await
        .expect("schedule without a body");
    let record = emu.schedules().pop().expect("second schedule");
    assert_eq!(record.campaign_id, 2003);
    assert!(record.tokens.is_empty());
    assert!(record.clone_to_program_name.is_none());
    let delay = record.run_at - now;
    assert!(
        delay >= time::Duration::minutes(4) && delay <= time::Duration::minutes(6),
        "{delay}"
    );

    // refused schedules
    let far = ScheduleCampaignData::new().run_at(emu.now() + time::Duration::days(3 * 366));
    assert_eq!(
        api_code(client.schedule_campaign(2001, Some(&far)).await),
        "1042"
    );
    assert_eq!(
        api_code(client.schedule_campaign(2002, None).await),
        "1003",
        "trigger campaigns cannot be scheduled"
    );
    assert_eq!(
        api_code(client.schedule_campaign(999_999, None).await),
        "1013"
    );
    assert_eq!(emu.schedules().len(), 2, "refused calls are not recorded");

    // trigger with leads and tokens
    let triggered = client
        .trigger_campaign(
            2002,
            &TriggerCampaignData::new(lead_ids(&[3001, 3002]))
                .tokens(vec![token("{{my.greeting}}", "Hi")]),
        )
        .await
        .expect("trigger");
    assert_eq!(triggered.value[0].id, 2002);
    let triggers = emu.triggers();
    assert_eq!(triggers.len(), 1);
    assert_eq!(triggers[0].api, Api::Rest);
    assert_eq!(triggers[0].campaign_id, 2002);
    assert_eq!(triggers[0].lead_ids, vec![3001, 3002]);
    assert_eq!(
        triggers[0].tokens,
        vec![("{{my.greeting}}".to_owned(), "Hi".to_owned())]
    );
    let batch_trigger = TriggerCampaignData::new(lead_ids(&[3001]));
    assert_eq!(
        api_code(client.trigger_campaign(2001, &batch_trigger).await),
        "1003",
        "batch campaigns cannot be triggered"
    );
    assert_eq!(
        api_code(client.trigger_campaign(2005, &batch_trigger).await),
        "1003",
        "inactive, non-requestable campaigns cannot be triggered"
    );
    assert_eq!(emu.triggers().len(), 1);
}

#[tokio::test]
async fn leads_get_filter_sync_merge() {
    let (emu, client) = setup().await;

    let ada = client
        .get_lead_by_id(
            3001,
            GetLeadByIdParams::default().fields(vec!["email".to_owned(), "company".to_owned()]),
        )
        .await
        .expect("lead by id");
    assert_eq!(ada.id, Some(3001));
    assert_eq!(ada.email.as_deref(), Some("ada@example.com"));
    // Marketo answers an unknown lead id with an empty result: not found.
    assert_not_found(
        client
            .get_lead_by_id(999_999, GetLeadByIdParams::default())
            .await,
    );

    // by filter, two a page
    let emails: Vec<String> = ["ada@example.com", "alan@example.com", "grace@example.com"]
        .map(String::from)
        .to_vec();
    let page1 = client
        .get_leads_by_filter_type(
            "email",
            &emails,
            GetLeadsByFilterTypeParams::default().batch_size(2),
        )
        .await
        .expect("page 1");
    assert_eq!(page1.value.len(), 2);
    assert_eq!(page1.more_result, Some(true));
    let token = page1.next_page_token.clone().expect("a next page token");
    let page2 = client
        .get_leads_by_filter_type(
            "email",
            &emails,
            GetLeadsByFilterTypeParams::default()
                .batch_size(2)
                .next_page_token(token),
        )
        .await
        .expect("page 2");
    assert_eq!(page2.value.len(), 1);
    assert_ne!(page2.more_result, Some(true));
    let mut ids: Vec<i64> = page1
        .value
        .iter()
        .chain(&page2.value)
        .filter_map(|l| l.id)
        .collect();
    ids.sort_unstable();
    assert_eq!(ids, vec![3001, 3002, 3003]);
    let streamed: Vec<_> = client
        .get_leads_by_filter_type_stream(
            "email",
            &emails,
            GetLeadsByFilterTypeParams::default().batch_size(2),
        )
        .try_collect()
        .await
        .expect("lead stream");
    assert_eq!(streamed.len(), 3);
    assert_eq!(
        api_code(
            client
                .get_leads_by_filter_type(
                    "favouriteColour",
                    &["blue".to_owned()],
                    GetLeadsByFilterTypeParams::default()
                )
                .await
        ),
        "1011"
    );

    // sync: update Ada by email, create a new lead
    let augusta = Lead::new()
        .email("ada@example.com")
        .first_name("Augusta")
        .additional_property("company", "Analytical Engines");
    let newcomer = Lead::new()
        .email("margaret@example.com")
        .first_name("Margaret")
        .last_name("Hamilton");
    let synced = client
        .sync_leads(
            &SyncLeadsRequest::new(vec![augusta, newcomer])
                .action(SyncAction::CreateOrUpdate)
                .lookup_field("email"),
        )
        .await
        .expect("sync");
    assert_eq!(synced.value.len(), 2);
    assert_eq!(synced.value[0].status, SyncStatus::Updated);
    assert_eq!(synced.value[0].id, Some(3001));
    assert_eq!(synced.value[1].status, SyncStatus::Created);
    let new_id = synced.value[1].id.expect("new lead id");
    let stored = emu.lead(3001).expect("Ada");
    assert_eq!(stored.field_text("firstName").as_deref(), Some("Augusta"));
    assert_eq!(
        stored.field_text("company").as_deref(),
        Some("Analytical Engines")
    );
    assert_eq!(
        emu.lead(new_id).expect("created").email(),
        Some("margaret@example.com")
    );

    // createOnly on an existing email: skipped, with a reason
    let skipped = client
        .sync_leads(
            &SyncLeadsRequest::new(vec![Lead::new().email("alan@example.com")])
                .action(SyncAction::CreateOnly)
                .lookup_field("email"),
        )
        .await
        .expect("sync with a skipped record is a success");
    assert_eq!(skipped.value[0].status, SyncStatus::Skipped);
    let reasons = skipped.value[0].reasons.as_deref().expect("reasons");
    assert_eq!(reasons[0].code, "1005");

    // merge 3005 into 3004
    client
        .merge_leads(3004, MergeLeadsParams::default().lead_id(3005))
        .await
        .expect("merge");
    assert!(emu.lead(3005).is_none(), "the losing lead is gone");
    assert!(emu.lead(3004).is_some());
    assert_eq!(
        api_code(
            client
                .merge_leads(3004, MergeLeadsParams::default().lead_id(999_999))
                .await
        ),
        "1004"
    );
}

#[tokio::test]
async fn static_list_membership() {
    let (emu, client) = setup().await;

    let added = client
        .add_leads_to_list(4002, &lead_ids(&[3001, 3002, 999_999]))
        .await
        .expect("add");
    let statuses: Vec<_> = added.value.iter().map(|r| r.status.clone()).collect();
    assert_eq!(
        statuses,
        vec![
            ListMembershipStatus::Added,
            ListMembershipStatus::Added,
            ListMembershipStatus::Skipped
        ]
    );
    assert_eq!(
        added.value[2].reasons.as_deref().expect("reasons")[0].code,
        "1004"
    );
    assert_eq!(emu.list_members(4002), Some(vec![3001, 3002]));

    let member = client
        .is_member_of_list(4002, &[3001, 3003])
        .await
        .expect("is member");
    assert_eq!(member.value[0].id, 3001);
    assert_eq!(member.value[0].status, ListMembershipStatus::Memberof);
    assert_eq!(member.value[1].id, 3003);
    assert_eq!(member.value[1].status, ListMembershipStatus::Notmemberof);

    let removed = client
        .remove_leads_from_list(4002, &lead_ids(&[3001, 3003]))
        .await
        .expect("remove");
    assert_eq!(removed.value[0].status, ListMembershipStatus::Removed);
    assert_eq!(removed.value[1].status, ListMembershipStatus::Skipped);
    assert_eq!(
        removed.value[1].reasons.as_deref().expect("reasons")[0].code,
        "1015"
    );
    assert_eq!(emu.list_members(4002), Some(vec![3002]));

    assert_eq!(
        api_code(client.add_leads_to_list(999_999, &lead_ids(&[3001])).await),
        "1013"
    );
    assert_eq!(
        api_code(client.is_member_of_list(999_999, &[3001]).await),
        "1013"
    );
}

#[tokio::test]
async fn activities_token_pages_and_types() {
    let (emu, client) = setup().await;

    let types = client.get_activity_types().await.expect("activity types");
    let by_id = |id: i32| {
        types
            .value
            .iter()
            .find(|t| t.id == id)
            .map(|t| t.name.clone())
    };
    assert_eq!(by_id(1).as_deref(), Some("Visit Webpage"));
    assert_eq!(by_id(12).as_deref(), Some("New Lead"));
    assert_eq!(by_id(24).as_deref(), Some("Add to List"));

    let since: OffsetDateTime = datetime!(2020-01-01 00:00:00 UTC);
    let token = client
        .get_paging_token(since)
        .await
        .expect("paging token")
        .next_page_token
        .expect("the token is in nextPageToken");
    assert!(!token.is_empty());

    let expected = emu
        .activities()
        .iter()
        .filter(|a| [1, 12].contains(&a.type_id) && a.date >= since)
        .count();
    assert!(expected >= 10, "every demo lead has two such activities");

    // page by page, three at a time
    let mut next = token.clone();
    let mut collected = Vec::new();
    let mut pages = 0;
    loop {
        let page = client
            .get_lead_activities(
                &next,
                &[1, 12],
                GetLeadActivitiesParams::default().batch_size(3),
            )
            .await
            .expect("activities page");
        pages += 1;
        assert!(page.value.len() <= 3);
        collected.extend(page.value);
        next = page.next_page_token.expect("every page has a token");
        if page.more_result != Some(true) {
            break;
        }
        assert!(pages < 100, "paging terminates");
    }
    assert!(pages >= 4, "{pages} pages");
    assert_eq!(collected.len(), expected);
    assert!(
        collected
            .iter()
            .all(|a| [1, 12].contains(&a.activity_type_id))
    );

    let streamed: Vec<_> = client
        .get_lead_activities_stream(
            &token,
            &[1, 12],
            GetLeadActivitiesParams::default().batch_size(3),
        )
        .try_collect()
        .await
        .expect("activity stream");
    assert_eq!(streamed, collected);

    // one lead only
    let ada: Vec<_> = client
        .get_lead_activities_stream(
            &token,
            &[1, 12],
            GetLeadActivitiesParams::default().lead_ids(vec![3001_i64]),
        )
        .try_collect()
        .await
        .expect("Ada's activities");
    assert_eq!(ada.len(), 2);
    assert!(ada.iter().all(|a| a.lead_id == 3001));

    // list changes show up as activities
    let token_now = client
        .get_paging_token(emu.now())
        .await
        .expect("token now")
        .next_page_token
        .expect("token");
    client
        .add_leads_to_list(4002, &lead_ids(&[3004]))
        .await
        .expect("add to list");
    let adds: Vec<_> = client
        .get_lead_activities_stream(&token_now, &[24], GetLeadActivitiesParams::default())
        .try_collect()
        .await
        .expect("add-to-list activities");
    assert_eq!(adds.len(), 1);
    assert_eq!(adds[0].lead_id, 3004);

    // more than ten activity types is refused
    assert_eq!(
        api_code(
            client
                .get_lead_activities(
                    &token,
                    &[1, 2, 6, 7, 10, 11, 12, 13, 24, 25, 32],
                    GetLeadActivitiesParams::default()
                )
                .await
        ),
        "1003"
    );
}

#[tokio::test]
async fn bad_credentials_and_expired_tokens() {
    let (emu, client) = setup().await;

    // A wrong secret: the identity endpoint answers 401, surfaced as an auth error.
    let creds = emu.credentials();
    let wrong = Client::new(
        RestCredentials::new(&emu.rest_base_url(), creds.client_id, "not-the-secret")
            .expect("credentials"),
    )
    .expect("client");
    let err = wrong
        .get_program_by_id(1001)
        .await
        .expect_err("wrong secret");
    assert!(matches!(err, RestError::Auth(_)), "{err:?}");
    assert!(!format!("{err:?} {err}").contains("not-the-secret"));

    // Tokens expired behind the client's back: 602, refreshed and retried once.
    client
        .get_program_by_id(1001)
        .await
        .expect("first call gets a token");
    emu.expire_tokens();
    let again = client
        .get_program_by_id(1001)
        .await
        .expect("the client refreshes the token after 602");
    assert_eq!(again.id, 1001);
    assert_eq!(emu.stats().errors("602"), 1);
}

#[tokio::test]
async fn a_query_over_8_kb_is_sent_as_post_with_method_get() {
    let (emu, client) = setup().await;
    // 300 long addresses (the most one call takes): a URI of about 16 KB,
    // which Marketo — and the emulator — refuse with HTTP 414 as a GET.
    let mut emails: Vec<String> = (0..298)
        .map(|i| format!("a.rather.long.mailbox.name.number.{i:03}@example.com"))
        .collect();
    emails.push("ada@example.com".into());
    emails.push("grace@example.com".into());
    let query_len: usize = emails.iter().map(|e| e.len() + 3).sum();
    assert!(query_len > 8 * 1024, "the query must be over 8 KB");

    let found = client
        .get_leads_by_filter_type("email", &emails, GetLeadsByFilterTypeParams::default())
        .await
        .expect("sent as POST ?_method=GET, the long query succeeds");
    let mut ids: Vec<i64> = found.value.iter().filter_map(|l| l.id).collect();
    ids.sort_unstable();
    assert_eq!(ids, vec![3001, 3003]);

    // The same query as a plain GET is refused, so the client must have
    // used the documented POST form.
    let creds = emu.credentials();
    let token: serde_json::Value = reqwest::get(format!(
        "{}/identity/oauth/token?grant_type=client_credentials&client_id={}&client_secret={}",
        emu.rest_base_url(),
        creds.client_id,
        creds.client_secret
    ))
    .await
    .unwrap()
    .json()
    .await
    .unwrap();
    let status = reqwest::Client::new()
        .get(format!("{}/rest/v1/leads.json", emu.rest_base_url()))
        .query(&[("filterType", "email"), ("filterValues", &emails.join(","))])
        .bearer_auth(token["access_token"].as_str().unwrap())
        .send()
        .await
        .unwrap()
        .status();
    assert_eq!(status.as_u16(), 414);
}

/// Idempotency comes from the spec: after a connection dropped mid-call (the
/// call may have reached Marketo), `add_leads_to_list` (POST, marked
/// `x-marketo-idempotent: true`) is repeated, `schedule_campaign` (POST,
/// unmarked) is not, and a GET is.
#[tokio::test]
async fn the_spec_decides_which_calls_are_repeated_after_a_dropped_connection() {
    let (emu, _) = setup().await;
    let creds = emu.credentials();
    let client = ClientCore::builder(
        RestCredentials::new(&emu.rest_base_url(), creds.client_id, creds.client_secret)
            .expect("valid credentials"),
    )
    .retry(RetryPolicy {
        max_attempts: 3,
        min_delay: Duration::from_millis(5),
        max_delay: Duration::from_millis(20),
        max_elapsed: Duration::from_secs(10),
        jitter: false,
    })
    .build_client()
    .expect("client");
    // A token first, so that the fault hits the call itself.
    client.get_program_by_id(1001).await.expect("warm up");

    emu.reset_stats();
    emu.inject(Fault::DropConnection, 1);
    let added = client
        .add_leads_to_list(4002, &lead_ids(&[3001]))
        .await
        .expect("an idempotent POST is repeated");
    assert_eq!(added[0].status, ListMembershipStatus::Added);
    assert_eq!(emu.stats().dropped_connections, 1);
    assert_eq!(emu.list_members(4002), Some(vec![3001]));

    emu.reset_stats();
    emu.inject(Fault::DropConnection, 1);
    let err = client
        .schedule_campaign(2001, None)
        .await
        .expect_err("a POST that is not idempotent is not repeated");
    assert!(matches!(err, RestError::Transport(_)), "{err:?}");
    assert_eq!(emu.stats().dropped_connections, 1);
    assert!(emu.schedules().is_empty());

    emu.reset_stats();
    emu.inject(Fault::DropConnection, 1);
    let program = client
        .get_program_by_id(1001)
        .await
        .expect("a GET is repeated");
    assert_eq!(program.id, 1001);
    assert_eq!(emu.stats().dropped_connections, 1);
}
