//! The REST API: identity endpoint, envelope, request pipeline and routing.

pub(crate) mod activities;
pub(crate) mod assets;
mod assets_v2;
mod auth;
mod bulk;
pub(crate) mod campaigns;
mod channels;
pub(crate) mod codes;
pub(crate) mod design;
mod email_content;
mod email_templates;
mod email_uploads;
mod emails;
mod folders;
pub(crate) mod lead_db;
mod lead_objects;
pub(crate) mod leads;
mod lenient_json;
mod lists;
mod multipart;
mod programs;
pub(crate) mod router;

use std::sync::{Arc, LazyLock};

use axum::body::{Body, Bytes};
use axum::extract::Request;
use axum::http::{Method, Response, StatusCode, header};
use serde_json::{Value, json};
use time::OffsetDateTime;

use crate::faults::{Armed, CallKind};
use crate::limits::Admission;
use crate::server::{self, Arrival, Shared, text_response};
use crate::util;
pub(crate) use codes::message_for;
use router::{PathParams, Router};

/// Largest URI accepted (Marketo: 8 KB → HTTP 414).
const MAX_URI: usize = 8 * 1024;

/// The warning of an asset search past the end.
pub(crate) const NO_ASSETS: &str = "No assets found for the given search criteria.";

/// A response-level API error.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct ApiError {
    pub(crate) code: &'static str,
    pub(crate) message: String,
}

impl ApiError {
    pub(crate) fn new(code: &'static str, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
        }
    }
}

pub(crate) type ApiResult = Result<Value, ApiError>;

/// Success envelope of the Asset API.
pub(crate) fn asset_ok(result: Vec<Value>) -> Value {
    if result.is_empty() {
        return no_assets();
    }
    with_result(
        json!({
            "requestId": util::request_id(),
            "success": true,
            "errors": [],
            "warnings": [],
        }),
        result,
    )
}

/// `envelope` with `result` moved in (`json!` would copy every item).
fn with_result(mut envelope: Value, result: Vec<Value>) -> Value {
    if let Value::Object(map) = &mut envelope {
        map.insert("result".to_owned(), Value::Array(result));
    }
    envelope
}

/// Asset API success with no result and the "No assets found" warning.
pub(crate) fn no_assets() -> Value {
    json!({
        "requestId": util::request_id(),
        "success": true,
        "errors": [],
        "warnings": [NO_ASSETS],
    })
}

/// Success envelope of the Lead Database API.
pub(crate) fn lead_ok(result: Vec<Value>) -> Value {
    with_result(
        json!({
            "requestId": util::request_id(),
            "success": true,
        }),
        result,
    )
}

/// Error envelope.
pub(crate) fn error_envelope(code: &str, message: &str) -> Value {
    json!({
        "requestId": util::request_id(),
        "success": false,
        "errors": [{"code": code, "message": message}],
    })
}

/// The `input` array of a JSON body: 701 when absent, 1003 unless it holds
/// 1 to 300 items (`what` names them in the message).
pub(crate) fn input_array<'a>(body: &'a Value, what: &str) -> Result<&'a Vec<Value>, ApiError> {
    let input = body
        .get("input")
        .and_then(Value::as_array)
        .ok_or_else(|| ApiError::new("701", "input cannot be blank"))?;
    if input.is_empty() || input.len() > 300 {
        return Err(ApiError::new(
            "1003",
            format!("input must hold between 1 and 300 {what}"),
        ));
    }
    Ok(input)
}

/// A record-level reason.
pub(crate) fn reason(code: &str, message: &str) -> Value {
    json!({"code": code, "message": message})
}

fn json_response(status: StatusCode, v: &Value) -> Response<Body> {
    // A `Value` always serializes; `to_vec` skips `Display`'s formatter.
    let mut r = Response::new(Body::from(serde_json::to_vec(v).unwrap_or_default()));
    *r.status_mut() = status;
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        header::HeaderValue::from_static("application/json;charset=UTF-8"),
    );
    r
}

/// Query or form parameters, in order.
#[derive(Clone, Debug, Default)]
pub(crate) struct Params(pub(crate) Vec<(String, String)>);

impl Params {
    pub(crate) fn parse(s: &[u8]) -> Self {
        Params(
            form_urlencoded::parse(s)
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect(),
        )
    }

    /// First value of a parameter.
    pub(crate) fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// First value, `None` when absent or empty.
    pub(crate) fn non_empty(&self, name: &str) -> Option<&str> {
        self.get(name).filter(|v| !v.trim().is_empty())
    }

