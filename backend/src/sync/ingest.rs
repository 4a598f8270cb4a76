//! Oura's typed documents turned into the warehouse's records, once, at ingest: samples and
//! stages are read out here, so no request digs in raw JSON later.

use shared::SleepKind;

use time::{Date, OffsetDateTime};

use crate::oura::documents::{
    BatteryLevel, DailyActivity, DailyCardiovascularAge, DailyReadiness, DailyResilience,
    DailyScore, DailySleep, DailySpo2, DailyStress, EnhancedTag, HeartRate, RestModePeriod,
    RingConfiguration, Samples, Session, SleepPeriod, SleepTime, Vo2Max, Workout,
};
use crate::oura::{CollectionDocument, Document};
use crate::store::{
    BatteryReading, DailyRecord, EventRecord, HeartRateReading, Measures, RingRecord,
    SleepPeriodRecord, Unreadable, WithRaw,
};

/// A page's records, ready for the store.
pub(super) enum Records {
    /// Days of a daily collection.
    Daily(Vec<WithRaw<DailyRecord>>),
    /// Sleep periods with their samples.
    Sleep(Vec<WithRaw<SleepPeriodRecord>>),
    /// Heart-rate readings (their documents are not kept: a reading is all there is).
    HeartRate(Vec<HeartRateReading>),
    /// Workouts, sessions, tags or rest-mode periods.
    Events(Vec<WithRaw<EventRecord>>),
    /// The rings set up.
    Rings(Vec<WithRaw<RingRecord>>),
    /// Battery readings.
    Battery(Vec<WithRaw<BatteryReading>>),
}

impl Records {
    pub(super) fn len(&self) -> usize {
        match self {
            Self::Daily(records) => records.len(),
            Self::Sleep(records) => records.len(),
            Self::HeartRate(records) => records.len(),
            Self::Events(records) => records.len(),
            Self::Rings(records) => records.len(),
            Self::Battery(records) => records.len(),
        }
    }
}

/// A collection's document that the warehouse keeps.
pub(super) trait Ingest: CollectionDocument + Sized {
    /// The record of one document, or why it cannot be used.
    type Record;

    /// Reduces a document to what the warehouse keeps.
    fn record(self) -> Result<Self::Record, String>;
}

impl From<Vec<WithRaw<DailyRecord>>> for Records {
    fn from(records: Vec<WithRaw<DailyRecord>>) -> Self {
        Self::Daily(records)
    }
}

impl From<Vec<WithRaw<SleepPeriodRecord>>> for Records {
    fn from(records: Vec<WithRaw<SleepPeriodRecord>>) -> Self {
        Self::Sleep(records)
    }
}

impl From<Vec<WithRaw<EventRecord>>> for Records {
    fn from(records: Vec<WithRaw<EventRecord>>) -> Self {
        Self::Events(records)
    }
}

impl From<Vec<WithRaw<RingRecord>>> for Records {
    fn from(records: Vec<WithRaw<RingRecord>>) -> Self {
        Self::Rings(records)
    }
}

impl From<Vec<WithRaw<BatteryReading>>> for Records {
    fn from(records: Vec<WithRaw<BatteryReading>>) -> Self {
        Self::Battery(records)
    }
}

impl From<Vec<WithRaw<HeartRateReading>>> for Records {
    fn from(records: Vec<WithRaw<HeartRateReading>>) -> Self {
        Self::HeartRate(records.into_iter().map(|r| r.record).collect())
    }
}

/// A page, sorted: the records to store, and the documents to set aside.
pub(super) struct Ingested {
    pub records: Records,
    pub unreadable: Vec<Unreadable>,
}

/// A page's records. A document that cannot be used is set aside, whole, with the reason; the
/// rest of the page is stored all the same.
pub(super) fn page<T: Ingest>(documents: Vec<Document<T>>) -> Ingested
where
    Records: From<Vec<WithRaw<T::Record>>>,
{
    let mut records = Vec::new();
    let mut unreadable = Vec::new();
    for document in documents {
        match document {
            Document::Read { value, raw } => match value.record() {
                Ok(record) => records.push(WithRaw { record, raw }),
                Err(reason) => unreadable.push(Unreadable { raw, reason }),
            },
            Document::Unreadable { raw, reason } => unreadable.push(Unreadable { raw, reason }),
        }
    }
    Ingested {
        records: Records::from(records),
        unreadable,
    }
}

/// A day's record: the score with its contributors, and what only activity has.
fn daily_record(
    score: DailyScore,
    steps: Option<i64>,
    active_calories: Option<i64>,
    measures: Measures,
) -> DailyRecord {
    DailyRecord {
        score: score.score,
        steps,
        active_calories,
        ..measures_record(score.id, score.day, score.contributors, measures)
    }
}

