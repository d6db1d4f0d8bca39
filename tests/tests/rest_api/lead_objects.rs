//! Area B end to end: companies, opportunities and roles, named accounts and
//! their lists, sales persons, program members (and custom objects in
//! `lead_objects_custom`), every operation through the generated client with
//! the results checked against the emulator's records and the documented codes.

use futures::TryStreamExt;
use marketo_rest::params::{
    GetCompaniesParams, GetCompanyFieldsParams, GetNamedAccountFieldsParams,
    GetNamedAccountListMembersParams, GetNamedAccountListsParams, GetNamedAccountsParams,
    GetOpportunitiesParams, GetOpportunityFieldsParams, GetOpportunityRolesParams,
    GetProgramMemberFieldsParams, GetProgramMembersParams, GetSalesPersonsParams,
};
use marketo_rest::types::{
    Company, LeadObjectAction, LeadObjectDeleteRequest, LeadObjectGuid, LeadObjectKey,
    LeadObjectKeyValues, LeadObjectRecordStatus, LeadObjectResult, LeadObjectSchemaField,
    NamedAccount, NamedAccountList, Opportunity, OpportunityRole, ProgramMember, ProgramMemberLead,
    SalesPerson, SyncCompaniesRequest, SyncNamedAccountListsRequest, SyncNamedAccountsRequest,
    SyncOpportunitiesRequest, SyncOpportunityRolesRequest, SyncProgramMemberStatusRequest,
    SyncSalesPersonsRequest,
};
use serde_json::{Value, json};

use super::{api_code, assert_not_found, setup};

fn key(pairs: &[(&str, Value)]) -> LeadObjectKeyValues {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), v.clone()))
        .collect()
}

fn statuses(r: &[LeadObjectResult]) -> Vec<LeadObjectRecordStatus> {
    r.iter().map(|x| x.status.clone()).collect()
}

fn reason(r: &LeadObjectResult) -> String {
    r.reasons
        .as_ref()
        .and_then(|v| v.first())
        .map(|x| x.code.clone())
        .unwrap_or_default()
}

fn strs(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| (*s).to_owned()).collect()
}

