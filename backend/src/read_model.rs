//! The read model: what the dashboard's routes answer, made from the warehouse. Routes parse
//! and answer; the shaping of the data (days by collection, summaries, baselines, a night)
//! happens here.

use std::collections::BTreeMap;

use shared::{
    Battery, BedtimeDay, CardiovascularDay, DailyScores, Events, HeartRatePoint, HeartRateSeries,
    Night, ResilienceDay, RestModePeriod, Ring, Rings, Score, ScoreSummary, Session, SleepPeriod,
    Spo2Day, StressDay, Summary, Tag, TemperatureDay, Workout,
};
use time::{Date, OffsetDateTime};

use crate::domain::{DayRange, UserId};
use crate::oura::Collection;
use crate::store::{DailyRecord, EventRecord, SleepPeriodRecord, Store, StoredDay, StoredEvent};

/// How many days the baseline reaches back.
pub const BASELINE_DAYS: i64 = 90;

/// Daily scores in `range`, one entry per day with data, oldest first.
pub async fn daily(
    store: &Store,
    user_id: &UserId,
    range: DayRange,
) -> anyhow::Result<Vec<DailyScores>> {
    Ok(by_day(
        store
            .daily_range(user_id, range.start(), range.end())
            .await?,
    ))
}

fn score(record: DailyRecord) -> Score {
    Score {
        score: record.score,
        contributors: record.contributors,
    }
}

/// Groups stored documents by day, oldest first.
pub fn by_day(stored: Vec<StoredDay>) -> Vec<DailyScores> {
    let mut days: BTreeMap<Date, DailyScores> = BTreeMap::new();
    for StoredDay { collection, record } in stored {
        let entry = days
            .entry(record.day)
            .or_insert_with(|| DailyScores::empty(record.day));
        match collection {
            Collection::Sleep => entry.sleep = Some(score(record)),
            Collection::Readiness => {
                let m = &record.measures;
                if m.temperature_deviation.is_some() || m.temperature_trend_deviation.is_some() {
                    entry.temperature = Some(TemperatureDay {
                        deviation: m.temperature_deviation,
                        trend_deviation: m.temperature_trend_deviation,
                    });
                }
                entry.readiness = Some(score(record));
            }
            Collection::Activity => {
                entry.steps = record.steps;
                entry.active_calories = record.active_calories;
                entry.activity = Some(score(record));
            }
            Collection::Stress => {
                let w = record.measures;
                entry.stress = Some(StressDay {
                    stress_high_seconds: w.stress_high_seconds,
                    recovery_high_seconds: w.recovery_high_seconds,
                    day_summary: w.day_summary,
                });
            }
            Collection::Spo2 => {
                let w = record.measures;
                entry.spo2 = Some(Spo2Day {
                    average_percent: w.spo2_average,
                    breathing_disturbance_index: w.breathing_disturbance_index,
                });
            }
            Collection::Resilience => {
                entry.resilience = Some(ResilienceDay {
                    level: record.measures.resilience_level,
                    contributors: record.contributors,
                });
            }
            Collection::Vo2Max => entry.vo2_max = record.measures.vo2_max,
            Collection::CardiovascularAge => {
                let m = record.measures;
                entry.cardiovascular = Some(CardiovascularDay {
                    vascular_age: m.vascular_age,
                    pulse_wave_velocity: m.pulse_wave_velocity,
                });
            }
            Collection::SleepTime => {
                let m = record.measures;
                entry.bedtime = Some(BedtimeDay {
                    window_start_seconds: m.bedtime_start_offset,
                    window_end_seconds: m.bedtime_end_offset,
                    utc_offset_seconds: m.bedtime_utc_offset,
                    recommendation: m.bedtime_recommendation,
                    status: m.bedtime_status,
                });
            }
            Collection::SleepPeriods
            | Collection::HeartRate
            | Collection::Workouts
            | Collection::Sessions
            | Collection::Tags
            | Collection::RestMode
            | Collection::Rings
            | Collection::Battery => {}
        }
    }
    days.into_values().collect()
}

/// The workouts, sessions and tags that began in `range`, and the rest-mode periods that
/// overlap it.
pub async fn events(store: &Store, user_id: &UserId, range: DayRange) -> anyhow::Result<Events> {
    let mut events = Events::default();
    for StoredEvent { collection, record } in
        store.events(user_id, range.start(), range.end()).await?
    {
        match collection {
            Collection::Workouts => events.workouts.push(Workout {
                id: record.document_id,
                day: record.day,
                start: record.start,
                end: record.end,
                activity: record.kind,
                intensity: record.intensity,
                source: record.source,
                label: record.name,
                calories: record.calories,
                distance_meters: record.distance_meters,
            }),
            Collection::Sessions => events.sessions.push(Session {
                id: record.document_id,
                day: record.day,
                start: record.start,
                end: record.end,
                kind: record.kind,
                mood: record.mood,
                average_heart_rate: record.average_heart_rate,
                lowest_heart_rate: record.lowest_heart_rate,
                average_hrv: record.average_hrv,
            }),
            Collection::Tags => events.tags.push(tag(record)),
            Collection::RestMode => events.rest_mode.push(RestModePeriod {
                id: record.document_id,
                start_day: record.day,
                end_day: record.end_day,
            }),
            _ => {}
        }
    }
    Ok(events)
}

