//! Every REST generator case under `xtask/tests/rest/<case>/` compiles as
//! generated (in a crate other than `marketo-rest`, as a user's would) and
//! round-trips its `example.json`.

use std::fmt::Debug;

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

#[allow(dead_code, unused_imports)]
#[rustfmt::skip]
#[path = "../../xtask/tests/rest/additional_properties/expected/mod.rs"]
mod additional_properties;
#[allow(dead_code, unused_imports)]
#[rustfmt::skip]
#[path = "../../xtask/tests/rest/api_shape/expected/mod.rs"]
mod api_shape;
#[allow(dead_code, unused_imports)]
#[rustfmt::skip]
#[path = "../../xtask/tests/rest/all_of_refs/expected/mod.rs"]
mod all_of_refs;
#[allow(dead_code, unused_imports)]
#[rustfmt::skip]
#[path = "../../xtask/tests/rest/date_times/expected/mod.rs"]
mod date_times;
#[allow(dead_code, unused_imports)]
#[rustfmt::skip]
#[path = "../../xtask/tests/rest/enums/expected/mod.rs"]
mod enums;
#[allow(dead_code, unused_imports)]
#[rustfmt::skip]
#[path = "../../xtask/tests/rest/files/expected/mod.rs"]
mod files;
#[allow(dead_code, unused_imports)]
#[rustfmt::skip]
#[path = "../../xtask/tests/rest/flat_envelope/expected/mod.rs"]
mod flat_envelope;
#[allow(dead_code, unused_imports)]
#[rustfmt::skip]
#[path = "../../xtask/tests/rest/form_body/expected/mod.rs"]
mod form_body;
#[allow(dead_code, unused_imports)]
#[rustfmt::skip]
#[path = "../../xtask/tests/rest/json_body/expected/mod.rs"]
mod json_body;
#[allow(dead_code, unused_imports)]
#[rustfmt::skip]
#[path = "../../xtask/tests/rest/optional_required/expected/mod.rs"]
mod optional_required;
#[allow(dead_code, unused_imports)]
#[rustfmt::skip]
#[path = "../../xtask/tests/rest/paging_offset/expected/mod.rs"]
mod paging_offset;
#[allow(dead_code, unused_imports)]
#[rustfmt::skip]
#[path = "../../xtask/tests/rest/paging_token/expected/mod.rs"]
mod paging_token;
#[allow(dead_code, unused_imports)]
#[rustfmt::skip]
#[path = "../../xtask/tests/rest/query_styles/expected/mod.rs"]
mod query_styles;

fn example(json: &str, key: &str) -> Value {
    let all: Value = serde_json::from_str(json).expect("example.json is JSON");
    all.get(key)
        .cloned()
        .unwrap_or_else(|| panic!("example.json has no `{key}`"))
}

/// Decodes `value` as `T`, encodes it again and decodes that: both values
/// must be equal. Returns the value and its encoding.
fn round_trip<T: Serialize + DeserializeOwned + PartialEq + Debug>(value: &Value) -> (T, Value) {
    let decoded: T = serde_json::from_value(value.clone()).expect("example decodes");
    let encoded = serde_json::to_value(&decoded).expect("encodes");
    let again: T = serde_json::from_value(encoded.clone()).expect("re-decodes");
    assert_eq!(decoded, again);
    (decoded, encoded)
}

/// Like [`round_trip`], and the encoding equals the example exactly.
fn exact<T: Serialize + DeserializeOwned + PartialEq + Debug>(value: &Value) -> T {
    let (decoded, encoded) = round_trip::<T>(value);
    assert_eq!(&encoded, value);
    decoded
}

#[test]
fn additional_properties_are_kept_in_a_flattened_map() {
    let json = include_str!("../../xtask/tests/rest/additional_properties/example.json");
    let record: additional_properties::types::Record = exact(&example(json, "Record"));
    assert_eq!(record.id, 5);
    assert_eq!(record.counts.as_ref().and_then(|c| c.get("b")), Some(&2));
    assert_eq!(record.additional_properties["company"], "Acme");
    assert_eq!(record.additional_properties.len(), 3);
    let scores: additional_properties::types::Scores = exact(&example(json, "Scores"));
    assert_eq!(scores.additional_properties["math"], 1.5);
}

