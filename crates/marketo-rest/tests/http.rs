//! The client against a local Marketo stand-in on 127.0.0.1: bearer
//! tokens, 601/602 refresh-and-retry, envelope errors, HTTP failures,
//! form and JSON bodies, paging streams.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use futures::{StreamExt, TryStreamExt};
use marketo_rest::marketo_auth::RestCredentials;
use marketo_rest::params::{
    BrowseProgramsParams, GetLeadsByFilterTypeParams, GetProgramByNameParams,
};
use marketo_rest::types::{
    CloneProgramRequest, Cost, CreateProgramRequest, FolderReference, FolderType, Lead,
    ProgramType, SyncAction, SyncLeadsRequest, Tag, UpdateProgramRequest,
};
use std::time::Duration;

use marketo_rest::marketo_resilience::RetryPolicy;
use marketo_rest::{Client, ClientCore, RestError};

const SECRET: &str = "s3cret-value";

/// One request the stand-in received.
#[derive(Debug, Clone)]
struct Call {
    method: String,
    path: String,
    query: BTreeMap<String, String>,
    raw_query: String,
    authorization: Option<String>,
    content_type: Option<String>,
    body: String,
}

type Respond = dyn Fn(&Call, usize) -> (u16, String) + Send + Sync;

struct Stand {
    tokens: AtomicUsize,
    calls: Mutex<Vec<Call>>,
    respond: Box<Respond>,
}

struct Server {
    base: String,
    stand: Arc<Stand>,
}

impl Server {
    fn calls(&self) -> Vec<Call> {
        self.stand.calls.lock().unwrap().clone()
    }

    fn tokens_issued(&self) -> usize {
        self.stand.tokens.load(Ordering::SeqCst)
    }

    fn client(&self) -> Client {
        Client::new(RestCredentials::new(&self.base, "client-id", SECRET).unwrap()).unwrap()
    }

    /// A client whose retries are quick (3 attempts, milliseconds apart).
    fn quick_client(&self) -> Client {
        quick_client(&self.base)
    }
}

fn quick_client(base: &str) -> Client {
    ClientCore::builder(RestCredentials::new(base, "client-id", SECRET).unwrap())
        .retry(RetryPolicy {
            max_attempts: 3,
            min_delay: Duration::from_millis(5),
            max_delay: Duration::from_millis(20),
            ..RetryPolicy::default()
        })
        .build_client()
        .unwrap()
}

async fn token(State(stand): State<Arc<Stand>>) -> Response {
    let n = stand.tokens.fetch_add(1, Ordering::SeqCst) + 1;
    let body = format!(
        r#"{{"access_token":"tok-{n}","token_type":"bearer","expires_in":3600,"scope":"api@example"}}"#
    );
    ([(header::CONTENT_TYPE, "application/json")], body).into_response()
}

async fn api(State(stand): State<Arc<Stand>>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let body: Bytes = axum::body::to_bytes(body, 1 << 20)
        .await
        .unwrap_or_default();
    let raw_query = parts.uri.query().unwrap_or("").to_owned();
    let query = url::form_urlencoded::parse(raw_query.as_bytes())
        .into_owned()
        .collect();
    let call = Call {
        method: parts.method.to_string(),
        path: parts.uri.path().to_owned(),
        query,
        raw_query,
        authorization: parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned),
        content_type: parts
            .headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned),
        body: String::from_utf8_lossy(&body).into_owned(),
    };
    let index = {
        let mut calls = stand.calls.lock().unwrap();
        calls.push(call.clone());
        calls.len() - 1
    };
    let (status, body) = (stand.respond)(&call, index);
    (
        StatusCode::from_u16(status).unwrap(),
        [(header::CONTENT_TYPE, "application/json")],
        body,
    )
        .into_response()
}

