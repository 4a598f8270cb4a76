//! Oura's v2 data API. Paths come from a fixed list, tokens go only in the `Authorization`
//! header, and every answer is checked against the shape Oura documents.

use std::time::{Duration, SystemTime};

use reqwest::StatusCode;
use reqwest::header::RETRY_AFTER;
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::value::RawValue;
use url::Url;

use crate::metrics::Metrics;

use super::documents::{
    BatteryLevel, DailyActivity, DailyCardiovascularAge, DailyReadiness, DailyResilience,
    DailySleep, DailySpo2, DailyStress, EnhancedTag, HeartRate, PersonalInfo, RestModePeriod,
    RingConfiguration, Session, SleepPeriod, SleepTime, Vo2Max, Workout,
};

/// How long to ask callers to wait when Oura is unavailable without saying for how long.
const DEFAULT_RETRY_AFTER: Duration = Duration::from_secs(30);
/// Longest wait passed on from Oura's `Retry-After`.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(300);

/// The date-range collections the dashboard keeps. Their paths come from here only: nothing
/// a request sends ever becomes part of an Oura URL.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Collection {
    /// `daily_sleep`: the sleep score.
    Sleep,
    /// `daily_readiness`: the readiness score.
    Readiness,
    /// `daily_activity`: the activity score, steps and calories.
    Activity,
    /// The sleep periods themselves (`sleep`): stages, heart rate, HRV.
    SleepPeriods,
    /// `heartrate`, a time series queried by date-time, at most 30 days a request.
    HeartRate,
    /// `daily_stress`: time in high stress and high recovery (the `stress` scope).
    Stress,
    /// `daily_spo2`: blood oxygen through the night (the `spo2` scope).
    Spo2,
    /// `daily_resilience`: the long-term resilience level (the `stress` scope).
    Resilience,
    /// `vO2_max`: cardiorespiratory fitness, on the days Oura estimates it (`heart_health`).
    Vo2Max,
    /// `daily_cardiovascular_age`: vascular age and pulse wave velocity (`heart_health`).
    CardiovascularAge,
    /// `sleep_time`: the optimal bedtime window.
    SleepTime,
    /// `workout` (the `workout` scope).
    Workouts,
    /// `session`: meditation, breathing and other sessions (the `session` scope).
    Sessions,
    /// `enhanced_tag`: the person's tags (the `tag` scope).
    Tags,
    /// `rest_mode_period`: days in rest mode.
    RestMode,
    /// `ring_configuration`: every ring set up, read whole each time (it has no dates).
    Rings,
    /// `ring_battery_level`: only the latest reading is read (`latest=true`), once a run.
    Battery,
}

impl Collection {
    /// Every collection the app keeps, in the order a sync plans them.
    pub const ALL: [Self; 17] = [
        Self::Sleep,
        Self::Readiness,
        Self::Activity,
        Self::SleepPeriods,
        Self::HeartRate,
        Self::Stress,
        Self::Spo2,
        Self::Resilience,
        Self::Vo2Max,
        Self::CardiovascularAge,
        Self::SleepTime,
        Self::Workouts,
        Self::Sessions,
        Self::Tags,
        Self::RestMode,
        Self::Rings,
        Self::Battery,
    ];

    /// The most days one request may cover (heart rate: 30, as Oura enforces).
    pub fn max_window_days(self) -> Option<i64> {
        (self == Self::HeartRate).then_some(30)
    }

    /// Whether the collection is read in date windows: the rings are read whole, and of the
    /// battery only its latest reading; each of those takes one request a run.
    pub fn is_dated(self) -> bool {
        !matches!(self, Self::Rings | Self::Battery)
    }

