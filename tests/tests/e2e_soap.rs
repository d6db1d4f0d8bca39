//! End to end: the generated SOAP client (`marketo-soap`) against the
//! in-process emulator (`marketo-emulator`).
//!
//! Each call is signed by the client (`marketo-auth`) and verified by the
//! emulator's own HMAC check; results are compared with the emulator's state.
//! Expected faults must come back as `SoapError::Fault` with Marketo's code.

use std::fmt::Debug;
use std::time::Duration;

use marketo_auth::SoapConfig;
use marketo_emulator::{Api, Emulator, Limits};
use marketo_soap::types::{
    ArrayOfAttrib, ArrayOfAttribute, ArrayOfLeadKey, ArrayOfString, Attrib, Attribute, CustomObj,
    ImportToListModeEnum, ImportToListStatusEnum, LeadKey, LeadKeyRef, LeadKeySelector,
    LeadMergeStatusEnum, LeadRecord, LeadSelector, LeadSyncStatus, ListKey, ListKeyType,
    ListOperationType, MObjStatusEnum, MObject, ParamsDeleteCustomObjects, ParamsDeleteMObjects,
    ParamsDescribeMObject, ParamsGetCampaignsForSource, ParamsGetChannels, ParamsGetCustomObjects,
    ParamsGetImportToListStatus, ParamsGetLead, ParamsGetLeadActivity, ParamsGetLeadChanges,
    ParamsGetMObjects, ParamsGetMultipleLeads, ParamsGetTags, ParamsImportToList,
    ParamsListMObjects, ParamsListOperation, ParamsMergeLeads, ParamsRequestCampaign,
    ParamsScheduleCampaign, ParamsSyncCustomObjects, ParamsSyncLead, ParamsSyncMObjects,
    ParamsSyncMultipleLeads, ReqCampSourceType, StaticListSelector, StreamPosition,
    SyncOperationEnum, SyncStatusEnum, Tag,
};
use marketo_soap::{Client, SoapError};
use time::OffsetDateTime;

async fn setup() -> (Emulator, Client) {
    let emu = Emulator::builder()
        .limits(Limits::unlimited())
        .start()
        .await
        .expect("emulator starts");
    let creds = emu.credentials();
    let client = client_with_key(&emu, &creds.encryption_key);
    (emu, client)
}

fn client_with_key(emu: &Emulator, key: &str) -> Client {
    let config = SoapConfig::new(
        &emu.soap_endpoint(),
        emu.credentials().user_id,
        key.to_owned(),
    )
    .expect("valid SOAP configuration");
    Client::new(config).expect("a client")
}

/// The Marketo code of a call expected to fail with a SOAP fault.
#[track_caller]
fn fault_code<T: Debug>(result: Result<T, SoapError>) -> String {
    match result {
        Err(SoapError::Fault {
            fault_code,
            fault_string,
            service_exception: Some(e),
        }) => {
            assert!(!fault_code.is_empty());
            assert!(
                fault_string.contains(&e.code),
                "faultstring {fault_string:?} names the code {}",
                e.code
            );
            e.code
        }
        other => panic!("expected a SOAP fault with a serviceException, got {other:?}"),
    }
}

fn idnum(id: i64) -> LeadKey {
    LeadKey::new(LeadKeyRef::Idnum, id.to_string())
}

fn attrib(name: &str, value: &str) -> Attrib {
    Attrib::new(name, value)
}

fn attribute(record: &LeadRecord, name: &str) -> Option<String> {
    record
        .lead_attribute_list
        .as_ref()?
        .iter()
        .find(|a| a.attr_name == name)
        .map(|a| a.attr_value.clone())
}

fn multiple(lead_selector: LeadSelector) -> ParamsGetMultipleLeads {
    ParamsGetMultipleLeads::new().lead_selector(lead_selector)
}

fn list_operation(op: ListOperationType, list: &str, leads: &[i64]) -> ParamsListOperation {
    ParamsListOperation::new(
        op,
        ListKey::new(ListKeyType::Mktolistname, list),
        leads
            .iter()
            .map(|&id| idnum(id))
            .collect::<ArrayOfLeadKey>(),
    )
}

