//! Emails (Asset API v1) end to end: every operation through the generated
//! client, results checked against the emulator's state, documented codes.
//! Demo data (crates/marketo-emulator/README.md, "Emails, email templates,
//! fragments"): template 7501 (approved), 7502 (draft); email 7001
//! (approved, program 1005), 7002 (draft, folder 20), 7003 (predictive).

use marketo_emulator::{AssetKind, AssetStatus};
use marketo_rest::params::{
    GetEmailByNameParams, GetEmailContentParams, GetEmailDynamicContentParams,
    GetEmailFullContentParams, GetEmailsParams,
};
use marketo_rest::types::{
    AddEmailModuleRequest, AssetVersionStatus, CloneEmailRequest, CreateEmailRequest,
    EmailHeaderValue, EmailModulePosition, EmailPreviewType, EmailSectionType, FolderReference,
    FolderType, RearrangeEmailModulesRequest, RenameEmailModuleRequest, SendSampleEmailRequest,
    UpdateEmailContentRequest, UpdateEmailContentSectionRequest, UpdateEmailDynamicContentRequest,
    UpdateEmailMetadataRequest, UpdateEmailVariableRequest,
};

use super::{api_code, assert_not_found, setup};

fn design() -> FolderReference {
    FolderReference::new(20, FolderType::Folder)
}

fn module_order(sections: &[marketo_rest::types::EmailContentSection]) -> Vec<String> {
    let mut m: Vec<(i32, String)> = sections
        .iter()
        .filter(|s| s.content_type.as_deref() == Some("Module"))
        .map(|s| (s.index.unwrap_or(-1), s.html_id.clone()))
        .collect();
    m.sort();
    m.into_iter().map(|(_, id)| id).collect()
}

