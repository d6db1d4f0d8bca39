//! Activities: lead changes, deleted leads, custom activity types and custom activities.

use marketo_rest::futures::TryStreamExt;
use marketo_rest::params::{
    DescribeCustomActivityTypeParams, GetDeletedLeadsParams, GetLeadActivitiesParams,
    GetLeadChangesParams,
};
use marketo_rest::types::{
    CreateCustomActivityTypeRequest, CustomActivityAttributeValue, CustomActivityInput,
    CustomActivityTypeAttribute, CustomActivityTypeStatus, Lead, LeadId, LeadRecordStatus,
    SyncLeadsRequest, UpdateCustomActivityTypeRequest,
};
use time::macros::datetime;

use crate::{api_code, setup};

async fn token(client: &marketo_rest::Client) -> String {
    client
        .get_paging_token(datetime!(2020-01-01 00:00:00 UTC))
        .await
        .expect("paging token")
        .next_page_token
        .clone()
        .expect("a token")
}

#[tokio::test]
async fn lead_changes_report_field_changes() {
    let (_emu, client) = setup().await;
    let sync = SyncLeadsRequest::new(vec![
        Lead::new().email("alan@example.com").first_name("Alan M."),
    ]);
    client.sync_leads(&sync).await.expect("sync");
    let t = token(&client).await;
    let changes: Vec<_> = client
        .get_lead_changes_stream(
            &t,
            &["firstName".to_owned()],
            GetLeadChangesParams::new()
                .lead_ids(vec![3002])
                .batch_size(1),
        )
        .try_collect()
        .await
        .expect("changes");
    let change = changes
        .iter()
        .find(|c| c.activity_type_id == 13)
        .expect("a data value change");
    let field = &change.fields.as_ref().expect("fields")[0];
    assert_eq!(field.name, "firstName");
    assert_eq!(field.new_value, Some(serde_json::json!("Alan M.")));
    assert_eq!(field.old_value, Some(serde_json::json!("Alan")));
    assert!(
        changes.iter().any(|c| c.activity_type_id == 12),
        "new lead too"
    );
    assert_eq!(
        api_code(
            client
                .get_lead_changes(&t, &[], GetLeadChangesParams::new())
                .await
        ),
        "701"
    );
}

#[tokio::test]
async fn deleted_leads_feed_lists_deletions() {
    let (_emu, client) = setup().await;
    client
        .delete_leads(&[LeadId::new(3004), LeadId::new(3005)])
        .await
        .expect("delete");
    let t = token(&client).await;
    let deleted: Vec<_> = client
        .get_deleted_leads_stream(&t, GetDeletedLeadsParams::new().batch_size(1))
        .try_collect()
        .await
        .expect("deleted");
    let ids: Vec<i64> = deleted.iter().map(|a| a.lead_id).collect();
    assert_eq!(ids, [3004, 3005]);
    assert!(deleted.iter().all(|a| a.activity_type_id == 37));
}

