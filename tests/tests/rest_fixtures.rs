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
    assert_eq!(unknown.state, JobState::Other("paused".into()));
    assert_eq!(unknown.priority, Some(JobPriority::Other("urgent".into())));
    let states: Vec<JobState> = exact(&example(json, "JobState"));
    assert_eq!(
        states,
        [
            JobState::Queued,
            JobState::InProgress,
            JobState::Empty,
            JobState::Other2,
            JobState::V2ndTry,
            JobState::Done,
            JobState::Other("brand new".into()),
        ]
    );
    assert_eq!(JobState::Other2.as_str(), "Other");
    assert_eq!(JobState::from("Other"), JobState::Other2);
    assert_eq!(JobState::InProgress.to_string(), "In Progress");
}

#[test]
fn form_body_types_round_trip() {
    let json = include_str!("../../xtask/tests/rest/form_body/example.json");
    let thing: form_body::types::CreateThing = exact(&example(json, "CreateThing"));
    assert_eq!(thing.folder.r#type, form_body::types::FolderRefType::Folder);
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
    assert_eq!(account.r#type.as_deref(), Some("customer"));
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
