//! Oura's documents in the warehouse: daily scores, sleep periods with their samples, heart
//! rate. Typed columns for what the dashboard reads, and each document whole as Oura sent it,
//! so a field the app does not use yet is not lost. A page is stored in one transaction.

use std::collections::BTreeMap;

use anyhow::Context as _;
use shared::SleepKind;
use time::format_description::well_known::Rfc3339;
use time::{Date, OffsetDateTime};

use super::{Store, now};
use crate::domain::{UserId, parse_day};
use crate::oura::Collection;

/// A typed record with the document it was read from, as a sync stores it.
#[derive(Debug, Clone, PartialEq)]
pub struct WithRaw<T> {
    /// What the app reads.
    pub record: T,
    /// The document as Oura sent it.
    pub raw: String,
}

/// One day of a daily collection.
#[derive(Debug, Clone, PartialEq)]
pub struct DailyRecord {
    /// The day Oura files the document under.
    pub day: Date,
    /// Oura's id ("" where an old record has none).
    pub document_id: String,
    /// 1-100.
    pub score: Option<i64>,
    /// Activity only.
    pub steps: Option<i64>,
    /// Activity only, kilocalories.
    pub active_calories: Option<i64>,
    /// What made the score up (resilience: its three contributors).
    pub contributors: BTreeMap<String, Option<i64>>,
    /// What only some collections have (stress, SpO2, resilience, temperature, heart health,
    /// the bedtime window).
    pub measures: Measures,
}

/// The typed values a daily collection has beyond a score (each collection fills its own; the
/// rest stay `None`).
#[derive(Debug, Clone, Default, PartialEq, sqlx::FromRow)]
pub struct Measures {
    /// Stress: seconds in the high-stress zone.
    pub stress_high_seconds: Option<i64>,
    /// Stress: seconds in the high-recovery zone.
    pub recovery_high_seconds: Option<i64>,
    /// Stress: `restored`, `normal`, `stressful`, or a value added later.
    pub day_summary: Option<String>,
    /// SpO2: the night's average, percent.
    pub spo2_average: Option<f64>,
    /// SpO2: breathing disturbance index.
    pub breathing_disturbance_index: Option<i64>,
    /// Resilience: `limited` to `exceptional`, or a value added later.
    pub resilience_level: Option<String>,
    /// Readiness: body temperature against the person's baseline, °C.
    pub temperature_deviation: Option<f64>,
    /// Readiness: the three-day trend of that deviation, °C.
    pub temperature_trend_deviation: Option<f64>,
    /// `vO2_max`: ml/kg/min.
    pub vo2_max: Option<f64>,
    /// `daily_cardiovascular_age`: years.
    pub vascular_age: Option<i64>,
    /// `daily_cardiovascular_age`: pulse wave velocity, m/s.
    pub pulse_wave_velocity: Option<f64>,
    /// `sleep_time`: the optimal bedtime window's start, seconds from the day's midnight
    /// (negative: the evening before), in `bedtime_utc_offset`.
    pub bedtime_start_offset: Option<i64>,
    /// `sleep_time`: the window's end, likewise.
    pub bedtime_end_offset: Option<i64>,
    /// `sleep_time`: the person's UTC offset that day, seconds east.
    pub bedtime_utc_offset: Option<i64>,
    /// `sleep_time`: Oura's recommendation (`earlier_bedtime`, ...).
    pub bedtime_recommendation: Option<String>,
    /// `sleep_time`: `optimal_found`, `not_enough_nights`, ...
    pub bedtime_status: Option<String>,
}

/// A stored day of one collection, as the read model gets it.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredDay {
    /// Which daily collection.
    pub collection: Collection,
    /// The day's record.
    pub record: DailyRecord,
}

/// One sleep period with its samples.
#[derive(Debug, Clone, PartialEq)]
pub struct SleepPeriodRecord {
    /// Oura's id.
    pub document_id: String,
    /// The morning the period ended in.
    pub day: Date,
    /// The night, a nap, or a rest.
    pub kind: SleepKind,
    /// Local time with the person's offset.
    pub bedtime_start: OffsetDateTime,
    /// Local time with the person's offset.
    pub bedtime_end: OffsetDateTime,
    /// Seconds asleep.
    pub total_sleep_seconds: Option<i64>,
    /// Percent.
    pub efficiency: Option<i64>,
    /// Milliseconds.
    pub average_hrv: Option<i64>,
    /// Beats per minute.
    pub lowest_heart_rate: Option<i64>,
    /// One character per 5 minutes: `1` deep, `2` light, `3` REM, `4` awake.
    pub stages: Option<String>,
    /// Beats per minute, one per 5 minutes.
    pub heart_rate: Vec<Option<f64>>,
    /// Milliseconds, one per 5 minutes.
    pub hrv: Vec<Option<f64>>,
}