#[tokio::test]
async fn custom_activity_type_life_cycle() {
    let (emu, client) = setup().await;
    let types = client.get_custom_activity_types().await.expect("types");
    assert_eq!(types[0].api_name, "attendConference");

    let create = CreateCustomActivityTypeRequest::new(
        "watchWebinar",
        "Watch Webinar",
        "Watches Webinar",
        "Watched Webinar",
        CustomActivityTypeAttribute::new("webinarName").name("Webinar Name"),
    )
    .description("Watched a webinar");
    let t = client
        .create_custom_activity_type(&create)
        .await
        .expect("create");
    assert_eq!(t[0].status, Some(CustomActivityTypeStatus::Draft));
    let id = t[0].id.expect("id");
    assert_eq!(
        api_code(client.create_custom_activity_type(&create).await),
        "709"
    );

    let t = client
        .create_custom_activity_type_attributes(
            "watchWebinar",
            &[CustomActivityTypeAttribute::new("minutes")
                .name("Minutes")
                .data_type("integer")],
        )
        .await
        .expect("attributes");
    assert_eq!(t[0].attributes.as_ref().unwrap().len(), 1);
    client
        .update_custom_activity_type_attributes(
            "watchWebinar",
            &[CustomActivityTypeAttribute::new("minutes").name("Minutes watched")],
        )
        .await
        .expect("update attributes");
    assert_eq!(
        api_code(
            client
                .delete_custom_activity_type_attributes(
                    "watchWebinar",
                    &[CustomActivityTypeAttribute::new("nope")]
                )
                .await
        ),
        "1006"
    );
    // Not approved yet: adding activities is refused per record.
    let activity =
        CustomActivityInput::new(3001, datetime!(2024-02-01 09:00:00 UTC), id, "Rust 101")
            .attributes(vec![
                CustomActivityAttributeValue::new(42).api_name("minutes"),
            ]);
    let r = client
        .add_custom_activities(std::slice::from_ref(&activity))
        .await
        .expect("add");
    assert_eq!(r[0].status, LeadRecordStatus::Skipped);

    let t = client
        .approve_custom_activity_type("watchWebinar")
        .await
        .expect("approve");
    assert_eq!(t[0].status, Some(CustomActivityTypeStatus::Approved));
    assert_eq!(
        api_code(client.approve_custom_activity_type("watchWebinar").await),
        "709"
    );
    let unknown_lead =
        CustomActivityInput::new(987_654, datetime!(2024-02-01 09:00:00 UTC), id, "Rust 101");
    let r = client
        .add_custom_activities(&[activity, unknown_lead])
        .await
        .expect("add");
    assert_eq!(r[0].status, LeadRecordStatus::Added);
    assert_eq!(r[1].errors.as_ref().unwrap()[0].code, "1004");
    let logged: Vec<_> = client
        .get_lead_activities_stream(&token(&client).await, &[id], GetLeadActivitiesParams::new())
        .try_collect()
        .await
        .expect("activities");
    assert_eq!(logged.len(), 1);
    assert_eq!(
        logged[0].primary_attribute_value.as_deref(),
        Some("Rust 101")
    );
    // Fill Out Form activities of form 1 only (the demo fills), by assetIds.
    let fills: Vec<_> = client
        .get_lead_activities_stream(
            &token(&client).await,
            &[2],
            GetLeadActivitiesParams::new().asset_ids(vec![1]),
        )
        .try_collect()
        .await
        .expect("fills of form 1");
    assert_eq!(fills.len(), 2);
    let none: Vec<_> = client
        .get_lead_activities_stream(
            &token(&client).await,
            &[2],
            GetLeadActivitiesParams::new().asset_ids(vec![999]),
        )
        .try_collect()
        .await
        .expect("fills of form 999");
    assert!(none.is_empty());

    // A draft on top of the approved version, then discarded.
    client
        .update_custom_activity_type(
            "watchWebinar",
            &UpdateCustomActivityTypeRequest::new().name("Watch a Webinar"),
        )
        .await
        .expect("update");
    let d = client
        .describe_custom_activity_type(
            "watchWebinar",
            DescribeCustomActivityTypeParams::new().draft(true),
        )
        .await
        .expect("describe draft");
    assert_eq!(d.name.as_deref(), Some("Watch a Webinar"));
    assert_eq!(d.status, Some(CustomActivityTypeStatus::ApprovedWithDraft));
    client
        .discard_custom_activity_type_draft("watchWebinar")
        .await
        .expect("discard");
    let d = client
        .describe_custom_activity_type("watchWebinar", DescribeCustomActivityTypeParams::new())
        .await
        .expect("describe");
    assert_eq!(d.name.as_deref(), Some("Watch Webinar"));
    // In use: cannot be deleted. An unused type can.
    assert_eq!(
        api_code(client.delete_custom_activity_type("watchWebinar").await),
        "709"
    );
    let other = CreateCustomActivityTypeRequest::new(
        "tempType",
        "Temp",
        "Temps",
        "Temped",
        CustomActivityTypeAttribute::new("x"),
    );
    client
        .create_custom_activity_type(&other)
        .await
        .expect("create");
    client
        .delete_custom_activity_type("tempType")
        .await
        .expect("delete");
    assert!(emu.custom_activity_type("tempType").is_none());
    assert_eq!(
        api_code(client.delete_custom_activity_type("tempType").await),
        "702"
    );
}