    /// The collection Oura (and the warehouse) calls `name`.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.name() == name)
    }

    /// The collection a webhook event's `data_type` names (Oura spells `vO2_max` there as
    /// `vo2_max`; the old `tag` is read as `enhanced_tag`); `None` for what the app does not
    /// keep (`meal`, ...).
    pub fn from_webhook_data_type(data_type: &str) -> Option<Self> {
        if data_type == "tag" {
            return Some(Self::Tags);
        }
        Self::ALL
            .into_iter()
            .find(|c| c.name().eq_ignore_ascii_case(data_type))
    }

    /// Oura's name, also the warehouse's.
    pub fn name(self) -> &'static str {
        match self {
            Self::Sleep => "daily_sleep",
            Self::Readiness => "daily_readiness",
            Self::Activity => "daily_activity",
            Self::SleepPeriods => "sleep",
            Self::HeartRate => "heartrate",
            Self::Stress => "daily_stress",
            Self::Spo2 => "daily_spo2",
            Self::Resilience => "daily_resilience",
            Self::Vo2Max => "vO2_max",
            Self::CardiovascularAge => "daily_cardiovascular_age",
            Self::SleepTime => "sleep_time",
            Self::Workouts => "workout",
            Self::Sessions => "session",
            Self::Tags => "enhanced_tag",
            Self::RestMode => "rest_mode_period",
            Self::Rings => "ring_configuration",
            Self::Battery => "ring_battery_level",
        }
    }

    /// The API path, from this fixed list only.
    fn path(self) -> &'static str {
        match self {
            Self::Sleep => "v2/usercollection/daily_sleep",
            Self::Readiness => "v2/usercollection/daily_readiness",
            Self::Activity => "v2/usercollection/daily_activity",
            Self::SleepPeriods => "v2/usercollection/sleep",
            Self::HeartRate => "v2/usercollection/heartrate",
            Self::Stress => "v2/usercollection/daily_stress",
            Self::Spo2 => "v2/usercollection/daily_spo2",
            Self::Resilience => "v2/usercollection/daily_resilience",
            // Oura spells this one with a capital O.
            Self::Vo2Max => "v2/usercollection/vO2_max",
            Self::CardiovascularAge => "v2/usercollection/daily_cardiovascular_age",
            Self::SleepTime => "v2/usercollection/sleep_time",
            Self::Workouts => "v2/usercollection/workout",
            Self::Sessions => "v2/usercollection/session",
            Self::Tags => "v2/usercollection/enhanced_tag",
            Self::RestMode => "v2/usercollection/rest_mode_period",
            Self::Rings => "v2/usercollection/ring_configuration",
            Self::Battery => "v2/usercollection/ring_battery_level",
        }
    }

    /// Observed in 2026: `end_date` is inclusive for sleep and readiness, exclusive for activity
    /// and workouts (the other collections are taken to be like `daily_sleep`; nobody has
    /// reported otherwise).
    pub fn end_is_inclusive(self) -> bool {
        !matches!(self, Self::Activity | Self::Workouts)
    }
}

/// Which page to read.
#[derive(Debug, Clone)]
pub enum PageRequest {
    /// The first page of the days `first..=last`.
    Window {
        /// The first day.
        first: time::Date,
        /// The last day, included.
        last: time::Date,
    },
    /// The page after the one that gave this `next_token`.
    Next(String),
}

/// A collection's document type: what one of its pages holds.
pub trait CollectionDocument: DeserializeOwned {
    /// The collection whose pages hold this document.
    const COLLECTION: Collection;
}

