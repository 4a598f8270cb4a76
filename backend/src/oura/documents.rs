//! Oura's documents, typed. Each struct asks only for the fields the app uses and tolerates
//! what real answers do that the spec does not promise: absent fields, nulls, floats where an
//! integer is documented, unknown fields and enum values. The raw document travels beside the
//! typed one (see [`super::Document`]) so nothing is lost for what the app does not read yet.

use std::collections::BTreeMap;

use serde::{Deserialize, Deserializer};
use shared::SleepKind;
use time::{Date, OffsetDateTime};

use super::OuraError;

/// Integers as Oura sends them: now and then as floats (`83.0`), or null.
mod lenient {
    use serde::{Deserialize, Deserializer};

    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Number {
        Integer(i64),
        Float(f64),
    }

    /// A whole number, rounded from a float if need be; null, or a float that is not finite,
    /// reads as absent.
    pub fn int<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<i64>, D::Error> {
        Ok(match Option::<Number>::deserialize(deserializer)? {
            Some(Number::Integer(value)) => Some(value),
            // Saturating: `as` maps out-of-range floats to the nearest i64.
            Some(Number::Float(value)) if value.is_finite() => Some(value.round() as i64),
            Some(Number::Float(_)) | None => None,
        })
    }

    /// A date-time (RFC 3339) that does not parse reads as absent: the rest of the document
    /// is still of use.
    pub fn time<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<time::OffsetDateTime>, D::Error> {
        let text = Option::<String>::deserialize(deserializer)?;
        Ok(text.and_then(|t| {
            time::OffsetDateTime::parse(&t, &time::format_description::well_known::Rfc3339).ok()
        }))
    }

    /// An integer that a map holds (a score's contributors).
    #[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
    pub struct Int(pub Option<i64>);

    impl<'de> Deserialize<'de> for Int {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            int(deserializer).map(Self)
        }
    }
}

/// A score's contributors, each 1-100 or absent.
fn contributors<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<BTreeMap<String, Option<i64>>, D::Error> {
    let map = Option::<BTreeMap<String, lenient::Int>>::deserialize(deserializer)?;
    Ok(map
        .unwrap_or_default()
        .into_iter()
        .map(|(name, value)| (name, value.0))
        .collect())
}

/// What every daily score document has: the day, the score, and what made it up.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct DailyScore {
    /// Oura's id (absent in some older records).
    #[serde(default)]
    pub id: Option<String>,
    /// The day the document belongs to.
    pub day: Date,
    /// 1-100; absent when the ring was not worn enough.
    #[serde(default, deserialize_with = "lenient::int")]
    pub score: Option<i64>,
    /// What made the score up.
    #[serde(default, deserialize_with = "contributors")]
    pub contributors: BTreeMap<String, Option<i64>>,
}

/// `daily_sleep`: the night's sleep score, filed under the morning.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(transparent)]
pub struct DailySleep(pub DailyScore);

/// `daily_readiness`: how ready the body is for the day, and the body temperature behind it.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct DailyReadiness {
    /// The score and its contributors.
    #[serde(flatten)]
    pub score: DailyScore,
    /// Body temperature against the person's baseline, °C.
    #[serde(default)]
    pub temperature_deviation: Option<f64>,
    /// The three-day trend of that deviation, °C.
    #[serde(default)]
    pub temperature_trend_deviation: Option<f64>,
}

/// `daily_activity`: the day's activity score, steps and calories.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct DailyActivity {
    /// The score and its contributors.
    #[serde(flatten)]
    pub score: DailyScore,
    /// Steps taken.
    #[serde(default, deserialize_with = "lenient::int")]
    pub steps: Option<i64>,
    /// Kilocalories burned by activity.
    #[serde(default, deserialize_with = "lenient::int")]
    pub active_calories: Option<i64>,
}

/// `daily_stress`: time spent in high stress and in high recovery, and the day's summary.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct DailyStress {
    /// Oura's id.
    #[serde(default)]
    pub id: Option<String>,
    /// The day.
    pub day: Date,
    /// Seconds in the high-stress zone.
    #[serde(default, deserialize_with = "lenient::int")]
    pub stress_high: Option<i64>,
    /// Seconds in the high-recovery zone.
    #[serde(default, deserialize_with = "lenient::int")]
    pub recovery_high: Option<i64>,
    /// `restored`, `normal`, `stressful`, or a value added later.
    #[serde(default)]
    pub day_summary: Option<String>,
}

