//! The admin endpoints, outside the Marketo API (never under `/rest` or
//! `/soap`): `GET /__emulator/stats` (the counters of [`Emulator::stats`]
//! as JSON) and `POST /__emulator/reset` (counters and rate windows reset,
//! as [`Emulator::reset_stats_and_windows`]), for benchmarks and scripts
//! that run the emulator as a process.
//!
//! [`Emulator::stats`]: crate::Emulator::stats
//! [`Emulator::reset_stats_and_windows`]: crate::Emulator::reset_stats_and_windows

use std::sync::Arc;

use axum::body::Body;
use axum::extract::State as AxState;
use axum::http::{Response, StatusCode, header};
use serde_json::{Map, Value, json};

use crate::limits::{ApiStats, Stats};
use crate::server::Shared;

fn api(s: &ApiStats) -> Value {
    json!({
        "calls": s.calls,
        "executed": s.executed,
        "maxConcurrent": s.max_concurrent,
        "maxCallsInWindow": s.max_calls_in_window,
    })
}

/// The JSON form of [`Stats`].
pub(crate) fn stats_json(s: &Stats) -> Value {
    let errors: Map<String, Value> = s
        .error_counts
        .iter()
        .map(|(code, n)| (code.clone(), Value::from(*n)))
        .collect();
    let statuses: Map<String, Value> = s
        .http_statuses
        .iter()
        .map(|(status, n)| (status.to_string(), Value::from(*n)))
        .collect();
    json!({
        "callsServed": s.calls_served,
        "tokenRequests": s.token_requests,
        "tokensIssued": s.tokens_issued,
        "rest": api(&s.rest),
        "soap": api(&s.soap),
        "errorCounts": errors,
        "httpStatuses": statuses,
        "droppedConnections": s.dropped_connections,
    })
}

fn json_response(value: &Value) -> Response<Body> {
    let mut r = Response::new(Body::from(value.to_string()));
    *r.status_mut() = StatusCode::OK;
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        header::HeaderValue::from_static("application/json"),
    );
    r
}

pub(crate) async fn stats(AxState(shared): AxState<Arc<Shared>>) -> Response<Body> {
    let snapshot = shared.lock().stats_snapshot();
    json_response(&stats_json(&snapshot))
}

pub(crate) async fn reset(AxState(shared): AxState<Arc<Shared>>) -> Response<Body> {
    let snapshot = {
        let mut st = shared.lock();
        st.reset_stats_and_windows();
        st.stats_snapshot()
    };
    json_response(&stats_json(&snapshot))
}
