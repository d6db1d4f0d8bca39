//! Configuration of an emulator instance: credentials, limits and behaviour switches.

use std::fmt;
use std::time::Duration;

/// Default REST client id.
pub const DEFAULT_CLIENT_ID: &str = "emulator-client-id";
/// Default REST client secret.
pub const DEFAULT_CLIENT_SECRET: &str = "emulator-client-secret";
/// Default SOAP user id (`mktowsUserId`).
pub const DEFAULT_USER_ID: &str = "emulator_1_ABCDEF0123456789";
/// Default SOAP encryption key.
pub const DEFAULT_ENCRYPTION_KEY: &str = "emulator-encryption-key-0123456789";

/// The credentials the emulator accepts.
///
/// `Debug` hides the client secret and the encryption key.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    /// REST client id of the custom service.
    pub client_id: String,
    /// REST client secret of the custom service.
    pub client_secret: String,
    /// SOAP `mktowsUserId`.
    pub user_id: String,
    /// SOAP encryption key (the HMAC-SHA1 key of `requestSignature`).
    pub encryption_key: String,
}

impl Default for Credentials {
    fn default() -> Self {
        Self {
            client_id: DEFAULT_CLIENT_ID.to_owned(),
            client_secret: DEFAULT_CLIENT_SECRET.to_owned(),
            user_id: DEFAULT_USER_ID.to_owned(),
            encryption_key: DEFAULT_ENCRYPTION_KEY.to_owned(),
        }
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("client_id", &self.client_id)
            .field("client_secret", &"[redacted]")
            .field("user_id", &self.user_id)
            .field("encryption_key", &"[redacted]")
            .finish()
    }
}

/// Limits of one API (REST or SOAP). `None` switches a limit off.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiLimits {
    /// Calls allowed in any sliding window of `window` (Marketo: 100).
    pub rate: Option<u32>,
    /// Length of the sliding window (Marketo: 20 s).
    pub window: Duration,
    /// Calls allowed in flight at once (Marketo: 10).
    pub concurrency: Option<u32>,
    /// Calls allowed per day (REST: commonly 50,000; SOAP: 10,000).
    pub daily_quota: Option<u64>,
}

/// All limits enforced by the emulator.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Limits {
    /// REST limits (606 rate, 615 concurrency, 607 quota).
    pub rest: ApiLimits,
    /// SOAP limits (20023 rate, 20024 concurrency, 20015 quota).
    pub soap: ApiLimits,
    /// REST `cloneToProgramName` schedule calls per day (Marketo: 20, else 1020).
    pub rest_clones_per_day: u32,
    /// SOAP `cloneToProgramName` schedule calls per day (Marketo: 10).
    pub soap_clones_per_day: u32,
    /// Largest request body accepted, in bytes (Marketo: 1 MB → HTTP 413).
    pub max_body_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            rest: ApiLimits {
                rate: Some(100),
                window: Duration::from_secs(20),
                concurrency: Some(10),
                daily_quota: Some(50_000),
            },
            soap: ApiLimits {
                rate: Some(100),
                window: Duration::from_secs(20),
                concurrency: Some(10),
                daily_quota: Some(10_000),
            },
            rest_clones_per_day: 20,
            soap_clones_per_day: 10,
            max_body_bytes: 1024 * 1024,
        }
    }
}

impl Limits {
    /// No rate, concurrency or quota limit at all (the clone and body limits stay).
    pub fn unlimited() -> Self {
        let mut l = Self::default();
        for api in [&mut l.rest, &mut l.soap] {
            api.rate = None;
            api.concurrency = None;
            api.daily_quota = None;
        }
        l
    }
}

/// Full configuration of an emulator.
#[derive(Clone, Debug)]
pub struct Config {
    /// Accepted credentials.
    pub credentials: Credentials,
    /// Limits enforced.
    pub limits: Limits,
    /// Lifetime of a new access token (Marketo: 3600 s).
    pub token_lifetime: Duration,
    /// How far `requestTimestamp` may be from the emulator clock (either way).
    pub signature_window: Duration,
    /// Whether the demo data set is loaded at start.
    pub demo_data: bool,
    /// Munchkin id shown in URLs of the demo data.
    pub munchkin_id: String,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            credentials: Credentials::default(),
            limits: Limits::default(),
            token_lifetime: Duration::from_secs(3600),
            signature_window: Duration::from_secs(15 * 60),
            demo_data: true,
            munchkin_id: "123-EMU-456".to_owned(),
        }
    }
}