/// `vO2_max`: an estimate of cardiorespiratory fitness, made on some days only.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Vo2Max {
    /// Oura's id.
    #[serde(default)]
    pub id: Option<String>,
    /// The day of the estimate.
    pub day: Date,
    /// ml/kg/min (documented as an integer; a float is kept as sent).
    #[serde(default)]
    pub vo2_max: Option<f64>,
}

/// `daily_cardiovascular_age`: the vascular age Oura predicts from the pulse wave.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct DailyCardiovascularAge {
    /// Oura's id.
    #[serde(default)]
    pub id: Option<String>,
    /// The day.
    pub day: Date,
    /// Years, 18-100.
    #[serde(default, deserialize_with = "lenient::int")]
    pub vascular_age: Option<i64>,
    /// Pulse wave velocity, m/s.
    #[serde(default)]
    pub pulse_wave_velocity: Option<f64>,
}

/// The optimal bedtime window of a `sleep_time` document.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct BedtimeWindow {
    /// The person's UTC offset that day, seconds east.
    #[serde(default, deserialize_with = "lenient::int")]
    pub day_tz: Option<i64>,
    /// Seconds from midnight the window starts (negative: the evening before).
    #[serde(default, deserialize_with = "lenient::int")]
    pub start_offset: Option<i64>,
    /// Seconds from midnight the window ends.
    #[serde(default, deserialize_with = "lenient::int")]
    pub end_offset: Option<i64>,
}

/// `sleep_time`: Oura's suggested bedtime for a day, or why it has none yet.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct SleepTime {
    /// Oura's id.
    #[serde(default)]
    pub id: Option<String>,
    /// The day.
    pub day: Date,
    /// The window, once Oura has found one.
    #[serde(default)]
    pub optimal_bedtime: Option<BedtimeWindow>,
    /// `earlier_bedtime`, `follow_optimal_bedtime`, ... or a value added later.
    #[serde(default)]
    pub recommendation: Option<String>,
    /// `optimal_found`, `not_enough_nights`, ... or a value added later.
    #[serde(default)]
    pub status: Option<String>,
}

/// `workout`: a workout the ring detected or the person entered.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Workout {
    /// Oura's id (the warehouse's key for it).
    #[serde(default)]
    pub id: Option<String>,
    /// The day it took place.
    #[serde(default)]
    pub day: Option<Date>,
    /// `walking`, `running`, `cycling`, ... (Oura's list grows).
    #[serde(default)]
    pub activity: Option<String>,
    /// `easy`, `moderate` or `hard`.
    #[serde(default)]
    pub intensity: Option<String>,
    /// `manual`, `autodetected`, `confirmed` or `workout_heart_rate`.
    #[serde(default)]
    pub source: Option<String>,
    /// The person's own label.
    #[serde(default)]
    pub label: Option<String>,
    /// Kilocalories.
    #[serde(default)]
    pub calories: Option<f64>,
    /// Meters.
    #[serde(default)]
    pub distance: Option<f64>,
    /// Start, local time.
    #[serde(default, deserialize_with = "lenient::time")]
    pub start_datetime: Option<OffsetDateTime>,
    /// End, local time.
    #[serde(default, deserialize_with = "lenient::time")]
    pub end_datetime: Option<OffsetDateTime>,
}

/// `session`: a guided or unguided session in the Oura app (meditation, breathing, ...).
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Session {
    /// Oura's id.
    #[serde(default)]
    pub id: Option<String>,
    /// The day.
    #[serde(default)]
    pub day: Option<Date>,
    /// `breathing`, `meditation`, `nap`, `relaxation`, `rest`, `body_status`, ...
    #[serde(default, rename = "type")]
    pub kind: Option<String>,
    /// `bad`, `worse`, `same`, `good` or `great`.
    #[serde(default)]
    pub mood: Option<String>,
    /// Start, local time.
    #[serde(default, deserialize_with = "lenient::time")]
    pub start_datetime: Option<OffsetDateTime>,
    /// End, local time.
    #[serde(default, deserialize_with = "lenient::time")]
    pub end_datetime: Option<OffsetDateTime>,
    /// Heart rate through the session.
    #[serde(default)]
    pub heart_rate: Option<Samples>,
    /// HRV through the session.
    #[serde(default)]
    pub heart_rate_variability: Option<Samples>,
}

