//! Credentials and endpoints, built in code or read from the environment.

use std::fmt;

use secrecy::{ExposeSecret, SecretString};
use url::Url;

use crate::REDACTED;
use crate::soap::{EncryptionKey, SoapCredentials};

/// Names of the environment variables read by the `from_env` constructors.
pub mod env_vars {
    /// REST base URL, e.g. `https://123-ABC-456.mktorest.com`.
    pub const BASE_URL: &str = "MARKETO_BASE_URL";
    /// REST client id of a LaunchPoint custom service.
    pub const CLIENT_ID: &str = "MARKETO_CLIENT_ID";
    /// REST client secret of that service.
    pub const CLIENT_SECRET: &str = "MARKETO_CLIENT_SECRET";
    /// SOAP endpoint, e.g. `https://123-ABC-456.mktoapi.com/soap/mktows/2_9`.
    pub const SOAP_ENDPOINT: &str = "MARKETO_SOAP_ENDPOINT";
    /// SOAP user id (`mktowsUserId`).
    pub const SOAP_USER_ID: &str = "MARKETO_SOAP_USER_ID";
    /// SOAP encryption key.
    pub const SOAP_ENCRYPTION_KEY: &str = "MARKETO_SOAP_ENCRYPTION_KEY";
}

/// A configuration problem: a missing or empty variable, or a bad URL.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// An environment variable is not set (or is not valid Unicode).
    #[error("environment variable {name} is not set")]
    MissingVar {
        /// The variable's name.
        name: &'static str,
    },
    /// An environment variable is set but empty (or only whitespace).
    #[error("environment variable {name} is empty")]
    EmptyVar {
        /// The variable's name.
        name: &'static str,
    },
    /// A URL could not be parsed or is not `http`/`https`.
    #[error("invalid {what} URL {url:?}: {reason}")]
    InvalidUrl {
        /// Which URL (`base`, `SOAP endpoint`).
        what: &'static str,
        /// The URL as given (URLs hold no secrets here).
        url: String,
        /// Why it was rejected.
        reason: String,
    },
    /// A required value given in code is empty.
    #[error("{what} must not be empty")]
    Empty {
        /// Which value.
        what: &'static str,
    },
    /// The HTTP client could not be built (TLS back end, proxy settings).
    #[error("could not build the HTTP client: {0}")]
    HttpClient(String),
}

/// Reads a required, non-empty variable through `lookup`.
fn required(
    lookup: &impl Fn(&'static str) -> Option<String>,
    name: &'static str,
) -> Result<String, ConfigError> {
    let value = lookup(name).ok_or(ConfigError::MissingVar { name })?;
    if value.trim().is_empty() {
        return Err(ConfigError::EmptyVar { name });
    }
    Ok(value)
}

fn process_env(name: &'static str) -> Option<String> {
    std::env::var(name).ok()
}

/// Parses an `http`/`https` URL.
pub(crate) fn parse_http_url(what: &'static str, url: &str) -> Result<Url, ConfigError> {
    let invalid = |reason: String| ConfigError::InvalidUrl {
        what,
        url: url.to_owned(),
        reason,
    };
    let parsed = Url::parse(url.trim()).map_err(|e| invalid(e.to_string()))?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(invalid("the scheme must be http or https".to_owned()));
    }
    if parsed.query().is_some() || parsed.fragment().is_some() {
        return Err(invalid("it must not have a query or fragment".to_owned()));
    }
    Ok(parsed)
}

/// REST credentials: the instance base URL, client id and client secret.
#[derive(Clone)]
pub struct RestCredentials {
    base_url: Url,
    client_id: String,
    client_secret: SecretString,
}

impl RestCredentials {
    /// Credentials for the instance at `base_url`
    /// (e.g. `https://123-ABC-456.mktorest.com`, without `/rest`).
    pub fn new(
        base_url: &str,
        client_id: impl Into<String>,
        client_secret: impl Into<SecretString>,
    ) -> Result<Self, ConfigError> {
        let client_id = client_id.into();
        let client_secret = client_secret.into();
        if client_id.is_empty() {
            return Err(ConfigError::Empty { what: "client id" });
        }
        if client_secret.expose_secret().is_empty() {
            return Err(ConfigError::Empty {
                what: "client secret",
            });
        }
        Ok(Self {
            base_url: parse_http_url("base", base_url)?,
            client_id,
            client_secret,
        })
    }

    /// Reads `MARKETO_BASE_URL`, `MARKETO_CLIENT_ID` and `MARKETO_CLIENT_SECRET`.
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(process_env)
    }

    /// Like [`RestCredentials::from_env`], reading variables through `lookup`
    /// (a map in tests, a secrets store in services).
    pub fn from_lookup(
        lookup: impl Fn(&'static str) -> Option<String>,
    ) -> Result<Self, ConfigError> {
        let base_url = required(&lookup, env_vars::BASE_URL)?;
        let client_id = required(&lookup, env_vars::CLIENT_ID)?;
        let client_secret = required(&lookup, env_vars::CLIENT_SECRET)?;
        Self::new(&base_url, client_id, client_secret)
    }

    /// The instance base URL.
    pub fn base_url(&self) -> &Url {
        &self.base_url
    }

    /// The client id (not a secret).
    pub fn client_id(&self) -> &str {
        &self.client_id
    }

    /// The client secret.
    pub fn client_secret(&self) -> &SecretString {
        &self.client_secret
    }

    /// `{base}/identity/oauth/token`, keeping any path prefix of the base URL.
    pub(crate) fn token_url(&self) -> Url {
        let mut url = self.base_url.clone();
        let path = format!("{}/identity/oauth/token", url.path().trim_end_matches('/'));
        url.set_path(&path);
        url
    }
}