#[tokio::test]
async fn schedule_campaign_with_tokens_and_clone() {
    let (emu, client) = setup().await;

    let run_at = emu.now().replace_nanosecond(0).expect("valid") + Duration::from_secs(2 * 3600);
    let done = client
        .schedule_campaign(
            ParamsScheduleCampaign::new("Demo Default Program", "Demo Batch Campaign")
                .clone_to_program_name("E2E SOAP Clone")
                .campaign_run_at(run_at)
                .program_token_list([
                    attrib("{{my.message}}", "Hello from SOAP"),
                    attrib("{{my.discount}}", "15"),
                ]),
        )
        .await
        .expect("scheduleCampaign");
    assert!(done.success);

    let schedules = emu.schedules();
    assert_eq!(schedules.len(), 1);
    let record = &schedules[0];
    assert_eq!(record.api, Api::Soap);
    assert_eq!(record.campaign_id, 2001);
    assert_eq!(record.campaign_name, "Demo Batch Campaign");
    assert_eq!(record.program_name.as_deref(), Some("Demo Default Program"));
    assert_eq!(record.run_at, run_at);
    assert_eq!(
        record.clone_to_program_name.as_deref(),
        Some("E2E SOAP Clone")
    );
    assert_eq!(
        record.tokens,
        vec![
            ("{{my.message}}".to_owned(), "Hello from SOAP".to_owned()),
            ("{{my.discount}}".to_owned(), "15".to_owned()),
        ]
    );
    let clone_id = record.cloned_program_id.expect("a clone was made");
    assert_eq!(
        emu.program(clone_id).expect("clone exists").name,
        "E2E SOAP Clone"
    );
    assert_ne!(record.scheduled_campaign_id, 2001, "the clone's copy runs");

    // Without cloning or tokens; campaignRunAt omitted.
    let done = client
        .schedule_campaign(ParamsScheduleCampaign::new(
            "Demo Event Program",
            "Demo Event Reminder",
        ))
        .await
        .expect("plain scheduleCampaign");
    assert!(done.success);
    let record = emu.schedules().pop().expect("second schedule");
    assert_eq!(record.campaign_id, 2003);
    assert!(record.tokens.is_empty());
    assert!(record.cloned_program_id.is_none());

    // Unknown program or campaign: the emulator's 20113, typed.
    let unknown_campaign = client
        .schedule_campaign(ParamsScheduleCampaign::new(
            "Demo Default Program",
            "No Such Campaign",
        ))
        .await;
    assert_eq!(fault_code(unknown_campaign), "20113");
    let unknown_program = client
        .schedule_campaign(ParamsScheduleCampaign::new(
            "No Such Program",
            "Demo Batch Campaign",
        ))
        .await;
    assert_eq!(fault_code(unknown_program), "20113");
    assert_eq!(emu.schedules().len(), 2, "refused calls are not recorded");
}

#[tokio::test]
async fn clone_to_program_name_is_limited_to_ten_a_day() {
    // The clock is moved a day ahead below; the client signs with the
    // machine's clock, so the signature window must allow for that.
    let emu = Emulator::builder()
        .limits(Limits::unlimited())
        .signature_window(Duration::from_secs(3 * 24 * 3600))
        .start()
        .await
        .expect("emulator starts");
    let client = client_with_key(&emu, &emu.credentials().encryption_key);
    for n in 0..10 {
        client
            .schedule_campaign(
                ParamsScheduleCampaign::new("Demo Default Program", "Demo Batch Campaign")
                    .clone_to_program_name(format!("E2E Daily Clone {n}")),
            )
            .await
            .unwrap_or_else(|e| panic!("clone {n}: {e}"));
    }
    let eleventh = client
        .schedule_campaign(
            ParamsScheduleCampaign::new("Demo Default Program", "Demo Batch Campaign")
                .clone_to_program_name("E2E Daily Clone 10"),
        )
        .await;
    let err = eleventh.expect_err("the eleventh clone of the day is refused");
    assert!(!err.is_retryable());
    assert_eq!(fault_code::<()>(Err(err)), "20110");
    assert!(emu.program_by_name("E2E Daily Clone 10").is_none());

    // The next day (US Central midnight has passed) cloning works again.
    emu.advance(Duration::from_secs(24 * 3600));
    client
        .schedule_campaign(
            ParamsScheduleCampaign::new("Demo Default Program", "Demo Batch Campaign")
                .clone_to_program_name("E2E Daily Clone 10"),
        )
        .await
        .expect("a new day");
    assert!(emu.program_by_name("E2E Daily Clone 10").is_some());
}

