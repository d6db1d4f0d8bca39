//! Marketo's vendor extensions on operations:
//!
//! * `x-marketo-idempotent: true|false`: whether the call is safe to repeat
//!   after a transport failure. Without it, the HTTP method decides (GET,
//!   PUT, DELETE: yes; POST, PATCH: no). The generated method always passes
//!   the answer to `Request::with_idempotent`, and the retry loop uses it.
//! * `x-marketo-result: single`: the envelope's `result` holds exactly one
//!   item (a get-by-id); the method returns `Response<T>` through
//!   `ClientCore::send_one`, which turns an empty result into
//!   `RestError::NotFound`.
//! * `x-codegen-skip: true`: the operation is not generated.

use serde_json::Value;

use super::*;

/// The extension naming an operation's idempotency.
pub const IDEMPOTENT: &str = "x-marketo-idempotent";
/// The extension marking a get-by-id.
pub const RESULT: &str = "x-marketo-result";

/// Whether `method` is idempotent by HTTP's definition.
pub fn method_default(method: Method) -> bool {
    matches!(method, Method::Get | Method::Put | Method::Delete)
}

/// The operation's idempotency: `x-marketo-idempotent`, else the method's.
pub(super) fn idempotent(
    op: &OaOperation,
    method: Method,
    at: &Pointer,
    file: &str,
) -> Result<bool> {
    match op.extensions.get(IDEMPOTENT) {
        None => Ok(method_default(method)),
        Some(Value::Bool(value)) => Ok(*value),
        Some(other) => Err(Diagnostic::at_pointer(
            file,
            at.push(IDEMPOTENT).as_str(),
            format!("`{IDEMPOTENT}: {other}`; expected `true` or `false`"),
        )
        .into()),
    }
}

/// Whether the operation is marked `x-marketo-result: single`; only an
/// envelope with `result` items can be.
pub(super) fn single_result(
    op: &OaOperation,
    response: &ResponseKind,
    at: &Pointer,
    file: &str,
) -> Result<bool> {
    let pointer = at.push(RESULT);
    let fail = |message: String| -> Result<bool> {
        Err(Diagnostic::at_pointer(file, pointer.as_str(), message).into())
    };
    match op.extensions.get(RESULT) {
        None => Ok(false),
        Some(Value::String(value)) if value == "single" => match response {
            ResponseKind::Envelope(Some(_)) => Ok(true),
            _ => fail(format!(
                "`{RESULT}: single` on an operation whose success response is not an envelope with `result` items; expected `allOf: [$ref envelope, {{properties: {{result: {{type: array, ...}}}}}}]`"
            )),
        },
        Some(other) => fail(format!("`{RESULT}: {other}`; expected `single`")),
    }
}

/// Whether the operation is left out: `security: []` (Marketo's identity
/// endpoint) or `x-codegen-skip: true`.
pub(super) fn skipped(op: &OaOperation) -> bool {
    let no_security = op.security.as_ref().is_some_and(Vec::is_empty);
    let skip = op
        .extensions
        .get("x-codegen-skip")
        .is_some_and(|v| v == &Value::Bool(true));
    no_security || skip
}
