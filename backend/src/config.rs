//! Typed settings, read once at start-up from environment variables (and an optional `.env`).
//!
//! With no `OURA_CLIENT_ID` the app runs in demo mode against its built-in Oura simulator.
//! Secrets are [`SecretString`]s: they print as `[REDACTED]` and never reach a log line.

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::time::Duration;

use secrecy::{ExposeSecret, SecretBox, SecretString};
use url::{Host, Url};

/// Oura's identity provider since 2026 (apps registered on developer.ouraring.com).
pub const DEFAULT_AUTHORIZE_URL: &str = "https://moi.ouraring.com/oauth/v2/ext/oauth-authorize";
pub const DEFAULT_TOKEN_URL: &str = "https://moi.ouraring.com/oauth/v2/ext/oauth-token";
pub const DEFAULT_REVOKE_URL: &str = "https://moi.ouraring.com/oauth/v2/ext/oauth-revoke";
pub const DEFAULT_ISSUER: &str = "https://moi.ouraring.com/oauth/v2/ext/oauth-anonymous";
pub const DEFAULT_API_BASE_URL: &str = "https://api.ouraring.com";
/// What the profile needs today; the dashboard will add `daily heartrate`.
pub const DEFAULT_SCOPES: &str = "email personal daily heartrate";
pub const DEFAULT_DATABASE_URL: &str = "sqlite://oura-dashboard.db";
pub const DEFAULT_BIND_ADDRESS: &str = "127.0.0.1:3030";
pub const DEFAULT_DEMO_SIMULATOR_PORT: u16 = 3031;
/// actix-session derives its signing and encryption keys from at least 64 bytes.
pub const MIN_SESSION_KEY_BYTES: usize = 64;

#[derive(Debug)]
pub struct Settings {
    pub bind_address: SocketAddr,
    /// Where browsers reach the app; the OAuth redirect URI is derived from it.
    pub public_url: Url,
    pub oura: OuraMode,
    pub session: SessionSettings,
    /// `sqlite://<file>` (the default, created on start) or `postgres://...`.
    pub database_url: SecretString,
    /// Sessions live in Redis when set, in the database otherwise.
    pub redis_url: Option<SecretString>,
    pub sync: crate::sync::SyncSettings,
    /// How often every user's data is synced in the background; `None`: never.
    pub sync_interval: Option<Duration>,
    /// Start a sync right after each sign-in.
    pub sync_on_login: bool,
    /// The built SPA (trunk's `dist/`).
    pub static_dir: PathBuf,
    /// Budget for one call to Oura, connect included.
    pub upstream_timeout: Duration,
    pub upstream_connect_timeout: Duration,
    /// How long a started login may take before its callback is refused.
    pub login_timeout: Duration,
}

/// Real Oura (or any configured OAuth server), or the built-in simulator.
#[derive(Debug)]
pub enum OuraMode {
    Configured(Box<OuraSettings>),
    /// Start the simulator on this port (0: any free port) and use it.
    Demo {
        simulator_port: u16,
    },
}

#[derive(Debug, Clone)]
pub struct OuraSettings {
    pub client_id: String,
    pub client_secret: SecretString,
    pub authorize_url: Url,
    pub token_url: Url,
    /// RFC 7009 revocation, used when an account is deleted; `None` where Oura has none.
    pub revoke_url: Option<Url>,
    pub api_base_url: Url,
    /// When set, callbacks must carry this `iss` (RFC 9207).
    pub issuer: Option<String>,
    pub scopes: Vec<String>,
}