/// One heart-rate reading.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeartRateReading {
    /// When it was measured.
    pub at: OffsetDateTime,
    /// Beats per minute.
    pub bpm: i64,
    /// `awake`, `sleep`, `rest`, `workout`, `live` or `session`.
    pub source: String,
}

/// The main sleep of a night (its longest `long_sleep`): when, how long, how well.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MainSleep {
    /// The morning the night ended.
    pub day: Date,
    /// Going to bed, local time.
    pub start: OffsetDateTime,
    /// Getting up, local time.
    pub end: OffsetDateTime,
    /// The night's average HRV, milliseconds.
    pub average_hrv: Option<i64>,
    /// Seconds asleep.
    pub total_sleep_seconds: Option<i64>,
    /// Percent of the time in bed asleep.
    pub efficiency: Option<i64>,
    /// Beats per minute.
    pub lowest_heart_rate: Option<i64>,
    /// Seconds in each stage, from the 5-minute stages (none without them).
    pub stages: Option<StageSeconds>,
}

/// Seconds in each sleep stage.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StageSeconds {
    /// Deep sleep.
    pub deep: i64,
    /// Light sleep.
    pub light: i64,
    /// REM sleep.
    pub rem: i64,
    /// Awake in bed.
    pub awake: i64,
}

impl StageSeconds {
    /// From Oura's `sleep_phase_5_min`: `1` deep, `2` light, `3` REM, `4` awake.
    pub fn of(phases: &str) -> Self {
        let seconds = |phase: char| phases.chars().filter(|c| *c == phase).count() as i64 * 300;
        Self {
            deep: seconds('1'),
            light: seconds('2'),
            rem: seconds('3'),
            awake: seconds('4'),
        }
    }
}

/// A raw document for the JSON export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawDocument {
    /// Oura's collection name.
    pub collection: &'static str,
    /// The day it is filed under.
    pub day: Date,
    /// The JSON as Oura sent it.
    pub raw: String,
}

/// The typed columns of `daily_documents` after its key (`user_id`, `collection`, `day`), in
/// the order `save_daily_page` binds them.
const DAILY_COLUMNS: [&str; 23] = [
    "document_id",
    "score",
    "steps",
    "active_calories",
    "contributors",
    "raw",
    "synced_at",
    "stress_high_seconds",
    "recovery_high_seconds",
    "day_summary",
    "spo2_average",
    "breathing_disturbance_index",
    "resilience_level",
    "temperature_deviation",
    "temperature_trend_deviation",
    "vo2_max",
    "vascular_age",
    "pulse_wave_velocity",
    "bedtime_start_offset",
    "bedtime_end_offset",
    "bedtime_utc_offset",
    "bedtime_recommendation",
    "bedtime_status",
];

/// Inserts a day, or replaces every column of one stored before.
static DAILY_UPSERT: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    let key = ["user_id", "collection", "day"];
    let columns: Vec<&str> = key.iter().chain(&DAILY_COLUMNS).copied().collect();
    let values: Vec<String> = (1..=columns.len()).map(|n| format!("${n}")).collect();
    let updates: Vec<String> = DAILY_COLUMNS
        .iter()
        .map(|c| format!("{c} = excluded.{c}"))
        .collect();
    format!(
        "INSERT INTO daily_documents ({}) VALUES ({}) \
         ON CONFLICT (user_id, collection, day) DO UPDATE SET {}",
        columns.join(", "),
        values.join(", "),
        updates.join(", ")
    )
});

/// Rows per INSERT statement: well under SQLite's limit on bound parameters.
const BATCH_ROWS: usize = 200;

pub(super) fn stored_day(text: &str) -> anyhow::Result<Date> {
    parse_day(text).with_context(|| format!("Stored date {text:?} is malformed"))
}