/// A day of a collection without a score: its own values.
fn measures_record(
    id: Option<String>,
    day: time::Date,
    contributors: std::collections::BTreeMap<String, Option<i64>>,
    measures: Measures,
) -> DailyRecord {
    DailyRecord {
        day,
        document_id: id.unwrap_or_default(),
        score: None,
        steps: None,
        active_calories: None,
        contributors,
        measures,
    }
}

impl Ingest for DailyStress {
    type Record = DailyRecord;

    fn record(self) -> Result<DailyRecord, String> {
        let measures = Measures {
            stress_high_seconds: self.stress_high,
            recovery_high_seconds: self.recovery_high,
            day_summary: self.day_summary,
            ..Measures::default()
        };
        Ok(measures_record(
            self.id,
            self.day,
            Default::default(),
            measures,
        ))
    }
}

impl Ingest for DailySpo2 {
    type Record = DailyRecord;

    fn record(self) -> Result<DailyRecord, String> {
        let measures = Measures {
            spo2_average: self.spo2_percentage.and_then(|p| p.average),
            breathing_disturbance_index: self.breathing_disturbance_index,
            ..Measures::default()
        };
        Ok(measures_record(
            self.id,
            self.day,
            Default::default(),
            measures,
        ))
    }
}

impl Ingest for DailyResilience {
    type Record = DailyRecord;

    fn record(self) -> Result<DailyRecord, String> {
        let measures = Measures {
            resilience_level: self.level,
            ..Measures::default()
        };
        Ok(measures_record(
            self.id,
            self.day,
            self.contributors,
            measures,
        ))
    }
}

impl Ingest for DailySleep {
    type Record = DailyRecord;

    fn record(self) -> Result<DailyRecord, String> {
        Ok(daily_record(self.0, None, None, Measures::default()))
    }
}

impl Ingest for DailyReadiness {
    type Record = DailyRecord;

    fn record(self) -> Result<DailyRecord, String> {
        let measures = Measures {
            temperature_deviation: self.temperature_deviation,
            temperature_trend_deviation: self.temperature_trend_deviation,
            ..Measures::default()
        };
        Ok(daily_record(self.score, None, None, measures))
    }
}

impl Ingest for Vo2Max {
    type Record = DailyRecord;

    fn record(self) -> Result<DailyRecord, String> {
        let measures = Measures {
            vo2_max: self.vo2_max,
            ..Measures::default()
        };
        Ok(measures_record(
            self.id,
            self.day,
            Default::default(),
            measures,
        ))
    }
}

impl Ingest for DailyCardiovascularAge {
    type Record = DailyRecord;

    fn record(self) -> Result<DailyRecord, String> {
        let measures = Measures {
            vascular_age: self.vascular_age,
            pulse_wave_velocity: self.pulse_wave_velocity,
            ..Measures::default()
        };
        Ok(measures_record(
            self.id,
            self.day,
            Default::default(),
            measures,
        ))
    }
}

impl Ingest for SleepTime {
    type Record = DailyRecord;

    fn record(self) -> Result<DailyRecord, String> {
        let window = self.optimal_bedtime.unwrap_or_default();
        let measures = Measures {
            bedtime_start_offset: window.start_offset,
            bedtime_end_offset: window.end_offset,
            bedtime_utc_offset: window.day_tz,
            bedtime_recommendation: self.recommendation,
            bedtime_status: self.status,
            ..Measures::default()
        };
        Ok(measures_record(
            self.id,
            self.day,
            Default::default(),
            measures,
        ))
    }
}

impl Ingest for DailyActivity {
    type Record = DailyRecord;

    fn record(self) -> Result<DailyRecord, String> {
        Ok(daily_record(
            self.score,
            self.steps,
            self.active_calories,
            Measures::default(),
        ))
    }
}

/// An event with only its key and times: Oura's id is what keeps it once in the warehouse,
/// and it is filed under its day (or, without one, the day it began).
fn event(
    id: Option<String>,
    day: Option<Date>,
    start: Option<OffsetDateTime>,
    end: Option<OffsetDateTime>,
) -> Result<EventRecord, String> {
    let document_id = id
        .filter(|id| !id.is_empty())
        .ok_or("an event without an id")?;
    let day = day
        .or(start.map(OffsetDateTime::date))
        .ok_or("an event without a day")?;
    if let (Some(start), Some(end)) = (start, end)
        && end < start
    {
        return Err("the event ends before it starts".into());
    }
    Ok(EventRecord {
        document_id,
        day,
        end_day: None,
        start,
        end,
        kind: None,
        name: None,
        comment: None,
        intensity: None,
        source: None,
        mood: None,
        calories: None,
        distance_meters: None,
        average_heart_rate: None,
        lowest_heart_rate: None,
        average_hrv: None,
    })
}

