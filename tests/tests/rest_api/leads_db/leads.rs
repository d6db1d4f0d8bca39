//! Leads: describe, partitions, delete, push, submit form, associate, memberships,
//! the lead field schema.

use marketo_rest::futures::TryStreamExt;
use marketo_rest::params::{
    GetLeadByIdParams, GetLeadFieldsParams, GetLeadsByProgramIdParams, GetListsByLeadIdParams,
    GetSmartCampaignsByLeadIdParams,
};
use marketo_rest::types::{
    Lead, LeadFieldCreate, LeadFieldUpdate, LeadId, LeadPartitionAssignment, LeadRecordStatus,
    PushLeadToMarketoRequest, SubmitFormInput, SubmitFormRequest, SyncLeadsRequest,
};

use crate::{api_code, assert_not_found, setup};

fn statuses<T>(
    r: &[T],
    f: impl Fn(&T) -> (Option<i64>, LeadRecordStatus),
) -> Vec<(Option<i64>, LeadRecordStatus)> {
    r.iter().map(f).collect()
}

#[tokio::test]
async fn describe_v1_and_v2_list_the_fields() {
    let (_emu, client) = setup().await;
    let fields = client.describe_lead().await.expect("describe");
    let email = fields
        .iter()
        .find(|f| f.rest.as_ref().is_some_and(|r| r.name == "email"))
        .expect("email is described");
    assert_eq!(email.data_type, "email");
    assert_eq!(email.length, Some(255));
    let id = fields
        .iter()
        .find(|f| f.rest.as_ref().is_some_and(|r| r.name == "id"))
        .expect("id");
    assert_eq!(id.rest.as_ref().and_then(|r| r.read_only), Some(true));

    let v2 = client.describe_lead2().await.expect("describe2");
    assert_eq!(v2.len(), 1);
    assert_eq!(v2[0].name, "Lead");
    assert!(v2[0].fields.iter().flatten().any(|f| f.name == "company"));
    let searchable = v2[0].searchable_fields.clone().unwrap_or_default();
    assert!(searchable.iter().any(|s| s == &vec!["email".to_owned()]));
}

#[tokio::test]
async fn partitions_are_listed_and_leads_move_between_them() {
    let (emu, client) = setup().await;
    let parts = client.get_lead_partitions().await.expect("partitions");
    let names: Vec<&str> = parts.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["Default", "Europe"]);
    assert_eq!(emu.lead_partition_id(3001), 1);
    let r = client
        .update_lead_partition(&[
            LeadPartitionAssignment::new(3001, "Europe"),
            LeadPartitionAssignment::new(3002, "Mars"),
            LeadPartitionAssignment::new(999_999, "Europe"),
        ])
        .await
        .expect("update partition");
    assert_eq!(r[0].status, LeadRecordStatus::Updated);
    assert_eq!(r[1].status, LeadRecordStatus::Skipped);
    assert_eq!(r[1].reasons.as_ref().unwrap()[0].code, "1013");
    assert_eq!(r[2].reasons.as_ref().unwrap()[0].code, "1004");
    assert_eq!(emu.lead_partition_id(3001), 2);
    assert_eq!(emu.lead_partition_id(3002), 1);
}

#[tokio::test]
async fn deleted_leads_leave_lists_and_programs() {
    let (emu, client) = setup().await;
    let r = client
        .delete_leads(&[LeadId::new(3001), LeadId::new(987_654)])
        .await
        .expect("delete");
    assert_eq!(
        statuses(&r, |x| (x.id, x.status.clone())),
        vec![
            (Some(3001), LeadRecordStatus::Deleted),
            (Some(987_654), LeadRecordStatus::Skipped)
        ]
    );
    assert_eq!(r[1].reasons.as_ref().unwrap()[0].code, "1004");
    assert!(emu.lead(3001).is_none());
    assert_not_found(client.get_lead_by_id(3001, GetLeadByIdParams::new()).await);
    assert_eq!(emu.list_members(4001), Some(vec![3002, 3003]));
    assert_eq!(emu.program_member_ids(1001), vec![3002]);
    let lists = client
        .get_lists_by_lead_id(3002, GetListsByLeadIdParams::new())
        .await
        .expect("lists of 3002");
    assert_eq!(lists.iter().map(|l| l.list_id).collect::<Vec<_>>(), [4001]);
    assert_eq!(
        api_code(
            client
                .get_lists_by_lead_id(3001, GetListsByLeadIdParams::new())
                .await
        ),
        "1004"
    );
}

#[tokio::test]
async fn push_upserts_and_joins_the_program() {
    let (emu, client) = setup().await;
    let program = emu.program(1001).expect("demo program").name;
    let body = PushLeadToMarketoRequest::new(
        program.clone(),
        vec![
            Lead::new().email("ada@example.com").first_name("Augusta"),
            Lead::new()
                .email("new.person@example.com")
                .last_name("Person"),
        ],
    )
    .source("Partner site")
    .reason("Downloaded the price list");
    let r = client.push_lead_to_marketo(&body).await.expect("push");
    assert_eq!(r[0].status, LeadRecordStatus::Updated);
    assert_eq!(r[0].id, Some(3001));
    assert_eq!(r[1].status, LeadRecordStatus::Created);
    let new_id = r[1].id.expect("new id");
    assert_eq!(
        emu.lead(3001).unwrap().fields["firstName"],
        serde_json::json!("Augusta")
    );
    assert!(emu.program_member_ids(1001).contains(&new_id));
    assert!(
        emu.activities()
            .iter()
            .any(|a| a.lead_id == new_id && a.type_id == 145)
    );
    let members = client
        .get_leads_by_program_id(1001, GetLeadsByProgramIdParams::new())
        .await
        .expect("members");
    assert!(members.iter().any(|l| l.id == Some(new_id)));
    assert!(members[0].additional_properties.contains_key("membership"));
    // Unknown program: 1013.
    let bad =
        PushLeadToMarketoRequest::new("No such program", vec![Lead::new().email("x@example.com")]);
    assert_eq!(api_code(client.push_lead_to_marketo(&bad).await), "1013");
    assert_eq!(
        api_code(
            client
                .get_leads_by_program_id(987_654, GetLeadsByProgramIdParams::new())
                .await
        ),
        "1013"
    );
}

