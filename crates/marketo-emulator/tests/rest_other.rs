//! Campaigns, leads, lists, activities, folders, channels, tags and request-level errors.

mod common;

use common::{assert_error, ok_result, start};
use serde_json::{Value, json};

#[tokio::test]
async fn schedule_campaign_is_recorded_with_tokens_and_limits() {
    let ctx = start().await;
    let run_at = marketo_emulator::rfc3339(ctx.emu.now() + time::Duration::days(3));
    let r = ok_result(
        &ctx.post_json(
            "/rest/v1/campaigns/2001/schedule.json",
            &json!({"input": {"runAt": run_at, "tokens": [{"name": "{{my.message}}", "value": "Hi"}]}}),
        )
        .await,
    );
    assert_eq!(r[0]["id"], 2001);
    let s = ctx.emu.schedules();
    assert_eq!(
        s[0].tokens,
        vec![("{{my.message}}".to_owned(), "Hi".to_owned())]
    );
    assert_eq!(marketo_emulator::rfc3339(s[0].run_at), run_at);
    // No body: runAt defaults to five minutes from now.
    let r: Value = ctx
        .http
        .post(ctx.url("/rest/v1/campaigns/2003/schedule.json"))
        .bearer_auth(&ctx.token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    ok_result(&r);
    let s = ctx.emu.schedules();
    let delta = s[1].run_at - s[1].requested_at;
    assert_eq!(delta.whole_minutes(), 5);
    // More than two years ahead → 1042.
    let far = marketo_emulator::rfc3339(ctx.emu.now() + time::Duration::days(800));
    assert_error(
        &ctx.post_json(
            "/rest/v1/campaigns/2001/schedule.json",
            &json!({"input": {"runAt": far}}),
        )
        .await,
        "1042",
    );
    // Unknown campaign → 1013; trigger campaign cannot be scheduled → 1003.
    assert_error(
        &ctx.post_json(
            "/rest/v1/campaigns/9999/schedule.json",
            &json!({"input": {}}),
        )
        .await,
        "1013",
    );
    assert_error(
        &ctx.post_json(
            "/rest/v1/campaigns/2002/schedule.json",
            &json!({"input": {}}),
        )
        .await,
        "1003",
    );
    // cloneToProgramName: 20 a day, then 1020.
    for i in 0..20 {
        let name = format!("REST Clone {i}");
        ok_result(
            &ctx.post_json(
                "/rest/v1/campaigns/2001/schedule.json",
                &json!({"input": {"cloneToProgramName": name}}),
            )
            .await,
        );
    }
    assert!(ctx.emu.program_by_name("REST Clone 19").is_some());
    assert_error(
        &ctx.post_json(
            "/rest/v1/campaigns/2001/schedule.json",
            &json!({"input": {"cloneToProgramName": "REST Clone 20"}}),
        )
        .await,
        "1020",
    );
    // Invalid JSON → 609.
    let r: Value = ctx
        .http
        .post(ctx.url("/rest/v1/campaigns/2001/schedule.json"))
        .bearer_auth(&ctx.token)
        .header("Content-Type", "application/json")
        .body("{\"input\": ")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_error(&r, "609");
}

#[tokio::test]
async fn trigger_requires_a_requestable_campaign() {
    let ctx = start().await;
    let body = json!({"input": {"leads": [{"id": 3001}, {"id": 3002}], "tokens": [{"name": "{{my.a}}", "value": "b"}]}});
    ok_result(
        &ctx.post_json("/rest/v1/campaigns/2002/trigger.json", &body)
            .await,
    );
    let t = ctx.emu.triggers();
    assert_eq!(t[0].campaign_id, 2002);
    assert_eq!(t[0].lead_ids, vec![3001, 3002]);
    assert_eq!(t[0].tokens, vec![("{{my.a}}".to_owned(), "b".to_owned())]);
    assert_error(
        &ctx.post_json("/rest/v1/campaigns/2001/trigger.json", &body)
            .await,
        "1003",
    );
    assert_error(
        &ctx.post_json("/rest/v1/campaigns/2005/trigger.json", &body)
            .await,
        "1003",
    );
}

#[tokio::test]
async fn smart_campaigns_browse_and_get() {
    let ctx = start().await;
    let all = ok_result(
        &ctx.get(
            "/rest/asset/v1/smartCampaigns.json",
            &[("maxReturn", "200")],
        )
        .await,
    );
    assert_eq!(all.len(), 7);
    let active = ok_result(
        &ctx.get(
            "/rest/asset/v1/smartCampaigns.json",
            &[("isActive", "true")],
        )
        .await,
    );
    assert_eq!(active.len(), 2);
    let in_program = ok_result(
        &ctx.get(
            "/rest/asset/v1/smartCampaigns.json",
            &[("folder", r#"{"id":1001,"type":"Program"}"#)],
        )
        .await,
    );
    assert_eq!(in_program.len(), 2);
    let one = ok_result(&ctx.get("/rest/asset/v1/smartCampaign/2002.json", &[]).await);
    assert_eq!(one[0]["isRequestable"], true);
    assert_eq!(one[0]["parentProgramId"], 1001);
    assert_error(
        &ctx.get("/rest/asset/v1/smartCampaign/1.json", &[]).await,
        "702",
    );
}

#[tokio::test]
async fn leads_sync_get_filter_and_merge() {
    let ctx = start().await;
    let r = ok_result(
        &ctx.post_json(
            "/rest/v1/leads.json",
            &json!({"action": "createOrUpdate", "lookupField": "email", "input": [
                {"email": "ada@example.com", "title": "Countess"},
                {"email": "new1@example.com", "firstName": "New"},
                {"email": "x@example.com", "noSuchField": 1}
            ]}),
        )
        .await,
    );
    assert_eq!(r[0], json!({"id": 3001, "status": "updated"}));
    assert_eq!(r[1]["status"], "created");
    assert_eq!(r[2]["status"], "skipped");
    assert_eq!(r[2]["reasons"][0]["code"], "1006");
    let new_id = r[1]["id"].as_i64().unwrap();

    let r = ok_result(
        &ctx.post_json(
            "/rest/v1/leads.json",
            &json!({"action": "createOnly", "input": [{"email": "ada@example.com"}]}),
        )
        .await,
    );
    assert_eq!(r[0]["reasons"][0]["code"], "1005");
    let r = ok_result(
        &ctx.post_json(
            "/rest/v1/leads.json",
            &json!({"action": "updateOnly", "input": [{"email": "ghost@example.com"}]}),
        )
        .await,
    );
    assert_eq!(r[0]["reasons"][0]["code"], "1004");
    let too_many: Vec<Value> = (0..301)
        .map(|i| json!({"email": format!("m{i}@example.com")}))
        .collect();
    assert_error(
        &ctx.post_json("/rest/v1/leads.json", &json!({"input": too_many}))
            .await,
        "1003",
    );

    let got = ok_result(
        &ctx.get(
            "/rest/v1/lead/3001.json",
            &[("fields", "email,title,company")],
        )
        .await,
    );
    assert_eq!(got[0]["title"], "Countess");
    assert_eq!(got[0]["company"], "Analytical Engines");
    assert!(ok_result(&ctx.get("/rest/v1/lead/99999.json", &[]).await).is_empty());

    // Filter with nextPageToken paging.
    let mut ids = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let mut q = vec![
            ("filterType", "email".to_owned()),
            (
                "filterValues",
                "ada@example.com,alan@example.com,grace@example.com".to_owned(),
            ),
            ("batchSize", "2".to_owned()),
        ];
        if let Some(t) = &token {
            q.push(("nextPageToken", t.clone()));
        }
        let q: Vec<(&str, &str)> = q.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let v = ctx.get("/rest/v1/leads.json", &q).await;
        ids.extend(ok_result(&v).iter().map(|l| l["id"].as_i64().unwrap()));
        match v["nextPageToken"].as_str() {
            Some(t) => token = Some(t.to_owned()),
            None => break,
        }
    }
    assert_eq!(ids, vec![3001, 3002, 3003]);
    assert_error(
        &ctx.get(
            "/rest/v1/leads.json",
            &[("filterType", "firstName"), ("filterValues", "Ada")],
        )
        .await,
        "1011",
    );

    // Merge the new lead into 3002.
    let v = ctx
        .http
        .post(ctx.url("/rest/v1/leads/3002/merge.json"))
        .bearer_auth(&ctx.token)
        .query(&[("leadId", new_id.to_string())])
        .send()
        .await
        .unwrap()
        .json::<Value>()
        .await
        .unwrap();
    assert_eq!(v["success"], true, "{v}");
    assert!(ctx.emu.lead(new_id).is_none());
    let v: Value = ctx
        .http
        .post(ctx.url("/rest/v1/leads/3002/merge.json"))
        .bearer_auth(&ctx.token)
        .query(&[("leadId", "424242")])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_error(&v, "1004");
}

#[tokio::test]
async fn list_membership() {
    let ctx = start().await;
    let body = json!({"input": [{"id": 3004}, {"id": 99999}]});
    let r = ok_result(&ctx.post_json("/rest/v1/lists/4001/leads.json", &body).await);
    assert_eq!(r[0], json!({"id": 3004, "status": "added"}));
    assert_eq!(r[1]["status"], "skipped");
    assert_eq!(r[1]["reasons"][0]["code"], "1004");
    let r = ok_result(
        &ctx.get(
            "/rest/v1/lists/4001/leads/ismember.json",
            &[("id", "3004,3005")],
        )
        .await,
    );
    assert_eq!(r[0]["status"], "memberof");
    assert_eq!(r[1]["status"], "notmemberof");
    let v: Value = ctx
        .http
        .delete(ctx.url("/rest/v1/lists/4001/leads.json"))
        .bearer_auth(&ctx.token)
        .json(&json!({"input": [{"id": 3004}, {"id": 3005}]}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let r = ok_result(&v);
    assert_eq!(r[0]["status"], "removed");
    assert_eq!(r[1]["reasons"][0]["code"], "1015");
    assert_eq!(ctx.emu.list_members(4001).unwrap(), vec![3001, 3002, 3003]);
    assert_error(
        &ctx.post_json("/rest/v1/lists/777/leads.json", &body).await,
        "1013",
    );
}

#[tokio::test]
async fn activities_paging() {
    let ctx = start().await;
    let v = ctx
        .get(
            "/rest/v1/activities/pagingtoken.json",
            &[("sinceDatetime", "2024-01-01T00:00:00Z")],
        )
        .await;
    assert_eq!(v["success"], true);
    let mut token = v["nextPageToken"].as_str().unwrap().to_owned();
    let mut seen = Vec::new();
    loop {
        let v = ctx
            .get(
                "/rest/v1/activities.json",
                &[
                    ("nextPageToken", token.as_str()),
                    ("activityTypeIds", "1,12"),
                    ("batchSize", "3"),
                ],
            )
            .await;
        assert_eq!(v["success"], true, "{v}");
        if let Some(r) = v["result"].as_array() {
            seen.extend(r.iter().map(|a| {
                (
                    a["activityTypeId"].as_i64().unwrap(),
                    a["id"].as_i64().unwrap(),
                )
            }));
        }
        token = v["nextPageToken"].as_str().unwrap().to_owned();
        if v["moreResult"] != true {
            break;
        }
    }
    assert_eq!(seen.len(), 10, "{seen:?}");
    assert!(seen.windows(2).all(|w| w[0].1 < w[1].1));
    // New activity after the last token is picked up later.
    ok_result(
        &ctx.post_json(
            "/rest/v1/leads.json",
            &json!({"input": [{"email": "late@example.com"}]}),
        )
        .await,
    );
    let v = ctx
        .get(
            "/rest/v1/activities.json",
            &[("nextPageToken", token.as_str()), ("activityTypeIds", "12")],
        )
        .await;
    assert_eq!(ok_result(&v).len(), 1);
    let types = ok_result(&ctx.get("/rest/v1/activities/types.json", &[]).await);
    assert!(
        types
            .iter()
            .any(|t| t["name"] == "New Lead" && t["id"] == 12)
    );
    let eleven = "1,2,6,7,10,11,12,13,24,25,32";
    assert_error(
        &ctx.get(
            "/rest/v1/activities.json",
            &[
                ("nextPageToken", token.as_str()),
                ("activityTypeIds", eleven),
            ],
        )
        .await,
        "1003",
    );
}

#[tokio::test]
async fn folders_channels_and_tag_types() {
    let ctx = start().await;
    let f = ok_result(
        &ctx.get(
            "/rest/asset/v1/folders.json",
            &[
                ("root", r#"{"id":1,"type":"Folder"}"#),
                ("maxDepth", "4"),
                ("maxReturn", "200"),
            ],
        )
        .await,
    );
    let names: Vec<&str> = f.iter().filter_map(|x| x["name"].as_str()).collect();
    assert!(
        names.contains(&"Webinars") && names.contains(&"Demo Webinar Program"),
        "{names:?}"
    );
    let webinars = f.iter().find(|x| x["name"] == "Webinars").unwrap();
    assert_eq!(
        webinars["path"],
        "/Marketing Activities/Campaigns/Events/Webinars"
    );
    let by_name = ok_result(
        &ctx.get("/rest/asset/v1/folder/byName.json", &[("name", "Events")])
            .await,
    );
    assert_eq!(by_name[0]["id"], 11);
    let one = ok_result(
        &ctx.get("/rest/asset/v1/folder/12.json", &[("type", "Folder")])
            .await,
    );
    assert_eq!(one[0]["parent"], json!({"id": 11, "type": "Folder"}));
    assert_error(
        &ctx.get("/rest/asset/v1/folder/999.json", &[("type", "Folder")])
            .await,
        "702",
    );

    let ch = ok_result(&ctx.get("/rest/asset/v1/channels.json", &[]).await);
    let types: Vec<&str> = ch
        .iter()
        .filter_map(|c| c["applicableProgramType"].as_str())
        .collect();
    for t in ["program", "event", "webinar", "nurture", "email_batch"] {
        assert!(types.contains(&t), "{t}");
    }
    let one = ok_result(
        &ctx.get("/rest/asset/v1/channel/byName.json", &[("name", "Webinar")])
            .await,
    );
    assert!(!one[0]["progressionStatuses"].as_array().unwrap().is_empty());
    let tt = ok_result(&ctx.get("/rest/asset/v1/tagTypes.json", &[]).await);
    assert!(tt.iter().all(|t| t.get("allowableValues").is_none()));
    let region = ok_result(
        &ctx.get("/rest/asset/v1/tagType/byName.json", &[("name", "Region")])
            .await,
    );
    assert_eq!(region[0]["allowableValues"], "[EMEA, North America, APAC]");
}

#[tokio::test]
async fn request_level_errors() {
    let ctx = start().await;
    assert_error(&ctx.get("/rest/v1/nothing/here.json", &[]).await, "610");
    assert_error(&ctx.get("/rest/v1/leads/1/merge.json", &[]).await, "605");
    // Lead Database POST with a form body → 612.
    let v: Value = ctx
        .http
        .post(ctx.url("/rest/v1/leads.json"))
        .bearer_auth(&ctx.token)
        .form(&[("input", "x")])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_error(&v, "612");
    // Body over 1 MB → 413; URI over 8 KB → 414.
    let big = "x".repeat(1024 * 1024 + 10);
    let r = ctx
        .http
        .post(ctx.url("/rest/v1/leads.json"))
        .bearer_auth(&ctx.token)
        .header("Content-Type", "application/json")
        .body(big)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 413);
    let long = "a".repeat(9000);
    let r = ctx
        .http
        .get(ctx.url("/rest/v1/leads.json"))
        .bearer_auth(&ctx.token)
        .query(&[("filterType", "email"), ("filterValues", long.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 414);
    // The 414 workaround: POST with _method=GET and the parameters in a form body.
    let v: Value = ctx
        .http
        .post(ctx.url("/rest/v1/leads.json"))
        .query(&[("_method", "GET")])
        .bearer_auth(&ctx.token)
        .form(&[("filterType", "email"), ("filterValues", "ada@example.com")])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(ok_result(&v)[0]["id"], 3001);
}

#[tokio::test]
async fn list_membership_with_query_ids() {
    let ctx = start().await;
    let v: Value = ctx
        .http
        .post(ctx.url("/rest/v1/lists/4002/leads.json?id=3004&id=3005"))
        .bearer_auth(&ctx.token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let r = ok_result(&v);
    assert_eq!(r.len(), 2);
    assert_eq!(ctx.emu.list_members(4002).unwrap(), vec![3004, 3005]);
}

#[tokio::test]
async fn token_names_must_use_the_my_form() {
    let ctx = start().await;
    let body = json!({"input": {"tokens": [{"name": "message", "value": "x"}]}});
    assert_error(
        &ctx.post_json("/rest/v1/campaigns/2001/schedule.json", &body)
            .await,
        "1003",
    );
    assert!(ctx.emu.schedules().is_empty());
}
