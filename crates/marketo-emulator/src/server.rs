//! The HTTP server: accept loop (hyper, so that a connection can be dropped on purpose)
//! around an `axum` router.

use std::sync::{Arc, Mutex, MutexGuard};

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

use crate::faults::CallKind;
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
        .route("/soap/mktows/2_9", any(soap_entry))
        .route("/__emulator/stats", get(crate::admin::stats))
        .route("/__emulator/reset", post(crate::admin::reset))
        .fallback(rest_entry)
        .with_state(shared)
}

async fn soap_entry(AxState(shared): AxState<Arc<Shared>>, req: Request) -> Response<Body> {
    crate::soap::handle(shared, req).await
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
