//! Oura's v2 data API. Paths come from a fixed list, tokens go only in the `Authorization`
//! header, and every answer is checked against the shape Oura documents.

use std::time::{Duration, SystemTime};

use reqwest::StatusCode;
use reqwest::header::RETRY_AFTER;
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use url::Url;

/// How long to ask callers to wait when Oura is unavailable without saying for how long.
const DEFAULT_RETRY_AFTER: Duration = Duration::from_secs(30);
/// Longest wait passed on from Oura's `Retry-After`.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(300);

/// `GET /v2/usercollection/personal_info`, as Oura's OpenAPI document describes it.
#[derive(Debug, Clone, Deserialize)]
pub struct PersonalInfo {
    pub id: String,
    pub age: Option<u32>,
    /// Kilograms.
    pub weight: Option<f64>,
    /// Metres.
    pub height: Option<f64>,
    pub biological_sex: Option<String>,
    pub email: Option<String>,
}

impl From<PersonalInfo> for shared::Profile {
    fn from(info: PersonalInfo) -> Self {
        Self {
            id: info.id,
            email: info.email,
            age_years: info.age,
            weight_kg: info.weight,
            height_m: info.height,
            biological_sex: info.biological_sex,
        }
    }
}

/// The date-range collections the dashboard keeps. Their paths come from here only: nothing
/// a request sends ever becomes part of an Oura URL.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Collection {
    Sleep,
    Readiness,
    Activity,
    /// The sleep periods themselves (`sleep`): stages, heart rate, HRV.
    SleepPeriods,
    /// `heartrate`, a time series queried by date-time, at most 30 days a request.
    HeartRate,
}

impl Collection {
    pub const ALL: [Self; 5] = [
        Self::Sleep,
        Self::Readiness,
        Self::Activity,
        Self::SleepPeriods,
        Self::HeartRate,
    ];

    /// The most days one request may cover (heart rate: 30, as Oura enforces).
    pub fn max_window_days(self) -> Option<i64> {
        (self == Self::HeartRate).then_some(30)
    }

    /// Oura's name, also the warehouse's.
    pub fn name(self) -> &'static str {
        match self {
            Self::Sleep => "daily_sleep",
            Self::Readiness => "daily_readiness",
            Self::Activity => "daily_activity",
            Self::SleepPeriods => "sleep",
            Self::HeartRate => "heartrate",
        }
    }

    fn path(self) -> &'static str {
        match self {
            Self::Sleep => "v2/usercollection/daily_sleep",
            Self::Readiness => "v2/usercollection/daily_readiness",
            Self::Activity => "v2/usercollection/daily_activity",
            Self::SleepPeriods => "v2/usercollection/sleep",
            Self::HeartRate => "v2/usercollection/heartrate",
        }
    }

    /// Observed in 2026: `end_date` is inclusive for sleep and readiness, exclusive for activity
    /// (`sleep` is taken to be like `daily_sleep`; nobody has reported otherwise).
    pub fn end_is_inclusive(self) -> bool {
        !matches!(self, Self::Activity)
    }
}

/// Which page to read.
#[derive(Debug, Clone)]
pub enum PageRequest {
    /// The first page of the days `first..=last`.
    Window { first: time::Date, last: time::Date },
    /// The page after the one that gave this `next_token`.
    Next(String),
}

/// One page of a multi-document response.
#[derive(Debug, Deserialize)]
pub struct Page {
    pub data: Vec<serde_json::Value>,
    pub next_token: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum OuraError {
    #[error("Oura refused the access token")]
    Unauthorized,
    #[error("Oura refused access (missing scope or expired membership)")]
    Forbidden,
    #[error("Oura is rate limiting; retry after {retry_after:?}")]
    RateLimited { retry_after: Duration },
    #[error("Oura answered {status}")]
    Unavailable { status: u16, retry_after: Duration },
    #[error("Oura did not answer in time")]
    Timeout,
    #[error("could not reach Oura: {0}")]
    Unreachable(String),
    #[error("Oura answered an unexpected HTTP {0}")]
    UnexpectedStatus(u16),
    #[error("Oura's answer was malformed: {0}")]
    Malformed(String),
}

impl From<reqwest::Error> for OuraError {
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
}

impl OuraApi {
    pub fn new(http: reqwest::Client, base_url: Url) -> Self {
        Self { http, base_url }
    }

    #[tracing::instrument(name = "oura.personal_info", skip_all)]
    pub async fn personal_info(&self, token: &SecretString) -> Result<PersonalInfo, OuraError> {
        self.get("v2/usercollection/personal_info", &[], token)
            .await
    }

    /// One page of a daily collection: the first of a window, or the one `next_token` names.
    #[tracing::instrument(name = "oura.daily_page", skip(self, token), fields(collection = collection.name()))]
    pub async fn daily_page(
        &self,
        collection: Collection,
        token: &SecretString,
        request: &PageRequest,
    ) -> Result<Page, OuraError> {
        let query = match request {
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
        self.get(collection.path(), &query, token).await
    }

    async fn get<T: DeserializeOwned>(
        &self,
        path: &'static str,
        query: &[(&str, String)],
        token: &SecretString,
    ) -> Result<T, OuraError> {
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
                let bytes = response.bytes().await?;
                serde_json::from_slice(&bytes).map_err(|e| OuraError::Malformed(e.to_string()))
            }
            StatusCode::UNAUTHORIZED => Err(OuraError::Unauthorized),
            StatusCode::FORBIDDEN => Err(OuraError::Forbidden),
            StatusCode::TOO_MANY_REQUESTS => Err(OuraError::RateLimited {
                retry_after: retry_after(&response).unwrap_or(DEFAULT_RETRY_AFTER),
            }),
            StatusCode::BAD_GATEWAY
            | StatusCode::SERVICE_UNAVAILABLE
            | StatusCode::GATEWAY_TIMEOUT => Err(OuraError::Unavailable {
                status: status.as_u16(),
                retry_after: retry_after(&response).unwrap_or(DEFAULT_RETRY_AFTER),
            }),
            other => Err(OuraError::UnexpectedStatus(other.as_u16())),
        }
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
