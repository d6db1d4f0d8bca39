//! Bulk API: every export and import operation through the generated
//! client, and the job runtime (`marketo_rest::bulk`) end to end: typed row
//! streams, resumed downloads, windows, queue waits, quotas, failing jobs,
//! imports with failures and warnings.

use std::time::Duration;

use futures::TryStreamExt as _;
use marketo_emulator::{BulkSettings, Emulator, Fault};
use marketo_rest::bulk::{BulkError, ExportOptions, ImportOptions};
use marketo_rest::params::*;
use marketo_rest::time::OffsetDateTime;
use marketo_rest::types::*;
use marketo_rest::{Client, FilePart, RestError};
use serde::{Deserialize, Serialize};

use crate::{api_code, setup};

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
struct LeadRow {
    id: i64,
    email: Option<String>,
    first_name: Option<String>,
    last_name: Option<String>,
    lead_source: Option<String>,
    address: Option<String>,
    lead_score: Option<i64>,
}

const FIELDS: [&str; 7] = [
    "id",
    "email",
    "firstName",
    "lastName",
    "leadSource",
    "address",
    "leadScore",
];

fn fast() -> ExportOptions {
    ExportOptions::new()
        .poll(Duration::from_millis(5), Duration::from_millis(20))
        .queue_full_wait(Duration::from_millis(20))
        .timeout(Duration::from_secs(20))
}

fn around(now: OffsetDateTime, days: i64) -> BulkDateRange {
    BulkDateRange::new(
        now - marketo_rest::time::Duration::days(days),
        now + marketo_rest::time::Duration::hours(1),
    )
}

fn lead_request(emu: &Emulator, days: i64) -> BulkExportLeadRequest {
    BulkExportLeadRequest::new(
        FIELDS.map(str::to_owned).to_vec(),
        BulkExportLeadFilter::new().created_at(around(emu.now(), days)),
    )
}

/// The rows the emulator holds for leads created in the last `days`.
fn expected_rows(emu: &Emulator, days: i64) -> Vec<LeadRow> {
    let range = around(emu.now(), days);
    emu.leads()
        .into_iter()
        .filter(|l| l.created_at >= range.start_at && l.created_at <= range.end_at)
        .map(|l| LeadRow {
            id: l.id,
            email: l.field_text("email"),
            first_name: l.field_text("firstName"),
            last_name: l.field_text("lastName"),
            lead_source: l.field_text("leadSource"),
            address: l.field_text("address"),
            lead_score: l.field_text("leadScore").and_then(|s| s.parse().ok()),
        })
        .collect()
}

async fn export_all(
    client: &Client,
    emu: &Emulator,
) -> (Vec<LeadRow>, marketo_rest::bulk::ProgressSnapshot) {
    let stream = client.export_leads::<LeadRow>(lead_request(emu, 1), fast());
    let progress = stream.progress();
    let rows: Vec<LeadRow> = stream.try_collect().await.expect("export succeeds");
    (rows, progress.snapshot())
}

#[tokio::test]
async fn lead_export_streams_typed_rows_equal_to_the_emulator_state() {
    let (emu, client) = setup().await;
    emu.add_bulk_leads(300);
    let (rows, progress) = export_all(&client, &emu).await;
    let expected = expected_rows(&emu, 1);
    assert_eq!(rows.len(), 300);
    assert_eq!(rows, expected);
    // Quoting survives: commas, quotes, newlines.
    assert!(rows[0].last_name.as_deref().unwrap().contains(", "));
    assert_eq!(rows[0].lead_source.as_deref(), Some("Bulk \"import\""));
    assert!(rows[0].address.as_deref().unwrap().contains('\n'));
    let jobs = emu.bulk_exports();
    assert_eq!(jobs.len(), 1);
    assert_eq!(jobs[0].status, "Completed");
    let file = jobs[0].file.as_ref().unwrap();
    assert_eq!(progress.bytes, file.len() as u64);
    assert_eq!(progress.rows, 300);
    assert_eq!(progress.status, "Completed");
    assert_eq!(progress.job_id, jobs[0].export_id);
    assert_eq!(emu.bulk_quota_used(), file.len() as u64);
}

