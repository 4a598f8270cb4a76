//! Typed settings, read once at start-up from environment variables (and an optional `.env`).
//!
//! With no `OURA_CLIENT_ID` the app runs in demo mode against its built-in Oura simulator.
//! Secrets are [`SecretString`]s: they print as `[REDACTED]` and never reach a log line.

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::time::Duration;

use secrecy::{ExposeSecret, SecretBox, SecretString};
use url::{Host, Url};

use crate::sync::SyncSettings;

/// Oura's identity provider since 2026 (apps registered on developer.ouraring.com): consent.
pub const DEFAULT_AUTHORIZE_URL: &str = "https://moi.ouraring.com/oauth/v2/ext/oauth-authorize";
/// ... its token endpoint.
pub const DEFAULT_TOKEN_URL: &str = "https://moi.ouraring.com/oauth/v2/ext/oauth-token";
/// ... its revocation endpoint (RFC 7009).
pub const DEFAULT_REVOKE_URL: &str = "https://moi.ouraring.com/oauth/v2/ext/oauth-revoke";
/// ... and the `iss` its callbacks carry (RFC 9207).
pub const DEFAULT_ISSUER: &str = "https://moi.ouraring.com/oauth/v2/ext/oauth-anonymous";
/// Oura's data API.
pub const DEFAULT_API_BASE_URL: &str = "https://api.ouraring.com";
/// The scopes the dashboard needs.
pub const DEFAULT_SCOPES: &str =
    "email personal daily heartrate stress spo2 heart_health workout session tag";
/// An embedded SQLite file in the working directory.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://oura-dashboard.db";
/// Loopback only, until someone decides otherwise.
pub const DEFAULT_BIND_ADDRESS: &str = "127.0.0.1:3030";
/// Where demo mode starts its simulator.
pub const DEFAULT_DEMO_SIMULATOR_PORT: u16 = 3031;
/// actix-session derives its signing and encryption keys from at least 64 bytes.
pub const MIN_SESSION_KEY_BYTES: usize = 64;

const DAY_SECS: u64 = 24 * 60 * 60;
const DEFAULT_SESSION_IDLE_SECS: u64 = 7 * DAY_SECS;
const DEFAULT_SESSION_ABSOLUTE_SECS: u64 = 30 * DAY_SECS;
const DEFAULT_SYNC_INTERVAL_SECS: u64 = 3600;
/// A day without an event for a data type: people wear their rings daily.
const DEFAULT_WEBHOOK_SILENCE_SECS: u64 = 86_400;
const DEFAULT_OURA_TIMEOUT_SECS: u64 = 15;
const DEFAULT_LOGIN_TIMEOUT_SECS: u64 = 600;
const OURA_CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// Everything the app is configured with.
#[derive(Debug)]
pub struct Settings {
    /// Where the server listens.
    pub bind_address: SocketAddr,
    /// Where browsers reach the app; the OAuth redirect URI is derived from it.
    pub public_url: Url,
    /// Real Oura, or the built-in simulator.
    pub oura: OuraMode,
    /// Cookies and their lifetimes.
    pub session: SessionSettings,
    /// `sqlite://<file>` (the default, created on start) or `postgres://...`.
    pub database_url: SecretString,
    /// Sessions live in Redis when set, in the database otherwise.
    pub redis_url: Option<SecretString>,
    /// How syncs reach back and pace themselves.
    pub sync: SyncSettings,
    /// How often every user's data is synced in the background; `None`: never.
    pub sync_interval: Option<Duration>,
    /// Start a sync right after each sign-in.
    pub sync_on_login: bool,
    /// A directory to serve the SPA from instead of the copy built into the binary.
    pub static_dir: Option<PathBuf>,
    /// Budget for one call to Oura, connect included.
    pub upstream_timeout: Duration,
    /// Budget for connecting to Oura.
    pub upstream_connect_timeout: Duration,
    /// How long a started login may take before its callback is refused.
    pub login_timeout: Duration,
    /// Who may read `GET /metrics`.
    pub metrics: MetricsAccess,
    /// Where Oura sends webhook events (`WEBHOOK_PUBLIC_URL` + `/webhooks/oura`); `None`:
    /// webhooks off, every user polled.
    pub webhook_callback_url: Option<Url>,
    /// How long a data type Oura writes every day may go without a webhook event before users
    /// are synced at the polling interval again ([`Settings::poll_interval`]) until its events
    /// come back.
    pub webhook_silence: Duration,
}