pub(super) fn stored_time(text: &str) -> anyhow::Result<OffsetDateTime> {
    OffsetDateTime::parse(text, &Rfc3339)
        .with_context(|| format!("Stored time {text:?} is malformed"))
}

pub(super) fn rfc3339(at: OffsetDateTime) -> anyhow::Result<String> {
    at.format(&Rfc3339).context("Failed to format a time")
}

fn stored_collection(name: &str) -> anyhow::Result<Collection> {
    Collection::from_name(name).with_context(|| format!("Stored collection {name:?} is unknown"))
}

#[derive(sqlx::FromRow)]
struct DailyRow {
    collection: String,
    day: String,
    document_id: String,
    score: Option<i64>,
    steps: Option<i64>,
    active_calories: Option<i64>,
    contributors: String,
    #[sqlx(flatten)]
    measures: Measures,
}

impl TryFrom<DailyRow> for StoredDay {
    type Error = anyhow::Error;

    fn try_from(row: DailyRow) -> anyhow::Result<Self> {
        Ok(Self {
            collection: stored_collection(&row.collection)?,
            record: DailyRecord {
                day: stored_day(&row.day)?,
                document_id: row.document_id,
                score: row.score,
                steps: row.steps,
                active_calories: row.active_calories,
                contributors: serde_json::from_str(&row.contributors)
                    .context("Stored contributors are malformed")?,
                measures: row.measures,
            },
        })
    }
}

#[derive(sqlx::FromRow)]
struct SleepPeriodRow {
    document_id: String,
    day: String,
    kind: Option<String>,
    bedtime_start: String,
    bedtime_end: String,
    total_sleep_seconds: Option<i64>,
    efficiency: Option<i64>,
    average_hrv: Option<i64>,
    lowest_heart_rate: Option<i64>,
    phases: Option<String>,
}

impl TryFrom<SleepPeriodRow> for SleepPeriodRecord {
    type Error = anyhow::Error;

    fn try_from(row: SleepPeriodRow) -> anyhow::Result<Self> {
        Ok(Self {
            day: stored_day(&row.day)?,
            kind: row
                .kind
                .as_deref()
                .map_or(SleepKind::Unknown, SleepKind::from_name),
            bedtime_start: stored_time(&row.bedtime_start)?,
            bedtime_end: stored_time(&row.bedtime_end)?,
            document_id: row.document_id,
            total_sleep_seconds: row.total_sleep_seconds,
            efficiency: row.efficiency,
            average_hrv: row.average_hrv,
            lowest_heart_rate: row.lowest_heart_rate,
            stages: row.phases,
            heart_rate: Vec::new(),
            hrv: Vec::new(),
        })
    }
}

#[derive(sqlx::FromRow)]
struct SampleRow {
    document_id: String,
    heart_rate: Option<f64>,
    hrv: Option<f64>,
}

#[derive(sqlx::FromRow)]
struct HeartRateRow {
    at: i64,
    bpm: i64,
    source: String,
}

#[derive(sqlx::FromRow)]
struct MainSleepRow {
    day: String,
    bedtime_start: String,
    bedtime_end: String,
    average_hrv: Option<i64>,
    total_sleep_seconds: Option<i64>,
    efficiency: Option<i64>,
    lowest_heart_rate: Option<i64>,
    phases: Option<String>,
}

#[derive(sqlx::FromRow)]
struct RawRow {
    collection: String,
    day: String,
    raw: String,
}