#[tokio::test]
async fn companies_describe_sync_query_fields_delete() {
    let (emu, client) = setup().await;
    let d = client.describe_companies().await.unwrap();
    assert_eq!(d[0].id_field.as_deref(), Some("id"));
    assert_eq!(
        d[0].dedupe_fields.as_deref(),
        Some(&strs(&["externalCompanyId"])[..])
    );

    let body = SyncCompaniesRequest::new(vec![
        Company::new()
            .external_company_id("ext-acme")
            .company("Acme Corporation"),
        Company::new()
            .external_company_id("ext-new")
            .company("Initech")
            .additional_property("industry", "Software"),
        Company::new()
            .external_company_id("ext-x")
            .additional_property("noSuchField", 1),
    ]);
    let r = client.sync_companies(&body).await.unwrap();
    assert_eq!(
        statuses(&r),
        [
            LeadObjectRecordStatus::Updated,
            LeadObjectRecordStatus::Created,
            LeadObjectRecordStatus::Skipped
        ]
    );
    assert_eq!(reason(&r[2]), "1006");
    let new_id = r[1].id.expect("created company id");
    let stored = emu.lead_object_records("company");
    let row = stored
        .iter()
        .find(|c| c["id"] == json!(new_id))
        .expect("stored");
    assert_eq!(row["industry"], "Software");
    assert!(stored.iter().any(|c| c["company"] == "Acme Corporation"));

    // createOnly on an existing key: 1005; updateOnly on a missing one: 1013.
    let only = |action: &str, ext: &str| {
        SyncCompaniesRequest::new(vec![Company::new().external_company_id(ext).company("X")])
            .action(LeadObjectAction::from(action))
    };
    assert_eq!(
        reason(
            &client
                .sync_companies(&only("createOnly", "ext-acme"))
                .await
                .unwrap()[0]
        ),
        "1005"
    );
    assert_eq!(
        reason(
            &client
                .sync_companies(&only("updateOnly", "ext-none"))
                .await
                .unwrap()[0]
        ),
        "1013"
    );
    // idField is allowed with updateOnly only.
    let bad = SyncCompaniesRequest::new(vec![Company::new().id(new_id)])
        .dedupe_by(LeadObjectKey::IdField);
    assert_eq!(api_code(client.sync_companies(&bad).await), "1003");

    let q = client
        .get_companies(
            "externalCompanyId",
            &strs(&["ext-acme", "ext-new"]),
            GetCompaniesParams::new().fields(strs(&["company", "industry"])),
        )
        .await
        .unwrap();
    assert_eq!(q.len(), 2);
    assert_eq!(q[0].seq, Some(0));
    assert_eq!(q[1].company.as_deref(), Some("Initech"));
    assert_eq!(
        q[1].additional_properties.get("industry"),
        Some(&json!("Software"))
    );
    let by_id = client
        .get_companies("idField", &[new_id.to_string()], GetCompaniesParams::new())
        .await
        .unwrap();
    assert_eq!(by_id[0].external_company_id.as_deref(), Some("ext-new"));
    assert_eq!(
        api_code(
            client
                .get_companies("industry", &strs(&["x"]), GetCompaniesParams::new())
                .await
        ),
        "1003"
    );
    assert_eq!(
        api_code(
            client
                .get_companies(
                    "id",
                    &strs(&["1"]),
                    GetCompaniesParams::new().fields(strs(&["bogus"]))
                )
                .await
        ),
        "1006"
    );
    // Paging by token: one record a page.
    let all: Vec<Company> = client
        .get_companies_stream(
            "externalCompanyId",
            &strs(&["ext-acme", "ext-globex", "ext-new"]),
            GetCompaniesParams::new().batch_size(1),
        )
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all.len(), 3);

    let fields = client
        .get_company_fields(GetCompanyFieldsParams::new())
        .await
        .unwrap();
    assert!(
        fields
            .iter()
            .any(|f| f.name.as_deref() == Some("annualRevenue"))
    );
    let page: Vec<LeadObjectSchemaField> = client
        .get_company_fields_stream(GetCompanyFieldsParams::new().batch_size(5))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(page.len(), fields.len());
    let f = client.get_company_field_by_name("industry").await.unwrap();
    assert_eq!(f.is_custom, Some(false));
    assert_not_found(client.get_company_field_by_name("nope").await);

    let del = LeadObjectDeleteRequest::new(vec![
        key(&[("externalCompanyId", json!("ext-new"))]),
        key(&[("externalCompanyId", json!("missing"))]),
    ]);
    let r = client.delete_companies(&del).await.unwrap();
    assert_eq!(
        statuses(&r),
        [
            LeadObjectRecordStatus::Deleted,
            LeadObjectRecordStatus::Skipped
        ]
    );
    assert_eq!(reason(&r[1]), "1013");
    assert!(
        !emu.lead_object_records("company")
            .iter()
            .any(|c| c["id"] == json!(new_id))
    );
    let by_id = LeadObjectDeleteRequest::new(vec![key(&[("id", json!(1))])])
        .delete_by(LeadObjectKey::IdField);
    assert_eq!(
        reason(&client.delete_companies(&by_id).await.unwrap()[0]),
        "1013"
    );
}

