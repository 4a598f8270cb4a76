//! Oura's typed documents turned into the warehouse's records, once, at ingest: samples and
//! stages are read out here, so no request digs in raw JSON later.

use shared::SleepKind;

use crate::oura::documents::{
    DailyActivity, DailyReadiness, DailyResilience, DailyScore, DailySleep, DailySpo2, DailyStress,
    HeartRate, SleepPeriod,
};
use crate::oura::{CollectionDocument, Document};
use crate::store::{
    DailyRecord, HeartRateReading, SleepPeriodRecord, Unreadable, Wellbeing, WithRaw,
};

/// A page's records, ready for the store.
pub(super) enum Records {
    /// Days of a daily collection.
    Daily(Vec<WithRaw<DailyRecord>>),
    /// Sleep periods with their samples.
    Sleep(Vec<WithRaw<SleepPeriodRecord>>),
    /// Heart-rate readings (their documents are not kept: a reading is all there is).
    HeartRate(Vec<HeartRateReading>),
}

impl Records {
    pub(super) fn len(&self) -> usize {
        match self {
            Self::Daily(records) => records.len(),
            Self::Sleep(records) => records.len(),
            Self::HeartRate(records) => records.len(),
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
) -> DailyRecord {
    DailyRecord {
        score: score.score,
        steps,
        active_calories,
        ..wellbeing_record(
            score.id,
            score.day,
            score.contributors,
            Wellbeing::default(),
        )
    }
}

/// A day of stress, SpO2 or resilience: no score, its own values.
fn wellbeing_record(
    id: Option<String>,
    day: time::Date,
    contributors: std::collections::BTreeMap<String, Option<i64>>,
    wellbeing: Wellbeing,
) -> DailyRecord {
    DailyRecord {
        day,
        document_id: id.unwrap_or_default(),
        score: None,
        steps: None,
        active_calories: None,
        contributors,
        wellbeing,
    }
}

impl Ingest for DailyStress {
    type Record = DailyRecord;

    fn record(self) -> Result<DailyRecord, String> {
        let wellbeing = Wellbeing {
            stress_high_seconds: self.stress_high,
            recovery_high_seconds: self.recovery_high,
            day_summary: self.day_summary,
            ..Wellbeing::default()
        };
        Ok(wellbeing_record(
            self.id,
            self.day,
            Default::default(),
            wellbeing,
        ))
    }
}

impl Ingest for DailySpo2 {
    type Record = DailyRecord;

    fn record(self) -> Result<DailyRecord, String> {
        let wellbeing = Wellbeing {
            spo2_average: self.spo2_percentage.and_then(|p| p.average),
            breathing_disturbance_index: self.breathing_disturbance_index,
            ..Wellbeing::default()
        };
        Ok(wellbeing_record(
            self.id,
            self.day,
            Default::default(),
            wellbeing,
        ))
    }
}

impl Ingest for DailyResilience {
    type Record = DailyRecord;

    fn record(self) -> Result<DailyRecord, String> {
        let wellbeing = Wellbeing {
            resilience_level: self.level,
            ..Wellbeing::default()
        };
        Ok(wellbeing_record(
            self.id,
            self.day,
            self.contributors,
            wellbeing,
        ))
    }
}

impl Ingest for DailySleep {
    type Record = DailyRecord;

    fn record(self) -> Result<DailyRecord, String> {
        Ok(daily_record(self.0, None, None))
    }
}

impl Ingest for DailyReadiness {
    type Record = DailyRecord;

    fn record(self) -> Result<DailyRecord, String> {
        Ok(daily_record(self.0, None, None))
    }
}

impl Ingest for DailyActivity {
    type Record = DailyRecord;

    fn record(self) -> Result<DailyRecord, String> {
        Ok(daily_record(self.score, self.steps, self.active_calories))
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
    fn an_impossible_heart_rate_is_set_aside() {
        let raw = r#"{"timestamp": "2024-01-07T06:00:00+00:00", "bpm": 400, "source": "awake"}"#;

        let ingested = page(vec![read::<HeartRate>(raw)]);

        assert_eq!(ingested.records.len(), 0);
        assert_eq!(ingested.unreadable[0].reason, "a heart rate of 400 bpm");
    }
}
