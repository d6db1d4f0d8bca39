//! Email templates (v1), and the v2 endpoints of emails, email templates and
//! fragments, end to end through the generated client.

use marketo_emulator::{AssetKind, AssetStatus};
use marketo_rest::params::{
    FilterEmailTemplatesV2Params, FilterEmailsV2Params, FilterFragmentsParams,
    GetEmailTemplateByIdParams, GetEmailTemplateByNameParams, GetEmailTemplateContentByIdParams,
    GetEmailTemplateUsedByParams, GetEmailTemplatesParams,
};
use marketo_rest::types::{
    AssetVersionStatus, CloneEmailTemplateRequest, CreateEmailRequest,
    CreateEmailTemplateV2Request, CreateEmailV2Request, CreateFragmentRequest, EmailV2Headers,
    FolderReference, FolderType, FragmentSettings, UpdateEmailTemplateMetadataRequest,
    UpdateEmailTemplateV2Request, UpdateEmailV2Request, UpdateFragmentRequest, V2AppData,
    V2CloneRequest, V2NewAsset, V2StateTransition, V2StateTransitionRequest, V2UsedByRequest,
};

use super::{api_code, assert_not_found, setup};

fn design() -> FolderReference {
    FolderReference::new(20, FolderType::Folder)
}

#[tokio::test]
async fn query_templates_and_their_content() {
    let (_emu, client) = setup().await;
    let t = client
        .get_email_template_by_id(7501, GetEmailTemplateByIdParams::new())
        .await
        .expect("by id");
    assert_eq!(t.name, "Demo Newsletter Template");
    assert_eq!(t.status.as_deref(), Some("approved"));
    assert_not_found(
        client
            .get_email_template_by_id(99_999, GetEmailTemplateByIdParams::new())
            .await,
    );
    let by_name = client
        .get_email_template_by_name("Demo Draft Template", GetEmailTemplateByNameParams::new())
        .await
        .expect("by name");
    assert_eq!(by_name.value[0].id, 7502);
    let none = client
        .get_email_template_by_name("No such template", GetEmailTemplateByNameParams::new())
        .await
        .expect("no match");
    assert!(none.value.is_empty());
    let drafts = client
        .get_email_templates(GetEmailTemplatesParams::new().status(AssetVersionStatus::Draft))
        .await
        .expect("browse");
    assert!(drafts.value.iter().any(|t| t.id == 7502));
    assert!(!drafts.value.iter().any(|t| t.id == 7501));
    let html = client
        .get_email_template_content_by_id(7501, GetEmailTemplateContentByIdParams::new())
        .await
        .expect("content");
    assert!(
        html.value[0]
            .content
            .as_deref()
            .unwrap()
            .contains("mktoModule")
    );
    let used = client
        .get_email_template_used_by(7501, GetEmailTemplateUsedByParams::new())
        .await
        .expect("used by");
    let ids: Vec<i32> = used.value.iter().map(|u| u.id).collect();
    assert!(ids.contains(&7001) && ids.contains(&7002));
    assert!(
        used.value
            .iter()
            .all(|u| u.type_.as_deref() == Some("Email"))
    );
    let page = client
        .get_email_template_used_by(7501, GetEmailTemplateUsedByParams::new().max_return(1))
        .await
        .expect("page");
    assert_eq!(page.value.len(), 1);
}

#[tokio::test]
async fn template_lifecycle_and_dependency_rules() {
    let (emu, client) = setup().await;
    // A used template can be neither unapproved nor deleted.
    assert_eq!(
        api_code(client.unapprove_email_template_draft(7501).await),
        "709"
    );
    assert_eq!(api_code(client.delete_email_template(7501).await), "709");
    // Clone, rename, approve, unapprove, delete.
    let copy = client
        .clone_email_template(
            7501,
            &CloneEmailTemplateRequest::new("E2E Template", design()),
        )
        .await
        .expect("clone");
    let id = copy.value[0].id;
    assert_eq!(copy.value[0].status.as_deref(), Some("draft"));
    // Template names are unique in the instance.
    assert_eq!(
        api_code(
            client
                .clone_email_template(
                    7501,
                    &CloneEmailTemplateRequest::new("E2E Template", design())
                )
                .await
        ),
        "709"
    );
    let upd = client
        .update_email_template_metadata(
            id,
            &UpdateEmailTemplateMetadataRequest::new()
                .name("E2E Template 2")
                .description("d"),
        )
        .await
        .expect("update");
    assert_eq!(upd.value[0].name, "E2E Template 2");
    let approved = client
        .approve_email_template_draft(id)
        .await
        .expect("approve");
    assert_eq!(approved.value[0].status.as_deref(), Some("approved"));
    assert_eq!(
        api_code(client.discard_email_template_draft(id).await),
        "709"
    );
    client
        .update_email_template_metadata(
            id,
            &UpdateEmailTemplateMetadataRequest::new().description("draft now"),
        )
        .await
        .expect("edit");
    assert_eq!(
        emu.asset(AssetKind::EmailTemplate, id).unwrap().status(),
        AssetStatus::ApprovedWithDraft
    );
    client
        .discard_email_template_draft(id)
        .await
        .expect("discard");
    // An email on it blocks unapproval until the email is gone.
    let email = client
        .create_email(&CreateEmailRequest::new("On E2E template", design(), id))
        .await
        .expect("email")
        .value[0]
        .id;
    assert_eq!(
        api_code(client.unapprove_email_template_draft(id).await),
        "709"
    );
    client.delete_email(email).await.expect("delete email");
    let un = client
        .unapprove_email_template_draft(id)
        .await
        .expect("unapprove");
    assert_eq!(un.value[0].status.as_deref(), Some("draft"));
    client.delete_email_template(id).await.expect("delete");
    assert!(emu.asset(AssetKind::EmailTemplate, id).is_none());
    assert_eq!(
        api_code(client.approve_email_template_draft(id).await),
        "702"
    );
}