/// `enhanced_tag`: a tag the person set (the older `tag` collection is deprecated).
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct EnhancedTag {
    /// Oura's id.
    #[serde(default)]
    pub id: Option<String>,
    /// The day of the tag, or the day it began.
    #[serde(default)]
    pub start_day: Option<Date>,
    /// The day it ended, for a tag with a duration.
    #[serde(default)]
    pub end_day: Option<Date>,
    /// When, local time.
    #[serde(default, deserialize_with = "lenient::time")]
    pub start_time: Option<OffsetDateTime>,
    /// The end, for a tag with a duration.
    #[serde(default, deserialize_with = "lenient::time")]
    pub end_time: Option<OffsetDateTime>,
    /// Oura's code for the tag type (`tag_generic_alcohol`, ...), `custom`, or none for a
    /// text-only tag.
    #[serde(default)]
    pub tag_type_code: Option<String>,
    /// A custom tag's name.
    #[serde(default)]
    pub custom_name: Option<String>,
    /// The person's comment.
    #[serde(default)]
    pub comment: Option<String>,
}

/// `rest_mode_period`: days the person told Oura to go easy (unwell, recovering).
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct RestModePeriod {
    /// Oura's id.
    #[serde(default)]
    pub id: Option<String>,
    /// The first day.
    #[serde(default)]
    pub start_day: Option<Date>,
    /// The last day; none while rest mode is still on.
    #[serde(default)]
    pub end_day: Option<Date>,
    /// When it was turned on.
    #[serde(default, deserialize_with = "lenient::time")]
    pub start_time: Option<OffsetDateTime>,
    /// When it was turned off.
    #[serde(default, deserialize_with = "lenient::time")]
    pub end_time: Option<OffsetDateTime>,
}

/// `ring_configuration`: one ring the person has set up (the list holds every one, ever).
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct RingConfiguration {
    /// Oura's id.
    #[serde(default)]
    pub id: Option<String>,
    /// `gen3`, `gen4`, `or5`, ...
    #[serde(default)]
    pub hardware_type: Option<String>,
    /// The firmware version.
    #[serde(default)]
    pub firmware_version: Option<String>,
    /// `silver`, `stealth_black`, ...
    #[serde(default)]
    pub color: Option<String>,
    /// `heritage`, `horizon`, ...
    #[serde(default)]
    pub design: Option<String>,
    /// US ring size.
    #[serde(default, deserialize_with = "lenient::int")]
    pub size: Option<i64>,
    /// When it was set up, UTC.
    #[serde(default, deserialize_with = "lenient::time")]
    pub set_up_at: Option<OffsetDateTime>,
}

/// `ring_battery_level`: one battery reading.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct BatteryLevel {
    /// When, UTC.
    #[serde(default, deserialize_with = "lenient::time")]
    pub timestamp: Option<OffsetDateTime>,
    /// Percent, 0-100.
    #[serde(default, deserialize_with = "lenient::int")]
    pub level: Option<i64>,
    /// Whether the ring was charging.
    #[serde(default)]
    pub charging: Option<bool>,
    /// Whether the ring was in its charger.
    #[serde(default)]
    pub in_charger: Option<bool>,
}

/// The SpO2 aggregate of a night.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct Spo2Percentage {
    /// Average blood oxygen saturation, percent.
    #[serde(default)]
    pub average: Option<f64>,
}

/// `daily_spo2`: blood oxygen through the night, and how often breathing was disturbed.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct DailySpo2 {
    /// Oura's id.
    #[serde(default)]
    pub id: Option<String>,
    /// The day (the morning the night ended).
    pub day: Date,
    /// The night's average.
    #[serde(default)]
    pub spo2_percentage: Option<Spo2Percentage>,
    /// Breathing disturbance index, 0-100.
    #[serde(default, deserialize_with = "lenient::int")]
    pub breathing_disturbance_index: Option<i64>,
}

/// `daily_resilience`: how well the body copes with stress over the long term.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct DailyResilience {
    /// Oura's id.
    #[serde(default)]
    pub id: Option<String>,
    /// The day.
    pub day: Date,
    /// `limited`, `adequate`, `solid`, `strong`, `exceptional`, or a value added later.
    #[serde(default)]
    pub level: Option<String>,
    /// Sleep recovery, daytime recovery and stress, each 0-100 (floats, rounded here).
    #[serde(default, deserialize_with = "contributors")]
    pub contributors: BTreeMap<String, Option<i64>>,
}