fn tag(record: EventRecord) -> Tag {
    Tag {
        name: tag_name(
            record.kind.as_deref(),
            record.name.as_deref(),
            record.comment.as_deref(),
        ),
        id: record.document_id,
        day: record.day,
        end_day: record.end_day,
        start: record.start,
        end: record.end,
        code: record.kind,
        comment: record.comment,
    }
}

/// What to call a tag: a custom tag's own name, Oura's code in words (`tag_generic_alcohol`
/// reads `Alcohol`), or for a text-only tag its text.
fn tag_name(code: Option<&str>, custom_name: Option<&str>, comment: Option<&str>) -> String {
    let words = |text: &str| {
        let plain = text
            .trim_start_matches("tag_generic_")
            .trim_start_matches("tag_");
        let spaced = plain.replace('_', " ");
        let mut chars = spaced.chars();
        chars
            .next()
            .map(|first| first.to_uppercase().chain(chars).collect())
            .unwrap_or_default()
    };
    match (code, custom_name, comment) {
        (_, Some(name), _) if !name.trim().is_empty() => name.trim().to_owned(),
        (Some(code), _, _) if code != "custom" && !code.is_empty() => words(code),
        (_, _, Some(comment)) if !comment.trim().is_empty() => comment.trim().to_owned(),
        _ => "Tag".to_owned(),
    }
}

/// Every ring the person has set up, the most recently set up first, and the battery.
pub async fn rings(store: &Store, user_id: &UserId) -> anyhow::Result<Rings> {
    let rings = store
        .rings(user_id)
        .await?
        .into_iter()
        .map(|ring| Ring {
            id: ring.document_id,
            hardware_type: ring.hardware_type,
            firmware_version: ring.firmware_version,
            color: ring.color,
            design: ring.design,
            size: ring.size,
            set_up_at: ring.set_up_at,
        })
        .collect();
    let battery = store.battery(user_id).await?.map(|reading| Battery {
        level: reading.level,
        charging: reading.charging,
        in_charger: reading.in_charger,
        measured_at: reading.at,
    });
    Ok(Rings { rings, battery })
}

/// Latest scores, the last 7 days against the 7 before, and baselines, as of `today`. Days in
/// rest mode are left out of the baselines: an unwell week is not what "usual" means.
pub async fn summary(store: &Store, user_id: &UserId, today: Date) -> anyhow::Result<Summary> {
    let range = DayRange::ending(today, BASELINE_DAYS);
    let days = daily(store, user_id, range).await?;
    let events = events(store, user_id, range).await?;
    let usual: Vec<DailyScores> = days
        .iter()
        .filter(|d| !events.in_rest_mode(d.day, today))
        .cloned()
        .collect();
    let score = |pick: fn(&DailyScores) -> Option<i64>| {
        let baseline = summarise(&usual, today, pick);
        ScoreSummary {
            baseline_90_days: baseline.baseline_90_days,
            baseline_days: baseline.baseline_days,
            ..summarise(&days, today, pick)
        }
    };
    Ok(Summary {
        today,
        sleep: score(|d| d.sleep.as_ref()?.score),
        readiness: score(|d| d.readiness.as_ref()?.score),
        activity: score(|d| d.activity.as_ref()?.score),
        rest_mode_days: u32::try_from(days.len() - usual.len()).unwrap_or(u32::MAX),
    })
}

fn mean(values: &[i64]) -> Option<f64> {
    (!values.is_empty()).then(|| values.iter().sum::<i64>() as f64 / values.len() as f64)
}

fn summarise(
    days: &[DailyScores],
    today: Date,
    pick: fn(&DailyScores) -> Option<i64>,
) -> ScoreSummary {
    let scored: Vec<(Date, i64)> = days
        .iter()
        .filter_map(|d| Some((d.day, pick(d)?)))
        .collect();
    let between = |from: i64, to: i64| -> Vec<i64> {
        scored
            .iter()
            .filter(|(day, _)| (from..=to).contains(&(today - *day).whole_days()))
            .map(|(_, s)| *s)
            .collect()
    };
    let baseline = between(0, BASELINE_DAYS - 1);
    let latest = scored.iter().rfind(|(day, _)| *day <= today);
    ScoreSummary {
        latest: latest.map(|(_, s)| *s),
        latest_day: latest.map(|(d, _)| *d),
        last_7_days: mean(&between(0, 6)),
        previous_7_days: mean(&between(7, 13)),
        baseline_90_days: mean(&baseline),
        baseline_days: u32::try_from(baseline.len()).unwrap_or(u32::MAX),
    }
}