#[tokio::test]
async fn request_campaign_by_id_and_by_name() {
    let (emu, client) = setup().await;

    let done = client
        .request_campaign(
            ParamsRequestCampaign::new(ReqCampSourceType::Mktows)
                .lead_list([idnum(3001), idnum(3002)])
                .campaign_id(2002)
                .program_token_list([attrib("{{my.greeting}}", "Hello")]),
        )
        .await
        .expect("requestCampaign by id");
    assert!(done.success);
    let triggers = emu.triggers();
    assert_eq!(triggers.len(), 1);
    assert_eq!(triggers[0].api, Api::Soap);
    assert_eq!(triggers[0].campaign_id, 2002);
    assert_eq!(triggers[0].lead_ids, vec![3001, 3002]);
    assert_eq!(
        triggers[0].tokens,
        vec![("{{my.greeting}}".to_owned(), "Hello".to_owned())]
    );

    client
        .request_campaign(
            ParamsRequestCampaign::new(ReqCampSourceType::Mktows)
                .lead_list([LeadKey::new(LeadKeyRef::Email, "grace@example.com")])
                .program_name("Demo Webinar Program")
                .campaign_name("Demo Webinar Follow-up"),
        )
        .await
        .expect("requestCampaign by names");
    let last = emu.triggers().pop().expect("second trigger");
    assert_eq!(last.campaign_id, 2004);
    assert_eq!(last.lead_ids, vec![3003]);

    let unknown = client
        .request_campaign(
            ParamsRequestCampaign::new(ReqCampSourceType::Mktows)
                .lead_list([idnum(3001)])
                .campaign_id(999_999),
        )
        .await;
    assert_eq!(fault_code(unknown), "20113");
    let not_requestable = client
        .request_campaign(
            ParamsRequestCampaign::new(ReqCampSourceType::Mktows)
                .lead_list([idnum(3001)])
                .campaign_id(2005),
        )
        .await;
    assert_eq!(fault_code(not_requestable), "20110");
    let unknown_lead = client
        .request_campaign(
            ParamsRequestCampaign::new(ReqCampSourceType::Mktows)
                .lead_list([idnum(999_999)])
                .campaign_id(2002),
        )
        .await;
    assert_eq!(fault_code(unknown_lead), "20103");
    assert_eq!(emu.triggers().len(), 2);
}

#[tokio::test]
async fn campaigns_for_source() {
    let (emu, client) = setup().await;

    let all = client
        .get_campaigns_for_source(ParamsGetCampaignsForSource::new(ReqCampSourceType::Mktows))
        .await
        .expect("getCampaignsForSource");
    let records = all.campaign_record_list.expect("campaign records");
    assert_eq!(usize::try_from(all.return_count).ok(), Some(records.len()));
    let mut ids: Vec<i32> = records.iter().map(|c| c.id).collect();
    ids.sort_unstable();
    let mut expected: Vec<i32> = emu
        .campaigns()
        .iter()
        .filter(|c| c.is_requestable && c.is_active)
        .map(|c| c.id)
        .collect();
    expected.sort_unstable();
    assert_eq!(ids, expected);
    assert!(ids.contains(&2002) && ids.contains(&2004));

    let exact = client
        .get_campaigns_for_source(
            ParamsGetCampaignsForSource::new(ReqCampSourceType::Mktows)
                .name("Demo Webinar Follow-up")
                .exact_name(true),
        )
        .await
        .expect("by exact name");
    assert_eq!(exact.return_count, 1);
    let record = &exact.campaign_record_list.expect("one record")[0];
    assert_eq!(record.id, 2004);
    assert_eq!(record.name, "Demo Webinar Follow-up");

    let none = client
        .get_campaigns_for_source(
            ParamsGetCampaignsForSource::new(ReqCampSourceType::Mktows)
                .name("nothing matches this")
                .exact_name(false),
        )
        .await
        .expect("no match is not a fault");
    assert_eq!(none.return_count, 0);
    assert!(none.campaign_record_list.is_none_or(|l| l.is_empty()));
}

