//! Every call runs in a `marketo_rest.call` span with the operation name
//! and Marketo's `requestId`; no token or secret reaches the log. (Its own
//! test binary: the global subscriber must not race with other tests.)

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::routing::get;
use marketo_rest::Client;
use marketo_rest::marketo_auth::RestCredentials;

const SECRET: &str = "s3cret-value";

/// A `tracing` writer into a shared buffer.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn calls_are_traced_with_operation_and_request_id_but_no_secret() {
    let captured = Captured::default();
    let writer = captured.clone();
    tracing_subscriber::fmt()
        .with_max_level(tracing::Level::DEBUG)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .init();

    let tokens = Arc::new(AtomicUsize::new(0));
    let calls = Arc::new(AtomicUsize::new(0));
    let app = Router::new()
        .route(
            "/identity/oauth/token",
            get(move || {
                let n = tokens.fetch_add(1, Ordering::SeqCst) + 1;
                async move {
                    format!(r#"{{"access_token":"tok-{n}","token_type":"bearer","expires_in":3600}}"#)
                }
            }),
        )
        .fallback(move || {
            let n = calls.fetch_add(1, Ordering::SeqCst);
            async move {
                let body = if n == 0 {
                    r#"{"success":false,"requestId":"req-601","errors":[{"code":"601","message":"Access token invalid"}]}"#
                } else {
                    r#"{"success":true,"requestId":"req-ok","result":[{"id":3}]}"#
                };
                ([("content-type", "application/json")], body)
            }
        });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });

    let client = Client::new(RestCredentials::new(&base, "client-id", SECRET).unwrap()).unwrap();
    let ids = client.approve_program(3).await.unwrap();
    assert_eq!(ids.value[0].id, 3);

    let logs = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    assert!(logs.contains("marketo_rest.call"), "{logs}");
    assert!(logs.contains(r#"operation="approveProgram""#), "{logs}");
    assert!(logs.contains(r#"request_id="req-601""#), "{logs}");
    assert!(logs.contains(r#"request_id="req-ok""#), "{logs}");
    assert!(logs.contains("refreshing it and retrying once"), "{logs}");
    assert!(!logs.contains(SECRET), "{logs}");
    assert!(!logs.contains("tok-1") && !logs.contains("tok-2"), "{logs}");
}