#[derive(Debug)]
pub struct SessionSettings {
    /// `None` in demo mode without `SESSION_KEY`: a random key is made at start-up.
    pub key: Option<SecretBox<Vec<u8>>>,
    pub cookie_secure: bool,
    pub idle_timeout: Duration,
    pub absolute_timeout: Duration,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ConfigError {
    #[error("{name} is not valid: {reason}")]
    Invalid { name: &'static str, reason: String },
    #[error("{0} must be set when OURA_CLIENT_ID is set")]
    Missing(&'static str),
}

fn invalid(name: &'static str, reason: impl Into<String>) -> ConfigError {
    ConfigError::Invalid {
        name,
        reason: reason.into(),
    }
}

impl Settings {
    /// Reads the process environment (after loading `.env`, if there is one).
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Reads settings through `lookup`, so tests can supply their own variables.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let var = |name: &str| {
            lookup(name)
                .map(|v| v.trim().to_owned())
                .filter(|v| !v.is_empty())
        };

        let bind_address: SocketAddr = var("BIND_ADDRESS")
            .as_deref()
            .unwrap_or(DEFAULT_BIND_ADDRESS)
            .parse()
            .map_err(|e| invalid("BIND_ADDRESS", format!("{e} (expected host:port)")))?;
        let public_url = match var("PUBLIC_URL") {
            Some(url) => parse_url("PUBLIC_URL", &url)?,
            None => default_public_url(bind_address)?,
        };
        if public_url.scheme() != "https" && !is_loopback(&public_url) {
            return Err(invalid(
                "PUBLIC_URL",
                "must be https unless it is a loopback address (127.0.0.1, ::1, localhost)",
            ));
        }

        let oura = match var("OURA_CLIENT_ID") {
            None => OuraMode::Demo {
                simulator_port: parse_number(
                    "DEMO_SIMULATOR_PORT",
                    var("DEMO_SIMULATOR_PORT"),
                    DEFAULT_DEMO_SIMULATOR_PORT,
                )?,
            },
            Some(client_id) => {
                let endpoint = |name: &'static str, default: &str| -> Result<Url, ConfigError> {
                    let url = parse_url(name, var(name).as_deref().unwrap_or(default))?;
                    require_https_off_loopback(name, &url)?;
                    Ok(url)
                };
                OuraMode::Configured(Box::new(OuraSettings {
                    client_id,
                    client_secret: var("OURA_CLIENT_SECRET")
                        .map(SecretString::from)
                        .ok_or(ConfigError::Missing("OURA_CLIENT_SECRET"))?,
                    authorize_url: endpoint("OURA_AUTHORIZE_URL", DEFAULT_AUTHORIZE_URL)?,
                    token_url: endpoint("OURA_TOKEN_URL", DEFAULT_TOKEN_URL)?,
                    revoke_url: match lookup("OURA_REVOKE_URL") {
                        Some(value) if value.trim().is_empty() => None,
                        _ => Some(endpoint("OURA_REVOKE_URL", DEFAULT_REVOKE_URL)?),
                    },
                    api_base_url: endpoint("OURA_API_BASE_URL", DEFAULT_API_BASE_URL)?,
                    // Set but empty means "do not check"; the legacy endpoints send no `iss`.
                    issuer: match lookup("OURA_ISSUER") {
                        Some(value) => Some(value.trim().to_owned()).filter(|v| !v.is_empty()),
                        None => Some(DEFAULT_ISSUER.to_owned()),
                    },
                    scopes: var("OURA_SCOPES")
                        .as_deref()
                        .unwrap_or(DEFAULT_SCOPES)
                        .split_whitespace()
                        .map(str::to_owned)
                        .collect(),
                }))
            }
        };

        let key = match var("SESSION_KEY") {
            Some(key) if key.len() >= MIN_SESSION_KEY_BYTES => {
                Some(SecretBox::new(Box::new(key.into_bytes())))
            }
            Some(_) => {
                return Err(invalid(
                    "SESSION_KEY",
                    format!(
                        "must be at least {MIN_SESSION_KEY_BYTES} bytes (try: openssl rand -base64 64)"
                    ),
                ));
            }
            None if matches!(oura, OuraMode::Demo { .. }) => None,
            None => return Err(ConfigError::Missing("SESSION_KEY")),
        };
        let cookie_secure = match var("COOKIE_SECURE").as_deref() {
            None => public_url.scheme() == "https",
            Some("true" | "1") => true,
            Some("false" | "0") if is_loopback(&public_url) => false,
            Some("false" | "0") => {
                return Err(invalid(
                    "COOKIE_SECURE",
                    "may be false only when PUBLIC_URL is a plain-http loopback address",
                ));
            }
            Some(other) => {
                return Err(invalid(
                    "COOKIE_SECURE",
                    format!("{other:?} is not true or false"),
                ));
            }
        };
        let session = SessionSettings {
            key,
            cookie_secure,
            idle_timeout: seconds(
                "SESSION_IDLE_TIMEOUT_SECS",
                var("SESSION_IDLE_TIMEOUT_SECS"),
                7 * DAY,
            )?,
            absolute_timeout: seconds(
                "SESSION_ABSOLUTE_TIMEOUT_SECS",
                var("SESSION_ABSOLUTE_TIMEOUT_SECS"),
                30 * DAY,
            )?,
        };

        Ok(Self {
            bind_address,
            public_url,
            oura,
            session,
            static_dir: var("STATIC_DIR").unwrap_or_else(|| "dist".into()).into(),
            database_url: var("DATABASE_URL")
                .unwrap_or_else(|| DEFAULT_DATABASE_URL.into())
                .into(),
            redis_url: var("REDIS_URL").map(SecretString::from),
            sync: {
                let backfill_days =
                    parse_number("SYNC_BACKFILL_DAYS", var("SYNC_BACKFILL_DAYS"), 730)?;
                crate::sync::SyncSettings {
                    backfill_days,
                    heart_rate_backfill_days: parse_number(
                        "SYNC_HEART_RATE_BACKFILL_DAYS",
                        var("SYNC_HEART_RATE_BACKFILL_DAYS"),
                        backfill_days,
                    )?,
                    concurrency: parse_number("SYNC_CONCURRENCY", var("SYNC_CONCURRENCY"), 8usize)?
                        .max(1),
                    ..crate::sync::SyncSettings::default()
                }
            },
            sync_interval: match parse_number(
                "SYNC_INTERVAL_SECS",
                var("SYNC_INTERVAL_SECS"),
                3600u64,
            )? {
                0 => None,
                secs => Some(Duration::from_secs(secs)),
            },
            sync_on_login: match var("SYNC_ON_LOGIN").as_deref() {
                None | Some("true" | "1") => true,
                Some("false" | "0") => false,
                Some(other) => {
                    return Err(invalid(
                        "SYNC_ON_LOGIN",
                        format!("{other:?} is not true or false"),
                    ));
                }
            },
            upstream_timeout: seconds("OURA_TIMEOUT_SECS", var("OURA_TIMEOUT_SECS"), 15)?,
            upstream_connect_timeout: Duration::from_secs(5),
            login_timeout: seconds("LOGIN_TIMEOUT_SECS", var("LOGIN_TIMEOUT_SECS"), 600)?,
        })
    }

    /// The exact redirect URI registered with Oura: never derived from request headers.
    pub fn redirect_uri(&self) -> Url {
        let mut url = self.public_url.clone();
        url.set_path("/auth/callback");
        url.set_query(None);
        url
    }

    pub fn is_demo(&self) -> bool {
        matches!(self.oura, OuraMode::Demo { .. })
    }

    /// `scheme://host:port` of [`Self::public_url`], for `Origin` checks.
    pub fn public_origin(&self) -> String {
        self.public_url.origin().ascii_serialization()
    }

    /// The configured session key, if any, as bytes.
    pub fn session_key_bytes(&self) -> Option<&[u8]> {
        self.session
            .key
            .as_ref()
            .map(|k| k.expose_secret().as_slice())
    }
}

fn default_public_url(bind: SocketAddr) -> Result<Url, ConfigError> {
    let host = match bind.ip() {
        ip if ip.is_unspecified() => "127.0.0.1".to_owned(),
        IpAddr::V6(ip) => format!("[{ip}]"),
        IpAddr::V4(ip) => ip.to_string(),
    };
    parse_url("PUBLIC_URL", &format!("http://{host}:{}", bind.port()))
}

fn parse_url(name: &'static str, value: &str) -> Result<Url, ConfigError> {
    let url = Url::parse(value).map_err(|e| invalid(name, format!("{e}: {value:?}")))?;
    if !matches!(url.scheme(), "http" | "https") || url.host().is_none() {
        return Err(invalid(name, format!("{value:?} is not an http(s) URL")));
    }
    Ok(url)
}

/// Outside loopback (the simulator), Oura endpoints must be https.
fn require_https_off_loopback(name: &'static str, url: &Url) -> Result<(), ConfigError> {
    if url.scheme() == "https" || is_loopback(url) {
        Ok(())
    } else {
        Err(invalid(
            name,
            "must be https unless it points at a loopback address",
        ))
    }
}

pub(crate) fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(Host::Domain(domain)) => domain.eq_ignore_ascii_case("localhost"),
        Some(Host::Ipv4(ip)) => ip.is_loopback(),
        Some(Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

fn parse_number<T: std::str::FromStr>(
    name: &'static str,
    value: Option<String>,
    default: T,
) -> Result<T, ConfigError> {
    value.map_or(Ok(default), |v| {
        v.parse()
            .map_err(|_| invalid(name, format!("{v:?} is not a whole number")))
    })
}

const DAY: u64 = 24 * 60 * 60;

fn seconds(
    name: &'static str,
    value: Option<String>,
    default: u64,
) -> Result<Duration, ConfigError> {
    let seconds: u64 = parse_number(name, value, default)?;
    if seconds == 0 {
        return Err(invalid(name, "must be at least 1"));
    }
    Ok(Duration::from_secs(seconds))
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    const KEY: &str = "0123456789012345678901234567890123456789012345678901234567890123456789";

    fn settings(vars: &[(&str, &str)]) -> Result<Settings, ConfigError> {
        let vars: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        Settings::from_lookup(|name| vars.get(name).cloned())
    }

    fn configured(extra: &[(&str, &str)]) -> Result<Settings, ConfigError> {
        let mut vars = vec![
            ("OURA_CLIENT_ID", "id"),
            ("OURA_CLIENT_SECRET", "secret"),
            ("SESSION_KEY", KEY),
        ];
        vars.extend_from_slice(extra);
        settings(&vars)
    }

    #[test]
    fn no_client_id_means_demo_mode_on_localhost() {
        let settings = settings(&[]).unwrap();

        assert!(settings.is_demo());
        assert_eq!(settings.bind_address.to_string(), "127.0.0.1:3030");
        assert_eq!(
            settings.redirect_uri().as_str(),
            "http://127.0.0.1:3030/auth/callback"
        );
        assert!(!settings.session.cookie_secure);
    }

    #[test]
    fn a_client_id_selects_todays_oura_endpoints_by_default() {
        let settings = configured(&[]).unwrap();

        let OuraMode::Configured(oura) = settings.oura else {
            panic!("not configured")
        };
        assert_eq!(oura.authorize_url.as_str(), DEFAULT_AUTHORIZE_URL);
        assert_eq!(oura.token_url.as_str(), DEFAULT_TOKEN_URL);
        assert_eq!(oura.issuer.as_deref(), Some(DEFAULT_ISSUER));
        assert_eq!(oura.scopes, ["email", "personal", "daily", "heartrate"]);
    }

    #[test]
    fn an_empty_issuer_switches_the_iss_check_off_for_legacy_endpoints() {
        let settings = configured(&[("OURA_ISSUER", "")]).unwrap();

        let OuraMode::Configured(oura) = settings.oura else {
            panic!("not configured")
        };
        assert_eq!(oura.issuer, None);
    }

    #[test]
    fn the_redirect_uri_follows_the_public_url_not_the_request() {
        let settings = configured(&[("PUBLIC_URL", "https://oura.example.org/")]).unwrap();

        assert_eq!(
            settings.redirect_uri().as_str(),
            "https://oura.example.org/auth/callback"
        );
        assert!(settings.session.cookie_secure);
    }

    #[test]
    fn a_missing_session_key_outside_demo_mode_is_a_startup_error() {
        let error = settings(&[("OURA_CLIENT_ID", "id"), ("OURA_CLIENT_SECRET", "s")]).unwrap_err();

        assert_eq!(error, ConfigError::Missing("SESSION_KEY"));
    }

    #[test]
    fn a_short_session_key_is_a_startup_error() {
        let error = settings(&[("SESSION_KEY", "short")]).unwrap_err();

        assert!(matches!(
            error,
            ConfigError::Invalid {
                name: "SESSION_KEY",
                ..
            }
        ));
    }

    #[test]
    fn plain_http_oura_endpoints_off_loopback_are_a_startup_error() {
        let error = configured(&[("OURA_TOKEN_URL", "http://oura.example.org/token")]).unwrap_err();

        assert!(matches!(
            error,
            ConfigError::Invalid {
                name: "OURA_TOKEN_URL",
                ..
            }
        ));
    }

    #[test]
    fn plain_http_oura_endpoints_on_loopback_are_allowed_for_the_simulator() {
        let settings = configured(&[("OURA_TOKEN_URL", "http://127.0.0.1:3031/token")]);

        assert!(settings.is_ok());
    }

    #[test]
    fn plain_http_public_url_off_loopback_is_a_startup_error() {
        let error = configured(&[("PUBLIC_URL", "http://oura.example.org")]).unwrap_err();

        assert!(matches!(
            error,
            ConfigError::Invalid {
                name: "PUBLIC_URL",
                ..
            }
        ));
    }

    #[test]
    fn insecure_cookies_are_refused_on_an_https_public_url() {
        let error = configured(&[
            ("PUBLIC_URL", "https://oura.example.org"),
            ("COOKIE_SECURE", "false"),
        ])
        .unwrap_err();

        assert!(matches!(
            error,
            ConfigError::Invalid {
                name: "COOKIE_SECURE",
                ..
            }
        ));
    }

    #[test]
    fn secrets_do_not_appear_in_debug_output() {
        let settings = configured(&[]).unwrap();

        let printed = format!("{settings:?}");

        assert!(!printed.contains("secret\""), "{printed}");
        assert!(!printed.contains(KEY), "{printed}");
    }
}