#[tokio::test]
async fn opportunities_and_roles_follow_leads() {
    let (emu, client) = setup().await;
    let d = client.describe_opportunity().await.unwrap();
    assert_eq!(d[0].id_field.as_deref(), Some("marketoGUID"));
    let d = client.describe_opportunity_role().await.unwrap();
    assert_eq!(d[0].dedupe_fields.as_ref().map(Vec::len), Some(3));

    let body = SyncOpportunitiesRequest::new(vec![
        Opportunity::new()
            .external_opportunity_id("opp-3")
            .name("Chairs")
            .amount("1604.47"),
        Opportunity::new().external_opportunity_id("opp-4"),
    ]);
    let r = client.sync_opportunities(&body).await.unwrap();
    assert_eq!(r[0].status, LeadObjectRecordStatus::Created);
    assert_eq!(reason(&r[1]), "1003", "an opportunity needs a name");
    let guid = r[0].marketo_guid.clone().unwrap();
    let q = client
        .get_opportunities(
            "idField",
            std::slice::from_ref(&guid),
            GetOpportunitiesParams::new().fields(strs(&["name", "amount"])),
        )
        .await
        .unwrap();
    assert_eq!(q[0].name.as_deref(), Some("Chairs"));
    assert_eq!(q[0].amount.as_deref(), Some("1604.47"));
    assert!(
        client
            .get_opportunity_fields(GetOpportunityFieldsParams::new())
            .await
            .unwrap()
            .len()
            > 4
    );
    assert_eq!(
        client
            .get_opportunity_field_by_name("stage")
            .await
            .unwrap()
            .data_type
            .as_deref(),
        Some("string")
    );

    let roles = SyncOpportunityRolesRequest::new(vec![
        OpportunityRole::new()
            .external_opportunity_id("opp-3")
            .lead_id(3003)
            .role("Buyer")
            .is_primary(true),
        OpportunityRole::new()
            .external_opportunity_id("opp-3")
            .lead_id(999_999)
            .role("Buyer"),
        OpportunityRole::new()
            .external_opportunity_id("opp-none")
            .lead_id(3003)
            .role("Buyer"),
    ]);
    let r = client.sync_opportunity_roles(&roles).await.unwrap();
    assert_eq!(
        statuses(&r),
        [
            LeadObjectRecordStatus::Created,
            LeadObjectRecordStatus::Skipped,
            LeadObjectRecordStatus::Skipped
        ]
    );
    assert_eq!(reason(&r[1]), "1004");
    assert_eq!(reason(&r[2]), "1013");
    let q = client
        .get_opportunity_roles("leadId", &strs(&["3003"]), GetOpportunityRolesParams::new())
        .await
        .unwrap();
    assert_eq!(q.len(), 1);
    assert_eq!(q[0].role.as_deref(), Some("Buyer"));
    let q = client
        .get_opportunity_roles(
            "externalOpportunityId",
            &strs(&["opp-1"]),
            GetOpportunityRolesParams::new(),
        )
        .await
        .unwrap();
    assert_eq!(q.len(), 2, "the demo roles");
    let del = LeadObjectDeleteRequest::new(vec![key(&[
        ("externalOpportunityId", json!("opp-1")),
        ("leadId", json!(3002)),
        ("role", json!("Technical Buyer")),
    ])]);
    assert_eq!(
        client.delete_opportunity_roles(&del).await.unwrap()[0].status,
        LeadObjectRecordStatus::Deleted
    );
    assert_eq!(emu.lead_object_records("opportunityRole").len(), 2);

    // Deleting an opportunity removes its roles.
    let del = LeadObjectDeleteRequest::new(vec![key(&[("marketoGUID", json!(guid))])])
        .delete_by(LeadObjectKey::IdField);
    assert_eq!(
        client.delete_opportunities(&del).await.unwrap()[0].status,
        LeadObjectRecordStatus::Deleted
    );
    assert!(
        emu.lead_object_records("opportunityRole")
            .iter()
            .all(|r| r["externalOpportunityId"] != "opp-3")
    );
    assert!(
        emu.lead_object_records("opportunity")
            .iter()
            .all(|r| r["externalOpportunityId"] != "opp-3")
    );
}