    /// Required non-empty value (701 otherwise).
    pub(crate) fn required(&self, name: &str) -> Result<&str, ApiError> {
        self.non_empty(name)
            .ok_or_else(|| ApiError::new("701", format!("{name} cannot be blank")))
    }

    /// An integer parameter (1001 when not an integer).
    pub(crate) fn int<T: std::str::FromStr>(&self, name: &str) -> Result<Option<T>, ApiError> {
        match self.non_empty(name) {
            None => Ok(None),
            Some(v) => v.trim().parse::<T>().map(Some).map_err(|_| {
                ApiError::new(
                    "1001",
                    format!("Invalid value '{v}'. Required of type 'Integer'"),
                )
            }),
        }
    }

    /// A boolean parameter (1001 when not a boolean).
    pub(crate) fn bool(&self, name: &str) -> Result<Option<bool>, ApiError> {
        match self.non_empty(name) {
            None => Ok(None),
            Some(v) => match v.trim().to_ascii_lowercase().as_str() {
                "true" => Ok(Some(true)),
                "false" => Ok(Some(false)),
                _ => Err(ApiError::new(
                    "1001",
                    format!("Invalid value '{v}'. Required of type 'Boolean'"),
                )),
            },
        }
    }

    /// A date-time parameter (704 when it does not parse).
    pub(crate) fn date(&self, name: &str) -> Result<Option<OffsetDateTime>, ApiError> {
        match self.non_empty(name) {
            None => Ok(None),
            Some(v) => util::parse_datetime(v)
                .map(Some)
                .ok_or_else(|| ApiError::new("704", format!("Invalid date format for {name}"))),
        }
    }

    /// A comma-separated (or repeated) list parameter.
    pub(crate) fn list(&self, name: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(k, _)| k == name)
            .flat_map(|(_, v)| v.split(','))
            .map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty())
            .collect()
    }

    /// A list of integers (1001 on a bad item).
    pub(crate) fn int_list<T: std::str::FromStr>(&self, name: &str) -> Result<Vec<T>, ApiError> {
        self.list(name)
            .into_iter()
            .map(|v| {
                v.parse::<T>().map_err(|_| {
                    ApiError::new(
                        "1001",
                        format!("Invalid value '{v}'. Required of type 'Integer'"),
                    )
                })
            })
            .collect()
    }

    /// Adds the parameters of another set (body after query).
    fn extend(&mut self, other: Params) {
        self.0.extend(other.0);
    }
}

/// Everything a route handler may look at.
#[derive(Debug)]
pub(crate) struct Ctx {
    /// The path parameters of the matched route.
    pub(crate) path: PathParams,
    pub(crate) query: Params,
    pub(crate) content_type: Option<String>,
    pub(crate) body: Bytes,
    pub(crate) now: OffsetDateTime,
}

impl Ctx {
    /// The form parameters: the body (612 when it has another content type) after the
    /// query string, which Marketo also reads for Asset API POSTs.
    pub(crate) fn form(&self) -> Result<Params, ApiError> {
        let mut params = Params(
            self.query
                .0
                .iter()
                .filter(|(k, _)| k != "_method")
                .cloned()
                .collect(),
        );
        if self.body.iter().all(u8::is_ascii_whitespace) {
            return Ok(params);
        }
        match &self.content_type {
            Some(ct) if ct.starts_with("application/x-www-form-urlencoded") => {
                let mut body = Params::parse(&self.body);
                // Body values come first, so they win over the query string.
                body.extend(params);
                params = body;
                Ok(params)
            }
            _ => Err(ApiError::new("612", "Invalid Content Type")),
        }
    }

    /// The body as JSON (612 for another content type, 609 for bad JSON); `None` when empty.
    pub(crate) fn json(&self) -> Result<Option<Value>, ApiError> {
        if self.body.iter().all(u8::is_ascii_whitespace) {
            return Ok(None);
        }
        match &self.content_type {
            Some(ct) if ct.starts_with("application/json") || ct.contains("+json") => {
                serde_json::from_slice(&self.body)
                    .map(Some)
                    .map_err(|_| ApiError::new("609", "Invalid JSON"))
            }
            _ => Err(ApiError::new("612", "Invalid Content Type")),
        }
    }
}

/// A `Content-Type` with its media type lower-cased (handlers compare it
/// with `starts_with`) and its parameters as sent: a multipart boundary is
/// case-sensitive.
fn media_type_lowercased(header: &str) -> String {
    let header = header.trim();
    match header.split_once(';') {
        Some((media, params)) => format!("{};{params}", media.trim().to_ascii_lowercase()),
        None => header.to_ascii_lowercase(),
    }
}

