//! The warehouse: daily documents per user, and the progress of their syncs.

use anyhow::Context as _;
use sqlx::Row as _;
use time::Date;

use super::{Store, now};

/// One daily document, as the sync stores it.
pub struct DailyDocument {
    pub day: Date,
    pub document_id: String,
    pub score: Option<i64>,
    pub steps: Option<i64>,
    pub active_calories: Option<i64>,
    /// JSON object.
    pub contributors: String,
    /// The document as Oura sent it.
    pub raw: String,
}

/// One sleep period, as the sync stores it.
#[derive(Debug, Clone, PartialEq)]
pub struct SleepPeriodRow {
    pub document_id: String,
    pub day: Date,
    pub kind: Option<String>,
    pub bedtime_start: String,
    pub bedtime_end: String,
    pub total_sleep_seconds: Option<i64>,
    pub efficiency: Option<i64>,
    pub average_hrv: Option<i64>,
    pub lowest_heart_rate: Option<i64>,
    pub phases: Option<String>,
    /// The document as Oura sent it (heart rate and HRV samples are read from here).
    pub raw: String,
}

/// One heart-rate reading.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeartRateReading {
    /// Unix seconds.
    pub at: i64,
    pub bpm: i64,
    pub source: String,
}

/// Rows per INSERT statement: well under SQLite's limit on bound parameters.
const HEART_RATE_BATCH: usize = 250;

/// A stored day of one collection, as the API reads it.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredDay {
    pub collection: String,
    pub day: String,
    pub score: Option<i64>,
    pub steps: Option<i64>,
    pub active_calories: Option<i64>,
    pub contributors: String,
}

/// The state of a user's sync, as stored.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SyncRun {
    pub status: String,
    pub windows_done: i64,
    pub windows_total: i64,
    pub started_at: Option<i64>,
    pub finished_at: Option<i64>,
    pub last_success_at: Option<i64>,
    pub error: Option<String>,
}

impl Store {
    /// Upserts one page of documents in one transaction: a page is stored whole or not at all,
    /// and storing it again changes nothing.
    pub async fn save_daily_page(
        &self,
        user_id: &str,
        collection: &str,
        documents: &[DailyDocument],
    ) -> anyhow::Result<()> {
        let synced_at = now();
        let mut tx = self.pool.begin().await?;
        for document in documents {
            sqlx::query(
                "INSERT INTO daily_documents (user_id, collection, day, document_id, score, steps, \
                 active_calories, contributors, raw, synced_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) \
                 ON CONFLICT (user_id, collection, day) DO UPDATE SET document_id = excluded.document_id, \
                 score = excluded.score, steps = excluded.steps, active_calories = excluded.active_calories, \
                 contributors = excluded.contributors, raw = excluded.raw, synced_at = excluded.synced_at",
            )
            .bind(user_id)
            .bind(collection)
            .bind(document.day.to_string())
            .bind(&document.document_id)
            .bind(document.score)
            .bind(document.steps)
            .bind(document.active_calories)
            .bind(&document.contributors)
            .bind(&document.raw)
            .bind(synced_at)
            .execute(&mut *tx)
            .await
            .context("Failed to store a daily document")?;
        }
        commit_page(tx, user_id)
            .await
            .context("Failed to commit a page of documents")
    }

    /// Upserts one page of sleep periods in one transaction.
    pub async fn save_sleep_page(
        &self,
        user_id: &str,
        periods: &[SleepPeriodRow],
    ) -> anyhow::Result<()> {
        let synced_at = now();
        let mut tx = self.pool.begin().await?;
        for period in periods {
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
            .bind(&period.document_id)
            .bind(period.day.to_string())
            .bind(&period.kind)
            .bind(&period.bedtime_start)
            .bind(&period.bedtime_end)
            .bind(period.total_sleep_seconds)
            .bind(period.efficiency)
            .bind(period.average_hrv)
            .bind(period.lowest_heart_rate)
            .bind(&period.phases)
            .bind(&period.raw)
            .bind(synced_at)
            .execute(&mut *tx)
            .await
            .context("Failed to store a sleep period")?;
        }
        commit_page(tx, user_id)
            .await
            .context("Failed to commit a page of sleep periods")
    }

