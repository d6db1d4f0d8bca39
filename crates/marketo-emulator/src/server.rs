//! The HTTP server: accept loop (hyper, so that a connection can be dropped on purpose)
//! around an `axum` router.

use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State as AxState};
use axum::http::{Response, StatusCode, header};
use axum::routing::{any, get, post};
use hyper::server::conn::http1;
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tower::ServiceExt;

use crate::config::Limits;
use crate::faults::{Armed, CallKind};
use crate::state::State;

/// State shared by all connections.
pub(crate) struct Shared {
    state: Mutex<State>,
}

// The state holds access tokens and the credentials: keep them out of `Debug`.
impl std::fmt::Debug for Shared {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Shared").finish_non_exhaustive()
    }
}

impl Shared {
    pub(crate) fn new(state: State) -> Self {
        Self {
            state: Mutex::new(state),
        }
    }

    /// Locks the state; a poisoned lock is recovered (the state stays usable).
    pub(crate) fn lock(&self) -> MutexGuard<'_, State> {
        match self.state.lock() {
            Ok(g) => g,
            Err(poisoned) => poisoned.into_inner(),
        }
    }
}

/// Marker put in a response's extensions: close the connection instead of answering.
#[derive(Clone, Copy, Debug)]
pub(crate) struct DropConnection;

/// Error returned to hyper to abort a connection.
#[derive(Debug, thiserror::Error)]
#[error("connection dropped by fault injection")]
pub(crate) struct Dropped;

/// Decrements the in-flight counter of an API when dropped.
pub(crate) struct InFlight {
    pub(crate) shared: Arc<Shared>,
    pub(crate) kind: CallKind,
}

impl Drop for InFlight {
    fn drop(&mut self) {
        let mut st = self.shared.lock();
        match self.kind {
            CallKind::Rest => st.rest_counter.depart(),
            CallKind::Soap => st.soap_counter.depart(),
        }
    }
}

/// A REST or SOAP call that has arrived: counted (and held) in flight, its
/// fault (if any) taken, and the instant before which it is not answered.
pub(crate) struct Arrival {
    /// Calls of its API in flight, this one included.
    pub(crate) in_flight: u32,
    /// The limits when it arrived.
    pub(crate) limits: Limits,
    /// The accepted distance of a SOAP `requestTimestamp` when it arrived.
    pub(crate) signature_window: Duration,
    /// Not answered before this instant: arrival plus the configured
    /// latency, so the latency is the call's whole service time (its
    /// processing included), as a remote server's would be.
    pub(crate) answer_at: Option<tokio::time::Instant>,
    /// The fault to produce for it.
    pub(crate) fault: Option<Armed>,
    /// Keeps the call counted in flight until dropped.
    pub(crate) guard: InFlight,
}

/// Counts an arriving call and takes its fault; the caller answers it no
/// earlier than [`Arrival::answer_at`] (see [`answer_when_due`]).
pub(crate) fn arrive(shared: &Arc<Shared>, kind: CallKind) -> Arrival {
    // Before the lock: a call that waits for it has arrived all the same.
    let arrived = tokio::time::Instant::now();
    let (in_flight, latency, fault, limits, signature_window) = {
        let mut st = shared.lock();
        let now = st.now();
        let limits = st.config.limits.clone();
        let in_flight = match kind {
            CallKind::Rest => st.rest_counter.arrive(now, &limits.rest),
            CallKind::Soap => st.soap_counter.arrive(now, &limits.soap),
        };
        let fault = st.faults.take(kind);
        let window = st.config.signature_window;
        (in_flight, st.faults.latency, fault, limits, window)
    };
    let guard = InFlight {
        shared: shared.clone(),
        kind,
    };
    let answer_at = latency.map(|l| arrived + l);
    Arrival {
        in_flight,
        limits,
        signature_window,
        answer_at,
        fault,
        guard,
    }
}

/// Waits until `answer_at` (if set), then gives `response` back: a call is
/// answered no earlier than its arrival plus the configured latency, and
/// not measurably later.
///
/// Tokio's timer fires on whole milliseconds and, on an idle runtime, one
/// or two late (its driver parks with a millisecond timeout): a 50 ms
/// latency came out as about 52 ms, which made the latency the emulator
/// advertises unreachable for any client. So the timer only covers the
/// wait up to [`TIMER_MARGIN`] before the due time; the rest is spent
/// yielding to the runtime's other tasks until the clock reaches it.
pub(crate) async fn answer_when_due<R>(answer_at: Option<tokio::time::Instant>, response: R) -> R {
    if let Some(at) = answer_at {
        if let Some(early) = at.checked_sub(TIMER_MARGIN) {
            tokio::time::sleep_until(early).await;
        }
        let mut spins = 0_u32;
        while tokio::time::Instant::now() < at {
            if spins == MAX_SPINS {
                // A paused clock (Tokio's test-util) only moves when the
                // runtime is idle: leave the rest to the timer.
                tokio::time::sleep_until(at).await;
                break;
            }
            spins += 1;
            tokio::task::yield_now().await;
        }
    }
    response
}