/// Parses a JSON-encoded form field (609 for malformed text). Marketo's reader is
/// lenient in the `org.json` way (single quotes, bare words); see [`lenient_json`].
pub(crate) fn form_json(params: &Params, name: &str) -> Result<Option<Value>, ApiError> {
    match params.non_empty(name) {
        None => Ok(None),
        Some(v) => lenient_json::parse(v)
            .map(Some)
            .map_err(|e| ApiError::new("609", format!("Invalid JSON in '{name}': {e}"))),
    }
}

/// Browse paging parameters: `maxReturn` (default 20, at most 200) and `offset`.
pub(crate) fn paging(q: &Params) -> Result<(usize, usize), ApiError> {
    let max: i64 = q.int("maxReturn")?.unwrap_or(20);
    if !(1..=200).contains(&max) {
        return Err(ApiError::new(
            "1003",
            format!("Invalid value for maxReturn: {max}. It must be between 1 and 200"),
        ));
    }
    let offset: i64 = q.int("offset")?.unwrap_or(0);
    if offset < 0 {
        return Err(ApiError::new(
            "1003",
            format!("Invalid value for offset: {offset}"),
        ));
    }
    Ok((
        usize::try_from(max).unwrap_or(20),
        usize::try_from(offset).unwrap_or(0),
    ))
}

/// Entry point of every non-SOAP request.
pub(crate) async fn handle(shared: Arc<Shared>, req: Request) -> Response<Body> {
    let (parts, body) = req.into_parts();
    let path = parts.uri.path().to_owned();
    if path == "/identity/oauth/token" {
        return auth::token(&shared, &parts, body).await;
    }
    let Arrival {
        in_flight,
        limits,
        fault,
        answer_at,
        guard: _guard,
        ..
    } = server::arrive(&shared, CallKind::Rest);
    let response = answer(&shared, parts, body, in_flight, &limits, fault).await;
    server::answer_when_due(answer_at, response).await
}

/// The answer to an admitted REST call (its fault, if any, applied).
async fn answer(
    shared: &Arc<Shared>,
    parts: axum::http::request::Parts,
    body: Body,
    in_flight: u32,
    limits: &crate::config::Limits,
    fault: Option<Armed>,
) -> Response<Body> {
    if let Some(r) = fault.as_ref().and_then(Armed::transport_response) {
        return r;
    }
    let mut mangle = None;
    match fault {
        Some(Armed::RestError { code, message }) => {
            shared.lock().count_error(code);
            return json_response(StatusCode::OK, &error_envelope(code, message));
        }
        Some(Armed::Mangle(m)) => mangle = Some(m),
        _ => {}
    }
    let resp = pipeline(shared, parts, body, in_flight, limits).await;
    match mangle {
        Some(m) => m.apply(resp, GARBAGE).await,
        None => resp,
    }
}

/// The body of an injected [`Fault::MalformedBody`](crate::Fault::MalformedBody).
const GARBAGE: &[u8] = b"{\"requestId\":\"garbage#1\",\"success\":tru<html>";

