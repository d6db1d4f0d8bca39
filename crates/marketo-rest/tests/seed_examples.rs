//! The Programs page's JSON examples (typos fixed: missing commas, an
//! unclosed object) deserialize into the generated types.

use marketo_rest::types::{IdResultResponse, Program, ProgramResponse, ProgramStatus, ProgramType};
use time::macros::{date, datetime};

fn programs(json: &str) -> Vec<Program> {
    let envelope: ProgramResponse = serde_json::from_str(json).expect("decodes");
    assert!(envelope.success);
    envelope.into_response().expect("success").value
}

#[test]
fn program_by_id_with_marketo_timestamps_and_tags() {
    let list = programs(include_str!("fixtures/program_by_id.json"));
    assert_eq!(list.len(), 1);
    let p = &list[0];
    assert_eq!(p.id, 1107);
    assert_eq!(p.name, "AAA2QueryProgramName");
    assert_eq!(p.created_at, datetime!(2015-05-21 22:45:13 UTC));
    assert_eq!(p.updated_at, datetime!(2015-05-21 22:45:13 UTC));
    assert_eq!(p.type_, ProgramType::Default);
    assert_eq!(p.status, ProgramStatus::Empty);
    assert_eq!(p.folder.value, 1910);
    assert_eq!(
        p.folder.folder_name.as_deref(),
        Some("ProgramQueryTestFolder")
    );
    let tags = p.tags.as_ref().expect("tags");
    assert_eq!(tags[0].tag_type, "AAA1 Required Tag Type");
    assert_eq!(p.costs, None, "costs: null");
    assert_eq!(p.head_start, Some(false));
}

#[test]
fn browse_by_name_by_date_and_by_tag() {
    let by_name = programs(include_str!("fixtures/program_by_name.json"));
    assert_eq!(by_name[0].id, 1107);

    let browse = programs(include_str!("fixtures/programs_browse.json"));
    assert_eq!(
        browse.iter().map(|p| p.id).collect::<Vec<_>>(),
        [1035, 1032]
    );
    assert_eq!(browse[0].status, ProgramStatus::On);
    assert_eq!(browse[1].status, ProgramStatus::Unlocked);
    assert_eq!(browse[1].type_, ProgramType::Email);
    assert_eq!(browse[0].updated_at, datetime!(2015-11-18 15:25:46 UTC));
    assert!(browse[0].tags.is_none());

    let by_date = programs(include_str!("fixtures/programs_by_date.json"));
    assert_eq!(by_date.len(), 4);
    assert_eq!(by_date[3].created_at, datetime!(2016-05-24 19:38:35 UTC));

    let by_tag = programs(include_str!("fixtures/programs_by_tag.json"));
    assert_eq!(by_tag[0].name, "It's a Program");
    assert_eq!(
        by_tag[0].tags.as_ref().map(|t| t[0].tag_value.as_str()),
        Some("Dennis")
    );
}

#[test]
fn create_update_clone_answers() {
    let created = programs(include_str!("fixtures/program_create.json"));
    assert_eq!(created[0].type_, ProgramType::Event);
    let costs = created[0].costs.as_ref().expect("costs");
    assert_eq!(costs[0].start_date, date!(2015 - 01 - 01));
    assert_eq!(costs[0].cost, 2000);
    assert_eq!(costs[0].note, None);

    let updated = programs(include_str!("fixtures/program_update.json"));
    assert_eq!(updated[0].type_, ProgramType::Engagement);
    assert_eq!(updated[0].tags.as_ref().map(Vec::len), Some(2));
    assert_eq!(
        updated[0].costs.as_ref().and_then(|c| c[0].note.as_deref()),
        Some("Google Adwords")
    );

    let cloned = programs(include_str!("fixtures/program_clone.json"));
    assert_eq!(cloned[0].id, 1221);
    assert_eq!(cloned[0].channel, "Blog");
}

#[test]
fn approve_unapprove_delete_answer_ids() {
    for (json, id) in [
        (include_str!("fixtures/program_approve.json"), 11062),
        (include_str!("fixtures/program_unapprove.json"), 11062),
        (include_str!("fixtures/program_delete.json"), 1109),
    ] {
        let envelope: IdResultResponse = serde_json::from_str(json).expect("decodes");
        let ids: Vec<i64> = envelope
            .into_response()
            .expect("success")
            .value
            .iter()
            .map(|r| r.id)
            .collect();
        assert_eq!(ids, [id]);
    }
}

#[test]
fn programs_round_trip_with_rfc3339_times() {
    let list = programs(include_str!("fixtures/program_update.json"));
    let json = serde_json::to_value(&list[0]).expect("encodes");
    assert_eq!(json["createdAt"], "2015-05-21T22:45:14Z");
    assert_eq!(json["costs"][0]["startDate"], "2016-01-01");
    let back: Program = serde_json::from_value(json).expect("decodes again");
    assert_eq!(back, list[0]);
}

#[test]
fn unknown_enum_values_are_kept() {
    let json = include_str!("fixtures/program_by_id.json")
        .replace("\"type\": \"Default\"", "\"type\": \"Webinar Series\"")
        .replace("\"status\": \"\"", "\"status\": \"paused\"");
    let list = programs(&json);
    assert_eq!(list[0].type_, ProgramType::Unknown("Webinar Series".into()));
    assert_eq!(list[0].status, ProgramStatus::Unknown("paused".into()));
    let back = serde_json::to_value(&list[0]).expect("encodes");
    assert_eq!(back["type"], "Webinar Series");
    assert_eq!(back["status"], "paused");
}