/// A series of samples in a sleep or session document (heart rate, HRV), one per `interval`
/// seconds.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct Samples {
    /// The values; `None` where the ring lost the signal.
    #[serde(default)]
    pub items: Vec<Option<f64>>,
}

/// `sleep`: one sleep period (the night, a nap) with its stages and samples.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct SleepPeriod {
    /// Oura's id: the key, so it is required.
    pub id: String,
    /// The morning the period ended in.
    pub day: Date,
    /// What kind of sleep this was; unknown kinds read as [`SleepKind::Unknown`].
    #[serde(rename = "type", default)]
    pub kind: Option<SleepKind>,
    /// Local time, with the person's UTC offset.
    #[serde(with = "time::serde::rfc3339")]
    pub bedtime_start: OffsetDateTime,
    /// Local time, with the person's UTC offset.
    #[serde(with = "time::serde::rfc3339")]
    pub bedtime_end: OffsetDateTime,
    /// Seconds asleep.
    #[serde(default, deserialize_with = "lenient::int")]
    pub total_sleep_duration: Option<i64>,
    /// Percent of the time in bed spent asleep.
    #[serde(default, deserialize_with = "lenient::int")]
    pub efficiency: Option<i64>,
    /// Milliseconds.
    #[serde(default, deserialize_with = "lenient::int")]
    pub average_hrv: Option<i64>,
    /// Beats per minute.
    #[serde(default, deserialize_with = "lenient::int")]
    pub lowest_heart_rate: Option<i64>,
    /// One character per 5 minutes: `1` deep, `2` light, `3` REM, `4` awake.
    #[serde(default)]
    pub sleep_phase_5_min: Option<String>,
    /// Heart rate through the period.
    #[serde(default)]
    pub heart_rate: Option<Samples>,
    /// HRV through the period.
    #[serde(default)]
    pub hrv: Option<Samples>,
}

impl SleepPeriod {
    /// The hypnogram, if every stage in it is one the app knows; a string with a stage Oura
    /// added later is left out (the raw document keeps it).
    pub fn stages(&self) -> Option<&str> {
        self.sleep_phase_5_min
            .as_deref()
            .filter(|stages| stages.chars().all(|c| ('1'..='4').contains(&c)))
    }
}

/// `heartrate`: one reading.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct HeartRate {
    /// When it was measured: the ISO timestamp, the most basic of the two time fields.
    #[serde(with = "time::serde::rfc3339")]
    pub timestamp: OffsetDateTime,
    /// Beats per minute.
    #[serde(deserialize_with = "lenient::int")]
    pub bpm: Option<i64>,
    /// `awake`, `sleep`, `rest`, `workout`, `live`, `session`, or a source added later.
    #[serde(default)]
    pub source: Option<String>,
}

/// `personal_info`: the profile.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct PersonalInfo {
    /// Oura's stable user id.
    pub id: String,
    /// Whole years.
    #[serde(default, deserialize_with = "lenient::int")]
    pub age: Option<i64>,
    /// Kilograms.
    #[serde(default)]
    pub weight: Option<f64>,
    /// Metres.
    #[serde(default)]
    pub height: Option<f64>,
    /// As Oura reports it.
    #[serde(default)]
    pub biological_sex: Option<String>,
    /// Needs the `email` scope.
    #[serde(default)]
    pub email: Option<String>,
}

impl PersonalInfo {
    /// Reads a profile document, as Oura sent it or as the store kept it.
    pub fn parse(raw: &str) -> Result<Self, OuraError> {
        serde_json::from_str(raw).map_err(|e| OuraError::Malformed(e.to_string()))
    }
}

impl From<PersonalInfo> for shared::Profile {
    fn from(info: PersonalInfo) -> Self {
        Self {
            id: info.id,
            email: info.email,
            age_years: info.age.and_then(|age| u32::try_from(age).ok()),
            weight_kg: info.weight,
            height_m: info.height,
            biological_sex: info.biological_sex,
        }
    }
}

#[cfg(test)]
mod tests {
    use time::macros::{date, datetime};

    use super::*;

