//! Area C of the Asset API end to end: snippets, smart lists, segmentations,
//! files, folders (create/update/delete/contents), tokens, program tags,
//! smart campaigns (asset side) and static lists (asset side), each call
//! through the generated client and checked against the emulator's state.

use marketo_emulator::{AssetKind, AssetStatus};
use marketo_rest::params::{
    GetFilesParams, GetFolderContentsParams, GetSegmentationsParams,
    GetSegmentsForSegmentationParams, GetSmartListByIdParams, GetSmartListByProgramIdParams,
    GetSmartListBySmartCampaignIdParams, GetSmartListsParams, GetSnippetByIdParams,
    GetSnippetContentParams, GetSnippetDynamicContentParams, GetSnippetsParams,
    GetStaticListsParams, GetTokensByFolderIdParams,
};
use marketo_rest::types::{
    AssetVersionStatus, CloneSmartCampaignRequest, CloneSmartListRequest, CloneSnippetRequest,
    CreateAssetStaticListRequest, CreateFolderRequest, CreateSmartCampaignRequest,
    CreateSnippetRequest, CreateTokenRequest, DeleteTokenRequest, FolderReference, FolderType,
    SnippetContentType, UpdateAssetStaticListRequest, UpdateFolderRequest, UpdateProgramTagRequest,
    UpdateSmartCampaignRequest, UpdateSnippetContentRequest, UpdateSnippetDynamicContentRequest,
    UpdateSnippetRequest,
};

use crate::{api_code, assert_not_found, setup};

fn folder(id: i32) -> FolderReference {
    FolderReference::new(id, FolderType::Folder)
}

fn program(id: i32) -> FolderReference {
    FolderReference::new(id, FolderType::Program)
}

