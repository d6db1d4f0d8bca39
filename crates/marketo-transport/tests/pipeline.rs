//! The pipeline against a bare TCP server: retries follow the outcome,
//! a refused credential is renewed once, requests are counted.

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use marketo_resilience::outcome::TransportFailure;
use marketo_resilience::{Outcome, RetryPolicy, ThrottleError};
use marketo_transport::{Api, Call, CallError, Exchange, Transport, TransportError};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

#[derive(Debug, thiserror::Error)]
enum TestError {
    #[error("status {0}")]
    Status(u16),
    #[error(transparent)]
    Transport(#[from] TransportError),
    #[error(transparent)]
    Throttle(#[from] ThrottleError),
}

impl CallError for TestError {
    fn outcome(&self) -> Outcome {
        match self {
            // 401 stands for a refused credential in this test.
            Self::Status(401) => Outcome::Soap(Some(20016.into())),
            Self::Status(status) => Outcome::Http(*status),
            Self::Transport(e) => e.outcome(),
            Self::Throttle(_) => Outcome::Invalid,
        }
    }
}

struct Probe {
    url: String,
    built: AtomicU32,
}

impl Exchange for Probe {
    type Output = u16;
    type Error = TestError;

    fn request(&self, http: &reqwest::Client) -> Result<reqwest::RequestBuilder, TestError> {
        self.built.fetch_add(1, Ordering::Relaxed);
        Ok(http.get(&self.url))
    }

    fn read(&self, status: u16, _body: Vec<u8>) -> Result<u16, TestError> {
        match status {
            200..=299 => Ok(status),
            _ => Err(TestError::Status(status)),
        }
    }
}

/// Answers each connection with the next status of `statuses` (the last
/// one repeated).
async fn server(statuses: Vec<u16>) -> (String, Arc<AtomicU32>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/", listener.local_addr().unwrap());
    let seen = Arc::new(AtomicU32::new(0));
    let counter = seen.clone();
    tokio::spawn(async move {
        loop {
            let Ok((mut socket, _)) = listener.accept().await else {
                return;
            };
            let n = counter.fetch_add(1, Ordering::Relaxed) as usize;
            let status = statuses[n.min(statuses.len() - 1)];
            let mut buf = [0u8; 4096];
            let _ = socket.read(&mut buf).await;
            let answer =
                format!("HTTP/1.1 {status} X\r\ncontent-length: 2\r\nconnection: close\r\n\r\nok");
            let _ = socket.write_all(answer.as_bytes()).await;
        }
    });
    (url, seen)
}

fn transport() -> Transport {
    Transport::builder()
        .retry(RetryPolicy {
            max_attempts: 3,
            min_delay: Duration::from_millis(1),
            max_delay: Duration::from_millis(2),
            max_elapsed: Duration::from_secs(5),
            jitter: false,
        })
        .build()
        .unwrap()
}

fn call(idempotent: bool) -> Call {
    Call {
        api: Api::Soap,
        operation: "probe",
        method: "GET",
        idempotent,
    }
}

#[tokio::test]
async fn a_retried_status_is_sent_again_until_it_succeeds() {
    let (url, seen) = server(vec![503, 429, 200]).await;
    let t = transport();
    let probe = Probe {
        url,
        built: AtomicU32::new(0),
    };
    assert_eq!(t.send(call(false), &probe).await.unwrap(), 200);
    assert_eq!(seen.load(Ordering::Relaxed), 3);
    assert_eq!(t.requests_sent(), 3);
    assert_eq!(
        probe.built.load(Ordering::Relaxed),
        3,
        "built afresh each time"
    );
}

#[tokio::test]
async fn a_failing_status_is_returned_at_once() {
    let (url, seen) = server(vec![404]).await;
    let t = transport();
    let probe = Probe {
        url,
        built: AtomicU32::new(0),
    };
    let err = t.send(call(true), &probe).await.unwrap_err();
    assert!(matches!(err, TestError::Status(404)));
    assert_eq!(seen.load(Ordering::Relaxed), 1);
}

#[tokio::test]
async fn a_refused_credential_is_renewed_once_per_attempt() {
    let (url, seen) = server(vec![401]).await;
    let t = transport();
    let probe = Probe {
        url,
        built: AtomicU32::new(0),
    };
    let err = t.send(call(true), &probe).await.unwrap_err();
    assert!(matches!(err, TestError::Status(401)));
    assert_eq!(
        seen.load(Ordering::Relaxed),
        2,
        "one renewal, then returned"
    );
}

#[tokio::test]
async fn a_refused_connection_is_retried_even_when_not_idempotent() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/", listener.local_addr().unwrap());
    drop(listener);
    let t = transport();
    let probe = Probe {
        url,
        built: AtomicU32::new(0),
    };
    let err = t.send(call(false), &probe).await.unwrap_err();
    match err {
        TestError::Transport(e) => {
            assert_eq!(e.failure(), TransportFailure::Connect);
            assert!(!e.is_idempotent());
        }
        other => panic!("expected a transport error, got {other:?}"),
    }
    assert_eq!(t.requests_sent(), 3);
}

/// An exchange that checks, while decoding, whether a throttle permit is
/// free.
struct PermitCheck {
    url: String,
    throttle: marketo_resilience::Throttle,
    free_while_reading: std::sync::Mutex<Option<bool>>,
}

impl Exchange for PermitCheck {
    type Output = u16;
    type Error = TestError;

    fn request(&self, http: &reqwest::Client) -> Result<reqwest::RequestBuilder, TestError> {
        Ok(http.get(&self.url))
    }

    fn read(&self, status: u16, _body: Vec<u8>) -> Result<u16, TestError> {
        // The only permit of the throttle: free if the transport let go of
        // it before decoding.
        let mut acquire = std::pin::pin!(self.throttle.acquire());
        let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
        let free = matches!(
            acquire.as_mut().poll(&mut cx),
            std::task::Poll::Ready(Ok(_))
        );
        *self.free_while_reading.lock().unwrap() = Some(free);
        Ok(status)
    }
}

#[tokio::test]
async fn the_permit_is_released_before_the_answer_is_decoded() {
    let (url, _) = server(vec![200]).await;
    let throttle = marketo_resilience::Throttle::new(marketo_resilience::Limits {
        max_in_flight: 1,
        ..marketo_resilience::Limits::default()
    })
    .unwrap();
    let t = Transport::builder()
        .throttle(throttle.clone())
        .build()
        .unwrap();
    let check = PermitCheck {
        url,
        throttle,
        free_while_reading: std::sync::Mutex::new(None),
    };
    assert_eq!(t.send(call(true), &check).await.unwrap(), 200);
    assert_eq!(*check.free_while_reading.lock().unwrap(), Some(true));
}