    #[test]
    fn stress_spo2_and_resilience_tolerate_nulls_floats_and_new_values() {
        let stress: DailyStress = serde_json::from_str(
            r#"{"day": "2026-01-02", "stress_high": 5400.0, "recovery_high": null,
                "day_summary": "overwhelming", "new": 1}"#,
        )
        .unwrap();
        let spo2: DailySpo2 =
            serde_json::from_str(r#"{"id": "x", "day": "2026-01-02", "spo2_percentage": null}"#)
                .unwrap();
        let resilience: DailyResilience = serde_json::from_str(
            r#"{"day": "2026-01-02", "level": "solid",
                "contributors": {"sleep_recovery": 71.6, "stress": null}}"#,
        )
        .unwrap();

        assert_eq!(stress.stress_high, Some(5400));
        assert_eq!(stress.recovery_high, None);
        assert_eq!(stress.day_summary.as_deref(), Some("overwhelming"));
        assert_eq!(spo2.spo2_percentage, None);
        assert_eq!(spo2.breathing_disturbance_index, None);
        assert_eq!(resilience.level.as_deref(), Some("solid"));
        assert_eq!(resilience.contributors["sleep_recovery"], Some(72));
        assert_eq!(resilience.contributors["stress"], None);
    }

    #[test]
    fn a_daily_document_tolerates_floats_nulls_absent_and_unknown_fields() {
        let raw = r#"{"day": "2024-01-07", "score": 83.0, "timestamp": "t",
                      "contributors": {"deep_sleep": 63.4, "timing": null}, "new_field": [1]}"#;

        let DailySleep(document) = serde_json::from_str(raw).unwrap();

        assert_eq!(document.id, None);
        assert_eq!(document.day, date!(2024 - 01 - 07));
        assert_eq!(document.score, Some(83));
        assert_eq!(document.contributors["deep_sleep"], Some(63));
        assert_eq!(document.contributors["timing"], None);
    }

    #[test]
    fn a_daily_document_without_contributors_or_score_still_reads() {
        let document: DailyActivity = serde_json::from_str(
            r#"{"id": "a", "day": "2024-01-07", "steps": 1234.0, "active_calories": null}"#,
        )
        .unwrap();

        assert_eq!(document.score.score, None);
        assert!(document.score.contributors.is_empty());
        assert_eq!(document.steps, Some(1234));
        assert_eq!(document.active_calories, None);
    }

    #[test]
    fn a_document_without_the_fields_the_app_needs_does_not_read() {
        for raw in [
            r#"{"id": "a", "score": 80}"#,
            r#"{"id": "a", "day": "2024-02-30"}"#,
            r#"{"id": "a", "day": "2024-01-07", "score": "high"}"#,
        ] {
            assert!(
                serde_json::from_str::<DailyReadiness>(raw).is_err(),
                "{raw}"
            );
        }
    }

    #[test]
    fn a_sleep_period_reads_an_unknown_kind_and_leaves_unknown_stages_out() {
        let raw = r#"{"id": "s", "day": "2024-01-07", "type": "micro_nap",
                      "bedtime_start": "2024-01-06T23:10:00+02:00",
                      "bedtime_end": "2024-01-07T06:40:00.000+02:00",
                      "sleep_phase_5_min": "4412235", "average_hrv": 41.0,
                      "heart_rate": {"interval": 300.0, "items": [55.0, null, 54]}}"#;

        let period: SleepPeriod = serde_json::from_str(raw).unwrap();

        assert_eq!(period.kind, Some(SleepKind::Unknown));
        assert_eq!(period.bedtime_start, datetime!(2024-01-06 23:10 +02:00));
        assert_eq!(period.average_hrv, Some(41));
        assert_eq!(period.stages(), None, "5 is not a stage the app knows");
        assert_eq!(
            period.heart_rate.unwrap().items,
            [Some(55.0), None, Some(54.0)]
        );
        assert_eq!(period.hrv, None);
    }

    #[test]
    fn a_heart_rate_reading_takes_its_time_from_the_iso_timestamp() {
        let raw = r#"{"timestamp": "2024-01-07T06:00:00+00:00", "timestamp_unix": 1,
                      "bpm": 61.0, "source": "smartwatch"}"#;

        let reading: HeartRate = serde_json::from_str(raw).unwrap();

        assert_eq!(reading.timestamp, datetime!(2024-01-07 06:00 UTC));
        assert_eq!(reading.bpm, Some(61));
        assert_eq!(reading.source.as_deref(), Some("smartwatch"));
    }
}
