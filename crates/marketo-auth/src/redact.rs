//! Making server bodies safe to put into error messages.

/// The longest excerpt of a response body kept in an error, in characters.
pub(crate) const EXCERPT_CHARS: usize = 160;

/// JSON keys whose string values are secrets and are blanked out of excerpts.
const SECRET_KEYS: [&str; 3] = ["access_token", "client_secret", "refresh_token"];

/// A short, secret-free excerpt of `body` for an error message.
///
/// Every occurrence of each string in `secrets` is replaced by
/// [`crate::REDACTED`], as is the string value of any JSON key named like a
/// secret (`"access_token": "…"`), even in a truncated or malformed body.
/// The result holds at most [`EXCERPT_CHARS`] characters (plus `…` when cut).
pub(crate) fn excerpt(body: &[u8], secrets: &[&str]) -> String {
    let mut text = String::from_utf8_lossy(body).into_owned();
    for secret in secrets.iter().filter(|s| !s.is_empty()) {
        text = text.replace(secret, crate::REDACTED);
    }
    for key in SECRET_KEYS {
        text = blank_json_string_values(&text, key);
    }
    let text = text.trim();
    match text.char_indices().nth(EXCERPT_CHARS) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_owned(),
    }
}

/// Replaces the value of every `"key": "value"` in `text` (tolerating
/// whitespace, escapes and a missing closing quote) with the redaction marker.
fn blank_json_string_values(text: &str, key: &str) -> String {
    let needle = format!("\"{key}\"");
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(found) = rest.find(&needle) {
        let after_key = found + needle.len();
        out.push_str(&rest[..after_key]);
        rest = &rest[after_key..];
        // Copy `  :  "` if present; otherwise the key was not followed by a string.
        let trimmed = rest.trim_start();
        let Some(after_colon) = trimmed.strip_prefix(':') else {
            continue;
        };
        let value = after_colon.trim_start();
        let Some(value_body) = value.strip_prefix('"') else {
            continue;
        };
        out.push_str(&rest[..rest.len() - value_body.len()]);
        out.push_str(crate::REDACTED);
        // Skip to the closing quote (honouring backslash escapes) or the end.
        let mut escaped = false;
        let mut end = value_body.len();
        for (i, c) in value_body.char_indices() {
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => {
                    end = i;
                    break;
                }
                _ => {}
            }
        }
        rest = &value_body[end..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blanks_token_values_even_when_truncated() {
        let body =
            br#"{"access_token" : "abc:def\"x", "token_type":"bearer"} {"access_token":"trunc"#;
        let got = excerpt(body, &[]);
        assert!(!got.contains("abc"), "{got}");
        assert!(!got.contains("trunc"), "{got}");
        assert!(got.contains("\"token_type\":\"bearer\""), "{got}");
    }

    #[test]
    fn replaces_known_secrets_and_truncates() {
        let body = format!("bad secret s3cr3t {}", "x".repeat(500));
        let got = excerpt(body.as_bytes(), &["s3cr3t"]);
        assert!(!got.contains("s3cr3t"));
        assert!(got.starts_with("bad secret [REDACTED] "));
        assert_eq!(got.chars().count(), EXCERPT_CHARS + 1);
    }

    #[test]
    fn keeps_non_utf8_bodies_readable() {
        assert_eq!(excerpt(b"\xff\xfeok", &[]), "\u{fffd}\u{fffd}ok");
    }
}