impl From<SleepPeriodRecord> for SleepPeriod {
    fn from(record: SleepPeriodRecord) -> Self {
        Self {
            id: record.document_id,
            kind: record.kind,
            bedtime_start: record.bedtime_start,
            bedtime_end: record.bedtime_end,
            total_sleep_seconds: record.total_sleep_seconds,
            efficiency: record.efficiency,
            average_hrv: record.average_hrv,
            lowest_heart_rate: record.lowest_heart_rate,
            stages: record.stages.unwrap_or_default(),
            heart_rate: record.heart_rate,
            hrv: record.hrv,
        }
    }
}

/// The sleep periods filed under `day`: stages, heart rate and HRV.
pub async fn night(store: &Store, user_id: &UserId, day: Date) -> anyhow::Result<Night> {
    let periods = store.sleep_periods(user_id, day).await?;
    Ok(Night {
        day,
        periods: periods.into_iter().map(SleepPeriod::from).collect(),
    })
}

/// Heart rate in `[start, end)`.
pub async fn heart_rate(
    store: &Store,
    user_id: &UserId,
    start: OffsetDateTime,
    end: OffsetDateTime,
) -> anyhow::Result<HeartRateSeries> {
    let readings = store.heart_rate(user_id, start, end).await?;
    Ok(HeartRateSeries {
        start,
        end,
        points: readings
            .into_iter()
            .map(|reading| HeartRatePoint {
                at: reading.at,
                bpm: reading.bpm,
                source: reading.source,
            })
            .collect(),
    })
}

/// The observations of the year that ends on `today`.
pub async fn insights(
    store: &Store,
    user_id: &UserId,
    today: Date,
) -> anyhow::Result<Vec<shared::Insight>> {
    let year = DayRange::ending(today, 365);
    let days = daily(store, user_id, year).await?;
    let nights = store.main_sleeps(user_id, year.start(), year.end()).await?;
    let events = events(store, user_id, year).await?;
    let mut insights = vec![
        crate::insights::activity_and_sleep(&days),
        crate::insights::bedtime_and_readiness(&days, &nights),
        crate::insights::weekday_sleep(&days),
    ];
    insights.extend(crate::insights::nights_after_tags(
        &days,
        &nights,
        &events.tags,
    ));
    Ok(insights)
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    fn day(day: Date, sleep: Option<i64>) -> DailyScores {
        DailyScores {
            sleep: Some(Score {
                score: sleep,
                contributors: BTreeMap::new(),
            }),
            ..DailyScores::empty(day)
        }
    }

    #[test]
    fn the_summary_compares_this_week_with_last_week_and_skips_unscored_days() {
        let days = vec![
            day(date!(2026 - 01 - 01), Some(50)), // 13 days ago
            day(date!(2026 - 01 - 07), Some(70)), // 7 days ago
            day(date!(2026 - 01 - 08), Some(80)), // 6 days ago
            day(date!(2026 - 01 - 13), None),     // not worn
            day(date!(2026 - 01 - 14), Some(90)), // today
        ];

        let summary = summarise(&days, date!(2026 - 01 - 14), |d| d.sleep.as_ref()?.score);

        assert_eq!(summary.latest, Some(90));
        assert_eq!(summary.latest_day, Some(date!(2026 - 01 - 14)));
        assert_eq!(summary.last_7_days, Some(85.0));
        assert_eq!(summary.previous_7_days, Some(60.0));
        assert_eq!(summary.baseline_90_days, Some(72.5));
        assert_eq!(summary.baseline_days, 4);
    }

    #[test]
    fn a_tag_is_called_by_its_custom_name_its_code_in_words_or_its_text() {
        assert_eq!(tag_name(Some("tag_generic_alcohol"), None, None), "Alcohol");
        assert_eq!(
            tag_name(Some("tag_generic_late_meal"), None, Some("x")),
            "Late meal"
        );
        assert_eq!(
            tag_name(Some("custom"), Some(" Late dinner "), None),
            "Late dinner"
        );
        assert_eq!(tag_name(None, None, Some("Jet lag")), "Jet lag");
        assert_eq!(tag_name(Some("custom"), Some(""), None), "Tag");
    }

    #[test]
    fn days_gather_their_collections_and_activity_brings_steps() {
        let record = |day: Date, score: i64, steps: Option<i64>| DailyRecord {
            day,
            document_id: String::new(),
            score: Some(score),
            steps,
            active_calories: None,
            contributors: BTreeMap::new(),
            measures: Default::default(),
        };
        let stored = vec![
            StoredDay {
                collection: Collection::Activity,
                record: record(date!(2026 - 01 - 02), 60, Some(9000)),
            },
            StoredDay {
                collection: Collection::Sleep,
                record: record(date!(2026 - 01 - 01), 80, None),
            },
            StoredDay {
                collection: Collection::Readiness,
                record: record(date!(2026 - 01 - 02), 70, None),
            },
        ];

        let days = by_day(stored);

        assert_eq!(days.len(), 2);
        assert_eq!(days[0].day, date!(2026 - 01 - 01));
        assert_eq!(days[1].steps, Some(9000));
        assert_eq!(days[1].readiness.as_ref().unwrap().score, Some(70));
        assert!(days[1].sleep.is_none());
    }
}