impl Store {
    /// Upserts one page of a daily collection in one transaction: a page is stored whole or
    /// not at all, and storing it again changes nothing.
    pub async fn save_daily_page(
        &self,
        user_id: &UserId,
        collection: Collection,
        documents: &[WithRaw<DailyRecord>],
    ) -> anyhow::Result<()> {
        let synced_at = now();
        let mut tx = self.writer.begin().await?;
        for WithRaw { record, raw } in documents {
            sqlx::query(DAILY_UPSERT.as_str())
                // Not kept prepared: on PostgreSQL through sqlx's Any driver, a statement first
                // prepared with a NULL float keeps a parameter type that a later real float does
                // not match ("incorrect binary data format"); parsed afresh, each row declares its
                // own types.
                .persistent(false)
                .bind(user_id)
                .bind(collection.name())
                .bind(record.day.to_string())
                .bind(&record.document_id)
                .bind(record.score)
                .bind(record.steps)
                .bind(record.active_calories)
                .bind(serde_json::to_string(&record.contributors)?)
                .bind(raw)
                .bind(synced_at)
                .bind(record.measures.stress_high_seconds)
                .bind(record.measures.recovery_high_seconds)
                .bind(&record.measures.day_summary)
                .bind(record.measures.spo2_average)
                .bind(record.measures.breathing_disturbance_index)
                .bind(&record.measures.resilience_level)
                .bind(record.measures.temperature_deviation)
                .bind(record.measures.temperature_trend_deviation)
                .bind(record.measures.vo2_max)
                .bind(record.measures.vascular_age)
                .bind(record.measures.pulse_wave_velocity)
                .bind(record.measures.bedtime_start_offset)
                .bind(record.measures.bedtime_end_offset)
                .bind(record.measures.bedtime_utc_offset)
                .bind(&record.measures.bedtime_recommendation)
                .bind(&record.measures.bedtime_status)
                .execute(&mut *tx)
                .await
                .context("Failed to store a daily document")?;
        }
        self.commit_page(tx, user_id)
            .await
            .context("Failed to commit a page of documents")
    }

    /// Upserts one page of sleep periods, with their samples, in one transaction.
    pub async fn save_sleep_page(
        &self,
        user_id: &UserId,
        periods: &[WithRaw<SleepPeriodRecord>],
    ) -> anyhow::Result<()> {
        let synced_at = now();
        let mut tx = self.writer.begin().await?;
        for WithRaw { record, raw } in periods {
            sqlx::query(
                "INSERT INTO sleep_periods (user_id, document_id, day, kind, bedtime_start, bedtime_end, \
                 total_sleep_seconds, efficiency, average_hrv, lowest_heart_rate, phases, raw, synced_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) \
                 ON CONFLICT (user_id, document_id) DO UPDATE SET day = excluded.day, kind = excluded.kind, \
                 bedtime_start = excluded.bedtime_start, bedtime_end = excluded.bedtime_end, \
                 total_sleep_seconds = excluded.total_sleep_seconds, efficiency = excluded.efficiency, \
                 average_hrv = excluded.average_hrv, lowest_heart_rate = excluded.lowest_heart_rate, \
                 phases = excluded.phases, raw = excluded.raw, synced_at = excluded.synced_at",
            )
            .bind(user_id)
            .bind(&record.document_id)
            .bind(record.day.to_string())
            .bind(record.kind.as_str())
            .bind(rfc3339(record.bedtime_start)?)
            .bind(rfc3339(record.bedtime_end)?)
            .bind(record.total_sleep_seconds)
            .bind(record.efficiency)
            .bind(record.average_hrv)
            .bind(record.lowest_heart_rate)
            .bind(&record.stages)
            .bind(raw)
            .bind(synced_at)
            .execute(&mut *tx)
            .await
            .context("Failed to store a sleep period")?;
            sqlx::query("DELETE FROM sleep_samples WHERE user_id = $1 AND document_id = $2")
                .bind(user_id)
                .bind(&record.document_id)
                .execute(&mut *tx)
                .await
                .context("Failed to replace a sleep period's samples")?;
            let count = record.heart_rate.len().max(record.hrv.len());
            let positions: Vec<usize> = (0..count).collect();
            for batch in positions.chunks(BATCH_ROWS) {
                let sql = format!(
                    "INSERT INTO sleep_samples (user_id, document_id, position, heart_rate, hrv) VALUES {}",
                    placeholders(batch.len(), 5)
                );
                // Not a cached prepared statement: a NULL in a slot fixes that slot's type in
                // PostgreSQL's cached plan, and a later number there is then refused.
                let mut query = sqlx::query(&sql).persistent(false);
                for &position in batch {
                    query = query
                        .bind(user_id)
                        .bind(&record.document_id)
                        .bind(i64::try_from(position).unwrap_or(i64::MAX))
                        .bind(record.heart_rate.get(position).copied().flatten())
                        .bind(record.hrv.get(position).copied().flatten());
                }
                query
                    .execute(&mut *tx)
                    .await
                    .context("Failed to store a sleep period's samples")?;
            }
        }
        self.commit_page(tx, user_id)
            .await
            .context("Failed to commit a page of sleep periods")
    }

