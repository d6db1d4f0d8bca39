//! Signing Marketo SOAP requests.
//!
//! Every SOAP call carries an `AuthenticationHeader`:
//!
//! ```xml
//! <ns1:AuthenticationHeader>
//!   <mktowsUserId>…</mktowsUserId>
//!   <requestSignature>…</requestSignature>
//!   <requestTimestamp>2013-08-03T21:39:34-07:00</requestTimestamp>
//! </ns1:AuthenticationHeader>
//! ```
//!
//! `requestSignature` is the lowercase hex HMAC-SHA1 of the string
//! `requestTimestamp + mktowsUserId`, keyed with the encryption key. The
//! string signed must be exactly the string sent, so both come from one
//! [`SignedAuthenticationHeader`]. Marketo rejects stale timestamps (fault
//! 20016), so sign every call afresh with [`SoapCredentials::sign_now`].

use std::fmt;

use hmac::{Hmac, KeyInit, Mac};
use secrecy::{ExposeSecret, SecretSlice, SecretString};
use sha1::Sha1;
use time::OffsetDateTime;
use time::format_description::FormatItem;
use time::macros::format_description;

use crate::REDACTED;

/// W3C date-time with seconds and a numeric offset: `2013-08-03T21:39:34-07:00`.
const TIMESTAMP_FORMAT: &[FormatItem<'static>] = format_description!(
    "[year]-[month]-[day]T[hour]:[minute]:[second][offset_hour sign:mandatory]:[offset_minute]"
);

/// A Marketo SOAP encryption key (the shared secret of HMAC-SHA1 signing).
///
/// Its `Debug` output is redacted. Marketo's keys are ASCII strings; arbitrary
/// bytes are accepted too ([`EncryptionKey::from_bytes`]).
#[derive(Clone)]
pub struct EncryptionKey(SecretSlice<u8>);

impl EncryptionKey {
    /// A key from its textual form, as shown in Marketo's admin pages.
    pub fn new(key: impl Into<String>) -> Self {
        Self::from_bytes(key.into().into_bytes())
    }

    /// A key from raw bytes.
    pub fn from_bytes(key: Vec<u8>) -> Self {
        Self(SecretSlice::from(key))
    }

    /// Lowercase hex HMAC-SHA1 of `message` under this key.
    ///
    /// This is the primitive behind [`SoapCredentials::sign_at`]; it is public
    /// so that the signature can be checked against published test vectors.
    pub fn hmac_sha1_hex(&self, message: &[u8]) -> String {
        // HMAC accepts keys of any length, so this cannot fail.
        let mut mac = <Hmac<Sha1> as KeyInit>::new_from_slice(self.0.expose_secret())
            .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"));
        mac.update(message);
        hex::encode(mac.finalize().into_bytes())
    }

    /// Whether the key is empty (an empty key is almost certainly a mistake).
    pub fn is_empty(&self) -> bool {
        self.0.expose_secret().is_empty()
    }
}

impl From<String> for EncryptionKey {
    fn from(key: String) -> Self {
        Self::new(key)
    }
}

impl From<&str> for EncryptionKey {
    fn from(key: &str) -> Self {
        Self::new(key)
    }
}

impl From<SecretString> for EncryptionKey {
    fn from(key: SecretString) -> Self {
        Self::from_bytes(key.expose_secret().as_bytes().to_vec())
    }
}

impl fmt::Debug for EncryptionKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("EncryptionKey").field(&REDACTED).finish()
    }
}

impl fmt::Display for EncryptionKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}

/// A SOAP user id with its encryption key: everything needed to sign calls.
#[derive(Clone)]
pub struct SoapCredentials {
    user_id: String,
    encryption_key: EncryptionKey,
}

impl SoapCredentials {
    /// Credentials from the SOAP user id (`mktowsUserId`) and encryption key.
    pub fn new(user_id: impl Into<String>, encryption_key: impl Into<EncryptionKey>) -> Self {
        Self {
            user_id: user_id.into(),
            encryption_key: encryption_key.into(),
        }
    }

    /// The SOAP user id (`mktowsUserId`); not a secret.
    pub fn user_id(&self) -> &str {
        &self.user_id
    }

    /// The encryption key.
    pub fn encryption_key(&self) -> &EncryptionKey {
        &self.encryption_key
    }

    /// Signs a call made at `at`, keeping `at`'s UTC offset in the timestamp.
    ///
    /// Sub-second precision is dropped: the timestamp is written as
    /// `YYYY-MM-DDThh:mm:ss±hh:mm`.
    pub fn sign_at(&self, at: OffsetDateTime) -> SignedAuthenticationHeader {
        let request_timestamp = format_timestamp(at);
        self.sign_timestamp(request_timestamp)
    }

    /// Signs a call made now (UTC, written with a `+00:00` offset).
    pub fn sign_now(&self) -> SignedAuthenticationHeader {
        self.sign_at(OffsetDateTime::now_utc())
    }

    /// Signs an already formatted `requestTimestamp` string verbatim, for
    /// replaying a recorded request. The string is not validated.
    pub fn sign_timestamp(
        &self,
        request_timestamp: impl Into<String>,
    ) -> SignedAuthenticationHeader {
        let request_timestamp = request_timestamp.into();
        let message = format!("{request_timestamp}{}", self.user_id);
        SignedAuthenticationHeader {
            request_signature: self.encryption_key.hmac_sha1_hex(message.as_bytes()),
            mktows_user_id: self.user_id.clone(),
            request_timestamp,
        }
    }
}

impl fmt::Debug for SoapCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SoapCredentials")
            .field("user_id", &self.user_id)
            .field("encryption_key", &REDACTED)
            .finish()
    }
}

impl fmt::Display for SoapCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SOAP user {} (encryption key {REDACTED})", self.user_id)
    }
}

/// The three values of one call's `AuthenticationHeader`.
///
/// The signature is valid only for its timestamp and only for a short window;
/// it is still redacted from `Debug` output so that logs cannot be replayed.
#[derive(Clone, PartialEq, Eq)]
pub struct SignedAuthenticationHeader {
    /// `mktowsUserId`: the SOAP user id.
    pub mktows_user_id: String,
    /// `requestSignature`: lowercase hex HMAC-SHA1 of timestamp + user id.
    pub request_signature: String,
    /// `requestTimestamp`: the W3C date-time that was signed.
    pub request_timestamp: String,
}

impl fmt::Debug for SignedAuthenticationHeader {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SignedAuthenticationHeader")
            .field("mktows_user_id", &self.mktows_user_id)
            .field("request_signature", &REDACTED)
            .field("request_timestamp", &self.request_timestamp)
            .finish()
    }
}

/// Formats a timestamp the way Marketo expects: `2013-08-03T21:39:34-07:00`.
pub fn format_timestamp(at: OffsetDateTime) -> String {
    at.format(TIMESTAMP_FORMAT)
        .unwrap_or_else(|_| unreachable!("every OffsetDateTime has the components of this format"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn timestamp_keeps_offset_and_drops_fraction() {
        assert_eq!(
            format_timestamp(datetime!(2013-08-03 21:39:34.987 -07:00)),
            "2013-08-03T21:39:34-07:00"
        );
        assert_eq!(
            format_timestamp(datetime!(2026-01-02 03:04:05 UTC)),
            "2026-01-02T03:04:05+00:00"
        );
        assert_eq!(
            format_timestamp(datetime!(2026-01-02 03:04:05 +05:30)),
            "2026-01-02T03:04:05+05:30"
        );
    }
}