/// The mean and the lowest of the samples the ring caught (gaps left out).
fn mean_and_lowest(samples: Option<&Samples>) -> (Option<f64>, Option<f64>) {
    let values: Vec<f64> = samples
        .map(|s| {
            s.items
                .iter()
                .flatten()
                .copied()
                .filter(|v| v.is_finite())
                .collect()
        })
        .unwrap_or_default();
    if values.is_empty() {
        return (None, None);
    }
    let mean = values.iter().sum::<f64>() / values.len() as f64;
    (Some(mean), values.iter().copied().reduce(f64::min))
}

impl Ingest for Workout {
    type Record = EventRecord;

    fn record(self) -> Result<EventRecord, String> {
        Ok(EventRecord {
            kind: self.activity,
            name: self.label,
            intensity: self.intensity,
            source: self.source,
            calories: self.calories,
            distance_meters: self.distance,
            ..event(self.id, self.day, self.start_datetime, self.end_datetime)?
        })
    }
}

impl Ingest for Session {
    type Record = EventRecord;

    fn record(self) -> Result<EventRecord, String> {
        let (average_heart_rate, lowest_heart_rate) = mean_and_lowest(self.heart_rate.as_ref());
        let (average_hrv, _) = mean_and_lowest(self.heart_rate_variability.as_ref());
        Ok(EventRecord {
            kind: self.kind,
            mood: self.mood,
            average_heart_rate,
            lowest_heart_rate,
            average_hrv,
            ..event(self.id, self.day, self.start_datetime, self.end_datetime)?
        })
    }
}

impl Ingest for EnhancedTag {
    type Record = EventRecord;

    fn record(self) -> Result<EventRecord, String> {
        Ok(EventRecord {
            end_day: self.end_day,
            kind: self.tag_type_code,
            name: self.custom_name,
            comment: self.comment,
            ..event(self.id, self.start_day, self.start_time, self.end_time)?
        })
    }
}

impl Ingest for RestModePeriod {
    type Record = EventRecord;

    fn record(self) -> Result<EventRecord, String> {
        Ok(EventRecord {
            end_day: self.end_day,
            ..event(self.id, self.start_day, self.start_time, self.end_time)?
        })
    }
}

impl Ingest for RingConfiguration {
    type Record = RingRecord;

    fn record(self) -> Result<RingRecord, String> {
        Ok(RingRecord {
            document_id: self
                .id
                .filter(|id| !id.is_empty())
                .ok_or("a ring without an id")?,
            hardware_type: self.hardware_type,
            firmware_version: self.firmware_version,
            color: self.color,
            design: self.design,
            size: self.size,
            set_up_at: self.set_up_at,
        })
    }
}

impl Ingest for BatteryLevel {
    type Record = BatteryReading;

    fn record(self) -> Result<BatteryReading, String> {
        match (self.timestamp, self.level) {
            (Some(at), Some(level)) if (0..=100).contains(&level) => Ok(BatteryReading {
                at,
                level,
                charging: self.charging,
                in_charger: self.in_charger,
            }),
            (_, Some(level)) if !(0..=100).contains(&level) => {
                Err(format!("a battery level of {level} %"))
            }
            _ => Err("a battery reading without its time or level".into()),
        }
    }
}

impl Ingest for SleepPeriod {
    type Record = SleepPeriodRecord;

    fn record(self) -> Result<SleepPeriodRecord, String> {
        if self.bedtime_end < self.bedtime_start {
            return Err("the period ends before it starts".into());
        }
        Ok(SleepPeriodRecord {
            stages: self.stages().map(str::to_owned),
            document_id: self.id,
            day: self.day,
            kind: self.kind.unwrap_or(SleepKind::Unknown),
            bedtime_start: self.bedtime_start,
            bedtime_end: self.bedtime_end,
            total_sleep_seconds: self.total_sleep_duration,
            efficiency: self.efficiency,
            average_hrv: self.average_hrv,
            lowest_heart_rate: self.lowest_heart_rate,
            heart_rate: self.heart_rate.map(|s| s.items).unwrap_or_default(),
            hrv: self.hrv.map(|s| s.items).unwrap_or_default(),
        })
    }
}

impl Ingest for HeartRate {
    type Record = HeartRateReading;

