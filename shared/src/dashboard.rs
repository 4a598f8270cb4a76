use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};

/// One score of a day with what made it up (each contributor 1-100, or `None`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Score {
    /// 1-100; `None` when the ring was not worn enough to score.
    pub score: Option<i64>,
    /// What made the score up, by Oura's name for each part.
    pub contributors: BTreeMap<String, Option<i64>>,
}

/// A day's scores. A missing score means Oura has no document for that day.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DailyScores {
    /// The day (`YYYY-MM-DD` on the wire).
    #[serde(with = "crate::wire::day")]
    pub day: Date,
    /// The sleep score of the night that ended this morning.
    pub sleep: Option<Score>,
    /// The readiness score.
    pub readiness: Option<Score>,
    /// The activity score.
    pub activity: Option<Score>,
    /// Steps taken that day.
    pub steps: Option<i64>,
    /// Kilocalories.
    pub active_calories: Option<i64>,
    /// Time in high stress and high recovery (`daily_stress`).
    pub stress: Option<StressDay>,
    /// Blood oxygen through the night that ended this morning (`daily_spo2`).
    pub spo2: Option<Spo2Day>,
    /// The long-term resilience level (`daily_resilience`).
    pub resilience: Option<ResilienceDay>,
    /// Body temperature against the person's baseline (from `daily_readiness`).
    pub temperature: Option<TemperatureDay>,
    /// VO2 max, ml/kg/min, on the days Oura estimated it (`vO2_max`).
    pub vo2_max: Option<f64>,
    /// Vascular age and pulse wave velocity (`daily_cardiovascular_age`).
    pub cardiovascular: Option<CardiovascularDay>,
    /// The optimal bedtime window for the evening (`sleep_time`).
    pub bedtime: Option<BedtimeDay>,
}

impl DailyScores {
    /// A day with nothing known yet.
    pub fn empty(day: Date) -> Self {
        Self {
            day,
            sleep: None,
            readiness: None,
            activity: None,
            steps: None,
            active_calories: None,
            stress: None,
            spo2: None,
            resilience: None,
            temperature: None,
            vo2_max: None,
            cardiovascular: None,
            bedtime: None,
        }
    }
}

/// A day's stress: Oura measures it while you are awake, from heart rate, HRV and temperature.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StressDay {
    /// Seconds in the high-stress zone.
    pub stress_high_seconds: Option<i64>,
    /// Seconds in the high-recovery zone.
    pub recovery_high_seconds: Option<i64>,
    /// `restored`, `normal` or `stressful` (or a value Oura adds later).
    pub day_summary: Option<String>,
}

/// A night's blood oxygen.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Spo2Day {
    /// Average SpO2, percent.
    pub average_percent: Option<f64>,
    /// Breathing disturbance index (0-100; lower is better).
    pub breathing_disturbance_index: Option<i64>,
}

/// A day's resilience: how well the body copes with stress over time.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ResilienceDay {
    /// `limited`, `adequate`, `solid`, `strong` or `exceptional` (or a value Oura adds later).
    pub level: Option<String>,
    /// Sleep recovery, daytime recovery and stress, each 0-100.
    pub contributors: BTreeMap<String, Option<i64>>,
}

/// A night's body temperature against the person's baseline: a rise of half a degree or more
/// is an early sign of illness people look for.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TemperatureDay {
    /// °C above (or below) the baseline.
    pub deviation: Option<f64>,
    /// The three-day trend of the deviation, °C.
    pub trend_deviation: Option<f64>,
}

/// A day's cardiovascular age.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CardiovascularDay {
    /// Predicted vascular age, years.
    pub vascular_age: Option<i64>,
    /// Pulse wave velocity, m/s.
    pub pulse_wave_velocity: Option<f64>,
}

/// The bedtime Oura suggests for a day's evening.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BedtimeDay {
    /// The window's start, seconds from the day's midnight in the person's local time
    /// (negative: the evening before midnight, -3600 is 23:00).
    pub window_start_seconds: Option<i64>,
    /// The window's end, likewise.
    pub window_end_seconds: Option<i64>,
    /// The person's UTC offset that day, seconds east.
    pub utc_offset_seconds: Option<i64>,
    /// Oura's advice: `follow_optimal_bedtime`, `earlier_bedtime`, `later_bedtime`,
    /// `improve_efficiency`, ... (or a value Oura adds later).
    pub recommendation: Option<String>,
    /// `optimal_found`, or why there is no window yet (`not_enough_nights`,
    /// `not_enough_recent_nights`, `bad_sleep_quality`, ...).
    pub status: Option<String>,
}

