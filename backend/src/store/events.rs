//! Oura's events in the warehouse: workouts, sessions, tags and rest-mode periods, each keyed
//! by Oura's id, typed where the dashboard reads it and whole as Oura sent it.

use anyhow::Context as _;
use time::{Date, OffsetDateTime};

use super::documents::{WithRaw, rfc3339, stored_day, stored_time};
use super::{Store, now};
use crate::domain::UserId;
use crate::oura::Collection;

/// One event; each collection fills the fields it has.
#[derive(Debug, Clone, PartialEq)]
pub struct EventRecord {
    /// Oura's id.
    pub document_id: String,
    /// The day it began on.
    pub day: Date,
    /// The day it ended on (tags with a duration, rest mode once it is over).
    pub end_day: Option<Date>,
    /// When it began, in the person's local time.
    pub start: Option<OffsetDateTime>,
    /// When it ended.
    pub end: Option<OffsetDateTime>,
    /// Workout: the activity; session: its type; tag: its type code.
    pub kind: Option<String>,
    /// Workout: its label; tag: a custom tag's name.
    pub name: Option<String>,
    /// Tag: the comment.
    pub comment: Option<String>,
    /// Workout: `easy`, `moderate` or `hard`.
    pub intensity: Option<String>,
    /// Workout: how it was recorded.
    pub source: Option<String>,
    /// Session: the mood chosen after it.
    pub mood: Option<String>,
    /// Workout: kilocalories.
    pub calories: Option<f64>,
    /// Workout: meters.
    pub distance_meters: Option<f64>,
    /// Session: the mean of its heart-rate samples, bpm.
    pub average_heart_rate: Option<f64>,
    /// Session: the lowest of them, bpm.
    pub lowest_heart_rate: Option<f64>,
    /// Session: the mean of its HRV samples, ms.
    pub average_hrv: Option<f64>,
}

/// A stored event and its collection.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredEvent {
    /// `Workouts`, `Sessions`, `Tags` or `RestMode`.
    pub collection: Collection,
    /// The event.
    pub record: EventRecord,
}

#[derive(sqlx::FromRow)]
struct EventRow {
    collection: String,
    document_id: String,
    day: String,
    end_day: Option<String>,
    start_time: Option<String>,
    end_time: Option<String>,
    kind: Option<String>,
    name: Option<String>,
    comment: Option<String>,
    intensity: Option<String>,
    source: Option<String>,
    mood: Option<String>,
    calories: Option<f64>,
    distance_meters: Option<f64>,
    average_heart_rate: Option<f64>,
    lowest_heart_rate: Option<f64>,
    average_hrv: Option<f64>,
}

impl TryFrom<EventRow> for StoredEvent {
    type Error = anyhow::Error;

    fn try_from(row: EventRow) -> anyhow::Result<Self> {
        Ok(Self {
            collection: Collection::from_name(&row.collection)
                .with_context(|| format!("Stored collection {:?} is unknown", row.collection))?,
            record: EventRecord {
                document_id: row.document_id,
                day: stored_day(&row.day)?,
                end_day: row.end_day.as_deref().map(stored_day).transpose()?,
                start: row.start_time.as_deref().map(stored_time).transpose()?,
                end: row.end_time.as_deref().map(stored_time).transpose()?,
                kind: row.kind,
                name: row.name,
                comment: row.comment,
                intensity: row.intensity,
                source: row.source,
                mood: row.mood,
                calories: row.calories,
                distance_meters: row.distance_meters,
                average_heart_rate: row.average_heart_rate,
                lowest_heart_rate: row.lowest_heart_rate,
                average_hrv: row.average_hrv,
            },
        })
    }
}

