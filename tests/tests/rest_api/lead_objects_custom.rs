//! Area B end to end: custom object records and custom object type admin.

use marketo_rest::params::{
    DescribeCustomObjectTypeParams, GetCustomObjectsParams, ListOfCustomObjectTypesParams,
    ListOfCustomObjectsParams,
};
use marketo_rest::types::{
    CustomObjectRecord, CustomObjectTypeField, CustomObjectTypeFieldName,
    CustomObjectTypeFieldUpdate, CustomObjectTypeState, LeadObjectAction, LeadObjectDeleteRequest,
    LeadObjectRecordStatus, LeadObjectRelationshipTarget, SyncCustomObjectTypeRequest,
    SyncCustomObjectsRequest,
};
use serde_json::json;

use super::{api_code, setup};

fn strs(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| (*s).to_owned()).collect()
}

#[tokio::test]
async fn custom_object_records_link_to_leads() {
    let (emu, client) = setup().await;
    let l = client
        .list_of_custom_objects(ListOfCustomObjectsParams::new())
        .await
        .unwrap();
    assert_eq!(l.len(), 1);
    assert_eq!(l[0].name, "car");
    assert!(l[0].fields.is_none());
    let d = client.describe_custom_objects("car").await.unwrap();
    assert_eq!(d[0].dedupe_fields.as_deref(), Some(&strs(&["vin"])[..]));
    let rel = &d[0].relationships.as_ref().unwrap()[0];
    assert_eq!(rel.field.as_deref(), Some("leadId"));
    assert_eq!(
        api_code(client.describe_custom_objects("boat").await),
        "1013"
    );

    let body = SyncCustomObjectsRequest::new(vec![
        CustomObjectRecord::new()
            .additional_property("vin", "VIN-0001")
            .additional_property("model", "740"),
        CustomObjectRecord::new()
            .additional_property("vin", "VIN-0003")
            .additional_property("leadId", 3002)
            .additional_property("make", "BMW"),
        CustomObjectRecord::new()
            .additional_property("vin", "VIN-0004")
            .additional_property("leadId", 999_999),
    ]);
    let r = client.sync_custom_objects("car", &body).await.unwrap();
    assert_eq!(r[0].status, LeadObjectRecordStatus::Updated);
    assert_eq!(r[1].status, LeadObjectRecordStatus::Created);
    assert_eq!(r[2].reasons.as_ref().unwrap()[0].code, "1004");
    let guid = r[1].marketo_guid.clone().unwrap();
    let cars = emu.lead_object_records("co:car");
    assert!(
        cars.iter()
            .any(|c| c["vin"] == "VIN-0001" && c["model"] == "740")
    );

    let q = client
        .get_custom_objects(
            "car",
            "leadId",
            &strs(&["3002"]),
            GetCustomObjectsParams::new().fields(strs(&["vin", "make"])),
        )
        .await
        .unwrap();
    assert_eq!(q.len(), 1);
    assert_eq!(q[0].marketo_guid.as_deref(), Some(guid.as_str()));
    assert_eq!(q[0].additional_properties.get("make"), Some(&json!("BMW")));
    let q = client
        .get_custom_objects(
            "car",
            "idField",
            std::slice::from_ref(&guid),
            GetCustomObjectsParams::new(),
        )
        .await
        .unwrap();
    assert_eq!(
        q[0].additional_properties.get("vin"),
        Some(&json!("VIN-0003"))
    );
    assert_eq!(
        api_code(
            client
                .get_custom_objects(
                    "car",
                    "make",
                    &strs(&["BMW"]),
                    GetCustomObjectsParams::new()
                )
                .await
        ),
        "1003"
    );
    assert_eq!(
        api_code(
            client
                .get_custom_objects("boat", "vin", &strs(&["x"]), GetCustomObjectsParams::new())
                .await
        ),
        "1013"
    );

    let del = LeadObjectDeleteRequest::new(vec![
        [("vin".to_owned(), json!("VIN-0003"))]
            .into_iter()
            .collect(),
        [("vin".to_owned(), json!("none"))].into_iter().collect(),
    ]);
    let r = client.delete_custom_objects("car", &del).await.unwrap();
    assert_eq!(r[0].status, LeadObjectRecordStatus::Deleted);
    assert_eq!(r[1].reasons.as_ref().unwrap()[0].code, "1013");
    assert_eq!(emu.lead_object_records("co:car").len(), 2);
}