async fn pipeline(
    shared: &Arc<Shared>,
    parts: axum::http::request::Parts,
    body: Body,
    in_flight: u32,
    limits: &crate::config::Limits,
) -> Response<Body> {
    let uri_len = parts.uri.to_string().len();
    if uri_len > MAX_URI {
        return text_response(StatusCode::URI_TOO_LONG, "414 Request-URI Too Large");
    }
    let respond = |shared: &Arc<Shared>, v: Value| {
        let code = (v.get("success") == Some(&Value::Bool(false)))
            .then(|| {
                v.get("errors")
                    .and_then(|e| e.get(0))
                    .and_then(|e| e.get("code"))
                    .and_then(Value::as_str)
            })
            .flatten();
        {
            let mut st = shared.lock();
            if let Some(code) = code {
                st.count_error(code);
            }
            let now = st.now();
            st.lead_db.record_call(now, code);
        }
        json_response(StatusCode::OK, &v)
    };
    // Authentication: the bearer header only.
    let bearer = parts
        .headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            let v = v.trim();
            v.strip_prefix("Bearer ")
                .or_else(|| v.strip_prefix("bearer "))
        })
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_owned);
    {
        let st = shared.lock();
        if let Err(e) = auth::check_bearer(&st, bearer.as_deref()) {
            drop(st);
            return respond(shared, error_envelope(e.code, &e.message));
        }
    }
    // Limits.
    {
        let mut st = shared.lock();
        let now = st.now();
        match st.rest_counter.admit(now, in_flight, &limits.rest) {
            Admission::Ok => {}
            Admission::Concurrency => {
                drop(st);
                return respond(shared, error_envelope("615", message_for("615")));
            }
            Admission::Rate => {
                drop(st);
                let msg = format!(
                    "Max rate limit '{}' exceeded with in '{}' secs",
                    limits.rest.rate.unwrap_or(0),
                    limits.rest.window.as_secs()
                );
                return respond(shared, error_envelope("606", &msg));
            }
            Admission::Quota => {
                drop(st);
                return respond(shared, error_envelope("607", message_for("607")));
            }
        }
    }
    // Bulk imports carry files of up to 10 MB.
    let max_body = match parts.uri.path().starts_with("/bulk/") {
        true => limits
            .max_body_bytes
            .max(bulk::MAX_IMPORT_BYTES + 64 * 1024),
        false => limits.max_body_bytes,
    };
    let bytes = match axum::body::to_bytes(body, max_body).await {
        Ok(b) => b,
        Err(_) => {
            return text_response(
                StatusCode::PAYLOAD_TOO_LARGE,
                "413 Request Entity Too Large",
            );
        }
    };
    let mut method = parts.method.clone();
    let mut query = Params::parse(parts.uri.query().unwrap_or("").as_bytes());
    let content_type = parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(media_type_lowercased);
    let mut body_bytes = bytes;
    let is_form = content_type
        .as_deref()
        .is_some_and(|c| c.starts_with("application/x-www-form-urlencoded"));
    // `_method=GET|DELETE` on a POST, in the query string or as a form field:
    // the POST stands for that method. A form body becomes query parameters; a
    // JSON body (is-member, remove from list) stays the body.
    if method == Method::POST {
        let mut form = if is_form {
            Params::parse(&body_bytes)
        } else {
            Params::default()
        };
        let override_to = query
            .get("_method")
            .or_else(|| form.get("_method"))
            .map(str::to_ascii_uppercase);
        match override_to.as_deref() {
            Some(m @ ("GET" | "DELETE")) => {
                method = if m == "GET" {
                    Method::GET
                } else {
                    Method::DELETE
                };
                query.0.retain(|(k, _)| k != "_method");
                if is_form {
                    form.0.retain(|(k, _)| k != "_method");
                    query.extend(form);
                    body_bytes = Bytes::new();
                } else if !body_bytes.iter().all(u8::is_ascii_whitespace)
                    && !content_type.as_deref().is_some_and(|c| c.contains("json"))
                {
                    return respond(shared, error_envelope("612", message_for("612")));
                }
            }
            Some(other) if !other.is_empty() => {
                return respond(shared, error_envelope("605", message_for("605")));
            }
            _ => {}
        }
    }
    let path = parts.uri.path().to_owned();
    if let Some(file) = bulk::file_response(&mut shared.lock(), &method, &path, &parts.headers) {
        return file;
    }
    let v = {
        let mut st = shared.lock();
        let routed = ROUTER.find(&method, &path).and_then(|(handler, params)| {
            let ctx = Ctx {
                path: params,
                query,
                content_type,
                body: body_bytes,
                now: st.now(),
            };
            handler(&mut st, &ctx)
        });
        routed.unwrap_or_else(|e| error_envelope(e.code, &e.message))
    };
    respond(shared, v)
}

/// Every operation the emulator serves: one table per resource module.
static ROUTER: LazyLock<Router> = LazyLock::new(|| {
    Router::new([
        programs::ROUTES,
        channels::ROUTES,
        folders::ROUTES,
        campaigns::ROUTES,
        leads::ROUTES,
        lists::ROUTES,
        activities::ROUTES,
        lead_db::leads_more::ROUTES,
        lead_db::lead_programs::ROUTES,
        lead_db::fields::ROUTES,
        lead_db::custom_activities::ROUTES,
        lead_db::lists_campaigns::ROUTES,
        lead_db::usage::ROUTES,
        lead_objects::ROUTES,
        lead_objects::program_members::ROUTES,
        lead_objects::custom_objects::ROUTES,
        assets::snippets::ROUTES,
        assets::smart_lists::ROUTES,
        assets::folders_tokens::ROUTES,
        assets::campaigns_lists::ROUTES,
        assets::files::ROUTES,
        emails::ROUTES,
        email_content::ROUTES,
        email_templates::ROUTES,
        email_uploads::ROUTES,
        assets_v2::email::ROUTES,
        assets_v2::email_template::ROUTES,
        assets_v2::fragment::ROUTES,
        design::landing_pages::ROUTES,
        design::lp_content::ROUTES,
        design::lp_templates::ROUTES,
        design::redirect_rules::ROUTES,
        design::forms::ROUTES,
        design::form_fields::ROUTES,
        bulk::ROUTES,
    ])
});