async fn serve(respond: impl Fn(&Call, usize) -> (u16, String) + Send + Sync + 'static) -> Server {
    let stand = Arc::new(Stand {
        tokens: AtomicUsize::new(0),
        calls: Mutex::new(Vec::new()),
        respond: Box::new(respond),
    });
    let app = Router::new()
        .route("/identity/oauth/token", get(token))
        .fallback(api)
        .with_state(stand.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    Server {
        base: format!("http://{addr}"),
        stand,
    }
}

fn program(id: i64) -> String {
    format!(
        r#"{{"id":{id},"name":"P{id}","description":"","createdAt":"2015-11-18T15:25:35Z+0000","updatedAt":"2015-11-18T15:25:46Z+0000","url":"https://x/#PG{id}A1","type":"Default","channel":"Content","folder":{{"type":"Folder","value":28,"folderName":"F"}},"status":"","workspace":"Default"}}"#
    )
}

fn ok_programs(ids: &[i64]) -> String {
    let items: Vec<String> = ids.iter().map(|&id| program(id)).collect();
    format!(
        r#"{{"success":true,"requestId":"req-ok","warnings":[],"errors":[],"result":[{}]}}"#,
        items.join(",")
    )
}

fn failure(code: &str, message: &str) -> String {
    format!(
        r#"{{"success":false,"requestId":"req-{code}","errors":[{{"code":"{code}","message":"{message}"}}]}}"#
    )
}

const NO_ASSETS: &str = r#"{"success":true,"errors":[],"requestId":"req-empty","warnings":["No assets found for the given search criteria."]}"#;

#[tokio::test]
async fn sends_the_bearer_header_and_never_a_token_in_the_url() {
    let server = serve(|_, _| (200, ok_programs(&[1107]))).await;
    let client = server.client();
    let response = client.get_program_by_id(1107).await.unwrap();
    assert_eq!(response.id, 1107);
    assert_eq!(response.request_id, "req-ok");
    let calls = server.calls();
    assert_eq!(calls.len(), 1);
    assert_eq!(calls[0].method, "GET");
    assert_eq!(calls[0].path, "/rest/asset/v1/program/1107.json");
    assert_eq!(calls[0].authorization.as_deref(), Some("Bearer tok-1"));
    assert!(
        !calls[0].raw_query.contains("access_token"),
        "{}",
        calls[0].raw_query
    );
    assert_eq!(server.tokens_issued(), 1);
    // A second call reuses the cached token.
    client.get_program_by_id(1107).await.unwrap();
    assert_eq!(server.tokens_issued(), 1);
}

async fn refreshes_once_after(code: &'static str) {
    let server = serve(move |_, index| match index {
        0 => (200, failure(code, "Access token invalid")),
        _ => (200, ok_programs(&[7])),
    })
    .await;
    let response = server.client().get_program_by_id(7).await.unwrap();
    assert_eq!(response.id, 7);
    let calls = server.calls();
    assert_eq!(calls.len(), 2, "one retry");
    assert_eq!(calls[0].authorization.as_deref(), Some("Bearer tok-1"));
    assert_eq!(calls[1].authorization.as_deref(), Some("Bearer tok-2"));
    assert_eq!(server.tokens_issued(), 2);
}

#[tokio::test]
async fn code_601_refreshes_the_token_and_retries_once() {
    refreshes_once_after("601").await;
}

#[tokio::test]
async fn code_602_refreshes_the_token_and_retries_once() {
    refreshes_once_after("602").await;
}

#[tokio::test]
async fn a_second_token_refusal_is_returned_not_retried_again() {
    let server = serve(|_, _| (200, failure("602", "Access token expired"))).await;
    let err = server.client().get_program_by_id(7).await.unwrap_err();
    assert_eq!(err.code(), Some("602"));
    assert_eq!(server.calls().len(), 2);
    assert_eq!(server.tokens_issued(), 2);
}

#[tokio::test]
async fn envelope_errors_are_typed_with_code_and_request_id() {
    let server = serve(|_, _| {
        (
            200,
            r#"{"success":false,"requestId":"e1#f","errors":[{"code":"702","message":"No data found"},{"code":"606","message":"Max rate limit exceeded"}]}"#.to_owned(),
        )
    })
    .await;
    let err = server
        .client()
        .get_program_by_name("Anything", GetProgramByNameParams::default())
        .await
        .unwrap_err();
    match &err {
        RestError::Api { request_id, errors } => {
            assert_eq!(request_id, "e1#f");
            assert_eq!(errors.len(), 2);
            assert_eq!(errors[0].message, "No data found");
        }
        other => panic!("expected Api, got {other:?}"),
    }
    assert_eq!(err.code(), Some("702"));
    assert_eq!(err.codes(), ["702", "606"]);
    assert!(err.is_rate_limited());
    // 702 is not transient: the helper says what the client did (one call).
    assert!(!err.is_retryable());
    assert_eq!(server.calls().len(), 1, "no retry for other codes");
}

#[tokio::test]
async fn warnings_reach_the_caller_and_an_empty_browse_page_is_no_error() {
    let server = serve(|_, _| (200, NO_ASSETS.to_owned())).await;
    let client = server.client();
    let page = client
        .browse_programs(BrowseProgramsParams::default())
        .await
        .unwrap();
    assert!(page.value.is_empty());
    assert_eq!(
        page.warnings,
        ["No assets found for the given search criteria."]
    );
    let streamed: Vec<_> = client
        .browse_programs_stream(BrowseProgramsParams::default())
        .try_collect()
        .await
        .unwrap();
    assert!(streamed.is_empty());
}

#[tokio::test]
async fn offset_stream_walks_pages_until_an_empty_one_and_can_resume() {
    // 5 programs, pages of 2, then "no assets".
    let server = serve(|call, _| {
        let offset: i64 = call
            .query
            .get("offset")
            .and_then(|o| o.parse().ok())
            .unwrap_or(0);
        let max: i64 = call
            .query
            .get("maxReturn")
            .and_then(|m| m.parse().ok())
            .unwrap_or(20);
        let ids: Vec<i64> = (offset..(offset + max).min(5)).map(|i| 100 + i).collect();
        if ids.is_empty() {
            (200, NO_ASSETS.to_owned())
        } else {
            (200, ok_programs(&ids))
        }
    })
    .await;
    let client = server.client();
    let params = BrowseProgramsParams::default().max_return(2);
    let ids: Vec<i32> = client
        .browse_programs_stream(params.clone())
        .with_prefetch(1)
        .map_ok(|p| p.id)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids, [100, 101, 102, 103, 104]);
    let offsets: Vec<String> = server
        .calls()
        .iter()
        .map(|c| c.query["offset"].clone())
        .collect();
    // The page at 4 is short (1 of 2): the last one, no call past it.
    assert_eq!(offsets, ["0", "2", "4"]);

    // By default, pages ahead are fetched (the throttle's 5 in flight)
    // after the first: the same items, and nothing at 5.
    let before = server.calls().len();
    let ids: Vec<i32> = client
        .browse_programs_stream(params.clone())
        .map_ok(|p| p.id)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids, [100, 101, 102, 103, 104]);
    let offsets: Vec<String> = server.calls()[before..]
        .iter()
        .map(|c| c.query["offset"].clone())
        .collect();
    assert_eq!(offsets[0], "0", "the first page goes alone");
    // 3 pages, plus at most 4 requested beyond the short one.
    assert!(offsets.len() <= 3 + 4, "{offsets:?}");
    assert!(!offsets.contains(&"5".to_owned()), "{offsets:?}");

    // Stop after three items, resume from the reported offset.
    let mut stream = client.browse_programs_stream(params.clone());
    for _ in 0..3 {
        stream.next().await.unwrap().unwrap();
    }
    let resume_at = stream.offset();
    assert_eq!(resume_at, 3);
    drop(stream);
    let rest: Vec<i32> = client
        .browse_programs_stream(params.offset(i32::try_from(resume_at).unwrap()))
        .map_ok(|p| p.id)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(rest, [103, 104]);
}