#[tokio::test]
async fn v2_emails_and_templates() {
    let (emu, client) = setup().await;
    // Template v2.
    let t = client
        .create_email_template_v2(&CreateEmailTemplateV2Request::new(
            "V2 Template",
            V2AppData::new().workspace_id("1").folder_id("20"),
        ))
        .await
        .expect("create template");
    let tid = t.value[0].id.clone();
    assert_eq!(t.value[0].status.as_deref(), Some("draft"));
    client
        .update_email_template_v2(
            &tid,
            &UpdateEmailTemplateV2Request::new().description("v2 desc"),
        )
        .await
        .expect("update template");
    let got = client
        .get_email_template_by_id_v2(&tid)
        .await
        .expect("get template");
    assert_eq!(got.description.as_deref(), Some("v2 desc"));
    client
        .transition_email_template_state_v2(&V2StateTransitionRequest::new(
            tid.clone(),
            V2StateTransition::Approve,
        ))
        .await
        .expect("approve template");
    let found = client
        .filter_email_templates_v2("1", FilterEmailTemplatesV2Params::new().name("V2 Template"))
        .await
        .expect("filter templates");
    assert_eq!(found.value.len(), 1);
    assert_eq!(
        api_code(
            client
                .filter_email_templates_v2("", FilterEmailTemplatesV2Params::new())
                .await
        ),
        "701"
    );

    // Email v2 on that template.
    let body = CreateEmailV2Request::new(
        "V2 Email",
        V2AppData::new().folder_id("20"),
        EmailV2Headers::new()
            .subject("Hi")
            .from_name("F")
            .from_email("f@example.com")
            .reply_email("r@example.com"),
    )
    .template_id(tid.clone());
    let e = client.create_email_v2(&body).await.expect("create email");
    let eid = e.value[0].id.clone();
    let n: i32 = eid.parse().unwrap();
    assert_eq!(
        emu.asset(AssetKind::Email, n).unwrap().refs[0].id,
        tid.parse::<i32>().unwrap()
    );
    let no_subject = CreateEmailV2Request::new(
        "V2 no subject",
        V2AppData::new().folder_id("20"),
        EmailV2Headers::new(),
    );
    assert_eq!(api_code(client.create_email_v2(&no_subject).await), "701");
    client
        .update_email_v2(
            &eid,
            &UpdateEmailV2Request::new().headers(EmailV2Headers::new().subject("Changed")),
        )
        .await
        .expect("update email");
    let v1 = client.get_email_by_id(n).await.unwrap();
    assert_eq!(
        v1.subject.as_ref().and_then(|s| s.value.clone()).as_deref(),
        Some("Changed")
    );
    client
        .transition_email_state_v2(&V2StateTransitionRequest::new(
            eid.clone(),
            V2StateTransition::Approve,
        ))
        .await
        .expect("approve email");
    client
        .transition_email_state_v2(&V2StateTransitionRequest::new(
            eid.clone(),
            V2StateTransition::CreateDraft,
        ))
        .await
        .expect("create draft");
    assert_eq!(
        emu.asset(AssetKind::Email, n).unwrap().status(),
        AssetStatus::ApprovedWithDraft
    );
    client
        .transition_email_state_v2(&V2StateTransitionRequest::new(
            eid.clone(),
            V2StateTransition::Discard,
        ))
        .await
        .expect("discard");
    // The template is used by the email.
    let users = client
        .get_email_template_used_by_v2(&V2UsedByRequest::new(tid.clone()).type_("all"))
        .await
        .expect("used by");
    assert_eq!(
        users.value.iter().map(|u| u.id.clone()).collect::<Vec<_>>(),
        vec![eid.clone()]
    );
    assert_eq!(
        api_code(
            client
                .transition_email_template_state_v2(&V2StateTransitionRequest::new(
                    tid.clone(),
                    V2StateTransition::Unapprove
                ))
                .await
        ),
        "709"
    );
    assert_eq!(api_code(client.delete_email_template_v2(&tid).await), "709");
    let filtered = client
        .filter_emails_v2(
            "1",
            FilterEmailsV2Params::new()
                .template_id(tid.clone())
                .status(vec!["approved".to_owned()]),
        )
        .await
        .expect("filter emails");
    assert_eq!(filtered.value.len(), 1);
    let cl = client
        .clone_email_v2(&V2CloneRequest::new(
            eid.clone(),
            V2NewAsset::new("V2 Email Copy"),
        ))
        .await
        .expect("clone");
    assert_eq!(cl.value[0].status.as_deref(), Some("draft"));
    let copy_users = client
        .get_email_used_by_v2(&V2UsedByRequest::new(eid.clone()))
        .await
        .expect("email used by");
    assert!(copy_users.value.is_empty());
    client
        .transition_email_state_v2(&V2StateTransitionRequest::new(
            eid.clone(),
            V2StateTransition::Unapprove,
        ))
        .await
        .expect("unapprove");
    client.delete_email_v2(&eid).await.expect("delete email");
    client
        .delete_email_v2(&cl.value[0].id)
        .await
        .expect("delete copy");
    assert_not_found(client.get_email_by_id_v2(&eid).await);
    client
        .transition_email_template_state_v2(&V2StateTransitionRequest::new(
            tid.clone(),
            V2StateTransition::Unapprove,
        ))
        .await
        .expect("unapprove template");
    let tcopy = client
        .clone_email_template_v2(&V2CloneRequest::new(
            tid.clone(),
            V2NewAsset::new("V2 Template Copy"),
        ))
        .await
        .expect("clone template");
    client
        .delete_email_template_v2(&tcopy.value[0].id)
        .await
        .expect("delete copy");
    client
        .delete_email_template_v2(&tid)
        .await
        .expect("delete template");
    assert!(
        emu.asset(AssetKind::EmailTemplate, tid.parse().unwrap())
            .is_none()
    );
    let bad = V2StateTransitionRequest::new("7001", V2StateTransition::from("explode"));
    assert_eq!(
        api_code(client.transition_email_state_v2(&bad).await),
        "1003"
    );
}

