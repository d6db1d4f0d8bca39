//! End to end, one module per API area: every operation of
//! `specs/marketo-rest.yaml` called through the generated client
//! (`marketo-rest`) against the in-process emulator (`marketo-emulator`),
//! with what the client reports checked against the emulator's state.
//!
//! One test binary for all areas (one link, not one per area); the older
//! program/lead/campaign tests are in `e2e_rest.rs`.

use std::fmt::Debug;

use marketo_auth::RestCredentials;
use marketo_emulator::{Emulator, Limits};
use marketo_rest::{Client, RestError};

// One module per area; each adds its own line here.
mod asset_uploads;
mod assets_core;
mod batch;
mod bulk;
mod bulk_records;
mod email_templates;
mod emails;
mod landing_pages_forms;
mod lead_objects;
mod lead_objects_custom;
mod leads_db;

/// An emulator with the demo data and no rate limits, and a client for it.
pub(crate) async fn setup() -> (Emulator, Client) {
    let emu = Emulator::builder()
        .limits(Limits::unlimited())
        .start()
        .await
        .expect("emulator starts");
    let client = client_for(&emu);
    (emu, client)
}

/// A client for the emulator's REST side.
pub(crate) fn client_for(emu: &Emulator) -> Client {
    let creds = emu.credentials();
    let credentials =
        RestCredentials::new(&emu.rest_base_url(), creds.client_id, creds.client_secret)
            .expect("valid credentials");
    Client::new(credentials).expect("client")
}

/// The Marketo error code of a call expected to fail with `RestError::Api`.
#[track_caller]
pub(crate) fn api_code<T: Debug>(result: Result<T, RestError>) -> String {
    match result {
        Err(RestError::Api { request_id, errors }) => {
            assert!(!request_id.is_empty(), "an API error carries the requestId");
            assert!(!errors.is_empty(), "an API error carries its errors");
            errors[0].code.clone()
        }
        other => panic!("expected RestError::Api, got {other:?}"),
    }
}

/// Asserts that a get-by-id found nothing: `RestError::NotFound`.
#[track_caller]
pub(crate) fn assert_not_found<T: Debug>(result: Result<T, RestError>) {
    match result {
        Err(err @ RestError::NotFound { .. }) => assert!(err.is_not_found()),
        other => panic!("expected RestError::NotFound, got {other:?}"),
    }
}

#[tokio::test]
async fn missing_records_are_not_found_and_refusals_carry_their_code() {
    let (_emu, client) = setup().await;
    assert_not_found(client.get_program_by_id(987_654).await);
    // Deleting a program that does not exist: Marketo's 702.
    assert_eq!(api_code(client.delete_program(987_654).await), "702");
}