#[tokio::test]
async fn leads_get_sync_and_get_multiple() {
    let (emu, client) = setup().await;

    let ada = client
        .get_lead(ParamsGetLead::new(LeadKey::new(
            LeadKeyRef::Email,
            "ada@example.com",
        )))
        .await
        .expect("getLead");
    assert_eq!(ada.count, 1);
    let record = &ada.lead_record_list.expect("records")[0];
    assert_eq!(record.id, Some(3001));
    assert_eq!(record.email.as_deref(), Some("ada@example.com"));
    assert_eq!(attribute(record, "FirstName").as_deref(), Some("Ada"));
    assert_eq!(attribute(record, "LastName").as_deref(), Some("Lovelace"));
    let missing = client.get_lead(ParamsGetLead::new(idnum(999_999))).await;
    assert_eq!(fault_code(missing), "20103");

    // syncLead: create, then update by email
    let created = client
        .sync_lead(ParamsSyncLead::new(
            LeadRecord::new()
                .email("katherine@example.com")
                .lead_attribute_list([
                    Attribute::new("FirstName", "Katherine").attr_type("string"),
                    Attribute::new("Company", "NACA"),
                ]),
            true,
        ))
        .await
        .expect("syncLead create");
    let new_id = created.lead_id;
    assert_eq!(created.sync_status.status, LeadSyncStatus::Created);
    assert_eq!(created.sync_status.lead_id, new_id);
    let returned = created.lead_record.expect("returnLead");
    assert_eq!(attribute(&returned, "Company").as_deref(), Some("NACA"));
    let stored = emu.lead(i64::from(new_id)).expect("in the emulator");
    assert_eq!(stored.email(), Some("katherine@example.com"));
    assert_eq!(stored.field_text("firstName").as_deref(), Some("Katherine"));

    let updated = client
        .sync_lead(ParamsSyncLead::new(
            LeadRecord::new()
                .email("katherine@example.com")
                .lead_attribute_list([Attribute::new("LastName", "Johnson")]),
            false,
        ))
        .await
        .expect("syncLead update");
    assert_eq!(updated.lead_id, new_id);
    assert_eq!(updated.sync_status.status, LeadSyncStatus::Updated);
    assert!(updated.lead_record.is_none());
    assert_eq!(
        emu.lead(i64::from(new_id))
            .expect("still there")
            .field_text("lastName")
            .as_deref(),
        Some("Johnson")
    );
    let unknown_attribute = client
        .sync_lead(ParamsSyncLead::new(
            LeadRecord::new()
                .email("x@example.com")
                .lead_attribute_list([Attribute::new("FavouriteColour", "blue")]),
            false,
        ))
        .await;
    assert_eq!(fault_code(unknown_attribute), "20105");

    // getMultipleLeads by key, two at a time with the stream position
    let selector: LeadSelector = LeadKeySelector::new(
        LeadKeyRef::Idnum,
        ArrayOfString::from(["3001", "3002", "3003"].map(String::from).to_vec()),
    )
    .into();
    let first = client
        .get_multiple_leads(multiple(selector.clone()).batch_size(2))
        .await
        .expect("getMultipleLeads page 1");
    assert_eq!(first.return_count, 2);
    assert_eq!(first.remaining_count, 1);
    let second = client
        .get_multiple_leads(
            multiple(selector)
                .stream_position(first.new_stream_position.clone())
                .batch_size(2),
        )
        .await
        .expect("getMultipleLeads page 2");
    assert_eq!(second.return_count, 1);
    assert_eq!(second.remaining_count, 0);
    let mut ids: Vec<i32> = [first, second]
        .into_iter()
        .flat_map(|r| r.lead_record_list)
        .flatten()
        .filter_map(|l| l.id)
        .collect();
    ids.sort_unstable();
    assert_eq!(ids, vec![3001, 3002, 3003]);

    // by static list, only some attributes
    let members = client
        .get_multiple_leads(
            multiple(
                StaticListSelector::new()
                    .static_list_name("Demo Static List")
                    .into(),
            )
            .include_attributes(["FirstName".into()]),
        )
        .await
        .expect("getMultipleLeads by list");
    let records = members.lead_record_list.expect("members");
    assert_eq!(records.len(), 3);
    for r in &records {
        assert!(attribute(r, "FirstName").is_some());
        assert!(attribute(r, "LastName").is_none(), "not asked for");
    }
    let no_list = client
        .get_multiple_leads(multiple(
            StaticListSelector::new()
                .static_list_name("No Such List")
                .into(),
        ))
        .await;
    assert_eq!(fault_code(no_list), "20111");
}