#[tokio::test]
async fn fragments() {
    let (emu, client) = setup().await;
    let demo = client
        .get_fragment_by_id("7801")
        .await
        .expect("demo fragment");
    assert_eq!(demo.status.as_deref(), Some("approved"));
    let settings = FragmentSettings::new()
        .fragment_type("email")
        .supported_channels(vec!["email".to_owned()]);
    let f = client
        .create_fragment(&CreateFragmentRequest::new(
            "E2E Fragment",
            V2AppData::new().folder_id("20"),
            settings,
        ))
        .await
        .expect("create");
    let id = f.value[0].id.clone();
    let no_channels = CreateFragmentRequest::new(
        "E2E Fragment 2",
        V2AppData::new().folder_id("20"),
        FragmentSettings::new().fragment_type("email"),
    );
    assert_eq!(api_code(client.create_fragment(&no_channels).await), "701");
    client
        .update_fragment(&id, &UpdateFragmentRequest::new().name("E2E Fragment v2"))
        .await
        .expect("update");
    assert_eq!(
        emu.asset(AssetKind::Fragment, id.parse().unwrap())
            .unwrap()
            .name,
        "E2E Fragment v2"
    );
    let found = client
        .filter_fragments(
            "1",
            FilterFragmentsParams::new()
                .fragment_type("email")
                .page_size(1)
                .page_index(0),
        )
        .await
        .expect("filter");
    assert_eq!(found.value.len(), 1);
    client
        .transition_fragment_state(&V2StateTransitionRequest::new(
            id.clone(),
            V2StateTransition::Approve,
        ))
        .await
        .expect("approve");
    assert_eq!(
        api_code(
            client
                .transition_fragment_state(&V2StateTransitionRequest::new(
                    id.clone(),
                    V2StateTransition::Discard
                ))
                .await
        ),
        "709"
    );
    let copy = client
        .clone_fragment(&V2CloneRequest::new(
            id.clone(),
            V2NewAsset::new("E2E Fragment Copy").description("c"),
        ))
        .await
        .expect("clone");
    let users = client
        .get_fragment_used_by(&V2UsedByRequest::new(id.clone()).page_size(10))
        .await
        .expect("used by");
    assert!(users.value.is_empty());
    // Approved: delete is refused until unapproved.
    assert_eq!(api_code(client.delete_fragment(&id).await), "709");
    client
        .transition_fragment_state(&V2StateTransitionRequest::new(
            id.clone(),
            V2StateTransition::Unapprove,
        ))
        .await
        .expect("unapprove");
    client.delete_fragment(&id).await.expect("delete");
    client
        .delete_fragment(&copy.value[0].id)
        .await
        .expect("delete copy");
    assert_not_found(client.get_fragment_by_id(&id).await);
}
