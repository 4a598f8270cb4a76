//! Where each user's sync stands: per collection, how far it got (`sync_progress`); per user,
//! the running or last run and the lease that keeps it to one instance (`sync_runs`).

use anyhow::Context as _;
use shared::{Refusal, SyncState};
use time::Date;

use super::{Store, now};
use crate::domain::{UserId, parse_day};

/// The state of a user's sync, as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncRun {
    /// Running, finished, failed, or never run.
    pub state: SyncState,
    /// Windows done in this run.
    pub windows_done: i64,
    /// Windows this run planned.
    pub windows_total: i64,
    /// Unix seconds.
    pub started_at: Option<i64>,
    /// Unix seconds.
    pub finished_at: Option<i64>,
    /// Unix seconds: the end of the last run that finished well.
    pub last_success_at: Option<i64>,
    /// Why the last run failed, or what a successful one left out.
    pub error: Option<String>,
    /// Documents the run set aside because they could not be read.
    pub unreadable: i64,
}

#[derive(sqlx::FromRow)]
struct SyncRunRow {
    status: String,
    lease_until: i64,
    windows_done: i64,
    windows_total: i64,
    started_at: Option<i64>,
    finished_at: Option<i64>,
    last_success_at: Option<i64>,
    error: Option<String>,
    unreadable: i64,
}

impl TryFrom<SyncRunRow> for SyncRun {
    type Error = anyhow::Error;

    fn try_from(row: SyncRunRow) -> anyhow::Result<Self> {
        // An unknown status is a fault to report, not a sync to call finished.
        let state: SyncState = row
            .status
            .parse()
            .with_context(|| format!("Stored sync status {:?} is unknown", row.status))?;
        Ok(Self {
            // A run whose lease lapsed is no longer renewed by anyone: its process is gone.
            state: if state == SyncState::Running && row.lease_until < now() {
                SyncState::Interrupted
            } else {
                state
            },
            windows_done: row.windows_done,
            windows_total: row.windows_total,
            started_at: row.started_at,
            finished_at: row.finished_at,
            last_success_at: row.last_success_at,
            error: row.error,
            unreadable: row.unreadable,
        })
    }
}

/// Where one collection's sync stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CollectionProgress {
    /// Oura's name of the collection.
    pub collection: String,
    /// The first day the backfill reaches back to.
    pub backfill_from: Date,
    /// Every day from `backfill_from` through this one is stored.
    pub synced_through: Option<Date>,
    /// Why its last attempt failed, if it did.
    pub last_error: Option<String>,
    /// Unix seconds.
    pub last_attempt_at: Option<i64>,
    /// Why Oura refused it at the last attempt, if it did.
    pub refusal: Option<Refusal>,
}

#[derive(sqlx::FromRow)]
struct ProgressRow {
    collection: String,
    backfill_from: String,
    synced_through: Option<String>,
    last_error: Option<String>,
    last_attempt_at: Option<i64>,
    refusal: Option<String>,
}

impl TryFrom<ProgressRow> for CollectionProgress {
    type Error = anyhow::Error;

    fn try_from(row: ProgressRow) -> anyhow::Result<Self> {
        let day = |text: &str| {
            parse_day(text).with_context(|| format!("Stored date {text:?} is malformed"))
        };
        Ok(Self {
            backfill_from: day(&row.backfill_from)?,
            synced_through: row.synced_through.as_deref().map(day).transpose()?,
            collection: row.collection,
            last_error: row.last_error,
            last_attempt_at: row.last_attempt_at,
            // A name this version does not know reads as no refusal.
            refusal: row.refusal.as_deref().and_then(Refusal::from_name),
        })
    }
}

impl Store {
    /// Where a collection's sync stands, created on first use with `backfill_from`.
    pub async fn sync_progress(
        &self,
        user_id: &UserId,
        collection: &str,
        backfill_from: Date,
    ) -> anyhow::Result<CollectionProgress> {
        sqlx::query(
            "INSERT INTO sync_progress (user_id, collection, backfill_from) VALUES ($1, $2, $3) \
             ON CONFLICT (user_id, collection) DO NOTHING",
        )
        .bind(user_id)
        .bind(collection)
        .bind(backfill_from.to_string())
        .execute(&self.writer)
        .await?;
        sqlx::query_as::<_, ProgressRow>(
            "SELECT collection, backfill_from, synced_through, last_error, last_attempt_at, refusal \
             FROM sync_progress \
             WHERE user_id = $1 AND collection = $2",
        )
        .bind(user_id)
        .bind(collection)
        .fetch_one(&self.pool)
        .await
        .context("Failed to read sync progress")?
        .try_into()
    }