/// Seconds from a day's midnight, as Oura gives the bedtime window (negative: the evening
/// before), as a clock time `HH:MM`.
pub fn clock_of_offset(seconds: i64) -> String {
    let minutes = seconds.div_euclid(60).rem_euclid(24 * 60);
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

/// `GET /api/daily?compact=true`: the same days as columns, without the contributors: one
/// array per measure, each aligned with `days` (about 40 bytes a day instead of 600).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DailyColumns {
    /// The days with data, oldest first (`YYYY-MM-DD` on the wire).
    #[serde(with = "crate::wire::day::vec")]
    pub days: Vec<Date>,
    /// Sleep scores.
    pub sleep: Vec<Option<i64>>,
    /// Readiness scores.
    pub readiness: Vec<Option<i64>>,
    /// Activity scores.
    pub activity: Vec<Option<i64>>,
    /// Steps.
    pub steps: Vec<Option<i64>>,
    /// Kilocalories.
    pub active_calories: Vec<Option<i64>>,
    /// Body temperature deviation, °C.
    pub temperature_deviation: Vec<Option<f64>>,
    /// Oura's three-day trend of the body temperature deviation, °C.
    pub temperature_trend_deviation: Vec<Option<f64>>,
}

impl DailyColumns {
    /// The columns of `days`.
    pub fn from_rows(days: &[DailyScores]) -> Self {
        let score = |score: Option<&Score>| score.and_then(|s| s.score);
        Self {
            days: days.iter().map(|d| d.day).collect(),
            sleep: days.iter().map(|d| score(d.sleep.as_ref())).collect(),
            readiness: days.iter().map(|d| score(d.readiness.as_ref())).collect(),
            activity: days.iter().map(|d| score(d.activity.as_ref())).collect(),
            steps: days.iter().map(|d| d.steps).collect(),
            active_calories: days.iter().map(|d| d.active_calories).collect(),
            temperature_deviation: days
                .iter()
                .map(|d| d.temperature.as_ref().and_then(|t| t.deviation))
                .collect(),
            temperature_trend_deviation: days
                .iter()
                .map(|d| d.temperature.as_ref().and_then(|t| t.trend_deviation))
                .collect(),
        }
    }
}

/// How one score stands: the latest, this week against last week, and the 90-day baseline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ScoreSummary {
    /// The most recent score.
    pub latest: Option<i64>,
    /// The day of `latest`.
    #[serde(default, with = "crate::wire::day::option")]
    pub latest_day: Option<Date>,
    /// Mean over the last 7 days (today included).
    pub last_7_days: Option<f64>,
    /// Mean over the 7 days before those.
    pub previous_7_days: Option<f64>,
    /// Mean over the last 90 days.
    pub baseline_90_days: Option<f64>,
    /// How many days the 90-day baseline rests on.
    pub baseline_days: u32,
}

/// The three scores at a glance: `GET /api/summary`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Summary {
    /// The day (UTC) that the windows end on.
    #[serde(with = "crate::wire::day")]
    pub today: Date,
    /// Sleep scores.
    pub sleep: ScoreSummary,
    /// Readiness scores.
    pub readiness: ScoreSummary,
    /// Activity scores.
    pub activity: ScoreSummary,
    /// Days in rest mode among the last 90: left out of the baselines.
    pub rest_mode_days: u32,
}

/// Where a person's sync stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum SyncState {
    /// No sync has run yet.
    Never,
    /// A sync is under way.
    Running,
    /// The last sync finished well.
    Idle,
    /// The last sync failed (see `error`).
    Failed,
    /// The last sync stopped without finishing (its server was stopped or died); the next
    /// one resumes where it stopped.
    Interrupted,
}

impl SyncState {
    /// The name used on the wire and in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Never => "never",
            Self::Running => "running",
            Self::Idle => "idle",
            Self::Failed => "failed",
            Self::Interrupted => "interrupted",
        }
    }
}

impl std::str::FromStr for SyncState {
    type Err = UnknownValue;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        [
            Self::Never,
            Self::Running,
            Self::Idle,
            Self::Failed,
            Self::Interrupted,
        ]
        .into_iter()
        .find(|state| state.as_str() == text)
        .ok_or_else(|| UnknownValue(text.to_owned()))
    }
}