#[tokio::test]
async fn a_row_that_does_not_fit_the_type_is_one_error_with_its_row_then_the_end() {
    /// `email` read as a number: no bulk lead's email is one.
    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct BadRow {
        id: i64,
        email: i64,
    }
    let (emu, client) = setup().await;
    emu.add_bulk_leads(600);
    let mut stream = client.export_leads::<BadRow>(lead_request(&emu, 1), fast());
    match stream.try_next().await {
        Err(BulkError::Decode { row, message }) => {
            assert_eq!(row, 1, "{message}");
            assert!(
                message.contains("email") || message.contains("invalid"),
                "{message}"
            );
        }
        other => panic!("expected a decode error on row 1, got {other:?}"),
    }
    assert!(
        stream.try_next().await.unwrap().is_none(),
        "the stream ends after its error"
    );
}

#[tokio::test]
async fn a_dropped_or_short_download_resumes_with_range_and_loses_no_row() {
    let (emu, client) = setup().await;
    emu.add_bulk_leads(2000);
    let (clean, _) = export_all(&client, &emu).await;
    // A connection cut mid-body, then a body that ends early.
    emu.inject(Fault::DownloadDropped, 1);
    emu.inject(Fault::DownloadTruncated, 1);
    let (resumed, progress) = export_all(&client, &emu).await;
    assert_eq!(emu.pending_faults(), 0, "both faults were used");
    // The cut connection may lose its half before it is read (then the
    // download restarts from byte 0); the short body always resumes with Range.
    assert!(progress.resumes >= 1, "{progress:?}");
    assert_eq!(resumed, clean);
    assert_eq!(resumed, expected_rows(&emu, 1));
}

#[tokio::test]
async fn long_date_ranges_run_as_windows_of_31_days() {
    let (emu, client) = setup().await;
    emu.add_bulk_leads(10);
    let stream = client.export_leads::<LeadRow>(lead_request(&emu, 70), fast());
    let rows: Vec<LeadRow> = stream.try_collect().await.unwrap();
    assert_eq!(rows, expected_rows(&emu, 70));
    assert_eq!(emu.bulk_exports().len(), 3, "70 days: three jobs");
}

#[tokio::test]
async fn the_daily_quota_is_a_typed_error_and_a_full_queue_is_waited_for() {
    let (emu, client) = setup().await;
    emu.add_bulk_leads(5);
    // Queue of one, held by a slow job; the export waits until it is cancelled.
    emu.set_bulk_settings(BulkSettings {
        max_queued: 1,
        processing_time: Duration::from_secs(3600),
        ..BulkSettings::default()
    });
    let blocker = client
        .create_export_lead_job(&lead_request(&emu, 1))
        .await
        .unwrap()
        .value
        .remove(0);
    client
        .enqueue_export_lead_job(&blocker.export_id)
        .await
        .unwrap();
    assert_eq!(
        api_code(
            client
                .enqueue_export_lead_job(
                    &client
                        .create_export_lead_job(&lead_request(&emu, 1))
                        .await
                        .unwrap()
                        .value[0]
                        .export_id
                )
                .await
        ),
        "1029"
    );
    let waiting = tokio::spawn({
        let client = client.clone();
        let request = lead_request(&emu, 1);
        async move {
            client
                .export_leads::<LeadRow>(request, fast())
                .try_collect::<Vec<_>>()
                .await
        }
    });
    tokio::time::sleep(Duration::from_millis(150)).await;
    client
        .cancel_export_lead_job(&blocker.export_id)
        .await
        .unwrap();
    emu.set_bulk_settings(BulkSettings {
        max_queued: 1,
        ..BulkSettings::default()
    });
    let rows = waiting
        .await
        .unwrap()
        .expect("the export ran once the queue had room");
    assert_eq!(rows, expected_rows(&emu, 1));

    // Quota used up: a typed error, not a 1029.
    emu.set_bulk_settings(BulkSettings {
        daily_quota_bytes: 1,
        ..BulkSettings::default()
    });
    let err = client
        .export_leads::<LeadRow>(lead_request(&emu, 1), fast())
        .try_collect::<Vec<_>>()
        .await
        .unwrap_err();
    assert!(
        matches!(err, BulkError::DailyQuotaExceeded { .. }),
        "{err:?}"
    );
}

