//! Requests as the generated methods build them: method, path, query
//! parameters and body, independent of the HTTP library.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde::Serialize;
use time::{Date, OffsetDateTime};

use crate::RestError;

/// The HTTP methods of generated operations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// GET.
    Get,
    /// POST.
    Post,
    /// PUT.
    Put,
    /// PATCH.
    Patch,
    /// DELETE.
    Delete,
}

impl Method {
    /// The upper-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Get => "GET",
            Self::Post => "POST",
            Self::Put => "PUT",
            Self::Patch => "PATCH",
            Self::Delete => "DELETE",
        }
    }

    /// Whether HTTP defines the method as idempotent: GET, PUT and DELETE
    /// are, POST and PATCH are not.
    pub fn is_idempotent(self) -> bool {
        matches!(self, Self::Get | Self::Put | Self::Delete)
    }
}

/// A value that can be written as one query, path or form parameter.
///
/// Generated enums implement it with their wire value.
pub trait ParamValue {
    /// The text of the parameter (not yet percent-encoded).
    fn to_param(&self) -> String;
}

macro_rules! display_param {
    ($($t:ty),*) => {$(
        impl ParamValue for $t {
            fn to_param(&self) -> String {
                self.to_string()
            }
        }
    )*};
}
display_param!(
    String, str, bool, i8, i16, i32, i64, u8, u16, u32, u64, f32, f64
);

impl ParamValue for OffsetDateTime {
    fn to_param(&self) -> String {
        crate::datetime::format(self)
    }
}

impl ParamValue for Date {
    fn to_param(&self) -> String {
        crate::datetime::date::format(self)
    }
}

impl ParamValue for serde_json::Value {
    fn to_param(&self) -> String {
        match self {
            serde_json::Value::String(s) => s.clone(),
            other => other.to_string(),
        }
    }
}

impl<T: ParamValue + ?Sized> ParamValue for &T {
    fn to_param(&self) -> String {
        (**self).to_param()
    }
}

/// Ordered `name=value` pairs: a query string or a form body.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Params {
    pairs: Vec<(String, String)>,
}

impl Params {
    /// No parameters.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds `name=value`.
    pub fn push<V: ParamValue + ?Sized>(&mut self, name: &str, value: &V) {
        self.pairs.push((name.to_owned(), value.to_param()));
    }

    /// Adds `name=a<sep>b<sep>c` (`style: form, explode: false` joins with
    /// `,`; `spaceDelimited` with ` `; `pipeDelimited` with `|`).
    pub fn push_joined<V: ParamValue>(&mut self, name: &str, values: &[V], separator: &str) {
        let joined = values
            .iter()
            .map(ParamValue::to_param)
            .collect::<Vec<_>>()
            .join(separator);
        self.pairs.push((name.to_owned(), joined));
    }

    /// Adds `name=a&name=b&name=c` (`explode: true`).
    pub fn push_each<V: ParamValue>(&mut self, name: &str, values: &[V]) {
        for value in values {
            self.push(name, value);
        }
    }

    /// Adds `name=<JSON text of value>` (a form field whose `encoding` says
    /// `contentType: application/json`).
    pub fn push_json<V: Serialize + ?Sized>(
        &mut self,
        name: &str,
        value: &V,
    ) -> Result<(), RestError> {
        let text = serde_json::to_string(value)
            .map_err(|e| RestError::Encode(format!("form field `{name}`: {e}")))?;
        self.pairs.push((name.to_owned(), text));
        Ok(())
    }

    /// The pairs in the order they were added.
    pub fn pairs(&self) -> &[(String, String)] {
        &self.pairs
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.pairs.is_empty()
    }

    /// `application/x-www-form-urlencoded` text of the pairs.
    pub fn to_urlencoded(&self) -> String {
        let mut out = url::form_urlencoded::Serializer::new(String::new());
        for (name, value) in &self.pairs {
            out.append_pair(name, value);
        }
        out.finish()
    }
}

/// A request body.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Body {
    /// No body.
    #[default]
    None,
    /// `application/json`: the serialized document.
    Json(Vec<u8>),
    /// `application/x-www-form-urlencoded`.
    Form(Params),
    /// `multipart/form-data` (file parts streamed).
    Multipart(crate::multipart::Multipart),
}

impl Body {
    /// A JSON body of `value`.
    pub fn json<V: Serialize + ?Sized>(value: &V) -> Result<Self, RestError> {
        serde_json::to_vec(value)
            .map(Self::Json)
            .map_err(|e| RestError::Encode(format!("JSON body: {e}")))
    }
}

/// One call as a generated method describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    /// The HTTP method.
    pub method: Method,
    /// The path below the instance base URL, path parameters already
    /// percent-encoded (e.g. `/rest/asset/v1/program/1001.json`).
    pub path: String,
    /// The query parameters.
    pub query: Params,
    /// The body.
    pub body: Body,
    /// Extra HTTP headers (`in: header` parameters such as `Range`).
    pub headers: Params,
    /// Whether sending the request twice has the same effect as sending it
    /// once. Decides whether it is sent again after a transport failure that
    /// may have reached Marketo (see [`marketo_resilience::outcome`]).
    /// Default: [`Method::is_idempotent`]; generated code sets it from the
    /// spec with [`Request::with_idempotent`].
    pub idempotent: bool,
}

impl Request {
    /// A request without parameters or body.
    pub fn new(method: Method, path: impl Into<String>) -> Self {
        Self {
            method,
            path: path.into(),
            query: Params::new(),
            body: Body::None,
            headers: Params::new(),
            idempotent: method.is_idempotent(),
        }
    }

    /// Whether the request may be repeated without changing the outcome
    /// (overrides the default taken from the method).
    #[must_use]
    pub fn with_idempotent(mut self, idempotent: bool) -> Self {
        self.idempotent = idempotent;
        self
    }

    /// With these query parameters.
    pub fn with_query(mut self, query: Params) -> Self {
        self.query = query;
        self
    }

    /// With these HTTP headers.
    pub fn with_headers(mut self, headers: Params) -> Self {
        self.headers = headers;
        self
    }

    /// With this body.
    pub fn with_body(mut self, body: Body) -> Self {
        self.body = body;
        self
    }
}

/// Characters left as they are in a path segment: RFC 3986 unreserved.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// `value` percent-encoded as one path segment (`style: simple`).
pub fn path_segment<V: ParamValue + ?Sized>(value: &V) -> String {
    utf8_percent_encode(&value.to_param(), SEGMENT).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_join_or_repeat() {
        let mut p = Params::new();
        p.push_joined("filterValues", &["a b", "c,d"], ",");
        p.push_each("id", &[1_i64, 2]);
        p.push("flag", &true);
        assert_eq!(
            p.to_urlencoded(),
            "filterValues=a+b%2Cc%2Cd&id=1&id=2&flag=true"
        );
    }

    #[test]
    fn json_form_fields_hold_json_text() {
        let mut p = Params::new();
        p.push_json("folder", &serde_json::json!({"id": 1035, "type": "Folder"}))
            .unwrap();
        assert_eq!(p.pairs()[0].1, r#"{"id":1035,"type":"Folder"}"#);
    }

    #[test]
    fn path_segments_are_encoded() {
        assert_eq!(path_segment("a/b c"), "a%2Fb%20c");
        assert_eq!(path_segment(&42_i32), "42");
    }
}
