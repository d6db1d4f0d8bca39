//! Landing pages, their content sections, dynamic content, variables and
//! preview; redirect rules and domains.

use marketo_emulator::AssetKind;
use marketo_rest::params::{
    GetLandingPageByIdParams, GetLandingPageByNameParams, GetLandingPageContentParams,
    GetLandingPageDomainsParams, GetLandingPageDynamicContentParams,
    GetLandingPageRedirectRulesParams, GetLandingPageVariablesParams, GetLandingPagesParams,
    PreviewLandingPageParams,
};
use marketo_rest::types::{
    AddLandingPageContentRequest, CloneLandingPageRequest, CreateLandingPageRedirectRuleRequest,
    CreateLandingPageRequest, LandingPageContentType, LandingPageRedirectEnd,
    PageAssetStatusFilter, PageAssetVersion, UpdateLandingPageContentRequest,
    UpdateLandingPageDynamicContentRequest, UpdateLandingPageRedirectRuleRequest,
    UpdateLandingPageRequest,
};
use serde_json::json;

use super::{
    CONTACT_FORM, DRAFT_TPL, FREE_LP, FREE_TPL, GUIDED_LP, GUIDED_TPL, LP_FOLDER, asset, exists,
    folder,
};
use crate::{api_code, assert_not_found, setup};

const K: AssetKind = AssetKind::LandingPage;
/// The demo segmentation for dynamic content.
const SEGMENTATION: i32 = 11051;

#[tokio::test]
async fn pages_are_browsed_and_found() {
    let (_emu, client) = setup().await;
    let all = client
        .get_landing_pages(GetLandingPagesParams::new())
        .await
        .expect("browse");
    assert!(all.iter().any(|p| p.id == GUIDED_LP) && all.iter().any(|p| p.id == FREE_LP));
    let approved = client
        .get_landing_pages(GetLandingPagesParams::new().status(PageAssetStatusFilter::Approved))
        .await
        .expect("browse approved");
    assert!(approved.iter().all(|p| p.id != FREE_LP));
    let past = client
        .get_landing_pages(GetLandingPagesParams::new().offset(500))
        .await
        .expect("past the end");
    assert!(past.is_empty() && !past.warnings.is_empty());
    let p = client
        .get_landing_page_by_id(GUIDED_LP, GetLandingPageByIdParams::new())
        .await
        .expect("by id");
    assert_eq!(p.template, Some(GUIDED_TPL));
    assert!(p.url.as_deref().is_some_and(|u| u.ends_with(".html")));
    assert_not_found(
        client
            .get_landing_page_by_id(1, GetLandingPageByIdParams::new())
            .await,
    );
    // The free-form page has no approved version.
    assert_not_found(
        client
            .get_landing_page_by_id(
                FREE_LP,
                GetLandingPageByIdParams::new().status(PageAssetVersion::Approved),
            )
            .await,
    );
    let by_name = client
        .get_landing_page_by_name("Demo Free-form Page", GetLandingPageByNameParams::new())
        .await
        .expect("by name");
    assert_eq!(by_name[0].id, FREE_LP);
}