impl CollectionDocument for DailySleep {
    const COLLECTION: Collection = Collection::Sleep;
}
impl CollectionDocument for DailyReadiness {
    const COLLECTION: Collection = Collection::Readiness;
}
impl CollectionDocument for DailyActivity {
    const COLLECTION: Collection = Collection::Activity;
}
impl CollectionDocument for SleepPeriod {
    const COLLECTION: Collection = Collection::SleepPeriods;
}
impl CollectionDocument for HeartRate {
    const COLLECTION: Collection = Collection::HeartRate;
}
impl CollectionDocument for DailyStress {
    const COLLECTION: Collection = Collection::Stress;
}
impl CollectionDocument for DailySpo2 {
    const COLLECTION: Collection = Collection::Spo2;
}
impl CollectionDocument for DailyResilience {
    const COLLECTION: Collection = Collection::Resilience;
}
impl CollectionDocument for Vo2Max {
    const COLLECTION: Collection = Collection::Vo2Max;
}
impl CollectionDocument for DailyCardiovascularAge {
    const COLLECTION: Collection = Collection::CardiovascularAge;
}
impl CollectionDocument for SleepTime {
    const COLLECTION: Collection = Collection::SleepTime;
}
impl CollectionDocument for Workout {
    const COLLECTION: Collection = Collection::Workouts;
}
impl CollectionDocument for Session {
    const COLLECTION: Collection = Collection::Sessions;
}
impl CollectionDocument for EnhancedTag {
    const COLLECTION: Collection = Collection::Tags;
}
impl CollectionDocument for RestModePeriod {
    const COLLECTION: Collection = Collection::RestMode;
}
impl CollectionDocument for RingConfiguration {
    const COLLECTION: Collection = Collection::Rings;
}
impl CollectionDocument for BatteryLevel {
    const COLLECTION: Collection = Collection::Battery;
}

/// One page of a collection: each document read on its own, so one odd document does not
/// hide the others.
#[derive(Debug)]
pub struct Page<T> {
    /// The page's documents, in Oura's order.
    pub documents: Vec<Document<T>>,
    /// Where the next page starts, if there is one.
    pub next_token: Option<String>,
}

/// The profile, typed, with the JSON it came as (the store keeps the JSON).
#[derive(Debug)]
pub struct ProfileDocument {
    /// What the app reads.
    pub info: PersonalInfo,
    /// The document as Oura sent it.
    pub raw: String,
}

/// One document of a page: typed, with the JSON it came as.
#[derive(Debug)]
pub enum Document<T> {
    /// The app could read what it needs.
    Read {
        /// The typed document.
        value: T,
        /// The document as Oura sent it.
        raw: String,
    },
    /// The app could not: a field it needs is missing or of the wrong type.
    Unreadable {
        /// The document as Oura sent it.
        raw: String,
        /// What was wrong with it.
        reason: String,
    },
}

/// The envelope of a page, each document left unparsed until [`Document`] reads it.
#[derive(Deserialize)]
struct Envelope<'a> {
    #[serde(borrow)]
    data: Vec<&'a RawValue>,
    #[serde(default)]
    next_token: Option<String>,
}

/// What went wrong talking to Oura's data API.
#[derive(Debug, thiserror::Error)]
pub enum OuraError {
    /// Too many requests: wait this long.
    #[error("Oura is rate limiting; retry after {retry_after:?}")]
    RateLimited {
        /// How long Oura asked us to wait (capped).
        retry_after: Duration,
    },
    /// The access token is not (or no longer) valid.
    #[error("Oura refused the access token")]
    Unauthorized,
    /// A scope was not granted, or the ring needs an Oura membership for this data.
    #[error("Oura refused access (missing scope or expired membership)")]
    Forbidden {
        /// Oura said the refusal is about the membership (its 403 carries the same status for
        /// a missing scope; only its words tell them apart).
        membership: bool,
    },
    /// 426: the person's Oura app is too old to share this data.
    #[error("Oura asks for a newer Oura app before it shares this")]
    AppTooOld,
    /// No such document or route.
    #[error("Oura has no such document")]
    NotFound,
    /// The connection failed (refused, reset, DNS).
    #[error("could not reach Oura: {0}")]
    Unreachable(String),
    /// Oura did not answer within the client's timeout, or answered 408 (it gave up waiting
    /// for the request).
    #[error("Oura did not answer in time")]
    Timeout,
    /// The answer was not the JSON Oura documents.
    #[error("Oura's answer was malformed: {0}")]
    Malformed(String),
    /// A 5xx: a fault on Oura's side, which may pass.
    #[error("Oura answered {status}")]
    ServerError {
        /// The HTTP status.
        status: u16,
        /// Oura's `Retry-After`, if it sent one.
        retry_after: Option<Duration>,
    },
    /// Any other status (400, 422, 426, ...).
    #[error("Oura answered an unexpected HTTP {0}")]
    UnexpectedStatus(u16),
}