#[tokio::test]
async fn named_accounts_lists_and_membership() {
    let (emu, client) = setup().await;
    let d = client.describe_named_accounts().await.unwrap();
    assert_eq!(d[0].dedupe_fields.as_deref(), Some(&strs(&["name"])[..]));
    let r = client
        .sync_named_accounts(&SyncNamedAccountsRequest::new(vec![
            NamedAccount::new()
                .name("Initech")
                .domain_name("initech.example"),
        ]))
        .await
        .unwrap();
    let initech = r[0].marketo_guid.clone().unwrap();
    let q = client
        .get_named_accounts(
            "name",
            &strs(&["Initech", "Globex"]),
            GetNamedAccountsParams::new().fields(strs(&["name", "domainName"])),
        )
        .await
        .unwrap();
    assert_eq!(q.len(), 2);
    assert!(
        q.iter()
            .any(|a| a.domain_name.as_deref() == Some("initech.example"))
    );
    assert!(
        !client
            .get_named_account_fields(GetNamedAccountFieldsParams::new())
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        client
            .get_named_account_field_by_name("domainName")
            .await
            .unwrap()
            .name
            .as_deref(),
        Some("domainName")
    );

    // Lists: createOnly is the default.
    let r = client
        .sync_named_account_lists(&SyncNamedAccountListsRequest::new(vec![
            NamedAccountList::new().name("SaaS"),
            NamedAccountList::new().name("Key Accounts"),
        ]))
        .await
        .unwrap();
    assert_eq!(r[0].status, LeadObjectRecordStatus::Created);
    assert_eq!(reason(&r[1]), "1005");
    let list = r[0].marketo_guid.clone().unwrap();
    let lists = client
        .get_named_account_lists(
            "dedupeFields",
            &strs(&["SaaS"]),
            GetNamedAccountListsParams::new(),
        )
        .await
        .unwrap();
    assert_eq!(lists[0].marketo_guid.as_deref(), Some(list.as_str()));
    assert_eq!(lists[0].type_.as_deref(), Some("default"));

    let r = client
        .add_named_account_list_members(
            &list,
            &[
                LeadObjectGuid::new(initech.clone()),
                LeadObjectGuid::new("no-such"),
            ],
        )
        .await
        .unwrap();
    assert_eq!(
        statuses(&r),
        [
            LeadObjectRecordStatus::Added,
            LeadObjectRecordStatus::Skipped
        ]
    );
    assert_eq!(emu.named_account_list_members(&list), vec![initech.clone()]);
    let m = client
        .get_named_account_list_members(&list, GetNamedAccountListMembersParams::new())
        .await
        .unwrap();
    assert_eq!(m[0].name.as_deref(), Some("Initech"));
    assert_eq!(
        api_code(
            client
                .get_named_account_list_members("nope", GetNamedAccountListMembersParams::new())
                .await
        ),
        "1013"
    );
    let r = client
        .remove_named_account_list_members(&list, &[LeadObjectGuid::new(initech.clone())])
        .await
        .unwrap();
    assert_eq!(r[0].status, LeadObjectRecordStatus::Removed);
    assert!(emu.named_account_list_members(&list).is_empty());

    let del = LeadObjectDeleteRequest::new(vec![
        key(&[("name", json!("SaaS"))]),
        key(&[("name", json!("Nope"))]),
    ]);
    let r = client.delete_named_account_lists(&del).await.unwrap();
    assert_eq!(
        statuses(&r),
        [
            LeadObjectRecordStatus::Deleted,
            LeadObjectRecordStatus::Skipped
        ]
    );
    let del = LeadObjectDeleteRequest::new(vec![key(&[("name", json!("Initech"))])]);
    assert_eq!(
        client.delete_named_accounts(&del).await.unwrap()[0].status,
        LeadObjectRecordStatus::Deleted
    );
    assert!(
        emu.lead_object_records("namedAccount")
            .iter()
            .all(|a| a["name"] != "Initech")
    );
}