    /// The sleep periods filed under `day`, earliest first, with their samples; deleted ones
    /// left out.
    pub async fn sleep_periods(
        &self,
        user_id: &UserId,
        day: Date,
    ) -> anyhow::Result<Vec<SleepPeriodRecord>> {
        let rows: Vec<SleepPeriodRow> = sqlx::query_as(
            "SELECT document_id, day, kind, bedtime_start, bedtime_end, total_sleep_seconds, efficiency, \
             average_hrv, lowest_heart_rate, phases FROM sleep_periods \
             WHERE user_id = $1 AND day = $2 AND (kind IS NULL OR kind <> 'deleted') ORDER BY bedtime_start",
        )
        .bind(user_id)
        .bind(day.to_string())
        .fetch_all(&self.pool)
        .await
        .context("Failed to read sleep periods")?;
        let mut periods = rows
            .into_iter()
            .map(SleepPeriodRecord::try_from)
            .collect::<anyhow::Result<Vec<_>>>()?;
        let samples: Vec<SampleRow> = sqlx::query_as(
            "SELECT s.document_id, s.heart_rate, s.hrv FROM sleep_samples s JOIN sleep_periods p \
             ON p.user_id = s.user_id AND p.document_id = s.document_id \
             WHERE p.user_id = $1 AND p.day = $2 ORDER BY s.document_id, s.position",
        )
        .bind(user_id)
        .bind(day.to_string())
        .fetch_all(&self.pool)
        .await
        .context("Failed to read sleep samples")?;
        for sample in samples {
            if let Some(period) = periods
                .iter_mut()
                .find(|p| p.document_id == sample.document_id)
            {
                period.heart_rate.push(sample.heart_rate);
                period.hrv.push(sample.hrv);
            }
        }
        // A series that was absent stays empty rather than a run of gaps.
        for period in &mut periods {
            for series in [&mut period.heart_rate, &mut period.hrv] {
                if series.iter().all(Option::is_none) {
                    series.clear();
                }
            }
        }
        Ok(periods)
    }

    /// Upserts one page of heart-rate readings in one transaction, many rows a statement.
    pub async fn save_heart_rate_page(
        &self,
        user_id: &UserId,
        readings: &[HeartRateReading],
    ) -> anyhow::Result<()> {
        let mut tx = self.writer.begin().await?;
        for batch in readings.chunks(BATCH_ROWS) {
            let sql = format!(
                "INSERT INTO heart_rate (user_id, at, bpm, source) VALUES {} \
                 ON CONFLICT (user_id, at) DO UPDATE SET bpm = excluded.bpm, source = excluded.source",
                placeholders(batch.len(), 4)
            );
            let mut query = sqlx::query(&sql);
            for reading in batch {
                query = query
                    .bind(user_id)
                    .bind(reading.at.unix_timestamp())
                    .bind(reading.bpm)
                    .bind(&reading.source);
            }
            query
                .execute(&mut *tx)
                .await
                .context("Failed to store heart-rate readings")?;
        }
        self.commit_page(tx, user_id)
            .await
            .context("Failed to commit a page of heart-rate readings")
    }

    /// Readings in `[start, end)`, oldest first.
    pub async fn heart_rate(
        &self,
        user_id: &UserId,
        start: OffsetDateTime,
        end: OffsetDateTime,
    ) -> anyhow::Result<Vec<HeartRateReading>> {
        let rows: Vec<HeartRateRow> = sqlx::query_as(
            "SELECT at, bpm, source FROM heart_rate WHERE user_id = $1 AND at >= $2 AND at < $3 ORDER BY at",
        )
        .bind(user_id)
        .bind(start.unix_timestamp())
        .bind(end.unix_timestamp())
        .fetch_all(&self.pool)
        .await
        .context("Failed to read heart rate")?;
        rows.into_iter()
            .map(|row| {
                Ok(HeartRateReading {
                    at: OffsetDateTime::from_unix_timestamp(row.at)
                        .context("Stored heart-rate time is out of range")?,
                    bpm: row.bpm,
                    source: row.source,
                })
            })
            .collect()
    }