    /// Every collection's progress, by name.
    pub async fn all_sync_progress(
        &self,
        user_id: &UserId,
    ) -> anyhow::Result<Vec<CollectionProgress>> {
        let rows: Vec<ProgressRow> = sqlx::query_as(
            "SELECT collection, backfill_from, synced_through, last_error, last_attempt_at, refusal \
             FROM sync_progress \
             WHERE user_id = $1 ORDER BY collection",
        )
        .bind(user_id)
        .fetch_all(&self.pool)
        .await
        .context("Failed to read sync progress")?;
        rows.into_iter().map(CollectionProgress::try_from).collect()
    }

    /// Records how a collection's part of a run ended: `error` when it failed, `refusal`
    /// when Oura refused it.
    pub async fn record_collection_outcome(
        &self,
        user_id: &UserId,
        collection: &str,
        error: Option<&str>,
        refusal: Option<Refusal>,
    ) -> anyhow::Result<()> {
        sqlx::query(
            "UPDATE sync_progress SET last_error = $1, last_attempt_at = $2, refusal = $5 \
             WHERE user_id = $3 AND collection = $4",
        )
        .bind(error)
        .bind(now())
        .bind(user_id)
        .bind(collection)
        .bind(refusal.map(Refusal::as_str))
        .execute(&self.writer)
        .await
        .context("Failed to record a collection's outcome")?;
        Ok(())
    }

    /// Records that everything through `day` is stored (never moving backwards).
    pub async fn advance_sync(
        &self,
        user_id: &UserId,
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
        .execute(&self.writer)
        .await
        .context("Failed to record sync progress")?;
        Ok(())
    }

    /// Takes the user's sync lease for `lease_secs`; false while another sync holds it.
    pub async fn try_start_sync(
        &self,
        user_id: &UserId,
        lease_secs: i64,
        windows_total: i64,
    ) -> anyhow::Result<bool> {
        let now = now();
        // A new row says "never" until the lease below turns it into "running": a reader
        // between the two statements must not see a finished sync that stored nothing.
        sqlx::query("INSERT INTO sync_runs (user_id, status) VALUES ($1, $2) ON CONFLICT (user_id) DO NOTHING")
            .bind(user_id)
            .bind(SyncState::Never.as_str())
            .execute(&self.writer)
            .await?;
        let taken = sqlx::query(
            "UPDATE sync_runs SET lease_until = $1, status = $2, windows_done = 0, windows_total = $3, \
             started_at = $4, finished_at = NULL, error = NULL, unreadable = 0 \
             WHERE user_id = $5 AND lease_until < $4",
        )
        .bind(now + lease_secs)
        .bind(SyncState::Running.as_str())
        .bind(windows_total)
        .bind(now)
        .bind(user_id)
        .execute(&self.writer)
        .await
        .context("Failed to start a sync")?;
        Ok(taken.rows_affected() == 1)
    }

    /// One more window done; the lease is extended while work goes on.
    pub async fn sync_window_done(&self, user_id: &UserId, lease_secs: i64) -> anyhow::Result<()> {
        sqlx::query("UPDATE sync_runs SET windows_done = windows_done + 1, lease_until = $1 WHERE user_id = $2")
            .bind(now() + lease_secs)
            .bind(user_id)
            .execute(&self.writer)
            .await
            .context("Failed to record sync progress")?;
        Ok(())
    }

    /// Extends the lease of a run that is still working (its heartbeat).
    pub async fn renew_sync_lease(&self, user_id: &UserId, lease_secs: i64) -> anyhow::Result<()> {
        sqlx::query("UPDATE sync_runs SET lease_until = $1 WHERE user_id = $2 AND status = $3")
            .bind(now() + lease_secs)
            .bind(user_id)
            .bind(SyncState::Running.as_str())
            .execute(&self.writer)
            .await
            .context("Failed to renew the sync lease")?;
        Ok(())
    }