/// A name that none of an enum's values has.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownValue(pub String);

impl std::fmt::Display for UnknownValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "unknown value {:?}", self.0)
    }
}

impl std::error::Error for UnknownValue {}

/// Where syncing the person's Oura data stands.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SyncStatus {
    /// Running, finished, failed, or never run.
    pub state: SyncState,
    /// Date windows done, for a progress bar.
    pub windows_done: i64,
    /// Date windows planned.
    pub windows_total: i64,
    /// When the last sync that finished well ended (RFC 3339, UTC).
    #[serde(default, with = "crate::wire::rfc3339::option")]
    pub last_synced_at: Option<OffsetDateTime>,
    /// Why the last sync failed, when it did, or what a successful one left out.
    pub error: Option<String>,
    /// Documents the last sync could not read: set aside whole, listed by `GET /api/sync/health`.
    #[serde(default)]
    pub unreadable_documents: u32,
    /// About when the next scheduled sync runs (RFC 3339, UTC); none when syncs are not
    /// scheduled.
    #[serde(default, with = "crate::wire::rfc3339::option")]
    pub next_sync_at: Option<OffsetDateTime>,
    /// Changes whenever the person's data in the warehouse changes (a sync's page, a document
    /// a webhook brought): a client that sees it change reloads what it shows.
    #[serde(default)]
    pub data_version: u64,
}

/// How each collection's sync stands, and the documents set aside: `GET /api/sync/health`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SyncHealth {
    /// When the background sync runs for this person next (RFC 3339, UTC); `None` when it is
    /// switched off.
    #[serde(default, with = "crate::wire::rfc3339::option")]
    pub next_sync_at: Option<OffsetDateTime>,
    /// One entry per collection, in the order they sync.
    pub collections: Vec<CollectionHealth>,
    /// Documents Oura sent that the app could not read, newest first (at most 100).
    pub set_aside: Vec<SetAsideDocument>,
}

/// Where one collection's sync stands.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CollectionHealth {
    /// Oura's name of the collection (`daily_sleep`, `heartrate`, ...).
    pub collection: String,
    /// Every day through this one is stored.
    #[serde(default, with = "crate::wire::day::option")]
    pub synced_through: Option<Date>,
    /// When the collection was last attempted (RFC 3339, UTC).
    #[serde(default, with = "crate::wire::rfc3339::option")]
    pub last_attempt_at: Option<OffsetDateTime>,
    /// Why its last attempt failed, when it did.
    pub error: Option<String>,
    /// Why Oura did not share it, when it refused.
    #[serde(default)]
    pub refused: Option<Refusal>,
    /// How news of it reaches the app.
    #[serde(default)]
    pub webhook: WebhookState,
    /// When Oura last announced a change to it, for anyone using the app (RFC 3339, UTC).
    #[serde(default, with = "crate::wire::rfc3339::option")]
    pub last_event_at: Option<OffsetDateTime>,
}

/// How news of a collection reaches the app.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum WebhookState {
    /// Webhooks are not set up: it is polled.
    #[default]
    Off,
    /// Oura offers no webhook for it (heart rate, battery): it is polled.
    NotOffered,
    /// Subscribed; no event yet.
    Waiting,
    /// Oura's events arrive; the background sync only reconciles.
    Live,
    /// No event for too long, for a data type Oura writes every day: it is polled again
    /// until events arrive.
    Silent,
}

impl WebhookState {
    /// Every state, for reading a name back.
    pub const ALL: [Self; 5] = [
        Self::Off,
        Self::NotOffered,
        Self::Waiting,
        Self::Live,
        Self::Silent,
    ];

    /// The name used on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Off => "off",
            Self::NotOffered => "not_offered",
            Self::Waiting => "waiting",
            Self::Live => "live",
            Self::Silent => "silent",
        }
    }

    /// The state called `name` on the wire.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|state| state.as_str() == name)
    }
}

/// Why Oura refused to share a collection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Refusal {
    /// Its permission was not granted on Oura's consent page (signing in again can ask).
    NotGranted,
    /// Oura shares it only with an active membership (Gen3 and later rings).
    MembershipRequired,
    /// The person's Oura app is too old to share it (Oura answered 426).
    AppTooOld,
}

