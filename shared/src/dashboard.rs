use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// One score of a day with what made it up (each contributor 1-100, or `None`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Score {
    /// 1-100; `None` when the ring was not worn enough to score.
    pub score: Option<i64>,
    pub contributors: BTreeMap<String, Option<i64>>,
}

/// A day's scores. A missing score means Oura has no document for that day.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DailyScores {
    /// `YYYY-MM-DD`.
    pub day: String,
    pub sleep: Option<Score>,
    pub readiness: Option<Score>,
    pub activity: Option<Score>,
    pub steps: Option<i64>,
    /// Kilocalories.
    pub active_calories: Option<i64>,
}

/// How one score stands: the latest, this week against last week, and the 90-day baseline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ScoreSummary {
    pub latest: Option<i64>,
    /// The day of `latest`.
    pub latest_day: Option<String>,
    /// Mean over the last 7 days (today included).
    pub last_7_days: Option<f64>,
    /// Mean over the 7 days before those.
    pub previous_7_days: Option<f64>,
    /// Mean over the last 90 days.
    pub baseline_90_days: Option<f64>,
    /// How many days the 90-day baseline rests on.
    pub baseline_days: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Summary {
    /// `YYYY-MM-DD` (UTC) that the windows end on.
    pub today: String,
    pub sleep: ScoreSummary,
    pub readiness: ScoreSummary,
    pub activity: ScoreSummary,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum SyncState {
    /// No sync has run yet.
    Never,
    Running,
    Idle,
    Failed,
}

/// Where syncing the person's Oura data stands.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SyncStatus {
    pub state: SyncState,
    /// Date windows done and planned, for a progress bar.
    pub windows_done: i64,
    pub windows_total: i64,
    /// RFC 3339 (UTC) of the last sync that finished well.
    pub last_synced_at: Option<String>,
    /// Why the last sync failed, when it did.
    pub error: Option<String>,
}

/// One sleep period: the night, or a nap.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SleepPeriod {
    pub id: String,
    /// `long_sleep` (the night), `sleep`, `late_nap` or `rest`.
    pub kind: Option<String>,
    /// Local date-times as Oura gives them (RFC 3339 with offset).
    pub bedtime_start: String,
    pub bedtime_end: String,
    pub total_sleep_seconds: Option<i64>,
    /// Percent of the time in bed spent asleep.
    pub efficiency: Option<i64>,
    /// Milliseconds (RMSSD).
    pub average_hrv: Option<i64>,
    /// Beats per minute.
    pub lowest_heart_rate: Option<i64>,
    /// One character per 5 minutes from bedtime: `1` deep, `2` light, `3` REM, `4` awake.
    pub stages: String,
    /// Beats per minute, one value per 5 minutes (`None` where the ring lost the signal).
    pub heart_rate: Vec<Option<f64>>,
    /// Milliseconds, one value per 5 minutes.
    pub hrv: Vec<Option<f64>>,
}

/// The sleep periods filed under one day (the morning one wakes up).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Night {
    pub day: String,
    pub periods: Vec<SleepPeriod>,
}

/// One computed observation about the person's data, with what it rests on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Insight {
    /// Stable identifier (`activity_and_sleep`, `weekday_sleep`, `bedtime_and_readiness`).
    pub id: String,
    pub title: String,
    /// A sentence with the numbers, or why there is not enough data yet.
    pub finding: String,
    /// How many days (or nights) the finding rests on.
    pub sample_size: u32,
    /// False when there is too little data to say anything.
    pub conclusive: bool,
}

/// One heart-rate reading.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HeartRatePoint {
    /// RFC 3339, UTC.
    pub at: String,
    /// Beats per minute.
    pub bpm: i64,
    /// `awake`, `sleep`, `rest`, `workout`, `live` or `session`.
    pub source: String,
}

/// Heart rate over a span of time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HeartRateSeries {
    pub start: String,
    pub end: String,
    pub points: Vec<HeartRatePoint>,
}