    /// Ends a run that stopped for shutdown: it reads "interrupted", and its lease is free at
    /// once for the next instance.
    pub async fn interrupt_sync(&self, user_id: &UserId) -> anyhow::Result<()> {
        sqlx::query(
            "UPDATE sync_runs SET status = $1, lease_until = 0, finished_at = $2 WHERE user_id = $3",
        )
        .bind(SyncState::Interrupted.as_str())
        .bind(now())
        .bind(user_id)
        .execute(&self.writer)
        .await
        .context("Failed to record the interrupted sync")?;
        Ok(())
    }

    /// Counts `count` more documents the run set aside.
    pub async fn count_unreadable(&self, user_id: &UserId, count: i64) -> anyhow::Result<()> {
        sqlx::query("UPDATE sync_runs SET unreadable = unreadable + $1 WHERE user_id = $2")
            .bind(count)
            .bind(user_id)
            .execute(&self.writer)
            .await
            .context("Failed to count unreadable documents")?;
        Ok(())
    }

    /// Ends the user's sync and releases the lease: `error` marks it failed; `note` says what a
    /// successful run left out.
    pub async fn finish_sync(
        &self,
        user_id: &UserId,
        error: Option<&str>,
        note: Option<&str>,
    ) -> anyhow::Result<()> {
        let now = now();
        let query = match error {
            Some(_) => {
                "UPDATE sync_runs SET status = $1, lease_until = 0, finished_at = $2, error = $3 WHERE user_id = $4"
            }
            None => {
                "UPDATE sync_runs SET status = $1, lease_until = 0, finished_at = $2, last_success_at = $2, \
                 error = $3 WHERE user_id = $4"
            }
        };
        let state = if error.is_some() {
            SyncState::Failed
        } else {
            SyncState::Idle
        };
        sqlx::query(query)
            .bind(state.as_str())
            .bind(now)
            .bind(error.or(note))
            .bind(user_id)
            .execute(&self.writer)
            .await
            .context("Failed to finish the sync")?;
        Ok(())
    }

    /// The user's running or last sync; `None` before the first.
    pub async fn sync_run(&self, user_id: &UserId) -> anyhow::Result<Option<SyncRun>> {
        sqlx::query_as::<_, SyncRunRow>(
            "SELECT status, lease_until, windows_done, windows_total, started_at, finished_at, last_success_at, \
             error, unreadable FROM sync_runs WHERE user_id = $1",
        )
        .bind(user_id)
        .fetch_optional(&self.pool)
        .await
        .context("Failed to read the sync state")?
        .map(SyncRun::try_from)
        .transpose()
    }

    /// Claims up to `limit` users whose scheduled sync is due, for this instance, and moves
    /// their next turn to `retry_at` (kept if the run never ends, say the instance dies; a
    /// run that ends sets it with [`Store::schedule_sync`]). Another instance claiming at the
    /// same time gets other users: PostgreSQL skips rows a concurrent claim has locked, and
    /// SQLite runs one write at a time.
    pub async fn claim_due_syncs(&self, retry_at: i64, limit: i64) -> anyhow::Result<Vec<UserId>> {
        let lock = if self.is_sqlite {
            ""
        } else {
            "FOR UPDATE SKIP LOCKED"
        };
        sqlx::query_scalar(&format!(
            "UPDATE oura_tokens SET next_sync_at = $1 WHERE user_id IN \
             (SELECT user_id FROM oura_tokens WHERE next_sync_at <= $2 \
              ORDER BY next_sync_at, user_id LIMIT $3 {lock}) \
             RETURNING user_id"
        ))
        .bind(retry_at)
        .bind(now())
        .bind(limit)
        .fetch_all(&self.writer)
        .await
        .context("Failed to claim scheduled syncs")
    }

    /// When `user_id`'s next scheduled sync is due (Unix seconds).
    pub async fn schedule_sync(&self, user_id: &UserId, at: i64) -> anyhow::Result<()> {
        sqlx::query("UPDATE oura_tokens SET next_sync_at = $1 WHERE user_id = $2")
            .bind(at)
            .bind(user_id)
            .execute(&self.writer)
            .await
            .context("Failed to schedule the next sync")?;
        Ok(())
    }

    /// When `user_id`'s next scheduled sync is due, if they have tokens.
    pub async fn next_sync_at(&self, user_id: &UserId) -> anyhow::Result<Option<i64>> {
        sqlx::query_scalar("SELECT next_sync_at FROM oura_tokens WHERE user_id = $1")
            .bind(user_id)
            .fetch_optional(&self.pool)
            .await
            .context("Failed to read the schedule")
    }
}