/// Who may read the Prometheus metrics at `/metrics`.
#[derive(Debug)]
pub enum MetricsAccess {
    /// No metrics: `/metrics` is not found (the default).
    Off,
    /// Anyone who reaches the server (for a scraper on a private network).
    Open,
    /// Only requests with `Authorization: Bearer <token>`.
    Token(SecretString),
}

impl MetricsAccess {
    /// `METRICS_TOKEN` (at least 16 characters) switches them on behind the token;
    /// `METRICS_ENABLED=true` without one switches them on for anyone.
    fn read(env: &Env<'_>) -> Result<Self, ConfigError> {
        match env.text("METRICS_TOKEN") {
            Some(token) if token.len() < MIN_METRICS_TOKEN_LEN => Err(invalid(
                "METRICS_TOKEN",
                format!("must be at least {MIN_METRICS_TOKEN_LEN} characters"),
            )),
            Some(token) => Ok(Self::Token(token.into())),
            None if env.flag("METRICS_ENABLED", false)? => Ok(Self::Open),
            None => Ok(Self::Off),
        }
    }
}

/// With webhooks, the background sync only reconciles (deliveries get lost): every 6 hours.
const RECONCILE_INTERVAL_SECS: u64 = 6 * 3600;

/// A shorter bearer token could be guessed.
const MIN_METRICS_TOKEN_LEN: usize = 16;

/// Real Oura (or any configured OAuth server), or the built-in simulator.
#[derive(Debug)]
pub enum OuraMode {
    /// An Oura application's credentials and endpoints.
    Configured(Box<OuraSettings>),
    /// Start the simulator on this port (0: any free port) and use it.
    Demo {
        /// The simulator's port.
        simulator_port: u16,
    },
}

/// An Oura application: its credentials, and where Oura is.
#[derive(Debug, Clone)]
pub struct OuraSettings {
    /// The application's client id.
    pub client_id: String,
    /// The application's client secret.
    pub client_secret: SecretString,
    /// The consent page.
    pub authorize_url: Url,
    /// The token endpoint.
    pub token_url: Url,
    /// RFC 7009 revocation, used when an account is deleted; `None` where Oura has none.
    pub revoke_url: Option<Url>,
    /// The data API.
    pub api_base_url: Url,
    /// When set, callbacks must carry this `iss` (RFC 9207).
    pub issuer: Option<String>,
    /// The scopes asked for.
    pub scopes: Vec<String>,
}

/// The session cookie and how long sessions last.
#[derive(Debug)]
pub struct SessionSettings {
    /// `None` in demo mode without `SESSION_KEY`: a random key is made at start-up.
    pub key: Option<SecretBox<Vec<u8>>>,
    /// Send the cookie over https only.
    pub cookie_secure: bool,
    /// A session ends after this long unused.
    pub idle_timeout: Duration,
    /// A session ends this long after sign-in, used or not.
    pub absolute_timeout: Duration,
}

/// A setting that is missing or wrong, named so the operator can fix it.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ConfigError {
    /// The variable is set to something unusable.
    #[error("{name} is not valid: {reason}")]
    Invalid {
        /// The variable.
        name: &'static str,
        /// What is wrong with it.
        reason: String,
    },
    /// The variable must be set with real Oura.
    #[error("{0} must be set when OURA_CLIENT_ID is set")]
    Missing(&'static str),
}

fn invalid(name: &'static str, reason: impl Into<String>) -> ConfigError {
    ConfigError::Invalid {
        name,
        reason: reason.into(),
    }
}

/// The environment, read one variable at a time: each value trimmed, an empty one unset.
struct Env<'a> {
    lookup: &'a dyn Fn(&str) -> Option<String>,
}