#[test]
fn all_of_merges_and_recursion_is_boxed() {
    let json = include_str!("../../xtask/tests/rest/all_of_refs/example.json");
    let node: all_of_refs::types::Node = exact(&example(json, "Node"));
    assert_eq!(node.label.as_deref(), Some("root"));
    assert_eq!(node.meta.owner.as_deref(), Some("me"));
    let child = &node.children.as_ref().expect("children")[0];
    let parent: &all_of_refs::types::Node = child.parent.as_deref().expect("parent");
    assert_eq!(parent.id, 1);
    let _alias: all_of_refs::types::NodeAlias = node.clone();
}

#[test]
fn date_times_read_marketo_and_rfc3339_forms() {
    use time::macros::{date, datetime};
    let json = include_str!("../../xtask/tests/rest/date_times/example.json");
    let (slot, encoded) = round_trip::<date_times::types::Slot>(&example(json, "Slot"));
    assert_eq!(slot.starts_at, datetime!(2015-05-21 22:45:13 UTC));
    assert_eq!(slot.ends_at, Some(datetime!(2015-05-21 23:45:13 UTC)));
    assert_eq!(slot.cancelled_at, None);
    assert_eq!(slot.day, date!(2015 - 05 - 21));
    assert_eq!(slot.review_day, None);
    assert_eq!(slot.when, Some(datetime!(2016-05-17 22:11:45 UTC)));
    assert_eq!(encoded["startsAt"], "2015-05-21T22:45:13Z");
    assert_eq!(encoded["day"], "2015-05-21");
    assert_eq!(
        encoded["cancelledAt"],
        Value::Null,
        "nullable members write null"
    );
}

#[test]
fn enums_keep_unknown_values() {
    use enums::types::{Job, JobPriority, JobState};
    let json = include_str!("../../xtask/tests/rest/enums/example.json");
    let job: Job = exact(&example(json, "Job"));
    assert_eq!(job.state, JobState::InProgress);
    assert_eq!(job.priority, Some(JobPriority::High));
    let unknown: Job = exact(&example(json, "JobUnknown"));
    // `JobState` lists a value `Unknown`, so its catch-all is `UnknownValue`.
    assert_eq!(unknown.state, JobState::UnknownValue("paused".into()));
    assert_eq!(
        unknown.priority,
        Some(JobPriority::Unknown("urgent".into()))
    );
    let states: Vec<JobState> = exact(&example(json, "JobState"));
    assert_eq!(
        states,
        [
            JobState::Queued,
            JobState::InProgress,
            JobState::Empty,
            JobState::Other,
            JobState::V2ndTry,
            JobState::Done,
            JobState::Unknown,
            JobState::UnknownValue("brand new".into()),
        ]
    );
    assert_eq!(JobState::Other.as_str(), "Other");
    assert_eq!(JobState::from("Other"), JobState::Other);
    assert_eq!(JobState::from("Unknown"), JobState::Unknown);
    assert_eq!(
        "later".parse::<JobState>(),
        Ok(JobState::UnknownValue("later".into()))
    );
    assert_eq!(JobState::from(String::from("done")), JobState::Done);
    assert_eq!(JobState::UnknownValue("x".into()).as_str(), "x");
    assert_eq!(JobState::InProgress.to_string(), "In Progress");
    assert_eq!(JobState::WIRE_VALUES.len(), 7);
}

#[test]
fn form_body_types_round_trip() {
    let json = include_str!("../../xtask/tests/rest/form_body/example.json");
    let thing: form_body::types::CreateThing = exact(&example(json, "CreateThing"));
    assert_eq!(thing.folder.type_, form_body::types::FolderRefType::Folder);
    let id: form_body::types::ThingId = exact(&example(json, "ThingId"));
    assert_eq!(id.id, 12);
}

#[test]
fn json_body_types_round_trip() {
    let json = include_str!("../../xtask/tests/rest/json_body/example.json");
    let order: json_body::types::Order = exact(&example(json, "Order"));
    assert_eq!(order.lines[0].quantity, 2);
    assert_eq!(order.weight, Some(1.25_f32));
    let receipt: json_body::types::PlaceOrderResponse = exact(&example(json, "PlaceOrderResponse"));
    assert_eq!(receipt.order_id, "o-1");
}