#[tokio::test]
async fn sales_persons() {
    let (emu, client) = setup().await;
    let d = client.describe_sales_persons().await.unwrap();
    assert_eq!(d[0].name, "SalesPerson");
    let r = client
        .sync_sales_persons(&SyncSalesPersonsRequest::new(vec![
            SalesPerson::new()
                .external_sales_person_id("sam@example.com")
                .first_name("Samuel"),
            SalesPerson::new()
                .external_sales_person_id("dee@example.com")
                .email("dee@example.com"),
        ]))
        .await
        .unwrap();
    assert_eq!(
        statuses(&r),
        [
            LeadObjectRecordStatus::Updated,
            LeadObjectRecordStatus::Created
        ]
    );
    let q = client
        .get_sales_persons(
            "dedupeFields",
            &strs(&["sam@example.com", "dee@example.com"]),
            GetSalesPersonsParams::new(),
        )
        .await
        .unwrap();
    assert_eq!(q.len(), 2);
    assert_eq!(q[0].first_name.as_deref(), Some("Samuel"));
    let q = client
        .get_sales_persons(
            "email",
            &strs(&["dee@example.com"]),
            GetSalesPersonsParams::new(),
        )
        .await
        .unwrap();
    assert_eq!(q[0].id, r[1].id);
    let del = LeadObjectDeleteRequest::new(vec![key(&[(
        "externalSalesPersonId",
        json!("dee@example.com"),
    )])]);
    assert_eq!(
        client.delete_sales_persons(&del).await.unwrap()[0].status,
        LeadObjectRecordStatus::Deleted
    );
    assert_eq!(emu.lead_object_records("salesPerson").len(), 1);
}