/// How long before a call is due the coarse timer hands over to yielding
/// (see [`answer_when_due`]): its millisecond tick, and the wake-up after it.
const TIMER_MARGIN: Duration = Duration::from_millis(1);

/// Yields at most this many times before the timer takes over again (far
/// more than a millisecond takes on a running clock).
const MAX_SPINS: u32 = 100_000;

/// A response that makes the server close the connection without answering.
pub(crate) fn drop_response() -> Response<Body> {
    let mut r = Response::new(Body::empty());
    r.extensions_mut().insert(DropConnection);
    r
}

/// A plain-text response with the given status.
pub(crate) fn text_response(status: StatusCode, text: &str) -> Response<Body> {
    let mut r = Response::new(Body::from(text.to_owned()));
    *r.status_mut() = status;
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        header::HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    r
}

pub(crate) fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route("/soap/mktows/{version}", any(soap_entry))
        .route("/soap", any(soap_elsewhere))
        .route("/soap/", any(soap_elsewhere))
        .route("/soap/{*rest}", any(soap_elsewhere))
        .route("/__emulator/stats", get(crate::admin::stats))
        .route("/__emulator/reset", post(crate::admin::reset))
        .fallback(rest_entry)
        .with_state(shared)
}

async fn soap_entry(AxState(shared): AxState<Arc<Shared>>, req: Request) -> Response<Body> {
    // The segment as written (no extractor, so no non-SOAP rejection on odd bytes).
    let version = req
        .uri()
        .path()
        .strip_prefix("/soap/mktows/")
        .unwrap_or_default()
        .to_owned();
    crate::soap::handle(shared, &version, req).await
}

/// A path under `/soap` that names no API version: a SOAP fault, never a REST body.
async fn soap_elsewhere(AxState(shared): AxState<Arc<Shared>>, req: Request) -> Response<Body> {
    crate::soap::unknown_path(&shared, req.uri().path())
}

async fn rest_entry(AxState(shared): AxState<Arc<Shared>>, req: Request) -> Response<Body> {
    crate::rest::handle(shared, req).await
}

/// Runs the accept loop until `shutdown` turns true.
pub(crate) async fn serve(
    listener: TcpListener,
    shared: Arc<Shared>,
    mut shutdown: watch::Receiver<bool>,
) {
    let app = router(shared.clone());
    loop {
        let accepted = tokio::select! {
            a = listener.accept() => a,
            _ = shutdown.changed() => break,
        };
        let (stream, _) = match accepted {
            Ok(x) => x,
            Err(e) => {
                tracing::warn!(error = %e, "accept failed");
                continue;
            }
        };
        // Answers leave at once, not held back by Nagle's algorithm until
        // the client acknowledges the previous segment (a late last
        // segment would add to every call's latency).
        if let Err(e) = stream.set_nodelay(true) {
            tracing::debug!(error = %e, "cannot set TCP_NODELAY");
        }
        let app = app.clone();
        let shared = shared.clone();
        let mut conn_shutdown = shutdown.clone();
        tokio::spawn(async move {
            let svc =
                hyper::service::service_fn(move |req: hyper::Request<hyper::body::Incoming>| {
                    let app = app.clone();
                    let shared = shared.clone();
                    async move {
                        let resp = match app.oneshot(req.map(Body::new)).await {
                            Ok(r) => r,
                            Err(never) => match never {},
                        };
                        if resp.extensions().get::<DropConnection>().is_some() {
                            shared.lock().stats.dropped_connections += 1;
                            return Err(Dropped);
                        }
                        {
                            let mut st = shared.lock();
                            st.stats.calls_served += 1;
                            let status = resp.status().as_u16();
                            if status != 200 {
                                *st.stats.http_statuses.entry(status).or_insert(0) += 1;
                            }
                        }
                        Ok::<_, Dropped>(resp)
                    }
                });
            let conn = http1::Builder::new().serve_connection(TokioIo::new(stream), svc);
            let mut conn = std::pin::pin!(conn);
            tokio::select! {
                res = conn.as_mut() => {
                    if let Err(e) = res {
                        tracing::debug!(error = %e, "connection ended with an error");
                    }
                }
                _ = conn_shutdown.changed() => {
                    conn.as_mut().graceful_shutdown();
                    let _ = conn.await;
                }
            }
        });
    }
}