    /// The sleep periods filed under `day`, earliest first, deleted ones left out.
    pub async fn sleep_periods(
        &self,
        user_id: &str,
        day: Date,
    ) -> anyhow::Result<Vec<SleepPeriodRow>> {
        let rows = sqlx::query(
            "SELECT document_id, day, kind, bedtime_start, bedtime_end, total_sleep_seconds, efficiency, \
             average_hrv, lowest_heart_rate, phases, raw FROM sleep_periods \
             WHERE user_id = $1 AND day = $2 AND (kind IS NULL OR kind <> 'deleted') ORDER BY bedtime_start",
        )
        .bind(user_id)
        .bind(day.to_string())
        .fetch_all(&self.pool)
        .await
        .context("Failed to read sleep periods")?;
        rows.into_iter()
            .map(|row| {
                Ok(SleepPeriodRow {
                    document_id: row.try_get("document_id")?,
                    day: parse_date(&row.try_get::<String, _>("day")?)?,
                    kind: row.try_get("kind")?,
                    bedtime_start: row.try_get("bedtime_start")?,
                    bedtime_end: row.try_get("bedtime_end")?,
                    total_sleep_seconds: row.try_get("total_sleep_seconds")?,
                    efficiency: row.try_get("efficiency")?,
                    average_hrv: row.try_get("average_hrv")?,
                    lowest_heart_rate: row.try_get("lowest_heart_rate")?,
                    phases: row.try_get("phases")?,
                    raw: row.try_get("raw")?,
                })
            })
            .collect()
    }

    /// Upserts one page of heart-rate readings in one transaction, many rows a statement.
    pub async fn save_heart_rate_page(
        &self,
        user_id: &str,
        readings: &[HeartRateReading],
    ) -> anyhow::Result<()> {
        let mut tx = self.pool.begin().await?;
        for batch in readings.chunks(HEART_RATE_BATCH) {
            let values: Vec<String> = (0..batch.len())
                .map(|i| {
                    format!(
                        "(${}, ${}, ${}, ${})",
                        4 * i + 1,
                        4 * i + 2,
                        4 * i + 3,
                        4 * i + 4
                    )
                })
                .collect();
            let sql = format!(
                "INSERT INTO heart_rate (user_id, at, bpm, source) VALUES {} \
                 ON CONFLICT (user_id, at) DO UPDATE SET bpm = excluded.bpm, source = excluded.source",
                values.join(", ")
            );
            let mut query = sqlx::query(&sql);
            for reading in batch {
                query = query
                    .bind(user_id)
                    .bind(reading.at)
                    .bind(reading.bpm)
                    .bind(&reading.source);
            }
            query
                .execute(&mut *tx)
                .await
                .context("Failed to store heart-rate readings")?;
        }
        commit_page(tx, user_id)
            .await
            .context("Failed to commit a page of heart-rate readings")
    }

    /// Readings in `[start, end)` (Unix seconds), oldest first.
    pub async fn heart_rate(
        &self,
        user_id: &str,
        start: i64,
        end: i64,
    ) -> anyhow::Result<Vec<HeartRateReading>> {
        let rows = sqlx::query("SELECT at, bpm, source FROM heart_rate WHERE user_id = $1 AND at >= $2 AND at < $3 ORDER BY at")
            .bind(user_id)
            .bind(start)
            .bind(end)
            .fetch_all(&self.pool)
            .await
            .context("Failed to read heart rate")?;
        rows.into_iter()
            .map(|row| {
                Ok(HeartRateReading {
                    at: row.try_get("at")?,
                    bpm: row.try_get("bpm")?,
                    source: row.try_get("source")?,
                })
            })
            .collect()
    }

    /// `(day, bedtime_start)` of the main sleep of each night in `[start, end]`.
    pub async fn bedtimes(
        &self,
        user_id: &str,
        start: Date,
        end: Date,
    ) -> anyhow::Result<Vec<(String, String)>> {
        let rows = sqlx::query(
            "SELECT day, bedtime_start FROM sleep_periods WHERE user_id = $1 AND day >= $2 AND day <= $3 \
             AND kind = 'long_sleep' ORDER BY day",
        )
        .bind(user_id)
        .bind(start.to_string())
        .bind(end.to_string())
        .fetch_all(&self.pool)
        .await
        .context("Failed to read bedtimes")?;
        rows.into_iter()
            .map(|row| Ok((row.try_get("day")?, row.try_get("bedtime_start")?)))
            .collect()
    }