#[tokio::test]
async fn page_lifecycle_follows_its_template() {
    let (emu, client) = setup().await;
    // Template of a draft: the page cannot be approved until it is.
    let p = client
        .create_landing_pages(
            &CreateLandingPageRequest::new("F Page", folder(LP_FOLDER), DRAFT_TPL)
                .title("Title")
                .keywords("k")
                .form_prefill(true),
        )
        .await
        .expect("create");
    let id = p[0].id;
    assert_eq!(p[0].status.as_deref(), Some("draft"));
    assert_eq!(p[0].form_prefill, Some(true));
    assert_eq!(asset(&emu, K, id).meta["title"], "Title");
    assert_eq!(api_code(client.approve_landing_page_draft(id).await), "709");
    // Missing template: 701; unknown template: 702; name taken in the folder: 709.
    assert_eq!(
        api_code(
            client
                .create_landing_pages(&CreateLandingPageRequest::new(
                    "F Page",
                    folder(LP_FOLDER),
                    FREE_TPL
                ))
                .await
        ),
        "709"
    );
    assert_eq!(
        api_code(
            client
                .create_landing_pages(&CreateLandingPageRequest::new(
                    "F Other",
                    folder(LP_FOLDER),
                    4
                ))
                .await
        ),
        "702"
    );
    let upd = client
        .update_landing_page_metadata(
            id,
            &UpdateLandingPageRequest::new()
                .description("d")
                .mobile_enabled(true)
                .url_page_name("f-page"),
        )
        .await
        .expect("update");
    assert_eq!(upd[0].mobile_enabled, Some(true));
    assert!(
        upd[0]
            .url
            .as_deref()
            .is_some_and(|u| u.ends_with("/f-page.html"))
    );

    // A page on an approved template goes through the whole cycle.
    let q = client
        .create_landing_pages(&CreateLandingPageRequest::new(
            "F Page 2",
            folder(LP_FOLDER),
            FREE_TPL,
        ))
        .await
        .expect("create");
    let qid = q[0].id;
    client
        .approve_landing_page_draft(qid)
        .await
        .expect("approve");
    assert!(asset(&emu, K, qid).approved.is_some());
    assert_eq!(
        api_code(client.approve_landing_page_draft(qid).await),
        "709"
    );
    assert_eq!(api_code(client.delete_landing_page(qid).await), "709");
    client
        .update_landing_page_metadata(qid, &UpdateLandingPageRequest::new().title("new"))
        .await
        .expect("update");
    assert!(asset(&emu, K, qid).has_draft);
    client
        .discard_landing_page_draft(qid)
        .await
        .expect("discard");
    assert!(!asset(&emu, K, qid).has_draft);
    let copy = client
        .clone_landing_page(
            qid,
            &CloneLandingPageRequest::new("F Page 2 Copy", folder(LP_FOLDER)).template(FREE_TPL),
        )
        .await
        .expect("clone");
    assert_eq!(copy[0].template, Some(FREE_TPL));
    assert_eq!(
        api_code(
            client
                .clone_landing_page(
                    qid,
                    &CloneLandingPageRequest::new("F Bad", folder(LP_FOLDER)).template(GUIDED_TPL),
                )
                .await
        ),
        "709"
    );
    client.unapprove_landing_page(qid).await.expect("unapprove");
    assert_eq!(api_code(client.unapprove_landing_page(qid).await), "709");
    client.delete_landing_page(qid).await.expect("delete");
    assert!(!exists(&emu, K, qid));
    assert_eq!(api_code(client.delete_landing_page(qid).await), "702");
}

