//! The SOAP API: `POST /soap/mktows/{version}` for versions 2_0 to 2_9 (and the WSDL at
//! `GET ...?WSDL`).

pub(crate) mod codes;
mod ops;
mod signature;
mod version;
pub(crate) mod xml;

use std::sync::Arc;

use axum::body::Body;
use axum::extract::Request;
use axum::http::{Method, Response, StatusCode, header};

use crate::faults::{Armed, CallKind};
use crate::limits::Admission;
use crate::server::{self, Arrival, Shared};
use codes::standard_message;
pub(crate) use version::Version;
use xml::{MKTOWS_NS, SOAP_ENV_NS, W, escape};

/// The WSDL served at `?WSDL` on every version path (the project's WSDL, its service address
/// rewritten to the path asked for).
pub(crate) const WSDL: &str = include_str!("../../../../specs/marketo-soap.wsdl");

/// A SOAP fault to send.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct SoapError {
    pub(crate) code: &'static str,
    pub(crate) message: String,
}

impl SoapError {
    /// A fault with the standard message of `code`.
    pub(crate) fn of(code: &'static str) -> Self {
        Self {
            code,
            message: standard_message(code).to_owned(),
        }
    }

    /// A fault with a specific message.
    pub(crate) fn with(code: &'static str, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
        }
    }
}

fn envelope(body: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<SOAP-ENV:Envelope xmlns:SOAP-ENV=\"{SOAP_ENV_NS}\" xmlns:ns1=\"{MKTOWS_NS}\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"><SOAP-ENV:Body>{body}</SOAP-ENV:Body></SOAP-ENV:Envelope>\n"
    )
}

fn xml_response(status: StatusCode, body: String) -> Response<Body> {
    let mut r = Response::new(Body::from(body));
    *r.status_mut() = status;
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        header::HeaderValue::from_static("text/xml; charset=utf-8"),
    );
    r
}

/// The fault document of an error (HTTP 500).
pub(crate) fn fault_response(shared: &Shared, e: &SoapError) -> Response<Body> {
    shared.lock().count_error(e.code);
    let faultcode = match e.code {
        "10001" | "20011" | "20023" | "20024" => "SOAP-ENV:Server",
        _ => "SOAP-ENV:Client",
    };
    let mut w = W::new();
    w.open("SOAP-ENV:Fault")
        .leaf("faultcode", faultcode)
        .leaf(
            "faultstring",
            format!("{} - {}", e.code, standard_message(e.code)),
        )
        .open("detail");
    w.out.push_str("<ns1:serviceException>");
    w.leaf("name", "mktServiceException")
        .leaf("message", format!("{} ({})", e.message, e.code))
        .leaf("code", e.code);
    w.out.push_str("</ns1:serviceException>");
    w.close("detail").close("SOAP-ENV:Fault");
    xml_response(StatusCode::INTERNAL_SERVER_ERROR, envelope(&w.out))
}

/// Whether a query asks for the WSDL: `WSDL`, `wsdl`, `WSDL=` or `WSDL=<anything>`.
fn wants_wsdl(query: Option<&str>) -> bool {
    query.is_some_and(|q| {
        q.split('&').any(|kv| {
            kv.split('=')
                .next()
                .is_some_and(|k| k.eq_ignore_ascii_case("wsdl"))
        })
    })
}

/// The WSDL document for `version`, its address taken from the request's `Host`.
fn wsdl_response(parts: &axum::http::request::Parts, version: Version) -> Response<Body> {
    let host = parts
        .headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| !h.is_empty() && !h.contains(['"', '<', '>', '/', ' ']));
    let doc = match host {
        Some(h) => version::wsdl_for(WSDL, &format!("http://{h}/soap/mktows/{version}")),
        None => WSDL.to_owned(),
    };
    let mut r = Response::new(Body::from(doc));
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        header::HeaderValue::from_static("text/xml; charset=utf-8"),
    );
    r
}

/// Any path under `/soap/` that is not `/soap/mktows/2_0` .. `/soap/mktows/2_9`: a SOAP fault
/// (20012, HTTP 500), never a REST JSON body.
pub(crate) fn unknown_path(shared: &Shared, path: &str) -> Response<Body> {
    fault_response(
        shared,
        &SoapError::with(
            "20012",
            format!(
                "No SOAP endpoint at '{}': the API versions are /soap/mktows/2_0 to /soap/mktows/2_9",
                escape(path)
            ),
        ),
    )
}

