//! Program membership through the Leads API (Get Leads by Program Id, Get
//! Programs by Lead Id, Change Lead Program Status, the older describe path)
//! and its agreement with the program member API, Push Lead, Submit Form, lead
//! delete and merge: one set of memberships, whichever call wrote it.

use marketo_rest::Client;
use marketo_rest::futures::TryStreamExt;
use marketo_rest::params::{
    GetLeadsByProgramIdParams, GetProgramMembersParams, GetProgramsByLeadIdParams, MergeLeadsParams,
};
use marketo_rest::types::{
    ChangeLeadProgramStatusRequest, Lead, LeadId, LeadRecordResult, LeadRecordStatus,
    ProgramMemberLead, PushLeadToMarketoRequest, SubmitFormInput, SubmitFormRequest,
    SyncProgramMemberStatusRequest,
};
use serde_json::Value;

use crate::{api_code, setup};

fn ids(leads: &[i64]) -> Vec<LeadId> {
    leads.iter().map(|l| LeadId::new(*l)).collect()
}

fn outcome(r: &LeadRecordResult) -> (Option<i64>, LeadRecordStatus, Option<String>) {
    let code = r
        .reasons
        .as_ref()
        .and_then(|v| v.first())
        .map(|x| x.code.clone());
    (r.id, r.status.clone(), code)
}

/// `(program id, progression status)` of every program of a lead.
async fn programs_of(client: &Client, lead: i64) -> Vec<(i32, String)> {
    client
        .get_programs_by_lead_id(lead, GetProgramsByLeadIdParams::new())
        .await
        .expect("programs of the lead")
        .iter()
        .map(|m| (m.id, m.progression_status.clone().unwrap_or_default()))
        .collect()
}

/// The `membership.progressionStatus` of a lead in getLeadsByProgramId.
async fn status_in_program(client: &Client, program: i32, lead: i64) -> Option<String> {
    let leads = client
        .get_leads_by_program_id(program, GetLeadsByProgramIdParams::new())
        .await
        .expect("leads of the program");
    let l = leads.iter().find(|l| l.id == Some(lead))?;
    l.additional_properties
        .get("membership")
        .and_then(|m| m.get("progressionStatus"))
        .and_then(Value::as_str)
        .map(str::to_owned)
}

/// `statusName` of a lead as the program member API reports it.
async fn member_status(client: &Client, program: i32, lead: i64) -> Option<String> {
    client
        .get_program_members(
            program,
            "leadId",
            GetProgramMembersParams::new()
                .filter_values(vec![lead.to_string()])
                .fields(vec!["statusName".to_owned()]),
        )
        .await
        .expect("program members")
        .first()
        .and_then(|m| m.status_name.clone())
}

#[tokio::test]
async fn a_status_synced_by_the_member_api_is_what_the_leads_api_reports() {
    let (_emu, client) = setup().await;
    // Event program 1002 (Tradeshow channel) has no members in the demo data.
    assert_eq!(status_in_program(&client, 1002, 3003).await, None);
    let body =
        SyncProgramMemberStatusRequest::new("Registered", vec![ProgramMemberLead::new(3003)]);
    client
        .sync_program_member_status(1002, &body)
        .await
        .expect("sync status");
    assert_eq!(
        status_in_program(&client, 1002, 3003).await.as_deref(),
        Some("Registered")
    );
    assert!(
        programs_of(&client, 3003)
            .await
            .contains(&(1002, "Registered".to_owned()))
    );
}

#[tokio::test]
async fn change_lead_program_status_moves_members_forward_and_reports_per_lead() {
    let (emu, client) = setup().await;
    // Webinar program 1003: 3001 Registered, 3002 Attended, 3003 not a member.
    let body = ChangeLeadProgramStatusRequest::new("Attended", ids(&[3001, 3002, 3003, 999_999]));
    let r = client
        .change_lead_program_status(1003, &body)
        .await
        .expect("change status");
    let got: Vec<_> = r.iter().map(outcome).collect();
    assert_eq!(
        got,
        [
            (Some(3001), LeadRecordStatus::Updated, None),
            (Some(3002), LeadRecordStatus::Skipped, Some("1037".into())),
            (Some(3003), LeadRecordStatus::Created, None),
            (
                Some(999_999),
                LeadRecordStatus::Skipped,
                Some("1004".into())
            ),
        ]
    );
    // The program member API sees the change, and success was reached.
    assert_eq!(
        member_status(&client, 1003, 3001).await.as_deref(),
        Some("Attended")
    );
    assert_eq!(
        member_status(&client, 1003, 3003).await.as_deref(),
        Some("Attended")
    );
    let rec = emu
        .lead_object_records("programMember")
        .into_iter()
        .find(|m| m["leadId"] == 3001 && m["programId"] == 1003)
        .expect("member record");
    assert_eq!(rec["reachedSuccess"], true);
    let change = emu
        .activities()
        .into_iter()
        .find(|a| a.lead_id == 3001 && a.type_id == 104)
        .expect("a Change Status in Progression activity");
    assert_eq!(change.primary_value_id, Some(1003));
    assert!(
        change
            .attributes
            .contains(&("New Status".to_owned(), Value::from("Attended")))
    );
    assert!(
        change
            .attributes
            .contains(&("Old Status".to_owned(), Value::from("Registered")))
    );

    // A status of another channel: every lead skipped with 1025, nothing changed.
    let other = ChangeLeadProgramStatusRequest::new("Sent", ids(&[3001, 3004]));
    let r = client
        .change_lead_program_status(1003, &other)
        .await
        .expect("record-level failures are a success");
    assert!(r.iter().all(|x| outcome(x).2.as_deref() == Some("1025")));
    assert!(!emu.program_member_ids(1003).contains(&3004));
    // Unknown program: 1013; blank status: 701.
    assert_eq!(
        api_code(client.change_lead_program_status(987_654, &body).await),
        "1013"
    );
    let blank = ChangeLeadProgramStatusRequest::new("", ids(&[3001]));
    assert_eq!(
        api_code(client.change_lead_program_status(1003, &blank).await),
        "701"
    );
}

