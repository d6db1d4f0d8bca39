//! The client against a small SOAP server on 127.0.0.1.

use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use hmac::{Hmac, KeyInit, Mac};
use marketo_soap::types::*;
use marketo_soap::{Client, ClientCore, SoapConfig, SoapError};
use sha1::Sha1;

const KEY: &str = "fixture-encryption-key";
const USER: &str = "fixture_user_01";

/// What the server saw of one request.
#[derive(Debug, Clone)]
struct Seen {
    soap_action: String,
    content_type: String,
    user: String,
    signature: String,
    timestamp: String,
    workspace: Option<String>,
    body_element: String,
}

#[derive(Clone, Default)]
struct Server {
    seen: Arc<Mutex<Vec<Seen>>>,
    /// The status and body to answer with.
    reply: Arc<Mutex<(u16, String)>>,
}

fn text_of(doc: &roxmltree::Document<'_>, name: &str) -> Option<String> {
    doc.descendants()
        .find(|n| n.has_tag_name(name))
        .and_then(|n| n.text())
        .map(str::to_owned)
}

async fn handle(
    State(server): State<Server>,
    headers: HeaderMap,
    body: Bytes,
) -> (StatusCode, String) {
    let body = String::from_utf8(body.to_vec()).unwrap();
    let doc = roxmltree::Document::parse(&body).unwrap();
    let payload = doc
        .descendants()
        .find(|n| n.has_tag_name("Body"))
        .and_then(|b| b.children().find(|n| n.is_element()))
        .map(|n| n.tag_name().name().to_owned())
        .unwrap_or_default();
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    server.seen.lock().unwrap().push(Seen {
        soap_action: header("soapaction"),
        content_type: header("content-type"),
        user: text_of(&doc, "mktowsUserId").unwrap_or_default(),
        signature: text_of(&doc, "requestSignature").unwrap_or_default(),
        timestamp: text_of(&doc, "requestTimestamp").unwrap_or_default(),
        workspace: text_of(&doc, "targetWorkspace"),
        body_element: payload,
    });
    let (status, reply) = server.reply.lock().unwrap().clone();
    (StatusCode::from_u16(status).unwrap(), reply)
}

async fn start() -> (Server, Client) {
    let server = Server::default();
    let app = Router::new()
        .route("/soap/mktows/2_9", post(handle))
        .with_state(server.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    let config = SoapConfig::new(&format!("http://{addr}/soap/mktows/2_9"), USER, KEY).unwrap();
    // Quick retries: the 500 test must not wait for the default backoff.
    let core = ClientCore::builder(config)
        .retry(marketo_soap::marketo_resilience::RetryPolicy {
            max_attempts: 3,
            min_delay: std::time::Duration::from_millis(5),
            max_delay: std::time::Duration::from_millis(20),
            ..Default::default()
        })
        .build()
        .unwrap();
    let client = Client::from_core(core);
    (server, client)
}

fn fixture(name: &str) -> String {
    std::fs::read_to_string(format!(
        "{}/tests/fixtures/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

fn hmac_hex(message: &str) -> String {
    let mut mac = <Hmac<Sha1> as KeyInit>::new_from_slice(KEY.as_bytes()).unwrap();
    mac.update(message.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

fn params() -> ParamsScheduleCampaign {
    ParamsScheduleCampaign::new("Program", "Campaign")
        .campaign_run_at(time::OffsetDateTime::now_utc())
}

#[tokio::test]
async fn signs_each_call_afresh_and_sends_soap_action() {
    let (server, client) = start().await;
    *server.reply.lock().unwrap() = (200, fixture("schedule_campaign_response.xml"));
    let first = client.schedule_campaign(params()).await.unwrap();
    assert!(first.success);
    // Timestamps have one-second resolution: wait for the next second.
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    client.schedule_campaign(params()).await.unwrap();

    let seen = server.seen.lock().unwrap().clone();
    assert_eq!(seen.len(), 2);
    for s in &seen {
        assert_eq!(
            s.soap_action,
            "\"http://www.marketo.com/mktows/scheduleCampaign\""
        );
        assert_eq!(s.content_type, "text/xml; charset=utf-8");
        assert_eq!(s.user, USER);
        assert_eq!(s.body_element, "paramsScheduleCampaign");
        assert_eq!(s.signature, hmac_hex(&format!("{}{}", s.timestamp, s.user)));
        assert_eq!(
            s.workspace, None,
            "scheduleCampaign is not bound to the context header"
        );
    }
    assert_ne!(seen[0].timestamp, seen[1].timestamp);
    assert_ne!(seen[0].signature, seen[1].signature);
}

#[tokio::test]
async fn target_workspace_goes_only_to_operations_bound_to_it() {
    let (server, client) = start().await;
    let client = Client::from_core(client.core().clone().with_target_workspace("EMEA"));
    *server.reply.lock().unwrap() = (200, fixture("sync_lead_response.xml"));
    let lead = ParamsSyncLead::new(LeadRecord::new().email("robin@example.com"), false);
    let synced = client.sync_lead(lead).await.unwrap();
    assert_eq!(synced.lead_id, 880042);
    *server.reply.lock().unwrap() = (200, fixture("schedule_campaign_response.xml"));
    client.schedule_campaign(params()).await.unwrap();
    let seen = server.seen.lock().unwrap().clone();
    assert_eq!(seen[0].workspace.as_deref(), Some("EMEA"));
    assert_eq!(
        seen[0].soap_action,
        "\"http://www.marketo.com/mktows/syncLead\""
    );
    assert_eq!(seen[1].workspace, None);
}

#[tokio::test]
async fn a_fault_becomes_soap_error_fault_with_marketo_code() {
    let (server, client) = start().await;
    *server.reply.lock().unwrap() = (500, fixture("fault_20016.xml"));
    let err = client.schedule_campaign(params()).await.unwrap_err();
    assert_eq!(err.code(), Some("20016"), "{err:?}");
    assert!(matches!(err, SoapError::Fault { .. }));
    assert!(!err.is_retryable());
}

#[tokio::test]
async fn malformed_xml_is_a_decode_error() {
    let (server, client) = start().await;
    *server.reply.lock().unwrap() = (200, "<SOAP-ENV:Envelope><broken".into());
    let err = client.schedule_campaign(params()).await.unwrap_err();
    match &err {
        SoapError::Decode { excerpt, .. } => assert!(excerpt.contains("broken")),
        other => panic!("expected Decode, got {other:?}"),
    }
}

#[tokio::test]
async fn http_500_without_a_fault_is_http_status() {
    let (server, client) = start().await;
    *server.reply.lock().unwrap() = (500, "upstream exploded".into());
    let err = client.schedule_campaign(params()).await.unwrap_err();
    match &err {
        SoapError::HttpStatus { status, excerpt } => {
            assert_eq!(status.as_u16(), 500);
            assert_eq!(excerpt, "upstream exploded");
        }
        other => panic!("expected HttpStatus, got {other:?}"),
    }
    assert!(err.is_retryable());
}

#[tokio::test]
async fn debug_output_hides_the_key() {
    let (_server, client) = start().await;
    let shown = format!("{client:?}");
    assert!(!shown.contains(KEY), "{shown}");
}