#[tokio::test]
async fn snippet_lifecycle_content_and_dynamic_content() {
    let (emu, client) = setup().await;
    // create: a draft in the Snippets folder
    let created = client
        .create_snippet(&CreateSnippetRequest::new("E2E Snippet", folder(22)).description("d"))
        .await
        .expect("create");
    let id = created.value[0].id;
    assert_eq!(created.value[0].status.as_deref(), Some("draft"));
    assert_eq!(created.value[0].folder.as_ref().map(|f| f.value), Some(22));
    let stored = emu.asset(AssetKind::Snippet, id).expect("stored");
    assert_eq!(stored.status(), AssetStatus::Draft);
    let dup = CreateSnippetRequest::new("E2E Snippet", folder(22));
    assert_eq!(api_code(client.create_snippet(&dup).await), "709");
    let lost = CreateSnippetRequest::new("E2E Lost", folder(999_999));
    assert_eq!(api_code(client.create_snippet(&lost).await), "710");

    // content
    let html = UpdateSnippetContentRequest::new(SnippetContentType::Html, "<b>hi</b>");
    client
        .update_snippet_content(id, &html)
        .await
        .expect("html");
    let text = UpdateSnippetContentRequest::new(SnippetContentType::Text, "hi");
    client
        .update_snippet_content(id, &text)
        .await
        .expect("text");
    let content = client
        .get_snippet_content(id, GetSnippetContentParams::default())
        .await
        .expect("content");
    assert_eq!(content.value.len(), 2);
    assert_eq!(content.value[0].type_, SnippetContentType::Html);
    assert_eq!(content.value[0].content.as_deref(), Some("<b>hi</b>"));

    // metadata, by id, browse with status
    let upd = client
        .update_snippet(id, &UpdateSnippetRequest::new().description("new"))
        .await
        .expect("update");
    assert_eq!(upd.value[0].description.as_deref(), Some("new"));
    let one = client
        .get_snippet_by_id(id, GetSnippetByIdParams::default())
        .await
        .expect("by id");
    assert_eq!(one.name, "E2E Snippet");
    assert_not_found(
        client
            .get_snippet_by_id(987_654, GetSnippetByIdParams::default())
            .await,
    );
    let approved_only = client
        .get_snippets(GetSnippetsParams::default().status(AssetVersionStatus::Approved))
        .await
        .expect("browse");
    assert!(approved_only.value.iter().all(|s| s.id != id));
    let past_end = client
        .get_snippets(GetSnippetsParams::default().offset(10_000))
        .await
        .expect("past the end");
    assert!(past_end.value.is_empty());

    // approval: discard needs an approved version; approve; edit makes a draft; discard
    assert_eq!(api_code(client.discard_snippet_draft(id).await), "709");
    client.approve_snippet_draft(id).await.expect("approve");
    assert_eq!(api_code(client.approve_snippet_draft(id).await), "709");
    let html2 = UpdateSnippetContentRequest::new(SnippetContentType::Html, "<b>v2</b>");
    client.update_snippet_content(id, &html2).await.expect("v2");
    assert_eq!(
        emu.asset(AssetKind::Snippet, id).unwrap().status(),
        AssetStatus::ApprovedWithDraft
    );
    let live = client
        .get_snippet_content(
            id,
            GetSnippetContentParams::default().status(AssetVersionStatus::Approved),
        )
        .await
        .expect("approved content");
    assert_eq!(live.value[0].content.as_deref(), Some("<b>hi</b>"));
    client.discard_snippet_draft(id).await.expect("discard");
    assert_eq!(
        emu.asset(AssetKind::Snippet, id).unwrap().status(),
        AssetStatus::Approved
    );

    // dynamic content over the demo segmentation
    let dynamic = UpdateSnippetContentRequest::new(SnippetContentType::DynamicContent, "11001");
    client
        .update_snippet_content(id, &dynamic)
        .await
        .expect("dynamic");
    client
        .update_snippet_dynamic_content(
            id,
            11002,
            &UpdateSnippetDynamicContentRequest::new("HTML", "<p>EMEA</p>"),
        )
        .await
        .expect("segment content");
    assert_eq!(
        api_code(
            client
                .update_snippet_dynamic_content(
                    id,
                    99,
                    &UpdateSnippetDynamicContentRequest::new("HTML", "x")
                )
                .await
        ),
        "702"
    );
    let dc = client
        .get_snippet_dynamic_content(id, GetSnippetDynamicContentParams::default())
        .await
        .expect("dynamic content");
    assert_eq!(dc.value[0].segmentation, Some(11001));
    let items = dc.value[0].content.as_deref().unwrap_or_default();
    assert_eq!(items.len(), 3);
    assert_eq!(items[1].content.as_deref(), Some("<p>EMEA</p>"));
    // the segmentation is now used by the snippet
    assert!(
        emu.asset_used_by(AssetKind::Segmentation, 11001)
            .contains(&format!("snippet {id}"))
    );

    // clone, unapprove, delete
    let copy = client
        .clone_snippet(
            id,
            &CloneSnippetRequest::new("E2E Snippet Copy", folder(22)),
        )
        .await
        .expect("clone");
    let copy_id = copy.value[0].id;
    assert_eq!(copy.value[0].status.as_deref(), Some("draft"));
    assert_eq!(api_code(client.delete_snippet(id).await), "709", "approved");
    client.unapprove_snippet(id).await.expect("unapprove");
    assert_eq!(api_code(client.unapprove_snippet(id).await), "709");
    client.delete_snippet(id).await.expect("delete");
    client.delete_snippet(copy_id).await.expect("delete copy");
    assert!(emu.asset(AssetKind::Snippet, id).is_none());
    assert_eq!(api_code(client.delete_snippet(id).await), "702");
}

