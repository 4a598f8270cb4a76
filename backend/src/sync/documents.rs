//! Oura's daily documents, checked and reduced to what the warehouse keeps typed. A page with
//! one malformed document is refused whole, so nothing half-understood is stored.

use serde::Deserialize;
use time::Date;

use crate::error::ApiError;
use crate::oura::Collection;
use crate::store::{DailyDocument, HeartRateReading, SleepPeriodRow};

/// The fields every daily document has, as Oura's OpenAPI document describes them.
#[derive(Deserialize)]
struct Common {
    id: String,
    day: String,
    score: Option<i64>,
    contributors: serde_json::Map<String, serde_json::Value>,
    #[serde(default)]
    steps: Option<i64>,
    #[serde(default)]
    active_calories: Option<i64>,
}

pub fn parse(
    collection: Collection,
    data: &[serde_json::Value],
) -> Result<Vec<DailyDocument>, ApiError> {
    data.iter()
        .map(|raw| {
            let malformed = |why: String| {
                ApiError::UpstreamError(format!(
                    "a {} document was not what Oura's API promises ({why})",
                    collection.name()
                ))
            };
            let common: Common =
                serde_json::from_value(raw.clone()).map_err(|e| malformed(e.to_string()))?;
            let day = Date::parse(
                &common.day,
                time::macros::format_description!("[year]-[month]-[day]"),
            )
            .map_err(|_| malformed(format!("day {:?}", common.day)))?;
            if common
                .contributors
                .values()
                .any(|v| !(v.is_null() || v.is_i64()))
            {
                return Err(malformed("a contributor is not a whole number".into()));
            }
            let activity = collection == Collection::Activity;
            Ok(DailyDocument {
                day,
                document_id: common.id,
                score: common.score,
                steps: if activity { common.steps } else { None },
                active_calories: if activity {
                    common.active_calories
                } else {
                    None
                },
                contributors: serde_json::Value::Object(common.contributors).to_string(),
                raw: raw.to_string(),
            })
        })
        .collect()
}

/// The fields of a sleep period the warehouse keeps typed.
#[derive(Deserialize)]
struct Period {
    id: String,
    day: String,
    #[serde(rename = "type")]
    kind: Option<String>,
    bedtime_start: String,
    bedtime_end: String,
    total_sleep_duration: Option<i64>,
    efficiency: Option<i64>,
    average_hrv: Option<i64>,
    lowest_heart_rate: Option<i64>,
    sleep_phase_5_min: Option<String>,
}

pub fn parse_sleep_periods(data: &[serde_json::Value]) -> Result<Vec<SleepPeriodRow>, ApiError> {
    data.iter()
        .map(|raw| {
            let malformed = |why: String| {
                ApiError::UpstreamError(format!(
                    "a sleep document was not what Oura's API promises ({why})"
                ))
            };
            let period: Period =
                serde_json::from_value(raw.clone()).map_err(|e| malformed(e.to_string()))?;
            let day = Date::parse(
                &period.day,
                time::macros::format_description!("[year]-[month]-[day]"),
            )
            .map_err(|_| malformed(format!("day {:?}", period.day)))?;
            if period
                .sleep_phase_5_min
                .as_deref()
                .is_some_and(|p| !p.chars().all(|c| ('1'..='4').contains(&c)))
            {
                return Err(malformed("sleep_phase_5_min has an unknown stage".into()));
            }
            Ok(SleepPeriodRow {
                document_id: period.id,
                day,
                kind: period.kind,
                bedtime_start: period.bedtime_start,
                bedtime_end: period.bedtime_end,
                total_sleep_seconds: period.total_sleep_duration,
                efficiency: period.efficiency,
                average_hrv: period.average_hrv,
                lowest_heart_rate: period.lowest_heart_rate,
                phases: period.sleep_phase_5_min,
                raw: raw.to_string(),
            })
        })
        .collect()
}

#[derive(Deserialize)]
struct Reading {
    timestamp_unix: i64,
    bpm: i64,
    source: String,
}

/// Heart-rate rows; `timestamp_unix` is in milliseconds.
pub fn parse_heart_rate(data: &[serde_json::Value]) -> Result<Vec<HeartRateReading>, ApiError> {
    data.iter()
        .map(|raw| {
            let reading: Reading = serde_json::from_value(raw.clone()).map_err(|e| {
                ApiError::UpstreamError(format!(
                    "a heart-rate row was not what Oura's API promises ({e})"
                ))
            })?;
            if !(20..=250).contains(&reading.bpm) {
                return Err(ApiError::UpstreamError(format!(
                    "a heart rate of {} bpm",
                    reading.bpm
                )));
            }
            Ok(HeartRateReading {
                at: reading.timestamp_unix.div_euclid(1000),
                bpm: reading.bpm,
                source: reading.source,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn a_sleep_document_keeps_its_score_contributors_and_raw_form() {
        let raw = json!({"id": "x", "day": "2024-01-07", "score": 83, "timestamp": "t",
                         "contributors": {"deep_sleep": 63, "timing": null}, "extra": [1]});

        let parsed = parse(Collection::Sleep, std::slice::from_ref(&raw)).unwrap();

        assert_eq!(parsed[0].day.to_string(), "2024-01-07");
        assert_eq!(parsed[0].score, Some(83));
        assert_eq!(parsed[0].steps, None);
        assert_eq!(parsed[0].contributors, r#"{"deep_sleep":63,"timing":null}"#);
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(&parsed[0].raw).unwrap(),
            raw
        );
    }

    #[test]
    fn one_malformed_document_refuses_the_page() {
        let good = json!({"id": "a", "day": "2024-01-07", "score": 80, "contributors": {}});
        for bad in [
            json!({"id": "b", "day": "2024-02-30", "score": 80, "contributors": {}}),
            json!({"id": "b", "day": "2024-01-08", "score": "high", "contributors": {}}),
            json!({"id": "b", "day": "2024-01-08", "score": 80, "contributors": {"x": "y"}}),
            json!({"day": "2024-01-08", "score": 80, "contributors": {}}),
        ] {
            assert!(
                parse(Collection::Readiness, &[good.clone(), bad.clone()]).is_err(),
                "{bad}"
            );
        }
    }
}
