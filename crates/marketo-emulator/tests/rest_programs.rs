//! Programs: CRUD with JSON-in-form fields, paging, immutability, costs, clone, approve.

mod common;

use common::{assert_error, ok_result, start};
use marketo_emulator::NewProgram;
use serde_json::{Value, json};

const PROGRAMS: &str = "/rest/asset/v1/programs.json";

async fn create(ctx: &common::Ctx, name: &str, ty: &str, channel: &str) -> Value {
    ctx.post_form(
        PROGRAMS,
        &[
            ("name", name),
            ("folder", r#"{"id":10,"type":"Folder"}"#),
            ("type", ty),
            ("channel", channel),
            ("description", "made by a test"),
            (
                "costs",
                r#"[{"startDate":"2025-01-01","cost":100,"note":"first"}]"#,
            ),
            ("tags", r#"[{"tagType":"Region","tagValue":"APAC"}]"#),
        ],
    )
    .await
}

#[tokio::test]
async fn create_get_update_delete() {
    let ctx = start().await;
    let created = ok_result(&create(&ctx, "Test Program", "Default", "Content").await);
    let p = &created[0];
    let id = p["id"].as_i64().unwrap();
    assert_eq!(p["name"], "Test Program");
    assert_eq!(p["type"], "Default");
    assert_eq!(
        p["folder"],
        json!({"type": "Folder", "value": 10, "folderName": "Campaigns"})
    );
    assert_eq!(
        p["tags"],
        json!([{"tagType": "Region", "tagValue": "APAC"}])
    );
    assert_eq!(p["costs"][0]["cost"], 100);
    // Marketo's date style.
    let created_at = p["createdAt"].as_str().unwrap();
    assert!(created_at.ends_with("Z+0000"), "{created_at}");

    let got = ok_result(
        &ctx.get(&format!("/rest/asset/v1/program/{id}.json"), &[])
            .await,
    );
    assert_eq!(got[0]["name"], "Test Program");

    let by_name = ok_result(
        &ctx.get(
            "/rest/asset/v1/program/byName.json",
            &[("name", "Test Program"), ("includeTags", "true")],
        )
        .await,
    );
    assert_eq!(by_name[0]["id"].as_i64(), Some(id));
    assert!(by_name[0]["tags"].is_array());
    assert_error(
        &ctx.get(
            "/rest/asset/v1/program/byName.json",
            &[("name", "No Such Program")],
        )
        .await,
        "702",
    );

    let updated = ok_result(
        &ctx.post_form(
            &format!("/rest/asset/v1/program/{id}.json"),
            &[("name", "Renamed Program"), ("description", "changed")],
        )
        .await,
    );
    assert_eq!(updated[0]["name"], "Renamed Program");
    assert_eq!(ctx.emu.program(id as i32).unwrap().description, "changed");

    let deleted = ok_result(
        &ctx.post_form(&format!("/rest/asset/v1/program/{id}/delete.json"), &[])
            .await,
    );
    assert_eq!(deleted[0]["id"].as_i64(), Some(id));
    assert_error(
        &ctx.get(&format!("/rest/asset/v1/program/{id}.json"), &[])
            .await,
        "702",
    );
}

#[tokio::test]
async fn create_validates_folder_type_channel_and_names() {
    let ctx = start().await;
    let form = |folder: &'static str, ty: &'static str, channel: &'static str| {
        vec![
            ("name", "X"),
            ("folder", folder),
            ("type", ty),
            ("channel", channel),
        ]
    };
    let r = ctx
        .post_form(
            PROGRAMS,
            &form(r#"{"id":999,"type":"Folder"}"#, "Default", "Content"),
        )
        .await;
    assert_error(&r, "710");
    // A Design Studio folder cannot hold programs.
    let r = ctx
        .post_form(
            PROGRAMS,
            &form(r#"{"id":20,"type":"Folder"}"#, "Default", "Content"),
        )
        .await;
    assert_error(&r, "711");
    let r = ctx
        .post_form(
            PROGRAMS,
            &form(r#"{"id":10,"type":"Folder"}"#, "Webinar Thing", "Content"),
        )
        .await;
    assert_error(&r, "1003");
    // Channel must fit the type.
    let r = ctx
        .post_form(
            PROGRAMS,
            &form(r#"{"id":10,"type":"Folder"}"#, "Email", "Content"),
        )
        .await;
    assert_error(&r, "1003");
    let r = ctx.post_form(PROGRAMS, &[("name", "X")]).await;
    assert_error(&r, "701");
    // Duplicate name.
    let r = ctx
        .post_form(
            PROGRAMS,
            &[
                ("name", "Demo Default Program"),
                ("folder", r#"{"id":10,"type":"Folder"}"#),
                ("type", "Default"),
                ("channel", "Content"),
            ],
        )
        .await;
    assert_error(&r, "709");
}

#[tokio::test]
async fn bad_json_in_form_fields_is_an_error_not_a_crash() {
    let ctx = start().await;
    for (field, value, code) in [
        ("folder", "{not json", "609"),
        ("folder", r#"{"id":"ten","type":"Folder"}"#, "1003"),
        ("costs", "[{", "609"),
        ("costs", r#"[{"startDate":"someday","cost":1}]"#, "1003"),
        ("tags", r#"{"tagType":1}"#, "1003"),
        (
            "tags",
            r#"[{"tagType":"Region","tagValue":"Mars"}]"#,
            "1003",
        ),
    ] {
        let mut form = vec![
            ("name", "Bad JSON Program"),
            ("folder", r#"{"id":10,"type":"Folder"}"#),
            ("type", "Default"),
            ("channel", "Content"),
        ];
        form.retain(|(k, _)| *k != field);
        form.push((field, value));
        let r = ctx.post_form(PROGRAMS, &form).await;
        assert_error(&r, code);
    }
    // Wrong content type for a form endpoint → 612; the server is still fine afterwards.
    let r: Value = ctx
        .http
        .post(ctx.url(PROGRAMS))
        .bearer_auth(&ctx.token)
        .json(&json!({"name": "x"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_error(&r, "612");
    ok_result(&ctx.get(PROGRAMS, &[]).await);
}

#[tokio::test]
async fn browse_pages_and_past_the_end() {
    let ctx = start().await;
    ctx.emu.add_programs(45);
    let total = ctx.emu.programs().len();
    assert_eq!(total, 50);
    // Default page size is 20.
    assert_eq!(ok_result(&ctx.get(PROGRAMS, &[]).await).len(), 20);
    let mut seen = Vec::new();
    let mut offset = 0;
    loop {
        let off = offset.to_string();
        let v = ctx
            .get(PROGRAMS, &[("maxReturn", "15"), ("offset", off.as_str())])
            .await;
        assert_eq!(v["success"], true);
        match v["result"].as_array() {
            Some(page) => {
                assert!(page.len() <= 15);
                assert!(
                    page.iter().all(|p| p.get("tags").is_none()),
                    "browse carries no tags"
                );
                seen.extend(page.iter().map(|p| p["id"].as_i64().unwrap()));
                offset += 15;
            }
            None => {
                assert_eq!(
                    v["warnings"],
                    json!(["No assets found for the given search criteria."])
                );
                break;
            }
        }
    }
    assert_eq!(seen.len(), total);
    seen.dedup();
    assert_eq!(seen.len(), total);
    assert_error(&ctx.get(PROGRAMS, &[("maxReturn", "201")]).await, "1003");
    assert_eq!(
        ok_result(&ctx.get(PROGRAMS, &[("maxReturn", "200")]).await).len(),
        50
    );
    assert_error(&ctx.get(PROGRAMS, &[("maxReturn", "many")]).await, "1001");
    // Filters.
    let emails = ok_result(&ctx.get(PROGRAMS, &[("status", "unlocked")]).await);
    assert!(emails.iter().all(|p| p["type"] == "Email") && !emails.is_empty());
    let by_folder = ok_result(
        &ctx.get(
            PROGRAMS,
            &[("filterType", "folderId"), ("filterValues", "11,12")],
        )
        .await,
    );
    assert_eq!(by_folder.len(), 2);
}

#[tokio::test]
async fn by_tag_finds_tagged_programs() {
    let ctx = start().await;
    let r = ok_result(
        &ctx.get(
            "/rest/asset/v1/program/byTag.json",
            &[("tagType", "Region"), ("tagValue", "EMEA")],
        )
        .await,
    );
    let mut ids: Vec<i64> = r.iter().map(|p| p["id"].as_i64().unwrap()).collect();
    ids.sort();
    assert_eq!(ids, vec![1001, 1003]);
    let none = ctx
        .get(
            "/rest/asset/v1/program/byTag.json",
            &[("tagType", "Region"), ("tagValue", "APAC")],
        )
        .await;
    assert_eq!(none["success"], true);
    assert!(none.get("result").is_none());
}

#[tokio::test]
async fn type_and_channel_are_immutable() {
    let ctx = start().await;
    let r = ctx
        .post_form("/rest/asset/v1/program/1001.json", &[("type", "Event")])
        .await;
    assert_error(&r, "1003");
    let r = ctx
        .post_form(
            "/rest/asset/v1/program/1001.json",
            &[("channel", "Online Advertising")],
        )
        .await;
    assert_error(&r, "1003");
    let p = ctx.emu.program(1001).unwrap();
    assert_eq!(
        (p.program_type.as_str(), p.channel.as_str()),
        ("Default", "Content")
    );
}

#[tokio::test]
async fn costs_destructive_update() {
    let ctx = start().await;
    let path = "/rest/asset/v1/program/1001.json";
    assert_eq!(ctx.emu.program(1001).unwrap().costs.len(), 1);
    // Appended by default.
    ok_result(
        &ctx.post_form(
            path,
            &[("costs", r#"[{"startDate":"2025-02-01","cost":5}]"#)],
        )
        .await,
    );
    assert_eq!(ctx.emu.program(1001).unwrap().costs.len(), 2);
    // Replaced with costsDestructiveUpdate=true.
    ok_result(
        &ctx.post_form(
            path,
            &[
                ("costs", r#"[{"startDate":"2025-03-01","cost":7}]"#),
                ("costsDestructiveUpdate", "true"),
            ],
        )
        .await,
    );
    let costs = ctx.emu.program(1001).unwrap().costs;
    assert_eq!(costs.len(), 1);
    assert_eq!(costs[0].cost, 7);
    // Cleared with no costs.
    ok_result(
        &ctx.post_form(path, &[("costsDestructiveUpdate", "true")])
            .await,
    );
    assert!(ctx.emu.program(1001).unwrap().costs.is_empty());
}

#[tokio::test]
async fn clone_names_must_be_unique_and_short() {
    let ctx = start().await;
    let path = "/rest/asset/v1/program/1001/clone.json";
    let folder = r#"{"id":10,"type":"Folder"}"#;
    let r = ok_result(
        &ctx.post_form(path, &[("name", "Cloned Program"), ("folder", folder)])
            .await,
    );
    let id = r[0]["id"].as_i64().unwrap() as i32;
    assert_eq!(r[0]["type"], "Default");
    // The clone got copies of the program's campaigns, the trigger campaign
    // (active in the source) deactivated.
    let campaigns = ctx.emu.campaigns();
    let copies: Vec<_> = campaigns
        .iter()
        .filter(|c| c.program_id == Some(id))
        .collect();
    assert_eq!(copies.len(), 2);
    assert!(copies.iter().any(|c| c.campaign_type == "trigger"));
    assert!(
        copies
            .iter()
            .all(|c| !c.is_active && c.status == "Inactive")
    );
    assert!(campaigns.iter().any(|c| c.id == 2002 && c.is_active));
    assert_error(
        &ctx.post_form(path, &[("name", "Cloned Program"), ("folder", folder)])
            .await,
        "709",
    );
    let long = "x".repeat(256);
    assert_error(
        &ctx.post_form(path, &[("name", long.as_str()), ("folder", folder)])
            .await,
        "1003",
    );
    let ok_len = "y".repeat(255);
    ok_result(
        &ctx.post_form(path, &[("name", ok_len.as_str()), ("folder", folder)])
            .await,
    );
    assert_error(
        &ctx.post_form(
            path,
            &[("name", "Z"), ("folder", r#"{"id":4242,"type":"Folder"}"#)],
        )
        .await,
        "710",
    );
    assert_error(
        &ctx.post_form(
            "/rest/asset/v1/program/9999/clone.json",
            &[("name", "Z"), ("folder", folder)],
        )
        .await,
        "702",
    );
}

#[tokio::test]
async fn approve_only_email_programs() {
    let ctx = start().await;
    assert_error(
        &ctx.post_form("/rest/asset/v1/program/1001/approve.json", &[])
            .await,
        "709",
    );
    assert_error(
        &ctx.post_form("/rest/asset/v1/program/1004/unapprove.json", &[])
            .await,
        "709",
    );
    // Email program 1005: unapprove before approval fails, approve works once.
    assert_error(
        &ctx.post_form("/rest/asset/v1/program/1005/unapprove.json", &[])
            .await,
        "709",
    );
    let r = ok_result(
        &ctx.post_form("/rest/asset/v1/program/1005/approve.json", &[])
            .await,
    );
    assert_eq!(r[0]["id"], 1005);
    assert_eq!(ctx.emu.program(1005).unwrap().status, "locked");
    assert_error(
        &ctx.post_form("/rest/asset/v1/program/1005/approve.json", &[])
            .await,
        "709",
    );
    ok_result(
        &ctx.post_form("/rest/asset/v1/program/1005/unapprove.json", &[])
            .await,
    );
    assert_eq!(ctx.emu.program(1005).unwrap().status, "unlocked");
    // A new Email program needs start and end dates before approval.
    let id = ctx
        .emu
        .add_program(NewProgram {
            program_type: "Email".into(),
            channel: "Email Send".into(),
            ..NewProgram::new("Fresh Email Program")
        })
        .unwrap();
    assert_error(
        &ctx.post_form(&format!("/rest/asset/v1/program/{id}/approve.json"), &[])
            .await,
        "709",
    );
}

#[tokio::test]
async fn seeding_ten_thousand_programs_is_fast() {
    let ctx = start().await;
    let t = std::time::Instant::now();
    let ids = ctx.emu.add_programs(10_000);
    assert_eq!(ids.len(), 10_000);
    assert!(
        t.elapsed() < std::time::Duration::from_secs(5),
        "{:?}",
        t.elapsed()
    );
    let last = ok_result(
        &ctx.get(PROGRAMS, &[("maxReturn", "200"), ("offset", "9800")])
            .await,
    );
    assert_eq!(last.len(), 200);
    let past = ctx
        .get(PROGRAMS, &[("maxReturn", "200"), ("offset", "10005")])
        .await;
    assert!(past.get("result").is_none());
}

#[tokio::test]
async fn form_fields_in_the_query_string_and_org_json_style_are_accepted() {
    // What widely used clients send: fields in the query string of a POST with no body,
    // and structured fields in Java org.json style (single quotes, bare words).
    let ctx = start().await;
    let v: Value = ctx
        .http
        .post(ctx.url(PROGRAMS))
        .bearer_auth(&ctx.token)
        .header("Content-Type", "application/json; charset=utf-8")
        .query(&[
            ("name", "Query Program"),
            ("folder", "{'id': 10, 'type': Folder}"),
            ("type", "Default"),
            ("channel", "Content"),
            ("tags", "[{'tagType': 'Region', 'tagValue': 'APAC'}]"),
            ("costs", "[{'startDate': '2025-01-01', 'cost': 10}]"),
        ])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let p = ok_result(&v);
    assert_eq!(p[0]["name"], "Query Program");
    assert_eq!(
        p[0]["tags"],
        json!([{"tagType": "Region", "tagValue": "APAC"}])
    );
    assert_eq!(
        p[0]["costs"],
        json!([{"startDate": "2025-01-01", "cost": 10}])
    );
}