#[tokio::test]
async fn content_sections_and_dynamic_content() {
    let (emu, client) = setup().await;
    let sections = client
        .get_landing_page_content(FREE_LP, GetLandingPageContentParams::new())
        .await
        .expect("content");
    assert_eq!(sections.len(), 1);
    let added = client
        .add_landing_page_content_section(
            FREE_LP,
            &AddLandingPageContentRequest::new(LandingPageContentType::Form)
                .value(CONTACT_FORM.to_string())
                .z_index(3)
                .left("5px"),
        )
        .await
        .expect("add form");
    let form_section = added[0].id.clone();
    let lp = asset(&emu, K, FREE_LP);
    assert!(
        lp.refs
            .iter()
            .any(|r| r.kind == AssetKind::Form && r.id == CONTACT_FORM),
        "the page now uses the form"
    );
    // Unknown form: 702; bad type: 1003; rich text with a script: 1003; duplicate id: 709.
    assert_eq!(
        api_code(
            client
                .add_landing_page_content_section(
                    FREE_LP,
                    &AddLandingPageContentRequest::new(LandingPageContentType::Form).value("77"),
                )
                .await
        ),
        "702"
    );
    assert_eq!(
        api_code(
            client
                .add_landing_page_content_section(
                    FREE_LP,
                    &AddLandingPageContentRequest::new(LandingPageContentType::Unknown(
                        "Banner".into()
                    ))
                    .value("x"),
                )
                .await
        ),
        "1003"
    );
    assert_eq!(
        api_code(
            client
                .add_landing_page_content_section(
                    FREE_LP,
                    &AddLandingPageContentRequest::new(LandingPageContentType::RichText)
                        .value("<script>x</script>"),
                )
                .await
        ),
        "1003"
    );
    assert_eq!(
        api_code(
            client
                .add_landing_page_content_section(
                    FREE_LP,
                    &AddLandingPageContentRequest::new(LandingPageContentType::Html)
                        .value("<p>x</p>")
                        .content_id("1001"),
                )
                .await
        ),
        "709"
    );
    client
        .update_landing_page_content_section(
            FREE_LP,
            "1001",
            &UpdateLandingPageContentRequest::new(LandingPageContentType::Html)
                .value("<p>Changed</p>"),
        )
        .await
        .expect("update");
    let now = client
        .get_landing_page_content(FREE_LP, GetLandingPageContentParams::new())
        .await
        .expect("content");
    assert_eq!(now.len(), 2);
    assert_eq!(now[0].content, Some(json!("<p>Changed</p>")));
    // Make the HTML section dynamic: one segment per segment, Default included.
    client
        .update_landing_page_content_section(
            FREE_LP,
            "1001",
            &UpdateLandingPageContentRequest::new(LandingPageContentType::DynamicContent)
                .value(SEGMENTATION.to_string()),
        )
        .await
        .expect("dynamic");
    let sections = client
        .get_landing_page_content(FREE_LP, GetLandingPageContentParams::new())
        .await
        .expect("content");
    let dc = sections[0].content.as_ref().expect("content")["content"]
        .as_str()
        .expect("dynamic content id")
        .to_owned();
    let d = client
        .get_landing_page_dynamic_content(FREE_LP, &dc, GetLandingPageDynamicContentParams::new())
        .await
        .expect("dynamic content");
    assert_eq!(d[0].segmentation, SEGMENTATION);
    let names: Vec<&str> = d[0]
        .segments
        .iter()
        .map(|s| s.segment_name.as_str())
        .collect();
    assert_eq!(names, ["Default", "Customers", "Prospects"]);
    assert_eq!(d[0].segments[1].content, Some(json!("<p>Changed</p>")));
    client
        .update_landing_page_dynamic_content_section(
            FREE_LP,
            &dc,
            &UpdateLandingPageDynamicContentRequest::new("Customers", "<p>Hello customer</p>")
                .type_("HTML"),
        )
        .await
        .expect("segment");
    let d = client
        .get_landing_page_dynamic_content(FREE_LP, &dc, GetLandingPageDynamicContentParams::new())
        .await
        .expect("dynamic content");
    assert_eq!(
        d[0].segments[1].content,
        Some(json!("<p>Hello customer</p>"))
    );
    assert_eq!(
        api_code(
            client
                .update_landing_page_dynamic_content_section(
                    FREE_LP,
                    &dc,
                    &UpdateLandingPageDynamicContentRequest::new("Nobody", "x"),
                )
                .await
        ),
        "702"
    );
    assert_eq!(
        api_code(
            client
                .get_landing_page_dynamic_content(
                    FREE_LP,
                    "nope",
                    GetLandingPageDynamicContentParams::new()
                )
                .await
        ),
        "702"
    );
    // The preview shows the segment asked for.
    let html = client
        .preview_landing_page(
            FREE_LP,
            PreviewLandingPageParams::new()
                .segmentation(r#"[{"segmentationId":11051,"segmentId":1101}]"#),
        )
        .await
        .expect("preview");
    assert!(html[0].content.contains("Hello customer"));
    client
        .delete_landing_page_content_section(FREE_LP, &form_section)
        .await
        .expect("delete section");
    assert!(
        !asset(&emu, K, FREE_LP)
            .refs
            .iter()
            .any(|r| r.kind == AssetKind::Form)
    );
    assert_eq!(
        api_code(
            client
                .delete_landing_page_content_section(FREE_LP, &form_section)
                .await
        ),
        "702"
    );
}

#[tokio::test]
async fn variables_and_preview_of_a_guided_page() {
    let (emu, client) = setup().await;
    let vars = client
        .get_landing_page_variables(GUIDED_LP, GetLandingPageVariablesParams::new())
        .await
        .expect("variables");
    let ids: Vec<&str> = vars.iter().map(|v| v.id.as_str()).collect();
    assert_eq!(ids, ["stringVar", "colorVar", "boolVar"]);
    let set = client
        .update_landing_page_variables(GUIDED_LP, "stringVar", "Hello Brave New World!")
        .await
        .expect("set variable");
    assert_eq!(set[0].value.as_deref(), Some("Hello Brave New World!"));
    assert!(asset(&emu, K, GUIDED_LP).has_draft, "the change is a draft");
    assert_eq!(
        api_code(
            client
                .update_landing_page_variables(GUIDED_LP, "nope", "x")
                .await
        ),
        "702"
    );
    // The preview renders the approved version: still the template default.
    let html = client
        .preview_landing_page(GUIDED_LP, PreviewLandingPageParams::new())
        .await
        .expect("preview");
    assert!(html[0].content.contains("Hello World!"));
    assert!(html[0].content.contains("mktoForm_9001"));
    client
        .approve_landing_page_draft(GUIDED_LP)
        .await
        .expect("approve");
    let html = client
        .preview_landing_page(GUIDED_LP, PreviewLandingPageParams::new())
        .await
        .expect("preview");
    assert!(html[0].content.contains("Hello Brave New World!"));
    assert_eq!(
        api_code(
            client
                .preview_landing_page(GUIDED_LP, PreviewLandingPageParams::new().lead_id(999_999))
                .await
        ),
        "702"
    );
    // The page uses the contact form, and a redirect rule names the page.
    assert_eq!(
        api_code(client.unapprove_landing_page(GUIDED_LP).await),
        "709"
    );
    let content = client
        .get_landing_page_content(
            GUIDED_LP,
            GetLandingPageContentParams::new().status(PageAssetVersion::Approved),
        )
        .await
        .expect("content");
    assert!(content.iter().any(|s| s.type_ == "Form"));
}

#[tokio::test]
async fn redirect_rules_and_domains() {
    let (emu, client) = setup().await;
    let domains = client
        .get_landing_page_domains(GetLandingPageDomainsParams::new())
        .await
        .expect("domains");
    assert_eq!(domains[0].hostname, "lp.example.com");
    let rule = client
        .create_landing_page_redirect_rules(&CreateLandingPageRedirectRuleRequest::new(
            "go.example.com",
            LandingPageRedirectEnd::new("landingPageId", json!(FREE_LP.to_string())),
            LandingPageRedirectEnd::new("url", json!("www.example.net")),
        ))
        .await
        .expect("create");
    let id = rule[0].id;
    assert_eq!(
        rule[0].redirect_from.as_ref().map(|e| e.value.clone()),
        Some(json!(FREE_LP))
    );
    assert!(exists(&emu, AssetKind::RedirectRule, id));
    // The page is now in use: it cannot be deleted.
    assert_eq!(api_code(client.delete_landing_page(FREE_LP).await), "709");
    // Same source again: 709; unknown hostname: 709; bad type: 1003; unknown page: 702.
    let again = CreateLandingPageRedirectRuleRequest::new(
        "go.example.com",
        LandingPageRedirectEnd::new("landingPageId", json!(FREE_LP)),
        LandingPageRedirectEnd::new("url", json!("x")),
    );
    assert_eq!(
        api_code(client.create_landing_page_redirect_rules(&again).await),
        "709"
    );
    let stranger = CreateLandingPageRedirectRuleRequest::new(
        "evil.example",
        LandingPageRedirectEnd::new("path", json!("/a")),
        LandingPageRedirectEnd::new("url", json!("x")),
    );
    assert_eq!(
        api_code(client.create_landing_page_redirect_rules(&stranger).await),
        "709"
    );
    let bad = CreateLandingPageRedirectRuleRequest::new(
        "go.example.com",
        LandingPageRedirectEnd::new("url", json!("/a")),
        LandingPageRedirectEnd::new("url", json!("x")),
    );
    assert_eq!(
        api_code(client.create_landing_page_redirect_rules(&bad).await),
        "1003"
    );
    let ghost = CreateLandingPageRedirectRuleRequest::new(
        "go.example.com",
        LandingPageRedirectEnd::new("path", json!("/b")),
        LandingPageRedirectEnd::new("landingPageId", json!(4)),
    );
    assert_eq!(
        api_code(client.create_landing_page_redirect_rules(&ghost).await),
        "702"
    );

    let got = client
        .get_landing_page_redirect_rule_by_id(id)
        .await
        .expect("by id");
    assert_eq!(got.redirect_to_url.as_deref(), Some("www.example.net"));
    assert_not_found(client.get_landing_page_redirect_rule_by_id(1).await);
    let upd = client
        .update_landing_page_redirect_rule(
            id,
            &UpdateLandingPageRedirectRuleRequest::new().redirect_to(LandingPageRedirectEnd::new(
                "landingPageId",
                json!(GUIDED_LP),
            )),
        )
        .await
        .expect("update");
    assert!(
        upd[0]
            .redirect_to_url
            .as_deref()
            .is_some_and(|u| u.starts_with("https://go.example.com/"))
    );
    let to_guided = client
        .get_landing_page_redirect_rules(
            GetLandingPageRedirectRulesParams::new().redirect_to_landing_page_id(GUIDED_LP),
        )
        .await
        .expect("browse");
    assert_eq!(to_guided.len(), 2, "the demo rule and this one");
    let on_go = client
        .get_landing_page_redirect_rules(
            GetLandingPageRedirectRulesParams::new().hostname("go.example.com"),
        )
        .await
        .expect("browse");
    assert_eq!(on_go.len(), 1);
    client
        .delete_landing_page_redirect_rule(id)
        .await
        .expect("delete");
    assert!(!exists(&emu, AssetKind::RedirectRule, id));
    assert_eq!(
        api_code(client.delete_landing_page_redirect_rule(id).await),
        "702"
    );
    // Unused again, the draft page can go.
    client
        .delete_landing_page(FREE_LP)
        .await
        .expect("delete page");
}