#[tokio::test]
async fn smart_lists_segmentations_and_files() {
    let (emu, client) = setup().await;
    let page = client
        .get_smart_lists(GetSmartListsParams::default().max_return(200))
        .await
        .expect("browse");
    assert_eq!(page.value.len(), emu.assets(AssetKind::SmartList).len());
    let one = client
        .get_smart_list_by_id(10001, GetSmartListByIdParams::default().include_rules(true))
        .await
        .expect("by id");
    let rules = one.rules.as_ref().expect("rules");
    assert_eq!(
        rules.filters.as_deref().unwrap_or_default()[0]
            .name
            .as_deref(),
        Some("Visited Web Page")
    );
    let without = client
        .get_smart_list_by_id(10001, GetSmartListByIdParams::default())
        .await
        .expect("by id");
    assert!(without.rules.is_none());
    assert_not_found(
        client
            .get_smart_list_by_id(999, GetSmartListByIdParams::default())
            .await,
    );
    let by_name = client
        .get_smart_list_by_name("Demo Smart List")
        .await
        .expect("by name");
    assert_eq!(by_name.value[0].id, 10001);
    assert!(
        client
            .get_smart_list_by_name("nope")
            .await
            .expect("none")
            .value
            .is_empty()
    );
    // a campaign's and an email program's smart lists
    let of_campaign = client
        .get_smart_list_by_smart_campaign_id(2001, GetSmartListBySmartCampaignIdParams::default())
        .await
        .expect("campaign list");
    assert_eq!(of_campaign.id, 12001);
    assert_eq!(
        api_code(client.delete_smart_list(12001).await),
        "709",
        "used"
    );
    let of_program = client
        .get_smart_list_by_program_id(
            1005,
            GetSmartListByProgramIdParams::default().include_rules(true),
        )
        .await
        .expect("program list");
    assert_eq!(of_program.id, 10002);
    assert_eq!(
        api_code(
            client
                .get_smart_list_by_program_id(1001, GetSmartListByProgramIdParams::default())
                .await
        ),
        "709"
    );
    // clone and delete
    let copy = client
        .clone_smart_list(
            10001,
            &CloneSmartListRequest::new("E2E List Copy", program(1002)),
        )
        .await
        .expect("clone");
    let copy_id = copy.value[0].id;
    assert_eq!(copy.value[0].folder.as_ref().map(|f| f.id), Some(1002));
    assert_eq!(
        api_code(
            client
                .clone_smart_list(
                    10001,
                    &CloneSmartListRequest::new("E2E List Copy", program(1002))
                )
                .await
        ),
        "709"
    );
    client.delete_smart_list(copy_id).await.expect("delete");
    assert!(emu.asset(AssetKind::SmartList, copy_id).is_none());
    assert_eq!(api_code(client.delete_smart_list(copy_id).await), "702");

    // segmentations
    let segs = client
        .get_segmentations(GetSegmentationsParams::default())
        .await
        .expect("segmentations");
    assert_eq!(segs.value[0].id, 11001);
    assert_eq!(segs.value[0].status.as_deref(), Some("approved"));
    let segments = client
        .get_segments_for_segmentation(11001, GetSegmentsForSegmentationParams::default())
        .await
        .expect("segments");
    let names: Vec<&str> = segments.value.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["North America", "EMEA", "Default"]);
    assert_eq!(
        api_code(
            client
                .get_segments_for_segmentation(5, GetSegmentsForSegmentationParams::default())
                .await
        ),
        "702"
    );

    // files
    let files = client
        .get_files(GetFilesParams::default())
        .await
        .expect("files");
    assert_eq!(files.value.len(), 2);
    let f = client.get_file_by_id(9501).await.expect("file");
    assert_eq!(f.mime_type.as_deref(), Some("image/png"));
    assert_eq!(f.size, Some(2048));
    assert_not_found(client.get_file_by_id(1).await);
    let by_name = client
        .get_file_by_name("demo-brochure.pdf")
        .await
        .expect("by name");
    assert_eq!(by_name.value[0].id, 9502);
}