#[tokio::test]
async fn list_operation_add_is_member_remove() {
    let (emu, client) = setup().await;

    let added = client
        .list_operation(list_operation(
            ListOperationType::Addtolist,
            "Demo Empty List",
            &[3004, 3005],
        ))
        .await
        .expect("ADDTOLIST");
    assert!(added.success);
    let statuses: Vec<bool> = added
        .status_list
        .expect("statuses")
        .iter()
        .map(|s| s.status)
        .collect();
    assert_eq!(statuses, vec![true, true]);
    assert_eq!(emu.list_members(4002), Some(vec![3004, 3005]));

    let member = client
        .list_operation(list_operation(
            ListOperationType::Ismemberoflist,
            "Demo Empty List",
            &[3004, 3001],
        ))
        .await
        .expect("ISMEMBEROFLIST");
    let statuses = member.status_list.expect("statuses");
    assert_eq!(statuses[0].lead_key.key_value, "3004");
    assert!(statuses[0].status);
    assert_eq!(statuses[1].lead_key.key_value, "3001");
    assert!(!statuses[1].status);

    let removed = client
        .list_operation(list_operation(
            ListOperationType::Removefromlist,
            "Demo Empty List",
            &[3004],
        ))
        .await
        .expect("REMOVEFROMLIST");
    assert!(removed.status_list.expect("statuses")[0].status);
    assert_eq!(emu.list_members(4002), Some(vec![3005]));

    let no_list = client
        .list_operation(list_operation(
            ListOperationType::Addtolist,
            "No Such List",
            &[3001],
        ))
        .await;
    assert_eq!(fault_code(no_list), "20111");
}

#[tokio::test]
async fn channels_and_tags() {
    let (_emu, client) = setup().await;

    let channels = client
        .get_channels(ParamsGetChannels::new())
        .await
        .expect("getChannels");
    let names: Vec<String> = channels.tags.iter().map(|t| t.tag_value.clone()).collect();
    assert!(names.contains(&"Webinar".to_owned()), "{names:?}");
    assert_eq!(names.len(), 6);

    let webinar = client
        .get_channels(
            ParamsGetChannels::new().tag(Tag::new().values(["Webinar".into()]).type_("Channel")),
        )
        .await
        .expect("getChannels for one channel");
    let statuses = &webinar.tags;
    assert_eq!(statuses.len(), 1);
    assert_eq!(statuses[0].tag_value, "Webinar");
    let steps = &statuses[0].status_list;
    assert!(!steps.is_empty(), "a channel has progression statuses");
    let first = steps[0]
        .progression_status
        .as_ref()
        .expect("status attributes");
    assert!(first.iter().any(|a| a.name == "name"));

    let tags = client
        .get_tags(ParamsGetTags::new())
        .await
        .expect("getTags");
    let region = tags
        .tag_list
        .iter()
        .find(|t| t.type_.as_deref() == Some("Region"))
        .expect("the Region tag type");
    assert!(
        region
            .values
            .as_ref()
            .is_some_and(|v| v.contains(&"EMEA".to_owned()))
    );

    let only_region = client
        .get_tags(ParamsGetTags::new().tag_list([Tag::new().type_("Region")]))
        .await
        .expect("getTags for one type");
    assert_eq!(only_region.tag_list.len(), 1);
}

