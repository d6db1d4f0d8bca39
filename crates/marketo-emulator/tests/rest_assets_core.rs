//! Area C rules the REST spec cannot carry: the multipart file uploads.

mod common;

use common::{assert_error, ok_result, start};
use marketo_emulator::AssetKind;
use serde_json::Value;

/// Capitals on purpose: a boundary is compared as sent, whatever the case
/// of the media type and of the parameter's name.
const BOUNDARY: &str = "EmulatorTest-Boundary-QxZ";

fn multipart(fields: &[(&str, &str)], file: Option<(&str, &str, &[u8])>) -> Vec<u8> {
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    if let Some((filename, mime, data)) = file {
        body.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{filename}\"\r\nContent-Type: {mime}\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(data);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    body
}

async fn post_multipart(ctx: &common::Ctx, path: &str, body: Vec<u8>, content_type: &str) -> Value {
    ctx.http
        .post(ctx.url(path))
        .bearer_auth(&ctx.token)
        .header("content-type", content_type)
        .body(body)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

#[tokio::test]
async fn file_uploads_are_multipart() {
    let ctx = start().await;
    let ct = format!("Multipart/Form-Data; Boundary={BOUNDARY}");
    let body = multipart(
        &[
            ("name", "notes.txt"),
            ("folder", r#"{"id":23,"type":"Folder"}"#),
        ],
        Some(("notes.txt", "text/plain", b"twelve bytes")),
    );
    let r = post_multipart(&ctx, "/rest/asset/v1/files.json", body, &ct).await;
    let created = ok_result(&r);
    let id = i32::try_from(created[0]["id"].as_i64().unwrap()).unwrap();
    assert_eq!(created[0]["size"], 12);
    assert_eq!(created[0]["mimeType"], "text/plain");
    assert_eq!(created[0]["folder"]["type"], "Image");
    assert!(ctx.emu.asset(AssetKind::File, id).is_some());
    // insertOnly refuses a second file of that name in that folder
    let again = multipart(
        &[
            ("name", "notes.txt"),
            ("folder", r#"{"id":23,"type":"Folder"}"#),
            ("insertOnly", "true"),
        ],
        Some(("notes.txt", "text/plain", b"x")),
    );
    assert_error(
        &post_multipart(&ctx, "/rest/asset/v1/files.json", again, &ct).await,
        "709",
    );
    // missing parent, missing file part, not multipart at all
    let lost = multipart(
        &[
            ("name", "x.txt"),
            ("folder", r#"{"id":999999,"type":"Folder"}"#),
        ],
        Some(("x.txt", "text/plain", b"x")),
    );
    assert_error(
        &post_multipart(&ctx, "/rest/asset/v1/files.json", lost, &ct).await,
        "710",
    );
    let no_name = multipart(
        &[("folder", r#"{"id":23,"type":"Folder"}"#)],
        Some(("x.txt", "text/plain", b"x")),
    );
    assert_error(
        &post_multipart(&ctx, "/rest/asset/v1/files.json", no_name, &ct).await,
        "701",
    );
    // Another case of the boundary delimits nothing.
    let lower = ct.replace(BOUNDARY, &BOUNDARY.to_ascii_lowercase());
    let body = multipart(&[("name", "y.txt")], Some(("y.txt", "text/plain", b"y")));
    assert_error(
        &post_multipart(&ctx, "/rest/asset/v1/files.json", body, &lower).await,
        "613",
    );
    let no_file = multipart(&[("name", "x.txt")], None);
    assert_error(
        &post_multipart(&ctx, "/rest/asset/v1/files.json", no_file, &ct).await,
        "701",
    );
    let form = ctx
        .post_form("/rest/asset/v1/files.json", &[("name", "x.txt")])
        .await;
    assert_error(&form, "613");
    // replacing the content
    let content = multipart(&[], Some(("notes.txt", "text/csv", b"a,b")));
    let r = post_multipart(
        &ctx,
        &format!("/rest/asset/v1/file/{id}/content.json"),
        content,
        &ct,
    )
    .await;
    let updated = ok_result(&r);
    assert_eq!(updated[0]["size"], 3);
    assert_eq!(updated[0]["mimeType"], "text/csv");
    let missing = multipart(&[], Some(("n.txt", "text/plain", b"x")));
    assert_error(
        &post_multipart(&ctx, "/rest/asset/v1/file/1/content.json", missing, &ct).await,
        "702",
    );
}