#[tokio::test]
async fn folders_create_update_contents_delete() {
    let (emu, client) = setup().await;
    let created = client
        .create_folder(&CreateFolderRequest::new("E2E Folder", folder(10)).description("d"))
        .await
        .expect("create");
    let id = created.value[0].id;
    assert_eq!(created.value[0].folder_type, "Marketing Folder");
    assert!(
        emu.folders()
            .iter()
            .any(|f| f.id == id && f.parent == Some(10))
    );
    let dup = CreateFolderRequest::new("E2E Folder", folder(10));
    assert_eq!(api_code(client.create_folder(&dup).await), "709");
    let lost = CreateFolderRequest::new("x", folder(999_999));
    assert_eq!(api_code(client.create_folder(&lost).await), "710");

    let upd = client
        .update_folder(
            id,
            &UpdateFolderRequest::new(FolderType::Folder)
                .name("E2E Renamed")
                .is_archive(true),
        )
        .await
        .expect("update");
    assert_eq!(upd.value[0].name, "E2E Renamed");
    assert_eq!(upd.value[0].is_archive, Some(true));
    assert_eq!(
        api_code(
            client
                .update_folder(1001, &UpdateFolderRequest::new(FolderType::Program))
                .await
        ),
        "709"
    );
    assert_eq!(
        api_code(
            client
                .update_folder(
                    1,
                    &UpdateFolderRequest::new(FolderType::Folder).description("x")
                )
                .await
        ),
        "709"
    );

    // contents: folder 10 holds Events, the new folder, a program and a campaign
    let contents = client
        .get_folder_contents(10, FolderType::Folder, GetFolderContentsParams::default())
        .await
        .expect("contents");
    let items: Vec<(i32, &str)> = contents
        .value
        .iter()
        .map(|c| (c.id, c.type_.as_str()))
        .collect();
    assert!(items.contains(&(11, "Folder")));
    assert!(items.contains(&(id, "Folder")));
    assert!(items.contains(&(1001, "Program")));
    assert!(items.contains(&(2007, "Smart Campaign")));
    let program_contents = client
        .get_folder_contents(
            1001,
            FolderType::Program,
            GetFolderContentsParams::default(),
        )
        .await
        .expect("program contents");
    assert!(
        program_contents
            .value
            .iter()
            .any(|c| c.id == 10001 && c.type_ == "Smart list")
    );
    assert_eq!(
        api_code(
            client
                .get_folder_contents(
                    999_999,
                    FolderType::Folder,
                    GetFolderContentsParams::default()
                )
                .await
        ),
        "702"
    );

    // delete: not while it holds something, never a system folder
    assert_eq!(api_code(client.delete_folder(10).await), "709");
    assert_eq!(api_code(client.delete_folder(1).await), "709");
    client.delete_folder(id).await.expect("delete");
    assert!(emu.folders().iter().all(|f| f.id != id));
    assert_eq!(api_code(client.delete_folder(id).await), "702");
}

#[tokio::test]
async fn tokens_and_program_tags() {
    let (emu, client) = setup().await;
    let got = client
        .get_tokens_by_folder_id(
            1001,
            GetTokensByFolderIdParams::default().folder_type(FolderType::Program),
        )
        .await
        .expect("tokens");
    let names: Vec<&str> = got.value[0]
        .tokens
        .as_deref()
        .unwrap_or_default()
        .iter()
        .map(|t| t.name.as_str())
        .collect();
    // its own token, then the one inherited from folder 10
    assert_eq!(names, ["message", "Event Date"]);

    let req = CreateTokenRequest::new("Launch", "date", "2031-01-02", FolderType::Program);
    let created = client.create_token(1001, &req).await.expect("create");
    assert_eq!(
        created.value[0].tokens.as_deref().unwrap_or_default()[0]
            .value
            .as_deref(),
        Some("2031-01-02")
    );
    assert_eq!(
        emu.program(1001)
            .unwrap()
            .tokens
            .get("{{my.Launch}}")
            .map(String::as_str),
        Some("2031-01-02")
    );
    // same name again: replaced
    let again = CreateTokenRequest::new("Launch", "date", "2031-02-03", FolderType::Program);
    client.create_token(1001, &again).await.expect("update");
    let bad = CreateTokenRequest::new("Bad", "date", "tomorrow", FolderType::Program);
    assert_eq!(api_code(client.create_token(1001, &bad).await), "1003");
    let bad_type = CreateTokenRequest::new("Bad", "colour", "red", FolderType::Folder);
    assert_eq!(api_code(client.create_token(10, &bad_type).await), "1003");
    let nowhere = CreateTokenRequest::new("T", "text", "x", FolderType::Folder);
    assert_eq!(
        api_code(client.create_token(999_999, &nowhere).await),
        "702"
    );

    let del = DeleteTokenRequest::new("Launch", "date", FolderType::Program);
    client
        .delete_token_by_name(1001, &del)
        .await
        .expect("delete");
    assert!(
        !emu.program(1001)
            .unwrap()
            .tokens
            .contains_key("{{my.Launch}}")
    );
    assert_eq!(
        api_code(client.delete_token_by_name(1001, &del).await),
        "702"
    );

    // program tags
    let tagged = client
        .update_program_tag(1002, "Region", &UpdateProgramTagRequest::new("EMEA"))
        .await
        .expect("tag");
    assert!(
        tagged.value[0]
            .tags
            .as_deref()
            .unwrap_or_default()
            .iter()
            .any(|t| t.tag_type == "Region")
    );
    assert!(
        emu.program(1002)
            .unwrap()
            .tags
            .iter()
            .any(|t| t.tag_value == "EMEA")
    );
    assert_eq!(
        api_code(
            client
                .update_program_tag(1002, "Region", &UpdateProgramTagRequest::new("Mars"))
                .await
        ),
        "1003"
    );
    assert_eq!(
        api_code(
            client
                .update_program_tag(1002, "Nope", &UpdateProgramTagRequest::new("x"))
                .await
        ),
        "702"
    );
    client
        .delete_program_tag(1002, "Region")
        .await
        .expect("untag");
    assert!(emu.program(1002).unwrap().tags.is_empty());
    assert_eq!(
        api_code(client.delete_program_tag(1002, "Region").await),
        "702"
    );
}