#[tokio::test]
async fn wrong_key_is_fault_20014() {
    let (emu, good) = setup().await;
    let bad = client_with_key(&emu, "not-the-encryption-key");

    let params = || ParamsGetLead::new(idnum(3001));
    let err = bad
        .get_lead(params())
        .await
        .expect_err("a wrong key is refused");
    assert!(!format!("{err:?} {err}").contains("not-the-encryption-key"));
    assert_eq!(err.code(), Some("20014"));
    assert_eq!(fault_code::<()>(Err(err)), "20014");

    let scheduled = bad
        .schedule_campaign(ParamsScheduleCampaign::new(
            "Demo Default Program",
            "Demo Batch Campaign",
        ))
        .await;
    assert_eq!(fault_code(scheduled), "20014");
    assert!(emu.schedules().is_empty(), "nothing ran");

    // The correctly keyed client keeps working beside it.
    good.get_lead(params()).await.expect("right key");
    // 20014 (authentication failed) is final (marketo_resilience::outcome):
    // two calls, one request each.
    assert_eq!(emu.stats().errors("20014"), 2);
    assert_eq!(emu.stats().errors("20016"), 0);
}

#[tokio::test]
async fn emulator_clock_far_from_now_is_fault_20016() {
    // The client signs with the machine's clock; an instance whose clock is an
    // hour ahead sees the request as expired.
    let emu = Emulator::builder()
        .limits(Limits::unlimited())
        .start_at(OffsetDateTime::now_utc() + Duration::from_secs(3600))
        .start()
        .await
        .expect("emulator starts");
    let client = client_with_key(&emu, &emu.credentials().encryption_key);
    let result = client.get_lead(ParamsGetLead::new(idnum(3001))).await;
    assert_eq!(fault_code(result), "20016");
    // 20016 (request expired) is signed afresh and sent once more
    // (marketo_resilience::outcome); the clock is still off, so both fail.
    assert_eq!(emu.stats().errors("20016"), 2);
}

fn attr(name: &str, value: &str) -> Attribute {
    Attribute::new(name, value)
}

fn attributes(pairs: &[(&str, &str)]) -> ArrayOfAttribute {
    pairs.iter().map(|(n, v)| attr(n, v)).collect()
}

