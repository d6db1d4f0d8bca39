//! Bulk API over the Lead Database record stores: program member exports
//! after status syncs, and program member and custom object imports read
//! back through the ordinary REST operations, with their typed failures.

use std::time::Duration;

use futures::TryStreamExt as _;
use marketo_emulator::Emulator;
use marketo_rest::bulk::{BulkError, ExportOptions, ImportOptions};
use marketo_rest::params::*;
use marketo_rest::types::*;
use marketo_rest::{Client, FilePart, RestError};
use serde::{Deserialize, Serialize};

use crate::{api_code, setup};

fn fast() -> ExportOptions {
    ExportOptions::new()
        .poll(Duration::from_millis(5), Duration::from_millis(20))
        .timeout(Duration::from_secs(20))
}

fn quick() -> ImportOptions {
    ImportOptions::new().poll(Duration::from_millis(5), Duration::from_millis(20))
}

fn strings(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| (*s).to_owned()).collect()
}

/// A program member export row; the standard member fields come headed by
/// their labels (as Marketo's example file shows), lead fields by API name.
#[derive(Debug, Deserialize)]
struct MemberRow {
    #[serde(rename = "Lead Id")]
    lead_id: i64,
    email: Option<String>,
    #[serde(rename = "Status")]
    status: String,
    #[serde(rename = "registrationCode")]
    registration_code: Option<String>,
}