impl Env<'_> {
    /// The value, trimmed; `None` when unset or empty.
    fn text(&self, name: &str) -> Option<String> {
        (self.lookup)(name)
            .map(|v| v.trim().to_owned())
            .filter(|v| !v.is_empty())
    }

    /// Whether the variable is set at all, even to nothing (which can mean "switch off").
    fn is_set_empty(&self, name: &str) -> bool {
        (self.lookup)(name).is_some_and(|v| v.trim().is_empty())
    }

    fn number<T: std::str::FromStr>(
        &self,
        name: &'static str,
        default: T,
    ) -> Result<T, ConfigError> {
        self.text(name).map_or(Ok(default), |v| {
            v.parse()
                .map_err(|_| invalid(name, format!("{v:?} is not a whole number")))
        })
    }

    /// Whole seconds, at least 1.
    fn seconds(&self, name: &'static str, default: u64) -> Result<Duration, ConfigError> {
        match self.number(name, default)? {
            0 => Err(invalid(name, "must be at least 1")),
            seconds => Ok(Duration::from_secs(seconds)),
        }
    }

    /// `true`/`1` or `false`/`0`.
    fn flag(&self, name: &'static str, default: bool) -> Result<bool, ConfigError> {
        match self.text(name).as_deref() {
            None => Ok(default),
            Some("true" | "1") => Ok(true),
            Some("false" | "0") => Ok(false),
            Some(other) => Err(invalid(name, format!("{other:?} is not true or false"))),
        }
    }

    /// An http(s) URL.
    fn url(&self, name: &'static str, default: &str) -> Result<Url, ConfigError> {
        parse_url(name, self.text(name).as_deref().unwrap_or(default))
    }

    /// An http(s) URL that must be https unless it points at loopback (the simulator).
    fn oura_url(&self, name: &'static str, default: &str) -> Result<Url, ConfigError> {
        let url = self.url(name, default)?;
        if url.scheme() == "https" || is_loopback(&url) {
            Ok(url)
        } else {
            Err(invalid(
                name,
                "must be https unless it points at a loopback address",
            ))
        }
    }
}

impl Settings {
    /// How often users are synced when polling is what keeps them fresh: without webhooks
    /// by default, and with webhooks while a data type is silent.
    pub fn poll_interval(&self) -> Duration {
        Duration::from_secs(DEFAULT_SYNC_INTERVAL_SECS)
    }

    /// Reads the process environment (after loading `.env`, if there is one).
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Reads settings through `lookup`, so tests can supply their own variables.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let env = Env { lookup: &lookup };
        let bind_address: SocketAddr = env
            .text("BIND_ADDRESS")
            .as_deref()
            .unwrap_or(DEFAULT_BIND_ADDRESS)
            .parse()
            .map_err(|e| invalid("BIND_ADDRESS", format!("{e} (expected host:port)")))?;
        let public_url = match env.text("PUBLIC_URL") {
            Some(url) => parse_url("PUBLIC_URL", &url)?,
            None => default_public_url(bind_address)?,
        };
        if public_url.scheme() != "https" && !is_loopback(&public_url) {
            return Err(invalid(
                "PUBLIC_URL",
                "must be https unless it is a loopback address (127.0.0.1, ::1, localhost)",
            ));
        }
        let oura = OuraMode::read(&env)?;
        // Demo mode shows webhooks at work: its simulator calls the app at PUBLIC_URL (set
        // WEBHOOK_PUBLIC_URL empty to switch them off).
        let demo = matches!(oura, OuraMode::Demo { .. });
        let demo_webhooks = demo && !env.is_set_empty("WEBHOOK_PUBLIC_URL");
        let webhook_base = match env.text("WEBHOOK_PUBLIC_URL") {
            Some(base) => Some(env.oura_url("WEBHOOK_PUBLIC_URL", &base)?),
            None if demo_webhooks => Some(public_url.clone()),
            None => None,
        };
        let webhook_callback_url = webhook_base.map(|mut url| {
            url.set_path(crate::webhooks::WEBHOOK_PATH);
            url.set_query(None);
            url
        });
        // With webhooks the background sync only reconciles; demo mode's simulator does not
        // announce a new day's data by itself, so it keeps polling hourly.
        let reconcile_only = webhook_callback_url.is_some() && !demo;
        let session = SessionSettings::read(&env, &public_url, &oura)?;
        Ok(Self {
            bind_address,
            public_url,
            oura,
            session,
            static_dir: env.text("STATIC_DIR").map(PathBuf::from),
            database_url: env
                .text("DATABASE_URL")
                .unwrap_or_else(|| DEFAULT_DATABASE_URL.into())
                .into(),
            redis_url: env.text("REDIS_URL").map(SecretString::from),
            sync: read_sync(&env)?,
            sync_interval: match env.number(
                "SYNC_INTERVAL_SECS",
                if reconcile_only {
                    RECONCILE_INTERVAL_SECS
                } else {
                    DEFAULT_SYNC_INTERVAL_SECS
                },
            )? {
                0 => None,
                secs => Some(Duration::from_secs(secs)),
            },
            sync_on_login: env.flag("SYNC_ON_LOGIN", true)?,
            upstream_timeout: env.seconds("OURA_TIMEOUT_SECS", DEFAULT_OURA_TIMEOUT_SECS)?,
            upstream_connect_timeout: OURA_CONNECT_TIMEOUT,
            login_timeout: env.seconds("LOGIN_TIMEOUT_SECS", DEFAULT_LOGIN_TIMEOUT_SECS)?,
            metrics: MetricsAccess::read(&env)?,
            webhook_callback_url,
            webhook_silence: env.seconds("WEBHOOK_SILENCE_SECS", DEFAULT_WEBHOOK_SILENCE_SECS)?,
        })
    }

    /// The exact redirect URI registered with Oura: never derived from request headers.
    pub fn redirect_uri(&self) -> Url {
        let mut url = self.public_url.clone();
        url.set_path("/auth/callback");
        url.set_query(None);
        url
    }

    /// True when the app runs on its built-in simulator.
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

