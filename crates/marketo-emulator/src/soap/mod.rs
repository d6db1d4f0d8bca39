//! SOAP API placeholder.
use std::sync::Arc;
use axum::body::Body;
use axum::extract::Request;
use axum::http::Response;
use crate::server::Shared;
pub(crate) async fn handle(_shared: Arc<Shared>, _req: Request) -> Response<Body> {
    Response::new(Body::empty())
}