#[tokio::test]
async fn custom_object_type_lifecycle() {
    let (emu, client) = setup().await;
    let types = client
        .get_custom_object_type_field_data_types()
        .await
        .unwrap();
    assert!(types.iter().any(|t| t == "link"));
    let linkable = client.get_custom_object_linkable_objects().await.unwrap();
    assert!(linkable.iter().any(|o| o.name == "lead"));
    // `car` links to leads itself, so nothing may link to it.
    assert!(!linkable.iter().any(|o| o.name == "car"));
    let deps = client
        .get_custom_object_dependent_assets("car")
        .await
        .unwrap();
    assert_eq!(deps[0].asset_type.as_deref(), Some("Smart Campaign"));
    assert_eq!(
        api_code(client.get_custom_object_dependent_assets("boat").await),
        "1013"
    );

    // Create a draft type.
    let create = SyncCustomObjectTypeRequest::new("boat")
        .display_name("Boat")
        .description("Boats")
        .action(LeadObjectAction::CreateOnly);
    client.sync_custom_object_type(&create).await.unwrap();
    assert_eq!(
        emu.custom_object_type_state("boat").as_deref(),
        Some("draft")
    );
    assert_eq!(
        api_code(client.sync_custom_object_type(&create).await),
        "1017"
    );
    let upd = SyncCustomObjectTypeRequest::new("boat")
        .action(LeadObjectAction::UpdateOnly)
        .description("Vessels");
    client.sync_custom_object_type(&upd).await.unwrap();
    assert_eq!(
        api_code(
            client
                .sync_custom_object_type(
                    &SyncCustomObjectTypeRequest::new("ship").action(LeadObjectAction::UpdateOnly)
                )
                .await
        ),
        "1013"
    );
    let t = client
        .describe_custom_object_type("boat", DescribeCustomObjectTypeParams::new())
        .await
        .unwrap();
    assert_eq!(t.state, Some(CustomObjectTypeState::Draft));
    assert_eq!(t.description.as_deref(), Some("Vessels"));
    assert_eq!(t.id_field, None);
    assert_eq!(
        api_code(
            client
                .describe_custom_object_type(
                    "boat",
                    DescribeCustomObjectTypeParams::new().state(CustomObjectTypeState::Approved)
                )
                .await
        ),
        "1013"
    );

    // Approving without a dedupe field fails; add fields, then approve.
    assert_eq!(
        api_code(client.approve_custom_object_type("boat").await),
        "1003"
    );
    let fields = [
        CustomObjectTypeField::new("hullId", "Hull ID", "string").is_dedupe_field(true),
        CustomObjectTypeField::new("owner", "Owner", "link")
            .related_to(LeadObjectRelationshipTarget::new().name("lead").field("id")),
        CustomObjectTypeField::new("length", "Length", "integer"),
    ];
    client
        .add_custom_object_type_fields("boat", &fields)
        .await
        .unwrap();
    assert_eq!(
        api_code(
            client
                .add_custom_object_type_fields("boat", &fields[2..])
                .await
        ),
        "1006"
    );
    assert_eq!(
        api_code(
            client
                .add_custom_object_type_fields(
                    "boat",
                    &[CustomObjectTypeField::new("x", "X", "blob")]
                )
                .await
        ),
        "1003"
    );
    client
        .update_custom_object_type_field(
            "boat",
            "length",
            &CustomObjectTypeFieldUpdate::new()
                .display_name("Length (m)")
                .data_type("float"),
        )
        .await
        .unwrap();
    client
        .delete_custom_object_type_fields("boat", &[CustomObjectTypeFieldName::new("length")])
        .await
        .unwrap();
    assert_eq!(
        api_code(
            client
                .delete_custom_object_type_fields(
                    "boat",
                    &[CustomObjectTypeFieldName::new("length")]
                )
                .await
        ),
        "1013"
    );
    client.approve_custom_object_type("boat").await.unwrap();
    assert_eq!(
        emu.custom_object_type_state("boat").as_deref(),
        Some("approved")
    );
    let listed = client
        .list_of_custom_object_types(ListOfCustomObjectTypesParams::new().names(strs(&["boat"])))
        .await
        .unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(
        listed[0].dedupe_fields.as_deref(),
        Some(&strs(&["hullId"])[..])
    );
    assert_eq!(
        listed[0].relationships.as_ref().unwrap()[0]
            .field
            .as_deref(),
        Some("owner")
    );

    // Records of the new type follow the owner lead.
    let r = client
        .sync_custom_objects(
            "boat",
            &SyncCustomObjectsRequest::new(vec![
                CustomObjectRecord::new()
                    .additional_property("hullId", "H1")
                    .additional_property("owner", 3005),
            ]),
        )
        .await
        .unwrap();
    assert_eq!(r[0].status, LeadObjectRecordStatus::Created);

    // A change to an approved type is a draft: approved with draft, then discarded.
    client
        .add_custom_object_type_fields(
            "boat",
            &[CustomObjectTypeField::new("color", "Color", "string")],
        )
        .await
        .unwrap();
    assert_eq!(
        emu.custom_object_type_state("boat").as_deref(),
        Some("approvedWithDraft")
    );
    assert_eq!(
        api_code(
            client
                .add_custom_object_type_fields(
                    "boat",
                    &[CustomObjectTypeField::new("k2", "K2", "string").is_dedupe_field(true)]
                )
                .await
        ),
        "1003"
    );
    let draft = client
        .describe_custom_object_type(
            "boat",
            DescribeCustomObjectTypeParams::new().state(CustomObjectTypeState::Draft),
        )
        .await
        .unwrap();
    assert!(
        draft
            .fields
            .as_ref()
            .unwrap()
            .iter()
            .any(|f| f.name == "color")
    );
    client
        .discard_custom_object_type_draft("boat")
        .await
        .unwrap();
    assert_eq!(
        emu.custom_object_type_state("boat").as_deref(),
        Some("approved")
    );
    assert_eq!(
        api_code(client.discard_custom_object_type_draft("boat").await),
        "1003"
    );

    // Delete: the demo type has dependent assets; the new one goes with its records.
    assert_eq!(
        api_code(client.delete_custom_object_type("car").await),
        "1003"
    );
    client.delete_custom_object_type("boat").await.unwrap();
    assert_eq!(emu.custom_object_type_state("boat"), None);
    assert!(emu.lead_object_records("co:boat").is_empty());
    assert_eq!(
        api_code(client.approve_custom_object_type("boat").await),
        "1013"
    );
}