    fn record(self) -> Result<HeartRateReading, String> {
        match self.bpm {
            Some(bpm) if (20..=250).contains(&bpm) => Ok(HeartRateReading {
                at: self.timestamp,
                bpm,
                source: self.source.unwrap_or_default(),
            }),
            Some(bpm) => Err(format!("a heart rate of {bpm} bpm")),
            None => Err("a reading without a heart rate".into()),
        }
    }
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    fn read<T: serde::de::DeserializeOwned>(raw: &str) -> Document<T> {
        match serde_json::from_str(raw) {
            Ok(value) => Document::Read {
                value,
                raw: raw.to_owned(),
            },
            Err(error) => Document::Unreadable {
                raw: raw.to_owned(),
                reason: error.to_string(),
            },
        }
    }

    #[test]
    fn a_daily_document_keeps_its_score_contributors_and_raw_form() {
        let raw = r#"{"id": "x", "day": "2024-01-07", "score": 83, "contributors": {"deep_sleep": 63, "timing": null}}"#;

        let Records::Daily(records) = page(vec![read::<DailySleep>(raw)]).records else {
            panic!("daily records expected")
        };

        assert_eq!(records[0].record.day, date!(2024 - 01 - 07));
        assert_eq!(records[0].record.score, Some(83));
        assert_eq!(records[0].record.steps, None);
        assert_eq!(records[0].record.contributors["timing"], None);
        assert_eq!(records[0].raw, raw);
    }

    #[test]
    fn an_unreadable_document_is_set_aside_and_the_rest_of_its_page_kept() {
        let good = r#"{"id": "a", "day": "2024-01-07", "score": 80}"#;
        for bad in [
            r#"{"id": "b", "day": "2024-02-30", "score": 80}"#,
            r#"{"id": "b", "day": "2024-01-08", "score": "high"}"#,
            r#"{"id": "b", "score": 80}"#,
        ] {
            let ingested = page(vec![read::<DailyReadiness>(good), read(bad)]);

            assert_eq!(ingested.records.len(), 1, "{bad}");
            assert_eq!(ingested.unreadable.len(), 1, "{bad}");
            assert_eq!(ingested.unreadable[0].raw, bad);
            assert!(!ingested.unreadable[0].reason.is_empty());
        }
    }

    #[test]
    fn a_sleep_period_brings_its_samples_and_stages() {
        let raw = r#"{"id": "s", "day": "2024-01-07", "type": "long_sleep",
                      "bedtime_start": "2024-01-06T23:00:00+01:00", "bedtime_end": "2024-01-07T07:00:00+01:00",
                      "sleep_phase_5_min": "4221", "heart_rate": {"items": [60.0, null]},
                      "hrv": {"items": [40.5]}}"#;

        let Records::Sleep(records) = page(vec![read::<SleepPeriod>(raw)]).records else {
            panic!("sleep records expected")
        };