    /// Stored days of every collection in `[start, end]`, oldest first.
    pub async fn daily_range(
        &self,
        user_id: &str,
        start: Date,
        end: Date,
    ) -> anyhow::Result<Vec<StoredDay>> {
        let rows = sqlx::query(
            "SELECT collection, day, score, steps, active_calories, contributors FROM daily_documents \
             WHERE user_id = $1 AND day >= $2 AND day <= $3 ORDER BY day, collection",
        )
        .bind(user_id)
        .bind(start.to_string())
        .bind(end.to_string())
        .fetch_all(&self.pool)
        .await
        .context("Failed to read daily documents")?;
        rows.into_iter()
            .map(|row| {
                Ok(StoredDay {
                    collection: row.try_get("collection")?,
                    day: row.try_get("day")?,
                    score: row.try_get("score")?,
                    steps: row.try_get("steps")?,
                    active_calories: row.try_get("active_calories")?,
                    contributors: row.try_get("contributors")?,
                })
            })
            .collect()
    }

    /// Raw documents in `[start, end]`, for the JSON export.
    pub async fn raw_documents(
        &self,
        user_id: &str,
        start: Date,
        end: Date,
    ) -> anyhow::Result<Vec<(String, String, String)>> {
        let rows = sqlx::query(
            "SELECT collection, day, raw FROM daily_documents WHERE user_id = $1 AND day >= $2 AND day <= $3 \
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
                Ok((
                    row.try_get("collection")?,
                    row.try_get("day")?,
                    row.try_get("raw")?,
                ))
            })
            .collect()
    }

    /// Where a collection's sync stands: `(backfill_from, synced_through)`, created on first use.
    pub async fn sync_progress(
        &self,
        user_id: &str,
        collection: &str,
        backfill_from: Date,
    ) -> anyhow::Result<(Date, Option<Date>)> {
        sqlx::query(
            "INSERT INTO sync_progress (user_id, collection, backfill_from) VALUES ($1, $2, $3) \
             ON CONFLICT (user_id, collection) DO NOTHING",
        )
        .bind(user_id)
        .bind(collection)
        .bind(backfill_from.to_string())
        .execute(&self.pool)
        .await?;
        let row = sqlx::query("SELECT backfill_from, synced_through FROM sync_progress WHERE user_id = $1 AND collection = $2")
            .bind(user_id)
            .bind(collection)
            .fetch_one(&self.pool)
            .await
            .context("Failed to read sync progress")?;
        let from: String = row.try_get("backfill_from")?;
        let through: Option<String> = row.try_get("synced_through")?;
        Ok((
            parse_date(&from)?,
            through.map(|t| parse_date(&t)).transpose()?,
        ))
    }

    /// Records that everything through `day` is stored (never moving backwards).
    pub async fn advance_sync(
        &self,
        user_id: &str,
        collection: &str,
        day: Date,
    ) -> anyhow::Result<()> {
        sqlx::query(
            "UPDATE sync_progress SET synced_through = $1 WHERE user_id = $2 AND collection = $3 \
             AND (synced_through IS NULL OR synced_through < $1)",
        )
        .bind(day.to_string())
        .bind(user_id)
        .bind(collection)
        .execute(&self.pool)
        .await
        .context("Failed to record sync progress")?;
        Ok(())
    }

    /// Takes the user's sync lease for `lease_secs`; false while another sync holds it.
    pub async fn try_start_sync(
        &self,
        user_id: &str,
        lease_secs: i64,
        windows_total: i64,
    ) -> anyhow::Result<bool> {
        let now = now();
        // A new row says "never" until the lease below turns it into "running": a reader
        // between the two statements must not see a finished sync that stored nothing.
        sqlx::query("INSERT INTO sync_runs (user_id, status) VALUES ($1, 'never') ON CONFLICT (user_id) DO NOTHING")
            .bind(user_id)
            .execute(&self.pool)
            .await?;
        let taken = sqlx::query(
            "UPDATE sync_runs SET lease_until = $1, status = 'running', windows_done = 0, windows_total = $2, \
             started_at = $3, finished_at = NULL, error = NULL WHERE user_id = $4 AND lease_until < $3",
        )
        .bind(now + lease_secs)
        .bind(windows_total)
        .bind(now)
        .bind(user_id)
        .execute(&self.pool)
        .await
        .context("Failed to start a sync")?;
        Ok(taken.rows_affected() == 1)
    }

    /// One more window done; the lease is extended while work goes on.
    pub async fn sync_window_done(&self, user_id: &str, lease_secs: i64) -> anyhow::Result<()> {
        sqlx::query("UPDATE sync_runs SET windows_done = windows_done + 1, lease_until = $1 WHERE user_id = $2")
            .bind(now() + lease_secs)
            .bind(user_id)
            .execute(&self.pool)
            .await
            .context("Failed to record sync progress")?;
        Ok(())
    }

    /// Ends the user's sync and releases the lease: `error` marks it failed; `note` says what a
    /// successful run left out.
    pub async fn finish_sync(
        &self,
        user_id: &str,
        error: Option<&str>,
        note: Option<&str>,
    ) -> anyhow::Result<()> {
        let now = now();
        let (failed, message) = match (error, note) {
            (Some(error), _) => (true, Some(error)),
            (None, note) => (false, note),
        };
        let query = if failed {
            "UPDATE sync_runs SET status = 'failed', lease_until = 0, finished_at = $1, error = $2 WHERE user_id = $3"
        } else {
            "UPDATE sync_runs SET status = 'idle', lease_until = 0, finished_at = $1, last_success_at = $1, \
             error = $2 WHERE user_id = $3"
        };
        sqlx::query(query)
            .bind(now)
            .bind(message)
            .bind(user_id)
            .execute(&self.pool)
            .await
            .context("Failed to finish the sync")?;
        Ok(())
    }

    pub async fn sync_run(&self, user_id: &str) -> anyhow::Result<Option<SyncRun>> {
        let row = sqlx::query(
            "SELECT status, windows_done, windows_total, started_at, finished_at, last_success_at, error \
             FROM sync_runs WHERE user_id = $1",
        )
        .bind(user_id)
        .fetch_optional(&self.pool)
        .await
        .context("Failed to read the sync state")?;
        row.map(|row| {
            Ok(SyncRun {
                status: row.try_get("status")?,
                windows_done: row.try_get("windows_done")?,
                windows_total: row.try_get("windows_total")?,
                started_at: row.try_get("started_at")?,
                finished_at: row.try_get("finished_at")?,
                last_success_at: row.try_get("last_success_at")?,
                error: row.try_get("error")?,
            })
        })
        .transpose()
    }

    /// How many times data was stored for the user: a cached answer from an older version is
    /// stale.
    pub async fn data_version(&self, user_id: &str) -> anyhow::Result<i64> {
        let row = sqlx::query("SELECT data_version FROM users WHERE id = $1")
            .bind(user_id)
            .fetch_optional(&self.pool)
            .await
            .context("Failed to read the data version")?;
        Ok(row
            .map(|r| r.try_get("data_version"))
            .transpose()?
            .unwrap_or(0))
    }

    /// Users with stored Oura tokens: the ones a scheduled sync can serve.
    pub async fn users_with_tokens(&self) -> anyhow::Result<Vec<String>> {
        let rows = sqlx::query("SELECT user_id FROM oura_tokens ORDER BY user_id")
            .fetch_all(&self.pool)
            .await
            .context("Failed to list users")?;
        rows.into_iter()
            .map(|row| Ok(row.try_get("user_id")?))
            .collect()
    }
}

/// Ends a page's transaction: the user's data version goes up with the data, in one commit,
/// so no cached answer outlives what it was made from.
async fn commit_page(
    mut tx: sqlx::Transaction<'_, sqlx::Any>,
    user_id: &str,
) -> anyhow::Result<()> {
    sqlx::query("UPDATE users SET data_version = data_version + 1 WHERE id = $1")
        .bind(user_id)
        .execute(&mut *tx)
        .await
        .context("Failed to bump the data version")?;
    tx.commit().await?;
    Ok(())
}

fn parse_date(text: &str) -> anyhow::Result<Date> {
    Date::parse(
        text,
        time::macros::format_description!("[year]-[month]-[day]"),
    )
    .with_context(|| format!("Stored date {text:?} is malformed"))
}