#[tokio::test]
async fn smart_campaigns_asset_side() {
    let (emu, client) = setup().await;
    let created = client
        .create_smart_campaign(
            &CreateSmartCampaignRequest::new("E2E Campaign", program(1001)).description("d"),
        )
        .await
        .expect("create");
    let id = created.value[0].id;
    let sl = created.value[0].smart_list_id.expect("smart list id");
    assert!(
        emu.campaigns()
            .iter()
            .any(|c| c.id == id && c.program_id == Some(1001))
    );
    assert!(emu.asset(AssetKind::SmartList, sl).is_some());
    let dup = CreateSmartCampaignRequest::new("E2E Campaign", program(1001));
    assert_eq!(api_code(client.create_smart_campaign(&dup).await), "709");
    let lost = CreateSmartCampaignRequest::new("x", folder(999_999));
    assert_eq!(api_code(client.create_smart_campaign(&lost).await), "710");

    let by_name = client
        .get_smart_campaign_by_name("E2E Campaign")
        .await
        .expect("by name");
    assert_eq!(by_name.value[0].id, id);
    let upd = client
        .update_smart_campaign(id, &UpdateSmartCampaignRequest::new().name("E2E Renamed"))
        .await
        .expect("update");
    assert_eq!(upd.value[0].name, "E2E Renamed");

    let copy = client
        .clone_smart_campaign(
            2002,
            &CloneSmartCampaignRequest::new("E2E Trigger Copy", program(1002)),
        )
        .await
        .expect("clone");
    let copy_id = copy.value[0].id;
    assert_eq!(copy.value[0].is_active, Some(false));
    // activation needs a trigger campaign, once
    assert_eq!(api_code(client.activate_smart_campaign(id).await), "709");
    client
        .activate_smart_campaign(copy_id)
        .await
        .expect("activate");
    assert!(
        emu.campaigns()
            .iter()
            .any(|c| c.id == copy_id && c.is_active)
    );
    assert_eq!(
        api_code(client.activate_smart_campaign(copy_id).await),
        "709"
    );
    assert_eq!(
        api_code(client.delete_smart_campaign(copy_id).await),
        "709",
        "active"
    );
    client
        .deactivate_smart_campaign(copy_id)
        .await
        .expect("deactivate");
    assert_eq!(
        api_code(client.deactivate_smart_campaign(copy_id).await),
        "709"
    );

    client.delete_smart_campaign(id).await.expect("delete");
    assert!(emu.campaigns().iter().all(|c| c.id != id));
    assert!(
        emu.asset(AssetKind::SmartList, sl).is_none(),
        "its smart list goes too"
    );
    assert_eq!(api_code(client.delete_smart_campaign(id).await), "702");
    assert_eq!(api_code(client.activate_smart_campaign(id).await), "702");
}