#[tokio::test]
async fn sync_multiple_merge_activity_and_changes() {
    let (emu, client) = setup().await;
    let since = emu.now();

    // syncMultipleLeads: one update (by email), one new lead
    let synced = client
        .sync_multiple_leads(
            ParamsSyncMultipleLeads::new([
                LeadRecord::new()
                    .email("alan@example.com")
                    .lead_attribute_list(attributes(&[("Title", "Mathematician")])),
                LeadRecord::new()
                    .email("dorothy@example.com")
                    .lead_attribute_list(attributes(&[("FirstName", "Dorothy")])),
            ])
            .dedup_enabled(true),
        )
        .await
        .expect("syncMultipleLeads");
    let statuses = synced.sync_status_list;
    assert_eq!(statuses.len(), 2);
    assert_eq!(statuses[0].lead_id, 3002);
    assert_eq!(statuses[0].status, LeadSyncStatus::Updated);
    assert_eq!(statuses[1].status, LeadSyncStatus::Created);
    let dorothy = i64::from(statuses[1].lead_id);
    assert_eq!(
        emu.lead(3002).expect("Alan").field_text("title").as_deref(),
        Some("Mathematician")
    );
    assert_eq!(
        emu.lead(dorothy).expect("created").email(),
        Some("dorothy@example.com")
    );

    // mergeLeads: Dorothy into Barbara (3005)
    let merged = client
        .merge_leads(ParamsMergeLeads::new(
            attributes(&[("IDNUM", "3005")]),
            [attributes(&[("IDNUM", &dorothy.to_string())])],
        ))
        .await
        .expect("mergeLeads");
    assert_eq!(merged.merge_status.status, LeadMergeStatusEnum::Merged);
    assert_eq!(merged.merge_status.winning_lead_id, Some(3005));
    assert!(emu.lead(dorothy).is_none(), "the losing lead is gone");
    let unknown = client
        .merge_leads(ParamsMergeLeads::new(
            attributes(&[("IDNUM", "3005")]),
            [attributes(&[("IDNUM", "999999")])],
        ))
        .await;
    assert_eq!(fault_code(unknown), "20103");

    // getLeadActivity: every activity of Ada, two at a time
    let expected = emu
        .activities()
        .iter()
        .filter(|a| a.lead_id == 3001)
        .count();
    let mut position: Option<StreamPosition> = None;
    let mut seen = 0;
    for _ in 0..50 {
        let mut params = ParamsGetLeadActivity::new(idnum(3001)).batch_size(2);
        if let Some(position) = &position {
            params = params.start_position(position.clone());
        }
        let page = client
            .get_lead_activity(params)
            .await
            .expect("getLeadActivity");
        let records = page.activity_record_list.unwrap_or_default();
        assert!(records.iter().all(|r| r.mkt_person_id == "3001"));
        seen += records.len();
        position = Some(page.new_start_position);
        if page.remaining_count == 0 {
            break;
        }
    }
    assert_eq!(seen, expected);
    assert!(
        expected >= 3,
        "Ada has New Lead, Visit Webpage, Fill Out Form"
    );

    // getLeadChanges since the start of this test: the sync and the merge
    let changes = client
        .get_lead_changes(
            ParamsGetLeadChanges::new(StreamPosition::new().oldest_created_at(since))
                .batch_size(100),
        )
        .await
        .expect("getLeadChanges");
    let records = changes.lead_change_record_list.unwrap_or_default();
    let expected = emu.activities().iter().filter(|a| a.date >= since).count();
    assert!(expected > 0);
    assert_eq!(records.len(), expected);
    assert_eq!(changes.return_count as usize, expected);
}

#[tokio::test]
async fn import_to_list_and_status() {
    let (emu, client) = setup().await;

    let started = client
        .import_to_list(ParamsImportToList::new(
            "Demo Default Program",
            "Email,FirstName,LastName",
            [
                "ada@example.com,Ada,Lovelace".into(),
                "hedy@example.com,Hedy,Lamarr".into(),
            ],
            ImportToListModeEnum::Upsertleads,
            "E2E Import",
            true,
        ))
        .await
        .expect("importToList");
    assert_eq!(started.import_status, ImportToListStatusEnum::Processing);
    let status = client
        .get_import_to_list_status(
            ParamsGetImportToListStatus::new()
                .program_name("Demo Default Program")
                .list_name("E2E Import"),
        )
        .await
        .expect("getImportToListStatus");
    assert_eq!(status.status, ImportToListStatusEnum::Complete);
    assert_eq!(status.rows_imported, Some(2));
    assert_eq!(status.rows_failed, Some(0));
    let list = emu
        .lists()
        .into_iter()
        .find(|l| l.name == "E2E Import")
        .expect("the list was created");
    assert_eq!(list.members.len(), 2);
    assert!(list.members.contains(&3001));

    let unknown = client
        .get_import_to_list_status(
            ParamsGetImportToListStatus::new()
                .program_name("Demo Default Program")
                .list_name("Never Imported"),
        )
        .await;
    assert_eq!(fault_code(unknown), "20110");
}