/// Entry point of `/soap/mktows/{version}` (`version` as written in the path).
pub(crate) async fn handle(shared: Arc<Shared>, version: &str, req: Request) -> Response<Body> {
    let Some(version) = Version::parse(version) else {
        return unknown_path(&shared, req.uri().path());
    };
    let (parts, body) = req.into_parts();
    if parts.method == Method::GET {
        if wants_wsdl(parts.uri.query()) {
            return wsdl_response(&parts, version);
        }
        return fault_response(
            &shared,
            &SoapError::with("20012", "Only POST is supported; GET ?WSDL serves the WSDL"),
        );
    }
    if parts.method != Method::POST {
        return fault_response(&shared, &SoapError::with("20012", "Only POST is supported"));
    }
    let Arrival {
        in_flight,
        limits,
        signature_window,
        fault,
        answer_at,
        guard: _guard,
    } = server::arrive(&shared, CallKind::Soap);
    let call = Call {
        version,
        in_flight,
        limits: &limits,
        window: signature_window,
    };
    let response = answer(&shared, &parts, body, call, fault).await;
    server::answer_when_due(answer_at, response).await
}

/// The answer to an admitted SOAP call (its fault, if any, applied).
async fn answer(
    shared: &Arc<Shared>,
    parts: &axum::http::request::Parts,
    body: Body,
    call: Call<'_>,
    fault: Option<Armed>,
) -> Response<Body> {
    if let Some(r) = fault.as_ref().and_then(Armed::transport_response) {
        return r;
    }
    let mut mangle = None;
    match fault {
        Some(Armed::SoapFault(code)) => return fault_response(shared, &SoapError::of(code)),
        Some(Armed::Mangle(m)) => mangle = Some(m),
        _ => {}
    }
    let resp = match process(shared, parts, body, call).await {
        Ok(xml) => xml_response(StatusCode::OK, envelope(&xml)),
        Err(e) => fault_response(shared, &e),
    };
    match mangle {
        Some(m) => m.apply(resp, GARBAGE).await,
        None => resp,
    }
}

/// The body of an injected [`Fault::MalformedBody`](crate::Fault::MalformedBody).
const GARBAGE: &[u8] = b"<?xml version=\"1.0\"?><SOAP-ENV:Envelope><broken";

/// What [`process`] needs to know about an admitted call.
struct Call<'a> {
    version: Version,
    in_flight: u32,
    limits: &'a crate::config::Limits,
    window: std::time::Duration,
}

async fn process(
    shared: &Arc<Shared>,
    parts: &axum::http::request::Parts,
    body: Body,
    call: Call<'_>,
) -> Result<String, SoapError> {
    let Call {
        version,
        in_flight,
        limits,
        window,
    } = call;
    let content_type = parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|s| s.trim().to_ascii_lowercase())
        .unwrap_or_default();
    if !(content_type.starts_with("text/xml") || content_type.starts_with("application/soap+xml")) {
        return Err(SoapError::with(
            "20012",
            format!("Unsupported content type '{content_type}': SOAP 1.1 needs text/xml"),
        ));
    }
    let bytes = axum::body::to_bytes(body, limits.max_body_bytes)
        .await
        .map_err(|_| {
            SoapError::with(
                "20012",
                format!("Request body exceeds {} bytes", limits.max_body_bytes),
            )
        })?;
    let text = std::str::from_utf8(&bytes)
        .map_err(|_| SoapError::with("20012", "Request body is not UTF-8"))?;
    let doc = roxmltree::Document::parse(text)
        .map_err(|e| SoapError::with("20012", format!("Malformed XML: {e}")))?;
    let env = doc.root_element();
    if env.tag_name().name() != "Envelope" || env.tag_name().namespace() != Some(SOAP_ENV_NS) {
        return Err(SoapError::with("20012", "Not a SOAP 1.1 Envelope"));
    }
    let header = xml::child(env, "Header");
    let body = xml::child(env, "Body").ok_or_else(|| SoapError::with("20012", "No SOAP Body"))?;
    // Authentication.
    let auth = header
        .and_then(|h| xml::child(h, "AuthenticationHeader"))
        .ok_or_else(|| SoapError::with("20014", "AuthenticationHeader is required"))?;
    {
        let st = shared.lock();
        signature::verify(&st, auth, window)?;
    }
    // Limits.
    {
        let mut st = shared.lock();
        let now = st.now();
        match st.soap_counter.admit(now, in_flight, &limits.soap) {
            Admission::Ok => {}
            Admission::Concurrency => return Err(SoapError::of("20024")),
            Admission::Rate => return Err(SoapError::of("20023")),
            Admission::Quota => return Err(SoapError::of("20015")),
        }
    }
    let params = body
        .children()
        .find(|c| c.is_element())
        .ok_or_else(|| SoapError::with("20012", "Empty SOAP Body"))?;
    let name = params.tag_name().name();
    let Some(op) = name.strip_prefix("params") else {
        return Err(SoapError::with(
            "20019",
            format!("Unsupported operation element '{}'", escape(name)),
        ));
    };
    if params.tag_name().namespace() != Some(MKTOWS_NS) {
        return Err(SoapError::with(
            "20012",
            format!("Element '{name}' is not in the namespace {MKTOWS_NS}"),
        ));
    }
    let mut st = shared.lock();
    let inner = ops::dispatch(&mut st, version, op, params)?;
    Ok(format!("<ns1:success{op}>{inner}</ns1:success{op}>"))
}