impl Store {
    /// Upserts one page of events in one transaction.
    pub async fn save_event_page(
        &self,
        user_id: &UserId,
        collection: Collection,
        events: &[WithRaw<EventRecord>],
    ) -> anyhow::Result<()> {
        let synced_at = now();
        let mut tx = self.writer.begin().await?;
        for WithRaw { record, raw } in events {
            sqlx::query(
                "INSERT INTO events (user_id, collection, document_id, day, end_day, start_time, \
                 end_time, kind, name, comment, intensity, source, mood, calories, distance_meters, \
                 average_heart_rate, lowest_heart_rate, average_hrv, raw, synced_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, \
                 $18, $19, $20) \
                 ON CONFLICT (user_id, collection, document_id) DO UPDATE SET day = excluded.day, \
                 end_day = excluded.end_day, start_time = excluded.start_time, \
                 end_time = excluded.end_time, kind = excluded.kind, name = excluded.name, \
                 comment = excluded.comment, intensity = excluded.intensity, \
                 source = excluded.source, mood = excluded.mood, calories = excluded.calories, \
                 distance_meters = excluded.distance_meters, \
                 average_heart_rate = excluded.average_heart_rate, \
                 lowest_heart_rate = excluded.lowest_heart_rate, average_hrv = excluded.average_hrv, \
                 raw = excluded.raw, \
                 synced_at = excluded.synced_at",
            )
            // Not kept prepared: see `save_daily_page` (NULL floats on PostgreSQL).
            .persistent(false)
            .bind(user_id)
            .bind(collection.name())
            .bind(&record.document_id)
            .bind(record.day.to_string())
            .bind(record.end_day.map(|d| d.to_string()))
            .bind(record.start.map(rfc3339).transpose()?)
            .bind(record.end.map(rfc3339).transpose()?)
            .bind(&record.kind)
            .bind(&record.name)
            .bind(&record.comment)
            .bind(&record.intensity)
            .bind(&record.source)
            .bind(&record.mood)
            .bind(record.calories)
            .bind(record.distance_meters)
            .bind(record.average_heart_rate)
            .bind(record.lowest_heart_rate)
            .bind(record.average_hrv)
            .bind(raw)
            .bind(synced_at)
            .execute(&mut *tx)
            .await
            .context("Failed to store an event")?;
        }
        self.commit_page(tx, user_id)
            .await
            .context("Failed to commit a page of events")
    }

    /// The events that began in `[start, end]`, and the rest-mode periods that overlap it,
    /// earliest first.
    pub async fn events(
        &self,
        user_id: &UserId,
        start: Date,
        end: Date,
    ) -> anyhow::Result<Vec<StoredEvent>> {
        let rows: Vec<EventRow> = sqlx::query_as(
            "SELECT collection, document_id, day, end_day, start_time, end_time, kind, name, \
             comment, intensity, source, mood, calories, distance_meters, average_heart_rate, \
             lowest_heart_rate, average_hrv FROM events \
             WHERE user_id = $1 AND day <= $3 AND (day >= $2 OR (collection = $4 AND \
             (end_day IS NULL OR end_day >= $2))) ORDER BY day, start_time, document_id",
        )
        .bind(user_id)
        .bind(start.to_string())
        .bind(end.to_string())
        .bind(Collection::RestMode.name())
        .fetch_all(&self.pool)
        .await
        .context("Failed to read events")?;
        rows.into_iter().map(StoredEvent::try_from).collect()
    }

    /// The first day of the earliest rest-mode period still on when it was last synced: Oura
    /// files a period under the day it began, so its end arrives in that day's window.
    pub async fn earliest_open_rest_mode(&self, user_id: &UserId) -> anyhow::Result<Option<Date>> {
        let day: Option<String> = sqlx::query_scalar(
            "SELECT MIN(day) FROM events WHERE user_id = $1 AND collection = $2 AND end_day IS NULL",
        )
        .bind(user_id)
        .bind(Collection::RestMode.name())
        .fetch_one(&self.pool)
        .await
        .context("Failed to read open rest-mode periods")?;
        day.as_deref().map(stored_day).transpose()
    }
}