#[test]
fn optional_and_required_members() {
    let json = include_str!("../../xtask/tests/rest/optional_required/example.json");
    let account: optional_required::types::Account = exact(&example(json, "Account"));
    assert_eq!(account.parent, None);
    assert_eq!(account.nickname, None);
    assert_eq!(account.type_.as_deref(), Some("customer"));
    let full: optional_required::types::Account = exact(&example(json, "AccountFull"));
    assert_eq!(full.parent, Some(1));
    assert_eq!(full.note.as_deref(), Some("n"));
    // A required member that is missing is an error, not a default.
    assert!(
        serde_json::from_str::<optional_required::types::Account>(r#"{"id":1,"parent":null}"#)
            .is_err()
    );
    let params = optional_required::params::GetAccountParams::default().verbose(true);
    assert_eq!(params.verbose, Some(true));
}

#[test]
fn offset_paging_envelopes() {
    let json = include_str!("../../xtask/tests/rest/paging_offset/example.json");
    let (page, _) =
        round_trip::<paging_offset::types::WidgetResponse>(&example(json, "WidgetResponse"));
    let widgets = page.into_response().expect("success").value;
    assert_eq!(widgets.iter().map(|w| w.id).collect::<Vec<_>>(), [1, 2]);
    let (empty, _) =
        round_trip::<paging_offset::types::WidgetResponse>(&example(json, "WidgetResponseEmpty"));
    let response = empty.into_response().expect("an empty page is a success");
    assert!(response.value.is_empty());
    assert_eq!(response.warnings.len(), 1);
}

#[test]
fn token_paging_envelopes() {
    let json = include_str!("../../xtask/tests/rest/paging_token/example.json");
    let (page, _) =
        round_trip::<paging_token::types::EventResponse>(&example(json, "EventResponse"));
    assert_eq!(page.more_result, Some(true));
    assert_eq!(page.next_page_token.as_deref(), Some("T1"));
    let events = page.result.expect("result");
    assert_eq!(events[0].data, Some(serde_json::json!({"x": [1, 2]})));
}

#[test]
fn query_style_types_round_trip() {
    let json = include_str!("../../xtask/tests/rest/query_styles/example.json");
    let item: query_styles::types::Item = exact(&example(json, "Item"));
    assert_eq!(item.id, 7);
    let params = query_styles::params::SearchItemsParams::default()
        .order(query_styles::types::SearchItemsOrder::Desc)
        .words(vec!["a".to_owned()]);
    assert_eq!(
        params.order,
        Some(query_styles::types::SearchItemsOrder::Desc)
    );
}

/// A stand-in server: answers the token endpoint, records every other
/// request (method, path, raw query, body) and answers it with `answer`.
mod stand_in {
    use std::sync::{Arc, Mutex};

    use axum::Router;
    use axum::extract::{Request, State};
    use axum::routing::get;

    /// What the stand-in saw: method, path, raw query, body.
    pub type Seen = Arc<Mutex<Vec<(String, String, String, String)>>>;

    pub async fn start(answer: &'static str) -> (String, Seen) {
        let seen: Seen = Arc::default();
        let app = Router::new()
            .route(
                "/identity/oauth/token",
                get(|| async { r#"{"access_token":"t","token_type":"bearer","expires_in":3600}"# }),
            )
            .fallback(
                move |State(seen): State<Seen>, request: Request| async move {
                    let (parts, body) = request.into_parts();
                    let body = axum::body::to_bytes(body, 1 << 20)
                        .await
                        .unwrap_or_default();
                    seen.lock().unwrap().push((
                        parts.method.to_string(),
                        parts.uri.path().to_owned(),
                        parts.uri.query().unwrap_or("").to_owned(),
                        String::from_utf8_lossy(&body).into_owned(),
                    ));
                    ([("content-type", "application/json")], answer)
                },
            )
            .with_state(seen.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        (base, seen)
    }

    pub fn credentials(base: &str) -> marketo_rest::marketo_auth::RestCredentials {
        marketo_rest::marketo_auth::RestCredentials::new(base, "id", "secret").unwrap()
    }
}

#[tokio::test]
async fn query_styles_are_written_as_declared() {
    use query_styles::params::SearchItemsParams;
    use query_styles::types::SearchItemsOrder;
    let (base, seen) = stand_in::start(r#"[{"id":7}]"#).await;
    let client = query_styles::Client::new(stand_in::credentials(&base)).unwrap();
    let items = client
        .search_items(
            42,
            "a b/c",
            &["id".to_owned(), "name".to_owned()],
            "x",
            SearchItemsParams::default()
                .id(vec![1, 2])
                .words(vec!["hello".to_owned(), "world".to_owned()])
                .codes(vec!["p".to_owned(), "q".to_owned()])
                .order(SearchItemsOrder::Desc)
                .since(time::macros::datetime!(2017-01-01 00:00 -5))
                .exact(true),
        )
        .await
        .unwrap();
    assert_eq!(items[0].id, 7);
    let (method, path, query, _) = seen.lock().unwrap()[0].clone();
    assert_eq!(method, "GET");
    assert_eq!(path, "/items/42/a%20b%2Fc.json");
    let pairs: Vec<(String, String)> = url::form_urlencoded::parse(query.as_bytes())
        .into_owned()
        .collect();
    let expected: Vec<(String, String)> = [
        ("fields", "id,name"),
        ("id", "1"),
        ("id", "2"),
        ("words", "hello world"),
        ("codes", "p|q"),
        ("order", "desc"),
        ("since", "2017-01-01T00:00:00-05:00"),
        ("exact", "true"),
        ("path", "x"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect();
    assert_eq!(pairs, expected);
}

#[tokio::test]
async fn form_fields_follow_their_encoding() {
    use form_body::things::UpdateThingParams;
    use form_body::types::{CreateThing, FolderRef, FolderRefType, Label, UpdateThingRequest};
    let (base, seen) = stand_in::start(r#"{"id":12}"#).await;
    let client = form_body::Client::new(stand_in::credentials(&base)).unwrap();
    let thing = CreateThing::new("box", FolderRef::new(1035, FolderRefType::Folder))
        .labels(vec![Label::new("k", "v")])
        .aliases(vec!["a".to_owned(), "b".to_owned()])
        .size(3);
    assert_eq!(client.create_thing(&thing).await.unwrap().id, 12);
    // Arguments named like the generated body's block locals keep their names.
    client
        .update_thing(5, "v", "f", UpdateThingParams::new(), None)
        .await
        .unwrap();
    let noted = UpdateThingParams::new().note("n");
    client
        .update_thing(
            5,
            "v",
            "f",
            noted,
            Some(&UpdateThingRequest::new().name("new")),
        )
        .await
        .unwrap();
    let seen = seen.lock().unwrap().clone();
    let form: Vec<(String, String)> = url::form_urlencoded::parse(seen[0].3.as_bytes())
        .into_owned()
        .collect();
    let expected: Vec<(String, String)> = [
        ("name", "box"),
        ("folder", r#"{"id":1035,"type":"Folder"}"#),
        ("labels", r#"[{"key":"k","value":"v"}]"#),
        ("aliases", "a"),
        ("aliases", "b"),
        ("size", "3"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect();
    assert_eq!(form, expected);
    assert_eq!(
        (seen[1].0.as_str(), seen[1].1.as_str(), seen[1].3.as_str()),
        ("POST", "/things/5.json", "")
    );
    assert_eq!(seen[1].2, "value=v&form=f");
    assert_eq!(seen[2].2, "value=v&form=f&note=n");
    assert_eq!(seen[2].3, "name=new");
}

#[tokio::test]
async fn json_bodies_are_serialized() {
    use json_body::types::{Order, OrderLinesItem};
    let (base, seen) = stand_in::start(r#"{"orderId":"o-9"}"#).await;
    let client = json_body::Client::new(stand_in::credentials(&base)).unwrap();
    let order = Order::new(vec![OrderLinesItem::new("A-1", 2)]).price(9.5);
    assert_eq!(client.place_order(&order).await.unwrap().order_id, "o-9");
    client
        .set_notes("o 9", Some(&vec!["fragile".to_owned()]))
        .await
        .unwrap();
    let seen = seen.lock().unwrap().clone();
    let body: Value = serde_json::from_str(&seen[0].3).unwrap();
    assert_eq!(
        body,
        serde_json::json!({"lines":[{"sku":"A-1","quantity":2}],"price":9.5})
    );
    assert_eq!(seen[1].0, "PUT");
    assert_eq!(seen[1].1, "/orders/o%209/notes.json");
    assert_eq!(seen[1].3, r#"["fragile"]"#);
}

#[tokio::test]
async fn paged_fixture_streams_end_on_an_empty_page() {
    use marketo_rest::futures::TryStreamExt;
    let (base, seen) = stand_in::start(
        r#"{"requestId":"r","success":true,"warnings":["No assets found for the given search criteria."]}"#,
    )
    .await;
    let client = paging_offset::Client::new(stand_in::credentials(&base)).unwrap();
    let ids: Vec<i32> = client
        .widgets_by_folder_stream(3, 40)
        .map_ok(|w| w.id)
        .try_collect()
        .await
        .unwrap();
    assert!(ids.is_empty());
    let seen = seen.lock().unwrap().clone();
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].2, "folder=3&offset=40");
}

#[test]
fn api_shape_types_round_trip() {
    use api_shape::types::{Gadget, GadgetKind, RunData, RunRequest};
    let json = include_str!("../../xtask/tests/rest/api_shape/example.json");
    let gadget: Gadget = exact(&example(json, "Gadget"));
    // `type` and `self` are keywords: `type_` and `self_`, renamed on the wire.
    assert_eq!(gadget.type_, GadgetKind::Widget);
    assert_eq!(gadget.self_.as_deref(), Some("s"));
    assert_eq!(
        gadget,
        Gadget::new(1, GadgetKind::Widget).label("w").self_("s")
    );
    let odd: Gadget = exact(&example(json, "GadgetUnknownKind"));
    assert_eq!(odd.type_, GadgetKind::UnknownValue("sprocket".into()));
    let kinds: Vec<GadgetKind> = exact(&example(json, "GadgetKind"));
    assert_eq!(
        kinds,
        [
            GadgetKind::Widget,
            GadgetKind::Unknown,
            GadgetKind::UnknownValue("sprocket".into())
        ]
    );
    let run: RunRequest = exact(&example(json, "RunRequest"));
    assert_eq!(run.input, RunData::new().speed(3));
}

#[tokio::test]
async fn api_shape_single_results_wrapped_bodies_and_idempotency() {
    use api_shape::types::{GadgetKind, RunData};
    let (base, seen) =
        stand_in::start(r#"{"requestId":"r1","success":true,"result":[{"id":7,"type":"widget"}]}"#)
            .await;
    let client = api_shape::Client::new(stand_in::credentials(&base)).unwrap();
    // A get-by-id answers the item itself, with the envelope's request id.
    let gadget = client.get_gadget_by_id(7).await.unwrap();
    assert_eq!(gadget.id, 7);
    assert_eq!(gadget.type_, GadgetKind::Widget);
    assert_eq!(gadget.request_id, "r1");
    // A single-member body is taken unwrapped and sent wrapped.
    let ran = client
        .run_gadget(7, &RunData::new().speed(2).note("go"))
        .await
        .unwrap();
    assert_eq!(ran.value.len(), 1);
    client.find_gadgets(&[1, 2]).await.unwrap();
    let seen = seen.lock().unwrap().clone();
    assert_eq!(seen[1].1, "/gadgets/7/run.json");
    let body: Value = serde_json::from_str(&seen[1].3).unwrap();
    assert_eq!(
        body,
        serde_json::json!({"input": {"speed": 2, "note": "go"}})
    );
    let body: Value = serde_json::from_str(&seen[2].3).unwrap();
    assert_eq!(body, serde_json::json!({"input": [1, 2]}));
}

#[tokio::test]
async fn api_shape_get_by_id_with_an_empty_result_is_not_found() {
    let (base, _) = stand_in::start(r#"{"requestId":"r2","success":true,"result":[]}"#).await;
    let client = api_shape::Client::new(stand_in::credentials(&base)).unwrap();
    let err = client.get_gadget_by_id(8).await.unwrap_err();
    assert!(err.is_not_found(), "{err:?}");
    assert!(
        matches!(&err, marketo_rest::RestError::NotFound { request_id, .. } if request_id == "r2"),
        "{err:?}"
    );
}

/// A stand-in for the `files` case: a CSV file served whole or by `Range`
/// (checking the required header), and a multipart upload whose parts are
/// counted.
async fn files_stand_in() -> String {
    use axum::Router;
    use axum::extract::Request;
    use axum::http::{HeaderMap, StatusCode};
    use axum::routing::{get, post};
    const FILE: &[u8] = b"id,name\n1,a\n2,b\n";
    let app = Router::new()
        .route(
            "/identity/oauth/token",
            get(|| async { r#"{"access_token":"t","token_type":"bearer","expires_in":3600}"# }),
        )
        .route(
            "/reports/7/file.csv",
            get(|headers: HeaderMap| async move {
                assert_eq!(headers["x-trace"], "t-1");
                let range = headers.get("range").and_then(|r| {
                    r.to_str()
                        .ok()?
                        .strip_prefix("bytes=")?
                        .strip_suffix('-')?
                        .parse::<usize>()
                        .ok()
                });
                match range {
                    None => (
                        StatusCode::OK,
                        [("content-type", "text/csv"), ("content-range", "")],
                        FILE.to_vec(),
                    ),
                    Some(first) => (
                        StatusCode::PARTIAL_CONTENT,
                        [("content-type", "text/csv"), ("content-range", "")],
                        FILE[first..].to_vec(),
                    ),
                }
                .into_response_with_range(FILE.len())
            }),
        )
        .route(
            "/uploads.json",
            post(|request: Request| async move {
                let body = axum::body::to_bytes(request.into_body(), 32 << 20)
                    .await
                    .unwrap();
                let text = String::from_utf8_lossy(&body);
                assert!(
                    text.contains("name=\"file\"; filename=\"data.csv\""),
                    "{}",
                    &text[..200.min(text.len())]
                );
                assert!(text.contains("name=\"note\"\r\n\r\nhello"));
                assert_eq!(text.matches("name=\"tags\"").count(), 2);
                assert!(text.contains("{\"k\":\"v\"}"));
                (
                    [("content-type", "application/json")],
                    format!("{{\"size\":{}}}", body.len()),
                )
            }),
        );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    base
}

trait WithRange {
    fn into_response_with_range(self, total: usize) -> axum::response::Response;
}

impl WithRange
    for (
        axum::http::StatusCode,
        [(&'static str, &'static str); 2],
        Vec<u8>,
    )
{
    fn into_response_with_range(self, total: usize) -> axum::response::Response {
        use axum::response::IntoResponse as _;
        let (status, _, body) = self;
        let mut response = (status, [("content-type", "text/csv")], body.clone()).into_response();
        if status == axum::http::StatusCode::PARTIAL_CONTENT {
            let first = total - body.len();
            let value = format!("bytes {first}-{}/{total}", total - 1);
            response
                .headers_mut()
                .insert("content-range", value.parse().unwrap());
        }
        response
    }
}

#[tokio::test]
async fn header_parameters_file_answers_and_multipart_uploads() {
    use files::params::GetReportFileParams;
    use files::types::{Upload, UploadMeta};
    let base = files_stand_in().await;
    let client = files::Client::new(stand_in::credentials(&base)).unwrap();
    let whole = client
        .get_report_file(7, "t-1", GetReportFileParams::new())
        .await
        .unwrap();
    assert_eq!((whole.status(), whole.content_range()), (200, None));
    assert_eq!(whole.bytes().await.unwrap(), b"id,name\n1,a\n2,b\n");
    let part = client
        .get_report_file(7, "t-1", GetReportFileParams::new().range("bytes=8-"))
        .await
        .unwrap();
    assert_eq!(part.status(), 206);
    let range = part.content_range().unwrap();
    assert_eq!((range.first, range.last, range.total), (8, 15, Some(16)));
    assert_eq!(part.offset(), 8);
    assert_eq!(part.bytes().await.unwrap(), b"1,a\n2,b\n");

    // A 10 MB file is streamed from disk, not read into memory first.
    let dir = std::env::temp_dir().join(format!("marketo-files-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("data.csv");
    std::fs::write(&path, vec![b'x'; 10 << 20]).unwrap();
    let upload = Upload::new(marketo_rest::FilePart::from_path(&path))
        .note("hello")
        .tags(vec!["a".to_owned(), "b".to_owned()])
        .meta(UploadMeta::new().k("v"));
    let receipt = client.upload_file(&upload).await.unwrap();
    assert!(receipt.size > 10 << 20);
    std::fs::remove_dir_all(&dir).ok();
}

#[tokio::test]
async fn flat_envelopes_return_their_result_and_page() {
    use flat_envelope::params::{BrowseGadgetsParams, GetGadgetsParams};
    use futures::TryStreamExt as _;
    let (base, _seen) = stand_in::start(
        r#"{"requestId":"r#1","success":true,"warnings":[],"result":[{"id":1,"name":"a"},{"id":2}]}"#,
    )
    .await;
    let client = flat_envelope::Client::new(stand_in::credentials(&base)).unwrap();
    let page = client.get_gadgets(GetGadgetsParams::new()).await.unwrap();
    assert_eq!(page.request_id, "r#1");
    assert_eq!(page.value.iter().map(|g| g.id).collect::<Vec<_>>(), [1, 2]);
    let by_token: Vec<_> = client
        .get_gadgets_stream(GetGadgetsParams::new())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(by_token.len(), 2);
    let by_offset: Vec<_> = client
        .browse_gadgets_stream(BrowseGadgetsParams::new())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(by_offset.len(), 2);
    let json = include_str!("../../xtask/tests/rest/flat_envelope/example.json");
    let gadget: flat_envelope::types::Gadget = exact(&example(json, "Gadget"));
    assert_eq!(gadget.name.as_deref(), Some("g"));
}