#[tokio::test]
async fn offset_stream_caps_the_page_size_at_the_spec_maximum() {
    // 450 programs; the server returns at most 200 a page, as Marketo does.
    let server = serve(|call, _| {
        let offset: i64 = call.query["offset"].parse().unwrap_or(0);
        let max: i64 = call.query["maxReturn"].parse().unwrap_or(20);
        let ids: Vec<i64> = (offset..(offset + max.min(200)).min(450))
            .map(|i| 100 + i)
            .collect();
        if ids.is_empty() {
            (200, NO_ASSETS.to_owned())
        } else {
            (200, ok_programs(&ids))
        }
    })
    .await;
    let client = server.client();
    // 500 asked, 200 served: a page of 200 is full, not the last.
    let ids: Vec<i32> = client
        .browse_programs_stream(BrowseProgramsParams::default().max_return(500))
        .with_prefetch(1)
        .map_ok(|p| p.id)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids, (100..550).collect::<Vec<i32>>());
    let offsets: Vec<String> = server
        .calls()
        .iter()
        .map(|c| c.query["offset"].clone())
        .collect();
    assert_eq!(offsets, ["0", "200", "400"]);
}

#[tokio::test]
async fn token_stream_follows_next_page_token_until_more_result_is_false() {
    let server = serve(|call, _| {
        let lead = |id: i64| format!(r#"{{"id":{id},"email":"l{id}@example.com","createdAt":"2016-05-17T22:11:45Z","score":{id}}}"#);
        let body = match call.query.get("nextPageToken").map(String::as_str) {
            None => format!(r#"{{"success":true,"requestId":"a","moreResult":true,"nextPageToken":"T1","result":[{},{}]}}"#, lead(1), lead(2)),
            Some("T1") => format!(r#"{{"success":true,"requestId":"b","moreResult":true,"nextPageToken":"T2","result":[{}]}}"#, lead(3)),
            Some("T2") => format!(r#"{{"success":true,"requestId":"c","moreResult":false,"nextPageToken":"T3","result":[{}]}}"#, lead(4)),
            Some(other) => panic!("unexpected token {other}"),
        };
        (200, body)
    })
    .await;
    let client = server.client();
    let mut stream = client.get_leads_by_filter_type_stream(
        "email",
        &["a@example.com".to_owned(), "b@example.com".to_owned()],
        GetLeadsByFilterTypeParams::default().batch_size(2),
    );
    let mut ids = Vec::new();
    let mut resume_tokens = Vec::new();
    while let Some(lead) = stream.next().await {
        let lead: Lead = lead.unwrap();
        ids.push(lead.id.unwrap());
        if stream.pending_items() == 0 {
            resume_tokens.push(stream.next_page_token().map(str::to_owned));
        }
    }
    assert_eq!(ids, [1, 2, 3, 4]);
    assert_eq!(
        resume_tokens,
        [Some("T1".to_owned()), Some("T2".to_owned()), None]
    );
    let calls = server.calls();
    assert_eq!(calls.len(), 3);
    assert_eq!(
        calls[0].query["filterValues"],
        "a@example.com,b@example.com"
    );
    assert_eq!(calls[0].query["filterType"], "email");
    assert_eq!(calls[1].query["nextPageToken"], "T1");
    assert_eq!(calls[2].query["nextPageToken"], "T2");
}

#[tokio::test]
async fn filter_values_are_comma_joined() {
    let server = serve(|_, _| (200, ok_programs(&[1]))).await;
    server
        .client()
        .browse_programs(
            BrowseProgramsParams::default()
                .filter_type(marketo_rest::types::ProgramFilterType::Id)
                .filter_values(vec!["1001".to_owned(), "1002".to_owned()]),
        )
        .await
        .unwrap();
    let call = &server.calls()[0];
    assert_eq!(call.query["filterType"], "id");
    assert_eq!(call.query["filterValues"], "1001,1002");
    assert!(
        call.raw_query.contains("filterValues=1001%2C1002"),
        "{}",
        call.raw_query
    );
}

fn form(call: &Call) -> BTreeMap<String, String> {
    url::form_urlencoded::parse(call.body.as_bytes())
        .into_owned()
        .collect()
}

#[tokio::test]
async fn create_and_update_encode_structured_fields_as_json_in_the_form() {
    let server = serve(|_, _| (200, ok_programs(&[1207]))).await;
    let client = server.client();
    let create = CreateProgramRequest::new(
        "API Test Program",
        FolderReference::new(1035, FolderType::Folder),
        ProgramType::Default,
        "Email Blast",
    )
    .description("Sample API Program")
    .costs(vec![Cost::new(time::macros::date!(2015 - 01 - 01), 2000)]);
    client.create_program(&create).await.unwrap();
    let update = UpdateProgramRequest::new()
        .description("This is an updated description")
        .name("Updated Program Name")
        .costs(vec![
            Cost::new(time::macros::date!(2016 - 01 - 01), 200).note("Google Adwords"),
        ])
        .tags(vec![Tag::new("Presenter", "Dennis")]);
    client.update_program(1110, &update).await.unwrap();
    let clone = CloneProgramRequest::new(
        "Cloned Program",
        FolderReference::new(5562, FolderType::Folder),
    )
    .description("Description");
    client.clone_program(1110, &clone).await.unwrap();

    let calls = server.calls();
    assert_eq!(calls[0].method, "POST");
    assert_eq!(calls[0].path, "/rest/asset/v1/programs.json");
    assert_eq!(
        calls[0].content_type.as_deref(),
        Some("application/x-www-form-urlencoded")
    );
    let expected: BTreeMap<String, String> = [
        ("name", "API Test Program"),
        ("folder", r#"{"id":1035,"type":"Folder"}"#),
        ("description", "Sample API Program"),
        ("type", "Default"),
        ("channel", "Email Blast"),
        ("costs", r#"[{"startDate":"2015-01-01","cost":2000}]"#),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect();
    assert_eq!(form(&calls[0]), expected);

    assert_eq!(calls[1].path, "/rest/asset/v1/program/1110.json");
    let expected: BTreeMap<String, String> = [
        ("description", "This is an updated description"),
        ("name", "Updated Program Name"),
        (
            "costs",
            r#"[{"startDate":"2016-01-01","cost":200,"note":"Google Adwords"}]"#,
        ),
        ("tags", r#"[{"tagType":"Presenter","tagValue":"Dennis"}]"#),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect();
    assert_eq!(form(&calls[1]), expected);

    assert_eq!(calls[2].path, "/rest/asset/v1/program/1110/clone.json");
    assert_eq!(form(&calls[2])["folder"], r#"{"id":5562,"type":"Folder"}"#);
}

#[tokio::test]
async fn lead_database_posts_send_json() {
    let server = serve(|_, _| {
        (
            200,
            r#"{"success":true,"requestId":"s","result":[{"id":50,"status":"created"},{"status":"skipped","reasons":[{"code":"1005","message":"Lead already exists"}]},{"id":51,"status":"merged"}]}"#.to_owned(),
        )
    })
    .await;
    let lead = Lead::new()
        .email("kim@example.com")
        .additional_property("company", "Acme");
    let request = SyncLeadsRequest::new(vec![lead])
        .action(SyncAction::CreateOnly)
        .lookup_field("email");
    let response = server.client().sync_leads(&request).await.unwrap();
    let statuses: Vec<String> = response
        .value
        .iter()
        .map(|r| r.status.to_string())
        .collect();
    assert_eq!(
        statuses,
        ["created", "skipped", "merged"],
        "unknown `merged` kept"
    );
    assert_eq!(response.value[1].reasons.as_ref().unwrap()[0].code, "1005");
    let call = &server.calls()[0];
    assert_eq!(call.path, "/rest/v1/leads.json");
    assert_eq!(call.content_type.as_deref(), Some("application/json"));
    let body: serde_json::Value = serde_json::from_str(&call.body).unwrap();
    assert_eq!(
        body,
        serde_json::json!({"action":"createOnly","lookupField":"email","input":[{"email":"kim@example.com","company":"Acme"}]})
    );
}

#[tokio::test]
async fn malformed_json_is_a_decode_error_with_an_excerpt() {
    let server = serve(|_, _| {
        (
            200,
            r#"{"success":true,"requestId":"x","result":[{"id":"#.to_owned(),
        )
    })
    .await;
    let err = server.client().get_program_by_id(1).await.unwrap_err();
    match &err {
        RestError::Decode {
            status,
            problem,
            excerpt,
        } => {
            assert_eq!(*status, 200);
            assert!(!problem.is_empty());
            assert!(excerpt.starts_with(r#"{"success":true"#), "{excerpt}");
        }
        other => panic!("expected Decode, got {other:?}"),
    }
    assert!(!err.is_retryable());
}

#[tokio::test]
async fn http_failures_have_their_own_variants() {
    let server = serve(|call, _| match call.path.as_str() {
        "/rest/asset/v1/program/413.json" => (413, "Request Entity Too Large".to_owned()),
        "/rest/asset/v1/program/414.json" => (414, "URI Too Long".to_owned()),
        _ => (503, "Service Unavailable".to_owned()),
    })
    .await;
    let client = server.quick_client();
    assert!(matches!(
        client.get_program_by_id(413).await,
        Err(RestError::PayloadTooLarge { .. })
    ));
    assert!(matches!(
        client.get_program_by_id(414).await,
        Err(RestError::UriTooLong { .. })
    ));
    let err = client.get_program_by_id(500).await.unwrap_err();
    match &err {
        RestError::HttpStatus { status, excerpt } => {
            assert_eq!(*status, 503);
            assert_eq!(excerpt, "Service Unavailable");
        }
        other => panic!("expected HttpStatus, got {other:?}"),
    }
    assert!(err.is_retryable());
    // 413 and 414 once each, the 503 three times (the quick policy's attempts).
    assert_eq!(server.calls().len(), 5);
}

#[tokio::test]
async fn transport_errors_are_distinct() {
    // Nothing listens on this port once the listener is dropped.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let client = quick_client(&base);
    let err = client.get_program_by_id(1).await.unwrap_err();
    // The token request fails first: a retryable auth (transport) error.
    assert!(matches!(err, RestError::Auth(_)), "{err:?}");
    assert!(err.is_retryable());
}

#[tokio::test]
async fn no_secret_or_token_in_debug_or_errors() {
    let server = serve(|_, _| (200, failure("702", "No data"))).await;
    let client = server.client();
    let err = client.get_program_by_id(1).await.unwrap_err();
    for text in [format!("{client:?}"), format!("{err:?}"), err.to_string()] {
        assert!(!text.contains(SECRET), "{text}");
        assert!(!text.contains("tok-1"), "{text}");
    }
}