#[tokio::test]
async fn submit_form_upserts_records_the_fill_and_associates_the_cookie() {
    let (emu, client) = setup().await;
    let cookie = "id:123-EMU-456&token:_mch-example.com-99";
    let body = SubmitFormRequest::new(
        1029,
        vec![
            SubmitFormInput::new(Lead::new().email("marge@example.com").first_name("Marge"))
                .cookie(cookie),
        ],
    )
    .program_id(1002);
    let r = client.submit_form(&body).await.expect("submit");
    assert_eq!(r[0].status, LeadRecordStatus::Created);
    let id = r[0].id.unwrap();
    assert!(
        emu.activities()
            .iter()
            .any(|a| a.lead_id == id && a.type_id == 2)
    );
    assert_eq!(emu.program_member_ids(1002), vec![id]);
    assert_eq!(emu.cookie_lead(cookie), Some(id));
    // email is required.
    let bad = SubmitFormRequest::new(
        1029,
        vec![SubmitFormInput::new(Lead::new().first_name("X"))],
    );
    assert_eq!(api_code(client.submit_form(&bad).await), "701");

    client
        .associate_lead(3004, "id:123-EMU-456&token:abc")
        .await
        .expect("associate");
    assert_eq!(emu.cookie_lead("id:123-EMU-456&token:abc"), Some(3004));
    assert_eq!(api_code(client.associate_lead(987_654, "c").await), "1004");
}

#[tokio::test]
async fn smart_campaigns_of_a_lead_page_by_token() {
    let (_emu, client) = setup().await;
    let c = client
        .get_smart_campaigns_by_lead_id(3001, GetSmartCampaignsByLeadIdParams::new())
        .await
        .expect("campaigns of 3001");
    assert_eq!(
        c.iter().map(|m| m.smart_campaign_id).collect::<Vec<_>>(),
        [2001]
    );
    assert_eq!(
        api_code(
            client
                .get_smart_campaigns_by_lead_id(987_654, GetSmartCampaignsByLeadIdParams::new())
                .await
        ),
        "1004"
    );
}

#[tokio::test]
async fn lead_field_schema_create_get_update_and_use() {
    let (emu, client) = setup().await;
    let all: Vec<_> = client
        .get_lead_fields_stream(GetLeadFieldsParams::new().batch_size(10))
        .try_collect()
        .await
        .expect("fields");
    assert!(
        all.iter()
            .any(|f| f.name == "email" && f.is_custom == Some(false))
    );
    let r = client
        .create_lead_fields(&[
            LeadFieldCreate::new("Acme Access Code", "acmeAccessCode", "string")
                .description("Direct mail"),
            LeadFieldCreate::new("Bad", "9bad", "string"),
            LeadFieldCreate::new("Email Again", "email", "string"),
        ])
        .await
        .expect("create");
    assert_eq!(r[0].status, LeadRecordStatus::Created);
    assert_eq!(r[1].status, LeadRecordStatus::Skipped);
    assert_eq!(r[2].status, LeadRecordStatus::Skipped);
    assert_eq!(emu.custom_lead_fields().len(), 1);
    let f = client
        .get_lead_field_by_name("acmeAccessCode")
        .await
        .expect("by name");
    assert_eq!(f.is_custom, Some(true));
    assert_eq!(f.description.as_deref(), Some("Direct mail"));
    assert_eq!(
        api_code(client.get_lead_field_by_name("noSuchField").await),
        "1006"
    );
    client
        .update_lead_field(
            "acmeAccessCode",
            &[LeadFieldUpdate::new()
                .display_name("Acme Code")
                .is_hidden(true)],
        )
        .await
        .expect("update");
    assert_eq!(emu.custom_lead_fields()[0].display_name, "Acme Code");
    assert!(emu.custom_lead_fields()[0].is_hidden);
    assert_eq!(
        api_code(
            client
                .update_lead_field("email", &[LeadFieldUpdate::new().display_name("E")])
                .await
        ),
        "1003"
    );
    // The new field can be written and read.
    let sync = SyncLeadsRequest::new(vec![
        Lead::new()
            .email("ada@example.com")
            .additional_property("acmeAccessCode", "A-1"),
    ]);
    client.sync_leads(&sync).await.expect("sync");
    let lead = client
        .get_lead_by_id(
            3001,
            GetLeadByIdParams::new().fields(vec!["acmeAccessCode".to_owned()]),
        )
        .await
        .expect("lead");
    assert_eq!(
        lead.additional_properties["acmeAccessCode"],
        serde_json::json!("A-1")
    );
}
