//! Verification of the `AuthenticationHeader`: user id, HMAC-SHA1 signature and timestamp window.

use std::time::Duration;

use hmac::{Hmac, KeyInit, Mac};
use roxmltree::Node;
use sha1::Sha1;

use super::SoapError;
use super::xml;
use crate::state::State;
use crate::util::parse_datetime;

/// Checks a header as Marketo's "Authentication Signature" and "Error Codes" pages describe:
/// a missing field, an unknown `mktowsUserId` or a signature that does not match
/// (wrong encryption key) → 20014 "Authentication failed" (the client did not provide valid
/// credentials); a correctly signed `requestTimestamp` that is not a date-time → 20014 too;
/// a correctly signed timestamp outside the window → 20016 "Request Expired" (retry with a
/// new timestamp and signature).
pub(crate) fn verify(st: &State, auth: Node<'_, '_>, window: Duration) -> Result<(), SoapError> {
    let creds = &st.config.credentials;
    let user = xml::text(auth, "mktowsUserId")
        .ok_or_else(|| SoapError::with("20014", "mktowsUserId is required"))?;
    if user != creds.user_id {
        return Err(SoapError::with(
            "20014",
            "Authentication failed: unknown mktowsUserId",
        ));
    }
    let signature = xml::text(auth, "requestSignature")
        .ok_or_else(|| SoapError::with("20014", "requestSignature is required"))?;
    let timestamp = xml::raw_text(auth, "requestTimestamp")
        .filter(|t| !t.trim().is_empty())
        .ok_or_else(|| SoapError::with("20014", "requestTimestamp is required"))?;
    let given = hex::decode(signature.to_ascii_lowercase()).unwrap_or_default();
    let mut mac = <Hmac<Sha1> as KeyInit>::new_from_slice(creds.encryption_key.as_bytes())
        .map_err(|_| SoapError::of("20011"))?;
    mac.update(timestamp.as_bytes());
    mac.update(user.as_bytes());
    if mac.verify_slice(&given).is_err() {
        return Err(SoapError::with(
            "20014",
            "Authentication failed: requestSignature does not match requestTimestamp and mktowsUserId",
        ));
    }
    let t = parse_datetime(&timestamp)
        .ok_or_else(|| SoapError::with("20014", "requestTimestamp is not a W3C date-time"))?;
    let now = st.now();
    let window = time::Duration::try_from(window).unwrap_or(time::Duration::minutes(15));
    if t < now - window || t > now + window {
        return Err(SoapError::with(
            "20016",
            "Request expired: requestTimestamp is outside the accepted window",
        ));
    }
    Ok(())
}