impl fmt::Debug for RestCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RestCredentials")
            .field("base_url", &self.base_url.as_str())
            .field("client_id", &self.client_id)
            .field("client_secret", &REDACTED)
            .finish()
    }
}

impl fmt::Display for RestCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "client {} at {} (secret {REDACTED})",
            self.client_id, self.base_url
        )
    }
}

/// SOAP configuration: the endpoint and the signing credentials.
#[derive(Clone)]
pub struct SoapConfig {
    /// The SOAP endpoint, e.g. `https://123-ABC-456.mktoapi.com/soap/mktows/2_9`.
    pub endpoint: Url,
    /// User id and encryption key.
    pub credentials: SoapCredentials,
}

impl SoapConfig {
    /// A configuration for `endpoint`.
    pub fn new(
        endpoint: &str,
        user_id: impl Into<String>,
        encryption_key: impl Into<EncryptionKey>,
    ) -> Result<Self, ConfigError> {
        let user_id = user_id.into();
        let encryption_key = encryption_key.into();
        if user_id.is_empty() {
            return Err(ConfigError::Empty {
                what: "SOAP user id",
            });
        }
        if encryption_key.is_empty() {
            return Err(ConfigError::Empty {
                what: "SOAP encryption key",
            });
        }
        Ok(Self {
            endpoint: parse_http_url("SOAP endpoint", endpoint)?,
            credentials: SoapCredentials::new(user_id, encryption_key),
        })
    }

    /// Reads `MARKETO_SOAP_ENDPOINT`, `MARKETO_SOAP_USER_ID` and
    /// `MARKETO_SOAP_ENCRYPTION_KEY`.
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(process_env)
    }

    /// Like [`SoapConfig::from_env`], reading variables through `lookup`.
    pub fn from_lookup(
        lookup: impl Fn(&'static str) -> Option<String>,
    ) -> Result<Self, ConfigError> {
        let endpoint = required(&lookup, env_vars::SOAP_ENDPOINT)?;
        let user_id = required(&lookup, env_vars::SOAP_USER_ID)?;
        let key = required(&lookup, env_vars::SOAP_ENCRYPTION_KEY)?;
        Self::new(&endpoint, user_id, key)
    }
}

impl fmt::Debug for SoapConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SoapConfig")
            .field("endpoint", &self.endpoint.as_str())
            .field("credentials", &self.credentials)
            .finish()
    }
}

impl fmt::Display for SoapConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at {}", self.credentials, self.endpoint)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn lookup(vars: &[(&'static str, &str)]) -> impl Fn(&'static str) -> Option<String> {
        let map: HashMap<&'static str, String> =
            vars.iter().map(|(k, v)| (*k, (*v).to_owned())).collect();
        move |name| map.get(name).cloned()
    }

    #[test]
    fn rest_from_lookup_names_the_missing_or_empty_variable() {
        let err = RestCredentials::from_lookup(lookup(&[
            (env_vars::BASE_URL, "https://x.mktorest.com"),
            (env_vars::CLIENT_ID, "id"),
        ]))
        .unwrap_err();
        assert_eq!(
            err,
            ConfigError::MissingVar {
                name: "MARKETO_CLIENT_SECRET"
            }
        );
        assert!(err.to_string().contains("MARKETO_CLIENT_SECRET"));

        let err = RestCredentials::from_lookup(lookup(&[
            (env_vars::BASE_URL, "https://x.mktorest.com"),
            (env_vars::CLIENT_ID, "  "),
            (env_vars::CLIENT_SECRET, "s"),
        ]))
        .unwrap_err();
        assert_eq!(
            err,
            ConfigError::EmptyVar {
                name: "MARKETO_CLIENT_ID"
            }
        );
    }

    #[test]
    fn rest_from_lookup_reads_all_three() {
        let creds = RestCredentials::from_lookup(lookup(&[
            (env_vars::BASE_URL, "https://123-ABC-456.mktorest.com"),
            (env_vars::CLIENT_ID, "id"),
            (env_vars::CLIENT_SECRET, "s"),
        ]))
        .unwrap();
        assert_eq!(creds.client_id(), "id");
        assert_eq!(
            creds.token_url().as_str(),
            "https://123-abc-456.mktorest.com/identity/oauth/token"
        );
    }

    #[test]
    fn token_url_keeps_a_path_prefix() {
        let creds = RestCredentials::new("http://127.0.0.1:9/mkto/", "id", "s").unwrap();
        assert_eq!(
            creds.token_url().as_str(),
            "http://127.0.0.1:9/mkto/identity/oauth/token"
        );
    }

    #[test]
    fn bad_urls_are_rejected() {
        for bad in ["not a url", "ftp://x.example", "https://x.example/?a=1"] {
            let err = RestCredentials::new(bad, "id", "s").unwrap_err();
            assert!(
                matches!(err, ConfigError::InvalidUrl { .. }),
                "{bad}: {err}"
            );
        }
    }

    #[test]
    fn soap_from_lookup_names_each_variable() {
        let all = [
            (
                env_vars::SOAP_ENDPOINT,
                "https://x.mktoapi.com/soap/mktows/2_9",
            ),
            (env_vars::SOAP_USER_ID, "user"),
            (env_vars::SOAP_ENCRYPTION_KEY, "key"),
        ];
        let config = SoapConfig::from_lookup(lookup(&all)).unwrap();
        assert_eq!(config.credentials.user_id(), "user");
        for skip in 0..all.len() {
            let partial: Vec<_> = all
                .iter()
                .enumerate()
                .filter(|(i, _)| *i != skip)
                .map(|(_, kv)| *kv)
                .collect();
            let err = SoapConfig::from_lookup(lookup(&partial)).unwrap_err();
            assert_eq!(err, ConfigError::MissingVar { name: all[skip].0 });
        }
    }
}
