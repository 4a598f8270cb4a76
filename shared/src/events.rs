//! `GET /api/events`: what happened at a time rather than once a day.

use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};

/// The workouts, sessions and tags that began in a range of days, and the rest-mode periods
/// that overlap it, each list earliest first.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Events {
    /// Workouts (`workout`).
    pub workouts: Vec<Workout>,
    /// Meditation, breathing and other sessions (`session`).
    pub sessions: Vec<Session>,
    /// The person's tags (`enhanced_tag`).
    pub tags: Vec<Tag>,
    /// Days in rest mode (`rest_mode_period`).
    pub rest_mode: Vec<RestModePeriod>,
}

/// A workout.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Workout {
    /// Oura's id.
    pub id: String,
    /// The day (`YYYY-MM-DD`).
    #[serde(with = "crate::wire::day")]
    pub day: Date,
    /// Start, in the person's local time with its UTC offset.
    #[serde(default, with = "crate::wire::rfc3339::option")]
    pub start: Option<OffsetDateTime>,
    /// End, likewise.
    #[serde(default, with = "crate::wire::rfc3339::option")]
    pub end: Option<OffsetDateTime>,
    /// `walking`, `running`, `cycling`, ... (Oura's list grows).
    pub activity: Option<String>,
    /// `easy`, `moderate` or `hard`.
    pub intensity: Option<String>,
    /// `manual`, `autodetected`, `confirmed` or `workout_heart_rate`.
    pub source: Option<String>,
    /// The person's own label.
    pub label: Option<String>,
    /// Kilocalories.
    pub calories: Option<f64>,
    /// Meters.
    pub distance_meters: Option<f64>,
}

/// A session in the Oura app.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Session {
    /// Oura's id.
    pub id: String,
    /// The day.
    #[serde(with = "crate::wire::day")]
    pub day: Date,
    /// Start, local time.
    #[serde(default, with = "crate::wire::rfc3339::option")]
    pub start: Option<OffsetDateTime>,
    /// End, local time.
    #[serde(default, with = "crate::wire::rfc3339::option")]
    pub end: Option<OffsetDateTime>,
    /// `breathing`, `meditation`, `nap`, `relaxation`, `rest`, `body_status`, ...
    pub kind: Option<String>,
    /// `bad`, `worse`, `same`, `good` or `great`.
    pub mood: Option<String>,
    /// The mean of its heart-rate samples, bpm.
    pub average_heart_rate: Option<f64>,
    /// The lowest of them, bpm.
    pub lowest_heart_rate: Option<f64>,
    /// The mean of its HRV samples, ms.
    pub average_hrv: Option<f64>,
}

/// A tag.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Tag {
    /// Oura's id.
    pub id: String,
    /// The day of the tag, or the day it began.
    #[serde(with = "crate::wire::day")]
    pub day: Date,
    /// The day it ended, for a tag with a duration.
    #[serde(default, with = "crate::wire::day::option")]
    pub end_day: Option<Date>,
    /// When, local time.
    #[serde(default, with = "crate::wire::rfc3339::option")]
    pub start: Option<OffsetDateTime>,
    /// The end, for a tag with a duration.
    #[serde(default, with = "crate::wire::rfc3339::option")]
    pub end: Option<OffsetDateTime>,
    /// Oura's code (`tag_generic_alcohol`, ...), `custom`, or none for a text-only tag.
    pub code: Option<String>,
    /// What to call it: the custom name, or the code in words (`Alcohol`).
    pub name: String,
    /// The person's comment.
    pub comment: Option<String>,
}

/// Days in rest mode.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RestModePeriod {
    /// Oura's id.
    pub id: String,
    /// The first day.
    #[serde(with = "crate::wire::day")]
    pub start_day: Date,
    /// The last day; none while rest mode is on.
    #[serde(default, with = "crate::wire::day::option")]
    pub end_day: Option<Date>,
}

impl Events {
    /// Whether `day` is in one of the rest-mode periods (an open one lasts through `today`).
    pub fn in_rest_mode(&self, day: Date, today: Date) -> bool {
        self.rest_mode
            .iter()
            .any(|period| period.start_day <= day && day <= period.end_day.unwrap_or(today))
    }
}