#[tokio::test]
async fn every_lead_export_operation_through_the_generated_client() {
    let (emu, client) = setup().await;
    let created = client
        .create_export_lead_job(&lead_request(&emu, 1).format(BulkFileFormat::Tsv))
        .await
        .unwrap();
    let job = &created.value[0];
    assert_eq!(job.status, BulkExportStatus::Created);
    // The file of an unfinished job: 404 with a plaintext message.
    match client
        .get_export_lead_file(&job.export_id, GetExportLeadFileParams::new())
        .await
    {
        Err(RestError::HttpStatus { status: 404, .. }) => {}
        other => panic!("expected 404, got {other:?}"),
    }
    let queued = client
        .enqueue_export_lead_job(&job.export_id)
        .await
        .unwrap();
    assert_eq!(queued.value[0].status, BulkExportStatus::Queued);
    let done = client
        .get_export_lead_job_status(&job.export_id)
        .await
        .unwrap();
    assert_eq!(done.status, BulkExportStatus::Completed);
    assert_eq!(done.format, Some(BulkFileFormat::Tsv));
    let size = done.file_size.unwrap() as u64;
    let whole = client
        .get_export_lead_file(&job.export_id, GetExportLeadFileParams::new())
        .await
        .unwrap();
    assert_eq!(whole.status(), 200);
    let whole = whole.bytes().await.unwrap();
    assert_eq!(whole.len() as u64, size);
    assert!(whole.starts_with(b"id\temail\t"));
    assert_eq!(
        emu.bulk_exports()[0].file.as_deref(),
        Some(whole.as_slice())
    );
    let part = client
        .get_export_lead_file(
            &job.export_id,
            GetExportLeadFileParams::new().range("bytes=3-9"),
        )
        .await
        .unwrap();
    assert_eq!(part.status(), 206);
    let range = part.content_range().unwrap();
    assert_eq!((range.first, range.last, range.total), (3, 9, Some(size)));
    assert_eq!(part.bytes().await.unwrap(), whole[3..10]);
    let listed = client
        .get_export_lead_jobs(
            GetExportLeadJobsParams::new().status(vec![BulkExportStatus::Completed]),
        )
        .await
        .unwrap();
    assert_eq!(listed.value.len(), 1);
    let all: Vec<BulkExportJob> = client
        .get_export_lead_jobs_stream(GetExportLeadJobsParams::new().batch_size(1))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all.len(), 1);
    // Cancel: a created job can be cancelled, a completed one cannot.
    let other = client
        .create_export_lead_job(&lead_request(&emu, 1))
        .await
        .unwrap();
    let cancelled = client
        .cancel_export_lead_job(&other.value[0].export_id)
        .await
        .unwrap();
    assert_eq!(cancelled.value[0].status, BulkExportStatus::Cancelled);
    assert_eq!(
        api_code(client.cancel_export_lead_job(&job.export_id).await),
        "1003"
    );
    // Documented refusals.
    assert_eq!(
        api_code(client.create_export_lead_job(&lead_request(&emu, 40)).await),
        "1003"
    );
    let smart = BulkExportLeadRequest::new(
        vec!["id".to_owned()],
        BulkExportLeadFilter::new().smart_list_id(7),
    );
    assert_eq!(
        api_code(client.create_export_lead_job(&smart).await),
        "1035"
    );
    assert_eq!(
        api_code(
            client
                .get_export_lead_job_status("nope")
                .await
                .map(|r| r.value)
        ),
        "1003"
    );
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct ActivityRow {
    #[serde(rename = "marketoGUID")]
    marketo_guid: String,
    lead_id: i64,
    activity_type_id: i32,
    attributes: String,
}