impl Refusal {
    /// The name used on the wire and in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::NotGranted => "not_granted",
            Self::MembershipRequired => "membership_required",
            Self::AppTooOld => "app_too_old",
        }
    }

    /// The refusal called `name`, if there is one.
    pub fn from_name(name: &str) -> Option<Self> {
        [Self::NotGranted, Self::MembershipRequired, Self::AppTooOld]
            .into_iter()
            .find(|r| r.as_str() == name)
    }
}

/// A document the app could not read, kept whole.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SetAsideDocument {
    /// Oura's name of its collection.
    pub collection: String,
    /// What was wrong with it.
    pub reason: String,
    /// When it was set aside (RFC 3339, UTC).
    #[serde(with = "crate::wire::rfc3339")]
    pub set_aside_at: OffsetDateTime,
    /// The document as Oura sent it (JSON text).
    pub document: String,
}

/// One sleep period: the night, or a nap.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SleepPeriod {
    /// Oura's id of the period.
    pub id: String,
    /// The night, a nap, or a rest.
    pub kind: SleepKind,
    /// When the person went to bed, in their local time (RFC 3339 with its offset).
    #[serde(with = "crate::wire::rfc3339")]
    pub bedtime_start: OffsetDateTime,
    /// When the person got up, in their local time.
    #[serde(with = "crate::wire::rfc3339")]
    pub bedtime_end: OffsetDateTime,
    /// Seconds asleep.
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

/// What kind of sleep a period was, in Oura's words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum SleepKind {
    /// The main sleep, long enough (over 3 hours) to count towards the day's scores.
    LongSleep,
    /// A confirmed nap (15 minutes to 3 hours).
    Sleep,
    /// A nap that ended after 6 pm: it counts towards the next day.
    LateNap,
    /// Detected, and rejected by the person as not sleep.
    Rest,
    /// Deleted by the person.
    Deleted,
    /// A kind Oura added after this app was written.
    #[serde(other)]
    Unknown,
}

impl SleepKind {
    /// Oura's name (also the database's).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::LongSleep => "long_sleep",
            Self::Sleep => "sleep",
            Self::LateNap => "late_nap",
            Self::Rest => "rest",
            Self::Deleted => "deleted",
            Self::Unknown => "unknown",
        }
    }

    /// The kind Oura calls `name`; [`Self::Unknown`] for a name it added later.
    pub fn from_name(name: &str) -> Self {
        [
            Self::LongSleep,
            Self::Sleep,
            Self::LateNap,
            Self::Rest,
            Self::Deleted,
        ]
        .into_iter()
        .find(|kind| kind.as_str() == name)
        .unwrap_or(Self::Unknown)
    }
}

/// The sleep periods filed under one day (the morning one wakes up).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Night {
    /// The morning the night ended.
    #[serde(with = "crate::wire::day")]
    pub day: Date,
    /// Earliest first.
    pub periods: Vec<SleepPeriod>,
}

/// One computed observation about the person's data, with what it rests on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Insight {
    /// Stable identifier (`activity_and_sleep`, `weekday_sleep`, `bedtime_and_readiness`).
    pub id: String,
    /// A heading.
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
    /// When it was measured (RFC 3339, UTC).
    #[serde(with = "crate::wire::rfc3339")]
    pub at: OffsetDateTime,
    /// Beats per minute.
    pub bpm: i64,
    /// `awake`, `sleep`, `rest`, `workout`, `live` or `session`.
    pub source: String,
}

/// Heart rate over a span of time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HeartRateSeries {
    /// The span asked for: its start (RFC 3339)...
    #[serde(with = "crate::wire::rfc3339")]
    pub start: OffsetDateTime,
    /// ...and its end, exclusive.
    #[serde(with = "crate::wire::rfc3339")]
    pub end: OffsetDateTime,
    /// The readings, oldest first.
    pub points: Vec<HeartRatePoint>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn webhook_states_are_named_as_serde_writes_them() {
        for state in WebhookState::ALL {
            assert_eq!(serde_json::to_value(state).unwrap(), state.as_str());
            assert_eq!(WebhookState::from_name(state.as_str()), Some(state));
        }
        assert_eq!(WebhookState::from_name("Live"), None);
    }

    #[test]
    fn an_offset_from_midnight_reads_as_a_clock_time() {
        assert_eq!(clock_of_offset(-5400), "22:30");
        assert_eq!(clock_of_offset(900), "00:15");
        assert_eq!(clock_of_offset(-30), "23:59");
    }
}