/// (lead, status) of every member of `program` in the emulator's store.
fn members_of(emu: &Emulator, program: i64) -> Vec<(i64, String)> {
    let mut v: Vec<(i64, String)> = emu
        .lead_object_records("programMember")
        .iter()
        .filter(|r| r["programId"].as_i64() == Some(program))
        .map(|r| {
            (
                r["leadId"].as_i64().unwrap(),
                r["statusName"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    v.sort();
    v
}

async fn export_file(client: &Client, request: &BulkExportProgramMemberRequest) -> String {
    let job = client
        .create_export_program_member_job(request)
        .await
        .unwrap()
        .value
        .remove(0);
    client
        .enqueue_export_program_member_job(&job.export_id)
        .await
        .unwrap();
    let bytes = client
        .get_export_program_member_file(&job.export_id, GetExportProgramMemberFileParams::new())
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    String::from_utf8(bytes.to_vec()).unwrap()
}

#[tokio::test]
async fn program_member_export_reads_the_member_store_after_a_status_sync() {
    let (emu, client) = setup().await;
    let synced = client
        .sync_program_member_status(
            1003,
            &SyncProgramMemberStatusRequest::new("Registered", vec![ProgramMemberLead::new(3003)]),
        )
        .await
        .unwrap();
    assert_eq!(synced[0].status, LeadObjectRecordStatus::Created);

    let fields = strings(&["leadId", "email", "statusName", "registrationCode"]);
    let request = BulkExportProgramMemberRequest::new(
        fields.clone(),
        BulkExportProgramMemberFilter::new().program_id(1003),
    );
    let rows: Vec<MemberRow> = client
        .export_program_members(request, fast())
        .try_collect()
        .await
        .unwrap();
    let mut seen: Vec<(i64, String)> = rows.iter().map(|r| (r.lead_id, r.status.clone())).collect();
    seen.sort();
    assert_eq!(seen, members_of(&emu, 1003));
    assert!(seen.contains(&(3003, "Registered".to_owned())));
    for row in &rows {
        let lead = emu.lead(row.lead_id).unwrap();
        assert_eq!(row.email.as_deref(), lead.email());
    }
    let ada = rows.iter().find(|r| r.lead_id == 3001).unwrap();
    assert_eq!(ada.registration_code.as_deref(), Some("reg-3001"));
    assert!(rows.iter().any(|r| r.registration_code.is_none()));

    // statusNames (ORed), programIds (a leading programId column), renamed headers.
    let attended = BulkExportProgramMemberRequest::new(
        fields.clone(),
        BulkExportProgramMemberFilter::new()
            .program_id(1003)
            .status_names(strings(&["Attended"])),
    );
    let file = export_file(&client, &attended).await;
    assert_eq!(
        file,
        "Lead Id,email,Status,registrationCode\n3002,alan@example.com,Attended,null\n"
    );
    let mut both = BulkExportProgramMemberRequest::new(
        strings(&["leadId", "statusName"]),
        BulkExportProgramMemberFilter::new().program_ids(vec![1003, 1001]),
    );
    let mut names = marketo_rest::Map::new();
    names.insert("statusName".to_owned(), "status".to_owned());
    both.column_header_names = Some(names);
    let file = export_file(&client, &both).await;
    let mut lines = file.lines();
    assert_eq!(lines.next(), Some("programId,Lead Id,status"));
    let expected = members_of(&emu, 1003).len() + members_of(&emu, 1001).len();
    assert_eq!(lines.count(), expected);
    assert!(file.contains("1001,3001,Engaged\n"));

    // Documented refusals: a status no program has, both program filters.
    let bad_status = BulkExportProgramMemberRequest::new(
        fields.clone(),
        BulkExportProgramMemberFilter::new()
            .program_id(1003)
            .status_names(strings(&["No Such Status"])),
    );
    assert_eq!(
        api_code(client.create_export_program_member_job(&bad_status).await),
        "1003"
    );
    let mut two = BulkExportProgramMemberFilter::new().program_id(1003);
    two.program_ids = Some(vec![1001]);
    let two = BulkExportProgramMemberRequest::new(fields, two);
    assert_eq!(
        api_code(client.create_export_program_member_job(&two).await),
        "1003"
    );
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
struct MemberImportRow {
    email: String,
    first_name: String,
    lead_score: String,
}

fn member(email: &str, first: &str, score: &str) -> MemberImportRow {
    MemberImportRow {
        email: email.into(),
        first_name: first.into(),
        lead_score: score.into(),
    }
}

#[tokio::test]
async fn program_member_imports_make_members_with_typed_failures_and_warnings() {
    let (emu, client) = setup().await;
    let rows = vec![
        member("grace@example.com", "Grace", "12"),
        member("newcomer@example.com", "Newcomer", "5"),
        member("", "Nobody", "1"),
        member("aerys@example.com", "Aerys", "TEXT_VALUE"),
        member("no-at-sign", "Bad", "0"),
    ];
    let options = quick();
    let outcomes = client
        .import_program_member_rows(1003, "Registered", rows.clone(), &options)
        .await
        .unwrap();
    assert_eq!(outcomes.len(), 1);
    let outcome = &outcomes[0];
    assert_eq!(outcome.job.status, BulkImportStatus::Complete);
    assert_eq!(outcome.job.num_of_leads_processed, Some(3));
    let failed: Vec<&MemberImportRow> = outcome.failures.iter().map(|f| &f.row).collect();
    assert_eq!(failed, [&rows[2], &rows[3]]);
    assert!(outcome.failures[0].reason.contains("1002"));
    assert!(outcome.failures[1].reason.contains("Invalid data type"));
    assert_eq!(outcome.warnings.len(), 1);
    assert_eq!(outcome.warnings[0].row, rows[4]);
    assert_eq!(outcome.warnings[0].reason, "Invalid email address");
    assert_eq!(options.progress.snapshot().rows, 3);

    // Read back through the ordinary operations.
    let found = client
        .get_leads_by_filter_type(
            "email",
            &strings(&["newcomer@example.com", "no-at-sign"]),
            GetLeadsByFilterTypeParams::new(),
        )
        .await
        .unwrap();
    assert_eq!(found.len(), 2);
    let mut ids: Vec<String> = found.iter().map(|l| l.id.unwrap().to_string()).collect();
    ids.push("3003".into());
    let members = client
        .get_program_members(
            1003,
            "leadId",
            GetProgramMembersParams::new()
                .filter_values(ids.clone())
                .fields(strings(&["leadId", "programId", "statusName"])),
        )
        .await
        .unwrap();
    assert_eq!(members.len(), 3);
    assert!(
        members
            .iter()
            .all(|m| m.status_name.as_deref() == Some("Registered") && m.program_id == Some(1003))
    );
    assert!(
        !emu.leads()
            .iter()
            .any(|l| l.email() == Some("aerys@example.com"))
    );

    // From a file with a program member field; an existing member takes the status.
    let dir = std::env::temp_dir().join(format!("marketo-bulk-pm-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("members.csv");
    std::fs::write(&path, "email,registrationCode\nalan@example.com,reg-alan\n").unwrap();
    let outcome = client
        .import_program_members_file::<serde_json::Value>(1003, "Attended", &path, &options)
        .await
        .unwrap();
    assert_eq!(outcome.job.num_of_leads_processed, Some(1));
    let alan = emu
        .lead_object_records("programMember")
        .into_iter()
        .find(|r| r["leadId"] == 3002 && r["programId"] == 1003)
        .unwrap();
    assert_eq!(alan["statusName"], "Attended");
    assert_eq!(alan["registrationCode"], "reg-alan");

    // A column that is neither a lead nor a member field fails the job.
    std::fs::write(&path, "email,shoeSize\nalan@example.com,42\n").unwrap();
    let err = client
        .import_program_members_file::<serde_json::Value>(1003, "Attended", &path, &options)
        .await
        .unwrap_err();
    assert!(
        matches!(&err, BulkError::JobFailed { message, .. } if message.contains("shoeSize")),
        "{err:?}"
    );
    std::fs::remove_dir_all(&dir).ok();

    // A status the program's channel lacks, an unknown program.
    let refused = |e: BulkError| match e {
        BulkError::Rest(RestError::Api { errors, .. }) => errors[0].code.clone(),
        other => panic!("{other:?}"),
    };
    let err = client
        .import_program_member_rows(1003, "Engaged", rows.clone(), &options)
        .await
        .unwrap_err();
    assert_eq!(refused(err), "1003");
    let err = client
        .import_program_member_rows(987_654, "Registered", rows, &options)
        .await
        .unwrap_err();
    assert_eq!(refused(err), "1013");
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
struct CarRow {
    vin: String,
    lead_id: String,
    make: String,
    year: String,
}

fn car(vin: &str, lead: &str, make: &str, year: &str) -> CarRow {
    CarRow {
        vin: vin.into(),
        lead_id: lead.into(),
        make: make.into(),
        year: year.into(),
    }
}

#[tokio::test]
async fn custom_object_imports_upsert_by_dedupe_fields_and_exports_read_the_store() {
    let (emu, client) = setup().await;
    let rows = vec![
        car("VIN-0001", "3001", "Volvo Cars", "1988"),
        car("VIN-0100", "3002", "Saab", "1999"),
        car("VIN-0101", "987654", "Fiat", "2001"),
        car("VIN-0102", "3002", "Lada", "not a year"),
        car("", "3002", "Ghost", "2000"),
    ];
    let outcomes = client
        .import_custom_object_rows("car", rows.clone(), &quick())
        .await
        .unwrap();
    let outcome = &outcomes[0];
    assert_eq!(outcome.job.num_of_objects_processed, Some(2));
    assert_eq!(outcome.job.object_api_name.as_deref(), Some("car"));
    let failed: Vec<(&CarRow, &str)> = outcome
        .failures
        .iter()
        .map(|f| (&f.row, f.reason.as_str()))
        .collect();
    assert_eq!(
        failed,
        [
            (&rows[2], "1004 Lead not found"),
            (&rows[3], "Invalid data type in field Year"),
            (&rows[4], "missing.dedupe.fields"),
        ]
    );

    // Read back through Get Custom Objects.
    let cars = client
        .get_custom_objects(
            "car",
            "vin",
            &strings(&["VIN-0001", "VIN-0100", "VIN-0101"]),
            GetCustomObjectsParams::new().fields(strings(&["vin", "make", "leadId", "year"])),
        )
        .await
        .unwrap();
    assert_eq!(cars.len(), 2);
    let make = |vin: &str| {
        cars.iter()
            .find(|c| c.additional_properties.get("vin").and_then(|v| v.as_str()) == Some(vin))
            .map(|c| c.additional_properties["make"].clone())
    };
    assert_eq!(make("VIN-0001"), Some("Volvo Cars".into()));
    assert_eq!(make("VIN-0100"), Some("Saab".into()));
    assert_eq!(emu.lead_object_records("co:car").len(), 3);

    // The export reads the same store: records linked to leads of list 4001.
    #[derive(Debug, Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct Exported {
        vin: String,
        make: String,
        lead_id: i64,
    }
    let request = BulkExportCustomObjectRequest::new(
        strings(&["vin", "make", "leadId"]),
        BulkExportCustomObjectFilter::new().static_list_id(4001),
    );
    let mut exported: Vec<Exported> = client
        .export_custom_objects("car", request, fast())
        .try_collect()
        .await
        .unwrap();
    exported.sort_by(|a, b| a.vin.cmp(&b.vin));
    let got: Vec<(&str, &str, i64)> = exported
        .iter()
        .map(|e| (e.vin.as_str(), e.make.as_str(), e.lead_id))
        .collect();
    assert_eq!(
        got,
        [
            ("VIN-0001", "Volvo Cars", 3001),
            ("VIN-0002", "Saab", 3003),
            ("VIN-0100", "Saab", 3002)
        ]
    );
    let empty = BulkExportCustomObjectRequest::new(
        strings(&["vin"]),
        BulkExportCustomObjectFilter::new().static_list_id(4002),
    );
    let none: Vec<serde_json::Value> = client
        .export_custom_objects("car", empty, fast())
        .try_collect()
        .await
        .unwrap();
    assert!(none.is_empty());

    // Marketo's example: a header " vin" is not the dedupe field, every row fails.
    let csv = FilePart::from_bytes("cars.csv", "make, vin\nbmw,WBA4R7C55HK895912\n");
    let job = client
        .import_custom_objects("car", &BulkImportCustomObjectsRequest::new(csv))
        .await
        .unwrap()
        .value
        .remove(0);
    let status = client
        .get_import_custom_object_status("car", job.batch_id)
        .await
        .unwrap();
    assert_eq!(status.num_of_rows_failed, Some(1));
    let failures = client
        .get_import_custom_object_failures("car", job.batch_id)
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    assert_eq!(
        &failures[..],
        b"make, vin,Import Failure Reason\nbmw,WBA4R7C55HK895912,missing.dedupe.fields\n"
    );
    let warnings = client
        .get_import_custom_object_warnings("car", job.batch_id)
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    assert_eq!(&warnings[..], b"make, vin,Import Warning Reason\n");
    let csv = FilePart::from_bytes("cars.csv", "vin\nX\n");
    assert_eq!(
        api_code(
            client
                .import_custom_objects("no_such_type", &BulkImportCustomObjectsRequest::new(csv))
                .await
        ),
        "1013"
    );
}