impl OuraError {
    /// Whether the same request may well succeed later: the retry policy's question.
    pub fn is_transient(&self) -> bool {
        matches!(
            self,
            Self::RateLimited { .. }
                | Self::Unreachable(_)
                | Self::Timeout
                | Self::ServerError { .. }
        )
    }

    /// A short name of the kind of failure, for metrics (`rate_limited`, `timeout`, ...).
    pub fn kind(&self) -> &'static str {
        match self {
            Self::RateLimited { .. } => "rate_limited",
            Self::Unauthorized => "unauthorized",
            Self::Forbidden { .. } => "forbidden",
            Self::AppTooOld => "app_too_old",
            Self::NotFound => "not_found",
            Self::Unreachable(_) => "unreachable",
            Self::Timeout => "timeout",
            Self::Malformed(_) => "malformed",
            Self::ServerError { .. } => "server_error",
            Self::UnexpectedStatus(_) => "unexpected_status",
        }
    }

    /// How long Oura asked us to wait, when it said.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Self::RateLimited { retry_after } => Some(*retry_after),
            Self::ServerError { retry_after, .. } => *retry_after,
            _ => None,
        }
    }
}

impl From<reqwest::Error> for OuraError {
    /// Sorts a transport failure into a timeout or an unreachable Oura.
    fn from(error: reqwest::Error) -> Self {
        if error.is_timeout() {
            Self::Timeout
        } else {
            // Without the URL: it holds nothing secret today, but it is not the caller's business.
            Self::Unreachable(error.without_url().to_string())
        }
    }
}

/// The data API client, built once and shared by every request.
#[derive(Debug, Clone)]
pub struct OuraApi {
    http: reqwest::Client,
    base_url: Url,
    /// Counts each request's outcome, when metrics are on.
    metrics: Option<Metrics>,
}

impl OuraApi {
    /// A client for the API at `base_url` (Oura's, or the simulator's).
    pub fn new(http: reqwest::Client, base_url: Url) -> Self {
        Self {
            http,
            base_url,
            metrics: None,
        }
    }

    /// The same client, counting each request's outcome in `metrics`.
    pub fn with_metrics(self, metrics: Option<Metrics>) -> Self {
        Self { metrics, ..self }
    }

    /// The person's profile, with the JSON it came as.
    #[tracing::instrument(name = "oura.personal_info", skip_all)]
    pub async fn personal_info(&self, token: &SecretString) -> Result<ProfileDocument, OuraError> {
        let body = self
            .get("v2/usercollection/personal_info", &[], token)
            .await?;
        let raw = String::from_utf8(body.to_vec())
            .map_err(|_| OuraError::Malformed("the profile is not UTF-8".into()))?;
        Ok(ProfileDocument {
            info: PersonalInfo::parse(&raw)?,
            raw,
        })
    }

    /// One page of a collection: the first of a window, or the one `next_token` names.
    #[tracing::instrument(name = "oura.page", skip(self, token), fields(collection = T::COLLECTION.name()))]
    pub async fn page<T: CollectionDocument>(
        &self,
        token: &SecretString,
        request: &PageRequest,
    ) -> Result<Page<T>, OuraError> {
        let collection = T::COLLECTION;
        let query = match request {
            // The rings have no dates: the list is read whole.
            PageRequest::Window { .. } if collection == Collection::Rings => Vec::new(),
            // Of the battery only the latest reading matters.
            PageRequest::Window { .. } if collection == Collection::Battery => {
                vec![("latest", "true".to_owned())]
            }
            PageRequest::Window { first, last } if collection == Collection::HeartRate => {
                // Whole days, UTC: from the first midnight to the midnight after the last day.
                let rfc3339 = |day: time::Date| format!("{day}T00:00:00+00:00");
                vec![
                    ("start_datetime", rfc3339(*first)),
                    ("end_datetime", rfc3339(*last + time::Duration::days(1))),
                ]
            }
            PageRequest::Window { first, last } => {
                // Oura's end_date includes the day for some collections and not for others.
                let end = if collection.end_is_inclusive() {
                    *last
                } else {
                    *last + time::Duration::days(1)
                };
                vec![
                    ("start_date", first.to_string()),
                    ("end_date", end.to_string()),
                ]
            }
            PageRequest::Next(next_token) => vec![("next_token", next_token.clone())],
        };
        let body = self.get(collection.path(), &query, token).await?;
        let envelope: Envelope =
            serde_json::from_slice(&body).map_err(|e| OuraError::Malformed(e.to_string()))?;
        Ok(Page {
            documents: envelope
                .data
                .into_iter()
                .map(|raw| match serde_json::from_str(raw.get()) {
                    Ok(value) => Document::Read {
                        value,
                        raw: raw.get().to_owned(),
                    },
                    Err(error) => Document::Unreadable {
                        raw: raw.get().to_owned(),
                        reason: error.to_string(),
                    },
                })
                .collect(),
            next_token: envelope.next_token,
        })
    }