#[tokio::test]
async fn custom_objects_sync_get_delete() {
    let (emu, client) = setup().await;
    let before = emu.custom_objects("RoadShow").len();

    let synced = client
        .sync_custom_objects(
            ParamsSyncCustomObjects::new(
                "RoadShow",
                [CustomObj::new()
                    .custom_obj_key_list(attributes(&[("MKTOID", "3002"), ("rid", "rid2")]))
                    .custom_obj_attribute_list(attributes(&[("city", "Manchester")]))],
            )
            .operation(SyncOperationEnum::Upsert),
        )
        .await
        .expect("syncCustomObjects");
    let status = &synced.sync_custom_obj_status_list[0];
    assert_eq!(status.status, SyncStatusEnum::Created);
    assert_eq!(emu.custom_objects("RoadShow").len(), before + 1);

    let got = client
        .get_custom_objects(
            ParamsGetCustomObjects::new("RoadShow", ArrayOfString::default())
                .custom_obj_key_list(attributes(&[("MKTOID", "3002"), ("rid", "rid2")])),
        )
        .await
        .expect("getCustomObjects");
    assert_eq!(got.return_count, 1);
    let object = &got.custom_obj_list.expect("objects")[0];
    let city = object
        .custom_obj_attribute_list
        .as_ref()
        .and_then(|l| l.iter().find(|a| a.attr_name == "city"))
        .map(|a| a.attr_value.as_str());
    assert_eq!(city, Some("Manchester"));

    let deleted = client
        .delete_custom_objects(ParamsDeleteCustomObjects::new(
            "RoadShow",
            [attributes(&[("MKTOID", "3002"), ("rid", "rid2")])],
        ))
        .await
        .expect("deleteCustomObjects");
    assert_eq!(
        deleted.delete_custom_obj_status_list[0].status,
        SyncStatusEnum::Deleted
    );
    assert_eq!(emu.custom_objects("RoadShow").len(), before);
}

#[tokio::test]
async fn mobjects_list_describe_sync_get_delete() {
    let (_emu, client) = setup().await;

    let listed = client
        .list_m_objects(ParamsListMObjects::new())
        .await
        .expect("listMObjects");
    assert!(listed.iter().any(|o| o == "Opportunity"));

    let described = client
        .describe_m_object(ParamsDescribeMObject::new("Opportunity"))
        .await
        .expect("describeMObject");
    assert_eq!(described.metadata.name, "Opportunity");
    assert!(
        described
            .metadata
            .field_list
            .iter()
            .any(|f| f.name == "Name")
    );
    let unknown = client
        .describe_m_object(ParamsDescribeMObject::new("Spaceship"))
        .await;
    assert_eq!(fault_code(unknown), "20110");

    let synced = client
        .sync_m_objects(ParamsSyncMObjects::new(
            [MObject::new("Opportunity")
                .attrib_list(ArrayOfAttrib::from(vec![attrib("Name", "E2E Opportunity")]))],
            SyncOperationEnum::Insert,
        ))
        .await
        .expect("syncMObjects");
    let status = &synced.m_obj_status_list[0];
    assert_eq!(status.status, MObjStatusEnum::Created);
    let id = status.id;

    let got = client
        .get_m_objects(ParamsGetMObjects::new("Opportunity").id(id))
        .await
        .expect("getMObjects");
    assert_eq!(got.return_count, 1);
    let object = &got.m_object_list.expect("objects")[0];
    assert_eq!(object.id, Some(id));
    assert!(
        object
            .attrib_list
            .as_ref()
            .is_some_and(|l| l.iter().any(|a| a.value == "E2E Opportunity"))
    );

    let deleted = client
        .delete_m_objects(ParamsDeleteMObjects::new([
            MObject::new("Opportunity").id(id)
        ]))
        .await
        .expect("deleteMObjects");
    assert_eq!(deleted.m_obj_status_list[0].status, MObjStatusEnum::Deleted);
    let gone = client
        .get_m_objects(ParamsGetMObjects::new("Opportunity").id(id))
        .await
        .expect("getMObjects after delete");
    assert_eq!(gone.return_count, 0);
}
