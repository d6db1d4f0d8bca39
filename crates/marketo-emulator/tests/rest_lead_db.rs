//! Area A (Lead Database): the request forms real clients send, and rules of
//! the new operations that are easier to check on the wire.

mod common;

use common::{Ctx, assert_error, ok_result, start};
use serde_json::{Value, json};

async fn post(ctx: &Ctx, path: &str, query: &[(&str, &str)], body: Option<&Value>) -> Value {
    let mut req = ctx
        .http
        .post(ctx.url(path))
        .bearer_auth(&ctx.token)
        .query(query);
    if let Some(b) = body {
        req = req.json(b);
    }
    req.send().await.expect("send").json().await.expect("json")
}

fn statuses(r: &[Value]) -> Vec<(i64, String)> {
    r.iter()
        .map(|v| {
            (
                v["id"].as_i64().unwrap_or(-1),
                v["status"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect()
}

#[tokio::test]
async fn method_get_as_query_or_form_field_on_a_post() {
    let ctx = start().await;
    // `_method=GET` in the query, parameters in the form body.
    let v: Value = ctx
        .http
        .post(ctx.url("/rest/v1/leads.json"))
        .bearer_auth(&ctx.token)
        .query(&[("_method", "GET")])
        .form(&[("filterType", "id"), ("filterValues", "3001,3002")])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(ok_result(&v).len(), 2);
    // `_method=GET` as a form field.
    let v = ctx
        .post_form(
            "/rest/v1/leads.json",
            &[
                ("_method", "GET"),
                ("filterType", "email"),
                ("filterValues", "ada@example.com"),
            ],
        )
        .await;
    let r = ok_result(&v);
    assert_eq!(r.len(), 1);
    assert_eq!(r[0]["id"], 3001);
    // Any other override is refused.
    let v = ctx
        .post_form("/rest/v1/leads.json", &[("_method", "PATCH")])
        .await;
    assert_error(&v, "605");
}

#[tokio::test]
async fn method_get_with_a_json_body_checks_membership() {
    let ctx = start().await;
    let body = json!({"input": [{"id": 3001}, {"id": "3004"}, {"id": 999_999}]});
    let v = post(
        &ctx,
        "/rest/v1/lists/4001/leads/ismember.json",
        &[("_method", "GET")],
        Some(&body),
    )
    .await;
    assert_eq!(
        statuses(&ok_result(&v)),
        vec![
            (3001, "memberof".to_owned()),
            (3004, "notmemberof".to_owned()),
            (999_999, "skipped".to_owned())
        ]
    );
    // Nothing changed.
    assert_eq!(ctx.emu.list_members(4001), Some(vec![3001, 3002, 3003]));
}

#[tokio::test]
async fn method_delete_with_a_json_body_removes() {
    let ctx = start().await;
    let body = json!({"input": [{"id": 3001}, {"id": "3002"}]});
    let v = post(
        &ctx,
        "/rest/v1/lists/4001/leads.json",
        &[("_method", "DELETE")],
        Some(&body),
    )
    .await;
    assert_eq!(
        statuses(&ok_result(&v)),
        vec![(3001, "removed".to_owned()), (3002, "removed".to_owned())]
    );
    assert_eq!(ctx.emu.list_members(4001), Some(vec![3003]));
    // As a form field, with the ids as form fields too.
    let v = ctx
        .post_form(
            "/rest/v1/lists/4001/leads.json",
            &[("_method", "DELETE"), ("id", "3003")],
        )
        .await;
    assert_eq!(statuses(&ok_result(&v)), vec![(3003, "removed".to_owned())]);
    assert_eq!(ctx.emu.list_members(4001), Some(vec![]));
}

#[tokio::test]
async fn numeric_ids_may_be_json_strings() {
    let ctx = start().await;
    let v = ctx
        .post_json(
            "/rest/v1/lists/4002/leads.json",
            &json!({"input": [{"id": "3005"}, {"id": 3004}]}),
        )
        .await;
    assert_eq!(
        statuses(&ok_result(&v)),
        vec![(3005, "added".to_owned()), (3004, "added".to_owned())]
    );
    assert_eq!(ctx.emu.list_members(4002), Some(vec![3004, 3005]));
    let v = ctx
        .post_json(
            "/rest/v1/leads/delete.json",
            &json!({"input": [{"id": "3005"}]}),
        )
        .await;
    assert_eq!(statuses(&ok_result(&v)), vec![(3005, "deleted".to_owned())]);
    assert!(ctx.emu.lead(3005).is_none());
    // Not a number at all: the call is refused.
    let v = ctx
        .post_json(
            "/rest/v1/lists/4002/leads.json",
            &json!({"input": [{"id": "x"}]}),
        )
        .await;
    assert_error(&v, "1003");
}

#[tokio::test]
async fn offset_paging_keeps_one_order_across_pages() {
    let ctx = start().await;
    ctx.emu.add_programs(45);
    let mut seen = Vec::new();
    let mut offset = 0;
    loop {
        let v = ctx
            .get(
                "/rest/asset/v1/programs.json",
                &[("maxReturn", "7"), ("offset", &offset.to_string())],
            )
            .await;
        let page = ok_result(&v);
        if page.is_empty() {
            break;
        }
        seen.extend(page.iter().map(|p| p["id"].as_i64().unwrap()));
        offset += 7;
    }
    let mut unique = seen.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(unique.len(), seen.len(), "no program twice");
    assert_eq!(seen.len(), ctx.emu.programs().len(), "no program skipped");
    // The same browse again gives the same order.
    let again = ok_result(
        &ctx.get("/rest/asset/v1/programs.json", &[("maxReturn", "7")])
            .await,
    );
    let first: Vec<i64> = again.iter().map(|p| p["id"].as_i64().unwrap()).collect();
    assert_eq!(first, seen[..7]);
}

#[tokio::test]
async fn delete_leads_through_delete_method_and_deleted_feed() {
    let ctx = start().await;
    let v: Value = ctx
        .http
        .delete(ctx.url("/rest/v1/leads.json"))
        .bearer_auth(&ctx.token)
        .json(&json!({"input": [{"id": 3001}, {"id": 42}]}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        statuses(&ok_result(&v)),
        vec![(3001, "deleted".to_owned()), (42, "skipped".to_owned())]
    );
    assert_eq!(ctx.emu.list_members(4001), Some(vec![3002, 3003]));
    assert_eq!(ctx.emu.program_member_ids(1001), vec![3002]);
    let token = ctx
        .get(
            "/rest/v1/activities/pagingtoken.json",
            &[("sinceDatetime", "2020-01-01T00:00:00Z")],
        )
        .await["nextPageToken"]
        .as_str()
        .unwrap()
        .to_owned();
    let v = ctx
        .get(
            "/rest/v1/activities/deletedleads.json",
            &[("nextPageToken", &token)],
        )
        .await;
    let r = ok_result(&v);
    assert_eq!(r.len(), 1);
    assert_eq!(r[0]["leadId"], 3001);
    assert_eq!(r[0]["activityTypeId"], 37);
}

#[tokio::test]
async fn usage_counts_calls_and_errors_of_the_day() {
    let ctx = start().await;
    let _ = ctx.get("/rest/v1/lists/987654.json", &[]).await;
    let v = ctx.get("/rest/v1/stats/errors.json", &[]).await;
    let r = ok_result(&v);
    assert_eq!(r.len(), 1);
    assert!(r[0]["total"].as_u64().unwrap() >= 1);
    assert!(
        r[0]["errors"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["errorCode"] == "1013")
    );
    let v = ctx.get("/rest/v1/stats/usage/last7days.json", &[]).await;
    let r = ok_result(&v);
    assert_eq!(r.len(), 7);
    assert!(r[0]["total"].as_u64().unwrap() >= 2);
}