#[tokio::test]
async fn activity_program_member_and_custom_object_exports() {
    let (emu, client) = setup().await;
    let range = BulkDateRange::new(
        emu.now() - marketo_rest::time::Duration::days(365 * 5),
        emu.now(),
    );
    // Activities: 5 years in 31-day windows, the demo activities all found.
    let request = BulkExportActivityRequest::new(BulkExportActivityFilter::new(range.clone()));
    let rows: Vec<ActivityRow> = client
        .export_activities(request, fast())
        .try_collect()
        .await
        .unwrap();
    let activities = emu.activities();
    assert_eq!(rows.len(), activities.len());
    assert!(rows.iter().all(
        |r| activities.iter().any(|a| a.marketo_guid == r.marketo_guid
            && a.lead_id == r.lead_id
            && a.type_id == r.activity_type_id)
    ));
    assert!(rows[0].attributes.starts_with('{'));

    // Every activity operation once.
    let one = BulkExportActivityRequest::new(BulkExportActivityFilter::new(around(emu.now(), 1)));
    let job = client
        .create_export_activity_job(&one)
        .await
        .unwrap()
        .value
        .remove(0);
    client
        .enqueue_export_activity_job(&job.export_id)
        .await
        .unwrap();
    let status = client
        .get_export_activity_job_status(&job.export_id)
        .await
        .unwrap();
    assert_eq!(status.status, BulkExportStatus::Completed);
    let file = client
        .get_export_activity_file(&job.export_id, GetExportActivityFileParams::new())
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    assert!(file.starts_with(b"marketoGUID,leadId,activityDate"));
    assert!(
        !client
            .get_export_activity_jobs(GetExportActivityJobsParams::new())
            .await
            .unwrap()
            .value
            .is_empty()
    );
    let other = client
        .create_export_activity_job(&one)
        .await
        .unwrap()
        .value
        .remove(0);
    client
        .cancel_export_activity_job(&other.export_id)
        .await
        .unwrap();

    // Program members: programId is required.
    let members = BulkExportProgramMemberRequest::new(
        vec!["leadId".to_owned(), "statusName".to_owned()],
        BulkExportProgramMemberFilter::new().program_id(1001),
    );
    let job = client
        .create_export_program_member_job(&members)
        .await
        .unwrap()
        .value
        .remove(0);
    client
        .enqueue_export_program_member_job(&job.export_id)
        .await
        .unwrap();
    assert_eq!(
        client
            .get_export_program_member_job_status(&job.export_id)
            .await
            .unwrap()
            .status,
        BulkExportStatus::Completed
    );
    let file = client
        .get_export_program_member_file(&job.export_id, GetExportProgramMemberFileParams::new())
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    assert!(file.starts_with(b"Lead Id,Status\n3001,Engaged\n"));
    assert_eq!(
        client
            .get_export_program_member_jobs(GetExportProgramMemberJobsParams::new())
            .await
            .unwrap()
            .value
            .len(),
        1
    );
    let other = client
        .create_export_program_member_job(&members)
        .await
        .unwrap()
        .value
        .remove(0);
    client
        .cancel_export_program_member_job(&other.export_id)
        .await
        .unwrap();
    let no_program = BulkExportProgramMemberRequest::new(
        vec!["leadId".to_owned()],
        BulkExportProgramMemberFilter::new(),
    );
    assert_eq!(
        api_code(client.create_export_program_member_job(&no_program).await),
        "1003"
    );

    // Custom objects: the demo cars of the leads of list 4001.
    #[derive(Debug, Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct Car {
        lead_id: i64,
        vin: String,
    }
    let objects = BulkExportCustomObjectRequest::new(
        vec!["leadId".to_owned(), "vin".to_owned()],
        BulkExportCustomObjectFilter::new().static_list_id(4001),
    );
    let rows: Vec<Car> = client
        .export_custom_objects("car", objects.clone(), fast())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!((rows[0].lead_id, rows[0].vin.as_str()), (3001, "VIN-0001"));
    let job = client
        .create_export_custom_object_job("car", &objects)
        .await
        .unwrap()
        .value
        .remove(0);
    client
        .enqueue_export_custom_object_job("car", &job.export_id)
        .await
        .unwrap();
    assert_eq!(
        client
            .get_export_custom_object_job_status("car", &job.export_id)
            .await
            .unwrap()
            .status,
        BulkExportStatus::Completed
    );
    let part = client
        .get_export_custom_object_file(
            "car",
            &job.export_id,
            GetExportCustomObjectFileParams::new().range("bytes=0-5"),
        )
        .await
        .unwrap();
    assert_eq!(part.status(), 206);
    assert_eq!(part.bytes().await.unwrap(), b"leadId");
    assert_eq!(
        client
            .get_export_custom_object_jobs("car", GetExportCustomObjectJobsParams::new())
            .await
            .unwrap()
            .value
            .len(),
        2
    );
    let other = client
        .create_export_custom_object_job("car", &objects)
        .await
        .unwrap()
        .value
        .remove(0);
    client
        .cancel_export_custom_object_job("car", &other.export_id)
        .await
        .unwrap();
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
struct ImportRow {
    email: String,
    first_name: String,
    last_name: String,
}