impl OuraMode {
    /// Demo mode without `OURA_CLIENT_ID`; otherwise the application and Oura's endpoints.
    fn read(env: &Env<'_>) -> Result<Self, ConfigError> {
        let Some(client_id) = env.text("OURA_CLIENT_ID") else {
            return Ok(Self::Demo {
                simulator_port: env.number("DEMO_SIMULATOR_PORT", DEFAULT_DEMO_SIMULATOR_PORT)?,
            });
        };
        Ok(Self::Configured(Box::new(OuraSettings {
            client_id,
            client_secret: env
                .text("OURA_CLIENT_SECRET")
                .map(SecretString::from)
                .ok_or(ConfigError::Missing("OURA_CLIENT_SECRET"))?,
            authorize_url: env.oura_url("OURA_AUTHORIZE_URL", DEFAULT_AUTHORIZE_URL)?,
            token_url: env.oura_url("OURA_TOKEN_URL", DEFAULT_TOKEN_URL)?,
            revoke_url: if env.is_set_empty("OURA_REVOKE_URL") {
                None
            } else {
                Some(env.oura_url("OURA_REVOKE_URL", DEFAULT_REVOKE_URL)?)
            },
            api_base_url: env.oura_url("OURA_API_BASE_URL", DEFAULT_API_BASE_URL)?,
            // Set but empty means "do not check"; the legacy endpoints send no `iss`.
            issuer: if env.is_set_empty("OURA_ISSUER") {
                None
            } else {
                Some(
                    env.text("OURA_ISSUER")
                        .unwrap_or_else(|| DEFAULT_ISSUER.into()),
                )
            },
            scopes: env
                .text("OURA_SCOPES")
                .as_deref()
                .unwrap_or(DEFAULT_SCOPES)
                .split_whitespace()
                .map(str::to_owned)
                .collect(),
        })))
    }
}

