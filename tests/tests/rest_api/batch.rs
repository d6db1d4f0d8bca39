//! `Client::sync_leads_batched`: any number of leads over `syncLeads`,
//! outcomes in input order, a failed call reported for its leads only.

use std::collections::BTreeMap;

use marketo_emulator::{Emulator, Fault, Limits};
use marketo_rest::batch::{LeadSyncError, SyncLeadsBatched};
use marketo_rest::types::{Lead, SyncAction, SyncStatus};

use super::client_for;

fn leads(n: usize, tag: &str) -> Vec<Lead> {
    (0..n)
        .map(|i| {
            Lead::new()
                .email(format!("batch-{tag}-{i}@example.com"))
                .first_name(format!("Lead {i}"))
        })
        .collect()
}

/// The emulator's lead id of each email.
fn ids_by_email(emu: &Emulator) -> BTreeMap<String, i64> {
    emu.leads()
        .into_iter()
        .filter_map(|l| Some((l.email()?.to_owned(), l.id)))
        .collect()
}

#[tokio::test]
async fn outcomes_come_in_input_order_and_a_failed_call_only_fails_its_leads() {
    let emu = Emulator::builder()
        .limits(Limits::unlimited())
        .start()
        .await
        .expect("emulator starts");
    let client = client_for(&emu);
    let input = leads(700, "order");
    // The first call (300 leads) is refused as a whole; one call at a time,
    // so "the first" is the first batch.
    emu.inject(Fault::RestError("609".into()), 1);
    let options = SyncLeadsBatched::new().in_flight(1);
    let out = client.sync_leads_batched(input.clone(), &options).await;
    assert_eq!(out.len(), 700, "one outcome per lead");
    for outcome in &out[..300] {
        match outcome {
            Err(e @ LeadSyncError::Call { batch: 0, error }) => {
                assert!(!e.is_retryable(), "609 is final: {error}");
            }
            other => panic!("expected the first call's error, got {other:?}"),
        }
    }
    let ids = ids_by_email(&emu);
    for (lead, outcome) in input.iter().zip(&out).skip(300) {
        let result = outcome.as_ref().expect("synced");
        assert_eq!(result.status, SyncStatus::Created);
        let email = lead.email.as_deref().unwrap();
        assert_eq!(
            result.id,
            ids.get(email).copied(),
            "{email}: result in input order"
        );
    }
    for lead in &input[..300] {
        assert!(
            !ids.contains_key(lead.email.as_deref().unwrap()),
            "a lead of the failed call was not written"
        );
    }
    // 3 calls of 300, 300 and 100 leads, plus the injected refusal counted once.
    assert_eq!(emu.stats().rest.calls, 3);

    // Again with createOnly: the 400 now exist (skipped, 1005), the 300 are new.
    let options = SyncLeadsBatched::new()
        .action(SyncAction::CreateOnly)
        .batch_size(250);
    let out = client.sync_leads_batched(input.clone(), &options).await;
    assert_eq!(out.len(), 700);
    let ids = ids_by_email(&emu);
    for (i, (lead, outcome)) in input.iter().zip(&out).enumerate() {
        let result = outcome.as_ref().expect("call succeeded");
        if i < 300 {
            assert_eq!(result.status, SyncStatus::Created, "lead {i}");
            assert_eq!(result.id, ids.get(lead.email.as_deref().unwrap()).copied());
        } else {
            assert_eq!(result.status, SyncStatus::Skipped, "lead {i}");
            let reasons = result.reasons.as_ref().expect("reasons");
            assert_eq!(reasons[0].code, "1005", "lead {i}");
        }
    }
    assert_eq!(emu.stats().rest.calls, 3 + 3, "700 leads in calls of 250");
}

#[tokio::test]
async fn concurrent_batches_stay_inside_marketos_limits() {
    // Marketo's limits on (100 calls / 20 s, 10 in flight) and 20 ms latency.
    let emu = Emulator::builder().start().await.expect("emulator starts");
    emu.set_latency(Some(std::time::Duration::from_millis(20)));
    let client = client_for(&emu);
    let input = leads(3000, "limits");
    let out = client
        .sync_leads_batched(input.clone(), &SyncLeadsBatched::new())
        .await;
    let ids = ids_by_email(&emu);
    for (lead, outcome) in input.iter().zip(&out) {
        let result = outcome.as_ref().expect("synced");
        assert_eq!(result.id, ids.get(lead.email.as_deref().unwrap()).copied());
    }
    let stats = emu.stats();
    assert_eq!(
        stats.rest.calls, 10,
        "3000 leads in 10 calls, none repeated"
    );
    assert!(stats.rest.max_concurrent > 1, "calls overlap");
    assert!(stats.rest.max_concurrent <= 10);
    assert_eq!(stats.errors("606") + stats.errors("615"), 0);
}