#[tokio::test]
async fn program_members_status_data_fields_delete() {
    let (emu, client) = setup().await;
    let d = client.describe_program_member().await.unwrap();
    assert_eq!(
        d[0].dedupe_fields.as_deref(),
        Some(&strs(&["leadId", "programId"])[..])
    );

    // Webinar program 1003: 3001 Registered, 3002 Attended.
    let body = SyncProgramMemberStatusRequest::new(
        "Attended",
        vec![
            ProgramMemberLead::new(3001),
            ProgramMemberLead::new(3002),
            ProgramMemberLead::new(3004),
            ProgramMemberLead::new(999_999),
        ],
    );
    let r = client
        .sync_program_member_status(1003, &body)
        .await
        .unwrap();
    assert_eq!(
        statuses(&r),
        [
            LeadObjectRecordStatus::Updated,
            LeadObjectRecordStatus::Skipped,
            LeadObjectRecordStatus::Created,
            LeadObjectRecordStatus::Skipped
        ]
    );
    assert_eq!(reason(&r[1]), "1037");
    assert_eq!(reason(&r[3]), "1004");
    assert_eq!(r[2].lead_id, Some(3004));
    let members = emu.lead_object_records("programMember");
    let m = members
        .iter()
        .find(|m| m["leadId"] == 3001 && m["programId"] == 1003)
        .unwrap();
    assert_eq!(m["statusName"], "Attended");
    assert_eq!(m["reachedSuccess"], true);
    let bad =
        SyncProgramMemberStatusRequest::new("No Such Status", vec![ProgramMemberLead::new(3001)]);
    assert_eq!(
        api_code(client.sync_program_member_status(1003, &bad).await),
        "1003"
    );
    assert_eq!(
        api_code(client.sync_program_member_status(987_654, &body).await),
        "1013"
    );

    let q = client
        .get_program_members(
            1003,
            "statusName",
            GetProgramMembersParams::new().filter_values(strs(&["Attended"])),
        )
        .await
        .unwrap();
    assert_eq!(q.len(), 3);
    assert!(
        q.iter()
            .all(|m| m.program_id == Some(1003) && m.acquired_by.is_some())
    );
    let q = client
        .get_program_members(
            1003,
            "leadId",
            GetProgramMembersParams::new()
                .filter_values(strs(&["3001"]))
                .fields(strs(&["statusName", "registrationCode"])),
        )
        .await
        .unwrap();
    assert_eq!(q[0].status_name.as_deref(), Some("Attended"));
    assert_eq!(
        q[0].additional_properties.get("registrationCode"),
        Some(&json!("reg-3001"))
    );
    let now = emu.now();
    let q = client
        .get_program_members(
            1003,
            "updatedAt",
            GetProgramMembersParams::new()
                .start_at(now - time::Duration::hours(1))
                .end_at(now + time::Duration::hours(1)),
        )
        .await
        .unwrap();
    assert_eq!(q.len(), 2, "the two members changed by the status sync");
    assert_eq!(
        api_code(
            client
                .get_program_members(
                    1003,
                    "updatedAt",
                    GetProgramMembersParams::new()
                        .start_at(now - time::Duration::days(9))
                        .end_at(now)
                )
                .await
        ),
        "1003"
    );
    assert_eq!(
        api_code(
            client
                .get_program_members(
                    1003,
                    "firstName",
                    GetProgramMembersParams::new().filter_values(strs(&["x"]))
                )
                .await
        ),
        "1003"
    );

    let data = vec![
        ProgramMember::new()
            .lead_id(3001)
            .additional_property("registrationCode", "abc"),
        ProgramMember::new()
            .lead_id(3005)
            .additional_property("registrationCode", "abc"),
        ProgramMember::new()
            .lead_id(3002)
            .additional_property("statusName", "Registered"),
    ];
    let r = client.sync_program_member_data(1003, &data).await.unwrap();
    assert_eq!(
        statuses(&r),
        [
            LeadObjectRecordStatus::Updated,
            LeadObjectRecordStatus::Skipped,
            LeadObjectRecordStatus::Skipped
        ]
    );
    assert_eq!(reason(&r[1]), "1013");
    assert_eq!(reason(&r[2]), "1006");

    // Fields: browse, by name, create (then searchable), update.
    let all: Vec<LeadObjectSchemaField> = client
        .get_program_member_fields_stream(GetProgramMemberFieldsParams::new().batch_size(5))
        .try_collect()
        .await
        .unwrap();
    assert!(
        all.iter()
            .any(|f| f.name.as_deref() == Some("membershipDate"))
    );
    assert_eq!(
        client
            .get_program_member_field_by_name("statusName")
            .await
            .unwrap()
            .display_name
            .as_deref(),
        Some("Status")
    );
    assert_not_found(client.get_program_member_field_by_name("nope").await);
    let new = LeadObjectSchemaField::new()
        .name("lunchChoice")
        .display_name("Lunch Choice")
        .data_type("string");
    let r = client
        .create_program_member_fields(&[new.clone(), new.clone().name("1bad").display_name("Bad")])
        .await
        .unwrap();
    assert_eq!(r[0].status, LeadObjectRecordStatus::Created);
    assert_eq!(r[1].status, LeadObjectRecordStatus::Skipped);
    let r = client
        .update_program_member_field(
            "lunchChoice",
            &[LeadObjectSchemaField::new()
                .description("Food")
                .display_name("Lunch")],
        )
        .await
        .unwrap();
    assert_eq!(r[0].status, LeadObjectRecordStatus::Updated);
    assert_eq!(
        client
            .get_program_member_field_by_name("lunchChoice")
            .await
            .unwrap()
            .display_name
            .as_deref(),
        Some("Lunch")
    );
    let r = client
        .update_program_member_field(
            "statusName",
            &[LeadObjectSchemaField::new().description("x")],
        )
        .await
        .unwrap();
    assert_eq!(r[0].status, LeadObjectRecordStatus::Skipped);
    let r = client
        .sync_program_member_data(
            1003,
            &[ProgramMember::new()
                .lead_id(3001)
                .additional_property("lunchChoice", "Soup")],
        )
        .await
        .unwrap();
    assert_eq!(r[0].status, LeadObjectRecordStatus::Updated);
    let q = client
        .get_program_members(
            1003,
            "lunchChoice",
            GetProgramMembersParams::new().filter_values(strs(&["Soup"])),
        )
        .await
        .unwrap();
    assert_eq!(q[0].lead_id, Some(3001));

    let r = client
        .delete_program_members(
            1003,
            &[ProgramMemberLead::new(3004), ProgramMemberLead::new(3005)],
        )
        .await
        .unwrap();
    assert_eq!(
        statuses(&r),
        [
            LeadObjectRecordStatus::Deleted,
            LeadObjectRecordStatus::Skipped
        ]
    );
    assert_eq!(reason(&r[1]), "1037");
    assert!(
        !emu.lead_object_records("programMember")
            .iter()
            .any(|m| m["leadId"] == 3004)
    );
}
