//! Marketo's response envelope and what a successful call hands back.

use serde::{Deserialize, Serialize};

use crate::error::ApiErrorItem;

/// The envelope around every Lead Database and Asset API answer.
///
/// `T` is the type of the items of `result`. Failures also arrive as HTTP
/// 200 with `success: false`; the client turns those into
/// [`crate::RestError::Api`]. Per-record outcomes of batch calls
/// (`status`, `reasons`) are part of `T` (e.g. a generated
/// `SyncLeadResult`), with reasons of the shape [`ApiErrorItem`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(bound(deserialize = "T: Deserialize<'de>", serialize = "T: Serialize"))]
pub struct Envelope<T> {
    /// Marketo's id of the call.
    #[serde(rename = "requestId", default)]
    pub request_id: String,
    /// Whether the call as a whole succeeded.
    pub success: bool,
    /// Response-level errors (non-empty when `success` is false).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<ApiErrorItem>,
    /// Informational messages, e.g. "No assets found for the given search criteria."
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
    /// The result items; absent when there are none (e.g. past the last page).
    #[serde(default = "none", skip_serializing_if = "Option::is_none")]
    pub result: Option<Vec<T>>,
    /// Whether another page can be fetched with `next_page_token`.
    #[serde(
        rename = "moreResult",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub more_result: Option<bool>,
    /// The cursor of the next page (Lead Database paging).
    #[serde(
        rename = "nextPageToken",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub next_page_token: Option<String>,
}

fn none<T>() -> Option<T> {
    None
}

/// What a successful call returns: the value together with the envelope's
/// `requestId`, `warnings` and paging members.
///
/// For enveloped operations `value` is the `result` list (empty when the
/// answer had no `result`, e.g. "No assets found for the given search
/// criteria."), or `()` for operations whose answer declares no `result`.
#[derive(Debug, Clone, PartialEq)]
pub struct Response<T> {
    /// The decoded value.
    pub value: T,
    /// Marketo's id of the call.
    pub request_id: String,
    /// Warnings Marketo attached to the successful call.
    pub warnings: Vec<String>,
    /// Whether another page can be fetched with `next_page_token`.
    pub more_result: Option<bool>,
    /// The cursor of the next page, or the token of the paging-token call.
    pub next_page_token: Option<String>,
}

impl<T> Response<T> {
    /// The value, dropping the envelope's metadata.
    pub fn into_value(self) -> T {
        self.value
    }

    /// The same metadata around another value.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Response<U> {
        Response {
            value: f(self.value),
            request_id: self.request_id,
            warnings: self.warnings,
            more_result: self.more_result,
            next_page_token: self.next_page_token,
        }
    }
}

impl<T> std::ops::Deref for Response<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.value
    }
}

impl<T> Envelope<T> {
    /// The successful answer as a [`Response`] of the result items (an
    /// empty list when `result` is absent), or the API error it carries.
    pub fn into_response(self) -> Result<Response<Vec<T>>, crate::RestError> {
        if !self.success {
            return Err(crate::RestError::Api {
                request_id: self.request_id,
                errors: self.errors,
            });
        }
        Ok(Response {
            value: self.result.unwrap_or_default(),
            request_id: self.request_id,
            warnings: self.warnings,
            more_result: self.more_result,
            next_page_token: self.next_page_token,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_browse_page_is_a_success_without_items() {
        let env: Envelope<serde_json::Value> = serde_json::from_str(
            r#"{"success":true,"errors":[],"requestId":"a#b","warnings":["No assets found for the given search criteria."]}"#,
        )
        .unwrap();
        let response = env.into_response().unwrap();
        assert!(response.value.is_empty());
        assert_eq!(response.warnings.len(), 1);
    }

    #[test]
    fn a_failure_becomes_an_api_error() {
        let env: Envelope<serde_json::Value> = serde_json::from_str(
            r#"{"success":false,"requestId":"r1","errors":[{"code":"702","message":"No data"}]}"#,
        )
        .unwrap();
        let err = env.into_response().unwrap_err();
        assert_eq!(err.code(), Some("702"));
        assert_eq!(err.request_id(), Some("r1"));
    }
}