/// The request forms the generated client does not send: `POST ?_method=GET`
/// with a JSON body of compound keys (roles, custom objects, as
/// marketorestpython sends them) and with a form body (long filter values).
#[tokio::test]
async fn method_get_queries_with_json_and_form_bodies() {
    let (emu, _client) = setup().await;
    let http = marketo_rest::reqwest::Client::new();
    let base = emu.rest_base_url();
    let creds = emu.credentials();
    let token: serde_json::Value = http
        .get(format!("{base}/identity/oauth/token"))
        .query(&[
            ("grant_type", "client_credentials"),
            ("client_id", creds.client_id.as_str()),
            ("client_secret", creds.client_secret.as_str()),
        ])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let bearer = format!("Bearer {}", token["access_token"].as_str().unwrap());
    let roles: serde_json::Value = http
        .post(format!(
            "{base}/rest/v1/opportunities/roles.json?_method=GET"
        ))
        .header("Authorization", &bearer)
        .json(
            &json!({"filterType": "dedupeFields", "fields": ["marketoGuid", "role"], "input": [
            {"externalOpportunityId": "opp-1", "leadId": 3001, "role": "Decision Maker"},
            {"externalOpportunityId": "opp-1", "leadId": 3002, "role": "Nobody"}]}),
        )
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(roles["success"], true, "{roles}");
    assert_eq!(roles["result"].as_array().unwrap().len(), 1);
    assert_eq!(roles["result"][0]["role"], "Decision Maker");
    let cars: serde_json::Value = http
        .post(format!("{base}/rest/v1/customobjects/car.json?_method=GET"))
        .header("Authorization", &bearer)
        .json(&json!({"filterType": "dedupeFields", "input": [{"vin": "VIN-0002"}]}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(cars["result"][0]["vin"], "VIN-0002", "{cars}");
    let companies: serde_json::Value = http
        .post(format!("{base}/rest/v1/companies.json?_method=GET"))
        .header("Authorization", &bearer)
        .form(&[
            ("filterType", "externalCompanyId"),
            ("filterValues", "ext-acme,ext-globex"),
            ("fields", "company"),
        ])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        companies["result"].as_array().unwrap().len(),
        2,
        "{companies}"
    );
}