#[tokio::test]
async fn push_and_form_fills_make_members_the_member_api_and_lead_programs_see() {
    let (emu, client) = setup().await;
    let event = emu.program(1002).expect("demo event program").name;
    let push = PushLeadToMarketoRequest::new(event, vec![Lead::new().email("ruth@example.com")]);
    let id = client.push_lead_to_marketo(&push).await.expect("push")[0]
        .id
        .expect("new lead");
    // Tradeshow has no "Member": the first status after "Not in Program".
    assert_eq!(
        member_status(&client, 1002, id).await.as_deref(),
        Some("Invited")
    );
    assert_eq!(
        programs_of(&client, id).await,
        [(1002, "Invited".to_owned())]
    );

    // A form fill into engagement program 1004 (Nurture channel): "Member".
    let form = SubmitFormRequest::new(
        1029,
        vec![SubmitFormInput::new(Lead::new().email("ruth@example.com"))],
    )
    .program_id(1004);
    let r = client.submit_form(&form).await.expect("submit");
    assert_eq!(r[0].id, Some(id));
    assert_eq!(
        status_in_program(&client, 1004, id).await.as_deref(),
        Some("Member")
    );
    // Moving the pushed lead on through the Leads API shows in both views.
    let body = ChangeLeadProgramStatusRequest::new("Registered", ids(&[id]));
    client
        .change_lead_program_status(1002, &body)
        .await
        .expect("change");
    assert_eq!(
        member_status(&client, 1002, id).await.as_deref(),
        Some("Registered")
    );
    assert_eq!(
        programs_of(&client, id).await,
        [(1002, "Registered".to_owned()), (1004, "Member".to_owned())]
    );
}

#[tokio::test]
async fn programs_of_a_lead_filter_page_and_refuse_what_the_docs_refuse() {
    let (_emu, client) = setup().await;
    let all = programs_of(&client, 3001).await;
    assert_eq!(
        all,
        [
            (1001, "Engaged".to_owned()),
            (1003, "Registered".to_owned())
        ]
    );
    let only = client
        .get_programs_by_lead_id(
            3001,
            GetProgramsByLeadIdParams::new()
                .filter_type("programId")
                .filter_values(vec![1003, 1005]),
        )
        .await
        .expect("filtered");
    assert_eq!(only.iter().map(|m| m.id).collect::<Vec<_>>(), [1003]);
    assert_eq!(only[0].acquired_by, Some(true));
    assert!(only[0].membership_date.is_some());
    let paged: Vec<_> = client
        .get_programs_by_lead_id_stream(3001, GetProgramsByLeadIdParams::new().batch_size(1))
        .try_collect()
        .await
        .expect("one program a page");
    assert_eq!(paged.iter().map(|m| m.id).collect::<Vec<_>>(), [1001, 1003]);
    assert_eq!(
        api_code(
            client
                .get_programs_by_lead_id(987_654, GetProgramsByLeadIdParams::new())
                .await
        ),
        "1004"
    );
    assert_eq!(
        api_code(
            client
                .get_programs_by_lead_id(
                    3001,
                    GetProgramsByLeadIdParams::new()
                        .filter_type("programName")
                        .filter_values(vec![1003])
                )
                .await
        ),
        "1003"
    );
    // The older describe path answers as the current one.
    let legacy = client
        .describe_program_member_legacy()
        .await
        .expect("legacy");
    let current = client.describe_program_member().await.expect("describe");
    assert_eq!(legacy[0].name, current[0].name);
    assert_eq!(legacy[0].dedupe_fields, current[0].dedupe_fields);
}

#[tokio::test]
async fn deleted_leads_leave_and_merged_leads_bring_their_programs() {
    let (emu, client) = setup().await;
    client.delete_leads(&ids(&[3002])).await.expect("delete");
    assert_eq!(emu.program_member_ids(1003), [3001]);
    assert_eq!(emu.program_member_ids(1001), [3001]);
    assert_eq!(status_in_program(&client, 1003, 3002).await, None);
    assert_eq!(
        api_code(
            client
                .get_programs_by_lead_id(3002, GetProgramsByLeadIdParams::new())
                .await
        ),
        "1004"
    );

    // 3004 joins event program 1002, then merges into 3001.
    let body = ChangeLeadProgramStatusRequest::new("Registered", ids(&[3004]));
    client
        .change_lead_program_status(1002, &body)
        .await
        .expect("change");
    client
        .merge_leads(3001, MergeLeadsParams::default().lead_id(3004))
        .await
        .expect("merge");
    assert_eq!(emu.program_member_ids(1002), [3001]);
    assert!(
        programs_of(&client, 3001)
            .await
            .contains(&(1002, "Registered".to_owned()))
    );
    assert_eq!(
        status_in_program(&client, 1002, 3001).await.as_deref(),
        Some("Registered")
    );
}