        let record = &records[0].record;
        assert_eq!(record.kind, SleepKind::LongSleep);
        assert_eq!(record.stages.as_deref(), Some("4221"));
        assert_eq!(record.heart_rate, [Some(60.0), None]);
        assert_eq!(record.hrv, [Some(40.5)]);
    }

    #[test]
    fn temperature_heart_health_and_bedtime_are_read_leniently() {
        fn one<T: Ingest<Record = DailyRecord>>(raw: &str) -> Measures {
            let Records::Daily(mut records) = page(vec![read::<T>(raw)]).records else {
                panic!("daily records expected")
            };
            assert_eq!(records.len(), 1, "{raw}");
            records.remove(0).record.measures
        }

        // An integer where a float is documented, and the reverse.
        let readiness = one::<DailyReadiness>(
            r#"{"day": "2024-01-07", "score": 80, "temperature_deviation": 1, "temperature_trend_deviation": null}"#,
        );
        let vo2 = one::<Vo2Max>(r#"{"id": "v", "day": "2024-01-07", "vo2_max": 41.5}"#);
        let heart = one::<DailyCardiovascularAge>(
            r#"{"id": "c", "day": "2024-01-07", "vascular_age": 38.0}"#,
        );
        // A status Oura added later, and no window yet.
        let bedtime = one::<SleepTime>(
            r#"{"id": "t", "day": "2024-01-07", "status": "travelling", "optimal_bedtime": null}"#,
        );
        let window = one::<SleepTime>(
            r#"{"id": "t", "day": "2024-01-08", "optimal_bedtime": {"day_tz": 3600, "start_offset": -5400, "end_offset": -2700}}"#,
        );

        assert_eq!(readiness.temperature_deviation, Some(1.0));
        assert_eq!(readiness.temperature_trend_deviation, None);
        assert_eq!(vo2.vo2_max, Some(41.5));
        assert_eq!(heart.vascular_age, Some(38));
        assert_eq!(heart.pulse_wave_velocity, None);
        assert_eq!(bedtime.bedtime_status.as_deref(), Some("travelling"));
        assert_eq!(bedtime.bedtime_start_offset, None);
        assert_eq!(
            (
                window.bedtime_start_offset,
                window.bedtime_end_offset,
                window.bedtime_utc_offset
            ),
            (Some(-5400), Some(-2700), Some(3600))
        );
    }

    #[test]
    fn events_need_an_id_and_a_day_and_tolerate_the_rest() {
        let tag = r#"{"id": "t", "start_day": "2024-01-07", "start_time": "2024-01-07T20:30:00+02:00",
                      "tag_type_code": "tag_generic_alcohol", "comment": null, "new_field": [1]}"#;
        // No start_day: the day comes from the start; a time that does not parse is dropped.
        let workout = r#"{"id": "w", "start_datetime": "2024-01-08T07:00:00+00:00",
                          "end_datetime": "soon", "activity": "rowing", "calories": 310}"#;
        let no_id = r#"{"start_day": "2024-01-07", "start_time": "2024-01-07T20:30:00+02:00"}"#;
        let no_day = r#"{"id": "r"}"#;

        let ingested = page(vec![
            read::<EnhancedTag>(tag),
            read(no_id),
            Document::Read {
                value: serde_json::from_str::<EnhancedTag>(no_day).unwrap(),
                raw: no_day.into(),
            },
        ]);
        let Records::Events(workouts) = page(vec![read::<Workout>(workout)]).records else {
            panic!("events expected")
        };
        let Records::Events(tags) = ingested.records else {
            panic!("events expected")
        };

        assert_eq!(tags.len(), 1);
        assert_eq!(tags[0].record.kind.as_deref(), Some("tag_generic_alcohol"));
        assert_eq!(tags[0].record.start.unwrap().offset().whole_hours(), 2);
        let reasons: Vec<&str> = ingested
            .unreadable
            .iter()
            .map(|u| u.reason.as_str())
            .collect();
        assert_eq!(
            reasons,
            ["an event without an id", "an event without a day"]
        );
        let workout = &workouts[0].record;
        assert_eq!(workout.day, date!(2024 - 01 - 08));
        assert_eq!(workout.end, None);
        assert_eq!(workout.calories, Some(310.0));
        assert_eq!(workout.kind.as_deref(), Some("rowing"));
    }

    #[test]
    fn a_session_keeps_the_mean_and_lowest_of_its_samples() {
        let raw = r#"{"id": "s", "day": "2024-01-07", "type": "meditation",
                      "heart_rate": {"interval": 5.0, "items": [64.0, null, 60.0, 56.0]},
                      "heart_rate_variability": {"interval": 5.0, "items": [40.0, 50.0]}}"#;

        let Records::Events(records) = page(vec![read::<Session>(raw)]).records else {
            panic!("events expected")
        };

        let session = &records[0].record;
        assert_eq!(session.average_heart_rate, Some(60.0));
        assert_eq!(session.lowest_heart_rate, Some(56.0));
        assert_eq!(session.average_hrv, Some(45.0));
    }

    #[test]
    fn a_battery_reading_needs_its_time_and_a_level_in_range() {
        let good = r#"{"timestamp": "2026-11-25T08:30:00+00:00", "level": 87.0, "charging": null}"#;
        let over = r#"{"timestamp": "2026-11-25T09:00:00+00:00", "level": 140}"#;
        let untimed = r#"{"level": 50}"#;

        let ingested = page(vec![read::<BatteryLevel>(good), read(over), read(untimed)]);

        let Records::Battery(readings) = ingested.records else {
            panic!("battery readings expected")
        };
        assert_eq!(readings.len(), 1);
        assert_eq!(readings[0].record.level, 87);
        let reasons: Vec<&str> = ingested
            .unreadable
            .iter()
            .map(|u| u.reason.as_str())
            .collect();
        assert_eq!(
            reasons,
            [
                "a battery level of 140 %",
                "a battery reading without its time or level"
            ]
        );
    }

    #[test]
    fn an_impossible_heart_rate_is_set_aside() {
        let raw = r#"{"timestamp": "2024-01-07T06:00:00+00:00", "bpm": 400, "source": "awake"}"#;

        let ingested = page(vec![read::<HeartRate>(raw)]);

        assert_eq!(ingested.records.len(), 0);
        assert_eq!(ingested.unreadable[0].reason, "a heart rate of 400 bpm");
    }
}
