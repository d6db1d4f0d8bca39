//! Landing page templates: metadata, content and lifecycle.

use marketo_emulator::AssetKind;
use marketo_rest::params::{
    GetLandingPageTemplateByIdParams, GetLandingPageTemplateByNameParams,
    GetLandingPageTemplateContentParams, GetLandingPageTemplatesParams,
};
use marketo_rest::types::{
    CloneLandingPageTemplateRequest, CreateLandingPageTemplateRequest, PageAssetStatusFilter,
    PageAssetVersion, UpdateLandingPageTemplateContentRequest, UpdateLandingPageTemplateRequest,
};

use super::{DRAFT_TPL, FREE_TPL, GUIDED_LP, GUIDED_TPL, LP_FOLDER, asset, exists, folder};
use crate::{api_code, assert_not_found, setup};

const K: AssetKind = AssetKind::LandingPageTemplate;

#[tokio::test]
async fn templates_are_browsed_found_and_read() {
    let (_emu, client) = setup().await;
    let all = client
        .get_landing_page_templates(GetLandingPageTemplatesParams::new().max_return(200))
        .await
        .expect("browse");
    let ids: Vec<i32> = all.iter().map(|t| t.id).collect();
    assert!(ids.contains(&GUIDED_TPL) && ids.contains(&DRAFT_TPL));
    let drafts = client
        .get_landing_page_templates(
            GetLandingPageTemplatesParams::new().status(PageAssetStatusFilter::Draft),
        )
        .await
        .expect("browse drafts");
    assert!(drafts.iter().all(|t| t.id != GUIDED_TPL));
    assert!(drafts.iter().any(|t| t.id == DRAFT_TPL));

    let t = client
        .get_landing_page_template_by_id(GUIDED_TPL, GetLandingPageTemplateByIdParams::new())
        .await
        .expect("by id");
    assert_eq!(t.name, "Demo Guided Template");
    assert_eq!(t.template_type.as_deref(), Some("guided"));
    assert_not_found(
        client
            .get_landing_page_template_by_id(1, GetLandingPageTemplateByIdParams::new())
            .await,
    );
    let by_name = client
        .get_landing_page_template_by_name(
            "Demo Free-form Template",
            GetLandingPageTemplateByNameParams::new(),
        )
        .await
        .expect("by name");
    assert_eq!(by_name[0].id, FREE_TPL);
    let none = client
        .get_landing_page_template_by_name("no such", GetLandingPageTemplateByNameParams::new())
        .await
        .expect("no match is a success");
    assert!(none.is_empty() && !none.warnings.is_empty());

    let c = client
        .get_landing_page_template_content(
            GUIDED_TPL,
            GetLandingPageTemplateContentParams::new().status(PageAssetVersion::Approved),
        )
        .await
        .expect("content");
    assert!(c[0].content.contains("mktoText"));
}

#[tokio::test]
async fn template_lifecycle_create_content_approve_clone_delete() {
    let (emu, client) = setup().await;
    let created = client
        .create_landing_page_template(
            &CreateLandingPageTemplateRequest::new("F Template", folder(LP_FOLDER))
                .description("made by the test")
                .template_type("guided"),
        )
        .await
        .expect("create");
    let id = created[0].id;
    assert_eq!(created[0].status.as_deref(), Some("draft"));
    assert_eq!(asset(&emu, K, id).name, "F Template");
    // Same name again (names are unique in the instance): 709.
    assert_eq!(
        api_code(
            client
                .create_landing_page_template(&CreateLandingPageTemplateRequest::new(
                    "F Template",
                    folder(LP_FOLDER)
                ))
                .await
        ),
        "709"
    );
    // Unknown folder: 710.
    assert_eq!(
        api_code(
            client
                .create_landing_page_template(&CreateLandingPageTemplateRequest::new(
                    "F Elsewhere",
                    folder(99_999)
                ))
                .await
        ),
        "710"
    );
    // Empty HTML cannot be approved; a guided template needs an editable element.
    assert_eq!(
        api_code(client.approve_landing_page_template_draft(id).await),
        "709"
    );
    client
        .update_landing_page_template_content(
            id,
            &UpdateLandingPageTemplateContentRequest::new("<html><body>plain</body></html>"),
        )
        .await
        .expect("content");
    assert_eq!(
        api_code(client.approve_landing_page_template_draft(id).await),
        "709"
    );
    let html = "<html><body><div class=\"mktoText\" id=\"main\">x</div></body></html>";
    client
        .update_landing_page_template_content(
            id,
            &UpdateLandingPageTemplateContentRequest::new(html),
        )
        .await
        .expect("content");
    client
        .approve_landing_page_template_draft(id)
        .await
        .expect("approve");
    assert!(asset(&emu, K, id).approved.is_some());
    let upd = client
        .update_landing_page_template_metadata(
            id,
            &UpdateLandingPageTemplateRequest::new()
                .description("changed")
                .enable_munchkin(true),
        )
        .await
        .expect("update");
    assert_eq!(upd[0].enable_munchkin, Some(true));
    assert!(
        asset(&emu, K, id).has_draft,
        "editing an approved template makes a draft"
    );
    client
        .discard_landing_page_template_draft(id)
        .await
        .expect("discard");
    assert!(!asset(&emu, K, id).has_draft);
    assert_eq!(
        api_code(client.discard_landing_page_template_draft(id).await),
        "709"
    );
    // Approved templates cannot be deleted.
    assert_eq!(
        api_code(client.delete_landing_page_template(id).await),
        "709"
    );
    let copy = client
        .clone_landing_page_template(
            id,
            &CloneLandingPageTemplateRequest::new("F Template Copy", folder(LP_FOLDER)),
        )
        .await
        .expect("clone");
    let copy_id = copy[0].id;
    assert_eq!(copy[0].status.as_deref(), Some("draft"));
    assert_eq!(
        asset(&emu, K, copy_id).content["html"].as_str(),
        Some(html),
        "a clone copies the HTML"
    );
    client
        .unapprove_landing_page_template(id)
        .await
        .expect("unapprove");
    assert_eq!(
        api_code(client.unapprove_landing_page_template(id).await),
        "709"
    );
    client
        .delete_landing_page_template(id)
        .await
        .expect("delete");
    assert!(!exists(&emu, K, id));
    client
        .delete_landing_page_template(copy_id)
        .await
        .expect("delete copy");
}

#[tokio::test]
async fn a_template_in_use_cannot_be_unapproved() {
    let (_emu, client) = setup().await;
    // The demo guided page uses the guided template.
    let _ = GUIDED_LP;
    assert_eq!(
        api_code(client.unapprove_landing_page_template(GUIDED_TPL).await),
        "709"
    );
    assert_eq!(
        api_code(client.delete_landing_page_template(FREE_TPL).await),
        "709"
    );
    assert_eq!(
        api_code(client.delete_landing_page_template(123).await),
        "702"
    );
}
