//! Static lists (Lead Database view), leads of a list, campaigns, usage.

use marketo_rest::futures::TryStreamExt;
use marketo_rest::params::{
    GetCampaignsParams, GetLeadsByListIdLegacyParams, GetLeadsByListIdParams, GetListsParams,
};

use crate::{api_code, setup};

#[tokio::test]
async fn lists_browse_get_and_members() {
    let (emu, client) = setup().await;
    let all: Vec<_> = client
        .get_lists_stream(GetListsParams::new().batch_size(1))
        .try_collect()
        .await
        .expect("lists");
    assert_eq!(all.len(), emu.lists().len());
    let named = client
        .get_lists(GetListsParams::new().name(vec!["Demo Empty List".to_owned()]))
        .await
        .expect("by name");
    assert_eq!(named.iter().map(|l| l.id).collect::<Vec<_>>(), [4002]);
    let l = client.get_list_by_id(4001).await.expect("list 4001");
    assert_eq!(l.name, "Demo Static List");
    assert_eq!(api_code(client.get_list_by_id(987_654).await), "1013");

    let members: Vec<_> = client
        .get_leads_by_list_id_stream(4001, GetLeadsByListIdParams::new().batch_size(2))
        .try_collect()
        .await
        .expect("members");
    let ids: Vec<i64> = members.iter().filter_map(|l| l.id).collect();
    assert_eq!(ids, emu.list_members(4001).unwrap());
    let legacy = client
        .get_leads_by_list_id_legacy(
            4001,
            GetLeadsByListIdLegacyParams::new().fields(vec!["company".to_owned()]),
        )
        .await
        .expect("legacy path");
    assert_eq!(legacy.len(), 3);
    assert!(legacy[0].additional_properties.contains_key("company"));
    assert_eq!(
        api_code(
            client
                .get_leads_by_list_id(987_654, GetLeadsByListIdParams::new())
                .await
        ),
        "1013"
    );
}

#[tokio::test]
async fn a_long_field_list_goes_through_post_method_get() {
    let (_emu, client) = setup().await;
    // Over 8 KB of field names: the runtime resends as POST ?_method=GET.
    let fields: Vec<String> = (0..900).map(|i| format!("field{i:05}")).collect();
    let members = client
        .get_leads_by_list_id(4001, GetLeadsByListIdParams::new().fields(fields))
        .await
        .expect("long query served");
    assert_eq!(members.len(), 3);
}

#[tokio::test]
async fn campaigns_browse_and_get() {
    let (emu, client) = setup().await;
    let all: Vec<_> = client
        .get_campaigns_stream(GetCampaignsParams::new().batch_size(2))
        .try_collect()
        .await
        .expect("campaigns");
    assert_eq!(all.len(), emu.campaigns().len());
    let c = client.get_campaign_by_id(2001).await.expect("campaign");
    let state = emu.campaigns().into_iter().find(|x| x.id == 2001).unwrap();
    assert_eq!(c.name, state.name);
    assert_eq!(c.type_.as_deref(), Some(state.campaign_type.as_str()));
    let triggerable = client
        .get_campaigns(GetCampaignsParams::new().is_triggerable(true))
        .await
        .expect("triggerable");
    assert!(triggerable.iter().all(|c| {
        emu.campaigns()
            .iter()
            .any(|s| s.id == c.id && s.is_active && s.is_requestable)
    }));
    assert_eq!(api_code(client.get_campaign_by_id(987_654).await), "1013");
}

#[tokio::test]
async fn usage_and_errors_are_counted() {
    let (_emu, client) = setup().await;
    let _ = client.get_list_by_id(987_654).await;
    let today = client.get_daily_usage().await.expect("usage");
    assert_eq!(today.len(), 1);
    assert!(today[0].total >= 1);
    let week = client.get_last7_days_usage().await.expect("week");
    assert_eq!(week.len(), 7);
    let errors = client.get_daily_errors().await.expect("errors");
    assert!(
        errors[0]
            .errors
            .as_ref()
            .unwrap()
            .iter()
            .any(|e| e.error_code == "1013")
    );
    let week = client.get_last7_days_errors().await.expect("errors week");
    assert_eq!(week.len(), 7);
}
