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