#[tokio::test]
async fn lead_imports_apply_to_the_lead_database_with_typed_failures_and_warnings() {
    let (emu, client) = setup().await;
    let options = ImportOptions::new().poll(Duration::from_millis(5), Duration::from_millis(20));
    let rows = vec![
        ImportRow {
            email: "new1@example.com".into(),
            first_name: "New".into(),
            last_name: "One".into(),
        },
        ImportRow {
            email: "ada@example.com".into(),
            first_name: "Ada".into(),
            last_name: "King".into(),
        },
        ImportRow {
            email: "".into(),
            first_name: "No".into(),
            last_name: "Email".into(),
        },
        ImportRow {
            email: "not-an-email".into(),
            first_name: "Bad".into(),
            last_name: "Mail".into(),
        },
    ];
    let outcomes = client
        .import_lead_rows(rows.clone(), &options.clone().max_file_bytes(90))
        .await
        .unwrap();
    assert!(outcomes.len() >= 2, "rows split under the file limit");
    let failures: Vec<_> = outcomes.iter().flat_map(|o| o.failures.clone()).collect();
    let warnings: Vec<_> = outcomes.iter().flat_map(|o| o.warnings.clone()).collect();
    assert_eq!(failures.len(), 1);
    assert_eq!(failures[0].row, rows[2]);
    assert!(failures[0].reason.contains("1002"));
    assert_eq!(warnings.len(), 1);
    assert_eq!(warnings[0].row, rows[3]);
    let leads = emu.leads();
    assert!(leads.iter().any(|l| l.email() == Some("new1@example.com")));
    assert_eq!(
        emu.lead(3001).unwrap().field_text("lastName").as_deref(),
        Some("King")
    );
    assert_eq!(options.progress.snapshot().rows, 3);

    // From a file, streamed; a file with an unknown column fails the job.
    let dir = std::env::temp_dir().join(format!("marketo-bulk-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let good = dir.join("good.csv");
    std::fs::write(&good, "email,firstName\nfile1@example.com,File\n").unwrap();
    let outcome = client
        .import_leads_file::<serde_json::Value>(&good, &options)
        .await;
    let outcome = outcome.unwrap();
    assert_eq!(outcome.job.status, BulkImportStatus::Complete);
    assert_eq!(outcome.job.num_of_leads_processed, Some(1));
    let bad = dir.join("bad.csv");
    std::fs::write(&bad, "email,shoeSize\nx@example.com,42\n").unwrap();
    let err = client
        .import_leads_file::<ImportRow>(&bad, &options)
        .await
        .unwrap_err();
    assert!(
        matches!(&err, BulkError::JobFailed { message, .. } if message.contains("shoeSize")),
        "{err:?}"
    );

    // The generated calls themselves, with their documented refusals.
    let job = client
        .import_leads(
            &BulkImportLeadsRequest::new(FilePart::from_path(&good)).lookup_field("email"),
        )
        .await
        .unwrap()
        .value
        .remove(0);
    assert_eq!(job.status, BulkImportStatus::Queued);
    let status = client.get_import_lead_status(job.batch_id).await.unwrap();
    assert_eq!(status.status, BulkImportStatus::Complete);
    let failures = client
        .get_import_lead_failures(job.batch_id)
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    assert!(failures.starts_with(b"email,firstName,Import Failure Reason"));
    let warnings = client
        .get_import_lead_warnings(job.batch_id)
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    assert!(warnings.starts_with(b"email,firstName,Import Warning Reason"));
    assert_eq!(
        api_code(client.get_import_lead_status(999).await.map(|r| r.value)),
        "1003"
    );
    std::fs::remove_dir_all(&dir).ok();
}

/// Every JSON example of the Bulk API pages decodes into the generated type
/// of its operation (`tests/fixtures/rest-examples/<operationId>/`).
#[test]
fn the_bulk_pages_examples_decode_into_the_generated_types() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/rest-examples");
    let mut checked = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let entry = entry.unwrap();
        let op = entry.file_name().to_string_lossy().into_owned();
        let is_export = op.contains("Export");
        let is_import = op.contains("Import") || op.starts_with("import");
        if !is_export && !is_import {
            continue;
        }
        for file in std::fs::read_dir(entry.path()).unwrap() {
            let path = file.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            if !name.ends_with(".json") || name.contains("excluded") {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            let decoded = if name.starts_with("request") {
                match op.as_str() {
                    "createExportLeadJob" => {
                        serde_json::from_str::<BulkExportLeadRequest>(&text).map(drop)
                    }
                    "createExportActivityJob" => {
                        serde_json::from_str::<BulkExportActivityRequest>(&text).map(drop)
                    }
                    "createExportProgramMemberJob" => {
                        serde_json::from_str::<BulkExportProgramMemberRequest>(&text).map(drop)
                    }
                    "createExportCustomObjectJob" => {
                        serde_json::from_str::<BulkExportCustomObjectRequest>(&text).map(drop)
                    }
                    other => panic!("no request type for {other}"),
                }
            } else if is_export {
                serde_json::from_str::<BulkExportJobResponse>(&text).map(drop)
            } else {
                serde_json::from_str::<BulkImportJobResponse>(&text).map(drop)
            };
            decoded.unwrap_or_else(|e| panic!("{op}/{name}: {e}"));
            checked += 1;
        }
    }
    assert!(checked >= 30, "{checked} examples");
}