    /// One document of a collection by its id (what a webhook event names), read as a page's
    /// documents are. Ids are checked before they go into the URL.
    #[tracing::instrument(name = "oura.document", skip(self, token), fields(collection = T::COLLECTION.name()))]
    pub async fn document<T: CollectionDocument>(
        &self,
        token: &SecretString,
        id: &str,
    ) -> Result<Document<T>, OuraError> {
        if !is_document_id(id) {
            return Err(OuraError::NotFound);
        }
        let path = format!("{}/{id}", T::COLLECTION.path());
        let body = self
            .get_path(&path, T::COLLECTION.name(), &[], token)
            .await?;
        let raw = String::from_utf8(body)
            .map_err(|_| OuraError::Malformed("the document is not UTF-8".into()))?;
        Ok(match serde_json::from_str(&raw) {
            Ok(value) => Document::Read { value, raw },
            Err(error) => Document::Unreadable {
                raw,
                reason: error.to_string(),
            },
        })
    }

    /// The body of a successful GET, or what went wrong (counted, when metrics are on).
    async fn get(
        &self,
        path: &'static str,
        query: &[(&str, String)],
        token: &SecretString,
    ) -> Result<Vec<u8>, OuraError> {
        let endpoint = path.rsplit('/').next().unwrap_or(path);
        self.get_path(path, endpoint, query, token).await
    }

    /// A GET of `path` below the API base, counted under `endpoint`.
    async fn get_path(
        &self,
        path: &str,
        endpoint: &str,
        query: &[(&str, String)],
        token: &SecretString,
    ) -> Result<Vec<u8>, OuraError> {
        let result = self.get_uncounted(path, query, token).await;
        if let Some(metrics) = &self.metrics {
            metrics.count_oura_request(endpoint, result.as_ref().map(drop));
        }
        result
    }

    async fn get_uncounted(
        &self,
        path: &str,
        query: &[(&str, String)],
        token: &SecretString,
    ) -> Result<Vec<u8>, OuraError> {
        let url = self
            .base_url
            .join(path)
            .map_err(|e| OuraError::Malformed(format!("bad API URL: {e}")))?;
        let response = self
            .http
            .get(url)
            .query(query)
            .bearer_auth(token.expose_secret())
            .header(reqwest::header::ACCEPT, "application/json")
            .send()
            .await?;
        let status = response.status();
        match status {
            s if s.is_success() => {
                match super::read_capped(response, super::MAX_API_BODY_BYTES).await {
                    Ok(body) => Ok(body),
                    Err(super::BodyError::Transport(error)) => Err(error.into()),
                    Err(error @ super::BodyError::TooLarge(_)) => {
                        Err(OuraError::Malformed(error.to_string()))
                    }
                }
            }
            StatusCode::UNAUTHORIZED => Err(OuraError::Unauthorized),
            StatusCode::FORBIDDEN => Err(OuraError::Forbidden {
                membership: mentions_membership(response).await,
            }),
            StatusCode::UPGRADE_REQUIRED => Err(OuraError::AppTooOld),
            StatusCode::NOT_FOUND => Err(OuraError::NotFound),
            // Oura (or a proxy before it) gave up waiting for the request: it may be sent
            // again (RFC 9110 15.5.9), like any other timeout. Seen on a loaded machine.
            StatusCode::REQUEST_TIMEOUT => Err(OuraError::Timeout),
            StatusCode::TOO_MANY_REQUESTS => Err(OuraError::RateLimited {
                retry_after: retry_after(&response).unwrap_or(DEFAULT_RETRY_AFTER),
            }),
            s if s.is_server_error() => Err(OuraError::ServerError {
                status: status.as_u16(),
                retry_after: retry_after(&response),
            }),
            other => Err(OuraError::UnexpectedStatus(other.as_u16())),
        }
    }
}

