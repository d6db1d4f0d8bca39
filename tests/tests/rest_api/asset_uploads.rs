//! The multipart uploads of the Asset API (issue 14): Create File, Update
//! File Content, Create Email Template, Update Email Template Content and
//! Update Email Full Content, sent by the generated client as
//! `multipart/form-data` and checked against the emulator's asset store.

use marketo_emulator::AssetKind;
use marketo_rest::FilePart;
use marketo_rest::params::GetEmailTemplateContentByIdParams;
use marketo_rest::types::{
    CreateEmailTemplateRequest, CreateFileRequest, EmailHtmlUpload, FolderReference, FolderType,
    UpdateFileContentRequest,
};
use serde_json::Value;

use super::{api_code, setup};

fn folder(id: i32) -> FolderReference {
    FolderReference::new(id, FolderType::Folder)
}

fn html(file_name: &str, body: &str) -> FilePart {
    FilePart::from_bytes(file_name.to_owned(), body.as_bytes().to_vec()).content_type("text/html")
}

#[tokio::test]
async fn files_are_uploaded_replaced_and_refused_by_the_documented_codes() {
    let (emu, client) = setup().await;
    let text = FilePart::from_bytes("notes.txt", &b"first version"[..]).content_type("text/plain");
    let req = CreateFileRequest::new("notes.txt", folder(23), text).description("Upload test");
    let made = client.create_file(&req).await.expect("create file");
    let file = &made.value[0];
    assert_eq!(
        (file.name.as_str(), file.size, file.mime_type.as_deref()),
        ("notes.txt", Some(13), Some("text/plain"))
    );
    let stored = emu.asset(AssetKind::File, file.id).expect("stored");
    assert_eq!(stored.description.as_deref(), Some("Upload test"));
    assert_eq!(stored.folder.id, 23);
    assert_eq!(stored.meta["size"], Value::from(13));
    assert_eq!(file.folder.as_ref().map(|f| f.id), Some(23));

    // The same name again replaces the file, unless insertOnly (709).
    let again = FilePart::from_bytes("notes.txt", &b"v2"[..]).content_type("text/plain");
    let replaced = client
        .create_file(&CreateFileRequest::new(
            "notes.txt",
            folder(23),
            again.clone(),
        ))
        .await
        .expect("replace by name");
    assert_eq!(
        (replaced.value[0].id, replaced.value[0].size),
        (file.id, Some(2))
    );
    let insert_only = CreateFileRequest::new("notes.txt", folder(23), again).insert_only(true);
    assert_eq!(api_code(client.create_file(&insert_only).await), "709");
    let nowhere = CreateFileRequest::new("x.txt", folder(4242), html("x.html", "<p>x</p>"));
    assert_eq!(api_code(client.create_file(&nowhere).await), "710");

    // Update File Content keeps the id and name, takes the new type and size.
    let png = FilePart::from_bytes("logo.png", vec![0u8; 300]).content_type("image/png");
    let updated = client
        .update_file_content(file.id, &UpdateFileContentRequest::new(png.clone()))
        .await
        .expect("update content");
    assert_eq!(updated.value[0].name, "notes.txt");
    let stored = emu.asset(AssetKind::File, file.id).expect("stored");
    assert_eq!(
        (&stored.meta["size"], &stored.meta["mimeType"]),
        (&Value::from(300), &Value::from("image/png"))
    );
    let unknown = client
        .update_file_content(99_999, &UpdateFileContentRequest::new(png))
        .await;
    assert_eq!(api_code(unknown), "702");
}

#[tokio::test]
async fn email_templates_are_created_and_replaced_from_html_documents() {
    let (emu, client) = setup().await;
    let doc = "<html><body><div class=\"mktEditable\" id=\"main\">Hi</div></body></html>";
    let req = CreateEmailTemplateRequest::new("Uploaded Template", folder(20), html("t.html", doc))
        .description("From a file");
    let made = client.create_email_template(&req).await.expect("create");
    let id = made.value[0].id;
    assert_eq!(made.value[0].name, "Uploaded Template");
    let stored = emu.asset(AssetKind::EmailTemplate, id).expect("stored");
    assert_eq!(stored.content["html"], doc);
    assert_eq!(stored.description.as_deref(), Some("From a file"));
    assert_eq!(stored.folder.id, 20);
    // Template names are unique in the instance.
    let twice =
        CreateEmailTemplateRequest::new("Uploaded Template", folder(20), html("t.html", doc));
    assert_eq!(api_code(client.create_email_template(&twice).await), "709");

    // Replacing the approved demo template's HTML makes a draft beside it.
    let new_doc = "<html><body><div class=\"mktEditable\" id=\"main2\">New</div></body></html>";
    let replaced = client
        .update_email_template_content(7501, &EmailHtmlUpload::new(html("n.html", new_doc)))
        .await
        .expect("replace");
    assert_eq!(replaced.value[0].content.as_deref(), Some(new_doc));
    let tpl = emu
        .asset(AssetKind::EmailTemplate, 7501)
        .expect("demo template");
    assert!(tpl.has_draft && tpl.approved.is_some());
    let draft = client
        .get_email_template_content_by_id(
            7501,
            GetEmailTemplateContentByIdParams::new()
                .status(marketo_rest::types::AssetVersionStatus::Draft),
        )
        .await
        .expect("draft content");
    assert_eq!(draft.value[0].content.as_deref(), Some(new_doc));
    let unknown = client
        .update_email_template_content(99_999, &EmailHtmlUpload::new(html("n.html", new_doc)))
        .await;
    assert_eq!(api_code(unknown), "702");
}

#[tokio::test]
async fn only_an_unlinked_email_has_its_whole_html_replaced() {
    let (emu, client) = setup().await;
    let doc =
        "<html><body><div class=\"mktEditable\" id=\"edit_text_3\">EMAIL TEST</div></body></html>";
    let done = client
        .update_email_full_content(7004, &EmailHtmlUpload::new(html("e.html", doc)))
        .await
        .expect("unlinked email");
    assert_eq!(done.value[0].id, 7004);
    let stored = emu.asset(AssetKind::Email, 7004).expect("demo email");
    assert_eq!(stored.content["html"], doc);

    // Linked to its template (every demo email but 7004), or a script: 709.
    let linked = client
        .update_email_full_content(7002, &EmailHtmlUpload::new(html("e.html", doc)))
        .await;
    assert_eq!(api_code(linked), "709");
    let script = "<html><body><script>alert(1)</script></body></html>";
    let refused = client
        .update_email_full_content(7004, &EmailHtmlUpload::new(html("e.html", script)))
        .await;
    assert_eq!(api_code(refused), "709");
    assert_eq!(
        emu.asset(AssetKind::Email, 7004).expect("kept").content["html"],
        doc
    );
    let unknown = client
        .update_email_full_content(99_999, &EmailHtmlUpload::new(html("e.html", doc)))
        .await;
    assert_eq!(api_code(unknown), "702");
}