#[tokio::test]
async fn static_lists_asset_side() {
    let (emu, client) = setup().await;
    let created = client
        .create_static_list(
            &CreateAssetStaticListRequest::new("E2E List", program(1001)).description("d"),
        )
        .await
        .expect("create");
    let id = created.value[0].id;
    assert_eq!(created.value[0].folder.as_ref().map(|f| f.id), Some(1001));
    assert!(
        emu.lists()
            .iter()
            .any(|l| l.id == id && l.program_id == Some(1001))
    );
    let dup = CreateAssetStaticListRequest::new("E2E List", folder(10));
    assert_eq!(api_code(client.create_static_list(&dup).await), "709");
    let lost = CreateAssetStaticListRequest::new("x", folder(999_999));
    assert_eq!(api_code(client.create_static_list(&lost).await), "710");

    let one = client.get_static_list_by_id(id).await.expect("by id");
    assert_eq!(one.name, "E2E List");
    assert_not_found(client.get_static_list_by_id(987_654).await);
    let by_name = client
        .get_static_list_by_name("E2E List")
        .await
        .expect("by name");
    assert_eq!(by_name.value[0].id, id);
    let in_program = client
        .get_static_lists(GetStaticListsParams::default().folder(r#"{"id":1001,"type":"Program"}"#))
        .await
        .expect("browse");
    assert!(in_program.value.iter().any(|l| l.id == id));
    let upd = client
        .update_static_list(
            id,
            &UpdateAssetStaticListRequest::new()
                .name("E2E List 2")
                .description("new"),
        )
        .await
        .expect("update");
    assert_eq!(upd.value[0].description.as_deref(), Some("new"));
    assert!(
        emu.lists()
            .iter()
            .any(|l| l.id == id && l.name == "E2E List 2")
    );
    client.delete_static_list(id).await.expect("delete");
    assert!(emu.lists().iter().all(|l| l.id != id));
    assert_eq!(api_code(client.delete_static_list(id).await), "702");
}

/// The issue's workflow, for the parts of this area: clone a program into a
/// folder, set its tokens, and (re)activate its trigger campaign, whose smart
/// list came along with the clone.
#[tokio::test]
async fn clone_a_program_set_tokens_and_activate_its_trigger_campaign() {
    use marketo_rest::params::BrowseSmartCampaignsParams;
    use marketo_rest::types::{CloneProgramRequest, SmartCampaignStatus};

    let (emu, client) = setup().await;
    let cloned = client
        .clone_program(1001, &CloneProgramRequest::new("E2E Launch", folder(13)))
        .await
        .expect("clone");
    let pid = cloned.value[0].id;
    let token = CreateTokenRequest::new("Launch Date", "date", "2031-03-01", FolderType::Program);
    client.create_token(pid, &token).await.expect("token");
    let tokens = client
        .get_tokens_by_folder_id(
            pid,
            GetTokensByFolderIdParams::default().folder_type(FolderType::Program),
        )
        .await
        .expect("tokens");
    let names: Vec<&str> = tokens.value[0]
        .tokens
        .as_deref()
        .unwrap_or_default()
        .iter()
        .map(|t| t.name.as_str())
        .collect();
    assert!(names.contains(&"Launch Date") && names.contains(&"message"));

    let campaigns = client
        .browse_smart_campaigns(
            BrowseSmartCampaignsParams::default()
                .folder(format!(r#"{{"id":{pid},"type":"Program"}}"#)),
        )
        .await
        .expect("campaigns of the clone");
    let trigger = campaigns
        .value
        .iter()
        .find(|c| c.name == "Demo Requestable Campaign")
        .expect("the trigger campaign was cloned");
    let list = client
        .get_smart_list_by_smart_campaign_id(
            trigger.id,
            GetSmartListBySmartCampaignIdParams::default(),
        )
        .await
        .expect("its smart list");
    assert_ne!(list.id, 12002, "a copy, not the source's smart list");
    assert_eq!(trigger.smart_list_id, Some(list.id));
    assert_eq!(list.folder.as_ref().map(|f| f.id), Some(pid));
    // Marketo clones trigger campaigns inactive, although the source is active.
    assert_eq!(trigger.is_active, Some(false));
    assert_eq!(trigger.status, SmartCampaignStatus::Inactive);
    assert!(emu.campaigns().iter().any(|c| c.id == 2002 && c.is_active));
    client
        .activate_smart_campaign(trigger.id)
        .await
        .expect("activate");
    assert!(
        emu.campaigns()
            .iter()
            .any(|c| c.id == trigger.id && c.is_active)
    );

    // deleting the program takes its campaigns and smart lists with it
    client.delete_program(pid).await.expect("delete");
    assert!(emu.asset(AssetKind::SmartList, list.id).is_none());
    assert_eq!(
        api_code(
            client
                .get_tokens_by_folder_id(
                    pid,
                    GetTokensByFolderIdParams::default().folder_type(FolderType::Program)
                )
                .await
        ),
        "702"
    );
}