    /// The main sleep of each night in `[start, end]` (the longest `long_sleep` filed under
    /// the day, as Oura counts it). Oldest first.
    pub async fn main_sleeps(
        &self,
        user_id: &UserId,
        start: Date,
        end: Date,
    ) -> anyhow::Result<Vec<MainSleep>> {
        let rows: Vec<MainSleepRow> = sqlx::query_as(
            "SELECT day, bedtime_start, bedtime_end, average_hrv, total_sleep_seconds, efficiency, \
             lowest_heart_rate, phases FROM sleep_periods \
             WHERE user_id = $1 AND day >= $2 AND day <= $3 AND kind = $4 ORDER BY day",
        )
        .bind(user_id)
        .bind(start.to_string())
        .bind(end.to_string())
        .bind(SleepKind::LongSleep.as_str())
        .fetch_all(&self.pool)
        .await
        .context("Failed to read bedtimes")?;
        let mut nights: BTreeMap<Date, (time::Duration, MainSleep)> = BTreeMap::new();
        for row in rows {
            let sleep = MainSleep {
                day: stored_day(&row.day)?,
                start: stored_time(&row.bedtime_start)?,
                end: stored_time(&row.bedtime_end)?,
                average_hrv: row.average_hrv,
                total_sleep_seconds: row.total_sleep_seconds,
                efficiency: row.efficiency,
                lowest_heart_rate: row.lowest_heart_rate,
                stages: row.phases.as_deref().map(StageSeconds::of),
            };
            let length = sleep.end - sleep.start;
            match nights.get(&sleep.day) {
                Some((longest, _)) if *longest >= length => {}
                _ => {
                    nights.insert(sleep.day, (length, sleep));
                }
            }
        }
        Ok(nights.into_values().map(|(_, sleep)| sleep).collect())
    }

    /// Stored days of every daily collection in `[start, end]`, oldest first.
    pub async fn daily_range(
        &self,
        user_id: &UserId,
        start: Date,
        end: Date,
    ) -> anyhow::Result<Vec<StoredDay>> {
        let rows: Vec<DailyRow> = sqlx::query_as(
            "SELECT collection, day, document_id, score, steps, active_calories, contributors, \
             stress_high_seconds, recovery_high_seconds, day_summary, spo2_average, \
             breathing_disturbance_index, resilience_level, temperature_deviation, \
             temperature_trend_deviation, vo2_max, vascular_age, pulse_wave_velocity, \
             bedtime_start_offset, bedtime_end_offset, bedtime_utc_offset, bedtime_recommendation, \
             bedtime_status \
             FROM daily_documents WHERE user_id = $1 AND day >= $2 AND day <= $3 ORDER BY day, collection",
        )
        .bind(user_id)
        .bind(start.to_string())
        .bind(end.to_string())
        .fetch_all(&self.pool)
        .await
        .context("Failed to read daily documents")?;
        rows.into_iter().map(StoredDay::try_from).collect()
    }

    /// Raw documents in `[start, end]`, for the JSON export.
    pub async fn raw_documents(
        &self,
        user_id: &UserId,
        start: Date,
        end: Date,
    ) -> anyhow::Result<Vec<RawDocument>> {
        let rows: Vec<RawRow> = sqlx::query_as(
            "SELECT collection, day, raw FROM daily_documents WHERE user_id = $1 AND day >= $2 AND day <= $3 \
             UNION ALL SELECT 'sleep' AS collection, day, raw FROM sleep_periods \
             WHERE user_id = $1 AND day >= $2 AND day <= $3 \
             UNION ALL SELECT collection, day, raw FROM events WHERE user_id = $1 AND day >= $2 AND day <= $3 \
             ORDER BY day, collection",
        )
        .bind(user_id)
        .bind(start.to_string())
        .bind(end.to_string())
        .fetch_all(&self.pool)
        .await
        .context("Failed to read raw documents")?;
        rows.into_iter()
            .map(|row| {
                Ok(RawDocument {
                    collection: stored_collection(&row.collection)?.name(),
                    day: stored_day(&row.day)?,
                    raw: row.raw,
                })
            })
            .collect()
    }
}

/// `($1, $2, ...), ($n+1, ...)`: `rows` groups of `columns` numbered placeholders.
fn placeholders(rows: usize, columns: usize) -> String {
    (0..rows)
        .map(|row| {
            let numbers: Vec<String> = (1..=columns)
                .map(|column| format!("${}", row * columns + column))
                .collect();
            format!("({})", numbers.join(", "))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_number_every_row_and_column() {
        assert_eq!(placeholders(2, 3), "($1, $2, $3), ($4, $5, $6)");
    }
}