impl SessionSettings {
    fn read(env: &Env<'_>, public_url: &Url, oura: &OuraMode) -> Result<Self, ConfigError> {
        let key = match env.text("SESSION_KEY") {
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
        let https = public_url.scheme() == "https";
        let cookie_secure = env.flag("COOKIE_SECURE", https)?;
        if !cookie_secure && !is_loopback(public_url) {
            return Err(invalid(
                "COOKIE_SECURE",
                "may be false only when PUBLIC_URL is a plain-http loopback address",
            ));
        }
        Ok(Self {
            key,
            cookie_secure,
            idle_timeout: env.seconds("SESSION_IDLE_TIMEOUT_SECS", DEFAULT_SESSION_IDLE_SECS)?,
            absolute_timeout: env.seconds(
                "SESSION_ABSOLUTE_TIMEOUT_SECS",
                DEFAULT_SESSION_ABSOLUTE_SECS,
            )?,
        })
    }
}

/// The sync settings the environment changes; the rest keep [`SyncSettings::default`].
fn read_sync(env: &Env<'_>) -> Result<SyncSettings, ConfigError> {
    let defaults = SyncSettings::default();
    let backfill_days = env.number("SYNC_BACKFILL_DAYS", defaults.backfill_days)?;
    Ok(SyncSettings {
        backfill_days,
        heart_rate_backfill_days: env.number("SYNC_HEART_RATE_BACKFILL_DAYS", backfill_days)?,
        concurrency: env.number("SYNC_CONCURRENCY", defaults.concurrency)?.max(1),
        lease: env.seconds("SYNC_LEASE_SECS", defaults.lease.as_secs())?,
        rate_limit: env.number("OURA_RATE_LIMIT", defaults.rate_limit)?.max(1),
        app_rate_limit: env
            .number("OURA_APP_RATE_LIMIT", defaults.app_rate_limit)?
            .max(1),
        rate_window: env.seconds("OURA_RATE_WINDOW_SECS", defaults.rate_window.as_secs())?,
        ..defaults
    })
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

/// True for 127.0.0.0/8, ::1 and `localhost`.
pub(crate) fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(Host::Domain(domain)) => domain.eq_ignore_ascii_case("localhost"),
        Some(Host::Ipv4(ip)) => ip.is_loopback(),
        Some(Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
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
        assert_eq!(
            oura.scopes,
            [
                "email",
                "personal",
                "daily",
                "heartrate",
                "stress",
                "spo2",
                "heart_health",
                "workout",
                "session",
                "tag"
            ]
        );
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
        let settings = configured(&[("METRICS_TOKEN", "scrape-me-0123456789")]).unwrap();

        let printed = format!("{settings:?}");

        assert!(!printed.contains("secret\""), "{printed}");
        assert!(!printed.contains(KEY), "{printed}");
        assert!(!printed.contains("scrape-me"), "{printed}");
    }

    #[test]
    fn webhooks_are_on_in_demo_mode_off_with_real_oura_unless_given_a_url() {
        let callback = |vars: &[(&str, &str)]| settings(vars).unwrap().webhook_callback_url;

        assert_eq!(
            callback(&[]).map(String::from),
            Some("http://127.0.0.1:3030/webhooks/oura".to_owned()),
            "demo mode, at PUBLIC_URL"
        );
        assert_eq!(callback(&[("WEBHOOK_PUBLIC_URL", "")]), None);
        assert_eq!(configured(&[]).unwrap().webhook_callback_url, None);
        let real = configured(&[("WEBHOOK_PUBLIC_URL", "https://oura.example.org/x?y")]).unwrap();
        assert_eq!(
            real.webhook_callback_url.map(String::from),
            Some("https://oura.example.org/webhooks/oura".to_owned())
        );
        assert_eq!(
            real.sync_interval,
            Some(Duration::from_secs(RECONCILE_INTERVAL_SECS)),
            "polling only reconciles"
        );
        assert!(matches!(
            configured(&[("WEBHOOK_PUBLIC_URL", "http://oura.example.org")]),
            Err(ConfigError::Invalid {
                name: "WEBHOOK_PUBLIC_URL",
                ..
            })
        ));
    }

    #[test]
    fn metrics_are_off_unless_asked_for_and_a_short_token_is_refused() {
        assert!(matches!(settings(&[]).unwrap().metrics, MetricsAccess::Off));
        assert!(matches!(
            settings(&[("METRICS_ENABLED", "true")]).unwrap().metrics,
            MetricsAccess::Open
        ));
        assert!(matches!(
            settings(&[("METRICS_TOKEN", "0123456789abcdef")])
                .unwrap()
                .metrics,
            MetricsAccess::Token(_)
        ));
        assert!(matches!(
            settings(&[("METRICS_TOKEN", "short")]),
            Err(ConfigError::Invalid {
                name: "METRICS_TOKEN",
                ..
            })
        ));
    }
}