/// Whether `id` can be an Oura document (or subscription) id: 1 to 128 of `A-Z a-z 0-9 - _`
/// (nothing that could change the path or add a query).
pub(crate) fn is_document_id(id: &str) -> bool {
    (1..=128).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// Whether a 403's problem document (`title`, `detail`) speaks of the membership. Read
/// leniently: a body that is not the document Oura describes counts as a scope refusal.
async fn mentions_membership(response: reqwest::Response) -> bool {
    const MAX_ERROR_BODY_BYTES: usize = 16 * 1024;
    match super::read_capped(response, MAX_ERROR_BODY_BYTES).await {
        Ok(body) => String::from_utf8_lossy(&body)
            .to_ascii_lowercase()
            .contains("membership"),
        Err(_) => false,
    }
}

/// `Retry-After` in seconds or as an HTTP date (RFC 9110 10.2.3), capped.
fn retry_after(response: &reqwest::Response) -> Option<Duration> {
    let value = response.headers().get(RETRY_AFTER)?.to_str().ok()?.trim();
    let wait = match value.parse::<u64>() {
        Ok(seconds) => Duration::from_secs(seconds),
        Err(_) => httpdate::parse_http_date(value)
            .ok()?
            .duration_since(SystemTime::now())
            .unwrap_or_default(),
    };
    Some(wait.clamp(Duration::from_secs(1), MAX_RETRY_AFTER))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_document_ids_go_into_a_url() {
        assert!(is_document_id("00a71e9e-0e7a-fa9c-1090-17b27ca76cab"));
        assert!(is_document_id("abc_DEF-123"));
        for id in [
            "",
            "../personal_info",
            "a/b",
            "a?start_date=2020-01-01",
            "a#b",
            "%2e%2e",
            "a\r\nHost: evil",
            "a b",
            &"x".repeat(129),
        ] {
            assert!(!is_document_id(id), "{id:?}");
        }
    }

    #[test]
    fn webhook_data_types_name_the_collections_kept() {
        assert_eq!(
            Collection::from_webhook_data_type("vo2_max"),
            Some(Collection::Vo2Max)
        );
        assert_eq!(
            Collection::from_webhook_data_type("tag"),
            Some(Collection::Tags)
        );
        assert_eq!(
            Collection::from_webhook_data_type("sleep"),
            Some(Collection::SleepPeriods)
        );
        assert_eq!(Collection::from_webhook_data_type("meal"), None);
    }

    #[test]
    fn passing_failures_are_transient_and_refusals_are_not() {
        for transient in [
            OuraError::Unreachable("connection refused".into()),
            OuraError::Timeout,
            OuraError::ServerError {
                status: 500,
                retry_after: None,
            },
            OuraError::RateLimited {
                retry_after: Duration::from_secs(1),
            },
        ] {
            assert!(transient.is_transient(), "{transient}");
        }
        for lasting in [
            OuraError::Unauthorized,
            OuraError::Forbidden { membership: false },
            OuraError::AppTooOld,
            OuraError::NotFound,
            OuraError::Malformed("x".into()),
            OuraError::UnexpectedStatus(422),
        ] {
            assert!(!lasting.is_transient(), "{lasting}");
        }
    }
}
