//! The data shapes that cross the wire between the backend and its clients (the SPA and curl).
//!
//! The backend maps Oura's JSON into these types; neither the browser nor a script ever sees
//! Oura's own shapes or tokens.

mod api_keys;
mod dashboard;
mod error;
mod events;
mod profile;
mod ring;
mod session;
pub mod wire;

pub use api_keys::{API_KEY_NAME_MAX, ApiKey, CreatedApiKey, NewApiKey};
pub use dashboard::{
    BedtimeDay, CardiovascularDay, CollectionHealth, DailyColumns, DailyScores, HeartRatePoint,
    HeartRateSeries, Insight, Night, Refusal, ResilienceDay, Score, ScoreSummary, SetAsideDocument,
    SleepKind, SleepPeriod, Spo2Day, StressDay, Summary, SyncHealth, SyncState, SyncStatus,
    TemperatureDay, UnknownValue, WebhookState, clock_of_offset,
};
pub use error::{ApiErrorBody, ErrorCode};
pub use events::{Events, RestModePeriod, Session, Tag, Workout};
pub use profile::Profile;
pub use ring::{Battery, Ring, Rings};
pub use session::SessionStatus;

/// Header that state-changing requests (`POST /auth/logout`, ...) must carry.
///
/// A cross-site HTML form cannot set a custom header, and a cross-origin `fetch` that sets one
/// needs a CORS preflight the backend never grants, so its presence shows the request came from
/// the SPA's own origin (OWASP "custom request header" CSRF defence).
pub const CSRF_HEADER: &str = "X-Requested-With";

/// The value the SPA sends in [`CSRF_HEADER`]. The backend accepts any non-empty value.
pub const CSRF_HEADER_VALUE: &str = "oura-dashboard";

/// The backend's routes that the SPA and the README refer to.
pub mod routes {
    /// Starts the OAuth login; accepts an optional same-origin `return_to` path.
    pub const LOGIN: &str = "/auth/login";
    /// Where Oura sends the browser back after consent.
    pub const CALLBACK: &str = "/auth/callback";
    /// Ends the session (POST, with [`crate::CSRF_HEADER`]).
    pub const LOGOUT: &str = "/auth/logout";
    /// Whether the caller is signed in, and whether the app runs in demo mode.
    pub const SESSION: &str = "/api/session";
    /// The signed-in user's profile.
    pub const PROFILE: &str = "/api/profile";
    /// The signed-in user's personal API keys (list, create; `/{id}` to revoke).
    pub const API_KEYS: &str = "/api/keys";
    /// The signed-in user's account (DELETE removes it and all its data).
    pub const ACCOUNT: &str = "/api/account";
    /// Sync state (GET) and "sync now" (POST).
    pub const SYNC: &str = "/api/sync";
    /// Each collection's sync, and the documents set aside.
    pub const SYNC_HEALTH: &str = "/api/sync/health";
    /// Daily scores for `?start=YYYY-MM-DD&end=YYYY-MM-DD`.
    pub const DAILY: &str = "/api/daily";
    /// Latest scores, week against week, 90-day baselines.
    pub const SUMMARY: &str = "/api/summary";
    /// Workouts, sessions, tags and rest mode in a range of days.
    pub const EVENTS: &str = "/api/events";
    /// The rings the person has set up, newest first.
    pub const RINGS: &str = "/api/rings";
    /// `?start&end&format=csv|json`.
    pub const EXPORT: &str = "/api/export";
    /// `/{YYYY-MM-DD}`: that day's sleep periods.
    pub const SLEEP: &str = "/api/sleep";
    /// Computed observations over the last year.
    pub const INSIGHTS: &str = "/api/insights";
    /// `?start=<RFC 3339>&end=<RFC 3339>`: heart rate over at most 7 days.
    pub const HEART_RATE: &str = "/api/heartrate";
    /// The OpenAPI document of the JSON API.
    pub const OPENAPI: &str = "/api/openapi.json";
    /// Liveness probe.
    pub const HEALTH: &str = "/healthz";
    /// Readiness probe: the database and Redis answer.
    pub const READY: &str = "/readyz";
}