#[tokio::test]
async fn query_emails_by_id_name_and_browse() {
    let (emu, client) = setup().await;
    let e = client.get_email_by_id(7001).await.expect("by id");
    assert_eq!(e.name, "Demo Welcome Email");
    assert_eq!(e.status.as_deref(), Some("approved"));
    assert_eq!(e.template, Some(7501));
    assert_eq!(e.folder.as_ref().map(|f| f.value), Some(1005));
    assert_eq!(
        e.subject.as_ref().and_then(|s| s.value.clone()).as_deref(),
        Some("Welcome to the demo")
    );
    assert_not_found(client.get_email_by_id(99_999).await);

    let by_name = client
        .get_email_by_name("Demo Draft Email", GetEmailByNameParams::new())
        .await
        .expect("by name");
    assert_eq!(by_name.value[0].id, 7002);
    let in_other_folder = client
        .get_email_by_name(
            "Demo Draft Email",
            GetEmailByNameParams::new().folder(r#"{"id":1005,"type":"Program"}"#),
        )
        .await
        .expect("by name in a folder");
    assert!(in_other_folder.value.is_empty());
    assert!(!in_other_folder.warnings.is_empty());

    let all = client
        .get_emails(GetEmailsParams::new())
        .await
        .expect("browse");
    let stored = [7001, 7002, 7003, 7004]
        .iter()
        .filter(|id| emu.asset(AssetKind::Email, **id).is_some())
        .count();
    assert_eq!(all.value.len(), stored);
    let approved = client
        .get_emails(GetEmailsParams::new().status(AssetVersionStatus::Approved))
        .await
        .expect("approved");
    assert_eq!(
        approved.value.iter().map(|e| e.id).collect::<Vec<_>>(),
        vec![7001]
    );
    let page = client
        .get_emails(GetEmailsParams::new().max_return(1).offset(1))
        .await
        .expect("page");
    assert_eq!(page.value.len(), 1);
    assert_eq!(page.value[0].id, 7002);
    let past = client
        .get_emails(GetEmailsParams::new().offset(100))
        .await
        .expect("past the end");
    assert!(past.value.is_empty());
    let cc = client.get_email_cc_fields().await.expect("cc fields");
    assert!(cc.value.iter().any(|f| f.object_name == "lead"));
}

#[tokio::test]
async fn create_update_approve_clone_and_delete_an_email() {
    let (emu, client) = setup().await;
    let req = CreateEmailRequest::new("E2E Email", design(), 7501)
        .description("made by a test")
        .subject("Hello");
    let created = client.create_email(&req).await.expect("create");
    let id = created.value[0].id;
    let stored = emu.asset(AssetKind::Email, id).expect("stored");
    assert_eq!(stored.name, "E2E Email");
    assert_eq!(stored.status(), AssetStatus::Draft);
    assert_eq!(created.value[0].template, Some(7501));
    // Same name in the same folder: 709; missing folder: 710; unknown template: 702.
    assert_eq!(api_code(client.create_email(&req).await), "709");
    let nowhere = CreateEmailRequest::new(
        "E2E 2",
        FolderReference::new(9999, FolderType::Folder),
        7501,
    );
    assert_eq!(api_code(client.create_email(&nowhere).await), "710");
    let landing =
        CreateEmailRequest::new("E2E 3", FolderReference::new(21, FolderType::Folder), 7501);
    assert_eq!(api_code(client.create_email(&landing).await), "711");
    let no_tpl = CreateEmailRequest::new("E2E 4", design(), 9999);
    assert_eq!(api_code(client.create_email(&no_tpl).await), "702");

    let upd = client
        .update_email_metadata(id, &UpdateEmailMetadataRequest::new().name("E2E Renamed"))
        .await
        .expect("update");
    assert_eq!(upd.value[0].name, "E2E Renamed");
    assert_eq!(emu.asset(AssetKind::Email, id).unwrap().name, "E2E Renamed");

    // Approve, then an edit makes a draft, which discard drops.
    client.approve_email_draft(id).await.expect("approve");
    assert_eq!(
        emu.asset(AssetKind::Email, id).unwrap().status(),
        AssetStatus::Approved
    );
    assert_eq!(api_code(client.approve_email_draft(id).await), "709");
    assert_eq!(api_code(client.delete_email(id).await), "709");
    let section = UpdateEmailContentSectionRequest::new(EmailSectionType::Text, "<p>New</p>");
    client
        .update_email_content_section(id, "headline", &section)
        .await
        .expect("edit");
    assert_eq!(
        emu.asset(AssetKind::Email, id).unwrap().status(),
        AssetStatus::ApprovedWithDraft
    );
    client.discard_email_draft(id).await.expect("discard");
    assert_eq!(api_code(client.discard_email_draft(id).await), "709");

    // Clone into the program; the clone is a draft.
    let clone = client
        .clone_email(
            id,
            &CloneEmailRequest::new("E2E Clone", FolderReference::new(1005, FolderType::Program)),
        )
        .await
        .expect("clone");
    let clone_id = clone.value[0].id;
    assert_eq!(clone.value[0].status.as_deref(), Some("draft"));
    assert_eq!(
        emu.asset(AssetKind::Email, clone_id).unwrap().folder.id,
        1005
    );

    client.unapprove_email(id).await.expect("unapprove");
    assert_eq!(api_code(client.unapprove_email(id).await), "709");
    client.delete_email(id).await.expect("delete");
    assert!(emu.asset(AssetKind::Email, id).is_none());
    assert_eq!(api_code(client.delete_email(id).await), "702");
}

#[tokio::test]
async fn approval_needs_headers_an_approved_template_and_no_predictive_content() {
    let (_emu, client) = setup().await;
    // An email on the draft template 7502 cannot be approved.
    let e = client
        .create_email(&CreateEmailRequest::new("On draft template", design(), 7502).subject("S"))
        .await
        .expect("create")
        .value[0]
        .id;
    assert_eq!(api_code(client.approve_email_draft(e).await), "709");
    // Without a subject: 709.
    let e2 = client
        .create_email(&CreateEmailRequest::new("No subject", design(), 7501))
        .await
        .expect("create")
        .value[0]
        .id;
    assert_eq!(api_code(client.approve_email_draft(e2).await), "709");
    let headers = UpdateEmailContentRequest::new()
        .subject(EmailHeaderValue::new("Text").value("Now set"))
        .reply_to(EmailHeaderValue::new("Text").value("r@example.com"))
        .is_open_tracking_disabled(true);
    client
        .update_email_content(e2, &headers)
        .await
        .expect("headers");
    let got = client.get_email_by_id(e2).await.expect("get");
    assert_eq!(
        got.subject
            .as_ref()
            .and_then(|s| s.value.clone())
            .as_deref(),
        Some("Now set")
    );
    assert_eq!(got.is_open_tracking_disabled, Some(true));
    client.approve_email_draft(e2).await.expect("approve");
    // Predictive content: 709 on content, section update and approval.
    assert_eq!(
        api_code(
            client
                .get_email_content(7003, GetEmailContentParams::new())
                .await
        ),
        "709"
    );
    let section = UpdateEmailContentSectionRequest::new(EmailSectionType::Text, "x");
    assert_eq!(
        api_code(
            client
                .update_email_content_section(7003, "headline", &section)
                .await
        ),
        "709"
    );
    assert_eq!(api_code(client.approve_email_draft(7003).await), "709");
    let bad = UpdateEmailContentRequest::new().subject(EmailHeaderValue::new("Bogus").value("x"));
    assert_eq!(
        api_code(client.update_email_content(e2, &bad).await),
        "1003"
    );
}

#[tokio::test]
async fn content_sections_modules_and_variables() {
    let (emu, client) = setup().await;
    let id = 7002;
    let content = client
        .get_email_content(id, GetEmailContentParams::new())
        .await
        .expect("content");
    assert_eq!(module_order(&content.value), ["header", "body", "footer"]);
    let section =
        UpdateEmailContentSectionRequest::new(EmailSectionType::Text, "<b>Hi</b>").text_value("Hi");
    client
        .update_email_content_section(id, "bodyText", &section)
        .await
        .expect("section");
    let content = client
        .get_email_content(
            id,
            GetEmailContentParams::new().status(AssetVersionStatus::Draft),
        )
        .await
        .expect("content");
    let body = content
        .value
        .iter()
        .find(|s| s.html_id == "bodyText")
        .unwrap();
    assert_eq!(body.value.as_ref().unwrap()[0]["value"], "<b>Hi</b>");
    assert_eq!(
        api_code(
            client
                .update_email_content_section(id, "nope", &section)
                .await
        ),
        "702"
    );

    // Modules: add, duplicate, rename, rearrange, delete.
    client
        .add_email_module(id, "footer", &AddEmailModuleRequest::new(0))
        .await
        .expect("add");
    assert_eq!(
        api_code(
            client
                .add_email_module(id, "unknown", &AddEmailModuleRequest::new(0))
                .await
        ),
        "702"
    );
    let order = module_order(
        &client
            .get_email_content(id, GetEmailContentParams::new())
            .await
            .unwrap()
            .value,
    );
    assert_eq!(order, ["footer1", "header", "body", "footer"]);
    client
        .duplicate_email_module(id, "header")
        .await
        .expect("duplicate");
    client
        .rename_email_module(id, "footer1", &RenameEmailModuleRequest::new("topFooter"))
        .await
        .expect("rename");
    assert_eq!(
        api_code(
            client
                .rename_email_module(id, "header", &RenameEmailModuleRequest::new("body"))
                .await
        ),
        "709"
    );
    let order = module_order(
        &client
            .get_email_content(id, GetEmailContentParams::new())
            .await
            .unwrap()
            .value,
    );
    assert_eq!(order, ["topFooter", "header", "header1", "body", "footer"]);
    client
        .delete_module(id, "header1")
        .await
        .expect("delete module");
    assert_eq!(api_code(client.delete_module(id, "header1").await), "702");
    let positions: Vec<EmailModulePosition> = ["header", "body", "footer", "topFooter"]
        .iter()
        .enumerate()
        .map(|(i, m)| EmailModulePosition::new(i as i32, *m))
        .collect();
    client
        .rearrange_email_modules(id, &RearrangeEmailModulesRequest::new(positions.clone()))
        .await
        .expect("rearrange");
    let order = module_order(
        &client
            .get_email_content(id, GetEmailContentParams::new())
            .await
            .unwrap()
            .value,
    );
    assert_eq!(order, ["header", "body", "footer", "topFooter"]);
    assert_eq!(
        api_code(
            client
                .rearrange_email_modules(
                    id,
                    &RearrangeEmailModulesRequest::new(positions[..2].to_vec())
                )
                .await
        ),
        "1003"
    );

    // Variables.
    let vars = client.get_email_variables(id).await.expect("variables");
    assert!(
        vars.value
            .iter()
            .any(|v| v.name == "ctaLinkText" && v.value.as_deref() == Some("CALL TO ACTION"))
    );
    let set = client
        .update_email_variable(id, "spacerHeight", &UpdateEmailVariableRequest::new("40"))
        .await
        .expect("set variable");
    assert_eq!(set.value[0].value.as_deref(), Some("40"));
    let local = client
        .update_email_variable(
            id,
            "ctaLinkText",
            &UpdateEmailVariableRequest::new("Click").module_id("body"),
        )
        .await
        .expect("set local variable");
    assert_eq!(local.value[0].module_scope, Some(true));
    assert_eq!(local.value[0].module_id.as_deref(), Some("body"));
    assert_eq!(
        api_code(
            client
                .update_email_variable(id, "nope", &UpdateEmailVariableRequest::new("1"))
                .await
        ),
        "702"
    );
    let stored = emu.asset(AssetKind::Email, id).unwrap();
    assert!(
        stored.content["variables"]
            .as_array()
            .unwrap()
            .iter()
            .any(|v| v["name"] == "spacerHeight" && v["value"] == "40")
    );
}

#[tokio::test]
async fn dynamic_content_preview_and_send_sample() {
    let (emu, client) = setup().await;
    let id = 7002;
    // A segmentation of the shared asset model, if the demo data has one.
    let seg = (11001..11010).find(|s| emu.asset(AssetKind::Segmentation, *s).is_some());
    let dyn_req = UpdateEmailContentSectionRequest::new(EmailSectionType::DynamicContent, "987654");
    assert_eq!(
        api_code(
            client
                .update_email_content_section(id, "headline", &dyn_req)
                .await
        ),
        "702"
    );
    if let Some(seg) = seg {
        let req = UpdateEmailContentSectionRequest::new(
            EmailSectionType::DynamicContent,
            seg.to_string(),
        );
        client
            .update_email_content_section(id, "headline", &req)
            .await
            .expect("dynamic section");
        let content = client
            .get_email_content(id, GetEmailContentParams::new())
            .await
            .unwrap();
        let s = content
            .value
            .iter()
            .find(|s| s.html_id == "headline")
            .unwrap();
        assert_eq!(s.content_type.as_deref(), Some("DynamicContent"));
        let dc_id = s
            .value
            .as_ref()
            .and_then(|v| v.as_str())
            .unwrap()
            .to_owned();
        client
            .update_email_dynamic_content_section(
                id,
                &dc_id,
                &UpdateEmailDynamicContentRequest::new("Default", "<p>Hello all</p>", "HTML"),
            )
            .await
            .expect("segment content");
        let dc = client
            .get_email_dynamic_content(id, &dc_id, GetEmailDynamicContentParams::new())
            .await
            .expect("dynamic content");
        assert_eq!(dc.value[0].segmentation, Some(seg));
        assert!(
            dc.value[0]
                .content
                .as_ref()
                .unwrap()
                .iter()
                .any(|c| c.content.as_deref() == Some("<p>Hello all</p>"))
        );
        assert_eq!(
            api_code(
                client
                    .update_email_dynamic_content_section(
                        id,
                        &dc_id,
                        &UpdateEmailDynamicContentRequest::new("No such segment", "x", "HTML"),
                    )
                    .await
            ),
            "1003"
        );
    }
    assert_eq!(
        api_code(
            client
                .get_email_dynamic_content(id, "missing-dc", GetEmailDynamicContentParams::new())
                .await
        ),
        "702"
    );

    // Preview: HTML of the approved version, text on demand.
    let html = client
        .get_email_full_content(7001, GetEmailFullContentParams::new())
        .await
        .expect("preview");
    assert_eq!(html.value[0].status.as_deref(), Some("approved"));
    assert!(
        html.value[0]
            .content
            .as_deref()
            .unwrap()
            .contains("<h1>Welcome</h1>")
    );
    let text = client
        .get_email_full_content(
            7001,
            GetEmailFullContentParams::new().type_(EmailPreviewType::Text),
        )
        .await
        .expect("text preview");
    assert!(
        text.value[0]
            .content
            .as_deref()
            .unwrap()
            .contains("Welcome")
    );
    assert!(!text.value[0].content.as_deref().unwrap().contains("<h1>"));
    assert_eq!(
        api_code(
            client
                .get_email_full_content(7001, GetEmailFullContentParams::new().lead_id(987_654))
                .await
        ),
        "1013"
    );

    // Send sample.
    client
        .send_sample_email(
            7001,
            &SendSampleEmailRequest::new("abe@example.com").text_only(true),
        )
        .await
        .expect("send sample");
    let samples = emu.email_samples();
    assert_eq!(samples.len(), 1);
    assert_eq!(samples[0].email_address, "abe@example.com");
    assert!(samples[0].text_only);
    assert_eq!(
        api_code(
            client
                .send_sample_email(7001, &SendSampleEmailRequest::new("not-an-address"))
                .await
        ),
        "1003"
    );
    assert_eq!(
        api_code(
            client
                .send_sample_email(99_999, &SendSampleEmailRequest::new("a@example.com"))
                .await
        ),
        "702"
    );
}

/// `earliestUpdatedAt` / `latestUpdatedAt`: the demo emails were last
/// updated on 2024-01-15, an email created now later.
#[tokio::test]
async fn browse_filters_emails_by_update_time() {
    use time::macros::datetime;
    let (_emu, client) = setup().await;
    let req = CreateEmailRequest::new("E2E Fresh Email", design(), 7501);
    let fresh = client.create_email(&req).await.expect("create").value[0].id;
    let ids = |params: GetEmailsParams| {
        let client = client.clone();
        async move {
            let page = client.get_emails(params).await.expect("browse");
            page.value.iter().map(|e| e.id).collect::<Vec<_>>()
        }
    };
    let day_after = datetime!(2024-01-16 00:00 UTC);
    assert_eq!(
        ids(GetEmailsParams::new().earliest_updated_at(day_after)).await,
        vec![fresh]
    );
    let until = ids(GetEmailsParams::new().latest_updated_at(day_after)).await;
    assert_eq!(until, vec![7001, 7002, 7003, 7004]);
    let paged = GetEmailsParams::new()
        .latest_updated_at(day_after)
        .offset(3)
        .max_return(5);
    assert_eq!(ids(paged).await, vec![7004]);
    let day_before = datetime!(2024-01-14 00:00 UTC);
    assert!(
        ids(GetEmailsParams::new().latest_updated_at(day_before))
            .await
            .is_empty()
    );
}
